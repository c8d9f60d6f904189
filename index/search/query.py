"""The query language: checking and parsing what a user typed into a Whoosh query,
rewriting prefix, wildcard and fuzzy terms so that none can stall a search, and planning how
it runs.

A query of plain words asks for articles with every word first; when too few have them
all, it falls back to the best partial matches (most words, rarest words, in the title
first), because a pasted headline or sentence rarely has every word in the article it came
from (see `plan_query`, and `execute.run_search` for when each part runs)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.qparser import (
    AndGroup,
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldPlugin,
    PhrasePlugin,
    QueryParser,
    SingleQuotePlugin,
)

from ..errors import QueryError
from ..text.analysis import Analyzer
from ..text.vocabulary import Vocabulary
from ..text.words import CURRENCIES, UNITS, fold, split_words
from .engine import WORD_FIELDS, FullText
from .highlight import QueryTerms
from .prefixes import most_frequent
from .schema import EXACT_FIELDS
from .spelling import MAX_DISTANCE, Speller, spellable

FIELDS = ("title", "body", "outlet", "author", "lang", "date", "id")
ALIASES = {"lang": ["language"], "outlet": ["source", "site"], "body": ["text"]}
_KNOWN = set(FIELDS) | {a for names in ALIASES.values() for a in names}
_FIELD_PREFIX = re.compile(r"(?<![\w:])([A-Za-z_]\w*):")
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
MAX_EXPANSION = 200  # prefix / wildcard / fuzzy terms kept, most frequent first
MIN_PREFIX = 3  # letters a prefix or wildcard must begin with (issue 11)
MAX_PREFIX_POSTINGS = 25_000  # postings of a prefix's words kept, per field (see _expand)
# Bounds that keep one query from taking the process down: Whoosh parses and matches
# recursively, so deep nesting ends in a RecursionError, and every word costs a matcher.
MAX_QUERY_CHARS = 1_000
MAX_DEPTH = 20
MAX_PHRASE_SPELLINGS = 8
# A query of this many words or more, without operators, with a quotation mark left open is
# a passage pasted from an article ('…mungkin Oktober lah," ujar Jokowi.'): searched as its
# words, not refused.
PASTED_WORDS = 5
# From this many plain words on, a query is ranked by best match (a pasted sentence); a
# shorter one asks for every word, and only when no article has them all shows the best
# partial matches (see execute.run_search). Chosen on the known-item dev queries: 3 to 8
# rank alike, 12 is worse.
LONG_QUERY = 5
# Each plain word of a query shorter than LONG_QUERY also asks, optionally and at this
# weight, for its form as written, so that articles with "pelaku" (perpetrator, stem laku)
# come before those with only "lakukan" (do it), which shares the stem and is far more
# common; the count is unchanged (every article with the form has its stem). Chosen on
# benchmarks/bench_short_queries.py (MRR@10 0.922 without, 0.929 at 0.5, 0.930 at 1, 0.927
# at 2); a pasted sentence ranked with its forms did worse on the known-item dev queries.
EXACT_FORM_BOOST = 1.0


def _strip_quoted(text: str) -> str:
    """`text` with each quoted phrase's inside blanked out, the same length: its words are
    no syntax, but the phrase is still something an operator can stand next to."""
    return re.sub(r'"[^"]*"', lambda m: '"' + "x" * (len(m.group()) - 2) + '"', text)


_BINARY = {"AND", "OR", "ANDNOT", "ANDMAYBE"}
_TOKENS = re.compile(r"[()]|[^\s()]+")


def _check_operators(bare: str) -> None:
    """An operator needs a word, phrase or group on each side it joins: Whoosh would drop
    one of two in a row, or crash on `NOT NOT`."""
    tokens = _TOKENS.findall(bare)
    for i, tok in enumerate(tokens):
        if tok not in _BINARY and tok != "NOT":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if after in _BINARY or (after == "NOT" and tok == "NOT"):
            raise QueryError(f'invalid query: "{tok} {after}": two operators in a row')
        if tok in _BINARY and (before is None or before == "("):
            raise QueryError(f"invalid query: {tok} needs something before it")
        if after is None or after == ")":
            raise QueryError(f"invalid query: {tok} needs something after it")


def check_syntax(text: str) -> None:
    """Errors Whoosh would silently guess around (or crash on), reported instead."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"invalid query: too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})"
        )
    if text.count('"') % 2 and not _pasted(text):
        raise QueryError('invalid query: a quotation mark (") is not closed')
    bare = _strip_quoted(text)
    depth = 0
    # Without operators, parentheses group nothing and are dropped (_plain_text): a
    # sentence pasted from inside a parenthesis is searched, not refused.
    for ch in bare if has_operators(text) else ():
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise QueryError("invalid query: a closing parenthesis has no opening one")
        if depth > MAX_DEPTH:
            raise QueryError(f"invalid query: parentheses nested more than {MAX_DEPTH} deep")
    if depth:
        raise QueryError("invalid query: a parenthesis is not closed")
    for m in _FIELD_PREFIX.finditer(bare):
        rest = text[m.end() :]  # the value may be a quoted phrase: outlet:"kabar kita"
        if m.group(1).lower() not in _KNOWN:
            if _punctuation_colon(m.group(1), rest):
                # "Prabowo: ..." in a pasted headline, or a pasted address's "https:":
                # punctuation, not a field
                continue
            if m.group(1).lower() == "is":  # the known ones are taken out before this
                raise QueryError(
                    f'invalid query: "is:{rest.split()[0]}" is not a mark'
                    " (is:read, is:unread, is:bookmarked)"
                )
            raise QueryError(
                f'invalid query: unknown field "{m.group(1)}:" (fields: {", ".join(FIELDS)})'
            )
        value = rest.lstrip("<>=")
        if not value or value[0].isspace() or value[0] == ")":
            raise QueryError(
                f'invalid query: "{m.group(1)}:{rest[: len(rest) - len(value)]}" needs a value'
            )
    _check_operators(bare)


# A minus or plus sign written against a word or a quoted phrase, after a space or at the
# start: "KPK -Jokowi" (not a figure: "suhu -5 derajat").
_SIGNED = re.compile(r'(?<!\S)([-+])(?=[^\W\d_]|")')


def plus_signs(text: str) -> bool:
    """Whether the query requires a word with a plus sign (`putin +xi`): then its words
    are all required, with no best partial matches in their place."""
    return not _pasted(text) and any(
        m.group(1) == "+" for m in _SIGNED.finditer(_strip_quoted(text))
    )


def minus_as_not(text: str) -> str:
    """`-word` as `NOT word`, and `+word` as `word` (see `plus_signs`), as web search
    engines read them: "KPK -Jokowi" found the articles with both. Not in a pasted
    passage, where a dash is punctuation."""
    bare = _strip_quoted(text)
    if _pasted(text) or not _SIGNED.search(bare):
        return text
    out = []
    last = 0
    for m in _SIGNED.finditer(bare):
        out.append(text[last : m.start()])
        out.append("NOT " if m.group(1) == "-" else "")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


def _lower_field_names(text: str) -> str:
    """Field names as the parser knows them, in lower case ("Title:revisi" found nothing)."""
    bare = _strip_quoted(text)
    out = list(text)
    for m in _FIELD_PREFIX.finditer(bare):
        name = m.group(1)
        if name.lower() in _KNOWN and name != name.lower():
            out[m.start(1) : m.end(1)] = name.lower()
    return "".join(out)


def _punctuation_colon(name: str, rest: str) -> bool:
    """Whether the colon after `name` (no field's) is punctuation: followed by a space or
    nothing ("Prabowo: ..."), an address's "//", or after a capitalised word
    ("Jokowi:KPK", a headline's colon; field names are written in lower case), or by
    punctuation (a scraped "Baca juga:,,Pelatih" pasted: no field's value starts so)."""
    return (
        not rest
        or rest[0].isspace()
        or rest[0] in ",.;:!?)]"
        or rest.startswith("//")
        or name[:1].isupper()
    )


def _pasted(text: str) -> bool:
    words = text.replace('"', " ").split()
    return len(words) >= PASTED_WORDS and not any(w in OPERATORS for w in words)


def has_operators(text: str) -> bool:
    """True when the query says how to combine its words (AND, OR, NOT...): then it is
    taken as written, with no partial matches."""
    return any(w in OPERATORS for w in _strip_quoted(text).split())


def _plain_text(text: str) -> str:
    """Punctuation of pasted prose that the query language would read as syntax: a colon
    after a word that is no field ("Prabowo: ..."), a question mark ending a word (not a
    one-letter wildcard), single quotes, and parentheses in a query without operators (where
    they group nothing). In a pasted passage with a quotation mark left open, no quotation
    mark can be told to open or close a phrase: all are dropped."""
    if text.count('"') % 2:
        text = text.replace('"', " ")
    bare = _strip_quoted(text)
    drop: set[int] = set()
    for m in _FIELD_PREFIX.finditer(bare):
        rest = text[m.end() :]
        if m.group(1).lower() not in _KNOWN and _punctuation_colon(m.group(1), rest):
            drop.add(m.end() - 1)
    for m in re.finditer(r"(?<=\w)\?+(?=\s|$)", bare):
        drop.update(range(m.start(), m.end()))
    if not has_operators(text):
        drop.update(i for i, ch in enumerate(bare) if ch in "()")
    if not drop:
        return text
    return "".join(" " if i in drop else ch for i, ch in enumerate(text))


def join_phrase_variants(text: str, analyzer: Analyzer) -> str:
    """Multi-word spellings ("kerja sama") become their one-word form outside quotes, since
    the parser would otherwise split them into separate words."""
    vocab = analyzer.vocabulary
    if not vocab.phrases:
        return text
    out: list[str] = []
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
    return "".join(out)


_DATE_VALUE = re.compile(r"(?i)(\bdate:)(\[[^\]]*\]|\{[^}]*\}|\S+)")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_DATE_COMPARISON = re.compile(r"(?i)\b(date:)(<=|>=|<|>)([^\s)]*)")
_PLAIN_DATE = re.compile(r"(\d{4})(?:-?(\d{1,2}))?(?:-?(\d{1,2}))?")


def iso_dates_for_whoosh(text: str) -> str:
    """Whoosh reads 20231018 but not 2023-10-18; accept the ISO form people type."""

    def compact(m: re.Match[str]) -> str:
        return m.group(1) + "".join(f"{int(g):02d}" for g in m.groups()[1:] if g)

    return _DATE_VALUE.sub(lambda m: m.group(1) + _ISO_DATE.sub(compact, m.group(2)), text)


def _date_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day a date as typed stands for (2024 → 1 Jan to 31 Dec)."""
    m = _PLAIN_DATE.fullmatch(value)
    if m is None:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            first = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        raise QueryError(f'invalid query: cannot read "{value}" as a date') from None


_DATE_RANGE = re.compile(r"\bdate:\[\s*([^\s\]]+)\s+to\s+([^\s\]]+)\s*\]", re.IGNORECASE)


def _check_date_ranges(text: str) -> None:
    """A range typed back to front is an error: Whoosh would quietly turn it round."""
    for m in _DATE_RANGE.finditer(_strip_quoted(text)):
        start, end = _date_bounds(m.group(1)), _date_bounds(m.group(2))
        if start is not None and end is not None and start[0] > end[1]:
            raise QueryError(
                f'invalid query: the date range "{m.group(1)} to {m.group(2)}" ends before it'
                " starts"
            )


def date_comparisons(text: str) -> str:
    """`date:<2024` as a range that ends before 2024 begins. Whoosh compares with the whole
    period a date stands for, so its own `<2024` took in all of 2024 and `>2023` all of 2023;
    here `<` and `>` exclude the period and `<=` and `>=` include it."""

    def day(d: dt.date) -> str:
        return d.strftime("%Y%m%d")

    def replace(m: re.Match[str]) -> str:
        op, value = m.group(2), m.group(3)
        if not value:
            raise QueryError(f'invalid query: "date:{op}" needs a date')
        bounds = _date_bounds(value)
        if bounds is None:
            return m.group(0)  # a date in words: Whoosh's reading stands
        first, last = bounds
        try:
            if op == "<":
                return f"date:[to {day(first - dt.timedelta(days=1))}]"
            if op == ">":
                return f"date:[{day(last + dt.timedelta(days=1))} to]"
        except OverflowError:
            raise QueryError(f'invalid query: no date is {op} "{value}"') from None
        return f"date:[to {day(last)}]" if op == "<=" else f"date:[{day(first)} to]"

    return _DATE_COMPARISON.sub(replace, text)


class ExactPhrasePlugin(PhrasePlugin):
    """Quoted phrases on title or body match the words as written, stop words included, on
    the exact fields; a compound written together or apart ("kerjasama" / "kerja sama") is
    the same word either way. Other fields (outlet:"kabar kita") keep Whoosh's reading."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser):
            fieldname = self.fieldname or parser.fieldname
            exact = EXACT_FIELDS.get(fieldname)
            if exact is None:
                return super().query(parser)
            words = [w.folded for w in split_words(self.text)]
            vocab: Vocabulary | None = getattr(parser, "vocabulary", None)
            spellings = compound_spellings(words, vocab) if vocab else [tuple(words)]
            options: list[wq.Query] = []
            for seq in spellings:
                if len(seq) == 1:
                    options.append(wq.Term(exact, seq[0], boost=self.boost))
                elif seq:
                    options.append(wq.Phrase(exact, list(seq), slop=self.slop, boost=self.boost))
            if not options:
                return wq.NullQuery
            return options[0] if len(options) == 1 else wq.Or(options)

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            slop = match.group("slop")
            return ExactPhrasePlugin.PhraseNode(
                match.group("text"), match.start("text"), int(slop) if slop else 1
            )


def compound_spellings(words: list[str], vocab: Vocabulary) -> list[tuple[str, ...]]:
    """The phrase as written, and with each compound the word lists spell both together
    and apart ("kerjasama" = "kerja sama") written the other way."""
    together: dict[tuple[str, ...], str] = {}
    for parts, canon in vocab.phrases.items():
        joined = "".join(parts)
        if vocab.words.get(joined) == canon:
            together[parts] = joined
    apart = {joined: parts for parts, joined in together.items()}
    lengths = sorted({len(p) for p in together}, reverse=True)
    slots: list[list[tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for n in lengths:
            key = tuple(words[i : i + n])
            if key in together:
                slots.append([key, (together[key],)])
                i += n
                break
        else:
            w = words[i]
            slots.append([(w,), apart[w]] if w in apart else [(w,)])
            i += 1
    out: list[tuple[str, ...]] = [()]
    for slot in slots:
        out = [seq + choice for seq in out for choice in slot][:MAX_PHRASE_SPELLINGS]
    return out


# What any of the query language's plugins (fields, quotes, wildcards, ranges, groups,
# operators, boosts, fuzzy terms, comparisons) could tag; a backslash too, to be safe.
_SYNTAX = re.compile(r"""[:*?"\[\]{}()^~<>=\\]|\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE|REQUIRE)\b""")


# 2.000, 4,5, 10.30, 1.234.567, a date 10/9/2019, and a figure against its unit: Rp4,5,
# USD1.000, 2.000cc
_FIGURE_FORM = rf"(?:{'|'.join(CURRENCIES)})?\d+(?:[.,/]\d+)*(?:{'|'.join(UNITS)})?"
_FIGURE = re.compile(rf"(?i){_FIGURE_FORM}")
_HYPHENATED = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)+")
_LETTERS_DIGITS = re.compile(r"[^\W\d_]+\d+|\d+[^\W\d_]+")
_SPANS = re.compile(r"[^\W\d_]+|\d+").findall  # a word's runs of letters and of digits
_CAMEL = re.compile(r"([a-z]+)([A-Z][A-Za-z]*)")  # "eKTP", "iPhone"
_FIGURES = re.compile(rf"(?i)(?<![^\W_]){_FIGURE_FORM}(?![^\W_])")  # inside a query


class _Parser(QueryParser):
    """Whoosh's parser, with each plain word's form as written added to its stem (see
    EXACT_FORM_BOOST) when `analyzer` is set."""

    analyzer: Analyzer | None = None

    def term_query(
        self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True
    ):  # Whoosh's signature
        q = super().term_query(fieldname, text, termclass, boost, tokenize, removestops)
        exact = EXACT_FIELDS.get(fieldname)
        if self.analyzer is None or exact is None:
            return q
        if type(q) is wq.And and _FIGURE.fullmatch(text):
            # A figure is indexed as its parts ("2.000": 2, 000), which must stand together
            # (as an exact phrase does): as separate words, "2.000" found any article with a
            # 2 and a 000 anywhere, and "4,5" found "441,5"; "Rp4,5" is "Rp 4,5" too. Not in
            # a long query, ranked by best match, where the parts are words of their own.
            return wq.Phrase(exact, [w.folded for w in split_words(text)], boost=boost)
        if type(q) is wq.And and _HYPHENATED.fullmatch(text):
            # "COVID-19", "e-KTP", "U-19": its parts side by side (as written with a hyphen
            # or a space), or written as one word ("COVID19", "eKTP").
            parts = [w.folded for w in split_words(text)]
            joined = super().term_query(fieldname, "".join(parts), termclass, boost)
            together = wq.Phrase(exact, parts, boost=boost)
            return together if joined is None else wq.Or([together, joined])
        glued = _LETTERS_DIGITS.fullmatch(text) or _CAMEL.fullmatch(text)
        if type(q) is wq.Term and glued:
            # "U19", "COVID19", "eKTP": also as written with a hyphen ("U-19" is in 48
            # articles of 10,000 CLICK-ID ones, where "U19" found none).
            parts = [fold(p) for p in (glued.groups() if glued.lastindex else _SPANS(text))]
            return wq.Or([q, wq.Phrase(exact, parts, boost=boost)])
        if type(q) is not wq.Term:
            return q  # (a fuzzy term's class is no Term: left as it is)
        form = exact_form(text, self.analyzer)
        if form is None:
            return q
        return wq.Or([q, wq.Term(exact, form, boost=q.boost * EXACT_FORM_BOOST)])


def exact_form(word: str, analyzer: Analyzer) -> str | None:
    """The folded form of `word` as the exact fields hold it, when it is one word searched
    by its stem (not a stop word, not a variant spelling, which stand for one another)."""
    terms = analyzer.terms(word)
    if len(terms) != 1:
        return None
    t = terms[0]
    if t.stop or " " in t.surface or t.surface in analyzer.vocabulary.words:
        return None
    return t.surface


def parse_query(text: str, schema, analyzer: Analyzer) -> wq.Query:
    check_syntax(text)
    _check_date_ranges(text)
    text = _currency_with_figure(date_comparisons(_plain_text(_lower_field_names(text))))
    text = iso_dates_for_whoosh(text)
    errors: list[str] = []
    text = join_phrase_variants(text, analyzer)
    # Words only (a pasted sentence): no plugin but the fields' could tag anything, and each
    # tries every position (a quarter of a 25-word query's time). Same query without them.
    plain = _SYNTAX.search(text) is None
    # MultifieldParser's parser, of our class.
    parser = _Parser(None, schema, group=AndGroup, plugins=[] if plain else None)
    parser.add_plugin(MultifieldPlugin(["title", "body"]))
    # A figure is one word here, as in the plan: "Rp 4,5 triliun rupiah" (four words, five
    # terms) was searched with every word required but its figure's parts apart, and found
    # "16,4 persen … 197,5 miliar".
    if len(analyzer.content_terms(_FIGURES.sub("0", text))) < LONG_QUERY:
        parser.analyzer = analyzer
    if not plain:
        parser.remove_plugin_class(SingleQuotePlugin)  # apostrophes belong to words (Jum'at)
        parser.remove_plugin_class(PhrasePlugin)
        parser.add_plugin(ExactPhrasePlugin())
        parser.vocabulary = analyzer.vocabulary
        parser.add_plugin(FuzzyTermPlugin())
        parser.add_plugin(GtLtPlugin())
        if "date:" in text.lower():  # its date grammar costs a process ~15 ms to build
            # Imported here too: the module (and relativedelta) only for a date query.
            from whoosh.qparser.dateparse import DateParserPlugin

            parser.add_plugin(DateParserPlugin(callback=lambda msg: errors.append(str(msg))))
        parser.add_plugin(FieldAliasPlugin(ALIASES))
    try:
        q = _words_query(text, parser) if plain else parser.parse(text)
    except RecursionError:
        raise QueryError("invalid query: too complex") from None
    except Exception as exc:  # Whoosh raises assorted types for odd syntax
        raise QueryError(f"invalid query: {exc}") from None
    for sub in _walk(q):
        if getattr(sub, "error", None):
            errors.append(str(sub.error))
    if errors:
        # Whoosh saw the compact form iso_dates_for_whoosh made ("201913"): show it as typed.
        typed = re.sub(r"^(\d{4})(\d{2})(\d{2})?$", _dashed, errors[0])
        raise QueryError(f'invalid query: cannot read "{typed}" as a date')
    return q


# A currency written apart from its figure ("USD 1 juta", "Rp. 4,5"): searched as the figure
# against its unit, a phrase, it stands beside it. As three words, "USD 1 juta" ranked
# "USD85,1 Juta" first (its 1 a decimal).
_CURRENCY_APART = re.compile(rf"(?i)(?<![^\W_])({'|'.join(CURRENCIES)})\.?\s+(?=\d)")


def _currency_with_figure(text: str) -> str:
    if '"' in text:
        return text  # a quoted phrase is searched as written already
    return _CURRENCY_APART.sub(r"\1", text)


def _dashed(m: re.Match[str]) -> str:
    return "-".join(g for g in m.groups() if g)


_WHITESPACE = re.compile(r"\s+")  # what Whoosh's whitespace plugin tags


def _words_query(text: str, parser: QueryParser) -> wq.Query:
    """What `parser.parse(text)` makes of words only, without its tagging and filtering
    passes: each word an OR of its title and body queries (None, a stop word's, left out
    as the parser's groups leave it), all of them ANDed, normalized. Half of a pasted
    sentence's parse went on those passes."""
    clauses = []
    for word in _WHITESPACE.split(text):
        if word:
            fields = (parser.term_query(f, word, parser.termclass) for f in ("title", "body"))
            clauses.append([sub for sub in fields if sub is not None])
    return _words_normalized(clauses)


def _words_normalized(clauses: list[list[wq.Query]]) -> wq.Query:
    """`And([Or(c) for c in clauses]).normalize()`. When every query is a plain term (a
    word's title and body terms), made straight away: normalize() copies the tree and finds
    repeated clauses by comparing trees, a third of a 25-word sentence's parse."""
    if not all(type(t) is wq.Term and t.boost == 1.0 for c in clauses for t in c):
        q = wq.And([wq.Or(c) for c in clauses])
        return q.normalize() if q else wq.NullQuery
    out: list[wq.Query] = []
    seen: set[tuple[tuple[str, str], ...]] = set()
    for terms in clauses:
        # As normalize() does: a repeated term or clause once, an empty clause dropped, a
        # clause of one term that term.
        first: dict[tuple[str, str], wq.Query] = {}
        for t in terms:
            first.setdefault((t.fieldname, t.text), t)
        if not first or (key := tuple(first)) in seen:
            continue
        seen.add(key)
        kept = [first[k] for k in key]
        out.append(kept[0] if len(kept) == 1 else wq.Or(kept))
    if not out:
        return wq.NullQuery
    return out[0] if len(out) == 1 else wq.And(out)


def _walk(q: wq.Query) -> Iterator[wq.Query]:
    yield q
    for child in q.children():
        yield from _walk(child)


def rewrite(q: wq.Query, fulltext: FullText, speller: Speller | None = None) -> wq.Query:
    """Prefix, wildcard and fuzzy terms on title/body match unstemmed words as written
    instead of stems, and expand to at most MAX_EXPANSION terms, most frequent first, so
    that a short prefix cannot stall a search. With `speller` (the build's spelling
    dictionary), a fuzzy term's neighbours are looked up there, as did-you-mean's are."""

    def expands(node: wq.Query) -> bool:
        return isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) and node.fieldname in (
            "title",
            "body",
            *EXACT_FIELDS.values(),
        )

    def fix(node: wq.Query) -> wq.Query:
        return _expand(node, fulltext, speller) if expands(node) else node

    # A query with nothing to expand is returned as it is (copying it is a pasted
    # sentence's hundred nodes), which tells plan_query it is still normalized.
    return q.accept(fix) if any(expands(n) for n in _walk(q)) else q


def _neighbours(speller: Speller, field: str, text: str, maxdist: int, start: int) -> list[str]:
    """The words of the spelling dictionary within `maxdist` edits of `text` that begin
    with its first `start` letters (and `text` itself): Whoosh's fuzzy term walks the whole
    term list under that beginning instead (a second or more on 20k articles). An adjacent
    swap counts as one edit here, and words with digits are not filed ("selatan4")."""
    return [text] + [w for w, _ in speller.lookup(text, maxdist) if w[:start] == text[:start]]


def _expand(node: wq.Query, fulltext: FullText, speller: Speller | None = None) -> wq.Query:
    field = EXACT_FIELDS.get(node.fieldname, node.fieldname)
    text = fold(node.text)
    candidates: list[str] | None = None
    if isinstance(node, wq.FuzzyTerm):
        if node.maxdist > MAX_DISTANCE:
            # "presiden~9" matched every article.
            raise QueryError(
                f'invalid query: "{node.text}~{node.maxdist}": a word may be {MAX_DISTANCE} '
                f"edits away at most (~ or ~{MAX_DISTANCE})"
            )
        start = max(1, node.prefixlength)
        if (
            speller is not None
            and field in WORD_FIELDS
            and node.maxdist <= MAX_DISTANCE
            and spellable(text)
        ):
            with contextlib.suppress(sqlite3.Error):  # damaged: Whoosh's own walk below
                found = _neighbours(speller, field, text, node.maxdist, start)
                candidates = [t for t in found if fulltext.doc_frequency(field, t)]
        probe = wq.FuzzyTerm(field, text, maxdist=node.maxdist, prefixlength=start)
    else:
        head = re.split(r"[*?]", text, maxsplit=1)[0]
        if sum(c.isalnum() for c in head) < MIN_PREFIX:
            # Thousands of words begin with "ke": no few of them stand for what was meant.
            shown = text + "*" if isinstance(node, wq.Prefix) else text
            if not any(c.isalnum() for c in text):
                raise QueryError(
                    f'invalid query: "{shown}" has no letters to search for (* and ? complete '
                    f"a word begun with at least {MIN_PREFIX} letters: presid*)"
                )
            raise QueryError(
                f'invalid query: "{shown}" needs at least {MIN_PREFIX} letters before '
                f"the {'*' if '*' in shown[len(head) :][:1] else '?'}"
            )
        probe = wq.Prefix(field, text) if isinstance(node, wq.Prefix) else wq.Wildcard(field, text)
    top = fulltext.top_expansions(field, text) if type(probe) is wq.Prefix else None
    if top is not None:
        # Kept already, from the build's table (prefixes.py): no walk of the terms.
        candidates, found = [w for w, *_ in top.words], top.found
    else:
        if candidates is None:
            candidates = fulltext.expand(probe)
        found = len(candidates)
        candidates = most_frequent(
            candidates,
            lambda t: fulltext.doc_frequency(field, t),
            expansion_cap(text.rstrip("*?")),
        )
    if not isinstance(node, wq.FuzzyTerm):
        candidates = _within_budget(candidates, lambda t: fulltext.doc_frequency(field, t), text)
    terms = _blended(field, candidates, fulltext)
    if not terms:
        return wq.NullQuery
    expanded = (CutExpansion if len(candidates) < found else wq.Or)(terms, boost=node.boost)
    # Whoosh's default nests 200 binary union matchers, which crawls (`ke*` took 14 s on
    # 22k articles); an array matcher over the same terms takes well under a second.
    expanded.matcher_type = wq.Or.ARRAY_MATCHER
    return expanded


def _blended(field: str, words: list[str], fulltext: FullText) -> list[wq.Query]:
    """A term for each of a prefix's (wildcard's, fuzzy term's) words, each weighed as if it
    were as common as the most common of them: with each word's own idf, the rarest
    expansion ranked first ("pres*" put an actress named Prescilla above the articles about
    the president, "Jok*" Joker above Jokowi), the opposite of what the prefix stands for.
    One idf for them all, as Lucene's blended and synonym queries do, ranks the articles
    by how much of the prefix's words they hold."""
    if not words:
        return []
    frequency = [fulltext.doc_frequency(field, w) for w in words]
    top = max(frequency)
    common = fulltext.idf(top)
    return [
        wq.Term(field, w, boost=common / fulltext.idf(df))
        if df and df != top
        else wq.Term(field, w)
        for w, df in zip(words, frequency, strict=True)
    ]


def expansion_cap(prefix: str) -> int:
    """How many words a prefix keeps at most. A very short prefix ("ke*") matches
    thousands of words and nearly every article: it keeps fewer, so that it answers in a
    fraction of a second, not seconds."""
    return MAX_EXPANSION if len(prefix) > 3 else MAX_EXPANSION // 4


class CutExpansion(wq.Or):
    """The words a prefix or wildcard kept when it left some out (see `_expand`)."""


def _within_budget(words: list[str], frequency: Callable[[str], int], own: str) -> list[str]:
    """The most frequent of a prefix's `words` whose postings add up to at most
    MAX_PREFIX_POSTINGS (and `own`, the prefix as a word, whatever its count), in their
    order. Ranking reads every posting of every word kept: "meng*" kept 200 words with
    hundreds of thousands of postings at 22k articles, a quarter of a second."""
    sizes = {w: frequency(w) for w in words}
    if sum(sizes.values()) <= MAX_PREFIX_POSTINGS:
        return words
    kept: set[str] = set()
    volume = 0
    for w in sorted(words, key=lambda w: -sizes[w]):
        if volume + sizes[w] <= MAX_PREFIX_POSTINGS or w == own:
            kept.add(w)
            volume += sizes[w]
    return [w for w in words if w in kept]


@dataclass(frozen=True)
class Plan:
    """How a query runs: `strict` as written (every word), and `partial`, the same with the
    plain words made optional, when the query has two or more plain words and no operators."""

    strict: wq.Query
    partial: wq.Query | None
    words: int  # the plain words (a multi-word variant is one)
    # With no clause but plain words: each ranked word's terms, in the order `partial`
    # ORs them, and the words left out of the ranking (see engine.FullText.best_match).
    ranked: tuple[tuple[wq.Query, ...], ...] = ()
    unranked: tuple[tuple[wq.Query, ...], ...] = ()
    # A query that is one term, or an OR of terms whose scores add up in their order (one
    # word: its title and body terms, and its form as written on the exact fields in a short
    # query; a prefix or fuzzy term: its expansions): those terms.
    alone: tuple[wq.Query, ...] = ()
    # A prefix or wildcard kept only some of its words: articles with the others are not
    # found, so the count is a lower bound.
    cut: bool = False


def _fields(node: wq.Query) -> set[str]:
    return {n.fieldname for n in _walk(node) if getattr(n, "fieldname", None)}


_WORD = frozenset({"title", "body"})
_WORD_AND_FORM = _WORD | frozenset(EXACT_FIELDS.values())


def _is_plain_word(node: wq.Query) -> bool:
    """A word typed without a field or quotes: the parser searches it in title and body
    (and its form as written on the exact fields)."""
    if any(isinstance(n, (wq.Phrase, wq.Not, wq.AndNot)) for n in _walk(node)):
        return False
    return _WORD <= _fields(node) <= _WORD_AND_FORM


def _flat_or(node: wq.Query) -> list[wq.Query]:
    if isinstance(node, wq.Or) and node.boost == 1.0:
        return [leaf for child in node.children() for leaf in _flat_or(child)]
    return [node]


MAX_PARTIAL_WORDS = 14  # the rarest plain words a best-match query keeps


def clause_frequency(clause: wq.Query, fulltext: FullText) -> int:
    """How many articles a plain word's clause could match, at most (title and body)."""
    return sum(
        fulltext.doc_frequency(n.fieldname, n.text) for n in _walk(clause) if isinstance(n, wq.Term)
    )


def plan_query(
    text: str, fulltext: FullText, analyzer: Analyzer, speller: Speller | None = None
) -> Plan:
    required = plus_signs(text)
    text = minus_as_not(text)
    parsed = parse_query(text, fulltext.schema, analyzer)
    q = rewrite(parsed, fulltext, speller)
    # Looked for before normalize(), which merges the expansions into plain ORs.
    cut = any(isinstance(n, CutExpansion) for n in _walk(q))
    plan = _plan(text, q if q is parsed else _normalize(q), fulltext, required)
    return dataclasses.replace(plan, cut=True) if cut else plan


def _normalize(q: wq.Query) -> wq.Query:
    """`q.normalize()`. A prefix alone (an OR of its title and body expansions, each an OR
    of terms) is flattened here as normalize() flattens it, but without a copy of every
    term (`with_boost` at the same boost, a deep copy each: 400 of them for a 4-letter
    prefix, a tenth of its search)."""
    parts = q.subqueries if type(q) is wq.Or and q.boost == 1.0 else ()
    if not parts or not all(
        isinstance(p, wq.Or) and p.boost == 1.0 and all(type(t) is wq.Term for t in p.subqueries)
        for p in parts
    ):
        return q.normalize()
    terms: list[wq.Query] = []
    seen: set[wq.Query] = set()
    for part in parts:
        for t in part.subqueries:
            if t not in seen:  # normalize() drops a query met before
                seen.add(t)
                terms.append(t)
    return wq.Or(terms) if len(terms) > 1 else q.normalize()


def _plan(text: str, q: wq.Query, fulltext: FullText, required: bool = False) -> Plan:
    """`required`: every word must be there (no best partial matches)."""
    if isinstance(q, wq.Or) and len(q.subqueries) > 2 and q.boost == 1.0:
        # normalize() merged the expansions' array unions (title and body) into one OR of
        # the default kind: a tree of binary unions from 5,000 articles on (ke*: seconds).
        q.matcher_type = wq.Or.ARRAY_MATCHER
    clauses = list(q.children()) if isinstance(q, wq.And) else [q]
    plain = [c for c in clauses if _is_plain_word(c)]
    for c in plain:
        if isinstance(c, wq.Or) and len(c.subqueries) > 2:
            # A word with its form as written: the terms' scores added in their order, one
            # way in Whoosh and in the one-pass rankings (see conjunction._clause).
            c.matcher_type = wq.Or.ARRAY_MATCHER
    if len(plain) < 2 or has_operators(text) or required:
        return Plan(q, None, len(plain), alone=_alone(q))
    required = [c for c in clauses if not _is_plain_word(c)]
    ranked = plain
    if len(plain) > MAX_PARTIAL_WORDS:
        # A pasted paragraph ranks by its rarest words: the common ones weigh little in
        # BM25 and cost the most (their postings are the longest), so a 25-word sentence
        # answers about as fast as a few words.
        ranked = sorted(plain, key=lambda c: clause_frequency(c, fulltext))[:MAX_PARTIAL_WORDS]
    some = wq.Or([leaf for c in ranked for leaf in _flat_or(c)])
    # Whoosh's default for an OR is a tree of binary unions, and its coordination bonus
    # recounts the matching terms for every article: 0.7 s for a 14-word sentence on 3k
    # articles. One array union over the words' title and body terms sums the same scores
    # in a fraction of that.
    some.matcher_type = wq.Or.ARRAY_MATCHER
    if required:
        return Plan(q, wq.And([*required, some]), len(plain))
    return Plan(
        q,
        some,
        len(plain),
        tuple(tuple(_flat_or(c)) for c in ranked),
        tuple(tuple(_flat_or(c)) for c in plain if c not in ranked),
    )


def _alone(q: wq.Query) -> tuple[wq.Query, ...]:
    if isinstance(q, (wq.Term, wq.Phrase)):
        return (q,)
    if isinstance(q, wq.Or) and q.boost == 1.0:
        subs = tuple(q.subqueries)
        if len(subs) == 2 or q.matcher_type == wq.Or.ARRAY_MATCHER:  # a + b = b + a
            return subs
    return ()


def query_terms(q: wq.Query) -> QueryTerms:
    """What a hit should be highlighted for: everything not under a NOT, in the fields the
    query names (a term asked for in the title only is marked in the title only)."""
    found: dict[str, set] = {
        k: set()
        for k in ("terms", "surface", "phrases", "title_terms", "title_surface", "title_phrases")
    }

    def visit(node: wq.Query) -> None:
        if isinstance(node, (wq.Not, wq.AndNot)):
            if isinstance(node, wq.AndNot):
                visit(node.a)
            return
        field = getattr(node, "fieldname", None)
        title = "title_" if field in ("title", "title_exact") else ""
        if isinstance(node, wq.Term):
            if field in ("title", "body"):
                found[title + "terms"].add(node.text)
            elif field in ("title_exact", "body_exact"):
                found[title + "surface"].add(node.text)
        elif isinstance(node, wq.Phrase) and field in ("title_exact", "body_exact"):
            found[title + "phrases"].add(tuple(node.words))
        for child in node.children():
            visit(child)

    visit(q)
    for kind in ("terms", "surface", "phrases"):
        found["title_" + kind] -= found[kind]
    return QueryTerms(**{k: frozenset(v) for k, v in found.items()})


def with_forms(qterms: QueryTerms, forms_of: Callable[[str], Iterable[str]]) -> QueryTerms:
    """`qterms` with the forms its terms are written in across the corpus (`forms_of`, the
    catalog's record), for marking hits without analysing them."""

    def forms(terms: frozenset[str]) -> frozenset[tuple[str, ...]]:
        return frozenset(tuple(written.split()) for t in terms for written in forms_of(t))

    return dataclasses.replace(
        qterms, forms=forms(qterms.terms), title_forms=forms(qterms.title_terms)
    )
