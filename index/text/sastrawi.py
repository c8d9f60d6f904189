"""The Sastrawi stemmer, with its regular expressions found faster.

Sastrawi calls `re.match(pattern, word)` and `re.sub(pattern, ...)` with pattern strings,
some 90 times for each new word, and some of its patterns are the word being stemmed:
`re`'s cache of compiled patterns (512) keeps filling with those and dropping Sastrawi's own,
which are compiled again and again. Over the distinct words of 3,000 CLICK-ID articles, a
third of the stemming time went to looking patterns up and compiling them.

Sastrawi's modules are given `Patterns` in place of `re`: its own patterns stay compiled, and
a pattern that is a plain word (letters only, so it matches only itself) is replaced as
plain text. The stems are the same (a test compares them word for word).

Most of the time then goes to words Sastrawi cannot change (names, English, typos): for
each, it tries every rule in both orders and again with each suffix put back, about 0.2 ms a
word against 0.04 ms for a word it does stem. `stem` answers those from what the rules can
reach (see `_unchangeable`), and asks Sastrawi only about the rest."""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Any

_KEPT = 4096  # compiled patterns kept: Sastrawi has about 80 of its own

# Every prefix rule of Sastrawi, and its plain prefixes di-, ke-, se-, needs a word that
# begins like one of these (be-, ber-, belajar; ke-, ku-, kau-; me-…; pe-…; se-; te-…; and a
# consonant with the infixes -el-, -em-, -er-, -in-). A wider net only costs time.
_PREFIX_SHAPED = re.compile(r"[bkmpst]e|di|ka|ku|[bcdfghjklmnpqrstvwxyz](?:el|em|er|in)[aiueo]")
# Sastrawi's suffix removals, in the order it tries them.
_SUFFIXES = (
    re.compile(r"(?:lah|kah|tah|pun)$"),
    re.compile(r"(?:ku|mu|nya)$"),
    re.compile(r"(?:is|isme|isasi|i|kan|an)$"),
)
_LOWER_ASCII = re.compile(r"[a-z]+")


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


def _suffix_cuts(word: str) -> set[int]:
    """The lengths of what Sastrawi's suffix removals can leave of `word`: each removal made
    or not, and a removed -kan put back as -k (ECS's "loop pengembalian akhiran")."""
    lengths = {len(word)}
    for suffix in _SUFFIXES:
        for length in list(lengths):
            found = suffix.search(word, 0, length)
            if found:
                lengths.add(found.start())
                if found.group() == "kan":
                    lengths.add(found.start() + 1)
    return lengths


def _unchangeable(word: str, roots: dict[str, Any]) -> bool:
    """True when Sastrawi is sure to return `word` as it is (a lower-case a-z word the
    dictionary does not have).

    Sastrawi returns either the word or a dictionary word its rules reached. A prefix rule
    looks only at the start of the word it is given, so if none can apply to `word` none
    applies to what suffix removals leave of it either (those are prefixes of `word`); the
    rules then reach only `word` cut at `_suffix_cuts`, and if no cut is in the dictionary the
    answer is `word`."""
    if _PREFIX_SHAPED.match(word):
        return False
    size = len(word)
    return not any(word[:cut] in roots for cut in _suffix_cuts(word) if cut < size)


def stem(word: str) -> str:
    """Sastrawi's stem of `word`, as `word_stemmer()[0].stem(word)` gives it."""
    stemmer, dictionary = word_stemmer()
    if _LOWER_ASCII.fullmatch(word) and _unchangeable(word, dictionary.words):
        return word
    return stemmer.stem(word)


# Roots whose verb in -kan is common in news ("mengatakan", "diberikan", "mengajukan"), so a
# bare word of them in -kan is that verb ("katakan", say it), though the root with a k is a
# word too (katak, frog). Chosen from CLICK-ID's 22,136 articles: the roots whose -kan verbs
# outnumber the words of the root with a k, read by eye ("berantakan" left out: berantak).
_KAN_VERBS = frozenset(
    [
        "apa",
        "aju",
        "baca",
        "bawa",
        "beda",
        "beku",
        "beri",
        "cari",
        "gema",
        "kata",
        "lari",
        "minta",
        "padu",
        "ragu",
        "rapi",
        "sama",
        "sangka",
        "seru",
        "sia",
        "tara",
    ]
)


def mend(word: str, stemmed: str) -> str:
    """`stemmed`, Sastrawi's stem of `word`, mended where Sastrawi misreads a root with a
    suffix as something else.

    A bare verb of `_KAN_VERBS` is its root: "berikan" (give) is beri, not ber-ikan (fish).

    A root beginning like a prefix, be-, te- or se-, with -kan or -an, is that root when
    Sastrawi has taken the prefix off instead: "bersihkan" is bersih, not ber-sih,
    "belasan" (a dozen or so) belas, not be-l-as, "teriakan" (a shout) teriak, not te-ria.

    Sastrawi takes -kan off before -an, so a noun in -an of a root ending in k lost the k
    when the root without it is a word too: "kerusakan" (damage) became "rusa" (deer),
    "pemasukan" (income) "pasu", "gerakan" (movement) "gera", "desakan" (pressure) "desa"
    (village). Neither ke- nor pe- (per-, pem-, ...) takes -kan, so for such a word the
    reading root + -an wins: what the word without -an stems to, or else `stemmed` with a k
    after it, when that is a dictionary root ending the word (its first letter may differ:
    pem-asu-kan against pe-masuk-an). With me- or di-, -kan is the verb's ("mengatakan" is
    kata, not katak, frog). A bare word could be either, but in news a bare verb in -kan is
    an imperative, rare outside quotes and common only for the roots of `_KAN_VERBS`: any
    other is the noun."""
    core = word
    for inflection in _SUFFIXES[:2]:  # a particle (-lah), then a possessive (-nya)
        found = inflection.search(core)
        if found and found.start() > 5:
            core = core[: found.start()]
    if core.endswith("kan") and core[:-3] in _KAN_VERBS:
        return core[:-3]
    _, dictionary = word_stemmer()
    if core.startswith(("be", "te", "se")) and not stemmed.startswith(core[:3]):
        root = _root_with_suffix(core, dictionary, k_noun=not core.startswith("be"))
        if root:
            return root
    if not core.endswith("kan"):
        return stemmed
    without_an = core[:-2]
    if not core.startswith(("ke", "pe")):
        if stemmed == core[:-3] and dictionary.contains(without_an):
            return without_an
        return stemmed
    # What the word without -an stems to first: "pemasukan" is masuk, though "pasuk" (as
    # in pasukan, troops) is a root too.
    for other in (stem(without_an), stemmed + "k"):
        if (
            other[1:-1] == stemmed[1:]
            and other.endswith("k")
            and without_an.endswith(other[1:])
            and dictionary.contains(other)
        ):
            return other
    return stemmed


def _root_with_suffix(core: str, dictionary: Any, k_noun: bool) -> str | None:
    """The dictionary root that `core` is with -kan or -an after it, if any. A root ending
    in k with -an only when `k_noun`: "sepakan" (a kick) is sepak, but "berisikan" is not
    berisik (noisy)."""
    if core.endswith("kan") and dictionary.contains(core[:-3]):
        return core[:-3]
    noun = core.endswith("an") and (k_noun or not core.endswith("kan"))
    return core[:-2] if noun and dictionary.contains(core[:-2]) else None


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
