"""A corpus and its index, as one object: the engine's front door. Reading (search,
articles, shared passages) happens here; writing is `sync.update`; what lies on disk is
described by an `IndexSpec`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..controls import printable
from ..errors import AlignmentError, ArticleNotFoundError, IndexDamagedError
from ..ingest.corpus import check_root, list_sources
from ..ingest.limits import Limits
from ..locations import index_dir_for, stems_file, variants_file
from ..model import Article, Span, UpdateReport
from ..reuse.align import DEFAULT_SETTINGS, Alignment, AlignSettings, Side, align, prepare
from ..reuse.candidates import DEFAULT_REUSE, ReuseSettings, cache_friendly, candidate_pairs
from ..reuse.overlaps import Aligner, Overlap, Related, align_pairs, collect_overlaps
from ..reuse.overlaps import related as related_articles
from ..search.highlight import QueryTerms, find_hits
from ..search.narrow import NarrowedSource
from ..search.results import SearchResults, list_all
from ..text.analysis import Analyzer, Term, load_stems
from ..text.vocabulary import load_vocabulary
from .cache import LRU
from .catalog import Summary
from .facets import FacetFilter
from .learning import Learning
from .live import LiveIndex
from .refs import resolve_article
from .spec import IndexSpec
from .staleness import Pending, corpus_for, pending, stored_fields
from .userstate import UserState, split_state_terms

if TYPE_CHECKING:  # loaded by the methods that need them: a search never writes
    from . import sync
    from .check import IndexCheck
    from .stats import CorpusStats


@dataclass(frozen=True)
class Comparison:
    a: Article
    b: Article
    alignment: Alignment


class Library:
    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._live = LiveIndex(spec)
        self._terms: LRU[tuple[str, str], list[Term]] = LRU(256)
        self._sides: LRU[tuple[str, str], Side] = LRU(512)
        self._stems_loaded = False
        self._state: UserState | None = None
        self.learning = Learning(spec.index_dir, spec.analyzer)

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
    ) -> UpdateReport:
        """Bring the index in line with the corpus folder (see `sync`). `notice` hears what
        the update is about to do when that is more than adding files (a rebuild, and why).
        The report's `unchanged` counts articles (in the index and left as they were)."""
        self.close()
        from . import sync

        report = sync.update(
            self.spec, rebuild=rebuild, progress=progress, should_stop=should_stop, notice=notice
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
        text = printable(text)  # as the indexed text is: a control character never reaches out
        rest, wanted = split_state_terms(text)
        with self._live.reading() as stores:
            include, exclude = wanted.allowed(self.user_state()) if wanted else (None, set())
            if facets:
                allowed = facets.ids(stores.catalog)
                include = allowed if include is None else include & allowed
            narrowed = bool(wanted or facets)
            if not rest.strip():
                source = stores.catalog
                if narrowed:
                    source = NarrowedSource(source, include, exclude)
                return dataclasses.replace(list_all(source, max(1, limit)), query=text.strip())
            from ..search.execute import run_search  # the engine loads with the first real query

            # No stems cache for a query: stemming its few words costs less than reading
            # the cache, which only pays for analysing whole articles (`_terms_of`).
            searcher = stores.searcher()
            if narrowed or sort == "date":
                searcher = searcher.narrowed(include, exclude, by_date=sort == "date")
            found = run_search(
                rest,
                searcher,
                stores.catalog,
                self.analyzer,
                limit,
                self._terms_of,
                stores.speller(),
            )
        if not wanted:
            return found
        suggestion = f"{found.suggestion} {wanted.terms()}" if found.suggestion else None
        return dataclasses.replace(found, query=text.strip(), suggestion=suggestion)

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

    # -- shared passages ------------------------------------------------------------------
    def _side(self, article: Article) -> Side:
        return self._sides.get(
            (article.id, article.content_hash),
            lambda: prepare(article, self.analyzer, self._terms_of(article)),
        )

    def compare(
        self, ref_a: str, ref_b: str, settings: AlignSettings = DEFAULT_SETTINGS
    ) -> Comparison:
        """The passages two articles share, with offsets into both original texts."""
        a = self.article(ref_a)
        b = self.article(ref_b)
        if a.id == b.id:
            raise AlignmentError(
                f"both names refer to the same article ({a.id}); give two different articles"
            )
        for article in (a, b):
            if not self._side(article).counted:
                raise AlignmentError(f"article {article.id} has no text to compare")
        return Comparison(
            a,
            b,
            align(
                self._side(a), self._side(b), self.analyzer, settings, self.learning.equivalents()
            ),
        )

    def aligner(self, settings: AlignSettings = DEFAULT_SETTINGS) -> Aligner:
        """Aligns two articles given by their catalog numbers."""
        catalog = self._live.open().catalog
        same = self.learning.equivalents()

        def run(x: int, y: int) -> Alignment | None:
            a, b = catalog.article_by_doc(x), catalog.article_by_doc(y)
            if a is None or b is None:
                return None
            return align(self._side(a), self._side(b), self.analyzer, settings, same)

        return run

    def related(
        self,
        ref: str,
        settings: AlignSettings = DEFAULT_SETTINGS,
        reuse: ReuseSettings = DEFAULT_REUSE,
    ) -> tuple[Article, list[Related]]:
        """Other articles sharing at least one passage with this one, by coverage."""
        with self._live.reading() as stores:
            catalog = stores.catalog
            article = resolve_article(catalog, self.corpus, ref)
            doc = catalog.doc_of(article.id)
            if doc is None:  # pragma: no cover - article() read it from the catalog
                raise ArticleNotFoundError(f'no article "{ref}"')
            found = related_articles(catalog, doc, self.aligner(settings), catalog.id_of, reuse)
        self.learning.learn((article.id, r.id, r.alignment) for r in found)
        return article, found

    def overlaps(
        self,
        min_coverage: float = 0.0,
        settings: AlignSettings = DEFAULT_SETTINGS,
        reuse: ReuseSettings = DEFAULT_REUSE,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
    ) -> list[Overlap]:
        """Every pair of articles in the corpus that shares passages. Candidate pairs are
        aligned in `workers` processes (default: one per CPU) when there are many."""
        from ..reuse.parallel import PARALLEL_PAIRS, align_in_processes  # multiprocessing

        catalog = self._live.open().catalog
        pairs = cache_friendly(candidate_pairs(catalog, reuse))
        workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        if workers <= 1 or len(pairs) < PARALLEL_PAIRS:
            aligned = align_pairs(pairs, self.aligner(settings), progress)
        else:
            aligned = align_in_processes(
                pairs, _WorkerAligner(self.spec, settings), workers, progress
            )
        found = collect_overlaps(aligned, catalog.id_of, min_coverage)
        self.learning.learn((o.a, o.b, o.alignment) for o in found)
        return found


@dataclass(frozen=True)
class _WorkerAligner:
    """Builds, in a worker process, an aligner on its own library (picklable)."""

    spec: IndexSpec
    settings: AlignSettings

    def __call__(self) -> Aligner:
        return Library(self.spec).aligner(self.settings)
