"""Shared fixtures. Every test runs with its own data and config folders, so no test reads
or writes the user's real index; the sample corpus is indexed once per session."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from newsreader.index import Library
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_corpus"
SAMPLE_IDS = sorted(p.name for p in SAMPLE.glob("*.txt"))


def newsreader_bin() -> str:
    """The installed `newsreader` command (next to this Python, or on PATH)."""
    local = Path(sys.executable).parent / "newsreader"
    found = str(local) if local.exists() else shutil.which("newsreader")
    if not found:
        pytest.skip("the newsreader command is not installed")
    return found


def live_build(index_dir: Path) -> Path:
    """The folder of an index's live build (its catalog.sqlite and text/)."""
    from newsreader.index.store.layout import Layout

    build = Layout(index_dir).live()
    assert build is not None, f"no index in {index_dir}"
    return build


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


# -- the app ----------------------------------------------------------------------------------
APP_SIZE = (120, 36)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (Textual's Pilot) in a fresh event loop: no async plugin is
    installed, and one is not needed for this."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{n: pyfuncitem.funcargs[n] for n in names}))
    return True


def app_settings(**changes):
    """Settings for app tests: a short debounce keeps the tests quick; the theme is fixed so
    that snapshots do not depend on the machine's config."""
    from newsreader.tui.config import Settings

    return Settings(**{"debounce": 0.05, "theme": "textual-dark", **changes})


async def wait_for(pilot, predicate, timeout: float = 10.0, what: str = "condition") -> None:
    """Let the app run until `predicate()` holds (workers finish at their own pace)."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)
    await asyncio.sleep(0)


async def wait_idle(pilot, timeout: float = 10.0) -> None:
    """Wait until no worker is running and the screen has settled."""
    app = pilot.app
    await wait_for(
        pilot, lambda: not any(w.is_running for w in app.workers), timeout, "workers to finish"
    )
    await pilot.pause()


async def started(pilot):
    """Wait for the main screen's first results."""
    from newsreader.tui.screens.main import MainScreen

    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
        what="first results",
    )
    await wait_idle(pilot)
    return app.screen


async def search(pilot, text: str):
    """Type `text` into the search box and wait for its results."""
    from newsreader.tui.widgets.search_bar import SearchBar

    screen = pilot.app.screen
    box = screen.query_one(SearchBar)
    box.focus()
    box.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await wait_for(
        pilot,
        lambda: screen.results is not None and screen.results.query == text.strip(),
        what=f"results for {text!r}",
    )
    await wait_idle(pilot)
    return screen


@pytest.fixture
def make_app(sample_library: Library):
    """A factory for the app on the (already indexed) sample corpus."""
    from newsreader.tui.app import NewsreaderApp

    def make(library: Library | None = None, **settings):
        return NewsreaderApp(library or sample_library, app_settings(**settings))

    return make


def url_corpus(folder: Path) -> Path:
    """Three records with titles, outlets, dates and source URLs (one JSON Lines file)."""
    import json

    folder.mkdir(parents=True)
    records = [
        {
            "id": f"r{i}",
            "title": title,
            "source": outlet,
            "date": date,
            "url": f"https://example.com/berita/{i}?a=1&b=<2>",
            "body": body,
        }
        for i, (title, outlet, date, body) in enumerate(
            [
                (
                    "Harga cabai naik tajam",
                    "Kabar Kita",
                    "2024-03-02",
                    "Harga cabai di pasar induk naik tajam sejak pekan lalu karena hujan.\n\n"
                    "Pedagang mengatakan pasokan dari daerah sentra berkurang.",
                ),
                (
                    "Harga beras stabil",
                    "Warta Kota",
                    "2024-01-15",
                    "Harga beras di pasar induk stabil menjelang akhir tahun, kata pejabat.",
                ),
                (
                    "Pasokan cabai berkurang",
                    "Warta Kota",
                    "2023-11-20",
                    "Pasokan cabai dari daerah sentra berkurang karena hujan deras.",
                ),
            ]
        )
    ]
    (folder / "berita.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    return folder
