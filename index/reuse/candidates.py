"""Which articles may share passages, answered from shingle postings (word 3-grams of each
article, stored with the index) without comparing every pair. Too common 3-grams are
dropped, as passim does, and the shared ones must cluster the way a shared passage does."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, groupby
from typing import Protocol


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


@dataclass(frozen=True)
class ReuseSettings:
    min_shared_shingles: int = 3  # fewer shared 3-grams than this cannot make a passage
    cluster_window: int = 40  # ... and that many must lie within this many words, both sides
    max_document_frequency: int = 100  # a 3-gram in more articles than this is a cliché
    max_candidates: int = 40  # candidates aligned per related-articles lookup


DEFAULT_REUSE = ReuseSettings()


def clustered(points: list[tuple[int, int]], settings: ReuseSettings) -> bool:
    """Whether enough shared 3-grams lie close together in both articles, as they do in a
    shared passage, rather than scattered stock phrases."""
    need, window = settings.min_shared_shingles, settings.cluster_window
    if len(points) < need:
        return False
    points = sorted(points)
    for i in range(len(points) - need + 1):
        group = points[i : i + need]
        if group[-1][0] - group[0][0] <= window:
            ys = [y for _, y in group]
            if max(ys) - min(ys) <= window:
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
    by_hash: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, other, pos in store.postings(mine):
        if other != doc:
            by_hash[h].append((other, pos))
    points: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, others in by_hash.items():
        if len(others) > settings.max_document_frequency:
            continue
        for other, pos in others:
            points[other].append((mine[h], pos))
    ranked = [(d, len(p)) for d, p in points.items() if clustered(p, settings)]
    ranked.sort(key=lambda x: (-x[1], x[0]))
    return ranked


def candidate_pairs(
    store: Postings, settings: ReuseSettings = DEFAULT_REUSE
) -> list[tuple[int, int, int]]:
    """(doc, doc, shared 3-grams) for every pair sharing enough 3-grams, found in one pass
    over the postings: the cost grows with the postings, not with the number of pairs."""

    def shared_groups() -> Iterator[list[tuple[int, int]]]:
        for _, group in groupby(store.all_postings(), key=lambda row: row[0]):
            rows = sorted((row[1], row[2]) for row in group)
            if 2 <= len(rows) <= settings.max_document_frequency + 1:
                yield rows

    # Two passes: count first, then keep positions only for pairs that may qualify, so
    # that memory follows the candidates, not every pair sharing a stray 3-gram.
    counts: Counter[tuple[int, int]] = Counter()
    for rows in shared_groups():
        for (x, _), (y, _) in combinations(rows, 2):
            counts[x, y] += 1
    maybe = {pair for pair, c in counts.items() if c >= settings.min_shared_shingles}
    del counts
    points: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for rows in shared_groups():
        for (x, px), (y, py) in combinations(rows, 2):
            if (x, y) in maybe:
                points[x, y].append((px, py))
    out = [(x, y, len(p)) for (x, y), p in points.items() if clustered(p, settings)]
    out.sort()
    return out
