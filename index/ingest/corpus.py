"""A corpus folder: which files it holds and the articles in them. Never writes to it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

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


def list_sources(root: Path) -> tuple[list[SourceFile], list[Skipped]]:
    """Every file under `root` that a reader takes, and the files it does not take.
    Hidden files and folders are ignored; symbolic links to folders are not followed."""
    sources: list[SourceFile] = []
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
            try:
                st = os.stat(os.path.join(dirpath, name))
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
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
