"""Benchmark issue 11's memory target at archive scale: does a full build's peak memory stay
flat as the archive grows? Builds slices of the synthetic corpus (gen_corpus.py, a folder of
one file per article, as a scraped archive is) from scratch with our Whoosh engine, each in
a process of its own with a cold stem cache, and samples the process tree every 50 ms
(bench_build.py's sampler):

  peak RSS of the tree (summed over the build process and its workers), of the build
  process and of the largest worker; the tree's peak PSS (a page shared since the fork
  counted once); wall and CPU seconds.

A slice of N articles is the corpus's first N/1000 folders, hard-linked (nothing copied).

    python benchmarks/bench_memory.py --sizes 25000,100000     # about 13 minutes

Results: benchmarks/results/bench_memory-<label>.{json,md}.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import run_build
from common import WORK, eprint, load_avg, machine_info, md_table, write_results

NAME = "bench_memory"
PER_FOLDER = 1000  # gen_corpus.py writes this many articles a folder


def make_slice(corpus: Path, n: int, root: Path) -> Path:
    folder = root / f"synthetic-{n}"
    folders = sorted(p for p in corpus.iterdir() if p.is_dir())
    take = -(-n // PER_FOLDER)
    if take > len(folders):
        raise SystemExit(f"{corpus} holds {len(folders) * PER_FOLDER} articles, not {n}")
    for part in folders[:take]:
        (folder / part.name).mkdir(parents=True)
        for f in sorted(part.iterdir()):
            os.link(f, folder / part.name / f.name)
    return folder


def render(data: dict) -> str:
    rows = []
    for n, r in data["sizes"].items():
        rows.append(
            [
                f"{int(n):,}",
                f"{r['seconds']:.0f}",
                f"{r['cpu_tree']:.0f}",
                f"**{r['peak_rss_tree_mb']:.0f}**",
                f"{r['peak_pss_tree_mb']:.0f}",
                f"{r['peak_rss_self_mb']:.0f}",
                f"{r['peak_rss_worker_mb']:.0f}",
            ]
        )
    head = [
        "articles",
        "wall s",
        "tree CPU s",
        "peak RSS, tree (MiB)",
        "peak PSS, tree",
        "build process",
        "largest worker",
    ]
    sizes = list(data["sizes"].values())
    growth = ""
    if len(sizes) > 1:
        first, last = sizes[0]["peak_rss_tree_mb"], sizes[-1]["peak_rss_tree_mb"]
        growth = f"\n\nPeak tree RSS, largest slice against the smallest: {last / first:.2f}×.\n"
    return (
        f"# {NAME}: {data['label']}\n\n"
        f"Started {data['started']}; load {data['load_start']} → {data['load_end']}; "
        f"{data['minutes']:.1f} min. Synthetic corpus {data['corpus']}, our Whoosh engine, "
        "cold stem cache, one process tree per build.\n\n" + md_table(head, rows) + growth
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="25000,100000", help="slice sizes (comma-separated)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--label", default=None, help="results file suffix (default: the sizes)")
    ap.add_argument("--work", type=Path, default=WORK)
    args = ap.parse_args()
    from gen_corpus import ensure_corpus, load_vocab

    sizes = [int(s) for s in args.sizes.split(",")]
    corpus = args.work / f"corpus-plain-{max(sizes)}-s{args.seed}"
    ensure_corpus(corpus, max(sizes), args.seed, load_vocab(verbose=True))
    label = args.label or args.sizes.replace(",", "-")
    data: dict = {
        "label": label,
        "corpus": corpus.name,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine_info(),
        "load_start": load_avg(),
        "sizes": {},
    }
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_memory-", dir=args.work) as tmp:
        root = Path(tmp)
        for n in sizes:
            folder = make_slice(corpus, n, root)
            eprint(f"N={n}: ours …")
            res = run_build("ours", folder, root / f"index-{n}", root / f"home-{n}")
            eprint(
                f"  {res['seconds']:.0f} s, RSS tree {res['peak_rss_tree_mb']:.0f} MiB,"
                f" PSS tree {res['peak_pss_tree_mb']:.0f} MiB"
            )
            data["sizes"][str(n)] = res
            shutil.rmtree(root / f"index-{n}", ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
    data["load_end"] = load_avg()
    data["minutes"] = (time.perf_counter() - t0) / 60
    md = render(data)
    write_results(NAME, label, data, md)
    print(md)


if __name__ == "__main__":
    main()
