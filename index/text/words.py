"""Words with offsets: the split and the folding every later stage builds on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

# A word is a run of letters/digits; hyphens and apostrophes inside it are kept so that
# Indonesian reduplication ("negara-negara") can be recognised before it is split.
_WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
_JOINERS = re.compile(r"[-‐‑'’]")


class Word(NamedTuple):
    """A surface word: folded form plus where it sits in the text."""

    folded: str
    start: int
    end: int
    capitalised: bool


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Casefold and strip accents ("António" → "antonio")."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split_words(text: str) -> Iterator[Word]:
    """Surface words with offsets. Reduplicated words ("negara-negara") stay one word;
    other hyphenated compounds ("China-Rusia") are split into their parts."""
    for m in _WORD.finditer(text):
        token = m.group()
        start = m.start()
        if "-" not in token and "'" not in token and not _JOINERS.search(token):
            yield Word(fold(token), start, m.end(), token[0].isupper())
            continue
        parts = _JOINERS.split(token)
        folded = [fold(p) for p in parts]
        if len(parts) == 2 and folded[0] == folded[1]:
            yield Word(folded[0], start, m.end(), token[0].isupper())
            continue
        pos = start
        for part, f in zip(parts, folded, strict=True):
            if f in ("s", "t", "ll", "re", "ve", "d", "m") and pos != start:
                pos += len(part) + 1
                continue  # English clitics ("Xi's") carry no meaning of their own
            yield Word(f, pos, pos + len(part), part[0].isupper())
            pos += len(part) + 1
