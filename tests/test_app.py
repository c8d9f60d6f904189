"""The app driven with Textual's Pilot: each flow a reader follows on the main screen."""

from __future__ import annotations

import threading

from newsreader.tui.screens.compare import ComparisonScreen
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.widgets.article_view import ArticleView, _line_of
from newsreader.tui.widgets.related_list import RelatedList
from newsreader.tui.widgets.results import ResultsList
from newsreader.tui.widgets.search_bar import SearchBar
from textual.widgets import Input

from tests.conftest import APP_SIZE, sample_id, search, started, wait_for, wait_idle


def assert_hit_in_view(view: ArticleView) -> None:
    """The line holding the current hit is inside the visible part of the article."""
    hit = view.hits[view.current]
    block = next(b for b in view._blocks if b.start <= hit.start < b.end)
    width = block.widget.content_region.width
    y = block.widget.virtual_region.y + _line_of(
        block.base.plain, block.lead + hit.start - block.start, width
    )
    top = view.scroll_y
    assert top <= y < top + view.scrollable_content_region.height, (y, top)


def status_text(screen) -> str:
    return str(screen.query_one("#status").render())


def result_ids(screen) -> list[str]:
    return [o.id for o in screen.query_one(ResultsList).options]


async def test_start_lists_all_articles_newest_first(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        # The results have the keys from the start; / is the way into the search box.
        assert isinstance(app.focused, ResultsList)
        assert screen.results.total == 5
        assert "5 articles, newest first" in status_text(screen)
        dates = [h.date for h in screen.results.hits if h.date]
        assert dates == sorted(dates, reverse=True)
        # The first article is on show without the reader asking.
        assert screen.article_id == screen.results.hits[0].id


async def test_search_as_you_type_is_debounced_and_off_the_event_loop(make_app) -> None:
    app = make_app(debounce=0.3)
    calls: list[tuple[str, bool]] = []
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        real = app.engine.search

        def spy(query: str, limit: int, *args):
            calls.append((query, threading.current_thread() is threading.main_thread()))
            return real(query, limit, *args)

        app.engine.search = spy
        await search(pilot, "putin")
        # Five keystrokes inside the debounce window make one search, in a thread.
        assert calls == [("putin", False)]
        assert screen.results.total >= 3
        assert "results for putin" in status_text(screen)
        hit = screen.results.hits[0]
        assert hit.snippet.highlights, "the snippet marks the matched word"


async def test_hit_keys_pressed_before_the_opened_article_arrives_apply_to_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        await pilot.press("tab")  # to the results, the top one's article loaded
        await wait_idle(pilot)
        real = app.engine.reading
        gate = threading.Event()

        def slow(article_id: str, terms):
            gate.wait(5)
            return real(article_id, terms)

        app.engine.reading = slow
        # The second result, opened and stepped through before it can be on show.
        await pilot.press("j", "enter", "n", "n", "n", "N")
        view = screen.query_one(ArticleView)
        second = screen.results.hits[1].id
        assert view.article is None or view.article.id != second  # still on its way
        gate.set()
        await wait_for(pilot, lambda: view.article is not None and view.article.id == second)
        await wait_idle(pilot)
        total = len(view.hits)
        assert total >= 2
        assert view.border_subtitle.startswith(f"hit {min(2, total)} of {total}")
        # Once shown, the keys step as ever: nothing is held back any more.
        await pilot.press("n")
        assert view.border_subtitle.startswith(f"hit {3 if total >= 3 else 1} of {total}")


async def test_results_show_title_outlet_date_and_highlighted_snippet(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        results = screen.query_one(ResultsList)
        card = results.options[0].prompt
        lines = [str(line) for line in card.lines(60)]
        hit = screen.results.hits[0]
        assert lines[0][4:].startswith(hit.display_title[:20])  # after ▶●⚑ and a space
        assert hit.date[:10] in lines[1]
        snippet_spans = [s for line in card.lines(60) for s in line.spans]
        assert any("$warning" in str(s.style) for s in snippet_spans)


async def test_a_short_prefix_shows_an_inline_error(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(SearchBar).focus()
        await pilot.press(*"ke*")
        await wait_for(pilot, lambda: "at least 3 letters" in status_text(screen), what="error")
        assert '"ke*" needs at least 3 letters before the *' in status_text(screen)
        assert app.is_running
        await pilot.press("left", "r")  # ker*
        await wait_for(pilot, lambda: "results for" in status_text(screen), what="results")
        assert len(result_ids(screen)) == 4


async def test_malformed_query_shows_an_inline_error(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(SearchBar).focus()
        await pilot.press(*'"putin')
        await wait_for(pilot, lambda: "invalid query" in status_text(screen), what="the error")
        assert "not closed" in status_text(screen)
        assert app.is_running
        # Closing the quote recovers.
        await pilot.press('"')
        await wait_for(pilot, lambda: "results for" in status_text(screen), what="results")


async def test_a_query_of_stop_words_says_why_nothing_is_found(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "yang dan di")
        assert screen.results.total == 0
        assert "only stop words (yang, dan, di)" in status_text(screen)


async def test_zero_hits_offers_a_selectable_suggestion(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "pitin")
        assert screen.results.total == 0
        assert "Did you mean" in status_text(screen)
        assert result_ids(screen)[0] == "suggest:putin"
        await pilot.press("down")  # from the search box to the list
        assert isinstance(app.focused, ResultsList)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.results.query == "putin", what="new search")
        assert screen.query_one(SearchBar).value == "putin"
        assert screen.results.total >= 3


async def test_a_query_made_invalid_drops_the_suggestion_for_the_one_before(make_app) -> None:
    # "pitin" offered "Did you mean: putin?"; typing on to 'pitin"' (an error) left the
    # offer up, for a query no longer in the box.
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "pitin")
        assert result_ids(screen)[0] == "suggest:putin"
        await pilot.press("quotation_mark")
        await wait_for(pilot, lambda: "is not closed" in status_text(screen), what="the error")
        assert not any(i.startswith("suggest:") for i in result_ids(screen))


async def test_open_article_and_step_through_hits(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter", "enter")  # to the results, then open the first
        await wait_idle(pilot)
        view = screen.query_one(ArticleView)
        assert app.focused is view
        assert view.article.id == screen.results.hits[0].id
        total = len(view.hits)
        assert total >= 2
        assert "n/N" in view.border_subtitle
        for i in range(1, total + 1):
            await pilot.press("n")
            await pilot.pause()
            assert view.border_subtitle.startswith(f"hit {i} of {total}")
            assert_hit_in_view(view)
        await pilot.press("n")
        assert view.border_subtitle.startswith(f"hit 1 of {total}")  # wraps round
        await pilot.press("n")
        assert view.border_subtitle.startswith(f"hit 2 of {total}")
        await pilot.press("N", "N")
        assert view.border_subtitle.startswith(f"hit {total} of {total}")  # wraps round
        # Metadata line: outlet · author · date · words · language.
        meta = str(view.query_one(".meta").render())
        assert "words" in meta and "Indonesian" in meta


async def test_hidden_paragraphs_toggle(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.open_article(sample_id("001"))
        await wait_idle(pilot)
        view = screen.query_one(ArticleView)
        article = view.article
        assert any(p.hidden for p in article.paragraphs)
        assert not view.query(".hidden")
        await pilot.press("b")
        await wait_idle(pilot)
        assert view.show_hidden
        shown = view.query(".hidden")
        assert len(shown) == sum(1 for p in article.paragraphs if p.hidden and p.kind != "title")
        assert "[boilerplate" in str(shown.first().render())
        await pilot.press("b")
        await wait_idle(pilot)
        assert not view.query(".hidden")


async def test_related_opens_comparison_and_escape_restores_the_main_screen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "putin")
        await pilot.press("enter", "down", "enter")  # open the second result
        await wait_idle(pilot)
        view = screen.query_one(ArticleView)
        opened = view.article.id
        view.scroll_to(y=5, animate=False, immediate=True)
        scroll_before = view.scroll_y
        related = screen.query_one(RelatedList)
        await wait_for(pilot, lambda: related.items, what="related articles")
        assert all(0 < r.alignment.coverage_a <= 1 for r in related.items)
        await pilot.press("tab")
        assert app.focused is related
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ComparisonScreen) and app.screen.comparison is not None,
            what="the comparison",
        )
        await wait_idle(pilot)
        compare = app.screen
        assert compare.comparison.a.id == opened
        assert compare.comparison.b.id == related.items[0].id
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the main screen")
        assert screen.query_one(SearchBar).value == "putin"
        assert screen.query_one(ResultsList).highlighted == 1
        assert view.article.id == opened
        assert view.scroll_y == scroll_before
        assert app.focused is related


async def test_comparison_jumps_swaps_and_scrolls_together(make_app) -> None:
    app = make_app()
    a, b = sample_id("000"), sample_id("001")
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.open_comparison(a, b)
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ComparisonScreen) and app.screen.comparison is not None,
            what="the comparison",
        )
        await wait_idle(pilot)
        compare = app.screen
        from newsreader.tui.widgets.comparison import ComparisonView

        cview = compare.query_one(ComparisonView)
        total = cview.passage_count
        assert total >= 2
        assert cview.current == 0  # opens on the first shared passage
        status = lambda: str(compare.query_one("#cmp-status").render())  # noqa: E731
        # The status follows the layout, which settles a refresh or two after the comparison.
        await wait_for(pilot, lambda: f"passage 1 of {total}" in status(), what="the status")
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert cview.current == 1 and f"passage 2 of {total}" in status()
        # Each pair starts on the same row in both panes.
        pane_a, pane_b = cview.panes
        for i, row in enumerate(cview.layout_rows):
            if row.number is not None:
                assert pane_a.blocks[i].virtual_region.y == pane_b.blocks[i].virtual_region.y
        assert pane_a.scroll_y == pane_b.scroll_y > 0
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert cview.current == 0
        # Scrolling one pane moves the other.
        pane_b.scroll_to(y=pane_b.scroll_y + 7, animate=False, immediate=True)
        await pilot.pause()
        assert pane_a.scroll_y == pane_b.scroll_y
        # Swap sides: B is now on the left, and the same passage stays current.
        passage = compare.comparison.alignment.passages[0]
        await pilot.press("s")
        await wait_idle(pilot)
        assert compare.comparison.a.id == b and compare.comparison.b.id == a
        current = compare.comparison.alignment.passages[cview.current]
        assert (current.a_start, current.b_start) == (passage.b_start, passage.a_start)
        assert "A  " in str(pane_a.border_title) and "4 Strategi" in str(pane_a.border_title)


async def test_comparison_marks_changed_words_and_dims_unshared_text(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.open_comparison(sample_id("000"), sample_id("001"))
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ComparisonScreen) and app.screen.comparison is not None,
            what="the comparison",
        )
        await wait_idle(pilot)
        from newsreader.tui.widgets.comparison import ComparisonView

        pane_a = app.screen.query_one(ComparisonView).panes[0]
        shared = pane_a.query(".shared")
        unshared = pane_a.query(".unshared")
        assert shared and unshared
        assert any(
            getattr(s.style, "reverse", False) for block in shared for s in block.visual.spans
        )
        assert all(
            any(getattr(s.style, "dim", False) for s in block.visual.spans)
            for block in unshared
            if str(block.visual)
        )
        # Passage numbers are drawn as labels: ① ② …
        assert str(shared.first().visual).startswith("①")


async def test_80x24_shows_compact_results_above_the_article(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await started(pilot)
        assert screen.has_class("-medium")
        results = screen.query_one(ResultsList)
        view = screen.query_one(ArticleView)
        assert results.display and view.display
        assert results.region.bottom <= view.region.y  # stacked: results above
        assert all(option.prompt.get_height(None, 70) == 1 for option in results.options)
        await wait_for(pilot, lambda: screen.article_id is not None, what="the first article")
        # The pane indicator names the panes on show and the one with the keys.
        indicator = str(screen.query_one("#panes").render())
        assert "Results 5" in indicator and "Article" in indicator and "Related" in indicator
        await pilot.press("tab")  # to the article: both stay on show
        await wait_idle(pilot)
        assert isinstance(app.focused, ArticleView) and results.display
        await pilot.press("tab")  # the related list takes the article's place
        await wait_idle(pilot)
        assert isinstance(app.focused, RelatedList)
        assert screen.query_one(RelatedList).display and not view.display
        assert results.display
        assert screen.visible_panes() == ["results", "related"]


async def test_40x12_shows_one_pane_at_a_time(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await started(pilot)
        assert screen.has_class("-single")
        results = screen.query_one(ResultsList)
        reader = screen.query_one("#reader")
        assert results.display and not reader.display
        assert "Results" in str(screen.query_one("#panes").render())
        assert "1/3" in str(screen.query_one("#panes").render())
        await search(pilot, "putin")
        await pilot.press("enter", "enter")
        await wait_idle(pilot)
        assert reader.display and not results.display
        assert isinstance(app.focused, ArticleView)
        assert "Article" in str(screen.query_one("#panes").render())
        await pilot.press("n")
        assert "hit 1 of" in screen.query_one(ArticleView).border_subtitle
        await pilot.press("tab")
        await wait_idle(pilot)
        assert isinstance(app.focused, RelatedList)
        assert screen.query_one(RelatedList).display
        assert not screen.query_one(ArticleView).display
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ComparisonScreen) and app.screen.comparison is not None,
            what="the comparison",
        )
        await wait_idle(pilot)
        assert app.screen.has_class("-narrow")
        await pilot.press("right_square_bracket", "s", "left_square_bracket")
        await wait_idle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, what="the main screen")
        await pilot.press("escape", "escape")  # related → article → results
        await wait_idle(pilot)
        assert results.display
        assert isinstance(app.focused, ResultsList)


async def test_tab_cycles_and_escape_goes_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            order.append(app.focused.id)
        # Tab cycles the panes only: the search box is reached with / alone.
        assert order == ["article", "related", "results", "article"]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "results"
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "related"
        await pilot.press("escape")  # related → article → results, and no further
        await pilot.pause()
        assert app.focused.id == "article"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused.id == "results"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused.id == "results"
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press("slash")  # typed into the box: / is text there
        assert screen.query_one(SearchBar).value == "/"


async def test_a_date_typed_fast_into_the_search_box_keeps_its_slashes(make_app) -> None:
    from textual import events

    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("slash")
        box = screen.query_one(SearchBar)
        assert app.focused is box
        # As a fast typist or a paste without bracketed paste sends them: all queued at once,
        # none waiting for the one before to be handled.
        for ch in "Minggu (15/9/2019)":
            key = {"/": "slash", " ": "space", "(": "left_parenthesis"}.get(ch, ch)
            key = {")": "right_parenthesis"}.get(ch, key)
            app.post_message(events.Key(key, ch))
        await pilot.pause()
        await pilot.pause()
        assert box.value == "Minggu (15/9/2019)"


async def test_editing_keys_in_a_burst_keep_their_place_among_the_letters(make_app) -> None:
    # Over a slow link keys arrive together. Input's editing keys are bindings, which Textual
    # ran once the key had come back from the box, after the letters queued behind it:
    # "/", Ctrl+U, "banjir" left the box empty, and a Backspace deleted a later letter.
    from textual import events

    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        box = screen.query_one(SearchBar)
        screen.query_one(ResultsList).focus()
        await pilot.pause()

        def burst(keys: list[tuple[str, str | None]]) -> None:
            for key, char in keys:
                app.post_message(events.Key(key, char))

        letters = [(ch, ch) for ch in "banjirx"]
        burst([("slash", "/"), ("ctrl+u", None), *letters, ("backspace", None)])
        await pilot.pause()
        await pilot.pause()
        assert app.focused is box
        assert box.value == "banjir"
        burst([("ctrl+u", None), *[(ch, ch) for ch in "ptuin"], ("left", None), ("left", None)])
        # "ptu|in": Backspace takes the u, Left goes past the t, and the u comes back there.
        burst(
            [
                ("backspace", None),
                ("left", None),
                ("u", "u"),
                ("end", None),
                ("exclamation_mark", "!"),
            ]
        )
        await pilot.pause()
        await pilot.pause()
        assert box.value == "putin!"


async def test_vim_keys_move_through_results(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        results = screen.query_one(ResultsList)
        results.focus()
        await pilot.pause()
        await pilot.press("j", "j")
        assert results.highlighted == 2
        await pilot.press("k")
        assert results.highlighted == 1
        await pilot.press("G")
        assert results.highlighted == 4
        await pilot.press("g")
        assert results.highlighted == 0
        await pilot.press("slash")
        assert isinstance(app.focused, Input)


async def test_help_screen_lists_every_key(make_app) -> None:
    from newsreader.tui import keymap

    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(ResultsList).focus()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(str(s.render()) for s in app.screen.query(".help-keys"))
        for _, _, bindings in keymap.SECTIONS:
            for binding in bindings:
                assert binding.description in text
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert app.screen is screen


async def test_footer_shows_the_keys_of_the_focused_pane(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(ArticleView).focus()
        await pilot.pause()
        shown = {b.description for _, b, enabled, _ in app.active_bindings.values() if b.show}
        assert {"Next hit", "Previous hit", "Boilerplate", "Search", "Quit", "Help"} <= shown
        drawn = {key.description for key in app.screen.query("FooterKey")}
        assert {"Next hit", "Quit", "Help"} <= drawn


async def test_command_palette_offers_the_commands(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {
            "Search",
            "Open article by title…",
            "Compare with…",
            "Toggle boilerplate",
            "Switch theme",
        } <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.has_class("--textual-command-palette")
        await pilot.press(*"toggle boil", "enter")
        await wait_idle(pilot)
        assert app.screen is screen
        assert screen.query_one(ArticleView).show_hidden


async def test_a_title_typed_into_the_command_palette_opens_the_article(make_app) -> None:
    # The palette's first list finds titles too, not only behind "Open article by title…".
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: app.titles, what="titles")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"strategi putin")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.article_id == sample_id("001"), what="the article")
        assert app.screen is screen


async def test_open_article_by_title_and_compare_with(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await wait_for(pilot, lambda: app.titles, what="titles")
        app.pick_article()
        await pilot.pause()
        await pilot.press(*"strategi putin")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.article_id == sample_id("001"), what="the article")
        await wait_idle(pilot)
        assert isinstance(app.focused, ArticleView)
        app.pick_comparison()
        await pilot.pause()
        await pilot.press(*"hubungan dekat")
        await wait_idle(pilot)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ComparisonScreen) and app.screen.comparison is not None,
            what="the comparison",
        )
        assert app.screen.comparison.a.id == sample_id("001")
        assert app.screen.comparison.b.id == sample_id("003")


async def test_switch_theme_changes_highlight_colours(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        await started(pilot)
        await search(pilot, "putin")
        results = app.screen.query_one(ResultsList)

        def hit_colours() -> set[str]:
            colours = set()
            for y in range(results.size.height):
                for seg in results.render_line(y):
                    if seg.text == "Putin" and seg.style and seg.style.bgcolor:
                        colours.add(seg.style.bgcolor.name)
            return colours

        dark = hit_colours()
        assert dark
        app.theme = "textual-light"
        await pilot.pause()
        results.refresh()
        await pilot.pause()
        assert hit_colours() and hit_colours() != dark


async def test_mouse_opens_a_result_and_a_related_article(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        results = screen.query_one(ResultsList)
        third = results.options[2].id
        # Cards are 5 lines (title, meta, two snippet lines, a gap) under the top border.
        await pilot.click(results, offset=(5, 12))
        await wait_idle(pilot)
        assert results.highlighted == 2
        await wait_for(pilot, lambda: screen.article_id == third, what="the article")
        related = screen.query_one(RelatedList)
        await wait_for(pilot, lambda: related.items, what="related articles")
        await pilot.click(related, offset=(5, 1))
        await wait_for(
            pilot, lambda: isinstance(app.screen, ComparisonScreen), what="the comparison"
        )


async def test_quit_with_q_and_ctrl_q(make_app) -> None:
    for key in ("q", "ctrl+q"):
        app = make_app()
        async with app.run_test(size=APP_SIZE) as pilot:
            screen = await started(pilot)
            screen.query_one(ResultsList).focus()
            await pilot.press(key)
            await pilot.pause()
            assert not app.is_running


async def test_show_more_fetches_the_next_batch(make_app) -> None:
    app = make_app(result_limit=2)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        results = screen.query_one(ResultsList)
        assert len(screen.results.hits) == 2
        assert result_ids(screen)[-1] == "more:"
        results.focus()
        await pilot.press("G", "enter")
        await wait_for(pilot, lambda: len(screen.results.hits) == 4, what="more results")
        await wait_idle(pilot)
        assert results.highlighted == 1  # still on the last article seen
        await pilot.press("G", "enter")
        await wait_for(pilot, lambda: len(screen.results.hits) == 5, what="all results")
        assert "more:" not in result_ids(screen)


async def test_going_back_before_the_comparison_arrives(make_app) -> None:
    """Escape straight after opening a comparison: the late answer must not crash the app."""
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        a, b = (h.id for h in screen.results.hits[:2])
        await app.push_screen(ComparisonScreen(screen.engine, screen.settings, a, b))
        await pilot.press("escape")
        await wait_idle(pilot)
        assert app.screen is screen
        assert app.is_running


async def test_a_count_that_is_a_lower_bound_says_so(make_app, tmp_path) -> None:
    # 60 words begin with "zul": a 3-letter prefix keeps the 50 most frequent, so the count
    # is at least 50, in the status line, the results' title and the pane tabs alike.
    from pathlib import Path

    from newsreader.index import Library
    from newsreader.index.search.query import MAX_EXPANSION

    corpus = tmp_path / "c"
    corpus.mkdir()
    for k in range(MAX_EXPANSION // 4 + 10):
        word = f"zul{chr(97 + k // 26)}{chr(97 + k % 26)}"
        text = f"Kabar nomor {k}\n\nWarga bernama {word} datang ke balai desa hari ini.\n"
        (corpus / f"{k:03d}.txt").write_text(text, encoding="utf-8")
    library = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    library.update()
    app = make_app(library)
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        screen.query_one(SearchBar).focus()
        await pilot.press(*"zul*")
        # The results of "zul*" itself: on a busy machine "zul" may be searched on the way.
        await wait_for(pilot, lambda: "results for zul*" in status_text(screen), what="results")
        assert "at least 50 results for" in status_text(screen)
        assert screen.query_one(ResultsList).border_title == "Results (50+)"
        await pilot.press("backspace", "a", "*")  # zula*: all 26 words kept, counted
        await wait_for(pilot, lambda: "26 results" in status_text(screen), what="exact count")
        assert screen.query_one(ResultsList).border_title == "Results (26)"


async def test_a_pasted_paragraph_leaves_the_note_on_best_matches_in_sight(make_app) -> None:
    pasted = (
        "Presiden Rusia Vladimir Putin bertemu Presiden Xi Jinping di Beijing untuk "
        "membahas kerja sama ekonomi zulazula kedua negara yang semakin erat"
    )
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        box = screen.query_one(SearchBar)
        box.focus()
        box.value = pasted  # pasted at once, as a terminal delivers a paste
        await wait_for(
            pilot,
            lambda: screen.results is not None and screen.results.query == pasted,
            what="the results",
        )
        assert screen.results.note and "best matches" in screen.results.note
        status = screen.query_one("#status")
        shown = status_text(screen)
        # The note comes before the echoed query, which is cut short: it fits the line.
        assert shown.index("best matches") < shown.index("for Presiden")
        assert "…" in shown and "erat" not in shown
        assert shown.index("best matches") < status.content_region.width


async def test_keys_for_an_article_say_so_when_there_is_none(make_app) -> None:
    # A QA pass searched for nothing found and pressed m, f and o: m and f did nothing
    # visible, o said "This article gives no source URL".
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        screen = await started(pilot)
        await search(pilot, "zzzqqqxx")
        await pilot.press("escape")
        await wait_idle(pilot)
        for key in ("m", "f"):
            await pilot.press(key)
            await pilot.pause()
            assert "No article here" in status_text(screen)
        await pilot.press("o")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "No article on show." in messages
