"""A query of a few words that must all be there, ranked and counted in one pass over its
words' postings (search/conjunction.py), gives Whoosh's own hits, scores and count: on an
index of several segments with deleted documents, with words the analyzer splits into
several terms (whose scores Whoosh adds in an order of its own), and through a search."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index import Library
from newsreader.index.search.engine import WhooshFullText
from newsreader.index.search.narrow import whoosh_search
from newsreader.index.search.query import plan_query

from tests.test_bestmatch import EXTRA, PARTS, WORDS, library  # noqa: F401 (a fixture)

# A figure or date ("2.000.500", "20/5/2026") and a hyphenated word ("3-5-20") are
# searched as phrases of their parts (see query.py), which Whoosh ranks itself: not words
# of several terms for the one pass.
_PHRASED = re.compile(r"\d+(?:[.,/]\d+)+|[^\W_]+(?:-[^\W_]+)+")
EXTRA = [w for w in EXTRA if not _PHRASED.fullmatch(w)]
PARTS = [w for w in PARTS if not _PHRASED.fullmatch(w)]


def _whoosh(ft: WhooshFullText, q, limit: int) -> tuple[list[tuple[str, float]], int]:
    res = whoosh_search(ft.searcher, q, exact=True, limit=limit)
    return [(r["id"], r.score) for r in res], len(res)


def _check(ft: WhooshFullText, text: str, analyzer, limits=(1, 3, 10, 500)) -> bool:
    """Whether the one pass ranked `text`'s words; asserts it ranks and counts as Whoosh."""
    plan = plan_query(text, ft, analyzer)
    for limit in limits:
        ours = ft.match_all(plan.strict, limit)
        if ours is None:
            return False
        assert (ours.hits, ours.total) == _whoosh(ft, plan.strict, limit), (text, limit)
        assert ours.exact
    return True


def test_a_few_words_rank_and_count_as_whooshs_and(library: Library) -> None:  # noqa: F811
    rng = random.Random(13)
    vocabulary = WORDS + EXTRA + PARTS
    ranked = found = 0
    with library._live.reading() as stores:
        ft = stores.searcher()
        assert len(ft.searcher.leaf_searchers()) > 1
        assert ft.searcher.reader().has_deletions()
        for _ in range(120):
            words = [rng.choice(vocabulary) for _ in range(rng.randint(2, 4))]
            text = " ".join(words)
            if _check(ft, text, library.analyzer):
                ranked += 1
                found += ft.match_all(plan_query(text, ft, library.analyzer).strict, 1).total > 0
    assert ranked > 100 and found > 50


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PARTS + WORDS[:8]), min_size=2, max_size=4, unique=True))
def test_words_of_several_terms_add_up_as_in_whooshs_tree(
    library: Library,  # noqa: F811
    words: list[str],
) -> None:
    # Three words or more: Whoosh adds the clauses' scores in a tree that depends on each
    # segment's counts, and a word of several terms is an And of its own inside the Or.
    with library._live.reading() as stores:
        assert _check(stores.searcher(), " ".join(words), library.analyzer)


def test_fields_and_mixed_clauses_rank_as_whoosh(library: Library) -> None:  # noqa: F811
    queries = ["title:banjir kota", "banjir title:kota hujan", "author:x banjir", "20/5/2026 kota"]
    with library._live.reading() as stores:
        ft = stores.searcher()
        for text in queries:
            plan = plan_query(text, ft, library.analyzer)
            ours = ft.match_all(plan.strict, 10)
            if ours is not None:
                assert (ours.hits, ours.total) == _whoosh(ft, plan.strict, 10), text
        assert ft.match_all(plan_query("title:banjir kota", ft, library.analyzer).strict, 10)


def test_other_shapes_are_left_to_whoosh(library: Library) -> None:  # noqa: F811
    queries = ['"kota banjir" hujan', "kota NOT banjir", "kota OR banjir", "kota ban*", "banjir"]
    with library._live.reading() as stores:
        ft = stores.searcher()
        for text in queries:
            plan = plan_query(text, ft, library.analyzer)
            assert ft.match_all(plan.strict, 10) is None, text
        narrowed = ft.narrowed({"a001.txt"}, None, by_date=False)
        assert (
            narrowed.match_all(plan_query("kota banjir", ft, library.analyzer).strict, 10) is None
        )


def test_searches_give_what_whooshs_collector_gives(
    library: Library,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(17)
    texts = [" ".join(rng.sample(WORDS + PARTS, rng.randint(2, 4))) for _ in range(40)]
    texts += ["banjirr kota", "presidne rapat"]  # suggestions, counted the same way
    quick = [library.search(t, limit=10) for t in texts]
    monkeypatch.setattr(WhooshFullText, "match_all", lambda *a, **k: None)
    for text, res in zip(texts, quick, strict=True):
        slow = library.search(text, limit=10)
        assert [(h.id, h.score) for h in res.hits] == [(h.id, h.score) for h in slow.hits]
        assert (res.total, res.total_exact, res.note) == (slow.total, slow.total_exact, slow.note)
        assert (res.suggestion, res.suggestion_hits) == (slow.suggestion, slow.suggestion_hits)
