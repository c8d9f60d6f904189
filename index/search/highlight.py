"""Where a query's words occur in an article, as offsets into its original text, and the
snippet that shows them best. Pure functions over an article and the query's terms."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ..model import Article, Span, merge_spans
from ..text.analysis import Analyzer, Term
from ..text.words import ESCAPE_MARK, GLUED, UNIT_WORDS, Word, split_words

SNIPPET_CHARS = 220


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: analysed terms (stems, canonical variants), folded surface words (from
    prefix, wildcard and fuzzy matches, which work on surface words) and exact phrases (folded
    words in order). The `title_` sets hold what the query asked for in the title only
    (`title:"harga emas"`), which is not marked in the body."""

    terms: frozenset[str] = frozenset()
    surface: frozenset[str] = frozenset()
    phrases: frozenset[tuple[str, ...]] = frozenset()
    title_terms: frozenset[str] = frozenset()
    title_surface: frozenset[str] = frozenset()
    title_phrases: frozenset[tuple[str, ...]] = frozenset()
    # The forms `terms` (`title_terms`) are written in across the corpus, as folded word
    # sequences, when the index knows them: hits are then found by the words as written,
    # with no stemming (stemming ten articles' words took most of a search).
    forms: frozenset[tuple[str, ...]] | None = None
    title_forms: frozenset[tuple[str, ...]] | None = None

    def __bool__(self) -> bool:
        return bool(
            self.terms
            or self.surface
            or self.phrases
            or self.title_terms
            or self.title_surface
            or self.title_phrases
        )


@dataclass(frozen=True)
class Snippet:
    start: int
    end: int
    text: str
    highlights: tuple[Span, ...]  # offsets into the article's original text
    prefix: str = ""  # "…" when the snippet starts inside a paragraph
    suffix: str = ""


def variant_parts(term: Term, text: str, analyzer: Analyzer) -> list[Term]:
    """The words of a multi-word variant ("kerja sama", found as one term) as terms of their
    own, with their offsets: the index files the variant under each of them too."""
    piece = text[term.start : term.end]
    out: list[Term] = []
    for w in split_words(piece):
        for t in analyzer.content_terms(piece[w.start : w.end]):
            out.append(t._replace(start=term.start + w.start, end=term.start + w.end))
    return out


def find_hits(
    article: Article,
    query: QueryTerms,
    analyzer: Analyzer,
    *,
    include_hidden: bool = False,
    terms: list[Term] | None = None,
) -> list[Span]:
    """Every place in the article (its visible paragraphs and title, or everything) where a
    query term or phrase occurs, in text order. `terms`: the article's analysed text, if
    known."""
    if not query:
        return []
    title = article.meta.title_span
    hits = [
        h
        for h in _marks(article.text, query, analyzer, terms)
        if not h.title_only or (title is not None and title.start <= h.start < title.end)
    ]
    # One mark per place: a phrase and one of its words, or two overlapping forms, are one.
    spans = [Span(s, e) for s, e in merge_spans((h.start, h.end) for h in hits)]
    if include_hidden:
        return spans
    shown = [(p.start, p.end) for p in article.paragraphs if not p.hidden]
    if title:
        shown.append((title.start, title.end))
    shown = merge_spans(shown)
    starts = [a for a, _ in shown]
    kept = []
    for h in spans:
        i = bisect_right(starts, h.start) - 1
        if i >= 0 and h.start < shown[i][1]:
            kept.append(h)
    return kept


def title_hits(article: Article, query: QueryTerms, analyzer: Analyzer) -> tuple[Span, ...]:
    """Where a query's words occur in the article's title as shown (`display_title`), as
    offsets into it: a record's title is not in its text, so `find_hits` cannot mark it."""
    title = article.display_title
    if not query or not title:
        return ()
    marks = _marks(title, query, analyzer, None)
    return tuple(Span(a, z) for a, z in merge_spans((m.start, m.end) for m in marks))


def _marks(
    text: str, query: QueryTerms, analyzer: Analyzer, terms: list[Term] | None
) -> list[_Mark]:
    """Where the query's terms and phrases occur in `text`, each noted as asked for in the
    title only or anywhere; in no order, overlapping."""
    marks: list[_Mark] = []
    if query.forms is not None:
        marks += _written_hits(text, query, analyzer)
    else:
        _analysed_hits(text, query, analyzer, terms, lambda a, z, t: marks.append(_Mark(a, z, t)))
    if query.phrases or query.title_phrases:
        marks += [_Mark(a, z, t) for a, z, t in _phrase_spans(text, query)]
    return marks


def _analysed_hits(
    text: str,
    query: QueryTerms,
    analyzer: Analyzer,
    terms: list[Term] | None,
    add: Callable[[int, int, bool], None],
) -> None:
    """Where the query's terms occur, found by analysing the text."""
    wanted, surface = query.terms, query.surface
    t_wanted, t_surface = query.title_terms, query.title_surface
    for term in terms if terms is not None else analyzer.terms(text):
        if term.text in wanted or (surface and term.surface in surface):
            add(term.start, term.end, False)
        elif term.text in t_wanted or (t_surface and term.surface in t_surface):
            add(term.start, term.end, True)
        elif " " in term.surface:
            for part in variant_parts(term, text, analyzer):
                if part.text in wanted or part.surface in surface:
                    add(part.start, part.end, False)
                elif part.text in t_wanted or part.surface in t_surface:
                    add(part.start, part.end, True)


class _Mark(NamedTuple):
    start: int
    end: int
    title_only: bool


_Starts = dict[str, list[tuple[tuple[str, ...], bool, bool]]]


@lru_cache(maxsize=8)
def _form_starts(query: QueryTerms) -> tuple[_Starts, dict[str, int]]:
    """The query's forms by their first word, the longest first, and the length of each
    first word's longest form: worked out once per query, not once per hit (a pasted
    sentence has a hundred forms). Callers must not change what they get."""
    starts: _Starts = {}
    for seqs, title_only, is_form in (
        (query.forms, False, True),
        (query.title_forms, True, True),
        (((w,) for w in query.surface), False, False),
        (((w,) for w in query.title_surface), True, False),
    ):
        for seq in seqs or ():
            if seq:
                starts.setdefault(seq[0], []).append((seq, title_only, is_form))
    for options in starts.values():
        options.sort(key=lambda o: (-len(o[0]), o[1]))  # the longest form, anywhere, first
    longest = {first: len(options[0][0]) for first, options in starts.items()}
    return starts, longest


def _written_hits(text: str, query: QueryTerms, analyzer: Analyzer) -> list[_Mark]:
    """Where the query's terms occur, found by the forms they are written in."""
    stop = analyzer.vocabulary.stopwords
    starts, longest = _form_starts(query)
    out: list[_Mark] = []
    for words in _words_from(text, starts, longest):
        f = words[0].folded
        for seq, title_only, is_form in starts[f]:
            n = len(seq)
            if n > 1 and tuple(w.folded for w in words[:n]) != seq:
                continue
            w = words[0]
            # A stop word is a term only as an acronym in capitals ("AS", not "as").
            if is_form and n == 1 and f in stop and not text[w.start : w.end].isupper():
                continue
            out.append(_Mark(w.start, words[n - 1].end, title_only))
            break
    return out


def _phrase_spans(text: str, query: QueryTerms) -> list[tuple[int, int, bool]]:
    wanted = [(p, False) for p in query.phrases] + [
        (p, True) for p in query.title_phrases if p not in query.phrases
    ]
    by_first: dict[str, list[tuple[int, tuple[str, ...], bool]]] = {}
    for rank, (phrase, title_only) in enumerate(wanted):
        if phrase:
            by_first.setdefault(phrase[0], []).append((rank, phrase, title_only))
    longest = {first: max(len(p) for _, p, _ in options) for first, options in by_first.items()}
    found: list[tuple[int, int, int, bool]] = []
    for words in _words_from(text, by_first, longest):
        for rank, phrase, title_only in by_first[words[0].folded]:
            n = len(phrase)
            if tuple(w.folded for w in words[:n]) == phrase:
                found.append((rank, words[0].start, words[n - 1].end, title_only))
    found.sort(key=lambda f: f[0])  # phrase by phrase, each in text order
    return [(start, end, title_only) for _, start, end, title_only in found]


# A word character outside ASCII: such a text's words may fold to something its lower case
# is not ("António" → "antonio"), so it is split whole.
_NON_ASCII_WORD = re.compile(r"[^\W\x00-\x7f]")
_SPACE = re.compile(r"\s")
_JOINERS = "-‐‑'’"  # what joins the parts of one word (see text/words.py)


_RUN = re.compile(r"[^\W_]+")


def _glued_wanted(firsts: Collection[str], lowered: str) -> bool:
    """Whether a wanted word may be a figure or unit written against the other ("Rp4"),
    which the scan for whole runs of letters and digits does not see as a word."""
    return any(f.isdigit() or f in UNIT_WORDS for f in firsts) and GLUED.search(lowered) is not None


@lru_cache(maxsize=64)
def _plain(firsts: frozenset[str]) -> bool:
    return all(_RUN.fullmatch(f) for f in firsts)


def _find(lowered: str, firsts: frozenset[str]) -> list[tuple[int, int, str]]:
    """Where a word of `firsts` stands on its own in `lowered`, in text order: (start, end,
    word). Words of letters and digits only are looked up among the words the text has
    (one C-level split), then with str.find: compiling an alternation of a pasted
    sentence's hundred forms took longer than finding them in ten articles, and testing
    each of an article's words took longer than finding the few it shares with the query."""
    if not _plain(firsts):
        return [(m.start(), m.end(), m.group()) for m in _finder(firsts).finditer(lowered)]
    size = len(lowered)
    found = []
    for word in firsts.intersection(_RUN.findall(lowered)):
        n = len(word)
        at = lowered.find(word)
        while at >= 0:
            end = at + n
            # A whole run of letters and digits, as _RUN would have found it.
            if (not at or not lowered[at - 1].isalnum()) and (
                end == size or not lowered[end].isalnum()
            ):
                found.append((at, end, word))
            at = lowered.find(word, end)
    found.sort()
    return found


@lru_cache(maxsize=64)
def _finder(firsts: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(firsts, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


def _words_from(
    text: str,
    firsts: Collection[str],
    longest: int | Mapping[str, int],
    *,
    split_all: bool | None = None,
) -> Iterator[list[Word]]:
    """For each word of `text` whose folded form is one of `firsts`, in text order: that word
    and up to `longest - 1` words after it, as `split_words(text)` gives them. `longest`:
    one number for every first word, or each first word's own.

    Splitting whole articles into words took most of a search's time. A C-level scan of the
    lower-cased text finds where the wanted words are, and only a stretch from there to a
    white space is split: a word is letters and digits with joiners between them, so it
    starts right there unless a joiner comes before, and never spans white space. A word
    wanted alone needs no split at all, so a pasted sentence with one two-word form ("kerja
    sama") splits stretches after that form's first word only.
    `split_all`: split the whole text (True) or stretches (False) whatever the cost."""
    if not firsts:
        return
    lengths = None if isinstance(longest, int) else longest
    most = max(lengths.values(), default=1) if lengths is not None else longest

    def wanted(word: str) -> int:
        return most if lengths is None else lengths[word]

    lowered = text.lower()
    size = len(text)
    matches: list[tuple[int, int, str]] = []
    # A text with escape sequences (see words.ESCAPE_MARK) is split whole.
    if (
        len(lowered) == size
        and not _NON_ASCII_WORD.search(text)
        and ESCAPE_MARK not in text
        and not _glued_wanted(firsts, lowered)
    ):
        matches = _find(lowered, frozenset(firsts))
        # Splitting a stretch after each of many matches costs more than one whole split.
        stretches = sum(1 for _, _, w in matches if wanted(w) > 1) if most > 1 else 0
        whole = stretches * 32 * (most + 1) > size
        if split_all is not None:
            whole = split_all
    else:
        whole = True
    if whole:
        words = split_words(text)
        for i, w in enumerate(words):
            if w.folded in firsts:
                yield words[i : i + wanted(w.folded)]
        return
    for at, after, word in matches:
        start = at
        n = wanted(word)
        if n == 1 and (
            (not at or text[at - 1] not in _JOINERS)
            and (after == size or text[after] not in _JOINERS)
        ):  # a word on its own: no need to split anything
            yield [Word(word, at, after, text[at].isupper())]
            continue
        if start and text[start - 1] in _JOINERS:  # maybe inside a word: split all of it
            while start and not text[start - 1].isspace():
                start -= 1
        reach = 32 * (n + 1)
        while True:
            space = _SPACE.search(text, min(size, at + reach))
            end = space.start() if space else size
            words = split_words(text[start:end])
            k = 0
            while k < len(words) and words[k].start + start < at:
                k += 1
            if len(words) - k >= n or end == size:
                break
            reach *= 2
        if k == len(words) or words[k].start + start != at:
            continue  # inside a word: the second half of "negara-negara"
        if not start:
            yield words[k : k + n]
            continue
        yield [
            Word(w.folded, w.start + start, w.end + start, w.capitalised) for w in words[k : k + n]
        ]


def make_snippet(article: Article, hits: list[Span], width: int = SNIPPET_CHARS) -> Snippet:
    """The stretch of one visible paragraph holding the most hits (the first paragraph when
    there are none), cut at word boundaries to about `width` characters."""
    paragraphs = article.visible or article.paragraphs
    if not paragraphs:
        return Snippet(0, 0, "", ())
    hits = sorted(hits, key=lambda h: h.start)
    at = [h.start for h in hits]

    def count(a: int, b: int) -> int:  # hits starting in [a, b)
        return bisect_left(at, b) - bisect_left(at, a)

    best = paragraphs[0]
    best_hits: list[Span] = []
    for p in paragraphs:
        if count(p.start, p.end) > len(best_hits):
            best, best_hits = p, hits[bisect_left(at, p.start) : bisect_left(at, p.end)]
    start, end = best.start, best.end
    if end - start > width:
        centre = best_hits[0].start if best_hits else start

        # The densest window: the one starting near the hit with most hits in reach.
        def reach(a: int) -> int:  # the paragraph's hits starting in [a, a + width)
            return count(a, min(a + width, best.end))

        for h in best_hits:
            if reach(h.start) > reach(centre):
                centre = h.start
        start = max(best.start, centre - width // 4)
        end = min(best.end, start + width)
        start = _word_start(article.text, start, best.start)
        end = _word_end(article.text, end, best.end)
    inside = tuple(h for h in best_hits if start <= h.start and h.end <= end)
    return Snippet(
        start,
        end,
        article.text[start:end],
        inside,
        "…" if start > best.start else "",
        "…" if end < best.end else "",
    )


def _word_start(text: str, i: int, floor: int) -> int:
    while i > floor and not text[i - 1].isspace():
        i -= 1
    return i


def _word_end(text: str, i: int, ceiling: int) -> int:
    while i < ceiling and not text[i].isspace():
        i += 1
    return i
