"""A list entry drawn to the width it gets: heading lines cut to one line each (with an
ellipsis), then a body wrapped to a few lines, then a blank line. Used as an OptionList
prompt, so long titles never push an entry to an unpredictable height."""

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
    ) -> None:
        self.heads = heads
        self.body = body
        self.body_lines = body_lines
        self.gap = gap

    def lines(self, width: int) -> list[Content]:
        width = max(width, 2)
        body = self.body.wrap(width) if self.body else []
        if len(body) > self.body_lines:
            body = body[: self.body_lines]
            body[-1] = body[-1].rstrip().truncate(width - 1) + Content("…")
        return [head.truncate(width, ellipsis=True) for head in self.heads] + body

    def render_strips(
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
        return len(self.lines(width)) + self.gap
