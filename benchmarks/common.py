"""Helpers the benchmark scripts share: statistics, tables, results files, RSS."""

from __future__ import annotations

import json
import os
import resource
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"  # git-ignored: corpora, indexes, caches
RESULTS = HERE / "results"
NO_VARIANTS = WORK / "no-user-variants.toml"  # never created: keeps user config out of runs


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def median(values: list[float]) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def md_table(headers: list[str], rows: list[list]) -> str:
    def cell(x) -> str:
        if isinstance(x, float):
            if x != x:
                return "–"
            if abs(x) >= 100:
                return f"{x:,.0f}"
            if abs(x) >= 10:
                return f"{x:.1f}"
            return f"{x:.3g}" if abs(x) < 1 else f"{x:.2f}"
        return str(x)

    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, n: int | str, data: dict, markdown: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    jp = RESULTS / f"{name}-{n}.json"
    mp = RESULTS / f"{name}-{n}.md"
    tmp = jp.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str),
                   encoding="utf-8")
    os.replace(tmp, jp)
    mp.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return jp, mp


def machine_info() -> dict:
    import platform

    info = {"python": sys.version.split()[0], "platform": platform.platform(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/meminfo") as fh:
            info["mem_total"] = fh.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        import whoosh

        info["whoosh"] = ".".join(map(str, whoosh.versioninfo))
    except Exception:  # pragma: no cover
        pass
    return info


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # pragma: no cover - not Linux
        return float("nan")


def dir_size(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def mib(n: int | float) -> float:
    return n / 2**20


def stats_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "median_ms": median(ms), "p95_ms": percentile(ms, 95),
            "mean_ms": sum(ms) / len(ms) if ms else float("nan"),
            "min_ms": min(ms) if ms else float("nan"), "max_ms": max(ms) if ms else float("nan")}


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def eprint(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
