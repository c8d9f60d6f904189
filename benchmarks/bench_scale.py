"""Benchmark "fast at archive scale" (issue 11): the engine against plain Whoosh and raw
tantivy, side by side, on the real CLICK-ID corpus and on a synthetic corpus of N articles.

For each corpus, in one run:

  build    a full build from scratch: `Library.update()` (the engine as installed); plain
           Whoosh with its defaults (StandardAnalyzer; id=ID(stored, unique),
           title=TEXT(field_boost=2), body=TEXT; one writer, add_document per article, one
           commit: bench_index's baseline); raw tantivy (default tokenizer; the same three
           fields; one writer with a 256 MB heap and one indexing thread; one commit, merges
           waited for). The baselines get a date field too when the corpus has dates as data
           (CLICK-ID). Articles/s, wall and CPU seconds, peak RSS (each build in its own
           process), index size on disk (ours split into full text and catalog).
  queries  warm in-process latency at limit 10, per query class, median and p95: ours as the
           UI calls it, `Library.search(q, limit=10)`; plain Whoosh on one searcher kept open
           (MultifieldParser(title, body) + FuzzyTermPlugin, count, stored ids); tantivy on one
           searcher (title boosted 2, AND between words, count, stored ids). The engines run
           in one process, interleaved query by query (their order rotating), on the same
           queries, drawn with a seed from the corpus. Peak RSS of each engine running the
           queries alone, in a process of its own.
  command  `newsreader search QUERY` as a process (as typed, and with --no-update) against a
           plain Whoosh script and a tantivy script doing the same query, and `python -c pass`
           as the floor: median wall and CPU time over --cli-runs runs each, interleaved.
  app      launch to the main screen and to the first results, and last keystroke to the
           updated results, in a pseudo-terminal (bench_app.py's method) on the same corpus
           and index.

With tantivy installed, ours also runs a second time as `ours (--engine tantivy)`: our
Library built and searched with tantivy (build, queries, and `newsreader search --no-update`
as a command), so the two engines of ours sit beside the baselines.

Results: benchmarks/results/bench_scale-clickid.{json,md} and bench_scale-<N>.{json,md}.
Ratios are ours / baseline: above 1 means ours is slower (or bigger). The tantivy columns are
left out, with a note, when the `tantivy` package is not installed (pip install tantivy).

    python benchmarks/bench_scale.py --corpora clickid
    python benchmarks/bench_scale.py --corpora synthetic -n 100000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
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

NAME = "bench_scale"
ENGINES = ("ours", "whoosh", "tantivy", "ours_tantivy")
ENGINE_LABEL = {
    "ours": "ours",
    "whoosh": "plain Whoosh",
    "tantivy": "tantivy",
    "ours_tantivy": "ours (--engine tantivy)",
}
OURS = ("ours", "ours_tantivy")  # our Library, built with Whoosh (the default) or tantivy
CLASSES = (
    "single",
    "and2",
    "phrase",
    "prefix_short",
    "prefix_long",
    "fuzzy",
    "title",
    "date",
    "headline",
    "sentence",
)
CLASS_LABEL = {
    "single": "single word",
    "and2": "two words",
    "phrase": '"3-word phrase"',
    "prefix_short": "short prefix* (2-3 letters, ke*)",
    "prefix_long": "longer prefix* (4 letters, pres*)",
    "fuzzy": "fuzzy word~",
    "title": "title:word",
    "date": "date range",
    "headline": "8-word headline",
    "sentence": "25-word sentence",
}
TANTIVY_HEAP = 256_000_000
TANTIVY_THREADS = 1
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO", "IN"}
_WORDS = re.compile(r"[^\W_]+")  # the words of a pasted headline or sentence
_ALPHA = re.compile(r"[^\W\d_]+")


def tantivy_version() -> str | None:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tantivy")
    except PackageNotFoundError:  # pragma: no cover
        return "?"


# -- corpora ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Corpus:
    kind: str  # "clickid" or "synthetic"
    folder: str  # the folder ours indexes
    label: str  # the results' suffix: "clickid" or N
    has_dates: bool  # dates as data, which the baselines index too

    @property
    def path(self) -> Path:
        return Path(self.folder)


def clickid_corpus() -> Corpus | None:
    """A folder holding a copy of the CLICK-ID file, in benchmarks/work (ignored by git)."""
    from gen_corpus import CLICKID

    if not CLICKID.is_file():
        return None
    folder = WORK / "clickid-corpus"
    link = folder / "articles.jsonl"
    folder.mkdir(parents=True, exist_ok=True)
    # A copy: a link to a file outside the corpus is skipped (as it would be for a user).
    if link.is_symlink() or not link.is_file() or link.stat().st_size != CLICKID.stat().st_size:
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        shutil.copyfile(CLICKID, link)
    return Corpus("clickid", str(folder), "clickid", True)


def _txt_files(folder: Path) -> list[tuple[str, Path]]:
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith(".txt") and not f.startswith("."):
                p = Path(root, f)
                out.append((p.relative_to(folder).as_posix(), p))
    return out


Doc = tuple[str, str, str, str | None]  # id, title, body, ISO date


def iter_docs(corpus: Corpus) -> Iterator[Doc]:
    """What the baselines index: for CLICK-ID the records with a body (ours skips the empty
    ones too), for a synthetic corpus each file's first line as the title and the rest."""
    if corpus.kind == "clickid":
        with (corpus.path / "articles.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                body = rec.get("body") or ""
                if body.strip():
                    yield rec["id"], rec.get("title") or "", body, rec.get("date")
    else:
        for rel, path in _txt_files(corpus.path):
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            yield rel, title.strip(), body, None


def sample_docs(corpus: Corpus, k: int, rng: random.Random) -> list[Doc]:
    if corpus.kind == "clickid":
        docs = list(iter_docs(corpus))
        return rng.sample(docs, min(k, len(docs)))
    files = _txt_files(corpus.path)
    out = []
    for rel, path in rng.sample(files, min(k, len(files))):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        out.append((rel, title.strip(), body, None))
    return out


def _day(iso: str, end: bool = False) -> datetime:
    d = date.fromisoformat(iso[:10])
    return datetime(d.year, d.month, d.day, 23, 59, 59) if end else datetime(d.year, d.month, d.day)


# -- builds (each in its own process) ----------------------------------------------------------


def build_ours(corpus: Corpus, index: Path, engine: str | None = None) -> dict:
    from newsreader.index import Library

    shutil.rmtree(index, ignore_errors=True)
    lib = Library.open(corpus.path, index_dir=index, variants=NO_VARIANTS, engine=engine)
    rss0 = current_rss_mb()
    c0, t0 = cpu_seconds(), time.perf_counter()
    report = lib.update()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    reasons = Counter(s.reason for s in report.skipped)
    return {
        "seconds": dt,
        "cpu_seconds": cpu,
        "articles": len(report.added),
        "skipped": dict(reasons),
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
    }


def whoosh_schema(has_dates: bool):
    from whoosh.fields import DATETIME, ID, TEXT, Schema

    fields = {"id": ID(stored=True, unique=True), "title": TEXT(field_boost=2.0), "body": TEXT}
    if has_dates:
        fields["date"] = DATETIME()
    return Schema(**fields)


def build_whoosh(corpus: Corpus, index: Path) -> dict:
    from whoosh import index as windex

    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    rss0 = current_rss_mb()
    c0, t0 = cpu_seconds(), time.perf_counter()
    ix = windex.create_in(str(index), whoosh_schema(corpus.has_dates))
    writer = ix.writer()
    n = 0
    for doc_id, title, body, iso in iter_docs(corpus):
        fields = {"id": doc_id, "title": title, "body": body}
        if corpus.has_dates and iso:
            fields["date"] = _day(iso)
        writer.add_document(**fields)
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


def tantivy_schema(has_dates: bool):
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("title")
    sb.add_text_field("body")
    if has_dates:
        sb.add_date_field("date", indexed=True, fast=True)
    return sb.build()


def build_tantivy(corpus: Corpus, index: Path, heap: int, threads: int) -> dict:
    import tantivy

    shutil.rmtree(index, ignore_errors=True)
    index.mkdir(parents=True)
    rss0 = current_rss_mb()
    c0, t0 = cpu_seconds(), time.perf_counter()
    ix = tantivy.Index(tantivy_schema(corpus.has_dates), path=str(index))
    writer = ix.writer(heap_size=heap, num_threads=threads)
    n = 0
    for doc_id, title, body, iso in iter_docs(corpus):
        doc = tantivy.Document(id=doc_id, title=title, body=body)
        if corpus.has_dates and iso:
            doc.add_date("date", _day(iso))
        writer.add_document(doc)
        n += 1
    writer.commit()
    writer.wait_merging_threads()
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    return {
        "seconds": dt,
        "cpu_seconds": cpu,  # all of the process's threads
        "articles": n,
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
        "heap_bytes": heap,
        "threads": threads,
    }


# -- the engines at query time ---------------------------------------------------------------


class Ours:
    def __init__(self, corpus: Corpus, index: Path) -> None:
        from newsreader.index import Library, QueryError

        self.lib = Library.open(corpus.path, index_dir=index, variants=NO_VARIANTS)
        self.error = QueryError

    def run(self, q: dict) -> int:
        return self.lib.search(q["q"], limit=10).total

    def close(self) -> None:
        self.lib.close()


class Whoosh:
    def __init__(self, corpus: Corpus, index: Path) -> None:
        from whoosh import index as windex
        from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

        self.ix = windex.open_dir(str(index))
        self.parser = MultifieldParser(["title", "body"], self.ix.schema)
        self.parser.add_plugin(FuzzyTermPlugin())
        self.searcher = self.ix.searcher()
        self.error = Exception

    def run(self, q: dict) -> int:
        from whoosh.query import DateRange

        spec = q["whoosh"]
        if "date" in spec:
            lo, hi = spec["date"]
            query = DateRange("date", _day(lo), _day(hi, end=True))
        else:
            query = self.parser.parse(spec["parse"])
        results = self.searcher.search(query, limit=10)
        total = len(results)
        _ = [hit["id"] for hit in results]
        return total

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()


class Tantivy:
    def __init__(self, corpus: Corpus, index: Path) -> None:
        import tantivy

        self.t = tantivy
        self.ix = tantivy.Index.open(str(index))
        self.schema = self.ix.schema
        self.searcher = self.ix.searcher()
        self.error = ValueError

    def _both(self, make) -> object:
        t = self.t
        return t.Query.boolean_query(
            [
                (t.Occur.Should, t.Query.boost_query(make("title"), 2.0)),
                (t.Occur.Should, make("body")),
            ]
        )

    def query(self, spec: dict) -> object:
        t, schema = self.t, self.schema
        if "parse" in spec:
            return self.ix.parse_query(
                spec["parse"],
                ["title", "body"],
                field_boosts={"title": 2.0},
                conjunction_by_default=True,
            )
        if "regex" in spec:
            return self._both(lambda f: t.Query.regex_query(schema, f, spec["regex"]))
        if "fuzzy" in spec:
            return self._both(
                lambda f: t.Query.fuzzy_term_query(
                    schema, f, spec["fuzzy"], distance=1, transposition_cost_one=True
                )
            )
        lo, hi = spec["date"]
        return t.Query.range_query(schema, "date", t.FieldType.Date, _day(lo), _day(hi, end=True))

    def run(self, q: dict) -> int:
        s = self.searcher
        result = s.search(self.query(q["tantivy"]), limit=10, count=True)
        _ = [s.doc(address)["id"][0] for _, address in result.hits]
        return result.count

    def close(self) -> None:
        pass


# Library opens an index with the engine it was built with.
ENGINE_CLASS = {"ours": Ours, "whoosh": Whoosh, "tantivy": Tantivy, "ours_tantivy": Ours}


def _applies(engine: str, q: dict) -> bool:
    return engine in OURS or q.get(engine) is not None


def _timed(runner, q: dict) -> dict:
    err = None
    c0, t0 = cpu_seconds(), time.perf_counter()
    try:
        hits = runner.run(q)
    except runner.error as exc:
        hits, err = 0, f"{type(exc).__name__}: {exc}"
    return {
        "s": time.perf_counter() - t0,
        "cpu": cpu_seconds() - c0,
        "hits": hits,
        **({"error": err} if err else {}),
    }


def queries_interleaved(
    corpus: Corpus,
    indexes: dict[str, str],
    queries: list[dict],
    warmup: list[dict],
    budget: float,
) -> dict:
    """All engines in this process, opened once and kept open; every query runs on each
    engine in turn, the order rotating from one query to the next. An engine that has spent
    `budget` seconds on a class skips the rest of that class (marked "skipped")."""
    engines = list(indexes)
    runners, rss = {}, {"start_mb": current_rss_mb()}
    for e in engines:
        runners[e] = ENGINE_CLASS[e](corpus, Path(indexes[e]))
        rss[f"after_open_{e}_mb"] = current_rss_mb()
    for q in warmup:
        for e in engines:
            if _applies(e, q):
                _timed(runners[e], q)
    rss["after_warmup_mb"] = current_rss_mb()
    spent: Counter = Counter()
    out: list[dict] = []
    t0 = time.perf_counter()
    for i, q in enumerate(queries):
        row: dict = {}
        k = i % len(engines)
        for e in engines[k:] + engines[:k]:
            if not _applies(e, q):
                continue
            if spent[e, q["cls"]] >= budget:
                row[e] = {"skipped": True}
                continue
            row[e] = _timed(runners[e], q)
            spent[e, q["cls"]] += row[e]["s"]
        out.append(row)
        if (i + 1) % 50 == 0:
            eprint(f"  {i + 1}/{len(queries)} queries, {time.perf_counter() - t0:.0f} s")
    for r in runners.values():
        r.close()
    rss["end_mb"] = current_rss_mb()
    over = sorted(f"{e} {c}" for (e, c), v in spent.items() if v >= budget)
    return {"results": out, "rss": rss, "peak_rss_mb": peak_rss_mb(), "over_budget": over}


def queries_alone(corpus: Corpus, engine: str, index: str, queries: list[dict]) -> dict:
    """One engine running a share of the queries of every class on its own, for its peak
    RSS."""
    rss0 = current_rss_mb()
    runner = ENGINE_CLASS[engine](corpus, Path(index))
    todo = [q for q in queries if _applies(engine, q)]
    c0, t0 = cpu_seconds(), time.perf_counter()
    for q in todo:
        _timed(runner, q)
    dt, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    runner.close()
    return {
        "queries": len(todo),
        "seconds": dt,
        "cpu_seconds": cpu,
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
    }


# -- workers ----------------------------------------------------------------------------------


def worker_main(name: str, config_path: str) -> int:
    cfg = json.loads(Path(config_path).read_text(encoding="utf-8"))
    corpus = Corpus(**cfg["corpus"])
    if name == "build-ours":
        result = build_ours(corpus, Path(cfg["index"]))
    elif name == "build-ours_tantivy":
        result = build_ours(corpus, Path(cfg["index"]), engine="tantivy")
    elif name == "build-whoosh":
        result = build_whoosh(corpus, Path(cfg["index"]))
    elif name == "build-tantivy":
        result = build_tantivy(corpus, Path(cfg["index"]), cfg["heap"], cfg["threads"])
    else:
        qs = json.loads(Path(cfg["queries"]).read_text(encoding="utf-8"))
        if name == "queries":
            result = queries_interleaved(
                corpus, cfg["indexes"], qs["timed"], qs["warmup"], cfg["budget"]
            )
        else:  # queries-alone-ENGINE
            engine = name.rsplit("-", 1)[1]
            result = queries_alone(corpus, engine, cfg["indexes"][engine], qs["rss"])
    print("RESULT " + json.dumps(result))
    return 0


def run_worker(name: str, config: dict, folder: Path) -> dict:
    path = folder / f"worker-{name}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--config", str(path)]
    eprint(f"[{time.strftime('%H:%M:%S')}] {name} ...")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # stderr: progress, errors
    if proc.returncode != 0:
        eprint(proc.stdout[-4000:])
        raise SystemExit(f"worker {name} failed ({proc.returncode})")
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")][-1]
    result = json.loads(line[len("RESULT ") :])
    eprint(f"[{time.strftime('%H:%M:%S')}] {name} done in {time.perf_counter() - t0:.1f}s")
    return result


# -- queries ----------------------------------------------------------------------------------


def _as_typed(words: list[str]) -> str:
    """Words joined as a person would paste them; operator words go lower case so that no
    engine reads them as operators."""
    return " ".join(w.lower() if w in OPERATORS else w for w in words)


def make_queries(corpus: Corpus, per_class: int, seed: int) -> list[dict]:
    """per_class queries of every class, drawn with `seed` from the corpus itself; each
    carries what ours is given (`q`) and the baselines' form of the same query (None where
    a baseline cannot run it)."""
    from newsreader.index.text.vocabulary import load_vocabulary

    stop = load_vocabulary(NO_VARIANTS).stopwords
    rng = random.Random(seed * 7919 + 11)
    docs = sample_docs(corpus, 4000, rng)

    def alpha_words(text: str) -> list[str]:
        return [w for w in (m.group().lower() for m in _ALPHA.finditer(text)) if w.isascii()]

    per_doc = [[w for w in alpha_words(b) if len(w) >= 3 and w not in stop] for _, _, b, _ in docs]
    counts = Counter(w for ws in per_doc for w in ws)
    types = sorted(w for w, c in counts.items() if c >= 2)
    with_words = [i for i, ws in enumerate(per_doc) if len(set(ws)) >= 2]

    def word(band: str, min_len: int = 3) -> str:
        while True:
            if band == "frequent":  # by occurrence: common words come up often
                w = rng.choice(per_doc[rng.choice(with_words)])
            else:  # by distinct word: rare words as often as common ones
                w = rng.choice(types)
            if len(w) >= min_len:
                return w

    def plain(text: str) -> dict:
        return {"parse": text}

    out: list[dict] = []

    def add(cls: str, band: str, q: str, whoosh: dict | None, tantivy: dict | None) -> None:
        out.append({"cls": cls, "band": band, "q": q, "whoosh": whoosh, "tantivy": tantivy})

    bands = ("frequent", "any")
    for i in range(per_class):
        b = bands[i % 2]
        w = word(b)
        add("single", b, w, plain(w), plain(w))
        ws = per_doc[rng.choice(with_words)]
        a = rng.choice(ws)
        c = rng.choice([x for x in ws if x != a])
        add("and2", "same article", f"{a} {c}", plain(f"{a} {c}"), plain(f"{a} {c}"))
        w = word(b, 5)
        add("fuzzy", b, w + "~", plain(w + "~"), {"fuzzy": w})
        while True:
            _, title, _, _ = rng.choice(docs)
            tw = [w for w in alpha_words(title) if len(w) >= 3 and w not in stop]
            if tw:
                break
        w = rng.choice(tw)
        add("title", "from a title", f"title:{w}", plain(f"title:{w}"), plain(f"title:{w}"))

    # Phrases: three consecutive words of a random article, not all stop words.
    while sum(1 for q in out if q["cls"] == "phrase") < per_class:
        _, _, body, _ = rng.choice(docs)
        toks = body.split()
        if len(toks) < 6:
            continue
        k = rng.randrange(0, len(toks) - 3)
        three = [t.lower() for t in toks[k : k + 3]]
        if not all(re.fullmatch(r"[a-z]+", t) for t in three) or all(t in stop for t in three):
            continue
        q = '"' + " ".join(three) + '"'
        add("phrase", "from text", q, plain(q), plain(q))

    # Prefixes: ke* and the most used 2-3 letter word beginnings; 4-letter ones from random
    # words, pres* first. Each prefix once, so that no cache sees it twice.
    starts: Counter = Counter()
    for ws in per_doc:
        for w in ws:
            starts[w[:2]] += 1
            if len(w) > 3:
                starts[w[:3]] += 1
    short = ["ke"] + [p for p, _ in starts.most_common() if p != "ke" and p.isalpha()]
    for p in short[:per_class]:
        add("prefix_short", f"{len(p)} letters", p + "*", plain(p + "*"), {"regex": p + ".*"})
    longer = ["pres"]
    while len(longer) < per_class:
        p = word(bands[len(longer) % 2], 6)[:4]
        if p not in longer:
            longer.append(p)
    for p in longer:
        add("prefix_long", "4 letters", p + "*", plain(p + "*"), {"regex": p + ".*"})

    # Date ranges: from a date the corpus has (CLICK-ID) or any day in the synthetic
    # corpus's 2019-2025, 1 day to 1 month (CLICK-ID: mostly September 2019) or to 2 years.
    dates = sorted(d[:10] for *_, d in docs if d)
    spans = (0, 2, 6, 13, 29) if corpus.has_dates else (6, 29, 89, 364, 729)
    for _ in range(per_class):
        if dates:
            lo = date.fromisoformat(rng.choice(dates))
        else:
            lo = date(2019, 1, 1) + timedelta(days=rng.randrange(7 * 365))
        hi = lo + timedelta(days=rng.choice(spans))
        rng_ = [lo.isoformat(), hi.isoformat()]
        base = {"date": rng_} if corpus.has_dates else None
        add("date", f"{(hi - lo).days + 1} days", f"date:[{rng_[0]} to {rng_[1]}]", base, base)

    # A pasted headline: a real title of 8 words (numbers included).
    titles = [t for _, t, _, _ in docs if len(_WORDS.findall(t)) == 8]
    for t in rng.sample(titles, min(per_class, len(titles))):
        q = _as_typed(_WORDS.findall(t))
        add("headline", "real title", q, plain(q), plain(q))
    # A pasted sentence: 25 consecutive words of a random article's text.
    while sum(1 for q in out if q["cls"] == "sentence") < per_class:
        _, _, body, _ = rng.choice(docs)
        toks = _WORDS.findall(body)
        if len(toks) < 40:
            continue
        k = rng.randrange(0, len(toks) - 25)
        q = _as_typed(toks[k : k + 25])
        add("sentence", "from text", q, plain(q), plain(q))
    return out


# -- the command and the app -------------------------------------------------------------------

WHOOSH_SCRIPT = """
import sys
from whoosh import index
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser
ix = index.open_dir(sys.argv[1])
parser = MultifieldParser(["title", "body"], ix.schema)
parser.add_plugin(FuzzyTermPlugin())
with ix.searcher() as s:
    results = s.search(parser.parse(sys.argv[2]), limit=10)
    print(len(results), "hits")
    for hit in results:
        print(hit["id"])
"""

TANTIVY_SCRIPT = """
import sys
import tantivy
ix = tantivy.Index.open(sys.argv[1])
q = ix.parse_query(sys.argv[2], ["title", "body"], field_boosts={"title": 2.0},
                   conjunction_by_default=True)
s = ix.searcher()
result = s.search(q, limit=10)
print(result.count, "hits")
for _, address in result.hits:
    print(s.doc(address)["id"][0])
"""


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def command_times(
    corpus: Corpus, indexes: dict[str, str], words: list[str], runs: int, env: dict
) -> dict:
    """Each command once per run on that run's word, the commands' order rotating; one
    untimed round first."""
    from bench_app import newsreader_bin

    nr = newsreader_bin()
    ours = [nr, "search", "--corpus", corpus.folder, "--index-dir", indexes["ours"]]
    commands = {
        "python -c pass": lambda w: [sys.executable, "-c", "pass"],
        "newsreader search": lambda w: [*ours, w],
        "newsreader search --no-update": lambda w: [*ours, "--no-update", w],
        "plain Whoosh script": lambda w: [
            sys.executable,
            "-c",
            WHOOSH_SCRIPT,
            indexes["whoosh"],
            w,
        ],
    }
    if "ours_tantivy" in indexes:
        ours_t = [nr, "search", "--corpus", corpus.folder, "--index-dir", indexes["ours_tantivy"]]
        commands["newsreader search --no-update (tantivy)"] = lambda w: [
            *ours_t,
            "--no-update",
            w,
        ]
    if "tantivy" in indexes:
        commands["tantivy script"] = lambda w: [
            sys.executable,
            "-c",
            TANTIVY_SCRIPT,
            indexes["tantivy"],
            w,
        ]
    names = list(commands)
    times: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in names}
    examples: dict[str, str] = {}
    for r in range(runs + 1):
        w = words[r % len(words)]
        k = r % len(names)
        for name in names[k:] + names[:k]:
            cmd = commands[name](w)
            c0, t0 = _children_cpu(), time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
            wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
            if proc.returncode != 0:
                raise SystemExit(f"{name} failed: {proc.stderr[-2000:]}")
            if r == 0:
                shown = [Path(cmd[0]).name, *cmd[1:]]
                if name.endswith("script"):
                    shown[2] = "SCRIPT"  # WHOOSH_SCRIPT / TANTIVY_SCRIPT in bench_scale.py
                examples[name] = " ".join(shown)
                continue
            times[name]["wall"].append(wall)
            times[name]["cpu"].append(cpu)
    out = {}
    for name in names:
        out[name] = {
            "wall": stats_ms(times[name]["wall"]),
            "cpu": stats_ms(times[name]["cpu"]),
            "command": examples.get(name),
        }
    return {"runs": runs, "words": words[:runs], "commands": out}


def app_times(corpus: Corpus, index: str, words: list[str], runs: int, per_run: int) -> dict:
    """bench_app's pseudo-terminal sessions, pointed at this corpus and index."""
    from bench_app import COLS, ROWS, TYPING_GAP, newsreader_bin, run_session

    sessions = []
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
        command = [newsreader_bin(), corpus.folder, "--index-dir", index]
        for run in range(runs):
            chunk = words[run * per_run : (run + 1) * per_run]
            sessions.append(run_session(command, env, chunk))
            eprint(
                f"  app run {run + 1}: screen {sessions[-1]['screen_s'] * 1000:.0f} ms, "
                f"results {sessions[-1]['results_s'] * 1000:.0f} ms"
            )
    from newsreader.tui.config import Settings

    return {
        "runs": runs,
        "words": words[: runs * per_run],
        "typing_gap_ms": TYPING_GAP * 1000,
        "debounce_ms": Settings().debounce * 1000,
        "result_limit": Settings().result_limit,
        "launch_to_screen": stats_ms([s["screen_s"] for s in sessions]),
        "launch_to_results": stats_ms([s["results_s"] for s in sessions]),
        "cpu_to_screen": stats_ms([s["screen_cpu_s"] for s in sessions]),
        "cpu_to_results": stats_ms([s["results_cpu_s"] for s in sessions]),
        "keystroke_to_results": stats_ms([k for s in sessions for k in s["keystroke_s"]]),
        # Each launch's, in the order typed: a p95 of a few dozen is its slowest one or two.
        "keystroke_ms": [[round(k * 1000, 1) for k in s["keystroke_s"]] for s in sessions],
    }


# -- summary and table ------------------------------------------------------------------------


def summarise(queries: list[dict], results: list[dict], engines: list[str]) -> dict:
    out = {}
    for cls in CLASSES:
        idx = [i for i, q in enumerate(queries) if q["cls"] == cls]
        if not idx:
            continue
        entry: dict = {"label": CLASS_LABEL[cls], "n": len(idx), "example": queries[idx[0]]["q"]}

        def ran(e: str, i: int) -> bool:
            return e in results[i] and not results[i][e].get("skipped")

        for e in engines:
            rs = [results[i][e] for i in idx if ran(e, i)]
            if not rs:
                continue
            entry[e] = stats_ms([r["s"] for r in rs]) | {
                "cpu": stats_ms([r["cpu"] for r in rs]),
                "median_hits": median([r["hits"] for r in rs]),
                "errors": sum(1 for r in rs if r.get("error")),
                "skipped_over_budget": sum(1 for i in idx if results[i].get(e, {}).get("skipped")),
            }
        for e in engines[1:]:
            if e not in entry:
                continue
            both = [i for i in idx if ran("ours", i) and ran(e, i)]  # the same queries
            o = stats_ms([results[i]["ours"]["s"] for i in both])
            b = stats_ms([results[i][e]["s"] for i in both])
            entry[f"ours/{e}"] = {
                "n": len(both),
                "median": ratio(o["median_ms"], b["median_ms"]),
                "p95": ratio(o["p95_ms"], b["p95_ms"]),
            }
        entry["bands"] = {}
        for band in sorted({queries[i]["band"] for i in idx}):
            bidx = [i for i in idx if queries[i]["band"] == band]
            entry["bands"][band] = {"n": len(bidx)} | {
                f"{e}_median_ms": median([results[i][e]["s"] * 1000 for i in bidx if ran(e, i)])
                for e in engines
                if any(ran(e, i) for i in bidx)
            }
        out[cls] = entry
    return out


def _cell(x: float) -> str:
    """A number as md_table writes it."""
    return md_table(["x"], [[x]]).splitlines()[-1][2:-2]


def _fmt_s(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 120 else f"{seconds:.0f} s"


def render_md(data: dict) -> str:
    engines = data["engines"]
    base = engines[1:]
    c, b = data["corpus"], data["build"]
    title = (
        f"CLICK-ID, {b['ours']['articles']:,} articles"
        if c["kind"] == "clickid"
        else f"synthetic, N = {data['params']['n']:,} articles"
    )
    m = data["machine"]
    lines = [
        f"## bench_scale, {title}",
        "",
        f"Corpus: {c['description']}. Run {data['started']}, {_fmt_s(data['run_seconds'])} in "
        f"all; {m['cpus']} CPUs; load average {data['load_avg']['start']} at the start, "
        f"{data['load_avg']['end']} at the end. Engine: {m.get('engine')} at commit "
        f"{m.get('engine_commit')}"
        + (" (with uncommitted changes)" if m.get("engine_uncommitted_changes") else "")
        + f"; Whoosh {m.get('whoosh')}; tantivy {data['tantivy_version'] or 'not installed'}.",
        "Ratio = ours / baseline (above 1: ours slower or bigger).",
    ]
    if data.get("notes"):
        lines += ["", *(f"- {n}" for n in data["notes"])]
    lines += ["", "### Full build from scratch", ""]

    def row(label: str, key, whole: bool = False) -> list:
        vals = [key(b[e]) for e in engines]
        shown = [f"{v:,}" for v in vals] if whole else vals
        return [label, *shown, *(ratio(vals[0], v) for v in vals[1:])]

    size = data["size"]
    rows = [
        row("articles", lambda r: r["articles"], whole=True),
        row("wall s", lambda r: r["seconds"]),
        row("articles/s", lambda r: r["articles"] / r["seconds"]),
        row("CPU s", lambda r: r["cpu_seconds"]),
        row("peak RSS, MiB", lambda r: r["peak_rss_mb"]),
        ["index on disk, MiB", *(size[f"{e}_mb"] for e in engines)]
        + [ratio(size["ours_mb"], size[f"{e}_mb"]) for e in base],
        ["  ours: full text (Whoosh)", size["ours_text_mb"], *([""] * (2 * len(engines) - 2))],
        ["  ours: catalog (SQLite)", size["ours_catalog_mb"], *([""] * (2 * len(engines) - 2))],
    ]
    heads = ["", *(ENGINE_LABEL[e] for e in engines), *(f"ours / {ENGINE_LABEL[e]}" for e in base)]
    lines.append(md_table(heads, rows))
    lines += ["", f"Corpus on disk {size['corpus_mb']:.1f} MiB."]
    if "tantivy" in engines:
        lines[-1] += (
            f" tantivy: one writer, {TANTIVY_HEAP // 10**6} MB heap, {TANTIVY_THREADS} "
            "indexing thread; its CPU s count all its threads (merges run in the background)."
        )
    lines += ["", "### Warm query latency, ms (limit 10, in-process, engines interleaved)", ""]
    qrows = []
    for e in data["queries"].values():
        r = [e["label"]]
        for eng in engines:
            if eng not in e:
                r += ["–", "–"]
                continue
            med = e[eng]["median_ms"]
            if e[eng]["n"] < e["n"]:  # stopped at the time budget
                med = f"{_cell(med)} (n={e[eng]['n']})"
            r += [med, e[eng]["p95_ms"]]
        for eng in base:
            rr = e.get(f"ours/{eng}")
            r += [rr["median"], rr["p95"]] if rr else ["–", "–"]
        r.append(
            " / ".join(f"{e[eng]['median_hits']:,.0f}" if eng in e else "–" for eng in engines)
        )
        qrows.append(r)
    qheads = ["class"]
    for eng in engines:
        qheads += [f"{ENGINE_LABEL[eng]} median", "p95"]
    for eng in base:
        qheads += [f"ours / {ENGINE_LABEL[eng]} median", "p95"]
    qheads.append("median hits (" + " / ".join(ENGINE_LABEL[e] for e in engines) + ")")
    lines.append(md_table(qheads, qrows))
    qp = data["params"]
    rss = data["queries_rss_mb"]
    lines += [
        "",
        f"{qp['per_class']} queries per class ({qp['warmup_per_class']} more per class run "
        f"first, untimed), seed {qp['seed']}. An engine stops a class once it has spent "
        f"{qp['class_budget_s']:.0f} s on it: (n=…) is how many it ran; the ratios compare the "
        "same queries. Examples: "
        + "; ".join(f"{e['label']}: `{e['example']}`" for e in data["queries"].values())
        + ".",
    ]
    if rss:
        lines.append(
            f"Peak RSS running {qp['rss_per_class']} queries per class alone, MiB: "
            + ", ".join(f"{ENGINE_LABEL[e]} {rss[e]:.0f}" for e in engines if e in rss)
            + "."
        )
    slow = sorted(
        (q for q in data["query_log"] if "s" in q["results"].get("ours", {})),
        key=lambda q: -q["results"]["ours"]["s"],
    )[:3]
    if slow:
        lines += [
            "",
            "Slowest queries of ours (ms, hits; the baselines' ms on the same query):",
            "",
        ]
        for q in slow:
            r = q["results"]
            others = ", ".join(
                f"{ENGINE_LABEL[e]} {r[e]['s'] * 1000:,.0f}"
                for e in engines[1:]
                if "s" in r.get(e, {})
            )
            text = q["q"] if len(q["q"]) <= 60 else q["q"][:57] + "…"
            lines.append(
                f"- {CLASS_LABEL[q['cls']]} `{text}`: {r['ours']['s'] * 1000:,.0f} ms "
                f"(CPU {r['ours']['cpu'] * 1000:,.0f}), {r['ours']['hits']:,} hits"
                + (f"; {others}" if others else "")
            )
    ke = data.get("ke_prefix")
    if ke:
        lines.append("")
        lines.append(
            "`ke*` alone, ms: "
            + ", ".join(f"{ENGINE_LABEL[e]} {v:.0f}" for e, v in ke.items())
            + " (one query each)."
        )
    cmd = data.get("command")
    if cmd:
        lines += ["", f"### As a command ({cmd['runs']} runs each, single-word queries)", ""]
        ref = cmd["commands"].get("plain Whoosh script")
        tref = cmd["commands"].get("tantivy script")
        crows = []
        for name, v in cmd["commands"].items():
            crows.append(
                [
                    f"`{name}`",
                    v["wall"]["median_ms"],
                    v["wall"]["p95_ms"],
                    v["cpu"]["median_ms"],
                    ratio(v["wall"]["median_ms"], ref["wall"]["median_ms"]),
                ]
                + ([ratio(v["wall"]["median_ms"], tref["wall"]["median_ms"])] if tref else [])
            )
        cheads = ["command", "median wall ms", "p95 wall ms", "median CPU ms"]
        cheads += ["÷ Whoosh script"] + (["÷ tantivy script"] if tref else [])
        lines.append(md_table(cheads, crows))
        lines += [
            "",
            "`newsreader search` as typed checks first whether the corpus changed (lists and "
            "stats its files); `--no-update` skips that. The scripts open the index, parse, "
            "search and print the 10 ids; ours prints titles and snippets from the catalog.",
        ]
    app = data.get("app")
    if app:
        lines += ["", "### The app (bench_app.py's pseudo-terminal method)", ""]
        arows = [
            [label, app[k]["median_ms"], app[k]["p95_ms"], app[k]["n"]]
            for label, k in (
                ("launch → main screen, search box focused", "launch_to_screen"),
                ("  CPU time used by then", "cpu_to_screen"),
                ("launch → first results on screen", "launch_to_results"),
                ("  CPU time used by then", "cpu_to_results"),
                ("last keystroke → updated results", "keystroke_to_results"),
            )
        ]
        lines.append(md_table(["", "median ms", "p95 ms", "n"], arows))
        lines += [
            "",
            f"{app['runs']} launches, words typed {app['typing_gap_ms']:.0f} ms apart; the "
            f"keystroke figure includes the {app['debounce_ms']:.0f} ms search debounce and "
            f"searches with limit {app['result_limit']}. No baseline: the baselines have no app.",
        ]
    phases = ", ".join(f"{k} {_fmt_s(v)}" for k, v in data["phase_seconds"].items())
    lines += ["", f"Phase times: {phases}."]
    return "\n".join(lines)


# -- main -------------------------------------------------------------------------------------


def run_corpus(corpus: Corpus, args: argparse.Namespace, extra: dict) -> dict:
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    t_run = time.perf_counter()
    load_start = load_avg()
    engines = ["ours", "whoosh"] + (["tantivy", "ours_tantivy"] if tantivy_version() else [])
    notes = []
    if "tantivy" not in engines:
        notes.append("tantivy is not installed (pip install tantivy): its columns are left out.")
    else:
        notes.append(
            "ours (--engine tantivy) is our Library built and searched with tantivy: the same "
            "analysis, query language, highlights and snippets; its ratio column is ours "
            "(Whoosh) / ours (tantivy)."
        )
    root = args.work / f"scale-{corpus.label}-s{args.seed}"
    root.mkdir(parents=True, exist_ok=True)
    indexes = {e: str(root / e) for e in engines}
    phases: dict[str, float] = {}

    def phase(name: str, t0: float) -> None:
        phases[name] = time.perf_counter() - t0

    cfg = {"corpus": asdict(corpus)}
    saved = root / "build.json"
    t0 = time.perf_counter()
    if args.reuse_indexes and saved.is_file():
        build = json.loads(saved.read_text(encoding="utf-8"))
        notes.append(f"Build figures and indexes reused from an earlier run ({build['_when']}).")
    else:
        build = {"_when": started}
        build["ours"] = run_worker("build-ours", cfg | {"index": indexes["ours"]}, root)
        build["whoosh"] = run_worker("build-whoosh", cfg | {"index": indexes["whoosh"]}, root)
        if "tantivy" in engines:
            build["tantivy"] = run_worker(
                "build-tantivy",
                cfg
                | {"index": indexes["tantivy"], "heap": TANTIVY_HEAP, "threads": TANTIVY_THREADS},
                root,
            )
            build["ours_tantivy"] = run_worker(
                "build-ours_tantivy", cfg | {"index": indexes["ours_tantivy"]}, root
            )
        saved.write_text(json.dumps(build), encoding="utf-8")
    phase("builds", t0)
    ours_ix = Path(indexes["ours"])
    # The index folder holds builds; `current` names the live one.
    live = ours_ix / (ours_ix / "current").read_text(encoding="utf-8").strip()
    size = {
        "ours_mb": mib(dir_size(ours_ix)),
        "ours_text_mb": mib(dir_size(live / "text")),
        "ours_catalog_mb": mib(sum(p.stat().st_size for p in live.glob("catalog.sqlite*"))),
        "corpus_mb": mib(
            (corpus.path / "articles.jsonl").stat().st_size
            if corpus.kind == "clickid"
            else dir_size(corpus.path)
        ),
    }
    for e in engines[1:]:
        size[f"{e}_mb"] = mib(dir_size(Path(indexes[e])))

    t0 = time.perf_counter()
    every = make_queries(corpus, args.per_class + args.warmup_per_class, args.seed)
    warmup, timed = [], []
    seen: Counter = Counter()
    for q in every:
        seen[q["cls"]] += 1
        (warmup if seen[q["cls"]] > args.per_class else timed).append(q)
    random.Random(args.seed).shuffle(timed)  # the classes spread over the whole run
    qpath = root / "queries.json"
    qpath.write_text(
        json.dumps({"timed": timed, "warmup": warmup}, ensure_ascii=False), encoding="utf-8"
    )
    qcfg = cfg | {"indexes": indexes, "queries": str(qpath), "budget": args.class_budget}
    q_all = run_worker("queries", qcfg, root)
    phase("queries", t0)
    results = q_all["results"]
    t0 = time.perf_counter()
    alone = {}
    if args.rss_per_class:
        # the first rss_per_class queries of each class that every engine ran
        count: Counter = Counter()
        rss_qs = []
        for q, r in zip(timed, results, strict=True):
            if count[q["cls"]] < args.rss_per_class and not any(
                v.get("skipped") for v in r.values()
            ):
                count[q["cls"]] += 1
                rss_qs.append(q)
        qpath.write_text(
            json.dumps({"timed": timed, "warmup": warmup, "rss": rss_qs}, ensure_ascii=False),
            encoding="utf-8",
        )
        for e in engines:
            alone[e] = run_worker(f"queries-alone-{e}", qcfg, root)
    phase("queries alone (RSS)", t0)
    summary = summarise(timed, results, engines)
    ke = {}
    for q, r in zip(timed, results, strict=True):
        if q["q"] == "ke*":
            ke = {e: r[e]["s"] * 1000 for e in engines if "s" in r.get(e, {})}

    singles = [q["q"] for q in timed if q["cls"] == "single" and q["q"].isalpha()]
    command = app = None
    if args.cli_runs:
        t0 = time.perf_counter()
        eprint(f"[{time.strftime('%H:%M:%S')}] commands ({args.cli_runs} runs each) ...")
        with tempfile.TemporaryDirectory() as home:
            env = {
                **os.environ,
                "NEWSREADER_HOME": f"{home}/data",
                "NEWSREADER_CONFIG_DIR": f"{home}/config",
                "COLUMNS": "120",
            }
            command = command_times(corpus, indexes, singles, args.cli_runs, env)
        phase("commands", t0)
    if args.app_runs:
        t0 = time.perf_counter()
        eprint(f"[{time.strftime('%H:%M:%S')}] app ({args.app_runs} launches) ...")
        words = [w for w in dict.fromkeys(singles) if len(w) >= 5]
        app = app_times(corpus, indexes["ours"], words, args.app_runs, args.app_words)
        phase("app", t0)

    description = extra["description"]
    data = {
        "benchmark": NAME,
        "started": started,
        "run_seconds": time.perf_counter() - t_run,
        "phase_seconds": phases,
        "machine": machine_info(),
        "tantivy_version": tantivy_version(),
        "load_avg": {"start": load_start, "end": load_avg()},
        "engines": engines,
        "notes": notes,
        "params": {
            "n": extra.get("n"),
            "seed": args.seed,
            "per_class": args.per_class,
            "warmup_per_class": args.warmup_per_class,
            "class_budget_s": args.class_budget,
            "rss_per_class": args.rss_per_class,
            "tantivy_heap": TANTIVY_HEAP,
            "tantivy_threads": TANTIVY_THREADS,
        },
        "corpus": asdict(corpus) | {"description": description} | extra.get("manifest", {}),
        "build": build,
        "size": size,
        "queries": summary,
        "ke_prefix": ke,
        "queries_rss_mb": {e: v["peak_rss_mb"] for e, v in alone.items()},
        "queries_alone": alone,
        "queries_process": {
            "rss": q_all["rss"],
            "peak_rss_mb": q_all["peak_rss_mb"],
            "over_budget": q_all["over_budget"],
        },
        "command": command,
        "app": app,
        "query_log": [q | {"results": r} for q, r in zip(timed, results, strict=True)],
    }
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--corpora",
        default="clickid,synthetic",
        help="which corpora, comma-separated: clickid, synthetic (default both)",
    )
    ap.add_argument(
        "-n", "--articles", type=int, default=100_000, help="synthetic corpus size (100000)"
    )
    ap.add_argument("--seed", type=int, default=1, help="corpus and query seed (default 1)")
    ap.add_argument("--per-class", type=int, default=50, help="timed queries per class (50)")
    ap.add_argument(
        "--warmup-per-class", type=int, default=2, help="untimed queries per class first (2)"
    )
    ap.add_argument("--cli-runs", type=int, default=20, help="runs of each command (20; 0: skip)")
    ap.add_argument("--app-runs", type=int, default=3, help="app launches (3; 0: skip)")
    ap.add_argument("--app-words", type=int, default=8, help="words typed per launch (8)")
    ap.add_argument(
        "--class-budget",
        type=float,
        default=300,
        help="seconds an engine may spend on one query class; it skips the rest of the "
        "class after that (default 300)",
    )
    ap.add_argument(
        "--rss-per-class",
        type=int,
        default=10,
        help="queries per class each engine runs alone for its peak RSS (10; 0: skip)",
    )
    ap.add_argument(
        "--reuse-indexes",
        action="store_true",
        help="keep the indexes and build figures of an earlier run with the same corpus "
        "and seed (for working on the query phases)",
    )
    ap.add_argument("--keep-indexes", action="store_true", help="keep the indexes afterwards")
    ap.add_argument("--work", type=Path, default=WORK, help="cache folder (benchmarks/work)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--config", help=argparse.SUPPRESS)
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the .md files from the results' JSON, running nothing",
    )
    args = ap.parse_args(argv)
    if args.worker:
        return worker_main(args.worker, args.config)
    wanted = [c.strip() for c in args.corpora.split(",") if c.strip()]
    if args.render_only:
        from common import RESULTS, load_json

        for label in ["clickid" if c == "clickid" else str(args.articles) for c in wanted]:
            data = load_json(RESULTS / f"{NAME}-{label}.json")
            if data:
                write_results(NAME, label, data, render_md(data))
        return 0
    if not tantivy_version():
        eprint("tantivy is not installed (pip install tantivy): its columns are left out")
    for kind in wanted:
        if kind == "clickid":
            corpus = clickid_corpus()
            if corpus is None:
                from gen_corpus import CLICKID

                eprint(f"the CLICK-ID corpus is not at {CLICKID}: skipping it")
                continue
            desc = (
                "CLICK-ID, real Indonesian news (9 outlets, 2019), one JSON Lines file "
                "(copied into benchmarks/work, outside version control)"
            )
            extra = {"description": desc}
        elif kind == "synthetic":
            from gen_corpus import ensure_corpus, load_vocab

            n = args.articles
            folder = args.work / f"corpus-plain-{n}-s{args.seed}"
            eprint(f"corpus: {folder}")
            manifest, reused = ensure_corpus(folder, n, args.seed, load_vocab(verbose=True))
            eprint("  reused" if reused else f"  generated in {manifest['seconds']}s")
            corpus = Corpus("synthetic", str(folder), str(n), False)
            desc = (
                f"gen_corpus.py v{manifest['generator']}, {n:,} .txt files, "
                f"{manifest['words']:,} words, {manifest.get('distinct_words', 0):,} distinct"
            )
            extra = {"description": desc, "n": n, "manifest": manifest}
        else:
            raise SystemExit(f"unknown corpus {kind!r} (clickid, synthetic)")
        data = run_corpus(corpus, args, extra)
        md = render_md(data)
        jp, mp = write_results(NAME, corpus.label, data, md)
        print(md)
        print(f"\nwrote {jp} and {mp}")
        if not args.keep_indexes and not args.reuse_indexes:
            for e in ENGINES:
                shutil.rmtree(args.work / f"scale-{corpus.label}-s{args.seed}" / e, True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
