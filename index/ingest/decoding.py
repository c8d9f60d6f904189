"""Reading source files into text: size limits, binary detection, encodings, NFC."""

from __future__ import annotations

import unicodedata
from pathlib import Path

MAX_TEXT_BYTES = 10 * 1024 * 1024  # a single article file larger than this is not an article
_SNIFF = 8192


class Unreadable(Exception):
    """A file that cannot be taken in; the message is the reason shown to the user."""


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise Unreadable(f"too large ({human_size(size)}; the limit is {human_size(limit)})")
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except PermissionError:
        raise Unreadable("unreadable: permission denied") from None
    except IsADirectoryError:
        raise Unreadable("not a file") from None
    except OSError as exc:
        raise Unreadable(f"unreadable: {exc.strerror or exc}") from None


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 when it is, else the encoding charset-normalizer finds.
    Returns NFC text with \\n line ends."""
    if not data.strip():
        raise Unreadable("empty file")
    if b"\x00" in data[:_SNIFF] and not _utf16_bom(data):
        raise Unreadable("binary file, not text")
    text = _decode(data)
    if _control_ratio(text) > 0.05:
        raise Unreadable("binary file, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise Unreadable("empty file")
    return text


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("undecodable: not text in any known encoding")
    return str(best)


def _utf16_bom(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return bad / len(sample)


def human_size(n: int) -> str:
    """A byte count as people read it: '1.5 MB'."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover
