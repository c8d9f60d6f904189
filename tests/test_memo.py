"""The analysis's memos are bounded, so a build's memory does not grow with its archive."""

from newsreader.index.text import analysis
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.memo import Memo


def test_a_memo_keeps_two_generations_and_moves_a_recalled_key_up() -> None:
    memo: Memo[int] = Memo(3)
    for i, key in enumerate("abc"):
        memo.add(key, i)
    memo.add("d", 3)  # the newer generation was full: it becomes the older
    assert memo.new == {"d": 3} and memo.old == {"a": 0, "b": 1, "c": 2}
    assert memo.get("a") == 0  # recalled, so it is in the newer generation now
    memo.add("e", 4)
    memo.add("f", 5)  # full again: the older generation ("b", "c") is let go
    assert "a" in memo and "d" in memo and "b" not in memo and "c" not in memo
    assert memo.get("b") is None
    assert dict(memo.items()) == {"a": 0, "d": 3, "e": 4, "f": 5}
    assert len(memo) == 4
    assert memo.added == 6  # "a" came back by recall, not as a new key
    memo.add("a", 99)  # known: a value worked out elsewhere does not replace it
    assert memo.get("a") == 0 and memo.added == 6


def test_analysing_more_words_than_the_memos_hold_gives_the_same_terms(monkeypatch) -> None:
    size = 50
    monkeypatch.setattr(analysis, "_STEMS", Memo(size))
    small = Analyzer()
    object.__setattr__(small.vocabulary, "_plain", Memo(size))
    # Real words (stemmed by the dictionary stemmer) and made-up ones, each met several
    # times far apart, so most are worked out again after their memo entry was let go.
    words = [f"pertemuan{i}" if i % 3 else f"dipertemukan kerja sama ke-{i}" for i in range(400)]
    texts = [" ".join(words[i : i + 7]) for i in range(0, 400, 3)] * 3
    got = [small.terms(t) for t in texts]
    assert len(small.vocabulary.plain_terms) <= 2 * size
    assert len(analysis._STEMS) <= 2 * size
    monkeypatch.setattr(analysis, "_STEMS", Memo(1 << 20))
    fresh = Analyzer()
    object.__setattr__(fresh.vocabulary, "_plain", Memo(1 << 20))
    assert got == [fresh.terms(t) for t in texts]
