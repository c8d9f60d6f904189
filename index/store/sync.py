"""Bringing an index in line with its corpus folder: only new and changed files are read,
both stores are written together and committed in batches (one commit point for both, see
stores.py), so an interrupted run keeps what it committed and the next run goes on from
there. Asked to stop (Escape in the app), a run commits what it has done before it returns.

A first build is published at once and filled batch by batch; a rebuild fills a new build
beside the live one and replaces it only when complete (see layout.py). A rebuild that is
interrupted is resumed by the next one."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import shutil
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import (
    CorpusError,
    DiskFullError,
    EngineError,
    IndexDamagedError,
    IndexLockedError,
    IndexReadOnlyError,
)
from ..ingest.corpus import (
    SourceFile,
    Sources,
    list_sources,
    readers_fingerprint,
    stream_drafts,
    supported_suffixes,
)
from ..ingest.document import draft_hash
from ..locations import default_engine, stems_file
from ..model import Draft, Skipped, UpdateReport
from ..search import spelling
from ..search.engine import DEFAULT_ENGINE, META_ENGINE, TANTIVY, check_engine, require
from ..text.analysis import load_stems, save_stems, stems_learnt
from ..workers import give_back_memory
from .catalog import SCHEMA_VERSION, Catalog, FileRecord
from .layout import Layout
from .prepare import Prepared, Preparer
from .spec import IndexSpec
from .staleness import check_corpus, rebuild_reason
from .stores import WriteStores, catalog_path, check_damage, engine_of

if TYPE_CHECKING:
    from ..ingest.readers.records import DraftStream

Progress = Callable[[int, int, str], None]  # done, total, current source path
StopAsked = Callable[[], bool]
Notice = Callable[[str], None]  # what the run is about to do, for the user ("Rebuilding: …")
# A batch's articles make one Whoosh segment per worker process (see prepare.py), so a
# batch is large: fewer segments to store and search.
COMMIT_EVERY_ARTICLES = 5000
COMMIT_EVERY_SECONDS = 60.0
# A commit inserts the batch's shingle postings into the catalog's table, ordered by a hash
# that spreads them over all of it, so a commit rewrites most of the table: its cost grows
# with the archive. Batches and the time between commits therefore grow with it, so that
# the rewriting adds up to a few times the archive instead of growing with its square
# (a fixed 60 s made 40 commits and 48 GB of writes for a 1.8 GB archive of 100,000
# articles). A tantivy batch may grow to this share of the articles committed; a Whoosh
# batch is sent to the workers whole (see prepare.py), so its size stays the bound on a
# build's memory.
BATCH_GROWTH = 0.5
# Commits come at least this many times their own last duration apart: at most about a
# tenth of a long build goes into committing.
COMMIT_SPACING = 10.0
# The first batches are smaller (100, 400, 1,600 articles), so that what a run has done soon
# shows to readers (a search, the app opened meanwhile) and survives an interruption. Each
# is four times the last: doubling, CLICK-ID's 22,000 articles made 17 segments of Whoosh
# and 268 MiB; so, 12 segments and 264 MiB, and two seconds or so less in commits.
FIRST_BATCH = 100
RAMP = 4
# What the last steps of a run report in place of a file, once every file is read: on
# CLICK-ID they take 12 s of the 146 (the spelling dictionary most of it).
FINISHING_COMMIT = "finishing: the last commit"
FINISHING_WORDS = "finishing: the spelling dictionary"
FINISHING_COMPACT = "finishing: one segment of the full text"  # `compact`: 110 s at 22k
# The last commit's merge of segments, told as it goes (82 s at 100,000 articles): this,
# then how far it has got ("finishing: merging segments, 40%").
FINISHING_MERGE = "finishing: merging segments"


def update(
    spec: IndexSpec,
    *,
    rebuild: bool = False,
    progress: Progress | None = None,
    should_stop: StopAsked | None = None,
    notice: Notice | None = None,
    compact: bool = False,
) -> UpdateReport:
    """Bring the index in line with the corpus folder (see the module's docstring).
    `compact`: the run's last commit merges the full text into one segment."""
    start = time.perf_counter()
    load_stems(stems_file())
    learnt = stems_learnt()
    layout = spec.layout
    if not layout.is_ours():
        raise IndexDamagedError(
            f"{spec.index_dir} is not a newsreader index; choose another --index-dir"
        )
    busy = IndexLockedError(
        f"the index {spec.index_dir} is being updated by another "
        "newsreader process; try again when it has finished"
    )
    new_folder = not spec.index_dir.exists()
    try:
        with layout.locked(busy):
            try:
                report = _update(
                    spec, layout, rebuild, progress, should_stop, notice or _quiet, compact
                )
            except BaseException:
                if new_folder:  # a first run refused (an empty corpus): no folder left behind
                    _remove_if_only_lock(layout)
                raise
    except (OSError, sqlite3.OperationalError) as exc:
        if _disk_full(exc):
            raise DiskFullError(_disk_full_message(spec)) from None
        if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            where = f": {exc.filename}" if exc.filename else ""
            raise IndexReadOnlyError(
                f"the index {spec.index_dir} cannot be written to ({exc.strerror}{where}); "
                "it can be searched as it is, not updated"
            ) from None
        raise
    if stems_learnt() > learnt or not stems_file().exists():
        save_stems(stems_file())
    report.seconds = time.perf_counter() - start
    return report


def _quiet(message: str) -> None:
    pass


def _remove_if_only_lock(layout: Layout) -> None:
    with suppress(OSError):
        if [p.name for p in layout.folder.iterdir()] == [layout.lock_path.name]:
            layout.lock_path.unlink()
            layout.folder.rmdir()


def _update(
    spec: IndexSpec,
    layout: Layout,
    rebuild: bool,
    progress: Progress | None,
    should_stop: StopAsked | None,
    notice: Notice,
    compact: bool = False,
) -> UpdateReport:
    sources, unsupported = _sources(spec)
    live = layout.live()
    spec = _resolve_engine(spec, live, rebuild)
    if live is not None and not catalog_path(live).exists():
        return _rebuild(
            spec,
            layout,
            "the index is damaged (its live build is missing)",
            sources,
            unsupported,
            progress,
            should_stop,
            notice,
            compact,
        )
    if rebuild:
        return _rebuild(
            spec, layout, None, sources, unsupported, progress, should_stop, notice, compact
        )
    if live is None:
        if layout.legacy():
            reason = "the index was made by another version of newsreader"
            return _rebuild(
                spec, layout, reason, sources, unsupported, progress, should_stop, notice, compact
            )
        # The first build: published empty at once, then filled batch by batch, so that
        # what is committed can be searched, and kept when the run is cut off.
        layout.remove_others(keep=None)
        build = layout.new_build(incomplete=False)
        stores = None
        try:
            stores = WriteStores(build, spec.analyzer, _meta(spec), fresh=True)
            layout.publish(build)
        except BaseException:
            if stores is not None:
                stores.close()
            if layout.live() != build:
                shutil.rmtree(build, ignore_errors=True)
            raise
        report = _sync(
            spec, stores, sources, unsupported, progress, should_stop, fresh=True, compact=compact
        )
        report.created = True
        return report
    reason = _reason(spec, live)
    if reason:
        return _rebuild(
            spec, layout, reason, sources, unsupported, progress, should_stop, notice, compact
        )
    layout.remove_retired()  # a build replaced by a rebuild cut off before it removed it
    stores = WriteStores(live, spec.analyzer, _meta(spec), fresh=False)
    return _sync(
        spec, stores, sources, unsupported, progress, should_stop, fresh=False, compact=compact
    )


def _sources(spec: IndexSpec) -> tuple[Sources, list[Skipped]]:
    sources, unsupported = list_sources(spec.corpus)
    if not sources:
        hint = ", ".join(supported_suffixes())
        if unsupported:
            raise CorpusError(
                f"no articles in {spec.corpus}: none of its "
                f"{len(unsupported)} files is a supported type ({hint})"
            )
        raise CorpusError(f"corpus folder is empty: {spec.corpus}")
    return sources, unsupported


def _resolve_engine(spec: IndexSpec, live: Path | None, rebuild: bool) -> IndexSpec:
    """`spec` with the engine this run writes with: the one asked for, else the one the
    live build records, else the user's default. Another engine than the recorded one is
    refused unless the index is rebuilt."""
    recorded = _recorded_engine(live) if live is not None else None
    asked = spec.engine
    if asked and recorded and asked != recorded and not rebuild:
        raise EngineError(
            f"the index {spec.index_dir} was built with {recorded}, not {asked}; "
            f"give --rebuild to rebuild it with {asked}"
            f" (newsreader index --rebuild --engine {asked})"
        )
    engine = check_engine(asked or recorded or default_engine() or DEFAULT_ENGINE)
    require(engine)
    return dataclasses.replace(spec, engine=engine)


def _recorded_engine(build: Path) -> str | None:
    try:
        catalog = Catalog(catalog_path(build), readonly=True)
    except (IndexDamagedError, sqlite3.Error):
        return None
    try:
        return engine_of(catalog)
    except sqlite3.Error:
        return None
    finally:
        catalog.close()


def _meta(spec: IndexSpec) -> dict[str, str]:
    """What a build records about how it was made (see staleness.rebuild_reason)."""
    return {
        META_ENGINE: spec.engine or DEFAULT_ENGINE,
        "schema": SCHEMA_VERSION,
        "analyzer": spec.analyzer.fingerprint,
        "corpus": str(spec.corpus),
        "readers": readers_fingerprint(spec.corpus, spec.limits),
        "fields": json.dumps(spec.limits.fields),
    }


def _reason(spec: IndexSpec, build: Path) -> str | None:
    try:
        catalog = Catalog(catalog_path(build), readonly=True)
    except IndexDamagedError as exc:
        return f"the index is damaged ({exc})"
    try:
        check_corpus(spec, catalog)
        return rebuild_reason(spec, catalog, build)
    finally:
        catalog.close()


def _rebuild(
    spec: IndexSpec,
    layout: Layout,
    reason: str | None,
    sources: Sources,
    unsupported: list[Skipped],
    progress: Progress | None,
    should_stop: StopAsked | None,
    notice: Notice,
    compact: bool = False,
) -> UpdateReport:
    """Fill a new build (or go on with an interrupted rebuild) and publish it when done."""
    staging = _resumable(spec, layout)
    for other in layout.incomplete():
        if other != staging:
            shutil.rmtree(other, ignore_errors=True)
    fresh = staging is None
    if reason:
        notice(
            f"Rebuilding the index: {reason}."
            if fresh
            else f"Rebuilding the index ({reason}): going on from the interrupted rebuild."
        )
    elif not fresh:
        notice("Going on with the interrupted rebuild.")
    if staging is None:
        staging = layout.new_build(incomplete=True)
    try:
        stores = WriteStores(staging, spec.analyzer, _meta(spec), fresh=fresh)
        report = _sync(
            spec, stores, sources, unsupported, progress, should_stop, fresh=fresh, compact=compact
        )
    except (OSError, sqlite3.OperationalError, IndexDamagedError) as exc:
        if isinstance(exc, IndexDamagedError) or _disk_full(exc):
            # Damage in the new build, or a full disk: the space is given back, and the live
            # index stays as it was.
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if report.interrupted:
        return report  # the new build stays, to be gone on with next time
    layout.publish(staging)
    layout.remove_others(keep=staging)
    report.rebuilt = True
    report.rebuild_reason = reason or "asked for"
    return report


def _resumable(spec: IndexSpec, layout: Layout) -> Path | None:
    """The newest interrupted rebuild made the way this one would be, undamaged."""
    want = _meta(spec)
    for build in reversed(layout.incomplete()):
        try:
            catalog = Catalog(catalog_path(build), readonly=True)
        except IndexDamagedError:
            continue
        try:
            same = all(catalog.get_meta(k) == v for k, v in want.items() if k != "fields")
        finally:
            catalog.close()
        if same and check_damage(build) is None:
            return build
    return None


def _sync(
    spec: IndexSpec,
    stores: WriteStores,
    sources: Sources,
    unsupported: list[Skipped],
    progress: Progress | None,
    should_stop: StopAsked | None,
    *,
    fresh: bool,
    compact: bool = False,
) -> UpdateReport:
    try:
        run = _Run(spec, stores, fresh, progress, should_stop, compact=compact)
        return run.run(sources, unsupported)
    finally:
        stores.close()


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return False


def _disk_full_message(spec: IndexSpec) -> str:
    since = "it was made"
    build = spec.layout.live()
    if build is not None:
        try:
            catalog = Catalog(catalog_path(build), readonly=True)
            try:
                since = catalog.get_meta("updated") or since
            finally:
                catalog.close()
        except (IndexDamagedError, sqlite3.Error):
            pass
    else:
        since = None
    where = _device(spec.index_dir)
    if since is None:
        return f"no space left on {where}; no index was written (free some space and try again)"
    return f"no space left on {where}; the index is unchanged since {since}"


def _device(folder: Path) -> str:
    """The file system holding `folder`: "/dev/sda1 (mounted on /home)" as far as known."""
    path = folder
    while not path.exists() and path != path.parent:
        path = path.parent
    path = path.resolve()
    best = ("", "")
    try:
        with open("/proc/self/mounts", encoding="utf-8") as fh:
            for line in fh:
                source, target = line.split()[:2]
                target = target.replace("\\040", " ")
                inside = path == Path(target) or Path(target) in path.parents
                if inside and len(target) >= len(best[1]):
                    best = (source, target)
    except OSError:
        pass
    if best[1]:
        return f"{best[0]} (mounted on {best[1]}, holding {folder})"
    return f"the device holding {folder}"


# Drafts sent to the workers ahead of a commit (see `_write_stream`): about 2 s of two
# workers' work, 25 MB of prepared articles waiting to be taken.
COMMIT_AHEAD = 2048
START_WORKERS_BYTES = 1 << 20  # this much to read: the worker processes start first thing


@dataclass
class _FilePlan:
    """One source file's part in a run: what it holds and which of it changed. Its drafts
    are read as the run takes them (see _changed), so a large file is never held whole."""

    src: SourceFile
    base: int  # progress before this file
    digest: str | None
    stream: DraftStream
    old: dict[str, str]  # id → content hash of the articles indexed from it
    new_ids: set[str] = field(default_factory=set)
    read_any: bool = False  # the reader found at least one article
    read: bool = False  # every draft has been read
    count: int = 0  # how many changed, of those read so far
    written: int = 0


@dataclass
class _Part:
    """Changed articles sent to be prepared: the file and reading offset of each, and the
    articles as they come back prepared, in the same order."""

    owners: list[tuple[_FilePlan, int]]
    prepared: Iterator[Prepared]


class _Run:
    """One update run: decides per file, writes both stores, commits in batches."""

    def __init__(
        self,
        spec: IndexSpec,
        stores: WriteStores,
        fresh: bool,
        progress: Progress | None,
        should_stop: StopAsked | None,
        *,
        compact: bool = False,
    ) -> None:
        self.spec = spec
        self.stores = stores
        self.compact = compact
        self.catalog = stores.catalog
        self.fresh = fresh
        self.progress = progress or (lambda done, total, path: None)
        self.should_stop = should_stop or (lambda: False)
        self.report = UpdateReport(engine=stores.engine)
        self.writer: Any = None
        self.batch = 0
        self.batch_size = min(FIRST_BATCH, COMMIT_EVERY_ARTICLES)
        self.batch_started = time.monotonic()
        self.committed = self.catalog.count()  # articles in the index at the last commit
        self.commit_took = 0.0  # the last commit's seconds
        self.done = 0
        self.total = 0
        # tantivy takes a new writer (and its lock file) for each batch: a forked worker
        # would keep the previous writer's lock held.
        whoosh = stores.engine != TANTIVY
        self.preparer = Preparer(
            spec.analyzer,
            stems_file(),
            fork=whoosh,
            postings=whoosh,
            segments=stores.text_dir if whoosh else None,
        )
        # What the spelling dictionary needs when the run has finished: the generation it
        # holds (None: unknown, see `_spell_ahead`), and the words of the articles written
        # since.
        self.start_generation = stores.generation
        self.spelled: int | None = stores.generation
        self.words: set[str] = set()

    def _open_writer(self) -> None:
        self.writer = self.stores.writer()

    def _commit(self, *, last: bool = True, compact: bool = False) -> None:
        """Both stores at once: the full text writes its next generation, which the
        catalog's commit then publishes (see stores.py). Segments are merged by a run's
        last commit only."""
        writer, self.writer = self.writer, None
        # The batch's shingles go into the catalog's table while the workers may still be
        # finishing their segments.
        self.catalog.write_pending()
        segments = self.preparer.flush()
        if last:
            # The workers have nothing left to do, and idle they still hold what they grew
            # to: gone before the merge, the run's largest moment in this process.
            self.preparer.close()
        if segments:
            writer.add_segments(segments)
        writer.commit(merge=last, compact=compact, progress=self._merging if last else None)
        self.stores.commit()
        # The batch's drafts and articles are freed by now, into the C heap, which would
        # keep their pages while the next batch is read and the workers grow.
        give_back_memory()

    def _merging(self, share: float) -> None:
        if not self.total:  # nothing else to do (`--compact` alone): the bar is the merge's
            self.progress(round(share * 100), 100, FINISHING_MERGE)
        else:
            self.progress(self.total, self.total, f"{FINISHING_MERGE}, {share:.0%}")

    def _commit_due(self) -> bool:
        wait = max(COMMIT_EVERY_SECONDS, COMMIT_SPACING * self.commit_took)
        return self.batch >= self.batch_size or time.monotonic() - self.batch_started > wait

    def _next_room(self, after_commit: bool = False) -> int:
        """How many changed articles the next part may hold: up to the batch's end (the
        next batch's, `after_commit`)."""
        return self._next_batch_size() if after_commit else max(self.batch_size - self.batch, 1)

    def _next_batch_size(self) -> int:
        return next_batch_size(
            self.batch_size,
            self.committed + self.batch,
            whole=self.preparer.segments is not None,
        )

    def _batch_commit(self) -> None:
        started = time.monotonic()
        self._commit(last=False)
        self._open_writer()
        self.commit_took = time.monotonic() - started
        self.batch_size = self._next_batch_size()
        self.committed += self.batch
        self.batch = 0
        self.batch_started = time.monotonic()

    def run(self, sources: Sources, unsupported: list[Skipped]) -> UpdateReport:
        report = self.report
        report.skipped.extend(unsupported)
        known = self.catalog.files()
        work = Sources()
        for src in sources:
            rec = known.get(src.path)
            if rec and (rec.size, rec.mtime_ns) == (src.size, src.mtime_ns):
                if rec.reason:
                    report.skipped.append(Skipped(src.path, rec.reason))
                else:
                    report.unchanged += 1
                continue
            work.append(src)
        gone = _gone(known, sources)
        # Progress counts bytes of the files to read (and one per file gone), so that one
        # large dump advances record by record instead of jumping at its end.
        self.total = work.total_size() + len(gone)
        self.done = 0
        if self.total >= START_WORKERS_BYTES:
            self.preparer.start()
        self._open_writer()
        try:
            for path in gone:
                for article_id in self.catalog.ids_for_path(path):
                    self._delete(article_id)
                    report.removed.append(article_id)
                self.catalog.delete_file(path)
                self.done += 1
                self.progress(self.done, self.total, path)
            changed = self._changed(work, known)
            write = self._write_batches if self.preparer.segments else self._write_stream
            if not write(changed):
                report.interrupted = True
            # Asked to stop, the run keeps what it has done: every file before the stop is
            # complete, and a large file stopped midway is read again next time (its
            # records committed now are then found unchanged).
            if self.compact and not report.interrupted and self.stores.engine != TANTIVY:
                self.progress(self.total, self.total, FINISHING_COMPACT)
                self._commit(compact=True)
                # The merged segments' files stay for readers of the generation before
                # (stores.py keeps it); one more commit, of nothing, lets them go now rather
                # than with the next run, which is what compacting is asked for.
                self._open_writer()
                self._commit()
                self.catalog.vacuum()
                report.compacted = True
            else:
                self.progress(self.total, self.total, FINISHING_COMMIT)
                self._commit()
                if self.stores.kept_for_readers():
                    # The last commit merged segments away. Their files stay for readers of
                    # the generation before; one more commit, of nothing and merging nothing,
                    # lets them go now rather than with the next run (at 100,000 articles,
                    # 240 of 1,511 MiB).
                    self._open_writer()
                    self._commit(last=False)
                if self.fresh:
                    # Each commit appended to every row of shingle postings, leaving pages
                    # part filled: written again, CLICK-ID's 22,000 articles' catalog took
                    # 5.2 MiB less (0.8 s). An update leaves it be: its room fills again.
                    self.catalog.vacuum()
        except BaseException:
            self._abandon()
            raise
        finally:
            self.preparer.close()
        if not report.interrupted:
            # After the commit, inside the build (a rebuild's is published with it), so that
            # it reads the committed words.
            stores = self.stores
            self.progress(self.total, self.total, FINISHING_WORDS)
            spelling.refresh(
                stores.build,
                stores.words,
                stores.generation,
                since=self.start_generation if self.spelled is None else self.spelled,
                words=self.words,
                fresh=self.fresh,
            )
            stores.refresh_prefixes()
        return report

    def _spell_ahead(self) -> None:
        """File the words of the batch just committed in the spelling dictionary, while the
        workers prepare the next one: at 22,000 articles, filing them all at the end took
        9 s with nothing else to do. Only where that is all there is to do (the dictionary
        holds the generation before); otherwise every word waits for the end."""
        if self.spelled is None:
            return
        stores = self.stores
        if spelling.add_words(
            stores.build, stores.generation, since=self.spelled, words=self.words, fresh=self.fresh
        ):
            self.spelled = stores.generation
            self.words.clear()
        else:
            self.spelled = None

    def _abandon(self) -> None:
        """Forget the uncommitted batch (an error, Ctrl+C, a full disk): both stores stay at
        their last commit. Cleaning up must not hide the error that brought us here."""
        writer, self.writer = self.writer, None
        if writer is not None:
            with suppress(Exception):
                writer.cancel()
        with suppress(Exception):
            self.stores.rollback()

    def _plan(self, src: SourceFile, rec: FileRecord | None) -> _FilePlan | None:
        """Open one source file for reading (nothing is read yet); None when the file was
        only touched."""
        report = self.report
        base = self.done
        self.done += max(src.size, 1)
        digest = _file_hash(self.spec.corpus / src.path)
        if rec is not None and digest is not None and rec.hash == digest and not rec.reason:
            # Touched but not changed: remember the new time, read nothing more.
            self.catalog.put_file(src.path, FileRecord(src.size, src.mtime_ns, digest, None))
            report.unchanged += 1
            self.progress(self.done, self.total, src.path)
            return None
        self.progress(base, self.total, src.path)
        stream = stream_drafts(self.spec.corpus, src, self.spec.limits)
        return _FilePlan(src, base, digest, stream, self.catalog.ids_for_path(src.path))

    def _changed(
        self, work: Sources, known: dict[str, FileRecord]
    ) -> Iterator[tuple[_FilePlan, Draft, int]]:
        """The changed drafts of the files to read, in order, each with its file and how far
        into the file it was read (nothing is parsed yet). A file whose every draft is read
        and written is finished here. Asked to stop, the run reads no further file."""
        report = self.report
        for src in work:
            if self.should_stop():
                report.interrupted = True
                return
            plan = self._plan(src, known.get(src.path))
            if plan is None:
                continue
            for n, (d, end) in enumerate(plan.stream.drafts, 1):
                plan.read_any = True
                if d.id in plan.new_ids:
                    report.skipped.append(Skipped(d.id, "duplicate record id in this file"))
                    continue
                plan.new_ids.add(d.id)
                if plan.old.get(d.id) == draft_hash(d):
                    report.unchanged += 1  # the same text and metadata: not parsed again
                    if n % 500 == 0:
                        self.progress(plan.base + min(end, src.size), self.total, src.path)
                    continue
                plan.count += 1
                yield plan, d, end
            report.skipped.extend(plan.stream.skipped)
            plan.read = True
            if plan.written == plan.count:
                self._finish(plan)

    def _submit(self, drafts: list[tuple[_FilePlan, Draft, int]]) -> _Part | None:
        """Hand changed articles to the preparer (see `Preparer.submit`); None for none."""
        if not drafts:
            return None
        owners = [(plan, end) for plan, _, end in drafts]
        # The preparer lets go of each draft once it is sent to be prepared.
        queue = deque(d for _, d, _ in drafts)
        drafts.clear()
        return _Part(owners, self.preparer.submit(queue))

    def _write(self, part: _Part) -> bool:
        """Write the prepared articles of a part, finishing each file as its last article
        is written; False when asked to stop midway. Articles already committed are found
        unchanged when their file is read again. A commit comes when every article sent to
        the workers is back (the Whoosh segments they fill are committed with it)."""
        owners = part.owners
        stopped = False
        for k, prepared in enumerate(part.prepared, 1):
            self._write_one(prepared, *owners[k - 1])
            stopped = stopped or self._stop_now(k)
        return not stopped

    def _write_batches(self, changed: Iterator[tuple[_FilePlan, Draft, int]]) -> bool:
        """Write the changed articles batch by batch, each sent to the workers filling Whoosh
        segments whole, committing after each; False when asked to stop midway."""
        ahead: _Part | None = None
        while True:
            # The changed articles of many small files, or a stretch of a large one, are
            # written together, so that they are prepared in parallel alike. A part ends
            # where the batch does, so early batches stay small; when the workers fill
            # Whoosh segments, a batch is one part (see Preparer.submit).
            part, ahead = ahead or self._submit(list(islice(changed, self._next_room()))), None
            if part is None:
                return True
            if not self._write(part):
                return False
            if not self._commit_due():
                continue
            if self.preparer.fills_segments:
                # The next batch goes to the workers before this one is committed: they
                # prepare it meanwhile. Files read to their end by then are finished in
                # this commit, which is where their every article is. Reading it may
                # fail: what was done before is committed all the same.
                try:
                    ahead = self._submit(list(islice(changed, self._next_room(True))))
                except BaseException:
                    self._batch_commit()
                    raise
            self._batch_commit()
            self._spell_ahead()

    def _write_stream(self, changed: Iterator[tuple[_FilePlan, Draft, int]]) -> bool:
        """Write the changed articles as the workers (those not filling Whoosh segments)
        prepare them, committing in batches; False when asked to stop midway. The drafts
        flow to the workers through the whole run: before a commit, more are sent, so that
        they are prepared while this process commits, instead of the workers waiting for
        it (at 22,000 articles, a tantivy build's commits took 20 s)."""
        owners: deque[tuple[_FilePlan, int]] = deque()

        def drafts() -> Iterator[Draft]:
            for plan, d, end in changed:
                owners.append((plan, end))
                yield d

        stream = self.preparer.stream(drafts())
        stopped = False
        for k, prepared in enumerate(stream, 1):
            self._write_one(prepared, *owners.popleft())
            stopped = stopped or self._stop_now(k)
            if not stopped and self._commit_due():
                stream.ahead(COMMIT_AHEAD)
                self._batch_commit()
                self._spell_ahead()
        return not stopped

    def _stop_now(self, written: int) -> bool:
        """Whether the run is asked to stop (looked at every tenth article written); the
        preparer then sends no more drafts. What the workers have taken is still written,
        and committed at the end."""
        if written % 10 or not self.should_stop():
            return False
        self.preparer.stop()
        return True

    def _write_one(self, prepared: Prepared, plan: _FilePlan, end: int) -> None:
        article = prepared.article
        replace = article.id in plan.old
        self._put(prepared, replace=replace)
        (self.report.updated if replace else self.report.added).append(article.id)
        plan.written += 1
        if plan.read and plan.written == plan.count:
            self._finish(plan)
        elif plan.written % 50 == 0:
            self.progress(plan.base + min(end, plan.src.size), self.total, plan.src.path)

    def _finish(self, plan: _FilePlan) -> None:
        if plan.stream.failed:
            # Reading broke off (the skip says why): the articles not read are kept, and
            # the file is read again next time.
            return
        for article_id in plan.old:
            if article_id not in plan.new_ids:
                self._delete(article_id)
                self.report.removed.append(article_id)
        src = plan.src
        skips = plan.stream.skipped
        reason = None
        if skips and not plan.read_any:
            # Kept for the runs that find the file unchanged, which list it once: with how
            # many of its records were skipped, not only the first one's reason.
            many = f"; {len(skips)} records skipped" if len(skips) > 1 else ""
            reason = skips[0].reason + many
        self.catalog.put_file(src.path, FileRecord(src.size, src.mtime_ns, plan.digest, reason))
        self.progress(plan.base + max(src.size, 1), self.total, src.path)

    def _put(self, prepared: Prepared, *, replace: bool) -> None:
        text = prepared.text
        self.words.update(text.words)
        if prepared.written:  # in a worker's segment: only the old version is left to delete
            if replace or not self.fresh:
                self.writer.delete(prepared.article.id)
        elif replace or not self.fresh:
            self.writer.update(text.fields)
        else:
            self.writer.add(text.fields)
        self.catalog.put_article(prepared.article, prepared.shingles, text.forms)
        self.batch += 1

    def _delete(self, article_id: str) -> None:
        self.writer.delete(article_id)
        self.catalog.delete_article(article_id)
        self.batch += 1


def _gone(known: dict[str, FileRecord], sources: Sources) -> list[str]:
    """The files the index knows that the corpus no longer holds."""
    if not known:  # a first build: no set of every path listed
        return []
    present = {src.path for src in sources}
    return [path for path in known if path not in present]


def next_batch_size(size: int, committed: int, *, whole: bool) -> int:
    """The next batch's size: growing `RAMP`-fold from `FIRST_BATCH` up to
    `COMMIT_EVERY_ARTICLES`, then (unless the batch is sent to the workers `whole`) growing
    with the archive."""
    limit = COMMIT_EVERY_ARTICLES
    if not whole:
        limit = max(limit, int(committed * BATCH_GROWTH))
    return min(RAMP * size, limit)


def _file_hash(path: Path) -> str | None:
    h = hashlib.blake2b(digest_size=16)
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()
