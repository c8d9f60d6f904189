"""Queries: parsing the query language, running it with BM25F, hits with highlights, and
"did you mean" suggestions."""

from __future__ import annotations

import re
from collections.abc import Callable

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
)
from whoosh.qparser.dateparse import DateParserPlugin

from index.analysis import Analyzer, Term, fold, split_words
from index.catalog import Catalog
from index.errors import QueryError
from index.highlight import QueryTerms, find_hits, make_snippet
from index.hits import Hit, SearchResults, list_all
from index.model import Article

FIELDS = ("title", "body", "outlet", "author", "lang", "date", "id")
ALIASES = {"lang": ["language"], "outlet": ["source", "site"], "body": ["text"]}
_KNOWN = set(FIELDS) | {a for names in ALIASES.values() for a in names}
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
MAX_EXPANSION = 200  # prefix / wildcard / fuzzy terms kept, most frequent first
MAX_LIMIT = 10_000


def _strip_quoted(text: str) -> str:
    return re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), text)


def check_syntax(text: str) -> None:
    """Errors Whoosh would silently guess around, reported instead."""
    if text.count('"') % 2:
        raise QueryError('invalid query: a quotation mark (") is not closed')
    bare = _strip_quoted(text)
    depth = 0
    for ch in bare:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("invalid query: a closing parenthesis has no opening one")
    if depth:
        raise QueryError("invalid query: a parenthesis is not closed")
    for m in _FIELD_PREFIX.finditer(bare):
        if m.group(1).lower() not in _KNOWN:
            raise QueryError(f'invalid query: unknown field "{m.group(1)}:" '
                             f"(fields: {', '.join(FIELDS)})")
        rest = text[m.end():]  # the value may be a quoted phrase: outlet:"kabar kita"
        if not rest or rest[0].isspace():
            raise QueryError(f'invalid query: "{m.group(1)}:" needs a value')
    words = bare.split()
    if words and words[-1] in _OPERATORS - {"TO"}:
        raise QueryError(f"invalid query: {words[-1]} needs something after it")
    if words and words[0] in {"AND", "OR"}:
        raise QueryError(f"invalid query: {words[0]} needs something before it")


def join_phrase_variants(text: str, analyzer: Analyzer) -> str:
    """Multi-word spellings ("kerja sama") become their one-word form outside quotes, since
    the parser would otherwise split them into separate words."""
    vocab = analyzer.vocabulary
    if not vocab.phrases:
        return text
    out: list[str] = []
    pos = 0
    for m in re.finditer(r'"[^"]*"|[^"]+', text):
        chunk = m.group()
        if chunk.startswith('"'):
            out.append(chunk)
            continue
        words = list(split_words(chunk))
        i = 0
        rebuilt: list[str] = []
        cursor = 0
        while i < len(words):
            for length in vocab.phrase_lengths:
                key = tuple(w.folded for w in words[i : i + length])
                if len(key) == length and key in vocab.phrases:
                    rebuilt.append(chunk[cursor : words[i].start])
                    rebuilt.append(vocab.phrases[key])
                    cursor = words[i + length - 1].end
                    i += length - 1
                    break
            i += 1
        rebuilt.append(chunk[cursor:])
        out.append("".join(rebuilt))
        pos = m.end()
    return "".join(out) + text[pos:]


_DATE_VALUE = re.compile(r"(?i)(\bdate:)(\[[^\]]*\]|\{[^}]*\}|\S+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def iso_dates_for_whoosh(text: str) -> str:
    """Whoosh reads 20231018 but not 2023-10-18; accept the ISO form people type."""

    def compact(m: re.Match[str]) -> str:
        return m.group(1) + "".join(f"{int(g):02d}" for g in m.groups()[1:] if g)

    return _DATE_VALUE.sub(lambda m: m.group(1) + _ISO_DATE.sub(compact, m.group(2)), text)


def parse_query(text: str, schema, analyzer: Analyzer) -> wq.Query:
    check_syntax(text)
    text = iso_dates_for_whoosh(text)
    errors: list[str] = []
    parser = MultifieldParser(["title", "body"], schema, group=AndGroup)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(DateParserPlugin(callback=lambda msg: errors.append(str(msg))))
    parser.add_plugin(FieldAliasPlugin(ALIASES))
    try:
        q = parser.parse(join_phrase_variants(text, analyzer))
    except Exception as exc:  # Whoosh raises assorted types for odd syntax
        raise QueryError(f"invalid query: {exc}") from None
    for sub in _walk(q):
        if getattr(sub, "error", None):
            errors.append(str(sub.error))
    if errors:
        raise QueryError(f'invalid query: cannot read "{errors[0]}" as a date')
    return q


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def rewrite(q: wq.Query, reader) -> wq.Query:
    """Prefix, wildcard and fuzzy terms on title/body match unstemmed surface words instead of
    stems, and expand to at most MAX_EXPANSION terms, most frequent first, so that a short
    prefix cannot stall a search."""

    def fix(node: wq.Query) -> wq.Query:
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) and node.fieldname in (
            "title", "body", "words"):
            return _expand(node, reader)
        return node

    return q.accept(fix)


def _expand(node: wq.Query, reader) -> wq.Query:
    text = fold(node.text)
    if isinstance(node, wq.FuzzyTerm):
        probe = wq.FuzzyTerm("words", text, maxdist=node.maxdist,
                             prefixlength=max(1, node.prefixlength))
    elif isinstance(node, wq.Prefix):
        probe = wq.Prefix("words", text)
    else:
        probe = wq.Wildcard("words", text)
    candidates = list(probe._btexts(reader))
    # A very short prefix ("ke*") matches thousands of words and nearly every article:
    # keep fewer of its words, so that it answers in a fraction of a second, not seconds.
    cap = MAX_EXPANSION if len(text.rstrip("*?")) > 3 else MAX_EXPANSION // 4
    if len(candidates) > cap:
        candidates.sort(key=lambda b: -reader.doc_frequency("words", b))
        candidates = candidates[:cap]
    terms = [wq.Term("words", b.decode("utf-8") if isinstance(b, bytes) else b)
             for b in candidates]
    if not terms:
        return wq.NullQuery
    expanded = wq.Or(terms, boost=node.boost)
    # Whoosh's default nests 200 binary union matchers, which crawls (`ke*` took 14 s on
    # 22k articles); an array matcher over the same terms takes well under a second.
    expanded.matcher_type = wq.Or.ARRAY_MATCHER
    return expanded


def query_terms(q: wq.Query) -> QueryTerms:
    """The terms a hit should be highlighted for: everything not under a NOT."""
    terms: set[str] = set()
    surface: set[str] = set()

    def visit(node: wq.Query) -> None:
        if isinstance(node, (wq.Not, wq.AndNot)):
            if isinstance(node, wq.AndNot):
                visit(node.a)
            return
        if isinstance(node, wq.Term):
            (surface if node.fieldname == "words" else terms).add(node.text) \
                if node.fieldname in ("title", "body", "words") else None
        elif isinstance(node, wq.Phrase) and node.fieldname in ("title", "body"):
            terms.update(node.words)
        for child in node.children():
            visit(child)

    visit(q)
    return QueryTerms(frozenset(terms), frozenset(surface))


def suggest(text: str, searcher, *, force: bool) -> str | None:
    """The query with each word the corpus does not know replaced by the closest word it
    does ("Erdgan" → "Erdogan"). Only words outside field prefixes and operators count.
    With `force`, words that are known but rare are also corrected when that helps."""
    reader = searcher.reader()
    corrector = searcher.corrector("words")
    changed = False
    pieces: list[str] = []
    cursor = 0
    ranges = [(r.start(), r.end()) for r in re.finditer(r"[\[{][^\]}]*[\]}]", text)]
    for m in re.finditer(r'(?<![\w:*~])([^\W\d_][^\W_]*)(?![\w:*~])', text):
        word = m.group(1)
        if word in _OPERATORS or _in_field_value(text, m.start()):
            continue
        if any(a <= m.start() < b for a, b in ranges):
            continue
        folded = fold(word)
        freq = reader.doc_frequency("words", folded)
        if freq and not force:
            continue
        # Edit distance 1 first: it is several times cheaper and usually enough.
        options = [o for o in corrector.suggest(folded, limit=5, maxdist=1) if o != folded]
        if not options:
            options = [o for o in corrector.suggest(folded, limit=5, maxdist=2)
                       if o != folded]
        if not options:
            continue
        best = max(options, key=lambda o: reader.doc_frequency("words", o))
        if freq and reader.doc_frequency("words", best) <= freq:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(_match_case(word, best))
        cursor = m.end()
        changed = True
    if not changed:
        return None
    pieces.append(text[cursor:])
    return "".join(pieces)


def _in_field_value(text: str, index: int) -> bool:
    i = index - 1
    while i >= 0 and not text[i].isspace():
        if text[i] == ":" and i > 0 and text[i - 1].isalnum():
            prefix = re.search(r"([A-Za-z_]\w*):$", text[: i + 1])
            return bool(prefix and prefix.group(1).lower() not in ("title", "body", "text"))
        i -= 1
    return False


def _match_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


TermsOf = Callable[[Article], list[Term]]


def run_search(text: str, searcher, catalog: Catalog, analyzer: Analyzer, limit: int = 10,
               terms_of: TermsOf | None = None) -> SearchResults:
    """Run a query on an open Whoosh searcher. An empty query lists every article, newest
    first. `terms_of` gives an article's analysed text (a caller may cache it)."""
    limit = max(1, min(limit, MAX_LIMIT))
    text = text.strip()
    if not text:
        return list_all(catalog, limit)
    q = parse_query(text, searcher.schema, analyzer)
    q = rewrite(q, searcher.reader())
    results = searcher.search(q, limit=limit)
    total = len(results)
    ranked = [(r["id"], r.score) for r in results]
    qterms = query_terms(q)
    suggestion = suggest(text, searcher, force=total == 0)
    hits = _hits(ranked, catalog, analyzer, qterms,
                 terms_of or (lambda article: analyzer.terms(article.text)))
    return SearchResults(text, total, hits, suggestion, qterms)


def _hits(ranked: list[tuple[str, float]], catalog: Catalog, analyzer: Analyzer,
          qterms: QueryTerms, terms_of: TermsOf) -> list[Hit]:
    hits: list[Hit] = []
    for article_id, score in ranked:
        article = catalog.article(article_id)
        if article is None:
            continue  # indexed but not yet in the catalog: an interrupted run; skip it
        spans = find_hits(article, qterms, analyzer, terms=terms_of(article))
        m = article.meta
        hits.append(Hit(article.id, article.path, m.title, article.display_title, m.outlet,
                        m.date, m.language, round(float(score), 4),
                        make_snippet(article, spans), tuple(spans)))
    return hits
