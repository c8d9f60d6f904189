"""Our tantivy engine's term statistics: the frequencies that come with a prefix's terms are
the ones tantivy gives term by term, so a short prefix is ranked the same, faster."""

from __future__ import annotations

from pathlib import Path

import pytest
import tantivy
from newsreader.index import Library
from newsreader.index.ingest.corpus import list_sources, read_drafts
from newsreader.index.search import tantivy_engine
from newsreader.index.search.schema import Analysed
from newsreader.index.store.prepare import prepare
from newsreader.index.text.analysis import Analyzer

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


def _raw_schema():
    """The schema of an index made before the joined fields: every field takes tokens."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name, option in tantivy_engine.TEXT_FIELDS.items():
        builder.add_text_field(name, tokenizer_name="raw", index_option=option)
    builder.add_text_field("lang", tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date", indexed=True, fast=True)
    return builder.build()


def _sample_documents() -> list[dict]:
    analyzer = Analyzer()
    docs = []
    for source in list_sources(SAMPLE)[0]:
        for draft in read_drafts(SAMPLE, source)[0]:
            docs.append(prepare(draft, analyzer).text.fields)
    # Terms the whitespace tokenizer would not give back one for one: a multi-word variant
    # sharing a position, an empty term, one holding a space, one a no-break space.
    odd = dict(docs[0], id="odd")
    odd["body"] = Analysed("x", ["kerjasama", ("kerja", "sama"), "harga", "emas"])
    odd["body_exact"] = Analysed("x", ["harga", "", "emas", "naik"])
    odd["title_exact"] = Analysed("x", ["harga emas", "naik", "turun"])
    odd["title"] = Analysed("x", ["a\u00a0b", "naik", "turun"])
    return [*docs, odd]


def _index(tmp: Path, schema, documents: list[dict], joined: bool):
    tmp.mkdir()
    index = tantivy.Index(schema, path=str(tmp))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    with pytest.MonkeyPatch.context() as mp:
        if not joined:  # every field's tokens, as before the joined fields
            mp.setattr(tantivy_engine, "_joined", lambda value: None)
        for doc in documents:
            writer.add_document(tantivy_engine.to_tantivy(doc))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


def test_joined_fields_index_the_same_terms_positions_and_lengths(tmp_path: Path) -> None:
    docs = _sample_documents()
    new = _index(tmp_path / "new", tantivy_engine.make_schema(), docs, joined=True)
    old = _index(tmp_path / "old", _raw_schema(), docs, joined=False)
    a, b = new.searcher(), old.searcher()

    def hits(index, searcher, query) -> list[tuple[float, str]]:
        found = searcher.search(query, 100).hits
        return sorted((round(s, 5), searcher.doc(d)["id"][0]) for s, d in found)

    compared = 0
    for field in tantivy_engine.JOINED:
        terms = sorted(t for t, _ in b.terms_with_prefix(field, ""))
        assert terms == sorted(t for t, _ in a.terms_with_prefix(field, ""))
        assert {"harga emas", "a\u00a0b", "kerja", "sama"} & set(terms) or field == "body_exact"
        for term in terms[::7]:
            assert a.doc_freq(field, term) == b.doc_freq(field, term)
            # Equal BM25 scores: equal term frequencies and field lengths.
            q_new = tantivy.Query.term_query(new.schema, field, term)
            q_old = tantivy.Query.term_query(old.schema, field, term)
            assert hits(new, a, q_new) == hits(old, b, q_old)
            compared += 1
    for doc in docs:
        words = [w for w in doc["body_exact"].terms if isinstance(w, str) and w.strip()]
        for k in range(0, max(len(words) - 2, 0), 25):
            phrase = words[k : k + 3]
            got = hits(new, a, tantivy.Query.phrase_query(new.schema, "body_exact", phrase))
            assert got == hits(old, b, tantivy.Query.phrase_query(old.schema, "body_exact", phrase))
            assert got or doc["id"] == "odd"  # the article itself
            compared += 1
    assert compared > 100
