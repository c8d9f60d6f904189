"""The main screen: search box, results, the article on show and its related articles.

Wide terminals show the panes side by side; narrow ones show one pane at a time (Tab,
Enter and Escape move between them). Engine calls run in exclusive thread workers that
report back with messages, so a new keystroke cancels a search that has not started yet."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import DescendantFocus
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...index import NewsreaderError, QueryError, QueryTerms, SearchResults
from .. import keymap
from ..config import Settings
from ..engine import Engine, Reading, RelatedArticle
from ..widgets import styles
from ..widgets.article_view import ArticleView
from ..widgets.related_list import RelatedList
from ..widgets.results import ResultsList
from ..widgets.search_bar import SearchBar

PANES = ("results", "article", "related")
ARTICLE_DELAY = 0.05  # lets a held-down j skip articles instead of loading each one
RELATED_DELAY = 0.15


def _waited(delay: float) -> bool:
    """Wait `delay` seconds in a worker thread; False when the worker was cancelled (by a
    newer one of its group) meanwhile."""
    if delay:
        time.sleep(delay)
    return not get_current_worker().is_cancelled


# What the workers report. Each is handled by the screen on its own thread; a message for a
# screen that is gone is dropped, so a late answer needs no guard.
@dataclass
class SearchDone(Message):
    results: SearchResults
    keep: str | None  # the article to stay on ("show more")


@dataclass
class SearchFailed(Message):
    message: str


@dataclass
class ArticleLoaded(Message):
    reading: Reading


@dataclass
class ArticleFailed(Message):
    message: str


@dataclass
class RelatedLoaded(Message):
    article_id: str
    items: list[RelatedArticle]


@dataclass
class RelatedFailed(Message):
    message: str


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.MAIN
    AUTO_FOCUS = "#search"

    pane: reactive[str] = reactive("results")  # the pane on show when only one fits

    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (settings.narrow_width, "-wide")]
        self.VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
        self.results: SearchResults | None = None
        self.limit = settings.result_limit
        self.ready = False  # no searching until the index is up to date

    def compose(self) -> ComposeResult:
        yield Static(Content(f"newsreader · {self.engine.corpus_name}"), id="topbar")
        yield SearchBar(id="search")
        yield Static(Content("Opening the index…").stylize(styles.MUTED), id="status")
        with Horizontal(id="body", classes="-show-results"):
            yield ResultsList(id="results")
            with Vertical(id="reader"):
                yield ArticleView(id="article")
                yield RelatedList(id="related")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ResultsList).border_title = "Results"
        self.query_one(RelatedList).show_message("")

    # -- state the app and tests read ------------------------------------------------------
    @property
    def query_text(self) -> str:
        return self.query_one(SearchBar).value

    @property
    def article_id(self) -> str | None:
        article = self.query_one(ArticleView).article
        return article.id if article else None

    @property
    def terms(self) -> QueryTerms:
        return self.results.terms if self.results else QueryTerms()

    def index_ready(self) -> None:
        """Called by the app once the index is usable: show the first results."""
        self.ready = True
        self.run_search(self.query_text, delay=0.0)

    # -- searching --------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.limit = self.settings.result_limit
        if self.ready:
            self.run_search(event.value, delay=self.settings.debounce)

    @work(exclusive=True, group="search", thread=True)
    def run_search(self, query: str, delay: float, keep: str | None = None) -> None:
        # A newer keystroke cancels this worker while it waits, before the engine is asked.
        if not _waited(delay):
            return
        try:
            results = self.engine.search(query, self.limit)
        except NewsreaderError as exc:
            prefix = "" if isinstance(exc, QueryError) else "error: "
            self.post_message(SearchFailed(f"{prefix}{exc}"))
            return
        except Exception as exc:  # an engine bug must not take the reader's session down
            self.post_message(SearchFailed(f"internal error: {type(exc).__name__}: {exc}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(results, keep))

    @on(SearchFailed)
    def _search_failed(self, event: SearchFailed) -> None:
        self.query_one("#status", Static).update(Content(event.message).stylize(styles.ERROR))

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        results = event.results
        self.results = results
        self.query_one("#status", Static).update(self._summary(results))
        results_list = self.query_one(ResultsList)
        results_list.show(results, keep=event.keep)
        results_list.border_title = f"Results ({results.total:,})"
        if not results.hits:
            self.query_one(ArticleView).show_message("Nothing to show.")
            self.query_one(RelatedList).show_message("")

    def _summary(self, results: SearchResults) -> Content:
        n = results.total
        if not results.query:
            return Content(f"{n:,} article{'s' if n != 1 else ''}, newest first")
        if n:
            return Content(f"{n:,} result{'s' if n != 1 else ''} for ") + Content(
                results.query
            ).stylize("bold")
        out = Content("No results for ") + Content(results.query).stylize("bold")
        if results.suggestion:
            out += (
                Content(". Did you mean ")
                + Content(results.suggestion).stylize(styles.SUGGESTION)
                + Content("? (select it below)")
            )
        return out

    @on(SearchBar.Leave)
    @on(Input.Submitted, "#search")
    def _leave_search(self) -> None:
        self._focus_pane("results")

    @on(ResultsList.SuggestionChosen)
    def _suggestion(self, event: ResultsList.SuggestionChosen) -> None:
        search = self.query_one(SearchBar)
        search.value = event.query
        search.cursor_position = len(event.query)
        self.run_search(event.query, delay=0.0)

    @on(ResultsList.MoreRequested)
    def _more(self) -> None:
        self.limit += self.settings.result_limit
        results_list = self.query_one(ResultsList)
        shown = len(self.results.hits) if self.results else 0
        keep = results_list.options[shown - 1].id if shown else None
        self.run_search(self.query_text, delay=0.0, keep=keep)

    # -- reading ------------------------------------------------------------------------------
    @on(ResultsList.Highlighted)
    def _highlighted(self, event: ResultsList.Highlighted) -> None:
        self.load_article(event.article_id, ARTICLE_DELAY)

    @on(ResultsList.Opened)
    def _opened(self, event: ResultsList.Opened) -> None:
        if self.article_id != event.article_id:
            self.load_article(event.article_id, 0.0)
        self._focus_pane("article")

    def open_article(self, article_id: str) -> None:
        """Show an article chosen elsewhere (the command palette)."""
        self.load_article(article_id, 0.0)
        self._focus_pane("article")

    @work(exclusive=True, group="article", thread=True)
    def load_article(self, article_id: str, delay: float) -> None:
        if not _waited(delay):
            return
        try:
            reading = self.engine.reading(article_id, self.terms)
        except NewsreaderError as exc:
            self.post_message(ArticleFailed(f"Cannot show this article: {exc}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(reading))

    @on(ArticleFailed)
    def _article_failed(self, event: ArticleFailed) -> None:
        self.query_one(ArticleView).show_message(event.message)

    @on(ArticleLoaded)
    def _article_loaded(self, event: ArticleLoaded) -> None:
        self.query_one(ArticleView).show(event.reading)
        self.query_one(RelatedList).show_message("Looking for related articles…")
        self.load_related(event.reading.article.id)

    @work(exclusive=True, group="related", thread=True)
    def load_related(self, article_id: str) -> None:
        # Aligning takes tenths of a second on a real corpus; a reader running down the
        # results should not set off an alignment per article passed.
        if not _waited(RELATED_DELAY):
            return
        try:
            items = self.engine.related(article_id)
        except NewsreaderError as exc:
            self.post_message(RelatedFailed(f"Cannot find related articles: {exc}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(RelatedLoaded(article_id, items))

    @on(RelatedFailed)
    def _related_failed(self, event: RelatedFailed) -> None:
        self.query_one(RelatedList).show_message(event.message)

    @on(RelatedLoaded)
    def _related_loaded(self, event: RelatedLoaded) -> None:
        self.query_one(RelatedList).show(event.article_id, event.items)

    @on(RelatedList.CompareRequested)
    def _compare(self, event: RelatedList.CompareRequested) -> None:
        self.open_comparison(event.a_id, event.b_id)

    def open_comparison(self, a_id: str, b_id: str) -> None:
        from .compare import ComparisonScreen

        self.app.push_screen(ComparisonScreen(self.engine, self.settings, a_id, b_id))

    # -- panes and focus -------------------------------------------------------------------
    def _widget_of(self, pane: str) -> Widget:
        return self.query_one(f"#{pane}")

    def watch_pane(self, pane: str) -> None:
        body = self.query_one("#body")
        for name in PANES:
            body.set_class(name == pane, f"-show-{name}")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget.id in PANES:
            self.pane = event.widget.id

    def _focus_pane(self, pane: str) -> None:
        self.pane = pane
        # A pane hidden a moment ago cannot take focus until the layout has caught up.
        self.call_after_refresh(self._widget_of(pane).focus)

    def action_focus_search(self) -> None:
        self.query_one(SearchBar).focus()

    def action_cycle_panes(self, direction: int) -> None:
        order = ["search", *PANES]
        focused = self.focused.id if self.focused else None
        index = order.index(focused) if focused in order else 0
        target = order[(index + direction) % len(order)]
        if target == "search":
            self.action_focus_search()
        else:
            self._focus_pane(target)

    def action_back(self) -> None:
        focused = self.focused.id if self.focused else None
        if focused in ("article", "related"):
            self._focus_pane("results")
        elif focused == "results":
            self.action_focus_search()

    def action_toggle_hidden(self) -> None:
        view = self.query_one(ArticleView)
        view.show_hidden = not view.show_hidden
        self.notify(
            "Showing every paragraph" if view.show_hidden else "Hiding boilerplate and repeats",
            timeout=2,
        )
