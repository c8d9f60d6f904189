"""Words with offsets: the split and the folding every later stage builds on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import and_, itemgetter, not_
from typing import NamedTuple

from .marks import mark_class

# A word is a run of letters/digits; hyphens and apostrophes inside it are kept so that
# Indonesian reduplication ("negara-negara") can be recognised before it is split.
WORD = re.compile(r"[^\W_]+(?:[-‐‑'’][^\W_]+)*")
_JOINERS = re.compile(r"[-‐‑'’]")
# The same with the combining marks a word's letters carry (Arabic vowel signs, Devanagari
# vowel signs, decomposed accents), which `\w` leaves out: "بِسْمِ" is one word, not three
# letters. Only for a text that has a mark, found first: this pattern splits a text about a
# third slower, the search for a mark costs a tenth of the split.
_MARK = f"[{mark_class()}]"
_HAS_MARK = re.compile(_MARK)
_MARKED_RUN = rf"[^\W_]+(?:{_MARK}+[^\W_]*)*"
_SPLIT_MARKED = re.compile(rf"({_MARKED_RUN}(?:[-‐‑'’]{_MARKED_RUN})*)")


class Word(NamedTuple):
    """A surface word: folded form plus where it sits in the text."""

    folded: str
    start: int
    end: int
    capitalised: bool


@lru_cache(maxsize=1 << 16)  # bounded: a build's vocabulary grows with its archive
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


class WordColumns(NamedTuple):
    """`split_words` a column at a time: the folded words, their offsets, whether each is
    capitalised, and each as written (a compound's part: that part)."""

    folded: list[str]
    starts: list[int]
    ends: list[int]
    capitalised: list[bool]
    written: list[str]


# A terminal escape sequence in a text is shown by its stand-ins (see controls.py): ESC as
# ␛, the rest as written. Its parameters and final letter are no words, and glued to the
# word after it ("␛[5mberkedip") they would hide that word ("5mberkedip"). Split into
# words, a sequence counts as spaces: a CSI sequence (␛[, parameters, a final byte), an
# OSC sequence's opening (␛]0;) and a two-character escape (␛7, ␛c).
ESCAPE_MARK = "\u241b"
_ESCAPES = re.compile("\u241b(?:\\[[0-?]*[ -/]*[@-~]|\\][0-9]*;?|[0-Z^-~])")


# Money and measures are written against their unit: "Rp4,5 triliun", "USD1.000",
# "2.000cc". As one word ("rp4"), the figure could not be found ("4,5" missed "Rp4,5") and
# "Rp 4,5" and "Rp4,5" were different words. The unit is split off as a word of its own.
CURRENCIES = ("rp", "usd", "idr", "sgd", "eur", "rm", "jpy", "myr", "aud")
UNITS = ("cc", "km", "kg", "gb", "mb", "tb", "mm", "cm", "ml", "mw", "kw", "kwh", "mah", "ghz")
UNIT_WORDS = frozenset(CURRENCIES + UNITS)
_CURRENCY = "|".join(CURRENCIES)
_UNIT = "|".join(UNITS)
# A figure against its unit, as a whole word ("Rp4") and inside a text.
_GLUED_WORD = re.compile(rf"(?i)(?:({_CURRENCY})[0-9]+|([0-9]+)(?:{_UNIT}))")
GLUED = re.compile(rf"(?i)(?<![^\W_])(?:{_CURRENCY})[0-9]|[0-9](?:{_UNIT})(?![^\W_])")


def _blank_escapes(text: str) -> str:
    return _ESCAPES.sub(lambda m: " " * len(m.group()), text)


def word_columns(text: str) -> WordColumns:
    """The words of `split_words`, as columns. Each column is made by one C-level pass (a
    `map`, a slice) rather than a Python step per word: with `Analyzer.terms` built on
    them, analysing a CLICK-ID article went from 0.42 to 0.36 ms."""
    if ESCAPE_MARK in text:
        text = _blank_escapes(text)
    marked = not text.isascii() and _HAS_MARK.search(text) is not None
    parts = (_SPLIT_MARKED if marked else _SPLIT).split(text)
    written = parts[1::2]
    bounds = list(accumulate(map(len, parts)))  # the end of each part: a word's start or end
    starts = bounds[0:-1:2]
    ends = bounds[1::2]
    # A word with a joiner in it (a hyphen, an apostrophe) is one word or several: worked
    # out below. Its whole is not folded here, so that `fold`'s memo holds words only.
    joined = list(compress(count(), map(not_, map(str.isalnum, written))))
    plain = written
    if joined:
        plain = written.copy()
        for i in joined:
            plain[i] = ""
    folded = list(map(fold, plain))
    capitalised = list(map(str.isupper, map(itemgetter(0), written)))
    columns = WordColumns(folded, starts, ends, capitalised, written)
    for i in reversed(joined):  # from the end, so that the places before stay right
        split: list[Word] = []
        _add_joined(written[i], starts[i], ends[i], split.append)
        folded[i : i + 1] = [w.folded for w in split]
        starts[i : i + 1] = [w.start for w in split]
        ends[i : i + 1] = [w.end for w in split]
        capitalised[i : i + 1] = [w.capitalised for w in split]
        written[i : i + 1] = [text[w.start : w.end] for w in split]
    if _letter_by_digit(text):
        _split_glued(columns)
    return columns


def _letter_by_digit(text: str) -> bool:
    """Whether an ASCII letter and a digit stand side by side somewhere in `text`: true of a
    tenth of CLICK-ID's articles. Bytes mapped to classes and searched run in C, five
    times as fast as a regular expression."""
    classes = text.encode("utf-8", "surrogatepass").translate(_CLASSES)
    return b"a0" in classes or b"0a" in classes


_CLASSES = (
    bytes(
        ord("0") if chr(b).isdigit() else ord("a") if chr(b).isalpha() else ord(" ")
        for b in range(128)
    )
    + b" " * 128
)


def _split_glued(columns: WordColumns) -> None:
    """Split each word that is a figure against its unit ("Rp4", "000cc") in two, in place."""
    folded, starts, ends, capitalised, written = columns
    mixed = map(and_, map(str.isalnum, written), map(not_, map(str.isalpha, written)))
    mixed = map(and_, mixed, map(not_, map(str.isdigit, written)))
    glued = [i for i in compress(count(), mixed) if _GLUED_WORD.fullmatch(written[i])]
    for i in reversed(glued):  # from the end, so that the places before stay right
        m = _GLUED_WORD.fullmatch(written[i])
        cut = m.end(1) if m.group(1) else m.end(2)
        start, end = starts[i], ends[i]
        parts = [written[i][:cut], written[i][cut:]]
        folded[i : i + 1] = [fold(p) for p in parts]
        starts[i : i + 1] = [start, start + cut]
        ends[i : i + 1] = [start + cut, end]
        capitalised[i : i + 1] = [p[0].isupper() for p in parts]
        written[i : i + 1] = parts


def split_words(text: str) -> list[Word]:
    """Surface words with offsets. Reduplicated words ("negara-negara") stay one word;
    other hyphenated compounds ("China-Rusia") are split into their parts."""
    folded, starts, ends, capitalised, _ = word_columns(text)
    # tuple.__new__ skips the NamedTuple's Python-level constructor.
    rows = zip(folded, starts, ends, capitalised, strict=True)
    return list(map(tuple.__new__, repeat(Word), rows))


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
