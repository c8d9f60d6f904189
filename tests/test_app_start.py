"""Start-up (indexing in the background while the reader searches what is committed) and
text that looks like markup."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

from newsreader.index import Library
from newsreader.index.store import sync
from newsreader.tui.screens.main import MainScreen
from newsreader.tui.widgets.article_view import ArticleView
from newsreader.tui.widgets.results import ResultsList

from tests.conftest import APP_SIZE, started, wait_for, wait_idle

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


def many_articles(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"berita{i:02d}.txt").write_text(
            f"Pasar induk hari ke-{i} ramai\n\nPedagang di pasar induk melaporkan harga "
            f"cabai dan beras pada hari ke-{i}, kata pejabat dinas perdagangan kepada "
            "wartawan di kantor wali kota.\n",
            encoding="utf-8",
        )
    return folder


def gate_after(app, calls: int, gate: threading.Event) -> None:
    """Hold the real update when it asks whether to stop for the `calls`-th time (once per
    file), until `gate` opens: the test sees the app mid-update."""
    real = app.engine.update

    def update(progress, should_stop):
        asked = itertools.count(1)

        def stop() -> bool:
            if next(asked) == calls:
                gate.wait(30)
            return should_stop()

        return real(progress, stop)

    app.engine.update = update


async def test_a_new_index_is_searchable_batch_by_batch_while_it_is_built(
    make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    corpus = many_articles(tmp_path / "corpus", 12)
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)
    gate = threading.Event()
    gate_after(app, 7, gate)  # six files read, the first four committed
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.results.total == 4, what="the first batch")
        assert app.indexing
        banner = str(screen.query_one("#indexing").render())
        assert "Indexing" in banner and "4 articles searchable" in banner
        # Nothing blocks: the reader moves through what is there and searches it.
        await wait_idle_but_index(pilot)
        screen.query_one(ResultsList).focus()
        await pilot.press("j")
        assert screen.query_one(ResultsList).highlighted == 1
        await pilot.press("slash", *"cabai")
        await wait_for(pilot, lambda: screen.results.query == "cabai", what="a search")
        assert screen.results.total == 4
        gate.set()
        await wait_for(pilot, lambda: not app.indexing, what="the end of the update")
        await wait_for(pilot, lambda: screen.results.total == 12, what="every article")
        assert not screen.query_one("#indexing").display
    assert lib.exists()


async def test_stopping_the_update_keeps_what_was_committed(
    make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    corpus = many_articles(tmp_path / "corpus", 12)
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)
    gate = threading.Event()
    gate_after(app, 7, gate)
    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.results.total == 4, what="the first batch")
        titles = {c.title for c in app.get_system_commands(screen)}
        assert "Stop indexing" in titles
        app.action_stop_indexing()
        assert "stopping" in str(screen.query_one("#indexing").render())
        gate.set()
        await wait_for(pilot, lambda: not app.indexing, what="the update to stop")
        await wait_idle(pilot)
        assert app.is_running
        # Stopping commits what was done (at least the first batch), and the rest waits.
        assert 4 <= screen.results.total < 12
    assert Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent")).pending().stale


async def test_an_unexpected_failure_of_the_update_is_one_notice_not_a_crash(
    make_app, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    corpus = many_articles(tmp_path / "corpus", 12)
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)
    real = app.engine.update
    calls = itertools.count(1)

    def update(progress, should_stop):
        def stop() -> bool:
            if next(calls) == 7:  # the first batch committed
                raise RuntimeError("a bug in the engine")
            return should_stop()

        return real(progress, stop)

    app.engine.update = update
    notices: list[str] = []
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        app.notify = lambda message, **kw: notices.append(f"{kw.get('title')}: {message}")
        await wait_for(pilot, lambda: not app.indexing and notices, what="the failure")
        assert app.is_running
        assert notices == ["Indexing failed: internal error: RuntimeError: a bug in the engine"]
        screen = app.screen
        await wait_for(pilot, lambda: screen.results is not None, what="the results")
        assert screen.results.total == 4  # what was committed stays searchable


async def wait_idle_but_index(pilot) -> None:
    """Wait for every worker but the update (held at its gate) to finish."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: not any(w.is_running for w in app.workers if w.group != "index"),
        what="workers to finish",
    )


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
        assert str(card.lines(200)[0])[4:] == MARKUP_TITLE  # after the marks
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


async def test_the_banner_names_the_last_steps_of_an_update(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE):
        app._record(50, 100, "berita.txt")  # a file being read: no step named
        assert "Indexing 50%" in str(app.indexing_text())
        assert "berita" not in str(app.indexing_text())
        app._record(100, 100, "finishing: the spelling dictionary")
        text = str(app.indexing_text())
        assert "Indexing 100%" in text and "finishing: the spelling dictionary" in text
        assert "left" not in text


async def test_articles_another_process_commits_appear_without_a_keystroke(
    make_app, tmp_path, monkeypatch
) -> None:
    from newsreader.tui import app as app_module

    monkeypatch.setattr(app_module, "WATCH_EVERY", 0.2, raising=False)
    corpus = many_articles(tmp_path / "corpus", 3)
    index = tmp_path / "index"
    Library.open(corpus, index, variants=Path("/nonexistent")).update()
    app = make_app(Library.open(corpus, index, variants=Path("/nonexistent")))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        assert screen.results.total == 3
        await pilot.pause(0.5)  # a look or two at an index nobody changes: nothing moves
        assert screen.results.total == 3
        # `newsreader index` in a shell: two more articles committed by another writer.
        for i in (3, 4):
            (corpus / f"berita{i:02d}.txt").write_text(
                f"Pasar induk hari ke-{i} ramai\n\nPedagang melaporkan harga cabai.\n",
                encoding="utf-8",
            )
        other = Library.open(corpus, index, variants=Path("/nonexistent"))
        other.update()
        other.close()
        await wait_for(pilot, lambda: screen.results.total == 5, what="the new articles")
        banner = screen.query_one("#indexing")
        assert not banner.display
        # While another process holds the writers' lock, the top bar says so.
        import fcntl

        with (index / "lock").open("a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            await wait_for(pilot, lambda: banner.display, what="the banner")
            assert "Another newsreader process is indexing · 5 articles" in str(banner.render())
        await wait_for(pilot, lambda: not banner.display, what="the banner to go")


async def test_a_stopped_update_stays_in_the_top_bar_and_can_be_resumed(
    make_app, tmp_path, monkeypatch
) -> None:
    # A QA pass stopped indexing from the palette: once the notice went, nothing said the
    # index was partial, the top bar read like a complete corpus, and nothing resumed it.
    monkeypatch.setattr(sync, "COMMIT_EVERY_ARTICLES", 4)
    corpus = many_articles(tmp_path / "corpus", 12)
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/nonexistent"))
    app = make_app(lib)
    gate = threading.Event()
    gate_after(app, 7, gate)
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        screen = app.screen
        await wait_for(pilot, lambda: screen.results.total == 4, what="the first batch")
        app.action_stop_indexing()
        gate.set()
        await wait_for(pilot, lambda: not app.indexing, what="the update to stop")
        await wait_idle(pilot)
        searchable = screen.results.total
        banner = screen.query_one("#indexing")
        await wait_for(pilot, lambda: "files not indexed" in str(banner.render()), what="left")
        text = str(banner.render())
        assert banner.display and banner.region.height == 1  # shown, at 60x20 too
        assert text.startswith(f"Indexing stopped · {searchable} articles searchable"), text
        assert f"{12 - searchable} files not indexed yet" in text
        titles = {c.title: c for c in app.get_system_commands(screen)}
        assert "Stop indexing" not in titles
        titles["Resume indexing"].callback()
        await wait_for(pilot, lambda: screen.results.total == 12, what="every article")
        await wait_for(pilot, lambda: not app.indexing, what="the end of the update")
        assert not banner.display
        assert "Resume indexing" not in {c.title for c in app.get_system_commands(screen)}
