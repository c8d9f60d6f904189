"""The two stores of one build — the SQLite catalog and the full text (Whoosh, or tantivy
when the build was made with it, see search/engine.py) — opened together, for reading or for
writing, so that they always agree.

The catalog is the commit point: each of its commits records the manifest of the full-text
generation that goes with it (see search/fulltext.py; tantivy's side in tantivy_engine.py).
A reader opens the full text at that generation, inside one read transaction of the catalog;
a writer makes the new generation's files durable before the catalog commit that publishes
it, and on opening throws away whatever a crashed run wrote after the last such commit.

A build also holds the spelling dictionary for "did you mean" (search/spelling.py), made
from the full text's words when an update has finished: derived data, so it may lag behind
the full text (fewer suggestions) but never decides what a search finds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import IndexDamagedError
from ..search import fulltext, prefixes, spelling
from ..search.engine import (
    META_ENGINE,
    TANTIVY,
    WHOOSH,
    WORD_FIELDS,
    FullText,
    FullTextWriter,
    WhooshFullText,
    WhooshWriter,
    require,
)
from ..search.fulltext import Manifest
from ..search.prefixes import PrefixTable
from ..search.spelling import Speller
from ..text.analysis import Analyzer
from ..text.tokens import article_shingles
from .catalog import Catalog
from .layout import CATALOG, FULLTEXT

META_FULLTEXT = "fulltext"  # the manifest of the full-text generation committed with the catalog
META_PREVIOUS = "fulltext_previous"  # the files of the generation before (kept for readers)


def catalog_path(build: Path) -> Path:
    return build / CATALOG


def text_dir(build: Path) -> Path:
    return build / FULLTEXT


def spelling_path(build: Path) -> Path:
    return build / spelling.FILE


def read_manifest(catalog: Catalog) -> Manifest | None:
    raw = catalog.get_meta(META_FULLTEXT)
    if raw is None:
        return None
    try:
        return Manifest.from_json(json.loads(raw))
    except ValueError:
        return None


def damage(build: Path, catalog: Catalog, *, full: bool = False) -> list[str]:
    """What is wrong with the build's full text, as far as its manifest tells (sizes, and
    checksums of files whose time changed; every checksum when `full`)."""
    if engine_of(catalog) == TANTIVY:
        return _tantivy().damage(text_dir(build), catalog, full=full)
    man = read_manifest(catalog)
    if man is None:
        return ["the catalog records no full-text generation"]
    return fulltext.verify(text_dir(build), man, full=full)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def engine_of(catalog: Catalog) -> str:
    """The search engine the build was made with (builds from before the choice: Whoosh)."""
    return catalog.get_meta(META_ENGINE) or WHOOSH


def _tantivy() -> Any:
    require(TANTIVY)  # a build made with tantivy, opened where it is not installed
    from ..search import tantivy_engine  # only builds made with tantivy load it

    return tantivy_engine


class ReadStores:
    """A build opened for reading: its catalog (read-only) and, on demand, the full text at
    the generation the catalog records, reopened when a later commit records another."""

    def __init__(self, build: Path, analyzer: Analyzer | None = None) -> None:
        self.build = build
        # Whoosh keeps its analyzers in the index; for another engine, the query language
        # analyses with this one (the build records its fingerprint).
        self.analyzer = analyzer
        self.catalog = Catalog(catalog_path(build), readonly=True)
        self._searcher: FullText | None = None
        self._generation: int | None = None
        self._speller: Speller | None = None

    def searcher(self) -> FullText:
        """Call inside `catalog.snapshot()`, so that articles read next agree with it."""
        if engine_of(self.catalog) == TANTIVY:
            return self._tantivy_searcher()
        man = read_manifest(self.catalog)
        if man is None:
            raise fulltext.damaged(text_dir(self.build), "no full-text generation recorded")
        if man.generation != self._generation or self._searcher is None:
            self._close_searcher()
            folder = text_dir(self.build)
            problems = fulltext.verify(folder, man)
            if problems:
                raise fulltext.damaged(folder, problems[0])
            try:
                searcher = fulltext.open_index(folder, man.generation).searcher()
            except Exception as exc:
                # Damage the sizes and times did not show: the checksums name the file.
                problems = fulltext.verify(folder, man, full=True)
                why = problems[0] if problems else type(exc).__name__
                raise fulltext.damaged(folder, why) from None
            stamp = prefixes.token(man.generation, man.files)
            build = self.build
            self._searcher = WhooshFullText(searcher, lambda: PrefixTable.open(build, stamp))
            self._generation = man.generation
        return self._searcher

    def _tantivy_searcher(self) -> FullText:
        engine = _tantivy()
        state = engine.read_state(self.catalog)
        if state is None:
            raise fulltext.damaged(text_dir(self.build), "no full-text generation recorded")
        if state.generation != self._generation or self._searcher is None:
            self._close_searcher()
            folder = text_dir(self.build)
            problems = engine.damage(folder, self.catalog)
            if problems:
                raise fulltext.damaged(folder, problems[0])
            if self.analyzer is None:
                raise ValueError("a tantivy build is searched with an analyzer")
            self._searcher = engine.open_fulltext(
                text_dir(self.build), self.analyzer, self.catalog, state
            )
            self._generation = state.generation
        return self._searcher

    def speller(self) -> Speller | None:
        """The build's spelling dictionary, None while it has none (a first build until
        its update finishes) or none that can be read."""
        if self._speller is None:
            self._speller = Speller.open(self.build)
        return self._speller

    def damage(self, *, full: bool = False) -> list[str]:
        return damage(self.build, self.catalog, full=full)

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._generation = None

    def close(self) -> None:
        self._close_searcher()
        if self._speller is not None:
            self._speller.close()
            self._speller = None
        self.catalog.close()


class WriteStores:
    """A build opened for writing (under the index folder's lock). `meta` names the engine
    of a fresh build; a build opened again keeps the one it records."""

    def __init__(self, build: Path, analyzer: Analyzer, meta: dict[str, str], *, fresh: bool):
        self.build = build
        self.text_dir = text_dir(build)
        self.catalog = Catalog(
            catalog_path(build), shingler=partial(article_shingles, analyzer=analyzer)
        )
        try:
            if fresh:
                self.engine = meta.get(META_ENGINE, WHOOSH)
            else:
                self.engine = engine_of(self.catalog)
            meta = {**meta, META_ENGINE: self.engine}
            if self.engine == TANTIVY:
                self._side: Any = _tantivy().TantivyBuild(self.text_dir, self.catalog, fresh=fresh)
            else:
                self._side = _WhooshBuild(self.text_dir, self.catalog, analyzer, fresh=fresh)
            for key, value in meta.items():
                self.catalog.set_meta(key, value)
            if fresh:
                self._side.record()
            self.catalog.commit()
        except BaseException:
            self.catalog.close()
            raise

    @property
    def generation(self) -> int:
        """The full-text generation the catalog records."""
        return self._side.generation

    def writer(self) -> FullTextWriter:
        return self._side.writer()

    def words(self) -> Iterable[str]:
        """Every surface word of the committed full text (its exact title and body fields),
        for the spelling dictionary."""
        return self._side.words()

    def refresh_prefixes(self) -> None:
        """Make the build's prefix table (search/prefixes.py) of the committed full text,
        unless it has it already. tantivy lists a prefix's words itself: none is made."""
        if isinstance(self._side, _WhooshBuild):
            self._side.refresh_prefixes(self.build)

    def commit(self) -> None:
        """Publish what the full-text writer has just committed together with the
        catalog's pending batch: one commit point for both."""
        self._side.commit()

    def rollback(self) -> None:
        """Forget the batch: the catalog rolls back, and the full text stays at (or, for
        tantivy, is brought back to) what the catalog records."""
        self._side.rollback()

    def kept_for_readers(self) -> set[str]:
        """Segment files only the generation before holds (its commit merged them away),
        kept for readers of that generation until the next commit. tantivy keeps none."""
        if isinstance(self._side, _WhooshBuild):
            return self._side.kept_for_readers()
        return set()

    def close(self) -> None:
        self._side.close()
        self.catalog.close()


class _WhooshBuild:
    """The Whoosh side of a build being written: generations published by manifest."""

    def __init__(self, folder: Path, catalog: Catalog, analyzer: Analyzer, *, fresh: bool):
        self.text_dir = folder
        self.catalog = catalog
        if fresh:
            self.ix = fulltext.create_index(self.text_dir, analyzer)
            self.manifest = fulltext.manifest(self.text_dir, 0)
            self.previous: set[str] = set()
        else:
            man = read_manifest(self.catalog)
            if man is None:
                raise fulltext.damaged(self.text_dir, "no full-text generation recorded")
            problems = fulltext.verify(self.text_dir, man)
            if problems:
                raise fulltext.damaged(self.text_dir, problems[0])
            self.manifest = man
            self.previous = set(json.loads(self.catalog.get_meta(META_PREVIOUS) or "[]"))
            # Files written after the last catalog commit (a run cut off between the two
            # stores' commits) are not part of the index: away with them.
            fulltext.clean(self.text_dir, self._keep())
            self.ix = fulltext.open_index(self.text_dir, man.generation, readonly=False)
        self.ix.storage.keep = frozenset(self._keep())

    @property
    def generation(self) -> int:
        return self.manifest.generation

    def writer(self) -> FullTextWriter:
        return WhooshWriter(fulltext.open_writer(self.ix, self.text_dir.parent.parent))

    def words(self) -> Iterable[str]:
        with self._walk() as reader:
            return sorted({t for f in WORD_FIELDS for t in reader.field_terms(f)})

    def refresh_prefixes(self, build: Path) -> None:
        from ..search.engine import word_counts
        from ..search.query import expansion_cap

        def counts() -> dict[str, prefixes.Counts]:
            with self._walk() as reader:
                return word_counts(reader, WORD_FIELDS)

        stamp = prefixes.token(self.manifest.generation, self.manifest.files)
        prefixes.refresh(build, stamp, counts, expansion_cap)

    def _walk(self) -> Any:
        """A reader of the committed full text for walking every term once. Whoosh copies
        each mapped segment's term and posting files into memory when it opens them: the
        whole index twice over (once copied, once mapped), 340 MiB at 22,000 articles, the
        build's largest moment. Read as it goes, the walk takes a few tenths of a second
        more (0.4 s at 5,000 articles)."""
        return fulltext.open_index(
            self.text_dir, self.manifest.generation, readonly=True, mapped=False
        ).reader()

    def _keep(self) -> set[str]:
        return set(self.manifest.files) | self.previous

    def kept_for_readers(self) -> set[str]:
        gone = self.previous - set(self.manifest.files)
        return {name for name in gone if name.endswith(".seg")}

    def record(self) -> None:
        self._record(self.manifest, self.previous)

    def _record(self, man: Manifest, previous: set[str]) -> None:
        """Make `man`'s files durable and record it (committed with the catalog's batch)."""
        fulltext.make_durable(self.text_dir, list(man.files))
        self.catalog.set_meta(META_FULLTEXT, json.dumps(man.to_json()))
        self.catalog.set_meta(META_PREVIOUS, json.dumps(sorted(previous)))
        self.catalog.set_meta("updated", now())

    def commit(self) -> None:
        new = fulltext.manifest(self.text_dir, self.manifest.generation + 1, self.manifest)
        self._record(new, set(self.manifest.files))
        self.catalog.commit()
        self.previous, self.manifest = set(self.manifest.files), new
        self.ix.generation = new.generation
        keep = self._keep()
        self.ix.storage.keep = frozenset(keep)
        fulltext.clean(self.text_dir, keep)

    def rollback(self) -> None:
        # What is kept is read back from the catalog: an interruption may have come just
        # after its commit went through.
        self.catalog.rollback()
        man = read_manifest(self.catalog)
        if man is not None:
            self.manifest = man
            self.previous = set(json.loads(self.catalog.get_meta(META_PREVIOUS) or "[]"))
        fulltext.clean(self.text_dir, self._keep())

    def close(self) -> None:
        pass


def check_damage(build: Path) -> str | None:
    """Why the build cannot be used (a damaged catalog or full text), or None. Cheap: sizes
    and the checksums of files whose time changed."""
    try:
        catalog = Catalog(catalog_path(build), readonly=True)
    except IndexDamagedError as exc:
        return str(exc)
    try:
        problems = damage(build, catalog)
    finally:
        catalog.close()
    return problems[0] if problems else None
