"""How a comparison is laid out in rows, shared by the Rich output and the Textual screen.

Rows walk both articles: unshared stretches (dimmed) alternate with shared passages, and each
shared passage sits on one row so that its two sides start level. When a passage of B comes
before the B text already shown (B reorders or repeats), B shows no gap for it; every
passage is shown, and the unshared text of each article is shown once.

Text is shown paragraph by paragraph, from the article's paragraph spans: what lies between
two paragraphs (a scraper's ".," joiner) and boilerplate or byline paragraphs never show,
not even inside a passage, whose offsets (and JSON text) still take them in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text

from ..index import Alignment, Article, Kind, Passage, link_gaps_marked, merge_spans

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
    # What is shown of the span, one piece per paragraph: for unshared rows the parts no
    # passage covers, for passages the parts that are not noise.
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
    noise_a, noise_b = _noise(a), _noise(b)
    covered_a = merge_spans([(p.a_start, p.a_end) for p in alignment.passages] + noise_a)
    covered_b = merge_spans([(p.b_start, p.b_end) for p in alignment.passages] + noise_b)
    shown_a, shown_b = _shown(a), _shown(b)
    out: list[Row] = []
    pos_a = pos_b = 0

    def gap_row(span_a: Span, span_b: Span) -> None:
        pieces_a = _unshared(text_a, span_a, covered_a, shown_a)
        pieces_b = _unshared(text_b, span_b, covered_b, shown_b)
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
        out.append(
            Row(
                number,
                (p.a_start, p.a_end),
                (p.b_start, p.b_end),
                p,
                passage_pieces(text_a, (p.a_start, p.a_end), noise_a, shown_a),
                passage_pieces(text_b, (p.b_start, p.b_end), noise_b, shown_b),
            )
        )
        pos_a = max(pos_a, p.a_end)
        pos_b = max(pos_b, p.b_end)
    gap_row((pos_a, max(pos_a, len(text_a))), (pos_b, max(pos_b, len(text_b))))
    return out


def _noise(article: Article) -> list[Span]:
    return [(p.start, p.end) for p in article.paragraphs if p.boilerplate or p.kind == Kind.META]


def _shown(article: Article) -> list[Span]:
    """The article's paragraphs as spans (the text between them is no one's: a line break,
    or the ".," a scraper joined two paragraphs with)."""
    if not article.paragraphs:
        return [(0, len(article.text))]
    return merge_spans((p.start, p.end) for p in article.paragraphs)


def _outside(span: Span, covered: list[Span]) -> list[Span]:
    """The parts of `span` outside every covered span (sorted, not overlapping)."""
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
    return pieces


def _inside(pieces: list[Span], shown: list[Span]) -> list[Span]:
    """The parts of `pieces` inside the shown spans, one piece per paragraph."""
    out: list[Span] = []
    for p0, p1 in pieces:
        for s0, s1 in shown:
            if s1 <= p0:
                continue
            if s0 >= p1:
                break
            out.append((max(p0, s0), min(p1, s1)))
    return out


def _unshared(
    text: str, span: Span, covered: list[Span], shown: list[Span] | None = None
) -> tuple[Span, ...]:
    """The parts of `span` outside every covered span that hold some text, cut at paragraph
    ends when the paragraphs are given."""
    pieces = _outside(span, covered)
    if shown is not None:
        pieces = _inside(pieces, shown)
    return tuple(p for p in pieces if text[p[0] : p[1]].strip())


def passage_pieces(text: str, span: Span, noise: list[Span], shown: list[Span]) -> tuple[Span, ...]:
    """What a passage shows of its span: one piece per paragraph it touches, without the
    joiners between paragraphs and without boilerplate or byline paragraphs inside it."""
    pieces = _unshared(text, span, merge_spans(noise), shown)
    return pieces or (span,)


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
    text: str,
    row: Row,
    side: str,
    styles: Styles | None = None,
    *,
    diff_only: bool = False,
    bracket: bool = False,
) -> Text:
    """One side of a row as styled text (never parsed as markup). `diff_only`: a shared
    passage shows only its differences, each with a few words either side. `bracket`: the
    differing words also come [in brackets], for output that shows no styles (a pipe)."""
    styles = styles or Styles()
    if diff_only and row.passage is not None:
        return condensed_text(text, row, side, styles)
    span = row.a if side == "a" else row.b
    if span is None:
        return Text("")
    pieces = (row.a_pieces if side == "a" else row.b_pieces) or (span,)
    if row.passage is None:
        out = Text(style=styles.unshared)
        marks = Style()
    else:
        colour = passage_colour(row.number or 1)
        out = Text(style=Style(color=colour))
        marks = styles.changed + Style(color=colour)
    changed = changed_spans(row.passage, side) if row.passage else []
    previous: int | None = None
    for start, end in pieces:
        chunk = link_gaps_marked(text[start:end])
        if row.passage is None:
            body = _tidy(chunk)
        else:  # offsets must hold for the highlights: trim the edges only
            body = chunk.strip()
            start += len(chunk) - len(chunk.lstrip())
        if not body:
            continue
        if previous is not None:
            out.append(_joint(text[previous:start]))
        previous = end
        cuts = [(max(lo, start) - start, min(hi, start + len(body)) - start) for lo, hi in changed]
        at = 0
        for lo, hi in cuts:
            if hi > lo:
                out.append(body[at:lo])
                out.append(f"[{body[lo:hi]}]" if bracket else body[lo:hi], style=marks)
                at = hi
        out.append(body[at:])
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
    text = text[:start] + link_gaps_marked(text[start:end])  # the same length
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


def _joint(gap: str) -> str:
    """What is shown between two pieces of one side: "…" where text was left out (a passage,
    boilerplate), else a paragraph break, as the text has it or a blank line where a scraper
    joined two paragraphs with ".,"."""
    if any(ch.isalnum() for ch in gap):
        return "\n…\n"
    if gap.count("\n") == 1 and not gap.strip():
        return "\n"
    return "\n\n"


def _tidy(chunk: str) -> str:
    """Unshared text between passages, with blank runs collapsed to one empty line."""
    lines = [line.rstrip() for line in chunk.strip("\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()
