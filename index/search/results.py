"""What a search returns. Kept apart from the modules that query Whoosh, so that listing
articles needs no Whoosh import (the app shows the newest articles before any search)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Article, Span
from .highlight import QueryTerms, Snippet, make_snippet


class Summarised(Protocol):
    id: str
    path: str
    title: str | None
    outlet: str | None
    date: str | None


class ArticleSource(Protocol):
    """Where articles are stored (the index's catalog)."""

    def article(self, article_id: str) -> Article | None: ...

    def summaries(self, *, limit: int | None = None) -> list[Summarised]: ...

    def count(self) -> int: ...

    def forms_of(self, term: str) -> list[str]:
        """How `term` is written across the corpus (see catalog.Catalog.forms_of)."""
        ...


@dataclass(frozen=True)
class Hit:
    id: str
    path: str
    title: str | None
    display_title: str
    outlet: str | None
    date: str | None
    language: str | None
    score: float
    snippet: Snippet
    highlights: tuple[Span, ...]
    url: str | None = None  # where the article was published, when its record says
    # Where the query's words occur in `display_title`, as offsets into it.
    title_highlights: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int  # articles found; a lower bound when `total_exact` is False
    hits: list[Hit]
    suggestion: str | None
    terms: QueryTerms
    # How many articles the suggestion finds (never suggested when it finds none).
    suggestion_hits: int | None = None
    # Set when the hits include best partial matches (articles without every word), with a
    # note saying so ("no article has all 12 words; showing the best matches").
    note: str | None = None
    partial: bool = False
    # False when `total` counts only what ranking the best hits looked at: counting every
    # partial match would take a second pass over the index.
    total_exact: bool = True


def list_all(catalog: ArticleSource, limit: int) -> SearchResults:
    """Every article, newest first: what an empty query shows."""
    summaries = catalog.summaries(limit=limit)
    hits = []
    for s in summaries:
        article = catalog.article(s.id)
        if article is None:  # pragma: no cover - catalog read is consistent
            continue
        hits.append(
            Hit(
                s.id,
                s.path,
                s.title,
                article.display_title,
                s.outlet,
                s.date,
                article.meta.language,
                0.0,
                make_snippet(article, []),
                (),
                article.meta.url,
            )
        )
    return SearchResults("", catalog.count(), hits, None, QueryTerms())
