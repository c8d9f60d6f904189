"""Advisory file locks that keep two writing processes apart (flock: released by the kernel
when the holder dies, so a killed run never leaves a stale lock behind)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NewsreaderError


@contextmanager
def exclusive_lock(path: Path, busy: NewsreaderError) -> Iterator[None]:
    """Hold the lock file `path` for the block; raise `busy` at once if another process
    holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        fh.close()
