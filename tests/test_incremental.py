import json
import os
import time
from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.errors import IndexDamagedError, IndexLockedError
from newsreader.index.search import spelling
from newsreader.index.store import sync as library_module
from newsreader.index.store.catalog import Catalog

from tests.conftest import live_build, sample_id


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))


def test_first_run_adds_everything_second_run_reads_nothing(library: Library, monkeypatch) -> None:
    first = library.update()
    assert len(first.added) == 5 and not first.updated and not first.removed
    reads: list[str] = []
    original = library_module.stream_drafts

    def spy(root, source, *args, **kwargs):
        reads.append(source.path)
        return original(root, source, *args, **kwargs)

    monkeypatch.setattr(library_module, "stream_drafts", spy)
    second = library.update()
    assert second.unchanged == 5 and not second.added and not second.updated
    assert reads == []


def test_add_change_delete(library: Library, corpus: Path) -> None:
    library.update()
    (corpus / "sub").mkdir()
    (corpus / "sub" / "new.txt").write_text(
        "Judul Berita Baru Tentang Gempa\nGempa mengguncang kota Padang pada pagi hari.\n",
        encoding="utf-8",
    )
    changed = corpus / sample_id("003")
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\nParagraf tambahan soal Kamboja.\n",
        encoding="utf-8",
    )
    touch_later(changed)
    (corpus / sample_id("004")).unlink()
    rep = library.update()
    assert rep.added == ["sub/new.txt"]
    assert rep.updated == [sample_id("003")]
    assert rep.removed == [sample_id("004")]
    assert rep.unchanged == 3
    assert [h.id for h in library.search("Padang").hits] == ["sub/new.txt"]
    assert [h.id for h in library.search("Kamboja").hits] == [sample_id("003")]
    assert library.search("Lavrov").total == 0  # only 004 mentioned him


def test_touched_but_unchanged_is_not_reanalysed(
    library: Library, corpus: Path, monkeypatch
) -> None:
    library.update()
    touch_later(corpus / sample_id("000"))
    calls: list[str] = []
    original = library_module.stream_drafts
    monkeypatch.setattr(
        library_module,
        "stream_drafts",
        lambda root, src, *a, **k: calls.append(src.path) or original(root, src, *a, **k),
    )
    rep = library.update()
    assert rep.unchanged == 5 and calls == []
    assert not library.pending().stale


def test_pending_reports_staleness(library: Library, corpus: Path) -> None:
    assert library.pending().stale
    library.update()
    assert not library.pending().stale
    (corpus / "x.txt").write_text(
        "Sebuah artikel baru tentang banjir di Jakarta.\n", encoding="utf-8"
    )
    assert library.pending().new == 1


def test_rebuild_starts_from_scratch(library: Library) -> None:
    library.update()
    rep = library.update(rebuild=True)
    assert rep.rebuilt and len(rep.added) == 5
    assert library.search("Erdogan").total == 2


def test_corpus_folder_is_never_written(library: Library, corpus: Path) -> None:
    before = tree(corpus)
    library.update()
    library.search("Putin")
    library.update(rebuild=True)
    assert tree(corpus) == before


def test_stopped_update_keeps_what_it_did(library: Library, corpus: Path) -> None:
    library.update()
    for k in range(3):
        (corpus / f"extra{k}.txt").write_text(
            f"Berita tambahan nomor {k} tentang pemilu di Jawa Barat.\n", encoding="utf-8"
        )
    seen: list[int] = []

    def stop() -> bool:
        seen.append(1)
        return len(seen) > 1  # let one file through, then stop

    rep = library.update(should_stop=stop)
    assert rep.interrupted and rep.added == ["extra0.txt"]
    library.close()
    # The file done before the stop was committed with the rest of the index...
    assert library.search("Erdogan").total == 2
    assert library.search("pemilu").total == 1
    # ...and the next run goes on from there.
    rep = library.update()
    assert sorted(rep.added) == ["extra1.txt", "extra2.txt"]
    assert library.search("pemilu").total == 3


def test_crash_during_update_keeps_last_commit(library: Library, corpus: Path, monkeypatch) -> None:
    library.update()
    (corpus / "crash.txt").write_text(
        "Artikel tentang gunung Merapi yang meletus.\n", encoding="utf-8"
    )
    (corpus / "crash2.txt").write_text("Artikel kedua tentang Merapi.\n", encoding="utf-8")
    original = library_module.stream_drafts
    count = {"n": 0}

    def explode(root, src, *args, **kwargs):
        count["n"] += 1
        if count["n"] == 2:
            raise KeyboardInterrupt
        return original(root, src, *args, **kwargs)

    monkeypatch.setattr(library_module, "stream_drafts", explode)
    with pytest.raises(KeyboardInterrupt):
        library.update()
    monkeypatch.setattr(library_module, "stream_drafts", original)
    library.close()
    assert library.search("Merapi").total == 0
    assert library.search("Erdogan").total == 2
    assert len(library.update().added) == 2


def test_interrupted_rebuild_keeps_old_index(library: Library) -> None:
    library.update()
    rep = library.update(rebuild=True, should_stop=lambda: True)
    assert rep.interrupted
    assert library.search("Erdogan").total == 2
    assert not library.index_dir.with_name(library.index_dir.name + ".rebuild").exists()


def test_second_writer_is_refused(library: Library, corpus: Path, tmp_path: Path) -> None:
    library.update()
    other = Library.open(corpus, library.index_dir, variants=Path("/nonexistent"))
    (corpus / "late.txt").write_text("Artikel yang datang terlambat.\n", encoding="utf-8")

    def try_other(done: int, total: int, path: str) -> None:
        with pytest.raises(IndexLockedError, match="another newsreader process"):
            other.update()

    library.update(progress=try_other)


def test_damaged_index_is_reported_and_rebuild_recovers(library: Library) -> None:
    library.update()
    library.close()
    text_dir = live_build(library.index_dir) / "text"
    for toc in text_dir.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(IndexDamagedError, match="--rebuild"):
        library.search("Putin")
    library.close()
    rep = library.update(rebuild=True)
    assert rep.rebuilt
    assert library.search("Erdogan").total == 2


def test_damaged_catalog_is_reported(library: Library) -> None:
    library.update()
    library.close()
    build = live_build(library.index_dir)
    for f in build.glob("catalog.sqlite*"):
        f.unlink()
    (build / "catalog.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexDamagedError, match="damaged"):
        library.search("Putin")
    library.close()
    assert library.update(rebuild=True).rebuilt


def test_variant_change_triggers_rebuild(corpus: Path, tmp_path: Path) -> None:
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()
    extra = tmp_path / "variants.toml"
    extra.write_text('[variants]\nputin = ["vladimir putin"]\n', encoding="utf-8")
    lib2 = Library.open(corpus, tmp_path / "ix", variants=extra)
    assert lib2.pending().rebuild_reason
    assert lib2.update().rebuilt


def test_articles_prepared_in_worker_processes_index_the_same(
    corpus: Path, tmp_path: Path, monkeypatch
) -> None:
    """Parsing and analysis move to worker processes for large batches; the index they give
    is the one this process would have built."""
    from newsreader.index.store import prepare

    for k in range(12):
        (corpus / f"extra{k:02d}.txt").write_text(
            f"Berita tambahan nomor {k}\n\nWarga Bekasi membersihkan rumah setelah banjir "
            f"surut pada hari ke-{k}, kata petugas.\n",
            encoding="utf-8",
        )
    serial = Library.open(corpus, tmp_path / "serial", variants=Path("/nonexistent"))
    serial.update()
    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "CHUNK", 3)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 4)  # both workers fill a segment

    parent, real = os.getpid(), prepare.prepare

    def only_in_workers(*args, **kwargs):
        assert os.getpid() != parent, "prepared in this process, not in a worker"
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "prepare", only_in_workers)
    parallel = Library.open(corpus, tmp_path / "parallel", variants=Path("/nonexistent"))
    report = parallel.update()
    assert len(report.added) == 17
    for query in ("banjir", "Erdogan", '"kerja sama"', "putin xi"):
        assert [h.id for h in parallel.search(query, limit=50).hits] == [
            h.id for h in serial.search(query, limit=50).hits
        ]
    for article_id in ("extra03.txt", sample_id("001")):
        assert parallel.article(article_id) == serial.article(article_id)
    assert [r.id for r in parallel.related(sample_id("000"))[1]] == [
        r.id for r in serial.related(sample_id("000"))[1]
    ]


def test_a_workers_run_comes_back_pickled_chunk_by_chunk(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's results come back pickled (a fraction of the room the objects take), one
    chunk a message, and are the articles this process would have prepared. A run the parent
    takes after another worker's waits in a file, each message the length of a pickle."""
    import pickle
    import queue
    import threading

    from newsreader.index.ingest.corpus import list_sources, read_drafts
    from newsreader.index.store import prepare
    from newsreader.index.text import analysis
    from newsreader.index.text.analysis import Analyzer

    monkeypatch.setattr(prepare, "CHUNK", 2)
    monkeypatch.setattr(prepare, "start_worker", lambda: None)  # no parent to watch here
    monkeypatch.setattr(analysis, "_NEW_STEMS", None)  # restored after the worker's tracking
    drafts = [d for src in list_sources(corpus)[0] for d in read_drafts(corpus, src)[0]]
    assert len(drafts) == 5

    class Results(queue.Queue):  # what _serve asks of a multiprocessing queue
        def cancel_join_thread(self) -> None:
            pass

    tasks: queue.Queue = queue.Queue()
    results: queue.Queue = Results()
    spill = tmp_path / "spilled"
    for k in (1, 2):  # each run is handed over in a file, which the worker removes
        with (tmp_path / f"run-{k}").open("wb") as fh:
            pickle.dump(drafts, fh)
    tasks.put(("prepare_run", (tmp_path / "run-1", None)))
    tasks.put(("prepare_run", (tmp_path / "run-2", spill)))  # a later worker's run waits in a file
    tasks.put(None)
    prepare._serve(tasks, results, threading.Event(), Analyzer(), Path("/nonexistent"), False, None)
    expected = [prepare.prepare(d, Analyzer()) for d in drafts]
    messages = []
    while (got := results.get_nowait()) != (True, None):
        ok, value = got
        assert ok and isinstance(value, bytes)
        messages.append(pickle.loads(value))
    assert [len(prepared) for prepared, _ in messages] == [2, 2, 1]
    assert [p for prepared, _ in messages for p in prepared] == expected
    lengths = []
    while (got := results.get_nowait()) != (True, None):
        ok, value = got
        assert ok and isinstance(value, int)
        lengths.append(value)
    assert len(lengths) == 3 and spill.stat().st_size == sum(lengths)
    with spill.open("rb") as fh:
        spilled = [pickle.loads(fh.read(n)) for n in lengths]
    assert [p for prepared, _ in spilled for p in prepared] == expected
    assert not list(tmp_path.glob("run-*"))


def test_memory_is_given_back_to_the_system() -> None:
    """Where glibc is the C library (Linux), its malloc_trim is found and called; elsewhere
    nothing is asked. (Whether pages come back depends on the heap's state: glibc already
    trims the top of the heap on its own, so the answer itself is not checked.)"""
    import platform

    from newsreader.index import workers

    glibc = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert (workers._malloc_trim() is not None) == glibc
    blocks = [bytes(4096) for _ in range(20000)]  # 80 MB in the C heap, then freed
    del blocks
    assert isinstance(workers.give_back_memory(), bool)


def test_the_workers_are_gone_before_the_last_merge(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Idle workers still hold the memory they grew to: the run's last commit, which merges
    the segments (the build process's largest moment), comes after they have ended."""
    from newsreader.index.search.engine import WhooshWriter
    from newsreader.index.store import prepare

    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 2)
    workers: list = []
    start = prepare._Worker.__init__

    def keep(self, *args) -> None:
        start(self, *args)
        workers.append(self.process)

    monkeypatch.setattr(prepare._Worker, "__init__", keep)
    merges: list[list[bool]] = []
    commit = WhooshWriter.commit

    def spy(self, *, merge: bool = True, compact: bool = False, progress=None) -> None:
        if merge:
            merges.append([p.is_alive() for p in workers])
        commit(self, merge=merge, compact=compact, progress=progress)

    monkeypatch.setattr(WhooshWriter, "commit", spy)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    assert len(lib.update().added) == 5
    assert len(workers) == 2 and merges == [[False, False]]
    lib.close()


def test_stopped_while_workers_fill_segments_keeps_both_stores_alike(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped in the middle of a batch that worker processes are filing in Whoosh segments
    of their own: what is committed is the same articles in both stores, and the next run
    finishes the job with each article indexed once."""
    from newsreader.index.store import prepare

    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "CHUNK", 2)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 4)
    monkeypatch.setattr(library_module, "FIRST_BATCH", 1000)
    records = [
        {"id": f"r{k:03d}", "title": f"Banjir nomor {k}", "body": f"Warga zzbanjir hari {k}."}
        for k in range(60)
    ]
    (corpus / "many.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    real = prepare.prepare

    def slowly(*args, **kwargs):  # so that the stop comes while the workers are busy
        time.sleep(0.05)
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "prepare", slowly)
    calls: list[int] = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 7  # once per file read, then every 10 articles written

    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    rep = lib.update(should_stop=stop)
    assert rep.interrupted
    check = lib.check()
    assert check.ok, check.problems
    done = lib.search("zzbanjir", limit=100).total
    assert done == len([a for a in rep.added if "many.jsonl" in a]) and 0 < done < 60
    rep = lib.update()
    assert not rep.interrupted
    assert lib.check().ok
    assert lib.search("zzbanjir", limit=100).total == 60
    assert not list((tmp_path / "ix").rglob("results_*"))  # the spilled runs' files are gone
    lib.close()


def _jsonl(path: Path, count: int, word: str = "zzbanjir") -> None:
    path.write_text(
        "".join(
            json.dumps({"id": f"r{k:04d}", "title": f"Banjir {k}", "body": f"Warga {word} {k}."})
            + "\n"
            for k in range(count)
        ),
        encoding="utf-8",
    )


def test_a_large_record_file_is_written_while_it_is_read(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump is read as it is written, batch by batch: the first batch is written when a
    small part of the file has been read, so memory does not grow with the file."""
    _jsonl(corpus / "dump.jsonl", 1000)
    size = (corpus / "dump.jsonl").stat().st_size
    reach: list[int] = []  # how far into the dump each part of the run had read
    write = library_module._Run._write

    def spy(self, part):
        reach.append(
            max((end for plan, end in part.owners if plan.src.path == "dump.jsonl"), default=0)
        )
        return write(self, part)

    monkeypatch.setattr(library_module._Run, "_write", spy)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    rep = lib.update()
    assert len(rep.added) == 1005 and lib.search("zzbanjir", limit=1).total == 1000
    assert 0 < reach[0] < size // 5 and max(reach) == size
    lib.close()


def test_a_record_file_that_cannot_be_read_to_its_end_loses_nothing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read error midway through a changed dump: the records read are written, those after
    the error stay as they were indexed, the error is reported, and the next run reads the
    file again."""
    from newsreader.index.ingest.readers import jsonfiles

    path = corpus / "dump.jsonl"
    _jsonl(path, 30)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()
    _jsonl(path, 30, word="zzbanjir zzlagi")
    touch_later(path)
    real = jsonfiles.lines

    def breaks(*args, **kwargs):
        for n, line in enumerate(real(*args, **kwargs)):
            if n == 10:
                raise OSError(5, "Input/output error")
            yield line

    monkeypatch.setattr(jsonfiles, "lines", breaks)
    rep = lib.update()
    assert [s.reason for s in rep.skipped] == ["unreadable: Input/output error"]
    assert len(rep.updated) == 10 and not rep.removed
    assert lib.search("zzbanjir", limit=1).total == 30
    assert lib.search("zzlagi", limit=1).total == 10
    assert lib.pending().stale
    monkeypatch.setattr(jsonfiles, "lines", real)
    rep = lib.update()
    assert len(rep.updated) == 20 and not rep.skipped
    assert lib.search("zzlagi", limit=1).total == 30
    lib.close()


def test_workers_runs_wait_in_files_across_batches(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second worker's run waits in a scratch file while the first worker's is written;
    the commits between batches (which clean away scratch folders a crash left) do not take
    it from under a later batch, and none is left behind."""
    from newsreader.index.store import prepare

    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 4)
    monkeypatch.setattr(library_module, "FIRST_BATCH", 10)
    monkeypatch.setattr(library_module, "RAMP", 2)  # four batches of 85 articles
    spilled: list[Path] = []
    real = prepare.Preparer._spill_file

    def spy(self, k, *kind):
        spilled.append(real(self, k, *kind))
        return spilled[-1]

    monkeypatch.setattr(prepare.Preparer, "_spill_file", spy)
    # The order of events: each batch but the last is sent to the workers before the
    # batch before it is committed.
    events: list[str] = []
    submit, commit = prepare.Preparer.submit, library_module._Run._batch_commit

    def submitted(self, drafts):
        events.append("send")
        return submit(self, drafts)

    def committed(self):
        events.append("commit")
        return commit(self)

    monkeypatch.setattr(prepare.Preparer, "submit", submitted)
    monkeypatch.setattr(library_module._Run, "_batch_commit", committed)
    _jsonl(corpus / "dump.jsonl", 80)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    rep = lib.update()
    assert len(rep.added) == 85 and lib.check().ok
    assert lib.search("zzbanjir", limit=1).total == 80
    assert len({p.parent for p in spilled}) >= 3  # one scratch folder per batch
    assert not any(p.parent.exists() for p in spilled)
    assert not list((tmp_path / "ix").rglob(prepare.SCRATCH))
    assert events.count("commit") >= 3
    assert "".join(e[0] for e in events).startswith("sscsc")
    lib.close()


def test_each_batch_files_its_words_for_did_you_mean_as_it_is_committed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch's words go into the spelling dictionary as the batch is committed, so the
    end of the run files only the last batch's; the dictionary ends up as whole as one
    filed at the end."""
    from newsreader.index.search import spelling

    monkeypatch.setattr(library_module, "FIRST_BATCH", 10)
    filed: list[int] = []
    add_words = spelling.add_words

    def spy(folder, generation, *, since, words, fresh=False):
        ok = add_words(folder, generation, since=since, words=words, fresh=fresh)
        filed.append(len(set(words)) if ok else -1)
        return ok

    monkeypatch.setattr(spelling, "add_words", spy)
    at_end: list[int] = []
    refresh = spelling.refresh

    def end(folder, every_word, generation, **kwargs):
        at_end.append(len(set(kwargs["words"])))
        return refresh(folder, every_word, generation, **kwargs)

    monkeypatch.setattr(spelling, "refresh", end)
    _jsonl(corpus / "dump.jsonl", 60, word="zzkemarau")
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()
    assert len(filed) >= 2 and min(filed) > 0
    assert at_end and at_end[0] < sum(filed)  # the last batch's words only
    assert lib.search("zzkemaru").suggestion == "zzkemarau"
    assert lib.search("mesir").total == lib.search("Mesir").total > 0
    lib.close()
    whole = Library.open(corpus, tmp_path / "whole", variants=Path("/nonexistent"))
    monkeypatch.setattr(library_module, "FIRST_BATCH", 10_000)
    whole.update()
    assert _dictionary(tmp_path / "ix") == _dictionary(tmp_path / "whole")
    whole.close()


def _dictionary(index_dir: Path) -> set[str]:
    import sqlite3

    (build,) = [p for p in index_dir.iterdir() if p.name.startswith("build-")]
    db = sqlite3.connect(build / "spelling.sqlite")
    try:
        return {w for (w,) in db.execute("SELECT word FROM words")}
    finally:
        db.close()


def test_the_last_steps_of_a_run_say_what_they_are(library: Library) -> None:
    """Once every file is read, the progress names the last steps instead of a file: the
    bar stood at 100% for 12 s of a 22,000-article build with nothing said."""
    calls: list[tuple[int, int, str]] = []
    library.update(progress=lambda done, total, path: calls.append((done, total, path)))
    last = [path for done, total, path in calls if done == total and path.startswith("finish")]
    merge = [p for p in last if p.startswith(library_module.FINISHING_MERGE)]
    assert [p for p in last if p not in merge] == [
        library_module.FINISHING_COMMIT,
        library_module.FINISHING_WORDS,
    ]
    assert calls[-1][2] == library_module.FINISHING_WORDS


def test_the_last_commits_merge_says_how_far_it_has_got(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge of segments at a run's end (82 s at 100,000 articles) is told as it goes,
    from 0% to 100%, after the last commit is announced and before the spelling
    dictionary."""
    from newsreader.index.search import merging

    # A segment an article: Whoosh's policy merges the five smallest at the end.
    monkeypatch.setattr(library_module, "FIRST_BATCH", 1)
    monkeypatch.setattr(library_module, "RAMP", 1)
    monkeypatch.setattr(merging, "PROGRESS_STEPS", 20)
    _jsonl(corpus / "dump.jsonl", 12, word="zzkemarau")
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    calls: list[str] = []
    lib.update(progress=lambda done, total, path: calls.append(path))
    merging_at = [i for i, c in enumerate(calls) if c.startswith(library_module.FINISHING_MERGE)]
    shares = [int(calls[i].rsplit(" ", 1)[1].rstrip("%")) for i in merging_at]
    assert len(shares) >= 5 and shares == sorted(shares)
    assert shares[0] == 0 and shares[-1] == 100
    assert calls.index(library_module.FINISHING_COMMIT) < merging_at[0]
    assert merging_at[-1] < calls.index(library_module.FINISHING_WORDS)
    assert lib.search("zzkemarau").total == 12 and lib.check().ok
    # Compacting with nothing else to do: the bar itself is the merge's.
    steps: list[tuple[int, int, str]] = []
    lib.update(compact=True, progress=lambda done, total, path: steps.append((done, total, path)))
    merged = [
        (done, total) for done, total, path in steps if path == library_module.FINISHING_MERGE
    ]
    assert merged[0] == (0, 100) and merged[-1] == (100, 100) and len(merged) >= 5
    lib.close()


def test_a_workers_segment_is_the_one_whoosh_writes(tmp_path: Path, analyzer) -> None:
    """A worker files an article's postings from the terms its analysis found
    (`schema._known_postings`), not through Whoosh's `add_document` and a token per word:
    the segment's files are byte for byte those Whoosh writes itself. 256 copies of the
    sample articles' words (posting lists of two full blocks and more) and a few rare words
    (lists kept in the term info)."""
    import shutil

    from newsreader.index.ingest.corpus import list_sources, read_drafts
    from newsreader.index.ingest.document import parse_draft
    from newsreader.index.search.engine import SegmentBuilder
    from newsreader.index.search.schema import to_document
    from whoosh.filedb.compound import CompoundStorage
    from whoosh.filedb.filestore import FileStorage

    from tests.conftest import SAMPLE

    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE, corpus)
    for k in range(3):
        words = " ".join(f"zzjarang{j}" for j in range(k + 1))
        (corpus / f"rare{k}.txt").write_text(f"Kabar {k}\n\nHari ini {words} di kota.\n")
    docs = []
    for src in list_sources(corpus)[0]:
        for draft in read_drafts(corpus, src)[0]:
            article = parse_draft(draft, analyzer.vocabulary)
            docs.append(to_document(article, analyzer.terms(article.text), analyzer).fields)
    # A variant filed with its own words at one position ("kerja sama"), a word many times.
    assert any(isinstance(item, tuple) for doc in docs for item in doc["body"].terms)
    assert any(doc["body_exact"].terms.count("putin") > 3 for doc in docs)
    rare = [doc for doc in docs if "zzjarang0" in doc["body_exact"].terms]
    assert len(rare) == 3
    common = [doc for doc in docs if doc not in rare]
    docs = common * 51 + common[:1] + rare  # "putin": 256 postings or so, two full blocks
    written = {}
    for how in ("ours", "whoosh"):
        folder = tmp_path / how
        folder.mkdir()
        builder = SegmentBuilder(folder, analyzer)
        for doc in docs:
            if how == "ours":
                builder.add(doc)
            else:
                builder.writer.add_document(**doc)
        segment = builder.finish()
        seg = FileStorage(str(folder)).open_file(segment.make_filename(".seg"))
        compound = CompoundStorage(seg, use_mmap=False)
        written[how] = {
            name.replace(segment.segid, ""): compound.open_file(name).read()
            for name in compound.list()
        }
        compound.close()
    assert {name.rsplit(".", 1)[1] for name in written["ours"]} == {"trm", "pst", "col"}
    assert written["ours"] == written["whoosh"]


def _segments(lib: Library) -> tuple[int, bool]:
    """How many segments the live full text has, and whether it holds deleted articles."""
    with lib._live.reading() as stores:
        reader = stores.searcher().searcher.reader()
        return len(reader.leaf_readers()), reader.has_deletions()


def test_a_run_whose_last_commit_merges_leaves_no_merged_segment_behind(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last commit of a run merges small segments; their files, kept for readers of
    the generation before, are gone when the run ends, not at the next run."""
    from newsreader.index.search import engine
    from newsreader.index.store import prepare

    from tests.test_durability import add_articles

    monkeypatch.setattr(library_module, "COMMIT_EVERY_ARTICLES", 2)
    monkeypatch.setattr(library_module, "FIRST_BATCH", 2)
    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 1)
    merged = []
    merge = engine.merged_segment

    def counted(*args: object) -> object:
        merged.append(len(args[2]))  # type: ignore[arg-type]
        return merge(*args)

    monkeypatch.setattr(engine, "merged_segment", counted)
    add_articles(corpus, 25)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()
    assert merged and max(merged) > 1  # segments were merged
    with lib._live.reading() as stores:
        reader = stores.searcher().searcher.reader()
        live = {r.segment().make_filename(".seg") for r, _ in reader.leaf_readers()}
    on_disk = {p.name for p in (live_build(tmp_path / "ix") / "text").glob("*.seg")}
    assert on_disk == live
    assert lib.search("banjir", limit=50).total > 20 and lib.check().ok
    lib.close()


def _as_if_vacuumed(catalog: Path, copy: Path) -> bool:
    """Whether a vacuumed copy of the catalog is no smaller."""
    import sqlite3

    db = sqlite3.connect(catalog)
    try:
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        db.execute("VACUUM INTO ?", (str(copy),))
    finally:
        db.close()
    db = sqlite3.connect(copy)
    try:
        return db.execute("PRAGMA page_count").fetchone() == (pages,)
    finally:
        db.close()


def test_compact_merges_the_full_text_into_one_segment(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`update(compact=True)`: the segments of every batch, those the workers filled too,
    become one, with the same hits; an article removed on the way is gone from it, not only
    marked deleted. Scores move a little: Whoosh's merge sums the field lengths as its
    length columns round them (a byte each), as every merge of segments does."""
    from newsreader.index.store import prepare

    from tests.test_durability import add_articles

    monkeypatch.setattr(library_module, "COMMIT_EVERY_ARTICLES", 6)
    monkeypatch.setattr(library_module, "FIRST_BATCH", 6)
    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 1)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "MIN_RUN", 2)
    add_articles(corpus, 25)
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    vacuums: list[Path] = []
    vacuum, vacuum_words = Catalog.vacuum, spelling._vacuum
    monkeypatch.setattr(Catalog, "vacuum", lambda c: vacuums.append(c.path) or vacuum(c))
    monkeypatch.setattr(spelling, "_vacuum", lambda p: vacuums.append(p) or vacuum_words(p))
    assert not lib.update().compacted
    assert _segments(lib)[0] > 3
    # A fresh build's catalog and spelling dictionary are written again at its end: its
    # commits left pages part filled (a few here, 6 MiB at 22,000 articles).
    assert sorted(p.name for p in vacuums) == ["catalog.sqlite", "spelling.sqlite"]
    assert _as_if_vacuumed(live_build(tmp_path / "ix") / "catalog.sqlite", tmp_path / "c1")
    queries = ("banjir", "Erdogan", '"kerja sama"', "putin xi", "warga mengungsi", "ban*")
    before = {q: {h.id: h.score for h in lib.search(q, limit=50).hits} for q in queries}
    assert all(before.values())
    rep = lib.update(compact=True)
    assert rep.compacted and not rep.added and rep.unchanged == 30
    assert _segments(lib) == (1, False)
    # The merged segments' files are gone too (not kept for readers until the next run).
    assert len(list((live_build(tmp_path / "ix") / "text").glob("*.seg"))) == 1
    for q in queries:
        after = {h.id: h.score for h in lib.search(q, limit=50).hits}
        assert after == pytest.approx(before[q], rel=0.01), q
    assert lib.check().ok

    (corpus / "extra_0003.txt").unlink()
    assert _segments(lib)[0] == 1
    rep = lib.update()  # a removal marks the article deleted in its segment
    assert rep.removed == ["extra_0003.txt"] and _segments(lib) == (1, True)
    rep = lib.update(compact=True)
    assert rep.compacted and _segments(lib) == (1, False)
    assert lib.search("banjir", limit=50).total == 24 and lib.check().ok
    # The catalog is written again too: a vacuumed copy is no smaller.
    assert _as_if_vacuumed(live_build(tmp_path / "ix") / "catalog.sqlite", tmp_path / "c2")
    lib.close()
