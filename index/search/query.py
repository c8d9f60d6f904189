"""The query language: checking and parsing what a user typed into a Whoosh query, and
rewriting prefix, wildcard and fuzzy terms so that none can stall a search."""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
)
from whoosh.qparser.dateparse import DateParserPlugin

from ..errors import QueryError
from ..text.analysis import Analyzer
from ..text.words import fold, split_words
from .highlight import QueryTerms

FIELDS = ("title", "body", "outlet", "author", "lang", "date", "id")
ALIASES = {"lang": ["language"], "outlet": ["source", "site"], "body": ["text"]}
_KNOWN = set(FIELDS) | {a for names in ALIASES.values() for a in names}
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
MAX_EXPANSION = 200  # prefix / wildcard / fuzzy terms kept, most frequent first


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
            raise QueryError(
                f'invalid query: unknown field "{m.group(1)}:" (fields: {", ".join(FIELDS)})'
            )
        rest = text[m.end() :]  # the value may be a quoted phrase: outlet:"kabar kita"
        if not rest or rest[0].isspace():
            raise QueryError(f'invalid query: "{m.group(1)}:" needs a value')
    words = bare.split()
    if words and words[-1] in OPERATORS - {"TO"}:
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
            "title",
            "body",
            "words",
        ):
            return _expand(node, reader)
        return node

    return q.accept(fix)


def _expand(node: wq.Query, reader) -> wq.Query:
    text = fold(node.text)
    if isinstance(node, wq.FuzzyTerm):
        probe = wq.FuzzyTerm(
            "words", text, maxdist=node.maxdist, prefixlength=max(1, node.prefixlength)
        )
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
    terms = [wq.Term("words", b.decode("utf-8") if isinstance(b, bytes) else b) for b in candidates]
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
            (surface if node.fieldname == "words" else terms).add(node.text) if node.fieldname in (
                "title",
                "body",
                "words",
            ) else None
        elif isinstance(node, wq.Phrase) and node.fieldname in ("title", "body"):
            terms.update(node.words)
        for child in node.children():
            visit(child)

    visit(q)
    return QueryTerms(frozenset(terms), frozenset(surface))
