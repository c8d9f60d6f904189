"""Latency of comparing two articles: `align()` alone, after both sides are prepared, on
pairs of ~1,000-word synthetic articles that share copied and reworded passages, and on
unrelated pairs of the same size.

  python benchmarks/bench_compare.py [--words 1000] [--pairs 20] [--repeat 5]
      [--baseline-site DIR]

`--baseline-site DIR` also times an earlier engine in the same run: DIR holds that engine
installed with `pip install --no-deps --target DIR <checkout>` (see common.engine_info); the
same pairs are timed there in a child process, one engine after the other, and the table
gives both with the ratio ours / baseline. Wall and CPU time are both reported, with the
load average before and after: on a shared machine compare the CPU figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    NO_VARIANTS,
    load_avg,
    machine_info,
    md_table,
    median,
    percentile,
    ratio,
    write_results,
)

NAME = "bench_compare"
TARGET_MS = 100.0


def make_pairs(words: int, pairs: int, seed: int) -> list[tuple[str, str, str]]:
    """(kind, text A, text B): `shared` pairs hold three passages of ~120 words in both
    (one copied, one reworded, one copied in another place), `unrelated` pairs none."""
    from bench_reuse import reword
    from gen_corpus import TextGenerator, load_vocab

    rng = random.Random(seed)
    gen = TextGenerator(load_vocab(), rng)

    def body(n: int) -> list[str]:
        out: list[str] = []
        count = 0
        while count < n:
            para = " ".join(s.text for s in gen.paragraph()).split()[: n - count]
            out.append(" ".join(para))
            count += len(para)
        return out

    out: list[tuple[str, str, str]] = []
    for k in range(pairs):
        shared = k % 2 == 0
        a = body(words - 360 if shared else words)  # three passages of ~120 words to come
        b = body(words - 360 if shared else words)
        if shared:
            for m in range(3):
                src = [gen.sentence_text(20) for _ in range(6)]
                copy = reword(src, gen, rng)[0] if m == 1 else src
                a.insert(rng.randrange(len(a) + 1), " ".join(src))
                b.insert(rng.randrange(len(b) + 1), " ".join(copy))
            out.append(("shared", "\n\n".join(a), "\n\n".join(b)))
        else:
            out.append(("unrelated", "\n\n".join(a), "\n\n".join(b)))
    return out


def time_pairs(pairs: list[tuple[str, str, str]], repeat: int) -> dict:
    """Median wall and CPU ms of align() per pair kind, for the engine importable here."""
    from newsreader.index.reuse.align import align, prepare_text
    from newsreader.index.text.analysis import Analyzer
    from newsreader.index.text.vocabulary import load_vocabulary

    analyzer = Analyzer(load_vocabulary(NO_VARIANTS))
    found: dict[str, dict[str, list[float]]] = {}
    passages: dict[str, int] = {}
    words: list[int] = []
    for kind, ta, tb in pairs:
        a, b = prepare_text(ta, analyzer), prepare_text(tb, analyzer)
        words += [len(a.counted), len(b.counted)]
        align(a, b, analyzer)  # warm caches (stems, memo) outside the timing
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            al = align(a, b, analyzer)
            c1, w1 = time.process_time(), time.perf_counter()
            f = found.setdefault(kind, {"wall": [], "cpu": []})
            f["wall"].append((w1 - w0) * 1000)
            f["cpu"].append((c1 - c0) * 1000)
        passages[kind] = passages.get(kind, 0) + len(al.passages)
    out = {
        kind: {
            "wall_median_ms": median(v["wall"]),
            "wall_p95_ms": percentile(v["wall"], 95),
            "cpu_median_ms": median(v["cpu"]),
            "passages": passages[kind],
        }
        for kind, v in found.items()
    }
    every = [x for v in found.values() for x in v["wall"]]
    cpu = [x for v in found.values() for x in v["cpu"]]
    out["all"] = {
        "wall_median_ms": median(every),
        "wall_p95_ms": percentile(every, 95),
        "cpu_median_ms": median(cpu),
        "passages": sum(passages.values()),
    }
    out["words_median"] = median(words)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=1000, help="words per article (default 1000)")
    ap.add_argument("--pairs", type=int, default=20, help="article pairs (default 20)")
    ap.add_argument("--repeat", type=int, default=5, help="timings per pair (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline-site", type=Path, help="an earlier engine installed in DIR")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)  # pairs file: time, print
    args = ap.parse_args(argv)
    if args.worker:
        pairs = json.loads(args.worker.read_text(encoding="utf-8"))
        print(json.dumps(time_pairs([tuple(p) for p in pairs], args.repeat)))
        return 0
    pairs = make_pairs(args.words, args.pairs, args.seed)
    load_start = load_avg()
    ours = time_pairs(pairs, args.repeat)
    base = None
    if args.baseline_site:
        tmp = HERE / "work" / "compare-pairs.json"
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(pairs), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(args.baseline_site.resolve()))
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(tmp), "--repeat", str(args.repeat)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        base = json.loads(done.stdout.strip().splitlines()[-1])
    data = {
        "words": args.words,
        "pairs": args.pairs,
        "repeat": args.repeat,
        "ours": ours,
        "baseline": base,
        "baseline_site": str(args.baseline_site) if args.baseline_site else None,
        "load_start": load_start,
        "load_end": load_avg(),
        "target_ms": TARGET_MS,
        "machine": machine_info(),
    }
    rows = []
    for kind in ("shared", "unrelated", "all"):
        o = ours[kind]
        b = base[kind] if base else None
        rows.append(
            [
                kind,
                o["wall_median_ms"],
                o["wall_p95_ms"],
                o["cpu_median_ms"],
                b["wall_median_ms"] if b else float("nan"),
                b["cpu_median_ms"] if b else float("nan"),
                ratio(o["cpu_median_ms"], b["cpu_median_ms"]) if b else float("nan"),
                o["passages"],
                b["passages"] if b else "–",
            ]
        )
    md = (
        f"## bench_compare, two ~{ours['words_median']:.0f}-word articles\n\n"
        f"{args.pairs} pairs × {args.repeat} timings of align() after prepare; load average "
        f"{load_start} at the start, {data['load_end']} at the end.\n\n"
        + md_table(
            [
                "pairs",
                "ours wall median ms",
                "ours wall p95 ms",
                "ours CPU median ms",
                "baseline wall median ms",
                "baseline CPU median ms",
                "CPU ratio ours / baseline",
                "passages (ours)",
                "passages (baseline)",
            ],
            rows,
        )
        + f"\n\nTarget: median <= {TARGET_MS:.0f} ms. Engine: {data['machine'].get('engine')} at "
        f"{data['machine'].get('engine_commit')}; baseline: {data['baseline_site'] or 'none'}.\n"
    )
    write_results(NAME, args.words, data, md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
