"""`newsreader fetch` (download new feed entries into the corpus, then update the index) and
`newsreader stats` (the corpus at a glance). Registered on the main group by `tui.cli`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from index import Library, NewsreaderError, bundled_corpus, index_dir_for
from index.errors import CorpusError
from index.feeds import Subscriptions, feeds_file, load_subscriptions
from index.fetch import FeedResult, FetchEvent, fetch_feeds, state_path
from index.stats import CorpusStats, corpus_stats
from index.textio import human_size
from tui.cli import ENV_CORPUS, location_options, open_library, run_update

_STATUS_STYLE = {"new": "green", "unchanged": "dim", "failed": "red"}


def _out() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Anything a user can cause is one line on stderr and exit status 1, never a
    traceback, also when these commands run outside `tui.cli.main`."""
    try:
        yield
    except NewsreaderError as exc:
        _err().print(f"newsreader: error: {exc}", markup=False, highlight=False,
                     soft_wrap=True)
        sys.exit(1)


# -- fetch --------------------------------------------------------------------------------
@click.command("fetch")
@location_options
@click.option("--feeds", "feeds_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Subscriptions file (default: feeds.toml in the user config folder).")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=None,
              help="Seconds one download may take (default: [fetch] timeout, or 20).")
@click.option("--delay", type=click.FloatRange(0, 600), default=None,
              help="Seconds between two requests to one host (default: [fetch] delay, or 1).")
@click.option("--no-index", is_flag=True, help="Only download; do not update the index.")
@click.option("--json", "as_json", is_flag=True, help="Print the per-feed results as JSON.")
def fetch(corpus: Path | None, index_dir: Path | None, feeds_path: Path | None,
          timeout: float | None, delay: float | None, no_index: bool, as_json: bool) -> None:
    """Download the new entries of every subscribed feed into the corpus folder, one file
    per entry (with the article page's main text for feeds marked full_page = true), then
    update the index. Subscriptions: feeds.toml in the user config folder."""
    with _user_errors():
        root = _fetch_root(corpus)
        subs = load_subscriptions(feeds_path)
        if not subs.feeds:
            where = subs.path or feeds_file()
            raise CorpusError(f"{where} lists no feeds: add a [[feed]] table with a url")
        subs = Subscriptions(subs.feeds, timeout or subs.timeout,
                             subs.delay if delay is None else delay, subs.folder, subs.path)
        results = _run_fetch(root, subs, state_path(root, index_dir), quiet=as_json)
        report = None
        if not no_index:
            report = run_update(Library.open(root, index_dir), rebuild=False, quiet=as_json)
        if as_json:
            data: dict[str, Any] = {"schema": 1, "corpus": str(root),
                                    "feeds": [r.to_json() for r in results]}
            if report is not None:
                from tui import json_output

                data["index"] = json_output.report(report, str(root),
                                                   str(index_dir_for(root, index_dir)))
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        out = _out()
        out.print(fetch_summary(results))
        if report is not None:
            from tui import render

            out.print(render.report(report, str(root)))


def _fetch_root(corpus: Path | None) -> Path:
    """The folder to fetch into. Never the bundled sample corpus, which lives inside the
    installed package; a folder that does not exist yet is made."""
    if corpus is None:
        raise CorpusError(f"fetch needs a corpus folder to write into: give --corpus PATH "
                          f"(or set ${ENV_CORPUS})")
    root = corpus.expanduser()
    if root.resolve() == bundled_corpus().resolve():
        raise CorpusError("fetch does not write into the bundled sample corpus; "
                          "give --corpus PATH")
    if root.exists() and not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(f"cannot make the corpus folder {root}: {exc.strerror}") from None
    return root.resolve()


def _run_fetch(root: Path, subs: Subscriptions, state: Path, *,
               quiet: bool) -> list[FeedResult]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               MofNCompleteColumn(), TextColumn("{task.fields[stage]}", style="dim"))
    with Progress(*columns, console=_err(), transient=True, disable=quiet) as progress:
        tasks: dict[int, Any] = {}

        def tick(event: FetchEvent) -> None:
            task = tasks.get(event.index)
            if task is None:
                label = f"{event.index}/{event.feeds} {event.feed}"[:48]
                task = tasks[event.index] = progress.add_task(label, total=None,
                                                              stage="downloading")
            if event.total:
                progress.update(task, completed=event.done, total=event.total,
                                stage="entries")

        results = fetch_feeds(root, subs, state, progress=tick)
    return results


def fetch_summary(results: list[FeedResult]) -> RenderableType:
    table = Table(title="Feeds", title_justify="left")
    table.add_column("feed")
    table.add_column("status")
    table.add_column("new", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("failed", justify="right")
    table.add_column("reason")
    for r in results:
        table.add_row(Text(r.name), Text(r.status, style=_STATUS_STYLE[r.status]),
                      str(r.new), str(r.unchanged), str(r.failed), Text(r.reason or ""))
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


# -- stats --------------------------------------------------------------------------------
@click.command("stats")
@location_options
@click.option("--no-update", is_flag=True,
              help="Use the index as it is, even if the corpus has changed.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(corpus: Path | None, index_dir: Path | None, no_update: bool,
          as_json: bool) -> None:
    """Show the corpus at a glance: articles by outlet, by month and by language, the
    index's size and its last update."""
    with _user_errors():
        lib = open_library(corpus, index_dir, update=not no_update, quiet=as_json)
        lib.close()
        found = corpus_stats(lib.corpus, lib.index_dir)
        if as_json:
            click.echo(json.dumps({"schema": 1, **found.to_json()}, ensure_ascii=False,
                                  indent=2))
        else:
            _out().print(stats_view(found))


def stats_view(s: CorpusStats) -> RenderableType:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    span = f"{s.first_date[:10]} – {s.last_date[:10]}" if s.first_date and s.last_date else "–"
    for key, value in (("corpus", s.corpus), ("articles", f"{s.articles:,}"),
                       ("files", f"{s.files:,}" + (f" ({s.skipped_files:,} skipped)"
                                                   if s.skipped_files else "")),
                       ("dates", span), ("index", f"{human_size(s.index_bytes)} in {s.index_dir}"),
                       ("last update", s.updated or "never")):
        head.add_row(key, Text(value))
    parts: list[RenderableType] = [head]
    for title, rows, empty in (("By outlet", s.outlets, "unknown"),
                               ("By month", s.months, "undated"),
                               ("By language", s.languages, "unknown")):
        parts.append(_count_table(title, rows, empty, s.articles))
    return Group(*parts)


def _count_table(title: str, rows: list[tuple[str | None, int]], empty: str,
                 total: int) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(title.split()[-1])
    table.add_column("articles", justify="right")
    table.add_column("share", justify="right")
    table.add_column("")
    top = max((n for _, n in rows), default=1)
    for name, n in rows:
        bar = "█" * max(1, round(20 * n / top))
        table.add_row(Text(name or empty, style="" if name else "dim"), f"{n:,}",
                      f"{100 * n / total:.1f}%" if total else "–", Text(bar, style="cyan"))
    return table


