"""The Textual app: a thin shell that brings the index up to date, then hands over to the
main screen. Screens live in tui/screens, widgets in tui/widgets, keys in tui/keymap."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen

from ..index import Library, NewsreaderError, Pending
from . import keymap
from .commands import CompareWithProvider, OpenArticleProvider, Titles
from .config import Settings, load_settings
from .engine import Engine
from .screens.help import HelpScreen
from .screens.indexing import IndexingScreen, Outcome
from .screens.main import MainScreen


@dataclass
class IndexOpened(Message):
    """An index is there: searching can begin while it is checked against the folder."""


@dataclass
class IndexChecked(Message):
    ready: bool  # an index was there before the check
    pending: Pending | None  # what an update would do (None: the check failed)
    error: str | None
    busy: bool = False  # another process is updating the index now


@dataclass
class TitlesLoaded(Message):
    titles: Titles


class NewsreaderApp(App[None]):
    TITLE = "newsreader"
    BINDINGS: ClassVar[list[BindingType]] = keymap.APP

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or load_settings()
        self.engine = Engine(library)
        self.titles: Titles = []  # for picking an article by title in the palette
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.main_screen = MainScreen(self.engine, self.settings)
        self.push_screen(self.main_screen)
        self.check_index()

    # -- start-up ----------------------------------------------------------------------------
    @work(exclusive=True, group="index", thread=True)
    def check_index(self) -> None:
        # An existing index is searched at once, and checked against the folder meanwhile:
        # on a large corpus the check (a stat per file) takes longer than the first search.
        ready = self.engine.exists()
        if ready:
            self.post_message(IndexOpened())
        try:
            pending = self.engine.pending()
            self.post_message(IndexChecked(ready, pending, None, ready and self.engine.busy()))
        except NewsreaderError as exc:  # e.g. the folder went away since the last run
            self.post_message(IndexChecked(ready, None, str(exc)))

    @on(IndexOpened)
    def _index_opened(self) -> None:
        self._start_reading()

    @on(IndexChecked)
    def _index_checked(self, event: IndexChecked) -> None:
        if event.error is not None:
            if not event.ready:
                self.exit(return_code=1, message=Text(f"newsreader: {event.error}"))
            else:
                self.notify(
                    event.error, title="Cannot check the index", severity="error", markup=False
                )
        elif event.busy and event.pending is not None and event.pending.stale:
            # Another process is indexing: read what it has committed, and say so.
            self.notify(
                "Another newsreader process is updating this index: showing what it has "
                "committed so far. Search again later to see more.",
                title="Indexing under way",
                severity="warning",
                timeout=10,
            )
        elif event.pending is not None and event.pending.stale:
            self.push_screen(IndexingScreen(self.engine, event.pending), self._indexed)
        elif not event.ready:  # pragma: no cover - no index is always stale
            self._start_reading()

    def _indexed(self, outcome: Outcome | None) -> None:
        report = outcome.report if outcome else None
        if outcome is not None and outcome.error:
            if not self.engine.exists():
                self.exit(return_code=1, message=Text(f"newsreader: {outcome.error}"))
                return
            self.notify(outcome.error, title="Indexing failed", severity="error", markup=False)
        elif report is not None and report.interrupted:
            if not self.engine.exists():
                self.exit(
                    return_code=130,
                    message=Text("newsreader: indexing cancelled; nothing to show."),
                )
                return
            self.notify(
                "Indexing cancelled: what was indexed so far is kept; "
                "the rest is indexed next time.",
                severity="warning",
            )
        elif report is not None:
            counts = [
                (len(report.added), "new"),
                (len(report.updated), "changed"),
                (len(report.removed), "removed"),
            ]
            done = ", ".join(f"{n:,} {what}" for n, what in counts if n)
            if done:
                self.notify(f"Index updated: {done}.", timeout=3)
        self._start_reading()

    def _start_reading(self) -> None:
        self.main_screen.index_ready()
        self.load_titles()

    @work(exclusive=True, group="titles", thread=True)
    def load_titles(self) -> None:
        self.post_message(TitlesLoaded(self.engine.titles()))

    @on(TitlesLoaded)
    def _titles_loaded(self, event: TitlesLoaded) -> None:
        self.titles = event.titles

    # -- actions and commands ------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if isinstance(screen, MainScreen):
            yield SystemCommand("Search", "Move to the search box", screen.action_focus_search)
            yield SystemCommand(
                "Open article by title…", "Pick an article by its title", self.pick_article
            )
            if screen.article_id:
                yield SystemCommand(
                    "Compare with…",
                    "Compare the article on show with another, picked by title",
                    self.pick_comparison,
                )
            yield SystemCommand(
                "Toggle boilerplate",
                "Show or hide boilerplate, bylines and repeated paragraphs",
                screen.action_toggle_hidden,
            )
        yield SystemCommand("Switch theme", "Change the colours", self.action_change_theme)
        for command in super().get_system_commands(screen):
            if command.title != "Theme":  # offered above as "Switch theme"
                yield command

    def pick_article(self) -> None:
        from textual.command import CommandPalette

        self.push_screen(
            CommandPalette(providers=[OpenArticleProvider], placeholder="Article title…")
        )

    def pick_comparison(self) -> None:
        from textual.command import CommandPalette

        self.push_screen(
            CommandPalette(
                providers=[CompareWithProvider], placeholder="Compare with… (article title)"
            )
        )

    def on_unmount(self) -> None:
        self.engine.close()


def run_app(library: Library) -> None:
    """Open the app on `library` (whose index may be missing or stale: the app brings it up
    to date first, with progress on screen)."""
    app = NewsreaderApp(library)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
