"""Spelling candidates for "did you mean": the corpus's words in a symmetric-delete
dictionary (SymSpell's method), kept in SQLite in the build beside the full-text index.

Every word is filed under each string it becomes with up to MAX_DISTANCE letters deleted
(from its first PREFIX letters); a query word's own deletions then meet its neighbours
within that edit distance in one indexed look-up, instead of a scan of the whole lexicon.
SQLite rather than an in-memory dictionary (symspellpy's), because a search process reads
a few rows per unknown word, where loading a pickled dictionary of a few thousand articles
already takes half a second.

The dictionary only grows: a word whose last article is gone stays filed, and callers
check a candidate's article count in the index before offering it. It is derived from the
full text's `words` field alone, so it is refreshed after an update has committed (see
`refresh`; an update files each batch's words as it commits the batch, `add_words`), and a
damaged one is simply made again.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from itertools import combinations
from pathlib import Path
from urllib.parse import quote

FILE = "spelling.sqlite"
MAX_DISTANCE = 2
# Longer words are filed by their first letters only. SymSpell's default is 7; with 6, the
# 90,000 words of 22,000 CLICK-ID articles are filed under 346,000 deletions instead of
# 780,000 (1.7 million filings instead of 2.1), and a look-up meets a few more words to
# check. A word within the distance is found either way: its first letters are too.
PREFIX = 6
_BATCH = 500
_FILE_AT_ONCE = 5000  # words whose deletions are worked out and filed together
_UPSERT = True  # on SQLite 3.24 and later (see Speller._file)

# Each deletion lists the words filed under it by their numbers (varints, in filing order):
# two or three bytes a word instead of the word and a space (at 22,000 articles the lists
# took 31 MB as text). FORMAT tells this layout from an earlier one (or another PREFIX),
# which is made again.
FORMAT = "3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS words (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS deletes (h INTEGER PRIMARY KEY, ids BLOB NOT NULL);
"""


def deletions(word: str, distance: int) -> set[str]:
    """`word` (its first PREFIX letters) with up to `distance` letters deleted, never all
    of them: the letters it keeps, in order, as C-level `combinations` give them (a third
    of the time of deleting a letter at a time)."""
    key = word[:PREFIX]
    out = {key}
    for keep in range(max(1, len(key) - distance), len(key)):
        out.update(map("".join, combinations(key, keep)))
    return out


def _key(text: str) -> int:
    # A stable hash (Python's own is salted per process); a collision only adds a candidate
    # that the edit distance check then drops.
    return zlib.crc32(text.encode("utf-8"))


def distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (an adjacent swap is one edit), or limit + 1 when
    it is over `limit`. Only the cells within `limit` of the diagonal are worked out (any
    other is over the limit), each capped at limit + 1: a look-up checks a few dozen
    candidates, and the whole table with `min()` in each cell was most of its time."""
    la, lb = len(a), len(b)
    over = limit + 1
    if abs(la - lb) > limit:
        return over
    prev2: list[int] = []
    prev = [j if j <= limit else over for j in range(lb + 1)]
    for i in range(1, la + 1):
        cur = [over] * (lb + 1)
        if i <= limit:
            cur[0] = i
        best = cur[0]
        ai = a[i - 1]
        for j in range(max(1, i - limit), min(lb, i + limit) + 1):
            d = prev[j - 1] + (ai != b[j - 1])
            if prev[j] + 1 < d:
                d = prev[j] + 1
            if cur[j - 1] + 1 < d:
                d = cur[j - 1] + 1
            if i > 1 and j > 1 and ai == b[j - 2] and a[i - 2] == b[j - 1] and prev2[j - 2] + 1 < d:
                d = prev2[j - 2] + 1
            if d > over:
                d = over
            cur[j] = d
            if d < best:
                best = d
        if best > limit:
            return over
        prev2, prev = prev, cur
    return prev[lb]


def spellable(word: str) -> bool:
    """Words worth offering as a correction: letters only (never numbers), two or more."""
    return len(word) >= 2 and word.isalpha()


def _uri(path: Path, mode: str | None = None) -> str:
    """An SQLite URI for `path` (quoted: a folder may be called "#1" or "50%")."""
    uri = "file:" + quote(str(path))
    return f"{uri}?mode={mode}" if mode else uri


class Speller:
    def __init__(self, path: Path, *, readonly: bool = True) -> None:
        self.path = path
        self.db = sqlite3.connect(
            _uri(path, "ro" if readonly else None), uri=True, timeout=30, check_same_thread=False
        )
        try:
            if not readonly:
                fresh = not self.db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
                self.db.executescript(_SCHEMA)
                if fresh:
                    with self.db:
                        self.db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            row = self.db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is None or row[0] != FORMAT:
                raise sqlite3.DatabaseError("a spelling dictionary of an earlier format")
        except BaseException:
            self.db.close()
            raise

    @classmethod
    def open(cls, folder: Path) -> Speller | None:
        """The dictionary of the build in `folder`, or None when it has none, or none that
        can be read (suggestions are then off; `newsreader index` makes it again)."""
        path = folder / FILE
        if not path.exists():
            return None
        try:
            return cls(path)
        except sqlite3.Error:
            return None

    def close(self) -> None:
        self.db.close()

    def generation(self) -> int | None:
        """The full-text generation whose words the dictionary holds (None: not known)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        try:
            return int(row[0]) if row else None
        except ValueError:
            return None

    def empty(self) -> bool:
        return self.db.execute("SELECT 1 FROM words LIMIT 1").fetchone() is None

    def set_generation(self, generation: int) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(generation),)
            )

    def add(self, words: Iterable[str]) -> int:
        """File the words not filed yet; the number filed."""
        wanted = sorted({w for w in words if spellable(w)})
        known: set[str] = set()
        for chunk in _chunks(wanted):
            marks = ",".join("?" * len(chunk))
            known.update(
                row[0]
                for row in self.db.execute(f"SELECT word FROM words WHERE word IN ({marks})", chunk)
            )
        new = [w for w in wanted if w not in known]
        if not new:
            return 0
        # Filed some thousands of words at a time, each lot after the ones before (as in one
        # go): the deletions of a whole archive's words at once took hundreds of MB.
        with self.db:
            for lot in _chunks(new, _FILE_AT_ONCE):
                self._file(lot)
        return len(new)

    def _file(self, new: list[str]) -> None:
        # Numbered in the order filed, as rows are given numbers: one after the highest.
        (top,) = self.db.execute("SELECT coalesce(max(id), 0) FROM words").fetchone()
        first = top + 1
        upsert = _UPSERT and sqlite3.sqlite_version_info >= (3, 24)
        # Taken by SQLite as they are made, unless filed lists must be read back first.
        filings: Iterable[tuple[int, bytes]] = _filings(new, first)
        if top and not upsert:
            lists = dict(filings)
            for chunk in _chunks(list(lists)):
                marks = ",".join("?" * len(chunk))
                for h, filed in self.db.execute(
                    f"SELECT h, ids FROM deletes WHERE h IN ({marks})", chunk
                ):
                    lists[h] = filed + lists[h]
            filings = lists.items()
        self.db.executemany(
            "INSERT INTO words VALUES (?, ?)", ((n, w) for n, w in enumerate(new, first))
        )
        # In key order, the table's pages are written one after the other, not at random.
        # SQLite appends to a filed list itself (an upsert, from 3.24 on): a fifth less time
        # than reading the lists back here (a 22,000-article build's 90,000 words filed in
        # seven lots, 10.9 -> 8.6 CPU s). `||` makes text of blobs: cast back, byte for byte.
        self.db.executemany(
            "INSERT INTO deletes VALUES (?, ?) ON CONFLICT(h) DO UPDATE"
            " SET ids = CAST(ids || excluded.ids AS BLOB)"
            if upsert
            else "INSERT OR REPLACE INTO deletes VALUES (?, ?)",
            filings,
        )

    def lookup(self, word: str, max_distance: int) -> Iterator[tuple[str, int]]:
        """Filed words within `max_distance` edits of `word` (itself excluded), with their
        distance."""
        max_distance = min(max_distance, MAX_DISTANCE)
        keys = [_key(d) for d in deletions(word, max_distance)]
        order: dict[int, None] = {}  # the words' numbers, each once, in the order met
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            for (filed,) in self.db.execute(f"SELECT ids FROM deletes WHERE h IN ({marks})", chunk):
                order.update(dict.fromkeys(_unpack_ids(filed)))
        numbered: dict[int, str] = {}
        for chunk in _chunks(list(order)):
            marks = ",".join("?" * len(chunk))
            numbered.update(
                self.db.execute(f"SELECT id, word FROM words WHERE id IN ({marks})", chunk)
            )
        seen: set[str] = {word}
        for number in order:
            candidate = numbered.get(number)
            if candidate is None or candidate in seen:
                continue
            seen.add(candidate)
            d = distance(word, candidate, max_distance)
            if d <= max_distance:
                yield candidate, d


def _pack_ids(ids: list[int]) -> bytes:
    """Word numbers as unsigned LEB128 varints."""
    out = bytearray()
    for n in ids:
        while n > 0x7F:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out)


def _filings(new: list[str], first: int) -> Iterator[tuple[int, bytes]]:
    """(deletion's key, the numbers of the words `new`, numbered from `first`, filed under
    it, packed as `_pack_ids` packs them) in key order. Worked out by numpy: a list a key,
    a number appended at a time, took half the filing's time (1.7 million filings for the
    85,000 words of 22,000 articles). A deletion's list only grows at its end (numbers are
    given in filing order), so these bytes follow the filed ones as they are."""
    if not new:
        return
    import numpy as np  # a build's filing only: a search process never loads it

    # The keys as numbers as they come (a word's deletions as strings, held for a whole
    # lot, took twice the room).
    found: list[int] = []
    counts: list[int] = []
    for w in new:
        dropped = deletions(w, MAX_DISTANCE)
        counts.append(len(dropped))
        found += map(zlib.crc32, map(str.encode, dropped))  # _key, inline
    keys = np.array(found, dtype=np.int64)
    del found
    numbers = np.repeat(np.arange(first, first + len(new), dtype=np.int64), counts)
    order = np.argsort(keys, kind="stable")  # a key's numbers stay in filing order
    keys, numbers = keys[order], numbers[order]
    # Each number as an unsigned LEB128 varint, all of them in one byte string.
    size = np.ones(len(numbers), dtype=np.int64)
    for bits in range(7, 64, 7):
        size += numbers >= 1 << bits
    ends = np.cumsum(size)
    packed = np.zeros(int(ends[-1]), dtype=np.uint8)
    starts = ends - size
    for k in range(int(size.max())):
        has = size > k
        low = (numbers[has] >> (7 * k)) & 0x7F
        packed[starts[has] + k] = low | ((size[has] > k + 1) << 7)
    blob = packed.tobytes()
    # The last filing of each key, where its bytes end.
    last = np.flatnonzero(np.append(keys[1:] != keys[:-1], True))
    pairs = zip(keys[last].tolist(), ends[last].tolist(), strict=True)
    del keys, numbers, order, size, ends, packed, starts, last
    start = 0
    for key, end in pairs:
        yield key, blob[start:end]
        start = end


def _unpack_ids(blob: bytes) -> list[int]:
    out: list[int] = []
    n = shift = 0
    for byte in blob:
        n |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(n)
            n = shift = 0
    return out


def _chunks(items: list, size: int = _BATCH) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def refresh(
    folder: Path,
    every_word: Callable[[], Iterable[str]],
    generation: int,
    *,
    since: int | None = None,
    words: Iterable[str] = (),
    fresh: bool = False,
) -> None:
    """Bring the dictionary of the build in `folder` up to date with the words of its
    full-text index (`every_word` gives its `words` field), as committed at `generation`.
    `words`: the words of the articles written since generation `since`, which is all there
    is to add when the dictionary holds `since`, or when `fresh` (the index was empty at
    `since`) and the dictionary is too; otherwise every word of the index is looked at
    (reading all of a 22,000-article index's words took Whoosh 370 MB). A dictionary that
    cannot be read is made again."""
    path = folder / FILE
    try:
        _refresh(path, every_word, generation, since, words, fresh)
    except sqlite3.OperationalError:
        raise  # a full disk, a lock: not the dictionary's fault
    except sqlite3.DatabaseError:
        for name in (FILE, FILE + "-journal"):
            with suppress(FileNotFoundError):
                (folder / name).unlink()
        _refresh(path, every_word, generation, None, (), False)
    if fresh:
        _vacuum(path)


def _vacuum(path: Path) -> None:
    """Write a dictionary filled from nothing again without the room its inserts left in
    its pages (a deletion's row goes where its hash falls): at 22,000 articles 12.2 -> 11.3
    MiB, in 0.2 s. A failure (a reader's lock) leaves it as it was."""
    db = sqlite3.connect(path)
    try:
        with suppress(sqlite3.OperationalError):
            db.execute("VACUUM")
    finally:
        db.close()


def add_words(
    folder: Path, generation: int, *, since: int, words: Iterable[str], fresh: bool = False
) -> bool:
    """What `refresh` does when `words` are all there is to add, and only then: an update
    files each batch's words as it commits it, so that little is left for its end. False,
    with nothing done, when the dictionary does not hold `since` or cannot be read (the
    update's `refresh` then sees to it)."""
    try:
        return _refresh(folder / FILE, None, generation, since, words, fresh)
    except sqlite3.OperationalError:
        raise
    except sqlite3.DatabaseError:
        return False


def _refresh(
    path: Path,
    every_word: Callable[[], Iterable[str]] | None,
    generation: int,
    since: int | None,
    words: Iterable[str],
    fresh: bool,
) -> bool:
    speller = Speller(path, readonly=False)
    try:
        held = speller.generation()
        if since is not None and (held == since or (fresh and held is None and speller.empty())):
            speller.add(words)
        elif every_word is None:
            return False
        else:
            speller.add(every_word())
        speller.set_generation(generation)
    finally:
        speller.close()
    return True


def problems(folder: Path) -> list[str]:
    """What is wrong with the build's dictionary, for `index --check` (a build without one
    has suggestions off until an update finishes: not a problem)."""
    path = folder / FILE
    if not path.exists():
        return []
    try:
        speller = Speller(path)
    except sqlite3.Error as exc:
        return [f"cannot be read ({exc}); `newsreader index` makes it again"]
    try:
        rows = [r[0] for r in speller.db.execute("PRAGMA integrity_check(20)")]
    except sqlite3.Error as exc:
        rows = [str(exc)]
    finally:
        speller.close()
    if rows == ["ok"]:
        return []
    return [f"{row}; `newsreader index` makes it again" for row in rows]
