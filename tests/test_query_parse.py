"""A query of words only is parsed without the query language's plugins: the query must be
the one the full parser makes, whatever the words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.search import query as q
from newsreader.index.search.schema import make_schema
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.vocabulary import load_vocabulary

from tests.conftest import SAMPLE

ANALYZER = Analyzer(load_vocabulary(Path("/nonexistent")))
SCHEMA = make_schema(ANALYZER)

WORDS = [
    "Presiden", "prabowo", "kerja", "sama", "kerjasama", "Tiongkok", "China", "di", "dan",
    "yang", "negara-negara", "Jum'at", "20/5/2026", "1.000.000.000", "dan/atau", "Rp",
    "15.000", "AS", "as", "and", "or", "not", "And", "Not", "android", "orang", "x", "2",
    "Élysée", "São", "İstanbul", "bertemu", "pertemuan", "—", ",", ".", "!", "+", "-", "'",
    "e-mail", "Covid-19", "ke-3", "hak", "asasi", "manusia", "the", "of", "meeting",
]  # fmt: skip


def full(text: str) -> object:
    """What the full parser makes of `text`: the plain path turned off."""
    saved = q._SYNTAX
    q._SYNTAX = re.compile("")  # matches everywhere: every query takes the full path
    try:
        return q.parse_query(text, SCHEMA, ANALYZER)
    finally:
        q._SYNTAX = saved


def test_the_plain_path_is_taken_for_words_only() -> None:
    assert q._SYNTAX.search("Presiden Prabowo tiba di Paris, Kamis (28/5).") is not None
    assert q._SYNTAX.search("Presiden Prabowo tiba di Paris pada Kamis 28/5.") is None
    assert q._SYNTAX.search('"kerja sama"') and q._SYNTAX.search("putin OR xi")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_words_only_parse_as_the_full_parser_does(words: list[str]) -> None:
    text = " ".join(words)
    assert q.parse_query(text, SCHEMA, ANALYZER) == full(text)


@pytest.mark.parametrize("path", sorted(SAMPLE.glob("*.txt")), ids=lambda p: p.name[:3])
def test_the_sample_articles_sentences_parse_as_the_full_parser_does(path: Path) -> None:
    sentences = re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
    plain = [s for s in sentences if s.strip() and q._SYNTAX.search(s) is None]
    assert len(plain) > 5
    for sentence in plain:
        assert q.parse_query(sentence, SCHEMA, ANALYZER) == full(sentence), sentence


SYNTAX = [
    '"kerja sama"', "title:xi", "putin OR xi", "NOT china", "(putin OR xi) bertemu",
    "presiden^2", "date:>2024", "date:<=2024-05-01", "outlet:detik", "kerja~", "-china",
    "putin AND NOT xi", '"tanpa batas" title:"harga emas"', "ANDNOT", "(", ")",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + SYNTAX), min_size=1, max_size=20))
def test_a_parsed_query_is_already_normalized(words: list[str]) -> None:
    # plan_query skips normalize() for a query with nothing to expand.
    text = " ".join(words)
    try:
        parsed = q.parse_query(text, SCHEMA, ANALYZER)
    except q.QueryError:
        return
    assert parsed.normalize() == parsed
