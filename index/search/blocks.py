"""A segment's postings written a block at a time: held by term in arrays while a segment is
filled (`TermPostings`), and handed to Whoosh's postings writer a block at a time
(`write_postings`).

Whoosh's own writer puts every posting of a segment in its posting pool as a tuple, sorts
them out through run files on disk, reads them back and hands them to its postings writer
one by one, some five calls a posting. Profiled on 6,000 CLICK-ID articles, that was a third
of the workers' time (30 s of 105 writing, 10 of it sorting). Here the postings of a term
are appended to its arrays as they come (articles come in order, so the arrays are sorted),
and the terms sorted once at the end. The segment's files are byte for byte those Whoosh
writes (a test compares them)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from struct import Struct
from typing import Any

from .codec import inlined_term_info


def write_postings(
    pw: Any, ids: array, weights: array, values: list[bytes], lens: list[int] | None
) -> None:
    """A term's postings (in article order) through Whoosh's postings writer `pw`, started
    on the term, a block at a time: as its `add_posting` buffers and writes them one by one.
    `values` holds the postings' non-empty values (none for a format without values);
    `lens`, for a scored field, each article's field length."""
    limit = pw._blocklimit
    n = len(ids)
    for start in range(0, n, limit):
        if start:
            pw._write_block()
        end = min(start + limit, n)
        pw._ids = ids[start:end]
        block_weights = weights[start:end]
        pw._weights = block_weights
        pw._values = values[start:end]
        pw._maxweight = max(0, max(block_weights))
        if lens is not None:
            block_lens = [x for x in lens[start:end] if x]
            if block_lens:
                pw._minlength = min(block_lens)
                pw._maxlength = max(block_lens)


class TermWriter:
    """Terms through Whoosh's field writer `fw`, in order, a field at a time.

    A list short enough to be kept in the term's info (see codec.py) is packed there
    directly, as the codec's writer packs it: three quarters of a segment's terms, for which
    Whoosh's writer makes two term infos and a block each. Such terms are added to the term
    index together, as one write (`_add_held`): adding them one by one, Whoosh's term index
    asked the file for its position and wrote three times a term."""

    def __init__(self, fw: Any) -> None:
        self.fw = fw
        self._held: list[tuple[bytes, bytes]] = []  # inlined terms not yet in the index

    def start_field(self, name: str, field: Any) -> None:
        self.fw.start_field(name, field)

    def finish_field(self) -> None:
        self._add_held()
        self.fw.finish_field()

    def term(
        self, btext: bytes, ids: array, weights: array, values: list[bytes], lens: list[int] | None
    ) -> None:
        """A term's postings (see `write_postings`), after the field's terms before it."""
        fw = self.fw
        pw = fw._postwriter
        n = len(ids)
        if n < pw._inlinelimit and values:
            known = [x for x in lens if x] if lens else None
            info = inlined_term_info(
                min(known) if known else None,
                max(known) if known else 0,
                (tuple(ids), tuple(weights), tuple(values)),
            )
            self._held.append((_FIELD_ID(fw._fieldid) + btext, info))
            return
        self._add_held()
        fw.start_term(btext)
        write_postings(pw, ids, weights, values, lens)
        fw.finish_term()

    def _add_held(self) -> None:
        """The held terms into Whoosh's term index (an OrderedHashWriter), as its `add`
        would add them one by one: each record (lengths, key, value) at its position, the
        position in the ordered index and in the key's hash bucket."""
        held = self._held
        if not held:
            return
        index = self.fw._tindex
        pos = index.dbfile.tell()
        last = index.lastkey
        positions = index.index.append
        buckets, hashfn = index.buckets, index.hashfn
        parts: list[bytes] = []
        add = parts.append
        for key, value in held:
            if key <= last:
                raise ValueError(f"keys must increase: {last!r}..{key!r}")
            last = key
            positions(pos)
            h = hashfn(key)
            buckets[h & 255].append((h, pos))
            add(_LENGTHS(len(key), len(value)))
            add(key)
            add(value)
            pos += 8 + len(key) + len(value)
        index.dbfile.write(b"".join(parts))
        index.lastkey = last
        held.clear()


_FIELD_ID = Struct("!H").pack  # a term's key starts with its field's number (Whoosh's)
_LENGTHS = Struct("!ii").pack  # a term index record's key and value lengths (Whoosh's)


# A posting's numbers as they are held: article, weight (a float's bits), size of the value.
_HELD = Struct("=IfI")


class TermPostings:
    """A segment's postings by field and term, in memory: for each term, its postings'
    numbers in one array (article, weight, size of the value: `_HELD`) and their values in
    one byte string. Two objects a term: most terms of a segment have one posting or two,
    and an object costs some 60 bytes before it holds anything."""

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, tuple[array, bytearray]]] = {}

    def __bool__(self) -> bool:
        return bool(self._fields)

    def add(self, field: str, doc: int, items: Iterable[tuple[bytes, float, bytes | None]]) -> None:
        """An article's postings in one field: (term, weight, value) each."""
        terms = self._fields.get(field)
        if terms is None:
            terms = self._fields[field] = {}
        get, pack = terms.get, _HELD.pack
        for tbytes, weight, value in items:
            held = get(tbytes)
            if held is None:
                held = terms[tbytes] = (array("I"), bytearray())
            if value:
                held[0].frombytes(pack(doc, weight, len(value)))
                held[1].extend(value)
            else:
                held[0].frombytes(pack(doc, weight, 0))

    def write(self, fw: Any, schema: Any, lengths: Any) -> None:
        """Every term's postings through Whoosh's field writer `fw`, in Whoosh's order
        (fields, then terms, by name), letting go of them as they are written.
        `lengths.of(field)`: each article's field length."""
        terms_out = TermWriter(fw)
        for name in sorted(self._fields):
            field = schema[name]
            terms_out.start_field(name, field)
            of = lengths.of(name) if field.scorable else None
            terms = self._fields.pop(name)
            for tbytes in sorted(terms):
                numbers, joined = terms.pop(tbytes)
                ids = numbers[0::3]
                weights = array("f", numbers[1::3].tobytes())
                data = bytes(joined)
                values = []
                end = 0
                for size in numbers[2::3]:
                    if size:
                        values.append(data[end : end + size])
                        end += size
                lens = None if of is None else [of.get(doc, 0) for doc in ids]
                terms_out.term(tbytes, ids, weights, values, lens)
            terms_out.finish_field()
