"""Writing what the reader sees to files: search results (CSV, JSON Lines, Markdown), an
article (Markdown), and a comparison (a self-contained HTML page with both texts side by
side, or Markdown). Shared by the command line and the app's `e` key.

Article text is always escaped for the format it goes into; nothing in it is ever read as
HTML or Markdown."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator

from ..index import Article, Comparison, Kind, SearchResults, link_gaps_marked
from . import labels
from .layout import PALETTE, Row, changed_spans, passage_colour, passage_label, rows

# What the app's `e` writes, by the ending of the file's name (another ending is refused:
# a file named "md" once got a web page).
MARKDOWN_FORMATS = {".md": "Markdown", ".markdown": "Markdown", ".txt": "Markdown"}
RESULTS_FORMATS = {
    **MARKDOWN_FORMATS,
    ".csv": "CSV",
    ".jsonl": "JSONL",
    ".ndjson": "JSONL",
}
COMPARISON_FORMATS = {".html": "a web page", ".htm": "a web page", **MARKDOWN_FORMATS}


def formats_hint(formats: dict[str, str]) -> str:
    """The endings to offer, one per format: ".html (a web page) or .md (Markdown)"; a
    format named as its ending (.csv) is not named again, to keep the hint on one line."""
    first: dict[str, str] = {}
    for suffix, name in formats.items():
        first.setdefault(name, suffix)
    offered = [
        suffix if name.casefold() == suffix[1:] else f"{suffix} ({name})"
        for name, suffix in first.items()
    ]
    return offered[0] if len(offered) == 1 else ", ".join(offered[:-1]) + " or " + offered[-1]


# -- Markdown -------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md(text: str) -> str:
    """Text made literal in Markdown."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_paragraph(text: str) -> str:
    """A block of text as one Markdown paragraph (line breaks kept as hard breaks)."""
    lines = [md(line.strip()) for line in text.strip().splitlines()]
    return "  \n".join(line for line in lines if line)


def article_markdown(article: Article, *, raw: bool = False) -> str:
    out = [f"# {md(article.display_title)}", "", f"*{md(labels.meta_line(article))}*", ""]
    out += [f"Id: `{article.id}`", ""]
    if article.meta.url:
        out += [f"Source: <{article.meta.url}>", ""]
    for p in article.paragraphs:
        if (p.hidden and not raw) or (p.kind == Kind.TITLE and article.meta.title_span):
            continue
        text = md_paragraph(article.paragraph_text(p))
        if not text:
            continue
        if p.kind == Kind.HEADING:
            text = f"## {text}"
        elif p.hidden:
            text = f"*{md(labels.hidden_label(p).strip())}* {text}"
        out += [text, ""]
    return "\n".join(out)


def results_markdown(results: SearchResults, *, title: str | None = None) -> str:
    query = title if title is not None else results.query
    head = f"# Search: {md(query)}" if query else "# Articles"
    n = results.total
    bound = "" if results.total_exact else "At least "
    count = f"{bound}{n:,} result{'s' if n != 1 else ''}; {len(results.hits)} listed."
    out = [head, "", count, ""]
    if results.note:
        out += [f"*{md(results.note[:1].upper() + results.note[1:])}.*", ""]
    for rank, hit in enumerate(results.hits, 1):
        bits = [hit.outlet, hit.date[:10] if hit.date else None]
        meta = " · ".join(md(b) for b in bits if b)
        out.append(f"{rank}. **{md(hit.display_title)}**" + (f" — {meta}" if meta else ""))
        out.append(f"   `{hit.id}`")
        shown, _ = labels.snippet(hit)
        if shown.strip():
            out.append(f"   > {md(' '.join(shown.split()))}")
        out.append("")
    return "\n".join(out)


def _pieces(
    text: str, start: int, end: int, marked: list[tuple[int, int]]
) -> Iterator[tuple[str, bool]]:
    """`text[start:end]` cut into (chunk, marked) pieces."""
    pos = start
    for lo, hi in sorted(marked):
        lo, hi = max(lo, start), min(hi, end)
        if hi <= lo:
            continue
        if lo > pos:
            yield text[pos:lo], False
        yield text[lo:hi], True
        pos = hi
    if pos < end:
        yield text[pos:end], False


def _md_marked(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """A stretch of text on one line, with the marked spans in bold."""
    out = []
    for chunk, marked in _pieces(text, start, end, spans):
        if marked and chunk.strip():
            lead = chunk[: len(chunk) - len(chunk.lstrip())]
            tail = chunk[len(chunk.rstrip()) :]
            out.append(f"{lead}**{md(chunk.strip())}**{tail}")
        else:
            out.append(md(chunk))
    return " ".join("".join(out).split())


def comparison_markdown(cmp: Comparison) -> str:
    al = cmp.alignment
    n = len(al.passages)
    out = ["# Comparison", ""]
    for side, art, cov in (("A", cmp.a, al.coverage_a), ("B", cmp.b, al.coverage_b)):
        meta = " · ".join(
            x for x in (art.meta.outlet, art.meta.date[:10] if art.meta.date else None) if x
        )
        out.append(
            f"- **{side}** {md(art.display_title)} — `{art.id}`"
            + (f" · {md(meta)}" if meta else "")
            + f" · {labels.percent(cov)} shared"
        )
    out += [
        "",
        f"{n} shared passage{'s' if n != 1 else ''}; words worded differently are **bold**.",
        "",
    ]
    # As the app and the web page show them: a dropped link's gap as "…", a scraper's
    # paragraph joins (".,") as spaces; the same lengths, so the offsets hold.
    shown_a, shown_b = link_gaps_marked(cmp.a.text), link_gaps_marked(cmp.b.text)
    for number, p in enumerate(al.passages, 1):
        out.append(
            f"## {passage_label(number)} Passage {number} — {p.shared_words} shared words, "
            f"similarity {labels.percent(p.score)}"
        )
        out.append("")
        sides = (("A", shown_a, p.a_start, p.a_end), ("B", shown_b, p.b_start, p.b_end))
        for side, shown, lo, hi in sides:
            text = _md_marked(shown, lo, hi, changed_spans(p, side.lower()))
            out += [f"> **{side}** ({lo}–{hi}): {text}", ""]
    return "\n".join(out)


# -- HTML -----------------------------------------------------------------------------------
MARK_COLOUR = "#ffe066"  # changed words, on both sides

_CSS = """
body { font: 16px/1.5 Georgia, serif; margin: 2em auto; max-width: 1400px; padding: 0 1em;
       color: #222; background: #fff; }
h1 { font-size: 1.4em; margin: 0 0 .5em; }
.meta { color: #555; font-size: .9em; }
table.heads, table.texts { width: 100%; border-collapse: separate; border-spacing: 1em 0;
       table-layout: fixed; }
table.heads td { vertical-align: top; }
td.side-a, td.side-b { vertical-align: top; width: 50%; padding: .4em .8em; }
tr.unshared td { color: #999; }
tr.shared td { border-left: 4px solid var(--c); background: #fafafa; }
tr.gap td { height: .8em; padding: 0; border: none; background: none; }
.num { font-weight: bold; color: var(--c); margin-right: .3em; }
mark { background: MARK_COLOUR; color: #000; padding: 0 1px; }
ol.passages { columns: 2; font-size: .9em; }
ol.passages a { color: inherit; }
.text { white-space: pre-wrap; }
.legend { font-size: .9em; color: #555; }
"""


def _h(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _cell_html(text: str, row: Row, side: str) -> str:
    span = row.a if side == "a" else row.b
    if span is None:
        return ""
    if row.passage is None:
        pieces = row.a_pieces if side == "a" else row.b_pieces
        return "\n…\n".join(_h(text[s:e].strip("\n")) for s, e in pieces or (span,))
    start, end = span
    parts = []
    for chunk, marked in _pieces(text, start, end, changed_spans(row.passage, side)):
        parts.append(f"<mark>{_h(chunk)}</mark>" if marked else _h(chunk))
    return "".join(parts).strip("\n")


def comparison_html(cmp: Comparison) -> str:
    """A page that shows a comparison the way the app does: A left, B right, shared
    passages numbered and coloured on one row, words worded differently marked, text not
    shared in grey, and a list of passages linking to each."""
    al = cmp.alignment
    a, b = cmp.a, cmp.b
    sa, sb = link_gaps_marked(a.text), link_gaps_marked(b.text)  # as shown: the same lengths
    layout = rows(al, a, b)
    n = len(al.passages)
    head = []
    for side, art, cov in (("A", a, al.coverage_a), ("B", b, al.coverage_b)):
        bits = [
            art.meta.outlet,
            art.meta.date[:10] if art.meta.date else None,
            f"{labels.percent(cov)} shared",
        ]
        url = f' · <a href="{_h(art.meta.url)}">source</a>' if art.meta.url else ""
        head.append(
            f'<td><h1>{side} · {_h(art.display_title)}</h1><div class="meta">'
            f"<code>{_h(art.id)}</code> · {_h(' · '.join(x for x in bits if x))}{url}</div></td>"
        )
    items = []
    for number, p in enumerate(al.passages, 1):
        colour = passage_colour(number)
        words = " ".join(link_gaps_marked(a.text[p.a_start : p.a_end]).split()[:10])
        items.append(
            f'<li style="--c:{colour}"><a href="#p{number}"><span class="num">'
            f"{passage_label(number)}</span>{_h(words)}…</a> ({p.shared_words} shared words)</li>"
        )
    body = []
    for row in layout:
        if row.number is not None:
            colour = passage_colour(row.number)
            label = f'<span class="num">{passage_label(row.number)}</span>'
            attrs = f' class="shared" id="p{row.number}" style="--c:{colour}"'
        else:
            label, attrs = "", ' class="unshared"'
        body.append(
            f"<tr{attrs}>"
            f'<td class="side-a"><div class="text">{label}{_cell_html(sa, row, "a")}</div></td>'
            f'<td class="side-b"><div class="text">{label}{_cell_html(sb, row, "b")}</div></td>'
            "</tr>"
            '<tr class="gap"><td></td><td></td></tr>'
        )
    title = f"{a.display_title} / {b.display_title}"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(a.meta.language or "und")}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Comparison: {_h(title)}</title>"
        f"<style>{_CSS.replace('MARK_COLOUR', MARK_COLOUR)}</style></head><body>"
        f'<table class="heads"><tr>{"".join(head)}</tr></table>'
        f'<p class="legend">{n} shared passage{"s" if n != 1 else ""}. Shared passages are '
        f"numbered and coloured on both sides; <mark>marked</mark> words are worded "
        f"differently; grey text is not shared.</p>"
        f'<ol class="passages">{"".join(items)}</ol>'
        f'<table class="texts">{"".join(body)}</table>'
        "</body></html>\n"
    )


# -- search results as data -------------------------------------------------------------------
# The URL last: columns only ever added at the end (a reader by position keeps working).
CSV_FIELDS = [
    "rank", "id", "path", "title", "outlet", "date", "language", "score", "snippet", "url"
]  # fmt: skip


def hit_rows(results: SearchResults) -> Iterator[dict]:
    for rank, hit in enumerate(results.hits, 1):
        yield {
            "rank": rank,
            "id": hit.id,
            "path": hit.path,
            "title": hit.title,
            "outlet": hit.outlet,
            "date": hit.date,
            "language": hit.language,
            "score": hit.score,
            # As the results show it: "…" where it was cut, and where a link was dropped.
            "snippet": " ".join(labels.snippet(hit)[0].split()),
            "url": hit.url,
        }


def results_csv(results: SearchResults) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in hit_rows(results):
        writer.writerow(row)
    return buffer.getvalue()


def results_jsonl(results: SearchResults) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in hit_rows(results))


__all__ = [
    "MARK_COLOUR",
    "PALETTE",
    "article_markdown",
    "comparison_html",
    "comparison_markdown",
    "results_csv",
    "results_jsonl",
    "results_markdown",
]
