"""How the catalog stores an article: compressed, and read back exactly as it was put."""

from __future__ import annotations

from pathlib import Path

from newsreader.index.model import Article, Kind, Metadata, Paragraph
from newsreader.index.store.catalog import Catalog


def _article(text: str) -> Article:
    meta = Metadata(title="Judul", outlet="Kompas", date="2024-07-03", language="id")
    paragraphs = (Paragraph(0, 0, len(text), Kind.TEXT, False, None),)
    return Article("a.txt", "a.txt", text, meta, paragraphs, "h1")


def test_article_and_shingles_read_back_as_put(tmp_path: Path) -> None:
    text = 'Harga emas naik \u00e9\u00e8 \u4e2d\u6587 lagi.\n\nParagraf kedua {"x": 1}'
    # Positions that go back (word pairs follow the 3-grams) and hashes of either sign.
    shingles = [(2**62 + 5, 0), (-(2**63), 1), (7, 4), (7, 0), (-1, 3)]
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article(text), shingles)
        cat.commit()
        doc = cat.doc_of("a.txt")
        assert doc is not None
        got = cat.article("a.txt")
        assert got == _article(text)
        assert cat.article_by_doc(doc) == got
        hashes, positions = cat.shingles_of(doc)
        assert list(zip(hashes, positions, strict=True)) == shingles
        assert sorted(cat.postings([7])) == [(7, doc, 0), (7, doc, 4)]
        cat.delete_article("a.txt")
        cat.commit()
        assert cat.article("a.txt") is None and list(cat.postings([7])) == []
    finally:
        cat.close()


def test_an_article_without_shingles(tmp_path: Path) -> None:
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article(""), [])
        doc = cat.doc_of("a.txt")
        assert doc is not None
        hashes, positions = cat.shingles_of(doc)
        assert list(hashes) == [] and list(positions) == []
        assert cat.article("a.txt") == _article("")
    finally:
        cat.close()


def test_shingle_positions_take_little_room(tmp_path: Path) -> None:
    shingles = [(h * 7919, h) for h in range(1000)]
    cat = Catalog(tmp_path / "c.sqlite")
    try:
        cat.put_article(_article("x"), shingles)
        (size,) = cat.db.execute("SELECT length(shingles) FROM articles").fetchone()
        assert size < 1000 * 9  # the hashes' 8 bytes each, the positions next to nothing
        doc = cat.doc_of("a.txt")
        assert doc is not None
        assert list(zip(*cat.shingles_of(doc), strict=True)) == shingles
    finally:
        cat.close()
