"""Finding a query's words in an article without splitting all of it must give exactly what
the whole split gives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.search.highlight import _words_from
from newsreader.index.text.words import split_words

SAMPLE = Path(__file__).resolve().parent.parent / "sample_corpus"

# Words and separators that stress the split: reduplication, compounds, clitics, accents,
# digits, underscores, curly quotes, and letters whose lower case is longer (İ).
PIECES = [
    "negara",
    "Negara-negara",
    "China-Rusia",
    "Xi's",
    "Xi’s",
    "António",
    "kerja",
    "sama",
    "KERJA",
    "2024",
    "foo_bar",
    "kerja_sama",
    "İstanbul",
    "harga",
    "emas",
    "—",
    "“Harga",
    "emas”",
    "-",
    "'",
]
SEPARATORS = [" ", "  ", "\n", "\n\n", ", ", ". ", "-", "_", "\t"]


def whole_split(text: str, firsts: set[str], longest: int) -> list[list[tuple]]:
    words = split_words(text)
    return [
        [tuple(w) for w in words[i : i + longest]]
        for i, w in enumerate(words)
        if w.folded in firsts
    ]


def windowed(text: str, firsts: set[str], longest: int) -> list[list[tuple]]:
    found = _words_from(text, firsts, longest, split_all=False)
    return [[tuple(w) for w in words] for words in found]


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=40),
    firsts=st.sets(
        st.sampled_from(
            [
                "negara",
                "kerja",
                "sama",
                "xi",
                "s",
                "china",
                "rusia",
                "antonio",
                "2024",
                "bar",
                "harga",
                "emas",
                "istanbul",
            ]
        ),
        min_size=1,
    ),
    longest=st.integers(min_value=1, max_value=5),
)
def test_windowed_lookup_equals_the_whole_split(pieces, firsts, longest) -> None:
    text = "".join(word + sep for word, sep in pieces)
    assert windowed(text, firsts, longest) == whole_split(text, firsts, longest)


def test_windowed_lookup_on_the_sample_articles() -> None:
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        folded = {w.folded for w in split_words(text)}
        for firsts in (
            {"tiongkok", "china"},
            {"kerja", "sama"},
            {"putin"},
            set(sorted(folded)[::25]),
        ):
            for longest in (1, 3):
                expected = whole_split(text, firsts, longest)
                assert windowed(text, firsts, longest) == expected
                chosen = _words_from(text, firsts, longest)  # by cost
                assert [[tuple(w) for w in words] for words in chosen] == expected
