"""Encodings of record files and pages, and finding where one lies.

A file is taken to be UTF-8 when most of its non-ASCII bytes form valid UTF-8: a few bytes
that do not are damage (an "encoding that lies"), reported by line, and only the records on
those lines are skipped. A file with no valid UTF-8 sequences at all is in a legacy encoding,
which charset-normalizer names. Guessing a legacy encoding for a damaged UTF-8 file would
turn every correct accented letter into mojibake, which is worse than losing a record.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..decoding import label16, utf16_without_bom

SAMPLE = 1 << 16
_SURROGATE = re.compile("[\udc80-\udcff]")


class EncodingLie(Exception):
    """Bytes that are not in the encoding a file declares or mostly uses."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based
    text: str  # without the line end; undecodable bytes as lone surrogates
    bad: str | None  # why the line cannot be trusted, or None
    end: int = 0  # how many of the file's bytes lie before the next line (for progress)


def sniff(sample: bytes) -> str:
    """The encoding of a file from its first bytes: a BOM, else UTF-8 when the sample is
    (mostly) UTF-8, else charset-normalizer's guess."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    unmarked = utf16_without_bom(sample)
    if unmarked:
        return unmarked
    cut = sample.rfind(b"\n")
    if len(sample) >= SAMPLE and cut > 0:
        sample = sample[:cut]  # never judge a multi-byte character cut in half
    text = sample.decode("utf-8", "surrogateescape")
    bad = len(_SURROGATE.findall(text))
    if not bad:
        return "utf-8"
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if good >= bad:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else "cp1252"


def label(encoding: str) -> str:
    name = encoding.replace("_", "-").lower()
    if name in ("utf-16-le", "utf-16-be"):
        return label16(name)
    return "UTF-8" if name in ("utf-8", "utf-8-sig", "utf8") else encoding


def clean(text: str) -> str:
    """Newlines as \\n and NFC, as every original text in the engine is."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def bad_bytes(text: str, start: int = 0, end: int | None = None) -> str | None:
    """Why text[start:end] (decoded with surrogateescape) cannot be trusted, or None."""
    m = _SURROGATE.search(text, start, len(text) if end is None else end)
    if m is None:
        return None
    return f"0x{ord(m.group()) - 0xDC00:02x}"


def lines(path: Path, encoding: str) -> Iterator[Line]:
    """A file's lines, decoded one at a time so a large dump is never one string. Lines
    with bytes the encoding cannot read come with the reason; the rest of the file goes on."""
    if encoding.startswith("utf-16"):  # lines cannot be split as bytes; such files are small
        text = path.read_bytes().decode(encoding, "surrogateescape")
        end = 0
        for n, line in enumerate(text.splitlines(), 1):
            end += 2 * len(line) + 2
            yield Line(n, line, _why(line, encoding), end)
        return
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    end = 0
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            end += len(raw)
            if n == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[3:]
            raw = raw.rstrip(b"\r\n")
            try:
                yield Line(n, raw.decode(codec), None, end)
            except UnicodeDecodeError as exc:
                text = raw.decode(codec, "surrogateescape")
                yield Line(
                    n,
                    text,
                    f"bytes that are not {label(encoding)} (0x{raw[exc.start]:02x}"
                    f" at column {exc.start + 1}); the file mixes encodings",
                    end,
                )


def _why(text: str, encoding: str) -> str | None:
    found = bad_bytes(text)
    return f"bytes that are not {label(encoding)} ({found})" if found else None


def decode_declared(data: bytes, declared: str) -> str:
    """Bytes in the encoding a file declares; EncodingLie (with the line) when they are not."""
    try:
        return data.decode(declared)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingLie(
            line,
            f"declares the encoding {declared} but is not written in it "
            f"(byte 0x{data[exc.start]:02x} on line {line})",
        ) from None


def known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
