"""The results list: one card per hit (title, outlet · date, a two-line snippet with the
query's words highlighted), plus a "did you mean" entry and a "show more" entry. A compact
list (for a terminal that shows results above the article) gives each hit one line: title
and date.

A margin of marks in front of each title: ▶ the article on show, ● unread, ⚑ flagged."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...index import Hit, SearchResults
from .. import keymap, labels
from . import styles
from .card import Card

SNIPPET_LINES = 2
SUGGEST = "suggest:"
MORE = "more:"
ON_SHOW, UNREAD, FLAGGED = "▶", "●", "⚑"


def snippet_content(hit: Hit) -> Content:
    shown, marks = labels.snippet(hit)
    body = Content(shown.replace("\n", " "))
    for start, end in marks:
        body = body.stylize(styles.HIT, start, end)
    return body


def marks(on_show: bool, read: bool, flagged: bool) -> Content:
    """The three-cell margin in front of a title."""
    return (
        Content(ON_SHOW if on_show else " ").stylize(styles.ON_SHOW)
        + Content(UNREAD if not read else " ").stylize(styles.UNREAD)
        + Content(FLAGGED if flagged else " ").stylize(styles.FLAGGED)
    )


def result_card(
    hit: Hit,
    *,
    compact: bool = False,
    on_show: bool = False,
    read: bool = True,
    flagged: bool = False,
) -> Card:
    margin = marks(on_show, read, flagged)
    heading = Content(hit.display_title).stylize(styles.TITLE if not read else styles.READ_TITLE)
    for span in hit.title_highlights:
        heading = heading.stylize(styles.HIT, span.start, span.end)
    title = margin + Content(" ") + heading
    date = hit.date[:10] if hit.date else None
    if compact:
        return Card([title], gap=False, right=Content(date or "").stylize(styles.MUTED))
    bits = [hit.outlet, date]
    meta = Content(" · ".join(b for b in bits if b) or hit.id).stylize(styles.MUTED)
    return Card([title, meta], snippet_content(hit), SNIPPET_LINES, indent=len(margin) + 1)


class ResultsList(OptionList):
    DEFAULT_CSS = """
    ResultsList > .option-list--option {
        padding: 0 1 0 0;
    }
    """
    """Posts what the reader did with the list; the screen decides what follows."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.RESULTS

    compact: reactive[bool] = reactive(False, init=False)

    class Highlighted(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Opened(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class SuggestionChosen(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class MoreRequested(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.results: SearchResults | None = None
        self.read_ids: set[str] = set()
        self.flagged_ids: set[str] = set()
        self.on_show: str | None = None  # the article the reader has on show
        # Each card's marks as drawn (on show, read, flagged), so that a change redraws
        # only the cards it touches.
        self._marks: dict[str, tuple[bool, bool, bool]] = {}
        # Set while the results of what was typed are on their way (the box left before
        # they came): j / k then move in them once they come, not in the list they replace.
        self.awaiting = False
        self._steps = 0

    def action_cursor_down(self) -> None:
        if self.awaiting:
            self._steps += 1
        else:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.awaiting:
            self._steps -= 1
        else:
            super().action_cursor_up()

    @property
    def highlighted_id(self) -> str | None:
        """The article under the cursor (None on a suggestion or "show more")."""
        option = self.highlighted_option
        if option is None or not option.id or option.id.startswith((SUGGEST, MORE)):
            return None
        return option.id

    def _marks_of(self, hit: Hit) -> tuple[bool, bool, bool]:
        return (hit.id == self.on_show, hit.id in self.read_ids, hit.id in self.flagged_ids)

    def _card(self, hit: Hit) -> Card:
        on_show, read, flagged = self._marks[hit.id] = self._marks_of(hit)
        return result_card(hit, compact=self.compact, on_show=on_show, read=read, flagged=flagged)

    def show(self, results: SearchResults, *, keep: str | None = None) -> None:
        """Replace the list. `keep`: an article id to stay on (after "show more")."""
        self.results = results
        self._marks = {}
        options: list[Option] = [Option(self._card(hit), id=hit.id) for hit in results.hits]
        if results.suggestion:
            prompt = (
                Content("Did you mean: ")
                + Content(results.suggestion).stylize(styles.SUGGESTION)
                + Content("?  ")
                + Content("Enter searches for it").stylize(styles.MUTED)
            )
            card = Card([prompt], gap=not self.compact)
            options.insert(0, Option(card, id=SUGGEST + results.suggestion))
        if len(results.hits) < results.total:
            more = Content(f"Show more ({len(results.hits)} of {results.total} shown)")
            options.append(Option(Card([more.stylize(styles.MUTED)], gap=False), id=MORE))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        if not options:
            return
        # Start on the first article (after a suggestion), or on the one to keep.
        index = 1 if results.suggestion and results.hits else 0
        if keep is not None:
            with suppress(OptionDoesNotExist):
                index = self.get_option_index(keep)
        if self.awaiting and keep is None:
            index = max(0, min(len(options) - 1, index + self._steps))
        self.awaiting, self._steps = False, 0
        self.highlighted = None
        self.highlighted = index

    def refresh_marks(self) -> None:
        """Redraw the cards whose marks changed (the article on show, read, flagged)."""
        if self.results is None:
            return
        for hit in self.results.hits:
            if self._marks.get(hit.id) == self._marks_of(hit):
                continue
            with suppress(OptionDoesNotExist):
                self.replace_option_prompt(hit.id, self._card(hit))

    def watch_compact(self) -> None:
        if self.results is not None:
            keep = self.highlighted_id
            self.show(self.results, keep=keep)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        option_id = event.option.id or ""
        if not option_id.startswith((SUGGEST, MORE)):
            self.post_message(self.Highlighted(option_id))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(SUGGEST):
            self.post_message(self.SuggestionChosen(option_id[len(SUGGEST) :]))
        elif option_id == MORE:
            self.post_message(self.MoreRequested())
        else:
            self.post_message(self.Opened(option_id))
