"""Searching part of the corpus: a Whoosh searcher whose searches keep to some articles
(by id) and may be sorted by date, and a catalog seen the same way for listing articles
without a query. Both stand in for the real thing, so the query code runs unchanged."""

from __future__ import annotations

from typing import Any

# Whoosh's placeholder in a sortable numeric column for a document without a value.
_NO_VALUE = 2**63


def whoosh_search(searcher: Any, q: Any, *, exact: bool = False, **kwargs: Any) -> Any:
    """`searcher.search(q, **kwargs)`; `exact`: every match is visited, so that the count is
    exact. Whoosh swaps in cheaper matchers once its top N are full, which skip documents
    that could not enter the top N (those matching a query word in the title only, say):
    the count then falls short ("jakarta" counted 142 of 797 articles at limit 10)."""
    if isinstance(searcher, NarrowedSearcher):
        return searcher.search(q, exact=exact, **kwargs)
    collector = searcher.collector(**kwargs)
    if exact:
        inner = collector
        while hasattr(inner, "child"):  # filters and masks wrap the collector that scores
            inner = inner.child
        inner.replace = 0  # never swap matchers
    searcher.search_with_collector(q, collector)
    return collector.results()


class NarrowedSearcher:
    """A Whoosh searcher whose searches keep to some articles and may sort by date; every
    other attribute is the searcher's own. Lets the query code run unchanged."""

    def __init__(
        self,
        searcher: Any,
        include: set[str] | None = None,
        exclude: set[str] | None = None,
        by_date: bool = False,
    ) -> None:
        self._searcher = searcher
        self._include = self._docnums(include) if include is not None else None
        self._exclude = self._docnums(exclude) if exclude else None
        self._by_date = by_date

    def _docnums(self, ids: set[str]) -> set[int]:
        found = (self._searcher.document_number(id=i) for i in ids)
        return {d for d in found if d is not None}

    def search(self, q: Any, *, exact: bool = False, **kwargs: Any) -> Any:
        if self._include is not None:
            # Whoosh reads an empty filter as none at all (every article); a document
            # number no article has lets nothing through, as a filter matching nothing must.
            kwargs["filter"] = self._include or {-1}
        if self._exclude:
            kwargs["mask"] = self._exclude
        if self._by_date:
            from whoosh import sorting

            # Newest first, undated articles last; articles of one date in the order they
            # were indexed, as tantivy leaves them (the order reversed, the last indexed came
            # first: a page of day-dated results held other articles in each engine).
            newest = sorting.TranslateFacet(
                lambda value: 1 if value is None or value >= _NO_VALUE else -value,
                sorting.FieldFacet("date"),
            )
            kwargs.setdefault("sortedby", newest)
            found = whoosh_search(self._searcher, q, exact=exact, **kwargs)
            return _Rescored(self._searcher, q, found)
        return whoosh_search(self._searcher, q, exact=exact, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)


class _Hit:
    def __init__(self, hit: Any, score: float) -> None:
        self._hit = hit
        self.score = score

    def __getitem__(self, name: str) -> Any:
        return self._hit[name]


class _Rescored:
    """Sorted results carry the sort key where the score was: these carry the score. The
    scores are worked out when the hits are first read, so that counting (`len`) costs no
    second search; everything else (`has_exact_length`, `collector`, ...) is the sorted
    results' own."""

    def __init__(self, searcher: Any, q: Any, results: Any) -> None:
        self._searcher = searcher
        self._q = q
        self._results = results
        self._scores: dict[int, float] | None = None

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Any:
        if self._scores is None:
            docs = {hit.docnum for hit in self._results}
            scored = (
                self._searcher.search(self._q, limit=max(len(docs), 1), filter=docs) if docs else []
            )
            self._scores = {hit.docnum: hit.score for hit in scored}
        for hit in self._results:
            yield _Hit(hit, self._scores.get(hit.docnum, 0.0))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._results, name)


class NarrowedSource:
    """A catalog seen through a state filter, for listing articles without a query."""

    def __init__(self, catalog: Any, include: set[str] | None, exclude: set[str]) -> None:
        self._catalog = catalog
        self._include = include
        self._exclude = exclude

    def _keep(self, article_id: str) -> bool:
        if self._include is not None and article_id not in self._include:
            return False
        return article_id not in self._exclude

    def article(self, article_id: str) -> Any:
        return self._catalog.article(article_id)

    def summaries(self, *, limit: int | None = None) -> list[Any]:
        kept = [s for s in self._catalog.summaries() if self._keep(s.id)]
        return kept if limit is None else kept[:limit]

    def count(self) -> int:
        return sum(1 for i in self._catalog.ids() if self._keep(i))

    def forms_of(self, term: str) -> list[str]:
        return self._catalog.forms_of(term)
