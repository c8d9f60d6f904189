"""The last `overlaps` run's pairs, kept in the build they were found in: aligning every
candidate pair of a 10,000-article archive takes minutes, and a researcher runs `overlaps`
again with another `--min-coverage`, or to save the pairs in another format. The pairs are
those of an index that has not changed since (same commit, same articles), aligned with the
same settings and the same learned substitutions; anything else aligns again. A rebuild
starts a new build, without them."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..reuse.overlaps import Overlap
    from .catalog import Catalog

CACHE_FILE = "overlaps.pickle"
FORMAT = 1


def cache_key(catalog: Catalog, *settings: Any) -> str:
    """What the pairs depend on: the index's last commit, its articles, the settings (and
    learned substitutions) they were aligned with, the alignment rules and this version's
    classes."""
    from ..reuse.align import RULES
    from .catalog import SCHEMA_VERSION

    top, count = catalog.db.execute(
        "SELECT coalesce(max(doc), 0), count(*) FROM articles"
    ).fetchone()
    parts = [FORMAT, RULES, SCHEMA_VERSION, catalog.get_meta("updated"), top, count]
    parts += map(repr, settings)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load(folder: Path, key: str) -> list[Overlap] | None:
    """The pairs kept for `key`; None when there are none (or they cannot be read)."""
    try:
        with (folder / CACHE_FILE).open("rb") as fh:
            kept, found = pickle.load(fh)
    except Exception:  # missing, damaged or of another version: aligned again
        return None
    return found if kept == key else None


def save(folder: Path, key: str, found: list[Overlap]) -> None:
    """Keep the pairs (atomically); a folder that cannot be written only costs the time."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".overlaps-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((key, found), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / CACHE_FILE)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
