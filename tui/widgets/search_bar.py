"""The search box. A focused Input keeps printable keys for itself, so it offers the ways
out (Escape, Enter, Tab, and Down at the newest entry) as messages the screen acts on.
Up and Down walk through earlier searches, as in a shell."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

from .. import keymap

PLACEHOLDER = 'Search (/): words, "a phrase", AND / OR / NOT, title:, outlet:, date:2024, is:unread'


# Input's own editing keys (Backspace, Ctrl+U, the arrows, Enter, ...) by key. As bindings
# they run once the key has gone to the box and come back unhandled, after any letters
# queued behind it: keys arriving together (a slow link, a fast typist, a paste) were
# reordered, so "/", Ctrl+U, "banjir" left the box empty. The box runs them itself, in the
# order of its keys.
_EDITING: dict[str, str] = {
    key.strip(): b.action
    for b in Input.BINDINGS
    if isinstance(b, Binding)
    for key in b.key.split(",")
}


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = keymap.SEARCH

    class Leave(Message):
        """The reader wants to move on to the results."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, compact=True, select_on_focus=False)
        self.history: list[str] = []  # earlier searches, oldest first
        self._place: int | None = None  # where in the history the box is (None: the draft)
        self._draft = ""

    async def _on_key(self, event: events.Key) -> None:
        action = _EDITING.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)

    def action_leave(self) -> None:
        self._place = None
        self.post_message(self.Leave())

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
