"""The Sastrawi stemmer, with its regular expressions found faster.

Sastrawi calls `re.match(pattern, word)` and `re.sub(pattern, ...)` with pattern strings,
some 90 times for each new word, and some of its patterns are the word being stemmed:
`re`'s cache of compiled patterns (512) keeps filling with those and dropping Sastrawi's own,
which are compiled again and again. Over the distinct words of 3,000 CLICK-ID articles, a
third of the stemming time went to looking patterns up and compiling them.

Sastrawi's modules are given `Patterns` in place of `re`: its own patterns stay compiled, and
a pattern that is a plain word (letters only, so it matches only itself) is replaced as
plain text. The stems are the same (a test compares them word for word)."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

_KEPT = 4096  # compiled patterns kept: Sastrawi has about 80 of its own


class Patterns:
    """What Sastrawi uses of the `re` module, with compiled patterns kept."""

    IGNORECASE = re.IGNORECASE
    MULTILINE = re.MULTILINE

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, int], re.Pattern[str]] = {}

    def _pattern(self, pattern: str, flags: int) -> re.Pattern[str]:
        key = (pattern, flags)
        found = self._compiled.get(key)
        if found is None:
            if len(self._compiled) >= _KEPT:
                self._compiled.clear()
            found = self._compiled[key] = re.compile(pattern, flags)
        return found

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return self._pattern(pattern, flags).match(string)

    def sub(self, pattern: str, repl: str, string: str, count: int = 0, flags: int = 0) -> str:
        if not flags and pattern.isalpha() and "\\" not in repl:
            return string.replace(pattern, repl, count or -1)
        return self._pattern(pattern, flags).sub(repl, string, count)

    def __getattr__(self, name: str) -> Any:  # anything else Sastrawi might use
        return getattr(re, name)


def sastrawi_modules() -> list[Any]:
    """Sastrawi's loaded modules that use `re` (or its stand-in)."""
    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("Sastrawi.")
        and isinstance(getattr(module, "re", None), type(re) | Patterns)
    ]


@lru_cache(maxsize=1)
def word_stemmer() -> tuple[Any, Any]:
    """(Sastrawi's word-level stemmer, its dictionary), its modules using `Patterns`."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    patterns = Patterns()
    for module in sastrawi_modules():
        module.re = patterns
    # The cached wrapper re-normalises whole sentences; the word-level stemmer is all we need.
    inner = stemmer.delegatedStemmer
    return inner, inner.dictionary
