"""The app's one door to the engine. Workers call these methods from threads; locks make
sure no Library (one SQLite connection, one Whoosh index) is used by two threads at once,
whichever worker asks.

Three Library objects share the index: one answers searches and reads articles, one aligns
(related articles, comparisons), and one writes (updates). Finding related articles can
take a few tenths of a second on a real corpus, and a search typed meanwhile should not
queue behind it; an update can take minutes, and searching goes on meanwhile over what it
has committed so far (a search refreshes its view of the index each time)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..index import (
    Alignment,
    AlignSettings,
    Article,
    Comparison,
    CorpusStats,
    FacetFilter,
    Library,
    Pending,
    QueryTerms,
    SearchResults,
    Span,
    UpdateReport,
    UserState,
    printable,
)

DEFAULT_MIN_WORDS = AlignSettings().min_words


@dataclass(frozen=True)
class Reading:
    """An article with every place the query hits it (hidden paragraphs included, so the
    view can toggle them without asking again)."""

    article: Article
    hits: tuple[Span, ...]
    # In the title as shown, when it is not in the text (a record's): offsets into it.
    title_hits: tuple[Span, ...] = ()


@dataclass(frozen=True)
class RelatedArticle:
    id: str
    title: str
    outlet: str | None
    date: str | None
    alignment: Alignment  # from the article asked about (A) to this one (B)


def align_settings(min_words: int | None) -> AlignSettings:
    """Alignment settings with `min_words` shared words at least in a passage."""
    settings = AlignSettings()
    if min_words is None:
        return settings
    return AlignSettings(
        min_words=min_words, min_common_words=min(settings.min_common_words, min_words)
    )


class Engine:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._aligner = library.copy()
        self._align_lock = threading.Lock()
        self._writer = library.copy()
        self._write_lock = threading.Lock()
        # The start-up's long reads (a stat of every file, every title) on a library of their
        # own: at 100,000 articles they take seconds, and the first search must not wait.
        self._background = library.copy()
        self._background_lock = threading.Lock()
        self._state: UserState | None = None
        self._state_lock = threading.Lock()

    @property
    def corpus_name(self) -> str:
        return printable(self.library.corpus.name or str(self.library.corpus))

    def pending(self) -> Pending:
        with self._background_lock:
            return self._background.pending()

    def exists(self) -> bool:
        with self._lock:
            return self.library.exists()

    def busy(self) -> bool:
        """Whether another process is updating the index now."""
        return self.library.busy()

    def read_only(self) -> bool:
        """Whether the index can be searched but not updated."""
        return self.library.read_only()

    def update(
        self, progress: Callable[[int, int, str], None], should_stop: Callable[[], bool]
    ) -> UpdateReport:
        """Bring the index up to date. Searches go on meanwhile: the writer has a library
        of its own, and commits in batches that searches pick up."""
        with self._write_lock:
            try:
                return self._writer.update(
                    # File names are shown as the update goes: printable, like all the engine
                    # says.
                    progress=lambda done, total, path: progress(done, total, printable(path)),
                    should_stop=should_stop,
                )
            finally:
                self._writer.close()
                self.reopen()

    def reopen(self) -> None:
        """Drop open handles, so the next call opens the index afresh (a rebuild swaps the
        whole folder)."""
        with self._lock:
            self.library.close()
        with self._align_lock:
            self._aligner.close()
        with self._background_lock:
            self._background.close()

    def search(
        self,
        query: str,
        limit: int,
        sort: str = "relevance",
        facets: FacetFilter | None = None,
    ) -> SearchResults:
        with self._lock:
            return self.library.search(query, limit=limit, sort=sort, facets=facets)

    def warm_up(self, word: str) -> None:
        """Search for `word` and forget the results: see MainScreen.warm_up. Not through
        `search`, which stands for the reader's own searches."""
        with self._lock:
            self.library.search(word, limit=1)

    def count(self) -> int:
        """Articles searchable now."""
        with self._lock:
            return self.library.count()

    def reading(self, article_id: str, terms: QueryTerms) -> Reading:
        with self._lock:
            article = self.library.article(article_id)
            hits = self.library.find_hits(article, terms)
            in_title = () if article.meta.title_span else self.library.title_hits(article, terms)
        return Reading(article, tuple(hits), in_title)

    def article(self, article_id: str) -> Article:
        with self._lock:
            return self.library.article(article_id)

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

    def compare(self, a_id: str, b_id: str, min_words: int | None = None) -> Comparison:
        with self._align_lock:
            return self._aligner.compare(a_id, b_id, align_settings(min_words))

    def titles(self) -> list[tuple[str, str]]:
        """(id, title or stand-in title) of every article, newest first, for picking one."""
        with self._background_lock:
            return [(s.id, s.display_title) for s in self._background.summaries()]

    def facets(self) -> CorpusStats:
        """Articles by outlet and month (for the filter)."""
        with self._lock:
            return self.library.stats()

    # -- the reader's state -----------------------------------------------------------------
    @property
    def state(self) -> UserState:
        with self._state_lock:
            if self._state is None:
                self._state = UserState.for_corpus(self.library.corpus)
            return self._state

    def close(self) -> None:
        # At exit a worker thread may still be busy (an update finishing its file): do not
        # wait on it; the process is ending and the engine commits in safe batches.
        for lock, library in (
            (self._lock, self.library),
            (self._align_lock, self._aligner),
            (self._write_lock, self._writer),
            (self._background_lock, self._background),
        ):
            if lock.acquire(timeout=1.0):
                try:
                    library.close()
                finally:
                    lock.release()
        if self._state is not None:
            self._state.close()
