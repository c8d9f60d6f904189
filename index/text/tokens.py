"""An article as the sequence of analysed terms that passage alignment and shingling use."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from itertools import compress, repeat
from operator import itemgetter, not_, or_
from typing import NamedTuple
from zlib import crc32

from ..model import Article, Kind
from .analysis import Analyzer, Term


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
        # extend a passage but never make one.
        names = map(or_, map(itemgetter(4), inside), map(str.isdigit, keys))
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
        self.hashes = array(_KEY_TYPE, hashes)
        self.positions = array("i", positions)
        self.by_key = by_key

    @classmethod
    def in_key_order(cls, codes: list[int]) -> Shingles:
        """The shingles of `codes` (`shingle_codes`), in hash order. Sorted as numbers and
        split in two by C (a shingle's hash and position are the halves of an 8-byte
        number), not sorted as pairs and taken apart by `zip`: 0.24 ms an article of 800
        shingles, 0.11 with the codes made by the shingling loop itself."""
        if _KEY_TYPE != "i":
            return cls([_pair(c) for c in codes], by_key=True)
        halves = memoryview(array("q", sorted(codes))).cast("B").cast("i")
        key_half, position_half = (0, 1) if sys.byteorder == "big" else (1, 0)
        out = cls.__new__(cls)
        out.hashes, out.positions = array("i"), array("i")
        out.hashes.frombytes(halves[key_half::2].tobytes())
        out.positions.frombytes(halves[position_half::2].tobytes())
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
    return Shingles.in_key_order(shingle_codes(article_tokens(article, analyzer, terms)))


# A posting key is 4 bytes: SQLite stores it in 4 bytes instead of 8, a fifth of the shingle
# table. Two shingles sharing a key by chance cost nothing but a look: a candidate needs
# several shared shingles close together, and alignment checks the words themselves. The
# catalog files keys of 4 bytes only (see store/postings.py).
HASH_BYTES = 4
_KEY_TYPE = "i" if HASH_BYTES == 4 else "q"  # the array type a key fits in
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


def _pair(code: int) -> tuple[int, int]:
    return code >> 32, code & _POSITION


def shingles(tokens: list[AlignToken]) -> list[tuple[int, int]]:
    """(hash, token position) of every 3-gram inside one segment, outside repeated
    paragraphs, that is not made of names only ("rusia vladimir putin" says nothing), and of
    every word pair (`word_pairs`)."""
    return [_pair(c) for c in shingle_codes(tokens)]


def shingle_codes(tokens: list[AlignToken]) -> list[int]:
    """`shingles` as numbers, hash << 32 | position, in hash order (and so in the order of
    their (hash, position) pairs), each hash once, at its first position."""
    if len(tokens) < 2:
        return []
    keys, values, segments, names, repeats = _columns(tokens)
    # Worked out a column at a time rather than token by token: a third of the time.
    codes = _gram_codes(values, segments, names, repeats)
    codes += _pair_codes(keys, values, segments, names, repeats, PAIR_REACH)
    codes.sort()
    return _first_of_each(codes)


def _columns(
    tokens: list[AlignToken],
) -> tuple[tuple[str, ...], list[int], tuple[int, ...], tuple[bool, ...], tuple[bool, ...]]:
    """The tokens' keys, their values (`term_value`), segments, names and repeats."""
    keys, _, _, segments, names, repeats, _ = zip(*tokens, strict=True)
    values = list(map(crc32, map(str.encode, keys)))  # term_value, by C-level maps
    return keys, values, segments, names, repeats


def _first_of_each(codes: list[int]) -> list[int]:
    """Each hash's first code (its first position), `codes` being in order."""
    if not codes:
        return codes
    first = [codes[0]]
    first += [c for c, prev in zip(codes[1:], codes, strict=False) if c >> 32 != prev >> 32]
    return first


def _gram_codes(
    values: list[int], segments: tuple[int, ...], names: tuple[bool, ...], repeats: tuple[bool, ...]
) -> list[int]:
    """Every 3-gram inside one segment, outside repeated paragraphs, not of names only."""
    p0, p1, p2 = _PLACES
    mask, shift, half = _MASK, _SHIFT, _HALF
    return [
        # _gram_key inline: the top bits as a signed number ((x ^ half) - half), even.
        (((((a * p0 + b * p1 + c * p2) & mask) >> shift ^ half) - half) & ~1) << 32 | i
        for i, (a, b, c, s0, s2, r0, r2, n0, n1, n2) in enumerate(
            zip(
                values,
                values[1:],
                values[2:],
                segments,
                segments[2:],
                repeats,
                repeats[2:],
                names,
                names[1:],
                names[2:],
                strict=False,
            )
        )
        if s0 == s2 and not (r0 or r2 or (n0 and n1 and n2))
    ]


def word_pairs(tokens: list[AlignToken], reach: int = PAIR_REACH) -> list[tuple[int, int]]:
    """(hash, position of the first) of each pair of different words at most `reach` apart,
    in either order, in one segment outside repeated paragraphs, not both names, each hash
    once, at its first position, in hash order. A reworded passage keeps few 3-grams (a
    synonym every third word breaks all of them) but many such pairs: a word swapped,
    dropped or moved by one leaves the pairs around it whole."""
    if len(tokens) < 2:
        return []
    codes = sorted(_pair_codes(*_columns(tokens), reach))
    return [_pair(c) for c in _first_of_each(codes)]


def _pair_codes(
    keys: tuple[str, ...],
    values: list[int],
    segments: tuple[int, ...],
    names: tuple[bool, ...],
    repeats: tuple[bool, ...],
    reach: int,
) -> list[int]:
    """The word pairs' codes (see `word_pairs`), a distance at a time, not deduplicated. A
    pair's words are within one run of tokens in one segment, none of them repeated."""
    q0, q1 = _PAIR_PLACES
    mask, shift, half = _MASK, _SHIFT, _HALF
    n = len(keys)
    # run[i]: how far the run of tokens from i on reaches (i + d is in it while d < run[i]).
    run = [0] * n
    end = n
    for i in range(n - 1, -1, -1):
        if repeats[i]:
            end = i
            run[i] = 0
            continue
        if i + 1 < n and segments[i + 1] != segments[i]:
            end = i + 1
        run[i] = end - i
    out: list[int] = []
    for d in range(1, reach + 1):
        out += [
            # _pair_key inline: the two values in order, the top bits signed, odd.
            (
                ((((a * q0 + b * q1 if a <= b else b * q0 + a * q1) & mask) >> shift ^ half) - half)
                | 1
            )
            << 32
            | i
            for i, (a, b, k0, k1, n0, n1, r) in enumerate(
                zip(values, values[d:], keys, keys[d:], names, names[d:], run, strict=False)
            )
            if r > d and k0 != k1 and not (n0 and n1)
        ]
    return out
