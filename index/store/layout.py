"""The index folder: which build is live, where writers lock, where a rebuild goes.

    <index folder>/
      lock            writers hold it (flock) for a whole update; never moved or deleted
      current         the name of the live build, replaced atomically (write, fsync, rename)
      build-<n>/      a build: catalog.sqlite (SQLite), text/ (Whoosh), spelling.sqlite
                      (did-you-mean's dictionary) and prefixes.sqlite (a prefix's most
                      frequent words, search/prefixes.py), both made when an update finishes
      build-<m>/      a rebuild under way, marked by an `incomplete` file until it is done

A first build is published at once (empty, then filled batch by batch, each batch visible
when committed); a rebuild fills a second build beside the live one and replaces it with one
rename of `current`, so readers see the old index or the new one, never a mix. An
interrupted rebuild keeps its committed batches and is resumed by the next rebuild. The lock
stays where it is across rebuilds, so it always means the same thing: someone is writing.
Readers write nothing here; they read `current` and open the build it names.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import IndexReadOnlyError, NewsreaderError

LOCK = "lock"
CURRENT = "current"
INCOMPLETE = "incomplete"
CATALOG = "catalog.sqlite"
FULLTEXT = "text"
_BUILD = re.compile(r"build-([0-9]+)")
FETCH = ("fetch.json", "fetch.lock")  # `newsreader fetch` keeps its memory here too
# What an index folder of newsreader before builds held: rebuilt, then removed.
LEGACY = ("catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "text")


class Layout:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def lock_path(self) -> Path:
        return self.folder / LOCK

    # -- reading ---------------------------------------------------------------------------
    def live(self) -> Path | None:
        """The live build's folder, None when there is no index (yet)."""
        try:
            name = (self.folder / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            raise NewsreaderError(
                f"cannot read the index at {self.folder}: {exc.strerror}"
            ) from None
        if not _BUILD.fullmatch(name):
            return None
        return self.folder / name

    def legacy(self) -> bool:
        """Whether the folder holds an index of an older newsreader (no builds)."""
        return (self.folder / CATALOG).exists() or (self.folder / FULLTEXT).is_dir()

    def builds(self) -> list[Path]:
        try:
            names = os.listdir(self.folder)
        except OSError:
            return []
        found = [(int(m.group(1)), n) for n in names if (m := _BUILD.fullmatch(n))]
        return [self.folder / n for _, n in sorted(found)]

    def is_ours(self) -> bool:
        """Whether the folder is missing, empty, or an index of ours (anything else is not
        ours to write into, let alone delete from)."""
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return True
        except NotADirectoryError:
            return False
        except OSError:
            return True  # unreadable: the error comes when it is opened
        ours = {CURRENT, LOCK, *FETCH}
        return not names or bool(ours & set(names)) or self.legacy() or bool(self.builds())

    # -- writing (under the lock) ------------------------------------------------------------
    @contextmanager
    def locked(self, busy: NewsreaderError) -> Iterator[None]:
        """Hold the writers' lock for the block; `busy` at once if another process holds it."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise IndexReadOnlyError(
                    f"the index {self.folder} is read-only ({exc.strerror}); it can be "
                    "searched as it is, not updated"
                ) from None
            raise
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise busy from None
            yield
        finally:
            os.close(fd)  # releases the lock

    def read_only(self) -> bool:
        """Whether the index folder is there but cannot be written to (read-only storage or
        permissions): it can be searched, not updated."""
        return self.folder.is_dir() and not os.access(self.folder, os.W_OK)

    def busy(self) -> bool:
        """Whether another process holds the writers' lock (an update is under way)."""
        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            os.close(fd)
        return False

    def new_build(self, *, incomplete: bool) -> Path:
        """A fresh build folder, numbered after every build there is."""
        numbers = [int(_BUILD.fullmatch(p.name).group(1)) for p in self.builds()]  # type: ignore[union-attr]
        build = self.folder / f"build-{max(numbers, default=0) + 1}"
        build.mkdir(parents=True)
        if incomplete:
            (build / INCOMPLETE).touch()
        _fsync_dir(self.folder)
        return build

    def incomplete(self) -> list[Path]:
        """Rebuilds interrupted before they were published (newest last)."""
        live = self.live()
        return [b for b in self.builds() if b != live and (b / INCOMPLETE).exists()]

    def publish(self, build: Path) -> None:
        """Make `build` the live one: one atomic rename, durable before it returns."""
        with suppress(FileNotFoundError):
            (build / INCOMPLETE).unlink()
        _fsync_dir(build)
        tmp = self.folder / f".{CURRENT}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(build.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.folder / CURRENT)
        _fsync_dir(self.folder)

    def remove_retired(self) -> None:
        """Delete builds that are neither live nor a rebuild under way."""
        live = self.live()
        for build in self.builds():
            if build != live and not (build / INCOMPLETE).exists():
                shutil.rmtree(build, ignore_errors=True)

    def remove_others(self, keep: Path | None) -> None:
        """Delete every build but `keep`, and an older newsreader's index."""
        for build in self.builds():
            if build != keep:
                shutil.rmtree(build, ignore_errors=True)
        for name in LEGACY:
            path = self.folder / name
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                with suppress(FileNotFoundError):
                    path.unlink()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    _fsync_dir(folder)
