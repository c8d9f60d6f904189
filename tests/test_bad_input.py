"""Every bad input: a clear one-line reason, nothing lost, everything else still indexed."""

from pathlib import Path

import pytest
from newsreader.index import Library, Limits
from newsreader.index.errors import CorpusError


def build(corpus: Path, tmp_path: Path, limits: Limits | None = None) -> Library:
    return Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"), limits=limits)


def reasons(lib: Library, **kwargs) -> dict[str, str]:
    return {s.path: s.reason for s in lib.update(**kwargs).skipped}


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        Library.open(tmp_path / "nope", tmp_path / "ix")


def test_corpus_is_a_file(tmp_path: Path) -> None:
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a folder"):
        Library.open(f, tmp_path / "ix")


def test_empty_corpus_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    lib = build(tmp_path / "empty", tmp_path)
    with pytest.raises(CorpusError, match="corpus folder is empty"):
        lib.update()
    assert not lib.exists()


def test_folder_without_articles(tmp_path: Path) -> None:
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "a.png").write_bytes(b"\x89PNG")
    with pytest.raises(CorpusError, match="none of its 1 files is a supported type"):
        build(folder, tmp_path).update()


def test_bad_files_are_skipped_with_reasons(corpus: Path, tmp_path: Path, monkeypatch) -> None:
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("  \n\n\t\n", encoding="utf-8")
    (corpus / "big.txt").write_text("kata " * 5000, encoding="utf-8")
    (corpus / "latin1.txt").write_bytes(
        "Menteri Keuangan menyampaikan pidato tentang ekonomi dan anggaran negara. "
        "Café résumé à Paris était très agréable pour les délégués étrangers.".encode("cp1252")
    )
    (corpus / "secret.txt").write_text("rahasia", encoding="utf-8")
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus / ".hidden.txt").write_text("tersembunyi", encoding="utf-8")

    import newsreader.index.ingest.decoding as textio

    real_open = Path.open

    def guarded_open(self: Path, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(textio.Path, "open", guarded_open)
    lib = build(corpus, tmp_path, Limits(max_text_bytes=20_000))
    got = reasons(lib)
    assert got["binary.txt"] == "binary file, not text"
    assert got["empty.txt"] == "empty file"
    assert got["blank.md"] == "empty file"
    assert got["big.txt"].startswith("too large")
    assert got["secret.txt"] == "unreadable: permission denied"
    assert got["notes.pdf"] == "unsupported file type (.pdf)"
    assert ".hidden.txt" not in got
    assert "latin1.txt" not in got
    # Everything else went in, including the file in another encoding.
    assert lib.search("Erdogan").total == 2
    hit = lib.search("délégués").hits[0]
    assert hit.id == "latin1.txt"
    assert "Café résumé" in lib.article("latin1.txt").text
    assert all("\n" not in reason for reason in got.values())


def test_utf8_with_a_stray_byte_keeps_its_text(corpus: Path, tmp_path: Path) -> None:
    # One byte a scraper cut from a character must not cost the article, nor turn every
    # accented letter and curly quote of it into another encoding's guess.
    text = (
        "Nestlé umumkan “kerja sama” baru\n\nPresiden direktur Nestlé mengatakan kerja sama "
        "dengan petani kopi akan diperluas tahun depan, menurut keterangan perusahaan."
    )
    data = text.encode("utf-8")
    cut = data.index(b"baru")
    (corpus / "stray.txt").write_bytes(data[:cut] + b"\xe2\x80" + data[cut:])
    lib = build(corpus, tmp_path)
    assert "stray.txt" not in reasons(lib)
    kept = lib.article("stray.txt").text
    assert "Nestlé umumkan “kerja sama” \ufffdbaru" in kept
    assert lib.search("Nestlé").hits[0].id == "stray.txt"


def test_skipped_files_are_reported_again_without_rereading(corpus: Path, tmp_path: Path) -> None:
    (corpus / "binary.txt").write_bytes(b"\x00" * 64)
    lib = build(corpus, tmp_path)
    assert "binary.txt" in reasons(lib)
    rep = lib.update()
    assert [s.path for s in rep.skipped] == ["binary.txt"]
    assert rep.unchanged == 5


def test_file_becoming_bad_drops_its_article(corpus: Path, tmp_path: Path) -> None:
    lib = build(corpus, tmp_path)
    lib.update()
    target = next(corpus.glob("000_*.txt"))
    target.write_bytes(b"")
    st = target.stat()
    import os

    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 10**10))
    rep = lib.update()
    assert rep.removed == [target.name]
    assert lib.search("Lukashenko").total == 1  # only 002 now


def test_the_packed_listing_gives_back_each_file_as_it_was_listed() -> None:
    from newsreader.index.ingest.corpus import SourceFile, Sources

    files = [
        SourceFile("a.txt", 0, 1),
        SourceFile("berita/ünïcödé – 北京.md", 12_345, 1_796_492_594_164_267_559),
        SourceFile("", 7, -3),
        SourceFile("z/y.jsonl", 2**40, 0),
    ]
    packed = Sources(files)
    assert len(packed) == 4
    assert list(packed) == files
    assert [packed[k] for k in range(-4, 4)] == files + files
    assert list(packed[1:3]) == files[1:3]
    assert packed.total_size() == 1 + 12_345 + 7 + 2**40  # an empty file counts as one
    with pytest.raises(IndexError):
        packed[4]
    with pytest.raises(IndexError):
        packed[-5]


def test_the_corpus_listing_matches_a_path_by_path_walk(tmp_path: Path) -> None:
    # The listing runs on strings for speed; it must say what a Path per file would.
    from newsreader.index.ingest.corpus import list_sources
    from newsreader.index.ingest.readers import SUFFIXES

    root = tmp_path / "c"
    names = [
        "a.txt", "B.TXT", "notes.pdf", "noext", "dots.", ".hidden.txt", "x.tar.gz",
        "sub/c.md", "sub/deeper/d.jsonl", "sub/.hid/e.txt", ".git/f.txt", "z/y.HTML",
        "newsreader.toml", "sub/newsreader.toml",
    ]  # fmt: skip
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("isi", encoding="utf-8")
    expected = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        if rel.as_posix() != "newsreader.toml" and path.suffix.lower() in SUFFIXES:
            expected.append(rel.as_posix())
    sources, skipped = list_sources(root)
    assert sorted(s.path for s in sources) == expected
    assert all(s.size == 3 for s in sources)
    got = {s.path: s.reason for s in skipped}
    assert got["notes.pdf"] == "unsupported file type (.pdf)"
    assert got["noext"] == got["dots."] == "unsupported file type (no suffix)"
    assert got["x.tar.gz"] == "unsupported file type (.gz)"
    assert got["sub/newsreader.toml"] == "unsupported file type (.toml)"


def test_an_article_named_by_nothing_or_by_a_file_of_records(tmp_path: Path) -> None:
    from newsreader.index.errors import ArticleNotFoundError

    from tests.conftest import url_corpus

    corpus = url_corpus(tmp_path / "corpus")
    lib = build(corpus, tmp_path)
    lib.update()
    with pytest.raises(ArticleNotFoundError, match=r"^no article named: give its id"):
        lib.article("  ")
    # The file's path, absolute or as in the corpus, names its records alike.
    for ref in ("berita.jsonl", str(corpus / "berita.jsonl")):
        with pytest.raises(ArticleNotFoundError, match=r"matches 3 articles: berita\.jsonl#r0"):
            lib.article(ref)
    assert lib.article(str(corpus / "berita.jsonl") + "#r1").meta.title == "Harga beras stabil"
