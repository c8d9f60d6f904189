"""An article as the sequence of analysed terms that passage alignment and shingling use."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..model import Article, Kind
from .analysis import Analyzer, Term

SHINGLE_SIZE = 3


@dataclass(frozen=True, slots=True)
class AlignToken:
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


def article_shingles(
    article: Article, analyzer: Analyzer, terms: list[Term] | None = None
) -> list[tuple[int, int]]:
    """The shingles the index files an article under (see `shingles`)."""
    return shingles(article_tokens(article, analyzer, terms))


# A posting key's bytes. Four: SQLite stores the key in 4 bytes instead of 8, a fifth of the
# shingle table. Two shingles sharing a key by chance cost nothing but a look: a candidate
# needs several shared shingles close together, and alignment checks the words themselves.
HASH_BYTES = 4


def shingle_hash(keys: tuple[str, ...]) -> int:
    """A 3-gram's posting key: always even (word pairs are odd, see `pair_hash`)."""
    digest = hashlib.blake2b("\x1f".join(keys).encode("utf-8"), digest_size=HASH_BYTES).digest()
    return int.from_bytes(digest, "little", signed=True) & ~1


def pair_hash(first: str, second: str) -> int:
    """A word pair's posting key (the two terms in either order): always odd."""
    lo, hi = (first, second) if first <= second else (second, first)
    digest = hashlib.blake2b(f"{lo}\x1e{hi}".encode(), digest_size=HASH_BYTES).digest()
    return int.from_bytes(digest, "little", signed=True) | 1


def is_pair(h: int) -> bool:
    """Whether a posting key is a word pair's rather than a 3-gram's."""
    return bool(h & 1)


PAIR_REACH = 2  # a word pairs with the next words up to this far on (skipping one)


def shingles(tokens: list[AlignToken], size: int = SHINGLE_SIZE) -> list[tuple[int, int]]:
    """(hash, token position) of every n-gram inside one segment, outside repeated
    paragraphs, that is not made of names only ("rusia vladimir putin" says nothing), and of
    every word pair (`word_pairs`)."""
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for i in range(len(tokens) - size + 1):
        window = tokens[i : i + size]
        first = window[0]
        if first.repeat or window[-1].segment != first.segment or window[-1].repeat:
            continue
        if all(t.name for t in window):
            continue
        h = shingle_hash(tuple(t.key for t in window))
        if h in seen:
            continue
        seen.add(h)
        out.append((h, i))
    return out + word_pairs(tokens)


def word_pairs(tokens: list[AlignToken], reach: int = PAIR_REACH) -> list[tuple[int, int]]:
    """(hash, position of the first) of each pair of different words at most `reach` apart,
    in either order, in one segment outside repeated paragraphs, not both names. A reworded
    passage keeps few 3-grams (a synonym every third word breaks all of them) but many such
    pairs: a word swapped, dropped or moved by one leaves the pairs around it whole."""
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    n = len(tokens)
    for i, t in enumerate(tokens):
        if t.repeat:
            continue
        for j in range(i + 1, min(n, i + reach + 1)):
            u = tokens[j]
            if u.segment != t.segment or u.repeat:
                break
            if u.key == t.key or (t.name and u.name):
                continue
            h = pair_hash(t.key, u.key)
            if h not in seen:
                seen.add(h)
                out.append((h, i))
    return out
