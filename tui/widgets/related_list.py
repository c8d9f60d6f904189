"""Articles sharing passages with the one on show, each with a bar for how much of the
article on show it shares. Choosing one asks for the comparison."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from .. import keymap
from ..engine import RelatedArticle
from ..labels import percent
from . import styles
from .card import Card

BAR_CELLS = 10
BLOCKS = " ▏▎▍▌▋▊▉█"


def coverage_bar(share: float, cells: int = BAR_CELLS) -> Content:
    """A bar `cells` wide, filled to `share` (0..1) in eighths of a cell."""
    share = min(max(share, 0.0), 1.0)
    eighths = round(share * cells * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (BLOCKS[part] if part else "")
    return Content(filled).stylize(styles.BAR_FULL) + Content(" " * (cells - len(filled))).stylize(
        "on " + styles.BAR_EMPTY
    )


def related_card(item: RelatedArticle) -> Card:
    al = item.alignment
    n = len(al.passages)
    head = (
        coverage_bar(al.coverage_a)
        + Content(f" {al.coverage_a:4.0%}  ")
        + Content(item.title).stylize(styles.TITLE)
    )
    bits = [
        f"{n} passage{'s' if n != 1 else ''}",
        f"{percent(al.coverage_b)} of it shared",
        item.outlet,
        item.date[:10] if item.date else None,
    ]
    meta = Content(" " * (BAR_CELLS + 7)) + Content(" · ".join(b for b in bits if b)).stylize(
        styles.MUTED
    )
    return Card([head, meta], gap=False)


class RelatedList(OptionList):
    DEFAULT_CSS = """
    RelatedList > .option-list--option {
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.RELATED

    class CompareRequested(Message):
        def __init__(self, a_id: str, b_id: str) -> None:
            super().__init__()
            self.a_id = a_id
            self.b_id = b_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.article_id: str | None = None
        self.items: list[RelatedArticle] = []

    def on_mount(self) -> None:
        self.border_title = "Related"

    def show(self, article_id: str, items: list[RelatedArticle]) -> None:
        self.article_id = article_id
        self.items = items
        self.set_options([Option(related_card(item), id=item.id) for item in items])
        if items:
            self.highlighted = 0
        if not items:
            self.add_option(
                Option(
                    Content("No other article shares a passage with this one.").stylize(
                        styles.MUTED
                    ),
                    disabled=True,
                )
            )
        n = len(items)
        self.border_title = f"Related ({n})" if n else "Related"

    def show_message(self, text: str) -> None:
        self.article_id = None
        self.items = []
        self.set_options([Option(Content(text).stylize(styles.MUTED), disabled=True)])
        self.border_title = "Related"

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.article_id and event.option.id:
            self.post_message(self.CompareRequested(self.article_id, event.option.id))
