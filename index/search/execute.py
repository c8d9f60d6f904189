"""Running a query: BM25 ranking on an open full-text index (see engine.py), then hits with
highlights and snippets, and a suggestion when a word looks misspelt.

A query of plain words asks for articles with every word first; when none has them all, it
falls back to the best partial matches (most words, rarest words, in the title first) and
says so in `SearchResults.note`, because a pasted headline or sentence rarely has every word
in the article it came from. From LONG_QUERY words on, a query is always ranked by best
match."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import QueryError
from ..model import Article
from ..text.analysis import Analyzer, Term
from .engine import Found, FullText
from .highlight import QueryTerms, find_hits, make_snippet
from .query import LONG_QUERY, plan_query, query_terms, with_forms
from .results import ArticleSource, Hit, SearchResults
from .spelling import Speller
from .suggest import suggest

MAX_LIMIT = 10_000
# LONG_QUERY: from this many plain words on, a query is ranked by best match (a pasted
# sentence); a shorter one asks for every word, and only when no article has them all shows
# the best partial matches. Chosen on the known-item dev queries: 3 to 8 rank alike, 12 is
# worse.

if TYPE_CHECKING:
    from whoosh.query import Query

TermsOf = Callable[[Article], list[Term]]


def count_strict(text: str, fulltext: FullText, analyzer: Analyzer) -> int:
    """How many articles have every word of `text` (0 for a query that cannot be read)."""
    try:
        plan = plan_query(text, fulltext, analyzer)
    except QueryError:
        return 0
    return strict_search(fulltext, plan.strict, 1).total


def strict_search(fulltext: FullText, q: Query, limit: int) -> Found:
    """The hits of `q` as written and their exact count: an AND of a few plain words in
    one pass over their postings where the engine has one (`FullText.match_all`)."""
    found = fulltext.match_all(q, limit)
    return found if found is not None else fulltext.search(q, limit=limit, optimize=False)


def run_search(
    text: str,
    fulltext: FullText,
    catalog: ArticleSource,
    analyzer: Analyzer,
    limit: int = 10,
    terms_of: TermsOf | None = None,
    speller: Speller | None = None,
) -> SearchResults:
    """Run a (non-empty) query on an open full-text index. `terms_of` gives an article's
    analysed text (a caller may cache it); `speller` the index's spelling dictionary, for
    suggestions."""
    limit = max(1, min(limit, MAX_LIMIT))
    text = text.strip()
    plan = plan_query(text, fulltext, analyzer, speller)
    long_query = plan.partial is not None and plan.words >= LONG_QUERY
    # A long query of plain words may be ranked and counted in one pass (Whoosh: its
    # words' postings read once, instead of a search with every word required and another
    # with any); the hits and counts are those of the two searches.
    quick = alone = None
    if long_query and plan.ranked:
        quick = fulltext.best_match(plan.ranked, plan.unranked, limit)
    elif plan.alone:
        # One word, prefix or fuzzy term: ranked and counted the same way.
        one = fulltext.best_match((plan.alone,), (), limit)
        alone = one[0] if one is not None else None
    if quick is not None:
        best, every = quick
        strict = Found([], every)
    elif alone is not None:
        strict = alone
    else:
        # A long query shows its best matches whatever this finds: only its count is used.
        strict = strict_search(fulltext, plan.strict, 1 if long_query else limit)
    total = strict.total
    ranked = strict.hits
    note = None
    partial = False
    total_exact = not plan.cut
    if plan.partial is not None and (not total or long_query):
        # A long query is ranked by best match even when some articles have every word:
        # the article a sentence was written from may lack one of its words.
        if quick is None:
            best = fulltext.search(plan.partial, limit=limit)
        ranked = best.hits
        if len(ranked) > total:
            partial = True
            total_exact = best.exact and not plan.cut
            total = max(total, best.total)
            k = plan.words
            n = strict.total
            note = (
                f"no article has all {k} words; showing the best matches"
                if not n
                else f"{n} article{'s' if n != 1 else ''} {'has' if n == 1 else 'have'} "
                f"all {k} words; showing the best matches"
            )
    qterms = with_forms(query_terms(plan.strict), catalog.forms_of)
    suggestion = suggestion_hits = None
    # A sentence ranked by best match loses little to one misspelt word, and a corrected
    # sentence would rarely have every word either: no suggestion is looked for then.
    if speller is not None and not (long_query and ranked):
        try:
            suggestion = suggest(text, fulltext, speller)
        except sqlite3.Error:
            # A damaged dictionary costs the suggestion, not the search (`index --check`
            # reports it, and the next `newsreader index` makes it again).
            suggestion = None
        if suggestion is not None:
            suggestion_hits = count_strict(suggestion, fulltext, analyzer)
            if suggestion_hits <= strict.total:
                suggestion = suggestion_hits = None
    if not total and note is None and suggestion is None:
        note = _only_stop_words(text, analyzer)
    hits = _hits(
        ranked,
        catalog,
        analyzer,
        qterms,
        terms_of or (lambda article: analyzer.terms(article.text)),
    )
    return SearchResults(
        text,
        total,
        hits,
        suggestion,
        qterms,
        suggestion_hits=suggestion_hits,
        note=note,
        partial=partial,
        total_exact=total_exact,
    )


def _only_stop_words(text: str, analyzer: Analyzer) -> str | None:
    """Why a query of nothing but stop words ("dan yang di") finds nothing: they are too
    common to be indexed."""
    terms = analyzer.terms(text)
    if not terms or not all(t.stop for t in terms):
        return None
    words = ", ".join(dict.fromkeys(t.surface.lower() for t in terms))
    return f"only stop words ({words}), which are too common to search: add another word"


def _hits(
    ranked: list[tuple[str, float]],
    catalog: ArticleSource,
    analyzer: Analyzer,
    qterms: QueryTerms,
    terms_of: TermsOf,
) -> list[Hit]:
    hits: list[Hit] = []
    for article_id, score in ranked:
        article = catalog.article(article_id)
        if article is None:
            continue  # indexed but not yet in the catalog: an interrupted run; skip it
        # With the terms' written forms known, hits are found without analysing the text.
        terms = None if qterms.forms is not None else terms_of(article)
        spans = find_hits(article, qterms, analyzer, terms=terms)
        m = article.meta
        hits.append(
            Hit(
                article.id,
                article.path,
                m.title,
                article.display_title,
                m.outlet,
                m.date,
                m.language,
                round(float(score), 4),
                make_snippet(article, spans),
                tuple(spans),
            )
        )
    return hits
