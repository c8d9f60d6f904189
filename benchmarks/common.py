"""Helpers the benchmark scripts share: statistics, tables, results files, RSS."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"  # git-ignored: corpora, indexes, caches
RESULTS = HERE / "results"
# The shared test data sits beside the checkout (../shared), only ever read.
SHARED = Path(os.environ.get("NEWSREADER_SHARED", REPO.parent / "shared"))
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
            if abs(x) >= 1:
                return f"{x:.2f}"
            short = f"{x:.4g}"
            return f"{x:.6f}" if abs(float(short)) >= 1 else short  # 0.99996 must not read "1"
        return str(x)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(name: str, n: int | str, data: dict, markdown: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    jp = RESULTS / f"{name}-{n}.json"
    mp = RESULTS / f"{name}-{n}.md"
    tmp = jp.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, jp)
    mp.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    return jp, mp


def engine_info() -> dict:
    """Which engine code ran: the engine package's folder and its git commit. To measure a
    fixed commit while the working tree changes, install it into a folder of its own and
    put that first on the path:
        git worktree add benchmarks/work/engine-HEAD HEAD
        pip install --no-deps --target benchmarks/work/engine-site benchmarks/work/engine-HEAD
        git -C benchmarks/work/engine-HEAD rev-parse HEAD > benchmarks/work/engine-site/COMMIT
        PYTHONPATH=benchmarks/work/engine-site python benchmarks/bench_index.py ..."""
    import subprocess

    info: dict = {}
    try:
        import newsreader.index as engine

        pkg = Path(engine.__file__).resolve().parent
        info["engine"] = str(pkg)
    except Exception as exc:  # pragma: no cover
        return {"engine": f"not importable: {exc}"}

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    stamp = pkg.parent.parent / "COMMIT"
    if stamp.is_file():  # a snapshot made as above, with its commit written beside it
        info["engine_commit"] = stamp.read_text().strip()
        info["engine_snapshot"] = True
    elif pkg.parent == REPO:
        info["engine_commit"] = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "index")
        info["engine_uncommitted_changes"] = bool(dirty)
        info["engine_snapshot"] = False
    return info


def machine_info() -> dict:
    import platform

    info = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/meminfo") as fh:
            info["mem_total"] = fh.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        from importlib.metadata import version

        info["whoosh"] = version("whoosh-reloaded")
    except Exception:  # pragma: no cover
        pass
    return info | engine_info()


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
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, f)).st_size
    return total


def mib(n: int | float) -> float:
    return n / 2**20


def stats_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "median_ms": median(ms),
        "p95_ms": percentile(ms, 95),
        "mean_ms": sum(ms) / len(ms) if ms else float("nan"),
        "min_ms": min(ms) if ms else float("nan"),
        "max_ms": max(ms) if ms else float("nan"),
    }


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def eprint(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def cpu_seconds() -> float:
    """User + system CPU time of this process (less disturbed than wall time when other
    processes share the machine)."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        return []
