"""How record files name their fields: defaults, the corpus's `newsreader.toml`, and the
`--field NAME=COLUMN` options of the command line (carried in `Limits.fields`).

For each article field the names are tried in order, first those the command line gives,
then those of `newsreader.toml`, then the defaults; the first one with a non-empty value
wins. A field set to an empty list (`author = []`, or `--field author=`) is not read from
records at all, so that a dump's unrelated column of the same name cannot leak in.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ...errors import ConfigError

CONFIG_NAME = "newsreader.toml"  # per-corpus settings, at the top of a corpus folder
FIELDS = ("id", "title", "body", "outlet", "author", "date", "url", "lang")
DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid", "uuid", "article_id"),
    "title": ("title", "headline", "judul"),
    "body": ("body", "text", "content", "isi", "article", "konten", "full_text", "fulltext"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher", "media"),
    "author": ("author", "authors", "byline", "penulis", "reporter", "writer"),
    "date": (
        "date",
        "published",
        "published_at",
        "publish_date",
        "pubdate",
        "datetime",
        "tanggal",
        "waktu",
        "timestamp",
        "created_at",
    ),
    "url": ("url", "link", "href", "permalink"),
    "lang": ("lang", "language", "bahasa"),
}
DATE_ORDERS = ("DMY", "MDY", "YMD")
_DELIMITERS = {",": ",", ";": ";", "\\t": "\t", "\t": "\t", "tab": "\t", "|": "|"}


@dataclass(frozen=True)
class RecordConfig:
    """Everything a record reader needs to know beyond the file itself."""

    names: dict[str, tuple[str, ...]]  # article field → record field names, lower case
    date_order: str = "DMY"  # how to read 03/07/2024; Indonesian sources write day first
    delimiter: str | None = None  # CSV; None: guessed from the header line

    def fingerprint(self) -> str:
        """Changes whenever the articles read with this configuration could change."""
        parts = [f"{k}={','.join(v)}" for k, v in sorted(self.names.items())]
        parts += [self.date_order, self.delimiter or ""]
        return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def parse_field_options(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`--field body=isi --field author=` → (("body", "isi"), ("author", "")), checked."""
    out: list[tuple[str, str]] = []
    for value in values:
        name, sep, column = value.partition("=")
        name = name.strip().lower()
        if not sep or name not in FIELDS:
            raise ConfigError(
                f'--field "{value}": write FIELD=NAME, where FIELD is one of '
                f"{', '.join(FIELDS)} (an empty NAME turns the field off)"
            )
        out.append((name, column.strip()))
    return tuple(out)


def record_config(root: Path, cli_fields: tuple[tuple[str, str], ...] = ()) -> RecordConfig:
    """The configuration for record files under `root`: its `newsreader.toml` (read again
    only when the file changes) with the command line's field names on top."""
    path = root / CONFIG_NAME
    try:
        st = path.stat()
        stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None
    return _resolve(_settings_file(str(path), stamp), cli_fields, path)


@lru_cache(maxsize=16)
def _settings_file(path: str, stamp: tuple[int, int] | None) -> dict:
    # Keyed on the file's time and size: read again only when the file changes.
    return _load(Path(path)) if stamp is not None else {}


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: unreadable ({exc.strerror or exc})") from None
    unknown = set(data) - {"fields", "dates", "csv"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{sorted(unknown)[0]}] (sections: [fields], [dates], [csv])"
        )
    return data


def _resolve(data: dict, cli_fields: tuple[tuple[str, str], ...], path: Path) -> RecordConfig:
    from_file = data.get("fields", {})
    if not isinstance(from_file, dict):
        raise ConfigError(f'{path}: [fields] must be a table of FIELD = "name"')
    for name, value in from_file.items():
        if name not in FIELDS:
            raise ConfigError(
                f'{path}: unknown field "{name}" in [fields] (fields: {", ".join(FIELDS)})'
            )
        if not (
            isinstance(value, str)
            or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        ):
            raise ConfigError(f"{path}: [fields] {name} must be a name or a list of names")
    names: dict[str, tuple[str, ...]] = {}
    for name in FIELDS:
        cli = [c for f, c in cli_fields if f == name]
        file_value = from_file.get(name)
        file_names = [file_value] if isinstance(file_value, str) else list(file_value or [])
        off = (cli and not any(cli)) or (file_value is not None and not any(file_names))
        if off:
            names[name] = tuple(c.lower() for c in cli if c)  # only what the CLI asks for
            continue
        ordered = [*cli, *file_names, *DEFAULT_NAMES[name]]
        names[name] = tuple(dict.fromkeys(n.strip().lower() for n in ordered if n.strip()))
    dates = data.get("dates", {})
    order = str(dates.get("order", "DMY")).upper() if isinstance(dates, dict) else "?"
    if order not in DATE_ORDERS:
        raise ConfigError(f"{path}: [dates] order must be one of {', '.join(DATE_ORDERS)}")
    csv_table = data.get("csv", {})
    raw = csv_table.get("delimiter") if isinstance(csv_table, dict) else None
    if raw is not None and raw not in _DELIMITERS:
        raise ConfigError(f'{path}: [csv] delimiter must be one of , ; | "\\t"')
    return RecordConfig(names, order, _DELIMITERS[raw] if raw is not None else None)


def corpus_root(abspath: Path, rel: str) -> Path:
    """The corpus folder, from a file's absolute path and its path relative to the folder
    (readers get both, not the root itself)."""
    depth = len(Path(rel).parts)
    return abspath.parents[depth - 1]
