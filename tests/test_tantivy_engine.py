"""Our tantivy engine's term statistics: the frequencies that come with a prefix's terms are
the ones tantivy gives term by term, so a short prefix is ranked the same, faster."""

from __future__ import annotations

from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.search import tantivy_engine

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def tantivy_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library.open(
        SAMPLE,
        tmp_path_factory.mktemp("tantivy") / "ix",
        variants=Path("/nonexistent"),
        engine="tantivy",
    )
    lib.update()
    return lib


def test_prefix_frequencies_are_tantivys(tantivy_library: Library) -> None:
    with tantivy_library._live.reading() as stores:
        fulltext = stores.searcher()
        terms = fulltext.terms_with_prefix("body", "ke")
        assert len(terms) > 10
        remembered = [fulltext.doc_frequency("body", t) for t in terms]
        asked = [fulltext._searcher.doc_freq("body", t) for t in terms]
        assert remembered == asked
        assert remembered == sorted(remembered, reverse=True)  # most frequent first
        assert fulltext.doc_frequency("body", "zzzz-not-a-word") == 0


@pytest.mark.parametrize("query", ["ber*", "per*", "pres*", "ker*"])
def test_prefix_hits_are_those_of_asking_tantivy_each_time(
    tantivy_library: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    remembered = tantivy_library.copy().search(query, limit=20)
    monkeypatch.setattr(
        tantivy_engine.TantivyFullText,
        "doc_frequency",
        lambda self, field, term: self._searcher.doc_freq(field, term),
    )
    asked = tantivy_library.copy().search(query, limit=20)
    assert remembered.total == asked.total
    assert [(h.id, h.score) for h in remembered.hits] == [(h.id, h.score) for h in asked.hits]
