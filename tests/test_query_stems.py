"""A query's words are stemmed by looking them up in the catalog's written forms, and the
dictionary stemmer is built only for words the index has never seen. The stems must be the
stemmer's own, so the hits and their order do not change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.store import searching
from newsreader.index.store.catalog import Catalog
from newsreader.index.text import analysis
from newsreader.index.text.analysis import Analyzer, stems_from_forms
from newsreader.index.text.memo import MEMO_WORDS, Memo

from .conftest import live_build

QUERIES = [
    "presiden",
    "bertemu",
    "pertemuan strategis",
    "kerja sama",
    "Tiongkok menegaskan kerjasama",
    "Rusia dan China sepakat memperkuat hubungan ekonomi serta keamanan di kawasan Asia",
    "title:putin",
    "pemimpin*",
    "erdogan~",
    '"tanpa batas"',
    "perdagangan NOT minyak",
]


@pytest.fixture
def fresh_stems(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has stemmed nothing yet (the memo is module state)."""
    monkeypatch.setattr(analysis, "_STEMS", Memo(MEMO_WORDS))


def _single_word_forms(index_dir: Path) -> list[str]:
    db = sqlite3.connect(f"file:{live_build(index_dir) / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        return [f for (f,) in db.execute("SELECT DISTINCT form FROM forms") if " " not in f]
    finally:
        db.close()


def test_every_stem_from_the_table_is_the_stemmers(
    sample_library: Library, analyzer: Analyzer, fresh_stems: None
) -> None:
    forms = _single_word_forms(sample_library.index_dir)
    wanted = analyzer.words_to_stem(" ".join(forms))
    assert len(wanted) > 500  # the sample's content words, not a handful
    catalog = Catalog(live_build(sample_library.index_dir) / "catalog.sqlite", readonly=True)
    try:
        pairs = catalog.terms_written_as(wanted)
    finally:
        catalog.db.close()
    acronyms = set(analyzer.vocabulary.acronyms.values())
    found = stems_from_forms(wanted, pairs, acronyms)
    assert len(found) > 0.9 * len(wanted)
    wrong = {w: (s, analysis._stem(w)) for w, s in found.items() if s != analysis._stem(w)}
    assert wrong == {}
    # Inflected forms really are looked up, not only words that are their own stems.
    assert found["pertemuan"] == "temu"
    assert found["bertemu"] == "temu"


@pytest.mark.parametrize("query", QUERIES)
def test_hits_and_order_are_the_same_with_the_stemmer(
    sample_library: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis, "_STEMS", Memo(MEMO_WORDS))
    looked_up = sample_library.search(query, limit=20)
    monkeypatch.setattr(analysis, "_STEMS", Memo(MEMO_WORDS))
    monkeypatch.setattr(searching, "learn_query_stems", lambda *args: None)
    stemmed = sample_library.search(query, limit=20)
    assert [(h.id, round(h.score, 6)) for h in looked_up.hits] == [
        (h.id, round(h.score, 6)) for h in stemmed.hits
    ]
    assert (looked_up.total, looked_up.suggestion) == (stemmed.total, stemmed.suggestion)


def test_a_query_of_known_words_never_builds_the_stemmer(
    sample_library: Library, fresh_stems: None
) -> None:
    analysis.word_stemmer.cache_clear()
    found = sample_library.search("pertemuan presiden", limit=5)
    assert found.total > 0
    assert analysis.word_stemmer.cache_info().currsize == 0
    # A word no article has is still stemmed, by the stemmer.
    sample_library.search("pertemuanxyz", limit=5)
    assert analysis.word_stemmer.cache_info().currsize == 1


def test_words_to_stem_leaves_out_what_needs_no_stemmer(
    analyzer: Analyzer, fresh_stems: None
) -> None:
    words = analyzer.words_to_stem("Yang dan di Tiongkok kerja sama ITB 2024 bertemu bertemu")
    # Stop words, a variant (tiongkok), a short word and a number need no stemmer; a word
    # comes once.
    assert words == ["kerja", "sama", "bertemu"]


def test_stems_from_forms_keeps_only_what_is_certain() -> None:
    pairs = [
        ("temu", "pertemuan"),
        ("sco", "sco"),  # an acronym's term: "SCO" written in capitals
        ("sco", "scos"),
        ("scos", "scos"),
        ("a", "dua"),
        ("b", "dua"),  # two terms for one form: left to the stemmer
        ("jalan", "berjalan"),
    ]
    got = stems_from_forms(["pertemuan", "scos", "dua", "kosong", "sco"], pairs, {"sco"})
    assert got == {"pertemuan": "temu", "scos": "scos"}


def test_a_catalog_without_the_forms_index_gives_no_stems(
    sample_library: Library, tmp_path: Path
) -> None:
    # An index made before the lookup existed: the select would read the whole table.
    copy = tmp_path / "catalog.sqlite"
    src = sqlite3.connect(live_build(sample_library.index_dir) / "catalog.sqlite")
    dst = sqlite3.connect(copy)
    src.backup(dst)
    src.close()
    dst.execute("DROP INDEX forms_form")
    dst.commit()
    dst.close()
    catalog = Catalog(copy, readonly=True)
    try:
        assert catalog.terms_written_as(["pertemuan"]) == []
    finally:
        catalog.db.close()


def test_a_long_query_reads_its_stems_from_the_index_not_the_saved_stems(library) -> None:
    # Reading every saved stem took a fifth of a second at the app's first pasted sentence.
    library.update()
    again = type(library).open(library.corpus, library.index_dir, variants=Path("/nonexistent"))
    again.search("")
    res = again.search("Lavrov tiba di Beijing dan mengumumkan bahwa Putin akan hadir")
    assert res.hits
    assert not again._stems_loaded
