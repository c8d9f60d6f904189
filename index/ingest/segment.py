"""Paragraph segmentation: where each paragraph of an original text starts and ends."""

from __future__ import annotations

import itertools
import re

from ..model import Span

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?:;\"”’)\]]\s*$")
# Scrapers that flatten a page join its paragraphs with ".," or similar; split there, and in
# long flat text also between sentences, so that a reader never faces a wall of text.
_FLAT_BREAK = re.compile(
    # Every join follows the end of a sentence (one of the alternatives' lookbehinds) and
    # starts with a space, tab or comma: both looked at first, which rules out nearly every
    # place at once (cutting 3,000 CLICK-ID articles into paragraphs: 0.49 -> 0.26 s).
    r"(?<=[.!?:”\"\])])(?=[ \t\xa0,])(?:"
    + "|".join(
        (
            # Also ". ,Harga", "., , Wang", ".,\xa0,Menurut" (a non-breaking space), and after
            # a label whose link was dropped ("Baca juga:,Plh Direktur…").
            r"(?<=[.!?:”\"])(?:[ \t\xa0]*,)+(?=[ \t\xa0]*[\"“A-Z0-9])",
            # An empty paragraph joined in too (",,," right after a sentence or a line ending
            # in a colon: "Baca Juga :,,Pengembalian"), but not where a link's words were
            # dropped mid-sentence ("(AS),,berakhir datar").
            r"(?<=[.!?:”\"\])]),(?:[ \t\xa0]*,)+(?![ \t\xa0]*[a-z])",
            # The page's "loading..." left after the last paragraph ("(inews),loading...").
            r"(?<=[.!?”\"\])]),+(?=loading\b)",
        )
    )
    + ")"
)
# Such joins mark a scraped line whatever its length.
_SURE_BREAK = re.compile(r"(?<=[.!?:”\"\])]),(?:(?:[ \t\xa0]*,)+(?![ \t\xa0]*[a-z])|(?=loading\b))")
# A scraper's separators left at a paragraph's edges: commas before it (and the dash of a
# dateline cut away, ", - Pemerintah…"), commas after its last sentence ("besar.,").
_LEADING_JOIN = re.compile(r",(?:[,\s]|[-–—]\s)*")
# A text that opens with a dash had its dateline cut away ("- Pemerintah menaikkan…", most of
# CLICK-ID's bodies); the dash (and any commas after it) is left out of the first paragraph
# unless the next one opens with a dash too, as the items of a list do.
_OPENING_DASH = re.compile(r"[-–—](?=[\s,])[\s,]*")
_TRAILING_JOIN = re.compile(r"(?<=[.!?”\"\])])[,\s]*,[,\s]*$")
_SENTENCE = re.compile(r"(?<=[.!?])([\"”’]?)\s+(?=[\"“A-Z0-9])")
_FLAT_TARGET = 600  # characters per paragraph when a flat text has to be cut at sentences


def paragraph_spans(text: str) -> list[Span]:
    """Paragraph spans, stripped of surrounding white space, in text order.

    Each line is a paragraph, except that a line which does not end a sentence and is followed
    by one starting in lower case is treated as hard-wrapped and joined to it. Text with no
    line breaks at all is split at scraped paragraph joins (".,") and then at sentences."""
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.group().strip()]
    if len(lines) == 1:
        return _without_joins(text, _split_labels(text, _flat_spans(text, *lines[0])))
    spans: list[Span] = []
    stripped = [_strip(text, a, b) for a, b in lines]
    wrapped = _looks_hard_wrapped(text, stripped)
    # Wrapped text whose paragraphs are set apart by blank lines: a single line break is
    # never a paragraph's end, whatever the next line begins with ("tragedi Air\nAsia").
    blank_lines = wrapped and any(
        text.count("\n", b, c) > 1 for (_, b), (c, _) in itertools.pairwise(stripped)
    )
    for start, end in stripped:
        if wrapped and spans and _continues(text, spans[-1], start, blank_lines):
            spans[-1] = Span(spans[-1].start, end)
        else:
            spans.append(Span(start, end))
    # A long line can still hold several scraped paragraphs joined with ".,".
    out: list[Span] = []
    for span in spans:
        long = span.end - span.start > _FLAT_TARGET
        if (long and _FLAT_BREAK.search(text, span.start, span.end)) or _SURE_BREAK.search(
            text, span.start, span.end
        ):
            out.extend(_flat_spans(text, span.start, span.end))
        else:
            out.append(span)
    return _without_joins(text, _split_labels(text, out))


# A "Baca juga" ("read also") link whose words a scraper dropped or kept, joined to the
# paragraphs around it by commas, in any of the ways CLICK-ID's okezone bodies have it:
# "Baca juga,,“Kami …", "Baca juga;,,", "… ucapnya,Baca Juga:", "Baca juga: <the linked
# title>,Ray Sahetapy …" (the title ends where a comma is followed by a capital with no
# space). Hidden as boilerplate with the label, the paragraph joined to it was lost to
# search. Looked for only in a paragraph that names the label.
_LABEL = "baca juga"
_LABEL_BREAK = re.compile(
    r"(?i)(?<=baca juga)[ \t\xa0]*[:;]?(?:[ \t\xa0]*,)+(?=[ \t\xa0]*[\"“\w])"
    r"|,+(?=[ \t\xa0]*baca juga\b)"
)
_LINKED_TITLE_END = re.compile(r",(?=[A-Z“\"])")


def _split_labels(text: str, spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if _LABEL not in text[span.start : span.end].lower():
            out.append(span)
            continue
        cut = span.start
        for m in _LABEL_BREAK.finditer(text, span.start, span.end):
            out.extend(_label_and_title(text, cut, m.start()))
            cut = m.end()
        out.extend(_label_and_title(text, cut, span.end))
    return out


def _label_and_title(text: str, start: int, end: int) -> list[Span]:
    """A piece that opens with the label and its linked title, cut where the title ends."""
    if not text[start:end].lower().lstrip(" ,").startswith(_LABEL):
        return [Span(start, end)]
    m = _LINKED_TITLE_END.search(text, start, end)
    if m is None:
        return [Span(start, end)]
    return [Span(start, m.start()), Span(m.end(), end)]


def _without_joins(text: str, spans: list[Span]) -> list[Span]:
    """The spans without the separators a scraper left at their edges; a span of nothing
    else (",,,") is dropped. The characters stay in the text, between paragraphs."""
    out: list[Span] = []
    for n, span in enumerate(spans):
        start, end = span.start, span.end
        if n == 0 and not (len(spans) > 1 and _OPENING_DASH.match(text, spans[1].start)):
            dash = _OPENING_DASH.match(text, start, end)
            if dash:
                start = dash.end()
        lead = _LEADING_JOIN.match(text, start, end)
        if lead:
            start = lead.end()
        trail = _TRAILING_JOIN.search(text, start, end)
        if trail:
            end = trail.start()
        if end > start:
            out.append(span if (start, end) == (span.start, span.end) else Span(start, end))
    return out


def _looks_hard_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    """Whether the text was wrapped at a fixed width (lines run on into the next one) rather
    than written a paragraph per line, as scraped news almost always is."""
    if len(lines) < 4:
        return False
    runs_on = sum(
        1
        for (a, b), (c, _) in itertools.pairwise(lines)
        if text[b:c].count("\n") == 1 and not _SENTENCE_END.search(text[a:b]) and text[c].islower()
    )
    if runs_on >= 0.3 * (len(lines) - 1):
        return True
    # Or lines of about one width (at most 200 characters), most of them ending mid-sentence,
    # that go on to the next line (a paragraph's last line is shorter), with blank lines
    # between paragraphs. Scraped news with a paragraph a line has lines that end sentences.
    widths = [b - a for (a, b), (c, _) in itertools.pairwise(lines) if text.count("\n", b, c) == 1]
    if len(widths) < 3 or not any(
        text.count("\n", b, c) > 1 for (_, b), (c, _) in itertools.pairwise(lines)
    ):
        return False
    widest = max(widths)
    mid_sentence = sum(
        1
        for (a, b), (c, _) in itertools.pairwise(lines)
        if text.count("\n", b, c) == 1 and not _SENTENCE_END.search(text[a:b])
    )
    return (
        40 <= widest <= 200
        and sum(w >= 0.75 * widest for w in widths) >= 0.8 * len(widths)
        and mid_sentence >= 0.5 * len(widths)
    )


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _continues(text: str, prev: Span, start: int, blank_lines: bool) -> bool:
    between = text[prev.end : start]
    if between.count("\n") != 1:
        return False  # a blank line always ends a paragraph
    if blank_lines:
        return True
    if _SENTENCE_END.search(text[prev.start : prev.end]):
        return False
    return text[start].islower()


def _flat_spans(text: str, start: int, end: int) -> list[Span]:
    pieces: list[tuple[int, int]] = []
    cut = start
    for m in _FLAT_BREAK.finditer(text, start, end):
        pieces.append((cut, m.start()))
        cut = m.end()
    pieces.append((cut, end))
    spans: list[Span] = []
    for a, b in pieces:
        for s, e in _sentence_groups(text, a, b):
            s, e = _strip(text, s, e)
            if e > s:
                spans.append(Span(s, e))
    return spans


def _sentence_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= _FLAT_TARGET * 1.5:
        return [(start, end)]
    groups: list[tuple[int, int]] = []
    cut = start
    for m in _SENTENCE.finditer(text, start, end):
        if m.start() - cut >= _FLAT_TARGET:
            groups.append((cut, m.start() + len(m.group(1))))
            cut = m.end()
    groups.append((cut, end))
    return groups
