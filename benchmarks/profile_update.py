"""Profile `Library.update()` (and, optionally, `Library.search()`) with cProfile and split the
time per article between parsing, text analysis, Whoosh and SQLite.

The split comes from cProfile's caller edges, so nested work is attributed where it happens
(our analyzer running inside Whoosh's add_document is shown as a part of add_document). Times
are under the profiler, which inflates Python-heavy code: read the shares, not the absolute
figures (bench_index / bench_reuse give unprofiled times).

Results: benchmarks/results/profile_update-<N>.json/.md; the .prof files stay in
benchmarks/work/ for `python -m pstats` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import NO_VARIANTS, WORK, eprint, md_table, write_results

NAME = "profile_update"


def _find(stats: pstats.Stats, path_end: str, func: str):
    for key in stats.stats:  # type: ignore[attr-defined]
        if key[0].endswith(path_end) and key[2] == func:
            return key
    return None


def _ct(stats: pstats.Stats, path_end: str, func: str) -> float:
    key = _find(stats, path_end, func)
    return stats.stats[key][3] if key else 0.0  # type: ignore[attr-defined]


def _ct_from(stats: pstats.Stats, callee: tuple[str, str], caller: tuple[str, str]) -> float:
    """Cumulative time of `callee` when called by `caller`."""
    ckey = _find(stats, *callee)
    if ckey is None:
        return 0.0
    callers = stats.stats[ckey][4]  # type: ignore[attr-defined]
    return sum(v[3] for k, v in callers.items() if k[0].endswith(caller[0]) and k[2] == caller[1])


def split_update(stats: pstats.Stats, total: float, n: int) -> list[list]:
    ct = lambda p, f: _ct(stats, p, f)  # noqa: E731
    terms = ("index/text/analysis.py", "terms")
    rows = [
        ("update() total", total),
        ("read + parse (read_source)", ct("index/ingest/corpus.py", "read_source")),
        ("  dateparser (metadata._to_iso)", ct("index/ingest/metadata.py", "_to_iso")),
        ("  paragraph segmentation", ct("index/ingest/segment.py", "paragraph_spans")),
        (
            "  boilerplate + self-repeats",
            ct("index/ingest/boilerplate.py", "boilerplate_flags")
            + ct("index/ingest/boilerplate.py", "repeats"),
        ),
        ("  language detection", ct("index/text/analysis.py", "detect_language")),
        (
            "text analysis in the update's _put (shared by Whoosh and shingles)",
            _ct_from(stats, terms, ("index/store/sync.py", "_put")),
        ),
        ("to_document", ct("index/search/schema.py", "to_document")),
        ("Whoosh add_document", ct("whoosh/writing.py", "add_document")),
        (
            "  our analyzer inside Whoosh (title, body; 0 when pre-analysed)",
            _ct_from(stats, terms, ("index/search/schema.py", "__call__")),
        ),
        (
            "  surface analyzer inside Whoosh (words, outlet, author)",
            _ct(stats, "index/search/schema.py", "__call__")
            - _ct_from(stats, terms, ("index/search/schema.py", "__call__")),
        ),
        ("Whoosh commit (flush, merge)", ct("whoosh/writing.py", "commit")),
        ("worker's Whoosh segment: add_document", ct("index/search/engine.py", "add")),
        ("worker's Whoosh segment: finish", ct("index/search/engine.py", "finish")),
        (
            "  writing postings (held by term, or Whoosh's add_postings)",
            ct("index/search/blocks.py", "write") + ct("whoosh/codec/base.py", "add_postings"),
        ),
        (
            "  sorting postings through run files (Whoosh's pool: save + merge)",
            ct("whoosh/writing.py", "save") + ct("whoosh/externalsort.py", "_merge_runs"),
        ),
        ("preparing (parse, analyse, shingle: prepare)", ct("index/store/prepare.py", "prepare")),
        ("  parse (parse_draft)", ct("index/ingest/document.py", "parse_draft")),
        (
            "waiting for the workers (build process)",
            ct("index/store/prepare.py", "receive"),
        ),
        ("spelling dictionary (spelling.refresh)", ct("index/search/spelling.py", "refresh")),
        ("alignment tokens (article_tokens)", ct("index/text/tokens.py", "article_tokens")),
        (
            "  of which analysis (0 when given the terms)",
            _ct_from(stats, terms, ("index/text/tokens.py", "article_tokens")),
        ),
        ("shingle hashing (shingles)", ct("index/text/tokens.py", "shingles")),
        (
            "SQLite put_article (rows + shingle postings)",
            ct("index/store/catalog.py", "put_article"),
        ),
        (
            "SQLite commit (incl. sorted shingle inserts, if deferred)",
            ct("index/store/catalog.py", "commit"),
        ),
        ("file hash", ct("index/store/sync.py", "_file_hash")),
        ("all text analysis (Analyzer.terms, every caller)", ct(*terms)),
        ("  Sastrawi stemming (cache misses)", ct("index/text/analysis.py", "stem")),
    ]
    return [[k, v, v / total if total else 0, v / n * 1000] for k, v in rows]


def split_search(stats: pstats.Stats, total: float, n: int) -> list[list]:
    ct = lambda p, f: _ct(stats, p, f)  # noqa: E731
    rows = [
        ("search() total", total),
        ("open a searcher (ix.searcher)", ct("whoosh/index.py", "searcher")),
        ("parse query", ct("index/search/query.py", "parse_query")),
        ("rewrite (prefix/fuzzy expansion)", ct("index/search/query.py", "rewrite")),
        ("Whoosh search + count", ct("whoosh/searching.py", "search")),
        ("did-you-mean (suggest)", ct("index/search/suggest.py", "suggest")),
        ("hits: load articles from the catalog", ct("index/store/catalog.py", "article")),
        (
            "hits: analysed text of each hit (Analyzer.terms)",
            _ct_from(
                stats, ("index/text/analysis.py", "terms"), ("index/store/library.py", "_terms_of")
            )
            + _ct_from(
                stats,
                ("index/text/analysis.py", "terms"),
                ("index/search/highlight.py", "find_hits"),
            ),
        ),
        ("hits: find_hits", ct("index/search/highlight.py", "find_hits")),
        ("hits: make_snippet", ct("index/search/highlight.py", "make_snippet")),
    ]
    return [[k, v, v / total if total else 0, v / n * 1000] for k, v in rows]


def top_text(stats: pstats.Stats, k: int = 30) -> str:
    buf = io.StringIO()
    stats.stream = buf  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(k)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "-n",
        "--articles",
        type=int,
        default=2000,
        help="corpus size (default 2000; the corpus is cached like bench_index's)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--queries",
        type=int,
        default=30,
        help="queries per class to profile after the build (default 30; 0: none)",
    )
    ap.add_argument("--work", type=Path, default=WORK)
    ap.add_argument(
        "--clickid",
        action="store_true",
        help="profile the first N CLICK-ID records (a cold stem cache) instead of the synthetic"
        " corpus; the worker processes are profiled too",
    )
    args = ap.parse_args(argv)
    if args.clickid:
        return profile_clickid(args)

    from bench_index import CLASSES, make_queries
    from gen_corpus import ensure_corpus, load_vocab
    from newsreader.index import Library

    n = args.articles
    vocab = load_vocab(verbose=True)
    corpus = args.work / f"corpus-plain-{n}-s{args.seed}"
    ensure_corpus(corpus, n, args.seed, vocab)
    ix = args.work / f"profile-{n}-s{args.seed}"
    shutil.rmtree(ix, ignore_errors=True)
    lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
    eprint(f"profiling update() of {n:,} articles ...")
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.runcall(lib.update)
    total = time.perf_counter() - t0
    lib.close()
    prof_path = args.work / f"profile-update-{n}.prof"
    prof.dump_stats(prof_path)
    stats = pstats.Stats(str(prof_path))
    rows = split_update(stats, total, n)
    data = {
        "benchmark": NAME,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "params": {"n": n, "seed": args.seed},
        "update_profiled_seconds": total,
        "update_split": {r[0]: {"s": r[1], "share": r[2], "ms_per_article": r[3]} for r in rows},
        "update_top": top_text(stats),
    }
    md = [
        f"## profile_update, N = {n:,} (times under cProfile)",
        "",
        md_table(["part of update()", "s", "share", "ms / article"], rows),
    ]
    if args.queries:
        queries = make_queries(corpus, vocab, args.queries, args.seed)
        lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
        for q in queries[:10]:
            lib.search(q["q"])
        md += ["", "### Library.search() by query class (under cProfile)", ""]
        data["search"] = {}
        for cls in CLASSES:
            qs = [q["q"] for q in queries if q["cls"] == cls]
            sp = cProfile.Profile()
            t0 = time.perf_counter()
            sp.enable()
            for q in qs:
                lib.search(q)
            sp.disable()
            st = time.perf_counter() - t0
            sstats = pstats.Stats(sp)
            srows = split_search(sstats, st, len(qs))
            data["search"][cls] = {
                r[0]: {"s": r[1], "share": r[2], "ms_per_query": r[3]} for r in srows
            }
            md += [
                f"**{cls}** ({len(qs)} queries)",
                "",
                md_table(["part of search()", "s", "share", "ms / query"], srows),
                "",
            ]
        lib.close()
    shutil.rmtree(ix, ignore_errors=True)
    text = "\n".join(md)
    jp, mp = write_results(NAME, n, data, text)
    print(text)
    print(f"\nwrote {jp} and {mp}; profile in {prof_path}")
    return 0


def profile_clickid(args: argparse.Namespace) -> int:
    """`Library.update()` of the first N CLICK-ID records: the build process under cProfile,
    and each worker process under a profiler of its own (its `_serve` loop), split alike."""
    import os
    import tempfile

    from gen_corpus import CLICKID
    from newsreader.index import Library
    from newsreader.index.store import prepare

    n = args.articles
    tmp = Path(tempfile.mkdtemp(prefix="profile_update-"))
    corpus = tmp / "corpus"
    corpus.mkdir()
    with CLICKID.open(encoding="utf-8") as src, (corpus / "articles.jsonl").open("w") as dst:
        for k, line in enumerate(src):
            if k >= n:
                break
            dst.write(line)
    os.environ["NEWSREADER_HOME"] = str(tmp / "home")  # a cold stem cache
    worker_dir = args.work / f"profile-update-workers-{n}"
    shutil.rmtree(worker_dir, ignore_errors=True)
    worker_dir.mkdir(parents=True)
    serve = prepare._serve

    def profiled_serve(*a, **kw):  # runs in the worker process (forked: sees this patch)
        prof = cProfile.Profile()
        try:
            prof.runcall(serve, *a, **kw)
        finally:
            prof.dump_stats(worker_dir / f"worker-{os.getpid()}.prof")

    prepare._serve = profiled_serve
    lib = Library.open(corpus, index_dir=tmp / "index", variants=NO_VARIANTS)
    eprint(f"profiling update() of {n:,} CLICK-ID records and its workers ...")
    prof = cProfile.Profile()
    c0, t0 = time.process_time(), time.perf_counter()
    prof.runcall(lib.update)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    lib.close()
    prepare._serve = serve
    prof_path = args.work / f"profile-update-clickid-{n}.prof"
    prof.dump_stats(prof_path)
    parent = pstats.Stats(str(prof_path))
    files = sorted(str(f) for f in worker_dir.glob("*.prof"))
    workers = pstats.Stats(*files) if files else None
    # A worker's busy time: its chunks and segments, not the time it waits for work.
    worker_total = (
        _ct(workers, "index/store/prepare.py", "_prepare_chunk")
        + _ct(workers, "index/store/prepare.py", "_flush")
        if workers
        else 0.0
    )
    shutil.rmtree(tmp, ignore_errors=True)
    rows = split_update(parent, total, n)
    wrows = split_update(workers, worker_total, n) if workers else []
    if wrows:
        wrows[0][0] = "busy (chunks prepared and filed, segments finished)"
    data = {
        "benchmark": NAME,
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "params": {"n": n, "corpus": "clickid", "workers": len(files)},
        "load": os.getloadavg(),
        "update_profiled_seconds": total,
        "update_profiled_cpu_seconds": cpu,
        "workers_profiled_seconds": worker_total,
        "update_split": {r[0]: {"s": r[1], "share": r[2], "ms_per_article": r[3]} for r in rows},
        "workers_split": {r[0]: {"s": r[1], "share": r[2], "ms_per_article": r[3]} for r in wrows},
        "update_top": top_text(parent),
        "workers_top": top_text(workers) if workers else "",
    }
    md = [
        f"## profile_update, first {n:,} CLICK-ID records (times under cProfile)",
        "",
        f"Load average {tuple(round(x, 2) for x in os.getloadavg())} at the end. The build"
        f" process: {total:.1f} s wall under the profiler, {cpu:.1f} s CPU; its {len(files)}"
        f" worker processes: {worker_total:.1f} s busy in all. Rows that are 0 do not run in that"
        " process. Shares are of each process's own total.",
        "",
        "### The build process",
        "",
        md_table(["part of update()", "s", "share", "ms / article"], rows),
        "",
        "### The worker processes, together",
        "",
        md_table(["part of the workers' time", "s", "share", "ms / article"], wrows),
    ]
    text = "\n".join(md)
    jp, mp = write_results(NAME, f"clickid-{n}", data, text)
    print(text)
    print(f"\nwrote {jp} and {mp}; profiles in {prof_path} and {worker_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
