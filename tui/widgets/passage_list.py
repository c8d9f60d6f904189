"""The shared passages of a comparison as a list to jump from: number and colour, how many
words it shares, and its first words. Moving the cursor asks the texts to follow."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...index import Comparison, link_gaps_marked
from .. import keymap
from ..labels import percent
from ..layout import changed_spans, passage_colour, passage_label
from . import styles
from .card import Card


class PassageList(OptionList):
    DEFAULT_CSS = """
    PassageList > .option-list--option {
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = keymap.PASSAGES

    class Chosen(Message):
        def __init__(self, index: int, moved: bool = False) -> None:
            super().__init__()
            self.index = index
            # The cursor moved onto it (j, k): the reader is still looking through the
            # list, which stays; Enter or a click chose it.
            self.moved = moved

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def on_mount(self) -> None:
        self.border_title = "Passages"

    def show(self, comparison: Comparison) -> None:
        al = comparison.alignment
        options = []
        for number, p in enumerate(al.passages, 1):
            colour = passage_colour(number)
            differs = len(changed_spans(p, "a")) + len(changed_spans(p, "b"))
            head = Content(passage_label(number) + " ").stylize(f"bold {colour}") + Content(
                f"{p.shared_words} shared words · {percent(p.score)}"
                + (" · same wording" if not differs else "")
            ).stylize(styles.MUTED)
            first = " ".join(link_gaps_marked(comparison.a.text[p.a_start : p.a_end]).split()[:14])
            options.append(Option(Card([head], Content(first), body_lines=2, gap=True)))
        if not options:
            options.append(
                Option(Content("No shared passage.").stylize(styles.MUTED), disabled=True)
            )
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        n = len(al.passages)
        self.border_title = f"Passages ({n})"

    def follow(self, index: int | None) -> None:
        """Put the cursor on passage `index` without asking the texts to move."""
        if index is None or index == self.highlighted:
            return
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if self.has_focus:
            self.post_message(self.Chosen(event.option_index, moved=True))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(event.option_index))
