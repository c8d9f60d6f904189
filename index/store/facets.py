"""Narrowing a search to some outlets and a span of dates, exactly as the catalog records
them (the same columns `stats` counts, so a filter offered with "Kabar Kita (12)" finds
those 12 articles and no others)."""

from __future__ import annotations

from dataclasses import dataclass

from .catalog import Catalog


@dataclass(frozen=True)
class FacetFilter:
    outlets: tuple[str, ...] = ()  # any of these outlets (as the articles name them)
    date_from: str | None = None  # an ISO date or its start: "2023", "2023-10", "2023-10-05"
    date_to: str | None = None  # likewise, inclusive: "2024-06" takes in all of June

    def __bool__(self) -> bool:
        return bool(self.outlets or self.date_from or self.date_to)

    def ids(self, catalog: Catalog) -> set[str]:
        """The articles this filter lets through (undated ones fail a date bound)."""
        where, args = [], []
        if self.outlets:
            where.append(f"outlet IN ({','.join('?' * len(self.outlets))})")
            args.extend(self.outlets)
        if self.date_from:
            where.append("date >= ?")
            args.append(self.date_from)
        if self.date_to:
            where.append("substr(date, 1, ?) <= ?")
            args.extend([len(self.date_to), self.date_to])
        sql = "SELECT id FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
        return {row[0] for row in catalog.db.execute(sql, args)}
