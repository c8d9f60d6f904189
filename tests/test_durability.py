"""The index on disk under crashes, damage, read-only storage, a busy writer, a full disk and
cancellation: one commit point for both stores, durable commits, damage found and repaired,
and errors as one line."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.errors import DiskFullError, IndexDamagedError, IndexLockedError
from newsreader.index.search import fulltext
from newsreader.index.store import stores as stores_module
from newsreader.index.store import sync
from newsreader.index.store.catalog import Catalog
from newsreader.index.store.layout import Layout
from newsreader.index.store.stores import read_manifest

from tests.conftest import SAMPLE, live_build
from tests.test_cli import assert_one_line_error, run

NO_VARIANTS = Path("/nonexistent")


def add_articles(corpus: Path, n: int, start: int = 0, word: str = "zzbanjir") -> None:
    for k in range(start, start + n):
        (corpus / f"extra_{k:04d}.txt").write_text(
            f"Berita {word} nomor {k}\n\nBanjir melanda kawasan {word} nomor {k} dan ribuan "
            "warga mengungsi ke tempat yang lebih aman menurut petugas setempat.\n",
            encoding="utf-8",
        )


def stores_agree(index_dir: Path, word: str = "zzbanjir") -> int:
    """Search and the catalog give the same articles; how many hold `word`."""
    lib = Library.open(SAMPLE, index_dir, variants=NO_VARIANTS)
    try:
        check = lib.check()
        assert check.ok, check.problems
        assert check.articles == check.documents
        total = lib.search(word, limit=1000).total
        assert total == sum(1 for i in Catalog_ids(index_dir) if i.startswith("extra_"))
        return total
    finally:
        lib.close()


def Catalog_ids(index_dir: Path) -> list[str]:
    catalog = Catalog(live_build(index_dir) / "catalog.sqlite", readonly=True)
    try:
        return catalog.ids()
    finally:
        catalog.close()


def latest_toc(text_dir: Path) -> int:
    return max(int(p.name[len("_MAIN_") : -len(".toc")]) for p in text_dir.glob("_MAIN_*.toc"))


# -- one commit point for both stores ------------------------------------------------------------
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from newsreader.index.search import fulltext
    from newsreader.index.store import sync

    sync.COMMIT_EVERY_ARTICLES = 10
    target, when = sys.argv[1], int(sys.argv[2])
    real = getattr(fulltext, target)
    calls = [0]

    def killer(*args, **kwargs):
        calls[0] += 1
        if calls[0] == when:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(fulltext, target, killer)
    from newsreader.tui.cli.main import main

    main(sys.argv[3:])
    """
)


@pytest.mark.parametrize(
    ("target", "when", "committed"),
    [
        # Whoosh has written the second batch's generation; the catalog has not committed it.
        ("make_durable", 2, 10),
        # The catalog has committed the first batch; old files were not cleaned away yet.
        ("clean", 2, 10),
    ],
)
def test_a_kill_between_the_two_stores_commits_leaves_them_agreeing(
    tmp_path: Path, target: str, when: int, committed: int
) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    Library.open(corpus, ix, variants=NO_VARIANTS).update()
    add_articles(corpus, 30)
    env = {**os.environ, "NEWSREADER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLER,
            target,
            str(when),
            "index",
            str(corpus),
            "--index-dir",
            str(ix),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    build = live_build(ix)
    catalog = Catalog(build / "catalog.sqlite", readonly=True)
    generation = read_manifest(catalog).generation  # type: ignore[union-attr]
    catalog.close()
    if target == "make_durable":
        # The full text on disk is ahead of the catalog: a generation nobody committed.
        assert latest_toc(build / "text") == generation + 1
    lib = Library.open(corpus, ix, variants=NO_VARIANTS)
    # Both stores answer as of the same commit: the batch the catalog committed.
    assert lib.count() == 5 + committed
    assert lib.search("zzbanjir", limit=100).total == committed
    check = lib.check()
    assert check.ok and check.documents == check.articles == 5 + committed, check.problems
    # The next run throws the orphaned generation away and finishes the job.
    rep = lib.update()
    assert len(rep.added) == 30 - committed
    assert latest_toc(live_build(ix) / "text") == read_manifest(lib._live.open().catalog).generation  # type: ignore[union-attr]
    assert lib.search("zzbanjir", limit=100).total == 30
    assert lib.check().ok
    lib.close()


def test_an_interruption_just_after_the_commit_keeps_the_commit(
    library: Library, corpus: Path, monkeypatch
) -> None:
    """Ctrl+C landing right after the catalog's commit went through: the cleanup that
    follows must keep the files that commit published."""
    library.update()
    add_articles(corpus, 3)
    real = Catalog.commit

    def commit_then_interrupt(self: Catalog) -> None:
        real(self)
        manifest = read_manifest(self)
        if manifest is not None and manifest.generation >= 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Catalog, "commit", commit_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        library.update()
    monkeypatch.setattr(Catalog, "commit", real)
    assert library.check().ok
    assert library.search("zzbanjir").total == 3
    assert library.update().added == []


def test_a_commit_is_durable_before_it_is_published(library: Library, monkeypatch) -> None:
    """Every file of a generation, and its folder, are fsynced before the catalog commit
    that publishes the generation."""
    events: list[tuple[str, object]] = []
    real_durable = fulltext.make_durable
    real_commit = Catalog.commit
    real_fsync = os.fsync

    def make_durable(folder: Path, files: list[str]) -> None:
        events.append(("durable", frozenset(files)))
        real_durable(folder, files)

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def commit(self: Catalog) -> None:
        manifest = read_manifest(self)
        events.append(("commit", manifest.generation if manifest else None))
        real_commit(self)

    monkeypatch.setattr(fulltext, "make_durable", make_durable)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Catalog, "commit", commit)
    library.update()
    text = live_build(library.index_dir) / "text"
    published = [e for e in events if e[0] == "commit"]
    assert published and published[-1][1] == 1
    last = events.index(published[-1])
    durable = [e for e in events[:last] if e[0] == "durable"][-1][1]
    synced = {Path(str(path)).name for kind, path in events[:last] if kind == "fsync"}
    manifest = read_manifest(library._live.open().catalog)
    assert manifest is not None and set(manifest.files) == durable
    assert durable <= synced and "text" in synced  # the files, then their folder
    assert {p.name for p in text.iterdir()} >= durable


# -- damage -------------------------------------------------------------------------------------
def damage_segment(index_dir: Path, how: str) -> None:
    (seg,) = (live_build(index_dir) / "text").glob("*.seg")
    data = bytearray(seg.read_bytes())
    if how == "truncate":
        seg.write_bytes(data[: len(data) // 3])
    else:
        for i in range(64, len(data), 509):
            data[i] ^= 0xA5
        seg.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncate", "scramble"])
def test_a_damaged_segment_is_named_and_index_repairs_it(tmp_path: Path, how: str) -> None:
    ix = str(tmp_path / "ix")
    run("index", "--index-dir", ix)
    damage_segment(Path(ix), how)
    proc = run("search", "Putin", "--index-dir", ix, "--no-update", check=False)
    assert proc.returncode == 1
    assert_one_line_error(proc, "is damaged (text/")
    assert "newsreader index --rebuild" in proc.stderr
    proc = run("index", "--check", "--index-dir", ix, "--json", check=False)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert not report["ok"] and "text/" in report["problems"][0]
    assert_one_line_error(proc, "damaged")
    proc = run("index", "--index-dir", ix)
    assert "Rebuilding the index: the index is damaged" in proc.stderr
    assert "Rebuilt" in proc.stdout
    assert json.loads(run("search", "Erdogan", "--json", "--index-dir", ix).stdout)["total"] == 2
    report = json.loads(run("index", "--check", "--index-dir", ix, "--json").stdout)
    assert report["ok"] and report["articles"] == report["documents"] == 5


def test_damage_found_while_reading_is_reported_as_damage(library: Library) -> None:
    """Damage the manifest cannot see (the file's time kept) still ends as a damage error
    when Whoosh trips over it, not as an internal error."""
    library.update()
    library.close()
    (seg,) = (live_build(library.index_dir) / "text").glob("*.seg")
    st = seg.stat()
    data = bytearray(seg.read_bytes())
    for i in range(64, len(data), 97):
        data[i] ^= 0xFF
    seg.write_bytes(bytes(data))
    os.utime(seg, ns=(st.st_atime_ns, st.st_mtime_ns))
    with pytest.raises(IndexDamagedError, match=r"checksum.*--rebuild"):
        for word in ("Putin", "Erdogan", "pertahanan", "xi", "strategi", "rusia"):
            library.search(word)
    assert not library.check().ok


def test_a_damaged_catalog_page_is_reported_as_damage_by_overlaps(library: Library) -> None:
    """A page of the catalog's shingle postings overwritten (the rest of the file sound):
    the corpus-wide overlaps, which reads them outside one snapshot, names the damage and
    the repair instead of failing with an internal error."""
    library.update()
    library.close()
    path = live_build(library.index_dir) / "catalog.sqlite"
    db = sqlite3.connect(path)
    (page,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'shingles'").fetchone()
    (size,) = db.execute("PRAGMA page_size").fetchone()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the page as read is the file's
    db.close()
    with path.open("r+b") as fh:
        fh.seek((page - 1) * size)
        fh.write(b"A" * size)
    with pytest.raises(IndexDamagedError, match=r"catalog.*is damaged.*--rebuild"):
        library.overlaps(workers=1)


def test_check_finds_the_stores_disagreeing(library: Library) -> None:
    library.update()
    library.close()
    catalog = Catalog(live_build(library.index_dir) / "catalog.sqlite")
    catalog.delete_article(Catalog_ids(library.index_dir)[0])
    catalog.commit()
    catalog.close()
    check = library.check()
    assert not check.ok
    assert "1 articles are in the full text but not in the catalog" in check.problems[0]


# -- read-only storage, busy writers ----------------------------------------------------------
@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` read-only for this process and its children (a read-only bind mount when
    running as root, whom permissions do not stop; else the permission bits)."""
    if os.geteuid() == 0:
        mounted = subprocess.run(
            f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder}",
            shell=True,
            capture_output=True,
        )
        if mounted.returncode:
            subprocess.run(["umount", str(folder)], capture_output=True)
            pytest.skip("cannot make a read-only mount here")
        try:
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
    else:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def test_a_read_only_index_is_searched_without_writing(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    add_articles(corpus, 2)  # stale: search would update first
    before = tree(ix)
    where = ("--corpus", str(corpus), "--index-dir", str(ix))
    with read_only(ix):
        proc = run("search", "Erdogan", "--json", *where)
        assert json.loads(proc.stdout)["total"] == 2
        proc = run("search", "Erdogan", *where)
        assert "2 results" in proc.stdout
        (line,) = proc.stderr.strip().splitlines()
        assert "read-only" in line and "reading the index as it is" in line
        assert json.loads(run("show", "000", "--json", *where).stdout)["id"].startswith("000")
        assert json.loads(
            run("index", str(corpus), "--check", "--json", "--index-dir", str(ix)).stdout
        )["ok"]
        assert json.loads(run("stats", "--json", *where).stdout)["articles"] == 5
        proc = run("index", str(corpus), "--index-dir", str(ix), check=False)
        assert_one_line_error(proc, "read-only")
    assert tree(ix) == before


async def test_the_app_searches_a_stale_read_only_index_and_says_why_it_is_not_updated(
    make_app, tmp_path: Path
) -> None:
    from tests.conftest import APP_SIZE, wait_for

    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    Library.open(corpus, ix, variants=NO_VARIANTS).update()
    add_articles(corpus, 2)
    before = tree(ix)
    with read_only(ix):
        app = make_app(Library.open(corpus, ix, variants=NO_VARIANTS))
        notices: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: notices.append((kw.get("title"), message))
        async with app.run_test(size=APP_SIZE) as pilot:
            await wait_for(pilot, lambda: notices, what="the notice")
            screen = app.screen
            await wait_for(pilot, lambda: screen.results is not None, what="the results")
            assert not app.indexing
            ((title, message),) = notices
            assert title == "Read-only index" and "searching it as it is" in message
            assert screen.results.total == 5  # the index as it was built
    assert tree(ix) == before


def test_the_lock_lives_inside_the_index_folder(tmp_path: Path) -> None:
    """An index folder that is writable in a parent that is not: nothing is written outside
    the index folder (the lock included)."""
    parent = tmp_path / "parent"
    ix = parent / "ix"
    ix.mkdir(parents=True)
    if os.geteuid() == 0:
        real = tmp_path / "real-ix"
        real.mkdir()
        with read_only(parent):
            subprocess.run(["mount", "--bind", str(real), str(ix)], check=True)
            try:
                run("index", "--index-dir", str(ix))
                found = run("search", "Erdogan", "--json", "--index-dir", str(ix)).stdout
                assert json.loads(found)["total"] == 2
                assert sorted(p.name for p in parent.iterdir()) == ["ix"]
            finally:
                subprocess.run(["umount", "-l", str(ix)], check=True)
        assert sorted(p.name for p in real.iterdir()) == ["build-1", "current", "lock"]
    else:
        parent.chmod(0o555)
        try:
            run("index", "--index-dir", str(ix))
            found = run("search", "Erdogan", "--json", "--index-dir", str(ix)).stdout
            assert json.loads(found)["total"] == 2
        finally:
            parent.chmod(0o755)
        assert sorted(p.name for p in parent.iterdir()) == ["ix"]
        assert (ix / "lock").exists()


def test_search_during_an_update_answers_from_the_last_commit(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    add_articles(corpus, 3)
    where = ("--corpus", str(corpus), "--index-dir", str(ix))
    busy = IndexLockedError("busy")
    with Layout(ix).locked(busy):  # another writer, as far as the commands can tell
        assert Library.open(corpus, ix, variants=NO_VARIANTS).busy()
        proc = run("search", "Erdogan", *where)
        assert "2 results" in proc.stdout
        (line,) = proc.stderr.strip().splitlines()
        assert "being updated by another newsreader process" in line
        assert "reading the index as it is" in line
        assert json.loads(run("search", "zzbanjir", "--json", *where).stdout)["total"] == 0
        proc = run("index", str(corpus), "--index-dir", str(ix), check=False)
        assert_one_line_error(proc, "being updated by another newsreader process")
    assert not Library.open(corpus, ix, variants=NO_VARIANTS).busy()
    assert json.loads(run("search", "zzbanjir", "--json", *where).stdout)["total"] == 3


def test_a_reader_follows_commits_and_rebuilds(library: Library, corpus: Path) -> None:
    """One Library open across another's commits and a rebuild sees each new commit."""
    library.update()
    writer = Library.open(corpus, library.index_dir, variants=NO_VARIANTS)
    assert library.search("zzbanjir").total == 0
    add_articles(corpus, 2)
    writer.update()
    assert library.search("zzbanjir").total == 2
    writer.update(rebuild=True)
    assert library.search("zzbanjir").total == 2
    assert library.count() == 7
    assert [b.name for b in Layout(library.index_dir).builds()] == ["build-2"]


# -- cancelling, resuming --------------------------------------------------------------------
def stop_after(n: int):
    calls = [0]

    def should_stop() -> bool:
        calls[0] += 1
        return calls[0] > n

    return should_stop


def test_a_cancelled_first_build_keeps_its_work_and_resumes(corpus: Path, tmp_path: Path) -> None:
    add_articles(corpus, 40)
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS)
    rep = lib.update(should_stop=stop_after(10))
    assert rep.interrupted and len(rep.added) == 10
    assert lib.count() == 10
    pending = lib.pending()
    assert pending.rebuild_reason is None  # not "made by another version"
    assert pending.new == 35
    rep = lib.update()
    assert len(rep.added) == 35 and not rep.rebuilt
    assert lib.count() == 45


def test_an_interrupted_rebuild_is_resumed(library: Library, corpus: Path) -> None:
    add_articles(corpus, 20)
    library.update()
    rep = library.update(rebuild=True, should_stop=stop_after(8))
    assert rep.interrupted and not rep.rebuilt
    assert library.count() == 25  # the live index, as it was
    (staging,) = Layout(library.index_dir).incomplete()
    rep = library.update(rebuild=True)
    assert rep.rebuilt and len(rep.added) == 25 - 8
    assert live_build(library.index_dir) == staging
    assert library.count() == 25 and library.check().ok
    assert Layout(library.index_dir).builds() == [staging]


async def test_stopping_indexing_in_the_app_keeps_what_was_indexed(
    make_app, tmp_path, monkeypatch
) -> None:
    import time

    from newsreader.tui.screens.main import MainScreen

    from tests.conftest import APP_SIZE, wait_for

    corpus = tmp_path / "c"
    corpus.mkdir()
    add_articles(corpus, 60)
    real = sync.stream_drafts

    def slow(*args, **kwargs):
        time.sleep(0.02)
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "stream_drafts", slow)
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS)
    app = make_app(lib)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(pilot, lambda: app.indexing, what="indexing")
        await wait_for(pilot, lambda: app._progress[0] > app._progress[1] // 4 > 0, what="progress")
        app.action_stop_indexing()
        await wait_for(pilot, lambda: not app.indexing, what="the update to stop")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_for(pilot, lambda: screen.results is not None, what="the results")
        screen.run_search("", delay=0.0)
        await wait_for(pilot, lambda: not any(w.is_running for w in app.workers), what="idle")
        kept = screen.results.total
    assert 0 < kept < 60
    monkeypatch.setattr(sync, "stream_drafts", real)
    # Opened again: the work left is what is new, for its true reason.
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS)
    pending = lib.pending()
    assert pending.rebuild_reason is None and pending.new == 60 - kept
    app = make_app(lib)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, MainScreen)
                and app.screen.results is not None
                and app.screen.results.total == 60
            ),
            what="every article",
        )


async def test_the_app_says_when_another_process_is_indexing(make_app, tmp_path) -> None:
    from newsreader.tui.screens.main import MainScreen

    from tests.conftest import APP_SIZE, wait_for

    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS)
    lib.update()
    add_articles(corpus, 3)
    app = make_app(lib)
    with Layout(lib.index_dir).locked(IndexLockedError("busy")):
        async with app.run_test(size=APP_SIZE) as pilot:
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
                what="the main screen",
            )
            await wait_for(pilot, lambda: bool(app._notifications), what="a notice")
            notes = [n.message for n in app._notifications]
            assert any("Another newsreader process is updating this index" in n for n in notes)
            assert app.screen.results.total == 5


# -- a full disk ----------------------------------------------------------------------------------
def test_a_full_disk_is_one_line_and_loses_nothing(
    library: Library, corpus: Path, monkeypatch
) -> None:
    library.update()
    before = library.stats().updated
    add_articles(corpus, 5)
    real = fulltext.manifest

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fulltext, "manifest", full)
    with pytest.raises(DiskFullError) as caught:
        library.update()
    message = str(caught.value)
    assert message.startswith("no space left on ")
    assert message.endswith(f"the index is unchanged since {before}")
    monkeypatch.setattr(fulltext, "manifest", real)
    assert library.count() == 5 and library.check().ok
    assert library.search("zzbanjir").total == 0
    assert len(library.update().added) == 5


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_real_full_disk(small_disk: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = small_disk / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    before = json.loads(
        run("stats", "--json", "--corpus", str(corpus), "--index-dir", str(ix)).stdout
    )
    add_articles(corpus, 400)
    proc = run("index", str(corpus), "--index-dir", str(ix), check=False)
    assert_one_line_error(proc, "no space left on tmpfs (mounted on ")
    # Batches committed before the disk filled up are kept; the time is the last commit's.
    where = ("--corpus", str(corpus), "--index-dir", str(ix))
    after = json.loads(run("stats", "--json", "--no-update", *where).stdout)
    assert after["updated"] >= before["updated"] and after["articles"] < 405
    assert proc.stderr.strip().endswith(f"the index is unchanged since {after['updated']}")
    found = run("search", "Erdogan", "--json", "--no-update", *where).stdout
    assert json.loads(found)["total"] == 2
    assert json.loads(run("index", str(corpus), "--check", "--json", *where[2:]).stdout)["ok"]
    # A search that would update first still answers, from the last commit, with a note.
    proc = run("search", "Erdogan", *where)
    assert "2 results" in proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("newsreader: no space left on tmpfs")
    assert "reading the index as it is" in line


# -- an older newsreader's index ----------------------------------------------------------------
def test_an_index_of_the_old_layout_is_rebuilt_and_removed(library: Library) -> None:
    folder = library.index_dir
    folder.mkdir(parents=True)
    (folder / "catalog.sqlite").write_bytes(b"old")
    (folder / "text").mkdir()
    (folder / "text" / "_MAIN_3.toc").write_bytes(b"old")
    assert not library.exists()
    assert library.pending().rebuild_reason == "the index was made by another version of newsreader"
    with pytest.raises(IndexDamagedError, match="another version"):
        library.search("Putin")
    rep = library.update()
    assert (
        rep.rebuilt and rep.rebuild_reason == "the index was made by another version of newsreader"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["build-1", "current", "lock"]
    assert library.search("Erdogan").total == 2


def test_stores_module_keeps_orphans_away_from_readers(library: Library) -> None:
    """A reader opens the generation the catalog records even when a later TOC lies in the
    folder (a writer between its two commits)."""
    library.update()
    build = live_build(library.index_dir)
    text = build / "text"
    gen = latest_toc(text)
    shutil.copy(text / f"_MAIN_{gen}.toc", text / f"_MAIN_{gen + 1}.toc")
    (text / f"_MAIN_{gen + 1}.toc").write_bytes(b"half written")
    library.close()
    assert library.search("Erdogan").total == 2
    assert stores_module.check_damage(build) is None


def test_a_build_left_behind_by_a_cut_off_swap_is_removed(library: Library) -> None:
    library.update()
    retired = library.index_dir / "build-0"
    shutil.copytree(live_build(library.index_dir), retired)  # replaced, not yet deleted
    library.update()
    assert not retired.exists()
    assert library.search("Erdogan").total == 2


@pytest.mark.parametrize("workers", [False, True])
def test_the_first_batches_are_small(
    corpus: Path, tmp_path: Path, monkeypatch, workers: bool
) -> None:
    """A crash 120 files into a first build keeps the first 100: early batches are small,
    so what a run has done soon shows to readers and survives. With worker processes, the
    crash comes while the second batch is read ahead of the first one's commit."""
    if workers:
        from newsreader.index.store import prepare

        monkeypatch.setattr(sync, "START_WORKERS_BYTES", 0)
        monkeypatch.setattr(prepare, "WORKERS", 2)
        monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
        monkeypatch.setattr(prepare, "MIN_RUN", 4)
    add_articles(corpus, 150)
    real = sync.stream_drafts
    calls = [0]

    def crash_after_120(*args, **kwargs):
        calls[0] += 1
        if calls[0] > 120:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "stream_drafts", crash_after_120)
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS)
    with pytest.raises(KeyboardInterrupt):
        lib.update()
    assert lib.count() == 100 and lib.check().ok


def test_batches_grow_fourfold_then_with_the_archive_unless_sent_whole(monkeypatch) -> None:
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 5000)

    def sizes(whole: bool, upto: int) -> list[int]:
        size, committed, out = sync.FIRST_BATCH, 0, []
        while committed < upto:
            out.append(size)
            committed += size
            size = sync.next_batch_size(size, committed, whole=whole)
        return out

    whoosh, tantivy = sizes(True, 100_000), sizes(False, 100_000)
    assert whoosh[:4] == [100, 400, 1600, 5000] == tantivy[:4]
    assert set(whoosh[3:]) == {5000}  # a batch's size bounds a Whoosh build's memory
    # A tantivy batch grows to half the archive: the commits (each rewriting the shingle
    # table) grow in number with the archive's logarithm.
    pairs = zip(_sums(tantivy)[:-1], tantivy[1:], strict=True)
    assert all(b <= max(5000, a * sync.BATCH_GROWTH) for a, b in pairs)
    assert len(tantivy) < 15 < len(whoosh)
    assert len(sizes(False, 1_000_000)) < len(tantivy) + 7


def _sums(sizes: list[int]) -> list[int]:
    total, out = 0, []
    for s in sizes:
        total += s
        out.append(total)
    return out


# -- the spelling dictionary: part of each build, derived, made again -------------------------
def test_the_spelling_dictionary_is_part_of_each_build(library: Library, corpus: Path) -> None:
    library.update()
    build = live_build(library.index_dir)
    assert (build / "spelling.sqlite").exists()
    add_articles(corpus, 2, word="zzbanjirbesar")
    library.update()  # new words go in incrementally
    res = library.search("zzbanjirbesr")
    assert (res.suggestion, res.suggestion_hits) == ("zzbanjirbesar", 2)
    library.update(rebuild=True)
    rebuilt = live_build(library.index_dir)
    assert rebuilt != build and (rebuilt / "spelling.sqlite").exists()
    assert library.search("zzbanjirbesr").suggestion == "zzbanjirbesar"
    assert library.check().ok


def test_words_of_an_update_cut_off_are_caught_up(library: Library, corpus: Path) -> None:
    library.update()
    add_articles(corpus, 10, word="zzalphaword")
    add_articles(corpus, 10, start=10, word="zzbetaword")
    rep = library.update(should_stop=stop_after(10))
    assert rep.interrupted and library.search("zzalphaword").total == 10
    assert library.search("zzalphawrd").suggestion is None  # not in the dictionary yet
    library.update()
    assert library.search("zzalphawrd").suggestion == "zzalphaword"
    assert library.search("zzbetawrd").suggestion == "zzbetaword"


def test_a_damaged_spelling_dictionary_costs_suggestions_only(library: Library) -> None:
    library.update()
    library.close()
    (live_build(library.index_dir) / "spelling.sqlite").write_bytes(b"not a database" * 100)
    res = library.search("Erdgan")
    assert res.total == 0 and res.suggestion is None
    assert library.search("Erdogan").total == 2
    check = library.check()
    assert not check.ok and check.problems[0].startswith("spelling dictionary: ")
    library.update()  # nothing to read: the dictionary is made again all the same
    assert library.check().ok
    assert library.search("Erdgan").suggestion == "Erdogan"
