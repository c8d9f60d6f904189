"""The results list: one card per hit (title, outlet · date, a two-line snippet with the
query's words highlighted), plus a "did you mean" entry and a "show more" entry."""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual import on
from textual.binding import BindingType
from textual.content import Content
from textual.css.types import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from index import Hit, SearchResults
from tui import keymap
from tui.widgets import styles

SNIPPET_LINES = 2
SUGGEST = "suggest:"
MORE = "more:"


def snippet_content(hit: Hit) -> Content:
    snip = hit.snippet
    body = Content(snip.prefix + snip.text.replace("\n", " ") + snip.suffix)
    for h in snip.highlights:
        off = len(snip.prefix) + h.start - snip.start
        body = body.stylize(styles.HIT, off, off + h.end - h.start)
    return body


class ResultCard(Visual):
    """A hit drawn to the width it gets: title and metadata cut to one line each, the
    snippet wrapped to at most two lines, then a blank line between cards."""

    def __init__(self, hit: Hit) -> None:
        self.hit = hit
        self.title = Content(hit.display_title).stylize(styles.TITLE)
        bits = [hit.outlet, hit.date[:10] if hit.date else None]
        self.meta = Content(" · ".join(b for b in bits if b) or hit.id).stylize(styles.MUTED)
        self.snippet = snippet_content(hit)

    def _lines(self, width: int) -> list[Content]:
        width = max(width, 2)
        snippet = self.snippet.wrap(width) if self.snippet else []
        if len(snippet) > SNIPPET_LINES:
            snippet = snippet[:SNIPPET_LINES]
            last = snippet[-1]
            snippet[-1] = (last.rstrip().truncate(width - 1) + Content("…"))
        return [self.title.truncate(width, ellipsis=True),
                self.meta.truncate(width, ellipsis=True), *snippet]

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        strips: list[Strip] = []
        for line in self._lines(width):
            strips.extend(line.render_strips(width, 1, style, options))
        strips.append(Strip([Segment(" " * width, style.rich_style)], width))
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self._lines(width)) + 1


class ResultsList(OptionList):
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
        options: list[Option] = [Option(ResultCard(hit), id=hit.id) for hit in results.hits]
        if results.suggestion and not results.hits:
            prompt = (Content("Did you mean: ") + Content(results.suggestion).stylize(
                styles.SUGGESTION) + Content("?  ") + Content("Enter to search").stylize(
                styles.MUTED))
            options.insert(0, Option(prompt, id=SUGGEST + results.suggestion))
        if len(results.hits) < results.total:
            more = Content(f"Show more ({len(results.hits)} of {results.total} shown)")
            options.append(Option(more.stylize(styles.MUTED), id=MORE))
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        if not options:
            return
        index = 0
        if keep is not None:
            try:
                index = self.get_option_index(keep)
            except Exception:  # the kept article is no longer in the results
                index = 0
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
            self.post_message(self.SuggestionChosen(option_id[len(SUGGEST):]))
        elif option_id == MORE:
            self.post_message(self.MoreRequested())
        else:
            self.post_message(self.Opened(option_id))
