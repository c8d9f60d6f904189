"""The catalog's shingle postings, grouped by hash range: what goes in comes back, batch
after batch, and a removal takes out one article's postings only."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.model import Article, Kind, Metadata, Paragraph
from newsreader.index.store import postings
from newsreader.index.store.catalog import Catalog

KEYS = st.integers(-(2**31), 2**31 - 1)


def _article(article_id: str) -> Article:
    meta = Metadata(title="Judul", outlet=None, date=None, language="id")
    return Article(
        article_id, article_id, "teks", meta, (Paragraph(0, 0, 4, Kind.TEXT, False, None),), "h"
    )


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(KEYS, st.integers(0, 5000)), max_size=40, unique_by=lambda p: p[0]),
        min_size=1,
        max_size=6,
    )
)
def test_postings_come_back_as_filed_over_several_commits(
    tmp_path_factory, articles: list[list[tuple[int, int]]]
) -> None:
    cat = Catalog(tmp_path_factory.mktemp("c") / "c.sqlite")
    try:
        expected = []
        for i, pairs in enumerate(articles):
            cat.put_article(_article(f"{i}.txt"), pairs)
            if i % 2:  # some commits hold one article, some two
                cat.commit()
            doc = cat.doc_of(f"{i}.txt")
            expected += [(h, doc, p) for h, p in pairs]
        cat.commit()
        assert list(cat.all_postings()) == sorted(expected)
        some = {h for h, _, _ in expected[::3]}
        assert sorted(cat.postings(some)) == sorted(p for p in expected if p[0] in some)
        counts = {h: sum(p[0] == h for p in expected) for h in some}
        for most in (1, 2):
            rare = sorted(cat.postings(some, lambda h, most=most: most))
            assert rare == sorted(p for p in expected if p[0] in some and counts[p[0]] <= most)
        shared = [p for p in sorted(expected) if 2 <= counts.get(p[0], 0) <= 3 or p[0] not in some]
        assert [p for p in cat.shared_postings(3) if p[0] in some] == [
            p for p in shared if p[0] in some
        ]
    finally:
        cat.close()


def test_postings_of_one_range_share_one_row(tmp_path: Path) -> None:
    """The point of the layout: a row per range of keys, not per posting."""
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        base = 5 << postings.SHIFT
        for i in range(20):
            cat.put_article(_article(f"{i}.txt"), [(base + i, i), (base + 100 + i, 7)])
        cat.commit()
        assert cat.db.execute("SELECT count(*) FROM shingles").fetchone() == (1,)
        assert len(list(cat.all_postings())) == 40
        (size,) = cat.db.execute("SELECT length(data) FROM shingles").fetchone()
        assert size == 40 * postings.STORED_SIZE == 40 * 6  # 6 bytes a posting
    finally:
        cat.close()


def test_a_removal_keeps_the_other_articles_postings_of_a_row(tmp_path: Path) -> None:
    base = -(3 << postings.SHIFT)

    filed = {
        "a.txt": [(base + 1, 0), (base + 2, 1)],
        "b.txt": [(base + 1, 4), (base + 3, 5)],
        "c.txt": [(base + 2, 9)],
    }

    def shingler(article: Article) -> list[tuple[int, int]]:
        return filed[article.id]

    cat = Catalog(tmp_path / "c.sqlite", shingler=shingler)
    try:
        for name, pairs in filed.items():
            cat.put_article(_article(name), pairs)
        cat.commit()
        b, c = cat.doc_of("b.txt"), cat.doc_of("c.txt")
        cat.delete_article("a.txt")
        cat.commit()
        assert list(cat.all_postings()) == [(base + 1, b, 4), (base + 2, c, 9), (base + 3, b, 5)]
        for name in ("b.txt", "c.txt"):  # a row left empty goes
            cat.delete_article(name)
        cat.commit()
        assert cat.db.execute("SELECT count(*) FROM shingles").fetchone() == (0,)
    finally:
        cat.close()


def test_a_position_past_the_last_is_kept_as_the_last(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("a.txt"), [(11, postings.MAX_POSITION + 5), (12, 3)])
        cat.commit()
        doc = cat.doc_of("a.txt")
        assert list(cat.all_postings()) == [(11, doc, postings.MAX_POSITION), (12, doc, 3)]
    finally:
        cat.close()


@given(
    st.lists(
        st.tuples(KEYS, st.integers(1, postings.MAX_DOC), st.integers(0, postings.MAX_POSITION))
    )
)
def test_a_row_decodes_to_its_postings(found: list[tuple[int, int, int]]) -> None:
    """The packing the commit does, done here by hand: each posting comes back."""
    from array import array

    rows: dict[int, array] = {}
    for h, doc, pos in found:
        low = h & ((1 << postings.SHIFT) - 1)
        word = doc | (pos << 32) | (low << 48)
        rows.setdefault(postings.row_of(h, doc), array("q")).append(word)
    back = [
        p for row, a in rows.items() for p in postings.decode(row, postings.to_bytes(a, row & 0xFF))
    ]
    assert sorted(back) == sorted(found)
    with pytest.raises(ValueError):  # a row holds the articles of its top byte only
        postings.to_bytes(array("q", [0x10000]), 0)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, postings.MAX_DOC - 2000),
    st.lists(
        st.tuples(
            st.integers(1, 300),  # how far this article's number is past the last one's
            st.lists(
                st.tuples(KEYS | st.integers(-5, 5), st.integers(0, postings.MAX_POSITION)),
                max_size=30,
                unique_by=lambda p: p[0],
            ),
        ),
        max_size=8,
    ),
)
def test_a_commit_merges_pending_postings_in_key_order_then_the_articles(
    first: int, articles: list[tuple[int, list[tuple[int, int]]]]
) -> None:
    """The rows a commit appends, against their definition: a row's postings in key order,
    a key's in the order their articles were added (numbered as the catalog numbers them,
    each past the last)."""
    from array import array

    pieces = []
    rows: dict[int, list[tuple[int, int, int]]] = {}
    doc = first
    for step, pairs in articles:
        doc += step
        pairs = sorted(pairs)
        keys = array("q", [h for h, _ in pairs])
        for piece, _, key_bytes, packed in postings.pending_rows(
            doc, keys, array("i", [p for _, p in pairs])
        ):
            pieces.append((piece, key_bytes, packed))
        for h, pos in pairs:
            rows.setdefault(postings.row_of(h, doc), []).append((h, doc, pos))
    pieces.sort(key=lambda p: p[0])  # by piece, then as added (a stable sort)
    merged = list(postings.merged_rows(pieces))
    assert len(merged) == len(rows)
    assert {r: list(postings.decode(r, b)) for r, b in merged} == {
        r: sorted(found, key=lambda p: p[0]) for r, found in rows.items()
    }
    with pytest.raises(ValueError):  # a key is 4 bytes
        list(postings.pending_rows(1, array("q", [1 << 31]), array("i", [0])))


def test_an_article_number_past_the_last_is_refused_before_anything_is_filed(
    tmp_path: Path,
) -> None:
    """Stored in 3 bytes, an article number past `MAX_DOC` would come back as another
    article's: the catalog refuses it with the one-line error that says what to do."""
    from array import array

    from newsreader.index.errors import IndexFullError

    with pytest.raises(ValueError):
        postings.to_bytes(array("q", [postings.MAX_DOC + 1]))
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("a.txt"), [(5, 1)])
        cat.commit()
        cat.db.execute("UPDATE articles SET doc = ?", (postings.MAX_DOC,))
        cat.commit()
        with pytest.raises(IndexFullError, match="--rebuild"):
            cat.put_article(_article("b.txt"), [(5, 2)])
    finally:
        cat.close()


# Low bits whose two bytes also make up articles' numbers and positions (0x0100 is article
# 256's second and third bytes, 0x0001 position 1's), so that a lookup meets copies of them
# away from where a posting keeps its key.
CLASHING = st.sampled_from([0, 1, 2, 0x0100, 0x0101, 0x0201, 0x3FFF])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            CLASHING,
            st.sampled_from([1, 2, 256, 257, 0x10000, 0x10001, 0x010001, postings.MAX_DOC]),
            st.sampled_from([0, 1, 2, 256, 0x0101, postings.MAX_POSITION]),
        ),
        unique_by=lambda p: (p[0], p[1]),
        max_size=60,
    ),
    st.sets(CLASHING, min_size=1),
    st.integers(0, 4),
)
def test_a_lookup_finds_a_keys_postings_only_where_a_posting_keeps_its_key(
    filed: list[tuple[int, int, int]], lows: set[int], most: int
) -> None:
    from array import array

    span = 9
    rows: dict[int, array] = {}
    for low, doc, pos in filed:
        rows.setdefault(postings.row_of(span << postings.SHIFT, doc), array("q")).append(
            doc | (pos << 32) | (low << 48)
        )
    stored = [(row, postings.to_bytes(words, row & 0xFF)) for row, words in sorted(rows.items())]
    assert all(postings.span_of(row) == span for row, _ in stored)
    base = span << postings.SHIFT
    expected = sorted((base | low, doc, pos) for low, doc, pos in filed if low in lows)
    assert sorted(postings.matching(stored, lows)) == expected
    # A key's articles are counted over all the rows of its range.
    held = {low: sum(p[0] == low for p in filed) for low in lows}
    rare = sorted(postings.matching(stored, lows, lambda key: most))
    assert rare == [p for p in expected if held[p[0] - base] <= most]


def test_a_damaged_row_is_reported_not_misread(sample_library, tmp_path: Path) -> None:
    """A row whose blob cannot hold whole postings: `index --check` names it, and looking
    up related articles stops with the one-line error that says what to do."""
    import shutil

    from newsreader.index import Library
    from newsreader.index.errors import IndexDamagedError

    from tests.conftest import live_build

    folder = tmp_path / "ix"
    shutil.copytree(sample_library.index_dir, folder)
    lib = Library.open(sample_library.corpus, folder)
    assert lib.check().ok
    cat = Catalog(live_build(folder) / "catalog.sqlite")
    try:
        cat.db.execute("UPDATE shingles SET data = data || x'00'")
        cat.commit()
    finally:
        cat.close()
    check = lib.check()
    assert not check.ok
    assert any("rows of shingle postings are damaged" in p for p in check.problems)
    first = sorted(lib._live.open().catalog.ids())[0]
    with pytest.raises(IndexDamagedError, match="--rebuild"):
        lib.related(first)
    lib.close()


def test_an_index_of_another_version_says_so_when_asked_for_related_articles(
    sample_library, tmp_path: Path
) -> None:
    """Shingle postings change layout from one schema to the next: an index of another
    version, read as it is (the app searches the old index while it rebuilds), names the
    fix instead of calling itself damaged."""
    import shutil

    from newsreader.index import Library
    from newsreader.index.errors import IndexDamagedError

    from tests.conftest import live_build

    folder = tmp_path / "ix"
    shutil.copytree(sample_library.index_dir, folder)
    lib = Library.open(sample_library.corpus, folder)
    first = sorted(lib._live.open().catalog.ids())[0]
    assert lib.related(first) is not None
    lib.close()
    cat = Catalog(live_build(folder) / "catalog.sqlite")
    try:
        cat.set_meta("schema", "15")
        cat.commit()
    finally:
        cat.close()
    lib = Library.open(sample_library.corpus, folder)
    with pytest.raises(IndexDamagedError, match="another version of newsreader"):
        lib.related(first)
    lib.close()


def test_an_index_out_of_article_numbers_says_so_and_stays_searchable(
    corpus: Path, tmp_path: Path
) -> None:
    """An update that would number an article past `MAX_DOC` stops with the one-line
    error; what the index held is kept, and searched as it is."""
    import sqlite3

    from newsreader.index import Library
    from newsreader.index.errors import IndexFullError

    from tests.conftest import live_build

    lib = Library.open(corpus, tmp_path / "ix")
    lib.update()
    before = lib.search("putin", limit=50).total
    db = sqlite3.connect(live_build(tmp_path / "ix") / "catalog.sqlite")
    db.execute("UPDATE articles SET doc = doc + ?", (postings.MAX_DOC,))
    db.commit()
    db.close()
    (corpus / "baru.txt").write_text("Judul baru\n\nBanjir melanda kota dan warga mengungsi.\n")
    with pytest.raises(IndexFullError, match="--rebuild") as raised:
        lib.update()
    assert raised.value.index_readable
    assert lib.search("putin", limit=50).total == before > 0
    assert lib.search("mengungsi", limit=50).total == 0  # the new article is not half in
    lib.close()
