"""Reading source files into text: size limits, binary detection, encodings, NFC."""

from __future__ import annotations

import re
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
    unmarked = utf16_without_bom(data[:_SNIFF])
    if unmarked:
        try:
            text = data.decode(unmarked)
        except UnicodeDecodeError:
            raise Unreadable(f"undecodable: it looks like {label16(unmarked)} but is not") from None
    elif b"\x00" in data[:_SNIFF] and not _utf16_bom(data):
        raise Unreadable("binary file, not text")
    else:
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
    mended = _mostly_utf8(data)
    if mended is not None:
        return mended
    western = _few_western_letters(data)
    if western is not None:
        return western
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Unreadable("undecodable: not text in any known encoding")
    return str(best)


_WESTERN_LETTERS = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿŒœŠšŽžŸ")
_WESTERN_MARKS = frozenset("‘’“”–—…•€«»°·×")


def _few_western_letters(data: bytes) -> str | None:
    """Mostly ASCII with a few letters or marks of Windows-1252 ("Crème Brûlée", curly
    quotes): read as such. On a short text charset-normalizer has too little to go on,
    and read one as Windows-1250 ("Crčme Brűlée"). A text with many bytes above ASCII
    (Cyrillic, Greek, …) is left to it."""
    high = sum(1 for b in data if b >= 0x80)
    if not high or high > 0.15 * len(data):
        return None
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    extra = [c for c in text if ord(c) >= 0x80]
    if all(c in _WESTERN_LETTERS or c in _WESTERN_MARKS for c in extra):
        return text
    return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray bytes (a scraper's cut, a copy through a wrong
    encoding), each read as U+FFFD: the text around them is kept, where a guess of another
    encoding would garble every accented letter and curly quote. It has to be UTF-8 beyond
    doubt: more well-formed multi-byte characters than stray bytes (text in a one-byte
    encoding forms almost none), and the stray bytes a few in a hundred at most."""
    text = data.decode("utf-8-sig", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for ch in text if ch > "\x7f") - text.count("\ufffd")
    if wide > stray and stray * 20 < len(data):
        return text
    return None


def _utf16_bom(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff")


def utf16_without_bom(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for text in UTF-16 without a byte order mark, told by
    its zero bytes: Latin text (as news in Indonesian or English is) has a zero byte at every
    odd position (little-endian) or every even one (big-endian), and a binary file has them
    all over the place. None when it does not look like that."""
    if len(sample) < 4 or _utf16_bom(sample):
        return None
    sample = sample[: len(sample) // 2 * 2]
    half = len(sample) // 2
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros >= 0.6 and other <= 0.02:
            try:
                sample.decode(encoding)
            except UnicodeDecodeError:
                # A sample cut inside a surrogate pair still reads up to the cut.
                try:
                    sample[:-2].decode(encoding)
                except UnicodeDecodeError:
                    return None
            return encoding
    return None


def label16(encoding: str) -> str:
    return "UTF-16 (little-endian)" if encoding.endswith("le") else "UTF-16 (big-endian)"


# Unicode's control characters (category Cc: C0, DEL and C1) but the line and page breaks
# and tabs text has. A pattern, not a category lookup per character: every file read is
# sniffed, in the process that writes the index.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _control_ratio(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def human_size(n: int) -> str:
    """A byte count as people read it: '1.5 MB'."""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover
