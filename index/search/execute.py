"""Running a query: BM25 ranking on an open full-text index (see engine.py), then hits with
highlights and snippets, and a suggestion when a word looks misspelt.

A query of plain words asks for articles with every word first; when none has them all, it
falls back to the best partial matches (most words, rarest words, in the title first) and
says so in `SearchResults.note`, because a pasted headline or sentence rarely has every word
in the article it came from. From LONG_QUERY words on, a query is always ranked by best
match."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from datetime import datetime
from itertools import combinations
from math import log1p
from typing import TYPE_CHECKING

from whoosh import query as wq

from ..errors import QueryError
from ..model import Article
from ..text.analysis import Analyzer, Term
from .engine import Found, FullText
from .highlight import QueryTerms, find_hits, make_snippet, title_hits
from .query import LONG_QUERY, clause_frequency, plan_query, query_terms, with_forms
from .results import ArticleSource, Hit, SearchResults
from .schema import naive_date
from .spelling import Speller
from .suggest import suggest

MAX_LIMIT = 10_000

if TYPE_CHECKING:
    from whoosh.query import Query

    from .query import Plan

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
    by_date: bool = False,
    relevance: FullText | None = None,
    sentence: Callable[[str], dict[str, float]] | None = None,
) -> SearchResults:
    """Run a (non-empty) query on an open full-text index. `terms_of` gives an article's
    analysed text (a caller may cache it); `speller` the index's spelling dictionary, for
    suggestions; `by_date`: the index sorts newest first, and `relevance` is the same index
    ranking by relevance, for a query no article has every word of (see `_newest_first`);
    `sentence`: the articles holding a long query's word sequences, each with the share of
    them it holds (see `_sentence_first`)."""
    limit = max(1, min(limit, MAX_LIMIT))
    text = text.strip()
    plan = plan_query(text, fulltext, analyzer, speller)
    long_query = plan.partial is not None and plan.words >= LONG_QUERY
    held = sentence(text) if long_query and not by_date and sentence is not None else {}
    # Ranked from more of the best matches when some article holds the sentence's wording.
    pool = max(limit, SENTENCE_POOL) if held else limit
    # A long query of plain words may be ranked and counted in one pass (Whoosh: its
    # words' postings read once, instead of a search with every word required and another
    # with any); the hits and counts are those of the two searches.
    quick = alone = None
    if long_query and plan.ranked:
        quick = fulltext.best_match(plan.ranked, plan.unranked, pool)
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
        strict = strict_search(fulltext, plan.strict, 1 if long_query and not by_date else limit)
    total = strict.total
    if by_date and not total and plan.partial is not None and relevance is not None:
        return _newest_first(
            run_search(
                text, relevance, catalog, analyzer, limit, terms_of, speller, sentence=sentence
            )
        )
    ranked = strict.hits
    note = None
    partial = False
    total_exact = not plan.cut
    # A long query is ranked by best match even when some articles have every word (the
    # article a sentence was written from may lack one of its words), except newest first:
    # the articles with every word are the ones asked for then.
    if plan.partial is not None and (not total or (long_query and not by_date)):
        if quick is None:
            found = None if by_date else _most_words(fulltext, plan, limit)
            best = found if found is not None else fulltext.search(plan.partial, limit=pool)
        ranked = best.hits
        if long_query and plan.words <= ALL_WORDS_UP_TO and strict.total:
            every = strict_search(fulltext, plan.strict, max(limit, SENTENCE_POOL))
            ranked = _all_words_up(ranked, every.hits)
        ranked = _sentence_first(ranked, held)[:limit] if held else ranked[:limit]
        # Partial when some article the ranking looked at lacks a word: the first page may
        # hold one (with --limit 5, five such hits read "5 results", not partial).
        if len(ranked) > total or (long_query and best.total > total):
            partial = True
            total_exact = best.exact and not plan.cut
            total = max(total, best.total)
            n = strict.total
            words = "both words" if plan.words == 2 else f"all {plan.words} words"
            note = (
                f"no article has {words}; showing the best matches"
                if not n
                else f"{n} article{'s' if n != 1 else ''} {'has' if n == 1 else 'have'} "
                f"{words}; showing the best matches"
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
    terms_of = terms_of or (lambda article: analyzer.terms(article.text))
    hits = _hits(ranked, catalog, analyzer, qterms, terms_of)
    if by_date:
        hits = in_date_order(hits)
        if not partial and len(hits) == limit and relevance is not None:
            hits = _last_date_best_first(
                hits, plan.strict, relevance, catalog, analyzer, qterms, terms_of
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


# A pasted sentence (a long query) ranks the articles that hold its wording (its consecutive
# words, as the shingle index files them) above those that only share its words: the best
# matches by BM25 alone put an article with the words in its title first (a QA pass: 42 of 58
# pasted sentences found their article first with tantivy, 50 with Whoosh). Each of the best
# SENTENCE_POOL matches that holds most of the sentence's 3-grams (store/searching.py's
# SENTENCE_SHARE) has its score raised by SENTENCE_BOOST times that share (the sentence
# itself: three times the score).
SENTENCE_POOL = 200  # 50 left tantivy's BM25 (its article 70th for one sentence) short: 97 of 100
SENTENCE_BOOST = 2.0


# A query of five to seven words is more often a topic ("korupsi kepala daerah di jawa
# barat") than a sentence: the articles with every word have their score raised by half.
# BM25 summed put the one article with all five words of that query 5th with Whoosh and
# 29th with tantivy, below articles with "kepala daerah" all through them. Measured on 499
# queries of 5-7 content words of a person's summary (detik dev set), MRR@10 0.783 -> 0.797
# (a factor of 2: 0.793). Longer queries are sentences, whose article may lack a word.
ALL_WORDS_UP_TO = 7
ALL_WORDS_BOOST = 0.5


def _all_words_up(
    ranked: list[tuple[str, float]], every: list[tuple[str, float]]
) -> list[tuple[str, float]]:
    """The best matches and the articles with every word (which may rank below the first
    page by BM25), those with every word scored up."""
    scores = dict(ranked)
    for doc, score in every:
        scores[doc] = scores.get(doc, score) * (1 + ALL_WORDS_BOOST)
    return sorted(scores.items(), key=lambda hit: -hit[1])


def _sentence_first(
    ranked: list[tuple[str, float]], held: dict[str, float]
) -> list[tuple[str, float]]:
    boosted = [(doc, score * (1 + SENTENCE_BOOST * held.get(doc, 0.0))) for doc, score in ranked]
    return sorted(boosted, key=lambda hit: -hit[1])


def _newest_first(found: SearchResults) -> SearchResults:
    """A query no article has every word of, newest first: its best matches, as ranked by
    relevance, put in date order (undated last). Every article with any of its words, newest
    first, put those with one common word ahead of the ones asked for."""
    if not found.partial:
        return found
    note = f"{found.note}, newest first" if found.note else found.note
    return dataclasses.replace(found, hits=in_date_order(found.hits), note=note)


def _last_date_best_first(
    hits: list[Hit],
    q: wq.Query,
    relevance: FullText,
    catalog: ArticleSource,
    analyzer: Analyzer,
    qterms: QueryTerms,
    terms_of: TermsOf,
) -> list[Hit]:
    """A full page of results newest first, its last date's articles the best of that date
    rather than the first indexed: with dates by the day, `--limit 1` listed the first
    article of the newest day, `--limit 20` another first. Every article newer than the
    page's last date is in the page already (the engine sorted by date); those of the last
    date are taken again, best first."""
    when = _date(hits[-1])
    if when is None:
        return hits  # undated, last: in the order indexed
    newer = [h for h in hits if (d := _date(h)) is not None and d > when]
    # Exact (optimize=False): Whoosh's block skipping missed the best of one date here.
    same = relevance.search(
        wq.And([q, wq.DateRange("date", when, when)]),
        limit=len(hits) - len(newer),
        optimize=False,
    )
    # The date's clause scores 1 in either engine (a constant score): taken off again.
    scored = [(doc, score - 1.0) for doc, score in same.hits]
    best = _hits(scored, catalog, analyzer, qterms, terms_of)
    return in_date_order(newer + best)


def in_date_order(hits: list[Hit]) -> list[Hit]:
    """Newest first (undated last); of one date, the best match first, then by id. The
    engines' own date order leaves articles of one date in an order of their own (Whoosh
    the last indexed first, tantivy the first): with dates given by the day, a page of
    results came out in two orders."""
    by_id = sorted(hits, key=lambda h: h.id)
    by_score = sorted(by_id, key=lambda h: -h.score)
    undated = datetime.min
    return sorted(by_score, key=lambda h: _date(h) or undated, reverse=True)


def _date(hit: Hit) -> datetime | None:
    """A hit's date as the index sorts it."""
    return naive_date(hit.date) if hit.date else None


MOST_WORDS_UP_TO = 4  # plain words a query with none of its articles having all is ranked so


def _most_words(fulltext: FullText, plan: Plan, limit: int) -> Found | None:
    """The best partial matches of a short query of plain words no article has all of:
    the articles with the most of its words first, of those the ones with the rarest words
    ("harga beras": the few articles about rice before the many about prices, where BM25
    summed ranked an article with "harga" in its title and all through its text first),
    each group by its score; and how many articles have any word, counted exactly (by
    inclusion and exclusion over the groups' counts). None for other queries."""
    if not plan.ranked or plan.unranked or not isinstance(plan.strict, wq.And):
        return None
    words = list(plan.strict.children())
    if not 2 <= len(words) <= MOST_WORDS_UP_TO:
        return None
    rarity = [-log1p(clause_frequency(w, fulltext)) for w in words]
    groups = [
        subset
        for size in range(len(words) - 1, 0, -1)
        for subset in sorted(
            combinations(range(len(words)), size), key=lambda s: -sum(rarity[k] for k in s)
        )
    ]
    hits: list[tuple[str, float]] = []
    seen: set[str] = set()
    counts: dict[tuple[int, ...], int] = {}
    for subset in groups:
        q = words[subset[0]] if len(subset) == 1 else wq.And([words[k] for k in subset])
        want = limit - len(hits)
        found = strict_search(fulltext, q, want + len(seen) if want > 0 else 1)
        counts[subset] = found.total
        for doc, score in found.hits:
            if len(hits) < limit and doc not in seen:
                seen.add(doc)
                hits.append((doc, score))
    total = sum((-1) ** (len(s) + 1) * n for s, n in counts.items())
    return Found(hits, total, True)


def _only_stop_words(text: str, analyzer: Analyzer) -> str | None:
    """Why a query of nothing but stop words ("dan yang di") finds nothing: they are too
    common to be indexed; or of no word at all ("(", "!!!")."""
    terms = analyzer.terms(text)
    if not terms and not any(c.isalnum() for c in text):
        return "no words to search for: type a word, a name or a number"
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
                m.url,
                title_hits(article, qterms, analyzer),
            )
        )
    return hits
