"""The app's one door to the engine. Workers call these methods from threads; the lock
makes sure the Library (one SQLite connection, one Whoosh index) is never used by two
threads at once, whichever worker asks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from index import (
    Alignment,
    Article,
    Comparison,
    Library,
    Pending,
    QueryTerms,
    SearchResults,
    Span,
    UpdateReport,
    find_hits,
)


@dataclass(frozen=True)
class Reading:
    """An article with every place the query hits it (hidden paragraphs included, so the
    view can toggle them without asking again)."""

    article: Article
    hits: tuple[Span, ...]


@dataclass(frozen=True)
class RelatedArticle:
    id: str
    title: str
    outlet: str | None
    date: str | None
    alignment: Alignment  # from the article asked about (A) to this one (B)


class Engine:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()

    @property
    def corpus_name(self) -> str:
        return self.library.corpus.name or str(self.library.corpus)

    def pending(self) -> Pending:
        with self._lock:
            return self.library.pending()

    def exists(self) -> bool:
        with self._lock:
            return self.library.exists()

    def update(self, progress: Callable[[int, int, str], None],
               should_stop: Callable[[], bool]) -> UpdateReport:
        with self._lock:
            return self.library.update(progress=progress, should_stop=should_stop)

    def search(self, query: str, limit: int) -> SearchResults:
        with self._lock:
            return self.library.search(query, limit=limit)

    def count(self) -> int:
        with self._lock:
            return len(self.library.summaries())

    def reading(self, article_id: str, terms: QueryTerms) -> Reading:
        with self._lock:
            article = self.library.article(article_id)
            hits = find_hits(article, terms, self.library.analyzer, include_hidden=True)
        return Reading(article, tuple(hits))

    def related(self, article_id: str) -> list[RelatedArticle]:
        with self._lock:
            _, found = self.library.related(article_id)
            out = []
            for r in found:
                other = self.library.article(r.id)
                out.append(RelatedArticle(r.id, other.display_title, other.meta.outlet,
                                          other.meta.date, r.alignment))
        return out

    def compare(self, a_id: str, b_id: str) -> Comparison:
        with self._lock:
            return self.library.compare(a_id, b_id)

    def titles(self) -> list[tuple[str, str]]:
        """(id, title) of every article, for picking one by title. Untitled articles go by
        their id: summaries carry no text to build a stand-in title from."""
        with self._lock:
            return [(s.id, s.title or s.id) for s in self.library.summaries()]

    def close(self) -> None:
        with self._lock:
            self.library.close()
