"""How the catalog stores an article: compressed, and read back exactly as it was put; its
shingles kept as postings only, and removed with the article."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index import Library
from newsreader.index.model import Article, Kind, Metadata, Paragraph, Span
from newsreader.index.store.catalog import Catalog
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.tokens import article_shingles

from tests.conftest import live_build

# Positions that go back (word pairs follow the 3-grams) and hashes of either sign.
SHINGLES = [(2**31 - 1, 0), (-(2**31), 1), (7, 4), (7, 0), (-1, 3)]  # keys are 4 bytes


def _article(text: str, article_id: str = "a.txt") -> Article:
    meta = Metadata(title="Judul", outlet="Kompas", date="2024-07-03", language="id")
    paragraphs = (Paragraph(0, 0, len(text), Kind.TEXT, False, None),)
    return Article(article_id, article_id, text, meta, paragraphs, "h1")


def _postings_of(cat: Catalog, doc: int) -> list[tuple[int, int]]:
    return sorted((h, pos) for h, d, pos in cat.all_postings() if d == doc)


TEXTS = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
MAYBE = st.none() | TEXTS
SPANS = st.none() | st.builds(Span, st.integers(0, 10**6), st.integers(0, 10**6))


@settings(max_examples=40, deadline=None)
@given(
    st.builds(Metadata, MAYBE, SPANS, MAYBE, MAYBE, MAYBE, SPANS, MAYBE, MAYBE),
    st.lists(
        st.tuples(
            st.integers(0, 10**6),
            st.integers(0, 10**6),
            st.sampled_from(list(Kind)),
            st.booleans(),
            st.none() | st.integers(0, 500),
        ),
        max_size=8,
    ),
    TEXTS,
)
def test_every_field_of_an_article_is_read_back(
    tmp_path_factory, meta: Metadata, parts: list, text: str
) -> None:
    """The catalog's own compact layout of the metadata (see catalog._store) gives back
    every field: spans, kinds, flags and repeats, absent values and any text."""
    paragraphs = tuple(Paragraph(i, *part) for i, part in enumerate(parts))
    article = Article("x/a.txt#1", "x/a.txt", text, meta, paragraphs, "c0ffee")
    cat = Catalog(tmp_path_factory.mktemp("c") / "c.sqlite")
    try:
        cat.put_article(article, [])
        cat.commit()
        assert cat.article("x/a.txt#1") == article
    finally:
        cat.close()


@pytest.mark.parametrize("words", [0, 40, 700, 12_000])
def test_an_article_is_stored_as_small_as_zlib_makes_it(tmp_path: Path, words: int) -> None:
    """Compressed with a window no larger than the article (see catalog._compressed), an
    article of any length reads back whole and takes no more room than zlib's default."""
    import random
    import zlib

    vocabulary = [
        "harga",
        "emas",
        "naik",
        "turun",
        "pasar",
        "saham",
        "rupiah",
        "dolar",
        "bank",
        "sentral",
    ]
    rng = random.Random(words)
    text = " ".join(rng.choice(vocabulary) + str(rng.randrange(99)) for _ in range(words))
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article(text), [])
        cat.commit()
        assert cat.article("a.txt") == _article(text)
        (stored,) = cat.db.execute("SELECT stored FROM articles").fetchone()
        raw = zlib.decompress(stored)
        assert text.encode() in raw
        assert len(stored) <= len(zlib.compress(raw, 6)) + 8
    finally:
        cat.close()


def test_a_summary_gives_the_title_or_the_stand_in_kept_for_an_untitled_article(
    tmp_path: Path,
) -> None:
    """The display title is kept only where it is not the title (an untitled article's
    first words): a summary gives back each article's."""
    untitled = Article(
        "b.txt",
        "b.txt",
        "Hujan deras turun sejak pagi di seluruh kota dan banyak jalan tergenang air",
        Metadata(title=None, language="id"),
        (Paragraph(0, 0, 74, Kind.TEXT, False, None),),
        "h2",
    )
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("Harga emas naik."), [])
        cat.put_article(untitled, [])
        cat.commit()
        got = {s.id: s.display_title for s in cat.summaries()}
        assert got == {"a.txt": "Judul", "b.txt": untitled.display_title}
        assert untitled.display_title.startswith("Hujan deras")
        kept = dict(cat.db.execute("SELECT id, display FROM articles"))
        assert kept == {"a.txt": None, "b.txt": untitled.display_title}
    finally:
        cat.close()


def test_article_read_back_as_put_and_its_postings(tmp_path: Path) -> None:
    text = 'Harga emas naik \u00e9\u00e8 \u4e2d\u6587 lagi.\n\nParagraf kedua {"x": 1}'
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article(text), SHINGLES)
        cat.commit()
        doc = cat.doc_of("a.txt")
        assert doc is not None
        got = cat.article("a.txt")
        assert got == _article(text)
        assert cat.article_by_doc(doc) == got
        assert sorted(cat.postings([7])) == [(7, doc, 0), (7, doc, 4)]
        assert _postings_of(cat, doc) == sorted(SHINGLES)
        # Nothing of the shingles is kept beside the article.
        columns = [r[1] for r in cat.db.execute("PRAGMA table_info(articles)")]
        assert "shingles" not in columns
    finally:
        cat.close()


def test_shingles_as_arrays_are_filed_as_the_pairs_they_hold(tmp_path: Path) -> None:
    """A worker hands an article's shingles over as two arrays (`Shingles`): pickled and
    back, they give the same pairs, and the catalog files the same postings."""
    import pickle

    from newsreader.index.text.tokens import Shingles, shingle_hash

    pairs = [(shingle_hash(("a", "b", "c")), 0), (-(2**31), 7), (2**31 - 1, 3), (7, 0)]
    packed = pickle.loads(pickle.dumps(Shingles(pairs), pickle.HIGHEST_PROTOCOL))
    assert list(packed) == pairs and len(packed) == 4 and packed == Shingles(pairs)
    assert list(Shingles([])) == [] and packed != Shingles(pairs[:3])
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("satu dua"), packed)
        cat.put_article(_article("lain", "b.txt"), pairs)
        cat.commit()
        a, b = cat.doc_of("a.txt"), cat.doc_of("b.txt")
        assert a is not None and b is not None
        assert _postings_of(cat, a) == _postings_of(cat, b) == sorted(pairs)
    finally:
        cat.close()


@pytest.mark.parametrize("committed", [True, False])
def test_removal_finds_the_postings_from_the_text(tmp_path: Path, committed: bool) -> None:
    """With a shingler, the hashes to remove are worked out from the stored article (it is
    handed the article as put); an article of the same batch only has pending postings."""
    seen: list[Article] = []

    def shingler(article: Article) -> list[tuple[int, int]]:
        seen.append(article)
        return SHINGLES

    cat = Catalog(tmp_path / "c.sqlite", shingler=shingler)
    try:
        cat.put_article(_article("satu dua tiga"), SHINGLES)
        cat.put_article(_article("lain", "b.txt"), [(7, 2), (9, 0)])
        if committed:
            cat.commit()
        cat.delete_article("a.txt")
        cat.commit()
        assert seen == ([_article("satu dua tiga")] if committed else [])
        b = cat.doc_of("b.txt")
        assert sorted(cat.postings([7, 9, -1])) == [(7, b, 2), (9, b, 0)]
        assert list(cat.all_postings()) == [(7, b, 2), (9, b, 0)]
    finally:
        cat.close()


def test_removal_without_a_shingler_reads_the_postings(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("satu"), SHINGLES)
        cat.put_article(_article("lain", "b.txt"), [(7, 2)])
        cat.commit()
        cat.delete_article("a.txt")
        cat.commit()
        assert cat.article("a.txt") is None
        assert list(cat.postings([h for h, _ in SHINGLES])) == [(7, cat.doc_of("b.txt"), 2)]
    finally:
        cat.close()


def test_an_article_without_shingles(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article(""), [])
        cat.commit()
        assert cat.article("a.txt") == _article("")
        assert list(cat.all_postings()) == []
    finally:
        cat.close()


def test_stored_articles_give_back_the_shingles_filed(
    sample_library: Library, analyzer: Analyzer
) -> None:
    """What removal and related-article lookups rely on: the shingles worked out again from
    each stored article are exactly the postings the build filed for it."""
    path = live_build(sample_library.index_dir) / "catalog.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    cat = Catalog(path, readonly=True)
    try:
        filed: dict[int, list[tuple[int, int]]] = {}
        for h, doc, pos in cat.all_postings():
            filed.setdefault(doc, []).append((h, pos))
        docs = [d for (d,) in db.execute("SELECT doc FROM articles")]
        assert docs and filed
        for doc in docs:
            article = cat.article_by_doc(doc)
            assert article is not None
            again = sorted(article_shingles(article, analyzer))
            assert again == sorted(filed.get(doc, [])), article.id
    finally:
        cat.close()
        db.close()


def _postings_by_id(index_dir: Path) -> set[tuple[int, str, int]]:
    cat = Catalog(live_build(index_dir) / "catalog.sqlite", readonly=True)
    try:
        found = set()
        for h, doc, pos in cat.all_postings():
            article_id = cat.id_of(doc)
            assert article_id is not None  # no posting of a removed article is left
            found.add((h, article_id, pos))
        return found
    finally:
        cat.close()


def test_an_update_leaves_the_postings_a_fresh_build_makes(
    library: Library, corpus: Path, tmp_path: Path
) -> None:
    library.update()
    files = sorted(corpus.glob("*.txt"))
    files[0].unlink()
    files[1].write_text(files[1].read_text(encoding="utf-8") + "\n\nKalimat tambahan baru.\n")
    report = library.update()
    assert report.removed and report.updated and not report.rebuilt
    fresh = Library.open(corpus, tmp_path / "fresh", variants=Path("/nonexistent"))
    fresh.update()
    try:
        assert _postings_by_id(library.index_dir) == _postings_by_id(fresh.index_dir)
    finally:
        fresh.close()
        library.close()


def test_related_lookups_take_an_articles_shingles_from_its_tokens(
    sample_library: Library,
) -> None:
    """The shingles `related` starts from (worked out from the tokens its alignment
    prepares) are the postings the build filed for the article."""
    from newsreader.index.store.passages import ShingledCatalog

    path = live_build(sample_library.index_dir) / "catalog.sqlite"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    cat = Catalog(path, readonly=True)
    try:
        for (doc,) in db.execute("SELECT doc FROM articles"):
            article = cat.article_by_doc(doc)
            assert article is not None
            store = ShingledCatalog(cat, lambda _, a=article: sample_library._side(a).tokens)
            hashes, positions = store.shingles_of(doc)
            filed = _postings_of(cat, doc)
            assert sorted(zip(hashes, positions, strict=True)) == filed
    finally:
        cat.close()
        db.close()


def test_a_batchs_postings_are_appended_to_their_rows_in_key_then_article_order(
    tmp_path: Path,
) -> None:
    """An article's shingles wait in pieces by key range (in key order, as a worker sorts
    them) and are merged at commit: each row then gets the batch's postings in key order,
    a key's in the order the articles were added, after the rows' earlier batches. Keys
    across every range, shared by many articles, one article with a single shingle, a
    position past the largest kept, shingles given as pairs and in arrays, article numbers
    on both sides of 65,536 (rows of two top bytes)."""
    import random

    from newsreader.index.store import postings
    from newsreader.index.text.tokens import Shingles

    rng = random.Random(7)
    shared = [rng.randrange(-(2**31), 2**31) for _ in range(40)]
    cat = Catalog(tmp_path / "c.sqlite")
    expected: dict[int, list[tuple[int, int, int]]] = {}
    try:
        for batch in range(2):
            added: list[tuple[int, int, int]] = []
            for k in range(30):
                keys = set(rng.sample(shared, 12)) | {
                    rng.randrange(-(2**31), 2**31) for _ in range(50)
                }
                pairs = [(h, rng.randrange(0, 70_000)) for h in keys]
                if k == 3:
                    pairs = pairs[:1]
                given = Shingles(pairs, by_key=True) if k % 2 else pairs
                cat.put_article(_article(f"artikel {batch} {k}", f"{batch}-{k}.txt"), given)
                doc = cat.doc_of(f"{batch}-{k}.txt")
                kept = postings.MAX_POSITION
                added += [(h, doc, min(p, kept)) for h, p in pairs]
            cat.commit()
            for h, doc, pos in sorted(added, key=lambda p: (p[0], p[1])):
                expected.setdefault(postings.row_of(h, doc), []).append((h, doc, pos))
            if not batch:  # the next batch's article numbers go past 65,535 (a top byte)
                cat.db.execute("UPDATE articles SET doc = doc + 65500")
                cat.commit()
        rows = dict(cat.db.execute("SELECT b, data FROM shingles"))
        assert sorted(rows) == sorted(expected)
        for row, data in rows.items():
            assert list(postings.decode(row, data)) == expected[row]
        assert {row & 0xFF for row in rows} == {0, 1}
        # A key's postings are found in every row of its range, whatever the top byte.
        every = sorted(p for found in expected.values() for p in found)
        assert sorted(cat.postings(shared)) == [p for p in every if p[0] in set(shared)]
    finally:
        cat.close()


def test_articles_are_compressed_with_a_dictionary_of_the_first_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the index has enough articles, a dictionary is made from the first and every
    article is compressed with it, those stored before too: they read back whole, in less
    room. A reader opened before it was made reads them all the same; a catalog that has
    lost it says to rebuild."""
    import random

    from newsreader.index.errors import IndexDamagedError
    from newsreader.index.store import catalog as catalog_module
    from newsreader.index.store.compression import Packer, needs_dictionary

    monkeypatch.setattr(catalog_module, "TRAIN_AFTER", 30)
    monkeypatch.setattr(catalog_module, "TRAIN_ON", 20)
    rng = random.Random(3)
    # What every article of an outlet says, then words of its own.
    said = "Baca juga: Presiden Joko Widodo mengatakan pemerintah akan terus mendorong kerja"
    said += " sama ekonomi dengan Tiongkok, kata juru bicara Istana di Jakarta, Senin."
    words = [f"kata{i}" for i in range(300)]

    def text(k: int) -> str:
        return said + " " + " ".join(rng.choice(words) for _ in range(60)) + f" nomor {k}"

    articles = [_article(text(k), f"{k}.txt") for k in range(40)]
    path = tmp_path / "c.sqlite"
    cat = Catalog(path)
    early = Catalog(path, readonly=True)
    try:
        for a in articles[:25]:
            cat.put_article(a, [])
        cat.commit()  # 25 articles: none yet
        assert cat.packer.dictionary is None
        assert early.article("3.txt") == articles[3]
        for a in articles[25:]:
            cat.put_article(a, [])
        cat.commit()
        assert cat.packer.dictionary
        stored = [s for (s,) in cat.db.execute("SELECT stored FROM articles")]
        assert len(stored) == 40 and all(map(needs_dictionary, stored))
        plain = Packer()
        alone = sum(len(plain.pack(cat.packer.unpack(s))) for s in stored)
        assert sum(map(len, stored)) < alone
        for a in articles:
            assert cat.article(a.id) == a
            assert early.article(a.id) == a  # opened before the dictionary was made
        cat.db.execute("DELETE FROM dictionary")
        cat.db.commit()
    finally:
        cat.close()
        early.close()
    cat = Catalog(path)
    try:
        with pytest.raises(IndexDamagedError, match="--rebuild"):
            cat.article("3.txt")
    finally:
        cat.close()
