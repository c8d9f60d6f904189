"""`newsreader stats`: the corpus at a glance."""

from __future__ import annotations

from pathlib import Path

import click

from .options import (
    emit_json,
    json_option,
    location_options,
    open_library,
    print_out,
    update_option,
)


@click.command("stats")
@location_options
@update_option
@json_option
def stats(corpus: Path | None, index_dir: Path | None, no_update: bool, as_json: bool) -> None:
    """Show the corpus at a glance: articles by outlet, by month and by language, the
    index's size and its last update."""
    from . import render

    lib = open_library(corpus, index_dir, update=not no_update)
    found = lib.stats()
    lib.close()
    if as_json:
        emit_json({"schema": 1, **found.to_json()})
    else:
        print_out(render.stats(found))
