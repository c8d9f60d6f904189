"""Text analysis shared by search and passage alignment.

One pipeline turns text into terms with character offsets into that text:
word split → case and accent folding → variant spellings joined to one form → stop words
dropped → stemming (Indonesian by dictionary, English by Porter2 for words the Indonesian
dictionary does not know). Search and alignment must agree on it, so both call `analyze`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .vocabulary import Vocabulary
from .words import Word, split_words


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


def _name_words(words: list[Word], text: str) -> set[str]:
    """Words this text writes with a capital letter in mid-sentence and never in lower case:
    its proper names, even where one opens a sentence."""
    capital: set[str] = set()
    lower: set[str] = set()
    for w in words:
        if not w.capitalised:
            lower.add(w.folded)
        elif w.folded not in capital and not _sentence_initial(text, w.start):
            capital.add(w.folded)
    return capital - lower


@lru_cache(maxsize=1)
def _sastrawi():  # pragma: no cover - trivial
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    # The cached wrapper re-normalises whole sentences; the word-level stemmer is all we need.
    inner = stemmer.delegatedStemmer
    return inner, inner.dictionary


@lru_cache(maxsize=1)
def _porter2():
    from whoosh.lang.porter2 import stem

    return stem


@lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Stem one folded word. Indonesian first (dictionary based); a word the Indonesian
    dictionary cannot explain is treated as English. The same function serves every
    article, so a query needs no language guess to match."""
    if len(word) <= 3 or not word.isalpha():
        return word
    sastrawi, dictionary = _sastrawi()
    if dictionary.contains(word):
        return word
    stemmed = sastrawi.stem(word)
    if stemmed != word:
        return stemmed
    if word.isascii():
        return _porter2()(word)
    return word


@dataclass(frozen=True)
class Analyzer:
    """The analysis settings. Plain data, so it can be pickled into a Whoosh index and
    fingerprinted to know when an index was built with other settings."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary.default)

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.vocabulary.fingerprint().encode())
        digest.update(b"analysis-v1")
        return digest.hexdigest()[:16]

    def terms(self, text: str, start_char: int = 0) -> list[Term]:
        """All terms of `text`, stop words included but flagged."""
        return list(self._terms(split_words(text), text, start_char))

    def content_terms(self, text: str) -> list[Term]:
        return [t for t in self._terms(split_words(text), text, 0) if not t.stop]

    def _terms(self, words: Iterable[Word], text: str, offset: int) -> Iterator[Term]:
        vocab = self.vocabulary
        stopwords = vocab.stopwords
        phrase_starts = vocab.phrase_starts
        words = list(words)
        names = _name_words(words, text)
        i = 0
        n = len(words)
        while i < n:
            w = words[i]
            if w.folded in phrase_starts:
                # Longest multi-word variant first ("kerja sama" → "kerjasama").
                matched = 0
                for length in vocab.phrase_lengths:
                    if i + length > n:
                        continue
                    key = tuple(x.folded for x in words[i : i + length])
                    canon = vocab.phrases.get(key)
                    if canon is not None:
                        end = words[i + length - 1].end
                        name = all(x.folded in names for x in words[i : i + length])
                        yield Term(
                            canon, w.start + offset, end + offset, False, name, " ".join(key)
                        )
                        matched = length
                        break
                if matched:
                    i += matched
                    continue
            folded = w.folded
            canon = None
            if w.capitalised:
                surface = text[w.start : w.end]
                if surface.isupper():
                    canon = vocab.acronyms.get(surface)
            if canon is None:
                canon = vocab.words.get(folded)
            if canon is None and folded in stopwords:
                yield Term(folded, w.start + offset, w.end + offset, True, False, folded)
            else:
                term = canon if canon is not None else stem(folded)
                yield Term(term, w.start + offset, w.end + offset, False, folded in names, folded)
            i += 1

    def query_terms(self, text: str) -> list[str]:
        return [t.text for t in self.content_terms(text)]


def detect_language(text: str | Iterable[Word], vocabulary: Vocabulary) -> str | None:
    """'id', 'en' or None, from the share of each language's function words (in a text or
    its words)."""
    ind = eng = 0
    words = split_words(text[:20000]) if isinstance(text, str) else text
    for w in words:
        if w.folded in vocabulary.stopwords_id:
            ind += 1
        elif w.folded in vocabulary.stopwords_en:
            eng += 1
    if ind + eng < 3:
        return None
    if ind >= 2 * eng:
        return "id"
    if eng >= 2 * ind:
        return "en"
    return None
