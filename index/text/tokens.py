"""An article as the sequence of analysed terms that passage alignment and shingling use."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple
from zlib import crc32

from ..model import Article, Kind
from .analysis import Analyzer, Term

if TYPE_CHECKING:
    import numpy as np


class AlignToken(NamedTuple):  # a tuple: made 3 times faster than a frozen dataclass
    key: str  # the analysed term
    start: int  # offsets into the article's original text
    end: int
    segment: int  # runs of text not broken by boilerplate; passages never cross one
    name: bool  # a proper name or a number: these alone never make a passage
    repeat: bool  # inside a paragraph the article repeats from itself
    paragraph: int  # the index of the paragraph it sits in


def article_tokens(
    article: Article, analyzer: Analyzer, terms: list[Term] | None = None
) -> list[AlignToken]:
    """Content terms (no stop words) of every paragraph that is not boilerplate or a
    byline/dateline; self-repeated paragraphs are kept and flagged. `terms`: the article's
    analysed text when the caller has it already."""
    if terms is None:
        terms = analyzer.terms(article.text)
    terms = [t for t in terms if not t.stop]
    out: list[AlignToken] = []
    segment = 0
    k = 0
    for p in article.paragraphs:
        while k < len(terms) and terms[k].start < p.start:
            k += 1
        if p.boilerplate or p.kind == Kind.META:
            segment += 1
            continue
        repeat = p.repeat_of is not None
        while k < len(terms) and terms[k].start < p.end:
            t = terms[k]
            # Numbers, like names, are shared by unrelated stories (a date, a score):
            # they may extend a passage but never make one.
            name = t.name or t.text.isdigit()
            out.append(AlignToken(t.text, t.start, t.end, segment, name, repeat, p.index))
            k += 1
    return out


class Shingles:
    """An article's shingles, (hash, position) each as `shingles` gives them, kept as two
    arrays of 4-byte integers. A worker process hands them over as two byte strings rather
    than as a tuple per shingle: pickling and unpickling 400 tuples an article took about
    a quarter of a millisecond, the arrays a hundredth of that. `by_key`: put in hash
    order, as the catalog files them (see `article_shingles`)."""

    __slots__ = ("by_key", "hashes", "positions")

    def __init__(self, pairs: list[tuple[int, int]], *, by_key: bool = False) -> None:
        if by_key:
            pairs = sorted(pairs)
        hashes, positions = zip(*pairs, strict=True) if pairs else ((), ())
        self.hashes = array(_KEY_TYPE, hashes)
        self.positions = array("i", positions)
        self.by_key = by_key

    @classmethod
    def in_key_order(cls, codes: Sequence[int] | np.ndarray) -> Shingles:
        """The shingles of `codes` (`shingle_codes`), in hash order. Sorted as numbers and
        split in two by numpy (a shingle's hash and position are the halves of an 8-byte
        number), not sorted as pairs and taken apart by `zip`."""
        import numpy as np  # where articles are shingled: a search never loads it

        ordered = np.sort(np.asarray(codes, dtype=np.int64))
        out = cls.__new__(cls)
        out.hashes, out.positions = array(_KEY_TYPE), array("i")
        out.hashes.frombytes((ordered >> 32).astype(np.int32).tobytes())
        out.positions.frombytes((ordered & _POSITION).astype(np.int32).tobytes())
        out.by_key = True
        return out

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions, strict=True)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Shingles)
            and self.hashes == other.hashes
            and self.positions == other.positions
        )

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> tuple[array, array, bool]:
        return self.hashes, self.positions, self.by_key

    def __setstate__(self, state: tuple[array, array, bool]) -> None:
        self.hashes, self.positions, self.by_key = state


def article_shingles(
    article: Article, analyzer: Analyzer, terms: list[Term] | None = None
) -> Shingles:
    """The shingles the index files an article under (see `shingles`), in hash order: a
    worker process sorts them, so that the process writing the catalog only merges."""
    return Shingles.in_key_order(
        _codes(article_tokens(article, analyzer, terms), PAIR_REACH, grams=True)
    )


# A posting key is 4 bytes: SQLite stores it in 4 bytes instead of 8, a fifth of the shingle
# table. Two shingles sharing a key by chance cost nothing but a look: a candidate needs
# several shared shingles close together, and alignment checks the words themselves. The
# catalog files keys of 4 bytes only (see store/postings.py).
HASH_BYTES = 4
_KEY_TYPE = "i"  # the array type a key fits in
_MASK = (1 << 64) - 1
_SHIFT = 64 - 8 * HASH_BYTES
_WRAP, _HALF = 1 << 8 * HASH_BYTES, 1 << (8 * HASH_BYTES - 1)
# Odd 64-bit multipliers, one per place: a key is the top bits of the sum of its terms'
# values times their place's multiplier (multiply-shift hashing). Each term's value is
# worked out once (hashing every 3-gram's and pair's text anew was a third of shingling).
_PLACES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
_PAIR_PLACES = (0xD6E8FEB86659FD93, 0xA0761D6478BD642F)
_POSITION = (1 << 32) - 1  # a shingle's code: its hash, then its position in 32 bits


def term_value(term: str) -> int:
    """A term's stable value (Python's own `hash` is salted per process): its CRC-32. Two
    terms of one value would only share shingle keys, as 4-byte keys do by chance anyway;
    a 64-bit BLAKE2 digest took 0.7 µs a term against 0.1, a memo of them a dict an
    article."""
    return crc32(term.encode("utf-8"))


def _gram_key(a: int, b: int, c: int) -> int:
    """A 3-gram's posting key, from its terms' values: the top bits of a 64-bit sum, as a
    signed 4-byte number, always even (pairs are odd)."""
    key = ((a * _PLACES[0] + b * _PLACES[1] + c * _PLACES[2]) & _MASK) >> _SHIFT
    return (key - _WRAP if key >= _HALF else key) & ~1


def _pair_key(a: int, b: int) -> int:
    """A word pair's posting key (the two terms in either order): always odd."""
    lo, hi = (a, b) if a <= b else (b, a)
    key = ((lo * _PAIR_PLACES[0] + hi * _PAIR_PLACES[1]) & _MASK) >> _SHIFT
    return (key - _WRAP if key >= _HALF else key) | 1


def shingle_hash(keys: tuple[str, str, str]) -> int:
    """A 3-gram's posting key."""
    return _gram_key(*map(term_value, keys))


def pair_hash(first: str, second: str) -> int:
    """A word pair's posting key."""
    return _pair_key(term_value(first), term_value(second))


def is_pair(h: int) -> bool:
    """Whether a posting key is a word pair's rather than a 3-gram's."""
    return bool(h & 1)


PAIR_REACH = 2  # a word pairs with the next words up to this far on (skipping one)


def shingles(tokens: list[AlignToken]) -> list[tuple[int, int]]:
    """(hash, token position) of every 3-gram inside one segment, outside repeated
    paragraphs, that is not made of names only ("rusia vladimir putin" says nothing), and of
    every word pair (`word_pairs`)."""
    return _pairs(_codes(tokens, PAIR_REACH, grams=True))


def shingle_codes(tokens: list[AlignToken]) -> list[int]:
    """`shingles` as numbers, hash << 32 | position, in hash order (and so in the order of
    their (hash, position) pairs), each hash once, at its first position."""
    return _codes(tokens, PAIR_REACH, grams=True).tolist()


def word_pairs(tokens: list[AlignToken], reach: int = PAIR_REACH) -> list[tuple[int, int]]:
    """(hash, position of the first) of each pair of different words at most `reach` apart,
    in either order, in one segment outside repeated paragraphs, not both names, each hash
    once, at its first position, in hash order. A reworded passage keeps few 3-grams (a
    synonym every third word breaks all of them) but many such pairs: a word swapped,
    dropped or moved by one leaves the pairs around it whole."""
    return _pairs(_codes(tokens, reach, grams=False))


def _pairs(codes: np.ndarray) -> list[tuple[int, int]]:
    return list(zip((codes >> 32).tolist(), (codes & _POSITION).tolist(), strict=True))


def _codes(tokens: list[AlignToken], reach: int, *, grams: bool) -> np.ndarray:
    """The codes (hash << 32 | position, as signed 8-byte numbers) of the tokens' word pairs
    up to `reach` apart, and of their 3-grams with `grams`: in order, each hash once, at its
    first position. Worked out a column at a time by numpy: 0.4 ms an article of 220 words
    in Python's big integers, 0.15 here."""
    import numpy as np  # where articles are shingled: a search never loads it

    if len(tokens) < 2:
        return np.zeros(0, dtype=np.int64)
    keys, _, _, segment_list, name_list, repeat_list, _ = zip(*tokens, strict=True)
    # term_value, a C-level map: a third of the time as a comprehension.
    values = np.fromiter(map(crc32, map(str.encode, keys)), dtype=np.uint64, count=len(keys))
    segments = np.array(segment_list)
    names = np.array(name_list, dtype=bool)
    repeats = np.array(repeat_list, dtype=bool)
    found = [_pair_codes(keys, values, segments, names, repeats, d) for d in range(1, reach + 1)]
    if grams and len(tokens) > 2:
        found.append(_gram_codes(values, segments, names, repeats))
    codes = np.sort(np.concatenate(found))
    hashes = codes >> 32
    first = np.empty(len(codes), dtype=bool)
    first[:1] = True
    np.not_equal(hashes[1:], hashes[:-1], out=first[1:])
    return codes[first]


def _top_bits(total: np.ndarray) -> np.ndarray:
    """The top HASH_BYTES of 64-bit sums, as signed numbers (8 bytes wide)."""
    import numpy as np

    top = (total >> np.uint64(_SHIFT)).astype(np.int64)
    return (top ^ _HALF) - _HALF


def _gram_codes(
    values: np.ndarray, segments: np.ndarray, names: np.ndarray, repeats: np.ndarray
) -> np.ndarray:
    """Every 3-gram whose first and last words are in one segment and not repeated, not of
    names only (`_gram_key`, even)."""
    import numpy as np

    p0, p1, p2 = (np.uint64(p) for p in _PLACES)
    total = values[:-2] * p0 + values[1:-1] * p1 + values[2:] * p2  # wraps, as wanted
    kept = (segments[:-2] == segments[2:]) & ~(
        repeats[:-2] | repeats[2:] | (names[:-2] & names[1:-1] & names[2:])
    )
    return ((_top_bits(total) & ~1) << 32 | np.arange(len(total)))[kept]


def _pair_codes(
    keys: tuple[str, ...],
    values: np.ndarray,
    segments: np.ndarray,
    names: np.ndarray,
    repeats: np.ndarray,
    d: int,
) -> np.ndarray:
    """The codes of the word pairs `d` apart (`_pair_key`, odd): different words, not both
    names, every word from the first to the second in one segment and not repeated."""
    import numpy as np

    n = len(values)
    if d >= n:
        return np.zeros(0, dtype=np.int64)
    a, b = values[:-d], values[d:]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    total = lo * np.uint64(_PAIR_PLACES[0]) + hi * np.uint64(_PAIR_PLACES[1])
    kept = (a != b) & ~(names[:-d] & names[d:]) & ~repeats[:-d]
    for k in range(1, d + 1):
        kept &= (segments[k : n - d + k] == segments[: n - d]) & ~repeats[k : n - d + k]
    # Two different words of one value (a CRC-32 clash) still make a pair.
    for i in np.flatnonzero(a == b).tolist():
        if keys[i] != keys[i + d] and not (names[i] and names[i + d]):
            kept[i] = all(
                segments[i + k] == segments[i] and not repeats[i + k] for k in range(d + 1)
            )
    return ((_top_bits(total) | 1) << 32 | np.arange(n - d))[kept]
