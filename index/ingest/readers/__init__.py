"""Readers, one per file format, and the one registry of which reader takes which suffix.

Each reader has the signature `(abspath, rel, limits) -> (drafts, skipped)`: it finds the
articles' texts and metadata; parsing them is the caller's (and may run in another process).
Record formats read their field names from the corpus's `newsreader.toml` and from
`Limits.fields` (the command line's `--field NAME=COLUMN`); see `fields.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Draft, Skipped

if TYPE_CHECKING:
    from ..limits import Limits
    from .records import DraftStream

Reader = Callable[[Path, str, "Limits"], tuple[list[Draft], list[Skipped]]]
StreamReader = Callable[[Path, str, "Limits"], "DraftStream"]

# Which module reads which suffix, and with which function: a list reader, and for record
# files, which may hold a whole archive, also a streaming one (see DraftStream). A module is
# imported only when a file of its kind is read: listing a corpus (as opening the app does)
# must not pay for HTML and feed parsing.
_MODULES: dict[str, tuple[str, str, str | None]] = {
    ".txt": ("text", "read_text_file", None),
    ".md": ("text", "read_text_file", None),
    ".markdown": ("text", "read_text_file", None),
    ".jsonl": ("jsonfiles", "read_jsonl", "stream_jsonl"),
    ".ndjson": ("jsonfiles", "read_jsonl", "stream_jsonl"),
    ".json": ("jsonfiles", "read_json", None),
    ".csv": ("csvfile", "read_csv", "stream_csv"),
    ".tsv": ("csvfile", "read_csv", "stream_csv"),
    ".html": ("html", "read_html", None),
    ".htm": ("html", "read_html", None),
    ".xml": ("feed", "read_feed", None),
    ".rss": ("feed", "read_feed", None),
    ".atom": ("feed", "read_feed", None),
}
SUFFIXES = frozenset(_MODULES)


def reader_for(suffix: str) -> Reader:
    """The reader for a suffix in SUFFIXES."""
    module, name, _ = _MODULES[suffix]
    return getattr(import_module(f".{module}", __name__), name)


def stream_reader_for(suffix: str) -> StreamReader | None:
    """The streaming reader for a suffix in SUFFIXES, if its files are read as a stream."""
    module, _, name = _MODULES[suffix]
    return None if name is None else getattr(import_module(f".{module}", __name__), name)


__all__ = ["SUFFIXES", "Reader", "StreamReader", "reader_for", "stream_reader_for"]
