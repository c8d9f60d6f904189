"""Control characters made visible. A feed, a record or a file name can hold terminal escape
sequences (`ESC ] 0 ; title BEL`, `ESC [ 2 J`, OSC 8 links); written raw to a terminal they
retitle, clear or hijack it. Every C0 and C1 control character except newline and tab is
therefore replaced by a visible stand-in of the same length (one code point for one), so
that character offsets into a text stay valid: C0 controls become their symbols from the
Unicode "Control Pictures" block (ESC is shown as ␛), DEL becomes ␡, C1 controls and lone
surrogates (undecodable bytes) become U+FFFD. So do the bidirectional overrides and isolates
(U+202A-U+202E, U+2066-U+2069): written raw, they reorder what follows on the line, so a
text can show other than it says ("Trojan Source", CVE-2021-42574), and a terminal may give
them a column the app did not count, shifting a pane's border.

Text is made printable when it is read (every article, its metadata and its id) and again on
the way out (the command line's console and the app's door to the engine)."""

from __future__ import annotations

import re

_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_TABLE[0x7F] = "\u2421"
_TABLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_TABLE.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_TABLE.update({c: "\ufffd" for c in _BIDI})

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` with every control character but newline and tab (and every lone surrogate)
    replaced by a visible stand-in; the same length as `text`."""
    if _UNSAFE.search(text) is None:
        return text
    return text.translate(_TABLE)


def has_controls(text: str) -> bool:
    """Whether `printable` would change `text`."""
    return _UNSAFE.search(text) is not None
