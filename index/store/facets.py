"""Narrowing a search to some outlets and a span of dates, exactly as the catalog records
them (the same columns `stats` counts, so a filter offered with "Kabar Kita (12)" finds
those 12 articles and no others)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import QueryError
from .catalog import Catalog

_ISO_PART = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class FacetFilter:
    outlets: tuple[str, ...] = ()  # any of these outlets (as the articles name them)
    date_from: str | None = None  # an ISO date or its start: "2023", "2023-10", "2023-10-05"
    date_to: str | None = None  # likewise, inclusive: "2024-06" takes in all of June

    def __post_init__(self) -> None:
        # The catalog compares dates as text: a bound must be zero-padded ISO to compare
        # right, and one that is no date at all would let nothing through, silently.
        # "--outlet 'sindonews '" found nothing: a name is its words, not its spaces.
        object.__setattr__(self, "outlets", tuple(o.strip() for o in self.outlets))
        low, high = iso_bound(self.date_from), iso_bound(self.date_to)
        object.__setattr__(self, "date_from", low)
        object.__setattr__(self, "date_to", high)
        # The upper bound takes in its whole span: 2019-10 is after 2019-09, not 2019.
        if low and high and low[: len(high)] > high:
            raise QueryError(
                f"the dates are the wrong way round: {low} is after {high} (give the"
                " earlier one first)"
            )

    def __bool__(self) -> bool:
        return bool(self.outlets or self.date_from or self.date_to)

    def ids(self, catalog: Catalog) -> set[str]:
        """The articles this filter lets through (undated ones fail a date bound)."""
        rows = self._rows(catalog, self.outlets, "")
        # "--outlet Kompas" for "kompas": the names as written first (as the filter dialog
        # gives them), then those that named no outlet so, in any case.
        named = {outlet for _, outlet in rows}
        missing = tuple(o for o in self.outlets if o not in named)
        if missing:
            rows += self._rows(catalog, missing, " COLLATE NOCASE")
        return {doc for doc, _ in rows}

    def _rows(
        self, catalog: Catalog, outlets: tuple[str, ...], collation: str
    ) -> list[tuple[str, str | None]]:
        where, args = [], []
        if outlets:
            where.append(f"outlet{collation} IN ({','.join('?' * len(outlets))})")
            args.extend(outlets)
        if self.date_from:
            where.append("date >= ?")
            args.append(self.date_from)
        if self.date_to:
            where.append("substr(date, 1, ?) <= ?")
            args.extend([len(self.date_to), self.date_to])
        sql = "SELECT id, outlet FROM articles"
        sql += " WHERE " + " AND ".join(where) if where else ""
        return catalog.db.execute(sql, args).fetchall()


def iso_bound(value: str | None) -> str | None:
    """A date bound as typed (2023, 2023-1, 2023-10-05) in the catalog's form (2023,
    2023-01, 2023-10-05); QueryError for anything else."""
    if value is None or not value.strip():
        return None
    m = _ISO_PART.fullmatch(value.strip())
    try:
        if m is None:
            raise ValueError
        year, month, day = (int(g) if g else None for g in m.groups())
        dt.date(year, month or 1, day or 1)  # a month or day that does not exist fails here
    except ValueError:
        raise QueryError(
            f'cannot read "{value}" as a date: give a year, a month or a day (2023, 2023-10,'
            " 2023-10-05)"
        ) from None
    return "-".join([f"{year:04d}", *(f"{n:02d}" for n in (month, day) if n is not None)])
