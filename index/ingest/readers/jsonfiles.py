"""JSON Lines (`.jsonl`, `.ndjson`) and JSON (`.json`) record files.

JSON Lines is read a line at a time, so a dump of any size never becomes one string; a bad
line (malformed JSON, bytes in another encoding) is skipped with its line number and the rest
goes in. A `.json` file is parsed whole: an array of records (each located by the line it
starts on), or one object, which is then a single article with the file's path as its id.
A `.json` file that is really JSON Lines is read as such.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Draft, Skipped
from ..decoding import Unreadable, human_size, read_bytes
from .encoding import Line, bad_bytes, label, lines, sniff
from .fields import corpus_root, record_config
from .records import DraftStream, Records

if TYPE_CHECKING:
    from ..limits import Limits

_DECODER = json.JSONDecoder()


def _start(abspath: Path, rel: str, limits: Limits) -> Records:
    config = record_config(corpus_root(abspath, rel), limits.fields)
    return Records(rel, limits, config)


def _too_large(abspath: Path, limit: int) -> str | None:
    size = abspath.stat().st_size
    if size > limit:
        return f"too large ({human_size(size)}; the limit is {human_size(limit)})"
    return None


def read_jsonl(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    """One JSON object per line."""
    return stream_jsonl(abspath, rel, limits).read_all()


def stream_jsonl(abspath: Path, rel: str, limits: Limits) -> DraftStream:
    """One JSON object per line, read as the drafts are taken."""
    try:
        reason = _too_large(abspath, limits.max_records_bytes)
        if reason:
            return DraftStream(iter(()), [Skipped(rel, reason)])
        with abspath.open("rb") as fh:
            encoding = sniff(fh.read(1 << 16))
        records = _start(abspath, rel, limits)
    except OSError as exc:
        return DraftStream(iter(()), [Skipped(rel, f"unreadable: {exc.strerror or exc}")])
    return records.stream(_read_lines(abspath, encoding, records), empty="empty file")


def _read_lines(abspath: Path, encoding: str, records: Records) -> Iterator[int]:
    """Reads the records line by line into `records`, giving the bytes read after each."""
    for line in lines(abspath, encoding):
        _read_line(line, records)
        yield line.end


def _read_line(line: Line, records: Records) -> None:
    if line.bad:
        records.skip(line.number, line.bad)
        return
    if not line.text.strip():
        return
    try:
        record = json.loads(line.text)
    except json.JSONDecodeError as exc:
        records.skip(line.number, f"malformed JSON: {exc.msg} (column {exc.colno})")
        return
    if not isinstance(record, dict):
        records.skip(line.number, f"not a JSON object but {_kind(record)}")
        return
    records.add(record, line.number)


def read_json(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    """An array of records, one record, or JSON Lines under a .json name."""
    try:
        data = read_bytes(abspath, limits.max_document_bytes)
        encoding = sniff(data[: 1 << 16])
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    text = data.decode("utf-16" if encoding == "utf-16" else encoding, "surrogateescape")
    text = text.lstrip("\ufeff")
    if not text.strip():
        return [], [Skipped(rel, "empty file")]
    records = _start(abspath, rel, limits)
    start = len(text) - len(text.lstrip())
    if text[start] == "[":
        _read_array(text, start, encoding, records)
        return records.result()
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        return [], [
            Skipped(f"{rel}:{exc.lineno}", f"malformed JSON: {exc.msg} (column {exc.colno})")
        ]
    if text[end:].strip():  # more values follow: JSON Lines in a .json file
        for _ in _read_lines(abspath, encoding, records):
            pass
        return records.result()
    if not isinstance(value, dict):
        return [], [Skipped(rel, f"neither a JSON object nor an array of them: {_kind(value)}")]
    found = bad_bytes(text)
    if found:
        return [], [Skipped(rel, f"bytes that are not {label(encoding)} ({found})")]
    records.add(value, 1, whole_file=True)
    return records.result()


def _read_array(text: str, pos: int, encoding: str, records: Records) -> None:
    """Each element of a top-level array, with the line it starts on; a syntax error ends
    the file there (JSON cannot be resynchronised), keeping the records before it."""
    line, line_pos = 1, 0

    def line_of(index: int) -> int:
        nonlocal line, line_pos
        line += text.count("\n", line_pos, index)
        line_pos = index
        return line

    pos = _skip_ws(text, pos + 1)
    if pos < len(text) and text[pos] == "]":
        return
    while True:
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            records.skip(
                exc.lineno,
                f"malformed JSON: {exc.msg} (column {exc.colno}); "
                "the records after it were not read",
            )
            return
        where = line_of(pos)
        found = bad_bytes(text, pos, end)
        if found:
            records.skip(where, f"bytes that are not {label(encoding)} ({found})")
        elif isinstance(value, dict):
            records.add(value, where)
        else:
            records.skip(where, f"not a JSON object but {_kind(value)}")
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
            continue
        if pos < len(text) and text[pos] == "]":
            return
        records.skip(
            line_of(min(pos, len(text))),
            "malformed JSON: expected , or ] between records; the rest was not read",
        )
        return


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _kind(value: object) -> str:
    return {
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true or false",
        type(None): "null",
    }.get(type(value), type(value).__name__)
