"""What a reader did with a corpus: which articles were read, which are bookmarked
(flagged), and the searches typed. One small SQLite file per corpus in the user data folder
(`<data>/state/`), keyed by article id: never in the corpus, and never in the index folder,
so it survives re-indexing and `--rebuild` (which replaces that folder).

The query terms `is:read`, `is:unread`, `is:bookmarked` (also `is:flagged`, `bookmarked:`)
narrow a search to the articles in that state; `split_state_terms` takes them out of a
query so the full-text parser never sees them, and `search/narrow.py` applies them.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import NewsreaderError
from ..locations import data_home

HISTORY_KEEP = 200

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bookmarks (id TEXT PRIMARY KEY, at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS history (n INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL, at TEXT NOT NULL);
"""


def state_file_for(corpus: Path) -> Path:
    """The state file of a corpus: named after the corpus folder and its full path, like
    its index folder, but under `<data>/state/` so that no index operation touches it."""
    corpus = corpus.resolve()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", corpus.name).strip("-")[:40] or "corpus"
    digest = hashlib.sha1(str(corpus).encode("utf-8")).hexdigest()[:10]
    return data_home() / "state" / f"{slug}-{digest}.sqlite"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class UserState:
    """Read marks, bookmarks and search history of one corpus. Safe to share between
    threads (one connection behind a lock; each call is one short transaction)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=10, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.DatabaseError) as exc:
            raise NewsreaderError(f"cannot open the reading state {path} ({exc})") from None

    @classmethod
    def for_corpus(cls, corpus: Path) -> UserState:
        return cls(state_file_for(corpus))

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def _write(self, sql: str, rows: Iterable[tuple]) -> None:
        with self._lock, self.db:
            self.db.executemany(sql, rows)

    def _ids(self, table: str) -> set[str]:
        with self._lock:
            return {r[0] for r in self.db.execute(f"SELECT id FROM {table}")}

    # -- read marks -----------------------------------------------------------------------
    def read_ids(self) -> set[str]:
        return self._ids("read")

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        if read:
            self._write("INSERT OR IGNORE INTO read VALUES (?, ?)", ((i, _now()) for i in ids))
        else:
            self._write("DELETE FROM read WHERE id=?", ((i,) for i in ids))

    # -- bookmarks ------------------------------------------------------------------------
    def bookmarked_ids(self) -> set[str]:
        return self._ids("bookmarks")

    def bookmarks(self) -> list[tuple[str, str]]:
        """(article id, when it was bookmarked), newest first."""
        with self._lock:
            return list(self.db.execute("SELECT id, at FROM bookmarks ORDER BY at DESC, id"))

    def set_bookmark(self, article_id: str, on: bool = True) -> None:
        if on:
            self._write("INSERT OR IGNORE INTO bookmarks VALUES (?, ?)", [(article_id, _now())])
        else:
            self._write("DELETE FROM bookmarks WHERE id=?", [(article_id,)])

    # -- search history -------------------------------------------------------------------
    def history(self, limit: int = 100) -> list[str]:
        """Earlier searches, oldest first, each once (at its latest use)."""
        with self._lock:
            rows = self.db.execute(
                "SELECT query FROM history GROUP BY query ORDER BY max(n) DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [r[0] for r in reversed(rows)]

    def add_history(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        with self._lock, self.db:
            last = self.db.execute("SELECT query FROM history ORDER BY n DESC LIMIT 1").fetchone()
            if last and last[0] == query:
                return
            self.db.execute("INSERT INTO history (query, at) VALUES (?, ?)", (query, _now()))
            self.db.execute(
                "DELETE FROM history WHERE n <= (SELECT max(n) FROM history) - ?",
                (HISTORY_KEEP,),
            )


# -- state terms in queries -----------------------------------------------------------------
_STATE_TERM = re.compile(
    # "NOT is:read", or "-is:read" as a minus sign excludes a word (`+` requires, as ever).
    r"(?:\b(AND|NOT)\s+(?<![\w:])|(?<!\S)([-+])|(?<![\w:+-]))"
    r"(?:is:(read|unread|bookmarked|flagged)|bookmarked:(?:yes|true)?)(?=\s|\)|$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class StateFilter:
    read: bool | None = None  # True: only read articles; False: only unread ones
    bookmarked: bool | None = None

    def __bool__(self) -> bool:
        return self.read is not None or self.bookmarked is not None

    def terms(self) -> str:
        """The filter written back as query terms."""
        out = []
        if self.read is not None:
            out.append("is:read" if self.read else "is:unread")
        if self.bookmarked is not None:
            out.append("is:bookmarked" if self.bookmarked else "NOT is:bookmarked")
        return " ".join(out)

    def allowed(self, state: UserState) -> tuple[set[str] | None, set[str]]:
        """(ids an article must be among, or None for any; ids it must not be among)."""
        include: set[str] | None = None
        exclude: set[str] = set()
        if self.bookmarked is True:
            include = state.bookmarked_ids()
        elif self.bookmarked is False:
            exclude |= state.bookmarked_ids()
        if self.read is True:
            read = state.read_ids()
            include = read if include is None else include & read
        elif self.read is False:
            exclude |= state.read_ids()
        return include, exclude


def split_state_terms(text: str) -> tuple[str, StateFilter]:
    """The query without its state terms, and the filter they ask for. Terms inside quoted
    phrases are left alone; every state term narrows the whole query (AND), and `NOT`
    before one turns it round."""
    blanked = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), text)
    read: bool | None = None
    bookmarked: bool | None = None
    spans = []
    for m in _STATE_TERM.finditer(blanked):
        spans.append(m.span())
        negated = (m.group(1) or "").upper() == "NOT" or m.group(2) == "-"
        which = (m.group(3) or "bookmarked").lower()
        if which in ("read", "unread"):
            read = (which == "read") != negated
        else:
            bookmarked = not negated
    if not spans:
        return text, StateFilter()
    rest = []
    pos = 0
    for start, end in spans:
        rest.append(text[pos:start])
        pos = end
    rest.append(text[pos:])
    left = " ".join("".join(rest).split())
    if not left.replace("(", "").replace(")", "").strip():
        left = ""  # "(is:read)": the group held the state term only
    return left, StateFilter(read, bookmarked)
