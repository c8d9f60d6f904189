"""Whoosh without asyncio: whoosh.reading takes its `cached_property` decorator from the
cached-property package, which imports asyncio (and with it logging, concurrent.futures,
ssl support...) for coroutine properties Whoosh never uses. That import was a tenth of a
`newsreader search` process. The standard library's functools.cached_property does what
Whoosh asks of it (one value per reader, kept in the reader's __dict__), so it stands in
when nothing has imported the package yet."""

from __future__ import annotations

import sys
import types
from functools import cached_property


def use_standard_cached_property() -> None:
    if "cached_property" in sys.modules or "whoosh.reading" in sys.modules:
        return
    stand_in = types.ModuleType("cached_property")
    stand_in.cached_property = cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = stand_in
