"""`newsreader variants`: the word substitutions learned from the corpus's shared passages,
and promoting one into the user's variants file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from ...index import NewsreaderError, promote_variant, variants_file
from .options import (
    emit_json,
    json_option,
    location_options,
    make_library,
    print_out,
    stderr,
    stdout,
)


@click.command("variants")
@location_options
@click.option(
    "--learned",
    is_flag=True,
    help="List the word substitutions learned from shared passages (the default).",
)
@click.option(
    "--promote",
    nargs=2,
    metavar="WORD WORD",
    help="Add two words (the first is the canonical form) to your variants file; the index "
    "is rebuilt on its next update.",
)
@click.option(
    "--min-pairs",
    type=click.IntRange(1),
    default=None,
    help="List substitutions seen in at least this many contexts (default 3).",
)
@json_option
def variants(
    corpus: Path | None,
    index_dir: Path | None,
    learned: bool,
    promote: tuple[str, str] | None,
    min_pairs: int | None,
    as_json: bool,
) -> None:
    """Show the word substitutions learned from the passages articles share (written by
    `related` and `overlaps` runs), or promote one into your variants file."""
    if promote and learned:
        raise click.UsageError("--learned and --promote are alternatives: give one")
    lib = make_library(corpus, index_dir)
    if promote:
        _promote(lib, list(promote), as_json)
        return
    found = lib.learning.learned(min_pairs)
    if as_json:
        emit_json(
            {
                "schema": 1,
                "index_dir": str(lib.index_dir),
                "variants": [v.to_json() for v in found],
            }
        )
        return
    if not found:
        stdout().print(
            Text(
                "No substitutions learned yet: `newsreader overlaps` (or `related`) learns them "
                "from the passages articles share.",
                style="dim",
            )
        )
        return
    table = Table(title="Word substitutions learned from shared passages", title_justify="left")
    table.add_column("word")
    table.add_column("swapped with")
    table.add_column("contexts", justify="right")
    for v in found:
        table.add_row(
            Text(", ".join(v.spellings[0]) or v.terms[0]),
            Text(", ".join(v.spellings[1]) or v.terms[1]),
            str(v.pairs),
        )
    print_out(table)
    if sys.stdout.isatty():
        stdout().print(
            Text(
                "Make one a variant everywhere: newsreader variants --promote WORD WORD",
                style="dim",
            )
        )


def _promote(lib, words: list[str], as_json: bool) -> None:
    seen = lib.learning.find(words)
    spellings = list(words)
    if seen is not None:  # every way the two were written, so that all of them match
        spellings += [*seen.spellings[0], *seen.spellings[1]]
    path = variants_file()
    try:
        line = promote_variant(path, spellings)
    except OSError as exc:
        raise NewsreaderError(f"cannot write {path} ({exc})") from None
    if as_json:
        emit_json({"schema": 1, "variants_file": str(path), "added": line, "rebuild": True})
        return
    stdout().print(Text(f"Added to {path}:\n  {line}"))
    stderr().print(
        "The word lists changed, so the index is rebuilt on its next update "
        "(the next command that reads it, or `newsreader index`).",
        style="dim",
    )
