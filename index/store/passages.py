"""The library's shared-passage methods: comparing two articles, the articles related to
one, and every overlapping pair of the corpus (see reuse/), on the library's live index,
caches and learned substitutions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import AlignmentError, ArticleNotFoundError
from ..model import Article
from .refs import resolve_article
from .spec import IndexSpec

# Alignment loads with the first method that aligns: a library that only searches (the
# `search` command) never imports it.
if TYPE_CHECKING:
    from pathlib import Path

    from ..reuse.align import Alignment, AlignSettings, Side
    from ..reuse.candidates import ReuseSettings
    from ..reuse.overlaps import Aligner, Overlap, Related
    from ..text.analysis import Analyzer, Term
    from ..text.tokens import AlignToken
    from .cache import LRU
    from .catalog import Catalog
    from .learning import Learning
    from .live import LiveIndex


@dataclass(frozen=True)
class Comparison:
    a: Article
    b: Article
    alignment: Alignment


@dataclass(frozen=True)
class ShingledCatalog:
    """The catalog's shingle postings, with an article's own shingles worked out from its
    tokens (the catalog keeps none per article): from those its alignment prepares anyway,
    so that asking for related articles analyses the article once."""

    catalog: Catalog
    tokens_of: Callable[[int], tuple[AlignToken, ...]]

    def shingles_of(self, doc: int) -> tuple[list[int], list[int]]:
        from ..text.tokens import shingles

        found = shingles(list(self.tokens_of(doc)))
        return [h for h, _ in found], [p for _, p in found]

    def postings(self, hashes: Iterable[int]) -> Iterator[tuple[int, int, int]]:
        return self.catalog.postings(hashes)

    def all_postings(self) -> Iterator[tuple[int, int, int]]:
        return self.catalog.all_postings()

    def shared_postings(self, max_docs: int) -> Iterator[tuple[int, int, int]]:
        return self.catalog.shared_postings(max_docs)

    def rare_postings(
        self, hashes: Iterable[int], most: Callable[[int], int]
    ) -> Iterator[tuple[int, int, int]]:
        return self.catalog.postings(hashes, most)


class SharedPassages:
    """Mixed into `Library`, whose state it works on."""

    spec: IndexSpec
    _live: LiveIndex
    _sides: LRU[tuple[str, str], Side]
    learning: Learning
    if TYPE_CHECKING:  # the library's own (declared here for the type checker only)
        analyzer: Analyzer
        corpus: Path

        def article(self, ref: str) -> Article: ...

        def _terms_of(self, article: Article) -> list[Term]: ...

        def _worker_aligner(self, settings: AlignSettings | None) -> Callable[[], Aligner]: ...

    def _side(self, article: Article) -> Side:
        from ..reuse.align import prepare

        return self._sides.get(
            (article.id, article.content_hash),
            lambda: prepare(article, self.analyzer, self._terms_of(article)),
        )

    def _shingled(self, catalog: Catalog) -> ShingledCatalog:
        """The catalog's postings, an article's own shingles taken from its alignment
        tokens (prepared once, and kept for aligning it)."""

        def tokens_of(doc: int) -> tuple[AlignToken, ...]:
            found = catalog.article_by_doc(doc)
            return self._side(found).tokens if found is not None else ()

        return ShingledCatalog(catalog, tokens_of)

    def compare(self, ref_a: str, ref_b: str, settings: AlignSettings | None = None) -> Comparison:
        """The passages two articles share, with offsets into both original texts (default
        settings: `AlignSettings()`)."""
        from ..reuse.align import DEFAULT_SETTINGS, align

        settings = DEFAULT_SETTINGS if settings is None else settings
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
            align(self._side(a), self._side(b), self.analyzer, settings),
        )

    def aligner(self, settings: AlignSettings | None = None) -> Aligner:
        """Aligns two articles given by their catalog numbers."""
        from ..reuse.align import DEFAULT_SETTINGS, align

        settings = DEFAULT_SETTINGS if settings is None else settings
        catalog = self._live.open().catalog

        def run(x: int, y: int) -> Alignment | None:
            a, b = catalog.article_by_doc(x), catalog.article_by_doc(y)
            if a is None or b is None:
                return None
            return align(self._side(a), self._side(b), self.analyzer, settings)

        return run

    def related(
        self,
        ref: str,
        settings: AlignSettings | None = None,
        reuse: ReuseSettings | None = None,
    ) -> tuple[Article, list[Related]]:
        """Other articles sharing at least one passage with this one, by coverage."""
        from ..reuse.candidates import DEFAULT_REUSE
        from ..reuse.overlaps import related as related_articles

        reuse = DEFAULT_REUSE if reuse is None else reuse
        with self._live.reading() as stores:
            catalog = stores.catalog
            article = resolve_article(catalog, self.corpus, ref)
            doc = catalog.doc_of(article.id)
            if doc is None:  # pragma: no cover - article() read it from the catalog
                raise ArticleNotFoundError(f'no article "{ref}"')

            store = self._shingled(catalog)
            found = related_articles(store, doc, self.aligner(settings), catalog.id_of, reuse)
        self.learning.learn((article.id, r.id, r.alignment) for r in found)
        return article, found

    def overlaps(
        self,
        min_coverage: float = 0.0,
        settings: AlignSettings | None = None,
        reuse: ReuseSettings | None = None,
        progress: Callable[[int, int], None] | None = None,
        workers: int | None = None,
    ) -> list[Overlap]:
        """Every pair of articles in the corpus that shares passages. Candidate pairs are
        aligned in `workers` processes (default: one per CPU) when there are many."""
        from ..reuse.candidates import DEFAULT_REUSE

        reuse = DEFAULT_REUSE if reuse is None else reuse

        with self._live.damage_reported() as stores:
            return self._overlaps(stores.catalog, min_coverage, settings, reuse, progress, workers)

    def _overlaps(
        self,
        catalog: Catalog,
        min_coverage: float,
        settings: AlignSettings | None,
        reuse: ReuseSettings,
        progress: Callable[[int, int], None] | None,
        workers: int | None,
    ) -> list[Overlap]:
        from ..reuse.align import DEFAULT_SETTINGS
        from ..reuse.candidates import cache_friendly, candidate_pairs
        from ..reuse.overlaps import align_pairs, collect_overlaps
        from ..reuse.parallel import PARALLEL_PAIRS, align_in_processes  # multiprocessing
        from . import overlaps_cache

        key = overlaps_cache.cache_key(catalog, settings or DEFAULT_SETTINGS, reuse)
        folder = catalog.path.parent  # the build's folder
        found = overlaps_cache.load(folder, key)
        if found is None:
            pairs = cache_friendly(candidate_pairs(catalog, reuse))
            workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
            if workers <= 1 or len(pairs) < PARALLEL_PAIRS:
                aligned = align_pairs(pairs, self.aligner(settings), progress)
            else:
                aligned = align_in_processes(
                    pairs, self._worker_aligner(settings), workers, progress
                )
            found = collect_overlaps(aligned, catalog.id_of)
            self.learning.learn((o.a, o.b, o.alignment) for o in found)
            overlaps_cache.save(folder, key, found)
        elif progress is not None:
            progress(1, 1)
        return [
            o for o in found if max(o.alignment.coverage_a, o.alignment.coverage_b) >= min_coverage
        ]
