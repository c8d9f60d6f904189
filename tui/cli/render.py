"""Rich renderings for the command line. Article text always goes in as `Text`, never as
markup, so a "[" in an article is shown as written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ...index import (
    Alignment,
    Article,
    Comparison,
    CorpusStats,
    Kind,
    Overlap,
    Related,
    UpdateReport,
    human_size,
)
from .. import labels
from ..layout import passage_colour, passage_label, rows, side_text

if TYPE_CHECKING:
    from ...index import FeedResult


# `index --compact` on an engine that merges its own segments (tantivy).
NOTHING_TO_COMPACT = "Nothing to compact: this engine merges its own segments as it goes."


def report(rep: UpdateReport, corpus: str) -> RenderableType:
    table = Table(title=Text(f"Index of {corpus}"), title_justify="left", show_header=True)
    # Articles throughout (as in the JSON); skipped counts files and the records of a file
    # that could not be read (a truncated JSON line: "articles.jsonl:21").
    table.add_column("articles added", justify="right")
    table.add_column("updated", justify="right")
    table.add_column("removed", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("skipped", justify="right")
    table.add_row(
        *(
            str(x)
            for x in (
                len(rep.added),
                len(rep.updated),
                len(rep.removed),
                rep.unchanged,
                len(rep.skipped),
            )
        )
    )
    parts: list[RenderableType] = [table]
    if rep.skipped:
        skipped = Table(title="Skipped", title_justify="left")
        skipped.add_column("file or record")
        skipped.add_column("reason")
        for s in rep.skipped:
            skipped.add_row(Text(s.path), Text(s.reason))
        parts.append(skipped)
    note = f"{'Built' if rep.created else 'Updated'} in {rep.seconds:.2f} s."
    if rep.rebuilt:
        why = f": {rep.rebuild_reason}" if rep.rebuild_reason not in (None, "asked for") else ""
        note = f"Rebuilt in {rep.seconds:.2f} s{why}."
    if rep.compacted:
        note = note[:-1] + "; the full text is one segment now."
    if rep.interrupted:
        note = (
            "Interrupted: everything done before the interruption is kept; "
            "the next run goes on from there."
        )
    parts.append(Text(note, style="dim"))
    return Group(*parts)


def article(art: Article, *, raw: bool = False) -> RenderableType:
    parts: list[RenderableType] = [
        Text(art.display_title, style="bold"),
        Text(labels.meta_line(art), style="dim"),
    ]
    if not art.meta.title:
        parts[0] = Text(art.display_title, style="bold italic")
    if art.meta.url:
        # A link too: wrapped over two lines, the address still opens whole where the
        # terminal knows links.
        url = Text(art.meta.url, style=Style(underline=True, link=art.meta.url))
        parts.append(Text("Source: ", style="dim") + url)
    parts.append(Rule(style="dim"))
    for p in art.paragraphs:
        if p.hidden and not raw:
            continue
        body = Text(art.paragraph_text(p))
        label = labels.hidden_label(p)
        if label:
            body.stylize("dim")
            body = Text(label, style="italic dim") + body
        elif p.kind == Kind.HEADING:
            body.stylize("bold")
        parts.append(Padding(body, (1 if parts else 0, 0, 0, 0)))
    return Group(*parts)


def article_plain(art: Article, *, raw: bool = False) -> str:
    """An article as plain text for a pipe: title, metadata, source, then the paragraphs,
    one per line (never wrapped or padded), a blank line between."""
    lines = [art.display_title, labels.meta_line(art)]
    if art.meta.url:
        lines.append(f"Source: {art.meta.url}")
    for p in art.paragraphs:
        if p.hidden and not raw:
            continue
        if p.kind == Kind.TITLE and not raw:
            continue
        body = " ".join(art.paragraph_text(p).split())
        lines += ["", labels.hidden_label(p) + body if raw else body]
    return "\n".join(lines) + "\n"


def comparison(cmp: Comparison, *, plain: bool = False) -> RenderableType:
    """Two articles side by side. `plain` (for a pipe, where no style shows): the differing
    words come in brackets."""
    al = cmp.alignment
    head = Table.grid(expand=True, padding=(0, 2))
    head.add_column(ratio=1)
    head.add_column(ratio=1)
    head.add_row(
        Text("A  ", style="bold") + Text(cmp.a.display_title, style="bold"),
        Text("B  ", style="bold") + Text(cmp.b.display_title, style="bold"),
    )
    head.add_row(
        Text(f"{cmp.a.id} · {labels.percent(al.coverage_a)} shared", style="dim"),
        Text(f"{cmp.b.id} · {labels.percent(al.coverage_b)} shared", style="dim"),
    )
    n = len(al.passages)
    if not n:
        summary = Text("No shared passage.", style="bold")
    else:
        summary = Text(f"{n} shared passage{'s' if n != 1 else ''}. ", style="bold")
        summary += Text(
            "Differing words are [in brackets]; rows without a number are not shared."
            if plain
            else "Differing words are highlighted; text not shared is dimmed.",
            style="dim",
        )
    body = Table(show_header=False, expand=True, show_lines=True, box=None, padding=(0, 1))
    body.add_column(width=3, no_wrap=True)
    body.add_column(ratio=1)
    body.add_column(ratio=1)
    for row in rows(al, cmp.a, cmp.b):
        label = Text("")
        if row.number is not None:
            label = Text(
                passage_label(row.number), style=Style(color=passage_colour(row.number), bold=True)
            )
        body.add_row(
            label,
            side_text(cmp.a.text, row, "a", bracket=plain),
            side_text(cmp.b.text, row, "b", bracket=plain),
        )
        body.add_row("", "", "")
    return Group(head, Rule(style="dim"), summary, Text(""), body)


def related(art: Article, found: list[Related], titles: dict[str, str]) -> RenderableType:
    parts: list[RenderableType] = [
        Text("Articles sharing passages with ") + Text(art.display_title, style="bold")
    ]
    if not found:
        parts.append(Text("No other article shares a passage with this one.", style="dim"))
        return Group(*parts)
    table = Table(show_header=True, expand=False)
    table.add_column("shared of this", justify="right")
    table.add_column("of that", justify="right")
    table.add_column("passages", justify="right")
    table.add_column("article")
    for r in found:
        al = r.alignment
        table.add_row(
            f"{labels.percent(al.coverage_a)}",
            f"{labels.percent(al.coverage_b)}",
            str(len(al.passages)),
            Text(titles.get(r.id, r.id)) + Text(f"  {r.id}", style="dim"),
        )
    parts.append(table)
    return Group(*parts)


def overlaps(found: list[Overlap], titles: dict[str, str]) -> RenderableType:
    if not found:
        return Text("No two articles share a passage.", style="dim")
    table = Table(title=f"{len(found)} pairs of articles sharing passages", title_justify="left")
    table.add_column("A")
    table.add_column("B")
    table.add_column("A shared", justify="right")
    table.add_column("B shared", justify="right")
    table.add_column("passages", justify="right")
    for o in found:
        al = o.alignment
        table.add_row(
            Text(titles.get(o.a, o.a)) + Text(f"\n{o.a}", style="dim"),
            Text(titles.get(o.b, o.b)) + Text(f"\n{o.b}", style="dim"),
            f"{labels.percent(al.coverage_a)}",
            f"{labels.percent(al.coverage_b)}",
            str(len(al.passages)),
        )
    return table


def related_plain(art: Article, found: list[Related], titles: dict[str, str]) -> str:
    """`related` for a pipe: one line per article, its id whole (a table would cut it to
    fit 80 columns), tab-separated: shared of this, of that, passages, id, title."""
    lines = [f"Articles sharing passages with {art.display_title}"]
    if not found:
        return lines[0] + "\nNo other article shares a passage with this one.\n"
    lines.append("shared of this\tof that\tpassages\tid\ttitle")
    for r in found:
        lines.append(_tabbed(r.alignment, r.id, _one_line(titles.get(r.id, r.id))))
    return "\n".join(lines) + "\n"


def overlaps_plain(found: list[Overlap], titles: dict[str, str]) -> str:
    """`overlaps` for a pipe: one line per pair, ids whole, tab-separated."""
    if not found:
        return "No two articles share a passage.\n"
    lines = [
        f"{len(found)} pairs of articles sharing passages",
        "A shared\tB shared\tpassages\tA\tB\tA title\tB title",
    ]
    for o in found:
        a, b = (_one_line(titles.get(i, i)) for i in (o.a, o.b))
        lines.append(_tabbed(o.alignment, o.a, o.b, a, b))
    return "\n".join(lines) + "\n"


def _tabbed(al: Alignment, *rest: str) -> str:
    """Shared of one, of the other, passages, then `rest`: one tab-separated line."""
    figures = (
        f"{labels.percent(al.coverage_a)}",
        f"{labels.percent(al.coverage_b)}",
        str(len(al.passages)),
    )
    return "\t".join((*figures, *rest))


def _one_line(text: str) -> str:
    return " ".join(text.split())


_STATUS_STYLE = {"new": "green", "unchanged": "dim", "failed": "red"}


def fetch_summary(results: list[FeedResult]) -> RenderableType:
    table = Table(title="Feeds", title_justify="left")
    table.add_column("feed")
    table.add_column("status")
    table.add_column("new", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("reason")
    for r in results:
        table.add_row(
            Text(r.name),
            Text(r.status, style=_STATUS_STYLE[r.status]),
            str(r.new),
            str(r.unchanged),
            str(r.failed),
            Text(r.reason or ""),
        )
    parts: list[RenderableType] = [table]
    notes = [(r.name, n) for r in results for n in r.notes]
    if notes:
        problems = Table(title="Entry problems", title_justify="left")
        problems.add_column("feed")
        problems.add_column("problem")
        for name, note in notes:
            problems.add_row(Text(name), Text(note))
        parts.append(problems)
    return Group(*parts)


def check(result: Any) -> RenderableType:
    """`newsreader index --check` (an IndexCheck from Library.check)."""
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    known = [
        ("index", result.index_dir),
        ("build", result.build or "–"),
        ("articles", "–" if result.articles is None else f"{result.articles:,} in the catalog"),
        (
            "full text",
            "–"
            if result.documents is None
            else f"{result.documents:,} documents, generation {result.generation}, "
            f"{result.files} files verified",
        ),
        ("last commit", result.updated or "–"),
    ]
    for key, value in known:
        head.add_row(key, Text(str(value)))
    parts: list[RenderableType] = [head]
    if result.ok:
        parts.append(Text(f"No problems found ({result.seconds:.2f} s).", style="green"))
    else:
        problems = Table(title=Text("Problems"), title_justify="left", show_header=False)
        problems.add_column()
        for problem in result.problems:
            problems.add_row(Text(problem))
        parts.append(problems)
    return Group(*parts)


def stats(s: CorpusStats) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    span = f"{s.first_date[:10]} – {s.last_date[:10]}" if s.first_date and s.last_date else "–"
    for key, value in (
        ("corpus", s.corpus),
        ("articles", f"{s.articles:,}"),
        ("files", f"{s.files:,}" + (f" ({s.skipped_files:,} skipped)" if s.skipped_files else "")),
        ("dates", span),
        ("index", f"{human_size(s.index_bytes)} in {s.index_dir}"),
        ("last update", s.updated or "never"),
    ):
        head.add_row(key, Text(value))
    parts: list[RenderableType] = [head]
    for title, counts, empty in (
        ("By outlet", s.outlets, "unknown"),
        ("By month", s.months, "undated"),
        ("By language", s.languages, "unknown"),
    ):
        parts.append(_count_table(title, counts, empty, s.articles))
    return Group(*parts)


def _count_table(title: str, rows: list[tuple[str | None, int]], empty: str, total: int) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(title.split()[-1])
    table.add_column("articles", justify="right")
    table.add_column("share", justify="right")
    table.add_column("")
    top = max((n for _, n in rows), default=1)
    for name, n in rows:
        bar = "█" * max(1, round(20 * n / top))
        table.add_row(
            Text(name or empty, style="" if name else "dim"),
            f"{n:,}",
            f"{100 * n / total:.1f}%" if total else "–",
            Text(bar, style="cyan"),
        )
    return table
