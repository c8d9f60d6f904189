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

# Which module reads which suffix. A module is imported only when a file of its kind is
# read: listing a corpus (as opening the app does) must not pay for HTML and feed parsing.
_MODULES = {
    ".txt": ("text", "read_text_file"),
    ".md": ("text", "read_text_file"),
    ".markdown": ("text", "read_text_file"),
    ".jsonl": ("jsonfiles", "read_jsonl"),
    ".ndjson": ("jsonfiles", "read_jsonl"),
    ".json": ("jsonfiles", "read_json"),
    ".csv": ("csvfile", "read_csv"),
    ".tsv": ("csvfile", "read_csv"),
    ".html": ("html", "read_html"),
    ".htm": ("html", "read_html"),
    ".xml": ("feed", "read_feed"),
    ".rss": ("feed", "read_feed"),
    ".atom": ("feed", "read_feed"),
}
SUFFIXES = frozenset(_MODULES)
# Record files, which may hold a whole archive, are also read as a stream (see DraftStream).
_STREAMING = {
    ".jsonl": ("jsonfiles", "stream_jsonl"),
    ".ndjson": ("jsonfiles", "stream_jsonl"),
    ".csv": ("csvfile", "stream_csv"),
    ".tsv": ("csvfile", "stream_csv"),
}


def reader_for(suffix: str) -> Reader:
    """The reader for a suffix in SUFFIXES."""
    module, name = _MODULES[suffix]
    return getattr(import_module(f".{module}", __name__), name)


def stream_reader_for(suffix: str) -> StreamReader | None:
    """The streaming reader for a suffix, if its files are read as a stream."""
    found = _STREAMING.get(suffix)
    if found is None:
        return None
    return getattr(import_module(f".{found[0]}", __name__), found[1])


__all__ = ["SUFFIXES", "Reader", "StreamReader", "reader_for", "stream_reader_for"]
