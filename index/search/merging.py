"""Merging Whoosh segments into one, a block of postings at a time.

Whoosh merges a segment by handing each of its postings, one by one, to the new segment's
posting pool, which sorts them all again through run files (they are sorted already) and
writes them out one by one. At 22,000 CLICK-ID articles in 12 segments that took 110 s of
CPU; at 100,000 synthetic articles, the build's last commit merged 21 segments of 39,600
articles in 326 s, in one process, with the workers idle.

Here the segments' terms are merged in order (each segment's are sorted), and each term's
postings are read a block at a time, renumbered as one array and written in blocks as
Whoosh writes them: the postings, their weights, values, lengths and the term statistics
come out as Whoosh's own merge makes them (a test compares the two). Documents keep their
order: the first segment's first. A segment with deleted documents is merged Whoosh's way,
which leaves them out."""

from __future__ import annotations

import heapq
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate, groupby
from pickle import loads
from typing import Any

from .blocks import TermWriter

Merged = Callable[[float], None]  # how far a merge has got: the share of its terms written


def merge_into(writer: Any, segments: Sequence[Any], progress: Merged | None = None) -> None:
    """Add the documents of `segments` (of `writer`'s index) to the new segment `writer`
    (a Whoosh `SegmentWriter` that holds no documents of its own yet), and finish writing
    it. Its segment is then `writer.get_segment()`. `progress` is told, now and then, the
    share of the segments' terms merged so far."""
    from whoosh.reading import SegmentReader

    if writer._added or writer.docnum:
        raise ValueError("the writer's segment already holds documents")
    # Every segment is open at once. Mapped (Whoosh's default), each reader would copy its
    # terms and postings files whole into memory (Whoosh reads a mapped part of a file
    # through a BytesIO of it): 476 MiB for 21 segments of 100,000 articles, which Whoosh's
    # merge, a segment at a time, never holds together. Read from the files, the merge of
    # CLICK-ID's 12 segments peaks at 63 MiB instead of 304, and takes a fifth longer.
    storage = writer.storage
    if getattr(storage, "supports_mmap", False):
        from whoosh.filedb.filestore import FileStorage

        storage = FileStorage(storage.folder, supports_mmap=False, readonly=True)
    readers = [SegmentReader(storage, writer.schema, s) for s in segments]
    try:
        if any(r.has_deletions() for r in readers):
            for r in readers:
                writer.add_reader(r)
            writer._finalize_segment()
            return
        names = set(writer.schema.names())
        bases = []
        for r in readers:
            bases.append(writer.docnum)
            writer.write_per_doc(names | set(r.indexed_field_names()), r)
        writer._added = True
        writer.perdocwriter.close()
        _merge_postings(writer.fieldwriter, writer.schema, readers, bases, progress)
        writer._close_segment()
        writer._assemble_segment()
    finally:
        for r in readers:
            r.close()


def _terms(k: int, reader: Any, schema: Any) -> Iterator[tuple[tuple[str, bytes], int, Any]]:
    for key, info in reader._terms.items():
        if key[0] in schema:
            yield key, k, info


def _merge_postings(
    fw: Any, schema: Any, readers: list[Any], bases: list[int], progress: Merged | None = None
) -> None:
    lengths: dict[tuple[int, str], list[int]] = {}
    # Told by the segments' term entries read: the postings are most of a merge's time
    # (82 s at the end of a 100,000-article build, with nothing else to show).
    total = sum(_term_count(r) for r in readers)
    step = max(total // PROGRESS_STEPS, 1)
    read = 0
    if progress is not None:
        progress(0.0)

    def lengths_of(k: int, field: str) -> list[int]:
        got = lengths.get((k, field))
        if got is None:
            r = readers[k]
            dfl = r.doc_field_length
            got = lengths[k, field] = [dfl(d, field, 0) for d in range(r.doc_count_all())]
        return got

    streams = [_terms(k, r, schema) for k, r in enumerate(readers)]
    merged = heapq.merge(*streams, key=lambda item: item[0])
    out = TermWriter(fw)
    field = None
    fieldobj = None
    for (name, btext), parts in groupby(merged, key=lambda item: item[0]):
        if name != field:
            if field is not None:
                out.finish_field()
            field, fieldobj = name, schema[name]
            out.start_field(name, fieldobj)
        fixed = fieldobj.format.fixed_value_size()
        scorable = fieldobj.scorable
        ids: array = array("I")
        weights: array = array("f")
        values: list[bytes] = []
        lens: list[int] = []
        for _, k, info in parts:
            read += 1
            if progress is not None and not read % step:
                progress(min(read / total, 1.0))
            base = bases[k]
            part_ids, part_weights, part_values = _postings(readers[k], name, btext, info, fixed)
            ids.extend([base + i for i in part_ids])
            weights.extend(part_weights)
            values.extend(part_values)
            if scorable:
                of = lengths_of(k, name)
                lens.extend([of[i] for i in part_ids])
        out.term(btext, ids, weights, values, lens if scorable else None)
    if field is not None:
        out.finish_field()
    if progress is not None:
        progress(1.0)


PROGRESS_STEPS = 200  # how often a merge tells its progress, at most


def _term_count(reader: Any) -> int:
    """How many terms a segment's term index holds (all fields)."""
    return getattr(getattr(reader._terms, "_tindex", None), "indexlen", 0)


def _postings(
    reader: Any, field: str, btext: bytes, info: Any, fixed: int | None
) -> tuple[Sequence[int], Sequence[float], Sequence[bytes]]:
    """A term's postings in one segment: ids, weights, values (as the writer takes them:
    none for a format without values)."""
    if info.is_inlined():
        ids, weights, values = info.inlined_postings()
        return ids, weights, [v for v in values if v] if values else ()
    from whoosh.codec.whoosh3 import W3LeafMatcher

    fieldobj = reader.schema[field]
    m = W3LeafMatcher(reader._terms._postfile, info._offset, info._length, fieldobj.format)
    ids: array = array("I")
    weights: array = array("f")
    values: list[bytes] = []
    while True:
        n = m._blocklength
        data = m._postfile.get(m._dataoffset, m._nextoffset - m._dataoffset)
        if m._compression:
            data = zlib.decompress(data)
        block_ids, block_weights, block_values = loads(data)
        ids.extend(accumulate(block_ids))
        if block_weights is None:
            weights.extend([1.0] * n)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * n)
        else:
            weights.extend(block_weights)
        if fixed is None or fixed < 0:
            values.extend(block_values)
        elif fixed > 0:
            values.extend(block_values[i : i + fixed] for i in range(0, len(block_values), fixed))
        if m._lastblock:
            return ids, weights, values
        m._goto(m._nextoffset)
