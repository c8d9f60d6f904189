"""A bounded memo for the analysis's per-word results (stems, plain terms).

A build's processes analyse every word of the archive, and its vocabulary keeps growing with
it: unbounded memos made each process 60 MiB larger at 100,000 articles than at 22,000.
A `Memo` keeps two generations of at most `size` keys each. When the newer is full it
becomes the older and the oldest is let go; a key found in the older is moved up. So the
words an archive keeps using stay, and memory does not grow with the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

V = TypeVar("V")

# Keys a generation holds: the words an archive keeps using fit (CLICK-ID's 22,000 articles
# have 94,000 distinct words, most of them met once or twice).
MEMO_WORDS = 1 << 15


class Memo(Generic[V]):
    """Values by key, in two generations. `new` is a plain dict, for C-level lookups in bulk
    (`map(memo.new.get, keys)`); a miss there goes through `recall` before being worked out."""

    __slots__ = ("added", "new", "old", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self.new: dict[str, V] = {}
        self.old: dict[str, V] = {}
        self.added = 0  # keys added since the memo was made: tells whether it learnt anything

    def get(self, key: str) -> V | None:
        found = self.new.get(key)
        return found if found is not None else self.recall(key)

    def recall(self, key: str) -> V | None:
        """The older generation's value for `key`, moved up to the newer."""
        found = self.old.get(key)
        if found is not None:
            self.put(key, found)
        return found

    def put(self, key: str, value: V) -> V:
        if len(self.new) >= self.size:
            self.old = self.new
            self.new = {}
        self.new[key] = value
        return value

    def add(self, key: str, value: V) -> None:
        """`value` for a key worked out anew (here or in another process)."""
        if key not in self.new and key not in self.old:
            self.put(key, value)
            self.added += 1

    def __contains__(self, key: object) -> bool:
        return key in self.new or key in self.old

    def __len__(self) -> int:
        return len(self.new) + sum(1 for k in self.old if k not in self.new)

    def items(self) -> Iterator[tuple[str, V]]:
        """Every key once, the older generation first."""
        for key, value in self.old.items():
            if key not in self.new:
                yield key, value
        yield from self.new.items()
