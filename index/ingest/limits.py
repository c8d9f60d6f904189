"""How much the readers take in, and which record fields they read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .decoding import MAX_TEXT_BYTES
from .readers.fields import parse_field_options


@dataclass(frozen=True)
class Limits:
    max_text_bytes: int = MAX_TEXT_BYTES  # a text file, or one record's body
    # Pages, feeds and .json files are parsed whole; JSON Lines and CSV dumps are streamed
    # record by record, so they may be far larger than any one article.
    max_document_bytes: int = 64 * 1024 * 1024
    max_records_bytes: int = 4 * 1024 * 1024 * 1024
    # Record field names from the command line (`--field body=isi`), tried before those of
    # the corpus's newsreader.toml and the defaults; see readers/fields.py.
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_field_options(cls, options: Iterable[str]) -> Limits:
        """Limits reading the record fields the command line names (`body=isi`)."""
        return cls(fields=parse_field_options(options))
