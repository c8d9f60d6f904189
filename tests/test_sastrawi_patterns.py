"""Sastrawi with its regular expressions kept compiled (text/sastrawi.py) stems every word
as Sastrawi with the `re` module does, and `sastrawi.stem` (which skips words no rule can
change) gives the stems Sastrawi gives."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from newsreader.index.text import sastrawi
from newsreader.index.text.sastrawi import Patterns, sastrawi_modules, word_stemmer
from newsreader.index.text.words import split_words

PREFIXES = [
    "",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "di",
    "ber",
    "be",
    "ter",
    "pe",
    "pem",
    "pen",
    "peng",
    "per",
    "ke",
    "se",
    "memper",
    "diper",
]
SUFFIXES = ["", "kan", "an", "i", "nya", "lah", "kah", "pun", "ku", "mu", "kannya", "annya"]


def _words() -> list[str]:
    corpus = Path(__file__).resolve().parents[1] / "sample_corpus"
    words = {w.folded for f in corpus.iterdir() if f.is_file() for w in split_words(f.read_text())}
    _, dictionary = word_stemmer()
    rng = random.Random(3)
    roots = sorted(dictionary.words)
    for root in rng.sample(roots, 600):
        for _ in range(4):
            words.add(rng.choice(PREFIXES) + root + rng.choice(SUFFIXES))
    return sorted(w for w in words if w.isalpha() and len(w) > 3)


def test_stems_are_those_of_sastrawi_with_re(monkeypatch: pytest.MonkeyPatch) -> None:
    stemmer, _ = word_stemmer()
    modules = sastrawi_modules()
    assert modules and all(isinstance(m.re, Patterns) for m in modules)
    words = _words()
    assert len(words) > 2000
    ours = [stemmer.stem(w) for w in words]
    for module in modules:
        monkeypatch.setattr(module, "re", re)
    theirs = [stemmer.stem(w) for w in words]
    assert ours == theirs
    assert sum(a != w for a, w in zip(ours, words, strict=True)) > len(words) // 2


@pytest.mark.parametrize(
    ("pattern", "string", "count"),
    [
        ("kan", "makanan", 1),
        ("an", "makanan", 1),
        ("an", "makanan", 0),
        ("xyz", "makanan", 1),
        ("", "makan", 1),
        (r"^(di|ke|se)", "dimakan", 1),
        (r"-*(ku|mu|nya)$", "makannya", 1),
    ],
)
def test_sub_replaces_as_re_does(pattern: str, string: str, count: int) -> None:
    assert Patterns().sub(pattern, "", string, count=count) == re.sub(
        pattern, "", string, count=count
    )


CONSONANTS = "bcdfghjklmnpqrstvwxyz"
INFIXES = ["el", "em", "er", "in"]


def _unknown_words() -> list[str]:
    """Words the dictionary does not have: affixed and infixed roots, roots with a letter
    changed, and made-up words (names, typos, foreign words) with Indonesian endings."""
    _, dictionary = word_stemmer()
    rng = random.Random(5)
    roots = sorted(dictionary.words)
    words = set(_words())
    for root in rng.sample(roots, 800):
        if root[0] in CONSONANTS and root[1:2] in set("aiueo"):
            words.add(root[0] + rng.choice(INFIXES) + root[1:] + rng.choice(SUFFIXES))
        i = rng.randrange(len(root))
        words.add(root[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + root[i + 1 :])
    syllables = [c + v for c in CONSONANTS + "'" for v in "aiueo"]
    for _ in range(3000):
        made = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).replace("'", "")
        words.add(made + rng.choice([*SUFFIXES, "is", "isme", "isasi", "kankah"]))
    return sorted(w for w in words if w.isalpha() and len(w) > 3 and not dictionary.contains(w))


def test_stem_gives_sastrawis_stems() -> None:
    stemmer, _ = word_stemmer()
    words = [*_unknown_words(), "kjær", "μgram"]
    assert len(words) > 6000
    assert [sastrawi.stem(w) for w in words] == [stemmer.stem(w) for w in words]
    # Both kinds are well represented: words Sastrawi changes, and words it leaves whole
    # that the shortcut answers.
    changed = sum(stemmer.stem(w) != w for w in words)
    assert changed > 2000
    _, dictionary = word_stemmer()
    skipped = sum(sastrawi._unchangeable(w, dictionary.words) for w in words if w.isascii())
    assert skipped > 1500


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("cerabang", "cabang"),  # an infix, found only by the infix rules
        ("kinerjanya", "kerja"),
        ("anaknya", "anak"),  # no prefix: a suffix cut is the root
        ("bukukan", "buku"),
        ("masukkan", "masuk"),  # -kan put back as -k
        ("jokowi", "jokowi"),
        ("anambas", "anambas"),
    ],
)
def test_stem_of_words_with_and_without_prefixes(word: str, stem: str) -> None:
    stemmer, _ = word_stemmer()
    assert sastrawi.stem(word) == stemmer.stem(word) == stem
