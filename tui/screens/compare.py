"""The comparison screen: article A left, B right (stacked on a narrow terminal), shared
passages numbered, coloured and level. Escape returns to the main screen untouched, since
that screen stays underneath this one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...index import Comparison, NewsreaderError
from .. import keymap
from ..config import Settings
from ..engine import Engine
from ..widgets import styles
from ..widgets.comparison import ComparisonView, PassagePane


@dataclass
class Compared(Message):
    comparison: Comparison


@dataclass
class CompareFailed(Message):
    message: str


class ComparisonScreen(Screen[None]):
    CSS_PATH = "compare.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.COMPARE
    AUTO_FOCUS = "#pane-a"

    def __init__(self, engine: Engine, settings: Settings, a_id: str, b_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.a_id = a_id
        self.b_id = b_id
        self.comparison: Comparison | None = None
        self.HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (settings.narrow_width, "-wide")]

    def compose(self) -> ComposeResult:
        yield Static(Content("Aligning the two articles…").stylize(styles.MUTED), id="cmp-status")
        yield ComparisonView(id="comparison")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True, group="compare", thread=True)
    def load(self) -> None:
        try:
            self.post_message(Compared(self.engine.compare(self.a_id, self.b_id)))
        except NewsreaderError as exc:
            self.post_message(CompareFailed(str(exc)))

    @on(CompareFailed)
    def _failed(self, event: CompareFailed) -> None:
        self.query_one("#cmp-status", Static).update(
            Content(f"Cannot compare: {event.message}").stylize(styles.ERROR)
        )

    @on(Compared)
    def _compared(self, event: Compared) -> None:
        self._show(event.comparison, None)

    def _show(self, comparison: Comparison, current: int | None) -> None:
        self.comparison = comparison
        self.query_one(ComparisonView).show(comparison, current)

    @on(ComparisonView.PassageChanged)
    def _passage_changed(self, event: ComparisonView.PassageChanged) -> None:
        self.query_one("#cmp-status", Static).update(self._status(event.index, event.total))

    def _status(self, index: int | None, total: int) -> Content:
        if self.comparison is None:
            return Content("")
        al = self.comparison.alignment
        if not total:
            return Content("These articles share no passage.").stylize(styles.MUTED)
        out = Content(f"{total} shared passage{'s' if total != 1 else ''}").stylize("bold")
        out += Content(f" · A {al.coverage_a:.0%} shared · B {al.coverage_b:.0%} shared")
        if index is not None:
            out += Content(f" · passage {index + 1} of {total}").stylize("bold")
        else:
            out += Content(" · ] next passage").stylize(styles.MUTED)
        return out

    # -- actions ---------------------------------------------------------------------------
    def action_passage(self, direction: int) -> None:
        self.query_one(ComparisonView).step(direction)

    def action_swap(self) -> None:
        if self.comparison is None:
            return
        view = self.query_one(ComparisonView)
        current = view.swapped_index()
        c = self.comparison
        self.a_id, self.b_id = self.b_id, self.a_id
        self._show(Comparison(c.b, c.a, c.alignment.swapped()), current)

    def action_back(self) -> None:
        self.dismiss()

    def _pane(self) -> PassagePane | None:
        return self.focused if isinstance(self.focused, PassagePane) else None

    def action_cycle_panes(self) -> None:
        a, b = self.query_one(ComparisonView).panes
        (a if self.focused is b else b).focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one(ComparisonView).scroll_lines(lines, self._pane())

    def action_page(self, direction: int) -> None:
        pane = self._pane() or self.query_one(ComparisonView).panes[0]
        self.query_one(ComparisonView).scroll_lines(
            direction * max(pane.scrollable_content_region.height - 1, 1), pane
        )

    def action_edge(self, end: int) -> None:
        self.query_one(ComparisonView).scroll_edge(bool(end))
