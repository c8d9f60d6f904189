"""Readers for the formats beyond plain text: record dumps (JSON Lines, JSON, CSV), saved web
pages and feed files. `index.corpus` reads `SUFFIXES` through `reader_for`; each reader has the
signature `(abspath, rel, vocabulary, limits) -> (articles, skipped)`.

Record formats read their field names from the corpus's `newsreader.toml` and from
`Limits.fields` (the command line's `--field NAME=COLUMN`); see `index.readers.config`.
"""

from __future__ import annotations

from importlib import import_module

from index.readers.config import (
    CONFIG_NAME,
    FIELDS,
    RecordConfig,
    parse_field_options,
    record_config,
)

# Which module reads which suffix. The modules are imported only when a file of theirs is
# read: listing a corpus (as opening the app does) must not pay for HTML and feed parsing.
_MODULES = {
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


def reader_for(suffix: str):
    """The reader function for a suffix in SUFFIXES."""
    module, name = _MODULES[suffix]
    return getattr(import_module(f"index.readers.{module}"), name)


__all__ = [
    "CONFIG_NAME",
    "FIELDS",
    "SUFFIXES",
    "RecordConfig",
    "parse_field_options",
    "reader_for",
    "record_config",
]
