"""The search box. A focused Input keeps printable keys for itself, so it offers the ways
out (Escape, Down, Enter) as messages the screen acts on."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input

from .. import keymap

PLACEHOLDER = 'Search: words, "a phrase", AND / OR / NOT, title:, outlet:, date:2024, prefix*'


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = keymap.SEARCH

    class Leave(Message):
        """The reader wants to move on to the results."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, select_on_focus=False)

    def action_leave(self) -> None:
        self.post_message(self.Leave())
