"""The `newsreader` command. With no command (or a folder) it opens the app; the
subcommands are the non-interactive face of the engine, with Rich output or `--json`."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from index import (
    AlignSettings,
    Library,
    Limits,
    NewsreaderError,
    bundled_corpus,
)

ENV_CORPUS = "NEWSREADER_CORPUS"
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


# Commands kept in their own modules, imported only when used: starting the app should not
# pay for the HTTP and feed libraries behind `fetch`.
LAZY_COMMANDS = {"fetch": "tui.fetch_cmd", "stats": "tui.fetch_cmd"}


class DefaultGroup(click.Group):
    """`newsreader PATH` means `newsreader open PATH`: a first argument that is not a
    command opens the app on that folder."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and not args[0].startswith("-"):
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            module = importlib.import_module(LAZY_COMMANDS[name])
            self.add_command(getattr(module, name), name)
        return self.commands.get(name)


def fields_option(f: Callable) -> Callable:
    return click.option("--field", "fields", multiple=True, metavar="FIELD=NAME",
                        help="Read FIELD (body, title, outlet, author, date, url, lang, id) "
                             "of JSON/CSV records from column NAME; repeatable. Kept with the "
                             "index (see newsreader.toml in the README).")(f)


def limits_from(fields: tuple[str, ...]) -> Limits | None:
    if not fields:
        return None
    from index.readers.config import parse_field_options

    return Limits(fields=parse_field_options(fields))


def corpus_option(f: Callable) -> Callable:
    return location_options(fields_option(f))


def location_options(f: Callable) -> Callable:
    f = click.option("--index-dir", type=click.Path(path_type=Path, file_okay=False),
                     help="Index folder (default: one per corpus in the user data "
                          "folder; also $NEWSREADER_INDEX_DIR).")(f)
    return click.option("--corpus", "-c", type=click.Path(path_type=Path),
                        envvar=ENV_CORPUS, show_envvar=True,
                        help="Corpus folder (default: the bundled sample articles).")(f)


def update_option(f: Callable) -> Callable:
    return click.option("--no-update", is_flag=True,
                        help="Use the index as it is, even if the corpus has changed.")(f)


def json_option(f: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON (schema in the README).")(f)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_library(corpus: Path | None, index_dir: Path | None, fields: tuple[str, ...] = (),
                 *, update: bool = True, quiet: bool = False) -> Library:
    """The corpus's library, brought up to date first (with progress on stderr) when the
    index is missing or the folder has changed."""
    lib = Library.open(corpus or bundled_corpus(), index_dir, limits=limits_from(fields))
    if not update and lib.exists():
        return lib
    pending = lib.pending()
    if pending.stale:
        if pending.rebuild_reason and lib.exists() and not quiet:
            err.print(f"Rebuilding the index: {pending.rebuild_reason}.", style="dim")
        run_update(lib, rebuild=False, quiet=quiet)
    return lib


@contextmanager
def progress_bar(label: str, *, quiet: bool = False) -> Iterator[Callable[[int, int, str],
                                                                          None]]:
    """A Rich progress bar on stderr (gone when done); yields the function to advance it."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn("[progress.description]{task.description}"), BarColumn(),
               TaskProgressColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
               TextColumn("{task.fields[path]}", style="dim"))
    with Progress(*columns, console=err, transient=True, disable=quiet) as progress:
        task = progress.add_task(label, total=None, path="")

        def tick(done: int, total: int, path: str) -> None:
            progress.update(task, completed=done, total=total, path=path[-40:])

        yield tick


def run_update(lib: Library, *, rebuild: bool, quiet: bool = False):
    with progress_bar("Indexing", quiet=quiet) as tick:
        return lib.update(rebuild=rebuild, progress=tick)


@click.group(cls=DefaultGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsreader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A terminal reader for news archives that shows which passages articles share.

    Run with no command to open the app on the bundled sample articles, or give a folder:
    `newsreader ~/news`.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_app)


@cli.command("open")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--index-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Index folder (default: one per corpus in the user data folder).")
@fields_option
def open_app(corpus: Path | None = None, index_dir: Path | None = None,
             fields: tuple[str, ...] = ()) -> None:
    """Open the app on CORPUS (default: the bundled sample articles)."""
    from tui.app import run_app

    lib = Library.open(corpus or bundled_corpus(), index_dir, limits=limits_from(fields))
    run_app(lib)


@cli.command("index")
@click.argument("corpus", required=False, type=click.Path(path_type=Path), envvar=ENV_CORPUS)
@click.option("--index-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Index folder (default: one per corpus in the user data folder).")
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of updating.")
@fields_option
@json_option
def index_cmd(corpus: Path | None, index_dir: Path | None, rebuild: bool,
              fields: tuple[str, ...], as_json: bool) -> None:
    """Build or update the index of CORPUS: new files are added, changed ones updated,
    deleted ones removed, unchanged ones skipped without being read."""
    from tui import json_output, render

    lib = Library.open(corpus or bundled_corpus(), index_dir, limits=limits_from(fields))
    rep = run_update(lib, rebuild=rebuild, quiet=as_json)
    if as_json:
        emit_json(json_output.report(rep, str(lib.corpus), str(lib.index_dir)))
    else:
        out.print(render.report(rep, str(lib.corpus)))
    if rep.interrupted:
        sys.exit(130)


@cli.command()
@click.argument("query", nargs=-1)
@corpus_option
@click.option("--limit", "-n", default=10, show_default=True,
              type=click.IntRange(1, 10_000), help="Most hits to show.")
@update_option
@json_option
def search(query: tuple[str, ...], corpus: Path | None, index_dir: Path | None,
           fields: tuple[str, ...], limit: int, no_update: bool, as_json: bool) -> None:
    """Search the corpus. QUERY: words, "exact phrases", AND / OR / NOT, field:value
    (title:, outlet:, author:, lang:), date:2024 or date:[2023-01 to 2024-06], prefix*,
    fuzzy~. No query lists every article, newest first."""
    from tui import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update, quiet=as_json)
    results = lib.search(" ".join(query), limit=limit)
    if as_json:
        emit_json(json_output.search(results))
    else:
        out.print(render.hits(results))


@cli.command()
@click.argument("article")
@corpus_option
@click.option("--raw", is_flag=True, help="Show boilerplate, bylines and repeated paragraphs.")
@update_option
@json_option
def show(article: str, corpus: Path | None, index_dir: Path | None,
         fields: tuple[str, ...], raw: bool, no_update: bool, as_json: bool) -> None:
    """Show ARTICLE (id, unique id prefix, file name or path) for reading."""
    from tui import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update, quiet=as_json)
    art = lib.article(article)
    if as_json:
        emit_json(json_output.article(art))
    else:
        out.print(render.article(art, raw=raw))


def align_options(f: Callable) -> Callable:
    f = click.option("--min-words", type=click.IntRange(2, 1000), default=None,
                     help="Fewest shared words in a passage (default 8).")(f)
    return f


def _settings(min_words: int | None) -> AlignSettings:
    settings = AlignSettings()
    if min_words is not None:
        settings = AlignSettings(min_words=min_words,
                                 min_common_words=min(settings.min_common_words, min_words))
    return settings


@cli.command()
@click.argument("a")
@click.argument("b")
@corpus_option
@align_options
@update_option
@json_option
def compare(a: str, b: str, corpus: Path | None, index_dir: Path | None,
            fields: tuple[str, ...], min_words: int | None, no_update: bool,
            as_json: bool) -> None:
    """Show side by side the passages articles A and B share."""
    from tui import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update, quiet=as_json)
    result = lib.compare(a, b, _settings(min_words))
    if as_json:
        emit_json(json_output.comparison(result))
    else:
        out.print(render.comparison(result))


@cli.command()
@click.argument("article")
@corpus_option
@align_options
@update_option
@json_option
def related(article: str, corpus: Path | None, index_dir: Path | None,
            fields: tuple[str, ...], min_words: int | None, no_update: bool,
            as_json: bool) -> None:
    """List the articles that share passages with ARTICLE, by shared coverage."""
    from tui import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update, quiet=as_json)
    art, found = lib.related(article, _settings(min_words))
    refs = {r.id: lib.article(r.id) for r in found}
    if as_json:
        emit_json(json_output.related(art, found, refs))
    else:
        out.print(render.related(art, found, {k: v.display_title for k, v in refs.items()}))


@cli.command()
@corpus_option
@click.option("--min-coverage", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Only pairs where at least this share of one article is shared.")
@align_options
@update_option
@json_option
def overlaps(corpus: Path | None, index_dir: Path | None, fields: tuple[str, ...],
             min_coverage: float, min_words: int | None, no_update: bool,
             as_json: bool) -> None:
    """List every pair of articles in the corpus that shares passages."""
    from tui import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update, quiet=as_json)
    with progress_bar("Comparing candidate pairs", quiet=as_json) as tick:
        found = lib.overlaps(min_coverage, _settings(min_words),
                             progress=lambda done, total: tick(done, total, ""))
    ids = {i for o in found for i in (o.a, o.b)}
    refs = {i: lib.article(i) for i in ids}
    if as_json:
        emit_json(json_output.overlaps(found, refs, min_coverage))
    else:
        out.print(render.overlaps(found, {k: v.display_title for k, v in refs.items()}))


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure a user can cause is one line on stderr, never a
    traceback (set NEWSREADER_DEBUG=1 to see one)."""
    signal.signal(signal.SIGTERM, _terminate)
    debug = bool(os.environ.get("NEWSREADER_DEBUG"))
    try:
        cli.main(args=argv, prog_name="newsreader", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        err.print("newsreader: aborted")
        sys.exit(130)
    except NewsreaderError as exc:
        if debug:
            raise
        err.print(f"newsreader: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("newsreader: interrupted; the index keeps its last committed state")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:
        if debug:
            raise
        err.print(f"newsreader: internal error: {type(exc).__name__}: {exc} "
                  "(set NEWSREADER_DEBUG=1 for details)", markup=False, highlight=False,
                  soft_wrap=True)
        sys.exit(70)
