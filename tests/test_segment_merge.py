"""Merging Whoosh segments a block at a time (merging.py) gives the segment Whoosh's own
merge gives: the same terms with the same statistics, postings, stored fields, lengths and
columns, read back by Whoosh's own code."""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from newsreader.index.search.codec import writing_codec
from newsreader.index.search.engine import merged_segment
from newsreader.index.search.schema import make_schema
from newsreader.index.text.analysis import Analyzer

COMMON = ["banjir", "kota", "hujan", "warga", "jalan"]
RARE = [f"kata{k}" for k in range(400)]


def _text(rng: random.Random, n: int) -> str:
    words = [rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(RARE) for _ in range(n)]
    return " ".join(words)


def _build(folder: Path, sizes: list[int], seed: int, delete: int | None = None) -> None:
    """An index of one segment per size (a commit each, never merged)."""
    from whoosh import index as windex
    from whoosh.writing import NO_MERGE

    ix = windex.create_in(str(folder), make_schema(Analyzer()))
    rng = random.Random(seed)
    n = 0
    for size in sizes:
        writer = ix.writer(codec=writing_codec())
        for _ in range(size):
            doc: dict[str, Any] = {
                "id": f"a{n}",
                "title": _text(rng, 6),
                "title_exact": _text(rng, 6),
                "body": _text(rng, rng.randint(0, 60)),
                "body_exact": _text(rng, rng.randint(1, 60)),
                "lang": rng.choice(["id", "en"]),
            }
            if rng.random() < 0.7:
                doc["outlet"] = rng.choice(["kompas", "detik", "tempo"])
            if rng.random() < 0.8:
                doc["date"] = datetime(2020, 1, 1) + timedelta(days=rng.randint(0, 900))
            writer.add_document(**doc)
            n += 1
        writer.commit(mergetype=NO_MERGE)
    if delete is not None:
        writer = ix.writer()
        writer.delete_by_term("id", f"a{delete}")
        writer.commit(mergetype=NO_MERGE)


def _whoosh_merge(folder: Path) -> None:
    from whoosh import index as windex
    from whoosh.reading import SegmentReader

    ix = windex.open_dir(str(folder))
    writer = ix.writer(codec=writing_codec())
    for segment in ix._segments():
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    writer._commit_toc([writer._finalize_segment()])
    writer._finish()


def _our_merge(folder: Path) -> None:
    from whoosh import index as windex

    ix = windex.open_dir(str(folder))
    writer = ix.writer()
    merged = merged_segment(writer.storage, writer.schema, ix._segments())
    writer._close_segment()
    writer._commit_toc([merged])
    writer._finish()


def _contents(folder: Path) -> dict[str, Any]:
    from whoosh import index as windex

    ix = windex.open_dir(str(folder))
    assert len(ix._segments()) == 1
    with ix.reader() as reader:
        terms = [
            (
                key,
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
                info.min_id(),
                info.max_id(),
                info.is_inlined(),
            )
            for key, info in reader._terms.items()
        ]
        blocks = []
        for (field, btext), _ in reader._terms.items():
            m = reader.postings(field, btext)
            while hasattr(m, "_goto"):  # a list in blocks, not one in its term info
                blocks.append((m._blocklength, m._maxid, m._maxweight, m._minlength, m._maxlength))
                if m._lastblock:
                    break
                m._goto(m._nextoffset)
        n = reader.doc_count_all()
        scorable = [f for f in reader.schema.names() if reader.schema[f].scorable]
        return {
            "docs": n,
            "terms": terms,
            "postings": list(reader.iter_postings()),
            "blocks": blocks,
            "stored": list(reader.iter_docs()),
            "lengths": [[reader.doc_field_length(d, f) for d in range(n)] for f in scorable],
            "dates": list(reader.column_reader("date", translate=False)),
            "deleted": sorted(reader.all_doc_ids()),
        }


@pytest.mark.parametrize(
    ("sizes", "seed", "delete"),
    [
        ([40, 3, 150, 1, 90], 1, None),  # terms inlined in one segment, blocks in another
        ([300, 300], 2, None),  # lists of several blocks in each segment
        ([1, 1, 1], 3, None),
        ([60, 20, 80], 4, 70),  # a deleted article: merged Whoosh's way, without it
    ],
)
def test_our_merge_writes_what_whoosh_merge_writes(
    tmp_path: Path, sizes: list[int], seed: int, delete: int | None
) -> None:
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    theirs.mkdir()
    _build(theirs, sizes, seed, delete)
    shutil.copytree(theirs, ours)
    _whoosh_merge(theirs)
    _our_merge(ours)
    got, want = _contents(ours), _contents(theirs)
    assert got["docs"] == sum(sizes) - (delete is not None)
    assert any(t[-1] for t in want["terms"]) and not all(t[-1] for t in want["terms"])
    for part in want:
        assert got[part] == want[part], part


def test_a_merged_index_answers_queries_as_whoosh_merged_one_does(tmp_path: Path) -> None:
    """The same articles as before merging; the same scores as after Whoosh's merge (a
    merge rounds the field lengths BM25 averages, Whoosh's as ours)."""
    from whoosh import index as windex
    from whoosh.qparser import QueryParser

    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    ours.mkdir()
    _build(ours, [50, 7, 120, 2], 5)
    shutil.copytree(ours, theirs)
    queries = ["banjir", "kata3 OR kata17", '"banjir kota"', "kata1*", "hujan AND warga"]

    def answers(folder: Path) -> list[list[tuple[str, float]]]:
        ix = windex.open_dir(str(folder))
        out = []
        with ix.searcher() as s:
            for q in queries:
                parsed = QueryParser("body_exact", ix.schema).parse(q)
                hits = s.search(parsed, limit=None)
                out.append(sorted((h["id"], round(h.score, 6)) for h in hits))
        return out

    before = answers(ours)
    _our_merge(ours)
    _whoosh_merge(theirs)
    assert len(windex.open_dir(str(ours))._segments()) == 1
    after = answers(ours)
    assert after == answers(theirs)
    assert [[i for i, _ in a] for a in after] == [[i for i, _ in b] for b in before]
    assert all(before)


def test_a_merge_through_run_files_writes_what_whoosh_merge_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments holding a deleted article are merged through the posting pool, which
    sorts them out through run files pickled a block at a time (engine.RUN_BLOCK): with
    runs of a few dozen postings and blocks of seven, the segment is Whoosh's."""
    from newsreader.index.search import engine

    monkeypatch.setattr(engine, "RUN_BLOCK", 7)
    made = engine._posting_pool
    pools = []

    def small_runs(*args: Any) -> Any:
        pool = made(*args)
        pool.limit = 5000  # bytes of postings (Whoosh's estimate) held before a run
        pools.append(pool)
        return pool

    monkeypatch.setattr(engine, "_posting_pool", small_runs)
    runs = []
    pool_class = engine._block_pool()
    write = pool_class._write_run

    def counted(self: Any, f: Any, items: Any) -> None:
        runs.append(f)
        write(self, f, items)

    monkeypatch.setattr(pool_class, "_write_run", counted)
    theirs, ours = tmp_path / "theirs", tmp_path / "ours"
    theirs.mkdir()
    _build(theirs, [30, 45, 12], 6, delete=40)
    shutil.copytree(theirs, ours)
    _whoosh_merge(theirs)
    _our_merge(ours)
    assert pools and len(runs) > 10
    got, want = _contents(ours), _contents(theirs)
    assert got["docs"] == 86
    for part in want:
        assert got[part] == want[part], part
