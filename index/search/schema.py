"""The Whoosh side: schema, analyzers in Whoosh's shape, and turning an article into a
document. Whoosh is frozen upstream, so nothing outside this module and `search` touches it."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from itertools import accumulate, compress, pairwise
from operator import itemgetter, not_
from pickle import dumps
from struct import Struct
from typing import NamedTuple

from whoosh import fields
from whoosh.analysis import Analyzer as WhooshAnalyzer
from whoosh.analysis import Token
from whoosh.formats import Frequency, Positions

from ..model import Article
from ..text.analysis import Analyzer, Term
from ..text.words import fold, split_words
from .highlight import variant_parts


class Analysed(str):
    """A field value whose terms are already known, so that indexing analyses an article
    once for every use (full text, shingles, spelling words) instead of once per use. An item
    of `terms` is one term, or a tuple of terms that share one position (a multi-word variant
    and its words)."""

    terms: list[str | tuple[str, ...]]

    def __new__(cls, value: str, terms: list[str | tuple[str, ...]]) -> Analysed:
        obj = super().__new__(cls, value)
        obj.terms = terms
        return obj

    def __getnewargs__(self) -> tuple[str, list[str]]:  # prepared in another process
        return str(self), self.terms


TITLE_BOOST = 2.0


def _known_terms(
    t: Token, pre: list[str | tuple[str, ...]], start_pos: int, positions: bool
) -> Iterator[Token]:
    """The tokens of an `Analysed` value: its terms, those of a tuple at one position."""
    for pos, item in enumerate(pre, start_pos):
        for text in (item,) if isinstance(item, str) else item:
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            yield t


class TermAnalyzer(WhooshAnalyzer):
    """Our analysis pipeline (stems, variants, stop words) as a Whoosh analyzer. Module level
    and plain data, because Whoosh pickles it into the index."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TermAnalyzer) and other.analyzer == self.analyzer

    __hash__ = None  # type: ignore[assignment]

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh asks for the whole value as one term (e.g. range ends).
            t.original = t.text = fold(value)
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        pre = getattr(value, "terms", None)
        if pre is not None:
            yield from _known_terms(t, pre, start_pos, positions)
            return
        pos = start_pos
        for term in self.analyzer.terms(value):
            if term.stop and removestops:
                continue
            t.text = term.text
            t.boost = 1.0
            t.stopped = term.stop
            if keeporiginal:
                t.original = value[term.start : term.end]
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + term.start
                t.endchar = start_char + term.end
            if not term.stop:
                pos += 1
            yield t


class SurfaceAnalyzer(WhooshAnalyzer):
    """Folded surface words, unstemmed and every one kept: for exact phrases, spelling
    suggestions, prefixes and metadata."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SurfaceAnalyzer)

    __hash__ = None  # type: ignore[assignment]

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pre = getattr(value, "terms", None) if tokenize else None
        if pre is not None:
            yield from _known_terms(t, pre, start_pos, positions)
            return
        words = split_words(value) if tokenize else [None]
        for pos, w in enumerate(words, start_pos):
            t.text = fold(value) if w is None else w.folded
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + (0 if w is None else w.start)
                t.endchar = start_char + (len(value) if w is None else w.end)
            yield t


# Quoted phrases search these: every word as written (folded), stop words included, so that
# "tanpa batas" does not also find "tidak mengenal batas".
EXACT_FIELDS = {"title": "title_exact", "body": "body_exact"}


class GapPositions(Positions):
    """Whoosh's `Positions`, a posting's positions written as their gaps, a byte each where
    every gap is below 255 (`positions_value`). Whoosh writes the count in 4 bytes, then
    the gaps pickled: a word met once took 8 bytes instead of 1 or 3. At 22,000 CLICK-ID
    articles the exact words' lists in term infos took 11.2 -> 6.4 MiB, their blocks
    26.1 -> 21.2 MiB compressed. Whoosh's readers decode a value through its format's
    decoders, which are these. Module level and plain data, because Whoosh pickles it into
    the index (by name: an index written with `CompactPositions` reads as it was written)."""

    def encode(self, poslist: list[int]) -> bytes:
        return positions_value(poslist)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return decode_positions(valuestring)

    def decode_frequency(self, valuestring: bytes) -> int:
        return positions_count(valuestring)

    def decode_weight(self, valuestring: bytes) -> float:
        return positions_count(valuestring) * self.field_boost


class CompactPositions(Positions):
    """The format of indexes of schema 15 (Whoosh's `Positions`, its gaps pickled without a
    protocol header or memo entry), kept so that such an index, searched while a newer
    version rebuilds it (the app does), reads as it was written: Whoosh's decoders read
    it."""

    def encode(self, poslist: list[int]) -> bytes:
        gaps = [b - a for a, b in zip((0, *poslist), poslist, strict=False)]
        return _COUNT(len(poslist)) + b"]" + dumps(gaps, 1)[3:]


# A value's first byte: the gaps in 2 bytes each, or in 4. Otherwise every gap is a byte,
# the first (the first position plus one) from 1 to 254.
_WIDE, _WIDEST = 0, 255
_IN_BYTES = {_WIDE: 2, _WIDEST: 4}
_BIG_ENDIAN = sys.byteorder == "big"


def positions_value(positions: list[int]) -> bytes:
    """A posting's value as `GapPositions` encodes it: the first position plus one,
    then the gaps from one position to the next, a byte each when all are below 255, else
    a mark byte and 2 (or 4) little-endian bytes each."""
    if len(positions) == 1 and positions[0] < len(_SINGLE):
        return _SINGLE[positions[0]]  # most postings: one use of a word in an article
    if not positions:
        return b""
    gaps = [positions[0] + 1, *(b - a for a, b in pairwise(positions))]
    top = max(gaps)
    if top < _WIDEST:
        return bytes(gaps)
    wide = array("H" if top < 1 << 16 else "I", gaps)
    if _BIG_ENDIAN:
        wide.byteswap()
    return bytes((_WIDE if wide.itemsize == 2 else _WIDEST,)) + wide.tobytes()


_SINGLE = [bytes((p + 1,)) for p in range(_WIDEST - 1)]  # a lone position's value, made once


def decode_positions(value: bytes) -> list[int]:
    """The positions `positions_value` wrote."""
    if not value:
        return []
    size = _IN_BYTES.get(value[0])
    if size is None:
        gaps: bytes | array = value
    else:
        gaps = array("H" if size == 2 else "I")
        gaps.frombytes(value[1:])
        if _BIG_ENDIAN:
            gaps.byteswap()
    found = accumulate(gaps, initial=-1)
    next(found)
    return list(found)


def positions_count(value: bytes) -> int:
    """How many positions `positions_value` wrote."""
    if not value:
        return 0
    size = _IN_BYTES.get(value[0])
    return len(value) if size is None else (len(value) - 1) // size


def make_schema(analyzer: Analyzer) -> fields.Schema:
    terms = TermAnalyzer(analyzer)
    surface = SurfaceAnalyzer()
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        # No positions: phrases are matched on the exact fields, so these only rank.
        title=fields.TEXT(analyzer=terms, field_boost=TITLE_BOOST, phrase=False),
        body=fields.TEXT(analyzer=terms, phrase=False),
        title_exact=fields.TEXT(analyzer=surface, field_boost=TITLE_BOOST, phrase=True),
        body_exact=fields.TEXT(analyzer=surface, phrase=True),
        outlet=fields.TEXT(analyzer=surface, phrase=True),
        author=fields.TEXT(analyzer=surface, phrase=True),
        lang=fields.ID(),
        date=fields.DATETIME(sortable=True),
    )
    # Whoosh's TEXT fields take no format of their own: the positional ones get ours.
    for field in schema:
        if type(field.format) is Positions:
            field.format = GapPositions(field_boost=field.format.field_boost)
    return schema


def _inside(terms: list[Term], spans: list[tuple[int, int]]) -> list[Term]:
    """The terms starting in the spans (both in text order, the spans apart), by bisecting
    the terms' starts: a slice a span rather than a step a term."""
    starts = list(map(_START, terms))
    out: list[Term] = []
    for start, end in spans:
        out += terms[bisect_left(starts, start) : bisect_left(starts, end)]
    return out


def _with_parts(
    terms: list[Term], text: str, analyzer: Analyzer, forms: set[tuple[str, str]]
) -> list[str | tuple[str, ...]]:
    """Content terms, a multi-word variant together with its own words ("kerja sama" is also
    "kerja" and "sama"), so that searching for one of the words finds it. Adds each term's
    written form to `forms`."""
    content = list(compress(terms, map(not_, map(_STOP, terms))))
    out: list[str | tuple[str, ...]] = list(map(_TEXT, content))
    surfaces = list(map(_SURFACE, content))
    forms.update(zip(out, surfaces, strict=True))
    if len(" ".join(surfaces).split(" ")) == len(surfaces):
        return out  # no multi-word variant (a surface is words joined by single spaces)
    for i, t in enumerate(content):
        if " " not in t.surface:
            continue
        parts = variant_parts(t, text, analyzer)
        forms.update((p.text, p.surface) for p in parts)
        if parts:
            out[i] = (t.text, *dict.fromkeys(p.text for p in parts if p.text != t.text))
    return out


def _surface_words(terms: list[Term]) -> list[str]:
    """The words of the terms' written forms, in order (a multi-word variant's each)."""
    surfaces = list(map(_SURFACE, terms))
    return " ".join(surfaces).split()


_TEXT, _START, _STOP, _SURFACE = (itemgetter(k) for k in (0, 1, 3, 5))  # of a Term


class IndexedText(NamedTuple):
    fields: dict  # what the full-text engine indexes
    words: list[str]  # the article's surface words, once each (for the spelling dictionary)
    forms: list[tuple[str, str]]  # (term, written form) pairs (for marking hits, see catalog)


def to_document(article: Article, terms: list[Term], analyzer: Analyzer) -> IndexedText:
    """What is indexed for one article, from its terms (`analyzer.terms` of its whole
    text)."""
    meta = article.meta
    body = _inside(terms, [(p.start, p.end) for p in article.visible])
    span = meta.title_span
    if span is not None:
        title = _inside(terms, [(span.start, span.end)])
        title_text = article.text
    else:
        title = analyzer.terms(meta.title) if meta.title else []
        title_text = meta.title or ""
    title_words = _surface_words(title)
    body_words = _surface_words(body)
    # Spelling suggestions need each word once per article, not every use.
    words = sorted({*title_words, *body_words})
    forms: set[tuple[str, str]] = set()
    doc: dict = {
        "id": article.id,
        "title": Analysed(meta.title or "", _with_parts(title, title_text, analyzer, forms)),
        "body": Analysed(article.body_text, _with_parts(body, article.text, analyzer, forms)),
        "title_exact": Analysed(meta.title or "", title_words),
        "body_exact": Analysed(article.body_text, body_words),
        "outlet": meta.outlet or "",
        "author": meta.author or "",
        "lang": meta.language or "unknown",
    }
    when = naive_date(meta.date) if meta.date else None
    if when is not None:
        doc["date"] = when
    return IndexedText(doc, words, sorted(forms))


# -- postings worked out where an article is prepared ------------------------------------------
# Turning a field's terms into Whoosh postings (term bytes, weight, encoded positions) is most
# of Whoosh's work per document and needs nothing of the index being written, so it is done
# in the worker process that prepared the article; the writing process only files the
# postings under the document's number (`add_postings`).
POSTINGS = "_postings"  # the key of a document's pre-computed postings (Whoosh skips "_" keys)
_schema: tuple[Analyzer, fields.Schema] | None = None  # the last analyzer's schema


def with_postings(doc: dict, analyzer: Analyzer) -> dict:
    """`doc` with each indexed field's postings worked out, as Whoosh's `add_document` would
    (its `field.index`); the values of fields neither stored nor kept in a column are then
    not needed any more, and are left out (an empty string keeps the field's length)."""
    global _schema
    if _schema is None or _schema[0] is not analyzer:
        _schema = (analyzer, make_schema(analyzer))
    schema = _schema[1]
    out: dict = {}
    postings: dict[str, tuple[list[tuple[bytes, float, bytes | None]], int, int]] = {}
    for name, value in doc.items():
        field = schema[name]
        if value is None or not field.indexed or field.separate_spelling() or field.vector:
            out[name] = value
            continue
        base = 28 + 4 * 5 + 21 + len(name) + 26 + 18 + 16 + 21  # PostingPool.add's estimate
        known = getattr(value, "terms", None)
        if known is not None and type(field.format) in (Frequency, GapPositions):
            items, length, size = _known_postings(field.format, known, base)
            if not field.scorable:
                length = 0
        else:
            items = []
            length = size = 0
            for tbytes, freq, weight, vbytes in field.index(value):
                if field.scorable:
                    length += freq
                items.append((tbytes, weight, vbytes))
                size += base + 2 * len(tbytes) + len(vbytes or "")
        postings[name] = (items, length, size)
        out[name] = value if field.stored or field.column_type else ""
    out[POSTINGS] = postings
    return out


_COUNT = Struct("!I").pack  # Whoosh's pack_uint


def _known_postings(
    fmt: Frequency | GapPositions, terms: list[str | tuple[str, ...]], base: int
) -> tuple[list[tuple[bytes, float, bytes]], int, int]:
    """What Whoosh's `field.index` gives for an `Analysed` value (its postings, in the same
    order, byte for byte), the field's length and the postings' size as Whoosh's posting
    pool estimates it (`base` a posting, and the bytes of its term and value), without a
    Token object per word: with frequencies only, or positions too. Half a worker's time
    in Whoosh's `add_document` went into making and reading those tokens."""
    boost = fmt.field_boost
    if tuple in set(map(type, terms)):
        flat = [t for item in terms for t in ((item,) if type(item) is str else item)]
    else:
        flat = terms  # type: ignore[assignment]
    if type(fmt) is Frequency:
        counts = Counter(flat)
        freqs = list(counts.values())
        values = list(map(_COUNT, freqs))
    else:
        where: defaultdict[str, list[int]] = defaultdict(list)
        for pos, item in enumerate(terms):
            if type(item) is str:
                where[item].append(pos)
            else:
                for t in item:
                    where[t].append(pos)
        counts = where  # type: ignore[assignment]
        freqs = list(map(len, where.values()))
        values = list(map(positions_value, where.values()))
    weights = [n * boost for n in freqs]
    words = list(map(str.encode, counts))  # UTF-8
    size = len(words) * base + 2 * sum(map(len, words)) + sum(map(len, values))
    return list(zip(words, weights, values, strict=True)), len(flat), size


def naive_date(value: str) -> datetime | None:
    """A naive datetime, as the index files and sorts an article's date (its own local
    time). Here rather than with the metadata parsing, whose patterns a search process need
    not compile."""
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None
