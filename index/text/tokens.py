"""An article as the sequence of analysed terms that passage alignment and shingling use."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator
from itertools import compress, repeat
from operator import itemgetter, not_, or_
from typing import NamedTuple
from zlib import crc32

import numpy as np

from ..model import Article, Kind
from .analysis import Analyzer, Term
from .words import UNIT_WORDS


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
    terms = list(compress(terms, map(not_, map(itemgetter(3), terms))))  # not stop words
    starts = list(map(itemgetter(1), terms))
    out: list[AlignToken] = []
    segment = 0
    for p in article.paragraphs:
        if p.boilerplate or p.kind == Kind.META:
            segment += 1
            continue
        inside = terms[bisect_left(starts, p.start) : bisect_left(starts, p.end)]
        if not inside:
            continue
        keys = list(map(itemgetter(0), inside))
        # Numbers, like names, are shared by unrelated stories (a date, a score): they may
        # extend a passage but never make one; so are the units split off them ("Rp4").
        names = map(or_, map(itemgetter(4), inside), map(is_figure, keys))
        rows = zip(
            keys,
            map(itemgetter(1), inside),
            map(itemgetter(2), inside),
            repeat(segment),
            names,
            repeat(p.repeat_of is not None),
            repeat(p.index),
        )
        # tuple.__new__ skips the NamedTuple's Python-level constructor.
        out += map(tuple.__new__, repeat(AlignToken), rows)
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
        self.hashes = array("i", hashes)
        self.positions = array("i", positions)
        self.by_key = by_key

    @classmethod
    def of_tokens(cls, tokens: list[AlignToken]) -> Shingles:
        """The shingles of `tokens` (`shingles`), in hash order, straight from the arrays
        that shingling makes."""
        hashes, positions = _shingle_arrays(tokens)
        out = cls.__new__(cls)
        out.hashes, out.positions = array("i"), array("i")
        out.hashes.frombytes(hashes.tobytes())
        out.positions.frombytes(positions.tobytes())
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
    return Shingles.of_tokens(article_tokens(article, analyzer, terms))


# A posting key is 4 bytes: SQLite stores it in 4 bytes instead of 8, a fifth of the shingle
# table. Two shingles sharing a key by chance cost nothing but a look: a candidate needs
# several shared shingles close together, and alignment checks the words themselves. The
# catalog files keys of 4 bytes only (see store/postings.py).
HASH_BYTES = 4
_MASK = (1 << 64) - 1
_SHIFT = 64 - 8 * HASH_BYTES
_WRAP, _HALF = 1 << 8 * HASH_BYTES, 1 << (8 * HASH_BYTES - 1)
# Odd 64-bit multipliers, one per place: a key is the top bits of the sum of its terms'
# values times their place's multiplier (multiply-shift hashing). Each term's value is
# worked out once (hashing every 3-gram's and pair's text anew was a third of shingling).
_PLACES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
_PAIR_PLACES = (0xD6E8FEB86659FD93, 0xA0761D6478BD642F)
_P = np.array(_PLACES, np.uint64)
_Q = np.array(_PAIR_PLACES, np.uint64)


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


def is_figure(key: str) -> bool:
    """Whether an analysed term is a number or a unit of one ("rp", "km")."""
    return key.isdigit() or key in UNIT_WORDS


def text_grams(terms: list[Term]) -> set[int]:
    """The 3-gram keys of a text analysed on its own (a query), as the shingle index files
    an article's: three consecutive content words, not all of them names or figures (see
    `article_tokens` and `shingles`)."""
    words = [t for t in terms if not t.stop]
    named = [t.name or is_figure(t.text) for t in words]
    return {
        shingle_hash((a.text, b.text, c.text))
        for k, (a, b, c) in enumerate(zip(words, words[1:], words[2:], strict=False))
        if not (named[k] and named[k + 1] and named[k + 2])
    }


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
    every word pair (`word_pairs`); each hash once, at its first position, in hash order."""
    hashes, positions = _shingle_arrays(tokens)
    return list(zip(hashes.tolist(), positions.tolist(), strict=True))


def word_pairs(tokens: list[AlignToken], reach: int = PAIR_REACH) -> list[tuple[int, int]]:
    """(hash, position of the first) of each pair of different words at most `reach` apart,
    in either order, in one segment outside repeated paragraphs, not both names, each hash
    once, at its first position, in hash order. A reworded passage keeps few 3-grams (a
    synonym every third word breaks all of them) but many such pairs: a word swapped,
    dropped or moved by one leaves the pairs around it whole."""
    hashes, positions = _shingle_arrays(tokens, reach, grams=False)
    return list(zip(hashes.tolist(), positions.tolist(), strict=True))


def _top_keys(sums: np.ndarray) -> np.ndarray:
    """The top 4 bytes of 64-bit sums, as signed 4-byte keys."""
    return (sums >> np.uint64(64 - 8 * HASH_BYTES)).astype(np.uint32).view(np.int32)


def _shingle_arrays(
    tokens: list[AlignToken], reach: int = PAIR_REACH, *, grams: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """`shingles` as two arrays of 4-byte integers (hashes, positions). Worked out by numpy
    a column at a time, whose 64-bit products wrap as `_gram_key`'s masked ones do: about
    a third of the time of the same columns in Python, which was a third of preparing an
    article for the index."""
    n = len(tokens)
    if n < 2:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    keys, _, _, segments, names, repeats, _ = zip(*tokens, strict=True)
    values = np.fromiter(map(crc32, map(str.encode, keys)), np.uint64, n)  # term_value
    segment = np.array(segments, np.int64)
    name = np.array(names, bool)
    repeated = np.array(repeats, bool)
    hashes: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    if grams and n >= 3:
        sums = values[:-2] * _P[0] + values[1:-1] * _P[1] + values[2:] * _P[2]
        kept = (segment[:-2] == segment[2:]) & ~(
            repeated[:-2] | repeated[2:] | (name[:-2] & name[1:-1] & name[2:])
        )
        at = np.flatnonzero(kept)
        hashes.append(_top_keys(sums[at]) & np.int32(~1))  # even: a 3-gram
        positions.append(at)
    # broken[i]: a repeated token among i..i+d (segments only grow: equal ends, one segment)
    broken = repeated
    for d in range(1, min(reach, n - 1) + 1):
        broken = broken[:-1] | repeated[d:]
        a, b = values[:-d], values[d:]
        kept = (segment[:-d] == segment[d:]) & ~broken & ~(name[:-d] & name[d:])
        for i in np.flatnonzero(kept & (a == b)).tolist():  # one value: the same word?
            kept[i] = keys[i] != keys[i + d]
        at = np.flatnonzero(kept)
        low, high = np.minimum(a[at], b[at]), np.maximum(a[at], b[at])
        hashes.append(_top_keys(low * _Q[0] + high * _Q[1]) | np.int32(1))  # odd: a pair
        positions.append(at)
    if not hashes:
        return np.empty(0, np.int32), np.empty(0, np.int32)
    # One 8-byte number a shingle, hash then position, sorted: (hash, position) order.
    codes = np.concatenate(hashes).astype(np.int64) << 32 | np.concatenate(positions)
    codes.sort()
    keys_in_order = (codes >> 32).astype(np.int32)
    first = np.empty(len(codes), bool)  # each hash at its first position
    first[:1] = True
    np.not_equal(keys_in_order[1:], keys_in_order[:-1], out=first[1:])
    return keys_in_order[first], codes[first].astype(np.int32)
