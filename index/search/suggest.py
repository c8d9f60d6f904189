"""Did you mean: the query with the words the corpus does not know (or knows far less often
than a word one edit away) replaced by the closest words it does, computed on surface words
(as typed), never on stems, from the build's spelling dictionary (see spelling.py)."""

from __future__ import annotations

import re

from ..text.words import fold
from .engine import WORD_FIELDS, FullText
from .query import OPERATORS
from .spelling import Speller

_WORD_IN_QUERY = re.compile(r"(?<![\w:*~])([^\W\d_][^\W_]*)(?![\w:*~])")
# An article count at or below which a known word may still be a misspelling: a typo some
# articles share ("Anis Baswedan" in 8 of 10,000 CLICK-ID articles, "Anies" in 120).
RARE = 10
FAR_MORE = 10  # ... when a word one edit away is in this many times as many articles
TWO_EDITS_FROM = 7  # letters an unknown word needs to be corrected by two edits


def suggest(text: str, fulltext: FullText, speller: Speller) -> str | None:
    """The query with each word the corpus does not have (or has far less often than a
    word one edit away) replaced by the closest, most frequent word it does have ("Erdgan" →
    "Erdogan"). Never for numbers, one-letter words, operators or field values."""
    changed = False
    pieces: list[str] = []
    cursor = 0
    ranges = [(r.start(), r.end()) for r in re.finditer(r"[\[{][^\]}]*[\]}]", text)]
    for m in _WORD_IN_QUERY.finditer(text):
        word = m.group(1)
        if word in OPERATORS or len(word) < 2 or _in_field_value(text, m.start()):
            continue
        if any(a <= m.start() < b for a, b in ranges):
            continue
        folded = fold(word)
        freq = _articles_with(fulltext, folded)
        if freq > RARE:
            continue
        best = _correction(folded, freq, fulltext, speller)
        if best is None:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(_match_case(word, best))
        cursor = m.end()
        changed = True
    if not changed:
        return None
    pieces.append(text[cursor:])
    return "".join(pieces)


def _correction(word: str, freq: int, fulltext: FullText, speller: Speller) -> str | None:
    # An unknown word may be two edits off; a known one only one, and only towards a word
    # far more common, so that real rare words ("kerja" in a small corpus) stay as typed.
    # Two edits are a third of a word of six letters: "COVID" (in no article of 2019)
    # became "DAVID", so only a word of seven letters or more is taken that far.
    max_distance = (1 if len(word) < TWO_EDITS_FROM else 2) if freq == 0 else 1
    best: tuple[int, int, str] | None = None
    for candidate, distance in speller.lookup(word, max_distance):
        df = _articles_with(fulltext, candidate)
        if not df or (freq and df < FAR_MORE * freq):
            continue
        key = (distance, -df, candidate)
        if best is None or key < best:
            best = key
    return best[2] if best else None


def _articles_with(fulltext: FullText, word: str) -> int:
    # A lower bound where a word is in some titles and other bodies: enough to tell a
    # rare word from a common one.
    return max(fulltext.doc_frequency(f, word) for f in WORD_FIELDS)


def _in_field_value(text: str, index: int) -> bool:
    i = index - 1
    while i >= 0 and not text[i].isspace():
        if text[i] == ":" and i > 0 and text[i - 1].isalnum():
            prefix = re.search(r"([A-Za-z_]\w*):$", text[: i + 1])
            return bool(prefix and prefix.group(1).lower() not in ("title", "body", "text"))
        i -= 1
    return False


def _match_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
