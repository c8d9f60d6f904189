"""The app's one door to the engine. Workers call these methods from threads; locks make
sure no Library (one SQLite connection, one Whoosh index) is used by two threads at once,
whichever worker asks.

Two Library objects share the index: one answers searches and reads articles, the other
aligns (related articles, comparisons). Finding related articles can take a few tenths of a
second on a real corpus, and a search typed meanwhile should not queue behind it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..index import (
    Alignment,
    Article,
    Comparison,
    Library,
    Pending,
    QueryTerms,
    SearchResults,
    Span,
    UpdateReport,
    printable,
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
        self._aligner = library.copy()
        self._align_lock = threading.Lock()

    @property
    def corpus_name(self) -> str:
        return printable(self.library.corpus.name or str(self.library.corpus))

    def pending(self) -> Pending:
        with self._lock:
            return self.library.pending()

    def exists(self) -> bool:
        with self._lock:
            return self.library.exists()

    def busy(self) -> bool:
        """Whether another process is updating the index now."""
        return self.library.busy()

    def update(
        self, progress: Callable[[int, int, str], None], should_stop: Callable[[], bool]
    ) -> UpdateReport:
        with self._lock, self._align_lock:
            # An update may swap the index folder: the aligner reopens it when next asked.
            self._aligner.close()
            return self.library.update(
                # File names are shown as the update goes: printable, like all the engine says.
                progress=lambda done, total, path: progress(done, total, printable(path)),
                should_stop=should_stop,
            )

    def search(self, query: str, limit: int) -> SearchResults:
        with self._lock:
            return self.library.search(query, limit=limit)

    def reading(self, article_id: str, terms: QueryTerms) -> Reading:
        with self._lock:
            article = self.library.article(article_id)
            hits = self.library.find_hits(article, terms)
        return Reading(article, tuple(hits))

    def related(self, article_id: str) -> list[RelatedArticle]:
        with self._align_lock:
            _, found = self._aligner.related(article_id)
            out = []
            for r in found:
                other = self._aligner.article(r.id)
                out.append(
                    RelatedArticle(
                        r.id, other.display_title, other.meta.outlet, other.meta.date, r.alignment
                    )
                )
        return out

    def compare(self, a_id: str, b_id: str) -> Comparison:
        with self._align_lock:
            return self._aligner.compare(a_id, b_id)

    def titles(self) -> list[tuple[str, str]]:
        """(id, title or stand-in title) of every article, newest first, for picking one."""
        with self._lock:
            return [(s.id, s.display_title) for s in self.library.summaries()]

    def close(self) -> None:
        # At exit a worker thread may still be busy (an update finishing its file): do not
        # wait on it; the process is ending and the engine commits in safe batches.
        for lock, library in ((self._lock, self.library), (self._align_lock, self._aligner)):
            if lock.acquire(timeout=1.0):
                try:
                    library.close()
                finally:
                    lock.release()
