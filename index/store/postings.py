"""How the catalog keeps shingle postings: grouped by hash range, one row per range of
2**14 consecutive keys (262,144 rows for 4-byte keys), each posting in the row's blob as
8 little-endian bytes: the article's number (4 bytes), the position (2 bytes), then the
key's low 14 bits (2 bytes).

A row per posting, (key, article, position) in a table without rowid, cost SQLite about 15
bytes a posting for its keys and record headers: 131 MiB for the 9 million postings of
CLICK-ID's 22,000 articles. Grouped, the same postings take 81 MiB as built and 76 MiB
vacuumed (in 4 KiB pages; 77 and 73 in the catalog's 16 KiB).

A lookup reads the rows of an article's keys (about 400) and finds its keys' postings in
them from the rows' low bits alone (two whole bytes at the end of each posting), counted and
searched in C: the postings of the other keys of a row are never taken apart, and a key too
common to keep is dropped on its count. At 100,000 (synthetic) articles, where a row holds
some 260 postings, a lookup takes 15 ms of CPU so, and took 39 taking every posting of its
rows apart in Python.

A batch's postings are appended to their rows at commit: every row grows a little, as
every page of the one-row-a-posting table did. Positions past `MAX_POSITION` (an article of
more than 65,535 content words, a book rather than a news story) are kept as
`MAX_POSITION`: they can only make an article look more clustered than it is, and
alignment checks the words themselves."""

from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from struct import Struct

from ..errors import IndexDamagedError

SHIFT = 14  # a key's low bits kept in the posting; the rest name its row
_LOW = (1 << SHIFT) - 1
_DOC_MASK = (1 << 32) - 1
MAX_POSITION = (1 << 16) - 1
_LOW_AT = 6  # the low bits' offset in a posting
_SIZE = 8
_BIG_ENDIAN = sys.byteorder == "big"
_DOC_POS = Struct("<IH")
_LOW_BYTES = Struct("<H").pack
DAMAGED = "the catalog's shingle postings are damaged; run `newsreader index --rebuild`"

# The postings of a batch as SQLite hands them over for appending, (row, posting) each,
# ordered by key (and article, position). Computed by SQLite: it has the numbers anyway.
PACKED_SELECT = (
    f"SELECT h >> {SHIFT}, ((h & {_LOW}) << 48) | (min(pos, {MAX_POSITION}) << 32) | doc"
    " FROM temp.pending ORDER BY h, doc, pos"
)


def row_of(key: int) -> int:
    """The row holding a key's postings."""
    return key >> SHIFT


def to_bytes(postings: array) -> bytes:
    """A row's blob from its packed postings (an array of type "q")."""
    if _BIG_ENDIAN:
        postings = array("q", postings)
        postings.byteswap()
    return postings.tobytes()


def from_bytes(data: bytes) -> array:
    """A row's packed postings."""
    if len(data) % _SIZE:
        raise IndexDamagedError(DAMAGED)
    out = array("q")
    out.frombytes(data)
    if _BIG_ENDIAN:
        out.byteswap()
    return out


def decode(row: int, data: bytes) -> Iterator[tuple[int, int, int]]:
    """(key, article, position) of each posting in a row."""
    base = row << SHIFT
    for v in from_bytes(data):
        yield base | (v >> 48), v & _DOC_MASK, (v >> 32) & MAX_POSITION


def matching(
    row: int, data: bytes, lows: set[int], most: Callable[[int], int] | None = None
) -> list[tuple[int, int, int]]:
    """The postings of a row whose keys end in one of `lows` (see `wanted`); with `most`,
    only those of keys no more than `most(key)` articles hold."""
    if len(data) % _SIZE:
        raise IndexDamagedError(DAMAGED)
    # The row's low bits alone, two bytes a posting (as stored, whatever this machine's
    # byte order): a key's postings are counted and found among them in C. A key's two
    # bytes may also stand across two postings' (at an odd offset): such a find is skipped,
    # and a count that may hold some is made exact before it drops a key as too common.
    lows_bytes = memoryview(data).cast("H")[_LOW_AT // 2 :: _SIZE // 2].tobytes()
    column: array | None = None
    base = row << SHIFT
    count, find, unpack = lows_bytes.count, lows_bytes.find, _DOC_POS.unpack_from
    out: list[tuple[int, int, int]] = []
    for low in lows:
        pattern = _LOW_BYTES(low)
        held = count(pattern)
        if not held:
            continue
        key = base | low
        if most is not None and held > most(key):
            if column is None:
                column = array("H", lows_bytes)
            if column.count(int.from_bytes(pattern, sys.byteorder)) > most(key):
                continue
        at = find(pattern)
        while at >= 0:
            if not at & 1:
                out.append((key, *unpack(data, at * (_SIZE // 2))))
            at = find(pattern, at + 1)
    return out


def wanted(keys: Iterable[int]) -> dict[int, set[int]]:
    """Keys as {row: their low bits}, the rows to read for them."""
    out: defaultdict[int, set[int]] = defaultdict(set)
    for key in keys:
        out[key >> SHIFT].add(key & _LOW)
    return out


def without(data: bytes, doc: int) -> bytes | None:
    """A row's blob without an article's postings; None when nothing of it was there."""
    postings = from_bytes(data)
    kept = array("q", (v for v in postings if v & _DOC_MASK != doc))
    return None if len(kept) == len(postings) else to_bytes(kept)


def shared(row: int, data: bytes, max_docs: int) -> list[tuple[int, int, int]]:
    """A row's postings, ordered by key, of the keys that 2 to `max_docs` articles hold (an
    article holds a key once)."""
    found = sorted(decode(row, data))
    counts = Counter(key for key, _, _ in found)
    return [p for p in found if 2 <= counts[p[0]] <= max_docs]
