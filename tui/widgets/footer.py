"""A footer that never draws half a key: when the keys on offer do not fit the width, the
last ones are left out whole (the way back stays, and help, since it lists them all), and
on a narrow terminal the command-palette key gives up its place to them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Actions whose key is always shown: the way back (a comparison's footer dropped it for the
# keys before it), help, which lists the rest, and quit.
KEEP = ("back", "help", "quit")
PALETTE_MIN_WIDTH = 60


def key_width(key: FooterKey) -> int:
    """Cells a compact footer key takes, with its margin."""
    width = len(key.key_display)
    if key.description:
        width += 1 + len(key.description)
    return width + 1


class KeyFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self.show_command_palette = width >= PALETTE_MIN_WIDTH
        keys = [k for k in super().compose() if isinstance(k, FooterKey)]
        palette = [k for k in keys if k.has_class("-command-palette")]
        keys = [k for k in keys if not k.has_class("-command-palette")]
        room = width - sum(key_width(k) + 1 for k in palette)
        room -= sum(key_width(k) for k in keys if k.action in KEEP)
        shown = []
        for key in keys:
            if key.action in KEEP:
                shown.append(key)
                continue
            if key_width(key) <= room:
                shown.append(key)
                room -= key_width(key)
            else:
                room = -1  # keep the order: nothing after a key left out
        yield from shown
        yield from palette

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
