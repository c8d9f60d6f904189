"""An Input that applies its editing keys in the order they arrive."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

# Input's own editing keys (Backspace, Ctrl+U, the arrows, Enter, ...) by key. As bindings
# they run once the key has gone to the box and come back unhandled, after any letters
# queued behind it: keys arriving together (a slow link, a fast typist, a paste) were
# reordered, so "/", Ctrl+U, "banjir" left the search box empty, and End, Backspace,
# Backspace, "html" in a file name dialog gave "ht". The box runs them itself, in the order
# of its keys.
_EDITING: dict[str, str] = {
    key.strip(): b.action
    for b in Input.BINDINGS
    if isinstance(b, Binding)
    for key in b.key.split(",")
}


class OrderedInput(Input):
    """`Input`, its editing keys applied in the order of the keys around them."""

    async def _on_key(self, event: events.Key) -> None:
        action = _EDITING.get(event.key)
        if action is None:
            await super()._on_key(event)
            return
        event.stop()
        event.prevent_default()
        await self.run_action(action)
