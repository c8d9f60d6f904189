"""Text analysis shared by search and passage alignment.

One pipeline turns text into terms with character offsets into that text:
word split → case and accent folding → variant spellings joined to one form → stop words
dropped → stemming (Indonesian by dictionary, English by Porter2 for words the Indonesian
dictionary does not know). Search and alignment must agree on it, so both call `analyze`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, count, islice, repeat
from operator import and_, is_, itemgetter, not_
from pathlib import Path
from typing import NamedTuple

from . import sastrawi
from .memo import MEMO_WORDS, Memo
from .sastrawi import word_stemmer
from .vocabulary import Vocabulary
from .words import WordColumns, word_columns

# Terms are made by the million while indexing: built with tuple.__new__ directly, which
# skips the NamedTuple's Python-level constructor.
_make_term = tuple.__new__


class Term(NamedTuple):
    """An analysed term. `stop` terms are kept (flagged) so callers can choose."""

    text: str
    start: int
    end: int
    stop: bool
    name: bool  # written with a capital letter: probably a proper name
    surface: str  # the folded word(s) as written ("kerja sama", "china")


def _sentence_initial(text: str, start: int) -> bool:
    """True when the word at `start` opens a sentence, line or quotation, where a capital
    letter says nothing about being a name."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"“”'‘’(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n\r–—-"


def _name_words(words: WordColumns, text: str) -> set[str]:
    """Words this text writes with a capital letter in mid-sentence and never in lower case:
    its proper names, even where one opens a sentence."""
    folded, starts, _, capitalised, _ = words
    lower = set(compress(folded, map(not_, capitalised)))
    maybe = set(compress(folded, capitalised)) - lower
    capital: set[str] = set()
    if maybe:
        for i in compress(count(), capitalised):
            f = folded[i]
            if f in maybe and f not in capital and not _sentence_initial(text, starts[i]):
                capital.add(f)
    return capital


@lru_cache(maxsize=1)
def _porter2():
    from whoosh.lang.porter2 import stem

    return stem


# Stems already worked out: the dictionary stemmer takes about half a millisecond per new
# word, and a real archive has about a hundred thousand of them. A memo of a pure function,
# bounded (memo.py); `save_stems` / `load_stems` keep it between runs.
_STEMS: Memo[str] = Memo(MEMO_WORDS)
STEMMER_VERSION = "sastrawi-1.2+porter2-5"


def stem(word: str) -> str:
    """Stem one folded word. Indonesian first (dictionary based); a word the Indonesian
    dictionary cannot explain is treated as English. The same function serves every
    article, so a query needs no language guess to match."""
    found = _STEMS.get(word)
    if found is None:
        found = _stem(word)
        _STEMS.add(word, found)
        if _NEW_STEMS is not None:
            _NEW_STEMS.append((word, found))
    return found


def _stem(word: str) -> str:
    # Both stemmers are for words in Latin letters: Sastrawi made every Arabic word an empty
    # term ("الله" → ""), so that any Arabic word found every article quoting Arabic.
    if len(word) <= 3 or not word.isalpha() or not word.isascii():
        return word
    _, dictionary = word_stemmer()
    if dictionary.contains(word):
        return word
    stemmed = sastrawi.stem(word)
    if stemmed != word:
        return sastrawi.mend(word, stemmed)
    return _porter2()(word)


_NEW_STEMS: list[tuple[str, str]] | None = None  # kept only where `track_new_stems` asks


def stems_learnt() -> int:
    """How many stems this process has worked out or been given: grows when it learns one."""
    return _STEMS.added


def track_new_stems() -> None:
    """Remember the stems worked out from now on, for `take_new_stems` (a worker process
    hands them to the process that saves them)."""
    global _NEW_STEMS
    _NEW_STEMS = []


def take_new_stems() -> list[tuple[str, str]]:
    new = _NEW_STEMS[:] if _NEW_STEMS else []
    if _NEW_STEMS:
        _NEW_STEMS.clear()
    return new


def add_stems(pairs: Iterable[tuple[str, str]]) -> None:
    """Stems worked out elsewhere (another process)."""
    for word, stemmed in pairs:
        _STEMS.add(word, stemmed)


def load_stems(path: Path) -> None:
    """Add the stems saved in `path` (by `save_stems`) to the memo; a missing, damaged or
    outdated file is ignored."""
    try:
        with path.open("rb") as fh:
            version, table = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        return
    if version == STEMMER_VERSION and isinstance(table, dict):
        # The last ones saved are the ones the memo holds most recently used.
        for word in list(islice(reversed(table), 2 * MEMO_WORDS))[::-1]:
            _STEMS.add(word, table[word])


def save_stems(path: Path) -> None:
    """Write the memo to `path` atomically (best effort: a cache, never an error)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as fh:
            table = dict(_STEMS.items())
            pickle.dump((STEMMER_VERSION, table), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            tmp.unlink()


def stems_from_forms(
    words: Iterable[str], pairs: Iterable[tuple[str, str]], acronym_terms: set[str]
) -> dict[str, str]:
    """The stems of `words` that an index's (term, written form) pairs give without doubt.
    A plain word is filed under its stem, and the index was made with these stems, so they
    are the ones its queries must use; a word also filed under an acronym's term (`SCO`
    written in capitals) is left out unless one other term remains, and a word filed under
    several terms is left to the stemmer."""
    wanted = set(words)
    found: dict[str, set[str]] = {}
    for term, form in pairs:
        if form in wanted and term not in acronym_terms:
            found.setdefault(form, set()).add(term)
    return {form: next(iter(terms)) for form, terms in found.items() if len(terms) == 1}


@dataclass(frozen=True)
class Analyzer:
    """The analysis settings. Plain data, so it can be pickled into a Whoosh index and
    fingerprinted to know when an index was built with other settings."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary.default)

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.vocabulary.fingerprint().encode())
        digest.update(b"analysis-v6")  # v6: a unit split off its figure ("Rp4")
        return digest.hexdigest()[:16]

    def terms(self, text: str, start_char: int = 0) -> list[Term]:
        """All terms of `text`, stop words included but flagged."""
        return self._terms(word_columns(text), text, start_char)

    def content_terms(self, text: str) -> list[Term]:
        return [t for t in self._terms(word_columns(text), text, 0) if not t.stop]

    def _terms(self, words: WordColumns, text: str, offset: int) -> list[Term]:
        """Each word's plain term (its variant's, a stop word flagged, or its stem), made a
        column at a time; then the few places where a multi-word variant or an acronym
        starts are worked out one by one and put in."""
        folded, starts, ends, _, _ = words
        plain = self.vocabulary.plain_terms  # folded word → (term, stop), filled as words are met
        known = list(map(plain.new.get, folded))
        if None in known:
            for i in list(compress(count(), map(is_, known, repeat(None)))):
                found = plain.get(folded[i])
                if found is None:
                    found = self._plain_term(folded[i])
                    plain.add(folded[i], found)
                known[i] = found
        names = _name_words(words, text)
        if offset:
            starts = [x + offset for x in starts]
            ends = [x + offset for x in ends]
        # A plain term is a name when its word is one and it is not a stop word.
        named = {f for f in names if not (plain.get(f) or self._plain_term(f))[1]} if names else ()
        out = list(
            map(
                _make_term,
                repeat(Term),
                zip(
                    map(itemgetter(0), known),
                    starts,
                    ends,
                    map(itemgetter(1), known),
                    map(named.__contains__, folded) if named else repeat(False, len(folded)),
                    folded,
                    strict=True,
                ),
            )
        )
        special = self._special(words, names, starts, ends)
        for i, (term, length) in reversed(special):  # from the end: the places before stay
            out[i : i + length] = [term]
        return out

    def _special(
        self,
        words: WordColumns,
        names: set[str],
        starts: list[int],
        ends: list[int],
    ) -> list[tuple[int, tuple[Term, int]]]:
        """Where a multi-word variant ("kerja sama" → "kerjasama") or an acronym ("SCO")
        replaces the plain terms, in order: (place, (its term, how many words it takes)).
        A variant takes its words, so none of them starts another."""
        folded, _, _, capitalised, written = words
        vocab = self.vocabulary
        acronyms = vocab.acronyms
        phrase_at = compress(count(), map(vocab.phrase_starts.__contains__, folded))
        if acronyms:
            upper = map(and_, capitalised, map(str.isupper, written))
            at = sorted({*phrase_at, *compress(count(), upper)})
        else:
            at = list(phrase_at)
        out: list[tuple[int, tuple[Term, int]]] = []
        free = 0  # the first word no variant has taken
        for i in at:
            if i < free:
                continue
            f = folded[i]
            if f in vocab.phrase_starts:
                matched = self._phrase(folded, starts, ends, i, names)
                if matched is not None:
                    out.append((i, matched))
                    free = i + matched[1]
                    continue
            if capitalised[i] and acronyms:
                canon = acronyms.get(written[i]) if written[i].isupper() else None
                if canon is not None:
                    term = _make_term(Term, (canon, starts[i], ends[i], False, f in names, f))
                    out.append((i, (term, 1)))
        return out

    def _phrase(
        self, folded: list[str], starts: list[int], ends: list[int], i: int, names: set[str]
    ) -> tuple[Term, int] | None:
        """The multi-word variant starting at word `i`, longest first ("kerja sama" →
        "kerjasama"), and how many words it takes."""
        vocab = self.vocabulary
        n = len(folded)
        for length in vocab.phrase_lengths:
            if i + length > n:
                continue
            key = tuple(folded[i : i + length])
            canon = vocab.phrases.get(key)
            if canon is not None:
                name = all(x in names for x in key)
                term = Term(canon, starts[i], ends[i + length - 1], False, name, " ".join(key))
                return term, length
        return None

    def _plain_term(self, folded: str) -> tuple[str, bool]:
        canon = self.vocabulary.words.get(folded)
        if canon is not None:
            return canon, False
        if folded in self.vocabulary.stopwords:
            return folded, True
        return stem(folded), False

    def words_to_stem(self, text: str) -> list[str]:
        """The folded words of `text`, once each, that analysing it would hand to the
        dictionary stemmer: not a variant or a stop word, long enough, letters only, and not
        stemmed yet in this process."""
        vocab = self.vocabulary
        out: dict[str, None] = {}
        for f in word_columns(text).folded:
            if (
                len(f) > 3
                and f not in _STEMS
                and f.isalpha()
                and f not in vocab.words
                and f not in vocab.stopwords
            ):
                out[f] = None
        return list(out)

    def query_terms(self, text: str) -> list[str]:
        return [t.text for t in self.content_terms(text)]


def detect_language(text: str | Iterable[str], vocabulary: Vocabulary) -> str | None:
    """'id', 'en' or None, from the share of each language's function words (in a text, or
    in its folded words)."""
    ind = eng = 0
    words = word_columns(text[:20000]).folded if isinstance(text, str) else text
    for w in words:
        if w in vocabulary.stopwords_id:
            ind += 1
        elif w in vocabulary.stopwords_en:
            eng += 1
    if ind + eng < 3:
        return None
    if ind >= 2 * eng:
        return "id"
    if eng >= 2 * ind:
        return "en"
    return None
