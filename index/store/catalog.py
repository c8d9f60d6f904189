"""The catalog: a SQLite file beside the Whoosh index holding what the index was built from
(source files and their hashes), each article's text and metadata, and the shingle postings
that answer "which articles share passages" without comparing every pair.

Each commit of the catalog also records which generation of the full-text index goes with
it (the "fulltext" manifest, see search/fulltext.py): that one SQLite transaction is the
commit point of both stores, and readers open the full text at the generation recorded.
"""

from __future__ import annotations

import json
import os
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from ..errors import IndexDamagedError
from ..model import Article, Kind, Metadata, Paragraph, Span
from ..text.tokens import Shingles
from . import postings
from .compression import TRAIN_AFTER, TRAIN_ON, Packer, make_dictionary, needs_dictionary

# Bumped whenever the index (full text or catalog) changes shape: older indexes are rebuilt.
# 3: control characters made visible at ingest; 4: exact-phrase and forms fields, variants
# filed under their words, title and body without positions, the spelling dictionary;
# 5: word-pair shingles beside 3-grams; 6: the written forms of terms in the catalog, not
# in the full text (and no `words` field there either); 7: each article's metadata and text
# stored together compressed, its shingle positions compressed; 8: no shingles kept per
# article (worked out again from its text when needed, see `Catalog.shingler`); 9: 4-byte
# shingle keys (see text/tokens.py); 10: shingle keys worked out from each term's value;
# 11: shingle postings grouped by hash range (see postings.py); 12: a posting's key bits
# last, in whole bytes, so that a lookup counts and finds them in C; 13: an article's
# metadata stored as a JSON array (see `_stored`); 14: a shingle posting in 7 bytes; 15: a
# term's value for shingle keys its CRC-32 (see text/tokens.py); 16: an exact word's
# positions a byte a gap (see search/schema.py), a shingle posting in 6 bytes (the article
# number's top byte in its row's), articles compressed with a dictionary (compression.py);
# 17: a rare term's info compact (see search/terms.py); 18: shingle postings in ranges of
# 2**15 keys, not 2**14 (see store/postings.py).
SCHEMA_VERSION = "18"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    hash TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS articles (
    doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
    hash TEXT NOT NULL, date TEXT, outlet TEXT, lang TEXT, title TEXT, display TEXT,
    words INTEGER, stored BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
-- Shingle postings grouped by hash range, packed (see postings.py).
CREATE TABLE IF NOT EXISTS shingles (b INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS forms (term TEXT NOT NULL, form TEXT NOT NULL,
    PRIMARY KEY (term, form)) WITHOUT ROWID;
-- A query's words are stemmed by looking their written forms up here (see store/searching).
CREATE INDEX IF NOT EXISTS forms_form ON forms(form);
-- The preset dictionary articles are compressed with (see compression.py): one row, once
-- made never changed; empty when the first articles gave nothing to put in it.
CREATE TABLE IF NOT EXISTS dictionary (id INTEGER PRIMARY KEY CHECK (id = 1), data BLOB NOT NULL);
"""


# A batch's shingle postings wait here, in SQLite's temporary database (on disk, not in this
# process's memory), until the batch is committed; they are then appended to their rows,
# merged by key (see `_flush`). An article's are kept in a few pieces by key range, packed
# (see postings.pending_rows). Part of the connection's transaction: a rollback forgets
# them too.
_PENDING = """
CREATE TEMP TABLE IF NOT EXISTS pending (part INTEGER NOT NULL, doc INTEGER NOT NULL,
    keys BLOB NOT NULL, postings BLOB NOT NULL);
"""
# Page caches, as negative KiB. A reader's stays large (its queries go all over the shingle
# table); a writer's is kept small: appending a batch's postings in hash order touches each
# page once, so a large cache only grew with the catalog. At 22,000 articles 4 MiB against
# 32 took the build process's peak from 233 to 154 MiB, and the catalog's commits from 16.4
# to 15.0 s in all.
READ_CACHE_KIB = -262144
WRITE_CACHE_KIB = -4096

# Pages of 16 KiB rather than SQLite's 4: an article's row (1.5 KB on average) and the rows
# of shingle postings leave less room unused at the end of each page. At 22,000 articles,
# vacuumed, 122 -> 112 MiB (articles 40 -> 33, shingle postings 76 -> 73).
PAGE_SIZE = 16384

# An article's shingles, (hash, position) each, as the build worked them out from it.
Shingler = Callable[[Article], Iterable[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class FileRecord:
    size: int
    mtime_ns: int
    hash: str | None
    reason: str | None  # why the file was skipped last time, if it was


@dataclass(frozen=True, slots=True)
class Summary:
    """What a results list shows for an article, without loading its text."""

    doc: int
    id: str
    path: str
    title: str | None
    display_title: str  # the title, or a stand-in from the first words
    outlet: str | None
    date: str | None
    lang: str | None
    words: int


class Catalog:
    """The catalog of one build. A writer's connection commits durably (synchronous=FULL:
    the full-text manifest recorded in a commit is on disk when `commit` returns); a
    reader's connection writes nothing, and opens a catalog on read-only storage too.

    An article's shingles are kept only as postings (hash, article, position), grouped by
    hash range (see postings.py). Removing an article needs its hashes: `shingler` works
    them out again from the stored article, as the build did (the analysis settings are
    part of the build's fingerprint, so they are the same). Kept per article they took as
    much room as the postings themselves (8 bytes a shingle then, 80 MB at 22,000 articles).
    Without a `shingler`, a removal reads the whole posting table instead."""

    def __init__(
        self, path: Path, *, readonly: bool = False, shingler: Shingler | None = None
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.shingler = shingler
        self._pending = 0  # postings waiting in temp.pending (see put_article)
        self._pending_docs: set[int] = set()
        self._pending_forms: set[tuple[str, str]] = set()
        try:
            if readonly:
                self.db = _connect_readonly(path)
                self.db.execute(f"PRAGMA cache_size={READ_CACHE_KIB}")
            else:
                self.db = sqlite3.connect(_uri(path), uri=True, timeout=30, check_same_thread=False)
                self.db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new catalog's only
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=FULL")
                self.db.execute(f"PRAGMA cache_size={WRITE_CACHE_KIB}")
                self.db.executescript(_SCHEMA)
                self.db.executescript(_PENDING)
            self.db.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
            self._read_dictionary()
        except sqlite3.DatabaseError as exc:
            raise IndexDamagedError(
                f"index catalog {path} is damaged ({exc}); run `newsreader index --rebuild`"
            ) from None

    def _read_dictionary(self) -> None:
        """The compressor of stored articles (`packer`), with the catalog's dictionary if it
        has made one (`_has_dictionary`; it may be empty)."""
        try:
            row = self.db.execute("SELECT data FROM dictionary").fetchone()
        except sqlite3.OperationalError:  # a catalog of before dictionaries, read only
            row = None
        self._has_dictionary = row is not None
        self.packer = Packer(row[0] if row else None)

    def _load(self, stored: bytes) -> Article:
        if needs_dictionary(stored) and self.packer.dictionary is None:
            self._read_dictionary()  # made by a writer since this reader opened the catalog
        return _article(self.packer.unpack(stored))

    def _make_dictionary(self) -> None:
        """Once the index has `TRAIN_AFTER` articles: make its dictionary from the first,
        and compress the articles stored so far again with it (a few thousand at most: the
        build's first batches are small), in the commit's transaction."""
        if self.readonly or self._has_dictionary:
            return
        (top,) = self.db.execute("SELECT coalesce(max(doc), 0) FROM articles").fetchone()
        if top < TRAIN_AFTER or self.count() < TRAIN_AFTER:
            return
        rows = self.db.execute("SELECT doc, stored FROM articles ORDER BY doc").fetchall()
        unpack = self.packer.unpack
        dictionary = make_dictionary(unpack(stored) for _, stored in rows[:TRAIN_ON])
        self.db.execute("INSERT INTO dictionary VALUES (1, ?)", (dictionary,))
        self._read_dictionary()
        if dictionary:
            pack = self.packer.pack
            self.db.executemany(
                "UPDATE articles SET stored = ? WHERE doc = ?",
                ((pack(unpack(stored)), doc) for doc, stored in rows),
            )

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read the catalog as of one commit for the whole block (nested blocks share it)."""
        if self.db.in_transaction:
            yield
            return
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            with suppress(sqlite3.Error):
                self.db.execute("COMMIT" if not self.readonly else "ROLLBACK")

    def integrity_problems(self, limit: int = 20) -> list[str]:
        """What SQLite's integrity check finds wrong (nothing: an empty list)."""
        rows = [r[0] for r in self.db.execute(f"PRAGMA integrity_check({int(limit)})")]
        return [] if rows == ["ok"] else rows

    def close(self) -> None:
        self.db.close()

    # -- meta ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- files --------------------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        rows = self.db.execute("SELECT path, size, mtime_ns, hash, reason FROM files")
        return {r[0]: FileRecord(r[1], r[2], r[3], r[4]) for r in rows}

    def outlets(self) -> list[str]:
        """Every outlet named, most articles first."""
        rows = self.db.execute(
            "SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
            " ORDER BY count(*) DESC, outlet"
        )
        return [r[0] for r in rows]

    def skip_reason(self, path: str) -> str | None:
        """Why the file at `path` (relative to the corpus) was skipped, if it was."""
        row = self.db.execute("SELECT reason FROM files WHERE path=?", (path,)).fetchone()
        return row[0] if row else None

    def put_file(self, path: str, record: FileRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)",
            (path, record.size, record.mtime_ns, record.hash, record.reason),
        )

    def delete_file(self, path: str) -> None:
        self.db.execute("DELETE FROM files WHERE path=?", (path,))

    # -- articles -----------------------------------------------------------------------
    def ids_for_path(self, path: str) -> dict[str, str]:
        rows = self.db.execute("SELECT id, hash FROM articles WHERE path=?", (path,))
        return dict(rows.fetchall())

    def put_article(
        self,
        article: Article,
        shingles: Shingles | Sequence[tuple[int, int]],
        forms: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Store an article with its shingles and the (term, written form) pairs of its
        words (see `forms_of`)."""
        self.delete_article(article.id)
        self._pending_forms.update(forms)
        m = article.meta
        cur = self.db.execute(
            "INSERT INTO articles (id, path, hash, date, outlet, lang, title, display, words,"
            " stored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.path,
                article.content_hash,
                m.date,
                m.outlet,
                m.language,
                m.title,
                # Most articles' display title is their title: kept once (1.4 MB at 22,000).
                None if article.display_title == m.title else article.display_title,
                article.word_count,
                self.packer.pack(_stored(article)),
            ),
        )
        doc = cur.lastrowid
        # Postings are appended to their rows at commit, in hash order, so that the rows
        # are written page by page instead of at random. Until then they wait in
        # temp.pending, so that a batch holds no posting in memory.
        if isinstance(shingles, Shingles) and shingles.by_key:
            keys, positions = shingles.hashes, shingles.positions
        else:
            pairs = sorted(shingles)
            keys = array("q", [h for h, _ in pairs])
            positions = array("i", [p for _, p in pairs])
        self.db.executemany(
            "INSERT INTO temp.pending VALUES (?, ?, ?, ?)",
            postings.pending_rows(doc, keys, positions),
        )
        self._pending += len(keys)
        self._pending_docs.add(doc)

    def delete_article(self, article_id: str) -> None:
        row = self.db.execute(
            "SELECT doc, stored FROM articles WHERE id=?", (article_id,)
        ).fetchone()
        if row is None:
            return
        doc, stored = row
        if doc in self._pending_docs:  # added in this batch: its postings are not in yet
            self.db.execute("DELETE FROM temp.pending WHERE doc=?", (doc,))
            self._pending_docs.discard(doc)
        else:
            self._remove_postings(doc, stored)
        self.db.execute("DELETE FROM articles WHERE doc=?", (doc,))

    def _remove_postings(self, doc: int, stored: bytes) -> None:
        if self.shingler is not None:
            rows = sorted({postings.row_of(h, doc) for h, _ in self.shingler(self._load(stored))})
        else:  # every row, read a chunk at a time
            rows = [b for (b,) in self.db.execute("SELECT b FROM shingles")]
        for chunk in _chunks(rows, 900):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT b, data FROM shingles WHERE b IN ({marks})"
            for b, data in self.db.execute(sql, chunk).fetchall():
                kept = postings.without(b, data, doc)
                if kept == b"":
                    self.db.execute("DELETE FROM shingles WHERE b=?", (b,))
                elif kept is not None:
                    self.db.execute("UPDATE shingles SET data=? WHERE b=?", (kept, b))

    def article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT stored FROM articles WHERE id=?", (article_id,)).fetchone()
        return self._load(row[0]) if row else None

    def article_by_doc(self, doc: int) -> Article | None:
        row = self.db.execute("SELECT stored FROM articles WHERE doc=?", (doc,)).fetchone()
        return self._load(row[0]) if row else None

    def doc_of(self, article_id: str) -> int | None:
        row = self.db.execute("SELECT doc FROM articles WHERE id=?", (article_id,)).fetchone()
        return row[0] if row else None

    def id_of(self, doc: int) -> str | None:
        row = self.db.execute("SELECT id FROM articles WHERE doc=?", (doc,)).fetchone()
        return row[0] if row else None

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def summaries(
        self,
        ids: Iterable[str] | None = None,
        *,
        newest_first: bool = True,
        limit: int | None = None,
    ) -> list[Summary]:
        cols = "doc, id, path, title, coalesce(display, title), outlet, date, lang, words"
        if ids is None:
            cap = "" if limit is None else f" LIMIT {int(limit)}"
            if not newest_first:
                return [
                    Summary(*r)
                    for r in self.db.execute(f"SELECT {cols} FROM articles ORDER BY id{cap}")
                ]
            # Dated articles newest first, then the undated ones: two selects, so that the
            # first walks the date index (one ORDER BY over both read the whole table: a
            # third of a second at 100,000 articles for the app's first screen).
            out = [
                Summary(*r)
                for r in self.db.execute(
                    f"SELECT {cols} FROM articles WHERE date IS NOT NULL "
                    f"ORDER BY date DESC, id{cap}"
                )
            ]
            if limit is None or len(out) < limit:
                rest = "" if limit is None else f" LIMIT {int(limit) - len(out)}"
                sql = f"SELECT {cols} FROM articles WHERE date IS NULL ORDER BY id{rest}"
                out += [Summary(*r) for r in self.db.execute(sql)]
            return out
        wanted = list(ids)
        found: dict[str, Summary] = {}
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT {cols} FROM articles WHERE id IN ({marks})", chunk):
                found[r[1]] = Summary(*r)
        return [found[i] for i in wanted if i in found]

    def find_ids(self, pattern: str) -> list[str]:
        """Ids equal to, or starting with, `pattern`, or whose file name or record id (after
        "#") starts with it."""
        rows = self.db.execute(
            "SELECT id FROM articles WHERE id = ?1 OR id LIKE ?2 ESCAPE '\\' "
            "OR id LIKE ?3 ESCAPE '\\' OR id LIKE ?4 ESCAPE '\\' ORDER BY id",
            (
                pattern,
                _like_prefix(pattern),
                "%/" + _like_prefix(pattern),
                "%#" + _like_prefix(pattern),
            ),
        )
        return [r[0] for r in rows]

    # -- shingles -----------------------------------------------------------------------
    def postings(
        self, hashes: Iterable[int], most: Callable[[int], int] | None = None
    ) -> Iterator[tuple[int, int, int]]:
        """(hash, doc, position) for every article holding one of `hashes`; with `most`,
        only for the hashes no more than `most(hash)` articles hold."""
        self._flush()
        self._check_version()
        want = postings.wanted(hashes)
        (top,) = self.db.execute("SELECT coalesce(max(doc), 0) FROM articles").fetchone()
        # A key range has a row for each top byte of article numbers (one below 65,536).
        each = len(postings.rows_of(0, top))
        for chunk in _chunks(list(want), max(1, 900 // each)):
            rows = [row for span in chunk for row in postings.rows_of(span, top)]
            marks = ",".join("?" * len(rows))
            found = self.db.execute(
                f"SELECT b, data FROM shingles WHERE b IN ({marks}) ORDER BY b", rows
            ).fetchall()
            for span, group in groupby(found, lambda r: postings.span_of(r[0])):
                yield from postings.matching(list(group), want[span], most)

    def _check_version(self) -> None:
        """Shingle postings are laid out differently from one schema to another: an index
        of another version (searched while a rebuild makes the new one) says so, instead
        of calling its postings damaged."""
        schema = self.get_meta("schema")
        if schema is not None and schema != SCHEMA_VERSION:
            raise IndexDamagedError(
                "the index was made by another version of newsreader; run `newsreader index`"
                " to rebuild it"
            )

    def damaged_posting_rows(self) -> int:
        """How many rows of the shingle postings cannot hold whole postings."""
        sql = "SELECT count(*) FROM shingles WHERE length(data) % ? != 0 OR length(data) = 0"
        return self.db.execute(sql, (postings.STORED_SIZE,)).fetchone()[0]

    def all_postings(self) -> Iterator[tuple[int, int, int]]:
        """Every posting, ordered by hash: one pass over the shingle table."""
        self._flush()
        for _, rows in self._ranges():
            yield from sorted(p for b, data in rows for p in postings.decode(b, data))

    def shared_postings(self, max_docs: int) -> Iterator[tuple[int, int, int]]:
        """The postings of every hash that 2 to `max_docs` articles hold, ordered by hash:
        a corpus-wide candidate search without the many that one article alone holds."""
        self._flush()
        for _, rows in self._ranges():
            yield from postings.shared(rows, max_docs)

    def _ranges(self) -> Iterator[tuple[int, Iterator[tuple[int, bytes]]]]:
        """The shingle rows, grouped by key range, in order."""
        self._check_version()
        rows = self.db.execute("SELECT b, data FROM shingles ORDER BY b")
        return groupby(rows, lambda r: postings.span_of(r[0]))

    # -- transactions -------------------------------------------------------------------
    def forms_of(self, term: str) -> list[str]:
        """The forms a term is written in across the corpus ("kerja sama" for kerjasama):
        a search marks its hits by these instead of analysing each hit. A form whose last
        article is gone stays; it is then simply not found in any hit."""
        return [f for (f,) in self.db.execute("SELECT form FROM forms WHERE term = ?", (term,))]

    def terms_written_as(self, forms: list[str]) -> list[tuple[str, str]]:
        """The (term, form) pairs of these written forms: how the index analysed them, in one
        select. Empty on a catalog without the `forms_form` index, where it would read the
        whole table."""
        if (
            not forms
            or not self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'forms_form'"
            ).fetchone()
        ):
            return []
        marks = ",".join("?" * len(forms))
        sql = f"SELECT term, form FROM forms WHERE form IN ({marks})"
        return list(self.db.execute(sql, forms))

    def vacuum(self) -> None:
        """Write the catalog again without the room deleted rows and half-filled pages left
        (a few seconds at 22,000 articles, 177 -> 167 MiB). Called with nothing pending; a
        failure (a reader's lock, a full disk) leaves it as it was."""
        self.commit()
        with suppress(sqlite3.OperationalError):
            self.db.execute("VACUUM")

    def write_pending(self) -> None:
        """Insert the batch's pending shingle postings and forms into their tables (in the
        transaction, not committed): the largest part of a commit, done ahead of it."""
        self._flush()

    def _flush(self) -> None:
        if self._pending_forms:
            self.db.executemany(
                "INSERT OR IGNORE INTO forms VALUES (?, ?)", sorted(self._pending_forms)
            )
            self._pending_forms.clear()
        if self._pending:
            # Each row's new postings are appended to it in one statement; SQLite's `||`
            # makes text of blobs, so the result is cast back.
            pieces = self.db.execute(postings.PENDING_SELECT)  # streamed
            self.db.executemany(
                "INSERT INTO shingles VALUES (?, ?) ON CONFLICT (b) DO UPDATE"
                " SET data = CAST(data || excluded.data AS BLOB)",
                postings.merged_rows(pieces),
            )
            self.db.execute("DELETE FROM temp.pending")
            self._pending = 0
            self._pending_docs.clear()

    def commit(self) -> None:
        self._flush()
        self._make_dictionary()
        self.db.commit()

    def rollback(self) -> None:
        self._pending_forms.clear()
        self._pending = 0
        self._pending_docs.clear()
        self.db.rollback()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that writes nothing. In WAL mode even a reader needs the -shm file; in a
    folder it cannot write to (read-only storage, no writer about), the catalog is opened
    as immutable instead."""
    if not path.exists():
        raise sqlite3.DatabaseError(f"{path.name} is missing")
    try:
        db = sqlite3.connect(_uri(path, "ro"), uri=True, timeout=30, check_same_thread=False)
        db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return db
    except sqlite3.OperationalError:
        if os.access(path.parent, os.W_OK):
            raise
    return sqlite3.connect(
        _uri(path, "ro&immutable=1"), uri=True, timeout=30, check_same_thread=False
    )


def _uri(path: Path, mode: str | None = None) -> str:
    """An SQLite URI for `path` (quoted: a folder may be called "#1" or "50%")."""
    uri = "file:" + quote(str(path))
    return f"{uri}?mode={mode}" if mode else uri


# An article's metadata and text are read together, whole, and only for the few articles a
# search shows or a comparison aligns: stored compressed they take a third of the room. The
# metadata is a JSON array, its fields in `_article`'s order and each paragraph five numbers:
# as `Article.to_json` writes it, named fields and all, it was half an article's bytes
# before compression and 38% after (at 22,000 CLICK-ID articles, 26.3 MiB compressed in all;
# so, 22.8). JSON escapes a NUL, so the first NUL byte ends the metadata.
_KINDS = (Kind.TITLE, Kind.META, Kind.HEADING, Kind.TEXT)
_KIND_CODE = {kind: code for code, kind in enumerate(_KINDS)}


def _stored(article: Article) -> bytes:
    m = article.meta
    paragraphs: list[int] = []
    for p in article.paragraphs:
        repeat = -1 if p.repeat_of is None else p.repeat_of
        paragraphs += (p.index, p.start, p.end, _KIND_CODE[p.kind] * 2 + p.boilerplate, repeat)
    meta = json.dumps(
        [
            article.id,
            article.path,
            article.content_hash,
            m.title,
            _span(m.title_span),
            m.outlet,
            m.author,
            m.date,
            _span(m.date_span),
            m.language,
            m.url,
            paragraphs,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return f"{meta}\x00{article.text}".encode()


def _article(stored: bytes) -> Article:
    meta, _, text = stored.partition(b"\x00")
    fields = json.loads(meta)
    doc_id, path, content_hash, title, title_span, outlet, author, date = fields[:8]
    date_span, language, url, numbers = fields[8:]
    paragraphs = tuple(
        Paragraph(
            numbers[i],
            numbers[i + 1],
            numbers[i + 2],
            _KINDS[numbers[i + 3] >> 1],
            bool(numbers[i + 3] & 1),
            None if numbers[i + 4] < 0 else numbers[i + 4],
        )
        for i in range(0, len(numbers), 5)
    )
    metadata = Metadata(
        title, _unspan(title_span), outlet, author, date, _unspan(date_span), language, url
    )
    return Article(doc_id, path, text.decode(), metadata, paragraphs, content_hash)


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _unspan(pair: list[int] | None) -> Span | None:
    return None if pair is None else Span(*pair)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
