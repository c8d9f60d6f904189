"""Search results for the command line, in a module of their own: `newsreader search` is
the command run most often, and its output needs only a few of Rich's parts (no tables).
Piped or redirected, it needs none: `plain_hits` lays the same lines out without Rich,
whose console alone costs a process more than a search of a few words."""

from __future__ import annotations

import os
import re
import sys
from itertools import pairwise
from typing import TYPE_CHECKING

from ...index import Hit, SearchResults, printable
from .. import labels

if TYPE_CHECKING:
    from rich.console import RenderableType


def hits(results: SearchResults) -> RenderableType:
    from rich.console import Group
    from rich.padding import Padding
    from rich.style import Style
    from rich.text import Text

    highlight = Style(bold=True, color="black", bgcolor="yellow")
    parts: list[RenderableType] = []
    head, note, suggestion = _heading(results)
    if results.query:
        parts.append(Text(head) + Text(results.query, style="bold"))
    else:
        parts.append(Text(head))
    if note is not None:
        parts.append(Text(note, style="italic"))
    if suggestion is not None:
        said, after = suggestion
        parts.append(Text("Did you mean: ") + Text(said, style="bold green") + Text(after))
    for rank, hit in enumerate(results.hits, 1):
        heading = Text(hit.display_title, style="bold")
        for span in hit.title_highlights:
            heading.stylize(highlight, span.start, span.end)
        title = Text(f"{rank}. ", style="bold") + heading
        meta = Text(_meta(results, hit), style="dim")
        shown, marks = labels.snippet(hit)
        text = Text(shown)
        for start, end in marks:
            text.stylize(highlight, start, end)
        parts.append(Padding(Group(title, meta, text), (1, 0, 0, 0)))
    return Group(*parts)


def _heading(
    results: SearchResults,
) -> tuple[str, str | None, tuple[str, str] | None]:
    """The first line (without the query), the note, and the suggestion with what follows
    it: what both layouts show above the hits."""
    if results.query:
        head = (
            f"{'' if results.total_exact else 'at least '}{results.total} "
            f"result{'s' if results.total != 1 else ''} for "
        )
    else:
        head = f"{results.total} articles, newest first"
    note = results.note[:1].upper() + results.note[1:] + "." if results.note else None
    suggestion = None
    if results.suggestion:
        found = results.suggestion_hits
        after = "?" if found is None else f"? ({found} result{'s' if found != 1 else ''})"
        suggestion = (results.suggestion, after)
    return head, note, suggestion


def _meta(results: SearchResults, hit: Hit) -> str:
    bits = [hit.outlet, hit.date, f"score {hit.score:.2f}" if results.query else None, hit.id]
    return " · ".join(b for b in bits if b)


# Environment variables that change how Rich sees its output (a terminal after all, its
# width): with any of them set, Rich lays the results out itself.
_RICH_ENVIRONMENT = ("TTY_COMPATIBLE", "FORCE_COLOR", "JUPYTER_COLUMNS", "JUPYTER_LINES")
# Characters Rich's text treats specially (tabs expanded, lines split, controls dropped)
# or `print_out` splits lines at: a text with any of them is laid out by Rich.
_SPECIAL = ("\n", "\t", "\u2028", "\u2029")
_TRAILING_SPACE = re.compile(r"\s+$")  # as rich.text's


def plain_width() -> int | None:
    """The width Rich's console would wrap piped output at (see `Console.size`: the first
    of stdin, stdout and stderr that is a terminal, else 80; $COLUMNS before either), or
    None where its reckoning is not this one (Windows, or an environment that makes the
    output a terminal)."""
    if sys.platform == "win32" or any(name in os.environ for name in _RICH_ENVIRONMENT):
        return None
    width = None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    width = width or 80
    return width if width >= 10 else None  # too narrow to be worth a second layout


def plain_hits(results: SearchResults, width: int | None = None) -> str | None:
    """The lines `print_out(hits(results))` writes to a pipe (Rich's word wrapping, without
    styles, each line's trailing spaces dropped), laid out without loading Rich's console;
    None when Rich must lay them out (see `plain_width`, `_SPECIAL`)."""
    width = width or plain_width()
    if width is None:
        return None
    head, note, suggestion = _heading(results)
    blocks: list[list[str]] = [[head + results.query if results.query else head]]
    if note is not None:
        blocks.append([note])
    if suggestion is not None:
        blocks.append(["Did you mean: " + suggestion[0] + suggestion[1]])
    for rank, hit in enumerate(results.hits, 1):
        shown, _ = labels.snippet(hit)
        blocks.append(["", f"{rank}. " + hit.display_title, _meta(results, hit), shown])
    texts = [t for block in blocks for t in block]
    if any(printable(t) != t or any(c in t for c in _SPECIAL) for t in texts):
        return None
    from rich._wrap import divide_line  # Rich's own word wrapping, without its console
    from rich.cells import cell_len, set_cell_size

    lines: list[str] = []
    for text in texts:
        if not text:
            lines.append("")
            continue
        cuts = [0, *divide_line(text, width, fold=True), len(text)]
        for start, end in pairwise(cuts):
            line = text[start:end]
            # Text.wrap's rstrip_end and truncate: what a line keeps of its end.
            if len(line) > width:
                spaces = _TRAILING_SPACE.search(line)
                if spaces is not None:
                    line = line[: len(line) - min(len(spaces.group()), len(line) - width)]
            if cell_len(line) > width:
                line = set_cell_size(line, width)
            lines.append(line)
    return "\n".join(line.rstrip() for line in "\n".join(lines).splitlines())
