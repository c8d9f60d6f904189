"""An index folder knows its corpus: it is used when no corpus is given, and never replaced
by another corpus's index unless asked. A user can set a default corpus once, and name an
article of a record file by its bare record id, or a unique prefix of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import SAMPLE
from tests.test_cli import assert_one_line_error, run


def records_corpus(folder: Path) -> Path:
    folder.mkdir()
    rows = [
        {
            "id": "kompas-00347",
            "title": "Harga emas naik",
            "body": "Harga emas Antam naik "
            "tajam pada perdagangan pagi ini di Jakarta menurut data resmi.",
        },
        {
            "id": "tempo-00012",
            "title": "Banjir di Bekasi",
            "body": "Banjir merendam ratusan rumah warga di Bekasi setelah hujan deras semalaman.",
        },
    ]
    (folder / "articles.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8"
    )
    return folder


def test_an_index_folder_alone_searches_its_own_corpus(tmp_path: Path) -> None:
    corpus = records_corpus(tmp_path / "news")
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    found = json.loads(run("search", "banjir", "--index-dir", str(ix), "--json").stdout)
    assert [h["id"] for h in found["hits"]] == ["articles.jsonl#tempo-00012"]
    assert json.loads(run("stats", "--index-dir", str(ix), "--json").stdout)["articles"] == 2


def test_another_corpus_never_replaces_an_index_unless_asked(tmp_path: Path) -> None:
    corpus = records_corpus(tmp_path / "news")
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    proc = run("search", "putin", "--corpus", str(SAMPLE), "--index-dir", str(ix), check=False)
    assert_one_line_error(proc, "holds the index of another corpus")
    assert "--rebuild" in proc.stderr
    # Nothing was lost: the folder still answers for its own corpus.
    found = json.loads(run("search", "emas", "--index-dir", str(ix), "--json").stdout)
    assert found["total"] == 1
    run("index", str(SAMPLE), "--index-dir", str(ix), "--rebuild")
    assert json.loads(run("search", "putin", "--index-dir", str(ix), "--json").stdout)["total"]


def test_a_default_corpus_set_once_in_the_config(tmp_path: Path, isolated_dirs: Path) -> None:
    corpus = records_corpus(tmp_path / "news")
    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(f'corpus = "{corpus}"\n', encoding="utf-8")
    found = json.loads(run("search", "emas", "--json").stdout)
    assert [h["id"] for h in found["hits"]] == ["articles.jsonl#kompas-00347"]
    # A relative folder is read beside the config file, not in the working folder.
    shutil.copytree(corpus, config / "beside")
    (config / "config.toml").write_text('corpus = "beside"\n', encoding="utf-8")
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["corpus"] == str((config / "beside").resolve())
    (config / "config.toml").write_text("corpus = 3\n", encoding="utf-8")
    assert_one_line_error(run("search", "emas", check=False), "corpus must be a folder")


def test_a_bare_record_id_names_an_article(tmp_path: Path) -> None:
    corpus = records_corpus(tmp_path / "news")
    shown = json.loads(run("show", "kompas-00347", "--corpus", str(corpus), "--json").stdout)
    assert shown["id"] == "articles.jsonl#kompas-00347"
    # A unique prefix of a record id names its article too.
    shown = json.loads(run("show", "tempo-000", "--corpus", str(corpus), "--json").stdout)
    assert shown["id"] == "articles.jsonl#tempo-00012"
    # A whole record id wins over a longer one it begins; a prefix of both names neither.
    with (corpus / "articles.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "kompas-003471", "body": "Harga perak turun tajam."}) + "\n")
    shown = json.loads(run("show", "kompas-00347", "--corpus", str(corpus), "--json").stdout)
    assert shown["id"] == "articles.jsonl#kompas-00347"
    assert_one_line_error(
        run("show", "kompas-0034", "--corpus", str(corpus), check=False), "matches 2 articles"
    )


def test_a_moved_corpus_is_named_in_the_error(tmp_path: Path) -> None:
    corpus = records_corpus(tmp_path / "news")
    ix = tmp_path / "ix"
    run("index", str(corpus), "--index-dir", str(ix))
    shutil.rmtree(corpus)
    assert_one_line_error(
        run("search", "emas", "--index-dir", str(ix), check=False), "not there any more"
    )
