"""Benchmark issue 11's targets for a large archive on our tantivy engine: every query class
(p95 <= 50 ms, median <= 10 ms), app start (<= 1 s) and keystroke to results (<= 100 ms after
the debounce), at N synthetic articles (default 100,000).

Our index is built once with the command a user runs, timed with /usr/bin/time, and reused:

    newsreader index CORPUS --index-dir benchmarks/work/archive-N/ours-tantivy --engine tantivy

(`--build` does it; a 100,000-article build takes most of an hour on the 2-core machine,
since our Indonesian analysis runs in Python whatever the engine). In one run:

  build    our build's wall and CPU seconds, peak RSS and bytes written (from /usr/bin/time
           -v, as recorded when it ran: the build process alone, since its workers are the
           forkserver's children), the whole process tree's CPU seconds and peak RSS
           (sampled from /proc every 0.2 s while it ran), and raw tantivy's (bench_scale.py's
           baseline: default tokenizer, one writer, 256 MB heap, one thread) built here, in a
           process of its own.
  queries  warm in-process latency at limit 10 of bench_scale.py's query classes (its seeded
           draw from the corpus): ours, `Library.search(q, limit=10)` as the app calls it,
           and raw tantivy, one searcher kept open; interleaved query by query, the order
           rotating. Median and p95 wall ms and median CPU ms per class.
  app      bench_app.py's pseudo-terminal sessions on the same corpus and index: launch to
           the main screen (the search box drawn) and to the first results (the article
           list), and last keystroke to the updated results, which includes the debounce.

    python benchmarks/bench_archive.py -n 100000 --build      # build first (long)
    python benchmarks/bench_archive.py -n 100000              # measure

Results: benchmarks/results/bench_archive-<N>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import _rss, _tree
from bench_scale import (
    CLASS_LABEL,
    CLASSES,
    TANTIVY_HEAP,
    TANTIVY_THREADS,
    Corpus,
    Ours,
    Tantivy,
    app_times,
    build_tantivy,
    make_queries,
)
from common import (
    WORK,
    cpu_seconds,
    dir_size,
    engine_info,
    eprint,
    load_avg,
    machine_info,
    md_table,
    mib,
    stats_ms,
    write_results,
)

NAME = "bench_archive"
RUNNERS = {"ours": Ours, "tantivy": Tantivy}
LABEL = {"ours": "ours (--engine tantivy)", "tantivy": "raw tantivy"}


def _time_v(path: Path) -> dict:
    """The figures of a /usr/bin/time -v report."""
    out: dict = {}
    for line in path.read_text().splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key == "Elapsed (wall clock) time (h:mm:ss or m:ss)":
            secs = 0.0
            for part in value.split(":"):
                secs = secs * 60 + float(part)
            out["seconds"] = secs
        elif key == "User time (seconds)":
            out["user_s"] = float(value)
        elif key == "System time (seconds)":
            out["sys_s"] = float(value)
        elif key == "Maximum resident set size (kbytes)":
            out["peak_rss_mb"] = int(value) / 1024
        elif key == "File system outputs":  # 512-byte blocks written
            out["written_gb"] = int(value) * 512 / 1e9
    out["cpu_seconds"] = out.get("user_s", 0) + out.get("sys_s", 0)
    return out


def build_ours(corpus: Corpus, index: Path, log: Path) -> None:
    from bench_app import newsreader_bin

    shutil.rmtree(index, ignore_errors=True)
    index.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        "/usr/bin/time",
        "-v",
        "-o",
        str(log),
        newsreader_bin(),
        "index",
        corpus.folder,
        "--index-dir",
        str(index),
        "--engine",
        "tantivy",
        "--json",
    ]
    # /usr/bin/time counts the build process and the children it waited for: a tantivy
    # build's workers are the forkserver's children, so the tree is sampled here too.
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    cpu: dict[int, float] = {}
    peak = 0
    while proc.poll() is None:
        tree = _tree(proc.pid)
        peak = max(peak, sum(_rss(p) for p in tree))
        for p in tree:
            cpu[p] = max(cpu.get(p, 0.0), _proc_cpu(p))
        time.sleep(0.2)
    if proc.returncode:
        raise SystemExit(f"our build failed ({proc.returncode})")
    tree_log = log.with_suffix(".tree.json")
    tree_log.write_text(
        json.dumps({"tree_cpu_seconds": sum(cpu.values()), "tree_peak_rss_mb": peak / 2**20})
    )


def _proc_cpu(pid: int) -> float:
    """A live process's user and system CPU seconds (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def run_queries(corpus: Corpus, indexes: dict[str, Path], qs: list[dict], warmup: int) -> list:
    runners = {e: RUNNERS[e](corpus, indexes[e]) for e in RUNNERS}
    seen: dict[str, int] = {}
    rows = []
    for k, q in enumerate(qs):
        order = list(runners) if k % 2 else list(runners)[::-1]
        row: dict = {}
        for e in order:
            if q.get(e if e != "ours" else "q") is None:
                continue
            c0, t0 = cpu_seconds(), time.perf_counter()
            try:
                hits, err = runners[e].run(q), None
            except Exception as exc:  # a query one engine cannot run is reported, not fatal
                hits, err = 0, f"{type(exc).__name__}: {exc}"
            row[e] = {
                "s": time.perf_counter() - t0,
                "cpu": cpu_seconds() - c0,
                "hits": hits,
                "error": err,
            }
        seen[q["cls"]] = seen.get(q["cls"], 0) + 1
        if seen[q["cls"]] > warmup:
            rows.append((q, row))
    for r in runners.values():
        r.close()
    return rows


def summarise(rows: list) -> dict:
    out = {}
    for cls in CLASSES:
        mine = [r for q, r in rows if q["cls"] == cls]
        if not mine:
            continue
        entry: dict = {
            "label": CLASS_LABEL[cls],
            "example": next(q["q"] for q, _ in rows if q["cls"] == cls),
        }
        for e in RUNNERS:
            rs = [r[e] for r in mine if e in r]
            if rs:
                entry[e] = stats_ms([x["s"] for x in rs]) | {
                    "cpu": stats_ms([x["cpu"] for x in rs]),
                    "median_hits": sorted(x["hits"] for x in rs)[len(rs) // 2],
                    "errors": sum(1 for x in rs if x["error"]),
                }
        out[cls] = entry
    return out


def render(data: dict) -> str:
    b = data["build"]
    lines = [
        f"# {NAME}: our tantivy engine at {data['n']:,} synthetic articles",
        "",
        f"{data['started']}; load average {data['load_avg']['start']} at the start, "
        f"{data['load_avg']['end']} at the end (a 2-core machine shared with other work). "
        f"Engine: {data['engine'].get('engine_commit')}. Corpus: {data['corpus']}.",
        "",
        "## Build",
        "",
    ]
    rows = []
    for e, label in LABEL.items():
        x = b.get(e) or {}
        if x:
            rows.append(
                [
                    label,
                    f"{x['seconds']:.0f}",
                    f"{x['cpu_seconds']:.0f}",
                    f"{x['tree_cpu_seconds']:.0f}" if "tree_cpu_seconds" in x else "",
                    f"{data['n'] / x['seconds']:.0f}",
                    f"{x.get('peak_rss_mb', 0):.0f}",
                    f"{x['tree_peak_rss_mb']:.0f}" if "tree_peak_rss_mb" in x else "",
                    f"{x.get('size_mb', 0):.0f}",
                    f"{x['written_gb']:.1f}" if "written_gb" in x else "",
                ]
            )
    head = [
        "engine",
        "wall s",
        "CPU s (build process)",
        "CPU s (tree)",
        "articles/s",
        "peak RSS MiB (largest process)",
        "(tree)",
        "MB",
        "GB written",
    ]
    lines.append(md_table(head, rows))
    if b.get("ours", {}).get("note"):
        lines += ["", b["ours"]["note"]]
    lines += [
        "",
        "## Queries (warm, limit 10)",
        "",
        "Median / p95 wall ms, median CPU ms, median hits; ours runs the whole `Library.search` "
        "(parse, expand, count, did-you-mean, snippets); raw tantivy parses, counts and reads "
        "10 stored ids.",
        "",
    ]
    rows = []
    for e in data["queries"].values():
        row = [e["label"]]
        for eng in RUNNERS:
            s = e.get(eng)
            row.append(
                f"{s['median_ms']:.1f} / {s['p95_ms']:.1f} ({s['cpu']['median_ms']:.1f} CPU, "
                f"{s['median_hits']} hits)"
                if s
                else "-"
            )
        rows.append(row)
    lines.append(md_table(["class", *LABEL.values()], rows))
    app = data.get("app")
    if app:
        deb = app["debounce_ms"]
        k = app["keystroke_to_results"]
        lines += [
            "",
            "## App",
            "",
            f"{app['runs']} launches, {len(app['words'])} words typed; debounce {deb:.0f} ms.",
            "",
            md_table(
                ["", "median ms", "p95 ms"],
                [
                    [
                        "launch to main screen",
                        f"{app['launch_to_screen']['median_ms']:.0f}",
                        f"{app['launch_to_screen']['p95_ms']:.0f}",
                    ],
                    [
                        "launch to first results",
                        f"{app['launch_to_results']['median_ms']:.0f}",
                        f"{app['launch_to_results']['p95_ms']:.0f}",
                    ],
                    [
                        "last keystroke to results",
                        f"{k['median_ms']:.0f}",
                        f"{k['p95_ms']:.0f}",
                    ],
                    [
                        "... after the debounce",
                        f"{k['median_ms'] - deb:.0f}",
                        f"{k['p95_ms'] - deb:.0f}",
                    ],
                ],
            ),
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="synthetic articles (100000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-class", type=int, default=30, help="timed queries per class (30)")
    ap.add_argument("--warmup-per-class", type=int, default=2)
    ap.add_argument("--app-runs", type=int, default=3, help="app launches (3; 0: skip)")
    ap.add_argument("--app-words", type=int, default=6, help="words typed per launch (6)")
    ap.add_argument("--build", action="store_true", help="build our index (long), then stop")
    ap.add_argument("--work", type=Path, default=WORK)
    ap.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = ap.parse_args(argv)
    if args.render:
        p = Path(__file__).parent / "results" / f"{NAME}-{args.n}.json"
        data = json.loads(p.read_text())
        write_results(NAME, args.n, data, render(data))
        return 0
    from gen_corpus import ensure_corpus, load_vocab

    folder = args.work / f"corpus-plain-{args.n}-s{args.seed}"
    manifest, _ = ensure_corpus(folder, args.n, args.seed, load_vocab(verbose=True))
    corpus = Corpus("synthetic", str(folder), str(args.n), False)
    root = args.work / f"archive-{args.n}"
    indexes = {"ours": root / "ours-tantivy", "tantivy": root / "raw-tantivy"}
    log = root / "build-ours.time"
    if args.build:
        build_ours(corpus, indexes["ours"], log)
        return 0
    if not log.is_file():
        raise SystemExit(f"no build of ours in {indexes['ours']}: run with --build first")
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    load_start = load_avg()
    build = {"ours": _time_v(log) | {"size_mb": mib(dir_size(indexes["ours"]))}}
    tree_log = log.with_suffix(".tree.json")
    if tree_log.is_file():
        build["ours"] |= json.loads(tree_log.read_text())
    eprint(f"[{time.strftime('%H:%M:%S')}] raw tantivy build ...")
    build["tantivy"] = build_tantivy(corpus, indexes["tantivy"], TANTIVY_HEAP, TANTIVY_THREADS)
    build["tantivy"]["size_mb"] = mib(dir_size(indexes["tantivy"]))
    per = args.per_class + args.warmup_per_class
    qs = make_queries(corpus, per, args.seed)
    # Warm-up queries first, then the timed ones shuffled together across classes.
    warm = [q for i, q in enumerate(qs) if i < len(CLASSES) * args.warmup_per_class]
    timed = qs[len(warm) :]
    random.Random(args.seed).shuffle(timed)
    eprint(f"[{time.strftime('%H:%M:%S')}] queries ...")
    rows = run_queries(corpus, indexes, warm + timed, args.warmup_per_class)
    data = {
        "benchmark": NAME,
        "started": started,
        "n": args.n,
        "corpus": f"gen_corpus.py v{manifest['generator']}, {manifest['words']:,} words, "
        f"{manifest.get('distinct_words', 0):,} distinct",
        "machine": machine_info(),
        "engine": engine_info(),
        "build": build,
        "queries": summarise(rows),
    }
    if args.app_runs:
        eprint(f"[{time.strftime('%H:%M:%S')}] app ...")
        words = [q["q"] for q in qs if q["cls"] == "single"]
        data["app"] = app_times(corpus, str(indexes["ours"]), words, args.app_runs, args.app_words)
    data["load_avg"] = {"start": load_start, "end": load_avg()}
    data["query_log"] = [{"q": q["q"], "cls": q["cls"], "results": r} for q, r in rows]
    jp, mp = write_results(NAME, args.n, data, render(data))
    print(render(data))
    eprint(f"wrote {jp} and {mp}; environment PYTHONPATH={os.environ.get('PYTHONPATH', '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
