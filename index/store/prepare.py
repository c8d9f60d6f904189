"""Turning drafts into what both stores take in: the parsed article, its full-text fields and
its shingles. Parsing and analysis are most of the work of an update, and independent from
one article to the next, so a large batch is prepared in worker processes (one per CPU)
while this process writes."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..ingest.document import parse_draft
from ..model import Article, Draft
from ..text.analysis import Analyzer, add_stems, load_stems, take_new_stems, track_new_stems
from ..text.tokens import article_tokens, shingles
from ..workers import start_worker

if TYPE_CHECKING:
    from ..search.schema import IndexedText

PARALLEL_DRAFTS = 200  # fewer drafts than this are prepared in this process
CHUNK = 32  # drafts sent to a worker at a time
AHEAD = 3  # chunks per worker in flight: enough to keep it busy, little held in memory
WORKERS: int | None = None  # worker processes; None: one per CPU (at most 8)


@dataclass(frozen=True)
class Prepared:
    article: Article
    text: IndexedText  # the full-text fields, words and written forms (see to_document)
    shingles: list[tuple[int, int]]


def prepare(d: Draft, analyzer: Analyzer, postings: bool = False) -> Prepared:
    """`postings`: work out the Whoosh postings too (see `schema.with_postings`)."""
    from ..search.schema import to_document, with_postings  # Whoosh, only when writing

    article = parse_draft(d, analyzer.vocabulary)
    terms = analyzer.terms(article.text)
    text = to_document(article, terms, analyzer)
    if postings:
        text = text._replace(fields=with_postings(text.fields, analyzer))
    return Prepared(article, text, shingles(article_tokens(article, analyzer, terms)))


class Preparer:
    """Prepares drafts in order. Worker processes start with the first large batch and stop
    with `close`."""

    def __init__(
        self,
        analyzer: Analyzer,
        stems: Path,
        workers: int | None = None,
        *,
        fork: bool = True,
        postings: bool = False,
    ) -> None:
        self.analyzer = analyzer
        self.stems = stems
        self.fork = fork
        self.postings = postings  # Whoosh postings worked out with the rest
        if workers is None:
            workers = WORKERS if WORKERS is not None else min(os.cpu_count() or 1, 8)
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def map(self, drafts: Sequence[Draft] | deque[Draft]) -> Iterator[Prepared]:
        """The drafts prepared, in order. A deque is emptied as its drafts are sent to be
        prepared, so that none is held longer than it takes."""
        take = drafts.popleft if isinstance(drafts, deque) else iter(drafts).__next__
        if self.workers <= 1 or len(drafts) < PARALLEL_DRAFTS:
            for _ in range(len(drafts)):
                yield prepare(take(), self.analyzer, self.postings)
            return
        pool = self._start()
        left = len(drafts)
        pending: deque[Future] = deque()
        while left:
            chunk = [take() for _ in range(min(CHUNK, left))]
            left -= len(chunk)
            pending.append(pool.submit(_prepare_chunk, chunk))
            del chunk
            if len(pending) >= AHEAD * self.workers:
                yield from self._collect(pending.popleft())
        while pending:
            yield from self._collect(pending.popleft())

    def start(self) -> None:
        """Start the worker processes now (when a large update begins, before its files are
        read: a forked worker starts with a copy of this process as it is then)."""
        if self.workers > 1 and self._pool is None:
            self._start().submit(int).result()

    def _collect(self, future: Future) -> list[Prepared]:
        prepared, stems = future.result()
        add_stems(stems)  # saved with this process's own when the update ends
        return prepared

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context(_start_method(self.fork)),
                initializer=_start_worker,
                initargs=(self.analyzer, self.stems, self.postings),
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


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


def _start_worker(analyzer: Analyzer, stems: Path, postings: bool = False) -> None:
    global _analyzer, _postings
    start_worker()  # Ctrl+C is the parent's; a worker ends with its parent
    _analyzer = analyzer
    _postings = postings
    load_stems(stems)
    track_new_stems()


def _prepare_chunk(drafts: list[Draft]) -> tuple[list[Prepared], list[tuple[str, str]]]:
    assert _analyzer is not None
    return [prepare(d, _analyzer, _postings) for d in drafts], take_new_stems()
