"""The Rich console every command prints through. Its own module so that a command whose
output needs no Rich (`--json`) never imports it."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from ...index import printable


class SafeConsole(Console):
    """A console that never writes a control character it was given as text: whatever a
    renderable holds (an article, a file name, a query), its text segments are made printable
    on the way out (see `printable`); the console's own styling and cursor codes are kept."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterator[Segment]:
        for segment in super().render(renderable, options):
            if segment.control is None:
                safe = printable(segment.text)
                if safe is not segment.text:
                    segment = Segment(safe, segment.style)
            yield segment
