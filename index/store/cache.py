"""A small least-recently-used cache for values derived from articles (analysed terms,
alignment sides): searching as you type and aligning related articles ask for the same
articles again and again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        """The value for `key`, made (and kept) when it is not here."""
        value = self._items.get(key)
        if value is None:
            value = make()
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return value

    def clear(self) -> None:
        self._items.clear()
