"""Running a query: BM25F ranking on an open Whoosh searcher, then hits with highlights and
snippets, and a suggestion when the query finds little."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..model import Article
from ..text.analysis import Analyzer, Term
from .highlight import QueryTerms, find_hits, make_snippet
from .query import parse_query, query_terms, rewrite
from .results import ArticleSource, Hit, SearchResults
from .suggest import suggest

MAX_LIMIT = 10_000

TermsOf = Callable[[Article], list[Term]]


def run_search(
    text: str,
    searcher: Any,
    catalog: ArticleSource,
    analyzer: Analyzer,
    limit: int = 10,
    terms_of: TermsOf | None = None,
) -> SearchResults:
    """Run a (non-empty) query on an open Whoosh searcher. `terms_of` gives an article's
    analysed text (a caller may cache it)."""
    limit = max(1, min(limit, MAX_LIMIT))
    text = text.strip()
    q = parse_query(text, searcher.schema, analyzer)
    q = rewrite(q, searcher.reader())
    results = searcher.search(q, limit=limit)
    total = len(results)
    ranked = [(r["id"], r.score) for r in results]
    qterms = query_terms(q)
    suggestion = suggest(text, searcher, force=total == 0)
    hits = _hits(
        ranked,
        catalog,
        analyzer,
        qterms,
        terms_of or (lambda article: analyzer.terms(article.text)),
    )
    return SearchResults(text, total, hits, suggestion, qterms)


def _hits(
    ranked: list[tuple[str, float]],
    catalog: ArticleSource,
    analyzer: Analyzer,
    qterms: QueryTerms,
    terms_of: TermsOf,
) -> list[Hit]:
    hits: list[Hit] = []
    for article_id, score in ranked:
        article = catalog.article(article_id)
        if article is None:
            continue  # indexed but not yet in the catalog: an interrupted run; skip it
        spans = find_hits(article, qterms, analyzer, terms=terms_of(article))
        m = article.meta
        hits.append(
            Hit(
                article.id,
                article.path,
                m.title,
                article.display_title,
                m.outlet,
                m.date,
                m.language,
                round(float(score), 4),
                make_snippet(article, spans),
                tuple(spans),
            )
        )
    return hits
