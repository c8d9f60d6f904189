"""Related articles and corpus overlaps, answered from the shingle postings."""

from pathlib import Path

import newsreader.index.reuse.align as align_module
import newsreader.index.reuse.parallel as parallel_module
from newsreader.index import Library
from newsreader.index.store.overlaps_cache import CACHE_FILE

from tests.conftest import live_build, sample_id


def related_ids(lib: Library, ref: str) -> list[str]:
    return [r.id[:3] for r in lib.related(sample_id(ref))[1]]


def test_related_ranked_by_coverage(sample_library: Library) -> None:
    assert related_ids(sample_library, "000") == ["001", "002"]
    assert related_ids(sample_library, "001") == ["000", "002"]
    assert sorted(related_ids(sample_library, "002")) == ["000", "001"]
    _, found = sample_library.related(sample_id("000"))
    coverages = [r.alignment.coverage_a for r in found]
    assert coverages == sorted(coverages, reverse=True)


def test_unrelated_articles_have_no_related(sample_library: Library) -> None:
    assert related_ids(sample_library, "003") == []
    assert related_ids(sample_library, "004") == []


def test_overlaps_lists_each_sharing_pair_once(sample_library: Library) -> None:
    pairs = {(o.a[:3], o.b[:3]) for o in sample_library.overlaps()}
    assert pairs == {("000", "001"), ("000", "002"), ("001", "002")}
    strong = sample_library.overlaps(min_coverage=0.5)
    assert [(o.a[:3], o.b[:3]) for o in strong] == [("000", "001")]


def test_related_never_aligns_every_pair(sample_library: Library, monkeypatch) -> None:
    calls: list[int] = []
    depth = [0]
    original = align_module.align

    def counting(*args, **kwargs):
        # One alignment per pair: align() calls itself once with the sides swapped.
        if not depth[0]:
            calls.append(1)
        depth[0] += 1
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1

    monkeypatch.setattr(align_module, "align", counting)
    sample_library.related(sample_id("003"))
    assert calls == []  # 003 shares no 3-gram run with anyone: nothing to align
    sample_library.related(sample_id("000"))
    assert len(calls) == 2  # only the two articles sharing 3-grams with 000 are aligned


def test_related_follows_incremental_updates(library: Library, corpus: Path) -> None:
    library.update()
    source = library.article(sample_id("003")).text
    quote = source[source.index("Rekaman yang dirilis") :].split("\n")[0]
    (corpus / "copy.txt").write_text(
        "Berita Ekonomi Hari Ini Dari Jakarta\n"
        "Harga emas naik tajam di pasar Jakarta pada perdagangan pagi.\n" + quote + "\n"
        "Para analis memperkirakan harga akan stabil pekan depan.\n",
        encoding="utf-8",
    )
    library.update()
    assert [r.id for r in library.related(sample_id("003"))[1]] == ["copy.txt"]
    (corpus / "copy.txt").unlink()
    library.update()
    assert library.related(sample_id("003"))[1] == []


def test_compare_refuses_bad_pairs(library: Library, corpus: Path) -> None:
    import pytest
    from newsreader.index.errors import AlignmentError, ArticleNotFoundError

    (corpus / "noise.txt").write_text(
        "loading...\nFoto/AP\nBaca juga: Putin di Beijing\n", encoding="utf-8"
    )
    library.update()
    with pytest.raises(AlignmentError, match="no text to compare"):
        library.compare("noise.txt", sample_id("000"))
    with pytest.raises(AlignmentError, match="same article"):
        library.compare(sample_id("000"), sample_id("000")[:3])
    with pytest.raises(ArticleNotFoundError):
        library.compare("missing", sample_id("000"))


def test_overlaps_in_worker_processes_match_serial(sample_library: Library, monkeypatch) -> None:
    serial = sample_library.overlaps(workers=1)
    # Aligned again, not read from the pairs kept by the run before.
    (live_build(sample_library.index_dir) / CACHE_FILE).unlink()
    monkeypatch.setattr(parallel_module, "PARALLEL_PAIRS", 0)
    monkeypatch.setattr(parallel_module, "PAIRS_PER_TASK", 1)
    parallel = sample_library.overlaps(workers=2)
    assert [(o.a, o.b, o.alignment) for o in parallel] == [(o.a, o.b, o.alignment) for o in serial]


def test_overlaps_again_on_an_unchanged_index_align_nothing(tmp_path: Path, monkeypatch) -> None:
    # Every run aligned every candidate pair again (98 to 190 s at 10,000 articles), even
    # to list fewer of them (--min-coverage 0.99), and the pairs drifted from run to run.
    import shutil

    from tests.conftest import SAMPLE

    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/none"))
    lib.update()
    first = lib.overlaps(workers=1)
    assert first
    aligned = []
    real = align_module.align
    monkeypatch.setattr(align_module, "align", lambda *a, **k: aligned.append(1) or real(*a, **k))
    again = Library.open(corpus, tmp_path / "ix", variants=Path("/none"))
    assert again.overlaps(workers=1) == first and not aligned
    strong = again.overlaps(min_coverage=0.5, workers=1)
    shared = [max(o.alignment.coverage_a, o.alignment.coverage_b) for o in first]
    assert strong == [o for o, c in zip(first, shared, strict=True) if c >= 0.5]
    assert not aligned
    # A newer newsreader whose rules align otherwise aligns again.
    monkeypatch.setattr(align_module, "RULES", align_module.RULES + 1)
    assert again.overlaps(workers=1) == first and aligned
    aligned.clear()
    # An article added: the index changed, every pair is looked for again.
    (corpus / "salinan.txt").write_text(
        (SAMPLE / sorted(p.name for p in SAMPLE.iterdir() if p.suffix == ".txt")[0]).read_text(
            encoding="utf-8"
        ),
        encoding="utf-8",
    )
    again.update()
    grown = again.overlaps(workers=1)
    assert aligned and len(grown) > len(first)
    assert any("salinan.txt" in (o.a, o.b) for o in grown)
