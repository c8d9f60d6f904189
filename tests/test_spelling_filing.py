"""How the spelling dictionary files words: each under its deletions, as its definition says,
the lists of word numbers packed as varints in key order."""

from __future__ import annotations

import zlib
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.search.spelling import (
    MAX_DISTANCE,
    PREFIX,
    _filings,
    _pack_ids,
    _unpack_ids,
    deletions,
)


def _deleted_a_letter_at_a_time(word: str, distance: int) -> set[str]:
    """Every string the first PREFIX letters become with up to `distance` letters deleted
    one at a time, never the last letter left."""
    out = {word[:PREFIX]}
    frontier = set(out)
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1 :] for w in frontier if len(w) > 1 for i in range(len(w))}
        out |= frontier
    return out


@settings(max_examples=300, deadline=None)
@given(st.text("abcaé", max_size=9), st.integers(0, 3))
def test_deletions_are_their_definitions(word: str, distance: int) -> None:
    assert deletions(word, distance) == _deleted_a_letter_at_a_time(word, distance)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.text("abcd", min_size=1, max_size=8), max_size=30, unique=True),
    st.sampled_from([1, 120, 16_380, 2_097_140, 268_435_450]),
)
def test_filings_are_each_keys_word_numbers_in_order(words: list[str], first: int) -> None:
    """Numbers from `first` on, so that their varints take one byte to five."""
    want: dict[int, list[int]] = defaultdict(list)
    for number, word in enumerate(words, first):
        for deleted in deletions(word, MAX_DISTANCE):
            want[zlib.crc32(deleted.encode())].append(number)
    got = list(_filings(words, first))
    assert [key for key, _ in got] == sorted(want)
    assert all(packed == _pack_ids(want[key]) for key, packed in got)
    assert all(_unpack_ids(packed) == want[key] for key, packed in got)
