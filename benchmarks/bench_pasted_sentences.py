"""Pasted sentences: a person copies one sentence of an article (10 to 20 words) and pastes
it into the search box. Does the article it came from (any article holding the sentence as
written) come first?

The known-item script of ../shared/tools scores a person's own summary of an article, in
their own words; this is the other common way to look an article up. For each of N sampled
articles (seed 11) with a sentence of 10-20 words (no quotation marks, colons or scraped
joins, as a person would pick), the sentence is searched on each index given, in one process,
and the rank of the first hit holding it is taken: success@1, MRR@10, median and p95 milliseconds.

    python benchmarks/bench_pasted_sentences.py --corpus DIR --index whoosh=IX1 --index tantivy=IX2

Results: benchmarks/results/bench_pasted_sentences-<label>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

from newsreader.index import Library

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import eprint, md_table, write_results

NAME = "bench_pasted_sentences"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SPACES = re.compile(r"\s+")


def sentences(corpus: Path, n: int, seed: int) -> list[str]:
    rows = []
    for path in sorted(corpus.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    rng = random.Random(seed)
    rng.shuffle(rows)
    out = []
    for row in rows:
        body = row.get("body") or ""
        found = [
            _SPACES.sub(" ", s).strip().lstrip("- ")
            for part in body.split(".,")
            for s in _SENTENCE_END.split(part)
            if 10 <= len(s.split()) <= 20 and not any(c in s for c in ':"“”,,')
        ]
        if found:
            out.append(rng.choice(found))
        if len(out) == n:
            break
    return out


def measure(lib: Library, queries: list[str]) -> dict:
    ranks, times = [], []
    for q in queries:
        start = time.perf_counter()
        res = lib.search(q, limit=10)
        times.append((time.perf_counter() - start) * 1000)
        rank = next(
            (k for k, h in enumerate(res.hits, 1) if q in _SPACES.sub(" ", lib.article(h.id).text)),
            None,
        )
        ranks.append(rank)
    found = [r for r in ranks if r is not None]
    return {
        "queries": len(queries),
        "success_at_1": sum(1 for r in found if r == 1) / len(queries),
        "mrr_at_10": sum(1 / r for r in found) / len(queries),
        "median_ms": statistics.median(times),
        "p95_ms": statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0],
        "ranks": ranks,
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, required=True, help="a folder of JSON Lines")
    ap.add_argument("--index", action="append", required=True, help="LABEL=INDEX_DIR")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--label", default="run")
    args = ap.parse_args()
    queries = sentences(args.corpus, args.n, args.seed)
    data: dict = {"corpus": str(args.corpus), "seed": args.seed, "indexes": {}}
    for spec in args.index:
        label, folder = spec.split("=", 1)
        lib = Library.open(args.corpus, Path(folder))
        lib.search(queries[0], limit=10)  # warm
        data["indexes"][label] = measure(lib, queries)
        got = data["indexes"][label]
        eprint(f"{label}: success@1 {got['success_at_1']:.2f}, MRR@10 {got['mrr_at_10']:.3f}")
    rows = [
        [
            label,
            got["queries"],
            got["success_at_1"],
            got["mrr_at_10"],
            got["median_ms"],
            got["p95_ms"],
        ]
        for label, got in data["indexes"].items()
    ]
    md = (
        f"## {NAME}, {args.corpus.name}\n\n"
        f"{len(queries)} sentences of 10-20 words pasted as queries (seed {args.seed}).\n\n"
        + md_table(["index", "queries", "success@1", "MRR@10", "median ms", "p95 ms"], rows)
        + "\n"
    )
    write_results(NAME, args.label, data, md)
    print(md)


if __name__ == "__main__":
    main()
