"""`newsreader index --check`: verify both stores of the live build through and through,
writing nothing, and say what is wrong.

- the catalog: SQLite's integrity check, and the records every build keeps (version,
  full-text generation);
- the full text: every file of the recorded generation, with its size and CRC-32 as recorded
  at commit, then every segment read (stored fields and term dictionaries);
- the two together: the same articles in both;
- the spelling dictionary, when the build has one: SQLite's integrity check (it is made
  again by the next update, so damage there costs suggestions, never articles).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..errors import EngineMissingError, IndexDamagedError
from ..search import fulltext, spelling
from ..search.engine import TANTIVY, require
from .catalog import SCHEMA_VERSION, Catalog
from .spec import IndexSpec
from .stores import catalog_path, engine_of, read_manifest, text_dir

_SHOWN = 20  # ids listed at most when the stores disagree


@dataclass
class IndexCheck:
    index_dir: str
    build: str | None  # the live build's folder name
    problems: list[str] = field(default_factory=list)
    articles: int | None = None  # in the catalog
    documents: int | None = None  # in the full text
    generation: int | None = None  # of the full text
    files: int = 0  # full-text files verified
    updated: str | None = None  # when the last commit was made
    seconds: float = 0.0
    missing: bool = False  # no index was ever built here: nothing is damaged

    @property
    def ok(self) -> bool:
        return not self.problems


def check_index(spec: IndexSpec) -> IndexCheck:
    start = time.perf_counter()
    result = IndexCheck(str(spec.index_dir), None)
    try:
        _check(spec, result)
    finally:
        result.seconds = time.perf_counter() - start
    return result


def _check(spec: IndexSpec, result: IndexCheck) -> None:
    problems = result.problems
    build = spec.live()
    if build is None:
        if spec.layout.legacy():
            problems.append("the index was made by another version of newsreader")
        else:
            problems.append("there is no index here (run `newsreader index`)")
            result.missing = True
        return
    result.build = build.name
    try:
        catalog = Catalog(catalog_path(build), readonly=True)
    except IndexDamagedError as exc:
        problems.append(f"catalog: {exc}")
        return
    try:
        with catalog.snapshot():
            _check_catalog(catalog, result)
            if engine_of(catalog) == TANTIVY:
                _check_tantivy(spec, build, catalog, result)
                return
            man = read_manifest(catalog)
            if man is None:
                problems.append("catalog: no full-text generation recorded")
                return
            result.generation = man.generation
            result.files = len(man.files)
            found = fulltext.verify(text_dir(build), man, full=True)
            problems.extend(f"full text: {p}" for p in found)
            if found:
                return  # reading damaged files tells nothing more
            ids = _fulltext_ids(build, man.generation, result)
            if ids is None:
                return
            result.documents = len(ids)
            catalog_ids = set(catalog.ids())
            _compare(catalog_ids, ids, problems)
            problems.extend(f"spelling dictionary: {p}" for p in spelling.problems(build))
    except Exception as exc:  # a damaged catalog shows up as any sqlite3 error
        problems.append(f"catalog: cannot be read ({type(exc).__name__}: {exc})")
    finally:
        catalog.close()


def _check_catalog(catalog: Catalog, result: IndexCheck) -> None:
    problems = result.problems
    for row in catalog.integrity_problems():
        problems.append(f"catalog: {row}")
    schema = catalog.get_meta("schema")
    if schema != SCHEMA_VERSION:
        problems.append(
            "catalog: made by another version of newsreader"
            if schema
            else "catalog: no version recorded"
        )
    damaged = catalog.damaged_posting_rows()
    if damaged:
        problems.append(f"catalog: {damaged} rows of shingle postings are damaged")
    result.articles = catalog.count()
    result.updated = catalog.get_meta("updated")


def _fulltext_ids(build, generation: int, result: IndexCheck) -> set[str] | None:
    """The ids of the documents in the full text, every segment read on the way."""
    try:
        ix = fulltext.open_index(text_dir(build), generation)
        with ix.reader() as reader:
            ids = {fields["id"] for _, fields in reader.iter_docs()}
            for fieldname in reader.indexed_field_names():
                for _ in reader.lexicon(fieldname):
                    pass
        return ids
    except IndexDamagedError as exc:
        result.problems.append(f"full text: {exc}")
    except Exception as exc:
        result.problems.append(f"full text: cannot be read ({type(exc).__name__}: {exc})")
    return None


def _check_tantivy(spec: IndexSpec, build, catalog: Catalog, result: IndexCheck) -> None:
    """The same checks on a tantivy build: the files of the recorded commit with their
    checksums, then every document read, then the two stores compared."""
    problems = result.problems
    try:
        require(TANTIVY)
    except EngineMissingError as exc:
        problems.append(f"full text: {exc}")
        return
    from ..search import tantivy_engine

    state = tantivy_engine.read_state(catalog)
    if state is None:
        problems.append("catalog: no full-text generation recorded")
        return
    result.generation = state.generation
    result.files = len(state.manifest.files)
    found = tantivy_engine.damage(text_dir(build), catalog, full=True)
    problems.extend(f"full text: {p}" for p in found)
    if found:
        return
    try:
        ids = tantivy_engine.check(text_dir(build), spec.analyzer, catalog)
    except IndexDamagedError as exc:
        problems.append(f"full text: {exc}")
        return
    result.documents = len(ids)
    _compare(set(catalog.ids()), ids, problems)
    problems.extend(f"spelling dictionary: {p}" for p in spelling.problems(build))


def _compare(catalog_ids: set[str], fulltext_ids: set[str], problems: list[str]) -> None:
    for ids, where, missing in (
        (catalog_ids - fulltext_ids, "the catalog", "the full text"),
        (fulltext_ids - catalog_ids, "the full text", "the catalog"),
    ):
        if ids:
            shown = ", ".join(sorted(ids)[:_SHOWN]) + (" …" if len(ids) > _SHOWN else "")
            problems.append(f"{len(ids)} articles are in {where} but not in {missing}: {shown}")
