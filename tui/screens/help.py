"""The help screen (? or F1): every key, from the same tables the screens bind."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import keymap
from ..widgets import styles

QUERY_HELP = (
    'Words match all their forms (stems, variant spellings). "exact phrase" · AND, OR, '
    "NOT, ( ) · title: outlet: author: lang: · date:2024 or date:[2023-01 to 2024-06] · "
    "prefix* · fuzzy~ · an empty search lists every article, newest first."
)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.HELP

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            for title, note, bindings in keymap.SECTIONS:
                yield Static(Content(title).stylize("bold"), classes="help-title")
                yield Static(Content(note).stylize(styles.MUTED), classes="help-note")
                yield Static(self._table(bindings), classes="help-keys")
            yield Static(Content("Searching").stylize("bold"), classes="help-title")
            yield Static(Content(QUERY_HELP), classes="help-note")
            yield Static(
                Content(
                    "Ctrl+P opens the command palette: search, open article "
                    "by title, compare with…, toggle boilerplate, switch "
                    "theme."
                ).stylize(styles.MUTED),
                classes="help-note",
            )

    def _table(self, bindings: list[Binding]) -> Content:
        lines = []
        for binding in bindings:
            keys = binding.key_display or " ".join(
                self.app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(",")
            )
            lines.append(
                Content(f"{keys:>12}  ").stylize("bold $text-accent")
                + Content(binding.description or binding.action)
            )
        return Content("\n").join(lines)

    def action_scroll_down(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_up()
