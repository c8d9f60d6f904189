"""SVG snapshots (pytest-textual-snapshot) of the screens a reader sees. Fixed terminal
sizes, a fixed theme, the sample corpus, and no clock: the pictures are deterministic.
Update them with `pytest tests/test_snapshots.py --snapshot-update` after a deliberate change
(and after a Textual upgrade: rendering changes between minor versions)."""

from __future__ import annotations

from newsreader.tui.widgets.results import ResultsList

from tests.conftest import sample_id, search, started, wait_for, wait_idle

WIDE = (120, 36)
NARROW = (80, 24)


async def _results(pilot) -> None:
    await started(pilot)
    await search(pilot, "putin")
    # Leave the search box so no blinking cursor is in the picture.
    pilot.app.screen.query_one(ResultsList).focus()
    await wait_idle(pilot)


async def _article(pilot) -> None:
    await _results(pilot)
    await pilot.press("enter")
    await wait_idle(pilot)
    await pilot.press("n", "n")
    await wait_idle(pilot)


async def _comparison(pilot) -> None:
    screen = await started(pilot)
    screen.query_one(ResultsList).focus()
    screen.open_comparison(sample_id("000"), sample_id("001"))
    app = pilot.app
    # The picture is taken once the passages are laid out and the first one is current.
    await wait_for(
        pilot,
        lambda: (
            "passage 1 of" in str(app.screen.query("#cmp-status").first().render())
            if app.screen.query("#cmp-status")
            else False
        ),
        what="the comparison",
    )
    await wait_idle(pilot)
    await pilot.pause(0.2)
    await wait_idle(pilot)


def test_main_screen_with_results(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=_results)


def test_main_screen_80x24(snap_compare, make_app) -> None:
    """The most common terminal: compact results above the article, the pane indicator."""
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=_results)


def test_article_view_with_highlights(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=_article)


def test_article_view_narrow(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=_article)


def test_comparison_screen(snap_compare, make_app) -> None:
    """Both texts with their passages numbered and coloured, and the passage list."""
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=_comparison)


def test_comparison_screen_narrow(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=NARROW, run_before=_comparison)
