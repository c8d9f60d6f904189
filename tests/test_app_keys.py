"""Key sequences a reader types, driven with Textual's Pilot: the focus model (Escape only
goes back, / is the one way into the search box, q quits outside it), search history, read
marks and flags, open and copy, export, sort, filter and full screen."""

from __future__ import annotations

import dataclasses
import itertools
import json
import stat
import webbrowser
from pathlib import Path

from newsreader.index import Library
from newsreader.tui.screens.dialogs import ChoiceScreen, PathScreen
from newsreader.tui.screens.filter import FilterScreen
from newsreader.tui.widgets.article_view import ArticleView
from newsreader.tui.widgets.related_list import RelatedList
from newsreader.tui.widgets.results import FLAGGED, ON_SHOW, UNREAD, ResultsList
from newsreader.tui.widgets.search_bar import SearchBar
from textual.widgets import Input

from tests.conftest import APP_SIZE, sample_id, search, started, url_corpus, wait_for, wait_idle


def status_text(screen) -> str:
    return str(screen.query_one("#status").render())


def margin(screen, article_id: str) -> str:
    """The marks drawn in front of an article's title in the results (▶ ● ⚑)."""
    results = screen.query_one(ResultsList)
    card = results.get_option(article_id).prompt
    return str(card.lines(80)[0])[:3]


def url_library(tmp_path: Path) -> Library:
    """The three-record corpus of `url_corpus`, indexed."""
    lib = Library.open(url_corpus(tmp_path / "corpus"), tmp_path / "index", variants=Path("/none"))
    lib.update()
    return lib


async def open_filter(pilot) -> FilterScreen:
    app = pilot.app
    await pilot.press("F")
    await wait_for(pilot, lambda: isinstance(app.screen, FilterScreen), what="the filter")
    await pilot.pause()
    return app.screen


async def test_escape_never_moves_into_the_search_box(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        results = screen.query_one(ResultsList)
        box = screen.query_one(SearchBar)
        assert app.focused is results
        await pilot.press("escape", "j", "j", "g")  # Escape in the results goes nowhere
        assert app.focused is results and box.value == ""
        assert results.highlighted == 0
        await pilot.press("slash", *"putin")
        await wait_for(pilot, lambda: screen.results.query == "putin", what="results")
        await pilot.press("escape")  # leaves the box for the results
        assert app.focused is results
        await pilot.press("escape", "escape", "j", "k", "G")
        assert box.value == "putin"
        await pilot.press("enter")  # open: article; Escape back to the results, then stays
        await wait_idle(pilot)
        assert isinstance(app.focused, ArticleView)
        await pilot.press("escape", "escape", "escape", "g")
        await wait_idle(pilot)
        assert app.focused is results and box.value == "putin"
        await pilot.press("tab")  # q quits from the article too
        assert isinstance(app.focused, ArticleView)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_quits_from_the_help_and_the_comparison(make_app) -> None:
    # (From the results and the article: the tests above and test_app.py.)
    for where in ("help", "compare"):
        app = make_app()
        async with app.run_test(size=APP_SIZE) as pilot:
            screen = await started(pilot)
            if where == "help":
                await pilot.press("question_mark")
            else:
                screen.open_comparison(*(h.id for h in screen.results.hits[:2]))
                await wait_idle(pilot)
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running, where


async def test_search_history_with_up_and_down_is_kept(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        box = screen.query_one(SearchBar)
        for query in ("putin", "xi"):
            await pilot.press("slash", "ctrl+u", *query, "enter")  # Enter keeps the search
        await pilot.press("slash", "ctrl+u", *"tiong", "q")  # in the box, q is a letter
        assert app.is_running and box.value == "tiongq"
        await pilot.press("backspace", "up")
        assert box.value == "xi"
        await pilot.press("up", "up")  # the oldest stays
        assert box.value == "putin"
        await pilot.press("down")
        assert box.value == "xi"
        await pilot.press("down")  # back to what was being typed
        assert box.value == "tiong"
        await pilot.press("down")  # past the newest: to the results (a search done)
        assert isinstance(app.focused, ResultsList)
    again = make_app()
    async with again.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("slash", "up")
        assert screen.query_one(SearchBar).value == "tiong"
        await pilot.press("up", "up")
        assert screen.query_one(SearchBar).value == "putin"
        # With the newest search in the box, Up goes to the one before it, not to itself.
        await pilot.press("ctrl+u", *"rusia", "enter", "slash", "up")
        assert screen.query_one(SearchBar).value == "tiong"


async def test_a_search_whose_article_is_clicked_is_kept_in_the_history(make_app) -> None:
    # Typed, then a result clicked with the mouse: the box was never left by a key, and the
    # search was not in the history.
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("slash", "ctrl+u", *"erdogan")
        await wait_for(pilot, lambda: screen.results.query == "erdogan", what="the results")
        await wait_idle(pilot)
        results = screen.query_one(ResultsList)
        assert isinstance(app.focused, SearchBar)
        await pilot.click(ResultsList, offset=(6, 1))
        await wait_for(pilot, lambda: isinstance(app.focused, ArticleView), what="the article")
        assert results.highlighted_id is not None
    again = make_app()
    async with again.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("slash", "up")
        assert screen.query_one(SearchBar).value == "erdogan"


async def test_keys_typed_with_the_enter_that_leaves_the_box_go_to_the_results(make_app) -> None:
    # "banjir", then Enter and "j" in one write (a paste, a fast typist): the box took the
    # "j" before the screen moved the focus, and searched for "banjirj".
    from textual import events

    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        box = screen.query_one(SearchBar)
        results = screen.query_one(ResultsList)
        first = results.highlighted
        for key, char in (("enter", "\r"), ("j", "j"), ("j", "j")):
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)
        await wait_for(pilot, lambda: isinstance(app.focused, ResultsList), what="the results")
        await wait_idle(pilot)
        assert box.value == "putin"
        assert results.highlighted == first + 2
        await pilot.press("slash", "x")  # back in the box, keys are typed into it again
        assert box.value == "putinx"


async def test_read_marks_flags_and_state_queries(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        first, second = (h.id for h in screen.results.hits[:2])
        await wait_for(pilot, lambda: screen.article_id == first, what="the first article")
        assert margin(screen, first) == f"{ON_SHOW}{UNREAD} "  # on show, not yet read
        await pilot.press("enter")  # opening marks it read
        await wait_idle(pilot)
        assert margin(screen, first) == f"{ON_SHOW}  "
        await pilot.press("f")  # flag it
        assert margin(screen, first) == f"{ON_SHOW} {FLAGGED}"
        assert "flagged" in str(screen.query_one(ArticleView).border_title)
        await pilot.press("escape", "j", "m")  # m on the cursor's article: read, unread
        assert second in screen.read_ids
        await pilot.press("m")
        assert second not in screen.read_ids
        await search(pilot, "is:bookmarked")
        assert [h.id for h in screen.results.hits] == [first]
        await search(pilot, "putin is:unread")
        assert first not in {h.id for h in screen.results.hits}
        assert screen.results.total == 4
        await search(pilot, "is:bookmarked")
        await wait_for(pilot, lambda: screen.article_id == first, what="the flagged article")
        await wait_idle(pilot)
        assert "flagged" in str(screen.query_one(ArticleView).border_title)
        await search(pilot, "zzzqqq")  # nothing found: no article, so no flag either
        await wait_idle(pilot)
        assert "flagged" not in str(screen.query_one(ArticleView).border_title)


async def test_read_marks_and_flags_survive_a_rebuild(make_app, library: Library) -> None:
    library.update()
    app = make_app(library)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        first = screen.results.hits[0].id
        await pilot.press("enter", "f")
        await wait_idle(pilot)
    library.close()
    report = library.update(rebuild=True)
    assert report.rebuilt
    again = make_app(Library.open(library.corpus, library.index_dir, variants=Path("/none")))
    async with again.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: first in screen.read_ids, what="the read marks")
        assert margin(screen, first)[1:] == f" {FLAGGED}"
        await search(pilot, "is:read is:bookmarked")
        assert [h.id for h in screen.results.hits] == [first]


async def test_open_the_source_in_the_browser_and_copy(make_app, tmp_path, monkeypatch) -> None:
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", f"{browser} %s")
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # read $BROWSER afresh
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = make_app(url_library(tmp_path))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: screen.article_id is not None, what="the article")
        article = screen.query_one(ArticleView).article
        url = article.meta.url
        assert url in str(screen.query_one(ArticleView).query_one(".url").render())
        await pilot.press("o")
        await wait_for(pilot, opened.exists, what="the browser")
        assert opened.read_text(encoding="utf-8").strip() == url
        for key, expected in (("u", url), ("i", article.id)):
            await pilot.press("y")
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press(key)
            assert app.clipboard == expected
        await pilot.press("y", "t")  # the text as shown: title first
        assert app.clipboard.startswith(article.display_title)
        assert "pasar induk" in app.clipboard
        await pilot.press("y", "escape")  # cancelled: the clipboard is as it was
        assert app.screen is screen and app.clipboard.startswith(article.display_title)


async def test_o_without_a_url_says_so(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: screen.article_id is not None, what="the article")
        await pilot.press("o")
        await pilot.pause()
        assert any("no source URL" in n.message for n in app._notifications)


async def test_export_results_and_article_with_e(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter", "e")  # from the results: the results
        assert isinstance(app.screen, PathScreen)
        app.screen.query_one(Input).value = str(tmp_path / "results.md")
        await pilot.press("enter")
        await pilot.pause()
        text = (tmp_path / "results.md").read_text(encoding="utf-8")
        assert text.startswith("# Search: putin") and "5 results" in text
        assert any(str(tmp_path / "results.md") in n.message for n in app._notifications)
        # The file's name picks the format: data for .csv and .jsonl.
        for name in ("results.csv", "results.jsonl"):
            await pilot.press("e")
            app.screen.query_one(Input).value = str(tmp_path / name)
            await pilot.press("enter")
            await wait_for(pilot, (tmp_path / name).exists, what=name)
        rows = (tmp_path / "results.csv").read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("rank,id,path,title") and len(rows) == 6
        lines = (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["rank"] for line in lines] == [1, 2, 3, 4, 5]
        await pilot.press("enter")  # open the first: now e saves the article
        await wait_idle(pilot)
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path / "article.md")
        await pilot.press("enter")
        await pilot.pause()
        text = (tmp_path / "article.md").read_text(encoding="utf-8")
        assert text.startswith("# " + screen.results.hits[0].display_title[:20])


async def test_export_saves_every_result_not_only_those_listed(make_app, tmp_path) -> None:
    # One result a page: the list holds 1 of the 5, the export all 5, searched again.
    app = make_app(result_limit=1)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        assert len(screen.results.hits) == 1 and screen.results.total == 5
        await pilot.press("enter", "e")
        assert isinstance(app.screen, PathScreen)
        assert "Save all 5 results for “putin” to:" in app.screen.what
        target = tmp_path / "new" / "folder" / "results.md"
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, target.exists, what="the export")
        text = target.read_text(encoding="utf-8")
        assert "5 results; 5 listed." in text
        assert sum(line[:3] in {f"{k}. " for k in range(1, 10)} for line in text.splitlines()) == 5
        saved = [n.message for n in app._notifications if n.message.startswith("Saved")]
        assert saved == [
            f"Saved all 5 results for “putin” to {target} (a new folder: {tmp_path / 'new'})"
        ]


async def test_sort_by_date_with_S(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter")
        by_relevance = [h.id for h in screen.results.hits]
        await pilot.press("S")
        await wait_for(pilot, lambda: screen.sort == "date", what="the sort")
        await wait_idle(pilot)
        dates = [h.date[:10] for h in screen.results.hits if h.date]
        assert dates == sorted(dates, reverse=True) and len(dates) == 2
        assert [h.date is not None for h in screen.results.hits][:2] == [True, True]
        assert sorted(h.id for h in screen.results.hits) == sorted(by_relevance)
        await wait_for(pilot, lambda: "newest first" in status_text(screen), what="status")
        await pilot.press("S")
        await wait_idle(pilot)
        assert [h.id for h in screen.results.hits] == by_relevance
        # Newest first, a query no article fully matches says so once (the note says it).
        await search(pilot, "putin gempa")
        await pilot.press("escape", "S")
        await wait_for(pilot, lambda: screen.sort == "date", what="the sort")
        await wait_idle(pilot)
        assert screen.results.partial
        assert str(screen._summary(screen.results)).count("newest first") == 1


async def test_sorting_while_reading_keeps_the_article_on_show(make_app) -> None:
    # One result a page: sorted anew, the article being read is no longer in the list.
    app = make_app(result_limit=1)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "Beijing")
        await pilot.press("enter")  # to the results
        await pilot.press("enter")  # open the first: the article pane has the keys
        await wait_idle(pilot)
        assert isinstance(app.focused, ArticleView)
        reading = screen.article_id
        assert reading == screen.results.hits[0].id and reading in screen.read_ids
        await pilot.press("S")
        await wait_for(pilot, lambda: screen.sort == "date", what="the sort")
        await wait_idle(pilot)
        top = screen.results.hits[0].id
        assert top != reading  # the sample's newest article on Beijing is another one
        assert screen.article_id == reading and isinstance(app.focused, ArticleView)
        assert top not in screen.read_ids  # nobody opened it


async def test_filter_by_outlet_from_the_keyboard(make_app, tmp_path) -> None:
    app = make_app(url_library(tmp_path))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        assert screen.results.total == 3
        await open_filter(pilot)
        dialog = app.screen
        text = " ".join(str(o.prompt) for o in dialog.query_one("#outlets").options)
        assert "Warta Kota  (2)" in text and "Kabar Kita  (1)" in text
        # The counts are the corpus's, not the results': said so, above them.
        note = str(dialog.query_one("#counts-note").render())
        assert "articles in the whole corpus" in note
        await pilot.press("down", "space")  # the second outlet: Kabar Kita
        for _ in range(8):
            if app.focused.id == "apply":
                break
            await pilot.press("tab")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results.total == 1, what="filtered results")
        assert screen.results.hits[0].outlet == "Kabar Kita"
        # Next to the count, first on the line: a long note or query is cut at its end, the
        # filter and the count never.
        assert status_text(screen).startswith("1 article · filter: Kabar Kita · ")
        # Through the palette: clear it.
        titles = {c.title: c for c in app.get_system_commands(screen)}
        titles["Clear filter"].callback()
        await wait_for(pilot, lambda: screen.results.total == 3, what="all results")


async def test_full_screen_reading_and_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: screen.article_id is not None, what="the article")
        await pilot.press("z")
        await pilot.pause()
        view = screen.query_one(ArticleView)
        assert screen.has_class("-full-screen")
        assert not screen.query_one(ResultsList).display
        assert not screen.query_one(RelatedList).display
        assert view.display and app.focused is view
        assert view.size.width >= APP_SIZE[0] - 6
        await pilot.press("j", "n")  # the article's keys work there
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.has_class("-full-screen") and screen.query_one(ResultsList).display
        await pilot.press("z", "z")  # z also goes back
        await pilot.pause()
        assert not screen.has_class("-full-screen")


async def test_notices_keep_clear_of_the_related_list(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE, notifications=True) as pilot:
        screen = await started(pilot)
        related = screen.query_one(RelatedList)
        await wait_for(pilot, lambda: related.items, what="related articles")
        app.notify("A notice that takes a few lines of the screen to say what it says.")
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))
        assert toasts
        for toast in toasts:
            assert not toast.region.overlaps(related.region)


async def test_footer_at_40_columns_draws_whole_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await started(pilot)
        await pilot.pause()
        keys = list(app.screen.query("FooterKey"))
        assert {k.description for k in keys} >= {"Quit", "Help"}
        assert all(not k.has_class("-command-palette") for k in keys)
        regions = sorted((k.region for k in keys), key=lambda r: r.x)
        assert all(r.right <= 40 for r in regions)
        assert all(a.right <= b.x for a, b in itertools.pairwise(regions))


async def test_typing_holds_back_the_top_article_and_a_keystroke_cancels_it(
    make_app, monkeypatch
) -> None:
    # While the reader types, the top result's article waits for a pause (here a long one),
    # and the next keystroke drops it: drawing it would only slow the typing down.
    from newsreader.tui.screens import main as main_screen

    monkeypatch.setattr(main_screen, "TYPING_DELAY", 5.0)
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        read: list[str] = []
        real = app.engine.reading

        def spy(article_id, terms):
            read.append(article_id)
            return real(article_id, terms)

        app.engine.reading = spy
        screen.query_one(SearchBar).focus()
        await pilot.press(*"putin")
        await wait_for(pilot, lambda: screen.results.query == "putin", what="the results")

        def pending():
            return [w for w in app.workers if w.group == "article" and w.is_running]

        await wait_for(pilot, pending, what="the top article's load, waiting")
        waiting = pending()
        assert read == []
        await pilot.press("space")  # "putin ": the same results, searched again
        assert all(w.is_cancelled for w in waiting)
        await wait_for(pilot, lambda: not any(w.is_running for w in waiting), what="cancel")
        assert read == []
        # Away from the search box, moving through the results loads at once.
        await wait_for(pilot, lambda: screen.results.query == "putin", what="the results")
        await pilot.press("escape")
        await pilot.press("j")
        await wait_for(pilot, lambda: read, what="the article under the cursor")
        assert read[-1] == screen.query_one(ResultsList).highlighted_id


async def test_a_search_of_words_is_run_once_in_the_background_at_start(
    make_app, monkeypatch
) -> None:
    # What the first search of words loads (the query parser and its patterns) is loaded
    # while the reader looks at the first list, by a search nobody sees.
    from newsreader.tui.engine import Engine

    warmed: list[str] = []
    real = Engine.warm_up

    def spy(self, word: str) -> None:
        warmed.append(word)
        real(self, word)

    monkeypatch.setattr(Engine, "warm_up", spy)
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: warmed, what="the warm-up search")
        await wait_idle(pilot)
        assert len(warmed) == 1 and warmed[0] in screen.results.hits[0].title
        assert screen.results.query == "" and "newest first" in status_text(screen)
        screen.query_one(SearchBar).focus()
        await pilot.press(*"putin")
        await wait_for(pilot, lambda: screen.results.query == "putin", what="the results")
        assert len(warmed) == 1


async def test_the_same_article_shown_again_stays_at_its_title(make_app, tmp_path) -> None:
    # A record's title is not in its text: the first block with text of its own is the
    # first paragraph, which a search shown again used to scroll to the top, title and
    # byline out of sight.
    import json

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paragraphs = [
        f"Paragraf {i}: harga cabai di pasar induk naik tajam karena hujan di daerah sentra."
        for i in range(40)
    ]
    record = {"id": "panjang", "title": "Harga cabai naik", "body": "\n\n".join(paragraphs)}
    (corpus / "berita.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    lib = Library.open(corpus, tmp_path / "index", variants=Path("/none"))
    lib.update()
    app = make_app(lib)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        view = screen.query_one(ArticleView)
        await search(pilot, "cabai")
        await wait_idle(pilot)
        await wait_for(pilot, lambda: view.article is not None, what="the article")
        assert view.max_scroll_y > 0  # the article is longer than its pane
        # What a search that finds the same article again does (as the same query retyped).
        view.show(view.reading)
        await wait_idle(pilot)
        await pilot.pause(0.3)  # the place is restored after a refresh
        assert view.scroll_offset.y == 0
        # Scrolled down, the reader's place is kept.
        view.scroll_to(y=30, animate=False, immediate=True)
        await wait_idle(pilot)
        top = view._first_visible_offset()
        view.show(view.reading)
        await wait_idle(pilot)
        await pilot.pause(0.3)
        assert view.scroll_offset.y > 0 and view._first_visible_offset() == top


async def test_ctrl_c_says_how_to_quit_without_markup(make_app) -> None:
    app = make_app()
    notices: list[str] = []
    app.notify = lambda message, **kw: notices.append(message)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(ResultsList).focus()
        await pilot.press("ctrl+c")
        await wait_for(pilot, lambda: notices, what="the notice")
        assert app.is_running
        assert notices == ["Press ctrl+q or q to quit the app."]


async def test_the_file_name_dialog_keeps_keys_typed_in_a_burst_in_order(make_app) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter", "e")
        assert isinstance(app.screen, PathScreen)
        box = app.screen.query_one(Input)
        box.value = "/tmp/hasil.md"
        keys = [("end", None), ("backspace", None), ("backspace", None)]
        for key, char in [*keys, *[(ch, ch) for ch in "html"]]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert box.value == "/tmp/hasil.html"


async def test_enter_twice_before_the_results_come_opens_the_new_first_result(make_app) -> None:
    # A QA pass typed "gempa", Enter, Enter within the debounce: the second Enter opened,
    # and marked read, the first row of the list still on show (the newest article), which
    # the search does not find.
    app = make_app(debounce=0.8)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        newest = screen.results.hits[0].id
        assert newest == sample_id("001")  # 001 has no "Erdogan"
        await pilot.press("slash", *"erdogan", "enter", "enter")
        await wait_for(pilot, lambda: screen.results.query == "erdogan", what="the results")
        await wait_idle(pilot)
        await wait_for(
            pilot, lambda: screen.article_id == screen.results.hits[0].id, what="the first"
        )
        assert screen.article_id in {sample_id("000"), sample_id("002")}
        assert newest not in app.engine.state.read_ids()


async def test_j_pressed_before_the_results_come_moves_in_the_new_results(make_app) -> None:
    # A QA pass sent "gempa", Enter, j, j in one write: the j's moved the cursor in the list
    # still on show, and the new results, coming after, put it back on the first.
    import threading

    app = make_app(debounce=0.8)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        real = app.engine.search
        gate = threading.Event()

        def slow(*args, **kwargs):
            gate.wait(5)
            return real(*args, **kwargs)

        app.engine.search = slow
        await pilot.press("slash", *"putin", "enter", "j", "j")
        results = screen.query_one(ResultsList)
        assert screen.results.query != "putin"  # still on its way
        gate.set()
        await wait_for(pilot, lambda: screen.results.query == "putin", what="the results")
        await wait_idle(pilot)
        assert results.highlighted == 2
        await pilot.press("j")  # and on from there, as ever
        assert results.highlighted == 3


async def test_new_results_stay_on_the_article_under_the_cursor_past_the_first_page(
    make_app,
) -> None:
    # As the index grows, new articles may rank above the one under the cursor and push it
    # past the first page: the cursor jumped to the first result, which took its place on
    # show. It now stays (the list grows to hold it).
    app = make_app(result_limit=2)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        everything = app.engine.search("putin", 10, "relevance", None)
        assert len(screen.results.hits) == 2 < everything.total
        far = everything.hits[3].id
        screen.run_search("putin", delay=0.0, keep=far)
        await wait_for(
            pilot,
            lambda: screen.query_one(ResultsList).highlighted_id == far,
            what="the article kept",
        )
        assert len(screen.results.hits) == 4


async def test_query_words_are_marked_in_a_records_title(make_app, tmp_path: Path) -> None:
    # A record's title is not in its text: neither the results nor the article's heading
    # marked the words searched for, and the heading was set in italics like a stand-in.
    app = make_app(url_library(tmp_path))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "cabai")
        card = screen.query_one(ResultsList).options[0].prompt
        title_line = card.lines(80)[0]
        marked = [
            str(title_line)[s.start : s.end] for s in title_line.spans if "$warning" in str(s.style)
        ]
        assert [w.lower() for w in marked] == ["cabai"]
        await pilot.press("enter")
        view = screen.query_one(ArticleView)
        await wait_for(pilot, lambda: view.article is not None, what="the article")
        heading = view.query_one(".title").visual
        words = [str(heading)[s.start : s.end] for s in heading.spans if "$warning" in str(s.style)]
        assert [w.lower() for w in words] == ["cabai"]
        assert not any("italic" in str(s.style) for s in heading.spans)


async def test_enter_applies_the_filter_from_anywhere_in_the_dialog(make_app, tmp_path) -> None:
    # A QA pass pressed Enter on a checkbox: it toggled the box instead of applying, though
    # the help says "Enter confirms".
    app = make_app(url_library(tmp_path))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)

        dialog = await open_filter(pilot)
        await pilot.press("down", "space", "enter")  # Kabar Kita, from the outlet list
        await wait_for(pilot, lambda: screen.results.total == 1, what="filtered results")
        assert not isinstance(app.screen, FilterScreen)
        assert screen.filter.outlets == ("Kabar Kita",)

        dialog = await open_filter(pilot)
        unread = dialog.query_one("#unread")
        unread.focus()
        await pilot.pause()
        await pilot.press("space")  # Space still toggles the checkbox
        assert unread.value
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, FilterScreen), what="applied")
        assert screen.filter.unread and screen.filter.outlets == ("Kabar Kita",)

        dialog = await open_filter(pilot)
        dialog.query_one("#from").focus()
        await pilot.press("space")  # Space opens a month list; Enter in it picks a month
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen) and dialog.query_one("#from").value
        await pilot.press("enter")  # the list closed: Enter applies
        await wait_for(pilot, lambda: screen.filter.date_from is not None, what="the month")
        assert not isinstance(app.screen, FilterScreen)

        await open_filter(pilot)
        await pilot.press("escape")  # Escape still cancels
        await pilot.pause()
        assert not isinstance(app.screen, FilterScreen) and screen.filter.unread


async def test_export_of_results_names_the_formats_for_an_unknown_extension(
    make_app, tmp_path
) -> None:
    app = make_app(export_dir=tmp_path)
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter", "e")
        assert isinstance(app.screen, PathScreen)
        box = app.screen.query_one(Input)
        assert box.selection.is_empty and box.cursor_position == len(box.value)
        box.value = str(tmp_path / "results.html")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathScreen) and not (tmp_path / "results.html").exists()
        hint = str(app.screen.query_one(".dialog-hint").render())
        assert all(s in hint for s in (".md", ".csv", ".jsonl")), hint
        box.value = str(tmp_path / "results.csv")
        await pilot.press("enter")
        await wait_for(pilot, (tmp_path / "results.csv").exists, what="the export")


async def test_a_filter_that_hides_the_article_on_show_shows_its_first_result(
    make_app, tmp_path
) -> None:
    # A QA pass read an article and applied a filter that excludes it: the article stayed
    # on show, and no result had the ▶ of the article on show.
    app = make_app(url_library(tmp_path))
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("enter")  # the newest, Kabar Kita's, opened: the article has the keys
        await wait_idle(pilot)
        reading = screen.article_id
        assert isinstance(app.focused, ArticleView) and reading.endswith("#r0")
        await open_filter(pilot)
        await pilot.press("space", "enter")  # Warta Kota only
        await wait_for(pilot, lambda: screen.results.total == 2, what="filtered results")
        first = screen.results.hits[0].id
        await wait_for(pilot, lambda: screen.article_id == first, what="the first result")
        await wait_idle(pilot)
        assert ON_SHOW in margin(screen, first)
        assert screen.query_one(ResultsList).highlighted_id == first
        assert isinstance(app.focused, ResultsList) and first not in screen.read_ids
        # A filter that keeps the article on show leaves it there.
        screen.set_filter(dataclasses.replace(screen.filter, outlets=("Warta Kota",)))
        await wait_idle(pilot)
        assert screen.article_id == first


async def test_the_count_and_the_filter_survive_a_narrow_status_line(make_app, tmp_path) -> None:
    # A QA pass at 60x20 with a month filter read "filter: 2019-08 to 2019…": the number of
    # results was cut off entirely.
    from newsreader.tui.screens.filter import Filter

    app = make_app(url_library(tmp_path))
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await started(pilot)
        await search(pilot, "harga")
        screen.set_filter(Filter(date_from="2023-11", date_to="2024-01"))
        await wait_for(pilot, lambda: screen.results.total == 1, what="filtered results")
        await wait_idle(pilot)
        line = screen.query_one("#status")
        shown = "".join(segment.text for segment in line.render_line(0)).strip()
        # (The pane indicator beside it leaves the line some 25 cells at 60 columns.)
        assert shown.startswith("1 result · filter: 2023-1"), shown
