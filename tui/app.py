"""The Textual app: a thin shell that opens the main screen at once and keeps the index up
to date in the background. Screens live in tui/screens, widgets in tui/widgets, keys in
tui/keymap.

Indexing never blocks reading: the update runs in a thread worker with a library of its own
and commits in batches; every batch becomes searchable as it lands (the app counts the
searchable articles every second or two and searches again when more arrive), and the top
bar shows the progress, the count and an estimate of the time left."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer

from ..index import Library, NewsreaderError, Pending, UpdateReport
from . import keymap
from .commands import CompareWithProvider, OpenArticleProvider, PaletteTitleProvider, Titles
from .config import Settings, load_settings, save_theme
from .engine import Engine
from .labels import percent
from .screens.filter import Filter
from .screens.help import HelpScreen
from .screens.main import MainScreen

COUNT_EVERY = 1.5  # seconds between two looks at how many articles are searchable
# Seconds between two looks, while the app is not indexing, at whether another process (a
# `newsreader index` in a shell, a cron job) is updating the index or has committed to it.
WATCH_EVERY = 5.0


@dataclass
class IndexOpened(Message):
    """An index is there: searching can begin while it is checked against the folder."""


@dataclass
class IndexChecked(Message):
    ready: bool  # an index was there before the check
    pending: Pending | None  # what an update would do (None: the check failed)
    error: str | None
    busy: bool = False  # another process is updating the index now
    read_only: bool = False  # the index can be searched, not updated


@dataclass
class Indexed(Message):
    report: UpdateReport | None
    error: str | None = None


@dataclass
class Counted(Message):
    articles: int | None  # searchable now (None: no index yet)


@dataclass
class Watched(Message):
    articles: int | None  # searchable now (None: no index yet)
    busy: bool  # another process holds the index's writers' lock


@dataclass
class LeftOver(Message):
    """What a stopped update left to do (None: it could not be told)."""

    pending: Pending | None


@dataclass
class TitlesLoaded(Message):
    titles: Titles


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(round(seconds / 5) * 5, 5):.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class NewsreaderApp(App[None]):
    TITLE = "newsreader"
    BINDINGS: ClassVar[list[BindingType]] = keymap.APP
    COMMANDS = App.COMMANDS | {PaletteTitleProvider}
    # Notices go top right, below the search box: at the bottom they would hide the last
    # rows of the related list.
    CSS = """
    ToastRack {
        dock: top;
        align: right top;
        margin-top: 3;
        margin-bottom: 0;
    }
    """

    def __init__(self, library: Library, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or load_settings()
        self.engine = Engine(library)
        self.titles: Titles = []  # for picking an article by title in the palette
        self.indexing = False
        self._stop = threading.Event()
        self._progress: tuple[int, int] = (0, 0)
        self._phase = ""  # the last steps of an update, once every file is read
        self._started = 0.0
        self._searchable: int | None = None
        self._others_indexing = False  # the banner says another process is indexing
        # "Stop indexing" left the index partial: the top bar keeps saying so until it is
        # resumed (None: not stopped; 0: stopped, what is left not yet counted).
        self._left: int | None = None
        self._watcher: Timer | None = None
        if self.settings.keys:
            self.set_keymap(self.settings.keys)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Never markup: a notice quotes paths, URLs, titles and settings ("in [keys]"),
        whose brackets must show as written, wherever it is raised from."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_help_quit(self) -> None:
        """Ctrl+C: Textual's own notice says how to quit in markup, which `notify` shows as
        written ("[b]ctrl+q[/b]")."""
        keys = [
            key
            for key, active in self.active_bindings.items()
            if active.binding.action in ("quit", "app.quit")
        ]
        if keys:
            self.notify(f"Press {' or '.join(keys)} to quit the app.", title="Do you want to quit?")

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        for problem in self.settings.problems:
            self.notify(problem, title="Settings", severity="warning", timeout=10)
        self.main_screen = MainScreen(self.engine, self.settings)
        self.push_screen(self.main_screen)
        self.check_index()

    def _theme_changed(self, theme: Theme) -> None:
        if self.settings.path is None or theme.name == self.settings.theme:
            return
        try:
            save_theme(theme.name, self.settings.path)
        except OSError as exc:
            self.notify(f"Cannot save the theme to {self.settings.path}: {exc}", severity="error")
            return
        except ValueError as exc:
            self.notify(f"The theme is not saved: {exc}.", severity="error")
            return
        self.settings = replace(self.settings, theme=theme.name)

    # -- start-up ----------------------------------------------------------------------------
    @work(exclusive=True, group="check", thread=True)
    def check_index(self) -> None:
        # An existing index is searched at once, and checked against the folder meanwhile:
        # on a large corpus the check (a stat per file) takes longer than the first search.
        ready = self.engine.exists()
        if ready:
            self.post_message(IndexOpened())
        self.post_message(self._checked(ready))

    def _checked(self, ready: bool) -> IndexChecked:
        """What the index has left to do against the folder (in a worker thread)."""
        try:
            pending = self.engine.pending()
            busy = ready and self.engine.busy()
            read_only = ready and pending.stale and self.engine.read_only()
            return IndexChecked(ready, pending, None, busy, read_only)
        except NewsreaderError as exc:  # e.g. the folder went away since the last run
            return IndexChecked(ready, None, str(exc))

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
        elif event.pending is not None and event.pending.stale and event.read_only:
            why = event.pending.rebuild_reason or "the corpus has changed since it was built"
            self.notify(
                f"The index is read-only: searching it as it is, not brought up to date ({why}).",
                title="Read-only index",
                severity="warning",
                timeout=10,
            )
        elif event.pending is not None and event.pending.stale:
            self.start_indexing(event.pending)
        elif not event.ready:  # pragma: no cover - no index is always stale
            self._start_reading()
        if not self.indexing and not self._others_indexing:
            # A resumed update with nothing left (another process did it), or one that could
            # not start: the top bar's "looking for what is left…" goes.
            self.main_screen.show_indexing(None)

    @work(exclusive=True, group="watch", thread=True)
    def watch_index(self) -> None:
        if self.indexing:
            return
        try:
            articles = self.engine.count() if self.engine.exists() else None
            busy = self.engine.busy()
        except NewsreaderError:
            return
        self.post_message(Watched(articles, busy))

    @on(Watched)
    def _watched(self, event: Watched) -> None:
        if self.indexing or not self.main_screen.ready:
            return
        others = event.busy
        if others or self._others_indexing:
            n = f"{event.articles:,}" if event.articles is not None else "no"
            self.main_screen.show_indexing(
                Content(f"Another newsreader process is indexing · {n} articles searchable")
                if others
                else self.stopped_text()
            )
            self._others_indexing = others
        if event.articles is None or event.articles == self._searchable:
            return
        known, self._searchable = self._searchable, event.articles
        if not others and self._left is not None:
            self.main_screen.show_indexing(self.stopped_text())
        if known is not None:  # what the last look saw: the results are out of date
            self.main_screen.refresh_results()

    def _start_reading(self) -> None:
        self.main_screen.index_ready()
        self.load_titles()
        if self._watcher is None:
            self._watcher = self.set_interval(WATCH_EVERY, self.watch_index)

    # -- indexing in the background ----------------------------------------------------------
    def start_indexing(self, pending: Pending) -> None:
        self.indexing = True
        self._left = None
        self._stop.clear()
        self._progress = (0, 0)
        self._phase = ""
        self._started = time.monotonic()
        if pending.rebuild_reason and self.main_screen.ready:
            self.notify(
                f"Rebuilding the index ({pending.rebuild_reason}); searching the old one "
                "meanwhile.",
                timeout=5,
            )
        self._draw_indexing()
        self._ticker = self.set_interval(0.5, self._draw_indexing)
        self._counter = self.set_interval(COUNT_EVERY, self.count_articles)
        self.run_update()

    def _record(self, done: int, total: int, path: str) -> None:
        self._progress = (done, total)  # called from the worker thread
        # Once every file is read, the path says which last step runs (the spelling
        # dictionary took 10 s of a 22,000-article build, the bar at 100% meanwhile).
        self._phase = path if total and done >= total else ""

    @work(exclusive=True, group="index", thread=True)
    def run_update(self) -> None:
        try:
            self.post_message(Indexed(self.engine.update(self._record, self._stop.is_set)))
        except NewsreaderError as exc:
            self.post_message(Indexed(None, str(exc)))
        except Exception as exc:  # an engine bug must not take the reader's session down
            self.post_message(Indexed(None, f"internal error: {type(exc).__name__}: {exc}"))

    @work(exclusive=True, group="count", thread=True)
    def count_articles(self) -> None:
        try:
            articles = self.engine.count() if self.engine.exists() else None
        except NewsreaderError:
            articles = None
        self.post_message(Counted(articles))

    @on(Counted)
    def _counted(self, event: Counted) -> None:
        if event.articles is None or event.articles == self._searchable:
            return
        self._searchable = event.articles
        if not self.main_screen.ready:
            self._start_reading()
        else:
            self.main_screen.refresh_results()
        self._draw_indexing()
        if not self.indexing and self._left is not None and not self._others_indexing:
            self.main_screen.show_indexing(self.stopped_text())

    def indexing_text(self) -> Content:
        done, total = self._progress
        bits = ["Indexing"]
        if total:
            share = done / total
            bits[0] += f" {percent(share)}"
            elapsed = time.monotonic() - self._started
            if self._phase:
                bits.append(self._phase)
            elif done and elapsed > 2:
                bits.append(f"about {duration(elapsed * (total - done) / done)} left")
        if self._searchable is not None:
            bits.append(f"{self._searchable:,} articles searchable")
        else:
            bits.append("nothing searchable yet")
        if self._stop.is_set():
            bits.append("stopping…")
        return Content(" · ".join(bits))

    def _draw_indexing(self) -> None:
        if self.indexing:
            self.main_screen.show_indexing(self.indexing_text())

    @on(Indexed)
    def _indexed(self, event: Indexed) -> None:
        self.indexing = False
        self._ticker.stop()
        self._counter.stop()
        self.main_screen.show_indexing(None)
        report = event.report
        if event.error is not None:
            if not self.engine.exists():
                self.exit(return_code=1, message=Text(f"newsreader: {event.error}"))
                return
            self.notify(event.error, title="Indexing failed", severity="error", markup=False)
        elif report is not None and report.interrupted:
            if not self.engine.exists():
                self.exit(
                    return_code=130,
                    message=Text("newsreader: indexing stopped; nothing to show."),
                )
                return
            self.notify(
                "Indexing stopped: what was committed stays searchable; the rest is indexed "
                "next time, or now with Resume indexing (Ctrl+P).",
                timeout=4,
            )
            self._left = 0
            self.main_screen.show_indexing(self.stopped_text())
            self.count_left()
            self.count_articles()  # the last commit, made on stopping, is not counted yet
        elif report is not None:
            counts = [
                (len(report.added), "new"),
                (len(report.updated), "changed"),
                (len(report.removed), "removed"),
            ]
            done = ", ".join(f"{n:,} {what}" for n, what in counts if n)
            if done:
                self.notify(f"Index updated: {done}.", timeout=3)
        if self.main_screen.ready:
            self.main_screen.refresh_results()
            self.load_titles()
        else:
            self._start_reading()

    def action_stop_indexing(self) -> None:
        if self.indexing:
            self._stop.set()
            self._draw_indexing()

    def stopped_text(self) -> Content | None:
        """What the top bar keeps saying once an update was stopped (None: it was not).
        The searchable count comes first: a narrow top bar cuts the end."""
        if self._left is None:
            return None
        bits = ["Indexing stopped"]
        if self._searchable is not None:
            bits.append(f"{self._searchable:,} articles searchable")
        if self._left:
            bits.append(f"{self._left:,} files not indexed yet")
        bits.append("Ctrl+P: Resume indexing")
        return Content(" · ".join(bits))

    @work(exclusive=True, group="check", thread=True)
    def count_left(self) -> None:
        try:
            pending = self.engine.pending()
        except NewsreaderError:
            pending = None
        self.post_message(LeftOver(pending))

    @on(LeftOver)
    def _left_over(self, event: LeftOver) -> None:
        if self.indexing or self._left is None:
            return  # resumed meanwhile
        if event.pending is not None:
            if not event.pending.stale:  # stopped on the last file: nothing is missing
                self._left = None
            else:
                p = event.pending
                self._left = p.new + p.changed + p.removed or 0
        if not self._others_indexing:
            self.main_screen.show_indexing(self.stopped_text())

    def action_resume_indexing(self) -> None:
        """Go on with a stopped update: what is left is looked for again (files may have
        changed since), then indexed as at start."""
        if not self.indexing and self._left is not None:
            self._left = None
            self.main_screen.show_indexing(Content("Indexing: looking for what is left…"))
            self.resume()

    @work(exclusive=True, group="check", thread=True)
    def resume(self) -> None:
        self.post_message(self._checked(True))

    @work(exclusive=True, group="titles", thread=True)
    def load_titles(self) -> None:
        with suppress(NewsreaderError):  # no index yet: asked again once there is one
            self.post_message(TitlesLoaded(self.engine.titles()))

    @on(TitlesLoaded)
    def _titles_loaded(self, event: TitlesLoaded) -> None:
        self.titles = event.titles

    # -- actions and commands ------------------------------------------------------------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        from .screens.compare import ComparisonScreen  # loaded with the first comparison

        if isinstance(screen, MainScreen):
            yield from self._main_commands(screen)
        elif isinstance(screen, ComparisonScreen):
            yield SystemCommand(
                "Differences only", "Show only where the passages differ", screen.action_toggle_diff
            )
            yield SystemCommand(
                "Passage list", "Show or hide the list", screen.action_toggle_passages
            )
            yield SystemCommand(
                "Longer passages",
                "Raise the fewest shared words (+)",
                lambda: screen.action_min_words(1),
            )
            yield SystemCommand(
                "Shorter passages",
                "Lower the fewest shared words (-)",
                lambda: screen.action_min_words(-1),
            )
            yield SystemCommand(
                "Export comparison…", "Save as a web page or Markdown", screen.action_export
            )
            yield SystemCommand("Copy…", "A passage, the ids or a URL", screen.action_copy)
        if self.indexing:
            yield SystemCommand(
                "Stop indexing",
                "Keep what is committed; carry on next time",
                self.action_stop_indexing,
            )
        elif self._left is not None:
            yield SystemCommand(
                "Resume indexing",
                "Index what the stopped update left (the top bar counts it)",
                self.action_resume_indexing,
            )
        yield SystemCommand("Keys", "Every key and its id (help)", self.action_help)
        yield SystemCommand(
            "Switch theme", "Change the colours (kept for next time)", self.action_change_theme
        )
        for command in super().get_system_commands(screen):
            if command.title not in ("Theme", "Keys"):  # offered above
                yield command

    def _main_commands(self, screen: MainScreen) -> Iterable[SystemCommand]:
        yield SystemCommand("Search", "Move to the search box (/)", screen.action_focus_search)
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
            "Filter…", "By outlet, dates, unread or flagged (F)", screen.action_filter
        )
        if screen.filter:
            yield SystemCommand(
                "Clear filter", screen.filter.label(), lambda: screen.set_filter(Filter())
            )
        yield SystemCommand(
            "Show flagged articles",
            "Only the articles you flagged (f)",
            lambda: screen.set_filter(Filter(flagged=True)),
        )
        yield SystemCommand(
            "Show unread articles",
            "Only what you have not opened",
            lambda: screen.set_filter(Filter(unread=True)),
        )
        other = "relevance" if screen.sort == "date" else "date"
        yield SystemCommand(
            f"Sort by {other}", "Order of the results (S)", screen.action_toggle_sort
        )
        if screen.article_id:
            yield SystemCommand(
                "Full screen", "Read the article alone (z)", screen.action_full_screen
            )
            yield SystemCommand("Open source URL", "In the browser (o)", screen.action_open_url)
            yield SystemCommand(
                "Copy…", "Text, a paragraph, the id or the URL (y)", screen.action_copy
            )
            yield SystemCommand(
                "Mark read/unread", "The article under the cursor (m)", screen.action_toggle_read
            )
            yield SystemCommand(
                "Flag/unflag", "Bookmark the article (f)", screen.action_toggle_bookmark
            )
        yield SystemCommand(
            "Export…", "Save the results or the article to a file (e)", screen.action_export
        )
        yield SystemCommand(
            "Toggle boilerplate",
            "Show or hide boilerplate, bylines and repeated paragraphs",
            screen.action_toggle_hidden,
        )

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
        self._stop.set()  # quitting mid-update stops the worker at the next file
        self.engine.close()


def run_app(library: Library) -> None:
    """Open the app on `library` (whose index may be missing or stale: the app brings it up
    to date in the background)."""
    settings = load_settings()
    for problem in settings.problems:
        print(f"newsreader: {problem}", file=sys.stderr)
    app = NewsreaderApp(library, settings)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
