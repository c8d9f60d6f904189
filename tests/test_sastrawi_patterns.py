"""Sastrawi with its regular expressions kept compiled (text/sastrawi.py) stems every word
as Sastrawi with the `re` module does."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
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
