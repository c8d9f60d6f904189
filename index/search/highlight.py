"""Where a query's words occur in an article, as offsets into its original text, and the
snippet that shows them best. Pure functions over an article and the query's terms."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Article, Span
from ..text.analysis import Analyzer, Term

SNIPPET_CHARS = 220


@dataclass(frozen=True)
class QueryTerms:
    """What to mark: analysed terms (stems, canonical variants) and folded surface words
    (from prefix, wildcard and fuzzy matches, which work on surface words)."""

    terms: frozenset[str] = frozenset()
    surface: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.terms or self.surface)


@dataclass(frozen=True)
class Snippet:
    start: int
    end: int
    text: str
    highlights: tuple[Span, ...]  # offsets into the article's original text
    prefix: str = ""  # "…" when the snippet starts inside a paragraph
    suffix: str = ""


def find_hits(
    article: Article,
    query: QueryTerms,
    analyzer: Analyzer,
    *,
    include_hidden: bool = False,
    terms: list[Term] | None = None,
) -> list[Span]:
    """Every place in the article (its visible paragraphs and title, or everything) where a
    query term occurs, in text order. `terms`: the article's analysed text, if known."""
    if not query:
        return []
    hits: list[Span] = []
    wanted, surface = query.terms, query.surface
    for term in terms if terms is not None else analyzer.terms(article.text):
        if term.text in wanted or (surface and term.surface in surface):
            hits.append(Span(term.start, term.end))
    if include_hidden:
        return hits
    shown = [(p.start, p.end) for p in article.paragraphs if not p.hidden]
    if article.meta.title_span:
        shown.append((article.meta.title_span.start, article.meta.title_span.end))
    return [h for h in hits if any(a <= h.start < b for a, b in shown)]


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
