"""The Whoosh index on disk: opening it at a given commit, making a new one, and the file
manifest that makes its commits durable and its damage visible. Whoosh is imported only here
and in the modules that query it, and only when first needed.

Whoosh commits by writing a new table of contents (`_MAIN_<generation>.toc`) naming the
segment files of that generation. Here, as Lucene does with `segments_N`, a generation counts
only once its files are on disk and the catalog has recorded it:

1. the Whoosh writer commits generation g+1 (segment files, then its TOC); files of earlier
   generations that it would delete are kept (`DurableStorage.keep`);
2. `manifest` lists g+1's files with their size, time and CRC-32, and every one of them and
   the folder are fsynced;
3. the catalog records the manifest in the same SQLite transaction as the batch's articles:
   that commit is the moment both stores move to g+1 together;
4. files of neither g+1 nor g are deleted (g stays for readers that opened it just before).

Readers open the generation the catalog names, never simply the latest TOC, so a crash
between steps 1 and 3 leaves the full text at g, as the catalog says; the writer deletes the
orphaned files on its next run. The manifest also tells damage apart: a file missing,
shorter or longer than recorded, or (when its time changed) with another checksum.
"""

from __future__ import annotations

import os
import re
import shutil
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import IndexDamagedError, IndexLockedError
from ..text.analysis import Analyzer

INDEXNAME = "MAIN"
_TOC = re.compile(rf"^_{INDEXNAME}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEXNAME}_[0-9]+\.toc\.")
_SEGMENT = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")


@dataclass(frozen=True)
class FileFacts:
    size: int
    mtime_ns: int
    crc: int

    def to_json(self) -> list[int]:
        return [self.size, self.mtime_ns, self.crc]


@dataclass(frozen=True)
class Manifest:
    """One committed generation of the full-text index and the files it is made of."""

    generation: int
    files: dict[str, FileFacts]

    def to_json(self) -> dict:
        return {
            "generation": self.generation,
            "files": {name: f.to_json() for name, f in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        try:
            return cls(
                int(data["generation"]),
                {name: FileFacts(*map(int, v)) for name, v in data["files"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError("not a manifest") from None


# Whoosh maps each segment file and, on opening a searcher, copies the parts it reads into
# memory: faster queries after (about 30% on detik), but tens of milliseconds before the first
# one, more on a larger index. A process that runs one search reads them as it goes instead.
_MAP_FILES = [True]


def read_index_lazily() -> None:
    """From now on, open full-text indexes without mapping their files (for a process that
    runs one search)."""
    _MAP_FILES[0] = False


def _storage_class() -> type:
    from whoosh.filedb.filestore import FileStorage

    class DurableStorage(FileStorage):
        """Whoosh's file storage, except that files of committed generations are deleted
        only when the catalog has moved past them (see the module's docstring)."""

        def __init__(self, path: str, readonly: bool = False, mapped: bool | None = None) -> None:
            if mapped is None:
                mapped = _MAP_FILES[0] or not readonly
            super().__init__(path, supports_mmap=mapped, readonly=readonly)
            self.keep: frozenset[str] = frozenset()

        def delete_file(self, name: str) -> None:
            if name in self.keep:
                return
            super().delete_file(name)

    return DurableStorage


def _index_class() -> type:
    from whoosh.index import TOC, FileIndex

    class PinnedIndex(FileIndex):
        """A Whoosh index read at one generation, not at the latest TOC in the folder."""

        def __init__(self, storage: Any, generation: int) -> None:
            self.storage = storage
            self._schema = None
            self.indexname = INDEXNAME
            self.generation = generation
            self._read_toc()

        def _read_toc(self) -> Any:
            return TOC.read(self.storage, self.indexname, gen=self.generation)

        def latest_generation(self) -> int:
            return self.generation

    return PinnedIndex


def storage(folder: Path, *, readonly: bool, mapped: bool | None = None) -> Any:
    return _storage_class()(str(folder), readonly=readonly, mapped=mapped)


def open_index(
    folder: Path, generation: int, *, readonly: bool = True, mapped: bool | None = None
) -> Any:
    """The index in `folder` at `generation` (as the catalog records it). `mapped=False`
    reads its files as it goes (see `_MAP_FILES`), whatever this process otherwise does:
    for one walk over every term, where the copies would only add memory."""
    try:
        return _index_class()(storage(folder, readonly=readonly, mapped=mapped), generation)
    except Exception as exc:  # Whoosh surfaces damage as many exception types
        raise damaged(folder, f"{type(exc).__name__} reading generation {generation}") from None


def create_index(folder: Path, analyzer: Analyzer) -> Any:
    """A new, empty index (generation 0) in `folder`."""
    from whoosh.index import TOC

    from .schema import make_schema

    folder.mkdir(parents=True, exist_ok=True)
    store = storage(folder, readonly=False)
    TOC.create(store, make_schema(analyzer), INDEXNAME)
    return _index_class()(store, 0)


# Postings a writer holds in memory before it sorts them out to a temporary run file (Whoosh's
# own estimate, close to what they take). A batch of 2,000 articles (sync.py) makes about
# 100 MB of them, so with 128 they were all held until the commit.
WRITER_LIMIT_MB = 64


def open_writer(ix: Any, index_dir: Path) -> Any:
    from whoosh.index import LockError

    from .codec import writing_codec

    try:
        return ix.writer(timeout=1.0, limitmb=WRITER_LIMIT_MB, codec=writing_codec())
    except LockError:
        raise IndexLockedError(f"the index {index_dir} is locked by another writer") from None


def damaged(folder: Path, why: str) -> IndexDamagedError:
    index_dir = folder.parent.parent  # <index folder>/build-<n>/text
    return IndexDamagedError(
        f"the index at {index_dir} is damaged ({why}); run `newsreader index --rebuild`"
    )


# -- manifests --------------------------------------------------------------------------------
def manifest(folder: Path, generation: int, previous: Manifest | None = None) -> Manifest:
    """The files of `generation` (its TOC and the segments it names), with checksums; a
    file unchanged since `previous` keeps its recorded checksum."""
    from whoosh.index import TOC

    toc = TOC.read(storage(folder, readonly=True), INDEXNAME, gen=generation)
    wanted = {seg.segment_id() for seg in toc.segments}
    names = [f"_{INDEXNAME}_{generation}.toc"]
    for name in os.listdir(folder):
        m = _SEGMENT.match(name)
        if m and m.group(1) in wanted:
            names.append(name)
    files: dict[str, FileFacts] = {}
    for name in names:
        st = os.stat(folder / name)
        old = previous.files.get(name) if previous else None
        if old is not None and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
            files[name] = old
        else:
            files[name] = FileFacts(st.st_size, st.st_mtime_ns, crc32(folder / name))
    return Manifest(generation, files)


def make_durable(folder: Path, files: list[str]) -> None:
    """fsync every file named, then the folder (the renames and creations in it)."""
    for name in files:
        fd = os.open(folder / name, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def crc32(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def verify(folder: Path, man: Manifest, *, full: bool = False) -> list[str]:
    """What is wrong with the files of `man`: missing, another size, or another checksum.
    Checksums are computed for files whose time changed, or for all when `full`."""
    problems = []
    for name, facts in sorted(man.files.items()):
        path = folder / name
        try:
            st = os.stat(path)
        except FileNotFoundError:
            problems.append(f"{FULLTEXT_NAME}/{name} is missing")
            continue
        except OSError as exc:
            problems.append(f"{FULLTEXT_NAME}/{name} cannot be read ({exc.strerror})")
            continue
        if st.st_size != facts.size:
            problems.append(
                f"{FULLTEXT_NAME}/{name} has {st.st_size:,} bytes instead of {facts.size:,}"
            )
        elif full or st.st_mtime_ns != facts.mtime_ns:
            try:
                same = crc32(path) == facts.crc
            except OSError as exc:
                problems.append(f"{FULLTEXT_NAME}/{name} cannot be read ({exc.strerror})")
                continue
            if not same:
                problems.append(f"{FULLTEXT_NAME}/{name} does not match its checksum")
    return problems


FULLTEXT_NAME = "text"


def clean(folder: Path, keep: set[str]) -> None:
    """Delete the index files in `folder` that `keep` does not name: generations the
    catalog has moved past, and those a crashed writer left uncommitted."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name in keep:
            continue
        path = folder / name
        try:
            if _TOC.match(name) or _TOC_TEMP.match(name) or _SEGMENT.match(name):
                path.unlink()
            elif name.endswith(".tmp") and path.is_dir():  # a writer's scratch space
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # gone already, or kept open elsewhere: the next clean gets it
