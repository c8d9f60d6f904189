"""Whether an index still matches its corpus: what an update would do, and when the whole
index has to be rebuilt instead (another version, other word lists, another corpus)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError, IndexDamagedError, NewsreaderError
from ..ingest.corpus import list_sources, readers_fingerprint
from ..locations import ENV_INDEX_DIR, bundled_corpus, default_corpus, index_dir_for
from .catalog import SCHEMA_VERSION, Catalog
from .layout import Layout
from .spec import IndexSpec
from .stores import catalog_path, damage


@dataclass(frozen=True)
class Pending:
    """What an update would do, from file sizes and times alone (nothing is read)."""

    new: int
    changed: int
    removed: int
    rebuild_reason: str | None

    @property
    def stale(self) -> bool:
        return bool(self.new or self.changed or self.removed or self.rebuild_reason)


def rebuild_reason(spec: IndexSpec, catalog: Catalog, build: Path) -> str | None:
    """Why the build (whose catalog is `catalog`) must be rebuilt, or None. Damage is found
    cheaply: files of another size, or whose time changed and checksum too."""
    schema = catalog.get_meta("schema")
    if schema is None:
        return "the index is damaged (its catalog records no version)"
    if schema != SCHEMA_VERSION:
        return "the index was made by another version of newsreader"
    problems = damage(build, catalog)
    if problems:
        return f"the index is damaged ({problems[0]})"
    if catalog.get_meta("analyzer") != spec.analyzer.fingerprint:
        return (
            "the text analysis has changed "
            "(word lists, variants, stop words, stemming or where words end)"
        )
    corpus = catalog.get_meta("corpus")
    if corpus and corpus != str(spec.corpus):
        return f"the index folder held another corpus ({corpus})"
    readers = catalog.get_meta("readers")
    if readers and readers != readers_fingerprint(spec.corpus, spec.limits):
        return "the record field mapping (newsreader.toml or --field) has changed"
    return None


def pending(spec: IndexSpec, catalog: Catalog | None, build: Path | None = None) -> Pending:
    """`catalog`: the catalog of the live `build`, None when there is no index yet."""
    sources, _ = list_sources(spec.corpus)
    if catalog is None or build is None:
        if spec.layout.legacy():
            return Pending(
                len(sources), 0, 0, "the index was made by another version of newsreader"
            )
        return Pending(len(sources), 0, 0, "there is no index yet")
    check_corpus(spec, catalog)
    known = catalog.files()
    seen = {s.path for s in sources}
    new = sum(1 for s in sources if s.path not in known)
    changed = sum(
        1
        for s in sources
        if s.path in known and (known[s.path].size, known[s.path].mtime_ns) != (s.size, s.mtime_ns)
    )
    removed = sum(1 for p in known if p not in seen)
    return Pending(new, changed, removed, rebuild_reason(spec, catalog, build))


def check_corpus(spec: IndexSpec, catalog: Catalog) -> None:
    """Refuse an index folder that holds another corpus's index: that index may have taken
    hours to build, so it is replaced only when a rebuild is asked for."""
    corpus = catalog.get_meta("corpus")
    if corpus and corpus != str(spec.corpus):
        raise CorpusError(
            f"the index folder {spec.index_dir} holds the index of another corpus "
            f"({corpus}); replace it with `newsreader index --rebuild`,"
            " or choose another --index-dir"
        )


def stored_fields(index_dir: Path) -> tuple[tuple[str, str], ...]:
    """The record field names an index was built with (`--field` given once stays)."""
    raw = _stored_meta(index_dir, "fields")
    try:
        return tuple(tuple(pair) for pair in json.loads(raw)) if raw else ()
    except (ValueError, TypeError):
        return ()


def corpus_for(index_dir: Path | None) -> Path:
    """The corpus to use when none is given: the one an index folder given (or set in
    $NEWSREADER_INDEX_DIR) was built from, else the user's default corpus (config.toml),
    else the bundled sample articles."""
    if index_dir is not None or os.environ.get(ENV_INDEX_DIR):
        folder = index_dir_for(Path("."), index_dir)
        recorded = stored_corpus(folder)
        if recorded is not None:
            if not recorded.is_dir():
                raise CorpusError(
                    f"the index at {folder} was built from {recorded}, which is not there "
                    "any more; give --corpus"
                )
            return recorded
    return default_corpus() or bundled_corpus()


def stored_corpus(index_dir: Path) -> Path | None:
    """The corpus folder an index was built from."""
    raw = _stored_meta(index_dir, "corpus")
    return Path(raw) if raw else None


def _stored_meta(index_dir: Path, key: str) -> str | None:
    """A record of the live build's catalog (None when there is none to read)."""
    try:
        build = Layout(index_dir).live()
    except NewsreaderError:
        return None
    if build is None or not catalog_path(build).exists():
        return None
    try:
        catalog = Catalog(catalog_path(build), readonly=True)
        try:
            return catalog.get_meta(key)
        finally:
            catalog.close()
    except IndexDamagedError:
        return None  # a damaged index is reported when it is opened
