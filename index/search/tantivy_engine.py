"""The tantivy engine (see engine.py): the same documents as Whoosh's, fed as pre-analysed
tokens, and our query language translated from the query objects query.py builds. Imported
only when a build made with tantivy is opened; tantivy is an optional extra.

Tokens: every field gets exactly the terms (and positions) the Whoosh analyzers would give
(`to_document`'s pre-analysed values), through tantivy's pre-tokenized text, so stems,
variants and multi-word variant parts sharing one position behave alike in both engines.
Title fields are boosted at query time, as Whoosh's field boost does at scoring.

Commits. tantivy commits atomically (its `meta.json` names the segments of the commit), but
it cannot be opened at an earlier commit the way Whoosh's generations can. So the catalog
stays the single commit point, in this order:

1. the tantivy writer commits (opstamp n);
2. the catalog records {generation, opstamp n, manifest of the commit's files with their
   CRC-32} in the same transaction as the batch's articles, and commits.

A run cut off between 1 and 2 leaves tantivy one batch ahead of the catalog. The next writer
sees the opstamps differ and reconciles: it deletes the documents whose article the catalog
lacks; the batch's other changes (articles replaced or removed) are made again, because the
catalog's records of their files were not committed either, so those files are read again.
Until then a reader may see that one batch early; hits the catalog lacks are skipped (see
execute.py). The manifest is checked (damage) only while tantivy is at the recorded commit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from math import log
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy
from whoosh import query as wq

from ..errors import IndexDamagedError, IndexLockedError, QueryError
from ..text.analysis import Analyzer
from ..text.words import split_words
from . import fulltext
from .engine import WORD_FIELDS, Found
from .prefixes import Expansion, most_frequent
from .schema import TITLE_BOOST

if TYPE_CHECKING:
    from .merging import Merged

META_TANTIVY = "tantivy"  # catalog meta key: the committed state (see the module's docstring)
WRITER_HEAP = 128_000_000
# Positions only where phrases are asked for (the exact fields and outlet/author); the ranked
# fields need frequencies, the word lists only the terms.
TEXT_FIELDS = {
    "title": "freq",
    "body": "freq",
    "title_exact": "position",
    "body_exact": "position",
    "outlet": "position",
    "author": "position",
}
BOOSTS = {"title": TITLE_BOOST, "title_exact": TITLE_BOOST}
# The fields whose terms are handed over as one string of them, split again by tantivy's
# whitespace tokenizer (see `to_tantivy`). An index made before (schema 17) is rebuilt, not
# written to: its schema has the raw tokenizer for them.
JOINED = ("title", "body", "title_exact", "body_exact")
_SEGMENT_FILE = re.compile(r"^([0-9a-f]{32})\.")


def make_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for name, option in TEXT_FIELDS.items():
        tokenizer = "whitespace" if name in JOINED else "raw"
        builder.add_text_field(name, tokenizer_name=tokenizer, index_option=option)
    builder.add_text_field("lang", tokenizer_name="raw", index_option="basic")
    builder.add_date_field("date", indexed=True, fast=True)
    return builder.build()


# -- documents -------------------------------------------------------------------------------
def _tokens(value: str) -> list[tantivy.Token]:
    """The tokens Whoosh's analyzers give `value`: its pre-analysed terms when it has them
    (several at one position for a multi-word variant), else its folded words."""
    pre = getattr(value, "terms", None)
    out: list[tantivy.Token] = []
    if pre is not None:
        if not any(type(item) is tuple for item in pre):  # one term a position: most fields
            # In one comprehension: the process writing the index makes a token per word of
            # every article, and a loop's appends were a quarter of it.
            token = tantivy.Token
            return [token(text, pos, 0, 0) for pos, text in enumerate(pre)]
        for pos, item in enumerate(pre):
            for text in (item,) if isinstance(item, str) else item:
                out.append(tantivy.Token(text, pos, 0, 0))
        return out
    for pos, w in enumerate(split_words(value)):
        out.append(tantivy.Token(w.folded, pos, w.start, w.end))
    return out


def _joined(value: str) -> str | None:
    """A value's terms as one string for tantivy's whitespace tokenizer, which gives them
    back with the same positions; None where it would not: a multi-word variant (several
    terms at one position), or a term that is empty or holds whitespace."""
    pre = getattr(value, "terms", None)
    if pre is None or tuple in set(map(type, pre)):
        return None
    text = " ".join(pre)
    # str.split breaks at every whitespace tantivy's tokenizer breaks at (ASCII), and more.
    return text if len(text.split()) == len(pre) else None


def to_tantivy(document: dict) -> tantivy.Document:
    """A tantivy document from the fields `schema.to_document` gives Whoosh. The `JOINED`
    fields go as one string where they can: a Token object a word was most of the time this
    process spent writing (at 22,000 articles, 12 of its 86 s)."""
    doc = tantivy.Document()
    doc.add_text("id", document["id"])
    for name in TEXT_FIELDS:
        value = document.get(name)
        if not value and getattr(value, "terms", None) is None:
            continue
        if name in JOINED and (text := _joined(value)) is not None:
            if text:
                doc.add_text(name, text)
            continue
        tokens = _tokens(value)
        if tokens:
            doc.add_pre_tokenized_text(name, tantivy.PreTokenizedString(str(value), tokens))
    doc.add_text("lang", document.get("lang") or "unknown")
    when = document.get("date")
    if when is not None:
        doc.add_date("date", _utc(when))
    return doc


def _utc(when: dt.datetime) -> dt.datetime:
    # Whoosh keeps the article's own (naive) local time; tantivy stores UTC. Read naive
    # times as UTC on both sides so that date:2024 means the same days in both engines.
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


# -- queries ---------------------------------------------------------------------------------
def translate(q: wq.Query, schema: tantivy.Schema) -> tantivy.Query:
    """A tantivy query for a (normalised, rewritten) Whoosh query object."""
    Q, Occur = tantivy.Query, tantivy.Occur

    def boosted(query: tantivy.Query, node: wq.Query, field: str | None) -> tantivy.Query:
        boost = getattr(node, "boost", 1.0) * BOOSTS.get(field or "", 1.0)
        return query if boost == 1.0 else Q.boost_query(query, boost)

    def clauses(children: Iterable[wq.Query], occur: Any) -> list[tuple[Any, tantivy.Query]]:
        out = []
        for child in children:
            # NOT in an AND excludes; in an OR it stands for every other article ("putin OR
            # NOT erdogan" is whatever has putin or lacks erdogan: as a MustNot beside the
            # Should, it was putin without erdogan).
            if isinstance(child, wq.Not) and occur == Occur.Must:
                out.append((Occur.MustNot, go(child.query)))
            else:
                out.append((occur, go(child)))
        return out

    def only_not(items: list[tuple[Any, tantivy.Query]]) -> list[tuple[Any, tantivy.Query]]:
        # tantivy matches nothing with only exclusions; Whoosh matches everything else.
        if items and all(occur == Occur.MustNot for occur, _ in items):
            return [(Occur.Must, Q.all_query()), *items]
        return items

    def go(node: wq.Query) -> tantivy.Query:
        field = getattr(node, "fieldname", None)
        if node is wq.NullQuery or isinstance(node, type(wq.NullQuery)):
            return Q.empty_query()
        if isinstance(node, wq.Every):
            return Q.all_query()
        if isinstance(node, wq.Term):
            return boosted(Q.term_query(schema, field, node.text), node, field)
        if isinstance(node, wq.Phrase):
            # Whoosh's slop 1 is words side by side, tantivy's 0.
            phrase = Q.phrase_query(schema, field, list(node.words), slop=max(node.slop - 1, 0))
            return boosted(phrase, node, field)
        if isinstance(node, wq.And):
            return boosted(
                Q.boolean_query(only_not(clauses(node.children(), Occur.Must))), node, None
            )
        if isinstance(node, wq.Or):
            return boosted(
                Q.boolean_query(only_not(clauses(node.children(), Occur.Should))), node, None
            )
        if isinstance(node, wq.DisjunctionMax):
            return Q.disjunction_max_query([go(c) for c in node.children()], node.tiebreak)
        if isinstance(node, wq.Not):
            return Q.boolean_query([(Occur.Must, Q.all_query()), (Occur.MustNot, go(node.query))])
        if isinstance(node, wq.AndNot):
            return Q.boolean_query([(Occur.Must, go(node.a)), (Occur.MustNot, go(node.b))])
        if isinstance(node, wq.AndMaybe):
            return Q.boolean_query([(Occur.Must, go(node.a)), (Occur.Should, go(node.b))])
        if isinstance(node, wq.DateRange):
            return _date_range(node, schema)
        if isinstance(node, wq.Prefix):
            return Q.regex_query(schema, field, re.escape(node.text) + ".*")
        if isinstance(node, wq.Wildcard):
            return Q.regex_query(schema, field, _wildcard_regex(node.text))
        if isinstance(node, wq.FuzzyTerm):
            return Q.fuzzy_term_query(schema, field, node.text, distance=node.maxdist)
        raise QueryError(f"invalid query: {type(node).__name__} is not supported by tantivy")

    return go(q)


def _date_range(node: wq.DateRange, schema: tantivy.Schema) -> tantivy.Query:
    start, end = node.startdate, node.enddate
    if start is None and end is None:
        return tantivy.Query.exists_query("date")
    return tantivy.Query.range_query(
        schema,
        "date",
        tantivy.FieldType.Date,
        _utc(start) if start is not None else None,
        _utc(end) if end is not None else None,
        include_lower=start is None or not node.startexcl,
        include_upper=end is None or not node.endexcl,
    )


def _wildcard_regex(pattern: str) -> str:
    return "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)


def _levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance (no transpositions, as Whoosh's fuzzy terms), or limit + 1 beyond."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


# -- reading ---------------------------------------------------------------------------------
_FREQ_MEMO = 200_000  # (field, term) frequencies a searcher remembers
_EXPANSIONS_MEMO = 256  # prefixes whose kept words a searcher remembers


class TantivyFullText:
    """A tantivy index behind the engine protocol (engine.FullText)."""

    engine = "tantivy"

    def __init__(
        self,
        index: tantivy.Index,
        analyzer: Analyzer,
        include: set[str] | None = None,
        exclude: set[str] | None = None,
        by_date: bool = False,
        only: set[str] | None = None,
    ) -> None:
        from .schema import make_schema as whoosh_schema

        self.index = index
        # Set while tantivy is ahead of the catalog: the catalog's articles, the ones that
        # count (see the module's docstring).
        self.only = only
        self.analyzer = analyzer
        self.schema = whoosh_schema(analyzer)  # what the query language parses against
        self._tschema = index.schema
        self._searcher = index.searcher()
        # Document frequencies that came with a prefix's terms: a short prefix ("ke*") has
        # thousands, which the query then ranks by frequency, one lookup each.
        self._freq: dict[tuple[str, str], int] = {}
        self._expansions: dict[tuple[str, str], Expansion] = {}
        if only is not None:
            include = only if include is None else include & only
        self._include = include
        self._exclude = exclude
        self._by_date = by_date

    def _narrow(self, q: tantivy.Query) -> tantivy.Query:
        Q, Occur = tantivy.Query, tantivy.Occur
        parts = [(Occur.Must, q)]
        if self._include is not None:
            if not self._include:
                return Q.empty_query()
            ids = Q.term_set_query(self._tschema, "id", sorted(self._include))
            parts.append((Occur.Must, Q.const_score_query(ids, 0.0)))
        if self._exclude:
            ids = Q.term_set_query(self._tschema, "id", sorted(self._exclude))
            parts.append((Occur.MustNot, ids))
        return q if len(parts) == 1 else Q.boolean_query(parts)

    def _id(self, address: Any) -> str:
        return self._searcher.doc(address).get_first("id")

    def search(self, q: Any, limit: int, *, optimize: bool = True) -> Found:
        tq = self._narrow(translate(q, self._tschema))
        if not self._by_date:
            # Counting every match keeps tantivy from skipping the blocks that cannot reach
            # the first page: an OR of a pasted sentence's words matches most articles.
            # Without an exact count asked for, the count is a lower bound (Whoosh's
            # optimized search gives one too).
            res = self._searcher.search(tq, limit, count=not optimize)
            hits = [(self._id(a), score) for score, a in res.hits]
            if not optimize:
                return Found(hits, res.count, True)
            return Found(hits, max(len(hits), self._at_least(q)), False)
        # Newest first (tantivy puts undated documents last); the hits carry the date where
        # the score was, so their scores come from a second search kept to them.
        res = self._searcher.search(tq, limit, order_by_field="date", order=tantivy.Order.Desc)
        ids = [self._id(a) for _, a in res.hits]
        scores: dict[str, float] = {}
        if ids:
            only = tantivy.Query.const_score_query(
                tantivy.Query.term_set_query(self._tschema, "id", ids), 0.0
            )
            both = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tq), (tantivy.Occur.Must, only)]
            )
            scored = self._searcher.search(both, len(ids))
            scores = {self._id(a): score for score, a in scored.hits}
        return Found([(i, scores.get(i, 0.0)) for i in ids], res.count, True)

    def _at_least(self, q: Any) -> int:
        """How many articles an OR of terms matches at least: those of its most frequent
        term, counted (its document frequency would count deleted articles too); 0 for
        other queries."""
        if not isinstance(q, wq.Or) or not all(isinstance(t, wq.Term) for t in q.subqueries):
            return 0
        if not q.subqueries:
            return 0
        most = max(q.subqueries, key=lambda t: self.doc_frequency(t.fieldname, t.text))
        return self._searcher.search(self._narrow(translate(most, self._tschema)), 1).count

    def best_match(self, words: Any, others: Any, limit: int) -> tuple[Found, int] | None:
        return None  # tantivy's own top-k search is quick: both queries run

    def match_all(self, q: Any, limit: int) -> Found | None:
        return None  # tantivy's own search counts and ranks in one go

    def doc_frequency(self, field: str, term: str) -> int:
        known = self._freq.get((field, term))
        return self._searcher.doc_freq(field, term) if known is None else known

    def idf(self, doc_frequency: int) -> float:
        # BM25's, as tantivy scores a term.
        n = self._searcher.num_docs
        return log(1 + (n - doc_frequency + 0.5) / (doc_frequency + 0.5))

    def terms_with_prefix(self, field: str, prefix: str) -> list[str]:
        found = self._searcher.terms_with_prefix(field, prefix)
        if prefix:  # not the whole lexicon (the spelling dictionary's walk)
            if len(self._freq) > _FREQ_MEMO:
                self._freq.clear()
            self._freq.update(((field, t), n) for t, n in found)
        return [t for t, _ in found]

    def expand(self, probe: Any) -> list[str]:
        field, text = probe.fieldname, probe.text
        if isinstance(probe, wq.FuzzyTerm):
            start = text[: probe.prefixlength]
            return [
                t
                for t in self.terms_with_prefix(field, start)
                if _levenshtein(text, t, probe.maxdist) <= probe.maxdist
            ]
        if isinstance(probe, wq.Wildcard):
            literal = re.split(r"[*?]", text, maxsplit=1)[0]
            pattern = re.compile(_wildcard_regex(text))
            return [t for t in self.terms_with_prefix(field, literal) if pattern.fullmatch(t)]
        return self.terms_with_prefix(field, text)

    def top_expansions(self, field: str, prefix: str) -> Expansion:
        """The words a query keeps of `prefix`, from tantivy's own list of its terms with
        their counts: no table is kept for it. Taken straight from that list (and kept for
        the searcher's next queries) rather than ranked by looking each term's count up:
        "men*" has some ten thousand words at 100,000 articles, and looking them up and
        sorting took as long as the search."""
        key = (field, prefix)
        known = self._expansions.get(key)
        if known is None:
            from .query import expansion_cap  # the query module imports this one's protocol

            found = self._searcher.terms_with_prefix(field, prefix)  # (term, count)s
            kept = most_frequent(found, itemgetter(1), expansion_cap(prefix))
            known = Expansion(tuple((t, n, 0) for t, n in kept), len(found))
            if len(self._expansions) >= _EXPANSIONS_MEMO:
                self._expansions.clear()
            self._expansions[key] = known
        if len(self._freq) > _FREQ_MEMO:
            self._freq.clear()
        self._freq.update(((field, t), n) for t, n, _ in known.words)
        return known

    def field_terms(self, field: str) -> Iterable[str]:
        return self.terms_with_prefix(field, "")

    def narrowed(
        self, include: set[str] | None, exclude: set[str] | None, by_date: bool
    ) -> TantivyFullText:
        return TantivyFullText(self.index, self.analyzer, include, exclude, by_date, self.only)

    def ids(self) -> set[str]:
        n = self._searcher.num_docs
        if not n:
            return set()
        res = self._searcher.search(tantivy.Query.all_query(), n, count=False)
        return {self._id(a) for _, a in res.hits}

    def close(self) -> None:
        self._searcher = None


def open_index(folder: Path) -> tantivy.Index:
    try:
        return tantivy.Index.open(str(folder))
    except Exception as exc:  # tantivy reports damage as ValueError or OSError
        raise fulltext.damaged(folder, f"tantivy cannot open it: {exc}") from None


def open_fulltext(
    folder: Path, analyzer: Analyzer, catalog: Any = None, state: State | None = None
) -> TantivyFullText:
    """The index as the catalog records it: when a writer has committed tantivy but not
    yet the catalog, searches keep to the catalog's articles."""
    index = open_index(folder)
    try:
        # A snapshot that stays put (no reload on another process's commit), taken before
        # the opstamp on disk is read: a commit in between only narrows needlessly.
        index.config_reader(reload_policy="manual")
        ft = TantivyFullText(index, analyzer)
    except Exception as exc:
        raise fulltext.damaged(folder, f"tantivy cannot read it: {exc}") from None
    if state is not None and catalog is not None and _on_disk_opstamp(folder) != state.opstamp:
        ft = TantivyFullText(index, analyzer, only=set(catalog.ids()))
    return ft


# -- the committed state ---------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    generation: int
    opstamp: int
    manifest: fulltext.Manifest

    def to_json(self) -> str:
        return json.dumps(
            {"generation": self.generation, "opstamp": self.opstamp, **self.manifest.to_json()}
        )


def read_state(catalog: Any) -> State | None:
    raw = catalog.get_meta(META_TANTIVY)
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        return State(
            int(data["generation"]), int(data["opstamp"]), fulltext.Manifest.from_json(data)
        )
    except (ValueError, KeyError, TypeError):
        return None


def _on_disk_opstamp(folder: Path) -> int | None:
    try:
        return int(json.loads((folder / "meta.json").read_text(encoding="utf-8"))["opstamp"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _manifest(
    folder: Path, generation: int, previous: fulltext.Manifest | None
) -> fulltext.Manifest:
    """meta.json and the files of the segments it names, with checksums (a file unchanged
    since `previous` keeps its recorded one: segment files never change once written)."""
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    live = {seg["segment_id"].replace("-", "") for seg in meta["segments"]}
    names = ["meta.json"]
    for name in sorted(p.name for p in folder.iterdir()):
        m = _SEGMENT_FILE.match(name)
        if m and m.group(1) in live:
            names.append(name)
    files: dict[str, fulltext.FileFacts] = {}
    for name in names:
        st = (folder / name).stat()
        old = previous.files.get(name) if previous else None
        if old is not None and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
            files[name] = old
        else:
            files[name] = fulltext.FileFacts(
                st.st_size, st.st_mtime_ns, fulltext.crc32(folder / name)
            )
    return fulltext.Manifest(generation, files)


def damage(folder: Path, catalog: Any, *, full: bool = False) -> list[str]:
    """What is wrong with the files of the commit the catalog records (checked only while
    tantivy is at that commit: an interrupted run may have moved it one batch on)."""
    state = read_state(catalog)
    if state is None:
        return ["the catalog records no full-text generation"]
    on_disk = _on_disk_opstamp(folder)
    if on_disk is None:
        return [f"{fulltext.FULLTEXT_NAME}/meta.json is missing or cannot be read"]
    if on_disk != state.opstamp:
        return []
    return fulltext.verify(folder, state.manifest, full=full)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")  # as the catalog's other commits record it


# -- writing ---------------------------------------------------------------------------------
class TantivyWriter:
    """engine.FullTextWriter over the build's IndexWriter (tantivy allows one at a time)."""

    def __init__(self, build: TantivyBuild) -> None:
        self.build = build
        self.writer = build.index_writer()

    def add(self, document: dict) -> None:
        self.writer.add_document(to_tantivy(document))

    def update(self, document: dict) -> None:
        # A delete applies to what was added before it: the new version stays.
        self.writer.delete_documents_by_term("id", document["id"])
        self.add(document)

    def delete(self, article_id: str) -> None:
        self.writer.delete_documents_by_term("id", article_id)

    def commit(
        self, *, merge: bool = True, compact: bool = False, progress: Merged | None = None
    ) -> None:
        # tantivy merges segments itself, whatever the commit (see `commit_writer`).
        self.build.commit_writer()

    def cancel(self) -> None:
        self.writer.rollback()


class TantivyBuild:
    """The tantivy side of a build being written (see stores.WriteStores)."""

    def __init__(self, folder: Path, catalog: Any, *, fresh: bool) -> None:
        self.folder = folder
        self.catalog = catalog
        self._writer: Any = None
        if fresh:
            folder.mkdir(parents=True, exist_ok=True)
            self.index = tantivy.Index(make_schema(), path=str(folder), reuse=False)
            self.commit_writer()
            self.state = State(0, self.opstamp, _manifest(folder, 0, None))
            fulltext.make_durable(folder, list(self.state.manifest.files))
        else:
            state = read_state(catalog)
            if state is None:
                raise fulltext.damaged(folder, "no full-text generation recorded")
            self.index = open_index(folder)
            self.state = state
            self.opstamp = state.opstamp
            if _on_disk_opstamp(folder) != state.opstamp:
                self._reconcile()
            else:
                problems = fulltext.verify(folder, state.manifest)
                if problems:
                    raise fulltext.damaged(folder, problems[0])

    @property
    def generation(self) -> int:
        return self.state.generation

    def index_writer(self) -> Any:
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "lock" in str(exc).lower():
                    raise IndexLockedError(
                        f"the index {self.folder.parent.parent} is locked by another writer"
                    ) from None
                raise
        return self._writer

    def commit_writer(self) -> None:
        """Commit the writer's changes and let the merges that commit starts finish before
        anything is recorded: a merge rewrites meta.json and deletes the merged segments'
        files, so a manifest taken earlier would name files that are gone. The writer is
        done with then; the next batch gets a new one."""
        writer = self.index_writer()
        self.opstamp = writer.commit()
        self._writer = None
        writer.wait_merging_threads()

    def writer(self) -> TantivyWriter:
        return TantivyWriter(self)

    def words(self) -> Iterable[str]:
        self.index.reload()
        searcher = self.index.searcher()
        return sorted({t for f in WORD_FIELDS for t, _ in searcher.terms_with_prefix(f, "")})

    def record(self) -> None:
        self.catalog.set_meta(META_TANTIVY, self.state.to_json())
        self.catalog.set_meta("updated", _now())

    def commit(self) -> None:
        """Record what the writer has just committed (the catalog's commit publishes it)."""
        generation = self.state.generation + 1
        man = _manifest(self.folder, generation, self.state.manifest)
        fulltext.make_durable(self.folder, list(man.files))
        new = State(generation, self.opstamp, man)
        self.catalog.set_meta(META_TANTIVY, new.to_json())
        self.catalog.set_meta("updated", _now())
        self.catalog.commit()
        self.state = new

    def rollback(self) -> None:
        self.catalog.rollback()
        state = read_state(self.catalog)
        if state is not None:
            self.state = state
        if self._writer is not None:
            # A writer already rolled back has nothing to forget; its commits are below.
            with suppress(Exception):
                self._writer.rollback()
        if _on_disk_opstamp(self.folder) != self.state.opstamp:
            self._reconcile()

    def _reconcile(self) -> None:
        """tantivy is ahead of the catalog (a run cut off between the two commits): drop the
        documents whose article the catalog lacks, and record where tantivy now is."""
        self.index.reload()
        known = set(self.catalog.ids())
        writer = self.index_writer()
        for term, _ in self.index.searcher().terms_with_prefix("id", ""):
            if term not in known:
                writer.delete_documents_by_term("id", term)
        self.commit_writer()
        self.commit()

    def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            # Merges are an optimisation: the committed state stands without them.
            with suppress(Exception):
                writer.wait_merging_threads()


def check(folder: Path, analyzer: Analyzer, catalog: Any) -> set[str]:
    """Every document id, every segment opened (for `index --check`); while tantivy is
    ahead of the catalog, the documents of the catalog's articles (the next update
    removes the others)."""
    try:
        ft = open_fulltext(folder, analyzer, catalog, read_state(catalog))
        ids = ft.ids()
        return ids if ft.only is None else ids & ft.only
    except IndexDamagedError:
        raise
    except Exception as exc:
        raise fulltext.damaged(folder, f"{type(exc).__name__}: {exc}") from None
