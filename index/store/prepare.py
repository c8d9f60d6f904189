"""Turning drafts into what both stores take in: the parsed article, its full-text fields and
its shingles. Parsing and analysis are most of the work of an update, and independent from
one article to the next, so a large batch is prepared in worker processes (one per CPU)
while this process writes."""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..ingest.document import parse_draft
from ..model import Article, Draft
from ..text.analysis import Analyzer, add_stems, load_stems, take_new_stems, track_new_stems
from ..text.tokens import Shingles, article_shingles
from ..workers import give_back_memory, start_worker, stderr_with_a_file_number

if TYPE_CHECKING:
    from ..search.schema import IndexedText

PARALLEL_DRAFTS = 200  # fewer drafts than this are prepared in this process
CHUNK = 32  # drafts sent to a worker at a time
AHEAD = 3  # chunks per worker in flight: enough to keep it busy, little held in memory
MIN_RUN = 250  # the fewest drafts a worker filling a Whoosh segment takes (see Preparer)
# Where the workers write their segments and results, inside the full-text folder, so that
# a commit made meanwhile (of the batch before) leaves them be: it removes the files in the
# full-text folder it does not know. A segment moves out of it when its batch is committed.
SCRATCH = "incoming"
WORKERS: int | None = None  # worker processes; None: one per CPU (at most 8)


@dataclass(frozen=True)
class Prepared:
    article: Article
    text: IndexedText  # the full-text fields, words and written forms (see to_document)
    shingles: Shingles
    written: bool = False  # filed in a worker's Whoosh segment: no fields (see Preparer)


def prepare(d: Draft, analyzer: Analyzer, postings: bool = False) -> Prepared:
    """`postings`: work out the Whoosh postings too (see `schema.with_postings`)."""
    from ..search.schema import to_document, with_postings  # Whoosh, only when writing

    article = parse_draft(d, analyzer.vocabulary)
    terms = analyzer.terms(article.text)
    text = to_document(article, terms, analyzer)
    if postings:
        text = text._replace(fields=with_postings(text.fields, analyzer))
    return Prepared(article, text, article_shingles(article, analyzer, terms))


class Preparer:
    """Prepares drafts in order. Worker processes start with the first large batch and stop
    with `close`.

    With `segments` (the build's Whoosh folder), each worker also files the full-text
    documents of the articles it prepares in a Whoosh segment of its own, so that writing
    postings, most of Whoosh's work, is done in parallel and nothing of them crosses between
    processes; `flush` finishes those segments, for the commit that adds them to the index.
    Such articles come back with `written` set and no fields."""

    def __init__(
        self,
        analyzer: Analyzer,
        stems: Path,
        workers: int | None = None,
        *,
        fork: bool = True,
        postings: bool = False,
        segments: Path | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.stems = stems
        self.fork = fork
        self.postings = postings  # Whoosh postings worked out with the rest
        self.segments = segments
        if workers is None:
            workers = WORKERS if WORKERS is not None else min(os.cpu_count() or 1, 8)
        self.workers = workers
        self._pool: list[_Worker] | None = None
        # Where the workers' runs wait to be taken, and a worker's results while the parent
        # writes an earlier worker's (see _send_runs): a batch's scratch folder, in SCRATCH.
        self._spill: Path | None = None
        self._next = 0  # the worker the next chunk goes to
        self._stopping = False
        self._stop: Any = None  # set: the workers cut their runs short
        self._finished: list[Any] = []  # segments finished, not yet taken by `flush`

    def submit(self, drafts: deque[Draft]) -> Iterator[Prepared]:
        """A batch of drafts prepared, in order, by the workers filling Whoosh segments (or
        here, when it is small or there is one CPU). The deque is emptied as its drafts are
        sent to be prepared, so that none is held longer than it takes. After `stop`, no
        more are sent: those sent are still given back (a worker may have filed them in its
        segment). The drafts are sent to the workers now, not when the first result is
        asked for: they prepare a batch while this process commits the one before."""
        if self._fills_segments(len(drafts)):
            runs = self._send_runs([drafts.popleft() for _ in range(len(drafts))])
            return self._receive_runs(runs)
        return self._prepare_here(drafts)

    @property
    def fills_segments(self) -> bool:
        """Whether the workers are started and fill Whoosh segments (see `submit`)."""
        return self._pool is not None and self._fills_segments(0)

    def _fills_segments(self, count: int) -> bool:
        return (
            self.segments is not None
            and self.workers > 1
            and (self._pool is not None or count >= PARALLEL_DRAFTS)
        )

    def stream(self, drafts: Iterator[Draft]) -> Stream:
        """The drafts prepared, in order, taken from `drafts` only as the workers (those not
        filling segments) need more: one pipeline for a whole run, which `Stream.ahead`
        fills before a commit, so that the workers prepare while this process commits."""
        return Stream(self, drafts)

    def _prepare_here(self, drafts: deque[Draft]) -> Iterator[Prepared]:
        """In this process, as asked for: a batch too small to send to the workers, or one
        CPU. (Workers that fill no segments take their drafts from `stream`.)"""
        take = drafts.popleft
        for _ in range(len(drafts)):
            if self._stopping:
                return
            yield prepare(take(), self.analyzer, self.postings)

    def _send_runs(self, drafts: list[Draft]) -> list[tuple[_Worker, Path | None]]:
        """Each worker takes a run of the drafts, in order, so that its segment holds them
        in the order of the corpus, and the segments one after the other hold the articles
        in the order a single process would have filed them (Whoosh breaks ties between
        equal scores by that order). A small batch goes to fewer workers: every segment
        repeats the term dictionary, and searches visit each one."""
        pool = self._start()
        if not drafts:
            return []
        count = max(1, min(len(pool), len(drafts) // MIN_RUN))
        share = -(-len(drafts) // count)
        busy = []
        for k in range(count):
            worker = pool[k]
            run = drafts[k * share : (k + 1) * share]
            if not run:
                continue
            self._send_stems(worker)
            # The first run is written as it comes; a later one waits until the runs before
            # it are written, in a file rather than in its worker's memory (22 MB of
            # pickles for a run of 2,500 articles).
            spill = self._spill_file(k) if k else None
            # The run itself waits in a file too: the worker takes it only after finishing
            # its segment of the batch before, and until then a queue would keep it here,
            # pickled (12 MB for 2,500 articles).
            handed = self._spill_file(k, "run")
            with handed.open("wb") as fh:
                pickle.dump(run, fh, pickle.HIGHEST_PROTOCOL)
            del run
            worker.send(("prepare_run", (handed, spill)))
            # Its segment is finished as soon as its run is: while this process still reads
            # the results of the runs after it, and writes the batch into the catalog.
            worker.send(("flush", None))
            busy.append((worker, spill))
        return busy

    def _receive_runs(self, busy: list[tuple[_Worker, Path | None]]) -> Iterator[Prepared]:
        pool = self._pool or []
        try:
            for worker, spill in busy:
                self._take_flushes(worker)  # an earlier run's, ahead of this one's results
                # A run ends early when `stop` is asked: each worker says where it stopped.
                with _Spilled(spill) as spilled:
                    while (got := worker.receive()) is not None:
                        yield from self._unpickled(spilled.read(got), worker, pool)
                worker.unread_flushes += 1
        finally:
            self._drop_spill()

    def _take_flushes(self, worker: _Worker) -> None:
        while worker.unread_flushes:
            worker.unread_flushes -= 1
            if (segment := worker.receive()) is not None:
                self._finished.append(segment)

    def _send_stems(self, worker: _Worker) -> None:
        """The stems the other workers worked out, ahead of the worker's next drafts: each
        word goes through the stemmer (0.3 ms a word) once, not once per worker."""
        if worker.stems:
            worker.send(("stems", worker.stems))
            worker.stems = []

    def _unpickled(self, got: bytes, worker: _Worker, pool: list[_Worker]) -> list[Prepared]:
        prepared, stems = pickle.loads(got)
        add_stems(stems)
        for other in pool:
            if other is not worker:
                other.stems.extend(stems)
        return prepared

    def _spill_file(self, k: int, kind: str = "results") -> Path:
        # A folder for the batch in SCRATCH, gone once its results are read (what a crash
        # left goes when the next run's workers start).
        if self._spill is None:
            assert self.segments is not None
            self._spill = Path(
                tempfile.mkdtemp(prefix="results_", suffix=".tmp", dir=self.segments / SCRATCH)
            )
        return self._spill / f"{kind}-{k}"

    def stop(self) -> None:
        """Send no more drafts to be prepared (see `submit`); workers cut their runs short."""
        self._stopping = True
        if self._stop is not None:
            self._stop.set()

    def flush(self) -> list[Any]:
        """The Whoosh segments the workers have filled since the last flush, finished, in
        the order of their articles. Call when every article sent has been taken from
        `submit`."""
        from ..search.engine import move_segment

        for worker in self._pool or []:
            self._take_flushes(worker)
        finished, self._finished = self._finished, []
        assert not finished or self.segments is not None
        for segment in finished:
            # Out of the scratch folder only now: a commit meanwhile, of the batch before,
            # would have taken it for a file nobody wrote.
            move_segment(segment, self.segments / SCRATCH, self.segments)
        return finished

    def start(self) -> None:
        """Start the worker processes now (when a large update begins, before its files are
        read: a forked worker starts with a copy of this process as it is then)."""
        if self.workers > 1:
            self._start()

    def _collect(self, worker: _Worker) -> list[Prepared]:
        return self._unpickled(worker.receive(), worker, self._pool or [])

    def _start(self) -> list[_Worker]:
        if self._pool is None:
            if self.segments is not None:  # what a run cut off left, then a clean one
                shutil.rmtree(self.segments / SCRATCH, ignore_errors=True)
                (self.segments / SCRATCH).mkdir()
            method = _start_method(self.fork)
            with stderr_with_a_file_number():
                self._pool = self._start_pool(multiprocessing.get_context(method))
        return self._pool

    def _start_pool(self, ctx: Any) -> list[_Worker]:
        self._stop = ctx.Event()
        args = (self._stop, self.analyzer, self.stems, self.postings, self.segments)
        # A forked worker shares this process's pages until it writes to them, and its
        # garbage collector would write to every object it inherited (the corpus's listing,
        # the analysis's tables), copying their pages: frozen, they are left out of its
        # collections.
        fork = ctx.get_start_method() == "fork"
        if fork:
            gc.freeze()
        try:
            return [_Worker(ctx, args) for _ in range(self.workers)]
        finally:
            if fork:
                gc.unfreeze()

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool and self._stop is not None:
            self._stop.set()  # an interrupted batch: the workers cut their runs short
        for worker in pool or []:
            worker.close()
        self._drop_spill()
        if pool and self.segments is not None:
            shutil.rmtree(self.segments / SCRATCH, ignore_errors=True)

    def _drop_spill(self) -> None:
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)
            self._spill = None


class Stream:
    """Drafts prepared in order as they are taken from an iterator (see `Preparer.stream`).
    Fewer than `PARALLEL_DRAFTS` in all are prepared in this process."""

    def __init__(self, preparer: Preparer, drafts: Iterator[Draft]) -> None:
        self._preparer = preparer
        self._drafts = drafts
        self._pool = preparer._pool
        self._pending: deque[_Worker] = deque()  # the worker of each chunk in flight
        self._ready: deque[Prepared] = deque()
        self._taken = False  # every draft is taken from the iterator
        self._started = preparer.workers <= 1  # decided: prepared here or by the workers

    def __iter__(self) -> Stream:
        return self

    def __next__(self) -> Prepared:
        p = self._preparer
        if not self._started:
            self._start()
        if self._pool is None:
            if p._stopping:
                raise StopIteration
            return prepare(next(self._drafts), p.analyzer, p.postings)
        while not self._ready:
            self._send(AHEAD * len(self._pool))
            if not self._pending:
                raise StopIteration
            self._ready.extend(p._collect(self._pending.popleft()))
        return self._ready.popleft()

    def ahead(self, drafts: int) -> None:
        """Send up to `drafts` more drafts to the workers now: they prepare them while this
        process is busy otherwise (a commit)."""
        if self._pool is not None:
            self._send(len(self._pending) + -(-drafts // CHUNK))

    def _start(self) -> None:
        self._started = True
        if self._pool is None:
            first = list(islice(self._drafts, PARALLEL_DRAFTS))
            if len(first) == PARALLEL_DRAFTS:
                self._pool = self._preparer._start()
            self._drafts = chain(first, self._drafts)

    def _send(self, chunks: int) -> None:
        p = self._preparer
        pool = self._pool
        assert pool is not None
        while len(self._pending) < chunks and not self._taken and not p._stopping:
            chunk = list(islice(self._drafts, CHUNK))
            self._taken = len(chunk) < CHUNK
            if not chunk:
                return
            worker = pool[p._next % len(pool)]
            p._next += 1
            p._send_stems(worker)
            worker.send(("prepare", chunk))
            self._pending.append(worker)


class _Worker:
    """One worker process, fed through a queue of its own: a flush must reach each worker,
    and each worker's results come back in the order its chunks were sent."""

    def __init__(self, ctx: Any, args: tuple) -> None:
        self.tasks = ctx.Queue()
        self.results = ctx.Queue()
        self.process = ctx.Process(
            target=_serve, args=(self.tasks, self.results, *args), daemon=True
        )
        self.process.start()
        self.stems: list[tuple[str, str]] = []  # worked out by the others, not yet sent
        # Replies to "flush" at the head of `results`, each after a run read to its end.
        self.unread_flushes = 0

    def send(self, task: tuple[str, Any]) -> None:
        self.tasks.put(task)

    def receive(self) -> Any:
        while True:
            try:
                ok, value = self.results.get(timeout=1.0)
            except queue.Empty:
                if not self.process.is_alive():
                    raise RuntimeError(
                        f"a worker process ended unexpectedly (exit code {self.process.exitcode})"
                    ) from None
                continue
            if not ok:
                raise value
            return value

    def close(self) -> None:
        with suppress(Exception):
            self.tasks.put(None)
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        for q in (self.tasks, self.results):
            q.cancel_join_thread()
            q.close()


class _Spilled:
    """Reads a worker's run back: a message is the pickle itself, or, when the run is
    spilled, the length of the next pickle in its file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.fh: Any = None

    def __enter__(self) -> _Spilled:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()

    def read(self, got: bytes | int) -> bytes:
        if isinstance(got, bytes):
            return got
        if self.fh is None:  # opened once the worker has begun the file
            assert self.path is not None
            self.fh = self.path.open("rb")
        return self.fh.read(got)


def _start_method(fork: bool = True) -> str:
    """A plain fork where it is safe: it needs nothing of the caller's main module (which a
    fresh interpreter would run again, breaking any script without a __main__ guard). With
    other threads running (the app updates in a thread), a fork could copy a lock one of
    them holds: then a fork server, whose children start clean. `fork=False` for a caller
    whose open files children must not share (tantivy's writer lock outlives its writer in
    a forked child)."""
    methods = multiprocessing.get_all_start_methods()
    if fork and "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


_analyzer: Analyzer | None = None  # the worker process's own, set once by _start_worker
_postings = False
_segments: Path | None = None  # where the worker files its documents (see Preparer)
_segment: Any = None  # the Whoosh segment being filled, until the next flush


def _serve(
    tasks: Any,
    results: Any,
    stop: Any,
    analyzer: Analyzer,
    stems: Path,
    postings: bool,
    segments: Path | None,
) -> None:
    _start_worker(analyzer, stems, postings, segments)
    # The parent reads every result before it says the end, except when it stops midway
    # (an interruption): then results nobody reads must not keep this process from ending.
    results.cancel_join_thread()
    while (task := tasks.get()) is not None:
        kind, payload = task
        try:
            if kind == "stems":
                add_stems(payload)
                continue
            if kind == "prepare_run":  # results chunk by chunk, as they are ready
                _prepare_run(*payload, results, stop)
                continue
            if kind == "prepare":
                # Pickled here rather than by the queue's thread, so that results waiting
                # to be taken (see Stream.ahead) are held as pickles, a fifth of the room.
                value = pickle.dumps(_prepare_chunk(payload), pickle.HIGHEST_PROTOCOL)
            else:
                value = _flush()
                # The segment's postings and the run's pickles are freed by now; an idle
                # worker would hold their pages until the next run.
                give_back_memory()
        except BaseException as exc:  # handed to the parent, which raises it
            try:  # the queue pickles in a thread of its own, where a failure would be lost
                pickle.loads(pickle.dumps(exc))
            except Exception:
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            results.put((False, exc))
            continue
        results.put((True, value))


def _prepare_run(handed: Path, spill: Path | None, results: Any, stop: Any) -> None:
    """Prepares the run of drafts pickled in `handed` (then removed), putting each chunk's
    results on the queue as a pickle, or with `spill`, appending the pickle to that file and
    putting its length."""
    with handed.open("rb") as fh:
        drafts: list[Draft] = pickle.load(fh)
    handed.unlink()
    out = spill.open("wb") if spill is not None else None
    try:
        for k in range(0, len(drafts), CHUNK):
            if stop.is_set():
                break
            # Pickled here, not by the queue's feeder thread: as objects the results take
            # 5 to 6 times the room of their pickles (about 50 KB an article, mostly the
            # shingles, against 9 KB).
            data = pickle.dumps(_prepare_chunk(drafts[k : k + CHUNK]), pickle.HIGHEST_PROTOCOL)
            if out is None:
                results.put((True, data))
            else:
                out.write(data)
                out.flush()  # before the parent hears of it
                results.put((True, len(data)))
            del data
    finally:
        if out is not None:
            out.close()
    results.put((True, None))  # the end of the run


def _start_worker(
    analyzer: Analyzer, stems: Path, postings: bool = False, segments: Path | None = None
) -> None:
    global _analyzer, _postings, _segments
    start_worker()  # Ctrl+C is the parent's; a worker ends with its parent
    _analyzer = analyzer
    _segments = segments
    _postings = postings and segments is None
    load_stems(stems)
    track_new_stems()


def _prepare_chunk(drafts: list[Draft]) -> tuple[list[Prepared], list[tuple[str, str]]]:
    global _segment
    assert _analyzer is not None
    out = [prepare(d, _analyzer, _postings) for d in drafts]
    if _segments is not None:
        from ..search.engine import SegmentBuilder

        if _segment is None:
            _segment = SegmentBuilder(_segments / SCRATCH, _analyzer)
        for k, p in enumerate(out):
            _segment.add(p.text.fields)
            out[k] = Prepared(p.article, p.text._replace(fields={}), p.shingles, written=True)
    return out, take_new_stems()


def _flush() -> Any:
    global _segment
    segment, _segment = _segment, None
    return segment.finish() if segment is not None else None
