"""The comparison screen's own keys: the passage list to jump from, differences only, the
fewest words a passage needs, copy and export."""

from __future__ import annotations

from pathlib import Path

from newsreader.tui.screens.compare import ComparisonScreen
from newsreader.tui.screens.dialogs import PathScreen
from newsreader.tui.widgets.comparison import ComparisonView
from newsreader.tui.widgets.passage_list import PassageList
from textual.widgets import Input

from tests.conftest import APP_SIZE, sample_id, started, wait_for, wait_idle


async def open_comparison(pilot, a: str = "000", b: str = "001") -> ComparisonScreen:
    screen = await started(pilot)
    screen.open_comparison(sample_id(a), sample_id(b))
    app = pilot.app
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, ComparisonScreen)
            and any(view.current == 0 for view in app.screen.query(ComparisonView))
        ),
        what="the comparison",
    )
    await wait_idle(pilot)
    return app.screen


def status(compare: ComparisonScreen) -> str:
    return str(compare.query_one("#cmp-status").render())


async def test_passage_list_jumps_both_texts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        passages = compare.query_one(PassageList)
        view = compare.query_one(ComparisonView)
        total = view.passage_count
        assert passages.display and passages.option_count == total
        assert f"Passages ({total})" in str(passages.border_title)
        assert str(passages.options[0].prompt.lines(28)[0]).startswith("①")
        await pilot.press("shift+tab")  # from text A to the list
        assert app.focused is passages
        await pilot.press("j", "j")  # moving in the list moves the texts
        await wait_idle(pilot)
        assert view.current == 2 and f"passage 3 of {total}" in status(compare)
        pane_a, pane_b = view.panes
        assert pane_a.scroll_y == pane_b.scroll_y > 0
        await pilot.press("G", "enter")
        await wait_idle(pilot)
        assert view.current == total - 1
        await pilot.press("right_square_bracket")  # ] from the list moves it along
        await pilot.press("tab", "left_square_bracket")
        await wait_idle(pilot)
        assert passages.highlighted == view.current == total - 2
        await pilot.press("p")  # hide the list; the texts take the room
        await pilot.pause()
        assert not passages.display
        await pilot.press("p")
        await pilot.pause()
        assert passages.display and app.focused is passages


async def test_passage_list_on_a_narrow_terminal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        compare = await open_comparison(pilot)
        passages = compare.query_one(PassageList)
        view = compare.query_one(ComparisonView)
        assert not passages.display  # the texts have the room
        await pilot.press("p")
        await pilot.pause()
        assert passages.display and app.focused is passages
        await pilot.press("j", "enter")  # choose: the list gives way to the texts
        await wait_idle(pilot)
        assert view.current == 1 and not passages.display
        await pilot.press("p", "escape")  # Escape closes the list first
        await pilot.pause()
        assert not passages.display and app.screen is compare


async def test_differences_only_and_passage_length(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        view = compare.query_one(ComparisonView)
        pane_a = view.panes[0]

        def shared_text() -> str:
            return "\n".join(str(block.visual) for block in pane_a.query(".shared"))

        full = shared_text()
        await pilot.press("d")
        await wait_idle(pilot)
        condensed = shared_text()
        assert "differences only" in status(compare)
        assert "…" in condensed and len(condensed) < len(full)
        assert "Tiongkok" in condensed  # a word worded differently stays in view
        await pilot.press("d")
        await wait_idle(pilot)
        assert shared_text() == full
        assert "passages of 8+ words" in status(compare)


async def test_plus_and_minus_set_the_passage_length(make_app) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot, "000", "002")
        view = compare.query_one(ComparisonView)
        at_eight = view.passage_count
        assert at_eight >= 2

        def shortest() -> int:
            return min((p.shared_words for p in compare.comparison.alignment.passages), default=99)

        await pilot.press("plus", "plus", "plus", "plus")  # 8 → 10 → 12 → 15 → 20 words
        await wait_for(pilot, lambda: "passages of 20+ words" in status(compare), what="+")
        await wait_idle(pilot)
        assert view.passage_count < at_eight and shortest() >= 20
        await pilot.press("minus", "minus", "minus", "minus")
        await wait_for(pilot, lambda: "passages of 8+ words" in status(compare), what="-")
        await wait_idle(pilot)
        assert view.passage_count == at_eight and shortest() >= 8


async def test_copy_a_passage_and_export_the_comparison(make_app, tmp_path) -> None:
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        passage = compare.comparison.alignment.passages[0]
        await pilot.press("y", "b")
        assert app.clipboard == compare.comparison.b.text[passage.b_start : passage.b_end].strip()
        await pilot.press("e")
        assert isinstance(app.screen, PathScreen)
        assert app.screen.query_one(Input).value.endswith(".html")
        for name in ("cmp.html", "cmp.md"):
            if not isinstance(app.screen, PathScreen):
                await pilot.press("e")
            app.screen.query_one(Input).value = str(tmp_path / name)
            await pilot.press("enter")
            await pilot.pause()
        page = (tmp_path / "cmp.html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "<mark>" in page
        assert (tmp_path / "cmp.md").read_text(encoding="utf-8").startswith("# Comparison")
        # The notice names what was saved and where, not the dialog's hint again.
        saved = [n.message for n in app._notifications if n.message.startswith("Saved")]
        assert saved[-1] == f"Saved the comparison to {tmp_path / 'cmp.md'}"


async def test_differences_only_keeps_the_passage_on_show_in_view(make_app) -> None:
    # A QA pass pressed d at passage 4 of 4: the texts went back to the top while the status
    # still said "passage 4 of 4".
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        view = compare.query_one(ComparisonView)
        total = view.passage_count
        assert total >= 3
        await pilot.press(*["right_square_bracket"] * (total - 1))
        await wait_idle(pilot)
        assert view.current == total - 1
        for _ in range(2):  # differences only, and back
            await pilot.press("d")
            await wait_idle(pilot)
            assert view.current == total - 1
            assert f"passage {total} of {total}" in status(compare)
            for pane in view.panes:
                block = pane.query(".-current").first()
                top = block.virtual_region.y
                assert pane.scroll_y > 0
                assert pane.scroll_y <= top < pane.scroll_y + pane.size.height


async def test_plus_and_minus_keep_the_place_in_the_texts(make_app) -> None:
    # Aligning again with longer or shorter passages went back to passage 1, wherever the
    # reader was.
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        view = compare.query_one(ComparisonView)
        total = view.passage_count
        assert total >= 3
        await pilot.press(*["right_square_bracket"] * (total - 1))
        await wait_idle(pilot)
        was = compare.comparison.alignment.passages[total - 1]
        for key, words in (("minus", "6+"), ("plus", "8+")):
            await pilot.press(key)
            wanted = f"passages of {words} words"
            await wait_for(pilot, lambda w=wanted: w in status(compare))
            await wait_idle(pilot)
            passages = compare.comparison.alignment.passages
            assert view.current is not None and view.current > 0
            now = passages[view.current]
            assert now.a_end > was.a_start  # the passage there, or the next one
            assert all(p.a_end <= was.a_start for p in passages[: view.current])
            assert f"passage {view.current + 1} of {len(passages)}" in status(compare)


async def test_moving_in_the_passage_list_keeps_it_open_at_every_width(make_app) -> None:
    # A QA pass at 80x24 and 60x20 pressed j in the passage list: the texts jumped and the
    # list closed after that one move (at 120 columns it stays open).
    for size in ((80, 24), (60, 20), APP_SIZE):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            compare = await open_comparison(pilot)
            passages = compare.query_one(PassageList)
            view = compare.query_one(ComparisonView)
            # Narrow: p calls the list up; wide: it is there, Shift+Tab goes to it.
            await pilot.press("shift+tab" if passages.display else "p")
            await pilot.pause()
            assert passages.display and app.focused is passages, size
            await pilot.press("j")
            await wait_idle(pilot)
            assert view.current == 1 and passages.display and app.focused is passages, size
            await pilot.press("j", "k")
            await wait_idle(pilot)
            assert view.current == 1 and passages.display and app.focused is passages, size
            assert "passage 2 of" in status(compare), size


async def test_export_name_is_edited_from_its_end_and_checked(make_app, tmp_path) -> None:
    # A QA pass pressed Backspace four times to change .html to .md: the suggested name was
    # selected, so the first Backspace deleted all of it, and a file named "md" got HTML.
    app = make_app(export_dir=tmp_path)
    async with app.run_test(size=APP_SIZE) as pilot:
        await open_comparison(pilot)
        await pilot.press("e")
        box = app.screen.query_one(Input)
        suggested = box.value
        assert suggested.endswith(".html") and box.selection.is_empty
        assert box.cursor_position == len(suggested)
        await pilot.press(*["backspace"] * 4, "m", "d", "enter")
        await pilot.pause()
        saved = Path(suggested[: -len("html")] + "md")
        assert saved.read_text(encoding="utf-8").startswith("# Comparison")
        for name in ("md", "cmp.pdf"):  # no extension, or one for another kind of file
            await pilot.press("e")
            app.screen.query_one(Input).value = str(tmp_path / name)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PathScreen), name
            hint = str(app.screen.query_one(".dialog-hint").render())
            assert ".html" in hint and ".md" in hint and "\n" not in hint.strip(), hint
            assert not (tmp_path / name).exists()
            await pilot.press("escape")


async def test_the_status_line_keeps_the_passage_and_its_length_on_a_narrow_terminal(
    make_app,
) -> None:
    # A QA pass at 80x24 read "passage 1 of 2 · passages o…" (the length + and - set cut
    # off), and at 60x20 "passage…" (which passage cut off).
    for size, kept in (((80, 24), "passages of 8+ words"), ((60, 20), "passage 1 of")):
        app = make_app()
        async with app.run_test(size=size) as pilot:
            compare = await open_comparison(pilot)
            line = compare.query_one("#cmp-status")
            shown = "".join(segment.text for segment in line.render_line(0))
            assert kept in shown and "passage 1 of" in shown, (size, shown)


async def test_the_ends_of_the_passages_and_of_their_length_are_said(make_app) -> None:
    # A QA pass pressed ] at the last passage and - at the shortest length: nothing said so.
    app = make_app()
    async with app.run_test(size=APP_SIZE) as pilot:
        compare = await open_comparison(pilot)
        view = compare.query_one(ComparisonView)
        await pilot.press("left_square_bracket")
        assert "first passage" in status(compare)
        await pilot.press(*["right_square_bracket"] * view.passage_count)
        await wait_idle(pilot)
        assert view.current == view.passage_count - 1 and "last passage" in status(compare)
        for words in (6, 5, 4, 3):
            await pilot.press("minus")
            await wait_for(pilot, lambda w=words: f"of {w}+ words" in status(compare))
            await wait_idle(pilot)
        await pilot.press("minus")
        assert "minimum reached: passages of 3+ words" in status(compare)


async def test_the_comparison_footer_shows_every_key_at_120_columns(make_app) -> None:
    # It stopped after "- Shorter": swap, copy and export were on the help screen only.
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await started(pilot)
        await open_comparison(pilot)
        await pilot.pause()
        shown = {k.key_display or k.key for k in app.screen.query("FooterKey")}
        assert {"]", "[", "p", "d", "+", "-", "s", "y", "e", "q", "?"} <= shown
