"""Did you mean: the query with the words the corpus does not know replaced by the closest
words it does, computed on surface words (as typed), never on stems."""

from __future__ import annotations

import re

from ..text.words import fold
from .query import OPERATORS


def suggest(text: str, searcher, *, force: bool) -> str | None:
    """The query with each word the corpus does not know replaced by the closest word it
    does ("Erdgan" → "Erdogan"). Only words outside field prefixes and operators count.
    With `force`, words that are known but rare are also corrected when that helps."""
    reader = searcher.reader()
    corrector = searcher.corrector("words")
    changed = False
    pieces: list[str] = []
    cursor = 0
    ranges = [(r.start(), r.end()) for r in re.finditer(r"[\[{][^\]}]*[\]}]", text)]
    for m in re.finditer(r"(?<![\w:*~])([^\W\d_][^\W_]*)(?![\w:*~])", text):
        word = m.group(1)
        if word in OPERATORS or _in_field_value(text, m.start()):
            continue
        if any(a <= m.start() < b for a, b in ranges):
            continue
        folded = fold(word)
        freq = reader.doc_frequency("words", folded)
        if freq and not force:
            continue
        # Edit distance 1 first: it is several times cheaper and usually enough.
        options = [o for o in corrector.suggest(folded, limit=5, maxdist=1) if o != folded]
        if not options:
            options = [o for o in corrector.suggest(folded, limit=5, maxdist=2) if o != folded]
        if not options:
            continue
        best = max(options, key=lambda o: reader.doc_frequency("words", o))
        if freq and reader.doc_frequency("words", best) <= freq:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(_match_case(word, best))
        cursor = m.end()
        changed = True
    if not changed:
        return None
    pieces.append(text[cursor:])
    return "".join(pieces)


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
