"""Two articles side by side (or stacked), their shared passages numbered, coloured per
pair and level: each layout row is one block in each pane, and both blocks of a row get the
height of the taller one, so a pair starts on the same line in both panes and the panes can
scroll together line for line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from ...index import Article, Comparison
from ..labels import percent
from ..layout import Row, Styles, passage_colour, passage_label, rows, side_text


class PassagePane(VerticalScroll, can_focus=True):
    """One article's side of a comparison, one block per layout row."""

    DEFAULT_CSS = """
    PassagePane {
        & > .block {
            margin-bottom: 1;
            padding-left: 1;
        }
        & > .unshared {
            border-left: blank;
        }
        & > .-current {
            background: $boost;
        }
    }
    """

    def __init__(self, side: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.side = side
        self.blocks: list[Static] = []

    def build(
        self, article: Article, layout: list[Row], styles: Styles, diff_only: bool = False
    ) -> list[Static]:
        blocks = []
        for row in layout:
            body = Content.from_rich_text(
                side_text(article.text, row, self.side, styles, diff_only=diff_only)
            )
            span = row.a if self.side == "a" else row.b
            if row.number is not None and span is not None:
                colour = passage_colour(row.number)
                label = Content(passage_label(row.number) + " ").stylize(f"bold {colour}")
                block = Static(label + body, classes="block shared")
                block.styles.border_left = ("thick", colour)
            else:
                block = Static(body, classes="block unshared")
            blocks.append(block)
        self.blocks = blocks
        return blocks

    def natural_height(self, index: int) -> int:
        """Lines block `index` needs at the pane's current width."""
        block = self.blocks[index]
        width = self.scrollable_content_region.width - block.styles.gutter.width
        if width <= 0:
            return 1
        size = Size(width, 0)
        return block.get_content_height(size, size, width) + block.styles.gutter.height


class ComparisonView(Container):
    class PassageChanged(Message):
        def __init__(self, index: int | None, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    current: reactive[int | None] = reactive(None, init=False)  # passage index, 0-based

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.comparison: Comparison | None = None
        self.layout_rows: list[Row] = []
        self._syncing = False

    def compose(self) -> ComposeResult:
        yield PassagePane("a", id="pane-a")
        yield PassagePane("b", id="pane-b")

    @property
    def panes(self) -> tuple[PassagePane, PassagePane]:
        return self.query_one("#pane-a", PassagePane), self.query_one("#pane-b", PassagePane)

    def on_mount(self) -> None:
        a, b = self.panes
        # Linked scrolling: whichever pane moves, the other follows; the flag stops the
        # follower's own change from echoing back.
        self.watch(a, "scroll_y", lambda y: self._follow(b, y), init=False)
        self.watch(b, "scroll_y", lambda y: self._follow(a, y), init=False)

    def _follow(self, other: PassagePane, y: float) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            other.scroll_to(y=y, animate=False, immediate=True, force=True)
        finally:
            self._syncing = False

    def show(
        self, comparison: Comparison, current: int | None = None, diff_only: bool = False
    ) -> None:
        self.comparison = comparison
        a, b = comparison.a, comparison.b
        self.layout_rows = rows(comparison.alignment, a, b)
        styles = Styles()
        pane_a, pane_b = self.panes
        for pane, article in ((pane_a, a), (pane_b, b)):
            side = pane.side.upper()
            pane.border_title = Content(f"{side}  ").stylize("bold") + Content(
                article.display_title
            )
            share = (
                comparison.alignment.coverage_a
                if pane.side == "a"
                else comparison.alignment.coverage_b
            )
            bits = [
                f"{percent(share)} shared",
                article.meta.outlet,
                article.meta.date[:10] if article.meta.date else None,
            ]
            pane.border_subtitle = Content(" · ".join(x for x in bits if x))
            blocks = pane.build(article, self.layout_rows, styles, diff_only)
            with self.app.batch_update():
                pane.remove_children()
                pane.mount_all(blocks)
        self.set_reactive(ComparisonView.current, None)
        self.call_after_refresh(self._after_build, current)

    def _after_build(self, current: int | None) -> None:
        self.equalize()
        # Block positions are known only once the new heights have been laid out.
        self.call_after_refresh(self._settle, current)

    def _settle(self, current: int | None) -> None:
        if self._gone():
            return
        if current is None and self.passage_count:
            current = 0  # open on the first shared passage: that is what was asked for
        if current is not None:
            self.current = current
        else:
            self.post_message(self.PassageChanged(None, self.passage_count))

    @property
    def passage_count(self) -> int:
        return len(self.comparison.alignment.passages) if self.comparison else 0

    def on_resize(self) -> None:
        self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        if self._gone():
            return
        self.equalize()
        self.call_after_refresh(self._scroll_to_current)

    def _gone(self) -> bool:
        # Refresh callbacks can run after the screen was popped and its children removed.
        return not self.is_attached or not self.query("#pane-a")

    def equalize(self) -> None:
        """Give both blocks of each row the height of the taller one."""
        if self._gone():
            return
        pane_a, pane_b = self.panes
        if not pane_a.blocks or len(pane_a.blocks) != len(pane_b.blocks):
            return
        for i, (x, y) in enumerate(zip(pane_a.blocks, pane_b.blocks, strict=True)):
            height = max(pane_a.natural_height(i), pane_b.natural_height(i))
            x.styles.height = height
            y.styles.height = height

    # -- moving ----------------------------------------------------------------------------
    def _row_of_passage(self, index: int) -> int | None:
        number = index + 1
        for i, row in enumerate(self.layout_rows):
            if row.number == number:
                return i
        return None

    def step(self, direction: int) -> None:
        total = self.passage_count
        if not total:
            self.app.bell()
            return
        if self.current is None:
            self.current = 0 if direction > 0 else total - 1
        else:
            self.current = min(max(self.current + direction, 0), total - 1)
            if self.current in (0, total - 1):
                # Jumping on past the last passage re-centres on it instead of wrapping,
                # so a held key does not spin round the article.
                self._scroll_to_current()

    def watch_current(self, old: int | None, new: int | None) -> None:
        pane_a, pane_b = self.panes
        for index, on in ((old, False), (new, True)):
            row = self._row_of_passage(index) if index is not None else None
            if row is not None:
                for pane in (pane_a, pane_b):
                    if row < len(pane.blocks):
                        pane.blocks[row].set_class(on, "-current")
        self._scroll_to_current()
        self.post_message(self.PassageChanged(new, self.passage_count))

    def _scroll_to_current(self) -> None:
        if self.current is None or self._gone():
            return
        row = self._row_of_passage(self.current)
        if row is None:
            return
        for pane in self.panes:
            if row < len(pane.blocks):
                y = pane.blocks[row].virtual_region.y
                pane.scroll_to(y=y, animate=False, immediate=True, force=True)

    def swapped_index(self) -> int | None:
        """The current passage's index once the sides are swapped."""
        if self.current is None or self.comparison is None:
            return None
        passage = self.comparison.alignment.passages[self.current].swapped()
        flipped = self.comparison.alignment.swapped().passages
        return flipped.index(passage) if passage in flipped else None

    def scroll_lines(self, lines: int, pane: PassagePane | None = None) -> None:
        pane = pane or self.panes[0]
        pane.scroll_to(y=pane.scroll_y + lines, animate=False, immediate=True, force=True)

    def scroll_edge(self, end: bool) -> None:
        pane = self.panes[0]
        pane.scroll_to(y=pane.max_scroll_y if end else 0, animate=False, immediate=True, force=True)
