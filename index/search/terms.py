"""How a segment's term infos are read: Whoosh 3's, and the compact one our codec writes for
a rare term (`codec.inlined_term_info`).

Whoosh 3's term info is 23 bytes of statistics (total weight, article count, shortest and
longest field, largest weight, first and last article) before a rare term's inlined
postings, which hold all of them but the field lengths. Ours keeps a mark, the article
count and the two lengths (4 bytes), and works out the rest from the postings as it reads
them. At 22,000 CLICK-ID articles (12 segments, 518,000 rare terms) that was 9.4 MiB of
the full text's 86. Readers meet it through `ReadingCodec`, the codec a segment written
here keeps in the index's table of contents, and through `decode` where this package
reads a terms file itself."""

from __future__ import annotations

import struct
from pickle import loads
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldCursor, W3TermInfo, W3TermsReader
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

HEAD = 4  # its mark, article count and two field lengths, before its pickled postings
COMPACT = 2  # a compact term info's first byte (Whoosh's is 0, or 1 when inlined)
_FLOAT32 = struct.Struct("f")
_DOC_FREQUENCY = struct.Struct("!BfI")  # the start of a Whoosh 3 term info


def _as_float32(x: float) -> float:
    """`x` as Whoosh 3's term info gives it back (a 4-byte float)."""
    return _FLOAT32.unpack(_FLOAT32.pack(x))[0]


def decode(value: bytes) -> W3TermInfo:
    """A term info from its bytes in a terms file, Whoosh 3's or compact."""
    if value[0] != COMPACT:
        return W3TermInfo.from_bytes(value)
    ids, weights, values = loads(value[HEAD:])
    info = W3TermInfo()
    info._weight = _as_float32(sum(weights))
    info._df = value[1]
    info._minlength = byte_to_length(value[2])
    info._maxlength = byte_to_length(value[3])
    info._maxweight = _as_float32(max(weights))
    info._minid = ids[0]
    info._maxid = ids[-1]
    info._inlined = (ids, weights, values)
    return info


def doc_frequency(value: bytes) -> int:
    """A term info's article count, from its bytes."""
    return value[1] if value[0] == COMPACT else _DOC_FREQUENCY.unpack_from(value)[2]


class TermsReader(W3TermsReader):
    """Whoosh 3's terms reader, for compact term infos too."""

    def items(self) -> Any:
        keydecoder = self._keydecoder
        return ((keydecoder(k), decode(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname: str, prefix: bytes) -> Any:
        keydecoder = self._keydecoder
        start = self._keycoder(fieldname, prefix)
        return ((keydecoder(k), decode(v)) for k, v in self._tindex.items_from(start))

    def term_info(self, fieldname: str, tbytes: bytes) -> W3TermInfo:
        try:
            return decode(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    def frequency(self, fieldname: str, tbytes: bytes) -> float:
        return self.term_info(fieldname, tbytes).weight()

    def doc_frequency(self, fieldname: str, tbytes: bytes) -> int:
        datapos, datalen = self._range_for_key(fieldname, tbytes)
        return doc_frequency(self._dbfile.get(datapos, min(datalen, _DOC_FREQUENCY.size)))

    def cursor(self, fieldname: str, fieldobj: Any) -> Any:
        return FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)


class FieldCursor(W3FieldCursor):
    def term_info(self) -> W3TermInfo | None:
        if self._pos is None:
            return None
        return decode(self._tindex.dbfile.get(self._datapos, self._datalen))


class ReadingCodec(W3Codec):
    """Whoosh 3's codec, its terms read by `TermsReader`: what a segment written here keeps
    in the index's table of contents (module level, so that pickle finds it by name)."""

    def terms_reader(self, storage: Any, segment: Any) -> TermsReader:
        name = segment.make_filename(self.TERMS_EXT)
        return TermsReader(
            self,
            storage.open_file(name),
            storage.file_length(name),
            segment.open_file(storage, self.POSTS_EXT),
        )
