"""What the commands share: the corpus and index options (defined once), opening a library
and bringing it up to date with a progress bar, JSON printing, and the one place where
errors become one line on stderr."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ...index import Library, Limits, NewsreaderError, UpdateReport, bundled_corpus, printable

if TYPE_CHECKING:
    from rich.console import Console

ENV_CORPUS = "NEWSREADER_CORPUS"
F = TypeVar("F", bound=Callable[..., Any])

# Set when Ctrl-C or SIGTERM arrives (see main.interrupt). Python drops an exception raised
# while a finaliser runs, so an interrupt landing there would be lost and an index run would
# carry on to the end: the progress callback raises it again, and a command that finished
# anyway still exits as interrupted.
INTERRUPTED = threading.Event()
# `newsreader index` stops gently: the first Ctrl-C (while STOP_GENTLY is set) only sets
# STOP_ASKED, and the update then stops between articles and commits what it has done, as
# the app's "Stop indexing" does; a tantivy batch can be tens of thousands of articles. A
# second Ctrl-C stops at once, keeping the last commit.
STOP_GENTLY = threading.Event()
STOP_ASKED = threading.Event()


def stdout() -> Console:
    from .console import SafeConsole  # Rich loads only for output that needs it

    return SafeConsole(highlight=False, soft_wrap=False)


def print_out(renderable: Any, plain: str | None = None) -> None:
    """Print to stdout: laid out by Rich in a terminal; as plain text when piped or
    redirected (`plain` if given, else Rich's layout without colour and without the spaces
    it pads lines with)."""
    if sys.stdout.isatty():
        stdout().print(renderable)
        return
    if plain is None:
        from .console import SafeConsole

        _without_boxes(renderable)
        buffer = io.StringIO()
        console = SafeConsole(file=buffer, highlight=False, soft_wrap=False, color_system=None)
        console.print(renderable)
        plain = "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())
    click.echo(printable(plain.rstrip("\n")))


def _without_boxes(renderable: Any) -> None:
    """Tables drawn as aligned columns, without their box-drawing lines: a pipe or a file
    gets plain text (the renderables are made for this one print)."""
    from rich.console import Group
    from rich.table import Table

    if isinstance(renderable, Table):
        renderable.box = None
        renderable.show_edge = False
        renderable.pad_edge = False
    elif isinstance(renderable, Group):
        for part in renderable.renderables:
            _without_boxes(part)


def stderr() -> Console:
    from .console import SafeConsole

    return SafeConsole(stderr=True, highlight=False)


# -- options ------------------------------------------------------------------------------
def index_dir_option(f: F) -> F:
    return click.option(
        "--index-dir",
        type=click.Path(path_type=Path, file_okay=False),
        help="Index folder (default: one per corpus in the user data "
        "folder; also $NEWSREADER_INDEX_DIR).",
    )(f)


def corpus_option(f: F) -> F:
    return click.option(
        "--corpus",
        "-c",
        type=click.Path(path_type=Path),
        envvar=ENV_CORPUS,
        show_envvar=True,
        help="Corpus folder (default: the bundled sample articles).",
    )(f)


def fields_option(f: F) -> F:
    return click.option(
        "--field",
        "fields",
        multiple=True,
        metavar="FIELD=NAME",
        help="Read FIELD (body, title, outlet, author, date, url, lang, id) "
        "of JSON/CSV records from column NAME; repeatable. Kept with the "
        "index (see newsreader.toml in the README).",
    )(f)


def json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print JSON (schema in the README)."
    )(f)


def update_option(f: F) -> F:
    return click.option(
        "--no-update", is_flag=True, help="Use the index as it is, even if the corpus has changed."
    )(f)


def location_options(f: F) -> F:
    """--corpus and --index-dir."""
    return corpus_option(index_dir_option(f))


def library_options(f: F) -> F:
    """Everything a command reading the index takes: --corpus, --index-dir, --field,
    --no-update and --json."""
    return location_options(fields_option(update_option(json_option(f))))


# -- libraries ----------------------------------------------------------------------------
def limits_from(fields: tuple[str, ...]) -> Limits | None:
    return Limits.from_field_options(fields) if fields else None


def make_library(
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...] = (),
    engine: str | None = None,
) -> Library:
    return Library.open(corpus, index_dir, limits=limits_from(fields), engine=engine)


def engine_option(f: F) -> F:
    return click.option(
        "--engine",
        type=click.Choice(["whoosh", "tantivy"]),
        default=None,
        help="Search engine of a new index (default: config.toml's `engine`, else whoosh); "
        "another than the index's own needs --rebuild.",
    )(f)


def open_library(
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...] = (),
    *,
    update: bool = True,
) -> Library:
    """The corpus's library, brought up to date first (with progress on stderr) when the
    index is missing or the folder has changed. An index another process is updating, or
    one on read-only storage, is read as it is (from its last commit), with a note."""
    lib = make_library(corpus, index_dir, fields)
    if not update and lib.exists():
        return lib
    if (
        corpus is None
        and (index_dir is not None or os.environ.get("NEWSREADER_INDEX_DIR"))
        and not lib.exists()
        and lib.corpus.resolve() == bundled_corpus().resolve()
    ):
        # An index folder with no index, and no corpus given or set: a mistyped
        # --index-dir searched the five sample articles and said "0 results".
        note(
            f"no index in {printable(str(lib.index_dir))}: indexing the bundled sample"
            " articles there (give --corpus to index your own)"
        )
    pending = lib.pending()
    if pending.stale:
        try:
            run_update(lib, rebuild=False)
        except NewsreaderError as exc:
            if not lib.exists() or not _can_read_as_is(exc):
                raise
            why = str(exc).split("; ")[0]  # what stopped the update, without the advice
            note(f"{why}; reading the index as it is ({_last_commit(lib)}).")
    return lib


def _can_read_as_is(exc: NewsreaderError) -> bool:
    """Busy or read-only: the index can still be read, as of its last commit."""
    return exc.index_readable


def _last_commit(lib: Library) -> str:
    """ "last commit 2026-11-23T12:21:30+0000, 5,000 articles" """
    try:
        found = lib.stats()
    except NewsreaderError:
        return "its last commit"
    return f"last commit {found.updated or 'unknown'}, {found.articles:,} articles"


def note(message: str, console: Console | None = None) -> None:
    """One line on stderr that is not an error. `console`: a progress bar's, so that the
    line is written above the bar rather than into it."""
    (console or stderr()).print(f"newsreader: {message}", style="dim", markup=False, soft_wrap=True)


class Tick:
    """Advances a progress bar (`tick(done, total, path)`) and writes a note above it."""

    def __init__(self, advance: Callable[[int, int, str], None], console: Console) -> None:
        self._advance = advance
        self._console = console

    def __call__(self, done: int, total: int, path: str) -> None:
        self._advance(done, total, path)

    def note(self, message: str) -> None:
        note(message, self._console)


@contextmanager
def progress_bar(label: str) -> Iterator[Tick]:
    """A Rich progress bar on stderr (gone when done), whatever goes to stdout (--json
    too); yields what advances it."""
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[path]}", style="dim", markup=False),  # a file name
    )
    console = stderr()
    # Not on a terminal, a transient bar would only leave an empty line behind.
    disable = not console.is_terminal
    with Progress(*columns, console=console, transient=True, disable=disable) as progress:
        task = progress.add_task(label, total=None, path="")

        def tick(done: int, total: int, path: str) -> None:
            if INTERRUPTED.is_set():
                raise KeyboardInterrupt
            # A run with nothing to read (total 0) is at its end: 100%, not 0%.
            progress.update(task, completed=done if total else 1, total=total or 1, path=path[-40:])

        yield Tick(tick, progress.console)


def run_update(
    lib: Library,
    *,
    rebuild: bool,
    gently: bool = False,
    compact: bool = False,
) -> UpdateReport:
    """Update with a progress bar; what the update says it is doing (a rebuild and why) is
    a note on stderr. `gently`: a first Ctrl-C stops the update with what it has done
    committed (see STOP_GENTLY)."""
    said = False
    bar: Tick | None = None

    def should_stop() -> bool:
        nonlocal said
        if STOP_ASKED.is_set() and not said:
            said = True  # said here, between articles: the progress bar is not mid-draw
            message = (
                "stopping: committing what is indexed so far "
                "(Ctrl-C again to stop at once, keeping only the last commit)"
            )
            if bar is not None:
                bar.note(message)
            else:
                note(message)
        return STOP_ASKED.is_set()

    with progress_bar("Indexing") as tick:
        bar = tick
        if gently:
            STOP_GENTLY.set()
        try:
            return lib.update(
                rebuild=rebuild,
                progress=tick,
                should_stop=should_stop if gently else None,
                notice=tick.note,
                compact=compact,
            )
        finally:
            STOP_GENTLY.clear()


# -- output -------------------------------------------------------------------------------
def emit_json(data: Any) -> None:
    click.echo(json_text(data))


_C1 = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_text(data: Any) -> str:
    """`data` as JSON, every string as it is (not made printable) but escaped so that no
    control character is written raw: json.dumps escapes C0 controls (\\u001b); DEL and the
    C1 controls and lone surrogates (undecodable bytes in a file name), which it leaves as
    they are when writing UTF-8, are escaped here too (they occur only inside strings, so the
    JSON means the same)."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@contextmanager
def user_errors() -> Iterator[None]:
    """Every failure a user can cause is one line on stderr and a non-zero exit, never a
    traceback (set NEWSREADER_DEBUG=1 to see one)."""
    debug = bool(os.environ.get("NEWSREADER_DEBUG"))
    try:
        yield
        if INTERRUPTED.is_set():
            raise KeyboardInterrupt
    except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
        raise  # Click reports its own
    except NewsreaderError as exc:
        if debug:
            raise
        stderr().print(f"newsreader: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        stderr().print("newsreader: interrupted; the index keeps its last committed state")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:
        if debug:
            raise
        # Outside the index (which says what it kept), e.g. writing fetched files.
        why = "no space left on device" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
        where = f": {exc.filename}" if exc.filename else ""
        stderr().print(
            f"newsreader: error: {why or exc.strerror or exc}{where}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(1)
    except Exception as exc:
        if debug:
            raise
        stderr().print(
            f"newsreader: internal error: {type(exc).__name__}: {exc} "
            "(set NEWSREADER_DEBUG=1 for details)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        sys.exit(70)
