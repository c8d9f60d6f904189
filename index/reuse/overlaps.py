"""Related articles and corpus-wide overlaps: candidates from the shingle postings, and only
candidates aligned, so no pair of articles is compared unless they share text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .align import Alignment
from .candidates import DEFAULT_REUSE, Postings, ReuseSettings, candidates

Aligner = Callable[[int, int], Alignment | None]  # doc, doc → alignment (None: not alignable)
Aligned = tuple[int, int, Alignment | None]  # doc, doc, their alignment
IdOf = Callable[[int], str | None]  # doc → article id (None: gone since)


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


def related(
    store: Postings,
    doc: int,
    aligner: Aligner,
    id_of: IdOf,
    settings: ReuseSettings = DEFAULT_REUSE,
) -> list[Related]:
    """Articles sharing at least one passage with `doc`, by the share of `doc` they cover."""
    out: list[Related] = []
    for other, _ in candidates(store, doc, settings)[: settings.max_candidates]:
        alignment = aligner(doc, other)
        if alignment is not None and alignment.passages:
            article_id = id_of(other)
            if article_id is not None:
                out.append(Related(other, article_id, alignment))
    out.sort(key=lambda r: (-r.alignment.coverage_a, -r.alignment.coverage_b, r.id))
    return out


def align_pairs(
    pairs: list[tuple[int, int, int]],
    aligner: Aligner,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Aligned]:
    """Align candidate pairs one after the other (the serial way)."""
    for k, (x, y, _) in enumerate(pairs, 1):
        yield x, y, aligner(x, y)
        if progress:
            progress(k, len(pairs))


def collect_overlaps(
    aligned: Iterable[Aligned], id_of: IdOf, min_coverage: float = 0.0
) -> list[Overlap]:
    """The pairs that share passages (enough of one article, with `min_coverage`), each
    once with its ids in order, most shared first."""
    out: list[Overlap] = []
    for x, y, alignment in aligned:
        if alignment is None or not alignment.passages:
            continue
        if max(alignment.coverage_a, alignment.coverage_b) < min_coverage:
            continue
        a, b = id_of(x), id_of(y)
        if a is None or b is None:
            continue
        if a > b:
            a, b, alignment = b, a, alignment.swapped()
        out.append(Overlap(a, b, alignment))
    out.sort(key=lambda o: (-max(o.alignment.coverage_a, o.alignment.coverage_b), o.a, o.b))
    return out
