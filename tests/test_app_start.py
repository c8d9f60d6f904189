"""Start-up (indexing in the app, with progress and cancel) and text that looks like markup."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from newsreader.index import Library, UpdateReport
from newsreader.tui.screens.indexing import IndexingScreen
from newsreader.tui.screens.main import MainScreen
from newsreader.tui.widgets.article_view import ArticleView
from newsreader.tui.widgets.results import ResultsList

from tests.conftest import APP_SIZE, wait_for, wait_idle

MARKUP_TITLE = "Harga [cabai] naik, [bold]pedagang[/bold] mengeluh"
MARKUP_BODY = (
    "Menurut [link=https://x.id]dinas[/link] pasar, harga cabai [red]naik[/] "
    "tajam sejak pekan lalu; $warning dan [@click=app.quit]pembeli[/] berkurang."
)


def markup_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "cabai.txt").write_text(
        f"{MARKUP_TITLE}\n\n{MARKUP_BODY}\n\nPedagang di pasar induk mengatakan pasokan "
        "cabai dari daerah sentra berkurang karena hujan deras yang turun berhari-hari.\n",
        encoding="utf-8",
    )
    (folder / "beras.txt").write_text(
        "Harga beras stabil menjelang akhir tahun\n\nHarga beras di pasar induk stabil "
        "menjelang akhir tahun, kata pejabat dinas perdagangan kepada wartawan.\n",
        encoding="utf-8",
    )
    return folder


def gated_update(app, gate: threading.Event, calls: list[str]) -> None:
    """Hold the real update until `gate` opens, so the test can see the progress screen."""
    real = app.engine.update

    def update(progress, should_stop):
        calls.append(threading.current_thread().name)
        progress(0, 2, "cabai.txt")
        gate.wait(10)
        return real(progress, should_stop)

    app.engine.update = update


async def test_missing_index_is_built_in_the_app_with_progress(make_app, tmp_path) -> None:
    corpus = markup_corpus(tmp_path / "corpus")
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)
    gate = threading.Event()
    calls: list[str] = []
    gated_update(app, gate, calls)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, IndexingScreen), what="the indexing screen"
        )
        screen = app.screen
        await wait_for(
            pilot,
            lambda: "cabai.txt" in str(screen.query_one("#indexing-file").render()),
            what="progress",
        )
        assert "no index yet" in str(screen.query_one("#indexing-reason").render())
        # The interface stays responsive while the worker runs.
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen
        gate.set()
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        assert calls and calls[0] != threading.main_thread().name
        assert app.screen.results.total == 2
    assert lib.exists()


async def test_escape_cancels_indexing_and_keeps_the_old_index(make_app, tmp_path) -> None:
    corpus = markup_corpus(tmp_path / "corpus")
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    lib.update()
    later = time.time() + 5
    os.utime(corpus / "beras.txt", (later, later))  # now stale
    assert lib.pending().stale
    app = make_app(lib)
    stopped = []

    def slow_update(progress, should_stop):
        for done in range(1000):
            if should_stop():
                stopped.append(done)
                return UpdateReport(interrupted=True)
            progress(done, 1000, f"file{done}.txt")
            time.sleep(0.01)
        return UpdateReport()

    app.engine.update = slow_update
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, IndexingScreen), what="the indexing screen"
        )
        await pilot.pause(0.2)
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        assert stopped and stopped[0] < 1000
        assert app.screen.results.total == 2  # the index as it was


async def test_cancel_with_nothing_indexed_leaves_the_app(make_app, tmp_path) -> None:
    corpus = markup_corpus(tmp_path / "corpus")
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)

    def slow_update(progress, should_stop):
        while not should_stop():
            time.sleep(0.01)
        return UpdateReport(interrupted=True)

    app.engine.update = slow_update
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot, lambda: isinstance(app.screen, IndexingScreen), what="the indexing screen"
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.is_running, what="the app to exit")
    assert app.return_code == 130


async def test_article_text_is_never_read_as_markup(make_app, tmp_path) -> None:
    corpus = markup_corpus(tmp_path / "corpus")
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    lib.update()
    app = make_app(lib)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        screen = app.screen
        screen.query_one("#search").focus()
        await pilot.press(*"cabai")
        await wait_for(pilot, lambda: screen.results.query == "cabai", what="results")
        await wait_idle(pilot)
        card = screen.query_one(ResultsList).options[0].prompt
        assert str(card.lines(200)[0]) == MARKUP_TITLE
        await pilot.press("enter", "enter")
        await wait_idle(pilot)
        view = screen.query_one(ArticleView)
        assert str(view.query_one(".title").render()) == MARKUP_TITLE
        bodies = [str(p.render()) for p in view.query(".paragraph")]
        assert MARKUP_BODY in bodies
        # And on screen, character for character.
        lines = [
            "".join(seg.text for seg in widget.render_line(y))
            for widget in (view.query_one(".title"), *view.query(".paragraph"))
            for y in range(widget.size.height)
        ]
        assert any("[cabai]" in line for line in lines)
        assert any("[link=https://x.id]dinas[/link]" in line for line in lines)
        assert app.is_running  # "[@click=app.quit]" did nothing
