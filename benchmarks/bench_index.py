"""Benchmark the full-text side of the engine against a plain Whoosh index.

For an N-article synthetic corpus (generated with gen_corpus.py, cached under
benchmarks/work/), measures in one run:

  build    `Library.update()` from scratch (articles/s), and a plain Whoosh baseline: schema
           id=ID(stored, unique), title=TEXT(field_boost=2), body=TEXT with the default
           StandardAnalyzer, one writer, add_document per article, one commit.
  no-op    a second `Library.update()` with nothing changed, against the least a Whoosh-only
           sync must do: read every stored id and stat every file.
  queries  latency per query class (single word, two words AND, "exact phrase", prefix*,
           fuzzy~, title:word, date range, NOT, misspelt word) on both; date range and
           misspelt word on ours only (the baseline has no date field and no did-you-mean).
  memory   peak RSS of each phase (each runs in its own process), index size on disk.

Ours is called exactly as the UI calls it: `Library.search(query, limit=10)`, which parses,
expands, searches, counts all matches, makes "did you mean" suggestions and builds snippets
from the catalog. The baseline opens a searcher, parses with MultifieldParser(title, body) +
FuzzyTermPlugin, searches with limit=10, counts all matches and reads the stored ids.

Results: benchmarks/results/bench_index-<N>.json and .md (the table is printed too).
Ratios are ours / baseline: above 1 means ours is slower (or bigger).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    NO_VARIANTS,
    WORK,
    cpu_seconds,
    current_rss_mb,
    dir_size,
    eprint,
    load_avg,
    machine_info,
    md_table,
    median,
    mib,
    peak_rss_mb,
    ratio,
    stats_ms,
    write_results,
)

NAME = "bench_index"
CLASSES = ("single", "and2", "phrase", "prefix", "fuzzy", "field", "date", "not", "misspelt")
OURS_ONLY = {"date", "misspelt"}
CLASS_LABEL = {
    "single": "single word",
    "and2": "two words (AND)",
    "phrase": '"exact phrase"',
    "prefix": "prefix*",
    "fuzzy": "fuzzy~",
    "field": "title:word",
    "date": "date:[Y to Y]",
    "not": "a NOT b",
    "misspelt": "misspelt (did you mean)",
}
# Bands over the generator's Zipf ranks (stop words and names excluded).
BANDS = {"common": (0, 200), "mid": (200, 1500), "rare": (1500, 5000)}


# -- workers (each phase runs in its own process, so peak RSS is its own) ----------------------


def _worker_build_ours(corpus: Path, index: Path) -> dict:
    from newsreader.index import Library

    shutil.rmtree(index, ignore_errors=True)
    lib = Library.open(corpus, index_dir=index, variants=NO_VARIANTS)
    rss0 = current_rss_mb()
    c0, t0 = cpu_seconds(), time.perf_counter()
    report = lib.update()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "articles": len(report.added),
        "skipped": len(report.skipped),
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_noop_ours(corpus: Path, index: Path) -> dict:
    from newsreader.index import Library

    lib = Library.open(corpus, index_dir=index, variants=NO_VARIANTS)
    c0, t0 = cpu_seconds(), time.perf_counter()
    report = lib.update()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "unchanged": report.unchanged,
        "changed": len(report.added) + len(report.updated) + len(report.removed),
        "peak_rss_mb": peak_rss_mb(),
    }


def _files(corpus: Path) -> list[tuple[str, Path]]:
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith(".txt") and not f.startswith("."):
                p = Path(root, f)
                out.append((p.relative_to(corpus).as_posix(), p))
    return out


def whoosh_schema():
    from whoosh.fields import ID, TEXT, Schema

    return Schema(id=ID(stored=True, unique=True), title=TEXT(field_boost=2.0), body=TEXT)


def _worker_build_whoosh(corpus: Path, index: Path) -> dict:
    from whoosh import index as windex

    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    rss0 = current_rss_mb()
    c0, t0 = cpu_seconds(), time.perf_counter()
    ix = windex.create_in(str(index), whoosh_schema())
    writer = ix.writer()
    n = 0
    for rel, path in _files(corpus):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        writer.add_document(id=rel, title=title.strip(), body=body)
        n += 1
    writer.commit()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    ix.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "articles": n,
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_noop_whoosh(corpus: Path, index: Path) -> dict:
    """What a Whoosh-only incremental sync must do at least when nothing changed (the recipe
    in Whoosh's docs): read every stored id, list and stat every file, compare."""
    from whoosh import index as windex

    c0, t0 = cpu_seconds(), time.perf_counter()
    ix = windex.open_dir(str(index))
    with ix.searcher() as s:
        indexed = {f["id"] for f in s.all_stored_fields()}
    present = {}
    for rel, path in _files(corpus):
        present[rel] = path.stat().st_mtime_ns
    changed = len(set(present) ^ indexed)
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    ix.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "unchanged": len(indexed & set(present)),
        "changed": changed,
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_changed_ours(corpus: Path, index: Path) -> dict:
    from newsreader.index import Library

    lib = Library.open(corpus, index_dir=index, variants=NO_VARIANTS)
    c0, t0 = cpu_seconds(), time.perf_counter()
    report = lib.update()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "updated": len(report.updated),
        "unchanged": report.unchanged,
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_changed_whoosh(corpus: Path, index: Path, changed: list[str]) -> dict:
    """The plain Whoosh equivalent: update_document for each changed file, one commit."""
    from whoosh import index as windex

    c0, t0 = cpu_seconds(), time.perf_counter()
    ix = windex.open_dir(str(index))
    writer = ix.writer()
    for rel in changed:
        text = (corpus / rel).read_text(encoding="utf-8")
        title, _, body = text.partition("\n")
        writer.update_document(id=rel, title=title.strip(), body=body)
    writer.commit()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    ix.close()
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "updated": len(changed),
        "peak_rss_mb": peak_rss_mb(),
    }


def _worker_queries_ours(corpus: Path, index: Path, queries: list[dict], warmup: int) -> dict:
    from newsreader.index import Library, QueryError

    lib = Library.open(corpus, index_dir=index, variants=NO_VARIANTS)
    for q in queries[:warmup]:
        lib.search(q["q"], limit=10)
    out = []
    for q in queries:
        err = None
        c0, t0 = cpu_seconds(), time.perf_counter()
        try:
            res = lib.search(q["q"], limit=10)
            total, suggestion = res.total, res.suggestion
        except QueryError as exc:
            total, suggestion, err = 0, None, str(exc)
        dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        out.append({"s": dt, "cpu": cpu, "hits": total, "suggestion": suggestion, "error": err})
    lib.close()
    return {"results": out, "peak_rss_mb": peak_rss_mb()}


def _worker_queries_whoosh(corpus: Path, index: Path, queries: list[dict], warmup: int) -> dict:
    from whoosh import index as windex
    from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

    ix = windex.open_dir(str(index))
    parser = MultifieldParser(["title", "body"], ix.schema)
    parser.add_plugin(FuzzyTermPlugin())

    def run(text: str, s) -> int:
        results = s.search(parser.parse(text), limit=10)
        total = len(results)
        _ = [hit["id"] for hit in results]
        return total

    def run_fresh(text: str) -> int:
        with ix.searcher() as s:
            return run(text, s)

    todo = [q for q in queries if q["cls"] not in OURS_ONLY]
    for q in todo[:warmup]:
        run_fresh(q["q"])
    out = []
    for q in queries:
        if q["cls"] in OURS_ONLY:
            out.append(None)
            continue
        c0, t0 = cpu_seconds(), time.perf_counter()
        total = run_fresh(q["q"])
        out.append({"s": time.perf_counter() - t0, "cpu": cpu_seconds() - c0, "hits": total})
    # The same queries on one searcher kept open (what a long-lived reader could do).
    with ix.searcher() as shared:
        for q in todo[:warmup]:
            run(q["q"], shared)
        for q, o in zip(queries, out, strict=True):
            if o is None:
                continue
            t0 = time.perf_counter()
            run(q["q"], shared)
            o["s_open"] = time.perf_counter() - t0
    ix.close()
    return {"results": out, "peak_rss_mb": peak_rss_mb()}


def worker_main(args: argparse.Namespace) -> int:
    corpus, index = Path(args.corpus), Path(args.index)
    if args.worker == "changed-whoosh":
        changed = json.loads(Path(args.queries).read_text(encoding="utf-8"))
        result = _worker_changed_whoosh(corpus, index, changed)
    elif args.worker in ("queries-ours", "queries-whoosh"):
        queries = json.loads(Path(args.queries).read_text(encoding="utf-8"))
        fn = _worker_queries_ours if args.worker == "queries-ours" else _worker_queries_whoosh
        result = fn(corpus, index, queries, args.warmup)
    else:
        fn = {
            "build-ours": _worker_build_ours,
            "noop-ours": _worker_noop_ours,
            "build-whoosh": _worker_build_whoosh,
            "noop-whoosh": _worker_noop_whoosh,
            "changed-ours": _worker_changed_ours,
        }[args.worker]
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            result = prof.runcall(fn, corpus, index)
            prof.dump_stats(args.profile)
            pstats.Stats(args.profile).sort_stats("cumulative").print_stats(40)
        else:
            result = fn(corpus, index)
    print("RESULT " + json.dumps(result))
    return 0


def run_worker(
    name: str, corpus: Path, index: Path, queries: Path | None = None, warmup: int = 10
) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        name,
        "--corpus",
        str(corpus),
        "--index",
        str(index),
        "--warmup",
        str(warmup),
    ]
    if queries is not None:
        cmd += ["--queries", str(queries)]
    eprint(f"[{time.strftime('%H:%M:%S')}] {name} ...")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        eprint(proc.stdout[-4000:], proc.stderr[-4000:])
        raise SystemExit(f"worker {name} failed ({proc.returncode})")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT ") :])
    eprint(f"[{time.strftime('%H:%M:%S')}] {name} done in {time.perf_counter() - t0:.1f}s")
    return result


# -- queries ----------------------------------------------------------------------------------


def make_queries(corpus: Path, vocab, per_class: int, seed: int) -> list[dict]:
    from newsreader.index.text.vocabulary import load_vocabulary

    stop = load_vocabulary(NO_VARIANTS).stopwords
    rng = random.Random(seed * 7919 + 17)
    content = [w for w in vocab.words if w not in stop and w.isalpha() and len(w) >= 3]
    bands = {b: content[lo:hi] for b, (lo, hi) in BANDS.items()}
    band_names = list(BANDS)
    known = set(vocab.words) | {n.lower() for n in vocab.names}

    def band_of(i: int) -> str:
        return band_names[i % len(band_names)]

    def pick(band: str, min_len: int = 3) -> str:
        while True:
            w = rng.choice(bands[band])
            if len(w) >= min_len:
                return w

    queries: list[dict] = []
    for i in range(per_class):
        b = band_of(i)
        queries.append({"cls": "single", "band": b, "q": pick(b)})
        queries.append({"cls": "and2", "band": b, "q": f"{pick(b)} {pick(b)}"})
        w = pick(b, 5)
        queries.append({"cls": "prefix", "band": b, "q": w[:4] + "*"})
        queries.append({"cls": "fuzzy", "band": b, "q": pick(b, 5) + "~"})
        queries.append({"cls": "field", "band": b, "q": f"title:{pick(b)}"})
        queries.append({"cls": "not", "band": b, "q": f"{pick('common')} NOT {pick(b)}"})
        y1 = rng.randint(2019, 2025)
        y2 = rng.randint(y1, min(2025, y1 + 2))
        queries.append({"cls": "date", "band": f"{y2 - y1 + 1}y", "q": f"date:[{y1} to {y2}]"})
        while True:  # one edit (substitute/transpose/delete) that leaves no known word
            w = pick(b, 6)
            k = rng.randrange(1, len(w) - 1)
            op = rng.choice(("sub", "swap", "del"))
            if op == "sub":
                bad = w[:k] + rng.choice("aiueoknrst".replace(w[k], "")) + w[k + 1 :]
            elif op == "swap":
                bad = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
            else:
                bad = w[:k] + w[k + 1 :]
            if bad not in known and bad != w:
                break
        queries.append({"cls": "misspelt", "band": b, "q": bad, "intended": w})
    # Phrases: three consecutive words of a random sentence of a random article.
    files = [p for _, p in _files(corpus)]
    word = re.compile(r"[a-z]+")
    while sum(1 for q in queries if q["cls"] == "phrase") < per_class:
        text = rng.choice(files).read_text(encoding="utf-8")
        paras = [p for p in text.split("\n\n")[1:] if p.strip()]
        sentence = rng.choice(rng.choice(paras).split(". "))
        toks = sentence.split()
        if len(toks) < 6:
            continue
        k = rng.randrange(0, len(toks) - 3)
        three = toks[k : k + 3]
        if not all(word.fullmatch(t) for t in three) or all(t in stop for t in three):
            continue
        queries.append({"cls": "phrase", "band": "from text", "q": '"' + " ".join(three) + '"'})
    return queries


# -- main -------------------------------------------------------------------------------------


def summarise(queries: list[dict], ours: list[dict], base: list[dict | None]) -> dict:
    out: dict = {}
    for cls in CLASSES:
        idx = [i for i, q in enumerate(queries) if q["cls"] == cls]
        o = [ours[i]["s"] for i in idx]
        entry = {
            "label": CLASS_LABEL[cls],
            "ours": stats_ms(o),
            "ours_median_hits": median([ours[i]["hits"] for i in idx]),
            "ours_errors": sum(1 for i in idx if ours[i].get("error")),
            "bands": {},
        }
        if cls == "misspelt":
            hit = sum(
                1
                for i in idx
                if ours[i]["suggestion"] and queries[i]["intended"] in ours[i]["suggestion"].lower()
            )
            entry["suggestion_rate"] = sum(1 for i in idx if ours[i]["suggestion"]) / len(idx)
            entry["suggested_intended_word"] = hit / len(idx)
        entry["ours_cpu"] = stats_ms([ours[i]["cpu"] for i in idx])
        if cls not in OURS_ONLY:
            b = [base[i]["s"] for i in idx]  # type: ignore[index]
            entry["baseline"] = stats_ms(b)
            entry["baseline_cpu"] = stats_ms([base[i]["cpu"] for i in idx])  # type: ignore
            entry["baseline_searcher_open"] = stats_ms([base[i]["s_open"] for i in idx])  # type: ignore
            entry["baseline_median_hits"] = median([base[i]["hits"] for i in idx])  # type: ignore
            entry["ratio_median"] = ratio(
                entry["ours"]["median_ms"], entry["baseline"]["median_ms"]
            )
            entry["ratio_p95"] = ratio(entry["ours"]["p95_ms"], entry["baseline"]["p95_ms"])
        for band in sorted({queries[i]["band"] for i in idx}):
            bidx = [i for i in idx if queries[i]["band"] == band]
            be = {
                "ours_median_ms": median([ours[i]["s"] * 1000 for i in bidx]),
                "ours_median_hits": median([ours[i]["hits"] for i in bidx]),
                "n": len(bidx),
            }
            if cls not in OURS_ONLY:
                be["baseline_median_ms"] = median([base[i]["s"] * 1000 for i in bidx])  # type: ignore
                be["baseline_median_hits"] = median([base[i]["hits"] for i in bidx])  # type: ignore
            entry["bands"][band] = be
        out[cls] = entry
    return out


def render_md(data: dict) -> str:
    n = data["params"]["n"]
    b, nb = data["build"], data["noop"]
    lines = [
        f"## bench_index, N = {n:,} articles",
        "",
        f"Corpus: {data['corpus']['bytes'] / 2**20:.1f} MiB, {data['corpus']['words']:,} "
        f"words; {data['params']['per_class']} queries per class; "
        f"{data['machine']['cpus']} CPUs; run {data['started']}; load average "
        f"{data['load_avg']['start']} at the start, {data['load_avg']['end']} at the end.",
        f"Engine: {data['machine'].get('engine')} at commit "
        f"{data['machine'].get('engine_commit')}"
        + (
            " (with uncommitted changes)"
            if data["machine"].get("engine_uncommitted_changes")
            else ""
        )
        + ".",
        "Ratio = ours / baseline (above 1: ours slower or bigger).",
        "",
        md_table(
            ["", "ours", "plain Whoosh", "ratio"],
            [
                [
                    "build from scratch, s",
                    b["ours"]["seconds"],
                    b["whoosh"]["seconds"],
                    ratio(b["ours"]["seconds"], b["whoosh"]["seconds"]),
                ],
                [
                    "build, articles/s",
                    b["ours"]["articles_per_s"],
                    b["whoosh"]["articles_per_s"],
                    ratio(b["ours"]["articles_per_s"], b["whoosh"]["articles_per_s"]),
                ],
                [
                    "build, CPU s",
                    b["ours"]["cpu_seconds"],
                    b["whoosh"]["cpu_seconds"],
                    ratio(b["ours"]["cpu_seconds"], b["whoosh"]["cpu_seconds"]),
                ],
                [
                    "no-op update, s",
                    nb["ours"]["seconds"],
                    nb["whoosh"]["seconds"],
                    ratio(nb["ours"]["seconds"], nb["whoosh"]["seconds"]),
                ],
                [
                    "no-op update, articles/s",
                    nb["ours"]["articles_per_s"],
                    nb["whoosh"]["articles_per_s"],
                    ratio(nb["ours"]["articles_per_s"], nb["whoosh"]["articles_per_s"]),
                ],
                *(
                    [
                        [
                            f"update after {data['changed']['files']:,} files changed, s",
                            data["changed"]["ours"]["seconds"],
                            data["changed"]["whoosh"]["seconds"],
                            ratio(
                                data["changed"]["ours"]["seconds"],
                                data["changed"]["whoosh"]["seconds"],
                            ),
                        ],
                        [
                            "  ms per changed article",
                            data["changed"]["ours"]["ms_per_article"],
                            data["changed"]["whoosh"]["ms_per_article"],
                            ratio(
                                data["changed"]["ours"]["ms_per_article"],
                                data["changed"]["whoosh"]["ms_per_article"],
                            ),
                        ],
                    ]
                    if data["changed"]["ours"]
                    else []
                ),
                [
                    "peak RSS during build, MiB",
                    b["ours"]["peak_rss_mb"],
                    b["whoosh"]["peak_rss_mb"],
                    ratio(b["ours"]["peak_rss_mb"], b["whoosh"]["peak_rss_mb"]),
                ],
                [
                    "peak RSS during queries, MiB",
                    data["queries_rss_mb"]["ours"],
                    data["queries_rss_mb"]["whoosh"],
                    ratio(data["queries_rss_mb"]["ours"], data["queries_rss_mb"]["whoosh"]),
                ],
                [
                    "index on disk, MiB",
                    data["size"]["ours_total_mb"],
                    data["size"]["whoosh_total_mb"],
                    ratio(data["size"]["ours_total_mb"], data["size"]["whoosh_total_mb"]),
                ],
            ],
        ),
        "",
        f"Our index: Whoosh part {data['size']['ours_text_mb']:.1f} MiB, SQLite catalog "
        f"{data['size']['ours_catalog_mb']:.1f} MiB (article text, metadata, shingle "
        "postings).",
        "",
        "### Query latency (ms)",
        "",
    ]
    rows = []
    for e in data["queries"].values():
        base = e.get("baseline")
        kept = e.get("baseline_searcher_open")
        rows.append(
            [
                e["label"],
                e["ours"]["median_ms"],
                e["ours"]["p95_ms"],
                base["median_ms"] if base else "–",
                base["p95_ms"] if base else "–",
                e.get("ratio_median", "–"),
                e.get("ratio_p95", "–"),
                kept["median_ms"] if kept else "–",
                e["ours_median_hits"],
                e.get("baseline_median_hits", "–"),
            ]
        )
    lines.append(
        md_table(
            [
                "class",
                "ours median",
                "ours p95",
                "base median",
                "base p95",
                "ratio median",
                "ratio p95",
                "base median, searcher kept open",
                "ours hits (median)",
                "base hits (median)",
            ],
            rows,
        )
    )
    lines.append("")
    lines.append(
        "Both sides open a new Whoosh searcher for every query, as `Library.search` "
        "does; the 'searcher kept open' column runs the baseline's queries again on "
        "one searcher, to show what opening costs."
    )
    lines.append("")
    m = data["queries"]["misspelt"]
    lines.append(
        f"Misspelt words: a suggestion for {m['suggestion_rate']:.0%}, the intended "
        f"word suggested for {m['suggested_intended_word']:.0%}."
    )
    lines.append("")
    lines.append("### Median latency by word frequency band (ms, ours / baseline)")
    lines.append("")
    brows = []
    for e in data["queries"].values():
        for band, be in e["bands"].items():
            brows.append(
                [
                    e["label"],
                    band,
                    be["n"],
                    be["ours_median_ms"],
                    be.get("baseline_median_ms", "–"),
                    be["ours_median_hits"],
                    be.get("baseline_median_hits", "–"),
                ]
            )
    lines.append(
        md_table(["class", "band", "n", "ours", "baseline", "ours hits", "base hits"], brows)
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("-n", "--articles", type=int, default=10000, help="corpus size (default 10000)")
    ap.add_argument("--seed", type=int, default=1, help="corpus and query seed (default 1)")
    ap.add_argument("--per-class", type=int, default=50, help="queries per class (default 50)")
    ap.add_argument("--warmup", type=int, default=10, help="untimed queries first (default 10)")
    ap.add_argument(
        "--work",
        type=Path,
        default=WORK,
        help="cache folder for corpora and indexes (default benchmarks/work)",
    )
    ap.add_argument(
        "--changed-fraction",
        type=float,
        default=0.1,
        help="share of the files changed for the incremental update (default 0.1;"
        " 0: skip); changed in a private copy of the corpus",
    )
    ap.add_argument(
        "--keep-indexes",
        action="store_true",
        help="keep the indexes afterwards (they are rebuilt on every run anyway)",
    )
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--index", help=argparse.SUPPRESS)
    ap.add_argument("--queries", help=argparse.SUPPRESS)
    ap.add_argument("--profile", help=argparse.SUPPRESS)
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the .md file from the results' JSON, running nothing",
    )
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(args)
    if args.render_only:
        from common import RESULTS, load_json

        data = load_json(RESULTS / f"{NAME}-{args.articles}.json")
        if data:
            write_results(NAME, args.articles, data, render_md(data))
        return 0

    from gen_corpus import ensure_corpus, load_vocab

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load_start = load_avg()
    n = args.articles
    vocab = load_vocab(verbose=True)
    corpus = args.work / f"corpus-plain-{n}-s{args.seed}"
    eprint(f"corpus: {corpus}")
    manifest, reused = ensure_corpus(corpus, n, args.seed, vocab)
    eprint("  reused" if reused else f"  generated in {manifest['seconds']}s")
    ix_root = args.work / f"index-{n}-s{args.seed}"
    ours_ix, whoosh_ix = ix_root / "ours", ix_root / "whoosh"
    shutil.rmtree(ix_root, ignore_errors=True)
    ix_root.mkdir(parents=True)
    # A private copy: the incremental phase changes files, and other benchmarks may be
    # reading the cached corpus meanwhile.
    cached, corpus = corpus, ix_root / "corpus"
    shutil.copytree(cached, corpus)

    build_o = run_worker("build-ours", corpus, ours_ix)
    build_w = run_worker("build-whoosh", corpus, whoosh_ix)
    noop_o = run_worker("noop-ours", corpus, ours_ix)
    noop_w = run_worker("noop-whoosh", corpus, whoosh_ix)
    for r in (build_o, build_w):
        r["articles_per_s"] = r["articles"] / r["seconds"]
    for r in (noop_o, noop_w):
        r["articles_per_s"] = r["unchanged"] / r["seconds"] if r["seconds"] else float("nan")

    queries = make_queries(corpus, vocab, args.per_class, args.seed)
    qpath = ix_root / "queries.json"
    qpath.write_text(json.dumps(queries, ensure_ascii=False, indent=0), encoding="utf-8")
    q_o = run_worker("queries-ours", corpus, ours_ix, qpath, args.warmup)
    q_w = run_worker("queries-whoosh", corpus, whoosh_ix, qpath, args.warmup)

    # (a3) an update after a share of the files changed (a sentence appended to each).
    changed_o = changed_w = None
    k = round(args.changed_fraction * n)
    if k:
        rng = random.Random(args.seed * 104729 + n)
        rels = sorted(rng.sample([rel for rel, _ in _files(corpus)], k))
        for rel in rels:
            with (corpus / rel).open("ab") as fh:
                fh.write(b"\nKalimat tambahan untuk uji pembaruan indeks.\n")
        cpath = ix_root / "changed.json"
        cpath.write_text(json.dumps(rels), encoding="utf-8")
        changed_o = run_worker("changed-ours", corpus, ours_ix)
        changed_w = run_worker("changed-whoosh", corpus, whoosh_ix, cpath)
        for r in (changed_o, changed_w):
            r["articles_per_s"] = r["updated"] / r["seconds"] if r["seconds"] else float("nan")
            r["ms_per_article"] = r["seconds"] / r["updated"] * 1000 if r["updated"] else 0

    size = {
        "ours_total_mb": mib(dir_size(ours_ix)),
        "ours_text_mb": mib(dir_size(ours_ix / "text")),
        "ours_catalog_mb": mib(sum(p.stat().st_size for p in ours_ix.glob("catalog.sqlite*"))),
        "whoosh_total_mb": mib(dir_size(whoosh_ix)),
        "corpus_mb": manifest["bytes"] / 2**20,
    }
    data = {
        "benchmark": NAME,
        "started": started,
        "machine": machine_info(),
        "load_avg": {"start": load_start, "end": load_avg()},
        "params": {
            "n": n,
            "seed": args.seed,
            "per_class": args.per_class,
            "warmup": args.warmup,
            "bands": BANDS,
        },
        "corpus": manifest | {"path": str(cached), "reused": reused},
        "build": {"ours": build_o, "whoosh": build_w},
        "noop": {"ours": noop_o, "whoosh": noop_w},
        "changed": {
            "fraction": args.changed_fraction,
            "files": k,
            "ours": changed_o,
            "whoosh": changed_w,
        },
        "size": size,
        "queries_rss_mb": {"ours": q_o["peak_rss_mb"], "whoosh": q_w["peak_rss_mb"]},
        "queries": summarise(queries, q_o["results"], q_w["results"]),
        "query_log": [
            q | {"ours": o, "baseline": b}
            for q, o, b in zip(queries, q_o["results"], q_w["results"], strict=True)
        ],
    }
    md = render_md(data)
    jp, mp = write_results(NAME, n, data, md)
    print(md)
    print(f"\nwrote {jp} and {mp}")
    if not args.keep_indexes:
        shutil.rmtree(ix_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
