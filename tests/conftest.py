"""Shared fixtures. Every test runs with its own data and config folders, so no test reads
or writes the user's real index; the sample corpus is indexed once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import Analyzer, Library, load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_corpus"
SAMPLE_IDS = sorted(p.name for p in SAMPLE.glob("*.txt"))


def sample_id(prefix: str) -> str:
    """The full id of a sample article from its number ("000")."""
    return next(i for i in SAMPLE_IDS if i.startswith(prefix))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NEWSREADER_HOME", str(home / "data"))
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(home / "config"))
    monkeypatch.delenv("NEWSREADER_INDEX_DIR", raising=False)
    monkeypatch.delenv("NEWSREADER_CORPUS", raising=False)
    return home


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(load_vocabulary(None))


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled sample corpus, indexed once (read-only use only)."""
    index_dir = tmp_path_factory.mktemp("sample-index") / "ix"
    lib = Library.open(SAMPLE, index_dir, variants=Path("/nonexistent"))
    lib.update()
    return lib


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus."""
    dest = tmp_path / "corpus"
    shutil.copytree(SAMPLE, dest)
    return dest


@pytest.fixture
def library(corpus: Path, tmp_path: Path) -> Library:
    """A library over a writable copy of the sample corpus, not yet indexed."""
    return Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
