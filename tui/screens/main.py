"""The main screen: search box, results, the article on show and its related articles.

How much shows at once depends on the width: results beside the article (wide), compact
results above the article (medium, e.g. 80x24), or one pane at a time (narrow). A pane
indicator says which panes are on show and which one has the keys. Engine calls run in
exclusive thread workers that report back with messages, so a new keystroke cancels a
search that has not started yet.

Focus: the results have it from the start; `/` is the one way into the search box; Escape
only goes back (related → article → results; full screen → article) and never into the
box, so `q`, `j`, `g` never end up typed into a query by accident."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
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
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from ...index import NewsreaderError, QueryError, QueryTerms, SearchResults
from .. import export, keymap
from ..config import Settings
from ..engine import Engine, Reading, RelatedArticle
from ..labels import count_label
from ..widgets import styles
from ..widgets.article_view import ArticleView
from ..widgets.footer import KeyFooter
from ..widgets.related_list import RelatedList
from ..widgets.results import ResultsList
from ..widgets.search_bar import SearchBar
from . import actions
from .filter import Filter, apply

PANES = ("results", "article", "related")
PANE_NAMES = {"results": "Results", "article": "Article", "related": "Related"}
ARTICLE_DELAY = 0.05  # lets a held-down j skip articles instead of loading each one
RELATED_DELAY = 0.15
# The top result's article while the reader types: drawing an article and aligning its
# related ones took the event loop and the interpreter away from the next keystrokes, so
# the article waits for a pause in the typing.
TYPING_DELAY = 0.35
# Most results an export holds: the engine's own cap on one search's hits.
MAX_EXPORTED = 10_000
_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of a title, for the warm-up search


def _waited(delay: float) -> bool:
    """Wait `delay` seconds in a worker thread; False when the worker was cancelled (by a
    newer one of its group, or a keystroke) meanwhile. A cancelled worker stops waiting
    within a few hundredths of a second, so none lingers after the app has quit."""
    worker = get_current_worker()
    end = time.monotonic() + delay
    while (left := end - time.monotonic()) > 0 and not worker.is_cancelled:
        time.sleep(min(left, 0.02))
    return not worker.is_cancelled


KEEP_LOOKUP = 1_000  # results looked through for the article to stay on (see run_search)


def _beyond(results: SearchResults, article_id: str) -> bool:
    """Whether `article_id` may be among the results but not on the page shown."""
    return len(results.hits) < results.total and all(h.id != article_id for h in results.hits)


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


@dataclass
class StateLoaded(Message):
    read: set[str]
    flagged: set[str]
    history: list[str]


class PaneIndicator(Static):
    """Which panes are on show (bright), which is not (dim), and which has the keys
    (reversed); on a narrow terminal, the pane's name and its place among the three."""

    DEFAULT_CSS = """
    PaneIndicator {
        width: auto;
        height: 1;
        padding: 0 0 0 1;
    }
    """

    def draw(self, focused: str | None, visible: list[str], counts: dict[str, str], short: bool):
        if short:
            pane = visible[0] if visible else "results"
            n = PANES.index(pane) + 1
            text = Content(f" {PANE_NAMES[pane]} ").stylize(styles.PANE_FOCUSED)
            self._show(text + Content(f" {n}/{len(PANES)} ⇥").stylize(styles.MUTED))
            return
        parts = []
        for pane in PANES:
            name = PANE_NAMES[pane] + (f" {counts[pane]}" if counts.get(pane) else "")
            if pane == focused:
                parts.append(Content(f" {name} ").stylize(styles.PANE_FOCUSED))
            elif pane in visible:
                parts.append(Content(f" {name} ").stylize(styles.PANE_VISIBLE))
            else:
                parts.append(Content(f" {name} ").stylize(styles.PANE_HIDDEN))
        self._show(Content("│").join(parts))

    def _show(self, text: Content) -> None:
        # Drawn after every search and focus change, mostly the same: a new width needs a
        # layout pass (the indicator is as wide as its text), anything else a redraw.
        old = self.visual
        if isinstance(old, Content) and old.plain == text.plain and old.spans == text.spans:
            return
        same_width = isinstance(old, Content) and old.cell_length == text.cell_length
        self.update(text, layout=not same_width)


class MainScreen(actions.ArticleActions, Screen[None]):
    CSS_PATH = "main.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.MAIN
    AUTO_FOCUS = "#results"

    pane: reactive[str] = reactive("results")  # the pane the keys go to (or last went to)
    full_screen: reactive[bool] = reactive(False, init=False)  # the article alone
    sort: reactive[str] = reactive("relevance", init=False)

    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.HORIZONTAL_BREAKPOINTS = [
            (0, "-single"),
            (settings.single_width, "-medium"),
            (settings.narrow_width, "-wide"),
        ]
        self.VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
        self.results: SearchResults | None = None
        self.limit = settings.result_limit
        self.ready = False  # no searching until there is an index
        self.filter = Filter()
        self.read_ids: set[str] = set()
        self.flagged_ids: set[str] = set()
        self._export_suffix = ""  # of the file results are exported to: its format
        self.indexing = False  # the index is being updated in the background
        self._flash_until = 0.0
        self._warmed = False  # a first search of words has been run in the background
        # What is typed has not been answered yet (the search waits out the debounce), and
        # an Enter in the results meanwhile asked for the first of its results.
        self._typed_unanswered = False
        self._open_first = False
        self._refiltered = False  # a new filter's results are on their way

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(Content(f"newsreader · {self.engine.corpus_name}"), id="title")
            yield Static("", id="indexing")
        yield SearchBar(id="search")
        with Horizontal(id="statusline"):
            yield Static(Content("Opening the index…").stylize(styles.MUTED), id="status")
            yield PaneIndicator(id="panes")
        with Horizontal(id="body", classes="-show-results"):
            yield ResultsList(id="results")
            with Vertical(id="reader"):
                yield ArticleView(id="article")
                yield RelatedList(id="related")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ResultsList).border_title = "Results"
        self.query_one(RelatedList).show_message("")
        self.load_state()

    def on_resize(self) -> None:
        self.call_after_refresh(self._layout_changed)

    def _layout_changed(self) -> None:
        self.query_one(ResultsList).compact = self.has_class("-medium")
        self._draw_panes()

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
        """Called by the app once there is an index to search: show the first results."""
        self.ready = True
        self.run_search(self.query_text, delay=0.0)

    def refresh_results(self) -> None:
        """Search again, staying on the article under the cursor (new articles arrived),
        and look again for the articles related to the one on show: new ones may share
        passages with it (it said "No other article shares a passage" until reopened)."""
        if self.ready:
            self.run_search(self.query_text, delay=0.0, keep=self._cursor_id())
            article_id = self.article_id
            if article_id is not None and not isinstance(self.focused, RelatedList):
                self.load_related(article_id)

    def show_indexing(self, text: Content | None) -> None:
        widget = self.query_one("#indexing", Static)
        widget.display = text is not None
        self.indexing = text is not None
        self.set_class(text is not None, "-indexing")
        if text is not None:
            widget.update(text)

    # -- the reader's state (read, flagged, history) ---------------------------------------
    @work(exclusive=True, group="state", thread=True)
    def load_state(self) -> None:
        try:
            state = self.engine.state
            self.post_message(
                StateLoaded(state.read_ids(), state.bookmarked_ids(), state.history())
            )
        except NewsreaderError as exc:
            self.post_message(SearchFailed(f"error: {exc}"))

    @on(StateLoaded)
    def _state_loaded(self, event: StateLoaded) -> None:
        # Marks made before the state arrived (a fast first Enter) are kept too.
        self.read_ids = event.read | self.read_ids
        self.flagged_ids = event.flagged | self.flagged_ids
        self.query_one(SearchBar).history = event.history
        results = self.query_one(ResultsList)
        results.read_ids, results.flagged_ids = self.read_ids, self.flagged_ids
        results.refresh_marks()

    def _save(self, what: str, call, *args) -> bool:
        try:
            call(*args)
        except (NewsreaderError, OSError) as exc:
            self.notify(f"Cannot save {what}: {exc}", severity="error")
            return False
        return True

    def mark_read(self, article_id: str | None, read: bool = True) -> None:
        if article_id is None or (article_id in self.read_ids) == read:
            return
        if self._save("the read mark", self.engine.state.set_read, [article_id], read):
            (self.read_ids.add if read else self.read_ids.discard)(article_id)
            self.query_one(ResultsList).refresh_marks()

    def _target_id(self) -> str | None:
        """The article m and f act on: the one under the cursor in the results, else the
        one on show."""
        if self.focused is self.query_one(ResultsList):
            return self._cursor_id() or self.article_id
        return self.article_id

    def _cursor_id(self) -> str | None:
        return self.query_one(ResultsList).highlighted_id

    def action_toggle_read(self) -> None:
        target = self._target_id()
        if target is None:
            self._no_article()
            return
        self.mark_read(target, target not in self.read_ids)
        self._flash("Marked read" if target in self.read_ids else "Marked unread")

    def _no_article(self) -> None:
        # A bell alone said nothing in a terminal without one (a QA pass pressed m and f
        # on an empty result list and saw nothing happen).
        self.app.bell()
        self._flash("No article here")

    def action_toggle_bookmark(self) -> None:
        target = self._target_id()
        if target is None:
            self._no_article()
            return
        on_ = target not in self.flagged_ids
        if self._save("the flag", self.engine.state.set_bookmark, target, on_):
            (self.flagged_ids.add if on_ else self.flagged_ids.discard)(target)
            self.query_one(ResultsList).refresh_marks()
            self.query_one(ArticleView).flagged = self.article_id in self.flagged_ids
            self._flash("Flagged (is:bookmarked lists flagged articles)" if on_ else "Unflagged")

    def _flash(self, text: str) -> None:
        """A passing word about what a key did, in the status line (no toast over panes);
        the results' summary comes back after two seconds."""
        self._status(Content(text).stylize(styles.FLASH))
        self._flash_until = time.monotonic() + 2.0
        self.set_timer(2.0, self._restore_status)

    def _restore_status(self) -> None:
        if self.results is not None and time.monotonic() >= self._flash_until:
            self._status(self._summary(self.results))

    def _status(self, text: Content) -> None:
        # One line of a set width whatever it says (cut with an ellipsis): no layout pass,
        # which would redraw every pane.
        self.query_one("#status", Static).update(text, layout=False)

    # -- searching --------------------------------------------------------------------------
    def full_query(self, text: str | None = None) -> str:
        return apply(self.query_text if text is None else text, self.filter)

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.limit = self.settings.result_limit
        # The article and related ones of the results now out of date: not worth loading.
        self.workers.cancel_group(self, "article")
        self.workers.cancel_group(self, "related")
        self.query_one(ArticleView).await_article(None)
        if self.ready:
            self._typed_unanswered = True
            self.run_search(event.value, delay=self.settings.debounce)

    @work(exclusive=True, group="search", thread=True)
    def run_search(self, query: str, delay: float, keep: str | None = None) -> None:
        # A newer keystroke cancels this worker while it waits, before the engine is asked.
        if not _waited(delay):
            return
        # Without words there is nothing to rank: newest first.
        sort = self.sort if query.strip() else "date"
        try:
            results = self.engine.search(
                self.full_query(query), self.limit, sort, self.filter.facets()
            )
            if keep is not None and _beyond(results, keep):
                # The article to stay on fell past the first page (new articles ranked
                # above it as the index grew): the cursor jumped to another one, which
                # then took its place on show. Look further, so that it stays.
                wider = self.engine.search(
                    self.full_query(query), KEEP_LOOKUP, sort, self.filter.facets()
                )
                place = next((k for k, h in enumerate(wider.hits) if h.id == keep), None)
                if place is not None:
                    self.limit = max(self.limit, place + 1)
                    results = dataclasses.replace(wider, hits=wider.hits[: self.limit])
        except NewsreaderError as exc:
            prefix = "" if isinstance(exc, QueryError) else "error: "
            self.post_message(SearchFailed(f"{prefix}{exc}"))
            return
        except Exception as exc:  # an engine bug must not take the reader's session down
            self.post_message(SearchFailed(f"internal error: {type(exc).__name__}: {exc}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(results, keep))

    @work(exclusive=True, group="warm", thread=True)
    def warm_up(self, word: str) -> None:
        """A search of words run once and thrown away, while the reader looks at the first
        list: what the first one loads (the query parser's modules, its patterns) would
        otherwise come on top of the reader's first search (60 ms at 100,000 articles)."""
        # Only a head start: whatever goes wrong, the reader's own search reports it.
        with suppress(Exception):
            self.engine.warm_up(word)

    @on(SearchFailed)
    def _search_failed(self, event: SearchFailed) -> None:
        self._typed_unanswered = self._open_first = False
        self.query_one(ResultsList).awaiting = False
        self._status(Content(event.message).stylize(styles.ERROR))
        # The results stay (the query is most likely being typed), but not a suggestion for
        # the query before: Enter on it would search what the reader has typed away from.
        if self.results is not None and self.results.suggestion:
            self.results = dataclasses.replace(self.results, suggestion=None)
            results_list = self.query_one(ResultsList)
            results_list.show(self.results, keep=results_list.highlighted_id)

    @on(SearchDone)
    def _search_done(self, event: SearchDone) -> None:
        results = event.results
        self.results = results
        open_first = self._open_first and bool(results.hits)
        self._typed_unanswered = self._open_first = False
        if not self._warmed and results.hits:
            self._warmed = True
            word = _WORD.search(results.hits[0].title or "")
            if word:
                self.warm_up(word.group())
        if time.monotonic() >= self._flash_until:
            self._status(self._summary(results))
        results_list = self.query_one(ResultsList)
        results_list.show(results, keep=event.keep)
        results_list.border_title = f"Results ({count_label(results)})"
        if not results.hits:
            self.query_one(ArticleView).show_message(
                "Nothing searchable yet: articles appear as the index commits them, in "
                "batches (see the top bar)."
                if self.indexing and not results.total and not self.query_text.strip()
                else "Nothing to show."
            )
            self.query_one(RelatedList).show_message("")
        self._draw_panes()
        refiltered, self._refiltered = self._refiltered, False
        shown = self.article_id
        if refiltered and shown is not None and all(h.id != shown for h in results.hits):
            # The filter hides the article being read: it stayed on show, with no ▶ in the
            # results. The reader goes back to the results, on the first (not marked read:
            # nobody opened it), as after a new search.
            self.full_screen = False
            self._focus_pane("results")
            if results.hits:
                self.load_article(results_list.highlighted_id or results.hits[0].id, 0.0)
        if open_first:
            # The first of the new results, or the one j / k moved to meanwhile.
            self.open_article(results_list.highlighted_id or results.hits[0].id)

    def _summary(self, results: SearchResults) -> Content:
        n = results.total
        typed = _echoed(self.query_text.strip())
        # How many, then the rest: with a filter on, the filter goes between them.
        if not typed:
            count = Content(f"{n:,} article{'s' if n != 1 else ''}")
            joint, rest = ", ", Content("newest first")
        elif n:
            bound = "" if results.total_exact else "at least "
            count = Content(f"{bound}{n:,} result{'s' if n != 1 else ''}")
            # The note before the query, which is cut short and is in the search box.
            note = f"({results.note}) " if results.note else ""
            joint, rest = " ", Content(f"{note}for ") + Content(typed).stylize("bold")
            if self.sort == "date" and not (results.note or "").endswith("newest first"):
                rest += Content(", newest first")
        else:
            count = Content("No results")
            joint, rest = " ", Content("for ") + Content(typed).stylize("bold")
            if results.suggestion:
                rest += (
                    Content(". Did you mean ")
                    + Content(results.suggestion).stylize(styles.SUGGESTION)
                    + Content("? (select it below)")
                )
            elif results.note:  # why nothing was found (a query of stop words)
                rest += Content(f": {results.note}")
        if not self.filter:
            return count + Content(joint) + rest
        # Right after the count: a long note or query is cut at the line's end, and a
        # filter on is what the reader must not miss (at 80x24 it read "… newest first ·
        # fi…"); first on the line, it left no room for the count at 60x20.
        return (
            count
            + Content(" · filter: ").stylize(styles.MUTED)
            + Content(self.filter.label()).stylize(styles.FILTER)
            + Content(" · ").stylize(styles.MUTED)
            + rest
        )

    @on(SearchBar.Leave)
    @on(Input.Submitted, "#search")
    def _leave_search(self) -> None:
        self._keep_query()
        if self._typed_unanswered:
            # Left before the debounce ran it: run it now, not after another wait.
            self.query_one(ResultsList).awaiting = True
            self.run_search(self.query_text, delay=0.0)
        self._focus_pane("results")

    def _keep_query(self) -> None:
        """Put the query in the history (not twice in a row: both stores see to that)."""
        query = self.query_text.strip()
        if query:
            self.query_one(SearchBar).remember(query)
            self._save("the search history", self.engine.state.add_history, query)

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

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"

    def watch_sort(self, sort: str) -> None:
        self.limit = self.settings.result_limit
        self.refresh_results()
        note = "" if self.query_text.strip() else " (with no words, always newest first)"
        self._flash(
            ("Sorted by date, newest first" if sort == "date" else "Sorted by relevance") + note
        )

    def action_filter(self) -> None:
        self.load_facets()

    @work(exclusive=True, group="facets", thread=True)
    def load_facets(self) -> None:
        try:
            facets = self.engine.facets()
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._open_filter, facets)

    def _open_filter(self, facets) -> None:
        from .filter import FilterScreen

        self.app.push_screen(FilterScreen(facets, self.filter), self.set_filter)

    def set_filter(self, chosen: Filter | None) -> None:
        if chosen is None:
            return
        self.filter = chosen
        self.limit = self.settings.result_limit
        self._refiltered = True
        self.refresh_results()

    # -- reading ------------------------------------------------------------------------------
    @on(ResultsList.Highlighted)
    def _highlighted(self, event: ResultsList.Highlighted) -> None:
        reading = self.full_screen or isinstance(self.focused, (ArticleView, RelatedList))
        if reading and self.article_id is not None:
            # New results under a reader (a sort, a filter) leave the article being read on
            # show: replacing it would also mark an article read that nobody opened.
            return
        typing = isinstance(self.focused, SearchBar)
        self.load_article(event.article_id, TYPING_DELAY if typing else ARTICLE_DELAY)

    @on(ResultsList.Opened)
    def _opened(self, event: ResultsList.Opened) -> None:
        if self._typed_unanswered:
            # The list still shows the results of what was typed before: opening its row
            # opened (and marked read) an article the new search does not find. Open the
            # first of the new results once they come.
            self._open_first = True
            return
        # An article opened from the results (a click, with the box never left by a key)
        # keeps the query that found it.
        self._keep_query()
        if self.article_id != event.article_id:
            self.load_article(event.article_id, 0.0)
        self.query_one(ArticleView).await_article(event.article_id)
        self.mark_read(event.article_id)
        self._focus_pane("article")

    def open_article(self, article_id: str) -> None:
        """Show an article chosen elsewhere (the command palette)."""
        self.load_article(article_id, 0.0)
        self.query_one(ArticleView).await_article(article_id)
        self.mark_read(article_id)
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
        view = self.query_one(ArticleView)
        article_id = event.reading.article.id
        view.flagged = article_id in self.flagged_ids
        view.show(event.reading)
        results = self.query_one(ResultsList)
        results.on_show = article_id
        results.refresh_marks()
        if self.focused is view or self.full_screen:
            self.mark_read(article_id)
        self.query_one(RelatedList).show_message("Looking for related articles…")
        self.load_related(article_id)

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
        self._draw_panes()

    @on(RelatedList.CompareRequested)
    def _compare(self, event: RelatedList.CompareRequested) -> None:
        self.open_comparison(event.a_id, event.b_id)

    def open_comparison(self, a_id: str, b_id: str) -> None:
        from .compare import ComparisonScreen

        self.app.push_screen(ComparisonScreen(self.engine, self.settings, a_id, b_id))

    # -- panes and focus -------------------------------------------------------------------
    def _widget_of(self, pane: str) -> Widget:
        return self.query_one(f"#{pane}")

    def visible_panes(self) -> list[str]:
        if self.full_screen:
            return ["article"]
        if self.has_class("-single"):
            return [self.pane]
        if self.has_class("-medium"):
            return ["results", "related" if self.pane == "related" else "article"]
        return list(PANES)

    def watch_pane(self, pane: str) -> None:
        body = self.query_one("#body")
        for name in PANES:
            body.set_class(name == pane, f"-show-{name}")
        self._draw_panes()

    def _draw_panes(self) -> None:
        focused = self.focused.id if self.focused else None
        results = self.query_one(ResultsList)
        related = self.query_one(RelatedList)
        # A pane's count, when it has any: the tab strip leaves the number out for none.
        counts = {
            "results": count_label(results.results)
            if results.results and results.results.total
            else "",
            "related": f"{len(related.items):,}" if related.items else "",
        }
        self.query_one(PaneIndicator).draw(
            focused if focused in PANES else None,
            self.visible_panes(),
            counts,
            short=self.has_class("-single"),
        )

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget.id in PANES:
            self.pane = event.widget.id
            if event.widget.id == "article":
                self.mark_read(self.article_id)
        self._draw_panes()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._draw_panes)

    def _focus_pane(self, pane: str) -> None:
        self.pane = pane
        widget = self._widget_of(pane)
        if widget.display and widget.parent.display and self.size.width:
            self.set_focus(widget)  # at once: the next key typed goes there
        else:
            # A pane hidden a moment ago cannot take focus until the layout has caught up.
            self.call_after_refresh(widget.focus)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In the search box "/" is a character like any other: the priority binding would
        # take it before the keys typed just ahead of it are in ("15/9" typed fast became
        # "/159"), so it is left to the box, in order.
        if action == "focus_search" and isinstance(self.focused, SearchBar):
            return False
        return super().check_action(action, parameters)

    def action_focus_search(self) -> None:
        box = self.query_one(SearchBar)
        if self.full_screen:
            self.full_screen = False
            self.call_after_refresh(box.focus)
        else:
            # At once, not after the keys already queued: "/putin" typed fast (or pasted)
            # lands in the box whole.
            self.set_focus(box)

    def action_cycle_panes(self, direction: int) -> None:
        if self.full_screen:
            return
        focused = self.focused.id if self.focused else None
        if focused not in PANES:  # from the search box, Tab goes to the results
            self._focus_pane("results")
            return
        index = PANES.index(focused)
        self._focus_pane(PANES[(index + direction) % len(PANES)])

    def action_back(self) -> None:
        if self.full_screen:
            self.full_screen = False
            return
        focused = self.focused.id if self.focused else None
        if focused == "related":
            self._focus_pane("article")
        elif focused == "article":
            self._focus_pane("results")
        # In the results there is nothing further back: Escape stays put.

    def action_full_screen(self) -> None:
        if self.article_id is None:
            self.app.bell()
            return
        self.full_screen = not self.full_screen

    def watch_full_screen(self, full_screen: bool) -> None:
        self.set_class(full_screen, "-full-screen")
        self.query_one(ArticleView).full_screen = full_screen
        if full_screen:
            self.mark_read(self.article_id)
            self._focus_pane("article")
        self._draw_panes()

    def action_toggle_hidden(self) -> None:
        view = self.query_one(ArticleView)
        view.show_hidden = not view.show_hidden
        self._flash(
            "Showing every paragraph" if view.show_hidden else "Hiding boilerplate and repeats"
        )

    # -- export ------------------------------------------------------------------------------
    def export_what(self) -> tuple[str, str, str | Callable[[], str], dict[str, str]] | None:
        """(description, file name, text) of what is on screen: the article when it has
        the keys (or is full screen), else every result (searched again when only some are
        listed)."""
        focused = self.focused.id if self.focused else None
        article = self.query_one(ArticleView).article
        if article is not None and (self.full_screen or focused in ("article", "related")):
            return (
                f"the article “{article.display_title}”",
                actions.file_name(article.display_title, "md"),
                export.article_markdown(article),
                export.MARKDOWN_FORMATS,
            )
        if self.results is None:
            return None
        typed = self.query_text.strip()
        shown = f"{typed} ({self.filter.label()})" if self.filter else typed
        results = self.results
        n = len(results.hits)
        name = actions.file_name("results " + (typed or "all"), "md")
        about = f" for “{typed}”" if typed else ""
        if results.total <= n:
            return (
                f"{n} result{'s' if n != 1 else ''}{about}",
                name,
                lambda: self._results_text(results, shown),
                export.RESULTS_FORMATS,
            )
        limit = min(results.total, MAX_EXPORTED)
        query, facets = self.full_query(self.query_text), self.filter.facets()
        sort = self.sort if typed else "date"

        def every_result() -> str:
            found = self.engine.search(query, limit, sort, facets)
            return self._results_text(found, shown)

        many = f"all {limit:,}" if limit == results.total else f"the first {limit:,}"
        return (f"{many} results{about}", name, every_result, export.RESULTS_FORMATS)

    def _write_export(self, path: Path | None) -> None:
        # Results are written in the format the file's name asks for.
        self._export_suffix = path.suffix.lower() if path is not None else ""
        super()._write_export(path)

    def _results_text(self, results: SearchResults, title: str) -> str:
        suffix = self._export_suffix
        if suffix == ".csv":
            return export.results_csv(results)
        if suffix in (".jsonl", ".ndjson"):
            return export.results_jsonl(results)
        return export.results_markdown(results, title=title)

    def export_dir(self) -> Path:
        return self.settings.export_dir or Path.cwd()


ECHOED = 40  # characters of the query the status line repeats


def _echoed(query: str) -> str:
    """The query as the status line repeats it: a pasted paragraph cut short, so that what
    follows it (why the results are only the best matches, the filter) stays in sight.
    The whole query is in the search box."""
    query = " ".join(query.split())
    return query if len(query) <= ECHOED else query[: ECHOED - 1].rstrip() + "…"
