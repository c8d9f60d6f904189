"""Words with offsets: the split and the folding every later stage builds on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

# A word is a run of letters/digits; hyphens and apostrophes inside it are kept so that
# Indonesian reduplication ("negara-negara") can be recognised before it is split.
WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
_JOINERS = re.compile(r"[-‐‑'’]")


class Word(NamedTuple):
    """A surface word: folded form plus where it sits in the text."""

    folded: str
    start: int
    end: int
    capitalised: bool


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Casefold and strip accents ("António" → "antonio"); memoised for single words."""
    return fold_text(text)


def fold_text(text: str) -> str:
    """`fold` without the memo, for long texts."""
    text = text.casefold()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_CLITICS = frozenset({"s", "t", "ll", "re", "ve", "d", "m"})
_SPLIT = re.compile(f"({WORD.pattern})")


def split_words(text: str) -> list[Word]:
    """Surface words with offsets. Reduplicated words ("negara-negara") stay one word;
    other hyphenated compounds ("China-Rusia") are split into their parts."""
    # One C-level split and running offsets: several times cheaper than a match object per
    # word, and this runs over every article at least once.
    parts = _SPLIT.split(text)
    out: list[Word] = []
    add = out.append
    make = tuple.__new__  # skips the NamedTuple's Python-level constructor
    pos = len(parts[0])
    for i in range(1, len(parts), 2):
        token = parts[i]
        end = pos + len(token)
        if token.isalnum():
            add(make(Word, (fold(token), pos, end, token[0].isupper())))
        else:
            _add_joined(token, pos, end, add)
        pos = end + len(parts[i + 1])
    return out


def _add_joined(token: str, start: int, end: int, add: Callable[[Word], None]) -> None:
    parts = _JOINERS.split(token)
    folded = [fold(p) for p in parts]
    if len(parts) == 2 and folded[0] == folded[1]:
        add(Word(folded[0], start, end, token[0].isupper()))
        return
    pos = start
    for part, f in zip(parts, folded, strict=True):
        if f in _CLITICS and pos != start:
            pos += len(part) + 1
            continue  # English clitics ("Xi's") carry no meaning of their own
        add(Word(f, pos, pos + len(part), part[0].isupper()))
        pos += len(part) + 1
