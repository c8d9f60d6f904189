"""A corpus and its index, as one object: the engine's front door. Reading (search,
articles, shared passages) happens here; writing is `sync.update`; what lies on disk is
described by an `IndexSpec`."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AlignmentError, ArticleNotFoundError, IndexDamagedError
from ..ingest.corpus import check_root
from ..ingest.limits import Limits
from ..locations import index_dir_for, stems_file, variants_file
from ..model import Article, Span, UpdateReport
from ..reuse.align import DEFAULT_SETTINGS, Alignment, AlignSettings, Side, align, prepare
from ..reuse.candidates import DEFAULT_REUSE, ReuseSettings, cache_friendly, candidate_pairs
from ..reuse.learned import LearnedVariant, LearnedVariants, learned_path
from ..reuse.overlaps import Aligner, Overlap, Related, align_pairs, collect_overlaps
from ..reuse.overlaps import related as related_articles
from ..search.highlight import QueryTerms, find_hits
from ..search.results import SearchResults, list_all
from ..text.analysis import Analyzer, Term, load_stems
from ..text.vocabulary import load_vocabulary
from . import stats, sync
from .cache import LRU
from .catalog import Catalog, Summary
from .spec import IndexSpec
from .staleness import Pending, pending, stored_fields


@dataclass(frozen=True)
class Comparison:
    a: Article
    b: Article
    alignment: Alignment


class Library:
    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._ix: Any = None
        self._searcher: Any = None
        self._catalog: Catalog | None = None
        self._terms: LRU[tuple[str, str], list[Term]] = LRU(256)
        self._sides: LRU[tuple[str, str], Side] = LRU(512)
        self._stems_loaded = False
        self._learned: LearnedVariants | None = None
        self._equivalents: dict[str, str] | None = None

    @classmethod
    def open(
        cls,
        corpus: Path,
        index_dir: Path | None = None,
        variants: Path | None = None,
        limits: Limits | None = None,
    ) -> Library:
        root = check_root(Path(corpus))
        vocabulary = load_vocabulary(variants if variants is not None else variants_file())
        folder = index_dir_for(root, index_dir)
        limits = limits or Limits()
        if not limits.fields:
            # Field names given once on the command line stay with the index.
            limits = dataclasses.replace(limits, fields=stored_fields(folder / "catalog.sqlite"))
        return cls(IndexSpec(root, folder, Analyzer(vocabulary), limits))

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
        return pending(self.spec, self._open_catalog() if self.exists() else None)

    def close(self) -> None:
        for handle in (self._searcher, self._catalog, self._ix):
            if handle is not None:
                handle.close()
        self._searcher = self._catalog = self._ix = None

    def update(
        self,
        *,
        rebuild: bool = False,
        progress: sync.Progress | None = None,
        should_stop: sync.StopAsked | None = None,
    ) -> UpdateReport:
        """Bring the index in line with the corpus folder (see `sync`)."""
        self.close()
        return sync.update(self.spec, rebuild=rebuild, progress=progress, should_stop=should_stop)

    def stats(self) -> stats.CorpusStats:
        return stats.corpus_stats(self.spec.corpus, self.spec.index_dir)

    # -- reading --------------------------------------------------------------------------
    def _open_catalog(self) -> Catalog:
        if self._catalog is None:
            if not self.spec.catalog_path.exists():
                raise IndexDamagedError(f"no index at {self.index_dir}: run `newsreader index`")
            self._catalog = Catalog(self.spec.catalog_path)
        return self._catalog

    def _open_searcher(self) -> Any:
        """A Whoosh searcher kept between queries (opening one reads every segment) and
        refreshed when the index has changed since."""
        if self._searcher is None:
            if self._ix is None:
                from ..search.fulltext import open_index

                self._ix = open_index(self.spec.text_dir)
            self._searcher = self._ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, text: str, limit: int = 10) -> SearchResults:
        """Ranked hits for a query; an empty query lists every article, newest first."""
        if not text.strip():
            return list_all(self._open_catalog(), max(1, limit))
        from ..search.execute import run_search  # Whoosh loads with the first real query

        self._load_stems()
        return run_search(
            text, self._open_searcher(), self._open_catalog(), self.analyzer, limit, self._terms_of
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
        return find_hits(
            article, terms, self.analyzer, include_hidden=True, terms=self._terms_of(article)
        )

    def article(self, ref: str) -> Article:
        """An article by id, unique id prefix, file name, or path (absolute or relative to the
        working folder) inside the corpus."""
        catalog = self._open_catalog()
        candidates = [ref]
        with suppress(ValueError, OSError):
            candidates.append(Path(ref).expanduser().resolve().relative_to(self.corpus).as_posix())
        for cand in candidates:
            article = catalog.article(cand)
            if article is not None:
                return article
        matches = catalog.find_ids(ref)
        if len(matches) == 1:
            return catalog.article(matches[0])  # type: ignore[return-value]
        if len(matches) > 1:
            shown = ", ".join(matches[:3]) + (" …" if len(matches) > 3 else "")
            raise ArticleNotFoundError(f'"{ref}" matches {len(matches)} articles: {shown}')
        raise ArticleNotFoundError(f'no article "{ref}" in {self.corpus}')

    def count(self) -> int:
        return self._open_catalog().count()

    def summaries(self, limit: int | None = None) -> list[Summary]:
        return self._open_catalog().summaries(limit=limit)

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
            a, b, align(self._side(a), self._side(b), self.analyzer, settings, self.equivalents())
        )

    def aligner(self, settings: AlignSettings = DEFAULT_SETTINGS) -> Aligner:
        """Aligns two articles given by their catalog numbers."""
        catalog = self._open_catalog()
        same = self.equivalents()

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
        article = self.article(ref)
        catalog = self._open_catalog()
        doc = catalog.doc_of(article.id)
        if doc is None:  # pragma: no cover - article() read it from the catalog
            raise ArticleNotFoundError(f'no article "{ref}"')
        found = related_articles(catalog, doc, self.aligner(settings), catalog.id_of, reuse)
        self._learn((article.id, r.id, r.alignment) for r in found)
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

        catalog = self._open_catalog()
        pairs = cache_friendly(candidate_pairs(catalog, reuse))
        workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        if workers <= 1 or len(pairs) < PARALLEL_PAIRS:
            aligned = align_pairs(pairs, self.aligner(settings), progress)
        else:
            aligned = align_in_processes(
                pairs, _WorkerAligner(self.spec, settings), workers, progress
            )
        found = collect_overlaps(aligned, catalog.id_of, min_coverage)
        self._learn((o.a, o.b, o.alignment) for o in found)
        return found

    # -- learned substitutions ------------------------------------------------------------
    def _learned_variants(self) -> LearnedVariants:
        if self._learned is None:
            self._learned = LearnedVariants.load(
                learned_path(self.index_dir), self.analyzer.vocabulary.fingerprint()
            )
        return self._learned

    def equivalents(self) -> dict[str, str]:
        """The learned substitutions alignments use (term → key), read once."""
        if self._equivalents is None:
            self._equivalents = self._learned_variants().equivalents()
        return self._equivalents

    def learned_variants(self, min_pairs: int | None = None) -> list[LearnedVariant]:
        """Word substitutions seen in shared passages of several article pairs."""
        learned = self._learned_variants()
        return learned.learned() if min_pairs is None else learned.learned(min_pairs)

    def find_learned(self, words: list[str]) -> LearnedVariant | None:
        return self._learned_variants().find(words, self.analyzer)

    def _learn(self, aligned: Iterable[tuple[str, str, Alignment]]) -> None:
        """Record the substitutions of confident passages beside the index (what later
        alignments use is fixed when this library first aligns; a new run picks them up)."""
        learned = self._learned_variants()
        for id_a, id_b, alignment in aligned:
            learned.record(id_a, id_b, alignment, self.analyzer)
        if self.index_dir.is_dir():
            learned.save(learned_path(self.index_dir))


@dataclass(frozen=True)
class _WorkerAligner:
    """Builds, in a worker process, an aligner on its own library (picklable)."""

    spec: IndexSpec
    settings: AlignSettings

    def __call__(self) -> Aligner:
        return Library(self.spec).aligner(self.settings)
