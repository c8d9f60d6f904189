"""`newsreader fetch`: download new feed entries into the corpus, then update the index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from ...index import FetchEvent, Library, NewsreaderError, fetch_into
from .options import (
    emit_json,
    engine_option,
    json_option,
    location_options,
    print_out,
    run_update,
    stderr,
)


@click.command("fetch")
@location_options
@click.option(
    "--feeds",
    "feeds_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Subscriptions file (default: feeds.toml in the user config folder).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=None,
    help="Seconds one download may take (default: [fetch] timeout, or 20).",
)
@click.option(
    "--delay",
    type=click.FloatRange(0, 600),
    default=None,
    help="Seconds between two requests to one host (default: [fetch] delay, or 1).",
)
@click.option("--no-index", is_flag=True, help="Only download; do not update the index.")
@engine_option
@json_option
def fetch(
    corpus: Path | None,
    index_dir: Path | None,
    feeds_path: Path | None,
    timeout: float | None,
    delay: float | None,
    no_index: bool,
    engine: str | None,
    as_json: bool,
) -> None:
    """Download the new entries of every subscribed feed into the corpus folder, one file
    per entry (with the article page's main text for feeds marked full_page = true), then
    update the index. Subscriptions: feeds.toml in the user config folder."""
    from . import json_output, render

    with _progress() as tick:
        run = fetch_into(
            corpus,
            feeds=feeds_path,
            index_dir=index_dir,
            timeout=timeout,
            delay=delay,
            progress=tick,
        )
    report = lib = None
    not_indexed: str | None = None  # why the index was not updated, when it was asked to be
    all_failed = bool(run.results) and all(r.status == "failed" for r in run.results)
    if not no_index and not all_failed:  # with every feed failed, there is nothing new
        try:
            lib = Library.open(run.corpus, index_dir, engine=engine)
            # A first Ctrl-C commits what is indexed and still gives the summary.
            report = run_update(lib, rebuild=False, gently=True)
        except NewsreaderError as exc:
            # The files are downloaded and recorded: the next update indexes them.
            not_indexed = str(exc)
    if as_json:
        data: dict[str, Any] = {
            "schema": 1,
            "corpus": str(run.corpus),
            "feeds": [r.to_json() for r in run.results],
            "index": None,
        }
        if report is not None and lib is not None:
            data["index"] = json_output.report(report, str(run.corpus), str(lib.index_dir))
        emit_json(data)
    else:
        print_out(render.fetch_summary(run.results))
        if report is not None:
            print_out(render.report(report, str(run.corpus)))
    # Reported as every command's errors are (see options.user_errors), after the summary.
    if not_indexed is not None:
        raise NewsreaderError(f"the entries are downloaded but not indexed: {not_indexed}")
    if all_failed:
        n = len(run.results)
        reason = run.results[0].reason if n == 1 else "see the summary for the reasons"
        raise NewsreaderError(f"{'the feed' if n == 1 else f'all {n} feeds'} failed ({reason})")


@contextmanager
def _progress() -> Iterator[Callable[[FetchEvent], None]]:
    """One progress bar per feed on stderr, advanced by the engine's fetch events. It
    appears with the first event, so an early error is the only thing on stderr."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[stage]}", style="dim"),
    )
    console = stderr()
    progress = Progress(*columns, console=console, transient=True, disable=not console.is_terminal)
    tasks: dict[int, Any] = {}

    def tick(event: FetchEvent) -> None:
        if not tasks:
            progress.start()
        task = tasks.get(event.index)
        if task is None:
            label = escape(f"{event.index}/{event.feeds} {event.feed}"[:48])  # not markup
            task = tasks[event.index] = progress.add_task(label, total=None, stage="downloading")
        if event.total:
            progress.update(task, completed=event.done, total=event.total, stage="entries")

    try:
        yield tick
    finally:
        if tasks:
            progress.stop()
