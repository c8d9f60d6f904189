"""Search results for the command line, in a module of their own: `newsreader search` is
the command run most often, and its output needs only a few of Rich's parts (no tables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.text import Text

from ...index import SearchResults
from .. import labels

HIGHLIGHT = Style(bold=True, color="black", bgcolor="yellow")


def hits(results: SearchResults) -> RenderableType:
    parts: list[RenderableType] = []
    if results.query:
        head = (
            f"{'' if results.total_exact else 'at least '}{results.total} "
            f"result{'s' if results.total != 1 else ''} for "
        )
        parts.append(Text(head) + Text(results.query, style="bold"))
    else:
        parts.append(Text(f"{results.total} articles, newest first"))
    if results.note:
        parts.append(Text(results.note[:1].upper() + results.note[1:] + ".", style="italic"))
    if results.suggestion:
        found = results.suggestion_hits
        parts.append(
            Text("Did you mean: ")
            + Text(results.suggestion, style="bold green")
            + Text("?" if found is None else f"? ({found} result{'s' if found != 1 else ''})")
        )
    for rank, hit in enumerate(results.hits, 1):
        title = Text(f"{rank}. ", style="bold") + Text(hit.display_title, style="bold")
        bits = [hit.outlet, hit.date, f"score {hit.score:.2f}" if results.query else None, hit.id]
        meta = Text(" · ".join(b for b in bits if b), style="dim")
        shown, marks = labels.snippet(hit)
        text = Text(shown)
        for start, end in marks:
            text.stylize(HIGHLIGHT, start, end)
        parts.append(Padding(Group(title, meta, text), (1, 0, 0, 0)))
    return Group(*parts)
