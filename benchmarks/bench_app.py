"""Benchmark the app as a person meets it, on an N-article corpus (default 10,000):

  launch      from starting the installed `newsreader CORPUS` in a pseudo-terminal to
              (a) the main screen painted with the search box focused (interactive: keys
              typed now go into the search box), and (b) the first results on screen
              ("N articles, newest first"). The index is up to date beforehand.
  keystroke   typing a word letter by letter (60 ms apart, a quick typist), from the last
              keystroke to the updated results on screen ("… results for WORD"). This
              includes the search debounce (the app waits that long after the last key
              before searching) as well as the search and the redraw.
  engine      the same searches through `Library.search` alone (with the app's result
              limit), for the share of the keystroke time that is the engine's.

Everything is read from the terminal output stream, as a terminal would show it; the time of
a screen is the arrival of the bytes that complete it.

Corpus: benchmarks/work/corpus-plain-N-sSEED (made with gen_corpus.generate if missing);
index: benchmarks/work/app-index-N-sSEED (built first if missing or stale; not timed here,
see bench_index.py). Results: benchmarks/results/bench_app-N.json and .md.

    python benchmarks/bench_app.py -n 10000 --runs 5 --queries 15
    python benchmarks/bench_app.py --bundled --runs 10 --queries 3
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    NO_VARIANTS,
    WORK,
    eprint,
    load_avg,
    machine_info,
    md_table,
    stats_ms,
    write_results,
)
from newsreader.index import Library

# Terminal control sequences (CSI, OSC, and the short ESC forms) removed to read the text.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|"
    r"\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOc]"
)
TYPING_GAP = 0.06
COLS, ROWS = 120, 40


def newsreader_bin() -> str:
    local = Path(sys.executable).parent / "newsreader"
    found = str(local) if local.exists() else shutil.which("newsreader")
    if not found:
        raise SystemExit("the newsreader command is not installed (pip install -e .)")
    return found


def corpus_for(n: int, seed: int) -> Path:
    folder = WORK / f"corpus-plain-{n}-s{seed}"
    manifest = folder / ".manifest.json"
    if not manifest.exists() or '"complete": true' not in manifest.read_text():
        from gen_corpus import generate

        eprint(f"generating {n} articles in {folder} …")
        generate(folder, n, seed, progress=True)
    return folder


def index_for(corpus: Path, n: int | str, seed: int) -> Path:
    index = WORK / f"app-index-{n}-s{seed}"
    lib = Library.open(corpus, index, variants=NO_VARIANTS)
    pending = lib.pending()
    if pending.stale:
        eprint(f"indexing {corpus} into {index} ({pending}) …")
        start = time.perf_counter()
        lib.update(progress=lambda d, t, p: eprint(f"  {d}/{t}") if d % 2000 == 0 else None)
        eprint(f"  indexed in {time.perf_counter() - start:.0f} s")
    lib.close()
    return index


def process_cpu(pid: int) -> float:
    """User + system CPU seconds used so far by a process (all its threads): unlike wall
    time, hardly changed by other work on a busy machine."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


class Terminal:
    """`newsreader` in a pseudo-terminal; a thread reads its output and notes the moment
    an expected piece of text is complete on the stream."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw: list[str] = []
        self.lock = threading.Lock()
        self.wanted: tuple[str, int] | None = None  # text, raw chunk index to look from
        self.seen = threading.Event()
        self.seen_at = 0.0
        self.seen_cpu = 0.0  # CPU seconds the app had used by then
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            with self.lock:
                self.raw.append(data.decode("utf-8", "replace"))
                if self.wanted and not self.seen.is_set():
                    text, since = self.wanted
                    if text in _ESCAPES.sub("", "".join(self.raw[since:])):
                        self.seen_at = now
                        self.seen_cpu = process_cpu(self.proc.pid)
                        self.seen.set()

    def mark(self) -> int:
        with self.lock:
            return len(self.raw)

    def expect(self, text: str, since: int) -> None:
        with self.lock:
            self.seen.clear()
            self.wanted = (text, since)
            if text in _ESCAPES.sub("", "".join(self.raw[since:])):
                self.seen_at = time.perf_counter()
                self.seen_cpu = process_cpu(self.proc.pid)
                self.seen.set()

    def wait(self, timeout: float = 60.0) -> float:
        if not self.seen.wait(timeout):
            tail = _ESCAPES.sub("", "".join(self.raw[-20:]))[-2000:]
            raise TimeoutError(f"never saw {self.wanted[0]!r}; last output:\n{tail}")
        return self.seen_at

    def send(self, data: str) -> None:
        os.write(self.master, data.encode("utf-8"))

    def close(self) -> None:
        with_signal = False
        try:
            self.send("\x11")  # Ctrl+Q
            self.proc.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            with_signal = True
        if with_signal or self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(10)
        os.close(self.master)


def pick_words(corpus: Path, count: int, seed: int) -> list[str]:
    """Words a reader might look for: 5+ letters, from random articles of the corpus."""
    rng = random.Random(seed)
    files = sorted(corpus.rglob("*.txt"))
    words: list[str] = []
    for path in rng.sample(files, min(len(files), 200)):
        words.extend(
            w for w in re.findall(r"[^\W\d_]{5,12}", path.read_text("utf-8")) if w.islower()
        )
    unique = sorted(set(words))
    return rng.sample(unique, min(count, len(unique)))


def run_session(argv: list[str], env: dict[str, str], words: list[str]) -> dict:
    term = Terminal(argv, env)
    try:
        since = 0
        term.expect("Search (/)", since)  # the search box's placeholder: main screen up
        screen_at = term.wait()
        screen_cpu = term.seen_cpu
        term.expect("articles, newest first", since)
        listed_at = term.wait()
        listed_cpu = term.seen_cpu
        term.send("/")  # into the search box: the app opens with the results focused
        term.wait()
        keystrokes = []
        for word in words:
            for ch in word[:-1]:
                term.send(ch)
                time.sleep(TYPING_GAP)
            since = term.mark()
            term.expect(f" for {word}", since)  # "N results for", "1 result for", "No results for"
            sent = time.perf_counter()
            term.send(word[-1])
            keystrokes.append(term.wait() - sent)
            since = term.mark()
            term.expect("articles, newest first", since)
            term.send("\x15")  # Ctrl+U: clear the search box
            term.wait()
        return {
            "screen_s": screen_at - term.started,
            "results_s": listed_at - term.started,
            "screen_cpu_s": screen_cpu,
            "results_cpu_s": listed_cpu,
            "keystroke_s": keystrokes,
        }
    finally:
        term.close()


def engine_times(corpus: Path, index: Path, words: list[str], limit: int) -> list[float]:
    lib = Library.open(corpus, index, variants=NO_VARIANTS)
    lib.search("", limit=limit)  # open the index, as the app has by then
    out = []
    for word in words:
        start = time.perf_counter()
        lib.search(word, limit=limit)
        out.append(time.perf_counter() - start)
    lib.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=10_000, help="articles in the corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5, help="app launches")
    ap.add_argument("--queries", type=int, default=15, help="words typed per launch")
    ap.add_argument(
        "--bundled",
        action="store_true",
        help="use the bundled sample corpus (5 articles) instead of -n",
    )
    args = ap.parse_args(argv)

    if args.bundled:
        from newsreader.index import bundled_corpus

        corpus, args.n = bundled_corpus(), 5
        index = index_for(corpus, "sample", args.seed)
    else:
        corpus = corpus_for(args.n, args.seed)
        index = index_for(corpus, args.n, args.seed)
    words = pick_words(corpus, args.queries * args.runs, args.seed)
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(COLS),
            "LINES": str(ROWS),
            "NEWSREADER_HOME": f"{home}/data",
            "NEWSREADER_CONFIG_DIR": f"{home}/config",
        }
        env.pop("NEWSREADER_THEME", None)
        command = [newsreader_bin(), str(corpus), "--index-dir", str(index)]
        sessions = []
        for run in range(args.runs):
            chunk = words[run * args.queries : (run + 1) * args.queries]
            sessions.append(run_session(command, env, chunk))
            eprint(
                f"run {run + 1}: screen {sessions[-1]['screen_s'] * 1000:.0f} ms, "
                f"results {sessions[-1]['results_s'] * 1000:.0f} ms"
            )

    from newsreader.tui.config import Settings

    limit = Settings().result_limit
    engine = engine_times(corpus, index, words, limit)
    data = {
        "n": args.n,
        "seed": args.seed,
        "runs": args.runs,
        "words": words,
        "machine": machine_info(),
        "load_avg": load_avg(),
        "debounce_ms": Settings().debounce * 1000,
        "result_limit": limit,
        "typing_gap_ms": TYPING_GAP * 1000,
        "terminal": f"{COLS}x{ROWS}",
        "launch_to_screen": stats_ms([s["screen_s"] for s in sessions]),
        "launch_to_results": stats_ms([s["results_s"] for s in sessions]),
        "cpu_to_screen": stats_ms([s["screen_cpu_s"] for s in sessions]),
        "cpu_to_results": stats_ms([s["results_cpu_s"] for s in sessions]),
        "keystroke_to_results": stats_ms([k for s in sessions for k in s["keystroke_s"]]),
        "engine_search": stats_ms(engine),
    }
    rows = [
        [label, data[key]["median_ms"], data[key]["p95_ms"], data[key]["max_ms"], data[key]["n"]]
        for label, key in (
            ("launch → main screen, search box focused", "launch_to_screen"),
            ("  CPU time used by then", "cpu_to_screen"),
            ("launch → first results on screen", "launch_to_results"),
            ("  CPU time used by then", "cpu_to_results"),
            ("last keystroke → updated results", "keystroke_to_results"),
            (f"  of which engine search (limit {limit})", "engine_search"),
        )
    ]
    md = (
        f"## bench_app, N = {args.n:,} articles"
        f"{' (the bundled sample corpus)' if args.bundled else ''}\n\n"
        f"Installed `newsreader` in a {COLS}×{ROWS} pseudo-terminal, {args.runs} launches, "
        f"{len(words)} words typed {TYPING_GAP * 1000:.0f} ms apart; search debounce "
        f"{data['debounce_ms']:.0f} ms (included in the keystroke figure). "
        f"{data['machine'].get('cpus')} CPUs, load {data['load_avg']} (wall times stretch "
        "with the load; the app's CPU time much less).\n\n"
        + md_table(["", "median ms", "p95 ms", "max ms", "n"], rows)
    )
    print(md)
    jp, mp = write_results("bench_app", "sample" if args.bundled else args.n, data, md)
    eprint(f"wrote {jp} and {mp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
