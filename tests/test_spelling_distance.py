"""The edit distance that checks spelling candidates: the same as the whole table gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.search.spelling import distance


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance, the whole table (the textbook recurrence)."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


WORDS = st.text("abcde", max_size=9)


@settings(max_examples=400, deadline=None)
@given(WORDS, WORDS, st.integers(0, 4))
def test_distance_is_the_whole_tables_up_to_the_limit(a: str, b: str, limit: int) -> None:
    assert distance(a, b, limit) == min(_osa(a, b), limit + 1)


def test_a_swap_is_one_edit_and_over_the_limit_is_limit_plus_one() -> None:
    assert distance("erdgoan", "erdogan", 2) == 1
    assert distance("presiden", "presdien", 1) == 1
    assert distance("kerja", "kedua", 1) == 2
    assert distance("", "abc", 3) == 3
