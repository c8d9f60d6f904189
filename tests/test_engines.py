"""The two search engines: the same answers from the same tokens, the engine recorded in the
index folder and kept, one-line errors, and tantivy's commits under a kill."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from newsreader.index import FacetFilter, Library
from newsreader.index.errors import ConfigError, EngineError, EngineMissingError
from newsreader.index.store import sync
from newsreader.index.store.catalog import Catalog
from newsreader.index.store.layout import Layout
from newsreader.index.store.stores import engine_of

from tests.conftest import SAMPLE, live_build, sample_id
from tests.test_cli import assert_one_line_error, run
from tests.test_durability import NO_VARIANTS, add_articles, stop_after

pytest.importorskip("tantivy")

QUERIES = [
    "Erdogan",
    "Tiongkok",
    "bertemu",
    "kerja sama",
    "kerja",
    '"kerja sama strategis"',
    '"tanpa batas"',
    "Erdogan OR Lavrov",
    "Putin AND NOT Erdogan",
    "NOT Erdogan",
    "Erdogan Lavrov",
    "title:strategi",
    'title:"Xi Jinping"',
    "outlet:tribunnews",
    "author:namira",
    "lang:id",
    "date:2024",
    "date:[2023 to 2024]",
    "date:<=2023-10",
    "Putin date:<2024",
    "Erdo*",
    "Lukash*",
    "Erdgan~",
    "Erdgan",
    "aliansi",
    "Lavrov tiba di Beijing dan mengumumkan bahwa Putin akan menghadiri forum Belt and Road",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Library]:
    libs = {}
    for engine in ("whoosh", "tantivy"):
        index_dir = tmp_path_factory.mktemp(engine) / "ix"
        libs[engine] = Library.open(SAMPLE, index_dir, variants=NO_VARIANTS, engine=engine)
        libs[engine].update()
    return libs


@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_give_the_same_results(both: dict[str, Library], query: str) -> None:
    w, t = (both[e].search(query, limit=50) for e in ("whoosh", "tantivy"))
    # Scores differ (BM25F over fields vs BM25 summed per field): the sets of hits, the
    # counts, the notes and suggestions agree, and each hit is marked the same way.
    assert {h.id for h in w.hits} == {h.id for h in t.hits}
    assert (w.total, w.partial, w.note) == (t.total, t.partial, t.note)
    assert (w.suggestion, w.suggestion_hits) == (t.suggestion, t.suggestion_hits)
    marks = {h.id: (h.snippet, h.highlights) for h in w.hits}
    for hit in t.hits:
        assert (hit.snippet, hit.highlights) == marks[hit.id]


@pytest.mark.parametrize("query", ["Erdogan", "aliansi", "Tiongkok", "Putin"])
def test_the_best_hit_is_the_same_where_scores_do_not_tie(
    both: dict[str, Library], query: str
) -> None:
    w, t = (both[e].search(query, limit=50).hits for e in ("whoosh", "tantivy"))
    if len(w) > 1 and w[0].score > w[1].score * 1.05:
        assert t[0].id == w[0].id


def test_tantivy_counts_a_long_query_as_a_lower_bound(both: dict[str, Library]) -> None:
    # Counting every match of an OR of many words would keep tantivy from skipping blocks:
    # the count is that of the most frequent word's articles, at least, and says so.
    lib = both["tantivy"]
    sentence = QUERIES[-1]
    res = lib.search(sentence, limit=10)
    assert res.partial and not res.total_exact
    assert lib.search("Putin").total <= res.total <= lib.search(sentence.replace(" ", " OR ")).total
    # Narrowed to some articles, the bound counts only those.
    facets = FacetFilter(date_from="2024")
    narrowed = lib.search(sentence, limit=50, facets=facets)
    assert len(narrowed.hits) <= narrowed.total <= len(lib.search("date:>=2024", limit=50).hits)


def test_sorting_by_date_and_narrowing(both: dict[str, Library]) -> None:
    w, t = (both[e].search("Putin", limit=50, sort="date") for e in ("whoosh", "tantivy"))
    # Newest first; the undated ones after, in an order neither engine promises.
    dated = [h.id for h in w.hits if h.date]
    assert dated and [h.id for h in t.hits][: len(dated)] == dated
    assert all(h.score > 0 for h in t.hits)
    facets = FacetFilter(date_from="2024")
    w, t = (both[e].search("Putin", limit=50, facets=facets) for e in ("whoosh", "tantivy"))
    assert [h.id[:3] for h in w.hits] == [h.id[:3] for h in t.hits] == ["001"]
    for lib in both.values():
        lib.user_state().set_read([sample_id("001"), sample_id("004")])
    w, t = (both[e].search("Putin is:unread", limit=50) for e in ("whoosh", "tantivy"))
    assert {h.id for h in w.hits} == {h.id for h in t.hits}
    assert {h.id[:3] for h in t.hits} == {"000", "002", "003"}


@pytest.mark.parametrize(
    "facets",
    [
        FacetFilter(outlets=("no such outlet",)),
        FacetFilter(date_from="2030"),
        FacetFilter(date_from="2023-01", date_to="2023-01"),  # a month with no article
    ],
)
def test_a_filter_no_article_passes_finds_nothing(
    both: dict[str, Library], facets: FacetFilter
) -> None:
    for lib in both.values():
        assert lib.search("Putin", limit=10).hits
        res = lib.search("Putin", limit=10, facets=facets)
        assert res.hits == [] and res.total == 0
        assert lib.search("", limit=10, facets=facets).hits == []
        # Nothing flagged yet: asking for the flagged ones finds none.
        assert lib.search("Putin is:flagged", limit=10).hits == []


def test_the_index_records_its_engine_and_keeps_it(library: Library, corpus: Path) -> None:
    lib = Library.open(corpus, library.index_dir, variants=NO_VARIANTS, engine="tantivy")
    lib.update()
    lib.close()
    # A later run without --engine uses the recorded one.
    again = Library.open(corpus, library.index_dir, variants=NO_VARIANTS)
    add_articles(corpus, 2)
    assert len(again.update().added) == 2
    assert again.search("zzbanjir").total == 2
    catalog = Catalog(live_build(library.index_dir) / "catalog.sqlite", readonly=True)
    assert engine_of(catalog) == "tantivy"
    catalog.close()
    again.close()
    # Another engine needs --rebuild.
    other = Library.open(corpus, library.index_dir, variants=NO_VARIANTS, engine="whoosh")
    with pytest.raises(EngineError, match="built with tantivy, not whoosh; give --rebuild"):
        other.update()
    rep = other.update(rebuild=True)
    assert rep.rebuilt
    catalog = Catalog(live_build(library.index_dir) / "catalog.sqlite", readonly=True)
    assert engine_of(catalog) == "whoosh"
    catalog.close()
    assert other.search("zzbanjir").total == 2
    other.close()


def test_config_names_the_engine_of_a_new_index(
    library: Library, corpus: Path, isolated_dirs: Path
) -> None:
    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('engine = "tantivy"\n', encoding="utf-8")
    library.update()
    catalog = Catalog(live_build(library.index_dir) / "catalog.sqlite", readonly=True)
    assert engine_of(catalog) == "tantivy"
    catalog.close()
    assert library.search("Erdogan").total == 2


def test_an_unknown_engine_in_config_is_one_line(library: Library, isolated_dirs: Path) -> None:
    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('engine = "lucene"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="engine must be one of 'whoosh', 'tantivy'"):
        library.update()


def test_a_missing_tantivy_is_one_line(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "tantivy", None)  # import tantivy → ImportError
    lib = Library.open(library.corpus, tmp_path / "ix2", variants=NO_VARIANTS, engine="tantivy")
    with pytest.raises(EngineMissingError) as err:
        lib.update()
    assert str(err.value) == "tantivy is not installed: pip install 'newsreader[tantivy]'"


def test_the_cli_engine_mismatch_is_one_line(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    assert run("index", str(corpus), "--index-dir", str(ix), "--engine", "tantivy").returncode == 0
    proc = run("index", str(corpus), "--index-dir", str(ix), "--engine", "whoosh", check=False)
    assert_one_line_error(proc, "built with tantivy, not whoosh")
    proc = run("search", "Erdogan", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and '"total": 2' in proc.stdout
    proc = run("index", str(corpus), "--index-dir", str(ix), "--json")
    assert json.loads(proc.stdout)["engine"] == "tantivy"


KILLER = textwrap.dedent(
    """
    import os, signal, sys
    from newsreader.index.search import fulltext
    from newsreader.index.store import sync

    sync.COMMIT_EVERY_ARTICLES = 10
    real = fulltext.make_durable
    calls = [0]

    def killer(*args, **kwargs):
        calls[0] += 1
        if calls[0] == 2:  # tantivy has committed the second batch; the catalog has not
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    fulltext.make_durable = killer
    from newsreader.tui.cli.main import main

    main(sys.argv[1:])
    """
)


def test_a_kill_between_tantivy_and_the_catalog_keeps_the_last_commit(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    Library.open(corpus, ix, variants=NO_VARIANTS, engine="tantivy").update()
    add_articles(corpus, 30)
    env = {**os.environ, "NEWSREADER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, "index", str(corpus), "--index-dir", str(ix)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    lib = Library.open(corpus, ix, variants=NO_VARIANTS)
    # tantivy holds a batch the catalog never committed: searches answer as the catalog.
    assert lib.count() == 5 + 10
    assert lib.search("zzbanjir", limit=100).total == 10
    check = lib.check()
    assert check.ok and check.documents == check.articles == 15, check.problems
    # The next run drops what the catalog lacks and finishes the job.
    rep = lib.update()
    assert len(rep.added) == 20
    assert lib.search("zzbanjir", limit=100).total == 30
    check = lib.check()
    assert check.ok and check.documents == check.articles == 35, check.problems
    lib.close()


@pytest.mark.parametrize("how", ["truncate", "scramble"])
def test_a_damaged_tantivy_file_is_named_and_index_repairs_it(tmp_path: Path, how: str) -> None:
    ix = str(tmp_path / "ix")
    run("index", "--index-dir", ix, "--engine", "tantivy")
    text = live_build(Path(ix)) / "text"
    biggest = max(
        (p for p in text.iterdir() if p.name != "meta.json"), key=lambda p: p.stat().st_size
    )
    data = bytearray(biggest.read_bytes())
    if how == "truncate":
        biggest.write_bytes(data[: len(data) // 3])
    else:
        st = biggest.stat()
        for i in range(16, len(data), 101):
            data[i] ^= 0xA5
        biggest.write_bytes(bytes(data))
        os.utime(biggest, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    proc = run("search", "Putin", "--index-dir", ix, "--no-update", check=False)
    assert proc.returncode == 1
    assert_one_line_error(proc, "is damaged (text/")
    assert "newsreader index --rebuild" in proc.stderr
    proc = run("index", "--check", "--index-dir", ix, "--json", check=False)
    assert proc.returncode == 1
    assert "text/" in json.loads(proc.stdout)["problems"][0]
    proc = run("index", "--index-dir", ix)
    assert "Rebuilding the index: the index is damaged" in proc.stderr
    assert json.loads(run("search", "Erdogan", "--json", "--index-dir", ix).stdout)["total"] == 2
    report = json.loads(run("index", "--check", "--index-dir", ix, "--json").stdout)
    assert report["ok"] and report["articles"] == report["documents"] == 5
    proc = run("index", "--index-dir", ix, "--json")
    assert json.loads(proc.stdout)["engine"] == "tantivy"  # the rebuild kept the engine


def test_a_whoosh_index_never_loads_tantivy(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    code = (
        "import sys; from pathlib import Path; from newsreader.index import Library; "
        f"lib = Library.open(None, Path({str(ix)!r})); lib.update(); "
        "assert lib.search('Erdogan').total == 2; "
        "assert 'tantivy' not in sys.modules, 'tantivy loaded'"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_an_interrupted_switch_to_tantivy_is_resumed(library: Library, corpus: Path) -> None:
    add_articles(corpus, 20)
    library.update()
    switch = Library.open(corpus, library.index_dir, variants=NO_VARIANTS, engine="tantivy")
    rep = switch.update(rebuild=True, should_stop=stop_after(8))
    assert rep.interrupted and not rep.rebuilt
    # The live index is the Whoosh one, as it was, and answers meanwhile.
    assert library.count() == 25 and library.search("zzbanjir").total == 20
    (staging,) = Layout(library.index_dir).incomplete()
    rep = switch.update(rebuild=True)
    assert rep.rebuilt and len(rep.added) == 25 - 8 and rep.engine == "tantivy"
    assert live_build(library.index_dir) == staging
    assert switch.count() == 25 and switch.search("zzbanjir").total == 20
    assert switch.check().ok
    switch.close()


def test_tantivy_merges_between_commits_leave_the_recorded_files(
    library: Library, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many small commits make tantivy merge segments (and delete the merged ones): the
    files the catalog records must be those of the merged state."""
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    monkeypatch.setattr(sync, "FIRST_BATCH", 4)
    add_articles(corpus, 120)
    lib = Library.open(corpus, library.index_dir, variants=NO_VARIANTS, engine="tantivy")
    lib.update()
    check = lib.check()
    assert check.ok and check.documents == 125, check.problems
    assert lib.search("zzbanjir", limit=200).total == 120
    add_articles(corpus, 40, start=500)
    lib.update()
    assert lib.check().ok
    assert lib.search("zzbanjir", limit=200).total == 160
    lib.close()


@pytest.mark.parametrize(("engine", "commits"), [("whoosh", 33), ("tantivy", 9)])
def test_tantivy_batches_grow_with_the_archive(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, commits: int
) -> None:
    """125 articles in batches of at most 4: Whoosh commits every 4 (32 batches; its last
    commit merges the small segments, and one more lets their files go), tantivy's batches
    grow to half of what is committed (4, 4, 4, 6, 9, 13, 20, 30, 35)."""
    from newsreader.index.store.stores import WriteStores

    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    monkeypatch.setattr(sync, "FIRST_BATCH", 4)
    made = [0]
    real = WriteStores.commit

    def counted(self: WriteStores) -> None:
        made[0] += 1
        real(self)

    monkeypatch.setattr(WriteStores, "commit", counted)
    add_articles(corpus, 120)
    lib = Library.open(corpus, tmp_path / "ix", variants=NO_VARIANTS, engine=engine)
    lib.update()
    assert lib.count() == 125 and lib.check().ok
    assert lib.search("zzbanjir", limit=200).total == 120
    assert made[0] == commits
    lib.close()


def test_tantivy_batches_prepared_in_worker_processes(
    library: Library, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Worker processes must not inherit the tantivy writer's lock: each batch gets a new
    writer, which a forked worker holding the old lock's file would refuse."""
    from newsreader.index.store import prepare

    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 8)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 20)
    monkeypatch.setattr(sync, "FIRST_BATCH", 20)
    add_articles(corpus, 80)
    lib = Library.open(corpus, library.index_dir, variants=NO_VARIANTS, engine="tantivy")
    lib.update()
    assert lib.check().ok
    assert lib.search("zzbanjir", limit=200).total == 80
    lib.close()


def test_tantivy_workers_prepare_the_next_articles_while_a_batch_commits(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drafts flow to the workers through the whole run: when a batch commits, drafts
    beyond it are already with the workers. The index is the one a single process builds."""
    from newsreader.index.store import prepare
    from newsreader.index.store.stores import WriteStores

    add_articles(corpus, 40)
    serial = Library.open(corpus, tmp_path / "serial", variants=NO_VARIANTS, engine="tantivy")
    serial.update()

    monkeypatch.setattr(prepare, "PARALLEL_DRAFTS", 8)
    monkeypatch.setattr(prepare, "WORKERS", 2)
    monkeypatch.setattr(prepare, "CHUNK", 2)
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 8)
    monkeypatch.setattr(sync, "FIRST_BATCH", 8)
    monkeypatch.setattr(sync, "COMMIT_AHEAD", 6)
    sent, at_commits = [0], []
    real_send, real_commit = prepare._Worker.send, WriteStores.commit

    def send(self, task) -> None:
        if task[0] == "prepare":
            sent[0] += len(task[1])
        real_send(self, task)

    def commit(self: WriteStores) -> None:
        at_commits.append((sent[0], self.catalog.count()))
        real_commit(self)

    monkeypatch.setattr(prepare._Worker, "send", send)
    monkeypatch.setattr(WriteStores, "commit", commit)
    lib = Library.open(corpus, tmp_path / "parallel", variants=NO_VARIANTS, engine="tantivy")
    report = lib.update()
    assert len(report.added) == 45 and lib.check().ok
    assert sent[0] == 45  # every draft prepared by the workers
    # At every batch commit but the last, more drafts were out than written.
    assert len(at_commits) >= 4
    assert all(out > written for out, written in at_commits[:-1])
    assert at_commits[-1] == (45, 45)

    def hits(library: Library, query: str) -> list[tuple[float, str]]:
        # Equal scores tie-break by segment, and the segments differ.
        return sorted((round(h.score, 4), h.id) for h in library.search(query, limit=60).hits)

    for query in ("zzbanjir", "banjir", '"kerja sama"', "putin xi", "nomor~"):
        assert hits(lib, query) == hits(serial, query)
        assert hits(lib, query)
    assert lib.article(sample_id("001")) == serial.article(sample_id("001"))
    lib.close()
    serial.close()
