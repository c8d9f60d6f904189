"""CSV and TSV record files: a header row naming the fields, then one record per row.

Rows are read as a stream with their line numbers (a quoted field may span lines; a row is
located by the line it starts on). A row with fewer cells than the header, or with more that
are not empty, is damaged (a lost or stray delimiter shifts every field after it) and is
skipped; so is a row with bytes in another encoding.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Draft, Skipped
from ..decoding import human_size
from .encoding import lines, sniff
from .fields import corpus_root, record_config
from .records import DraftStream, Records

if TYPE_CHECKING:
    from ..limits import Limits

_CANDIDATES = (",", ";", "\t", "|")


def read_csv(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    return stream_csv(abspath, rel, limits).read_all()


def stream_csv(abspath: Path, rel: str, limits: Limits) -> DraftStream:
    """The rows of a CSV or TSV file with a header, read as the drafts are taken."""
    try:
        size = abspath.stat().st_size
        if size > limits.max_records_bytes:
            reason = (
                f"too large ({human_size(size)}; the limit is "
                f"{human_size(limits.max_records_bytes)})"
            )
            return DraftStream(iter(()), [Skipped(rel, reason)])
        with abspath.open("rb") as fh:
            encoding = sniff(fh.read(1 << 16))
        config = record_config(corpus_root(abspath, rel), limits.fields)
        records = Records(rel, limits, config)
        default = "\t" if abspath.suffix.lower() == ".tsv" else None
        rows = _read_rows(abspath, encoding, config.delimiter or default, records)
        next(rows)  # the header, checked here: a file without records is one skip
    except OSError as exc:
        return DraftStream(iter(()), [Skipped(rel, f"unreadable: {exc.strerror or exc}")])
    except _NoRecords as exc:
        return DraftStream(iter(()), [Skipped(rel, str(exc))])
    return records.stream(rows)


class _NoRecords(Exception):
    pass


class _Source:
    """Feeds decoded lines to the csv module and remembers which were damaged, and where
    each row began."""

    def __init__(self, abspath: Path, encoding: str) -> None:
        self._lines = lines(abspath, encoding)
        self.last = 0
        self.end = 0  # bytes read
        self.bad: dict[int, str] = {}

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.last = line.number
            self.end = line.end
            if line.bad:
                self.bad[line.number] = line.bad
            yield line.text + "\n"

    def damage(self, first: int, last: int) -> str | None:
        for n in range(first, last + 1):
            if n in self.bad:
                return self.bad.pop(n)
        return None


def _read_rows(
    abspath: Path, encoding: str, delimiter: str | None, records: Records
) -> Iterator[int]:
    """Reads the rows into `records`, giving the bytes read after the header and after
    each row."""
    # The csv module refuses fields over 128 KB by default; an article body can be longer.
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    source = _Source(abspath, encoding)
    stream = iter(source)
    first_line = next(stream, None)
    while first_line is not None and not first_line.strip():
        first_line = next(stream, None)
    if first_line is None:
        raise _NoRecords("empty file")
    header_at = source.last
    delimiter = delimiter or _guess_delimiter(first_line)
    rows = csv.reader(_chain(first_line, stream), delimiter=delimiter, strict=False)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(rows)]
    if not any(h in header for h in records.config.names["body"]) and not any(
        "." in n for n in records.config.names["body"]
    ):
        shown = ", ".join(h for h in header if h)[:200] or "none"
        raise _NoRecords(
            f'no body column (columns: {shown}); name it in newsreader.toml: [fields] body = "..."'
        )
    yield source.end
    end = header_at
    while True:
        start = end + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            end = source.last
            records.skip(start, f"malformed CSV: {exc}")
            continue
        end = source.last
        _read_row(header, row, start, source.damage(start, end), records)
        yield source.end


def _read_row(
    header: list[str], row: list[str], start: int, damaged: str | None, records: Records
) -> None:
    if not row or not any(cell.strip() for cell in row):
        return
    if damaged:
        records.skip(start, damaged)
    elif len(row) < len(header):
        records.skip(start, f"the row has {len(row)} of the header's {len(header)} columns")
    elif len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
        records.skip(start, f"the row has {len(row)} columns, the header {len(header)}")
    else:
        record = {}
        for name, cell in zip(header, row, strict=False):
            if name and name not in record:
                record[name] = cell
        records.add(record, start)


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _guess_delimiter(header: str) -> str:
    """The delimiter that splits the header line into the most fields (',' on a tie)."""
    counts = {d: len(next(csv.reader([header], delimiter=d))) for d in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda d: (counts[d], d == ","))
    return best if counts[best] > 1 else ","
