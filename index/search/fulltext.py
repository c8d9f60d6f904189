"""The Whoosh index on disk: whether there is one, opening it, making a new one. Whoosh is
imported only here and in the modules that query it, and only when first needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import IndexDamagedError, IndexLockedError
from ..text.analysis import Analyzer


def exists(folder: Path) -> bool:
    """Whether `folder` holds a committed Whoosh index (damage shows when it is opened)."""
    return any(folder.glob("_MAIN_*.toc"))


def open_index(folder: Path) -> Any:
    from whoosh import index as windex

    try:
        return windex.open_dir(str(folder))
    except windex.EmptyIndexError:
        raise IndexDamagedError(
            f"the index at {folder.parent} is damaged or missing; run `newsreader index --rebuild`"
        ) from None
    except Exception as exc:  # Whoosh surfaces damage as many exception types
        raise IndexDamagedError(
            f"the index at {folder.parent} is damaged "
            f"({type(exc).__name__}); run `newsreader index --rebuild`"
        ) from None


def create_index(folder: Path, analyzer: Analyzer) -> Any:
    from whoosh import index as windex

    from .schema import make_schema

    folder.mkdir(parents=True, exist_ok=True)
    return windex.create_in(str(folder), make_schema(analyzer))


def open_writer(ix: Any, index_dir: Path) -> Any:
    from whoosh.index import LockError

    try:
        return ix.writer(timeout=1.0, limitmb=128)
    except LockError:
        raise IndexLockedError(f"the index {index_dir} is locked by another writer") from None
