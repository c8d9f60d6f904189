"""Passage alignment: which passages two articles share, and where their wording differs.

The shape is the one passim, TextPAIR and the PAN text-alignment systems share, over analysed
terms (stems, variant spellings joined, so "kerja sama"/"kerjasama" and "Tiongkok"/"China"
agree):
  1. anchors: every pair of equal terms, one in each article, unless the term is so frequent
     in the two that it would pair with everything;
  2. chains: anchors in the same order in both articles, linked across gaps and scored like a
     local alignment (each anchor adds, each skipped word costs), so a reworded passage (a
     synonym every third word, a changed clause) stays one chain where runs of exact n-grams
     would break it apart;
  3. merging: where two chains claim the same words, the one with more anchors there keeps
     them; then chains close together in both articles join into one passage, across
     paragraph breaks and in whatever order when the pieces are short (words shuffled about),
     but never across boilerplate nor across a whole paragraph only one article has (and a
     few words a jumbled join took in past unshared text at a passage's edge are let go);
  4. selection: the strongest passages are taken first and a weaker one gives up what it shares
     with them, so no text is in two passages of one pair, and every passage has min_words
     shared words;
  5. passages: the edges take in the matching words next to them and the punctuation around
     them, and a word-level diff yields the edit operations a side-by-side view needs.
Every step is deterministic over the pair, and the two articles are put in a canonical order
first, so comparing B with A gives exactly the mirror of comparing A with B.

`equivalents` (term → key) makes more terms equal than the analyzer does: the substitutions
learned from the corpus (see learned.py). They anchor like equal words and show as `replace`.
"""

from __future__ import annotations

import difflib
import heapq
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from math import sqrt

from ..model import Article, Kind, merge_spans
from ..text.analysis import Analyzer, Term
from ..text.tokens import AlignToken, article_tokens
from ..text.words import fold, split_words
from .stock import stock_spans


@dataclass(frozen=True)
class AlignSettings:
    min_words: int = 8  # fewest shared words in a passage
    min_common_words: int = 4  # of which this many are not proper names or numbers
    max_pairs: int = 60  # a term found (in A) × (in B) more often than this is no anchor
    max_gap: int = 24  # most words either article skips between two linked anchors
    min_link: float = 0.5  # score a chain's start must keep after the gap to the next anchor
    # Chain score lost per skipped word (mean of the two articles), in units of the distance
    # at which two words of the pair match by chance: in a pair of long texts on unrelated
    # subjects a gap of a sentence is still telling, in two reports of one event it is not.
    gap_cost: float = 3.5
    skew_cost: float = 0.3  # per word one article skips more than the other, per gap cost
    min_chain: float = 3.0  # a chain scoring less is chance (3 words in a row score 3)
    merge_gap: int = 24  # most words between two chains joined into one passage
    min_score: float = 6.0  # chain score a passage needs (8 words in a row score 8)
    min_density: float = 0.2  # shared words / passage length, on the longer side
    # A passage with less than this share of its words shared (its score) needs loose_words
    # shared words: reports of two road accidents shared "korban ... dibawa ke rumah sakit
    # ... untuk" across unrelated sentences (score 0.17). On 2,000 CLICK-ID articles this
    # drops 116 of 1,684 pairs, reports of one event in other words or of other events; the
    # text-reuse set's looser passages (0.28 to 0.5) share 15 words or more (plagdet as
    # before).
    loose_score: float = 0.5
    loose_words: int = 15


DEFAULT_SETTINGS = AlignSettings()
# Raised with every change to what the rules below align: pairs kept from an earlier run
# (store/overlaps_cache.py) are aligned again. 2: capitalised words count as names; 3: a
# passage's edges are words both sides have; 4: its shared words are those it shows; 5:
# names between two anchors are names too; 6: a loose passage needs 15 shared words; 7: a
# figure is one unit in the word operations.
RULES = 7
_NO_EQUIVALENTS: Mapping[str, str] = {}  # one object, so that a side's words are kept for it


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
    tokens: tuple[AlignToken, ...]  # as the build files its shingles from (see `related`)
    paragraphs: tuple[tuple[int, int, int], ...]  # (start, end, index) of those counted
    # Each token's standing: True for a word that may extend a passage but never make one
    # (a name or number, a word of a stock phrase, a word in capitals in mid-sentence).
    weak: tuple[bool, ...]

    @cached_property
    def starts(self) -> list[int]:
        """Each token's start, for bisection."""
        return [t.start for t in self.tokens]

    # The words coverage counts are split only when asked for: a corpus-wide run aligns
    # most sides with nothing and never needs them.
    @cached_property
    def _counted_words(
        self,
    ) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[int, ...]]:
        counted: list[tuple[int, int]] = []
        folded: list[str] = []
        paragraph: list[int] = []
        for start, end, index in self.paragraphs:
            for w in split_words(self.text[start:end]):
                counted.append((start + w.start, start + w.end))
                folded.append(w.folded)
                paragraph.append(index)
        return tuple(counted), tuple(folded), tuple(paragraph)

    @property
    def counted(self) -> tuple[tuple[int, int], ...]:
        """(start, end) of the words coverage counts."""
        return self._counted_words[0]

    @property
    def folded(self) -> tuple[str, ...]:
        """Each counted word, folded."""
        return self._counted_words[1]

    @property
    def paragraph(self) -> tuple[int, ...]:
        """The paragraph each counted word sits in."""
        return self._counted_words[2]


def prepare(article: Article, analyzer: Analyzer, terms: list[Term] | None = None) -> Side:
    """An article ready for alignment (`terms`: its analysed text, when known already).
    The words of stock phrases ("dalam keterangan tertulis yang diterima …", see stock.py)
    count as names: they may extend a passage but never make one."""
    tokens = tuple(article_tokens(article, analyzer, terms))
    weak = [t.name for t in tokens]
    _stock_as_names(article.text, tokens, weak)
    _capitals_as_names(article.text, tokens, weak)
    paragraphs = tuple(
        (p.start, p.end, p.index)
        for p in article.paragraphs
        if not (p.boilerplate or p.kind == Kind.META)
    )
    return Side(article.text, tokens, paragraphs, tuple(weak))


def _stock_as_names(text: str, tokens: tuple[AlignToken, ...], weak: list[bool]) -> None:
    spans = stock_spans(text, 0, len(text))
    if not spans:
        return
    ends = [e for _, e in spans]
    for n, t in enumerate(tokens):
        k = bisect_right(ends, t.start)
        if k < len(spans) and spans[k][0] <= t.start:
            weak[n] = True


_BEFORE_WORD = " \t\"“”'‘’(,"  # what may stand between a sentence's end and its first word


def _capitals_as_names(text: str, tokens: tuple[AlignToken, ...], weak: list[bool]) -> None:
    """Words written with a capital letter in mid-sentence count as names where they are so
    written: an institution, a law, a person's title ("Pengadilan Negeri Jakarta Pusat",
    "Undang-Undang Nomor 30 Tahun 2002 tentang Komisi Pemberantasan Tindak Pidana
    Korupsi") shared word for word made a passage of two unrelated reports (a QA pass: 8
    of the 10 least covered pairs of 2,000 CLICK-ID articles)."""
    for n, t in enumerate(tokens):
        if not weak[n] and text[t.start].isupper():
            i = t.start - 1
            while i >= 0 and text[i] in _BEFORE_WORD:
                i -= 1
            if i >= 0 and text[i] not in ".!?:;\n\r–—-•":
                weak[n] = True


def prepare_text(text: str, analyzer: Analyzer) -> Side:
    """A bare text as one article (no metadata, no boilerplate detection)."""
    from ..ingest.document import parse_article

    return prepare(parse_article("text", "text", text, analyzer.vocabulary), analyzer)


def align(
    a: Side,
    b: Side,
    analyzer: Analyzer,
    settings: AlignSettings = DEFAULT_SETTINGS,
    equivalents: Mapping[str, str] | None = None,
) -> Alignment:
    """The passages A and B share, in A's text order (`equivalents`: more terms to treat
    as equal, term → key)."""
    key_a, key_b = _canonical_key(a), _canonical_key(b)
    if key_a > key_b:
        return align(b, a, analyzer, settings, equivalents).swapped()
    result = _align(a, b, analyzer, settings, equivalents or _NO_EQUIVALENTS, key_a == key_b)
    if key_a == key_b:
        # Identical texts: every shared pair holds the other way round too.
        both = {*result.passages, *result.swapped().passages}
        result = Alignment(
            tuple(sorted(both, key=_passage_order)), result.coverage_a, result.coverage_b
        )
    return result


def _align(
    a: Side,
    b: Side,
    analyzer: Analyzer,
    settings: AlignSettings,
    same: Mapping[str, str],
    identical: bool,
) -> Alignment:
    x, y = _words(a, same), _words(b, same)
    passages = _aligned(a, b, x, y, analyzer, settings, same, identical)
    if same and _substitutes(x, y):
        # A learned substitution may only add to what the terms alone align: more anchors
        # make other chains win, and a passage copied word for word was lost (or split)
        # next to a substituted word. Of the two alignments the one sharing more words is
        # kept, with the other's passages that overlap none of its own.
        no = _NO_EQUIVALENTS
        plain = _aligned(a, b, _words(a, no), _words(b, no), analyzer, settings, no, identical)
        passages = _with_untouched(passages, plain)
    return Alignment(tuple(passages), _coverage(a, passages, "a"), _coverage(b, passages, "b"))


def _aligned(
    a: Side,
    b: Side,
    x: _Words,
    y: _Words,
    analyzer: Analyzer,
    settings: AlignSettings,
    same: Mapping[str, str],
    identical: bool,
) -> list[Passage]:
    chains = _contest([_Block.of([c.pairs], c.score) for c in _chains(x, y, settings)], settings)
    blocks = _trim_strays(_merge(chains, x, y, settings))
    blocks = _cut_inserts(blocks, x, y, settings)
    if identical:
        # Identical texts share every segment whole, however repetitive (a text of one word
        # over and over has no usable anchors).
        blocks = _segment_blocks(x) + blocks
    boxes = _select(blocks, x, y, settings)
    return _passages(boxes, a, b, analyzer, same, settings)


def _substitutes(x: _Words, y: _Words) -> bool:
    """Whether a learned substitution pairs a term of A with another term of B."""
    for key, is_ in x.substituted.items():
        js = y.substituted.get(key)
        if js and len({x.base_keys[i] for i in is_} | {y.base_keys[j] for j in js}) > 1:
            return True
    return False


def _with_untouched(one: list[Passage], other: list[Passage]) -> list[Passage]:
    """The passages of whichever list shares more words (`one` on a tie), with those of the
    other that overlap none of them in either article."""
    if sum(p.shared_words for p in other) > sum(p.shared_words for p in one):
        one, other = other, one

    def clear(p: Passage) -> bool:
        return all(
            p.a_end <= q.a_start
            or q.a_end <= p.a_start
            or p.b_end <= q.b_start
            or q.b_end <= p.b_start
            for q in one
        )

    return sorted([*one, *(p for p in other if clear(p))], key=_passage_order)


def _canonical_key(side: Side) -> tuple:
    # Kept on the side: a corpus-wide run aligns one article with many others.
    key = side.__dict__.get("_canonical_key")
    if key is None:
        key = (tuple(t.key for t in side.tokens), side.text)
        object.__setattr__(side, "_canonical_key", key)
    return key


def _words(side: Side, same: Mapping[str, str]) -> _Words:
    """The side's words for `same` (the last two asked for are kept on the side: an
    aligner uses one set of substitutions throughout, and aligns without it too)."""
    kept: dict[int, tuple[Mapping[str, str], _Words]] = side.__dict__.get("_words", {})
    found = kept.get(id(same))
    if found is not None and found[0] is same:
        return found[1]
    words = _Words.of(side.tokens, side.weak, same)
    if len(kept) >= 2:  # with substitutions and without
        kept = {}
    object.__setattr__(side, "_words", {**kept, id(same): (same, words)})
    return words


def _passage_order(p: Passage) -> tuple[int, int, int, int]:
    return (p.a_start, p.b_start, p.a_end, p.b_end)


@dataclass(frozen=True)
class _Words:
    """One article's analysed words as plain lists (the inner loops index them a lot)."""

    tokens: tuple[AlignToken, ...]
    weak: tuple[bool, ...]  # see Side.weak
    keys: list[str]  # each word's analysed term, or its learned substitution's key
    base_keys: list[str]  # each word's analysed term
    segment: list[int]
    paragraph: list[int]
    base_where: dict[str, list[int]]  # term -> its positions
    substituted: dict[str, list[int]]  # a substitution's key -> the positions it takes
    paragraphs: dict[int, tuple[int, int]]  # paragraph -> its words [start, end)

    @classmethod
    def of(
        cls, tokens: tuple[AlignToken, ...], weak: tuple[bool, ...], same: Mapping[str, str]
    ) -> _Words:
        base = [t.key for t in tokens]
        where: dict[str, list[int]] = defaultdict(list)
        substituted: dict[str, list[int]] = defaultdict(list)
        paragraphs: dict[int, tuple[int, int]] = {}
        for k, t in enumerate(tokens):
            where[base[k]].append(k)
            paragraphs[t.paragraph] = (paragraphs.get(t.paragraph, (k, k))[0], k + 1)
        keys = base
        if same:
            keys = [same.get(key, key) for key in base]
            groups = set(same.values())  # a group's key is one of its terms
            for k, key in enumerate(keys):
                if key in groups:
                    substituted[key].append(k)
        return cls(
            tokens,
            weak,
            keys,
            base,
            [t.segment for t in tokens],
            [t.paragraph for t in tokens],
            dict(where),
            dict(substituted),
            paragraphs,
        )

    def skips_paragraph(self, lo: int, hi: int) -> bool:
        """Whether the words strictly between positions lo and hi hold a whole paragraph."""
        if hi - lo < 2:
            return False
        first, last = self.paragraph[lo], self.paragraph[hi]
        return any(self.paragraph[k] not in (first, last) for k in range(lo + 1, hi))


# -- 1 & 2: anchors and chains ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Chain:
    pairs: tuple[tuple[int, int], ...]  # (position in A, position in B), both increasing
    score: float


def _anchors(
    x: _Words, y: _Words, s: AlignSettings
) -> tuple[list[tuple[int, int, float]], list[int], list[int], int]:
    """The anchors, sorted; for each word of A and of B its rank among the words that are
    not too frequent (distances count those only, as they count no stop words); and how
    many anchors the analysed terms alone make.

    Learned substitutions (`equivalents`) only add anchors: which words are too frequent,
    the ranks and the count that sets the gap cost (see `_chains`) are those of the terms
    alone, so that a substitution common in both articles ("kata" for "ujar") cannot make
    every gap dearer and break a passage copied word for word."""
    out: list[tuple[int, int, float]] = []
    frequent: set[str] = set()
    for key, is_ in x.base_where.items():
        js = y.base_where.get(key)
        if js is None:
            continue
        if len(is_) * len(js) > s.max_pairs:
            frequent.add(key)
            continue
        _pair(out, x, y, is_, js)
    plain = len(out)
    if x.substituted and y.substituted:
        for key, is_ in x.substituted.items():
            js = y.substituted.get(key)
            if js is None:
                continue
            # A term of A and another of B the substitution makes equal, unless the pair
            # of terms is too frequent (as their own terms would be).
            for ka in {x.base_keys[i] for i in is_}:
                ia = x.base_where[ka]
                for kb in {y.base_keys[j] for j in js}:
                    jb = y.base_where[kb]
                    if ka != kb and len(ia) * len(jb) <= s.max_pairs:
                        _pair(out, x, y, ia, jb)
    out.sort()
    return out, _ranks(x.base_keys, frequent), _ranks(y.base_keys, frequent), plain


def _pair(
    out: list[tuple[int, int, float]], x: _Words, y: _Words, is_: list[int], js: list[int]
) -> None:
    for i in is_:
        ti = x.tokens[i]
        for j in js:
            tj = y.tokens[j]
            # A name or number says less than a word (unrelated stories share them); a
            # repeated paragraph loses ties to the text it repeats.
            w = 0.5 if x.weak[i] and y.weak[j] else 1.0
            if ti.repeat or tj.repeat:
                w *= 0.9
            out.append((i, j, w))


def _ranks(keys: list[str], skip: set[str]) -> list[int]:
    out = []
    rank = 0
    for key in keys:
        out.append(rank)
        if key not in skip:
            rank += 1
    return out


def _chains(x: _Words, y: _Words, s: AlignSettings) -> list[_Chain]:
    """Best-scoring ordered runs of anchors (the chaining step of minimap2 or BLAST: a local
    alignment over anchors rather than over every pair of words)."""
    anchors, rank_a, rank_b, plain = _anchors(x, y, s)
    n = len(anchors)
    score = [0.0] * n
    back = [-1] * n
    reach = s.max_gap + 1
    seg_a, seg_b = x.segment, y.segment
    # The chance that two words, one of each article, pair up: 1 / its square root is how far
    # apart (in both articles) anchors fall when nothing is shared.
    chance = plain / max(1, (rank_a[-1] + 1) * (rank_b[-1] + 1)) if n else 0.0
    gap_cost = s.gap_cost * sqrt(chance)
    skew_cost = s.skew_cost * gap_cost
    # Anchors by their word of A, each list sorted by the word of B, so that the candidates
    # to precede an anchor are found by bisection rather than by trying every close anchor.
    at_i: dict[int, tuple[list[int], list[int]]] = {}
    for k, (i, j, _) in enumerate(anchors):
        at_i.setdefault(i, ([], []))
        at_i[i][0].append(j)
        at_i[i][1].append(k)
    positions = sorted(at_i)
    slot = {i: m for m, i in enumerate(positions)}
    # The first word of B within reach of each word of B.
    first_b: list[int] = []
    lo = 0
    for j in range(len(rank_b)):
        while rank_b[j] - rank_b[lo] > reach:
            lo += 1
        first_b.append(lo)
    half = gap_cost / 2
    # The best score of an anchor at each word of A: a link from there costs at least
    # half * (di + 1 - 2), so a word whose best cannot beat the link in hand is skipped.
    top: dict[int, float] = dict.fromkeys(positions, float("-inf"))
    for k in range(n):
        i, j, w = anchors[k]
        ri, rj = rank_a[i], rank_b[j]
        best, arg = s.min_link, -1
        j_lo = first_b[j]
        sa, sb = seg_a[i], seg_b[j]
        m = slot[i] - 1
        while m >= 0:
            i2 = positions[m]
            di = ri - rank_a[i2]
            if di > reach:
                break
            m -= 1
            if seg_a[i2] != sa or top[i2] - half * (di - 1) <= best:
                continue  # another segment, or no anchor there can beat the best link yet
            js, ks = at_i[i2]
            c = bisect_left(js, j_lo)
            while c < len(js) and js[c] < j:
                j2, k2 = js[c], ks[c]
                c += 1
                dj = rj - rank_b[j2]
                v = score[k2] - half * (di + dj - 2) - skew_cost * (di - dj if di > dj else dj - di)
                if v <= best or seg_b[j2] != sb:
                    continue
                if (dj <= 3 and x.skips_paragraph(i2, i)) or (di <= 3 and y.skips_paragraph(j2, j)):
                    continue
                best, arg = v, k2
        score[k] = best + w
        back[k] = arg
        if score[k] > top[i]:
            top[i] = score[k]
    chains: list[_Chain] = []
    used = [False] * n
    for k in sorted(range(n), key=lambda k: (-score[k], k)):
        if score[k] < s.min_chain:
            break  # no chain from here on can score more than its last anchor: all chance
        if used[k]:
            continue
        members = []
        m = k
        while m != -1 and not used[m]:
            used[m] = True
            members.append(m)
            m = back[m]
        members.reverse()
        # The chain ends where a weak tail would add less than a link must bring.
        end = next(t for t, m2 in enumerate(members) if score[m2] >= score[k] - s.min_link)
        members = members[: end + 1]
        total = score[members[-1]] - (score[m] if m != -1 else 0.0)
        chains.append(_Chain(tuple(anchors[m2][:2] for m2 in members), total))
    return chains


# -- 3: merging -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    chains: tuple[tuple[tuple[int, int], ...], ...]  # its chains' anchors, each in order
    score: float
    a0: int  # word range [a0, a1) in A
    a1: int
    b0: int
    b1: int

    @classmethod
    def of(cls, chains, score: float) -> _Block:
        chains = tuple(sorted(tuple(c) for c in chains if c))
        is_ = [i for c in chains for i, _ in c]
        js = [j for c in chains for _, j in c]
        return cls(chains, score, min(is_), max(is_) + 1, min(js), max(js) + 1)

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return [pair for c in self.chains for pair in c]


def _mergeable(p: _Block, q: _Block, x: _Words, y: _Words, s: AlignSettings) -> bool:
    gap_a = max(p.a0, q.a0) - min(p.a1, q.a1)
    gap_b = max(p.b0, q.b0) - min(p.b1, q.b1)
    if gap_a > s.merge_gap or gap_b > s.merge_gap:
        return False
    if (
        x.segment[min(p.a0, q.a0)] != x.segment[max(p.a1, q.a1) - 1]
        or y.segment[min(p.b0, q.b0)] != y.segment[max(p.b1, q.b1) - 1]
    ):
        return False
    first, second = (p, q) if p.a0 <= q.a0 else (q, p)
    if first.a1 <= second.a0 and second.b1 <= first.b0:
        # Two stretches in the opposite order: one jumbled block when the pieces are short
        # (words shuffled about), two passages when each reads on its own.
        return min(len(first.pairs), len(second.pairs)) < _SHUFFLED_PIECE
    if first.a1 <= second.a0 and first.b1 <= second.b0:
        # A paragraph one article inserts between two shared stretches is part of neither.
        if gap_b <= 2 and x.skips_paragraph(first.a1 - 1, second.a0):
            return False
        if gap_a <= 2 and y.skips_paragraph(first.b1 - 1, second.b0):
            return False
    return True


def _merge(blocks: list[_Block], x: _Words, y: _Words, s: AlignSettings) -> list[_Block]:
    while True:
        blocks.sort(key=lambda q: (q.a0, q.b0, q.a1, q.b1))
        parent = list(range(len(blocks)))
        for k, p in enumerate(blocks):
            for m in range(k + 1, len(blocks)):
                q = blocks[m]
                if q.a0 - p.a1 > s.merge_gap:
                    break
                if _find(parent, k) != _find(parent, m) and _mergeable(p, q, x, y, s):
                    parent[_find(parent, m)] = _find(parent, k)
        groups: dict[int, list[_Block]] = defaultdict(list)
        for k, p in enumerate(blocks):
            groups[_find(parent, k)].append(p)
        if len(groups) == len(blocks):
            return blocks
        blocks = [
            _Block.of([c for q in g for c in q.chains], sum(q.score for q in g))
            for g in groups.values()
        ]


def _trim_strays(blocks: list[_Block]) -> list[_Block]:
    """Blocks without the few words a jumbled merge took in past a stretch of unshared
    text at one end, in the wrong order for the rest (a word of A's last line that is also
    B's first): they are chance, and kept they would stretch the passage over that text,
    and take from a passage beside it the words the stretch covers."""
    out = []
    for block in blocks:
        while len(block.chains) > 1:
            stray = _stray(block.pairs)
            if not stray:
                break
            total = len(block.pairs)
            kept = [[p for p in c if p not in stray] for c in block.chains]
            kept = [c for c in kept if c]
            block = _Block.of(kept, block.score * sum(map(len, kept)) / total)
        out.append(block)
    return out


def _stray(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The fewest pairs at one end of either article that lie past a stretch of unshared
    words and in the wrong order for the rest, if fewer than the rest."""
    best: list[tuple[int, int]] = []
    for side in (0, 1):
        ordered = sorted(pairs, key=lambda p: (p[side], p[1 - side]))
        for head in (True, False):
            run = ordered if head else ordered[::-1]
            for m in range(1, min(len(run), _SHUFFLED_PIECE)):
                gap = abs(run[m][side] - run[m - 1][side]) - 1
                if gap <= _CONTEST_GAP:
                    continue
                group, rest = run[:m], run[m:]
                other = [p[1 - side] for p in rest]
                wrong = (
                    all(p[1 - side] > max(other) for p in group)
                    if head
                    else all(p[1 - side] < min(other) for p in group)
                )
                if wrong and len(group) < len(rest) and (not best or len(group) < len(best)):
                    best = group
                break
    return set(best)


def _cut_inserts(blocks: list[_Block], x: _Words, y: _Words, s: AlignSettings) -> list[_Block]:
    """Blocks split where one article has a whole paragraph the other lacks: at most a stray
    word of it matches, and the other article goes straight on across it."""
    out: list[_Block] = []
    todo = list(blocks)
    while todo:
        block = todo.pop()
        cut = _insert(block, x, 0, s) or _insert(block, y, 1, s)
        if cut is None:
            out.append(block)
            continue
        side, (p0, p1) = cut
        total = len(block.pairs)
        for keep in (
            [[p for p in c if p[side] < p0] for c in block.chains],
            [[p for p in c if p[side] >= p1] for c in block.chains],
        ):
            kept = [c for c in keep if c]
            if kept:
                todo.append(_Block.of(kept, block.score * sum(map(len, kept)) / total))
    return out


def _insert(
    block: _Block, w: _Words, side: int, s: AlignSettings
) -> tuple[int, tuple[int, int]] | None:
    lo, hi = (block.a0, block.a1) if side == 0 else (block.b0, block.b1)
    first, last = w.paragraph[lo], w.paragraph[hi - 1]
    if last - first < 2:
        return None
    pairs = sorted((p[side], p[1 - side]) for p in block.pairs)
    here = [p[0] for p in pairs]
    for para in range(first + 1, last):
        span = w.paragraphs.get(para)
        if span is None or span[1] - span[0] < _INSERT_WORDS:
            continue  # a heading or a line of dialogue dropped does not end a passage
        k0, k1 = bisect_left(here, span[0]), bisect_left(here, span[1])
        if k0 == 0 or k1 == len(pairs) or k1 - k0 >= s.min_density * (span[1] - span[0]):
            continue
        before, after = pairs[k0 - 1][1], pairs[k1][1]
        if 0 < after - before <= _INSERT_SLACK:
            return side, span
    return None


_INSERT_SLACK = 4  # most words the other article may have where one inserts a paragraph
# Two stretches in the opposite order, the shorter one of fewer pairs than this, are one
# jumbled block. Not min_words: asking for longer passages must not join more pieces (and
# so find more shared text).
_SHUFFLED_PIECE = 8
# Fewest words of a paragraph one article inserts that ends a passage. Not min_words: asking
# for longer passages must not join two across a paragraph only one article has.
_INSERT_WORDS = 8


def _find(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def _segment_blocks(x: _Words) -> list[_Block]:
    blocks: list[_Block] = []
    start = 0
    for k in range(1, len(x.keys) + 1):
        if k == len(x.keys) or x.segment[k] != x.segment[start]:
            blocks.append(_Block.of([[(m, m) for m in range(start, k)]], float("inf")))
            start = k
    return blocks


# -- 4: selection -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Box:
    a0: int  # word range [a0, a1) in A
    a1: int
    b0: int
    b1: int
    shared: int  # words of the two ranges that pair up


class _Taken:
    """Word ranges of one article already given to a passage."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def hit(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]

    def crossing(self, lo: int, hi: int) -> tuple[int, int] | None:
        """A taken range inside [lo, hi), if any."""
        k = bisect_left(self.ends, lo + 1)
        if k < len(self.starts) and self.starts[k] < hi:
            return self.starts[k], self.ends[k]
        return None

    def free(self, pos: int, step: int, limit: int) -> int:
        """How far from pos (exclusive) the next taken word lies, at most limit."""
        k = 0
        while k < limit and not self.hit(pos + step * (k + 1)):
            k += 1
        return k

    def add(self, lo: int, hi: int) -> None:
        k = bisect_left(self.starts, lo)
        self.starts.insert(k, lo)
        self.ends.insert(k, hi)


def _split(block: _Block, taken_a: _Taken, taken_b: _Taken) -> list[_Block]:
    """What is left of a block once the words other passages took are out: one block per
    stretch that lies between taken ranges on both sides."""
    chains = [
        [(i, j) for i, j in c if not taken_a.hit(i) and not taken_b.hit(j)] for c in block.chains
    ]
    total = sum(len(c) for c in block.chains)
    todo = [[c for c in chains if c]]
    out: list[_Block] = []
    while todo:
        part = todo.pop()
        if not part:
            continue
        piece = _Block.of(part, block.score * sum(len(c) for c in part) / total)
        cut = taken_a.crossing(piece.a0, piece.a1)
        side = 0
        if cut is None:
            cut = taken_b.crossing(piece.b0, piece.b1)
            side = 1
        if cut is None:
            out.append(piece)
            continue
        todo.append([[p for p in c if p[side] < cut[0]] for c in part])
        todo.append([[p for p in c if p[side] >= cut[1]] for c in part])
        todo = [[c for c in t if c] for t in todo]
    return out


_EDGE = 3  # most words looked at beyond a passage's edge for a match the anchors missed


def _extend(
    block: _Block, x: _Words, y: _Words, taken_a: _Taken, taken_b: _Taken
) -> tuple[int, int, int, int, int]:
    """The block's ranges grown over equal words just outside them (frequent words are no
    anchors), in the edge's paragraph and segment, never into another passage."""
    a0, a1, b0, b1 = block.a0, block.a1, block.b0, block.b1
    found = 0
    while True:
        ra = min(taken_a.free(a0, -1, _EDGE), a0)
        rb = min(taken_b.free(b0, -1, _EDGE), b0)
        hit = next(
            (
                (da, db)
                for da in range(1, ra + 1)
                for db in range(1, rb + 1)
                if x.keys[a0 - da] == y.keys[b0 - db]
                and x.paragraph[a0 - da] == x.paragraph[a0]
                and y.paragraph[b0 - db] == y.paragraph[b0]
            ),
            None,
        )
        if hit is None:
            break
        a0, b0 = a0 - hit[0], b0 - hit[1]
        found += 1
    while True:
        ra = min(taken_a.free(a1 - 1, 1, _EDGE), len(x.keys) - a1)
        rb = min(taken_b.free(b1 - 1, 1, _EDGE), len(y.keys) - b1)
        hit = next(
            (
                (da, db)
                for da in range(ra)
                for db in range(rb)
                if x.keys[a1 + da] == y.keys[b1 + db]
                and x.paragraph[a1 + da] == x.paragraph[a1 - 1]
                and y.paragraph[b1 + db] == y.paragraph[b1 - 1]
            ),
            None,
        )
        if hit is None:
            break
        a1, b1 = a1 + hit[0] + 1, b1 + hit[1] + 1
        found += 1
    return a0, a1, b0, b1, found


def _matched(block: _Block, x: _Words, y: _Words) -> tuple[int, int, int]:
    """(shared words, shared words that are not names, shared words equal by their own
    terms) of a block: its anchors, plus the words that pair up between two anchors in a
    row (frequent words are no anchors). Words made equal by a learned substitution count
    in the first only: like names, they extend a passage but never make one (a QA pass
    found "menjadi"~"persen", learned from templated reports, making a 26-word passage of
    two unrelated race reports that share none)."""
    seen_a: set[int] = set()
    seen_b: set[int] = set()
    learned = x.keys is not x.base_keys or y.keys is not y.base_keys
    shared = common = own = 0
    for chain in block.chains:
        for k, (i, j) in enumerate(chain):
            if i in seen_a or j in seen_b:
                continue  # a word pairs with one word only
            seen_a.add(i)
            seen_b.add(j)
            shared += 1
            if x.base_keys[i] == y.base_keys[j]:
                own += 1
                if not (x.weak[i] and y.weak[j]):
                    common += 1
            if k:
                i0, j0 = chain[k - 1]
                both = _common_subsequence(x.keys[i0 + 1 : i], y.keys[j0 + 1 : j])
                shared += both
                if learned and both:
                    both = _common_subsequence(x.base_keys[i0 + 1 : i], y.base_keys[j0 + 1 : j])
                own += both
                if both:
                    # Of those, the words that are no names (nor numbers, nor in capitals):
                    # "Gedung Merah Putih KPK, Senin (16/9/2019)" counted them all.
                    common += _common_subsequence(_strong(x, i0 + 1, i), _strong(y, j0 + 1, j))
    return shared, common, own


def _strong(words: _Words, lo: int, hi: int) -> list[str]:
    """The terms of words[lo:hi] that are not weak (see Side.weak)."""
    return [words.base_keys[k] for k in range(lo, hi) if not words.weak[k]]


def _common_subsequence(p: list[str], q: list[str]) -> int:
    if not p or not q or len(p) * len(q) > _FILL_CELLS:
        return 0
    row = [0] * (len(q) + 1)
    for word in p:
        diagonal = 0
        for k, other in enumerate(q):
            above = row[k + 1]
            row[k + 1] = diagonal + 1 if word == other else max(above, row[k])
            diagonal = above
    return row[-1]


_FILL_CELLS = 2500  # largest gap between anchors searched for words they skipped


def _contest(blocks: list[_Block], s: AlignSettings) -> list[_Block]:
    """Where two chains claim the same words of one article and lie apart in the other, the
    one with more anchors in that stretch keeps it (the stronger chain overall only breaks
    ties): a chain's weak edge must not take a sentence from the passage it belongs to."""
    blocks = [q for q in blocks if q.score >= s.min_chain]
    changed = True
    while changed:
        changed = False
        for side in (0, 1):
            lo_of = (lambda q: q.a0) if side == 0 else (lambda q: q.b0)
            hi_of = (lambda q: q.a1) if side == 0 else (lambda q: q.b1)
            ordered = sorted(blocks, key=lambda q: (lo_of(q), hi_of(q), q.score))
            lost: set[int] = set()
            pieces: list[_Block] = []
            for k, p in enumerate(ordered):
                if id(p) in lost:
                    continue
                for q in ordered[k + 1 :]:
                    if lo_of(q) >= hi_of(p):
                        break
                    if id(q) in lost:
                        continue
                    gap = (
                        max(p.b0, q.b0) - min(p.b1, q.b1)
                        if side == 0
                        else max(p.a0, q.a0) - min(p.a1, q.a1)
                    )
                    if gap <= _CONTEST_GAP:
                        continue  # overlapping in both articles: a jumbled block, one passage
                    lo, hi = lo_of(q), min(hi_of(p), hi_of(q))
                    n_p = sum(1 for pr in p.pairs if lo <= pr[side] < hi)
                    n_q = sum(1 for pr in q.pairs if lo <= pr[side] < hi)
                    loser = p if (n_p, p.score) < (n_q, q.score) else q
                    free, taken = _Taken(), _Taken()
                    taken.add(lo, hi)
                    pieces += (
                        _split(loser, taken, free) if side == 0 else _split(loser, free, taken)
                    )
                    lost.add(id(loser))
                    if loser is p:
                        break
            if lost:
                blocks = [q for q in blocks if id(q) not in lost]
                blocks += pieces
                changed = True
    return blocks


_CONTEST_GAP = 4  # chains this close in the other article too are one jumbled block


def _select(blocks: list[_Block], x: _Words, y: _Words, s: AlignSettings) -> list[_Box]:
    taken_a, taken_b = _Taken(), _Taken()
    # Strongest first; the position and a serial number break ties, never the block itself.
    heap = [
        (-q.score, q.a0, q.b0, q.a1, q.b1, n, q)
        for n, q in enumerate(blocks)
        if q.score >= s.min_score
    ]
    heapq.heapify(heap)
    serial = len(heap)
    out: list[_Box] = []
    while heap:
        block = heapq.heappop(heap)[-1]
        if (
            any(taken_a.hit(i) or taken_b.hit(j) for i, j in block.pairs)
            or taken_a.crossing(block.a0, block.a1)
            or taken_b.crossing(block.b0, block.b1)
        ):
            for piece in _split(block, taken_a, taken_b):
                if piece.score >= s.min_score:
                    serial += 1
                    heapq.heappush(
                        heap, (-piece.score, piece.a0, piece.b0, piece.a1, piece.b1, serial, piece)
                    )
            continue
        a0, a1, b0, b1, found = _extend(block, x, y, taken_a, taken_b)
        shared, common, own = _matched(block, x, y)
        shared += found
        if (
            shared < s.min_words
            or own + found < s.min_words
            or common < s.min_common_words
            or shared < s.min_density * max(a1 - a0, b1 - b0)
        ):
            continue
        taken_a.add(a0, a1)
        taken_b.add(b0, b1)
        out.append(_Box(a0, a1, b0, b1, shared))
    return out


# -- 5: passages, operations, coverage --------------------------------------------------------

_OPEN = "“\"'‘(«["
_CLOSE = "”\"'’)».,;:!?…]"


_EITHER = "\"'"  # a quotation mark that opens or closes
_IN_FIGURES = "/.,:-"  # what joins the parts of a date or figure: 10/9/2019, 4,5, 16.504


def _widen(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Take in the quotation marks and punctuation that hug the passage's first and last
    words, so the passage reads as the sentence it is (not past lo and hi); not a mark that
    belongs to the word beyond (the next paragraph's opening quote, glued on by a scraper:
    `2019).,"Diakui`)."""
    while start > lo and text[start - 1] in _OPEN:
        if text[start - 1] in _EITHER and start >= 2 and text[start - 2].isalnum():
            break
        start -= 1
    while end < hi and text[end] in _CLOSE:
        if text[end] in _EITHER and end + 1 < len(text) and text[end + 1].isalnum():
            break
        end += 1
    return start, end


def _edges(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """A passage's edges with whole figures and the marks around them (`_widen`); a figure
    taken in whole past a neighbour's limit takes its marks too (the neighbour then gives
    them up)."""
    start2, end2 = _whole_figures(text, start, end)
    return _widen(text, start2, end2, 0 if start2 < start else lo, len(text) if end2 > end else hi)


def _whole_figures(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with a date or figure at either edge taken in whole: the analysis splits
    "10/9/2019" into three words, and a passage ending at the 9 showed "(10/9" in it and
    "/2019)" outside."""
    n = len(text)
    while (
        0 < end < n - 1
        and text[end] in _IN_FIGURES
        and text[end - 1].isdigit()
        and text[end + 1].isdigit()
    ):
        end += 1
        while end < n and text[end].isdigit():
            end += 1
    while (
        1 < start < n
        and text[start - 1] in _IN_FIGURES
        and text[start].isdigit()
        and text[start - 2].isdigit()
    ):
        start -= 1
        while start > 0 and text[start - 1].isdigit():
            start -= 1
    return start, end


def _grow(
    a: Side, b: Side, span: tuple[int, int, int, int], limits: tuple[int, int, int, int]
) -> tuple[int, int, int, int]:
    """Extend both edges word by word while the two articles agree there (stop words the
    term alignment skipped), never past the paragraph the edge sits in nor the limits."""
    a_start, a_end, b_start, b_end = span
    lo_a, hi_a, lo_b, hi_b = limits
    i = bisect_left(a.counted, (a_start, -1))
    j = bisect_left(b.counted, (b_start, -1))
    while (
        i > 0
        and j > 0
        and a.folded[i - 1] == b.folded[j - 1]
        and a.counted[i - 1][0] >= lo_a
        and b.counted[j - 1][0] >= lo_b
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
            and a.counted[i + 1][1] <= hi_a
            and b.counted[j + 1][1] <= hi_b
            and a.paragraph[i + 1] == a.paragraph[i]
            and b.paragraph[j + 1] == b.paragraph[j]
        ):
            i += 1
            j += 1
        a_end, b_end = a.counted[i][1], b.counted[j][1]
    return a_start, a_end, b_start, b_end


def _limits(
    boxes: list[_Box], tokens: tuple[AlignToken, ...], text: str, side: str
) -> dict[int, tuple[int, int]]:
    """For each box, the characters its passage may grow into on one side: up to the words
    of its neighbours there."""
    order = sorted(range(len(boxes)), key=lambda k: getattr(boxes[k], side + "0"))
    out: dict[int, tuple[int, int]] = {}
    for n, k in enumerate(order):
        lo = tokens[getattr(boxes[order[n - 1]], side + "1") - 1].end if n else 0
        hi = (
            tokens[getattr(boxes[order[n + 1]], side + "0")].start
            if n + 1 < len(order)
            else len(text)
        )
        out[k] = (lo, hi)
    return out


def _passages(
    boxes: list[_Box],
    a: Side,
    b: Side,
    analyzer: Analyzer,
    same: Mapping[str, str],
    settings: AlignSettings,
) -> list[Passage]:
    min_words, min_common = settings.min_words, settings.min_common_words
    lim_a = _limits(boxes, a.tokens, a.text, "a")
    lim_b = _limits(boxes, b.tokens, b.text, "b")
    spans: list[list[int]] = []
    for k, box in enumerate(boxes):
        span = (
            a.tokens[box.a0].start,
            a.tokens[box.a1 - 1].end,
            b.tokens[box.b0].start,
            b.tokens[box.b1 - 1].end,
        )
        a_start, a_end, b_start, b_end = _grow(a, b, span, (*lim_a[k], *lim_b[k]))
        a_start, a_end = _edges(a.text, a_start, a_end, *lim_a[k])
        b_start, b_end = _edges(b.text, b_start, b_end, *lim_b[k])
        spans.append([a_start, a_end, b_start, b_end])
    # Two neighbours may both have grown over the same word or mark between them (or the
    # same figure): the later one gives it up.
    for lo, hi, text in ((0, 1, a.text), (2, 3, b.text)):
        ordered = sorted(spans, key=lambda sp: sp[lo])
        for prev, cur in pairwise(ordered):
            if cur[lo] < prev[hi]:
                cur[lo] = prev[hi]
                # Nor does it begin with the marks that closed the other ("2019)." ends
                # one passage, the next begins at its next word).
                while cur[lo] < cur[hi] and text[cur[lo]] in _CLOSE + " \n":
                    cur[lo] += 1
    out: list[Passage] = []
    for k, (box, (a_start, a_end, b_start, b_end)) in enumerate(zip(boxes, spans, strict=True)):
        score = 2 * box.shared / (box.a1 - box.a0 + box.b1 - box.b0)
        shared = box.shared
        ops, flags = word_ops(a.text, a_start, a_end, b.text, b_start, b_end, analyzer, same)
        if not any(flags):
            continue
        cut = _one_sided_edges(ops, flags)
        if cut is not None:
            ops, flags = ops[cut[0] : cut[1] + 1], flags[cut[0] : cut[1] + 1]
        stray = _stray_ends(ops, flags, a, b, min_words)
        if stray is not None:
            shared -= sum(
                len(_keys(a, op.a_start, op.a_end))
                for k2, op in enumerate(ops)
                if flags[k2] and not stray[0] <= k2 <= stray[1]
            )
            ops, flags = ops[stray[0] : stray[1] + 1], flags[stray[0] : stray[1] + 1]
        # The words the passage shows as shared (its matched operations): the box counted
        # its anchors and the words paired between them, which the word operations may pair
        # otherwise (a QA pass: 104 of 1,658 passages said more than 2 words more).
        shown = sum(len(_keys(a, op.a_start, op.a_end)) for n, op in enumerate(ops) if flags[n])
        if shown < shared:
            shared = shown
            if shared < min_words:
                continue
            score = 2 * shared / (box.a1 - box.a0 + box.b1 - box.b0)
        if (cut is not None or stray is not None) and max(
            _strong_matched(a, ops, flags, "a"), _strong_matched(b, ops, flags, "b")
        ) < min_common:
            continue  # what is left of it is names ("Paviliun Kartika, RSPAD …, Rabu")
        if cut is not None or stray is not None:
            # The passage is cut to its matched words, and shares no more words than either
            # side then has.
            a_start, a_end = _edges(a.text, ops[0].a_start, ops[-1].a_end, *lim_a[k])
            b_start, b_end = _edges(b.text, ops[0].b_start, ops[-1].b_end, *lim_b[k])
            n_a = len(_keys(a, a_start, a_end))
            n_b = len(_keys(b, b_start, b_end))
            shared = min(shared, n_a, n_b)
            if shared < min_words:
                continue
            score = 2 * shared / (n_a + n_b)
        if score < settings.loose_score and shared < settings.loose_words:
            continue  # a few words scattered over unrelated sentences
        out.append(
            Passage(
                a_start,
                a_end,
                b_start,
                b_end,
                a.text[a_start:a_end],
                b.text[b_start:b_end],
                min(score, 1.0),
                shared,
                ops,
            )
        )
    out.sort(key=_passage_order)
    return out


def _strong_matched(side: Side, ops: tuple[Op, ...], flags: list[bool], which: str) -> int:
    """How many of the matched words on one side are not weak (see Side.weak)."""
    starts, n = side.starts, 0
    for op, flag in zip(ops, flags, strict=True):
        if flag:
            lo, hi = (op.a_start, op.a_end) if which == "a" else (op.b_start, op.b_end)
            n += side.weak[bisect_left(starts, lo) : bisect_left(starts, hi)].count(False)
    return n


def _keys(side: Side, start: int, end: int) -> list[str]:
    """The keys of the side's tokens that start in [start, end)."""
    starts = side.starts
    return [t.key for t in side.tokens[bisect_left(starts, start) : bisect_left(starts, end)]]


def _one_sided_edges(ops: tuple[Op, ...], flags: list[bool]) -> tuple[int, int] | None:
    """The first and last op with words on both sides (matched, or a replace: reworded)
    when words only one article has stand before the first or after the last: a passage
    begins and ends on what both say. A QA pass found a third of the passages of 2,000
    CLICK-ID articles opening or closing on one side's words, some of ten words and more
    (a clause matched crosswise, shown as deleted here and inserted further on). None
    when there are none."""
    both = [k for k, op in enumerate(ops) if flags[k] or op.op == "replace"]
    if not both or not any(flags) or (both[0] == 0 and both[-1] == len(ops) - 1):
        return None
    return both[0], both[-1]


STRAY_WORDS = 1  # matched words at a passage's edge, past a long unshared stretch, let go
STRAY_SKEW = 3  # ... a stretch this many times longer on one side than on the other


def _stray_ends(
    ops: tuple[Op, ...], flags: list[bool], a: Side, b: Side, min_words: int
) -> tuple[int, int] | None:
    """The first and last op to keep when a passage's first or last few matched words
    (STRAY_WORDS at most) lie past `min_words` words or more that are not shared, on either
    side: a chance match ("kontak" in a heading of B, after a sentence only A has) that
    stretched the passage over unrelated text. None when there is none."""
    matched = [k for k, flag in enumerate(flags) if flag]
    if len(matched) < 2:
        return None

    def words(op: Op) -> tuple[int, int]:
        return len(_keys(a, op.a_start, op.a_end)), len(_keys(b, op.b_start, op.b_end))

    def gap(lo: int, hi: int) -> bool:
        """Whether the unmatched ops strictly between lo and hi hold `min_words` words or
        more on one side, and several times what the other side has there (reworded text
        has about as many words on both)."""
        sizes = [words(op) for k, op in enumerate(ops[lo + 1 : hi], lo + 1) if not flags[k]]
        x, y = sum(x for x, _ in sizes), sum(y for _, y in sizes)
        return max(x, y) >= min_words and max(x, y) >= STRAY_SKEW * min(x, y)

    first, last = 0, len(matched) - 1
    edge = 0
    for m in range(len(matched) - 1, 0, -1):  # the tail
        edge += words(ops[matched[m]])[0]
        if edge > STRAY_WORDS:
            break
        if gap(matched[m - 1], matched[m]):
            last = m - 1
            break
    edge = 0
    for m in range(0, last):  # the head
        edge += words(ops[matched[m]])[0]
        if edge > STRAY_WORDS:
            break
        if gap(matched[m], matched[m + 1]):
            first = m + 1
            break
    if (first, last) == (0, len(matched) - 1):
        return None
    return matched[first], matched[last]


def word_ops(
    text_a: str,
    a_start: int,
    a_end: int,
    text_b: str,
    b_start: int,
    b_end: int,
    analyzer: Analyzer,
    equivalents: Mapping[str, str] | None = None,
) -> tuple[tuple[Op, ...], list[bool]]:
    """Word-level edit operations between two spans, and for each whether its words are
    matched (an equal, or a replace of a word by its other spelling) rather than only on one
    side or substituted. Words are matched on their analysed form (or `equivalents` of it);
    where matched words are spelt differently ("Tiongkok"/"China", "terbaiknya"/"terbaik")
    the operation is a replace, so a reader sees every change of wording."""
    matched: list[bool] = []
    units_a = _figures_whole(analyzer.terms(text_a[a_start:a_end], a_start), text_a)
    units_b = _figures_whole(analyzer.terms(text_b[b_start:b_end], b_start), text_b)
    same = equivalents or {}
    keys_a = [same.get(u.text, u.text) for u in units_a]
    keys_b = [same.get(u.text, u.text) for u in units_b]
    ops: list[Op] = []

    def span(units, lo: int, hi: int, anchor: int) -> tuple[int, int]:
        if lo == hi:
            return anchor, anchor
        return units[lo].start, units[hi - 1].end

    def anchor(units, lo: int, base: int) -> int:
        return units[lo - 1].end if lo > 0 else base

    for tag, i1, i2, j1, j2 in _opcodes(
        keys_a, keys_b, [not u.stop for u in units_a], [not u.stop for u in units_b]
    ):
        if tag != "equal":
            sa = span(units_a, i1, i2, anchor(units_a, i1, a_start))
            sb = span(units_b, j1, j2, anchor(units_b, j1, b_start))
            ops.append(Op(tag, sa[0], sa[1], sb[0], sb[1]))
            matched.append(False)
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
            matched.append(True)
            k = m
    return tuple(ops), matched


def _figures_whole(units: list[Term], text: str) -> list[Term]:
    """The terms with each figure or date one unit ("27,5", "10/9/2019"), as a reader
    reads it: split into its parts, "27,5 poin" against "tipis 5 poin" showed as
    "[tipis⇒27] 5", the 5 matched."""
    out: list[Term] = []
    for u in units:
        last = out[-1] if out else None
        if (
            last is not None
            and u.start == last.end + 1
            and text[last.end] in _IN_FIGURES
            and text[last.end - 1].isdigit()
            and u.text.isdigit()
        ):
            whole = text[last.start : u.end]
            out[-1] = last._replace(text=whole, end=u.end, surface=whole)
        else:
            out.append(u)
    return out


def _opcodes(
    keys_a: list[str], keys_b: list[str], content_a: list[bool], content_b: list[bool]
) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, found in two rounds: the content words first, then the stop words
    between two matched content words. Stop words recur everywhere, and matching them over
    a whole long passage at once is slow and pairs them across unrelated clauses."""
    ia = [k for k, c in enumerate(content_a) if c]
    ib = [k for k, c in enumerate(content_b) if c]
    coarse = difflib.SequenceMatcher(
        None, [keys_a[k] for k in ia], [keys_b[k] for k in ib], autojunk=False
    ).get_matching_blocks()
    anchors = [(ia[m.a + t], ib[m.b + t]) for m in coarse for t in range(m.size)]
    pairs: list[tuple[int, int]] = []
    lo_a = lo_b = 0
    for pa, pb in [*anchors, (len(keys_a), len(keys_b))]:
        if pa > lo_a and pb > lo_b:
            fine = difflib.SequenceMatcher(
                None, keys_a[lo_a:pa], keys_b[lo_b:pb], autojunk=False
            ).get_matching_blocks()
            pairs += [(lo_a + m.a + t, lo_b + m.b + t) for m in fine for t in range(m.size)]
        if pa < len(keys_a):
            pairs.append((pa, pb))
        lo_a, lo_b = pa + 1, pb + 1
    out: list[tuple[str, int, int, int, int]] = []
    i = j = k = 0
    while k <= len(pairs):
        a0, b0 = pairs[k] if k < len(pairs) else (len(keys_a), len(keys_b))
        if a0 > i or b0 > j:
            tag = "replace" if a0 > i and b0 > j else "delete" if a0 > i else "insert"
            out.append((tag, i, a0, j, b0))
        if k == len(pairs):
            break
        run = 1
        while k + run < len(pairs) and pairs[k + run] == (a0 + run, b0 + run):
            run += 1
        out.append(("equal", a0, a0 + run, b0, b0 + run))
        i, j, k = a0 + run, b0 + run, k + run
    return out


def _same_surface(text_a: str, ua, text_b: str, ub) -> bool:
    return fold(" ".join(text_a[ua.start : ua.end].split())) == fold(
        " ".join(text_b[ub.start : ub.end].split())
    )


def _coverage(side: Side, passages: list[Passage], which: str) -> float:
    """The share of the article's words inside passages. A paragraph the article repeats
    from itself counts once (in its first place): passages never overlap, so a repeat cannot
    be aligned again with the text its original already pairs with."""
    if not passages:
        return 0.0
    repeats = {t.paragraph for t in side.tokens if t.repeat}
    words = [w for w, p in zip(side.counted, side.paragraph, strict=True) if p not in repeats]
    if not words:
        return 0.0
    merged = merge_spans(
        (p.a_start, p.a_end) if which == "a" else (p.b_start, p.b_end) for p in passages
    )
    covered = 0
    k = 0
    for start, end in words:  # in text order
        while k < len(merged) and merged[k][1] < end:
            k += 1
        if k < len(merged) and merged[k][0] <= start:
            covered += 1
    return covered / len(words)
