"""Mojibake repaired: UTF-8 text that was once decoded as Latin-1 or Windows-1252 and saved
again ("NestlÃ©", "AntamÂ Lompat", "â€œ"). Scraped archives carry it in titles and bodies (4%
of one recent Indonesian news set), and it hides words from search: "Ã\\x89lysÃ©e" is neither
"Élysée" nor anything a person types, and its C1 bytes would be shown as U+FFFD.

ftfy decides whether and how to undo it; it is asked only about text with a telltale pair (a
UTF-8 lead byte read as a Latin-1 letter, followed by a continuation byte read as a Latin-1
or Windows-1252 character), because asking about every article costs more than the rest of
reading it."""

from __future__ import annotations

import re

# Bytes 0x80-0xBF as Latin-1 reads them, and as Windows-1252 reads 0x80-0x9F.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2010-\u203a\u20ac\u2122"
)
_TELLTALE = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
# A no-break space whose mojibake lost its second byte to a plain space ("AntamÂ Lompat"):
# ftfy leaves it, as it cannot be sure; a capital Â glued to the end of a word is never
# spelling in the languages read here.
_LOST_NBSP = re.compile(r"(?<=[^\W_])\u00c2(?= )")


def repair(text: str) -> str:
    """`text` with its mojibake undone, or `text` itself when it has none."""
    if "\u00c2" in text:
        text = _LOST_NBSP.sub("", text)
    if _TELLTALE.search(text) is None:
        return text
    from ftfy import fix_encoding  # only the few texts that need it pay for the import

    return fix_encoding(text)
