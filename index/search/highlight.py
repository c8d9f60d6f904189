"""Where a query's words occur in an article, as offsets into its original text, and the
snippet that shows them best. Pure functions over an article and the query's terms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from ..model import Article, Span, merge_spans
from ..text.analysis import Analyzer, Term
from ..text.words import split_words

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
    hits: list[_Mark] = []

    def add(start: int, end: int, title_only: bool) -> None:
        hits.append(_Mark(start, end, title_only))

    if query.forms is not None:
        hits.extend(_written_hits(article.text, query, analyzer))
    else:
        _analysed_hits(article.text, query, analyzer, terms, add)
    if query.phrases or query.title_phrases:
        for start, end, title_only in _phrase_spans(article.text, query):
            add(start, end, title_only)
    hits = [
        h
        for h in hits
        if not h.title_only or (title is not None and title.start <= h.start < title.end)
    ]
    # One mark per place: a phrase and one of its words, or two overlapping forms, are one.
    spans = [Span(s, e) for s, e in merge_spans((h.start, h.end) for h in hits)]
    if include_hidden:
        return spans
    shown = [(p.start, p.end) for p in article.paragraphs if not p.hidden]
    if title:
        shown.append((title.start, title.end))
    return [h for h in spans if any(a <= h.start < b for a, b in shown)]


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
_last_starts: tuple[QueryTerms | None, _Starts] = (None, {})


def _form_starts(query: QueryTerms) -> _Starts:
    """The query's forms by their first word, the longest first: worked out once per query,
    not once per hit (a pasted sentence has a hundred forms)."""
    global _last_starts
    last, starts = _last_starts
    if last is query:
        return starts
    starts = {}
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
    _last_starts = (query, starts)
    return starts


def _written_hits(text: str, query: QueryTerms, analyzer: Analyzer) -> list[_Mark]:
    """Where the query's terms occur, found by the forms they are written in."""
    stop = analyzer.vocabulary.stopwords
    starts = _form_starts(query)
    words = split_words(text)
    folded = [w.folded for w in words]
    out: list[_Mark] = []
    for i, f in enumerate(folded):
        for seq, title_only, is_form in starts.get(f, ()):
            n = len(seq)
            if n > 1 and tuple(folded[i : i + n]) != seq:
                continue
            w = words[i]
            # A stop word is a term only as an acronym in capitals ("AS", not "as").
            if is_form and n == 1 and f in stop and not text[w.start : w.end].isupper():
                continue
            out.append(_Mark(w.start, words[i + n - 1].end, title_only))
            break
    return out


def _phrase_spans(text: str, query: QueryTerms) -> list[tuple[int, int, bool]]:
    words = split_words(text)
    folded = [w.folded for w in words]
    wanted = [(p, False) for p in query.phrases] + [
        (p, True) for p in query.title_phrases if p not in query.phrases
    ]
    out: list[tuple[int, int, bool]] = []
    for phrase, title_only in wanted:
        n = len(phrase)
        if not n:
            continue
        first = phrase[0]
        for i, f in enumerate(folded):
            if f == first and tuple(folded[i : i + n]) == phrase:
                out.append((words[i].start, words[i + n - 1].end, title_only))
    return out


def make_snippet(article: Article, hits: list[Span], width: int = SNIPPET_CHARS) -> Snippet:
    """The stretch of one visible paragraph holding the most hits (the first paragraph when
    there are none), cut at word boundaries to about `width` characters."""
    paragraphs = article.visible or article.paragraphs
    if not paragraphs:
        return Snippet(0, 0, "", ())
    best = paragraphs[0]
    best_hits: list[Span] = []
    for p in paragraphs:
        inside = [h for h in hits if p.start <= h.start < p.end]
        if len(inside) > len(best_hits):
            best, best_hits = p, inside
    start, end = best.start, best.end
    if end - start > width:
        centre = best_hits[0].start if best_hits else start
        # The densest window: the one starting near the hit with most hits in reach.
        for h in best_hits:
            if sum(1 for x in best_hits if h.start <= x.start < h.start + width) > sum(
                1 for x in best_hits if centre <= x.start < centre + width
            ):
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
