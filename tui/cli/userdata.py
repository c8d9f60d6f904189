"""`newsreader bookmarks` (the articles flagged in the app) and `newsreader keys` (every key
the app answers to, with the id that rebinds it in tui.toml)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table
from rich.text import Text

from .options import (
    emit_json,
    json_option,
    location_options,
    open_library,
    print_out,
    update_option,
)

SCHEMA_VERSION = 1


@click.command("bookmarks")
@location_options
@update_option
@json_option
def bookmarks_cmd(
    corpus: Path | None, index_dir: Path | None, no_update: bool, as_json: bool
) -> None:
    """List the articles flagged in the app (f), newest bookmark first. The same articles
    are found with `newsreader search is:bookmarked`."""
    lib = open_library(corpus, index_dir, update=not no_update)
    state = lib.user_state()
    marks = state.bookmarks()
    read = state.read_ids()
    summaries = {s.id: s for s in lib.summaries()}
    rows = []
    for article_id, when in marks:
        s = summaries.get(article_id)
        rows.append(
            {
                "id": article_id,
                "path": s.path if s else None,
                "title": s.title if s else None,
                "display_title": s.display_title if s else None,
                "outlet": s.outlet if s else None,
                "date": s.date if s else None,
                "bookmarked": when,
                "read": article_id in read,
                "in_index": s is not None,
            }
        )
    if as_json:
        emit_json(
            {
                "schema": SCHEMA_VERSION,
                "corpus": str(lib.corpus),
                "state_file": str(state.path),
                "bookmarks": rows,
            }
        )
        return
    if not rows:
        print_out(Text("No bookmarks yet: press f on an article in the app.", style="dim"))
        return
    table = Table(
        title=f"{len(rows)} bookmark{'s' if len(rows) != 1 else ''}", title_justify="left"
    )
    table.add_column("bookmarked")
    table.add_column("article")
    table.add_column("date")
    for row in rows:
        title = row["display_title"] or "(no longer in the corpus)"
        table.add_row(
            row["bookmarked"][:10],
            Text(title) + Text(f"\n{row['id']}", style="dim"),
            (row["date"] or "")[:10],
        )
    print_out(table)


@click.command("keys")
@json_option
def keys_cmd(as_json: bool) -> None:
    """List every key of the app with its binding id, as your tui.toml sets them. Rebind a
    key in tui.toml under [keys]: "app.quit" = "x"."""
    from .. import keymap
    from ..config import load_settings

    settings = load_settings()
    for problem in settings.problems:
        click.echo(f"newsreader: {problem}", err=True)
    rows = []
    for section, binding in keymap.all_bindings():
        keys = keymap.effective_keys(binding, settings.keys)
        rows.append(
            {
                "id": binding.id,
                "where": section,
                "keys": keys,
                "default": [k for k in binding.key.split(",") if k],
                "does": binding.description,
            }
        )
    if as_json:
        emit_json(
            {
                "schema": SCHEMA_VERSION,
                "config": str(settings.path),
                "problems": list(settings.problems),
                "bindings": rows,
            }
        )
        return
    title = f"Keys (rebind them in {settings.path} under [keys])"
    table = Table(title=Text(title), title_justify="left")
    # The ids and keys are what tui.toml needs, whole: the other columns wrap instead.
    table.add_column("id", min_width=max(len(r["id"]) for r in rows), no_wrap=True)
    table.add_column("keys", no_wrap=True)
    table.add_column("where")
    table.add_column("does")
    for row in rows:
        changed = row["keys"] != row["default"]
        table.add_row(
            row["id"],
            Text(",".join(row["keys"]), style="bold" if changed else ""),
            row["where"],
            row["does"],
        )
    print_out(table, _plain_keys(title, rows))


def _plain_keys(title: str, rows: list[dict]) -> str:
    """The keys as aligned columns of plain text, for a pipe: no line cut or wrapped."""
    cells = [("id", "keys", "where", "does")]
    cells += [(r["id"], ",".join(r["keys"]), r["where"], r["does"]) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(3)]
    lines = [title]
    for c in cells:
        lines.append("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=False)) + "  " + c[3])
    return "\n".join(lines) + "\n"
