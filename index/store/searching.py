"""A search on the live stores, as the library runs it: the reader's marks (`is:unread`)
and facet filters narrow it, a query without words lists every article, newest first, and
the words go to the full-text engine."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable

from ..controls import printable
from ..model import Article
from ..search.address import key_of, pasted_address
from ..search.narrow import NarrowedSource
from ..search.results import SearchResults, list_all
from ..text.analysis import Analyzer, Term, add_stems, stems_from_forms
from ..text.tokens import text_grams
from .catalog import Catalog
from .facets import FacetFilter
from .stores import ReadStores
from .userstate import UserState, split_state_terms


def search_stores(
    stores: ReadStores,
    text: str,
    analyzer: Analyzer,
    *,
    limit: int,
    sort: str,
    facets: FacetFilter | None,
    user_state: Callable[[], UserState],
    terms_of: Callable[[Article], list[Term]],
) -> SearchResults:
    """Call inside `stores.catalog.snapshot()`; `user_state` is only asked for when the
    query names a mark."""
    text = printable(text)  # as the indexed text is: a control character never reaches out
    rest, wanted = split_state_terms(text)
    include, exclude = wanted.allowed(user_state()) if wanted else (None, set())
    if facets:
        allowed = facets.ids(stores.catalog)
        include = allowed if include is None else include & allowed
    narrowed = bool(wanted or facets)
    if not rest.strip():
        source = stores.catalog
        if narrowed:
            source = NarrowedSource(source, include, exclude)
        return dataclasses.replace(list_all(source, max(1, limit)), query=text.strip())
    from ..search.execute import run_search  # the engine loads with the first real query

    # No stems cache for a query: its words' stems are looked up in the catalog's written
    # forms (one select), and only the words it has never seen wait for the dictionary
    # stemmer, whose construction alone costs a process more than the lookup.
    learn_query_stems(stores.catalog, analyzer, rest)
    searcher = relevance = stores.searcher()
    if narrowed:
        relevance = searcher.narrowed(include, exclude, by_date=False)
    if narrowed or sort == "date":
        searcher = searcher.narrowed(include, exclude, by_date=sort == "date")
    address = pasted_address(rest)
    found = run_search(
        rest if address is None else address.query,
        searcher,
        stores.catalog,
        analyzer,
        limit,
        terms_of,
        stores.speller(),
        by_date=sort == "date",
        relevance=relevance,
        sentence=lambda words: sentence_held(stores.catalog, analyzer, words),
    )
    if address is not None:
        found = _published_there_first(found, address.key, rest)
    if not found.total and found.note is None and found.suggestion is None:
        hint = outlet_hint(rest, stores.catalog.outlets)
        if hint is None and facets and facets.outlets:
            hint = _outlet_named(facets.outlets, stores.catalog.outlets())
        if hint is not None:
            found = dataclasses.replace(found, note=hint)
    if not wanted:
        return found
    suggestion = f"{found.suggestion} {wanted.terms()}" if found.suggestion else None
    return dataclasses.replace(found, query=text.strip(), suggestion=suggestion)


def _published_there_first(found: SearchResults, key: str, text: str) -> SearchResults:
    """The results of a pasted address's words, the article published at that address
    first, under the address as typed."""
    there = [h for h in found.hits if h.url and key_of(h.url) == key]
    if not there:
        return dataclasses.replace(found, query=text.strip(), suggestion=None)
    hits = there + [h for h in found.hits if h not in there]
    note = "the article published at this address first, then those sharing its words"
    return dataclasses.replace(found, hits=hits, query=text.strip(), suggestion=None, note=note)


# A sentence's 3-grams held by more articles than this say little about which one it came
# from, and cost the most to look up.
COMMON_GRAM = 1000
# The share of a sentence's 3-grams an article must hold to count. At 0.5, a person's summary
# sharing half of its 3-grams with another article on the subject moved 5 of 500 known-item
# queries by a place (MRR@10 0.8882 -> 0.8867); from 0.6 none, pasted sentences as before.
SENTENCE_SHARE = 0.7


def sentence_held(catalog: Catalog, analyzer: Analyzer, text: str) -> dict[str, float]:
    """The articles that hold a pasted sentence's wording: each with the share of the
    sentence's 3-grams (three consecutive content words, not all names or figures, as the
    shingle index files them) it holds, when at least SENTENCE_SHARE."""
    grams = text_grams(analyzer.terms(text))
    if len(grams) < 2:
        return {}
    seen: dict[int, set[int]] = {}
    for h, doc, _ in catalog.postings(grams, most=lambda _: COMMON_GRAM):
        seen.setdefault(doc, set()).add(h)
    out = {}
    for doc, held in seen.items():
        share = len(held) / len(grams)
        if share >= SENTENCE_SHARE and (article_id := catalog.id_of(doc)) is not None:
            out[article_id] = share
    return out


_OUTLET_ASKED = re.compile(r'(?<![\w:])(?:outlet|source|site):(?:"([^"]*)"|(\S+))', re.I)


def outlet_hint(query: str, list_outlets: Callable[[], list[str]]) -> str | None:
    """Why an outlet query found nothing, when no outlet has that name: the outlets that
    come closest, or the most common ("outlet:kompas.com", where the outlet is "kompas").
    The outlets are listed only for a query that names one."""
    m = _OUTLET_ASKED.search(query)
    if m is None:
        return None
    asked = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
    return _outlet_named((asked,), list_outlets())


def _outlet_named(asked: tuple[str, ...], outlets: list[str]) -> str | None:
    """Why a search kept to the outlets `asked` (none of them the name of an outlet, in
    any case) found nothing, naming the closest ones; None when one is an outlet's name."""
    if not outlets:
        return None
    folded = {o.casefold(): o for o in outlets}
    if any(a.casefold() in folded for a in asked):
        return None
    first = asked[0]
    close = difflib.get_close_matches(first.casefold(), list(folded), n=3, cutoff=0.5)
    near = [folded[c] for c in close] or outlets[:3]
    more = " …" if len(outlets) > len(near) else ""
    return f'no outlet is named "{first}"; outlets: {", ".join(near)}{more}'


def learn_query_stems(catalog: Catalog, analyzer: Analyzer, text: str) -> None:
    """Stems for the words of `text` from the index's written forms (see `stems_from_forms`),
    remembered as if the stemmer had worked them out."""
    words = analyzer.words_to_stem(text)
    if not words:
        return
    acronyms = set(analyzer.vocabulary.acronyms.values())
    add_stems(stems_from_forms(words, catalog.terms_written_as(words), acronyms).items())
