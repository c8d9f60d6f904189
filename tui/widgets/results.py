"""The results list: one card per hit (title, outlet · date, a two-line snippet with the
query's words highlighted), plus a "did you mean" entry and a "show more" entry."""

from __future__ import annotations

from contextlib import suppress
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from ...index import Hit, SearchResults
from .. import keymap, labels
from . import styles
from .card import Card

SNIPPET_LINES = 2
SUGGEST = "suggest:"
MORE = "more:"


def snippet_content(hit: Hit) -> Content:
    shown, marks = labels.snippet(hit)
    body = Content(shown.replace("\n", " "))
    for start, end in marks:
        body = body.stylize(styles.HIT, start, end)
    return body


def result_card(hit: Hit) -> Card:
    bits = [hit.outlet, hit.date[:10] if hit.date else None]
    meta = Content(" · ".join(b for b in bits if b) or hit.id).stylize(styles.MUTED)
    title = Content(hit.display_title).stylize(styles.TITLE)
    return Card([title, meta], snippet_content(hit), SNIPPET_LINES)


class ResultsList(OptionList):
    DEFAULT_CSS = """
    ResultsList > .option-list--option {
        padding: 0 1;
    }
    """
    """Posts what the reader did with the list; the screen decides what follows."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.RESULTS

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

    def show(self, results: SearchResults, *, keep: str | None = None) -> None:
        """Replace the list. `keep`: an article id to stay on (after "show more")."""
        self.results = results
        options: list[Option] = [Option(result_card(hit), id=hit.id) for hit in results.hits]
        if results.suggestion:
            prompt = (
                Content("Did you mean: ")
                + Content(results.suggestion).stylize(styles.SUGGESTION)
                + Content("?  ")
                + Content("Enter searches for it").stylize(styles.MUTED)
            )
            options.insert(0, Option(Card([prompt]), id=SUGGEST + results.suggestion))
        if len(results.hits) < results.total:
            more = Content(f"Show more ({len(results.hits)} of {results.total} shown)")
            options.append(Option(Card([more.stylize(styles.MUTED)]), id=MORE))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        if not options:
            return
        # Start on the first article (after a suggestion), or on the one to keep.
        index = 1 if results.suggestion and results.hits else 0
        if keep is not None:
            with suppress(OptionDoesNotExist):
                index = self.get_option_index(keep)
        self.highlighted = None
        self.highlighted = index

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
