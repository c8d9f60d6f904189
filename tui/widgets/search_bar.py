"""The search box. A focused Input keeps printable keys for itself, so it offers the ways
out (Escape, Enter, Tab, and Down at the newest entry) as messages the screen acts on.
Up and Down walk through earlier searches, as in a shell."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.message import Message

from .. import keymap
from .ordered_input import OrderedInput

# How many times keys typed ahead of the box's leaving may come back to it, together, before
# the screen has moved the focus (see SearchBar._on_key); past that they are typed into it.
BOUNCES = 100
PLACEHOLDER = 'Search (/): words, "a phrase", AND / OR / NOT, title:, outlet:, date:2024, is:unread'


class SearchBar(OrderedInput):
    BINDINGS: ClassVar[list[BindingType]] = keymap.SEARCH

    class Leave(Message):
        """The reader wants to move on to the results."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, select_on_focus=False)
        self.history: list[str] = []  # earlier searches, oldest first
        self._place: int | None = None  # where in the history the box is (None: the draft)
        self._draft = ""
        # Keys sent on since the box was left (None: the box is in use); see _on_key.
        self._bounces: int | None = None

    def remember(self, query: str) -> None:
        """Keep a search that was run; Up then starts again from the newest."""
        if not self.history or self.history[-1] != query:
            self.history.append(query)
        self._place = None

    def action_leave(self) -> None:
        self._place = None
        self._bounces = 0
        self.post_message(self.Leave())

    async def action_submit(self) -> None:
        await super().action_submit()
        self._bounces = 0

    async def _on_key(self, event: events.Key) -> None:
        # Keys that came in one burst with the Enter (or Escape) that left the box (typed
        # ahead, a paste, a slow link) reach the box before the screen has moved the focus:
        # "banjir", Enter, "j" searched for "banjirj". They are sent again, to whatever has
        # the focus once the screen has moved it (the results).
        if self._bounces is not None and self._bounces < BOUNCES:
            event.stop()
            event.prevent_default()
            self._bounces += 1
            self.app.post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)

    def _on_focus(self, event: events.Focus) -> None:
        self._bounces = None  # back in the box: keys are typed into it again
        super()._on_focus(event)

    def action_history(self, step: int) -> None:
        """Up (-1) goes to an older search, Down (+1) to a newer one; Down past the newest
        leaves the box for the results."""
        if self._place is None:
            if step > 0 or not self.history:
                if step > 0:
                    self.action_leave()
                return
            self._draft = self.value
            place = len(self.history) - 1
            if self.history[place] == self.value.strip() and place > 0:
                place -= 1  # the search on show is the newest: Up goes to the one before
        else:
            place = self._place + step
        if place < 0:
            place = 0
        if place >= len(self.history):
            self._place = None
            self._set(self._draft)
            return
        self._place = place
        self._set(self.history[place])

    def _set(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)
