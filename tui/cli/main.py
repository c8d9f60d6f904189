"""The `newsreader` command. With no command (or a folder) it opens the app; the
subcommands are the non-interactive face of the engine, with Rich output or `--json`."""

from __future__ import annotations

import difflib
import importlib
import io
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ...index import FacetFilter, NewsreaderError, check_config, printable, read_index_lazily
from .options import (
    ENV_CORPUS,
    INTERRUPTED,
    STOP_ASKED,
    STOP_GENTLY,
    F,
    emit_json,
    engine_option,
    fields_option,
    index_dir_option,
    json_option,
    library_options,
    make_library,
    open_library,
    print_out,
    progress_bar,
    run_update,
    stderr,
    user_errors,
)

if TYPE_CHECKING:
    from ...index import AlignSettings

# Commands kept in their own modules, imported only when used: starting the app should not
# pay for the HTTP and feed libraries behind `fetch`.
LAZY_COMMANDS = {
    "fetch": ".fetch",
    "stats": ".stats",
    "bookmarks": ".userdata",
    "keys": ".userdata",
    "variants": ".variants",
}


class NewsreaderGroup(click.Group):
    """`newsreader PATH` means `newsreader open PATH`: a first argument that is not a
    command opens the app on that folder. Every command runs under `user_errors`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        commands = self.list_commands(ctx)
        if args and args[0] not in commands and not args[0].startswith("-"):
            close = difflib.get_close_matches(args[0], commands, n=1, cutoff=0.75)
            if close and not Path(args[0]).expanduser().exists():
                # "newsreader indx" said: corpus folder not found: indx.
                raise click.UsageError(
                    f'no command or folder named "{args[0]}"; did you mean "{close[0]}"?'
                )
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            module = importlib.import_module(LAZY_COMMANDS[name], __package__)
            self.add_command(getattr(module, name + "_cmd", None) or getattr(module, name), name)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> object:
        with user_errors():
            return super().invoke(ctx)


@click.group(
    cls=NewsreaderGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="newsreader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """A terminal reader for news archives that shows which passages articles share.

    Run with no command to open the app on the bundled sample articles, or give a folder:
    `newsreader ~/news`.
    """
    check_config()
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_app)


@cli.command("open")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@index_dir_option
@fields_option
@engine_option
def open_app(
    corpus: Path | None = None,
    index_dir: Path | None = None,
    fields: tuple[str, ...] = (),
    engine: str | None = None,
) -> None:
    """Open the app on CORPUS (default: the bundled sample articles)."""
    from ..app import run_app

    run_app(make_library(corpus, index_dir, fields, engine))


@cli.command("index")
@click.argument("corpus", required=False, type=click.Path(path_type=Path), envvar=ENV_CORPUS)
@index_dir_option
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of updating.")
@click.option(
    "--compact",
    is_flag=True,
    help="Then merge the full text into one segment: about half its size on disk and "
    "faster searches, at the cost of a minute or two for a large archive (Whoosh only).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Verify the index (both stores, every file) and say what is wrong; change nothing.",
)
@fields_option
@engine_option
@json_option
def index_cmd(
    corpus: Path | None,
    index_dir: Path | None,
    rebuild: bool,
    compact: bool,
    check: bool,
    fields: tuple[str, ...],
    engine: str | None,
    as_json: bool,
) -> None:
    """Build or update the index of CORPUS: new files are added, changed ones updated,
    deleted ones removed, unchanged ones skipped without being read. A damaged index is
    rebuilt."""
    from . import json_output, render

    lib = make_library(corpus, index_dir, fields, engine)
    if check:
        if rebuild or compact:
            flag = "--rebuild" if rebuild else "--compact"
            raise click.UsageError(f"--check and {flag} do not go together")
        result = lib.check()
        if as_json:
            emit_json(json_output.check(result))
        else:
            print_out(render.check(result))
        if not result.ok:
            n = len(result.problems)
            problems = f"{n} problem{'s' if n != 1 else ''}"
            why = (
                f"there is no index at {lib.index_dir} yet; `newsreader index` builds it"
                if result.missing
                else f"the index at {lib.index_dir} is damaged ({problems}); "
                "`newsreader index --rebuild` rebuilds it"
            )
            stderr().print(f"newsreader: error: {why}", markup=False, soft_wrap=True)
            sys.exit(1)
        return
    rep = run_update(lib, rebuild=rebuild, gently=True, compact=compact)
    if as_json:
        emit_json(json_output.report(rep, str(lib.corpus), str(lib.index_dir)))
    else:
        print_out(render.report(rep, str(lib.corpus)))
        if compact and not rep.compacted and not rep.interrupted:
            from rich.text import Text

            print_out(Text(render.NOTHING_TO_COMPACT, style="dim"))
    if rep.interrupted:
        sys.exit(130)


class _QueryCommand(click.Command):
    """A sentence pasted from an article may open with a dash ("- Pemerintah menaikkan…", a
    dateline cut away), which Click would read as a cluster of short options. An argument
    with a space in it is no option: it is kept as query words. Nor is a word excluded
    with a minus (`-Jokowi`, `-is:read`): Click read it as -J, an unknown option, unless
    it is `-c` and a folder written without a space (`-cnews`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        out: list[str] = []
        for a in args:
            if a == "--":
                out += args[len(out) :]
                break
            out.append(f" {a}" if _query_word(a) else a)
        return super().parse_args(ctx, out)


def _query_word(arg: str) -> bool:
    """Whether an argument that begins with a dash is query words, not options."""
    if not arg.startswith("-"):
        return False
    if " " in arg.strip():
        return True
    if arg.startswith("--"):
        return False  # a long option, or one mistyped (Click says so)
    word = arg[1:]
    # A word or a field's ("-erdogan", "-is:read"), not a short option with its value
    # ("-n5") or a cluster of two ("-hx").
    if len(word) < 3 or not word[0].isalpha() or word[1].isdigit():
        return False
    return not (word[0] == "c" and Path(word[1:]).expanduser().exists())


@cli.command(cls=_QueryCommand)
@click.argument("query", nargs=-1)
@library_options
@click.option(
    "--limit",
    "-n",
    default=10,
    show_default=True,
    type=click.IntRange(1, 10_000),
    help="Most hits to show.",
)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Best match first, or newest first.",
)
@click.option(
    "--outlet",
    "outlets",
    multiple=True,
    metavar="NAME",
    help="Only articles from this outlet (as `stats` lists it, any case); repeatable.",
)
@click.option(
    "--since", metavar="DATE", help="Only articles from DATE on (2023, 2023-10, 2023-10-05)."
)
@click.option(
    "--until", metavar="DATE", help="Only articles up to DATE, inclusive (2024-06: all June)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "jsonl", "md"]),
    default="text",
    show_default=True,
    help="Output: text, json (as --json), csv or jsonl (one row per hit), md (Markdown).",
)
def search(
    query: tuple[str, ...],
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...],
    limit: int,
    sort: str,
    outlets: tuple[str, ...],
    since: str | None,
    until: str | None,
    fmt: str,
    no_update: bool,
    as_json: bool,
) -> None:
    """Search the corpus. QUERY: words, "exact phrases", AND / OR / NOT, field:value
    (title:, outlet:, author:, lang:), date:2024 or date:[2023-01 to 2024-06], prefix*,
    fuzzy~, is:unread / is:read / is:bookmarked (as marked in the app). No query lists
    every article, newest first."""
    fmt = "json" if as_json else fmt
    read_index_lazily()  # one search: mapping the index's files whole would cost more
    lib = open_library(corpus, index_dir, fields, update=not no_update)
    facets = FacetFilter(outlets, since, until)
    text = " ".join(w.strip() for w in query)  # (" -word": see _QueryCommand)
    results = lib.search(text, limit=limit, sort=sort, facets=facets or None)
    if fmt == "json":
        from .json_output import search as search_json

        emit_json(search_json(results))
    elif fmt == "text":
        from .hits import hits, plain_hits

        # Piped, the same lines come without Rich (see plain_hits).
        plain = None if sys.stdout.isatty() else plain_hits(results)
        if plain is None:
            print_out(hits(results))
        else:
            print_out(None, plain)
    else:
        from .. import export

        writer = {
            "csv": export.results_csv,
            "jsonl": export.results_jsonl,
            "md": export.results_markdown,
        }[fmt]
        click.echo(writer(results), nl=False)


@cli.command()
@click.argument("article")
@library_options
@click.option("--raw", is_flag=True, help="Show boilerplate, bylines and repeated paragraphs.")
def show(
    article: str,
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...],
    raw: bool,
    no_update: bool,
    as_json: bool,
) -> None:
    """Show ARTICLE (id, unique id prefix, file name or path) for reading."""
    from . import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update)
    art = lib.article(article)
    if as_json:
        emit_json(json_output.article(art))
    else:
        print_out(render.article(art, raw=raw), render.article_plain(art, raw=raw))


def min_words_option(f: F) -> F:
    return click.option(
        "--min-words",
        type=click.IntRange(2, 1000),
        default=None,
        help="Fewest shared words in a passage (default 8).",
    )(f)


def align_settings(min_words: int | None) -> AlignSettings:
    from ...index import AlignSettings  # alignment loads only for the commands that align

    settings = AlignSettings()
    if min_words is not None:
        settings = AlignSettings(
            min_words=min_words, min_common_words=min(settings.min_common_words, min_words)
        )
    return settings


@cli.command()
@click.argument("a")
@click.argument("b")
@library_options
@min_words_option
@click.option(
    "--html",
    "html_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write the comparison as a web page (both texts side by side, passages and "
    "differences marked) to this file instead of printing it; - for stdout.",
)
@click.option(
    "--markdown",
    "md_file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write the comparison as Markdown to this file instead of printing it; - for stdout.",
)
def compare(
    a: str,
    b: str,
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...],
    min_words: int | None,
    html_file: Path | None,
    md_file: Path | None,
    no_update: bool,
    as_json: bool,
) -> None:
    """Show side by side the passages articles A and B share."""
    from . import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update)
    result = lib.compare(a, b, align_settings(min_words))
    if html_file or md_file:
        from .. import export

        for target, text in (
            (html_file, export.comparison_html(result) if html_file else ""),
            (md_file, export.comparison_markdown(result) if md_file else ""),
        ):
            if target is None:
                continue
            if str(target) == "-":
                click.echo(text, nl=False)
                continue
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise NewsreaderError(f"cannot write {target}: {exc.strerror}") from None
            stderr().print(f"Wrote {target.resolve()}", style="dim", markup=False)
        if not as_json:
            return
    if as_json:
        emit_json(json_output.comparison(result))
    else:
        print_out(render.comparison(result, plain=not sys.stdout.isatty()))


@cli.command()
@click.argument("article")
@library_options
@min_words_option
def related(
    article: str,
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...],
    min_words: int | None,
    no_update: bool,
    as_json: bool,
) -> None:
    """List the articles that share passages with ARTICLE, by shared coverage."""
    from . import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update)
    art, found = lib.related(article, align_settings(min_words))
    refs = {r.id: lib.article(r.id) for r in found}
    if as_json:
        emit_json(json_output.related(art, found, refs))
    else:
        titles = {k: v.display_title for k, v in refs.items()}
        # Piped, one line per article with its id whole (see render.related_plain).
        plain = None if sys.stdout.isatty() else render.related_plain(art, found, titles)
        print_out(render.related(art, found, titles), plain)
        _note_learned(lib.learning.newly_in_use)


def _a_number(value: float) -> float:
    if value != value:  # NaN: FloatRange lets it through, and every comparison with it fails
        raise click.BadParameter("must be a number from 0 to 1, not NaN")
    return value


@cli.command()
@library_options
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 1),
    default=0.0,
    show_default=True,
    callback=lambda _ctx, _param, value: _a_number(value),
    help="Only pairs where at least this share of one article is shared.",
)
@min_words_option
def overlaps(
    corpus: Path | None,
    index_dir: Path | None,
    fields: tuple[str, ...],
    min_coverage: float,
    min_words: int | None,
    no_update: bool,
    as_json: bool,
) -> None:
    """List every pair of articles in the corpus that shares passages."""
    from . import json_output, render

    lib = open_library(corpus, index_dir, fields, update=not no_update)
    with progress_bar("Comparing candidate pairs") as tick:
        found = lib.overlaps(
            min_coverage,
            align_settings(min_words),
            progress=lambda done, total: tick(done, total, ""),
        )
    ids = {i for o in found for i in (o.a, o.b)}
    refs = {i: lib.article(i) for i in ids}
    if as_json:
        emit_json(json_output.overlaps(found, refs, min_coverage))
    else:
        titles = {k: v.display_title for k, v in refs.items()}
        plain = None if sys.stdout.isatty() else render.overlaps_plain(found, titles)
        print_out(render.overlaps(found, titles), plain)
        _note_learned(lib.learning.newly_in_use)


def _note_learned(n: int) -> None:
    """The word substitutions these passages taught (suggestions, see `variants`)."""
    if n:
        stderr().print(
            f"Learned {n} word substitution{'s' if n != 1 else ''} from these passages:"
            " newsreader variants --learned lists them, --promote makes one a variant.",
            style="dim",
            markup=False,
            highlight=False,
        )


def interrupt(signum: int, frame: object) -> None:
    """Ctrl-C and SIGTERM: stop now, and remember it (see options.INTERRUPTED); the first
    Ctrl-C of `newsreader index` asks it to stop gently (see options.STOP_GENTLY)."""
    if signum == signal.SIGINT and STOP_GENTLY.is_set() and not STOP_ASKED.is_set():
        STOP_ASKED.set()
        return
    INTERRUPTED.set()
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point. Errors inside a command are handled by `user_errors`; these are the
    ones Click raises while reading the command line."""
    signal.signal(signal.SIGTERM, interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt)
    try:
        cli.main(args=argv, prog_name="newsreader", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.UsageError as exc:
        # One line, as every other error (Click's own is three: usage, a hint, the error),
        # printable: it quotes the command line.
        where = exc.ctx.command_path if exc.ctx is not None else "newsreader"
        message = exc.format_message().rstrip(".")
        sys.stderr.write(printable(f"newsreader: error: {message} (see {where} --help)\n"))
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        shown = io.StringIO()
        exc.show(file=shown)
        sys.stderr.write(printable(shown.getvalue()))
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        stderr().print("newsreader: aborted")
        sys.exit(130)
