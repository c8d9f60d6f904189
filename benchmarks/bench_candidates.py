"""Candidate recall on a PAN-format reuse corpus: for every gold (suspicious, source) pair,
does the candidate filter propose the source, and does `related(suspicious)` list it?

  python benchmarks/bench_candidates.py [DATA_DIR]

DATA_DIR holds docs.jsonl and cases.jsonl (default: the Indonesian dev corpus in
../shared/corpora/plagiarism-id-dev, only read). The documents are written to a corpus
folder under benchmarks/work/, indexed with the bundled word lists, and then:

- candidates: the gold pairs whose source is among the candidates of the suspicious
  document (the shingle postings alone, before any alignment, at any rank);
- in reach: ... among the first `max_candidates`, the ones `related` aligns;
- related: the gold pairs `related(suspicious)` lists (candidates that also align);
- also, per case type, and the number of candidates per document (the alignment work).

Each figure is measured for the engine on the path (see README: "Which engine is measured").
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import NO_VARIANTS, SHARED, WORK, md_table, median  # noqa: E402

DEFAULT_DATA = SHARED / "corpora" / "plagiarism-id-dev"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    if not (args.data / "cases.jsonl").exists():
        print(f"no cases.jsonl in {args.data}", file=sys.stderr)
        return 2

    from newsreader.index import Library
    from newsreader.index.reuse.candidates import DEFAULT_REUSE, candidates

    docs = [json.loads(line) for line in (args.data / "docs.jsonl").read_text("utf-8").splitlines()]
    cases = [
        json.loads(line) for line in (args.data / "cases.jsonl").read_text("utf-8").splitlines()
    ]
    root = WORK / "candidates"
    shutil.rmtree(root, ignore_errors=True)
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for d in docs:
        (corpus / d["id"]).write_text(d["body"], encoding="utf-8")
    lib = Library.open(corpus, root / "index", variants=NO_VARIANTS)
    lib.update()
    catalog = lib._live.open().catalog
    # The catalog keeps no shingles per article: as `related` does, they are worked out
    # from the article's alignment tokens.
    store = lib._shingled(catalog)

    kinds: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for c in cases:
        kinds[c["suspicious_doc"], c["source_doc"]].add(
            f"{c['type']}/{c['obfuscation'] or 'human'}"
        )
    pairs = sorted(kinds)
    found_cand: set[tuple[str, str]] = set()
    in_reach: set[tuple[str, str]] = set()
    found_rel: set[tuple[str, str]] = set()
    per_doc: list[int] = []
    related_seconds: list[float] = []
    for susp in sorted({s for s, _ in pairs}):
        doc = catalog.doc_of(susp)
        cands = [catalog.id_of(d) for d, _ in candidates(store, doc, DEFAULT_REUSE)]
        per_doc.append(len(cands))
        t0 = time.perf_counter()
        _, rel = lib.related(susp)
        related_seconds.append(time.perf_counter() - t0)
        listed = {r.id for r in rel}
        for s, src in pairs:
            if s != susp:
                continue
            if src in cands:
                found_cand.add((s, src))
                if cands.index(src) < DEFAULT_REUSE.max_candidates:
                    in_reach.add((s, src))
            if src in listed:
                found_rel.add((s, src))
    n = len(pairs)
    by_kind = collections.defaultdict(lambda: [0, 0, 0])
    for p in pairs:
        for k in kinds[p]:
            by_kind[k][0] += 1
            by_kind[k][1] += p in found_cand
            by_kind[k][2] += p in found_rel
    data = {
        "pairs": n,
        "candidate_recall": len(found_cand) / n,
        "in_reach_recall": len(in_reach) / n,
        "related_recall": len(found_rel) / n,
        "candidates_per_document_median": median(per_doc),
        "candidates_per_document_max": max(per_doc),
        "related_seconds_median": median(related_seconds),
        "missed_by_candidates": sorted(f"{s} {r}" for s, r in set(pairs) - found_cand),
        "missed_by_related": sorted(f"{s} {r}" for s, r in set(pairs) - found_rel),
        "by_kind": {
            k: {"pairs": v[0], "candidates": v[1], "related": v[2]} for k, v in by_kind.items()
        },
    }
    if args.json:
        print(json.dumps(data, indent=1))
        return 0
    print(
        md_table(
            [
                "gold pairs",
                "candidate recall",
                "in reach",
                "related recall",
                "cands/doc (med, max)",
            ],
            [
                [
                    n,
                    data["candidate_recall"],
                    data["in_reach_recall"],
                    data["related_recall"],
                    f"{median(per_doc):g}, {max(per_doc)}",
                ]
            ],
        )
    )
    print()
    print(
        md_table(
            ["kind (a pair may have several)", "pairs", "in candidates", "in related"],
            [[k, *v] for k, v in sorted(by_kind.items())],
        )
    )
    print("\nmissed by the candidates:", *data["missed_by_candidates"], sep="\n  ")
    print("missed by related:", *data["missed_by_related"], sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
