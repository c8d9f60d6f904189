"""A corpus and its index: the one place where the engine touches the disk.

Layout of an index folder: `text/` (Whoosh), `catalog.sqlite` (sources, articles, shingles).
A lock file beside the folder keeps two writers apart. `--rebuild` (and any rebuild the
engine decides on) builds into a sibling folder and swaps it in only when complete.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from index.align import DEFAULT_SETTINGS, Alignment, AlignSettings, Side, align, prepare
from index.analysis import Analyzer, Term
from index.catalog import SCHEMA_VERSION, Catalog, FileRecord, Summary
from index.corpus import (
    Limits,
    SourceFile,
    check_root,
    list_sources,
    read_source,
    readers_fingerprint,
    supported_suffixes,
)
from index.errors import (
    AlignmentError,
    ArticleNotFoundError,
    CorpusError,
    IndexDamagedError,
    IndexLockedError,
    NewsreaderError,
)
from index.hits import SearchResults, list_all
from index.locations import index_dir_for, variants_file
from index.model import Article, Skipped, UpdateReport
from index.reuse import (
    DEFAULT_REUSE,
    Overlap,
    Related,
    ReuseSettings,
    align_pairs,
    candidate_pairs,
    collect_overlaps,
)
from index.reuse import related as reuse_related
from index.tokens import article_tokens, shingles
from index.vocabulary import load_vocabulary


@dataclass(frozen=True)
class Comparison:
    a: Article
    b: Article
    alignment: Alignment


Progress = Callable[[int, int, str], None]  # done, total, current source path
COMMIT_EVERY_ARTICLES = 2000
COMMIT_EVERY_SECONDS = 60.0


@dataclass(frozen=True)
class Pending:
    """What an update would do, from file sizes and times alone (nothing is read)."""

    new: int
    changed: int
    removed: int
    rebuild_reason: str | None

    @property
    def stale(self) -> bool:
        return bool(self.new or self.changed or self.removed or self.rebuild_reason)


class Library:
    def __init__(self, corpus: Path, index_dir: Path, analyzer: Analyzer,
                 limits: Limits | None = None) -> None:
        self.corpus = corpus
        self.index_dir = index_dir
        self.analyzer = analyzer
        self.limits = limits or Limits()
        self._ix = None
        self._searcher = None
        self._catalog: Catalog | None = None
        self._sides: dict[tuple[str, str], Side] = {}
        self._terms: dict[tuple[str, str], list[Term]] = {}

    @classmethod
    def open(cls, corpus: Path, index_dir: Path | None = None,
             variants: Path | None = None, limits: Limits | None = None) -> Library:
        root = check_root(Path(corpus))
        vocabulary = load_vocabulary(variants if variants is not None else variants_file())
        folder = index_dir_for(root, index_dir)
        limits = limits or Limits()
        if not limits.fields:
            # Field names given once on the command line stay with the index.
            limits = dataclasses.replace(limits, fields=_stored_fields(folder / "catalog.sqlite"))
        return cls(root, folder, Analyzer(vocabulary), limits)

    # -- state ----------------------------------------------------------------------------
    @property
    def catalog_path(self) -> Path:
        return self.index_dir / "catalog.sqlite"

    def exists(self) -> bool:
        # Only looks for the files: damage is found (and reported) when the index is opened.
        text_dir = self.index_dir / "text"
        return self.catalog_path.exists() and any(text_dir.glob("_MAIN_*.toc"))

    def _rebuild_reason(self, catalog: Catalog) -> str | None:
        if catalog.get_meta("schema") != SCHEMA_VERSION:
            return "the index was made by another version of newsreader"
        if catalog.get_meta("analyzer") != self.analyzer.fingerprint:
            return "the word lists (variants, stop words) have changed"
        corpus = catalog.get_meta("corpus")
        if corpus and corpus != str(self.corpus):
            return f"the index folder held another corpus ({corpus})"
        readers = catalog.get_meta("readers")
        if readers and readers != readers_fingerprint(self.corpus, self.limits):
            return "the record field mapping (newsreader.toml or --field) has changed"
        return None

    def pending(self) -> Pending:
        if not self.exists():
            sources, _ = list_sources(self.corpus)
            return Pending(len(sources), 0, 0, "there is no index yet")
        catalog = self.catalog()
        reason = self._rebuild_reason(catalog)
        known = catalog.files()
        sources, _ = list_sources(self.corpus)
        seen = {s.path for s in sources}
        new = sum(1 for s in sources if s.path not in known)
        changed = sum(
            1 for s in sources
            if s.path in known and (known[s.path].size, known[s.path].mtime_ns)
            != (s.size, s.mtime_ns)
        )
        removed = sum(1 for p in known if p not in seen)
        return Pending(new, changed, removed, reason)

    # -- reading --------------------------------------------------------------------------
    def catalog(self) -> Catalog:
        if self._catalog is None:
            if not self.catalog_path.exists():
                raise IndexDamagedError(f"no index at {self.index_dir}: run `newsreader index`")
            self._catalog = Catalog(self.catalog_path)
        return self._catalog

    def fulltext(self):
        if self._ix is None:
            from whoosh import index as windex

            try:
                self._ix = windex.open_dir(str(self.index_dir / "text"))
            except windex.EmptyIndexError:
                raise IndexDamagedError(
                    f"the index at {self.index_dir} is damaged or missing; "
                    "run `newsreader index --rebuild`") from None
            except Exception as exc:  # Whoosh surfaces damage as many exception types
                raise IndexDamagedError(
                    f"the index at {self.index_dir} is damaged ({type(exc).__name__}); "
                    "run `newsreader index --rebuild`") from None
        return self._ix

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._catalog is not None:
            self._catalog.close()
            self._catalog = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def searcher(self):
        """An open Whoosh searcher, kept between queries (opening one reads every segment)
        and refreshed when the index has changed since."""
        if self._searcher is None:
            self._searcher = self.fulltext().searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def search(self, text: str, limit: int = 10) -> SearchResults:
        if not text.strip():
            return list_all(self.catalog(), max(1, limit))
        from index.search import run_search  # Whoosh loads with the first real query

        return run_search(text, self.searcher(), self.catalog(), self.analyzer, limit,
                          self.terms_of)

    def terms_of(self, article: Article) -> list[Term]:
        """The article's analysed text, kept for the most recently used articles: searching
        as you type highlights the same hits again and again."""
        key = (article.id, article.content_hash)
        terms = self._terms.pop(key, None)
        if terms is None:
            terms = self.analyzer.terms(article.text)
        self._terms[key] = terms  # most recent last
        if len(self._terms) > 256:
            self._terms.pop(next(iter(self._terms)))
        return terms

    def article(self, ref: str) -> Article:
        """An article by id, unique id prefix, file name, or path (absolute or relative to the
        working folder) inside the corpus."""
        catalog = self.catalog()
        article = catalog.article(ref)
        if article is not None:
            return article
        candidates = [ref]
        path = Path(ref).expanduser()
        with suppress(ValueError, OSError):
            candidates.append(path.resolve().relative_to(self.corpus).as_posix())
        for cand in candidates:
            article = catalog.article(cand)
            if article is not None:
                return article
        matches = catalog.find_ids(ref)
        if len(matches) == 1:
            return catalog.article(matches[0])  # type: ignore[return-value]
        if len(matches) > 1:
            shown = ", ".join(matches[:3]) + (" …" if len(matches) > 3 else "")
            raise ArticleNotFoundError(f'"{ref}" matches {len(matches)} articles: {shown}')
        raise ArticleNotFoundError(f'no article "{ref}" in {self.corpus}')

    def summaries(self, limit: int | None = None) -> list[Summary]:
        return self.catalog().summaries(limit=limit)

    # -- shared passages ------------------------------------------------------------------
    def _side(self, article: Article) -> Side:
        key = (article.id, article.content_hash)
        side = self._sides.get(key)
        if side is None:
            side = prepare(article, self.analyzer, self.terms_of(article))
            self._sides[key] = side
            if len(self._sides) > 512:
                self._sides.pop(next(iter(self._sides)))
        return side

    def compare(self, ref_a: str, ref_b: str,
                settings: AlignSettings = DEFAULT_SETTINGS) -> Comparison:
        """The passages two articles share, with offsets into both original texts."""
        a = self.article(ref_a)
        b = self.article(ref_b)
        if a.id == b.id:
            raise AlignmentError(f"both names refer to the same article ({a.id}); "
                                 "give two different articles")
        for article in (a, b):
            if not self._side(article).counted:
                raise AlignmentError(f"article {article.id} has no text to compare")
        return Comparison(a, b, align(self._side(a), self._side(b), self.analyzer, settings))

    def _aligner(self, settings: AlignSettings):
        catalog = self.catalog()

        def run(x: int, y: int) -> Alignment | None:
            a, b = catalog.article_by_doc(x), catalog.article_by_doc(y)
            if a is None or b is None:
                return None
            return align(self._side(a), self._side(b), self.analyzer, settings)

        return run

    def related(self, ref: str, settings: AlignSettings = DEFAULT_SETTINGS,
                reuse: ReuseSettings = DEFAULT_REUSE) -> tuple[Article, list[Related]]:
        """Other articles sharing at least one passage with this one, by coverage."""
        article = self.article(ref)
        doc = self.catalog().doc_of(article.id)
        if doc is None:  # pragma: no cover - article() read it from the catalog
            raise ArticleNotFoundError(f'no article "{ref}"')
        return article, reuse_related(self.catalog(), doc, self._aligner(settings), reuse)

    def overlaps(self, min_coverage: float = 0.0, settings: AlignSettings = DEFAULT_SETTINGS,
                 reuse: ReuseSettings = DEFAULT_REUSE,
                 progress: Callable[[int, int], None] | None = None,
                 workers: int | None = None) -> list[Overlap]:
        """Every pair of articles in the corpus that shares passages. Candidate pairs are
        aligned in `workers` processes (default: one per CPU) when there are many."""
        catalog = self.catalog()
        pairs = candidate_pairs(catalog, reuse)
        workers = workers if workers is not None else min(os.cpu_count() or 1, 8)
        if workers <= 1 or len(pairs) < PARALLEL_PAIRS:
            aligned = align_pairs(pairs, self._aligner(settings), progress)
            return collect_overlaps(aligned, catalog, min_coverage)
        return collect_overlaps(self._align_in_processes(pairs, settings, workers, progress),
                                catalog, min_coverage)

    def _align_in_processes(self, pairs: list[tuple[int, int, int]], settings: AlignSettings,
                            workers: int, progress: Callable[[int, int], None] | None
                            ) -> Iterator[tuple[int, int, Alignment | None]]:
        # Forked workers: "spawn" would re-run the caller's main module, which breaks any
        # script without a __main__ guard. A child never touches the SQLite connections it
        # inherits; each opens its own Library in _start_worker.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        chunks = [pairs[i : i + PAIRS_PER_TASK] for i in range(0, len(pairs), PAIRS_PER_TASK)]
        done = 0
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                 initargs=(self.corpus, self.index_dir, self.analyzer,
                                           self.limits, settings)) as pool:
            try:
                for chunk, results in zip(chunks, pool.map(_align_chunk, chunks),
                                          strict=True):
                    yield from results
                    done += len(chunk)
                    if progress:
                        progress(done, len(pairs))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)
                raise

    # -- writing --------------------------------------------------------------------------
    def update(self, *, rebuild: bool = False, progress: Progress | None = None,
               should_stop: Callable[[], bool] | None = None) -> UpdateReport:
        """Bring the index in line with the corpus folder. Only new and changed files are
        read; the work is committed in batches, so an interrupted run keeps what it did."""
        start = time.perf_counter()
        with self._writer_lock():
            if self.exists():
                if rebuild:
                    reason = "asked for"  # a damaged catalog need not be readable then
                else:
                    catalog = Catalog(self.catalog_path)
                    try:
                        reason = self._rebuild_reason(catalog)
                    finally:
                        catalog.close()
                if reason:
                    report = self._rebuild(progress, should_stop)
                else:
                    report = self._sync(self.index_dir, progress, should_stop, fresh=False)
            elif self.index_dir.exists() and any(self.index_dir.iterdir()):
                # Half an index (a first build cut off, or damage) is rebuilt; a folder
                # holding anything else is not ours to delete.
                if not (self.index_dir / "text").exists() and not self.catalog_path.exists():
                    raise IndexDamagedError(f"{self.index_dir} is not a newsreader index; "
                                            "choose another --index-dir")
                report = self._rebuild(progress, should_stop)
            else:
                report = self._sync(self.index_dir, progress, should_stop, fresh=True)
        report.seconds = time.perf_counter() - start
        return report

    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.index_dir.parent / f".{self.index_dir.name}.lock"
        fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole update
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLockedError(
                    f"the index {self.index_dir} is being updated by another newsreader "
                    "process; try again when it has finished") from None
            yield
        finally:
            fh.close()

    def _rebuild(self, progress: Progress | None,
                 should_stop: Callable[[], bool] | None) -> UpdateReport:
        self.close()
        staging = self.index_dir.with_name(self.index_dir.name + ".rebuild")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            report = self._sync(staging, progress, should_stop, fresh=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if report.interrupted:
            shutil.rmtree(staging, ignore_errors=True)
            return report
        retired = self.index_dir.with_name(self.index_dir.name + ".old")
        shutil.rmtree(retired, ignore_errors=True)
        if self.index_dir.exists():
            os.replace(self.index_dir, retired)
        os.replace(staging, self.index_dir)
        shutil.rmtree(retired, ignore_errors=True)
        report.rebuilt = True
        return report

    def _sync(self, target: Path, progress: Progress | None,
              should_stop: Callable[[], bool] | None, *, fresh: bool) -> UpdateReport:
        self.close()
        sources, unsupported = list_sources(self.corpus)
        if not sources:
            hint = ", ".join(supported_suffixes())
            if unsupported:
                raise CorpusError(f"no articles in {self.corpus}: none of its "
                                  f"{len(unsupported)} files is a supported type ({hint})")
            raise CorpusError(f"corpus folder is empty: {self.corpus}")
        from whoosh import index as windex

        from index.fulltext import make_schema

        text_dir = target / "text"
        text_dir.mkdir(parents=True, exist_ok=True)
        try:
            if fresh or not any(text_dir.glob("_MAIN_*.toc")):
                ix = windex.create_in(str(text_dir), make_schema(self.analyzer))
            else:
                ix = windex.open_dir(str(text_dir))
        except Exception as exc:
            raise IndexDamagedError(f"the index at {target} is damaged ({type(exc).__name__}); "
                                    "run `newsreader index --rebuild`") from None
        catalog = Catalog(target / "catalog.sqlite")
        catalog.set_meta("schema", SCHEMA_VERSION)
        catalog.set_meta("analyzer", self.analyzer.fingerprint)
        catalog.set_meta("corpus", str(self.corpus))
        catalog.set_meta("readers", readers_fingerprint(self.corpus, self.limits))
        catalog.set_meta("fields", json.dumps(self.limits.fields))
        try:
            return _Sync(self, ix, catalog, fresh, progress, should_stop).run(
                sources, unsupported)
        finally:
            catalog.close()
            ix.close()


class _Sync:
    """One update run: decides per file, writes both stores, commits in batches."""

    def __init__(self, library: Library, ix, catalog: Catalog, fresh: bool,
                 progress: Progress | None, should_stop: Callable[[], bool] | None) -> None:
        self.lib = library
        self.ix = ix
        self.catalog = catalog
        self.fresh = fresh
        self.progress = progress or (lambda done, total, path: None)
        self.should_stop = should_stop or (lambda: False)
        self.report = UpdateReport()
        self.writer = None
        self.batch = 0
        self.batch_started = time.monotonic()
        self.done = 0
        self.total = 0

    def _open_writer(self):
        from whoosh.index import LockError

        try:
            self.writer = self.ix.writer(timeout=1.0, limitmb=128)
        except LockError:
            raise IndexLockedError(
                f"the index {self.lib.index_dir} is locked by another writer") from None

    def _commit(self) -> None:
        self.writer.commit()
        self.catalog.set_meta("updated", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        self.catalog.commit()
        self._open_writer()
        self.batch = 0
        self.batch_started = time.monotonic()

    def _maybe_commit(self) -> None:
        if self.batch >= COMMIT_EVERY_ARTICLES or (
            time.monotonic() - self.batch_started > COMMIT_EVERY_SECONDS
        ):
            self._commit()

    def run(self, sources: list[SourceFile], unsupported: list[Skipped]) -> UpdateReport:
        report = self.report
        report.skipped.extend(unsupported)
        known = self.catalog.files()
        present = {s.path for s in sources}
        work: list[SourceFile] = []
        for src in sources:
            rec = known.get(src.path)
            if rec and (rec.size, rec.mtime_ns) == (src.size, src.mtime_ns):
                if rec.reason:
                    report.skipped.append(Skipped(src.path, rec.reason))
                else:
                    report.unchanged += 1
                continue
            work.append(src)
        gone = [p for p in known if p not in present]
        # Progress counts bytes of the files to read (and one per file gone), so that one
        # large dump advances record by record instead of jumping at its end.
        self.total = sum(max(src.size, 1) for src in work) + len(gone)
        self.done = 0
        self._open_writer()
        try:
            for path in gone:
                for article_id in self.catalog.ids_for_path(path):
                    self._delete(article_id)
                    report.removed.append(article_id)
                self.catalog.delete_file(path)
                self.done += 1
                self.progress(self.done, self.total, path)
            for src in work:
                if self.should_stop() or not self._source(src, known.get(src.path)):
                    report.interrupted = True
                    break
                self._maybe_commit()
            if report.interrupted:
                self.writer.cancel()
                self.catalog.rollback()
            else:
                self.writer.commit()
                self.catalog.set_meta("updated", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
                self.catalog.commit()
            self.writer = None
        except BaseException:
            if self.writer is not None:
                self.writer.cancel()
            self.catalog.rollback()
            raise
        return report

    def _source(self, src: SourceFile, rec: FileRecord | None) -> bool:
        """Bring one source file's articles up to date; False when asked to stop midway."""
        report = self.report
        size = max(src.size, 1)
        base = self.done
        self.done += size
        abspath = self.lib.corpus / src.path
        digest = _file_hash(abspath)
        if rec is not None and digest is not None and rec.hash == digest and not rec.reason:
            # Touched but not changed: remember the new time, read nothing more.
            self.catalog.put_file(src.path, FileRecord(src.size, src.mtime_ns, digest, None))
            report.unchanged += 1
            self.progress(self.done, self.total, src.path)
            return True
        self.progress(base, self.total, src.path)
        articles, skips = read_source(self.lib.corpus, src, self.lib.analyzer.vocabulary,
                                      self.lib.limits)
        report.skipped.extend(skips)
        old = self.catalog.ids_for_path(src.path)
        new_ids = set()
        for k, article in enumerate(articles, 1):
            if article.id in new_ids:
                report.skipped.append(Skipped(article.id, "duplicate record id in this file"))
                continue
            new_ids.add(article.id)
            previous = old.get(article.id)
            if previous == article.content_hash:
                report.unchanged += 1
                continue
            self._put(article, replace=previous is not None)
            (report.updated if previous is not None else report.added).append(article.id)
            if len(articles) > 1 and k % 50 == 0:
                # A large dump is committed and can be stopped record by record; records
                # already committed are found unchanged when the file is read again.
                if self.should_stop():
                    return False
                self._maybe_commit()
                self.progress(base + size * k // len(articles), self.total, src.path)
        for article_id in old:
            if article_id not in new_ids:
                self._delete(article_id)
                report.removed.append(article_id)
        reason = skips[0].reason if skips and not articles else None
        self.catalog.put_file(src.path, FileRecord(src.size, src.mtime_ns, digest, reason))
        self.progress(self.done, self.total, src.path)
        return True

    def _put(self, article: Article, *, replace: bool) -> None:
        from index.fulltext import to_document  # with Whoosh, only when writing

        terms = self.lib.analyzer.terms(article.text)
        doc = to_document(article, terms, self.lib.analyzer)
        if replace or not self.fresh:
            self.writer.update_document(**doc)
        else:
            self.writer.add_document(**doc)
        tokens = article_tokens(article, self.lib.analyzer, terms)
        self.catalog.put_article(article, shingles(tokens))
        self.batch += 1

    def _delete(self, article_id: str) -> None:
        self.writer.delete_by_term("id", article_id)
        self.catalog.delete_article(article_id)
        self.batch += 1


PARALLEL_PAIRS = 400  # fewer candidate pairs than this are aligned in this process
PAIRS_PER_TASK = 200
_worker: tuple[Library, AlignSettings] | None = None


def _start_worker(corpus: Path, index_dir: Path, analyzer: Analyzer, limits: Limits,
                  settings: AlignSettings) -> None:
    global _worker  # one library per worker process, opened once
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    _worker = (Library(corpus, index_dir, analyzer, limits), settings)


def _align_chunk(chunk: list[tuple[int, int, int]]) -> list[tuple[int, int, Alignment | None]]:
    assert _worker is not None
    library, settings = _worker
    aligner = library._aligner(settings)
    out = []
    for x, y, _ in chunk:
        alignment = aligner(x, y)
        # Only pairs that share something travel back to the parent.
        out.append((x, y, alignment if alignment is not None and alignment.passages else None))
    return out


def _stored_fields(catalog_path: Path) -> tuple[tuple[str, str], ...]:
    if not catalog_path.exists():
        return ()
    try:
        catalog = Catalog(catalog_path, readonly=True)
        try:
            raw = catalog.get_meta("fields")
        finally:
            catalog.close()
        return tuple(tuple(pair) for pair in json.loads(raw)) if raw else ()
    except (IndexDamagedError, ValueError, TypeError):
        return ()  # a damaged index is reported when it is opened


def _file_hash(path: Path) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


__all__ = ["Library", "NewsreaderError", "Pending"]
