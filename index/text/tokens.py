"""An article as the sequence of analysed terms that passage alignment and shingling use."""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterator
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
# several shared shingles close together, and alignment checks the words themselves.
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
    """`shingles` as numbers, hash << 32 | position: in hash order as numbers, they are in
    the order of their (hash, position) pairs."""
    values = [crc32(t.key.encode("utf-8")) for t in tokens]  # term_value, inline
    out: list[int] = []
    seen: set[int] = set()
    for i in range(len(tokens) - 2):  # each 3-gram's first token
        first, last = tokens[i], tokens[i + 2]
        if first.repeat or last.segment != first.segment or last.repeat:
            continue
        if first.name and tokens[i + 1].name and last.name:
            continue
        h = _gram_key(values[i], values[i + 1], values[i + 2])
        if h not in seen:
            seen.add(h)
            out.append(h << 32 | i)
    return out + _pair_codes(tokens, PAIR_REACH, values)


def word_pairs(tokens: list[AlignToken], reach: int = PAIR_REACH) -> list[tuple[int, int]]:
    """(hash, position of the first) of each pair of different words at most `reach` apart,
    in either order, in one segment outside repeated paragraphs, not both names. A reworded
    passage keeps few 3-grams (a synonym every third word breaks all of them) but many such
    pairs: a word swapped, dropped or moved by one leaves the pairs around it whole."""
    values = [term_value(t.key) for t in tokens]
    return [_pair(c) for c in _pair_codes(tokens, reach, values)]


def _pair_codes(tokens: list[AlignToken], reach: int, values: list[int]) -> list[int]:
    out: list[int] = []
    seen: set[int] = set()
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.repeat:
            continue
        a = values[i]
        for j in range(i + 1, min(n, i + reach + 1)):
            u = tokens[j]
            if u.segment != t.segment or u.repeat:
                break
            if u.key == t.key or (t.name and u.name):
                continue
            h = _pair_key(a, values[j])
            if h not in seen:
                seen.add(h)
                out.append(h << 32 | i)
    return out
