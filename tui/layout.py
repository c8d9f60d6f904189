"""How a comparison is laid out in rows, shared by the Rich output and the Textual screen.

Rows walk both articles: unshared stretches (dimmed) alternate with shared passages, and each
shared passage sits on one row so that its two sides start level. When a passage of B comes
before the B text already shown (B reorders or repeats), B shows no gap for it; every
passage is shown, and the unshared text of each article is shown once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from index import Alignment, Passage

# Passage colours cycle through this palette; chosen to read on dark and light themes.
PALETTE = ("#2f7ed8", "#d9822b", "#3aa655", "#c0392b", "#8e44ad", "#16a085", "#b7950b",
           "#d35400")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass(frozen=True)
class Row:
    number: int | None  # the passage number (1-based), None for unshared text
    a: tuple[int, int] | None  # span of A's text on this row
    b: tuple[int, int] | None
    passage: Passage | None = None


def passage_label(number: int) -> str:
    return CIRCLED[number - 1] if number <= len(CIRCLED) else f"({number})"


def passage_colour(number: int) -> str:
    return PALETTE[(number - 1) % len(PALETTE)]


def rows(alignment: Alignment, len_a: int, len_b: int, *, a_from: int = 0,
         b_from: int = 0) -> list[Row]:
    """Rows in A's order. `a_from`/`b_from` skip text before them (e.g. a hidden title)."""
    out: list[Row] = []
    pos_a, pos_b = a_from, b_from
    for number, p in enumerate(alignment.passages, 1):
        gap_a = (pos_a, p.a_start) if p.a_start > pos_a else None
        gap_b = (pos_b, p.b_start) if p.b_start > pos_b else None
        if _has_text(gap_a) or _has_text(gap_b):
            out.append(Row(None, gap_a, gap_b))
        out.append(Row(number, (p.a_start, p.a_end), (p.b_start, p.b_end), p))
        pos_a = max(pos_a, p.a_end)
        pos_b = max(pos_b, p.b_end)
    tail_a = (pos_a, len_a) if len_a > pos_a else None
    tail_b = (pos_b, len_b) if len_b > pos_b else None
    if _has_text(tail_a) or _has_text(tail_b):
        out.append(Row(None, tail_a, tail_b))
    return out


def _has_text(span: tuple[int, int] | None) -> bool:
    return span is not None and span[1] > span[0]


@dataclass(frozen=True)
class Styles:
    """Styles for drawing a comparison; the app derives them from its theme."""

    unshared: Style = field(default_factory=lambda: Style(dim=True))
    # words one side has and the other lacks
    changed: Style = field(default_factory=lambda: Style(bold=True, reverse=True))


def side_text(text: str, row: Row, side: str, styles: Styles | None = None) -> Text:
    """One side of a row as styled text (never parsed as markup)."""
    styles = styles or Styles()
    span = row.a if side == "a" else row.b
    if span is None:
        return Text("")
    start, end = span
    body = text[start:end].strip("\n")
    if row.passage is None:
        return Text(_tidy(text[start:end]), style=styles.unshared)
    lead = len(text[start:end]) - len(text[start:end].lstrip("\n"))
    start += lead
    colour = passage_colour(row.number or 1)
    out = Text(body, style=Style(color=colour))
    for op in row.passage.ops:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if op.op != "equal" and hi > lo:
            out.stylize(styles.changed + Style(color=colour), lo - start, hi - start)
    return out


def _tidy(chunk: str) -> str:
    """Unshared text between passages, with blank runs collapsed to one empty line."""
    lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
