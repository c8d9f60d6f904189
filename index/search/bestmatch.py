"""A long query of plain words ranked in one pass over its words' postings, on Whoosh.

Whoosh ranks a best-match query (an OR of the words' title and body terms) by building a
matcher per term and segment and asking each posting's score of a scorer object: for a
pasted 25-word sentence that is thousands of Python calls per query, and a second pass with
every word required, only to count the articles that have them all, costs as much again.

Here each term's postings are read a block at a time and scored with the same BM25F
formula, the same statistics and the same order of additions as Whoosh's array union
(`PreloadedOr`), so the scores are Whoosh's to the last bit and the top N the same, ties
included (the lower document number first). The articles with every word come from the same
postings: those with all the ranked words, checked for the words left out of the ranking
(the most frequent ones) one by one, which is cheap since few articles are left by then.

A word the analyzer splits into several terms ("20/5/2026") is an And of them; Whoosh adds
their scores in a tree of its own per segment (`_sum_order`), which is rebuilt here.

Used only where it gives Whoosh's answer: plain words whose clauses are terms, BM25F (the
default weighting), no filter or date order (see `WhooshFullText.best_match`)."""

from __future__ import annotations

import heapq
import struct
import zlib
from array import array
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from hashlib import md5
from itertools import accumulate
from math import log
from pickle import dumps, loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3LeafMatcher,
    W3TermInfo,
)
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from .codec import HASH_SLOT
from .schema import GapPositions, decode_positions
from .terms import COMPACT, decode

CACHED_POSTINGS = 200_000  # scored postings kept per open index (a few MB)
MAX_INFOS = 200_000  # terms whose segments are kept per open index
Word = Sequence[wq.Query]  # the terms one plain word is searched as (title, body, variants)


def _terms(leaf: wq.Query) -> list[wq.Term] | None:
    """The terms of a word's clause: a term, or several that must all be there (a number,
    a date or a hyphenated word the analyzer splits: "16.504", "20/5/2026", "Tae-yong"),
    or the words of a phrase; None for anything else."""
    if type(leaf) is wq.Term:
        return [leaf]
    if type(leaf) is wq.And:
        parts = list(leaf.children())
        if len(parts) >= 2 and all(type(p) is wq.Term for p in parts):
            return parts
    if type(leaf) is wq.Phrase and leaf.slop == 1 and len(leaf.words) >= 2:
        # Words next to one another (slop 1): a wider slop is left to Whoosh's spans.
        return [wq.Term(leaf.fieldname, w) for w in leaf.words]
    return None


def usable(searcher: Any, words: Sequence[Word]) -> bool:
    """True when the words can be ranked here exactly as Whoosh would rank them."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F:
        return False
    schema = searcher.schema
    for word in words:
        for leaf in word:
            terms = _terms(leaf)
            if terms is None:
                return False
            for t in terms:
                if t.fieldname not in schema or not schema[t.fieldname].scorable:
                    return False
            if type(leaf) is wq.Phrase:
                fmt = schema[leaf.fieldname].format
                if not fmt or not fmt.supports("positions"):
                    return False
    return True


class Postings:
    """Per-segment lengths read once for a searcher's lifetime (one committed state)."""

    def __init__(self, searcher: Any, frequency: Callable[[str, str], int]) -> None:
        self.searcher = searcher
        self.frequency = frequency  # (field, term) -> articles, as the reader counts them
        self._lengths: dict[tuple[int, str], Any] = {}
        self._norms: dict[tuple[str, float, float, float], list[float]] = {}
        self._avg: dict[str, float] = {}
        self.cache: OrderedDict[tuple[str, str, float], tuple[list[int], list[float]]]
        self.cache = OrderedDict()
        self.cached = 0  # postings held in `cache`
        # (field, term bytes) -> the segments that have the term, with its term info there:
        # a prefix's expansion finds them while walking each segment's terms, and a lookup
        # in each of fifteen segments (most without the term) cost more than reading it.
        self.infos: dict[tuple[str, bytes], list[tuple[int, Any]]] = {}
        # (field, term bytes) -> the segments that have the term (bit k: segment k), as the
        # prefix table knows them: only those are asked for its term info.
        self.segments: dict[tuple[str, bytes], int] = {}

    def hint(self, key: tuple[str, bytes], segments: int) -> None:
        """The term `key` is in the segments of the bits of `segments`, and no other."""
        if len(self.segments) > MAX_INFOS:
            self.segments.clear()
        self.segments[key] = segments

    def where(self, field: str, btext: bytes) -> list[tuple[int, Any]]:
        """The segments (numbers) that have the term, with its term info in each."""
        key = (field, btext)
        found = self.where_stored(field, btext)
        if found and isinstance(found[0][1], bytes):  # as a prefix's walk left them
            found = [(k, decode(info)) for k, info in found]
            self.infos[key] = found
        return found

    def where_stored(self, field: str, btext: bytes) -> list[tuple[int, Any]]:
        """`where`, each term info as the segment's term table stores it (bytes) when it
        has not been decoded yet: reading a term's postings needs no more than where they
        begin, and decoding a term info (terms.decode) cost a fifth of a
        prefix's thousands of term and segment pairs."""
        key = (field, btext)
        found = self.infos.get(key)
        if found is None:
            found = []
            mask = self.segments.get(key, -1)
            hashes: dict[bytes, int] = {}  # the segments' term tables hash the same keys
            for k, (sub, _) in enumerate(self.searcher.leaf_searchers()):
                if not mask >> k & 1:
                    continue  # a lookup that fails costs most: an exception
                info = _term_info(sub.reader(), field, btext, hashes)
                if info is not None:
                    found.append((k, info))
            self.remember(key, found)
        return found

    def remember(self, key: tuple[str, bytes], found: list[tuple[int, Any]]) -> None:
        if len(self.infos) > MAX_INFOS:
            self.infos.clear()
        self.infos[key] = found

    def avg_length(self, field: str) -> float:
        """The searcher's average length of `field` (or 1), as BM25F takes it: worked out
        once, not for each of a prefix's hundreds of terms (a sum over the segments)."""
        found = self._avg.get(field)
        if found is None:
            found = self._avg[field] = self.searcher.avg_field_length(field) or 1
        return found

    def lengths(self, k: int, reader: Any, field: str) -> Any:
        """The field's length bytes of every document of segment `k` (0: no value)."""
        key = (k, field)
        found = self._lengths.get(key)
        if found is None:
            found = _length_bytes(reader, field)
            self._lengths[key] = found
        return found

    def norms(self, field: str, b: float, k1: float, avgfl: float) -> list[float]:
        """K1 * ((1 - B) + B * fl / avgfl) for each length byte, as bm25() computes it."""
        key = (field, b, k1, avgfl)
        found = self._norms.get(key)
        if found is None:
            found = []
            for lb in range(256):
                fl = byte_to_length(lb)
                found.append(k1 * ((1 - b) + b * fl / avgfl))
            self._norms[key] = found
        return found


def _length_bytes(reader: Any, field: str) -> Any:
    doccount = reader.doc_count_all()
    try:
        column = reader._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        if column is None:
            return bytes(doccount)
        raw = column._dbfile.get(column._basepos, column._count)
        return bytes(raw) + bytes(max(0, doccount - len(raw)))
    except AttributeError:  # another codec: one document at a time
        from whoosh.util.numeric import length_to_byte

        return bytes(
            length_to_byte(reader.doc_field_length(d, field, 0) or 0) for d in range(doccount)
        )


def _matcher(reader: Any, field: str, btext: bytes, info: Any) -> Any:
    """`reader.postings(field, btext)` from the term info already looked up."""
    terms = reader._terms
    try:
        codec, postfile = terms._codec, terms._postfile
    except AttributeError:  # another codec
        return reader.postings(field, btext)
    matcher = codec.postings_reader(
        postfile, info, reader.schema[field].format, term=(field, btext)
    )
    deleted = reader.deleted_docs_set
    return FilterMatcher(matcher, deleted, exclude=True) if deleted else matcher


def _term_info(
    reader: Any, field: str, btext: bytes, hashes: dict[bytes, int] | None = None
) -> Any:
    """`reader.term_info(field, btext)`, None when the segment lacks the term: straight
    from a Whoosh 3 segment's term table (the reader's checks and the exception a missing
    term raises cost more than the lookup, hundreds of times for a prefix). With `hashes`
    (the keys' hashes, kept from one segment's lookup to the next), a Whoosh 3 term info
    is left as the table stores it (bytes: see `Postings.where_stored`)."""
    terms = getattr(reader, "_terms", None)
    try:
        tindex, keycoder = terms._tindex, terms._keycoder  # type: ignore[union-attr]
    except AttributeError:  # another codec
        try:
            return reader.term_info(field, btext)
        except TermNotFound:
            return None
    try:
        value = _hash_get(tindex, keycoder(field, btext), hashes)
    except KeyError:  # a field this segment has no terms of
        return None
    if value is None or hashes is not None:
        return value
    return decode(value)


_LENGTHS = struct.Struct("!ii")  # before a key: its length and its value's


def _hash_get(tindex: Any, key: bytes, hashes: dict[bytes, int] | None = None) -> bytes | None:
    """`tindex.get(key)`: a Whoosh hash file's lookup (filetables.HashReader, MD5 hashes),
    read straight from its mapped bytes. Whoosh's own goes through a generator, a method
    call per read and an MD5 hex digest: a prefix looks up a thousand terms or more (each
    word kept, in each segment that has it), and that was a fifth of its time."""
    buf = getattr(tindex.dbfile, "_buf", None)
    if buf is None or tindex.hashtype != 0 or not isinstance(key, bytes):
        return tindex.get(key)  # a file read as it goes, or another hash
    keyhash = hashes.get(key) if hashes is not None else None
    if keyhash is None:
        # The low 32 bits of the MD5 digest as a big-endian number, as md5_hash() takes
        # them.
        keyhash = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        if hashes is not None:
            hashes[key] = keyhash
    start, slots = tindex.tables[keyhash & 255]
    if not slots:
        return None
    size = HASH_SLOT.size
    end = start + slots * size
    pos = start + ((keyhash >> 8) % slots) * size
    unpack_pointer, unpack_lengths = HASH_SLOT.unpack_from, _LENGTHS.unpack_from
    n = len(key)
    for _ in range(slots):
        slothash, item = unpack_pointer(buf, pos)
        if not item:
            return None
        if slothash == keyhash:
            keylen, datalen = unpack_lengths(buf, item)
            at = item + _LENGTHS.size
            if keylen == n and buf[at : at + n] == key:
                return bytes(buf[at + n : at + n + datalen])
        pos += size
        if pos == end:
            pos = start
    return None


def _postings(reader: Any, field: str, btext: bytes, info: Any) -> tuple[list[int], list[float]]:
    """A term's postings in one segment (document numbers, weights), deleted ones left out:
    read block by block from the postings file as W3LeafMatcher reads them, without making a
    matcher (for a prefix, the matchers of a few thousand term and segment pairs cost more
    than their postings)."""
    terms = getattr(reader, "_terms", None)
    postfile = getattr(terms, "_postfile", None)
    if type(info) is bytes and info[0] == COMPACT:  # as stored (see Postings.where_stored)
        info = decode(info)
    if type(info) is bytes:  # a Whoosh 3 term info as stored
        flags, weight, df, _, _, most, first, last = _TERM_INFO.unpack_from(info)
        if df == 1 or (df == 2 and weight == 2 * most and most.is_integer()):
            # Its postings are in the term info's statistics, inlined or not: the first and
            # last document, and the weight of each (the total; for two, twice the
            # largest: the same weight twice, which a block holds as one float32, as the
            # info does).
            ids, weights = ([first], [weight]) if df == 1 else ([first, last], [most] * 2)
            return _without_deleted(reader, ids, weights)
        if not flags and getattr(postfile, "_buf", None) is not None:  # not inlined
            (offset,) = _OFFSET.unpack_from(info, _TERM_INFO.size)
            ids, weights = _mapped_postings(postfile._buf, offset, f"{field}:{btext!r}")
            return _without_deleted(reader, ids, weights)
        info = decode(info)
    if postfile is None or type(info) is not W3TermInfo:  # another codec
        return _read(_matcher(reader, field, btext, info))
    if info.is_inlined():
        inlined_ids, inlined_weights, _ = info.inlined_postings()
        ids, weights = list(inlined_ids), list(inlined_weights)
    elif getattr(postfile, "_buf", None) is not None:
        ids, weights = _mapped_postings(postfile._buf, info._offset, f"{field}:{btext!r}")
    else:
        ids, weights = [], []
        if postfile.get(info._offset, _INT_SIZE) != WHOOSH3_HEADER_MAGIC:
            raise ValueError(f"postings of {field}:{btext!r}: no block header")
        position = info._offset + _INT_SIZE
        while True:
            length = postfile.get_int(position)
            last = length < 0
            end = position + _INT_SIZE + abs(length)
            postfile.seek(position + _INT_SIZE)
            count, _, _, compression, _, _ = postfile.read_pickle()
            data = postfile.get(postfile.tell(), end - postfile.tell())
            _add_block(data, compression, count, ids, weights)
            if last:
                break
            position = end
    return _without_deleted(reader, ids, weights)


# A Whoosh 3 term info (W3TermInfo._struct): inlined or not, total weight, article count,
# shortest and longest field (length bytes), largest weight, first and last document;
# then (not inlined) where its postings begin.
_TERM_INFO = struct.Struct("!BfIBBfII")
_OFFSET = struct.Struct("!q")


def _without_deleted(
    reader: Any, ids: list[int], weights: list[float]
) -> tuple[list[int], list[float]]:
    deleted = reader.deleted_docs_set
    if deleted:
        kept = [i for i, d in enumerate(ids) if d not in deleted]
        ids = [ids[i] for i in kept]
        weights = [weights[i] for i in kept]
    return ids, weights


_BLOCK_LENGTH = struct.Struct("!i")  # before each block: its length (negative: the last)


def _mapped_postings(buf: Any, offset: int, name: str) -> tuple[list[int], list[float]]:
    """The postings (document numbers, weights) of the blocks at `offset` of a mapped
    postings file, as the loop of `_postings` reads them through the file's methods: a
    prefix reads a few thousand term and segment pairs of one block each, and those
    methods (seek, read, tell, a pickle read from a file object) were half of each read."""
    if buf[offset : offset + _INT_SIZE] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"postings of {name}: no block header")
    ids: list[int] = []
    weights: list[float] = []
    position = offset + _INT_SIZE
    unpack_length = _BLOCK_LENGTH.unpack_from
    while True:
        (length,) = unpack_length(buf, position)
        start = position + _INT_SIZE
        end = start + abs(length)
        # The block's info (count, last id, max weight, compression, lengths), then its
        # data: the info's pickle is as long as the same tuple pickled again.
        info = loads(buf[start:end])
        count, compression = info[0], info[3]
        at = start + len(dumps(info, 2))
        if buf[at - 1] != _STOP:
            raise ValueError(f"postings of {name}: a block info of another form")
        _add_block(buf[at:end], compression, count, ids, weights)
        if length < 0:
            return ids, weights
        position = end


def _add_block(
    data: Any, compressed: bool, count: int, ids: list[int], weights: list[float]
) -> None:
    """Add a postings block's documents and weights (`data`: its pickle, compressed or not)
    to `ids` and `weights`."""
    block = _ids_and_weights(zlib.decompress(data) if compressed else bytes(data), count)
    ids.extend(accumulate(block[0]))  # the gaps between document numbers
    w = block[1]
    if w is None or type(w) is float:
        # One weight for the block; Whoosh hands it out of a float32 array.
        weights.extend(array("f", [1.0 if w is None else w]) * count)
    else:
        weights.extend(w)


_STOP = ord(".")  # a pickle's last byte


# How protocol 2 pickles a bytes object (a posting's value: its positions): a call of
# _codecs.encode, the first of a block's values naming the function in full. Our segments'
# blocks are pickled with protocol 3 (codec.BLOCK_PROTOCOL), read whole faster than this
# cut reads Whoosh's; the cut is for blocks that Whoosh's own writer pickled.
_BYTES_CALL = b"c_codecs\nencode\n"
_PROTOCOL_2 = b"\x80\x02"  # how a protocol 2 pickle begins


def _ids_and_weights(data: bytes, count: int) -> tuple[Any, Any, None]:
    """A postings block's pickled (ids, weights, values) without its values: unpickling
    the positions (a function call per posting) took a third of reading a prefix's
    postings, and ranking needs none. The values are the tuple's last item, so the pickle
    is cut where they begin and ends with None instead; a block the cut does not fit is
    unpickled whole. A block pickled with protocol 3 (ours) has no such calls: it is read
    whole, without looking for one."""
    if not data.startswith(_PROTOCOL_2):
        return loads(data)
    at = data.find(_BYTES_CALL)
    if at > 0:
        # Over three values the tuple begins with a MARK; up to three, it has none.
        cut = at - 1 if count > 3 else at
        try:
            block = loads(data[:cut] + b"N\x87.")  # None, a 3-tuple, stop
        except Exception:  # a cut in the wrong place: read it whole
            block = None
        if (
            type(block) is tuple
            and type(block[0]) is tuple
            and len(block[0]) == count
            and (block[1] is None or type(block[1]) is float or len(block[1]) == count)
        ):
            return block
    return loads(data)


def _read(matcher: Any) -> tuple[list[int], list[float]]:
    """A term's postings in one segment (document numbers, weights), deleted ones left out."""
    deleted = None
    if isinstance(matcher, FilterMatcher):
        deleted = matcher._ids if matcher._exclude else None
        if deleted is None:  # pragma: no cover - readers only ever exclude
            raise TypeError("unexpected filter")
        matcher = matcher.child
    ids: list[int] = []
    weights: list[float] = []
    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    if deleted:
        kept = [i for i, d in enumerate(ids) if d not in deleted]
        ids = [ids[i] for i in kept]
        weights = [weights[i] for i in kept]
    return ids, weights


def _scored(postings: Postings, term: wq.Term) -> tuple[list[int], list[float]]:
    """The document numbers and scores of every posting of `term`, as Whoosh's BM25F
    scores them (kept for the searcher's lifetime: typing a sentence asks again for the
    same words at every pause)."""
    key = (term.fieldname, term.text, term.boost)
    found = postings.cache.get(key)
    if found is not None:
        postings.cache.move_to_end(key)
        return found
    found = _score(postings, term)
    postings.cache[key] = found
    postings.cached += len(found[0])
    while postings.cached > CACHED_POSTINGS and len(postings.cache) > 1:
        _, (old, _) = postings.cache.popitem(last=False)
        postings.cached -= len(old)
    return found


def _score(postings: Postings, term: wq.Term) -> tuple[list[int], list[float]]:
    docs: list[int] = []
    scores: list[float] = []
    boost = term.boost
    for offset, ids, weights, lengths, (idf, norms, k1p1) in _term_segments(postings, term):
        pairs = zip(ids, weights, strict=True)
        part = [idf * ((tf * k1p1) / (tf + norms[lengths[d]])) for d, tf in pairs]
        if boost != 1.0:
            part = [x * boost for x in part]
        docs.extend([offset + d for d in ids] if offset else ids)
        scores.extend(part)
    return docs, scores


def _term_segments(
    postings: Postings, term: wq.Term
) -> Iterator[tuple[int, list[int], list[float], Any, tuple[float, list[float], float]]]:
    """`term`'s postings segment by segment: the segment's first document number, the
    postings' documents and weights, the segment's field lengths and the term's BM25F
    statistics (see `_stats`)."""
    searcher = postings.searcher
    field = term.fieldname
    try:
        btext = searcher.schema[field].to_bytes(term.text)
    except ValueError:
        return
    stats = None
    leaves = searcher.leaf_searchers()
    for k, info in postings.where_stored(field, btext):
        sub, offset = leaves[k]
        reader = sub.reader()
        if stats is None:
            stats = _stats(postings, term)
            if stats is None:
                return
        ids, weights = _postings(reader, field, btext, info)
        yield offset, ids, weights, postings.lengths(k, reader, field), stats


def _stats(postings: Postings, term: wq.Term) -> tuple[float, list[float], float] | None:
    """BM25F's idf of `term` (Whoosh's WeightingModel.idf, from the counts already looked
    up), its field's length norms and K1 + 1; None for a term no article has."""
    searcher = postings.searcher
    field = term.fieldname
    n = postings.frequency(field, term.text)
    if not n:
        return None
    weighting: BM25F = searcher.weighting
    k1 = weighting.K1
    idf = log(searcher.doc_count_all() / (n + 1)) + 1
    avgfl = postings.avg_length(field)
    b = weighting._field_B.get(field, weighting.B)
    return idf, postings.norms(field, b, k1, avgfl), k1 + 1


# Room for the rounding of sums added in another order than the bounds'.
SLACK = 1 + 1e-9


def best_match(
    postings: Postings, words: Sequence[Word], others: Sequence[Word], limit: int
) -> tuple[list[tuple[int, float]], int, bool, int]:
    """The first `limit` (document number, score) of an OR of every clause of `words`,
    best first, as Whoosh ranks it; how many documents match it and whether that count is
    exact (else a lower bound); and how many have every word of `words` and of `others` (a
    clause of each).

    The clauses are read in order of the most a posting of theirs can score (BM25's
    saturation: idf x (K1 + 1)), highest first (MaxScore). Once the clauses left could not
    lift an article that none of the clauses read so far has into the first `limit`, their
    postings are not read through: they are only looked up for the articles that might still
    make it. The first `limit` are then those of the full ranking, with Whoosh's scores
    (every clause's score added in Whoosh's order), and the count a lower bound."""
    if len(words) == 1 and not others and all(type(leaf) is wq.Term for leaf in words[0]):
        return _one_word(postings, words[0], limit)
    clauses: list[tuple[int, wq.Query, list[wq.Term]]] = []
    for w, word in enumerate(words):
        for leaf in word:
            terms = _terms(leaf)
            assert terms is not None  # see usable()
            clauses.append((w, leaf, terms))
    if not clauses:
        return [], 0, True, 0
    k1p1 = postings.searcher.weighting.K1 + 1
    bounds = [_bound(postings, leaf, terms, k1p1) for _, leaf, terms in clauses]
    frequency = postings.frequency
    size = [0] * len(words)
    for w, _, terms in clauses:
        size[w] += sum(frequency(t.fieldname, t.text) for t in terms)
    rarest = min(range(len(words)), key=size.__getitem__)
    # The rarest word's clauses and the intersections are read through whatever their
    # bounds: the articles with every word are looked for among the rarest word's.
    forced = [i for i, (w, _, terms) in enumerate(clauses) if w == rarest or len(terms) > 1]
    order = forced + sorted(
        (i for i in range(len(clauses)) if i not in forced), key=lambda i: -bounds[i]
    )
    got: list[dict[int, float]] = [{} for _ in clauses]  # each clause's scores, where known
    acc: dict[int, float] = {}  # each article's score so far (the clauses read)
    rest = sum(bounds)
    theta = 0.0  # the limit-th best score so far: the first `limit` score at least that
    pos = 0
    for pos, i in enumerate(order):  # `pos`: where the reading stopped
        # (The best score so far bounds the limit-th from above, and costs less to find.)
        if pos >= len(forced) and len(acc) >= limit and rest * SLACK < max(acc.values()):
            theta = heapq.nlargest(limit, acc.values())[-1]
            if rest * SLACK < theta:
                break
        _, leaf, terms = clauses[i]
        if type(leaf) is wq.Phrase:
            ids, part = _phrase(postings, leaf, terms)
        elif len(terms) == 1:
            ids, part = _scored(postings, terms[0])
        else:
            ids, part = _intersection(postings, terms, leaf.boost)
        got[i] = found = dict(zip(ids, part, strict=True))
        get = acc.get
        for d, x in found.items():
            acc[d] = get(d, 0.0) + x
        rest -= bounds[i]
    else:
        pos = len(order)
    left = order[pos:]
    if left:
        cands = sorted(d for d, x in acc.items() if x + rest * SLACK >= theta)
        for i in left:
            got[i] = found = _scores_of(postings, clauses[i][2][0], cands)
            for d, x in found.items():
                acc[d] += x
            rest = max(rest - bounds[i], 0.0)
            # The articles left out score below theta already: the candidates hold the
            # limit-th best score when it has risen.
            best = heapq.nlargest(limit, [acc[d] for d in cands])
            if len(best) == limit:
                theta = max(theta, best[-1])
            cands = [d for d in cands if acc[d] + rest * SLACK >= theta]
    else:
        best = heapq.nlargest(limit, acc.values())
        cut = best[-1] / SLACK if best else 0.0
        cands = [d for d, x in acc.items() if x >= cut]
    # Whoosh's array union adds each clause's score in the order of the clauses, passes
    # over a document whose scores add up to nothing, and of equal scores puts the lower
    # document number first.
    top = []
    for d in cands:
        x = 0.0
        for found in got:
            s = found.get(d)
            if s is not None:
                x += s
        if x > 0:
            top.append((-x, d))
    top = sorted(top)[:limit]
    if left:
        searcher = postings.searcher
        deleted = searcher.doc_count_all() - searcher.doc_count()
        most = max(frequency(clauses[i][2][0].fieldname, clauses[i][2][0].text) for i in left)
        total, exact = max(len(acc), most - deleted), False
    else:
        total, exact = sum(1 for x in acc.values() if x > 0), True
    read = set(order[:pos])
    everyword: set[int] | None = None
    unread: list[Word] = []
    for w, word in enumerate(words):
        mine = [i for i, c in enumerate(clauses) if c[0] == w]
        if all(i in read for i in mine):
            docs = set().union(*(got[i] for i in mine))
            everyword = docs if everyword is None else everyword & docs
        else:
            unread.append(word)
    everyword = everyword or set()
    if everyword and (unread or others):
        everyword = _having_all(postings, everyword, [*unread, *others])
    return [(d, -x) for x, d in top], total, exact, len(everyword)


def _one_word(
    postings: Postings, terms: Sequence[wq.Term], limit: int
) -> tuple[list[tuple[int, float]], int, bool, int]:
    """`best_match` of one word searched as terms (a prefix's or a fuzzy term's words, a
    word's title and body terms) with no other word to count: its terms are its one word's
    clauses, all read through in their order (a word's articles are counted from them
    all), so each article's sum as it is added up is Whoosh's score, and the count and
    the articles with the word are the articles summed. Without the general case's
    bookkeeping (a dict of scores per term, their union, the clauses put in order), which
    was a fifth of a prefix's 200 or 300 terms' ranking."""
    acc: dict[int, float] = {}
    get = acc.get
    for term in terms:
        key = (term.fieldname, term.text, term.boost)
        if len(terms) > MANY_TERMS and key not in postings.cache:
            _add_scores(postings, term, acc)
            continue
        ids, part = _scored(postings, term)
        for d, x in zip(ids, part, strict=True):
            acc[d] = get(d, 0.0) + x
    best = heapq.nlargest(limit, acc.values())
    cut = best[-1] if best else 0.0
    # Whoosh passes over an article whose scores add up to nothing, and of equal scores
    # puts the lower document number first.
    top = sorted((-x, d) for d, x in acc.items() if x >= cut and x > 0)[:limit]
    total = len(acc) if not acc or min(acc.values()) > 0 else sum(x > 0 for x in acc.values())
    return [(d, -x) for x, d in top], total, True, len(acc)


# From this many terms on, a word's terms are a prefix's or a fuzzy term's many words: they
# are scored straight into the sums, not kept (see `_add_scores`).
MANY_TERMS = 4


def _add_scores(postings: Postings, term: wq.Term, acc: dict[int, float]) -> None:
    """Add `term`'s score to each article's sum in `acc`, as `_scored` scores it, without
    making and keeping its lists: a prefix's words are rarely asked for again (a plain
    word's two terms are kept, for the queries typed after it), and making the lists and
    adding them up after was a third of a 3-letter prefix's time."""
    boost = term.boost
    get = acc.get
    for offset, ids, weights, lengths, (idf, norms, k1p1) in _term_segments(postings, term):
        # The same expression as `_score`'s, so the same score to the last bit.
        for d, tf in zip(ids, weights, strict=True):
            x = idf * ((tf * k1p1) / (tf + norms[lengths[d]]))
            if boost != 1.0:
                x = x * boost
            d += offset
            acc[d] = get(d, 0.0) + x


def _bound(postings: Postings, leaf: wq.Query, terms: Sequence[wq.Term], k1p1: float) -> float:
    """The most a clause can add to an article's score: BM25's term frequency part stays
    below K1 + 1, whatever the frequency and the length."""
    frequency = postings.frequency
    n = postings.searcher.doc_count_all()
    most = 0.0
    for t in terms:
        df = frequency(t.fieldname, t.text)
        if df:
            most += (log(n / (df + 1)) + 1) * k1p1 * t.boost
    return most * leaf.boost if len(terms) > 1 else most


def _scores_of(postings: Postings, term: wq.Term, docs: list[int]) -> dict[int, float]:
    """`term`'s score in each of `docs` (ascending document numbers) that has it, as
    `_scored` gives it: looked up posting by posting for a few articles, read through (and
    kept) for many."""
    key = (term.fieldname, term.text, term.boost)
    if not docs:
        return {}
    if key in postings.cache or len(docs) * 8 >= postings.frequency(term.fieldname, term.text):
        ids, scores = _scored(postings, term)
        want = set(docs)
        return {d: x for d, x in zip(ids, scores, strict=True) if d in want}
    searcher = postings.searcher
    field = term.fieldname
    try:
        btext = searcher.schema[field].to_bytes(term.text)
    except ValueError:
        return {}
    stats = _stats(postings, term)
    if stats is None:
        return {}
    idf, norms, k1p1 = stats
    boost = term.boost
    leaves = searcher.leaf_searchers()
    starts = [offset for _, offset in leaves]
    segments = dict(postings.where(field, btext))
    found: dict[int, float] = {}
    j = 0
    while j < len(docs):
        k = bisect_right(starts, docs[j]) - 1
        sub, offset = leaves[k]
        end = starts[k + 1] if k + 1 < len(starts) else None
        mine = []
        while j < len(docs) and (end is None or docs[j] < end):
            mine.append(docs[j] - offset)
            j += 1
        info = segments.get(k)
        if info is None:
            continue
        reader = sub.reader()
        m = _matcher(reader, field, btext, info)
        lengths = postings.lengths(k, reader, field)
        for d in _meet(m, mine):
            tf = m.weight()
            x = idf * ((tf * k1p1) / (tf + norms[lengths[d]]))
            found[offset + d] = x * boost if boost != 1.0 else x
    return found


class _Node:
    """A matcher in Whoosh's weighted tree (see `_sum_order`). Whoosh's matchers compare
    neither less nor greater than one another, so clauses of equal weight keep their order
    when sorted; so do these."""

    __slots__ = ("parts",)

    def __init__(self, parts: int | tuple[_Node, _Node]) -> None:
        self.parts = parts

    def __eq__(self, other: object) -> bool:
        return True

    def __lt__(self, other: object) -> bool:
        return False

    __hash__ = None  # type: ignore[assignment]


def _sum_order(sizes: Sequence[int]) -> _Node:
    """The tree in which Whoosh's And adds its terms' scores in one segment: its
    intersection matchers are paired like a Huffman tree, by minus each term's article
    count in that segment (`And._matcher`, `make_weighted_tree`); each pair's score is the
    sum of its two sides', and float sums depend on that order."""
    from whoosh.util import make_weighted_tree

    return make_weighted_tree(_join, [(-n, _Node(i)) for i, n in enumerate(sizes)])


def _join(a: _Node, b: _Node) -> _Node:
    return _Node((a, b))


def _add(node: _Node, scores: Sequence[float]) -> float:
    parts = node.parts
    if isinstance(parts, int):
        return scores[parts]
    return _add(parts[0], scores) + _add(parts[1], scores)


def _intersection(
    postings: Postings, terms: Sequence[wq.Term], boost: float
) -> tuple[list[int], list[float]]:
    """The documents with every one of `terms` and their score as Whoosh's And of them
    gives it: the terms' scores added in the order of each segment's tree, times `boost`."""
    scored = [dict(zip(*_scored(postings, t), strict=True)) for t in terms]
    first, *rest = sorted(scored, key=len)
    ids = sorted(d for d in first if all(d in other for other in rest))
    if not ids:
        return [], []
    searcher = postings.searcher
    schema = searcher.schema
    leaves = searcher.leaf_searchers()
    starts = [offset for _, offset in leaves]
    trees: dict[int, _Node] = {}
    part: list[float] = []
    for d in ids:
        k = bisect_right(starts, d) - 1
        tree = trees.get(k)
        if tree is None:
            reader = leaves[k][0].reader()
            sizes = [_segment_frequency(reader, schema, t) for t in terms]
            tree = trees[k] = _sum_order(sizes)
        x = _add(tree, [s[d] for s in scored])
        part.append(x * boost if boost != 1.0 else x)
    return ids, part


def _segment_frequency(reader: Any, schema: Any, term: wq.Term) -> int:
    """Term.estimate_size on a segment's reader: its article count there, deleted ones
    included."""
    try:
        btext = schema[term.fieldname].to_bytes(term.text)
    except ValueError:
        return 0
    return reader.doc_frequency(term.fieldname, btext)


def _meet(m: Any, docs: Iterable[int]) -> Iterator[int]:
    """Those of `docs` (ascending) that matcher `m` has, with `m` standing on each as it is
    yielded; `m` skips ahead over the rest."""
    for d in docs:
        if not m.is_active():
            return
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                return
        if m.id() == d:
            yield d


def _having_all(postings: Postings, docs: set[int], others: Sequence[Word]) -> set[int]:
    """The documents of `docs` (document numbers) with a clause of every word. The rarest
    words first, as they leave the fewest documents to look for in the next; each term
    looked up in the segments that hold the documents (see `_scores_of`)."""
    frequency = postings.frequency

    def size(word: Word) -> int:
        return sum(frequency(t.fieldname, t.text) for leaf in word for t in _terms(leaf) or ())

    for word in sorted(others, key=size):
        found: set[int] = set()
        for leaf in word:
            rest = docs - found
            if not rest:
                break
            if type(leaf) is wq.Phrase:
                found |= rest.intersection(_phrase(postings, leaf, _terms(leaf) or [])[0])
                continue
            for term in _terms(leaf) or ():
                if not rest:
                    break
                rest = set(_scores_of(postings, term, sorted(rest)))
            found |= rest
        docs = found
        if not docs:
            break
    return docs


def _phrase(
    postings: Postings, phrase: wq.Phrase, terms: Sequence[wq.Term]
) -> tuple[list[int], list[float]]:
    """The documents (ascending) where `terms` (a phrase's words) stand next to one another
    in this order, and their scores as Whoosh's phrase matcher gives them: the words' BM25F
    scores added in the order of its intersection tree (`make_binary_tree`), times the
    phrase's boost.

    Whoosh intersects the words' postings and then reads every word's positions in every
    article that has them all ("yang ada di": 13,000 articles at 22k, a second). Here the
    rarest word's articles come first, the other words are looked up in those only (a block
    of postings none of them is in is skipped unread), and positions are read, rarest word
    first, until the phrase cannot be there."""
    searcher = postings.searcher
    field = phrase.fieldname
    fmt = searcher.schema[field].format
    try:
        btexts = [searcher.schema[field].to_bytes(t.text) for t in terms]
    except ValueError:
        return [], []
    stats = []
    for t in terms:
        found = _stats(postings, t)
        if found is None:
            return [], []  # a word no article has
        stats.append(found)
    positions = decode_positions if type(fmt) is GapPositions else fmt.decoder("positions")
    tree = _pairs(len(terms))
    boost = phrase.boost
    docs: list[int] = []
    scores: list[float] = []
    leaves = searcher.leaf_searchers()
    where = [dict(postings.where(field, b)) for b in btexts]
    for k, (sub, offset) in enumerate(leaves):
        infos = [w.get(k) for w in where]
        if any(info is None for info in infos):
            continue
        reader = sub.reader()
        by_size = sorted(range(len(terms)), key=lambda j: infos[j].doc_frequency())
        first = by_size[0]
        found: list[dict[int, tuple[float, bytes]]] = [{} for _ in terms]
        found[first] = _with_values(_matcher(reader, field, btexts[first], infos[first]), None)
        cands = sorted(found[first])
        for j in by_size[1:]:
            if not cands:
                break
            found[j] = _with_values(_matcher(reader, field, btexts[j], infos[j]), cands)
            cands = [d for d in cands if d in found[j]]
        if not cands:
            continue
        lengths = postings.lengths(k, reader, field)
        for d in cands:
            if not _adjacent(len(terms), lambda j: positions(found[j][d][1])):  # noqa: B023
                continue
            part = []
            for j, (idf, norms, k1p1) in enumerate(stats):
                tf = found[j][d][0]
                part.append(idf * ((tf * k1p1) / (tf + norms[lengths[d]])))
            x = _add_pairs(tree, part)
            docs.append(offset + d)
            scores.append(x * boost if boost != 1.0 else x)
    return docs, scores


def _with_values(matcher: Any, docs: list[int] | None) -> dict[int, tuple[float, bytes]]:
    """The postings of a matcher in `docs` (ascending; None: all of them): each one's
    weight and value (the encoded positions). A block is read in one go, and a block with
    none of `docs` is passed over unread."""
    deleted: Any = ()
    if isinstance(matcher, FilterMatcher):
        deleted = matcher._ids if matcher._exclude else None
        if deleted is None:  # pragma: no cover - readers only ever exclude
            raise TypeError("unexpected filter")
        matcher = matcher.child
    out: dict[int, tuple[float, bytes]] = {}
    if type(matcher) is not W3LeafMatcher:  # postings inlined in the term info, or another codec
        if docs is None:
            while matcher.is_active():
                out[matcher.id()] = (matcher.weight(), matcher.value())
                matcher.next()
        else:
            for d in _meet(matcher, docs):
                out[d] = (matcher.weight(), matcher.value())
    elif docs is None:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            pairs = zip(matcher._weights, matcher._values, strict=True)
            out.update(zip(matcher._ids, pairs, strict=True))
            matcher._next_block()
    else:
        j, n = 0, len(docs)
        while j < n and matcher.is_active():
            if matcher._maxid < docs[j]:
                matcher._next_block()
                continue
            matcher._read_ids()
            ids = matcher._ids
            top = matcher._maxid
            where = {d: i for i, d in enumerate(ids)}
            weights = values = None
            while j < n and docs[j] <= top:
                i = where.get(docs[j])
                if i is not None:
                    if weights is None:
                        matcher._read_weights()
                        matcher._read_values()
                        weights, values = matcher._weights, matcher._values
                    out[docs[j]] = (weights[i], values[i])
                j += 1
            matcher._next_block()
    for d in deleted:
        out.pop(d, None)
    return out


def _adjacent(n: int, positions: Callable[[int], Sequence[int]]) -> bool:
    """True when some position of each of n words (`positions(j)`: the j-th word's) follows
    one of the word before (Whoosh's SpanNear2 with slop 1: the next word starts one after
    the span so far ends). Positions are decoded only as far as the phrase may be there."""
    ends = set(positions(0))
    for j in range(1, n):
        ends = {p for p in positions(j) if p - 1 in ends}
        if not ends:
            return False
    return True


Pairs = int | tuple["Pairs", "Pairs"]


def _pairs(n: int, start: int = 0) -> Pairs:
    """Whoosh's `make_binary_tree` over n matchers, as indexes: halves, the first half
    smaller when n is odd."""
    if n == 1:
        return start
    half = n // 2
    return (_pairs(half, start), _pairs(n - half, start + half))


def _add_pairs(tree: Pairs, scores: Sequence[float]) -> float:
    if isinstance(tree, int):
        return scores[tree]
    return _add_pairs(tree[0], scores) + _add_pairs(tree[1], scores)


def constant_range(q: Any) -> bool:
    """True for a range of numbers or dates (`date:[2019-09-01 to 2019-09-30]`), which
    Whoosh scores with one constant: see `range_match`."""
    return isinstance(q, wq.NumericRange) and q.constantscore


def range_match(
    postings: Postings, q: wq.NumericRange, limit: int
) -> tuple[list[tuple[int, float]], int]:
    """The first `limit` (document number, score) of a constant-score range, as Whoosh
    ranks them (every score the range's boost, so the lowest document numbers), and how
    many documents match. Whoosh unions the postings of the range's terms (a term per
    resolution of its trie) with a matcher per term and segment, document by document:
    a month of CLICK-ID took a tenth of a second at 22k articles. Here each term's postings
    are read a block at a time and only counted."""
    searcher = postings.searcher
    compiled = q._compile_query(searcher.reader())
    if isinstance(compiled, wq.ConstantScoreQuery):
        score, compiled = compiled.score, compiled.child
    else:  # pragma: no cover - a constant-score range is always wrapped
        score = q.boost
    parts = list(compiled.children()) if isinstance(compiled, wq.Or) else [compiled]
    docs: set[int] = set()
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        for part in parts:
            field = part.fieldname
            if type(part) is wq.Term:
                text = part.text
                btexts: Iterable[bytes] = [
                    text if isinstance(text, bytes) else searcher.schema[field].to_bytes(text)
                ]
            elif type(part) is wq.TermRange:
                btexts = part._btexts(reader)
            else:  # pragma: no cover - _compile_query makes terms and term ranges only
                raise TypeError(f"unexpected part of a range: {part!r}")
            for btext in btexts:
                info = _term_info(reader, field, btext)
                if info is not None:
                    ids, _ = _postings(reader, field, btext, info)
                    docs.update([offset + d for d in ids] if offset else ids)
    first = heapq.nsmallest(limit, docs)
    return [(d, score) for d in first], len(docs)
