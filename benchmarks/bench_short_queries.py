"""Short known-item queries: two or three words a person remembers from a headline, typed as
written ("pelaku curanmor", not its stems). Does ranking a word's form as written above the
other forms of its stem (`query.EXACT_FORM_BOOST`) find the article sooner?

The known-item script of ../shared/tools scores one-sentence summaries (10 words or more in
496 of its 500 dev queries), which never take that path (it is for queries of up to four
words). Here the queries are drawn from the titles themselves: for each of 600 sampled
articles (seed 7), 2 or 3 distinct content words of its title (four letters or more, letters
only), in the order drawn. MRR@10 of the article, in one process on one index, with the
form as written weighed 0 (off), 0.5, 1 (the default) and 2, and apart for queries with a
word whose stem differs from its form ("derived") and the others.

    python benchmarks/bench_short_queries.py --corpus detik
    python benchmarks/bench_short_queries.py --corpus clickid --sample 2000

Results: benchmarks/results/bench_short_queries-<corpus>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

from newsreader.index import Library
from newsreader.index.search import query as query_module

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import NO_VARIANTS, SHARED, WORK, eprint, md_table, write_results

CORPORA = {
    "detik": SHARED / "corpora/detik-recent-id/articles.jsonl",
    "clickid": SHARED / "corpora/clickid-id/articles.jsonl",
}
WEIGHTS = (0.0, 0.5, 1.0, 2.0)


def corpus_folder(name: str, sample: int) -> Path:
    """The corpus's first `sample` records (0: all) in a folder of its own under WORK."""
    folder = WORK / f"short-queries-{name}-{sample or 'all'}"
    target = folder / "articles.jsonl"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with CORPORA[name].open(encoding="utf-8") as src, target.open("w") as out:
            for k, line in enumerate(src):
                if sample and k >= sample:
                    break
                r = json.loads(line)
                keep = ("id", "title", "body", "source", "date", "url")
                out.write(json.dumps({f: r.get(f) for f in keep}, ensure_ascii=False) + "\n")
    return folder


def draw_queries(lib: Library, rows: list[dict], n: int) -> list[tuple[str, str, bool]]:
    rnd = random.Random(7)
    out: list[tuple[str, str, bool]] = []
    for r in rnd.sample(rows, min(n, len(rows))):
        terms = [
            t
            for t in lib.analyzer.terms(r.get("title") or "")
            if not t.stop and len(t.surface) >= 4 and t.surface.isalpha()
        ]
        forms = list(dict.fromkeys(t.surface for t in terms))
        if len(forms) < 3:
            continue
        words = rnd.sample(forms, 2 if len(out) % 2 else 3)
        derived = any(t.text != t.surface for t in terms if t.surface in words)
        out.append((" ".join(words), str(r["id"]), derived))
    return out


def mrr(lib: Library, queries: list[tuple[str, str, bool]], weight: float) -> dict:
    exact_form = query_module.exact_form
    if weight == 0.0:
        query_module.exact_form = lambda word, analyzer: None
    else:
        query_module.EXACT_FORM_BOOST = weight
    try:
        got: dict[bool, list[float]] = {True: [], False: []}
        for text, want, derived in queries:
            ids = [h.id for h in lib.search(text, limit=10).hits]
            rank = next((i + 1 for i, x in enumerate(ids) if x.endswith("#" + want)), None)
            got[derived].append(1 / rank if rank else 0.0)
    finally:
        query_module.exact_form = exact_form
        query_module.EXACT_FORM_BOOST = 1.0
    every = got[True] + got[False]
    return {
        "weight": weight,
        "mrr": sum(every) / len(every),
        "mrr_derived": sum(got[True]) / max(1, len(got[True])),
        "mrr_other": sum(got[False]) / max(1, len(got[False])),
        "queries": len(every),
        "derived": len(got[True]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="detik")
    ap.add_argument("--sample", type=int, default=0, help="first N records (0: all)")
    ap.add_argument("-n", type=int, default=600, help="articles to draw queries from")
    args = ap.parse_args()
    if not CORPORA[args.corpus].exists():
        sys.exit(f"{CORPORA[args.corpus]} is not here")
    folder = corpus_folder(args.corpus, args.sample)
    index_dir = folder.with_name(folder.name + "-ix")
    shutil.rmtree(index_dir, ignore_errors=True)
    lib = Library.open(folder, index_dir, variants=NO_VARIANTS)
    eprint(f"indexing {folder} ...")
    lib.update()
    with (folder / "articles.jsonl").open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    queries = draw_queries(lib, rows, args.n)
    runs = [mrr(lib, queries, w) for w in WEIGHTS]
    table = md_table(
        ["form as written weighs", "MRR@10", "derived", "other", "queries (derived)"],
        [
            [
                r["weight"],
                r["mrr"],
                r["mrr_derived"],
                r["mrr_other"],
                f"{r['queries']} ({r['derived']})",
            ]
            for r in runs
        ],
    )
    name = f"{args.corpus}-{args.sample}" if args.sample else args.corpus
    md = f"# Short known-item queries, {name}\n\n{table}\n"
    write_results("bench_short_queries", name, {"runs": runs, "examples": queries[:20]}, md)
    print(md)


if __name__ == "__main__":
    main()
