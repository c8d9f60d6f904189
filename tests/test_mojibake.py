"""Mojibake (UTF-8 read once as Latin-1/Windows-1252) is repaired as articles are read, so
that words like "Élysée" can be found and are shown as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from newsreader.index import Library
from newsreader.index.ingest.mojibake import repair

from .test_readers import read, record, write_jsonl


def garble(text: str) -> str:
    """What a scraper that decoded UTF-8 as Windows-1252 (Latin-1 where it has no letter)
    wrote."""
    return "".join(
        bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
        for b in text.encode("utf-8")
    )


@pytest.mark.parametrize(
    "original",
    [
        "Istana Élysée di Paris",
        "PT Nestlé Indonesia",
        "Álex Márquez finis kedua",
        "Toprak Razgatlıoğlu menang",
        "suhu mencapai −18 derajat",
        "volume 5.599 m³ atau 35,0°C",
        "“Kami siap,” katanya…",
    ],
)
def test_garbled_text_is_repaired(original: str) -> None:
    assert garble(original) != original
    assert repair(garble(original)) == original


def test_a_no_break_space_that_lost_its_second_byte_becomes_a_space() -> None:
    assert repair("Harga Emas AntamÂ Lompat Tinggi!") == "Harga Emas Antam Lompat Tinggi!"
    assert repair("Harga Emas AntamÂ\u00a0Lompat") == "Harga Emas Antam\u00a0Lompat"


@pytest.mark.parametrize(
    "text",
    [
        "Â bientôt, dit-il",  # a French sentence starting with a capital Â
        "Citroën, São Paulo, naïve, Ærø, Øresund, Ångström",
        "ĀÂÃ ÂME",  # capitals that are not followed by a continuation character
    ],
)
def test_correct_text_is_left_alone(text: str) -> None:
    assert repair(text) == text


@given(st.text(alphabet=st.characters(max_codepoint=0xBF, exclude_categories=("Cs",))))
def test_text_without_any_lead_letter_is_returned_as_is(text: str) -> None:
    assert repair(text) == text


def test_records_are_read_repaired_and_found_by_their_real_words(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = garble("Presiden tiba di Istana Élysée, Paris, dan bertemu pimpinan PT Nestlé di sana.")
    write_jsonl(
        corpus / "dump.jsonl",
        [record(1, title="Harga Emas AntamÂ Lompat Tinggi!", body=body), record(2)],
    )
    articles, skipped = read(corpus, "dump.jsonl")
    assert skipped == []
    assert articles[0].meta.title == "Harga Emas Antam Lompat Tinggi!"
    assert "Istana Élysée, Paris" in articles[0].text
    assert "\ufffd" not in articles[0].text

    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    try:
        lib.update()
        for query in ("Élysée", "nestlé", "antam lompat"):
            assert [h.id for h in lib.search(query).hits] == ["dump.jsonl#a1"], query
    finally:
        lib.close()
