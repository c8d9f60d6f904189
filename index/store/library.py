"""A corpus and its index, as one object: the engine's front door. Reading (search,
articles, shared passages) happens here; writing is `sync.update`; what lies on disk is
described by an `IndexSpec`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import IndexDamagedError
from ..ingest.corpus import check_root, list_sources
from ..ingest.limits import Limits
from ..locations import index_dir_for, stems_file, variants_file
from ..model import Article, Span, UpdateReport
from ..search.highlight import QueryTerms, find_hits, title_hits
from ..search.results import SearchResults
from ..text.analysis import Analyzer, Term, load_stems
from ..text.vocabulary import load_vocabulary
from .cache import LRU
from .catalog import Summary
from .facets import FacetFilter
from .learning import Learning
from .live import LiveIndex
from .passages import SharedPassages
from .refs import resolve_article
from .searching import search_stores
from .spec import IndexSpec
from .staleness import Pending, corpus_for, pending, stored_fields
from .userstate import UserState

if TYPE_CHECKING:  # loaded by the methods that need them: a search never writes or aligns
    from ..reuse.align import AlignSettings, Side
    from ..reuse.overlaps import Aligner
    from . import sync
    from .check import IndexCheck
    from .stats import CorpusStats


class Library(SharedPassages):
    """A corpus and its index (see the module's docstring); the shared-passage methods come
    from `SharedPassages`."""

    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._live = LiveIndex(spec)
        self._terms: LRU[tuple[str, str], list[Term]] = LRU(256)
        self._sides: LRU[tuple[str, str], Side] = LRU(512)
        self._stems_loaded = False
        self._state: UserState | None = None
        self.learning = Learning(spec.index_dir, spec.analyzer, spec.live)

    @classmethod
    def open(
        cls,
        corpus: Path | None = None,
        index_dir: Path | None = None,
        variants: Path | None = None,
        limits: Limits | None = None,
        engine: str | None = None,
    ) -> Library:
        """The library of `corpus`. Without one: the corpus an index folder given (or set
        in $NEWSREADER_INDEX_DIR) was built from, else the user's default corpus
        (config.toml), else the bundled sample articles. `engine` is the search engine to
        build with ("whoosh" or "tantivy"; None: the one the index records, else the
        default)."""
        root = check_root(Path(corpus) if corpus is not None else corpus_for(index_dir))
        vocabulary = load_vocabulary(variants if variants is not None else variants_file())
        folder = index_dir_for(root, index_dir)
        limits = limits or Limits()
        if not limits.fields:
            # Field names given once on the command line stay with the index.
            limits = dataclasses.replace(limits, fields=stored_fields(folder))
        return cls(IndexSpec(root, folder, Analyzer(vocabulary), limits, engine))

    def copy(self) -> Library:
        """Another library on the same index, with connections of its own (for another
        thread)."""
        return Library(self.spec)

    @property
    def corpus(self) -> Path:
        return self.spec.corpus

    @property
    def index_dir(self) -> Path:
        return self.spec.index_dir

    @property
    def analyzer(self) -> Analyzer:
        return self.spec.analyzer

    # -- state ----------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.spec.exists()

    def pending(self) -> Pending:
        if not self.exists():
            return pending(self.spec, None)
        try:
            stores = self._live.open()
        except IndexDamagedError as exc:
            sources = len(list_sources(self.corpus)[0])
            return Pending(sources, 0, 0, f"the index is damaged ({exc})")
        with stores.catalog.snapshot():
            return pending(self.spec, stores.catalog, stores.build)

    def busy(self) -> bool:
        """Whether another process is updating the index now (searches answer from its last
        commit meanwhile)."""
        return self.spec.layout.busy()

    def read_only(self) -> bool:
        """Whether the index can be searched but not updated (read-only storage)."""
        return self.spec.layout.read_only()

    def close(self) -> None:
        self._live.close()
        if self._state is not None:
            self._state.close()
            self._state = None

    def user_state(self) -> UserState:
        """The reader's marks, bookmarks and searches for this corpus (see `userstate`)."""
        if self._state is None:
            self._state = UserState.for_corpus(self.corpus)
        return self._state

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: sync.Progress | None = None,
        should_stop: sync.StopAsked | None = None,
        notice: sync.Notice | None = None,
        compact: bool = False,
    ) -> UpdateReport:
        """Bring the index in line with the corpus folder (see `sync`). `notice` hears what
        the update is about to do when that is more than adding files (a rebuild, and why).
        The report's `unchanged` counts articles (in the index and left as they were).
        `compact`: the run's last commit merges the full text into one segment (Whoosh)."""
        self.close()
        from . import sync

        report = sync.update(
            self.spec,
            rebuild=rebuild,
            progress=progress,
            should_stop=should_stop,
            notice=notice,
            compact=compact,
        )
        if not report.interrupted and self.exists():
            kept = self.count() - len(report.added) - len(report.updated)
            report.unchanged = max(kept, 0)
            self.close()
        return report

    def check(self) -> IndexCheck:
        """Verify both stores through and through (see `check`); nothing is written."""
        from .check import check_index

        return check_index(self.spec)

    def stats(self) -> CorpusStats:
        from .stats import corpus_stats

        return corpus_stats(self.spec.corpus, self.spec.index_dir)

    # -- reading --------------------------------------------------------------------------
    def search(
        self,
        text: str,
        limit: int = 10,
        *,
        sort: str = "relevance",
        facets: FacetFilter | None = None,
    ) -> SearchResults:
        """Ranked hits for a query (`sort="date"`: newest first); an empty query lists every
        article, newest first. `is:unread`-style terms narrow it by the reader's state, and
        `facets` to some outlets and dates."""
        # A query's words take their stems from the index's written forms (see
        # searching.learn_query_stems); the saved stems of every word the builds have seen
        # (a fifth of a second to read) are not needed for it.
        with self._live.reading() as stores:
            return search_stores(
                stores,
                text,
                self.analyzer,
                limit=limit,
                sort=sort,
                facets=facets,
                user_state=self.user_state,
                terms_of=self._terms_of,
            )

    def _load_stems(self) -> None:
        # The stems the last update worked out: stemming a new word costs far more than
        # reading it back.
        if not self._stems_loaded:
            load_stems(stems_file())
            self._stems_loaded = True

    def _terms_of(self, article: Article) -> list[Term]:
        self._load_stems()
        return self._terms.get(
            (article.id, article.content_hash), lambda: self.analyzer.terms(article.text)
        )

    def find_hits(self, article: Article, terms: QueryTerms) -> list[Span]:
        """Where a query's words occur in the article, hidden paragraphs included."""
        # With the terms' written forms known (from the index), no analysis is needed.
        known = None if terms.forms is not None else self._terms_of(article)
        return find_hits(article, terms, self.analyzer, include_hidden=True, terms=known)

    def title_hits(self, article: Article, terms: QueryTerms) -> tuple[Span, ...]:
        """Where a query's words occur in the article's title as shown, as offsets into it
        (a record's title is not in its text, where `find_hits` looks)."""
        return title_hits(article, terms, self.analyzer)

    def article(self, ref: str) -> Article:
        """An article by id, unique id prefix, file name, or path (absolute or relative to the
        working folder) inside the corpus."""
        with self._live.reading() as stores:
            return resolve_article(stores.catalog, self.corpus, ref)

    def count(self) -> int:
        with self._live.reading() as stores:
            return stores.catalog.count()

    def summaries(self, limit: int | None = None) -> list[Summary]:
        with self._live.reading() as stores:
            return stores.catalog.summaries(limit=limit)

    def _worker_aligner(self, settings: AlignSettings | None) -> _WorkerAligner:
        return _WorkerAligner(self.spec, settings)


@dataclass(frozen=True)
class _WorkerAligner:
    """Builds, in a worker process, an aligner on its own library (picklable)."""

    spec: IndexSpec
    settings: AlignSettings | None

    def __call__(self) -> Aligner:
        return Library(self.spec).aligner(self.settings)
