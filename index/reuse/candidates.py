"""Which articles may share passages, answered from shingle postings (word 3-grams and word
pairs of each article, stored with the index) without comparing every pair. Too common
shingles are dropped, as passim does, and the shared ones must cluster the way a shared
passage does: a few 3-grams close together (a copy), or more word pairs close together (a
rewrite, where a synonym every third word leaves few 3-grams but most pairs of near words)."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, groupby
from typing import Protocol, runtime_checkable

from ..text.tokens import is_pair


class Postings(Protocol):
    """Where shingles are stored (the index's catalog)."""

    def shingles_of(self, doc: int) -> tuple[Iterable[int], Iterable[int]]:
        """(hashes, positions) of one article's shingles."""
        ...

    def postings(self, hashes: Iterable[int]) -> Iterator[tuple[int, int, int]]:
        """(hash, doc, position) of every article holding one of `hashes`."""
        ...

    def all_postings(self) -> Iterator[tuple[int, int, int]]:
        """Every (hash, doc, position), ordered by hash."""
        ...


@runtime_checkable
class CountedPostings(Postings, Protocol):
    """Postings whose store can count and filter by document frequency itself (the
    catalog does, as it reads its rows, without making a tuple of each posting)."""

    def shared_postings(self, max_docs: int) -> Iterator[tuple[int, int, int]]:
        """The postings of every hash that 2 to `max_docs` documents hold, ordered by hash."""
        ...

    def rare_postings(
        self, hashes: Iterable[int], most: Callable[[int], int]
    ) -> Iterator[tuple[int, int, int]]:
        """The postings of those of `hashes` that no more than `most(hash)` documents
        hold."""
        ...


@dataclass(frozen=True)
class ReuseSettings:
    min_shared_shingles: int = 3  # fewer shared 3-grams than this cannot make a passage
    cluster_window: int = 40  # ... and that many must lie within this many words, both sides
    max_document_frequency: int = 100  # a 3-gram in more articles than this is a cliché
    min_shared_pairs: int = 5  # or this many shared word pairs within the window
    max_pair_frequency: int = 100  # a word pair in more articles than this says nothing
    # ... and, either way, the shared shingles within `cover_window` words must cover this
    # many words of both articles (a passage needs 8 shared words; on CLICK-ID, 4 in 5
    # candidates covering fewer within 40 words align to nothing). The window is wider than
    # a cluster's: a paraphrase keeps a shared pair every few words over a whole sentence.
    min_covered_words: int = 7
    cover_window: int = 50
    max_candidates: int = 40  # candidates aligned per related-articles lookup

    def max_frequency(self, h: int) -> int:
        return self.max_pair_frequency if is_pair(h) else self.max_document_frequency


DEFAULT_REUSE = ReuseSettings()


def clustered(points: list[tuple[int, int]], settings: ReuseSettings) -> bool:
    """Whether enough shared 3-grams lie close together in both articles, as they do in a
    shared passage, rather than scattered stock phrases."""
    return _clustered(points, settings.min_shared_shingles, settings.cluster_window)


def clustered_pairs(points: list[tuple[int, int]], settings: ReuseSettings) -> bool:
    """The same for shared word pairs, of which a passage holds more; pairs starting at the
    same word in both articles count once (a shared 3-gram holds two such)."""
    return _clustered(list(set(points)), settings.min_shared_pairs, settings.cluster_window)


def qualifies(
    trigrams: list[tuple[int, int]], pairs: list[tuple[int, int]], settings: ReuseSettings
) -> bool:
    """Whether two articles are candidates, from the positions (in one, in the other) of
    the 3-grams and of the word pairs they share."""
    return (clustered(trigrams, settings) or clustered_pairs(pairs, settings)) and covers(
        trigrams, pairs, settings
    )


def covers(
    trigrams: list[tuple[int, int]], pairs: list[tuple[int, int]], settings: ReuseSettings
) -> bool:
    """Whether the shared shingles within `cover_window` words of each other cover
    `min_covered_words` words of both articles: a 3-gram its three words, a word pair its
    first. A few stock phrases next to each other ("kata dia kepada wartawan di Jakarta")
    make a cluster of shingles, but of too few words for a passage."""
    need, window = settings.min_covered_words, settings.cover_window
    points = sorted({(x + k, y + k) for x, y in trigrams for k in range(3)}.union(pairs))
    if len({x for x, _ in points}) < need or len({y for _, y in points}) < need:
        return False
    xs = [x for x, _ in points]
    for i in range(len(points)):
        if i and xs[i] == xs[i - 1]:
            continue  # the same stretch of the first article as the last start
        end = bisect_right(xs, xs[i] + window)
        if len(set(xs[i:end])) < need:
            continue
        by_y = sorted(points[i:end], key=lambda p: p[1])
        in_x: Counter[int] = Counter()
        in_y: Counter[int] = Counter()
        lo = 0
        for x, y in by_y:
            in_x[x] += 1
            in_y[y] += 1
            while y - by_y[lo][1] > window:
                x0, y0 = by_y[lo]
                for seen, key in ((in_x, x0), (in_y, y0)):
                    seen[key] -= 1
                    if not seen[key]:
                        del seen[key]
                lo += 1
            if len(in_x) >= need and len(in_y) >= need:
                return True
    return False


def _clustered(points: list[tuple[int, int]], need: int, window: int) -> bool:
    """Whether `need` of the points lie within `window` words of each other in both
    articles (points elsewhere in between, a stock phrase, do not break the cluster)."""
    if len(points) < need:
        return False
    points = sorted(points)
    xs = [x for x, _ in points]
    for i in range(len(points) - need + 1):
        end = bisect_right(xs, xs[i] + window)
        if end - i < need:
            continue
        ys = sorted(y for _, y in points[i:end])
        lo = 0
        for hi, y in enumerate(ys):
            while y - ys[lo] > window:
                lo += 1
            if hi - lo + 1 >= need:
                return True
    return False


def candidates(
    store: Postings, doc: int, settings: ReuseSettings = DEFAULT_REUSE
) -> list[tuple[int, int]]:
    """(other doc, shared 3-grams) for articles sharing a cluster of 3-grams with `doc`,
    most shared first."""
    hashes, positions = store.shingles_of(doc)
    mine = dict(zip(hashes, positions, strict=True))
    if not mine:
        return []
    if isinstance(store, CountedPostings):  # too common shingles: never handed over
        found = store.rare_postings(mine, lambda h: settings.max_frequency(h) + 1)
    else:
        found = store.postings(mine)
    by_hash: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, other, pos in found:
        if other != doc:
            by_hash[h].append((other, pos))
    trigrams: dict[int, list[tuple[int, int]]] = defaultdict(list)
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, others in by_hash.items():
        if len(others) > settings.max_frequency(h):
            continue
        points = pairs if is_pair(h) else trigrams
        for other, pos in others:
            points[other].append((mine[h], pos))
    ranked = [
        (d, len(trigrams.get(d, ())) + len(pairs.get(d, ())))
        for d in {*trigrams, *pairs}
        if qualifies(trigrams.get(d, []), pairs.get(d, []), settings)
    ]
    ranked.sort(key=lambda x: (-x[1], x[0]))
    return ranked


def candidate_pairs(
    store: Postings, settings: ReuseSettings = DEFAULT_REUSE
) -> list[tuple[int, int, int]]:
    """(doc, doc, shared shingles) for every pair of articles that qualifies, found in one
    pass over the postings: the cost grows with the postings, not with the number of pairs.

    The postings of the shingles that 2 to `max_frequency` articles hold are read once into
    memory, as documents by shingle and shingles by document. Then, for each article, the
    articles sharing enough shingles with it are counted (Counter counts a chain of posting
    lists without a Python loop per document pair, the bulk of the work: common word pairs
    are held by tens of articles), and only those are checked for a cluster, from the
    shingles the two hold in common (a set intersection)."""
    if isinstance(store, CountedPostings):
        most = max(settings.max_document_frequency, settings.max_pair_frequency) + 1
        stream: Iterator[tuple[int, int, int]] = store.shared_postings(most)
    else:
        stream = store.all_postings()
    # shingle -> the documents holding it, last first: the articles are taken in order, and
    # each one, once done, is popped off the end of its lists, so that a list holds only
    # the article in hand and those after it (each pair of articles is counted once).
    holders: dict[int, array] = {}
    held: dict[int, dict[int, int]] = defaultdict(dict)  # document -> {shingle: position}
    for h, group in groupby(stream, key=lambda row: row[0]):
        rows = [(doc, pos) for _, doc, pos in group]
        if 2 <= len(rows) <= settings.max_frequency(h) + 1:
            holders[h] = array("q", sorted((doc for doc, _ in rows), reverse=True))
            for doc, pos in rows:
                held[doc][h] = pos
    out: list[tuple[int, int, int]] = []
    for x in sorted(held):
        mine = held[x]
        trigram_docs = Counter(chain.from_iterable(holders[h] for h in mine if not h & 1))
        pair_docs = Counter(chain.from_iterable(holders[h] for h in mine if h & 1))
        for h in mine:
            holders[h].pop()  # x itself
        trigram_docs.pop(x, None)
        pair_docs.pop(x, None)
        # Fewer shared 3-grams, and fewer shared pairs, than a cluster needs, or too few to
        # cover enough words (a 3-gram covers 3, a pair 1): no candidate.
        others = {y for y, n in trigram_docs.items() if n >= settings.min_shared_shingles}
        others.update(
            y
            for y, n in pair_docs.items()
            if n >= settings.min_shared_pairs
            and n + 3 * trigram_docs.get(y, 0) >= settings.min_covered_words
        )
        for y in sorted(others):
            theirs = held[y]
            trigrams: list[tuple[int, int]] = []
            pairs: list[tuple[int, int]] = []
            for h in mine.keys() & theirs.keys():
                (pairs if is_pair(h) else trigrams).append((mine[h], theirs[h]))
            if qualifies(trigrams, pairs, settings):
                out.append((x, y, len(trigrams) + len(pairs)))
    return out


def cache_friendly(pairs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The same pairs in an order in which each article's pairs come close together: the
    articles numbered in breadth-first order over the candidate graph, the pairs sorted by
    those numbers. An aligner keeping the last few hundred prepared articles then prepares
    most articles once, where in doc order the second article of a pair rarely repeats."""
    neighbours: dict[int, list[int]] = defaultdict(list)
    for x, y, _ in pairs:
        neighbours[x].append(y)
        neighbours[y].append(x)
    rank: dict[int, int] = {}
    for start in sorted(neighbours):
        if start in rank:
            continue
        rank[start] = len(rank)
        queue = [start]
        while queue:
            following: list[int] = []
            for doc in queue:
                for other in sorted(neighbours[doc]):
                    if other not in rank:
                        rank[other] = len(rank)
                        following.append(other)
            queue = following
    return sorted(pairs, key=lambda p: (min(rank[p[0]], rank[p[1]]), max(rank[p[0]], rank[p[1]])))
