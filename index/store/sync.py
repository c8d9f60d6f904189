"""Bringing an index in line with its corpus folder: only new and changed files are read,
both stores are written together and committed in batches, so an interrupted run keeps
what it did. A rebuild builds into a sibling folder and swaps it in only when complete."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import CorpusError, IndexDamagedError, IndexLockedError
from ..ingest.corpus import (
    SourceFile,
    list_sources,
    read_source,
    readers_fingerprint,
    supported_suffixes,
)
from ..locations import stems_file
from ..model import Article, Skipped, UpdateReport
from ..search import fulltext
from ..text.analysis import load_stems, save_stems, stems_known
from ..text.tokens import article_tokens, shingles
from .catalog import SCHEMA_VERSION, Catalog, FileRecord
from .lock import exclusive_lock
from .spec import IndexSpec
from .staleness import check_corpus, rebuild_reason

Progress = Callable[[int, int, str], None]  # done, total, current source path
StopAsked = Callable[[], bool]
COMMIT_EVERY_ARTICLES = 2000
COMMIT_EVERY_SECONDS = 60.0


def update(
    spec: IndexSpec,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    should_stop: StopAsked | None = None,
) -> UpdateReport:
    """Bring the index in line with the corpus folder (see the module's docstring)."""
    start = time.perf_counter()
    load_stems(stems_file())
    known = stems_known()
    busy = IndexLockedError(
        f"the index {spec.index_dir} is being updated by another "
        "newsreader process; try again when it has finished"
    )
    lock = spec.index_dir.parent / f".{spec.index_dir.name}.lock"
    with exclusive_lock(lock, busy):
        if spec.exists():
            reason = "asked for" if rebuild else _reason(spec)  # a damaged catalog need
            if reason:  # not be readable for a rebuild that was asked for
                report = _rebuild(spec, progress, should_stop)
            else:
                report = _sync(spec, spec.index_dir, progress, should_stop, fresh=False)
        elif spec.index_dir.exists() and any(spec.index_dir.iterdir()):
            # Half an index (a first build cut off, or damage) is rebuilt; a folder
            # holding anything else is not ours to delete.
            if not spec.text_dir.exists() and not spec.catalog_path.exists():
                raise IndexDamagedError(
                    f"{spec.index_dir} is not a newsreader index; choose another --index-dir"
                )
            report = _rebuild(spec, progress, should_stop)
        else:
            report = _sync(spec, spec.index_dir, progress, should_stop, fresh=True)
    if stems_known() > known or not stems_file().exists():
        save_stems(stems_file())
    report.seconds = time.perf_counter() - start
    return report


def _reason(spec: IndexSpec) -> str | None:
    catalog = Catalog(spec.catalog_path)
    try:
        check_corpus(spec, catalog)
        return rebuild_reason(spec, catalog)
    finally:
        catalog.close()


def _rebuild(
    spec: IndexSpec, progress: Progress | None, should_stop: StopAsked | None
) -> UpdateReport:
    staging = spec.index_dir.with_name(spec.index_dir.name + ".rebuild")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        report = _sync(spec, staging, progress, should_stop, fresh=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if report.interrupted:
        shutil.rmtree(staging, ignore_errors=True)
        return report
    retired = spec.index_dir.with_name(spec.index_dir.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if spec.index_dir.exists():
        os.replace(spec.index_dir, retired)
    os.replace(staging, spec.index_dir)
    shutil.rmtree(retired, ignore_errors=True)
    report.rebuilt = True
    return report


def _sync(
    spec: IndexSpec,
    target: Path,
    progress: Progress | None,
    should_stop: StopAsked | None,
    *,
    fresh: bool,
) -> UpdateReport:
    sources, unsupported = list_sources(spec.corpus)
    if not sources:
        hint = ", ".join(supported_suffixes())
        if unsupported:
            raise CorpusError(
                f"no articles in {spec.corpus}: none of its "
                f"{len(unsupported)} files is a supported type ({hint})"
            )
        raise CorpusError(f"corpus folder is empty: {spec.corpus}")
    text_dir = target / spec.text_dir.name
    try:
        if fresh or not fulltext.exists(text_dir):
            ix = fulltext.create_index(text_dir, spec.analyzer)
        else:
            ix = fulltext.open_index(text_dir)
    except IndexDamagedError:
        raise
    except Exception as exc:
        raise IndexDamagedError(
            f"the index at {target} is damaged ({type(exc).__name__}); "
            "run `newsreader index --rebuild`"
        ) from None
    catalog = Catalog(target / spec.catalog_path.name)
    catalog.set_meta("schema", SCHEMA_VERSION)
    catalog.set_meta("analyzer", spec.analyzer.fingerprint)
    catalog.set_meta("corpus", str(spec.corpus))
    catalog.set_meta("readers", readers_fingerprint(spec.corpus, spec.limits))
    catalog.set_meta("fields", json.dumps(spec.limits.fields))
    try:
        return _Run(spec, ix, catalog, fresh, progress, should_stop).run(sources, unsupported)
    finally:
        catalog.close()
        ix.close()


class _Run:
    """One update run: decides per file, writes both stores, commits in batches."""

    def __init__(
        self,
        spec: IndexSpec,
        ix: Any,
        catalog: Catalog,
        fresh: bool,
        progress: Progress | None,
        should_stop: StopAsked | None,
    ) -> None:
        self.spec = spec
        self.ix = ix
        self.catalog = catalog
        self.fresh = fresh
        self.progress = progress or (lambda done, total, path: None)
        self.should_stop = should_stop or (lambda: False)
        self.report = UpdateReport()
        self.writer: Any = None
        self.batch = 0
        self.batch_started = time.monotonic()
        self.done = 0
        self.total = 0

    def _open_writer(self) -> None:
        self.writer = fulltext.open_writer(self.ix, self.spec.index_dir)

    def _commit(self) -> None:
        self.writer.commit()
        self.catalog.set_meta("updated", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        self.catalog.commit()

    def _maybe_commit(self) -> None:
        if self.batch >= COMMIT_EVERY_ARTICLES or (
            time.monotonic() - self.batch_started > COMMIT_EVERY_SECONDS
        ):
            self._commit()
            self._open_writer()
            self.batch = 0
            self.batch_started = time.monotonic()

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
                self._commit()
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
        digest = _file_hash(self.spec.corpus / src.path)
        if rec is not None and digest is not None and rec.hash == digest and not rec.reason:
            # Touched but not changed: remember the new time, read nothing more.
            self.catalog.put_file(src.path, FileRecord(src.size, src.mtime_ns, digest, None))
            report.unchanged += 1
            self.progress(self.done, self.total, src.path)
            return True
        self.progress(base, self.total, src.path)
        articles, skips = read_source(
            self.spec.corpus, src, self.spec.analyzer.vocabulary, self.spec.limits
        )
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
        from ..search.schema import to_document  # with Whoosh, only when writing

        analyzer = self.spec.analyzer
        terms = analyzer.terms(article.text)
        doc = to_document(article, terms, analyzer)
        if replace or not self.fresh:
            self.writer.update_document(**doc)
        else:
            self.writer.add_document(**doc)
        tokens = article_tokens(article, analyzer, terms)
        self.catalog.put_article(article, shingles(tokens))
        self.batch += 1

    def _delete(self, article_id: str) -> None:
        self.writer.delete_by_term("id", article_id)
        self.catalog.delete_article(article_id)
        self.batch += 1


def _file_hash(path: Path) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
