"""The seam between the query code and a full-text engine: what a search needs of an index
(ranked ids, counts, term statistics) and what an update needs (add, replace, delete, commit).

The query language is parsed once, by query.py, into Whoosh's query objects; those serve as
the engine-neutral tree. The Whoosh engine runs them as they are; another engine translates
them (see tantivy_engine.py). Either engine is fed the same analysed tokens (`to_document`),
so stems, variants and stop words behave alike, and highlights and snippets are computed by
our own code from the article text, whichever engine found it.

Engines are named in the build's catalog (`engine` in its meta table); tantivy is imported
only when a build made with it is opened (Whoosh always is: its query objects and parser are
the query language)."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from math import log
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ConfigError, EngineMissingError
from .blocks import TermPostings

if TYPE_CHECKING:
    from ..text.analysis import Analyzer
    from .merging import Merged
    from .prefixes import Expansion, PrefixTable

WHOOSH = "whoosh"
TANTIVY = "tantivy"
ENGINES = (WHOOSH, TANTIVY)
DEFAULT_ENGINE = WHOOSH
META_ENGINE = "engine"  # catalog meta key; a build without it predates the choice: Whoosh
# Every surface word of an article is in one of these fields (see schema.py): did-you-mean's
# word counts and the spelling dictionary read them.
WORD_FIELDS = ("title_exact", "body_exact")


@dataclass(frozen=True)
class Found:
    """What one query found: the first hits (id, score), best first, and how many match."""

    hits: list[tuple[str, float]]
    total: int
    exact: bool = True  # False: `total` is a lower bound (a partial query cut short)


class FullText(Protocol):
    """One committed state of a full-text index, opened for searching."""

    engine: str
    schema: Any  # the Whoosh schema the query language is parsed against

    def search(self, q: Any, limit: int, *, optimize: bool = True) -> Found:
        """Rank the matches of `q`. `optimize=False` asks for an exact count."""
        ...

    def best_match(
        self, words: Sequence[Sequence[Any]], others: Sequence[Sequence[Any]], limit: int
    ) -> tuple[Found, int] | None:
        """A quicker way to rank an OR of the terms of `words` (each word: the Term query
        objects it is searched as) with the ranking `search` would give, and its count (a
        lower bound when `Found.exact` is False), and to count the articles with every word
        of `words` and `others` exactly at once; None when this engine has none for these
        words (then both are searched)."""
        ...

    def match_all(self, q: Any, limit: int) -> Found | None:
        """`search(q, limit, optimize=False)` (the same hits and exact count) by a quicker
        way, for an AND of a few plain words; None when this engine has none for `q`."""
        ...

    def doc_frequency(self, field: str, term: str) -> int: ...

    def idf(self, doc_frequency: int) -> float:
        """The inverse document frequency this engine's scoring gives a term that many
        documents have."""
        ...

    def terms_with_prefix(self, field: str, prefix: str) -> list[str]: ...

    def expand(self, probe: Any) -> list[str]:
        """The terms a Prefix, Wildcard or FuzzyTerm query object matches."""
        ...

    def top_expansions(self, field: str, prefix: str) -> Expansion | None:
        """The words a query keeps of `prefix`, as the build's prefix table has them
        (prefixes.py); None when the table does not hold them (then `expand` finds them)."""
        ...

    def field_terms(self, field: str) -> Iterable[str]: ...

    def narrowed(
        self, include: set[str] | None, exclude: set[str] | None, by_date: bool
    ) -> FullText:
        """The same index, searches kept to `include` minus `exclude`, newest first when
        `by_date` (undated last; scores stay the relevance)."""
        ...

    def ids(self) -> set[str]:
        """Every document's id (for `index --check`)."""
        ...

    def close(self) -> None: ...


class FullTextWriter(Protocol):
    """Pending changes to a full-text index; `commit` makes them the engine's next state."""

    def add(self, document: dict) -> None: ...

    def update(self, document: dict) -> None: ...

    def delete(self, article_id: str) -> None: ...

    def commit(
        self, *, merge: bool = True, compact: bool = False, progress: Merged | None = None
    ) -> None:
        """`merge=False`: an intermediate commit of a run, which leaves merging segments
        to the run's last commit (merging after every batch rewrites the same postings
        again and again). `compact`: merge every segment into one (Whoosh; tantivy
        merges its segments itself). `progress`: told how far a merge has got (the share
        of its terms), when the commit merges segments."""
        ...

    def cancel(self) -> None: ...


def check_engine(name: str) -> str:
    """`name` if it is an engine this version knows, else a one-line error."""
    if name not in ENGINES:
        raise ConfigError(f'unknown search engine "{name}" (engines: {", ".join(ENGINES)})')
    return name


def require(name: str) -> None:
    """Fail in one line when the engine's package is not installed."""
    if name == TANTIVY:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            raise EngineMissingError(
                "tantivy is not installed: pip install 'newsreader[tantivy]'"
            ) from None


# -- Whoosh ------------------------------------------------------------------------------------
class WhooshFullText:
    """A Whoosh searcher (possibly narrowed, see narrow.py) behind the engine protocol."""

    engine = WHOOSH

    def __init__(
        self,
        searcher: Any,
        prefixes: PrefixTable | Callable[[], PrefixTable | None] | None = None,
    ) -> None:
        self.searcher = searcher
        self.schema = searcher.schema
        self._reader = searcher.reader()
        self._postings: Any = None
        self._frequencies: dict[tuple[str, str], int] = {}  # (field, term): articles
        # The prefix table of this state of the index only (see prefixes.token), or what
        # opens it: most searches have no prefix, and a command runs one search.
        self._prefixes = prefixes

    @property
    def prefixes(self) -> PrefixTable | None:
        if callable(self._prefixes):
            self._prefixes = self._prefixes()
        return self._prefixes

    def search(self, q: Any, limit: int, *, optimize: bool = True) -> Found:
        from . import bestmatch
        from .narrow import NarrowedSearcher, whoosh_search

        if bestmatch.constant_range(q) and not isinstance(self.searcher, NarrowedSearcher):
            # A date range alone: its articles counted from the postings (exact either way).
            top, total = bestmatch.range_match(self._postings_of(), q, limit)
            stored = self.searcher.stored_fields
            return Found([(stored(d)["id"], s) for d, s in top], total, True)
        res = whoosh_search(self.searcher, q, exact=not optimize, limit=limit, optimize=optimize)
        hits = [(r["id"], r.score) for r in res]
        if not optimize:
            # Scoring every match counts them in the same pass: exact, no second run.
            return Found(hits, len(res), True)
        exact = res.has_exact_length()
        # Without an exact count, the most that was seen: never a second pass to count.
        total = (
            len(res)
            if exact
            else max(getattr(res.collector, "total", 0), res.estimated_min_length())
        )
        return Found(hits, total, exact)

    def best_match(
        self, words: Sequence[Sequence[Any]], others: Sequence[Sequence[Any]], limit: int
    ) -> tuple[Found, int] | None:
        from . import bestmatch
        from .narrow import NarrowedSearcher

        if isinstance(self.searcher, NarrowedSearcher):
            return None  # filters and date order: Whoosh's own collector
        if not bestmatch.usable(self.searcher, [*words, *others]):
            return None
        top, total, exact, every = bestmatch.best_match(self._postings_of(), words, others, limit)
        stored = self.searcher.stored_fields
        return Found([(stored(d)["id"], s) for d, s in top], total, exact), every

    def match_all(self, q: Any, limit: int) -> Found | None:
        from . import conjunction
        from .narrow import NarrowedSearcher

        if isinstance(self.searcher, NarrowedSearcher):
            return None  # filters and date order: Whoosh's own collector
        parts = conjunction.clauses(q)
        if parts is None or not conjunction.usable_for(self.searcher, parts):
            return None
        top, total = conjunction.every_word(self._postings_of(), parts, limit)
        stored = self.searcher.stored_fields
        return Found([(stored(d)["id"], s) for d, s in top], total, True)

    def _postings_of(self) -> Any:
        from . import bestmatch

        if self._postings is None:
            self._postings = bestmatch.Postings(self.searcher, self.doc_frequency)
        return self._postings

    def doc_frequency(self, field: str, term: str) -> int:
        # Kept for the open index: a long query asks for each word's count to rank its
        # words, then again to score them, and the next query has many of the same words.
        key = (field, term)
        found = self._frequencies.get(key)
        if found is None:
            if len(self._frequencies) > 500_000:
                self._frequencies.clear()
            found = self._frequencies[key] = self._count(field, term)
        return found

    def _count(self, field: str, term: str) -> int:
        from .narrow import NarrowedSearcher

        if isinstance(self.searcher, NarrowedSearcher) or field not in self.schema:
            return self._reader.doc_frequency(field, term)
        # From each segment's term info, which ranking the term reads next: one lookup
        # per segment for both.
        try:
            btext = self.schema[field].to_bytes(term)
        except ValueError:
            return 0
        return sum(info.doc_frequency() for _, info in self._postings_of().where(field, btext))

    def idf(self, doc_frequency: int) -> float:
        # BM25F's (Whoosh's WeightingModel.idf), over every document, deleted ones too.
        return log(self.searcher.doc_count_all() / (doc_frequency + 1)) + 1

    def terms_with_prefix(self, field: str, prefix: str) -> list[str]:
        if field not in self._reader.schema:
            return []
        return [_text(t) for t in self._reader.expand_prefix(field, prefix)]

    def expand(self, probe: Any) -> list[str]:
        from whoosh import query as wq

        if type(probe) is not wq.Prefix or probe.fieldname not in self.schema:
            return [_text(b) for b in probe._btexts(self._reader)]
        # A prefix's terms with their article counts in one walk of each segment's terms
        # (the counts are what the expansion is cut by): ke* has over a thousand terms,
        # and looking each one up again took four times as long as the walk.
        counts: dict[bytes, int] = {}
        # The segments that have each term, kept for ranking the expansion (bestmatch.py).
        where: dict[bytes, list[tuple[int, Any]]] = {}
        for k, (sub, _) in enumerate(self.searcher.leaf_searchers()):
            for btext, n, info in _prefix_items(sub.reader(), probe.fieldname, probe.text):
                counts[btext] = counts.get(btext, 0) + n
                where.setdefault(btext, []).append((k, info))
        from .narrow import NarrowedSearcher

        if not isinstance(self.searcher, NarrowedSearcher):
            postings = self._postings_of()
            for btext, found in where.items():
                postings.remember((probe.fieldname, btext), found)
        if len(self._frequencies) > 500_000:
            self._frequencies.clear()
        terms = []
        for btext in sorted(counts):  # the term order, as Whoosh lists them
            term = _text(btext)
            self._frequencies[probe.fieldname, term] = counts[btext]
            terms.append(term)
        return terms

    def top_expansions(self, field: str, prefix: str) -> Expansion | None:
        if self.prefixes is None:
            return None
        found = self.prefixes.get(field, prefix)
        if found is not None:
            if len(self._frequencies) > 500_000:
                self._frequencies.clear()
            from .narrow import NarrowedSearcher

            postings = None if isinstance(self.searcher, NarrowedSearcher) else self._postings_of()
            for word, n, segments in found.words:
                self._frequencies[field, word] = n
                if postings is not None:
                    postings.hint((field, word.encode("utf-8")), segments)
        return found

    def field_terms(self, field: str) -> Iterable[str]:
        return (_text(t) for t in self._reader.field_terms(field))

    def narrowed(
        self, include: set[str] | None, exclude: set[str] | None, by_date: bool
    ) -> WhooshFullText:
        from .narrow import NarrowedSearcher

        # The words under a prefix are the index's, whatever the filter: the same table.
        searcher = NarrowedSearcher(self.searcher, include, exclude, by_date=by_date)
        return WhooshFullText(searcher, lambda: self.prefixes)

    def ids(self) -> set[str]:
        return {fields["id"] for _, fields in self._reader.iter_docs()}

    def close(self) -> None:
        self.searcher.close()
        if self._prefixes is not None and not callable(self._prefixes):
            self._prefixes.close()


def word_counts(reader: Any, fields: Iterable[str]) -> dict[str, dict[str, tuple[int, int]]]:
    """Every word of each of `fields` with its article count (deleted ones included, as a
    prefix's walk counts them), summed over the segments of `reader`, and the segments that
    have it (bit k: the k-th leaf reader): what the prefix table (prefixes.py) is made of."""
    from .prefixes import LENGTHS

    shortest = min(LENGTHS)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for field in fields:
        counts: dict[str, tuple[int, int]] = {}
        get = counts.get
        for k, (leaf, _) in enumerate(reader.leaf_readers()):
            bit = 1 << k
            for btext, n, _ in _prefix_items(leaf, field, ""):
                word = _text(btext)
                if len(word) < shortest:
                    continue  # under no prefix of the table
                had, mask = get(word, (0, 0))
                counts[word] = (had + n, mask | bit)
        out[field] = counts
    return out


def _prefix_items(reader: Any, field: str, prefix: str) -> Iterator[tuple[bytes, int, Any]]:
    """A segment's terms of `field` that begin with `prefix`: each one's bytes, article
    count and term info (as stored: bytes, decoded only for the terms ranked; see
    `bestmatch.Postings.where`). Decoding every term info of "meng*" (3,000 terms in each
    of fifteen segments) took a tenth of a second per field."""
    from .terms import doc_frequency  # Whoosh's reading code: a Whoosh reader is open

    terms = getattr(reader, "_terms", None)
    try:
        tindex, keycoder = terms._tindex, terms._keycoder  # type: ignore[union-attr]
        start = keycoder(field, reader._text_to_bytes(field, prefix))
        skip = len(keycoder(field, b""))
    except (AttributeError, KeyError):  # another codec, or a field this segment lacks
        if field in reader.schema:
            for btext, info in reader.iter_prefix(field, prefix):
                yield btext, info.doc_frequency(), info
        return
    for key, value in _records_from(tindex, start):
        if not key.startswith(start):
            break
        yield key[skip:], doc_frequency(value), value


_RECORD_LENGTHS = struct.Struct("!ii")  # a term index record's key and value lengths
_READ_AHEAD = 1 << 16
_FIRST_READ = 1 << 12


def _records_from(tindex: Any, key: bytes) -> Iterator[tuple[bytes, bytes]]:
    """Whoosh's `OrderedHashReader.items_from(key)`, the file read up to 64 KiB at a time: Whoosh
    reads each record's lengths, key and value apart, three reads a term, which walking
    every word of a segment read from its file (not mapped) made most of the walk."""
    pos = tindex.closest_key_pos(key)
    if pos is None:
        return
    end_of_data = tindex.endofdata
    get = tindex.dbfile.get
    unpack = _RECORD_LENGTHS.unpack_from
    buf, base = b"", pos  # buf holds the file's bytes from base on
    # A query's prefix walk often stops after a few terms: the first read is small, and
    # each next one twice as large, up to _READ_AHEAD.
    ahead = min(_FIRST_READ, _READ_AHEAD)
    while pos < end_of_data:
        at = pos - base
        if at + 8 > len(buf):
            buf, base, at = get(pos, min(ahead, end_of_data - pos)), pos, 0
            ahead = min(2 * ahead, _READ_AHEAD)
        key_length, value_length = unpack(buf, at)
        end = at + 8 + key_length + value_length
        if end > len(buf):
            size = max(ahead, end - at)
            buf, base, at = get(pos, min(size, end_of_data - pos)), pos, 0
            ahead = min(2 * ahead, _READ_AHEAD)
            end = 8 + key_length + value_length
        yield buf[at + 8 : at + 8 + key_length], buf[at + 8 + key_length : end]
        pos = base + end


def _text(term: str | bytes) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


class WhooshWriter:
    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self._segments: list[Any] = []

    def add(self, document: dict) -> None:
        from .schema import POSTINGS

        if POSTINGS in document:
            _add_with_postings(self.writer, document)
        else:
            self.writer.add_document(**document)

    def update(self, document: dict) -> None:
        from .schema import POSTINGS

        if POSTINGS in document:
            self.writer.delete_by_term("id", document["id"])
            _add_with_postings(self.writer, document)
        else:
            self.writer.update_document(**document)

    def delete(self, article_id: str) -> None:
        self.writer.delete_by_term("id", article_id)

    def add_segments(self, segments: list[Any]) -> None:
        """Segments filled elsewhere (`SegmentBuilder`), part of the index from `commit` on."""
        self._segments.extend(segments)

    def commit(
        self, *, merge: bool = True, compact: bool = False, progress: Merged | None = None
    ) -> None:
        from whoosh.writing import MERGE_SMALL, NO_MERGE

        policy = MERGE_SMALL if merge else NO_MERGE
        extra, self._segments = self._segments, []
        # Whoosh's commit, except that the segments filled elsewhere join as they are
        # (merging them would write their postings again, here, in one process), after
        # this writer's own, and that segments are merged by merging.py, not through the
        # writer's posting pool: Whoosh's policy chooses them, ours merges them (in their
        # order). Compacting, every segment is merged into one, the writer's own
        # documents first (as Whoosh's own merges place them).
        w = self.writer
        w._check_state()
        own = [w._finalize_segment()] if w._added else []
        if not own:
            w._close_segment()
        if compact:
            chosen, kept = [*own, *w.segments, *extra], []
            own = extra = []
        else:
            chosen, kept = _chosen_for_merge(policy, w)
        if len(chosen) > 1 or any(s.has_deletions() for s in chosen):
            kept.append(merged_segment(w.storage, w.schema, chosen, progress))
        else:
            kept.extend(chosen)
        w._commit_toc([*kept, *own, *extra])
        w._finish()

    def cancel(self) -> None:
        self.writer.cancel()


# A worker's segment holds its postings by term (blocks.TermPostings). Whoosh's posting pool,
# which sorts them out through run files, is left for segments that Whoosh fills itself:
# merging segments that hold deleted articles (see merging.py), and documents added with
# Whoosh's own `add_document`. Postings it holds in memory (Whoosh's estimate) before it
# writes a run: with 24, a worker's segment of 2,500 CLICK-ID articles made a dozen runs.
SEGMENT_LIMIT_MB = 24
# Postings pickled together in a run file. Whoosh pickles each one on its own, writing and
# reading back: a tenth of a worker's profiled time, when workers filled their segments
# through the pool (360,000 postings in 1,500 articles).
# A block is read back whole; the merge of a segment's runs holds one block of each.
RUN_BLOCK = 2048


@lru_cache(maxsize=1)
def _block_pool() -> type:
    """Whoosh's posting pool (an external sort of a segment's postings), its run files
    written and read a block of postings at a time. Made on first use: Whoosh is imported
    only where an index is written."""
    import pickle

    from whoosh.writing import PostingPool

    class BlockPool(PostingPool):
        def _write_run(self, f: Any, items: Iterable[Any]) -> None:
            block: list[Any] = []
            for item in items:
                block.append(item)
                if len(block) >= RUN_BLOCK:
                    pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
                    block = []
            if block:
                pickle.dump(block, f, pickle.HIGHEST_PROTOCOL)
            f.close()

        def _read_run(self, path: str) -> Iterator[Any]:
            f = self._open_run(path)
            try:
                while True:
                    try:
                        block = pickle.load(f)
                    except EOFError:
                        return
                    yield from block
            finally:
                f.close()
                self._remove_run(path)

    return BlockPool


def _posting_pool(tempstore: Any, segment: Any, limit_mb: int) -> Any:
    return _block_pool()(tempstore, segment, limitmb=limit_mb)


class SegmentBuilder:
    """A new Whoosh segment filled in a worker process (see store/prepare.py): its files go
    in the index folder `folder` beside those of the writer that commits it, which adds it
    with `WhooshWriter.add_segments`. It takes no lock and reads no table of contents: the
    committing writer holds the index's lock, and a new segment needs only the schema.
    Written in a folder of its own, it joins the index's with `move_segment`."""

    def __init__(self, folder: Path, analyzer: Analyzer, limit_mb: int = SEGMENT_LIMIT_MB) -> None:
        from whoosh.filedb.filestore import FileStorage

        from .schema import make_schema, with_postings

        writer = _segment_writer(FileStorage(str(folder)), make_schema(analyzer), limit_mb)
        self.writer = writer
        self.postings = TermPostings()
        self._with_postings = partial(with_postings, analyzer=analyzer)
        # Each posting written asks for its document's field length; Whoosh reads it back
        # from the column file it has just written (a tenth of the segment's writing time).
        # It is kept here as it goes into the column, rounded the way the column rounds it.
        self.lengths = _Lengths()
        add_field = writer.perdocwriter.add_field

        def add_field_keeping_length(name: str, field: Any, value: Any, length: int) -> None:
            if length:
                self.lengths.keep(writer.docnum, name, length)
            add_field(name, field, value, length)

        writer.perdocwriter.add_field = add_field_keeping_length

    def add(self, document: dict) -> None:
        _add_with_postings(self.writer, self._with_postings(document), self.postings)

    def finish(self) -> Any:
        """The segment, its files written (none when nothing was added)."""
        writer = self.writer
        if not writer._added:
            writer.cancel()
            return None
        # SegmentWriter._finalize_segment, with the lengths kept, and the postings from
        # `self.postings` (those of documents Whoosh added itself from its pool).
        writer.perdocwriter.close()
        if self.postings:
            self.postings.write(writer.fieldwriter, writer.schema, self.lengths)
        else:
            items = writer.pool.iter_postings()
            writer.fieldwriter.add_postings(writer.schema, self.lengths, items)
        writer.fieldwriter.close()
        writer._close_segment()
        writer._assemble_segment()
        segment = writer.get_segment()
        writer._finish()
        return segment


def _chosen_for_merge(policy: Callable, writer: Any) -> tuple[list[Any], list[Any]]:
    """(segments to merge, segments kept) as Whoosh's merge `policy` would choose them for
    `writer`'s index, without merging anything: the merge is ours (see merging.py). The
    segments to merge keep the index's order."""

    chosen: list[Any] = []

    class Chooser:
        storage, schema = writer.storage, writer.schema

        def add_reader(self, reader: Any) -> None:
            chosen.append(reader.segment())

    chooser = Chooser()
    kept = list(policy(chooser, list(writer.segments)))
    ids = {s.segment_id() for s in chosen}
    return [s for s in writer.segments if s.segment_id() in ids], kept


def _segment_writer(storage: Any, schema: Any, limit_mb: int = SEGMENT_LIMIT_MB) -> Any:
    """A Whoosh writer of one new segment in `storage`, which takes no lock and reads no
    table of contents (see `SegmentBuilder`)."""
    from types import SimpleNamespace

    from whoosh.util import random_name
    from whoosh.writing import SegmentWriter

    from .codec import writing_codec
    from .fulltext import INDEXNAME

    toc = SimpleNamespace(generation=0, schema=schema, segments=[])
    ix = SimpleNamespace(storage=storage, indexname=INDEXNAME, _read_toc=lambda: toc)
    writer = SegmentWriter(ix, _lk=False, limitmb=limit_mb, codec=writing_codec())
    # Whoosh names every writer's scratch folder alike, and a writer removes its own when
    # it ends: this one's must not be another's.
    writer._tempstorage = storage.temp_storage(f"{INDEXNAME}_{random_name()}.tmp")
    writer.pool = _posting_pool(writer._tempstorage, writer.newsegment, limit_mb)
    return writer


def merged_segment(
    storage: Any, schema: Any, segments: Sequence[Any], progress: Merged | None = None
) -> Any:
    """One new segment in `storage` holding the documents of `segments` (of the index
    there), in their order (see merging.py)."""
    from .merging import merge_into

    writer = _segment_writer(storage, schema)
    try:
        merge_into(writer, segments, progress)
        return writer.get_segment()
    finally:
        writer._finish()


def move_segment(segment: Any, source: Path, target: Path) -> None:
    """Move the files of a segment `SegmentBuilder` wrote in `source` to the index folder
    `target` (on the same file system), to be committed there."""
    prefix = f"{segment.segment_id()}."
    for name in os.listdir(source):
        if name.startswith(prefix):
            os.replace(source / name, target / name)


class _Lengths:
    """Field lengths by document, as Whoosh's length columns give them back."""

    def __init__(self) -> None:
        from whoosh.util.numeric import byte_to_length, length_to_byte

        self._round = lambda n: byte_to_length(length_to_byte(n))
        self._fields: dict[str, dict[int, int]] = {}

    def keep(self, docnum: int, field: str, length: int) -> None:
        self._fields.setdefault(field, {})[docnum] = self._round(length)

    def doc_field_length(self, docnum: int, field: str, default: int = 0) -> int:
        return self._fields.get(field, {}).get(docnum, default)

    def of(self, field: str) -> dict[int, int]:
        return self._fields.get(field, {})


def _add_with_postings(writer: Any, document: dict, held: TermPostings | None = None) -> None:
    """Whoosh's `SegmentWriter.add_document` for a document whose postings were worked out
    beforehand (`schema.with_postings`): the same postings, lengths, stored values and
    columns, in the same order, without analysing anything here. The postings go to `held`
    if given, else to the writer's posting pool."""
    from .schema import POSTINGS

    writer._check_state()
    postings = document[POSTINGS]
    perdocwriter = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    pool = writer.pool
    names = sorted(name for name in document if not name.startswith("_"))
    writer._check_fields(schema, names)
    perdocwriter.start_doc(docnum)
    try:
        for name in names:
            value = document[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                pre = postings.get(name)
                if pre is None:  # a field whose postings are not worked out beforehand
                    items = []
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        items.append((tbytes, weight, vbytes))
                    size = None  # Whoosh's pool estimates it as it takes them
                else:
                    items, length, size = pre
                if held is not None:
                    held.add(name, docnum, items)
                elif size is None:
                    for tbytes, weight, vbytes in items:
                        pool.add((name, tbytes, docnum, weight, vbytes))
                elif items:
                    pool.fieldnames.add(name)
                    pool.current.extend([(name, t, docnum, w, v) for t, w, v in items])
                    pool.currentsize += size
                    if pool.currentsize > pool.limit:
                        pool.save()
            perdocwriter.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column and value is not None:
                perdocwriter.add_column_value(name, column, field.to_column_value(value))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1
