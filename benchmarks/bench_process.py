"""Benchmark issue 11's process target: `newsreader search` as a process within 1.3x of a
plain Whoosh script that opens an index and runs the same query.

On the detik-recent-id corpus (2,840 articles; the indexes of bench_long_query.py, built
there once and reused), in one run, each command once per round, the commands' order
rotating from one round to the next, one untimed round first:

  python -c pass                  the floor: starting Python
  plain Whoosh script             open the plain Whoosh index, parse (MultifieldParser over
                                  title and body), search, print the count and 10 ids
  newsreader search               as typed (it first checks whether the corpus changed)
  newsreader search --no-update   the index as it is
  newsreader (baseline)           with --baseline-site DIR: an earlier engine installed in
                                  DIR (pip install --no-deps --target DIR <checkout>), run
                                  as typed, so the change is measured in the same run

for each query class: one word, two words of one article, a 25-word sentence of an article,
and one word with `--json`. Each class draws --words queries with the seed (bench_scale.py's
draw) and a round uses the next one. Per command and class: median and p95 wall time,
median CPU time of the process (user + system, from the children's rusage), and the ratio
ours / plain Whoosh script of the medians (CPU and wall).

    python benchmarks/bench_process.py --rounds 20
    python benchmarks/bench_process.py --rounds 20 --baseline-site benchmarks/work/engine-site

Results: benchmarks/results/bench_process-detik.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_long_query import make_corpus, run_worker
from bench_scale import WHOOSH_SCRIPT, Corpus, make_queries
from common import (
    WORK,
    eprint,
    load_avg,
    machine_info,
    md_table,
    ratio,
    stats_ms,
    write_results,
)

NAME = "bench_process"
CLASSES = {
    "single": "one word",
    "and2": "two words",
    "sentence": "25-word sentence",
    "json": "one word, --json",
}
# Runs the CLI the way its console script does, with the engine found on PYTHONPATH first.
CLI = "import sys; from newsreader.tui.cli import main; sys.argv[0] = 'newsreader'; main()"


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def draw(corpus: Corpus, n: int, seed: int) -> dict[str, list[str]]:
    every = make_queries(corpus, n, seed)
    out: dict[str, list[str]] = {c: [] for c in CLASSES}
    for q in every:
        if q["cls"] in out and q["cls"] != "json":
            out[q["cls"]].append(q["q"])
    out["json"] = list(out["single"])
    return out


def commands(
    corpus: Corpus, indexes: dict[str, str], baseline_site: str | None
) -> dict[str, tuple[list[str], dict]]:
    """name -> (argv before the query, extra environment)."""
    from bench_app import newsreader_bin

    nr = newsreader_bin()
    args = ["search", "--corpus", corpus.folder, "--index-dir", indexes["ours"]]
    out: dict[str, tuple[list[str], dict]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
        "plain Whoosh script": ([sys.executable, "-c", WHOOSH_SCRIPT, indexes["whoosh"]], {}),
        "newsreader search": ([nr, *args], {}),
        "newsreader search --no-update": ([nr, *args, "--no-update"], {}),
    }
    if baseline_site:
        site = str(Path(baseline_site).resolve())
        out["newsreader search (baseline)"] = (
            [sys.executable, "-c", CLI, *args],
            {"PYTHONPATH": site},
        )
    return out


def run(
    corpus: Corpus,
    indexes: dict[str, str],
    queries: dict[str, list[str]],
    rounds: int,
    baseline_site: str | None,
) -> dict:
    cmds = commands(corpus, indexes, baseline_site)
    names = list(cmds)
    times = {c: {n: {"wall": [], "cpu": []} for n in names} for c in CLASSES}
    shown: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as home:
        base_env = {
            **os.environ,
            "NEWSREADER_HOME": f"{home}/data",
            "NEWSREADER_CONFIG_DIR": f"{home}/config",
        }
        base_env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode cached
        k = 0
        for r in range(rounds + 1):
            for cls in CLASSES:
                q = queries[cls][r % len(queries[cls])]
                k += 1
                for name in names[k % len(names) :] + names[: k % len(names)]:
                    argv, extra = cmds[name]
                    if name == "python -c pass":
                        cmd = argv
                    elif name == "plain Whoosh script":
                        cmd = [*argv, q]
                    else:
                        cmd = [*argv, *(["--json"] if cls == "json" else []), q]
                    env = base_env | extra
                    c0, t0 = _children_cpu(), time.perf_counter()
                    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
                    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
                    if proc.returncode != 0:
                        raise SystemExit(f"{name} failed on {q!r}: {proc.stderr[-2000:]}")
                    if r == 0:  # untimed: caches and bytecode warm for every command
                        if cls == "single":
                            show = [Path(cmd[0]).name, *cmd[1:]]
                            if name == "plain Whoosh script":
                                show[2] = "WHOOSH_SCRIPT"  # in bench_scale.py
                            shown[name] = " ".join(show)
                        continue
                    times[cls][name]["wall"].append(wall)
                    times[cls][name]["cpu"].append(cpu)
            eprint(f"  round {r}/{rounds} (load {os.getloadavg()[0]:.2f})")
    out: dict = {"commands": shown, "classes": {}}
    for cls in CLASSES:
        out["classes"][cls] = {
            n: {"wall": stats_ms(t["wall"]), "cpu": stats_ms(t["cpu"])}
            for n, t in times[cls].items()
        }
    return out


def render(data: dict) -> str:
    res = data["results"]
    names = list(next(iter(res["classes"].values())))
    lines = [
        f"# {NAME}: `newsreader search` as a process, detik-recent-id "
        f"({data['articles']:,} articles)",
        "",
        f"{data['started']}; {data['rounds']} rounds, each command once per round and query "
        f"class, the order rotating; load average {data['load_avg']['start']} at the start, "
        f"{data['load_avg']['end']} at the end. Engine: {data['engine'].get('engine_commit')}"
        + (f"; baseline: {data['baseline_commit']}" if data.get("baseline_commit") else "")
        + ".",
        "",
        "Median CPU ms (user + system) / median wall ms / p95 wall ms per process. Ratio: "
        "ours / plain Whoosh script, medians (CPU; wall in brackets).",
        "",
    ]
    rows = []
    for cls, label in CLASSES.items():
        c = res["classes"][cls]
        base = c["plain Whoosh script"]
        for n in names:
            s = c[n]
            r = ""
            if n.startswith("newsreader"):
                rc = ratio(s["cpu"]["median_ms"], base["cpu"]["median_ms"])
                rw = ratio(s["wall"]["median_ms"], base["wall"]["median_ms"])
                r = f"{rc:.2f}x ({rw:.2f}x)"
            rows.append(
                [
                    label,
                    n,
                    f"{s['cpu']['median_ms']:.0f}",
                    f"{s['wall']['median_ms']:.0f}",
                    f"{s['wall']['p95_ms']:.0f}",
                    r,
                ]
            )
    lines.append(md_table(["class", "command", "CPU ms", "wall ms", "p95 wall ms", "ratio"], rows))
    lines += ["", "Commands (one word):", ""]
    lines += [f"- {n}: `{cmd}`" for n, cmd in res["commands"].items()]
    lines += ["", "Queries: " + "; ".join(f"{c}: {qs[:3]}" for c, qs in data["queries"].items())]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=20, help="timed rounds (20)")
    ap.add_argument("--words", type=int, default=10, help="queries drawn per class (10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline-site", help="an earlier engine installed with --target")
    ap.add_argument("--work", type=Path, default=WORK, help="corpora and indexes (kept)")
    ap.add_argument("--render", action="store_true", help="only rewrite the .md from the .json")
    args = ap.parse_args(argv)
    label = "detik"
    if args.render:
        data = json.loads((Path(__file__).parent / "results" / f"{NAME}-{label}.json").read_text())
        write_results(NAME, label, data, render(data))
        return 0
    from common import engine_info

    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    root = args.work / "long-query-detik"
    corpus, n = make_corpus("detik", 0, root / "corpus")
    corpus = Corpus(**(asdict(corpus) | {"label": label}))
    indexes = {"ours": str(root / "ours"), "whoosh": str(root / "whoosh")}
    if not (root / "build.json").is_file():
        cfg = {"corpus": asdict(corpus)}
        build = {"_when": started}
        for e in ("ours", "whoosh"):
            build[e] = run_worker(f"build-{e}", cfg | {"index": indexes[e]})
        (root / "build.json").write_text(json.dumps(build), encoding="utf-8")
    queries = draw(corpus, args.words, args.seed)
    load_start = load_avg()
    res = run(corpus, indexes, queries, args.rounds, args.baseline_site)
    baseline_commit = None
    if args.baseline_site:
        p = Path(args.baseline_site) / "COMMIT"
        baseline_commit = p.read_text().strip() if p.is_file() else None
    data = {
        "benchmark": NAME,
        "started": started,
        "articles": n,
        "rounds": args.rounds,
        "machine": machine_info(),
        "engine": engine_info(),
        "baseline_site": args.baseline_site,
        "baseline_commit": baseline_commit,
        "load_avg": {"start": load_start, "end": load_avg()},
        "queries": queries,
        "results": res,
    }
    jp, mp = write_results(NAME, label, data, render(data))
    print(render(data))
    eprint(f"wrote {jp} and {mp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
