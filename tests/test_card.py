"""The card a list entry is drawn with: its height is known without drawing it, and it is
drawn once per width and style."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.tui.widgets.card import Card
from textual.content import Content
from textual.style import Style
from textual.visual import RenderOptions

_TEXT = st.text(alphabet=st.sampled_from("ab cd漢字 é—"), max_size=90).map(Content)


@settings(max_examples=200, deadline=None)
@given(
    heads=st.lists(_TEXT, max_size=3),
    body=st.one_of(st.none(), _TEXT),
    body_lines=st.integers(1, 3),
    gap=st.booleans(),
    right=st.one_of(st.none(), _TEXT),
    indent=st.integers(0, 6),
    width=st.integers(1, 120),
)
def test_height_is_that_of_the_lines_drawn(
    heads: list[Content],
    body: Content | None,
    body_lines: int,
    gap: bool,
    right: Content | None,
    indent: int,
    width: int,
) -> None:
    card = Card(heads, body, body_lines, gap=gap, right=right, indent=indent)
    assert card.get_height({}, width) == len(card.lines(width)) + gap


def _options() -> RenderOptions:
    return RenderOptions(lambda style: Style(), {})


def test_strips_are_drawn_once_per_width_and_style() -> None:
    card = Card([Content("A title")], Content("a snippet " * 20), 2, indent=2)
    first = card.render_strips(40, None, Style(), _options())
    assert card.render_strips(40, None, Style(), _options()) is first
    narrower = card.render_strips(30, None, Style(), _options())
    assert narrower is not first and all(s.cell_length <= 30 for s in narrower)
    bold = card.render_strips(40, None, Style(bold=True), _options())
    assert bold is not first
    # Lines wrap at the new width, not the one drawn before.
    assert [str(line) for line in card.lines(30)] != [str(line) for line in card.lines(40)]


def test_a_body_cut_after_its_own_ellipsis_takes_no_second_one() -> None:
    # The passage list showed "lokasi bekas … dan ……": the first words of a passage end in a
    # dropped link's "…", and the cut added another.
    body = Content("api di lokasi bekas … dan …" + " kata" * 40)
    for width in range(10, 60):
        last = str(Card([Content("P1")], body, 1).lines(width)[-1]).rstrip()
        assert not last.endswith("……")
    assert (
        str(Card([Content("P1")], Content("satu dua tiga " * 9), 1).lines(20)[-1]).rstrip()[-1]
        == "…"
    )
