"""The help screen (? or F1): every key, from the same tables the screens bind, as the user's
tui.toml has rebound them, each with the id that rebinds it."""

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
    "prefix* · fuzzy~ · is:unread, is:read, is:bookmarked · an empty search lists every "
    "article, newest first. Up and Down in the box go through earlier searches."
)

REBIND_HELP = (
    'Rebind a key in tui.toml under [keys], by its id: "app.quit" = "x" (several keys: '
    '"x,ctrl+x"). `newsreader keys` prints this list and where the file is.'
)


def key_names(app, binding: Binding, keys: list[str]) -> str:
    """How the keys of a binding are shown ("j down", "?")."""
    if binding.key_display and binding.key == ",".join(keys):
        return binding.key_display
    return " ".join(app.get_key_display(Binding(k, binding.action)) for k in keys)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.HELP

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            for title, note, bindings in keymap.SECTIONS:
                yield Static(Content(title).stylize("bold"), classes="help-title")
                if note:
                    yield Static(Content(note).stylize(styles.MUTED), classes="help-note")
                yield Static(self._table(bindings), classes="help-keys")
            yield Static(Content("Searching").stylize("bold"), classes="help-title")
            yield Static(Content(QUERY_HELP), classes="help-note")
            yield Static(
                Content(
                    "Ctrl+P opens the command palette: search, open article by title, compare "
                    "with…, filter, sort, export, bookmarks, toggle boilerplate, switch theme."
                ).stylize(styles.MUTED),
                classes="help-note",
            )
            yield Static(Content("Rebinding keys").stylize("bold"), classes="help-title")
            yield Static(Content(REBIND_HELP).stylize(styles.MUTED), classes="help-note")

    def _table(self, bindings: list[Binding]) -> Content:
        user_keys = getattr(self.app, "settings", None)
        user_keys = user_keys.keys if user_keys is not None else {}
        rows = []
        for binding in bindings:
            if binding.action.startswith("app.") and binding not in keymap.APP:
                continue  # the app's own key, repeated here to work on this screen
            keys = key_names(self.app, binding, keymap.effective_keys(binding, user_keys))
            rows.append((keys, binding.description or binding.action, binding.id or ""))
        key_width = max((len(k) for k, _, _ in rows), default=0)
        what_width = max((len(w) for _, w, _ in rows), default=0)
        lines = []
        for keys, what, binding_id in rows:
            line = Content(f"{keys:>{key_width}}  ").stylize("bold $text-accent")
            line += Content(f"{what:<{what_width}}  ") + Content(binding_id).stylize(styles.MUTED)
            lines.append(line)
        return Content("\n").join(lines)

    def action_scroll_down(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#help-box", VerticalScroll).scroll_up()
