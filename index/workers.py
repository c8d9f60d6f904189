"""What every worker process of ours does first: leave Ctrl+C to the parent, and exit when
the parent is gone. A parent killed outright (SIGKILL, the OOM killer) cannot shut its pool
down, and forked workers would otherwise wait on their queue for ever."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

POLL_SECONDS = 1.0


def start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits its parent's handlers: a parent that stops a worker with
    # SIGTERM (one stuck on a full queue, after an interruption) must end it quietly, not
    # raise the parent's "interrupted" in it, with a traceback on the user's screen.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


@contextmanager
def stderr_with_a_file_number() -> Iterator[None]:
    """`sys.stderr` with a real file number while worker processes start. The fork server
    and spawn start multiprocessing's resource tracker, which is handed `sys.stderr`'s file
    number; a full-screen app captures `sys.stderr` in an object whose number is -1, and
    the tracker then failed to start ("bad value(s) in fds_to_keep"). In its place: the
    null device, so that nothing the tracker writes lands on the app's screen."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        yield
        return
    captured = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            yield
        finally:
            sys.stderr = captured


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent:  # re-parented: the parent has died
            os._exit(1)


def give_back_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc's malloc_trim): Python frees
    a batch's texts and pickles into the heap, where they stay counted in the process's RSS
    until reused. False where there is no glibc to ask."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def _malloc_trim() -> Any:
    if not _TRIM:
        try:
            import ctypes

            _TRIM.append(ctypes.CDLL("libc.so.6").malloc_trim)
        except (OSError, AttributeError):
            _TRIM.append(None)
    return _TRIM[0]


_TRIM: list[Any] = []  # glibc's malloc_trim once looked up, or None
