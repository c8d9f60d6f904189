"""What a `newsreader search` process loads and how it reads the index: only what its
output needs, and the index's files as it goes, with the same answers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from newsreader.index import Library, read_index_lazily
from newsreader.index.search import fulltext

from .conftest import SAMPLE

# Runs the command in this interpreter and says which heavy modules it loaded.
PROBE = """
import sys
from newsreader.tui.cli.main import main
try:
    main(sys.argv[1:])
finally:
    loaded = [m for m in ("rich", "rich.console", "textual", "Sastrawi",
                          "newsreader.index.reuse.align", "asyncio", "urllib.request",
                          "whoosh.lang.morph_en")
              if m in sys.modules]
    print("LOADED " + ",".join(loaded), file=sys.stderr)
"""


def _loaded(*args: str) -> tuple[str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("LOADED "))
    return proc.stdout, set(filter(None, line[len("LOADED ") :].split(",")))


def test_search_json_loads_only_what_it_needs(tmp_path: Path) -> None:
    index = str(tmp_path / "ix")
    _loaded("index", str(SAMPLE), "--index-dir", index)
    out, loaded = _loaded(
        "search", "--corpus", str(SAMPLE), "--index-dir", index, "--json", "kerja"
    )
    assert json.loads(out)["total"] > 0
    assert loaded == set()
    # Text output to a pipe needs Rich's word wrapping, not its console; a word the index
    # has never seen needs the stemmer. Neither needs what Whoosh imports for features a
    # search does not use (whoosh_deps.py).
    out, loaded = _loaded("search", "--corpus", str(SAMPLE), "--index-dir", index, "zzqwerty")
    assert "0 results" in out
    assert loaded == {"rich", "Sastrawi"}
    out, loaded = _loaded("search", "--corpus", str(SAMPLE), "--index-dir", index, "hari")
    assert "results for hari" in out and "\n1. " in out
    assert "rich.console" not in loaded


def test_reading_lazily_gives_the_same_answers(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mapped = sample_library.search("kerja sama", limit=10)
    monkeypatch.setattr(fulltext, "_MAP_FILES", [True])
    assert fulltext.storage(tmp_path, readonly=True).supports_mmap
    read_index_lazily()
    assert not fulltext.storage(tmp_path, readonly=True).supports_mmap
    assert fulltext.storage(tmp_path, readonly=False).supports_mmap  # a writer is unchanged
    lazy = Library.open(SAMPLE, sample_library.index_dir, variants=Path("/nonexistent"))
    found = lazy.search("kerja sama", limit=10)
    assert found.total == mapped.total > 0
    assert [(h.id, h.score) for h in found.hits] == [(h.id, h.score) for h in mapped.hits]


def test_newest_first_lists_walk_the_date_index_in_the_same_order(
    sample_library: Library,
) -> None:
    every = sample_library.summaries()
    dated = [s for s in every if s.date is not None]
    assert dated and len(dated) < len(every)  # the sample has both kinds
    # Dated ones first, newest first (ties by id), then the undated ones by id.
    assert every[: len(dated)] == sorted(dated, key=lambda s: (_neg(s.date), s.id))
    assert all(s.date is None for s in every[len(dated) :])
    undated = every[len(dated) :]
    assert [s.id for s in undated] == sorted(s.id for s in undated)
    for n in range(1, len(every) + 2):
        assert sample_library.summaries(limit=n) == every[:n]


def _neg(date: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in date)


WHOOSH_FEATURES = """
import sys
import newsreader.index.search.engine  # Whoosh imported the way a search imports it
import urllib
import whoosh.compat, whoosh.query.terms
assert "urllib.request" not in sys.modules and "whoosh.lang.morph_en" not in sys.modules
assert not hasattr(urllib, "request")
# The names Whoosh took still work, importing the real modules when called.
assert "rendering" in set(whoosh.query.terms.variations("render"))
assert "whoosh.lang.morph_en" in sys.modules
import urllib.request
assert urllib.request.urlopen and urllib.request.__spec__ is not None
assert whoosh.compat.urlretrieve.__name__ == "urlretrieve"
from whoosh.reading import SegmentReader
import functools
assert isinstance(SegmentReader.__dict__["deleted_docs_set"], functools.cached_property)
print("ok")
"""


def test_whoosh_loads_its_unused_modules_only_when_they_are_used() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", WHOOSH_FEATURES], capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip() == "ok", proc.stderr
