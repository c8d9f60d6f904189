"""A corpus folder: which files it holds and the articles in them. Never writes to it."""

from __future__ import annotations

import os
import stat
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, overload

from ..errors import CorpusError
from ..model import Article, Draft, Skipped
from ..text.vocabulary import Vocabulary
from .limits import Limits
from .readers import SUFFIXES, reader_for, stream_reader_for
from .readers.fields import CONFIG_NAME, record_config

if TYPE_CHECKING:
    from .readers.records import DraftStream


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # relative to the corpus root, with forward slashes: the article id
    size: int
    mtime_ns: int


class Sources(Sequence[SourceFile]):
    """A corpus's files in listing order, packed: every path in one byte string and the
    sizes and times in arrays, a `SourceFile` made only when one is asked for. A folder of
    100,000 files listed as objects took 23 MiB, which a build holds for its whole run and
    its worker processes, forked after the listing, each hold a copy of."""

    __slots__ = ("_ends", "_mtimes", "_paths", "_sizes")

    def __init__(self, files: Iterator[SourceFile] | Sequence[SourceFile] = ()) -> None:
        self._paths = bytearray()
        self._ends = array("Q")
        self._sizes = array("q")
        self._mtimes = array("q")
        for src in files:
            self.append(src)

    def append(self, src: SourceFile) -> None:
        self._paths += src.path.encode("utf-8")
        self._ends.append(len(self._paths))
        self._sizes.append(src.size)
        self._mtimes.append(src.mtime_ns)

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, k: int) -> SourceFile: ...
    @overload
    def __getitem__(self, k: slice) -> Sources: ...
    def __getitem__(self, k: int | slice) -> SourceFile | Sources:
        if isinstance(k, slice):
            return Sources(self[i] for i in range(*k.indices(len(self))))
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self._ends):
            raise IndexError("source index out of range")
        start = self._ends[k - 1] if k else 0
        path = self._paths[start : self._ends[k]].decode("utf-8")
        return SourceFile(path, self._sizes[k], self._mtimes[k])

    def __iter__(self) -> Iterator[SourceFile]:
        return (self[k] for k in range(len(self)))

    def total_size(self) -> int:
        """The bytes of every file, each counted as at least one."""
        return sum(max(size, 1) for size in self._sizes)


def supported_suffixes() -> list[str]:
    return sorted(SUFFIXES)


def readers_fingerprint(root: Path, limits: Limits) -> str:
    """Changes whenever the record readers would read the corpus differently (field
    mapping in newsreader.toml or on the command line)."""
    return record_config(root, limits.fields).fingerprint()


def check_root(root: Path) -> Path:
    """The corpus folder, resolved; a clear error when it is not one."""
    if not root.exists():
        raise CorpusError(f"corpus folder not found: {root}")
    if not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise CorpusError(f"corpus folder is not readable: {root}")
    return root.resolve()


def list_sources(root: Path) -> tuple[Sources, list[Skipped]]:
    """Every file under `root` that a reader takes, and the files it does not take.
    Hidden files and folders are ignored; symbolic links to folders are not followed, nor
    links to files outside the corpus."""
    sources = Sources()
    skipped: list[Skipped] = []

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else "?"
        skipped.append(
            Skipped(
                where,
                "unreadable folder: permission denied"
                if isinstance(exc, PermissionError)
                else f"unreadable: {exc}",
            )
        )

    top = str(root)
    real_top = os.path.realpath(top)
    # Strings and os.stat, not a Path per file: every search of an archive of 100,000 files
    # lists them all to see whether the index is still current (pathlib took 3 s of it).
    for dirpath, dirnames, filenames in os.walk(top, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        under = os.path.relpath(dirpath, top).replace(os.sep, "/")
        prefix = "" if under == "." else under + "/"
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = prefix + name
            if not prefix and name == CONFIG_NAME:
                continue  # the corpus's own settings, not an article
            suffix = _suffix(name)
            if suffix not in SUFFIXES:
                skipped.append(Skipped(rel, f"unsupported file type ({suffix or 'no suffix'})"))
                continue
            if not _utf8(rel):  # bytes the file system gave that are no UTF-8 (an id is text)
                skipped.append(Skipped(rel, "its name is not valid UTF-8; rename the file"))
                continue
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
                if stat.S_ISLNK(st.st_mode):
                    # A link to a file outside the corpus (a link to /etc/passwd was read
                    # as an article): only links that stay inside it are followed.
                    if os.path.commonpath([os.path.realpath(full), real_top]) != real_top:
                        skipped.append(Skipped(rel, "a link to a file outside the corpus"))
                        continue
                    st = os.stat(full)
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                # A named pipe would block the reader for good, a device read forever.
                skipped.append(Skipped(rel, "not a regular file (a pipe, socket or device)"))
                continue
            sources.append(SourceFile(rel, st.st_size, st.st_mtime_ns))
    return sources, skipped


def _suffix(name: str) -> str:
    """What Path(name).suffix.lower() gives."""
    dot = name.rfind(".")
    if dot <= 0 or dot == len(name) - 1:
        return ""
    return name[dot:].lower()


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_drafts(
    root: Path, source: SourceFile, limits: Limits | None = None
) -> tuple[list[Draft], list[Skipped]]:
    """The articles one source file holds, as read (not parsed yet)."""
    read = reader_for(Path(source.path).suffix.lower())
    return read(root / source.path, source.path, limits or Limits())


def stream_drafts(root: Path, source: SourceFile, limits: Limits | None = None) -> DraftStream:
    """The articles one source file holds, as read (not parsed yet), as they are taken: a
    record file of any size is read record by record."""
    suffix = Path(source.path).suffix.lower()
    stream = stream_reader_for(suffix)
    if stream is not None:
        return stream(root / source.path, source.path, limits or Limits())
    from .readers.records import DraftStream  # with the first file read, not a listing

    drafts, skipped = reader_for(suffix)(root / source.path, source.path, limits or Limits())
    return DraftStream.of(drafts, skipped, source.size)


def read_source(
    root: Path, source: SourceFile, vocabulary: Vocabulary, limits: Limits | None = None
) -> tuple[list[Article], list[Skipped]]:
    """The articles one source file holds, parsed."""
    drafts, skipped = read_drafts(root, source, limits)
    from .document import parse_draft  # parsing loads with the first article read, not a listing

    return [parse_draft(d, vocabulary) for d in drafts], skipped
