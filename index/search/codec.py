"""The Whoosh 3 codec our segments are written with: a rare term's postings are kept in its
term info, not in a block of the postings file of their own.

Whoosh 3 has this option (`inlinelimit`) but its writer calls a method the term info lacks
(`set_inline` for `set_inlined`), so with any limit above 1 (the default, under which no
list is short enough) writing fails. Such a term's info is ours, shorter than Whoosh's
(`inlined_term_info`; read by terms.py, whose codec the segments name). Most terms of a
news archive are rare:
at 2,500 CLICK-ID articles a segment, inlining lists of up to seven postings took the CPU
time of writing a segment from 5.6 to 3.65 s and its size down by 4% (each block has a
header and a compressed pickle of its own).

Whoosh pickles an inlined list with protocol 2: a float of 9 bytes per weight, a bytes
value as a call to `codecs.encode` with a latin-1 string, and a memo entry after each.
`inlined_pickle` writes the same tuples as a plain protocol 3 pickle (whole weights as
integers, no memo), which any Whoosh reads back with `pickle.loads` as before. At 22,000
CLICK-ID articles the inlined lists took 66 MiB in 17 segments; written so, 20 MiB. A
longer list's blocks are pickled with protocol 3 for the same reason (`BLOCK_PROTOCOL`)."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from functools import lru_cache
from pickle import dumps
from struct import Struct
from typing import Any

# Postings lists shorter than this are kept in their term's info.
INLINE_LIMIT = 8

# A block of postings is pickled with protocol 3, where Whoosh pickles it with protocol 2. In
# protocol 2 a bytes value (a posting's positions) is a call of `_codecs.encode` on a latin-1
# string: some 13 bytes around each value, and a function call to read it back. At 22,000
# CLICK-ID articles the blocks took 55.7 MiB so, compressed, and 35.2 with protocol 3 (the
# exact words' positions 44.2 -> 26.4); pickling and compressing them, 6.7 -> 3.5 s. Any
# Whoosh reads either with `pickle.loads`.
BLOCK_PROTOCOL = 3

# A term's slot in the hash tables of a segment's terms file (12 bytes: its hash and where
# it is) is one of `TABLE_LOAD` times as many slots as terms: Whoosh makes twice as many. A
# reader looks from the term's own slot to the next empty one, whatever the table's size, so
# plain Whoosh reads these tables as its own. At 22,000 CLICK-ID articles (12 segments, some
# 640,000 terms), the slots took 15 MiB; so, 10. A lookup of a term a segment lacks then
# reads about 8 slots instead of 2.5 (linear probing), each a few hundred nanoseconds.
TABLE_LOAD = 0.75
HASH_SLOT = Struct("!Iq")  # a slot: the key's hash, where the key is (Whoosh's layout)


def table_slots(terms: int) -> int:
    """The slots of a hash table of `terms` terms: at least one empty, where a look for a
    missing term stops."""
    return int(terms / TABLE_LOAD) + 1 if terms else 0


# Pickle opcodes (see the `pickletools` module), protocol 3.
_STOP, _MARK, _TUPLE = b".", b"(", b"t"
_TUPLE_OF = {0: b")", 1: b"\x85", 2: b"\x86", 3: b"\x87"}  # EMPTY_TUPLE, TUPLE1..3
_UINT1, _UINT2, _INT4, _FLOAT8 = b"K", b"M", b"J", b"G"  # BININT1, BININT2, BININT, BINFLOAT
_SHORT_BYTES, _BYTES = b"C", b"B"  # SHORT_BINBYTES, BINBYTES
_U2, _I4, _U4, _F8 = Struct("<H").pack, Struct("<i").pack, Struct("<I").pack, Struct(">d").pack


def _number(x: float, out: bytearray) -> None:
    if type(x) is float:
        if not x.is_integer():
            out += _FLOAT8 + _F8(x)
            return
        x = int(x)  # read back equal (2 == 2.0), in 2 bytes instead of 9
    if 0 <= x < 256:
        out += _UINT1 + bytes((x,))
    elif 0 <= x < 65536:
        out += _UINT2 + _U2(x)
    elif -(2**31) <= x < 2**31:
        out += _INT4 + _I4(x)
    else:  # not a document number or a weight Whoosh writes; exact all the same
        out += _FLOAT8 + _F8(x)


def _tuple_end(n: int) -> bytes:
    return _TUPLE_OF.get(n, _TUPLE)


def inlined_pickle(ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]) -> bytes:
    """(ids, weights, values) as tuples, pickled: `pickle.loads` gives them back equal. No
    protocol header: `loads` reads protocol 3's opcodes without one (1 MiB of 518,000 rare
    terms' infos at 22,000 articles)."""
    out = bytearray()
    for numbers in (ids, weights):
        if len(numbers) > 3:
            out += _MARK
        for x in numbers:
            _number(x, out)
        out += _tuple_end(len(numbers))
    if len(values) > 3:
        out += _MARK
    for v in values:
        n = len(v)
        out += (_SHORT_BYTES + bytes((n,)) if n < 256 else _BYTES + _U4(n)) + v
    out += _tuple_end(len(values)) + _tuple_end(3) + _STOP
    return bytes(out)


def inlined_term_info(
    minlength: int | None,
    maxlength: int,
    postings: tuple[Sequence[int], Sequence[float], Sequence[bytes]],
) -> bytes:
    """A rare term's info holding its postings (ids, weights, values), as our codec writes
    it (see terms.py): a mark, the article count and the shortest and longest field (as
    Whoosh 3 writes lengths, a byte each), then the postings as `inlined_pickle` writes them.
    The rest of Whoosh 3's statistics are worked out from the postings when it is read."""
    length_byte = _length_byte()
    head = bytes(
        (
            _COMPACT,
            len(postings[0]),
            0 if minlength is None else length_byte(minlength),
            length_byte(maxlength),
        )
    )
    return head + inlined_pickle(*postings)


# terms.COMPACT, which reads it: that module imports Whoosh's reading code and this one's
# codec class, made on first use, imports it (tests/test_codec.py checks the two agree).
_COMPACT = 2


@lru_cache(maxsize=1)
def _length_byte() -> Any:
    """Whoosh 3's field lengths as a byte (imported on first use: Whoosh's writing code is
    imported only where an index is written)."""
    from whoosh.util.numeric import length_to_byte

    return length_to_byte


def _codec_class() -> type:
    """Made on first use: Whoosh's writing code is imported only where an index is written."""
    from whoosh.codec.whoosh3 import (
        WHOOSH3_HEADER_MAGIC,
        W3FieldWriter,
        W3PostingsWriter,
        W3TermInfo,
    )
    from whoosh.filedb.filetables import OrderedHashWriter
    from whoosh.util.numeric import length_to_byte

    class CompactTermInfo(W3TermInfo):
        def to_bytes(self) -> bytes:
            """W3TermInfo's; with inlined postings, compact (`inlined_term_info`)."""
            if not self.is_inlined():
                return super().to_bytes()
            return inlined_term_info(self._minlength, self._maxlength, self._inlined)

    class InliningPostingsWriter(W3PostingsWriter):
        def start_postings(self, format_: Any, terminfo: Any) -> None:
            super().start_postings(format_, CompactTermInfo())

        def _write_block(self, last: bool = False) -> None:
            """W3PostingsWriter's, with the block's (ids, weights, values) pickled with
            protocol 3 (see `BLOCK_PROTOCOL`); its info as Whoosh pickles it."""
            postfile = self._postfile
            if not self._blockcount:
                postfile.write(WHOOSH3_HEADER_MAGIC)
            self._terminfo.add_block(self)
            data = (self._mini_ids(), self._mini_weights(), self._mini_values())
            databytes = dumps(data, BLOCK_PROTOCOL)
            # Whoosh means to leave a pickle under 20 bytes uncompressed, but then compresses
            # it anyway: so does this, as readers expect nothing else of it.
            compression = self._compression
            if compression:
                databytes = zlib.compress(databytes, compression)
            ids = self._ids
            info = (
                len(ids),
                ids[-1],
                self._maxweight,
                compression,
                length_to_byte(self._minlength),
                length_to_byte(self._maxlength),
            )
            infobytes = dumps(info, 2)
            length = len(infobytes) + len(databytes)
            postfile.write_int(-length if last else length)  # the last block's is negative
            postfile.write(infobytes)
            postfile.write(databytes)
            self._blockcount += 1
            self._new_block()

        def finish_postings(self) -> Any:
            """W3PostingsWriter's, with the term info's method it means to call."""
            terminfo = self._terminfo
            # Not a list without values (an ID's, a date's): Whoosh's list matcher gives
            # such a posting the value "" where its merge wants bytes.
            if not self.written() and len(self) < self._inlinelimit and self._values:
                terminfo.add_block(self)
                terminfo.set_inlined(self._ids, self._weights, self._values)
            else:
                if self._ids:
                    self._write_block(last=True)
                start = self._startoffset
                terminfo.set_extent(start, self._postfile.tell() - start)
            self._terminfo = None  # between terms, as Whoosh marks it
            return terminfo

    class DenserHashWriter(OrderedHashWriter):
        def _write_hashes(self) -> None:
            """HashWriter's, with tables a little more than full by `TABLE_LOAD`."""
            null = (0, 0)
            for entries in self.buckets:
                slots = table_slots(len(entries))
                self.directory.append((self.dbfile.tell(), slots))
                table = [null] * slots
                for keyhash, position in entries:
                    slot = (keyhash >> 8) % slots  # where a reader starts looking
                    while table[slot] != null:
                        slot = (slot + 1) % slots
                    table[slot] = (keyhash, position)
                self.dbfile.write(b"".join(HASH_SLOT.pack(*entry) for entry in table))

    class TermsWriter(W3FieldWriter):
        def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
            super().__init__(codec, storage, segment)
            # The same writer (its header is written), its tables made denser at the end.
            self._tindex.__class__ = DenserHashWriter

    from .terms import ReadingCodec

    class InliningCodec(ReadingCodec):
        def field_writer(self, storage: Any, segment: Any) -> Any:
            return TermsWriter(self, storage, segment)

        def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
            return InliningPostingsWriter(
                dbfile,
                blocklimit=self._blocklimit,
                byteids=byteids,
                compression=self._compression,
                inlinelimit=self._inlinelimit,
            )

        def __reduce__(self) -> Any:
            # A segment keeps its codec in the index's table of contents, where a reader
            # needs only the reading side (terms.py).
            return (ReadingCodec, (self._blocklimit, self._compression, self._inlinelimit))

    return InliningCodec


def writing_codec() -> Any:
    """The codec a new segment is written with."""
    return _codec_class()(inlinelimit=INLINE_LIMIT)
