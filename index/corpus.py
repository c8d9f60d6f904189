"""A corpus folder: which files it holds and the articles in them. Never writes to it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.document import parse_article
from index.errors import CorpusError
from index.model import Article, Skipped
from index.textio import MAX_TEXT_BYTES, Unreadable, decode, read_bytes
from index.vocabulary import Vocabulary

CONFIG_FILE = "newsreader.toml"  # per-corpus settings at the corpus root


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str  # relative to the corpus root, with forward slashes: the article id
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Limits:
    max_text_bytes: int = MAX_TEXT_BYTES  # a text file, or one record's body
    # Pages, feeds and .json files are parsed whole; JSON Lines and CSV dumps are streamed
    # record by record, so they may be far larger than any one article.
    max_document_bytes: int = 64 * 1024 * 1024
    max_records_bytes: int = 4 * 1024 * 1024 * 1024
    # Record field names from the command line (`--field body=isi`), tried before those of
    # the corpus's newsreader.toml and the defaults; see index.readers.config.
    fields: tuple[tuple[str, str], ...] = ()


Reader = Callable[[Path, str, Vocabulary, Limits], tuple[list[Article], list[Skipped]]]


def read_text_file(
    abspath: Path, rel: str, vocabulary: Vocabulary, limits: Limits
) -> tuple[list[Article], list[Skipped]]:
    """A plain text or Markdown file is one article."""
    try:
        text = decode(read_bytes(abspath, limits.max_text_bytes))
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    return [parse_article(rel, rel, text, vocabulary)], []


TEXT_READERS: dict[str, Reader] = {
    ".txt": read_text_file,
    ".md": read_text_file,
    ".markdown": read_text_file,
}


@lru_cache(maxsize=1)
def known_suffixes() -> frozenset[str]:
    from index.readers import SUFFIXES

    return frozenset(TEXT_READERS) | SUFFIXES


def reader(suffix: str) -> Reader:
    """The reader for a suffix of `known_suffixes()`; record and web readers load on use."""
    if suffix in TEXT_READERS:
        return TEXT_READERS[suffix]
    from index.readers import reader_for

    return reader_for(suffix)


def supported_suffixes() -> list[str]:
    return sorted(known_suffixes())


def readers_fingerprint(root: Path, limits: Limits) -> str:
    """Changes whenever the record readers would read the corpus differently (field
    mapping in newsreader.toml or on the command line)."""
    from index.readers import record_config

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
    known = known_suffixes()

    def onerror(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else "?"
        skipped.append(Skipped(where, "unreadable folder: permission denied"
                               if isinstance(exc, PermissionError) else f"unreadable: {exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            abspath = Path(dirpath, name)
            rel = abspath.relative_to(root).as_posix()
            suffix = abspath.suffix.lower()
            if dirpath == str(root) and name == CONFIG_FILE:
                continue  # the corpus's own settings, not an article
            if suffix not in known:
                skipped.append(Skipped(rel, f"unsupported file type ({suffix or 'no suffix'})"))
                continue
            try:
                st = abspath.stat()
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
                continue
            sources.append(SourceFile(rel, st.st_size, st.st_mtime_ns))
    return sources, skipped


def read_source(
    root: Path, source: SourceFile, vocabulary: Vocabulary, limits: Limits | None = None
) -> tuple[list[Article], list[Skipped]]:
    read = reader(Path(source.path).suffix.lower())
    return read(root / source.path, source.path, vocabulary, limits or Limits())
