"""Which articles may share passages, answered from shingle postings (word 3-grams and word
pairs of each article, stored with the index) without comparing every pair. Too common
shingles are dropped, as passim does, and the shared ones must cluster the way a shared
passage does: a few 3-grams close together (a copy), or more word pairs close together (a
rewrite, where a synonym every third word leaves few 3-grams but most pairs of near words)."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
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
    """Postings whose store can count and filter by document frequency itself (SQLite
    does, without handing every row to Python)."""

    def shared_postings(self, max_docs: int) -> Iterator[tuple[int, int, int]]:
        """The postings of every hash that 2 to `max_docs` documents hold, ordered by hash."""
        ...

    def posting_counts(self, hashes: Iterable[int]) -> dict[int, int]:
        """How many documents hold each of `hashes`."""
        ...


@dataclass(frozen=True)
class ReuseSettings:
    min_shared_shingles: int = 3  # fewer shared 3-grams than this cannot make a passage
    cluster_window: int = 40  # ... and that many must lie within this many words, both sides
    max_document_frequency: int = 100  # a 3-gram in more articles than this is a cliché
    min_shared_pairs: int = 5  # or this many shared word pairs within the window
    max_pair_frequency: int = 100  # a word pair in more articles than this says nothing
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
    return clustered(trigrams, settings) or clustered_pairs(pairs, settings)


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
    wanted = list(mine)
    if isinstance(store, CountedPostings):  # too common shingles: never fetched
        counts = store.posting_counts(wanted)
        wanted = [h for h in wanted if counts.get(h, 0) <= settings.max_frequency(h) + 1]
    by_hash: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, other, pos in store.postings(wanted):
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
    pass over the postings: the cost grows with the postings, not with the number of pairs."""

    def shared_groups() -> Iterator[tuple[bool, list[tuple[int, int]]]]:
        if isinstance(store, CountedPostings):
            most = max(settings.max_document_frequency, settings.max_pair_frequency) + 1
            stream: Iterator[tuple[int, int, int]] = store.shared_postings(most)
        else:
            stream = store.all_postings()
        for h, group in groupby(stream, key=lambda row: row[0]):
            rows = sorted((row[1], row[2]) for row in group)
            if 2 <= len(rows) <= settings.max_frequency(h) + 1:
                yield is_pair(h), rows

    # Two passes: count first, then keep positions only for pairs that may qualify, so
    # that memory follows the candidates, not every pair sharing a stray shingle. A pair of
    # docs is one int (x << 32 | y); a 3-gram counts 5 and a word pair 3, so that 15
    # (3 3-grams or 5 word pairs) is the least a candidate can have.
    weight = {False: settings.min_shared_pairs, True: settings.min_shared_shingles}
    need = settings.min_shared_pairs * settings.min_shared_shingles
    counts: dict[int, int] = {}
    get = counts.get
    for word_pair, rows in shared_groups():
        w = weight[word_pair]
        docs = [d for d, _ in rows]
        for k, x in enumerate(docs):
            high = x << 32
            for y in docs[k + 1 :]:
                key = high | y
                counts[key] = get(key, 0) + w
    maybe = {key for key, c in counts.items() if c >= need}
    del counts, get
    trigrams: dict[int, list[tuple[int, int]]] = defaultdict(list)
    pairs: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for word_pair, rows in shared_groups():
        points = pairs if word_pair else trigrams
        for k, (x, px) in enumerate(rows):
            high = x << 32
            for y, py in rows[k + 1 :]:
                key = high | y
                if key in maybe:
                    points[key].append((px, py))
    out = [
        (key >> 32, key & 0xFFFFFFFF, len(trigrams.get(key, ())) + len(pairs.get(key, ())))
        for key in sorted(maybe)
        if qualifies(trigrams.get(key, []), pairs.get(key, []), settings)
    ]
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
