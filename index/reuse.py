"""Which articles share passages, answered from the shingle postings in the catalog.

Candidates come from shared word 3-grams (too common ones dropped, as passim does), and only
candidates are aligned: no pair of articles is compared unless they share text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations, groupby

from index.align import Alignment
from index.catalog import Catalog


@dataclass(frozen=True)
class ReuseSettings:
    min_shared_shingles: int = 3  # fewer shared 3-grams than this cannot make a passage
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


def candidates(catalog: Catalog, doc: int, settings: ReuseSettings = DEFAULT_REUSE) -> \
        list[tuple[int, int]]:
    """(other doc, shared 3-grams) for articles sharing enough 3-grams with `doc`, most
    shared first."""
    hashes, _ = catalog.shingles_of(doc)
    if not hashes:
        return []
    by_hash: dict[int, set[int]] = defaultdict(set)
    for h, other, _ in catalog.postings(hashes):
        by_hash[h].add(other)
    counts: Counter[int] = Counter()
    for docs in by_hash.values():
        if len(docs) - 1 > settings.max_document_frequency:
            continue
        for other in docs:
            if other != doc:
                counts[other] += 1
    ranked = [(d, c) for d, c in counts.items() if c >= settings.min_shared_shingles]
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
    pairs: Counter[tuple[int, int]] = Counter()
    for _, group in groupby(catalog.all_postings(), key=lambda row: row[0]):
        docs = sorted({row[1] for row in group})
        if len(docs) < 2 or len(docs) > settings.max_document_frequency + 1:
            continue
        for pair in combinations(docs, 2):
            pairs[pair] += 1
    out = [(x, y, c) for (x, y), c in pairs.items() if c >= settings.min_shared_shingles]
    out.sort()
    return out


def overlaps(catalog: Catalog, aligner: Aligner, min_coverage: float = 0.0,
             settings: ReuseSettings = DEFAULT_REUSE,
             progress: Callable[[int, int], None] | None = None) -> list[Overlap]:
    """Every pair of articles that shares passages, most shared first."""
    pairs = candidate_pairs(catalog, settings)
    out: list[Overlap] = []
    for k, (x, y, _) in enumerate(pairs, 1):
        alignment = aligner(x, y)
        if progress:
            progress(k, len(pairs))
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
