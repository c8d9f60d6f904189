"""The installed `newsreader` command, run as a user would, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, live_build, newsreader_bin, sample_id


def run(
    *args: str, env_extra: dict[str, str] | None = None, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", **(env_extra or {})}
    proc = subprocess.run(
        [newsreader_bin(), *args], capture_output=True, text=True, env=env, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("newsreader: ")
    assert needle in lines[0]


def test_index_search_show_on_bundled_corpus() -> None:
    first = run("index", "--json")
    report = json.loads(first.stdout)
    assert len(report["added"]) == 5 and report["skipped"] == []
    again = json.loads(run("index", "--json").stdout)
    assert again["unchanged"] == 5 and again["added"] == []

    hits = json.loads(run("search", "Erdogan", "--json").stdout)
    assert sorted(h["id"][:3] for h in hits["hits"]) == ["000", "002"]
    hit = hits["hits"][0]
    assert set(hit) >= {"id", "path", "title", "outlet", "date", "score", "snippet", "highlights"}
    text = (SAMPLE / hit["path"]).read_text(encoding="utf-8")
    for h in hit["highlights"]:
        assert text[h["start"] : h["end"]] == "Erdogan"

    plain = run("search", "Erdgan").stdout
    assert "Did you mean: Erdogan?" in plain

    shown = json.loads(run("show", "002", "--json").stdout)
    assert shown["outlet"] == "Tribunnews.com" and shown["author"] == "Namira Yunia"
    for p in shown["paragraphs"]:
        assert shown["text"][p["start"] : p["end"]].strip()
    reading = run("show", "001").stdout
    assert "loading..." not in reading and "Foto/AP" not in reading
    assert "loading..." in run("show", "001", "--raw").stdout


def test_compare_related_overlaps_json() -> None:
    cmp = json.loads(run("compare", "000", "001", "--json").stdout)
    assert {"a", "b", "coverage_a", "coverage_b", "passages"} <= set(cmp)
    a_text = (SAMPLE / cmp["a"]["path"]).read_text(encoding="utf-8")
    b_text = (SAMPLE / cmp["b"]["path"]).read_text(encoding="utf-8")
    assert cmp["passages"]
    for p in cmp["passages"]:
        assert a_text[p["a_start"] : p["a_end"]] == p["a_text"]
        assert b_text[p["b_start"] : p["b_end"]] == p["b_text"]
        assert {o["op"] for o in p["ops"]} <= {"equal", "replace", "insert", "delete"}
    mirrored = json.loads(run("compare", "001", "000", "--json").stdout)
    assert mirrored["coverage_a"] == cmp["coverage_b"]

    related = json.loads(run("related", "000", "--json").stdout)
    assert [r["id"][:3] for r in related["related"]] == ["001", "002"]
    overlaps = json.loads(run("overlaps", "--json", "--min-coverage", "0.5").stdout)
    assert [(p["a"]["id"][:3], p["b"]["id"][:3]) for p in overlaps["pairs"]] == [("000", "001")]
    nan = run("overlaps", "--min-coverage", "nan", check=False)
    assert nan.returncode == 2 and "not NaN" in nan.stderr and "Traceback" not in nan.stderr

    side_by_side = run("compare", "000", "002").stdout
    assert "shared passage" in side_by_side and "①" in side_by_side
    # Two articles that share nothing say so, without a legend for passages there are not.
    nothing = run("compare", "003", "004").stdout
    assert "No shared passage." in nothing and "Differing words" not in nothing
    # Piped, where no highlight shows, the differing words come in brackets: one wire story
    # translated with "Tiongkok" in one outlet and "China" in the other.
    piped = run("compare", "000", "001").stdout
    assert "Differing words are [in brackets]" in piped
    assert "[Tiongkok]" in piped and "[China]" in piped
    assert "Xi Jinping" in piped and "[Xi Jinping]" not in piped


def test_a_refused_first_index_leaves_no_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    ix = tmp_path / "ix"
    proc = run("index", str(tmp_path / "empty"), "--index-dir", str(ix), check=False)
    assert_one_line_error(proc, "corpus folder is empty")
    assert not ix.exists()


def test_a_pasted_sentence_opening_with_a_dash_is_a_query() -> None:
    run("index", "--json")
    found = json.loads(
        run("search", "- Presiden Rusia Vladimir Putin tiba di Beijing", "--json").stdout
    )
    assert found["hits"][0]["id"] == sample_id("004")
    # Options still are options, and a mistyped one is still refused.
    assert json.loads(run("search", "Putin", "-n", "1", "--json").stdout)["hits"][0]
    assert "No such option" in run("search", "Putin", "--limt", "1", check=False).stderr


def test_a_word_excluded_with_a_minus_is_a_query_not_an_option() -> None:
    # `newsreader search putin -erdogan` said "No such option: -e".
    run("index", "--json")

    def ids(*args: str) -> list[str]:
        return [h["id"] for h in json.loads(run("search", *args, "--json").stdout)["hits"]]

    everyone = ids("putin", "-n", "10")
    without = ids("putin", "-erdogan", "-n", "10")
    assert without == ids("-erdogan", "putin") == ids("putin NOT erdogan")
    assert set(without) == set(everyone) - {sample_id("000"), sample_id("002")}
    found = json.loads(run("search", "putin", "-erdogan", "--json").stdout)
    assert found["query"] == "putin -erdogan"
    assert len(ids("putin", "-n1")) == 1  # an option with its value is still an option
    assert ids("putin", "-title:strategi") == ids("putin NOT title:strategi")
    assert ids("putin", "-is:read") == everyone  # nothing is marked read here


def test_piped_overlaps_and_related_keep_ids_whole() -> None:
    # A table would cut the ids to fit 80 columns; a pipe gets one tab-separated line each.
    run("index", "--json")
    pairs = json.loads(run("overlaps", "--json").stdout)["pairs"]
    rows = run("overlaps").stdout.splitlines()[2:]
    assert [r.split("\t")[3:5] for r in rows] == [[p["a"]["id"], p["b"]["id"]] for p in pairs]
    found = json.loads(run("related", "000", "--json").stdout)["related"]
    rows = run("related", "000").stdout.splitlines()[2:]
    assert [r.split("\t")[3] for r in rows] == [r["id"] for r in found]


def test_bad_input_gives_one_line_errors(tmp_path: Path) -> None:
    assert_one_line_error(
        run("index", str(tmp_path / "missing"), check=False), "corpus folder not found"
    )
    (tmp_path / "empty").mkdir()
    assert_one_line_error(
        run("index", str(tmp_path / "empty"), check=False), "corpus folder is empty"
    )
    assert_one_line_error(run("search", '"unclosed', check=False), "quotation mark")
    assert_one_line_error(run("search", "foo:bar", check=False), "unknown field")
    assert_one_line_error(run("show", "nope", check=False), 'no article "nope"')
    assert_one_line_error(run("compare", "000", "000", check=False), "same article")
    assert_one_line_error(run("related", "zzz", check=False), 'no article "zzz"')


def test_index_reports_skipped_files(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    (corpus / "bin.txt").write_bytes(b"\x00\x01" * 50)
    proc = run("index", str(corpus))
    assert "bin.txt" in proc.stdout and "binary file" in proc.stdout
    assert "5" in proc.stdout
    # Named later, the file says why it is not there, not only that it is not.
    for ref in ("bin.txt", str(corpus / "bin.txt")):
        shown = run("show", ref, "--corpus", str(corpus), check=False)
        assert_one_line_error(shown, f'"{ref}" is not indexed: binary file, not text')


def test_a_file_outside_the_corpus_is_named_as_such(tmp_path: Path) -> None:
    # The bundled corpus is the default: a path given without --corpus is not in it.
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("Judul\n\nIsi berita.\n", encoding="utf-8")
    proc = run("compare", str(outside), "000", check=False)
    assert_one_line_error(proc, "the file is outside it (give its folder with --corpus)")


def test_damaged_index_is_one_line_and_rebuild_fixes_it(tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    run("index", "--index-dir", str(ix))
    for toc in (live_build(ix) / "text").glob("_MAIN_*.toc"):
        toc.write_bytes(b"junk")
    proc = run("search", "Putin", "--index-dir", str(ix), "--no-update", check=False)
    assert_one_line_error(proc, "--rebuild")
    # Without --no-update, search repairs the index first, and says so.
    proc = run("search", "Erdogan", "--index-dir", str(ix))
    assert "2 results for Erdogan" in proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("newsreader: Rebuilding the index: the index is damaged (text/_MAIN_")


@pytest.mark.parametrize(
    ("schema", "shape", "readable"),
    [
        # schema 6 kept the text and metadata uncompressed, in columns of their own
        ("6", "ALTER TABLE articles RENAME COLUMN stored TO data", False),
        # schema 7 kept each article's shingles beside it as well as in the postings: still
        # searchable as it is, but never written to
        ("7", "ALTER TABLE articles ADD COLUMN shingles BLOB NOT NULL DEFAULT x''", True),
    ],
)
def test_index_of_an_older_version_is_one_line_and_rebuilt(
    tmp_path: Path, schema: str, shape: str, readable: bool
) -> None:
    """An index made before the catalog changed shape."""
    ix = tmp_path / "ix"
    run("index", "--index-dir", str(ix))
    db = sqlite3.connect(live_build(ix) / "catalog.sqlite")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (schema,))
    db.execute(shape)
    db.commit()
    db.close()
    proc = run("search", "Putin", "--index-dir", str(ix), "--no-update", check=False)
    if readable:
        assert proc.returncode == 0 and "Putin" in proc.stdout
    else:
        assert_one_line_error(proc, "made by another version of newsreader")
    proc = run("search", "Erdogan", "--index-dir", str(ix))
    assert "2 results for Erdogan" in proc.stdout
    (line,) = proc.stderr.strip().splitlines()
    assert (
        line
        == "newsreader: Rebuilding the index: the index was made by another version of newsreader."
    )


def test_a_new_index_folder_without_a_corpus_says_it_indexes_the_sample(tmp_path: Path) -> None:
    # A mistyped --index-dir searched the five bundled sample articles and said "0 results".
    typo = tmp_path / "nope"
    proc = run("search", "--index-dir", str(typo), "banjir")
    assert f"no index in {typo}: indexing the bundled sample articles there" in proc.stderr
    assert "0 results" in proc.stdout
    again = run("search", "--index-dir", str(typo), "banjir")
    assert "bundled sample" not in again.stderr  # said once, when the index is made
    # With a corpus given, a new index folder is what was asked for.
    other = tmp_path / "other"
    proc = run("search", "--index-dir", str(other), "--corpus", str(SAMPLE), "putin")
    assert "bundled sample" not in proc.stderr


def test_show_accepts_a_path(tmp_path: Path) -> None:
    # The bundled corpus, wherever the command was installed (a normal install copies it).
    corpus = Path(json.loads(run("index", "--json").stdout)["corpus"])
    path = corpus / sample_id("004")
    shown = json.loads(run("show", str(path), "--json").stdout)
    assert shown["id"] == sample_id("004")
    assert shown["date"] == "2023-10-18T12:12+07:00"


def _spawn_index(corpus: Path, ix: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen(
        [newsreader_bin(), "index", str(corpus), "--index-dir", str(ix)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _processes_naming(path: Path) -> list[int]:
    """Live processes whose command line names `path` (Linux's /proc; none elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(path).encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def _committed(ix: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(f"file:{live_build(ix) / 'catalog.sqlite'}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # busy at the moment of a commit
        return 0


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM", "SIGINT"])
def test_killed_index_run_keeps_the_last_commit(tmp_path: Path, sig: str) -> None:
    import signal
    import sqlite3
    import time

    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    extra = 1500
    _many_files(corpus, extra)
    proc = _spawn_index(corpus, ix)
    # Interrupted once its first batch is committed (the first batches are small), long
    # before the rest is done: that is the state a crash must keep.
    deadline = time.monotonic() + 120
    while _committed(ix) <= 5:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no batch was committed"
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(getattr(signal, sig))
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in stderr
    # Its worker processes end with it, however it ended.
    deadline = time.monotonic() + 15
    while _processes_naming(ix) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_naming(ix), "worker processes outlived the killed run"
    # The index still answers from its last committed state...
    hits = json.loads(
        run(
            "search",
            "Erdogan",
            "--json",
            "--corpus",
            str(corpus),
            "--index-dir",
            str(ix),
            "--no-update",
        ).stdout
    )
    assert hits["total"] == 2
    with sqlite3.connect(live_build(ix) / "catalog.sqlite") as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 5
    # ...and the next run finishes the job.
    report = json.loads(run("index", str(corpus), "--index-dir", str(ix), "--json").stdout)
    total = len(report["added"]) + report["unchanged"]
    assert total == extra + 5
    final = json.loads(
        run(
            "search", f"Kode{extra - 1}", "--json", "--corpus", str(corpus), "--index-dir", str(ix)
        ).stdout
    )
    assert final["total"] == 1


def _many_files(corpus: Path, n: int) -> None:
    sentence = "Banjir besar melanda kawasan pesisir utara dan ribuan warga mengungsi. "
    for k in range(n):
        (corpus / f"extra_{k:04d}.txt").write_text(
            f"Berita Banjir Nomor {k} Di Pesisir\n" + sentence * 40 + f"\nKode{k}.\n",
            encoding="utf-8",
        )


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_index_committing_what_it_did_and_twice_at_once(
    tmp_path: Path, presses: int
) -> None:
    """The first Ctrl-C stops `newsreader index` between articles with everything it did
    committed (its report lists them all); a second stops it at once, keeping the last
    commit."""
    import signal
    import time

    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    _many_files(corpus, 1500)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [newsreader_bin(), "index", str(corpus), "--index-dir", str(ix), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while _committed(ix) <= 5:
        assert proc.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline, "no batch was committed"
        time.sleep(0.05)
    for _ in range(presses):
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        time.sleep(0.01)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    committed = _committed(ix)
    assert 5 < committed < 1505
    if presses == 1:
        report = json.loads(out)
        assert report["interrupted"] and len(report["added"]) + 5 == committed
        assert "stopping: committing what is indexed so far" in err
        assert "keeps its last committed state" not in err
    else:
        assert not out and "interrupted; the index keeps its last committed state" in err
    report = json.loads(run("index", str(corpus), "--index-dir", str(ix), "--json").stdout)
    assert len(report["added"]) + report["unchanged"] == 1505


def test_output_to_a_pipe_is_plain_text() -> None:
    shown = run("show", "001").stdout
    lines = shown.splitlines()
    assert (
        lines[0]
        == "4 Strategi Putin dan Xi Jinping Perkuat Aliansi Pertahanan CSO untuk Melawan NATO"
    )
    assert all(line == line.rstrip() for line in lines), "no padding"
    assert "\x1b[" not in shown and "─" not in shown
    # A paragraph is one line, however long: the pipe's reader wraps it.
    assert max(len(line) for line in lines) > 120
    for args in (("search", "putin"), ("related", "003"), ("index",)):
        out = run(*args).stdout
        assert all(line == line.rstrip() for line in out.splitlines()), args
        if args[0] == "related":  # nothing related: said as a sentence, not "None: …"
            assert "No other article shares a passage with this one." in out
            assert "None" not in out


def test_index_counts_articles_in_text_and_json_alike(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    records = "".join(
        json.dumps(
            {"id": f"r{i}", "title": f"Judul {i}", "body": f"Isi berita nomor {i} hari ini."}
        )
        + "\n"
        for i in range(7)
    )
    (corpus / "dump.jsonl").write_text(records, encoding="utf-8")
    ix = ["--index-dir", str(tmp_path / "ix")]
    assert len(json.loads(run("index", str(corpus), *ix, "--json").stdout)["added"]) == 7
    # Nothing changed, then the file touched but not changed: 7 articles unchanged both
    # times (never 1 file), in the table as in the JSON.
    assert json.loads(run("index", str(corpus), *ix, "--json").stdout)["unchanged"] == 7
    os.utime(corpus / "dump.jsonl", (1, 1))
    table = run("index", str(corpus), *ix).stdout.splitlines()  # piped: plain columns
    at = next(i for i, line in enumerate(table) if line.startswith("articles added"))
    names = ["articles added", "updated", "removed", "unchanged", "skipped"]
    assert table[at].split() == " ".join(names).split()
    cells = dict(zip(names, table[at + 1].split(), strict=True))
    assert cells["unchanged"] == "7" and cells["articles added"] == "0"
    assert not set("┃│━") & set("".join(table))


def test_keys_lists_every_binding_id_and_reports_config_mistakes(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "tui.toml").write_text(
        '[keys]\n"app.quit" = "x"\n"app.nope" = "y"\n', encoding="utf-8"
    )
    proc = run("keys", "--json", env_extra={"NEWSREADER_CONFIG_DIR": str(config)})
    data = json.loads(proc.stdout)
    bindings = {b["id"]: b for b in data["bindings"]}
    assert bindings["app.quit"]["keys"] == ["x"] and bindings["app.quit"]["default"] == ["q"]
    assert {"main.search", "main.bookmark", "compare.differences"} <= set(bindings)
    assert len(data["problems"]) == 1 and "app.nope" in data["problems"][0]
    assert proc.stderr.strip().splitlines() == [f"newsreader: {data['problems'][0]}"]
    # Piped, the list is plain text with every id and key whole (tui.toml needs them).
    plain = run("keys", env_extra={"NEWSREADER_CONFIG_DIR": str(config)}).stdout
    rows = [line.split() for line in plain.splitlines()[2:]]
    assert {row[0]: row[1] for row in rows} == {
        b["id"]: ",".join(b["keys"]) for b in data["bindings"]
    }
    assert not set("┃│…") & set(plain)


def test_bookmarks_json(tmp_path: Path) -> None:
    from newsreader.index import UserState

    env = {"NEWSREADER_HOME": os.environ["NEWSREADER_HOME"]}
    empty = json.loads(run("bookmarks", "--json", env_extra=env).stdout)
    assert empty["bookmarks"] == []
    state = UserState(Path(empty["state_file"]))
    state.set_bookmark(sample_id("002"))
    state.set_read([sample_id("002")])
    state.set_bookmark("gone.txt")  # no longer in the corpus: still listed
    state.close()
    found = json.loads(run("bookmarks", "--json").stdout)["bookmarks"]
    by_id = {b["id"]: b for b in found}
    assert by_id[sample_id("002")]["outlet"] == "Tribunnews.com"
    assert by_id[sample_id("002")]["read"] is True and by_id[sample_id("002")]["in_index"]
    assert by_id["gone.txt"]["in_index"] is False and by_id["gone.txt"]["title"] is None
    assert set(found[0]) == {
        "id",
        "path",
        "title",
        "display_title",
        "outlet",
        "date",
        "bookmarked",
        "read",
        "in_index",
    }
    hits = json.loads(run("search", "is:bookmarked", "--json").stdout)
    assert [h["id"] for h in hits["hits"]] == [sample_id("002")]


def test_search_json_reports_suggestion_hits_and_partial_matches() -> None:
    run("index", "--json")
    typo = json.loads(run("search", "Erdgan", "--json").stdout)
    assert typo["total"] == 0 and typo["hits"] == []
    assert (typo["suggestion"], typo["suggestion_hits"]) == ("Erdogan", 2)
    assert typo["note"] is None and typo["partial"] is False and typo["total_exact"] is True
    some = json.loads(run("search", "Erdogan Lavrov", "--json").stdout)
    assert some["partial"] is True and "showing the best matches" in some["note"]
    assert some["suggestion"] is None and some["suggestion_hits"] is None
    assert "No article has both words" in run("search", "Erdogan", "Lavrov").stdout


def test_search_filters_that_match_nothing_find_nothing() -> None:
    run("index", "--json")
    assert json.loads(run("search", "Putin", "--json").stdout)["total"] > 0
    for extra in (["--outlet", "no such outlet"], ["--since", "2030"]):
        found = json.loads(run("search", "Putin", "--json", *extra).stdout)
        assert found["total"] == 0 and found["hits"] == []
    padded = json.loads(run("search", "Putin", "--json", "--since", "2023-1").stdout)
    dated = json.loads(run("search", "Putin", "date:>=2023", "--json").stdout)
    assert padded["total"] == dated["total"]
    for bad in ("yesterday", "2019-13", "2023-02-30"):
        proc = run("search", "Putin", "--since", bad, check=False)
        assert_one_line_error(proc, f'cannot read "{bad}" as a date')
    # A span the wrong way round is a mistake to point out, not an empty result.
    proc = run("search", "Putin", "--since", "2019-10", "--until", "2019-09", check=False)
    assert_one_line_error(proc, "the dates are the wrong way round: 2019-10 is after 2019-09")
    for since, until in (("2019-09-30", "2019-09"), ("2019", "2019-05"), ("2019-05", "2019")):
        assert run("search", "Putin", "--json", "--since", since, "--until", until).returncode == 0


def test_a_short_prefix_is_a_one_line_error(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from newsreader.tui.cli.main import cli

    args = ["--corpus", str(SAMPLE), "--index-dir", str(tmp_path / "ix")]
    for query in ("ke*", "k*"):
        result = CliRunner().invoke(cli, ["search", query, *args])
        assert result.exit_code != 0
        assert result.exception is None or isinstance(result.exception, SystemExit)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert f'"{query}" needs at least 3 letters before the *' in lines[0]
        assert "Traceback" not in result.output
    ok = CliRunner().invoke(cli, ["search", "ker*", *args, "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["total"] == 4


def test_the_first_build_says_built(tmp_path: Path) -> None:
    out = run("index", "--index-dir", str(tmp_path / "ix")).stdout
    assert "Built in" in out and "Updated in" not in out


def test_index_compact_says_so(tmp_path: Path) -> None:
    ix = str(tmp_path / "ix")
    first = json.loads(run("index", "--index-dir", ix, "--json").stdout)
    assert first["compacted"] is False
    # A run with nothing to do says "Updated"; the first one said "Built" (see below).
    assert "Updated in" in run("index", "--index-dir", ix).stdout
    again = json.loads(run("index", "--compact", "--index-dir", ix, "--json").stdout)
    assert again["compacted"] is True and again["unchanged"] == 5
    assert "the full text is one segment now" in run("index", "--compact", "--index-dir", ix).stdout
    both = run("index", "--check", "--compact", "--index-dir", ix, check=False)
    assert both.returncode == 2 and "--check and --compact do not go together" in both.stderr
    # tantivy merges its own segments: compacting is nothing to do, and says so.
    other = str(tmp_path / "tantivy")
    out = run("index", "--engine", "tantivy", "--compact", "--index-dir", other).stdout
    assert "Nothing to compact" in out and "one segment now" not in out


def test_a_share_too_small_to_round_up_reads_less_than_one_percent(tmp_path: Path) -> None:
    # A long article that shares one paragraph with a short one: "0%" read as none shared.
    import random

    rnd = random.Random(5)
    words = [
        "sawah",
        "petani",
        "panen",
        "hujan",
        "pupuk",
        "irigasi",
        "gabah",
        "lumbung",
        "traktor",
        "musim",
    ]
    filler = "\n\n".join(" ".join(rnd.choice(words) for _ in range(40)) + "." for _ in range(150))
    shared = (
        "Menteri Pertanian meresmikan bendungan baru di Kabupaten Grobogan pada Senin pagi,"
        " yang akan mengairi ribuan hektar sawah milik petani di tiga kecamatan sekitarnya."
    )
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "long.txt").write_text(f"Laporan panjang\n\n{filler}\n\n{shared}\n", encoding="utf-8")
    (corpus / "short.txt").write_text(f"Bendungan baru\n\n{shared}\n", encoding="utf-8")
    run("index", str(corpus))
    found = json.loads(run("related", "short.txt", "--corpus", str(corpus), "--json").stdout)
    (other,) = found["related"]
    assert 0 < other["coverage_b"] < 0.005  # of the long one
    out = run("related", "short.txt", "--corpus", str(corpus)).stdout
    assert "<1%" in out and "\t0%" not in out and not out.startswith("0%")


def test_search_results_carry_the_articles_url(tmp_path: Path) -> None:
    # Results exported as CSV had no URL column: a journalist could not go to the source.
    corpus = tmp_path / "c"
    corpus.mkdir()
    rows = [
        {"id": "a", "title": "Banjir di Jakarta", "body": "Banjir besar melanda kota.",
         "url": "https://example.com/banjir"},
        {"id": "b", "title": "Banjir lagi", "body": "Hujan deras membuat banjir."},
    ]  # fmt: skip
    (corpus / "news.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    found = json.loads(run("search", "banjir", "--corpus", str(corpus), "--json").stdout)
    urls = {h["id"]: h["url"] for h in found["hits"]}
    assert urls == {"news.jsonl#a": "https://example.com/banjir", "news.jsonl#b": None}
    table = run("search", "banjir", "--corpus", str(corpus), "--format", "csv").stdout
    header, *lines = table.splitlines()
    assert header.split(",")[-1] == "url"
    assert any(line.endswith(",https://example.com/banjir") for line in lines)


def test_a_named_pipe_in_the_corpus_is_skipped_not_waited_on(tmp_path: Path) -> None:
    # A FIFO among the articles hung `index` for good (reading it waits for a writer).
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    os.mkfifo(corpus / "pipe.txt")
    report = json.loads(run("index", str(corpus), "--json", timeout=60).stdout)
    assert len(report["added"]) == 5
    assert {"path": "pipe.txt", "reason": "not a regular file (a pipe, socket or device)"} in (
        report["skipped"]
    )


def test_lost_shingle_postings_are_one_line_naming_the_rebuild(tmp_path: Path) -> None:
    # A damaged page left rows of the catalog's shingle postings without data: `overlaps`
    # died with "internal error: TypeError".
    ix = tmp_path / "ix"
    run("index", "--index-dir", str(ix))
    with sqlite3.connect(live_build(ix) / "catalog.sqlite") as db:
        db.execute("UPDATE shingles SET data = 5")  # what a damaged page reads as: no bytes
    proc = run("overlaps", "--index-dir", str(ix), "--no-update", check=False)
    assert_one_line_error(proc, "newsreader index --rebuild")


def test_command_line_mistakes_are_one_line_too(tmp_path: Path) -> None:
    # Click's own errors were three lines (usage, a hint, the error); a mistyped command
    # was taken for a missing corpus folder.
    for args, needle in (
        (("search", "kpk", "--limit", "0"), "0 is not in the range"),
        (("search", "kpk", "--sort", "foo"), "'foo' is not one of"),
        (("show",), "Missing argument 'ARTICLE'"),
        (("indx",), 'no command or folder named "indx"; did you mean "index"?'),
    ):
        proc = run(*args, check=False)
        assert proc.returncode == 2, args
        assert_one_line_error(proc, needle)
        assert "--help" in proc.stderr
    # A folder of that name is opened as ever (here: it does not exist, and is no command).
    assert_one_line_error(run("qqqzzz", check=False), "corpus folder not found")


def test_a_link_to_a_file_outside_the_corpus_is_not_read(tmp_path: Path) -> None:
    # A link to /etc/passwd in a corpus was read and indexed as an article.
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    secret = tmp_path / "secret.txt"
    secret.write_text("Judul rahasia\n\nIsi rahasia yang tidak boleh terbaca.\n", encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "again.txt").symlink_to(next(corpus.glob("000_*.txt")))  # inside: followed
    report = json.loads(run("index", str(corpus), "--json").stdout)
    assert {"path": "link.txt", "reason": "a link to a file outside the corpus"} in report[
        "skipped"
    ]
    assert "again.txt" in report["added"]


def test_query_words_are_marked_in_a_records_title(tmp_path: Path) -> None:
    # A record's title is not in its text: its words were never marked in the results.
    corpus = tmp_path / "c"
    corpus.mkdir()
    rows = [
        {"id": "a", "title": "Joko Widodo Tinjau Banjir", "body": "Hujan deras sejak pagi."},
        {"id": "b", "body": "Presiden Jokowi meninjau banjir di kota itu."},
    ]  # fmt: skip
    (corpus / "news.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )

    def marked(query: str) -> dict[str, list[str]]:
        found = json.loads(run("search", query, "--corpus", str(corpus), "--json").stdout)
        return {
            h["id"]: [h["title"][m["start"] : m["end"]] for m in h["title_highlights"]]
            for h in found["hits"]
        }

    # The variant written in full, and a stemmed form (banjir); no title, no marks.
    assert marked("jokowi banjir") == {
        "news.jsonl#a": ["Joko Widodo", "Banjir"],
        "news.jsonl#b": [],
    }
    assert marked('"tinjau banjir"') == {"news.jsonl#a": ["Tinjau Banjir"]}
    shown = run("search", "tinjau", "--corpus", str(corpus)).stdout
    assert "Joko Widodo Tinjau Banjir" in shown


def _sample_copy(tmp_path: Path) -> tuple[Path, str]:
    """A copy of the sample corpus, and an index folder for it (not built yet)."""
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    return corpus, str(tmp_path / "ix")


def test_check_of_a_folder_never_indexed_says_there_is_no_index(tmp_path: Path) -> None:
    # It called the index damaged and advised --rebuild, for an index never built.
    corpus, ix = _sample_copy(tmp_path)
    proc = run("index", "--check", str(corpus), "--index-dir", ix, check=False)
    assert_one_line_error(proc, "there is no index at")
    assert "damaged" not in proc.stderr and "`newsreader index` builds it" in proc.stderr
    run("index", str(corpus), "--index-dir", ix)
    assert run("index", "--check", str(corpus), "--index-dir", ix).returncode == 0


def test_an_unknown_engine_in_config_is_reported_with_an_index_already_built(
    tmp_path: Path,
) -> None:
    # `engine = "lucene"` was only looked at when a new index was made: with one built,
    # every command went on as if the setting were right.
    corpus, ix = _sample_copy(tmp_path)
    run("index", str(corpus), "--index-dir", ix)
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('engine = "lucene"\n', encoding="utf-8")
    env = {"NEWSREADER_CONFIG_DIR": str(config)}
    for args in (("search", "putin"), ("stats",)):
        proc = run(*args, "--corpus", str(corpus), "--index-dir", ix, env_extra=env, check=False)
        assert_one_line_error(proc, "config.toml: engine must be one of 'whoosh', 'tantivy'")


def test_with_json_a_rebuild_still_says_why_on_stderr(tmp_path: Path) -> None:
    # `stats --json` rebuilt the index (35 s at 10,000 articles) without a word: the note
    # went with the progress bar; stderr is free for it whatever stdout holds.
    corpus, ix = _sample_copy(tmp_path)
    run("index", str(corpus), "--index-dir", ix)
    config = tmp_path / "config"
    config.mkdir()
    env = {"NEWSREADER_CONFIG_DIR": str(config)}
    for args in (("stats", "--json"), ("search", "putin", "--json")):
        spellings = f'[variants]\ngempa = ["gempa", "lindu{len(args[0])}"]\n'
        (config / "variants.toml").write_text(spellings, encoding="utf-8")
        proc = run(*args, "--corpus", str(corpus), "--index-dir", ix, env_extra=env)
        assert json.loads(proc.stdout)["schema"] == 1
        assert "Rebuilding the index: the text analysis has changed" in proc.stderr


def test_a_file_of_bad_records_unchanged_says_how_many_were_skipped(tmp_path: Path) -> None:
    # The first run listed each bad record with its reason; the runs after (the file
    # unchanged) listed the file once with the first record's reason only.
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    (corpus / "bad.jsonl").write_text("not json\n{broken\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    first = json.loads(run("index", str(corpus), "--index-dir", ix, "--json").stdout)
    assert [s["path"] for s in first["skipped"]] == ["bad.jsonl:1", "bad.jsonl:2"]
    again = json.loads(run("index", str(corpus), "--index-dir", ix, "--json").stdout)
    ((skip),) = again["skipped"]
    assert skip["path"] == "bad.jsonl"
    assert skip["reason"].startswith(first["skipped"][0]["reason"])
    assert skip["reason"].endswith("; 2 records skipped")
