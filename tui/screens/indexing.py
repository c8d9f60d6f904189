"""Bringing the index up to date before the first search, with progress on screen.

The update runs in a thread worker; its progress callback only records the latest figures
and a timer draws them, so a fast update is not slowed by a screen refresh per file.
Escape asks the engine to stop at the next file; it keeps what it committed."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from ...index import NewsreaderError, Pending, UpdateReport
from .. import keymap
from ..engine import Engine
from ..widgets import styles


@dataclass(frozen=True)
class Outcome:
    report: UpdateReport | None
    error: str | None = None


@dataclass
class Indexed(Message):
    outcome: Outcome


class IndexingScreen(ModalScreen[Outcome]):
    CSS_PATH = "indexing.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.INDEXING

    def __init__(self, engine: Engine, pending: Pending) -> None:
        super().__init__()
        self.engine = engine
        self.pending = pending
        self._stop = threading.Event()
        self._progress: tuple[int, int, str] = (0, 0, "")

    def compose(self) -> ComposeResult:
        with Vertical(id="indexing-box"):
            yield Static(
                Content("Indexing ").stylize("bold")
                + Content(self.engine.corpus_name).stylize("bold"),
                id="indexing-title",
            )
            yield Static(self._reason(), id="indexing-reason")
            yield ProgressBar(id="indexing-bar", show_eta=False)
            yield Static("", id="indexing-file")
            yield Static(
                Content("Escape cancels; what is done so far is kept.").stylize(styles.MUTED),
                id="indexing-hint",
            )

    def _reason(self) -> Content:
        p = self.pending
        if p.rebuild_reason:
            text = p.rebuild_reason[:1].upper() + p.rebuild_reason[1:] + "."
        else:
            bits = [
                f"{p.new} new" if p.new else "",
                f"{p.changed} changed" if p.changed else "",
                f"{p.removed} removed" if p.removed else "",
            ]
            text = "Files " + ", ".join(b for b in bits if b) + "."
        return Content(text).stylize(styles.MUTED)

    def on_mount(self) -> None:
        self.set_interval(0.1, self._draw)
        self.run_update()

    def _record(self, done: int, total: int, path: str) -> None:
        self._progress = (done, total, path)  # called from the worker thread

    def _draw(self) -> None:
        done, total, path = self._progress
        bar = self.query_one(ProgressBar)
        if total:
            bar.update(total=total, progress=done)
        self.query_one("#indexing-file", Static).update(Content(path[-60:]).stylize(styles.MUTED))

    @work(thread=True, exclusive=True, group="index")
    def run_update(self) -> None:
        try:
            self.post_message(Indexed(Outcome(self.engine.update(self._record, self._stop.is_set))))
        except NewsreaderError as exc:
            self.post_message(Indexed(Outcome(None, str(exc))))

    @on(Indexed)
    def _indexed(self, event: Indexed) -> None:
        self.dismiss(event.outcome)

    def action_cancel(self) -> None:
        self._stop.set()
        self.query_one("#indexing-hint", Static).update(
            Content("Cancelling…").stylize(styles.ERROR)
        )

    def on_unmount(self) -> None:
        self._stop.set()  # quitting mid-update stops the worker at the next file
