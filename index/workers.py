"""What every worker process of ours does first: leave Ctrl+C to the parent, and exit when
the parent is gone. A parent killed outright (SIGKILL, the OOM killer) cannot shut its pool
down, and forked workers would otherwise wait on their queue for ever."""

from __future__ import annotations

import os
import signal
import threading
import time

POLL_SECONDS = 1.0


def start_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits its parent's handlers: a parent that stops a worker with
    # SIGTERM (one stuck on a full queue, after an interruption) must end it quietly, not
    # raise the parent's "interrupted" in it, with a traceback on the user's screen.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = os.getppid()
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent:  # re-parented: the parent has died
            os._exit(1)
