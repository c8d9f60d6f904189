"""The corpus-wide overlaps run (`newsreader overlaps`: every pair of articles that shares
passages) on the CLICK-ID corpus, ours against an earlier engine in the same run.

  python benchmarks/bench_overlaps.py --baseline-site DIR [--every K | --articles N]
      [--work DIR] [--reuse-indexes]

The corpus is CLICK-ID (../shared/corpora/clickid-id/articles.jsonl, only read): all of it
(a copy), every K-th record (`--every`) or the first N records (`--articles`), in
each case only the records with a body. `--baseline-site DIR` holds the earlier engine,
installed with `pip install --no-deps --target DIR <checkout>` (see README, "Which engine is
measured"). Each engine builds its own index once (kept under `--work`, by default
benchmarks/work/overlaps-<corpus>; `--reuse-indexes` keeps an earlier run's) and then runs
`Library.overlaps()` in a fresh process of its own, one engine after the other, never both
at once. Figures per engine: wall and CPU seconds (the process and its alignment workers),
peak RSS of the process and of its largest worker, the candidate pairs and the time taken to
find them, the pairs found and their passages; then how many pairs both engines find and how
many only one does. A run of ours starts without learned substitutions (they are written
beside the index after each run and would change the next one).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    NO_VARIANTS,
    SHARED,
    WORK,
    eprint,
    load_avg,
    machine_info,
    md_table,
    ratio,
    write_results,
)

NAME = "bench_overlaps"
CLICKID = SHARED / "corpora" / "clickid-id" / "articles.jsonl"


def make_corpus(folder: Path, every: int, articles: int) -> int:
    """The corpus folder: one articles.jsonl, a copy of CLICK-ID or a subset of it (a link
    to a file outside the corpus is skipped, as it would be for a user)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "articles.jsonl"
    if every <= 1 and not articles:
        if target.is_symlink() or not target.is_file():
            target.unlink(missing_ok=True)
            shutil.copyfile(CLICKID, target)
        with CLICKID.open(encoding="utf-8") as src:
            return sum(1 for line in src if (json.loads(line).get("body") or "").strip())
    kept = 0
    tmp = folder / "articles.jsonl.tmp"
    with CLICKID.open(encoding="utf-8") as src, tmp.open("w", encoding="utf-8") as out:
        for k, line in enumerate(src):
            if articles and kept >= articles:
                break
            if k % max(1, every) == 0 and (json.loads(line).get("body") or "").strip():
                out.write(line)
                kept += 1
    if target.is_symlink() or not target.exists() or target.read_bytes() != tmp.read_bytes():
        target.unlink(missing_ok=True)
        tmp.rename(target)
    else:
        tmp.unlink()
    return kept


def _cpu_all() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peaks() -> dict:
    return {
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def work_build(corpus: Path, index: Path) -> dict:
    from newsreader.index import Library

    shutil.rmtree(index, ignore_errors=True)
    lib = Library.open(corpus, index, variants=NO_VARIANTS)
    c0, t0 = _cpu_all(), time.perf_counter()
    lib.update()
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": _cpu_all() - c0, **_peaks()}


def work_overlaps(corpus: Path, index: Path, pairs_file: Path) -> dict:
    import importlib

    import newsreader.index as engine
    from newsreader.index import Library
    from newsreader.index.reuse import candidates

    for learned in index.glob("learned*"):
        learned.unlink()
    lib = Library.open(corpus, index, variants=NO_VARIANTS)
    found_candidates: dict = {}
    original = candidates.candidate_pairs

    def timed(*args, **kwargs):
        c0, t0 = _cpu_all(), time.perf_counter()
        out = original(*args, **kwargs)
        found_candidates.update(
            candidate_pairs=len(out),
            candidate_seconds=time.perf_counter() - t0,
            candidate_cpu_seconds=_cpu_all() - c0,
        )
        return out

    # The module that calls candidate_pairs: store/passages.py now, store/library.py before.
    for name in ("newsreader.index.store.passages", "newsreader.index.store.library"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "candidate_pairs"):
            module.candidate_pairs = timed
    c0, t0 = _cpu_all(), time.perf_counter()
    found = lib.overlaps()
    seconds, cpu = time.perf_counter() - t0, _cpu_all() - c0
    pairs_file.write_text(json.dumps(sorted([o.a, o.b] for o in found)), encoding="utf-8")
    return {
        "engine": str(Path(engine.__file__).parent),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "pairs_found": len(found),
        "passages": sum(len(o.alignment.passages) for o in found),
        **found_candidates,
        **_peaks(),
    }


def run_worker(kind: str, corpus: Path, index: Path, out: Path, site: Path | None) -> dict:
    env = dict(os.environ)  # ours: the engine this script imports
    if site is not None:
        env["PYTHONPATH"] = str(site.resolve())
    done = subprocess.run(
        [sys.executable, __file__, "--worker", kind, str(corpus), str(index), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline-site", type=Path, help="an earlier engine installed in DIR")
    ap.add_argument("--every", type=int, default=1, help="every K-th CLICK-ID record")
    ap.add_argument("--articles", type=int, default=0, help="at most N records (0: all)")
    ap.add_argument("--work", type=Path, help="folder for the corpus and the indexes")
    ap.add_argument("--reuse-indexes", action="store_true", help="keep indexes built before")
    ap.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)  # kind corpus index out
    args = ap.parse_args(argv)
    if args.worker:
        kind, corpus, index, out = args.worker
        if kind == "build":
            print(json.dumps(work_build(Path(corpus), Path(index))))
        else:
            print(json.dumps(work_overlaps(Path(corpus), Path(index), Path(out))))
        return 0
    if not CLICKID.exists():
        eprint(f"no CLICK-ID corpus at {CLICKID}")
        return 2
    label = "clickid"
    if args.every > 1:
        label += f"-every{args.every}"
    if args.articles:
        label += f"-first{args.articles}"
    work = args.work or WORK / f"overlaps-{label}"
    corpus = work / "corpus"
    n = make_corpus(corpus, args.every, args.articles)
    engines = {"ours": None}
    if args.baseline_site:
        engines["baseline"] = args.baseline_site
    load_start = load_avg()
    results: dict[str, dict] = {}
    for name, site in engines.items():
        index = work / f"index-{name}"
        out = work / f"pairs-{name}.json"
        built = None
        if not (args.reuse_indexes and index.is_dir()):
            eprint(f"{name}: building the index of {n:,} articles")
            built = run_worker("build", corpus, index, out, site)
        eprint(f"{name}: overlaps")
        results[name] = run_worker("overlaps", corpus, index, out, site)
        results[name]["build"] = built
        results[name]["pairs"] = {tuple(p) for p in json.loads(out.read_text("utf-8"))}
    ours = results["ours"]
    base = results.get("baseline")
    both = ours["pairs"] & base["pairs"] if base else set()
    agreement = (
        {
            "both": len(both),
            "ours_only": len(ours["pairs"] - both),
            "baseline_only": len(base["pairs"] - both),
        }
        if base
        else None
    )
    for r in results.values():
        r.pop("pairs")
    data = {
        "corpus": label,
        "articles": n,
        "ours": ours,
        "baseline": base,
        "baseline_site": str(args.baseline_site) if args.baseline_site else None,
        "agreement": agreement,
        "load_start": load_start,
        "load_end": load_avg(),
        "machine": machine_info(),
    }
    figures = [
        ("candidate pairs", "candidate_pairs"),
        ("candidates, wall s", "candidate_seconds"),
        ("candidates, CPU s", "candidate_cpu_seconds"),
        ("overlaps, wall s", "seconds"),
        ("overlaps, CPU s (with workers)", "cpu_seconds"),
        ("peak RSS, MB", "peak_rss_mb"),
        ("peak RSS of a worker, MB", "worker_peak_rss_mb"),
        ("pairs found", "pairs_found"),
        ("passages", "passages"),
    ]
    rows = []
    for title, key in figures:
        o = ours.get(key, float("nan"))
        b = base.get(key, float("nan")) if base else float("nan")
        rows.append([title, o, b, ratio(o, b) if base else float("nan")])
    md = (
        f"## bench_overlaps, CLICK-ID ({label}: {n:,} articles)\n\n"
        f"`Library.overlaps()` on a fresh process per engine, one after the other; load "
        f"average {load_start} at the start, {data['load_end']} at the end. Wall times swell "
        f"on a shared machine: compare the CPU seconds.\n\n"
        + md_table(["figure", "ours", "baseline", "ours / baseline"], rows)
    )
    if agreement:
        md += (
            f"\n\nPairs found by both: {agreement['both']:,}; by ours only: "
            f"{agreement['ours_only']:,}; by the baseline only: {agreement['baseline_only']:,}."
        )
    dirty = data["machine"].get("engine_uncommitted_changes")
    md += (
        f"\n\nEngine: {data['machine'].get('engine')} at {data['machine'].get('engine_commit')}"
        f"{' (with uncommitted changes)' if dirty else ''}"
        f"; baseline: {data['baseline_site'] or 'none'}"
        + (f" at {_commit_of(args.baseline_site)}" if args.baseline_site else "")
        + ".\n"
    )
    write_results(NAME, label, data, md)
    print(md)
    return 0


def _commit_of(site: Path) -> str:
    stamp = site / "COMMIT"
    return stamp.read_text().strip()[:12] if stamp.is_file() else "unknown commit"


if __name__ == "__main__":
    raise SystemExit(main())
