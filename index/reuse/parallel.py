"""Aligning many candidate pairs in worker processes (one per CPU): a corpus-wide overlaps
run is CPU-bound pure Python, so threads would not help."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from ..workers import start_worker
from .overlaps import Aligned, Aligner

PARALLEL_PAIRS = 400  # fewer candidate pairs than this are aligned in the calling process
PAIRS_PER_TASK = 200
_aligner: Aligner | None = None  # the worker process's own, made once by _start_worker


def align_in_processes(
    pairs: list[tuple[int, int, int]],
    make_aligner: Callable[[], Aligner],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Aligned]:
    """Align `pairs` in `workers` processes, each with the aligner `make_aligner` builds
    (it opens its own connections: nothing open is shared across a fork)."""
    # Forked workers: "spawn" would re-run the caller's main module, which breaks any
    # script without a __main__ guard.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    chunks = [pairs[i : i + PAIRS_PER_TASK] for i in range(0, len(pairs), PAIRS_PER_TASK)]
    done = 0
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(make_aligner,)
    ) as pool:
        try:
            for chunk, results in zip(chunks, pool.map(_align_chunk, chunks), strict=True):
                yield from results
                done += len(chunk)
                if progress:
                    progress(done, len(pairs))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _start_worker(make_aligner: Callable[[], Aligner]) -> None:
    global _aligner  # one aligner per worker process, made once
    start_worker()  # Ctrl+C is the parent's; a worker ends with its parent
    _aligner = make_aligner()


def _align_chunk(chunk: list[tuple[int, int, int]]) -> list[Aligned]:
    assert _aligner is not None
    out: list[Aligned] = []
    for x, y, _ in chunk:
        alignment = _aligner(x, y)
        # Only pairs that share something travel back to the parent.
        out.append((x, y, alignment if alignment is not None and alignment.passages else None))
    return out
