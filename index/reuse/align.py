"""Passage alignment: which passages two articles share, and where their wording differs.

The shape is the one passim, TextPAIR and the Webis pipeline share:
  1. seeds: word n-grams the two articles have in common, over analysed terms (stems,
     variant spellings joined), so "kerja sama"/"kerjasama" and "Tiongkok"/"China" agree;
  2. chains: seeds close together in both articles, at similar distances, join into one run;
  3. merging: runs separated by short gaps of similar size in both articles become one
     passage (a reworded clause); a gap on one side only (text one article inserts) does not;
  4. refinement: a word-level alignment inside each passage trims its edges, splits it where
     one side inserts a long stretch, and yields the edit operations a side-by-side view needs.
Every step is symmetric, and the two articles are put in a canonical order first, so
comparing B with A gives exactly the mirror of comparing A with B.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from ..model import Article, Kind, merge_spans
from ..text.analysis import Analyzer, Term
from ..text.tokens import AlignToken, article_tokens
from ..text.words import fold, split_words


@dataclass(frozen=True)
class AlignSettings:
    seed_size: int = 3  # words per seed n-gram
    link_gap: int = 4  # most words between two seeds of one chain, on either side
    merge_gap: int = 12  # most words between two runs merged into one passage
    max_skew: int = 5  # most difference between the two gaps (text one side inserts)
    min_words: int = 8  # fewest shared (aligned) words in a passage
    min_common_words: int = 4  # of which this many are not proper names
    min_density: float = 0.4  # shared words / passage length, on the longer side
    min_satellite_words: int = 4  # fewest shared words of a shorter run beside a passage
    max_seed_occurrences: int = 40  # an n-gram this frequent in one article is not a seed


DEFAULT_SETTINGS = AlignSettings()


@dataclass(frozen=True, slots=True)
class Op:
    """One word-level edit inside a passage, with offsets into both original texts.
    `insert`: words only B has (the A span is empty); `delete`: words only A has."""

    op: str  # "equal" | "replace" | "insert" | "delete"
    a_start: int
    a_end: int
    b_start: int
    b_end: int

    def swapped(self) -> Op:
        kind = {"insert": "delete", "delete": "insert"}.get(self.op, self.op)
        return Op(kind, self.b_start, self.b_end, self.a_start, self.a_end)

    def to_json(self) -> dict:
        return {
            "op": self.op,
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
        }


@dataclass(frozen=True)
class Passage:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str
    score: float  # Dice similarity of the analysed words, 0..1
    shared_words: int  # analysed words aligned as equal
    ops: tuple[Op, ...]

    def swapped(self) -> Passage:
        return Passage(
            self.b_start,
            self.b_end,
            self.a_start,
            self.a_end,
            self.b_text,
            self.a_text,
            self.score,
            self.shared_words,
            tuple(o.swapped() for o in self.ops),
        )

    def to_json(self) -> dict:
        return {
            "a_start": self.a_start,
            "a_end": self.a_end,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "a_text": self.a_text,
            "b_text": self.b_text,
            "score": round(self.score, 4),
            "shared_words": self.shared_words,
            "ops": [o.to_json() for o in self.ops],
        }


@dataclass(frozen=True)
class Alignment:
    passages: tuple[Passage, ...]
    coverage_a: float  # share of A's words inside shared passages
    coverage_b: float

    def swapped(self) -> Alignment:
        flipped = sorted((p.swapped() for p in self.passages), key=_passage_order)
        return Alignment(tuple(flipped), self.coverage_b, self.coverage_a)


@dataclass(frozen=True)
class Side:
    """One article prepared for alignment."""

    text: str
    tokens: tuple[AlignToken, ...]
    counted: tuple[tuple[int, int], ...]  # (start, end) of the words coverage counts
    folded: tuple[str, ...]  # each counted word, folded
    paragraph: tuple[int, ...]  # the paragraph each counted word sits in


def prepare(article: Article, analyzer: Analyzer, terms: list[Term] | None = None) -> Side:
    """An article ready for alignment (`terms`: its analysed text, when known already)."""
    tokens = tuple(article_tokens(article, analyzer, terms))
    counted: list[tuple[int, int]] = []
    folded: list[str] = []
    paragraph: list[int] = []
    for p in article.paragraphs:
        if p.boilerplate or p.kind == Kind.META:
            continue
        for w in split_words(article.text[p.start : p.end]):
            counted.append((p.start + w.start, p.start + w.end))
            folded.append(w.folded)
            paragraph.append(p.index)
    return Side(article.text, tokens, tuple(counted), tuple(folded), tuple(paragraph))


def prepare_text(text: str, analyzer: Analyzer) -> Side:
    """A bare text as one article (no metadata, no boilerplate detection)."""
    from ..ingest.document import parse_article

    return prepare(parse_article("text", "text", text, analyzer.vocabulary), analyzer)


def align(
    a: Side, b: Side, analyzer: Analyzer, settings: AlignSettings = DEFAULT_SETTINGS
) -> Alignment:
    """The passages A and B share, in A's text order."""
    key_a, key_b = _canonical_key(a), _canonical_key(b)
    if key_a > key_b:
        return align(b, a, analyzer, settings).swapped()
    result = _align(a, b, analyzer, settings)
    if key_a == key_b:
        # Identical texts: every shared pair holds the other way round too.
        both = {*result.passages, *result.swapped().passages}
        result = Alignment(
            tuple(sorted(both, key=_passage_order)), result.coverage_a, result.coverage_b
        )
    return result


def _align(a: Side, b: Side, analyzer: Analyzer, settings: AlignSettings) -> Alignment:
    boxes = _chains(a.tokens, b.tokens, settings)
    if _canonical_key(a) == _canonical_key(b):
        # Identical texts share every segment whole, however repetitive (a text of one
        # word over and over has no usable seeds).
        boxes.extend(_segment_boxes(a.tokens))
    boxes = _merge(boxes, a.tokens, b.tokens, settings)
    runs = [r for box in boxes for r in _refine(box, a.tokens, b.tokens, settings)]
    kept = [r for r in runs if r.ok]
    # A short run next to a real passage on both sides (a sentence of a reordered copy) is
    # shared text too, though too short to count on its own.
    kept += [r for r in runs if not r.ok and any(_near(r.box, k.box, settings) for k in kept)]
    passages = _drop_contained([_passage(r, a, b, analyzer) for r in kept])
    passages.sort(key=_passage_order)
    return Alignment(tuple(passages), _coverage(a, passages, "a"), _coverage(b, passages, "b"))


def _canonical_key(side: Side) -> tuple:
    return (tuple(t.key for t in side.tokens), side.text)


def _passage_order(p: Passage) -> tuple[int, int, int, int]:
    return (p.a_start, p.b_start, p.a_end, p.b_end)


# -- 1 & 2: seeds and chains ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Box:
    a0: int  # token range [a0, a1) in A
    a1: int
    b0: int
    b1: int


def _ngrams(tokens: tuple[AlignToken, ...], n: int) -> dict[tuple[str, ...], list[int]]:
    grams: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(tokens) - n + 1):
        if tokens[i].segment != tokens[i + n - 1].segment:
            continue
        grams[tuple(t.key for t in tokens[i : i + n])].append(i)
    return grams


def _chains(ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...], s: AlignSettings) -> list[_Box]:
    n = s.seed_size
    grams_a = _ngrams(ta, n)
    grams_b = _ngrams(tb, n)
    seeds: list[tuple[int, int]] = []
    for gram, js in grams_b.items():
        is_ = grams_a.get(gram)
        if not is_ or len(is_) > s.max_seed_occurrences or len(js) > s.max_seed_occurrences:
            continue
        seeds.extend((i, j) for i in is_ for j in js)
    if not seeds:
        return []
    seeds.sort()
    parent = list(range(len(seeds)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_i: dict[int, list[int]] = defaultdict(list)
    for k, (i, _) in enumerate(seeds):
        by_i[i].append(k)
    reach = s.link_gap + n
    for k, (i, j) in enumerate(seeds):
        for di in range(1, reach + 1):
            for k2 in by_i.get(i + di, ()):
                j2 = seeds[k2][1]
                dj = j2 - j
                if (
                    0 < dj <= reach
                    and abs(di - dj) <= s.max_skew
                    and ta[i].segment == ta[i + di].segment
                    and tb[j].segment == tb[j2].segment
                ):
                    parent[find(k2)] = find(k)
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, seed in enumerate(seeds):
        groups[find(k)].append(seed)
    boxes = []
    for members in groups.values():
        a0 = min(i for i, _ in members)
        b0 = min(j for _, j in members)
        a1 = max(i for i, _ in members) + n
        b1 = max(j for _, j in members) + n
        boxes.append(_Box(a0, a1, b0, b1))
    return boxes


def _segment_boxes(tokens: tuple[AlignToken, ...]) -> list[_Box]:
    boxes: list[_Box] = []
    start = 0
    for k in range(1, len(tokens) + 1):
        if k == len(tokens) or tokens[k].segment != tokens[start].segment:
            boxes.append(_Box(start, k, start, k))
            start = k
    return boxes


# -- 3: merging -------------------------------------------------------------------------------


def _merge(
    boxes: list[_Box], ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...], s: AlignSettings
) -> list[_Box]:
    boxes = sorted(set(boxes), key=lambda x: (x.a0, x.b0, x.a1, x.b1))
    changed = True
    while changed:
        changed = False
        out: list[_Box] = []
        for box in boxes:
            for k, prev in enumerate(out):
                if _mergeable(prev, box, ta, tb, s):
                    out[k] = _Box(
                        min(prev.a0, box.a0),
                        max(prev.a1, box.a1),
                        min(prev.b0, box.b0),
                        max(prev.b1, box.b1),
                    )
                    changed = True
                    break
            else:
                out.append(box)
        boxes = sorted(set(out), key=lambda x: (x.a0, x.b0, x.a1, x.b1))
    return boxes


def _mergeable(
    x: _Box, y: _Box, ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...], s: AlignSettings
) -> bool:
    # Order the two boxes by position; they must keep that order on both sides.
    first, second = (x, y) if (x.a0, x.b0) <= (y.a0, y.b0) else (y, x)
    gap_a = second.a0 - first.a1
    gap_b = second.b0 - first.b1
    overlap = -s.seed_size
    if gap_a < overlap or gap_b < overlap:
        return False
    if max(gap_a, gap_b) > s.merge_gap or abs(gap_a - gap_b) > s.max_skew:
        return False
    lo_a, hi_a = min(first.a1, second.a0), max(first.a1, second.a0)
    lo_b, hi_b = min(first.b1, second.b0), max(first.b1, second.b0)
    seg_a = {ta[k].segment for k in range(max(lo_a - 1, 0), min(hi_a + 1, len(ta)))}
    seg_b = {tb[k].segment for k in range(max(lo_b - 1, 0), min(hi_b + 1, len(tb)))}
    return len(seg_a) == 1 and len(seg_b) == 1


# -- 4: refinement ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Refined:
    box: _Box
    shared: int
    common: int  # shared words that are not names
    ok: bool  # long enough to be a passage on its own


_EDGE = 2  # most unmatched words crossed to take in a match just outside the seeds


def _widen_box(
    box: _Box, ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...], reach: int
) -> _Box:
    """The box grown by `reach` words at each end, within its segments: seeds cannot see a
    match that closes a passage after a changed word ("masa penuh kacau" / "masa kacau")."""

    def grow(tokens: tuple[AlignToken, ...], lo: int, hi: int) -> tuple[int, int]:
        first, last = tokens[lo].segment, tokens[hi - 1].segment
        new_lo, new_hi = lo, hi
        while new_lo > 0 and lo - new_lo < reach and tokens[new_lo - 1].segment == first:
            new_lo -= 1
        while new_hi < len(tokens) and new_hi - hi < reach and tokens[new_hi].segment == last:
            new_hi += 1
        return new_lo, new_hi

    a0, a1 = grow(ta, box.a0, box.a1)
    b0, b1 = grow(tb, box.b0, box.b1)
    return _Box(a0, a1, b0, b1)


def _trim_edges(
    blocks: list, core: _Box, box: _Box, ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...]
) -> list:
    """Drop matches found only in the widened margin unless they sit close to the rest and
    in the same paragraphs."""

    def in_margin(m) -> bool:
        a0, b0 = box.a0 + m.a, box.b0 + m.b
        return a0 + m.size <= core.a0 or b0 + m.size <= core.b0 or a0 >= core.a1 or b0 >= core.b1

    def far(first, second) -> bool:
        end_a, end_b = box.a0 + first.a + first.size - 1, box.b0 + first.b + first.size - 1
        start_a, start_b = box.a0 + second.a, box.b0 + second.b
        return (
            second.a - (first.a + first.size) > _EDGE
            or second.b - (first.b + first.size) > _EDGE
            or ta[end_a].paragraph != ta[start_a].paragraph
            or tb[end_b].paragraph != tb[start_b].paragraph
        )

    while len(blocks) > 1 and in_margin(blocks[0]) and far(blocks[0], blocks[1]):
        blocks = blocks[1:]
    while len(blocks) > 1 and in_margin(blocks[-1]) and far(blocks[-2], blocks[-1]):
        blocks = blocks[:-1]
    return blocks


_TAIL = 2  # most words of a paragraph's end (or start) dropped from a passage's edge


def _trim_paragraph_tails(
    run: list, box: _Box, ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...]
) -> list:
    """A passage should not open with the last word or two of the paragraph before it (nor
    close with the first words of the next) when that paragraph goes on unshared."""
    from difflib import Match

    def goes_on(tokens: tuple[AlignToken, ...], i: int, step: int) -> bool:
        j = i + step
        return 0 <= j < len(tokens) and tokens[j].paragraph == tokens[i].paragraph

    first = run[0]
    a, b = box.a0 + first.a, box.b0 + first.b
    for k in range(1, min(_TAIL, first.size - 1) + 1):
        if ta[a + k].paragraph != ta[a].paragraph and tb[b + k].paragraph != tb[b].paragraph:
            if goes_on(ta, a, -1) or goes_on(tb, b, -1):
                run = [Match(first.a + k, first.b + k, first.size - k), *run[1:]]
            break
    last = run[-1]
    a, b = box.a0 + last.a + last.size - 1, box.b0 + last.b + last.size - 1
    for k in range(1, min(_TAIL, last.size - 1) + 1):
        if ta[a - k].paragraph != ta[a].paragraph and tb[b - k].paragraph != tb[b].paragraph:
            if goes_on(ta, a, 1) or goes_on(tb, b, 1):
                run = [*run[:-1], Match(last.a, last.b, last.size - k)]
            break
    return run


def _refine(
    core: _Box, ta: tuple[AlignToken, ...], tb: tuple[AlignToken, ...], s: AlignSettings
) -> list[_Refined]:
    box = _widen_box(core, ta, tb, s.link_gap)
    keys_a = [t.key for t in ta[box.a0 : box.a1]]
    keys_b = [t.key for t in tb[box.b0 : box.b1]]
    blocks = [
        m
        for m in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_matching_blocks()
        if m.size
    ]
    blocks = _trim_edges(blocks, core, box, ta, tb)
    # Split where one side inserts a long stretch the other lacks.
    runs: list[list] = []
    for m in blocks:
        if runs:
            last = runs[-1][-1]
            gap_a = m.a - (last.a + last.size)
            gap_b = m.b - (last.b + last.size)
            if max(gap_a, gap_b) <= s.merge_gap and abs(gap_a - gap_b) <= s.max_skew:
                runs[-1].append(m)
                continue
        runs.append([m])
    out: list[_Refined] = []
    for run in runs:
        run = _trim_paragraph_tails(run, box, ta, tb)
        a0 = box.a0 + run[0].a
        b0 = box.b0 + run[0].b
        a1 = box.a0 + run[-1].a + run[-1].size
        b1 = box.b0 + run[-1].b + run[-1].size
        shared = sum(m.size for m in run)
        common = sum(
            1
            for m in run
            for k in range(m.size)
            if not (ta[box.a0 + m.a + k].name and tb[box.b0 + m.b + k].name)
        )
        longest = max(a1 - a0, b1 - b0)
        if shared < s.min_satellite_words or shared / longest < s.min_density:
            continue
        ok = shared >= s.min_words and common >= s.min_common_words
        if ok or common >= min(s.min_common_words, s.min_satellite_words):
            out.append(_Refined(_Box(a0, a1, b0, b1), shared, common, ok))
    return out


def _near(x: _Box, y: _Box, s: AlignSettings) -> bool:
    gap_a = max(x.a0, y.a0) - min(x.a1, y.a1)
    gap_b = max(x.b0, y.b0) - min(x.b1, y.b1)
    return gap_a <= s.merge_gap and gap_b <= s.merge_gap


def _drop_contained(passages: list[Passage]) -> list[Passage]:
    """A passage lying inside another on both sides adds nothing."""
    keep: list[Passage] = []
    ordered = sorted(passages, key=lambda p: -(p.a_end - p.a_start + p.b_end - p.b_start))
    for p in ordered:
        if any(
            q.a_start <= p.a_start
            and p.a_end <= q.a_end
            and q.b_start <= p.b_start
            and p.b_end <= q.b_end
            for q in keep
        ):
            continue
        keep.append(p)
    return keep


# -- passages, operations, coverage -----------------------------------------------------------

_OPEN = "“\"'‘(«["
_CLOSE = "”\"'’)».,;:!?…]"


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the quotation marks and punctuation that hug the passage's first and last
    words, so the passage reads as the sentence it is."""
    while start > 0 and text[start - 1] in _OPEN:
        start -= 1
    while end < len(text) and text[end] in _CLOSE:
        end += 1
    return start, end


def _grow(
    a: Side, b: Side, a_start: int, a_end: int, b_start: int, b_end: int
) -> tuple[int, int, int, int]:
    """Extend both edges word by word while the two articles agree there (stop words the
    term alignment skipped), never past the paragraph the edge sits in."""
    i = bisect_left(a.counted, (a_start, -1))
    j = bisect_left(b.counted, (b_start, -1))
    while (
        i > 0
        and j > 0
        and a.folded[i - 1] == b.folded[j - 1]
        and a.paragraph[i - 1] == a.paragraph[i]
        and b.paragraph[j - 1] == b.paragraph[j]
    ):
        i -= 1
        j -= 1
    if i < len(a.counted) and j < len(b.counted):
        a_start, b_start = a.counted[i][0], b.counted[j][0]
    i = bisect_left(a.counted, (a_end, -1)) - 1
    j = bisect_left(b.counted, (b_end, -1)) - 1
    if i >= 0 and j >= 0 and a.counted[i][1] == a_end and b.counted[j][1] == b_end:
        while (
            i + 1 < len(a.counted)
            and j + 1 < len(b.counted)
            and a.folded[i + 1] == b.folded[j + 1]
            and a.paragraph[i + 1] == a.paragraph[i]
            and b.paragraph[j + 1] == b.paragraph[j]
        ):
            i += 1
            j += 1
        a_end, b_end = a.counted[i][1], b.counted[j][1]
    return a_start, a_end, b_start, b_end


def _passage(r: _Refined, a: Side, b: Side, analyzer: Analyzer) -> Passage:
    box = r.box
    a_start, a_end, b_start, b_end = _grow(
        a,
        b,
        a.tokens[box.a0].start,
        a.tokens[box.a1 - 1].end,
        b.tokens[box.b0].start,
        b.tokens[box.b1 - 1].end,
    )
    a_start, a_end = _widen(a.text, a_start, a_end)
    b_start, b_end = _widen(b.text, b_start, b_end)
    len_a, len_b = box.a1 - box.a0, box.b1 - box.b0
    score = 2 * r.shared / (len_a + len_b)
    ops = word_ops(a.text, a_start, a_end, b.text, b_start, b_end, analyzer)
    return Passage(
        a_start,
        a_end,
        b_start,
        b_end,
        a.text[a_start:a_end],
        b.text[b_start:b_end],
        score,
        r.shared,
        ops,
    )


def word_ops(
    text_a: str, a_start: int, a_end: int, text_b: str, b_start: int, b_end: int, analyzer: Analyzer
) -> tuple[Op, ...]:
    """Word-level edit operations between two spans. Words are matched on their analysed
    form; where matched words are spelt differently ("Tiongkok"/"China", "terbaiknya"/
    "terbaik") the operation is a replace, so a reader sees every change of wording."""
    units_a = analyzer.terms(text_a[a_start:a_end], a_start)
    units_b = analyzer.terms(text_b[b_start:b_end], b_start)
    keys_a = [u.text for u in units_a]
    keys_b = [u.text for u in units_b]
    ops: list[Op] = []

    def span(units, lo: int, hi: int, anchor: int) -> tuple[int, int]:
        if lo == hi:
            return anchor, anchor
        return units[lo].start, units[hi - 1].end

    def anchor(units, lo: int, base: int) -> int:
        return units[lo - 1].end if lo > 0 else base

    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            sa = span(units_a, i1, i2, anchor(units_a, i1, a_start))
            sb = span(units_b, j1, j2, anchor(units_b, j1, b_start))
            ops.append(Op(tag, sa[0], sa[1], sb[0], sb[1]))
            continue
        k = 0
        while k < i2 - i1:
            same = _same_surface(text_a, units_a[i1 + k], text_b, units_b[j1 + k])
            m = k
            while (
                m < i2 - i1
                and _same_surface(text_a, units_a[i1 + m], text_b, units_b[j1 + m]) == same
            ):
                m += 1
            ops.append(
                Op(
                    "equal" if same else "replace",
                    units_a[i1 + k].start,
                    units_a[i1 + m - 1].end,
                    units_b[j1 + k].start,
                    units_b[j1 + m - 1].end,
                )
            )
            k = m
    return tuple(ops)


def _same_surface(text_a: str, ua, text_b: str, ub) -> bool:
    return fold(" ".join(text_a[ua.start : ua.end].split())) == fold(
        " ".join(text_b[ub.start : ub.end].split())
    )


def _coverage(side: Side, passages: list[Passage], which: str) -> float:
    if not side.counted:
        return 0.0
    merged = merge_spans(
        (p.a_start, p.a_end) if which == "a" else (p.b_start, p.b_end) for p in passages
    )
    covered = 0
    k = 0
    for start, end in side.counted:  # in text order
        while k < len(merged) and merged[k][1] < end:
            k += 1
        if k < len(merged) and merged[k][0] <= start:
            covered += 1
    return covered / len(side.counted)
