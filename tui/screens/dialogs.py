"""Small modal dialogs: pick one of a few choices (what to copy), and confirm a file name
(where to export). Each answers through `dismiss`, None when cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import keymap
from ..export import formats_hint
from ..widgets import styles
from ..widgets.ordered_input import OrderedInput

DIALOG_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }}
    .dialog-hint {{
        color: $text-muted;
        margin-top: 1;
    }}
}}
"""


@dataclass(frozen=True)
class Choice:
    key: str  # a letter that picks it at once
    label: str
    value: str


class ChoiceScreen(ModalScreen[Choice | None]):
    """A short list to pick from with the arrows and Enter, or with a choice's letter."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ChoiceScreen")
        + """
    ChoiceScreen OptionList, ChoiceScreen OptionList:focus {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = keymap.DIALOG

    def __init__(self, title: str, choices: list[Choice]) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield OptionList(
                *(
                    Option(
                        Content(f"{c.key}  ").stylize("bold $text-accent")
                        + Content(c.label)
                        + Content(f"  {_preview(c.value)}").stylize(styles.MUTED),
                        id=str(n),
                    )
                    for n, c in enumerate(self.choices)
                )
            )
            yield Static(Content("Enter or the letter picks; Esc cancels."), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])

    def on_key(self, event) -> None:
        for choice in self.choices:
            if event.character == choice.key:
                event.stop()
                self.dismiss(choice)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)


def _preview(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class PathScreen(ModalScreen[Path | None]):
    """Confirm or edit the file an export goes to. A name whose ending is none of `formats`
    (suffix: format) is refused in the hint line, and the dialog stays."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PathScreen")
        + """
    PathScreen Input {
        margin-top: 1;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *keymap.DIALOG,
        Binding("enter", "save", "Save", show=False),
    ]

    def __init__(self, title: str, what: str, default: Path, formats: dict[str, str]) -> None:
        super().__init__()
        self.title_text = title
        self.what = what
        self.default = default
        self.formats = formats

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(Content(self.what))
            # Not selected: the first Backspace, meant for the extension, deleted the name.
            yield OrderedInput(str(self.default), id="path", select_on_focus=False)
            yield Static(
                Content("Enter saves (an existing file is replaced); Esc cancels."),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(Input).cursor_position = len(str(self.default))

    @on(Input.Submitted)
    def action_save(self) -> None:
        value = self.query_one(Input).value.strip()
        if not value:
            self.dismiss(None)
            return
        path = Path(value).expanduser()
        suffix = path.suffix.lower()
        if suffix not in self.formats:
            what = (
                f"“{path.name}” has no extension"
                if not suffix
                else f"“{suffix}” is not offered here"
            )
            self.query_one(".dialog-hint", Static).update(
                Content(f"{what}: name it {formats_hint(self.formats)}.").stylize(styles.ERROR)
            )
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
