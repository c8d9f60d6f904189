"""What a search returns. Kept apart from `search` so that reading results needs no Whoosh
import (opening the app shows the newest articles before any search runs)."""

from __future__ import annotations

from dataclasses import dataclass

from index.catalog import Catalog
from index.highlight import QueryTerms, Snippet, make_snippet
from index.model import Span


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


@dataclass(frozen=True)
class SearchResults:
    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None
    terms: QueryTerms


def list_all(catalog: Catalog, limit: int) -> SearchResults:
    """Every article, newest first: what an empty query shows."""
    summaries = catalog.summaries(limit=limit)
    hits = []
    for s in summaries:
        article = catalog.article(s.id)
        if article is None:  # pragma: no cover - catalog read is consistent
            continue
        hits.append(Hit(s.id, s.path, s.title, article.display_title, s.outlet, s.date,
                        article.meta.language, 0.0, make_snippet(article, []), ()))
    return SearchResults("", catalog.count(), hits, None, QueryTerms())
