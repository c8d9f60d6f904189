"""Benchmark passage reuse: planted passages found by `Library.overlaps()`, related-article
lookups, and the cost of the shingle index, against naive baselines.

For each size N, a synthetic corpus (gen_corpus.py's text generator) gets ~N/10 "source"
passages (2-4 consecutive sentences, 40-120 words, inside one paragraph of a source article)
planted into 1-3 other, unrelated articles as
  copied     verbatim,
  reworded   10-15% of the words replaced by other vocabulary words, 1-2 words dropped,
             1-2 inserted, 1-3 words with their capitalisation flipped,
  reordered  the same sentences in another order,
either as a paragraph of their own or spliced into an existing paragraph. The exact character
offsets in both articles are kept in benchmarks/work/reuse-<N>-s<seed>/truth.json.

Measured (one run, one process, single-threaded):
  (a) recall / precision of the planted passages in `Library.overlaps()`. A planted pair is
      found when one reported passage between the two articles covers >= 50% of the planted
      span's characters on both sides. A reported passage is correct when >= 50% of its span
      lies inside a planted span of that pair on both sides (two articles that both received
      the same passage share it too: such "sibling" pairs count as correct, not as planted).
      Also reported: recall when the union of all passages of the pair may do the covering.
  (b) `Library.related(id)` latency over ~200 random articles, against a naive lookup that
      aligns the article with every other article (their prepared sides held in memory,
      preparation not counted), on a small sample (N <= 10,000).
  (c) `Library.update()` from scratch, with an instrumented breakdown (wrapped functions and a
      timing proxy around the SQLite connection and the Whoosh writer) of what is the shingle
      index (alignment tokens, shingle hashing, shingle posting inserts) and what is Whoosh,
      parsing, SQLite article rows and commits; a plain Whoosh build of the same corpus as the
      baseline; and the corpus-wide `Library.overlaps()` (candidate pairs, then alignment).
  (d) with --all-pairs-baseline (N <= 2,000 only): align every pair of articles with
      `align(prepare(a), prepare(b))`, time it, score it the same way, and compare.

Targets from the issue (reported as met / not met): recall >= 0.95 with precision >= 0.95;
related lookup < 100 ms median at 100,000 articles; time at 100,000 < 15x the time at 10,000.

Results: benchmarks/results/bench_reuse-<N>.json and .md per size (table printed), and
bench_reuse-scaling.json/.md when results for more than one size exist.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (
    NO_VARIANTS,
    RESULTS,
    WORK,
    cpu_seconds,
    dir_size,
    eprint,
    load_avg,
    load_json,
    machine_info,
    md_table,
    median,
    mib,
    peak_rss_mb,
    ratio,
    stats_ms,
    write_results,
)
from gen_corpus import (
    ArticleDraft,
    Sentence,
    TextGenerator,
    Vocab,
    article_path,
    corpus_manifest,
    load_vocab,
    manifest_matches,
    render,
    write_manifest,
)

NAME = "bench_reuse"
KINDS = ("copied", "reworded", "reordered")
PLANT_VERSION = "1"
TARGET_RECALL = 0.95
TARGET_PRECISION = 0.95
TARGET_RELATED_MS = 100.0
TARGET_SCALING = 15.0


# -- planting ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"^([\"“‘'(]*)(.*?)([\"”’').,;:!?]*)$")


def _split_token(tok: str) -> tuple[str, str, str]:
    m = _TOKEN.match(tok)
    return (m.group(1), m.group(2), m.group(3)) if m else ("", tok, "")


def reword(sentences: list[str], gen: TextGenerator, rng: random.Random) -> tuple[list[str], dict]:
    """Light rewording across a passage's sentences; returns the new sentences and what was
    done."""
    toks = [(si, t) for si, s in enumerate(sentences) for t in s.split(" ")]
    n = len(toks)
    words = [i for i, (_, t) in enumerate(toks) if _split_token(t)[1].isalpha()]
    n_replace = max(1, round(rng.uniform(0.10, 0.15) * n))
    for i in rng.sample(words, min(n_replace, len(words))):
        si, t = toks[i]
        pre, core, post = _split_token(t)
        new = core
        while new.lower() == core.lower():
            new = gen.word()
        if core[:1].isupper():
            new = new[:1].upper() + new[1:]
        toks[i] = (si, pre + new + post)
    # flip the capitalisation of a few words (not sentence-initial ones)
    starts = set()
    seen = set()
    for i, (si, _) in enumerate(toks):
        if si not in seen:
            seen.add(si)
            starts.add(i)
    flippable = [i for i in words if i not in starts]
    n_case = rng.randint(1, 3)
    for i in rng.sample(flippable, min(n_case, len(flippable))):
        si, t = toks[i]
        pre, core, post = _split_token(t)
        core = core[:1].lower() + core[1:] if core[:1].isupper() else core[:1].upper() + core[1:]
        toks[i] = (si, pre + core + post)
    # drop words that carry no punctuation and do not open a sentence
    n_drop = rng.randint(1, 2)
    droppable = [
        i
        for i, (_, t) in enumerate(toks)
        if i not in starts and _split_token(t)[0] == "" and _split_token(t)[2] == ""
    ]
    for i in sorted(rng.sample(droppable, min(n_drop, len(droppable))), reverse=True):
        del toks[i]
    n_insert = rng.randint(1, 2)
    for _ in range(n_insert):
        # after a word with no punctuation that does not end its sentence
        after = [
            i
            for i in range(len(toks) - 1)
            if toks[i + 1][0] == toks[i][0] and _split_token(toks[i][1])[2] == ""
        ]
        if after:
            i = rng.choice(after)
            toks.insert(i + 1, (toks[i][0], gen.word()))
    out: list[list[str]] = [[] for _ in sentences]
    for si, t in toks:
        out[si].append(t)
    return [" ".join(ws) for ws in out], {
        "replaced": n_replace,
        "case": n_case,
        "dropped": n_drop,
        "inserted": n_insert,
    }


def _candidate_runs(art: ArticleDraft) -> list[tuple[int, int, int]]:
    """(paragraph, first, end) runs of 2-4 untagged sentences of 40-120 words, never in the
    first paragraph (it may carry a dateline)."""
    runs = []
    for p in range(1, len(art.paragraphs)):
        para = art.paragraphs[p]
        for i in range(len(para)):
            for j in range(i + 2, min(i + 4, len(para)) + 1):
                if any(s.tags for s in para[i:j]):
                    continue
                words = sum(s.n_words for s in para[i:j])
                if 40 <= words <= 120:
                    runs.append((p, i, j))
    return runs


def plant_corpus(folder: Path, n: int, seed: int, vocab: Vocab, *, progress: bool = True) -> dict:
    """Generate n articles with planted passages; write them and truth.json."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    gen = TextGenerator(vocab, rng)
    drafts = [gen.article() for _ in range(n)]
    ids = [article_path(i) for i in range(n)]
    n_passages = max(1, round(n / 10))
    sources = rng.sample(range(n), n_passages) if n > 1 else []
    passages = []
    for pid, s in enumerate(sources):
        art = drafts[s]
        runs = _candidate_runs(art)
        if not runs:  # give the article a paragraph that makes one
            art.paragraphs.insert(1, [gen.sentence(rng.randint(15, 25)) for _ in range(3)])
            runs = _candidate_runs(art)
        p, i, j = rng.choice(runs)
        sents = art.paragraphs[p][i:j]
        for s_ in sents:
            s_.tags = (("src", pid),)
        passages.append({"pid": pid, "source": s, "sentences": sents})
    hosted: dict[int, int] = defaultdict(int)
    instances = []
    for ps in passages:
        k = rng.choices((1, 2, 3), weights=(0.75, 0.2, 0.05))[0]
        targets: list[int] = []
        while len(targets) < k:
            t = rng.randrange(n)
            if t == ps["source"] or t in targets or hosted[t] >= 3:
                continue
            targets.append(t)
        for t in targets:
            iid = len(instances)
            kind = KINDS[iid % len(KINDS)]
            texts = [s.text for s in ps["sentences"]]
            edits: dict = {}
            if kind == "reworded":
                texts, edits = reword(texts, gen, rng)
            elif kind == "reordered":
                order = list(range(len(texts)))
                while order == sorted(order):
                    rng.shuffle(order)
                texts = [texts[o] for o in order]
                edits = {"order": order}
            copy = [Sentence(tx, (("tgt", iid),)) for tx in texts]
            art = drafts[t]
            spliceable = [
                q
                for q in range(1, len(art.paragraphs))
                if not any(s.tags for s in art.paragraphs[q])
            ]
            if rng.random() < 0.5 and spliceable:
                q = rng.choice(spliceable)
                at = rng.randint(0, len(art.paragraphs[q]))
                art.paragraphs[q][at:at] = copy
                mode = "spliced"
            else:
                art.paragraphs.insert(rng.randint(1, len(art.paragraphs)), copy)
                mode = "paragraph"
            hosted[t] += 1
            instances.append(
                {
                    "id": iid,
                    "passage": ps["pid"],
                    "kind": kind,
                    "mode": mode,
                    "source": ids[ps["source"]],
                    "target": ids[t],
                    "sentences": len(texts),
                    "words": sum(len(x.split()) for x in texts),
                    "edits": edits,
                    "_src": ps["sentences"],
                    "_tgt": copy,
                }
            )
    # render, and find every planted sentence's offsets
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*"):
        shutil.rmtree(old)
    spans: dict[int, tuple[int, int]] = {}
    total_bytes = words = 0
    for i, art in enumerate(drafts):
        text, sp = render(art)
        spans.update(sp)
        p = folder / ids[i]
        p.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        p.write_bytes(data)
        total_bytes += len(data)
        words += len(text.split())
        if progress and (i + 1) % 10000 == 0:
            eprint(f"  wrote {i + 1}/{n}")

    def span_of(sents: list[Sentence]) -> list[int]:
        return [min(spans[id(s)][0] for s in sents), max(spans[id(s)][1] for s in sents)]

    for inst in instances:
        inst["source_span"] = span_of(inst.pop("_src"))
        inst["target_span"] = span_of(inst.pop("_tgt"))
    by_passage: dict[int, list[dict]] = defaultdict(list)
    for inst in instances:
        by_passage[inst["passage"]].append(inst)
    siblings = []
    for group in by_passage.values():
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = group[x], group[y]
                siblings.append(
                    {
                        "passage": a["passage"],
                        "kinds": [a["kind"], b["kind"]],
                        "source": a["target"],
                        "source_span": a["target_span"],
                        "target": b["target"],
                        "target_span": b["target_span"],
                    }
                )
    truth = {"n": n, "seed": seed, "instances": instances, "siblings": siblings}
    (folder.parent / "truth.json").write_text(json.dumps(truth, indent=0), encoding="utf-8")
    manifest = corpus_manifest(n, seed, vocab, kind=f"planted-v{PLANT_VERSION}") | {
        "bytes": total_bytes,
        "words": words,
        "passages": len(passages),
        "instances": len(instances),
        "siblings": len(siblings),
        "seconds": round(time.perf_counter() - t0, 2),
        "complete": True,
    }
    write_manifest(folder, manifest)
    return manifest


def ensure_planted(root: Path, n: int, seed: int, vocab: Vocab) -> tuple[dict, dict, bool]:
    corpus = root / "corpus"
    expected = corpus_manifest(n, seed, vocab, kind=f"planted-v{PLANT_VERSION}")
    truth_path = root / "truth.json"
    if manifest_matches(corpus, expected) and truth_path.is_file():
        manifest = json.loads((corpus / ".manifest.json").read_text(encoding="utf-8"))
        return manifest, json.loads(truth_path.read_text(encoding="utf-8")), True
    eprint(f"planting a corpus of {n:,} articles in {corpus} ...")
    manifest = plant_corpus(corpus, n, seed, vocab)
    return manifest, json.loads(truth_path.read_text(encoding="utf-8")), False


# -- scoring ----------------------------------------------------------------------------------


def _ov(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _oriented(item: dict, a: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """An expected pair's spans as (span in article a, span in the other)."""
    s, t = tuple(item["source_span"]), tuple(item["target_span"])
    return (s, t) if item["source"] == a else (t, s)


def score(
    truth: dict, reported: dict[tuple[str, str], list[tuple[int, int, int, int]]], examples: int = 5
) -> dict:
    """Recall per planted instance and precision per reported passage (see the module doc).
    `reported` maps (a, b) with a < b to passages (a_start, a_end, b_start, b_end)."""
    expected: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for inst in truth["instances"]:
        key = tuple(sorted((inst["source"], inst["target"])))
        expected[key].append(inst | {"kind_": inst["kind"]})
    for sib in truth["siblings"]:
        expected[tuple(sorted((sib["source"], sib["target"])))].append(sib | {"kind_": "sibling"})

    per_kind = {
        k: {"planted": 0, "found": 0, "found_union": 0, "covered_chars": 0.0}
        for k in (*KINDS, "sibling")
    }
    missed = []
    for key, items in expected.items():
        a, _ = key
        got = reported.get(key, [])
        for item in items:
            (sa0, sa1), (sb0, sb1) = _oriented(item, a)
            need_a, need_b = 0.5 * (sa1 - sa0), 0.5 * (sb1 - sb0)
            found = any(
                _ov(p[0], p[1], sa0, sa1) >= need_a and _ov(p[2], p[3], sb0, sb1) >= need_b
                for p in got
            )
            cov_a = _union_overlap([(p[0], p[1]) for p in got], sa0, sa1)
            cov_b = _union_overlap([(p[2], p[3]) for p in got], sb0, sb1)
            pk = per_kind[item["kind_"]]
            pk["planted"] += 1
            pk["found"] += found
            pk["found_union"] += cov_a >= need_a and cov_b >= need_b
            pk["covered_chars"] += min(cov_a / (sa1 - sa0), cov_b / (sb1 - sb0))
            if not found:
                missed.append(
                    {
                        "kind": item["kind_"],
                        "instance": item.get("id"),
                        "passage": item.get("passage"),
                        "pair": key,
                        "planted": [sa0, sa1, sb0, sb1],
                        "reported": [list(p) for p in got],
                        "coverage_of_planted": [
                            round(cov_a / (sa1 - sa0), 3),
                            round(cov_b / (sb1 - sb0), 3),
                        ],
                    }
                )
    rep_total = 0
    rep_ok = 0
    rep_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    spurious = []
    for key, got in reported.items():
        items = expected.get(key, [])
        a, _ = key
        for p in got:
            rep_total += 1
            match = None
            for item in items:
                (sa0, sa1), (sb0, sb1) = _oriented(item, a)
                if _ov(p[0], p[1], sa0, sa1) >= 0.5 * (p[1] - p[0]) and _ov(
                    p[2], p[3], sb0, sb1
                ) >= 0.5 * (p[3] - p[2]):
                    match = item
                    break
            kind = (match or (items[0] if items else {"kind_": "unplanted pair"}))["kind_"]
            rep_by_kind[kind][0] += 1
            if match is not None:
                rep_ok += 1
                rep_by_kind[kind][1] += 1
            else:
                spurious.append(
                    {
                        "pair": key,
                        "reported": list(p),
                        "pair_kind": kind,
                        "planted": [
                            list(_oriented(i, a)[0]) + list(_oriented(i, a)[1]) for i in items
                        ],
                    }
                )
    planted = sum(per_kind[k]["planted"] for k in KINDS)
    found = sum(per_kind[k]["found"] for k in KINDS)
    found_u = sum(per_kind[k]["found_union"] for k in KINDS)
    out = {
        "planted": planted,
        "found": found,
        "recall": found / planted if planted else float("nan"),
        "recall_union": found_u / planted if planted else float("nan"),
        "reported_passages": rep_total,
        "correct_passages": rep_ok,
        "precision": rep_ok / rep_total if rep_total else float("nan"),
        "reported_pairs": len(reported),
        "unplanted_pairs": sum(1 for k in reported if k not in expected),
        "per_kind": {},
        "missed_examples": _per_kind(missed, examples),
        "spurious_examples": _per_kind(spurious, examples, "pair_kind"),
        "missed_total": sum(1 for m in missed if m["kind"] != "sibling"),
        "spurious_total": len(spurious),
    }
    for k, pk in per_kind.items():
        tot, ok = rep_by_kind.get(k, [0, 0])
        out["per_kind"][k] = {
            "planted": pk["planted"],
            "found": pk["found"],
            "recall": pk["found"] / pk["planted"] if pk["planted"] else float("nan"),
            "recall_union": pk["found_union"] / pk["planted"] if pk["planted"] else float("nan"),
            "mean_covered": pk["covered_chars"] / pk["planted"] if pk["planted"] else float("nan"),
            "reported": tot,
            "correct": ok,
            "precision": ok / tot if tot else float("nan"),
        }
    tot, ok = rep_by_kind.get("unplanted pair", [0, 0])
    out["per_kind"]["unplanted pair"] = {"reported": tot, "correct": ok}
    return out


def _per_kind(items: list[dict], k: int, field: str = "kind") -> list[dict]:
    """At most k examples of each kind."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for it in items:
        if seen[it[field]] < k:
            seen[it[field]] += 1
            out.append(it)
    return out


def _union_overlap(spans: list[tuple[int, int]], s0: int, s1: int) -> int:
    clipped = sorted((max(a, s0), min(b, s1)) for a, b in spans if min(b, s1) > max(a, s0))
    total = 0
    cur0 = cur1 = None
    for a, b in clipped:
        if cur1 is None or a > cur1:
            if cur1 is not None:
                total += cur1 - cur0
            cur0, cur1 = a, b
        else:
            cur1 = max(cur1, b)
    if cur1 is not None:
        total += cur1 - cur0
    return total


def _example_texts(corpus: Path, examples: list[dict], *, width: int = 400) -> None:
    """Add the texts to missed/spurious examples, for reading."""
    cache: dict[str, str] = {}

    def text(i: str) -> str:
        if i not in cache:
            cache[i] = (corpus / i).read_text(encoding="utf-8")
        return cache[i]

    for ex in examples:
        a, b = ex["pair"]
        if "planted" in ex and ex["planted"] and isinstance(ex["planted"][0], int):
            a0, a1, b0, b1 = ex["planted"]
            ex["planted_text"] = [text(a)[a0:a1][:width], text(b)[b0:b1][:width]]
        ex["reported_text"] = []
        for p in (
            [ex["reported"]]
            if ex.get("reported") and isinstance(ex["reported"][0], int)
            else ex.get("reported", [])
        ):
            ex["reported_text"].append([text(a)[p[0] : p[1]][:width], text(b)[p[2] : p[3]][:width]])


# -- instrumentation of update() ---------------------------------------------------------------


class Timers:
    def __init__(self) -> None:
        self.t: dict[str, float] = defaultdict(float)
        self.n: dict[str, int] = defaultdict(int)
        self.in_put = False  # inside Catalog.put_article: its SQL is also counted apart
        self.missing: list[str] = []
        self._gc_start = 0.0

    def gc_callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.t["  python GC (inside the parts above)"] += time.perf_counter() - self._gc_start
            self.n["  python GC (inside the parts above)"] += 1

    def wrap(self, name: str, fn):
        def timed(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.t[name] += time.perf_counter() - t0
                self.n[name] += 1

        return timed


class _TimedDB:
    """A proxy for the catalog's sqlite3 connection that times statements by kind."""

    def __init__(self, db, timers: Timers) -> None:
        self._db = db
        self._timers = timers

    @staticmethod
    def _kind(sql: str) -> str:
        s = " ".join(sql.split()).upper()
        if s.startswith("INSERT OR IGNORE INTO SHINGLES"):
            return "sqlite: shingle postings insert"
        if s.startswith("INSERT INTO ARTICLES"):
            return "sqlite: article rows insert"
        return "sqlite: other statements"

    def _run(self, fn, sql, *args):
        t0 = time.perf_counter()
        try:
            return fn(sql, *args)
        finally:
            dt = time.perf_counter() - t0
            kind = self._kind(sql)
            self._timers.t[kind] += dt
            self._timers.n[kind] += 1
            if self._timers.in_put:
                self._timers.t["_sql in put_article"] += dt

    def execute(self, sql, *args):
        return self._run(self._db.execute, sql, *args)

    def executemany(self, sql, rows):
        return self._run(self._db.executemany, sql, rows)

    def commit(self):
        return self._timers.wrap("sqlite: commit", self._db.commit)()

    def __getattr__(self, name):
        return getattr(self._db, name)


class _TimedWriter:
    def __init__(self, writer, timers: Timers) -> None:
        self._w = writer
        self._timers = timers

    def add_document(self, **doc):
        return self._timers.wrap("whoosh: add_document", self._w.add_document)(**doc)

    def update_document(self, **doc):
        return self._timers.wrap("whoosh: add_document", self._w.update_document)(**doc)

    def commit(self, *a, **kw):
        return self._timers.wrap("whoosh: commit (flush, merge)", self._w.commit)(*a, **kw)

    def __getattr__(self, name):
        return getattr(self._w, name)


PUT_INNER = (
    "whoosh: to_document",
    "whoosh: add_document",
    "shingles: alignment tokens",
    "shingles: n-gram hashing",
    "_put_article",
)


@contextmanager
def instrumented(timers: Timers):
    """Patch the names the engine's update (store/sync.py) looks up so that update() reports
    where its time goes.
    Names this version of the engine does not have are skipped (listed in timers.missing)."""
    import gc

    import newsreader.index.ingest.metadata as M
    import newsreader.index.search.schema as S
    import newsreader.index.store.sync as L

    saved = {}
    timers.missing = []

    def patch(obj, name, make):
        if not hasattr(obj, name):
            timers.missing.append(f"{getattr(obj, '__name__', obj)}.{name}")
            return
        saved[(obj, name)] = getattr(obj, name)
        setattr(obj, name, make(getattr(obj, name)))

    def timed(label):
        return lambda fn: timers.wrap(label, fn)

    def timed_catalog(base):
        class TimedCatalog(base):
            def __init__(self, *a, **kw):
                super().__init__(*a, **kw)
                self.db = _TimedDB(self.db, timers)

            def put_article(self, *a, **kw):
                timers.in_put = True
                t0 = time.perf_counter()
                try:
                    return super().put_article(*a, **kw)
                finally:
                    timers.in_put = False
                    timers.t["_put_article"] += time.perf_counter() - t0

        return TimedCatalog

    def timed_open_writer(orig):
        def open_writer(self):
            orig(self)
            self.writer = _TimedWriter(self.writer, timers)

        return open_writer

    patch(L, "Catalog", timed_catalog)
    patch(L._Run, "_open_writer", timed_open_writer)
    patch(L._Run, "_put", timed("_put total"))
    patch(L, "list_sources", timed("list + stat files"))
    patch(L, "_file_hash", timed("file hash"))
    patch(L, "read_drafts", timed("read (drafts)"))
    patch(M, "_to_iso", timed("  of which dates (metadata._to_iso, dateparser)"))
    patch(S, "to_document", timed("whoosh: to_document"))
    patch(L, "article_tokens", timed("shingles: alignment tokens"))
    patch(L, "shingles", timed("shingles: n-gram hashing"))
    gc.callbacks.append(timers.gc_callback)
    try:
        yield timers
    finally:
        gc.callbacks.remove(timers.gc_callback)
        for (obj, name), value in saved.items():
            setattr(obj, name, value)
        put_total = timers.t.pop("_put total", 0.0)
        inner = sum(timers.t.get(k, 0.0) for k in PUT_INNER)
        timers.t["text analysis in _put (Analyzer.terms) + glue"] = put_total - inner
        put = timers.t.pop("_put_article", 0.0)
        sql = timers.t.pop("_sql in put_article", 0.0)
        timers.t["catalog: article JSON + arrays (put_article minus its SQL)"] = put - sql


# -- the benchmark ----------------------------------------------------------------------------


def _reported_from_overlaps(overlaps) -> dict:
    out: dict = defaultdict(list)
    for o in overlaps:
        for p in o.alignment.passages:
            out[(o.a, o.b)].append((p.a_start, p.a_end, p.b_start, p.b_end))
    return dict(out)


def whoosh_build(corpus: Path, index: Path) -> dict:
    from bench_index import _worker_build_whoosh

    return _worker_build_whoosh(corpus, index)


def run_size(n: int, args: argparse.Namespace, vocab: Vocab) -> dict:
    from newsreader.index import Library
    from newsreader.index.reuse.align import align, prepare
    from newsreader.index.reuse.candidates import candidate_pairs
    from newsreader.index.store.layout import Layout

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load_start = load_avg()
    root = args.work / f"reuse-{n}-s{args.seed}"
    manifest, truth, reused = ensure_planted(root, n, args.seed, vocab)
    corpus = root / "corpus"
    ix = root / "index"
    data: dict = {
        "benchmark": NAME,
        "started": started,
        "machine": machine_info(),
        "params": {
            "n": n,
            "seed": args.seed,
            "related_sample": args.related_sample,
            "naive_related_sample": args.naive_related_sample,
        },
        "corpus": manifest
        | {"path": str(corpus), "reused": reused, "truth": str(root / "truth.json")},
    }

    # (c) build, instrumented
    shutil.rmtree(ix, ignore_errors=True)
    eprint(f"[{time.strftime('%H:%M:%S')}] N={n:,}: Library.update() from scratch ...")
    lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
    timers = Timers()
    with instrumented(timers):
        c0, t0 = cpu_seconds(), time.perf_counter()
        report = lib.update()
        build_s, build_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    top = sorted(
        ((k, v) for k, v in timers.t.items() if not k.startswith("  ")), key=lambda kv: -kv[1]
    )
    parts = {}
    for k, v in top:  # a sub-item ("  of which ...") right under the part that holds it
        parts[k] = v
        sub = "  of which dates (metadata._to_iso, dateparser)"
        if k.startswith("read + parse") and sub in timers.t:
            parts[sub] = timers.t[sub]
    for k, v in timers.t.items():
        if k.startswith("  ") and k not in parts:
            parts[k] = v
    accounted = sum(v for k, v in parts.items() if not k.startswith("  "))
    shingle_part = (
        parts.get("shingles: alignment tokens", 0)
        + parts.get("shingles: n-gram hashing", 0)
        + parts.get("sqlite: shingle postings insert", 0)
    )
    # The index folder holds builds; the live one has the catalog and the full text.
    live = Layout(ix).live() or ix
    data["build"] = {
        "seconds": build_s,
        "cpu_seconds": build_cpu,
        "articles": len(report.added),
        "articles_per_s": len(report.added) / build_s,
        "breakdown_s": parts | {"other (loop, bookkeeping)": build_s - accounted},
        "shingle_part_s": shingle_part,
        "not_instrumented": timers.missing,
        "index_mb": mib(dir_size(ix)),
        "catalog_mb": mib(sum(p.stat().st_size for p in live.glob("catalog.sqlite*"))),
        "whoosh_mb": mib(dir_size(live / "text")),
    }
    eprint(f"  {build_s:.1f}s ({len(report.added) / build_s:.1f} articles/s)")
    if not args.no_build_baseline:
        eprint(f"[{time.strftime('%H:%M:%S')}] plain Whoosh build (baseline) ...")
        wb = whoosh_build(corpus, root / "whoosh")
        shutil.rmtree(root / "whoosh", ignore_errors=True)
        data["build"]["whoosh_baseline_s"] = wb["seconds"]
        data["build"]["whoosh_baseline_cpu_s"] = wb["cpu_seconds"]
        data["build"]["ratio_vs_whoosh"] = ratio(build_s, wb["seconds"])
        eprint(f"  {wb['seconds']:.1f}s")

    # overlaps
    eprint(f"[{time.strftime('%H:%M:%S')}] Library.overlaps() ...")
    lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
    t0 = time.perf_counter()
    pairs = candidate_pairs(lib._live.open().catalog)
    cand_s = time.perf_counter() - t0
    lib.close()
    lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
    c0, t0 = cpu_seconds(), time.perf_counter()
    overlaps = lib.overlaps()
    overlaps_s, overlaps_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    lib.close()
    reported = _reported_from_overlaps(overlaps)
    data["overlaps"] = {
        "seconds": overlaps_s,
        "cpu_seconds": overlaps_cpu,
        "candidate_pairs": len(pairs),
        "candidate_pairs_seconds": cand_s,
        "overlapping_pairs": len(overlaps),
        "passages": sum(len(v) for v in reported.values()),
    }
    eprint(
        f"  {overlaps_s:.1f}s, {len(pairs):,} candidate pairs ({cand_s:.1f}s), "
        f"{len(overlaps):,} overlapping pairs"
    )

    # (a) quality
    quality = score(truth, reported)
    _example_texts(corpus, quality["missed_examples"] + quality["spurious_examples"])
    data["quality"] = quality
    eprint(f"  recall {quality['recall']:.3f}, precision {quality['precision']:.3f}")

    # (b) related lookups
    rng = random.Random(args.seed * 31 + n)
    all_ids = [article_path(i) for i in range(n)]
    sample = rng.sample(all_ids, min(args.related_sample, n))
    warm = [i for i in rng.sample(all_ids, min(n, args.related_sample + 5)) if i not in sample][:5]
    eprint(f"[{time.strftime('%H:%M:%S')}] related() x {len(sample)} ...")
    lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
    for i in warm:
        lib.related(i)
    times, cpus, found_counts = [], [], []
    for i in sample:
        c0, t0 = cpu_seconds(), time.perf_counter()
        _, rel = lib.related(i)
        times.append(time.perf_counter() - t0)
        cpus.append(cpu_seconds() - c0)
        found_counts.append(len(rel))
    lib.close()
    with_rel = [t for t, c in zip(times, found_counts, strict=True) if c]
    without = [t for t, c in zip(times, found_counts, strict=True) if not c]
    data["related"] = stats_ms(times) | {
        "cpu": stats_ms(cpus),
        "with_related": stats_ms(with_rel),
        "without_related": stats_ms(without),
        "articles_with_related": len(with_rel),
    }
    eprint(f"  median {data['related']['median_ms']:.1f} ms, p95 {data['related']['p95_ms']:.1f}")

    # (d) / naive baselines, from prepared sides held in memory
    need_all_pairs = args.all_pairs_baseline and n <= args.all_pairs_max
    need_naive = args.naive_related_sample > 0 and n <= args.naive_related_max
    if need_all_pairs or need_naive:
        lib = Library.open(corpus, index_dir=ix, variants=NO_VARIANTS)
        catalog = lib._live.open().catalog
        eprint(f"[{time.strftime('%H:%M:%S')}] preparing {n:,} sides for the naive baselines ...")
        t0 = time.perf_counter()
        sides = {i: prepare(catalog.article(i), lib.analyzer) for i in all_ids}
        prep_s = time.perf_counter() - t0
        data["naive"] = {"prepare_seconds": prep_s, "peak_rss_mb_after_prepare": peak_rss_mb()}
        if need_naive:
            nsample = sample[: args.naive_related_sample]
            ntimes = []
            eprint(f"[{time.strftime('%H:%M:%S')}] naive related x {len(nsample)} ...")
            for i in nsample:
                t0 = time.perf_counter()
                hits = []
                for j in all_ids:
                    if j != i:
                        al = align(sides[i], sides[j], lib.analyzer)
                        if al.passages:
                            hits.append((j, al))
                hits.sort(key=lambda h: -h[1].coverage_a)
                ntimes.append(time.perf_counter() - t0)
            ours_same = [times[sample.index(i)] for i in nsample]
            data["related"]["naive_baseline"] = stats_ms(ntimes) | {
                "ours_on_same_articles": stats_ms(ours_same)
            }
            data["related"]["ratio_median_vs_naive"] = ratio(median(ours_same), median(ntimes))
        if need_all_pairs:
            eprint(f"[{time.strftime('%H:%M:%S')}] all pairs: {n * (n - 1) // 2:,} alignments ...")
            rep: dict = defaultdict(list)
            c0, t0 = cpu_seconds(), time.perf_counter()
            for x in range(n):
                a = all_ids[x]
                sa = sides[a]
                for y in range(x + 1, n):
                    b = all_ids[y]
                    al = align(sa, sides[b], lib.analyzer)
                    for p in al.passages:
                        rep[(a, b)].append((p.a_start, p.a_end, p.b_start, p.b_end))
                if (x + 1) % 100 == 0:
                    el = time.perf_counter() - t0
                    done = (x + 1) * (2 * n - x - 2) / 2
                    eprint(
                        f"  {x + 1}/{n} rows, {el:.0f}s, "
                        f"eta {el * (n * (n - 1) / 2 - done) / max(done, 1):.0f}s"
                    )
            ap_s, ap_cpu = time.perf_counter() - t0, cpu_seconds() - c0
            aq = score(truth, dict(rep))
            _example_texts(corpus, aq["missed_examples"] + aq["spurious_examples"])
            data["all_pairs"] = {
                "seconds": ap_s,
                "cpu_seconds": ap_cpu,
                "with_prepare_seconds": ap_s + prep_s,
                "pairs": n * (n - 1) // 2,
                "ms_per_pair": ap_s / max(1, n * (n - 1) // 2) * 1000,
                "overlapping_pairs": len(rep),
                "ratio_vs_overlaps": ratio(ap_s + prep_s, overlaps_s),
                "quality": aq,
            }
            eprint(f"  {ap_s:.1f}s; recall {aq['recall']:.3f}, precision {aq['precision']:.3f}")
        lib.close()
        del sides
    data["peak_rss_mb"] = peak_rss_mb()
    data["load_avg"] = {"start": load_start, "end": load_avg()}
    if not args.keep_index:
        shutil.rmtree(ix, ignore_errors=True)
    return data


def targets(data: dict) -> dict:
    q = data["quality"]
    out = {
        "recall_precision": {
            "target": f"recall >= {TARGET_RECALL} and precision >= {TARGET_PRECISION}",
            "value": f"recall {q['recall']:.3f}, precision {q['precision']:.3f}",
            "met": q["recall"] >= TARGET_RECALL and q["precision"] >= TARGET_PRECISION,
        }
    }
    n = data["params"]["n"]
    med = data["related"]["median_ms"]
    out["related_latency"] = {
        "target": f"related median < {TARGET_RELATED_MS:.0f} ms at 100,000 articles",
        "value": f"{med:.1f} ms at {n:,}",
        "met": (med < TARGET_RELATED_MS) if n >= 100_000 else None,
    }
    return out


def render_md(data: dict) -> str:
    n = data["params"]["n"]
    q, b, o, r = data["quality"], data["build"], data["overlaps"], data["related"]
    c = data["corpus"]
    lines = [
        f"## bench_reuse, N = {n:,} articles",
        "",
        f"{c['passages']:,} source passages planted {c['instances']:,} times "
        f"({c['siblings']:,} sibling pairs); corpus {c['bytes'] / 2**20:.1f} MiB; "
        f"{data['machine']['cpus']} CPUs; run {data['started']}; load average "
        f"{data['load_avg']['start']} at the start, {data['load_avg']['end']} at the end.",
        "",
        "### Planted passages in Library.overlaps()",
        "",
    ]
    rows = []
    for k in (*KINDS, "sibling"):
        pk = q["per_kind"][k]
        rows.append(
            [
                k,
                pk["planted"],
                pk["found"],
                pk["recall"],
                pk["recall_union"],
                pk["mean_covered"],
                pk["reported"],
                pk["precision"],
            ]
        )
    rows.append(
        [
            "unplanted pairs",
            "–",
            "–",
            "–",
            "–",
            "–",
            q["per_kind"]["unplanted pair"]["reported"],
            0.0 if q["per_kind"]["unplanted pair"]["reported"] else "–",
        ]
    )
    rows.append(
        [
            "**all planted**",
            q["planted"],
            q["found"],
            q["recall"],
            q["recall_union"],
            "",
            q["reported_passages"],
            q["precision"],
        ]
    )
    lines.append(
        md_table(
            [
                "kind",
                "planted",
                "found",
                "recall",
                "recall (union)",
                "mean covered",
                "reported passages",
                "precision",
            ],
            rows,
        )
    )
    lines += [
        "",
        "recall: one reported passage covers >= 50% of the planted span on both sides; "
        "recall (union): all passages of the pair together do; mean covered: share of the "
        "planted characters covered (worse side); precision: reported passages lying >= 50% "
        "inside a planted (or sibling) span on both sides.",
        "",
    ]
    if "all_pairs" in data:
        ap = data["all_pairs"]
        aq = ap["quality"]
        lines += [
            "### All-pairs baseline (align every pair)",
            "",
            md_table(
                ["", "Library.overlaps()", "all pairs", "ratio (all pairs / ours)"],
                [
                    ["seconds", o["seconds"], ap["with_prepare_seconds"], ap["ratio_vs_overlaps"]],
                    [
                        "pairs aligned",
                        o["candidate_pairs"],
                        ap["pairs"],
                        ratio(ap["pairs"], o["candidate_pairs"]),
                    ],
                    ["recall", q["recall"], aq["recall"], ""],
                    ["precision", q["precision"], aq["precision"], ""],
                ],
            ),
            "",
            f"All pairs: {ap['seconds']:.1f}s aligning ({ap['ms_per_pair']:.3f} ms a "
            f"pair) + {data['naive']['prepare_seconds']:.1f}s preparing every article.",
            "",
        ]
    lines += ["### Time", ""]
    rows = [
        [
            "Library.update() from scratch, s",
            b["seconds"],
            b.get("whoosh_baseline_s", "–"),
            b.get("ratio_vs_whoosh", "–"),
        ],
        [
            "  articles/s",
            b["articles_per_s"],
            n / b["whoosh_baseline_s"] if "whoosh_baseline_s" in b else "–",
            ratio(b["whoosh_baseline_s"], b["seconds"]) if "whoosh_baseline_s" in b else "–",
        ],
        [
            "  CPU s",
            b["cpu_seconds"],
            b.get("whoosh_baseline_cpu_s", "–"),
            ratio(b["cpu_seconds"], b["whoosh_baseline_cpu_s"])
            if "whoosh_baseline_cpu_s" in b
            else "–",
        ],
        ["  of which shingle part, s", b["shingle_part_s"], "", ""],
        [
            "Library.overlaps(), s",
            o["seconds"],
            data.get("all_pairs", {}).get("with_prepare_seconds", "–"),
            ratio(o["seconds"], data["all_pairs"]["with_prepare_seconds"])
            if "all_pairs" in data
            else "–",
        ],
        ["  of which candidate pairs, s", o["candidate_pairs_seconds"], "", ""],
        [
            "related(), median ms",
            r["median_ms"],
            r.get("naive_baseline", {}).get("median_ms", "–"),
            ratio(
                r["naive_baseline"]["ours_on_same_articles"]["median_ms"],
                r["naive_baseline"]["median_ms"],
            )
            if "naive_baseline" in r
            else "–",
        ],
        [
            "related(), p95 ms",
            r["p95_ms"],
            r.get("naive_baseline", {}).get("p95_ms", "–"),
            ratio(
                r["naive_baseline"]["ours_on_same_articles"]["p95_ms"],
                r["naive_baseline"]["p95_ms"],
            )
            if "naive_baseline" in r
            else "–",
        ],
    ]
    lines.append(md_table(["", "ours", "baseline", "ratio ours / baseline"], rows))
    nb = r.get("naive_baseline")
    lines += [
        "",
        "Baselines: plain Whoosh build of the same files (bench_index's); all pairs "
        "aligned; a naive related lookup aligning the article with every other one "
        + (f"({nb['n']} articles; ratio on those same articles)." if nb else "(not run)."),
        f"related(): {r['articles_with_related']} of {r['n']} sampled articles have "
        f"related articles (median {r['with_related']['median_ms']:.1f} ms) vs none "
        f"({r['without_related']['median_ms']:.1f} ms). Overlaps: "
        f"{o['candidate_pairs']:,} candidate pairs aligned, {o['overlapping_pairs']:,} share "
        f"passages. Index {b['index_mb']:.1f} MiB (catalog {b['catalog_mb']:.1f}, Whoosh "
        f"{b['whoosh_mb']:.1f}). Peak RSS {data['peak_rss_mb']:.0f} MiB.",
        "",
        "### Where Library.update() spends its time (instrumented run)",
        "",
    ]
    rows = [
        [k, v, ratio(v, b["seconds"]), v / b["articles"] * 1000]
        for k, v in b["breakdown_s"].items()
    ]
    lines.append(md_table(["part", "s", "share", "ms / article"], rows))
    lines += [
        "",
        "Shingle part = alignment tokens + n-gram hashing + shingle postings insert "
        "(the SQLite commit, and the text analysis that Whoosh and the shingles share, "
        "are not included). Parts nest only where indented; the other rows add up to the "
        "total."
        + (
            f" Not instrumented in this engine version: {', '.join(b['not_instrumented'])}."
            if b.get("not_instrumented")
            else ""
        ),
        "",
        f"Engine: {data['machine'].get('engine')} at commit "
        f"{data['machine'].get('engine_commit')}"
        + (
            " (with uncommitted changes)"
            if data["machine"].get("engine_uncommitted_changes")
            else ""
        )
        + ".",
        "",
        "### Targets",
        "",
    ]
    t = data["targets"]
    lines.append(
        md_table(
            ["target", "measured", "met"],
            [
                [
                    v["target"],
                    v["value"],
                    {True: "yes", False: "**no**", None: "n/a at this N"}[v["met"]],
                ]
                for v in t.values()
            ],
        )
    )
    return "\n".join(lines)


def scaling(sizes_run: list[int]) -> tuple[dict, str] | None:
    """Compare every bench_reuse result on disk (this run's sizes and earlier ones)."""
    found = {}
    for p in sorted(RESULTS.glob(f"{NAME}-*.json")):
        m = re.fullmatch(rf"{NAME}-(\d+)\.json", p.name)
        d = load_json(p) if m else None
        if d:
            found[int(m.group(1))] = d
    if len(found) < 2:
        return None
    sizes = sorted(found)
    rows = []
    data = {"sizes": {}, "steps": []}
    for s in sizes:
        d = found[s]
        data["sizes"][s] = {
            "started": d["started"],
            "update_s": d["build"]["seconds"],
            "overlaps_s": d["overlaps"]["seconds"],
            "related_median_ms": d["related"]["median_ms"],
            "related_p95_ms": d["related"]["p95_ms"],
            "recall": d["quality"]["recall"],
            "precision": d["quality"]["precision"],
            "this_run": s in sizes_run,
        }
    for s0, s1 in itertools.pairwise(sizes):
        a, b = data["sizes"][s0], data["sizes"][s1]
        step = {"from": s0, "to": s1, "size_ratio": s1 / s0}
        for k in ("update_s", "overlaps_s", "related_median_ms"):
            step[k] = ratio(b[k], a[k])
        if s0 == 10_000 and s1 == 100_000:
            step["target"] = f"< {TARGET_SCALING:.0f}x"
            step["met"] = step["update_s"] < TARGET_SCALING and step["overlaps_s"] < TARGET_SCALING
        data["steps"].append(step)
    for s in sizes:
        v = data["sizes"][s]
        rows.append(
            [
                f"{s:,}",
                v["update_s"],
                v["overlaps_s"],
                v["related_median_ms"],
                v["related_p95_ms"],
                v["recall"],
                v["precision"],
                v["started"],
            ]
        )
    md = [
        "## bench_reuse scaling",
        "",
        md_table(
            [
                "N",
                "update s",
                "overlaps s",
                "related median ms",
                "related p95 ms",
                "recall",
                "precision",
                "run",
            ],
            rows,
        ),
        "",
    ]
    srows = [
        [
            f"{st['from']:,} → {st['to']:,}",
            f"{st['size_ratio']:.0f}x",
            f"{st['update_s']:.2f}x",
            f"{st['overlaps_s']:.2f}x",
            f"{st['related_median_ms']:.2f}x",
            {True: "yes", False: "**no**"}.get(st.get("met"), "–"),
        ]
        for st in data["steps"]
    ]
    md.append(
        md_table(
            [
                "step",
                "size",
                "update",
                "overlaps",
                "related median",
                "target < 15x met (10k → 100k)",
            ],
            srows,
        )
    )
    return data, "\n".join(md)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--sizes",
        default="1000",
        help="comma-separated corpus sizes (default 1000), e.g. 1000,10000,100000",
    )
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument(
        "--all-pairs-baseline",
        action="store_true",
        help="also align every pair of articles (only for sizes <= --all-pairs-max)",
    )
    ap.add_argument("--all-pairs-max", type=int, default=2000, help=argparse.SUPPRESS)
    ap.add_argument(
        "--related-sample",
        type=int,
        default=200,
        help="articles timed with related() (default 200)",
    )
    ap.add_argument(
        "--naive-related-sample",
        type=int,
        default=10,
        help="articles timed with the naive related lookup (default 10; 0: none)",
    )
    ap.add_argument(
        "--naive-related-max",
        type=int,
        default=10000,
        help="largest N that runs the naive related lookup (default 10000)",
    )
    ap.add_argument(
        "--no-build-baseline", action="store_true", help="skip the plain Whoosh build baseline"
    )
    ap.add_argument("--keep-index", action="store_true", help="keep the index afterwards")
    ap.add_argument(
        "--work",
        type=Path,
        default=WORK,
        help="cache folder for corpora and indexes (default benchmarks/work)",
    )
    ap.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite the .md files from the results' JSON, running nothing",
    )
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.render_only:
        for n in sizes:
            data = load_json(RESULTS / f"{NAME}-{n}.json")
            if data:
                write_results(NAME, n, data, render_md(data))
        sc = scaling([])
        if sc:
            write_results(NAME, "scaling", sc[0], sc[1])
        return 0
    vocab = load_vocab(verbose=True)
    for n in sizes:
        data = run_size(n, args, vocab)
        data["targets"] = targets(data)
        md = render_md(data)
        jp, mp = write_results(NAME, n, data, md)
        print(md)
        print(f"\nwrote {jp} and {mp}\n")
    sc = scaling(sizes)
    if sc:
        d, md = sc
        jp, mp = write_results(NAME, "scaling", d, md)
        print(md)
        print(f"\nwrote {jp} and {mp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
