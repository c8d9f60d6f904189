"""The most frequent words under each short prefix, worked out once per full-text generation
and kept in SQLite in the build beside the full-text index (`prefixes.sqlite`).

A prefix query keeps only its most frequent words (see query.py `_expand`). Finding them
meant walking every term under the prefix in every segment: "men*" has thousands of words
in each of seventeen segments at 22k articles, a tenth of a second before anything was
ranked. Here each 3- and 4-letter prefix with more than STORE_FROM words has its kept words
(with their article counts) and how many words it has in all, so that a query reads one row.

Derived data, like the spelling dictionary: it is made when an update has finished (see
`refresh`), stamped with the full-text state it was made from (`token`), and a table of
another state, a missing or a damaged one is simply not used (the query walks the terms,
with the same result)."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from heapq import nlargest
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

W = TypeVar("W")  # a word, or a word with its counts

FILE = "prefixes.sqlite"
LENGTHS = (3, 4)  # the prefix lengths kept (a query's prefix has at least 3 letters)
# Prefixes with fewer words are walked at query time: a few dozen terms per segment cost
# less than a millisecond, and the table stays small (tens of thousands of rows).
STORE_FROM = 64

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE expansions (
    field TEXT NOT NULL, prefix TEXT NOT NULL, found INTEGER NOT NULL, words TEXT NOT NULL,
    PRIMARY KEY (field, prefix)
) WITHOUT ROWID;
"""

# word -> (articles, deleted ones included, as the term infos count them; the segments that
# have it, bit k for the k-th)
Counts = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class Expansion:
    """What a prefix expands to: the words a query keeps, in the order it keeps them (term
    order, or most frequent first when some were left out), with their article counts, and
    how many words the prefix has in all."""

    words: tuple[tuple[str, int, int], ...]  # word, articles, segments (bit k: the k-th)
    found: int


def token(generation: int, files: Iterable[str]) -> str:
    """The full-text state a table belongs to: its generation and the files it is made of
    (a generation number alone could in principle be written twice)."""
    names = "\n".join(sorted(files))
    return f"{generation}:{zlib.crc32(names.encode('utf-8')):08x}"


def most_frequent(words: list[W], frequency: Callable[[W], int], cap: int) -> list[W]:
    """`words` (in term order; words, or words with their counts) as a prefix keeps them:
    all of them, or the `cap` most frequent, most frequent first (equal counts in term
    order: nlargest sorts stably, and picks `cap` of thousands without sorting them all)."""
    if len(words) <= cap:
        return words
    return nlargest(cap, words, key=frequency)


def expansions(
    counts: Counts, cap: Callable[[str], int], lengths: Sequence[int] = LENGTHS
) -> Iterator[tuple[str, Expansion]]:
    """Each prefix of `lengths` letters with more than STORE_FROM words in `counts` (one
    field's words and their article counts), and what it expands to."""
    groups: dict[str, list[str]] = {}
    for word in sorted(counts):
        for n in lengths:
            if len(word) >= n:
                groups.setdefault(word[:n], []).append(word)
    for prefix, words in groups.items():
        if len(words) <= STORE_FROM:
            continue
        kept = most_frequent(words, lambda w: counts[w][0], cap(prefix))
        yield prefix, Expansion(tuple((w, *counts[w]) for w in kept), len(words))


def _uri(path: Path, mode: str) -> str:
    return f"file:{quote(str(path))}?mode={mode}"


def write(path: Path, stamp: str, fields: dict[str, Counts], cap: Callable[[str], int]) -> None:
    """Make the table of `fields` (each field's words and article counts) for the state
    `stamp`, replacing the one at `path` at once: a reader sees the old table or the new."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    # A table being written when its process died is left over; updates hold the index's
    # lock, so no other process is writing one now.
    for stale in path.parent.glob(f"{path.name}.*.tmp"):
        with suppress(FileNotFoundError):
            stale.unlink()
    db = sqlite3.connect(temp)
    try:
        db.executescript(_SCHEMA)
        db.execute("INSERT INTO meta VALUES ('token', ?)", (stamp,))
        for field, counts in fields.items():
            db.executemany(
                "INSERT INTO expansions VALUES (?, ?, ?, ?)",
                (
                    (field, prefix, e.found, json.dumps(e.words, ensure_ascii=False))
                    for prefix, e in expansions(counts, cap)
                ),
            )
        db.commit()
    finally:
        db.close()
    fd = os.open(temp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)


def stamp_of(path: Path) -> str | None:
    """The state the table at `path` was made from; None when there is none to read."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(_uri(path, "ro"), uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'token'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def refresh(
    folder: Path,
    stamp: str,
    counts: Callable[[], dict[str, Counts]],
    cap: Callable[[str], int],
) -> bool:
    """Make the table of the build in `folder` again unless it is already that of the state
    `stamp`; `counts` gives each field's words and article counts. True when it was made."""
    path = folder / FILE
    if stamp_of(path) == stamp:
        return False
    write(path, stamp, counts(), cap)
    return True


class PrefixTable:
    """A build's table opened for reading, for one full-text state."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    @classmethod
    def open(cls, folder: Path, stamp: str) -> PrefixTable | None:
        """The table of the build in `folder` when it was made from the state `stamp`;
        None when there is none, or one of another state, or one that cannot be read."""
        path = folder / FILE
        if not path.exists():
            return None
        try:
            db = sqlite3.connect(_uri(path, "ro"), uri=True, check_same_thread=False)
            row = db.execute("SELECT value FROM meta WHERE key = 'token'").fetchone()
        except sqlite3.DatabaseError:
            return None
        if not row or row[0] != stamp:
            db.close()
            return None
        return cls(db)

    def get(self, field: str, prefix: str) -> Expansion | None:
        """What `prefix` expands to in `field`; None when the table does not hold it (a
        prefix of another length, or with few words)."""
        if len(prefix) not in LENGTHS:
            return None
        try:
            row = self.db.execute(
                "SELECT found, words FROM expansions WHERE field = ? AND prefix = ?",
                (field, prefix),
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        words = tuple((w, int(n), int(k)) for w, n, k in json.loads(row[1]))
        return Expansion(words, int(row[0]))

    def close(self) -> None:
        self.db.close()
