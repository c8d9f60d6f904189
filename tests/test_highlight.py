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
    "kerjasama",  # a wanted word inside a longer one: no hit there
    "sama2",
    "emasemas",
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


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)), max_size=40),
    lengths=st.dictionaries(
        st.sampled_from(["negara", "kerja", "sama", "xi", "s", "emas", "harga", "2024"]),
        st.integers(min_value=1, max_value=4),
        min_size=1,
    ),
    split_all=st.sampled_from([None, False]),
)
def test_each_first_word_gets_its_own_number_of_words(pieces, lengths, split_all) -> None:
    # A sentence's single-word forms need no words after them; its two-word forms do.
    text = "".join(word + sep for word, sep in pieces)
    words = split_words(text)
    expected = [
        [tuple(x) for x in words[i : i + lengths[w.folded]]]
        for i, w in enumerate(words)
        if w.folded in lengths
    ]
    found = _words_from(text, lengths, lengths, split_all=split_all)
    assert [[tuple(x) for x in ws] for ws in found] == expected


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


def _snippet_by_scanning(article, hits, width):
    """make_snippet written as plainly as possible: every paragraph and window counted."""
    paragraphs = article.visible or article.paragraphs
    best, best_hits = paragraphs[0], []
    for p in paragraphs:
        inside = [h for h in hits if p.start <= h.start < p.end]
        if len(inside) > len(best_hits):
            best, best_hits = p, inside
    start, end = best.start, best.end
    if end - start > width:
        centre = best_hits[0].start if best_hits else start
        for h in best_hits:
            if sum(1 for x in best_hits if h.start <= x.start < h.start + width) > sum(
                1 for x in best_hits if centre <= x.start < centre + width
            ):
                centre = h.start
        start = max(best.start, centre - width // 4)
        end = min(best.end, start + width)
        while start > best.start and not article.text[start - 1].isspace():
            start -= 1
        while end < best.end and not article.text[end].isspace():
            end += 1
    return start, end, tuple(h for h in best_hits if start <= h.start and h.end <= end)


@settings(max_examples=200, deadline=None)
@given(
    which=st.integers(min_value=0, max_value=4),
    every=st.integers(min_value=1, max_value=9),
    width=st.sampled_from([40, 120, 300]),
)
def test_snippets_match_a_plain_scan(which, every, width) -> None:
    from newsreader.index.ingest.document import parse_article
    from newsreader.index.model import Span
    from newsreader.index.search.highlight import make_snippet
    from newsreader.index.text.vocabulary import load_vocabulary

    path = sorted(SAMPLE.glob("*.txt"))[which]
    article = parse_article(
        path.name,
        path.name,
        path.read_text(encoding="utf-8"),
        load_vocabulary(Path("/nonexistent")),
    )
    hits = [Span(w.start, w.end) for w in split_words(article.text)[::every]]
    snip = make_snippet(article, hits, width)
    assert (snip.start, snip.end, snip.highlights) == _snippet_by_scanning(article, hits, width)
