"""The corpus at a glance, from the catalog alone: articles by outlet, month and language,
the index's size on disk and when it was last updated. Nothing is re-read or re-indexed."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import IndexDamagedError
from .catalog import Catalog
from .layout import Layout
from .stores import catalog_path


@dataclass(frozen=True)
class CorpusStats:
    corpus: str
    index_dir: str
    articles: int
    files: int
    skipped_files: int  # files the last update could not take in
    outlets: list[tuple[str | None, int]]  # most articles first; None: no outlet known
    months: list[tuple[str | None, int]]  # "2019-09", in time order; None: undated
    languages: list[tuple[str | None, int]]
    first_date: str | None
    last_date: str | None
    index_bytes: int
    updated: str | None  # when the last update committed, ISO 8601

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("outlets", "months", "languages"):
            data[key] = [{"name": name, "articles": n} for name, n in data[key]]
        return data


def corpus_stats(corpus: Path, index_dir: Path) -> CorpusStats:
    build = Layout(index_dir).live()
    if build is None or not catalog_path(build).exists():
        raise IndexDamagedError(f"no index at {index_dir}: run `newsreader index`")
    catalog = Catalog(catalog_path(build), readonly=True)
    try:
        db = catalog.db

        def grouped(expr: str, order: str) -> list[tuple[str | None, int]]:
            sql = f"SELECT {expr} AS k, count(*) AS n FROM articles GROUP BY k ORDER BY {order}"
            return [(k, n) for k, n in db.execute(sql)]

        outlets = grouped("outlet", "n DESC, k IS NULL, k")
        months = grouped("substr(date, 1, 7)", "k IS NULL, k")
        languages = grouped("lang", "n DESC, k IS NULL, k")
        first, last = db.execute(
            "SELECT min(date), max(date) FROM articles WHERE date IS NOT NULL"
        ).fetchone()
        files, skipped = db.execute("SELECT count(*), count(reason) FROM files").fetchone()
        return CorpusStats(
            corpus=str(corpus),
            index_dir=str(index_dir),
            articles=catalog.count(),
            files=files,
            skipped_files=skipped,
            outlets=outlets,
            months=months,
            languages=languages,
            first_date=first,
            last_date=last,
            index_bytes=_size(index_dir),
            updated=catalog.get_meta("updated"),
        )
    finally:
        catalog.close()


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue  # a segment Whoosh removed while we were counting
    return total
