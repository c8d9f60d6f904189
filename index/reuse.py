"""Which articles share passages, answered from the shingle postings in the catalog.

Candidates come from shared word 3-grams (too common ones dropped, as passim does), and only
candidates are aligned: no pair of articles is compared unless they share text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations, groupby

from index.align import Alignment
from index.catalog import Catalog


@dataclass(frozen=True)
class ReuseSettings:
    min_shared_shingles: int = 3  # fewer shared 3-grams than this cannot make a passage
    cluster_window: int = 40  # ... and that many must lie within this many words, both sides
    max_document_frequency: int = 100  # a 3-gram in more articles than this is a cliché
    max_candidates: int = 40  # candidates aligned per related-articles lookup


DEFAULT_REUSE = ReuseSettings()


@dataclass(frozen=True)
class Related:
    doc: int
    id: str
    alignment: Alignment  # from the article asked about (A) to this one (B)


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    alignment: Alignment


Aligner = Callable[[int, int], Alignment | None]  # doc, doc → alignment (None: not alignable)


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


def candidates(catalog: Catalog, doc: int, settings: ReuseSettings = DEFAULT_REUSE) -> \
        list[tuple[int, int]]:
    """(other doc, shared 3-grams) for articles sharing a cluster of 3-grams with `doc`,
    most shared first."""
    hashes, positions = catalog.shingles_of(doc)
    if not hashes:
        return []
    mine = dict(zip(hashes, positions, strict=True))
    by_hash: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for h, other, pos in catalog.postings(hashes):
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


def related(catalog: Catalog, doc: int, aligner: Aligner,
            settings: ReuseSettings = DEFAULT_REUSE) -> list[Related]:
    """Articles sharing at least one passage with `doc`, by the share of `doc` they cover."""
    out: list[Related] = []
    for other, _ in candidates(catalog, doc, settings)[: settings.max_candidates]:
        alignment = aligner(doc, other)
        if alignment is not None and alignment.passages:
            article_id = catalog.id_of(other)
            if article_id is not None:
                out.append(Related(other, article_id, alignment))
    out.sort(key=lambda r: (-r.alignment.coverage_a, -r.alignment.coverage_b, r.id))
    return out


def candidate_pairs(catalog: Catalog, settings: ReuseSettings = DEFAULT_REUSE) -> \
        list[tuple[int, int, int]]:
    """(doc, doc, shared 3-grams) for every pair sharing enough 3-grams, found in one pass
    over the postings: the cost grows with the postings, not with the number of pairs."""
    def shared_groups():
        for _, group in groupby(catalog.all_postings(), key=lambda row: row[0]):
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


Aligned = tuple[int, int, Alignment | None]  # doc, doc, their alignment


def align_pairs(pairs: list[tuple[int, int, int]], aligner: Aligner,
                progress: Callable[[int, int], None] | None = None) -> Iterator[Aligned]:
    """Align candidate pairs one after the other (the serial way)."""
    for k, (x, y, _) in enumerate(pairs, 1):
        yield x, y, aligner(x, y)
        if progress:
            progress(k, len(pairs))


def collect_overlaps(aligned: Iterable[Aligned], catalog: Catalog,
                     min_coverage: float = 0.0) -> list[Overlap]:
    """The pairs that share passages (enough of one article, with `min_coverage`), each
    once with its ids in order, most shared first."""
    out: list[Overlap] = []
    for x, y, alignment in aligned:
        if alignment is None or not alignment.passages:
            continue
        if max(alignment.coverage_a, alignment.coverage_b) < min_coverage:
            continue
        a, b = catalog.id_of(x), catalog.id_of(y)
        if a is None or b is None:
            continue
        if a > b:
            a, b, alignment = b, a, alignment.swapped()
        out.append(Overlap(a, b, alignment))
    out.sort(key=lambda o: (-max(o.alignment.coverage_a, o.alignment.coverage_b), o.a, o.b))
    return out


def overlaps(catalog: Catalog, aligner: Aligner, min_coverage: float = 0.0,
             settings: ReuseSettings = DEFAULT_REUSE,
             progress: Callable[[int, int], None] | None = None) -> list[Overlap]:
    """Every pair of articles that shares passages, most shared first."""
    pairs = candidate_pairs(catalog, settings)
    return collect_overlaps(align_pairs(pairs, aligner, progress), catalog, min_coverage)
