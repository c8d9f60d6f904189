"""Readers for the formats beyond plain text: record dumps (JSON Lines, JSON, CSV), saved web
pages and feed files. `index.corpus` registers `READERS` by file suffix; each reader has the
signature `(abspath, rel, vocabulary, limits) -> (articles, skipped)`.

Record formats read their field names from the corpus's `newsreader.toml` and from
`Limits.fields` (the command line's `--field NAME=COLUMN`); see `index.readers.config`.
"""

from __future__ import annotations

from index.readers.config import (
    CONFIG_NAME,
    FIELDS,
    RecordConfig,
    parse_field_options,
    record_config,
)
from index.readers.csvfile import read_csv
from index.readers.feed import read_feed
from index.readers.html import read_html
from index.readers.jsonfiles import read_json, read_jsonl

READERS = {
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": read_csv,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}

__all__ = [
    "CONFIG_NAME",
    "FIELDS",
    "READERS",
    "RecordConfig",
    "parse_field_options",
    "record_config",
]
