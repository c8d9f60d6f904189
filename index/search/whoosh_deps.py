"""Whoosh without the imports a search never uses. A `newsreader search` process spent a
quarter of its imports on three modules Whoosh loads for features we do not touch:

- whoosh.reading takes its `cached_property` decorator from the cached-property package,
  which imports asyncio (with logging and concurrent.futures) for coroutine properties.
  The standard library's functools.cached_property does what Whoosh asks of it (one value
  per reader, kept in the reader's __dict__), so it stands in when nothing has imported
  the package yet.
- whoosh.compat takes urlretrieve from urllib.request (http.client, email, ssl, socket),
  and whoosh.query.terms takes `variations` from whoosh.lang.morph_en (a large table of
  English endings compiled at import). While each of those two modules is executed, the
  module it takes the name from is a stand-in whose function imports the real module when
  called; once executed, the stand-in is gone, so any later import gets the real module.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

# Whoosh module -> {module it imports names from: those names}
_DEFERRED: dict[str, dict[str, tuple[str, ...]]] = {
    "whoosh.compat": {"urllib.request": ("urlretrieve",)},
    "whoosh.query.terms": {"whoosh.lang.morph_en": ("variations",)},
}


def prepare_whoosh_imports() -> None:
    """Install the stand-ins (before Whoosh is imported; nothing happens after)."""
    if "whoosh.reading" not in sys.modules and "cached_property" not in sys.modules:
        stand_in = types.ModuleType("cached_property")
        stand_in.cached_property = cached_property  # type: ignore[attr-defined]
        sys.modules["cached_property"] = stand_in
    if not any(isinstance(f, _DeferringFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _DeferringFinder())


def _on_call(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    return call


class _DeferringFinder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        wanted = _DEFERRED.get(fullname)
        if wanted is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _DeferringLoader(spec.loader, wanted)
        return spec


class _DeferringLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, wanted: dict[str, tuple[str, ...]]) -> None:
        self.loader = loader
        self.wanted = wanted

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        placed: dict[str, types.ModuleType] = {}
        for name, names in self.wanted.items():
            if name in sys.modules:
                continue  # already imported for real: nothing to save
            stand_in = placed[name] = types.ModuleType(name)
            for attr in names:
                setattr(stand_in, attr, _on_call(name, attr))
            sys.modules[name] = stand_in
        try:
            self.loader.exec_module(module)
        finally:
            for name, stand_in in placed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
                parent, _, child = name.rpartition(".")
                if getattr(sys.modules.get(parent), child, None) is stand_in:
                    delattr(sys.modules[parent], child)
