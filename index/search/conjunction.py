"""A query of a few words that must all be there, ranked and counted in one pass over its
words' postings, on Whoosh (see bestmatch.py for a long query's best match).

A query of two to four plain words asks first for the articles with every word: an And of
one clause per word, each the Or of its title and body terms (and of its form as written on
the exact fields, see query.EXACT_FORM_BOOST). Whoosh runs it through its collector, a
matcher per clause and segment and a Python call per posting to score it: for two words,
more time than the rest of the search together. Here each term's postings are read a block
at a time and scored as bestmatch.py scores them (Whoosh's BM25F, to the last bit), the
articles with every word are those of the intersection, and the scores are added as
Whoosh's matchers add them: a clause's terms in the order of its array union (two in either
order: a + b = b + a), the clauses in the weighted tree Whoosh's And builds in each segment
(`bestmatch._sum_order`, from each clause's `estimate_size` there). The hits, ties and count
are Whoosh's.

Used only for those shapes: an And whose clauses are terms, Ors of two terms or an array
union of more (a word with its form as written), or Ands of terms (a word the analyzer
splits: "20/5/2026"), BM25F, no filter or date order; anything else (phrases, prefixes, NOT,
other Ors) is left to Whoosh."""

from __future__ import annotations

import heapq
from bisect import bisect_right
from typing import Any

from whoosh import query as wq

from .bestmatch import Postings, _add, _intersection, _scored, _sum_order, _terms, usable

Scores = dict[int, float]  # document number -> score


def _leaf(node: wq.Query) -> bool:
    """A term, or an And of terms (scored by `bestmatch._intersection`)."""
    if type(node) is wq.Term:
        return True
    return (
        type(node) is wq.And
        and len(node.subqueries) >= 2
        and all(type(t) is wq.Term for t in node.subqueries)
    )


def _clause(node: wq.Query) -> bool:
    """A leaf, or an Or of two leaves (Whoosh adds a two-way union's scores as a + b, a
    union matcher or an array union alike, and float addition is commutative), or of more
    in an array union (a word with its form as written), which adds them in their order."""
    if _leaf(node):
        return True
    return (
        type(node) is wq.Or
        and node.boost == 1.0
        and not node.scale
        and not node.minmatch
        and (len(node.subqueries) == 2 or node.matcher_type == wq.Or.ARRAY_MATCHER)
        and all(_leaf(s) for s in node.subqueries)
    )


def clauses(q: Any) -> list[wq.Query] | None:
    """The clauses of `q` when it is an And this module ranks (see the module's
    docstring), else None."""
    if type(q) is not wq.And or q.boost != 1.0 or len(q.subqueries) < 2:
        return None
    subs = list(q.subqueries)
    return subs if all(_clause(s) for s in subs) else None


def usable_for(searcher: Any, parts: list[wq.Query]) -> bool:
    """True when every term can be scored here exactly as Whoosh scores it."""
    leaves = [leaf for c in parts for leaf in (c.subqueries if type(c) is wq.Or else [c])]
    return usable(searcher, [leaves])


def _leaf_scores(postings: Postings, leaf: wq.Query) -> Scores:
    if type(leaf) is wq.Term:
        return dict(zip(*_scored(postings, leaf), strict=True))
    terms = _terms(leaf)
    assert terms is not None  # see _leaf()
    return dict(zip(*_intersection(postings, terms, leaf.boost), strict=True))


def _clause_scores(postings: Postings, clause: wq.Query) -> Scores:
    if type(clause) is not wq.Or:
        return _leaf_scores(postings, clause)
    if len(clause.subqueries) > 2:
        # An array union: each article's scores added in the order of the terms.
        out: Scores = {}
        for sub in clause.subqueries:
            get = out.get
            for d, x in _leaf_scores(postings, sub).items():
                out[d] = get(d, 0.0) + x
        return out
    a, b = (_leaf_scores(postings, s) for s in clause.subqueries)
    if len(a) < len(b):
        a, b = b, a
    out = dict(a)
    get = a.get
    for d, x in b.items():
        y = get(d)
        out[d] = x if y is None else y + x
    return out


def every_word(
    postings: Postings, parts: list[wq.Query], limit: int
) -> tuple[list[tuple[int, float]], int]:
    """The first `limit` (document number, score) of the And of `parts` (see `clauses`),
    best first (of equal scores the lower document number first, as Whoosh's collector
    keeps them), and how many documents have every clause."""
    scored = [_clause_scores(postings, c) for c in parts]
    first, *rest = sorted(scored, key=len)
    docs = sorted(d for d in first if all(d in other for other in rest))
    if not docs:
        return [], 0
    if len(parts) == 2:
        a, b = scored
        top = heapq.nsmallest(limit, ((-(a[d] + b[d]), d) for d in docs))
        return [(d, -x) for x, d in top], len(docs)
    # Three words or more: added in the order of each segment's tree.
    searcher = postings.searcher
    leaves = searcher.leaf_searchers()
    starts = [offset for _, offset in leaves]
    trees: dict[int, Any] = {}
    ranked = []
    for d in docs:
        k = bisect_right(starts, d) - 1
        tree = trees.get(k)
        if tree is None:
            reader = leaves[k][0].reader()
            tree = trees[k] = _sum_order([c.estimate_size(reader) for c in parts])
        ranked.append((-_add(tree, [s[d] for s in scored]), d))
    top = heapq.nsmallest(limit, ranked)
    return [(d, -x) for x, d in top], len(docs)
