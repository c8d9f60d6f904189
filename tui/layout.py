"""How a comparison is laid out in rows, shared by the Rich output and the Textual screen.

Rows walk both articles: unshared stretches (dimmed) alternate with shared passages, and each
shared passage sits on one row so that its two sides start level. When a passage of B comes
before the B text already shown (B reorders or repeats), B shows no gap for it; every
passage is shown, and the unshared text of each article is shown once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from ..index import Alignment, Article, Kind, Passage, merge_spans

# Passage colours cycle through this palette; chosen to read on dark and light themes.
PALETTE = ("#2f7ed8", "#d9822b", "#3aa655", "#c0392b", "#8e44ad", "#16a085", "#b7950b", "#d35400")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


Span = tuple[int, int]


@dataclass(frozen=True)
class Row:
    number: int | None  # the passage number (1-based), None for unshared text
    a: Span | None  # span of A's text on this row
    b: Span | None
    passage: Passage | None = None
    # For unshared rows: the pieces of the span that no passage covers (what is shown).
    a_pieces: tuple[Span, ...] = ()
    b_pieces: tuple[Span, ...] = ()


def passage_label(number: int) -> str:
    return CIRCLED[number - 1] if number <= len(CIRCLED) else f"({number})"


def passage_colour(number: int) -> str:
    return PALETTE[(number - 1) % len(PALETTE)]


def rows(alignment: Alignment, a: Article, b: Article) -> list[Row]:
    """Rows in A's order: unshared text alternating with shared passages. Unshared rows show
    only what no passage covers (nothing appears twice) and leave out scraping noise."""
    text_a, text_b = a.text, b.text
    covered_a = merge_spans([(p.a_start, p.a_end) for p in alignment.passages] + _noise(a))
    covered_b = merge_spans([(p.b_start, p.b_end) for p in alignment.passages] + _noise(b))
    out: list[Row] = []
    pos_a = pos_b = 0

    def gap_row(span_a: Span, span_b: Span) -> None:
        pieces_a = _unshared(text_a, span_a, covered_a)
        pieces_b = _unshared(text_b, span_b, covered_b)
        if pieces_a or pieces_b:
            out.append(
                Row(
                    None,
                    span_a if pieces_a else None,
                    span_b if pieces_b else None,
                    None,
                    pieces_a,
                    pieces_b,
                )
            )

    for number, p in enumerate(alignment.passages, 1):
        gap_row((pos_a, max(pos_a, p.a_start)), (pos_b, max(pos_b, p.b_start)))
        out.append(Row(number, (p.a_start, p.a_end), (p.b_start, p.b_end), p))
        pos_a = max(pos_a, p.a_end)
        pos_b = max(pos_b, p.b_end)
    gap_row((pos_a, max(pos_a, len(text_a))), (pos_b, max(pos_b, len(text_b))))
    return out


def _noise(article: Article) -> list[Span]:
    return [(p.start, p.end) for p in article.paragraphs if p.boilerplate or p.kind == Kind.META]


def _unshared(text: str, span: Span, covered: list[Span]) -> tuple[Span, ...]:
    """The parts of `span` outside every covered span that hold some text."""
    pieces: list[Span] = []
    cursor, end = span
    for c0, c1 in covered:
        if c1 <= cursor or c0 >= end:
            continue
        if c0 > cursor:
            pieces.append((cursor, c0))
        cursor = max(cursor, c1)
    if cursor < end:
        pieces.append((cursor, end))
    return tuple(p for p in pieces if text[p[0] : p[1]].strip())


@dataclass(frozen=True)
class Styles:
    """Styles for drawing a comparison; the app derives them from its theme."""

    unshared: Style = field(default_factory=lambda: Style(dim=True))
    # words one side has and the other lacks
    changed: Style = field(default_factory=lambda: Style(bold=True, reverse=True))


def changed_spans(passage: Passage, side: str) -> list[Span]:
    """Where one side of a passage words things differently from the other."""
    out = []
    for op in passage.ops:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if op.op != "equal" and hi > lo:
            out.append((lo, hi))
    return out


def side_text(
    text: str, row: Row, side: str, styles: Styles | None = None, *, diff_only: bool = False
) -> Text:
    """One side of a row as styled text (never parsed as markup). `diff_only`: a shared
    passage shows only its differences, each with a few words either side."""
    styles = styles or Styles()
    if diff_only and row.passage is not None:
        return condensed_text(text, row, side, styles)
    span = row.a if side == "a" else row.b
    if span is None:
        return Text("")
    start, end = span
    if row.passage is None:
        pieces = row.a_pieces if side == "a" else row.b_pieces
        shown = "\n…\n".join(_tidy(text[s:e]) for s, e in pieces or (span,))
        return Text(shown, style=styles.unshared)
    body = text[start:end].strip("\n")
    lead = len(text[start:end]) - len(text[start:end].lstrip("\n"))
    start += lead
    colour = passage_colour(row.number or 1)
    out = Text(body, style=Style(color=colour))
    for lo, hi in changed_spans(row.passage, side):
        out.stylize(styles.changed + Style(color=colour), lo - start, hi - start)
    return out


CONTEXT_WORDS = 3


def condensed_text(text: str, row: Row, side: str, styles: Styles) -> Text:
    """A shared passage cut down to where its two sides differ: each difference with
    CONTEXT_WORDS words either side, "…" for what is left out; a passage worded the same on
    both sides says so in one line."""
    assert row.passage is not None
    span = row.a if side == "a" else row.b
    assert span is not None
    start, end = span
    colour = Style(color=passage_colour(row.number or 1))
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    changed = changed_spans(row.passage, side)
    # Words the other side has and this one lacks leave a point here, not a span.
    points = []
    for op in row.passage.ops:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if op.op != "equal" and hi == lo:
            points.append(lo)
    marked = {
        i for i, (w0, w1) in enumerate(words) if any(c0 < w1 and w0 < c1 for c0, c1 in changed)
    }
    anchors = set(marked)
    for point in points:
        after = next((i for i, (w0, _) in enumerate(words) if w0 >= point), len(words) - 1)
        anchors.update({max(after - 1, 0), after})
    if not anchors:
        return Text(f"worded the same on both sides ({len(words)} words)", style=styles.unshared)
    keep = {j for i in anchors for j in range(i - CONTEXT_WORDS, i + CONTEXT_WORDS + 1)}
    out = Text("", style=colour)
    gap = False
    for i, (w0, w1) in enumerate(words):
        if i not in keep:
            gap = True
            continue
        if out:
            out.append(" … " if gap else " ")
        elif gap:
            out.append("… ")
        out.append(text[w0:w1], style=styles.changed + colour if i in marked else colour)
        gap = False
    if gap:
        out.append(" …")
    return out


def _tidy(chunk: str) -> str:
    """Unshared text between passages, with blank runs collapsed to one empty line."""
    lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
