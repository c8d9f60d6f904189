"""The prefix table (search/prefixes.py): what it holds is what walking the terms finds, a
search gives the same results with it as without it, and an update makes it again when it
is missing or belongs to another state of the index."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.search import prefixes
from newsreader.index.search.prefixes import STORE_FROM, PrefixTable, expansions
from newsreader.index.search.query import expansion_cap, most_frequent
from whoosh import query as wq

ENGINES = ["whoosh", "tantivy"]
# 100 words under "zul" (more than a 3-letter prefix keeps), 70 of them under "zula" (kept
# whole), 30 under "zulb" (too few to be in the table).
WORDS = [f"zula{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(70)] + [
    f"zulb{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(30)
]
ARTICLES = 24


def _write_corpus(folder: Path, articles: range) -> None:
    folder.mkdir(exist_ok=True)
    for a in articles:
        # Word i is in i % 7 + 1 articles: counts that tie and counts that differ.
        words = [w for i, w in enumerate(WORDS) if (i + a) % ARTICLES < i % 7 + 1]
        text = f"Kabar nomor {a}\n\nWarga {' '.join(words)} datang ke balai desa.\n"
        (folder / f"{a:03d}.txt").write_text(text, encoding="utf-8")


def _library(tmp_path: Path, engine: str, articles: range = range(ARTICLES)) -> Library:
    if engine == "tantivy":
        pytest.importorskip("tantivy")
    corpus = tmp_path / "c"
    _write_corpus(corpus, articles)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"), engine=engine)
    lib.update()
    return lib


def _answers(lib: Library, queries: list[str]) -> list[tuple]:
    out = []
    for q in queries:
        r = lib.search(q, limit=10)
        out.append((q, r.total, r.total_exact, [(h.id, h.score) for h in r.hits]))
    return out


def test_expansions_are_each_prefixes_most_frequent_words() -> None:
    # "abc": 151 words (50 kept), "abc0": 100 (all kept), "abc1" and "abd": too few.
    counts = {f"abc{i:03d}": (i % 9 + 1, 1 << i % 3) for i in range(150)}
    counts |= {f"abd{i:02d}": (2, 1) for i in range(30)}
    counts |= {"abc": (500, 3), "xy": (1, 1)}
    table = dict(expansions(counts, expansion_cap))
    for prefix in {w[:n] for w in counts for n in (3, 4) if len(w) >= n}:
        under = sorted(w for w in counts if w.startswith(prefix))
        if len(under) <= STORE_FROM:
            assert prefix not in table
            continue
        # The lexicon's words under the prefix, most frequent first, equal counts in term
        # order, as many as a query keeps.
        cap = expansion_cap(prefix)
        want = under if len(under) <= cap else sorted(under, key=lambda w: -counts[w][0])[:cap]
        got = table[prefix]
        assert [w for w, *_ in got.words] == want
        assert [(n, k) for _, n, k in got.words] == [counts[w] for w in want]
        assert got.found == len(under)
    assert table["abc"].words[0] == ("abc", 500, 3)
    assert sorted(table) == ["abc", "abc0"]


def test_the_table_holds_what_walking_the_terms_finds(tmp_path: Path) -> None:
    lib = _library(tmp_path, "whoosh")
    lib.update()  # nothing to do, and the table stays as it is
    with lib._live.reading() as stores:
        fulltext = stores.searcher()
        assert fulltext.prefixes is not None
        for prefix in ("zul", "zula", "zulb", "kab"):
            for field in ("title_exact", "body_exact"):
                walked = fulltext.expand(wq.Prefix(field, prefix))
                counts = {w: fulltext.doc_frequency(field, w) for w in walked}
                row = fulltext.prefixes.get(field, prefix)
                if len(walked) <= STORE_FROM:
                    assert row is None
                    continue
                assert row is not None and row.found == len(walked)
                kept = most_frequent(walked, counts.__getitem__, expansion_cap(prefix))
                assert [(w, n) for w, n, _ in row.words] == [(w, counts[w]) for w in kept]
    lib.close()


@pytest.mark.parametrize("engine", ENGINES)
def test_a_search_finds_the_same_with_the_table_or_without(tmp_path: Path, engine: str) -> None:
    queries = ["zul*", "zula*", "zulb*", "zul* warga", "zula* kabar", "title:kab*"]
    lib = _library(tmp_path, engine)
    with_table = _answers(lib, queries)
    cut = lib.search("zul*")
    assert (cut.total_exact, len(cut.hits)) == (False, 10)
    build = lib._live.reading
    with build() as stores:
        path = stores.build / prefixes.FILE
    assert path.exists() == (engine == "whoosh")
    lib.close()
    if engine == "whoosh":
        path.unlink()
    lib = Library.open(tmp_path / "c", tmp_path / "ix", variants=Path("/nonexistent"))
    assert _answers(lib, queries) == with_table
    lib.close()


def test_making_the_table_copies_no_segment_into_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh copies a mapped segment's files into memory as it opens them (the whole index,
    at the end of a build): the walk over every term that makes the table reads them as it
    goes instead, and finds the same words."""
    from whoosh.filedb import structfile

    copies: list[str] = []
    making: list[bool] = []
    copy, refresh = structfile.BufferFile.__init__, prefixes.refresh

    def counted(self, buf, name=None, onclose=None) -> None:
        if making:
            copies.append(name)
        copy(self, buf, name=name, onclose=onclose)

    def made(*args, **kwargs) -> bool:
        making.append(True)
        try:
            return refresh(*args, **kwargs)
        finally:
            making.clear()

    monkeypatch.setattr(structfile.BufferFile, "__init__", counted)
    monkeypatch.setattr(prefixes, "refresh", made)
    lib = _library(tmp_path, "whoosh")
    with lib._live.reading() as stores:
        table = stores.searcher().prefixes
        assert table is not None and table.get("body_exact", "zul") is not None
    assert copies == []
    lib.close()


def test_an_update_makes_the_table_again_when_missing_or_stale(tmp_path: Path) -> None:
    lib = _library(tmp_path, "whoosh", range(ARTICLES - 4))
    with lib._live.reading() as stores:
        path = stores.build / prefixes.FILE
    first = prefixes.stamp_of(path)
    assert first is not None
    _write_corpus(tmp_path / "c", range(ARTICLES))  # four more articles
    lib.update()
    second = prefixes.stamp_of(path)
    assert second not in (None, first)
    with lib._live.reading() as stores:
        fulltext = stores.searcher()
        assert fulltext.prefixes is not None  # of the new state
        row = fulltext.prefixes.get("body_exact", "zul")
        assert row is not None
        assert dict((w, n) for w, n, _ in row.words) == {
            w: fulltext.doc_frequency("body_exact", w) for w, *_ in row.words
        }
    lib.close()
    path.unlink()
    # What a process that died while writing the table left behind goes with the next one.
    left = path.with_name(f"{path.name}.99999.tmp")
    left.write_bytes(b"half a table")
    lib = Library.open(tmp_path / "c", tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()  # nothing changed in the corpus
    assert path.exists() and not left.exists()
    with lib._live.reading() as stores:
        assert stores.searcher().prefixes is not None  # the table of the state searched
    lib.close()


def test_a_table_of_another_state_or_damaged_is_not_used(tmp_path: Path) -> None:
    counts = {f"zul{i:03d}": (1, 1) for i in range(STORE_FROM + 1)}
    prefixes.write(tmp_path / prefixes.FILE, "7:abc", {"body_exact": counts}, expansion_cap)
    assert PrefixTable.open(tmp_path, "8:abc") is None
    table = PrefixTable.open(tmp_path, "7:abc")
    assert table is not None
    row = table.get("body_exact", "zul")
    assert row is not None and row.found == STORE_FROM + 1 and len(row.words) == 50
    assert table.get("body_exact", "zu") is None  # no 2-letter prefixes
    assert table.get("title_exact", "zul") is None
    table.close()
    (tmp_path / prefixes.FILE).write_bytes(b"not a database" * 100)
    assert PrefixTable.open(tmp_path, "7:abc") is None
    assert prefixes.stamp_of(tmp_path / prefixes.FILE) is None
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(tmp_path / prefixes.FILE).execute("SELECT 1 FROM meta").fetchall()


@pytest.mark.parametrize("read_ahead", [16, 1 << 16])
def test_terms_read_ahead_are_those_whoosh_reads(
    sample_library: Library, read_ahead: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A walk over a segment's terms reads the term file a chunk at a time: the same keys
    and values as Whoosh reading each record apart, from any start, with records longer
    than a chunk (16 bytes) and records across chunks."""
    from newsreader.index.search import engine

    monkeypatch.setattr(engine, "_READ_AHEAD", read_ahead)
    with sample_library._live.reading() as stores:
        reader = stores.searcher().searcher.reader()
        walked = 0
        for leaf, _ in reader.leaf_readers():
            tindex = leaf._terms._tindex
            for start in (b"", b"\x00\x02", b"\x00\x03pre", b"\xff"):
                ours = list(engine._records_from(tindex, start))
                assert ours == list(tindex.items_from(start))
                walked += len(ours)
    assert walked > 1000
