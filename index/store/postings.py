"""How the catalog keeps shingle postings: grouped by hash range, one row per range of
2**15 consecutive keys (131,072 ranges for 4-byte keys) and top byte of the article's
number (one row a range below 65,536 articles), each posting in the row's blob as 6
little-endian bytes: the article's number less its top byte (2 bytes), the position (2
bytes), then the key's low 15 bits (2 bytes). A row's number is its range's, then the top
byte (`row_of`). In this process a posting is the number those bytes make with the row's
top byte and a zero byte after the article's (`from_bytes`, `to_bytes`): 8 bytes, which an
array sorts and filters in C. At 22,000 CLICK-ID articles (9 million postings) the number's
third and fourth bytes took 17 MiB, and were the same in every posting of a row.

A row per posting, (key, article, position) in a table without rowid, cost SQLite about 15
bytes a posting for its keys and record headers: 131 MiB for the 9 million postings of
CLICK-ID's 22,000 articles. Grouped, the same postings take 81 MiB as built and 76 MiB
vacuumed (in 4 KiB pages; 77 and 73 in the catalog's 16 KiB).

A lookup reads the rows of an article's keys (about 400 ranges) and finds its keys' postings
in them from the rows' low bits alone (two whole bytes at the end of each posting), counted and
searched in C: the postings of the other keys of a row are never taken apart, and a key too
common to keep is dropped on its count. At 100,000 (synthetic) articles, where a row holds
some 260 postings, a lookup takes 15 ms of CPU so, and took 39 taking every posting of its
rows apart in Python.

A batch's postings are appended to their rows at commit: every row grows a little, as
every page of the one-row-a-posting table did. Until then an article's postings wait in
`PARTS` pieces by key range (`pending_rows`), each already packed and in key order (a worker
sorted them); at commit each range's pieces are merged in key order and cut into rows
(`merged_rows`). A row a posting, handed to SQLite to sort, cost some 2.8 µs a posting to
file and merge (2 million postings: 5.6 s); the pieces, merged here, about half (2.7 s).

Article numbers past `MAX_DOC` cannot be filed (`IndexFullError`: a rebuild numbers the
articles afresh). Positions past `MAX_POSITION` (an article of more than 65,535 content
words, a book rather than a news story) are kept as `MAX_POSITION`: they can only make an
article look more clustered than it is, and alignment checks the words themselves."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from struct import Struct

from ..errors import IndexDamagedError, IndexFullError

# A key's low bits kept in the posting; the rest name its row. At most 15: a posting as a
# number (8 bytes, signed) has them at its top. A commit appends to nearly every row, so
# fewer rows are less work: at 22,000 CLICK-ID articles, 2**14 keys a row made 262,144 rows
# and the commits' appends took 16.6 s; 2**15, 131,072 rows and 13.0 s. A lookup takes as
# long (a row's postings are counted and found in C), and the catalog is 1.5 MB smaller.
SHIFT = 15
_LOW = (1 << SHIFT) - 1
_DOC_MASK = (1 << 32) - 1
MAX_DOC = (1 << 24) - 1
MAX_POSITION = (1 << 16) - 1
TOP_BITS = 8  # an article number's top byte, the last bits of its row's number
_TOP = (1 << TOP_BITS) - 1
_TOP_AT = 16  # where the top byte is in an article's number
_SIZE = 8  # a posting as a number (in an array, and as it waits for the commit)
STORED_SIZE = 6  # a posting as stored: without the number's third and fourth bytes
_KEPT = (0, 1, 4, 5, 6, 7)  # the number's bytes a stored posting keeps, in order
_LOW_AT = 4  # the low bits' offset in a stored posting
_BIG_ENDIAN = sys.byteorder == "big"
_DOC_POS = Struct("<HH")  # a stored posting's article number (less its top byte), position
_LOW_BYTES = Struct("<H").pack
DAMAGED = "the catalog's shingle postings are damaged; run `newsreader index --rebuild`"

# A pending article's postings are kept in this many pieces by key range: merging a batch's
# pieces holds one range of its postings in memory at a time (some 130,000 of 2 million:
# 15 MB at its peak). With 32 ranges, half that, filing an article's pieces took 0.18 ms
# instead of 0.12 (a row of SQLite's each).
# Ranges split the 4-byte keys the build makes; a key beyond them (made elsewhere) waits in
# the first range or the last.
PARTS = 16
_PART_BITS = 32 - PARTS.bit_length() + 1
_LOW_TOP = bytes(b & (_LOW >> 8) for b in range(256))  # a key's second byte, to its low bits


def pending_rows(
    doc: int, keys: array, positions: array
) -> Iterator[tuple[int, int, bytes, bytes]]:
    """An article's postings as they wait for the commit: (piece, article, keys as 8-byte
    little-endian numbers, packed postings) for each range of keys it has some in. A piece
    is the range, after the top byte of the article's number (rows hold the articles of one
    top byte). `keys` is in key order and `positions` goes with it."""
    if keys and not -(1 << 31) <= keys[0] <= keys[-1] < 1 << 31:
        raise ValueError("a shingle key past 4 bytes cannot be filed")
    packed = _packed(doc, keys, positions)
    bounds = [0]
    bounds += [bisect_left(keys, (part - PARTS // 2) << _PART_BITS) for part in range(1, PARTS)]
    bounds.append(len(keys))
    key_bytes = _little_endian(keys if keys.typecode == "q" else array("q", keys))
    for part in range(PARTS):
        start, end = bounds[part], bounds[part + 1]
        if start < end:
            yield (
                (doc >> _TOP_AT) * PARTS + part,
                doc,
                key_bytes[start * 8 : end * 8],
                packed[start * _SIZE : end * _SIZE],
            )


def _packed(doc: int, keys: array, positions: array) -> bytes:
    """The article's postings packed (see the module's docstring), in the order of `keys`.
    On a little-endian machine the bytes are put in place by strided copies (a posting's
    article number, position and low key bits are bytes of numbers this process has), not
    worked out posting by posting."""
    n = len(keys)
    if doc > MAX_DOC:
        raise IndexFullError(
            f"article number {doc:,} is past the {MAX_DOC:,} the shingle postings can hold;"
            " run `newsreader index --rebuild` to number the articles afresh"
        )
    if positions and max(positions) > MAX_POSITION:
        positions = array("i", (min(p, MAX_POSITION) for p in positions))
    if _BIG_ENDIAN or keys.itemsize != 4 or positions.itemsize != 4:
        return _little_endian(
            array(
                "q",
                (
                    ((k & _LOW) << 48) | (p << 32) | doc
                    for k, p in zip(keys, positions, strict=True)
                ),
            )
        )
    out = bytearray(_SIZE * n)
    for i, byte in enumerate(doc.to_bytes(4, "little")):
        if byte:
            out[i::_SIZE] = bytes((byte,)) * n
    at = positions.tobytes()
    out[4::_SIZE] = at[0::4]
    out[5::_SIZE] = at[1::4]
    kb = keys.tobytes()
    out[6::_SIZE] = kb[0::4]
    out[7::_SIZE] = kb[1::4].translate(_LOW_TOP)
    return bytes(out)


# A batch's pending postings, (range, keys, packed postings) a piece, by range and then in
# the order they were added (the articles' order).
PENDING_SELECT = "SELECT part, keys, postings FROM temp.pending ORDER BY part, rowid"


def merged_rows(pieces: Iterable[tuple[int, bytes, bytes]]) -> Iterator[tuple[int, bytes]]:
    """(row, blob to append to it) for every row the pending pieces (PENDING_SELECT) have
    postings for, in row order within a piece; in a row, postings are in key order, then in
    the order their articles were added."""
    import numpy as np  # a build's commits only: a search never loads it

    for piece, group in groupby(pieces, itemgetter(0)):
        top = piece // PARTS
        got = list(group)
        key_bytes = b"".join(g[1] for g in got)
        packed = b"".join(g[2] for g in got)
        del got
        n = len(packed) // _SIZE
        if packed[2::_SIZE].count(top) != n:
            raise ValueError(f"an article number whose top byte is not {top}, in its piece")
        # Sorted as one number a posting: the key (4 bytes, signed, on top), then the
        # article's number less its top byte, then the position. Articles are numbered in
        # the order they are added (a new number is past every other), and an article holds
        # a key once, so this is the key order, then the articles'. Sorted by numpy: at
        # 100,000 articles (67.7 million postings) sorting them in Python took 58 s of the
        # build process's 260 CPU s; sorting positions by a key function before that, more.
        order = bytearray(_SIZE * n)
        for to, source, at in _SORT_LAYOUT:
            order[to::_SIZE] = (packed if source else key_bytes)[at::_SIZE]
        del key_bytes, packed
        numbers = np.sort(np.frombuffer(order, dtype="<i8"))
        del order
        spans, counts = np.unique(numbers >> (32 + SHIFT), return_counts=True)
        wide = numbers.tobytes()
        del numbers
        data = bytearray(STORED_SIZE * n)
        for at, byte in enumerate(_STORED_FROM_SORTED):
            data[at::STORED_SIZE] = wide[byte::_SIZE]
        data[_LOW_AT + 1 :: STORED_SIZE] = data[_LOW_AT + 1 :: STORED_SIZE].translate(_LOW_TOP)
        del wide
        blob = bytes(data)
        end = 0
        for span, count in zip(spans.tolist(), counts.tolist(), strict=True):
            start, end = end, end + count * STORED_SIZE
            yield span << TOP_BITS | top, blob[start:end]


# How `merged_rows` lays out a posting to sort it, a byte at a time: (byte of the number,
# from the packed posting (1) or the key (0), its byte there). Position, article, key.
_SORT_LAYOUT = (
    (0, 1, 4),
    (1, 1, 5),
    (2, 1, 0),
    (3, 1, 1),
    (4, 0, 0),
    (5, 0, 1),
    (6, 0, 2),
    (7, 0, 3),
)
# A stored posting's bytes (see the module's docstring) from that number's.
_STORED_FROM_SORTED = (2, 3, 0, 1, 4, 5)


def row_of(key: int, doc: int) -> int:
    """The row holding an article's posting of a key."""
    return (key >> SHIFT) << TOP_BITS | doc >> _TOP_AT


def rows_of(span: int, top: int) -> list[int]:
    """The rows of a key range (`wanted`) for articles numbered up to `top` (their top
    bytes)."""
    return [span << TOP_BITS | t for t in range((top >> _TOP_AT) + 1)]


def span_of(row: int) -> int:
    """A row's key range (the rows of one range are next to each other in row order)."""
    return row >> TOP_BITS


def to_bytes(postings: array, top: int = 0) -> bytes:
    """A row's blob from its postings as numbers (an array of type "q"), the articles' of
    the row's top byte `top`."""
    wide = _little_endian(postings)
    n = len(postings)
    if wide[3::_SIZE].count(0) != n:
        raise ValueError(f"an article number past {MAX_DOC} cannot be stored")
    if wide[2::_SIZE].count(top) != n:
        raise ValueError(f"an article number whose top byte is not {top}, in its row")
    out = bytearray(STORED_SIZE * n)
    for at, byte in enumerate(_KEPT):
        out[at::STORED_SIZE] = wide[byte::_SIZE]
    return bytes(out)


def from_bytes(data: bytes, top: int = 0) -> array:
    """A row's postings as numbers (`top`: the row's top byte of article numbers)."""
    if not isinstance(data, bytes | bytearray | memoryview) or len(data) % STORED_SIZE:
        # A row whose data is gone (NULL in a damaged page) or cut short.
        raise IndexDamagedError(DAMAGED)
    n = len(data) // STORED_SIZE
    wide = bytearray(n * _SIZE)
    for at, byte in enumerate(_KEPT):
        wide[byte::_SIZE] = data[at::STORED_SIZE]
    if top:
        wide[2::_SIZE] = bytes((top,)) * n
    return _numbers(wide)


def _little_endian(numbers: array) -> bytes:
    if _BIG_ENDIAN:
        numbers = array("q", numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _numbers(data: bytes | bytearray) -> array:
    """Postings as numbers from their 8 little-endian bytes each."""
    out = array("q")
    out.frombytes(data)
    if _BIG_ENDIAN:
        out.byteswap()
    return out


def decode(row: int, data: bytes) -> Iterator[tuple[int, int, int]]:
    """(key, article, position) of each posting in a row."""
    base = span_of(row) << SHIFT
    for v in from_bytes(data, row & _TOP):
        yield base | (v >> 48), v & _DOC_MASK, (v >> 32) & MAX_POSITION


def matching(
    rows: Sequence[tuple[int, bytes]], lows: set[int], most: Callable[[int], int] | None = None
) -> list[tuple[int, int, int]]:
    """The postings of a key range's rows (one for each top byte of article numbers)
    whose keys end in one of `lows` (see `wanted`); with `most`, only those of keys no
    more than `most(key)` articles hold."""
    # The rows' low bits alone, two bytes a posting: a key's postings are counted and found
    # among them in C. A key's two bytes may also stand across two postings' (at an odd
    # offset): such a find is skipped, and a count that may hold some is made exact before
    # it drops a key as too common.
    columns: list[tuple[int, bytes, bytes]] = []
    for row, data in rows:
        if len(data) % STORED_SIZE:
            raise IndexDamagedError(DAMAGED)
        column = bytearray(len(data) // STORED_SIZE * 2)
        column[0::2] = data[_LOW_AT::STORED_SIZE]
        column[1::2] = data[_LOW_AT + 1 :: STORED_SIZE]
        columns.append(((row & _TOP) << _TOP_AT, data, bytes(column)))
    if not columns:
        return []
    exact: list[array] | None = None
    base = span_of(rows[0][0]) << SHIFT
    unpack = _DOC_POS.unpack_from
    out: list[tuple[int, int, int]] = []
    for low in lows:
        pattern = _LOW_BYTES(low)
        held = sum(column.count(pattern) for _, _, column in columns)
        if not held:
            continue
        key = base | low
        if most is not None and held > most(key):
            if exact is None:
                exact = [_lows(column) for _, _, column in columns]
            if sum(a.count(low) for a in exact) > most(key):
                continue
        for top, data, column in columns:
            find = column.find
            at = find(pattern)
            while at >= 0:
                if not at & 1:
                    doc, position = unpack(data, at // 2 * STORED_SIZE)
                    out.append((key, top | doc, position))
                at = find(pattern, at + 1)
    return out


def _lows(column: bytes) -> array:
    out = array("H", column)
    if _BIG_ENDIAN:
        out.byteswap()
    return out


def wanted(keys: Iterable[int]) -> dict[int, set[int]]:
    """Keys as {key range: their low bits}, the ranges to read for them (`rows_of`)."""
    out: defaultdict[int, set[int]] = defaultdict(set)
    for key in keys:
        out[key >> SHIFT].add(key & _LOW)
    return out


def without(row: int, data: bytes, doc: int) -> bytes | None:
    """A row's blob without an article's postings; None when nothing of it was there."""
    top = row & _TOP
    postings = from_bytes(data, top)
    kept = array("q", (v for v in postings if v & _DOC_MASK != doc))
    return None if len(kept) == len(postings) else to_bytes(kept, top)


def shared(rows: Iterable[tuple[int, bytes]], max_docs: int) -> list[tuple[int, int, int]]:
    """A key range's postings (from its rows), ordered by key, of the keys that 2 to
    `max_docs` articles hold (an article holds a key once)."""
    found = sorted(p for row, data in rows for p in decode(row, data))
    counts = Counter(key for key, _, _ in found)
    return [p for p in found if 2 <= counts[p[0]] <= max_docs]
