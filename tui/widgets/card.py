"""A list entry drawn to the width it gets: heading lines cut to one line each (with an
ellipsis), then a body wrapped to a few lines, then a blank line. Used as an OptionList
prompt, so long titles never push an entry to an unpredictable height (a short body is
padded to its lines). The first heading
may carry a `right` part (a date) kept flush right, with the heading cut before it."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Card(Visual):
    def __init__(
        self,
        heads: list[Content],
        body: Content | None = None,
        body_lines: int = 2,
        gap: bool = True,
        right: Content | None = None,
        indent: int = 0,
    ) -> None:
        self.heads = heads
        self.body = body
        self.body_lines = body_lines
        self.gap = gap
        self.right = right
        self.indent = indent  # cells before every line but the first
        # The lines last drawn, and their width: a list asks each card for its height and
        # then for its strips, at one width, and wrapping the snippet was most of it.
        self._drawn: tuple[int, list[Content]] | None = None
        # The strips last drawn, by how they were asked for: a list throws its whole render
        # cache away when any one entry changes, and the other cards are drawn the same.
        self._strips: tuple[tuple, list[Strip]] | None = None

    def lines(self, width: int) -> list[Content]:
        width = max(width, 2)
        if self._drawn is not None and self._drawn[0] == width:
            return self._drawn[1]
        lines = self._lines(width)
        self._drawn = (width, lines)
        return lines

    def _lines(self, width: int) -> list[Content]:
        indent = self.indent if width - self.indent >= 12 else 0
        pad = Content(" " * indent)
        inner = width - indent
        body = self.body.wrap(inner) if self.body else []
        if len(body) > self.body_lines:
            body = body[: self.body_lines]
            last = body[-1].rstrip().truncate(inner - 1)
            # A line that ends in an ellipsis of its own (a dropped link's "…") takes no
            # second one: "dan ……".
            body[-1] = last if last.plain.endswith("…") else last + Content("…")
        body = [pad + line for line in body]
        if self.body is not None:
            # Every card of a list as tall as the next, whatever the width: a list sizes
            # its entries before its scrollbar takes its columns.
            body += [Content("")] * (self.body_lines - len(body))
        heads = [self.heads[0].truncate(width, ellipsis=True)] if self.heads else []
        heads += [pad + head.truncate(inner, ellipsis=True) for head in self.heads[1:]]
        if heads and self.right is not None:
            room = width - self.right.cell_length - 1
            if room >= 12:
                first = self.heads[0].truncate(room, ellipsis=True)
                heads[0] = first + Content(
                    " " * (width - first.cell_length - self.right.cell_length)
                )
                heads[0] += self.right
        return heads + body

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        key = (width, height, style, options.selection, options.post_style)
        if self._strips is not None and self._strips[0] == key:
            return self._strips[1]
        strips = self._render_strips(width, height, style, options)
        self._strips = (key, strips)
        return strips

    def _render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        for line in self.lines(width):
            strips.extend(line.render_strips(width, 1, style, options))
        if self.gap:
            strips.append(Strip([Segment(" " * width, style.rich_style)], width))
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        # A body always takes its lines (cut or padded to them), a heading one line each.
        body = self.body_lines if self.body is not None else 0
        return len(self.heads) + body + self.gap
