"""`newsreader fetch`, the engine side: download the new entries of every subscribed feed
into the corpus folder as files, one JSON record per entry, which the `.json` reader takes in
like any other record.

- Conditional requests: each feed's ETag and Last-Modified are kept in a state file in the
  corpus's index folder (`<index folder>/fetch.json`), never inside the corpus folder.
- The entries already fetched are remembered there too (and recognised by file name), so
  an entry the user deleted is not fetched again.
- One timeout bounds a whole request — connecting, the headers, the body, redirects — not
  just each read (see `Deadline`); a host is not asked twice within the configured delay.
- Files are written to a hidden temporary name and renamed into place, so neither a crash
  nor Ctrl-C leaves a half-written article where the indexer would read it.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any
from urllib import error as urlerror
from urllib import request as urlrequest
from urllib.parse import urlsplit

from ..errors import CorpusError, NewsreaderError
from ..ingest.decoding import Unreadable
from ..ingest.readers.encoding import EncodingLie
from ..ingest.readers.feed import Entry, Feed, NotAFeed, parse_feed
from ..ingest.readers.html import NO_MAIN_TEXT, decode_page, extract_page
from ..locations import bundled_corpus, index_dir_for
from ..store.lock import exclusive_lock
from .subscriptions import Subscription, Subscriptions, feeds_file, load_subscriptions, slugify

MAX_DOWNLOAD = 32 * 1024 * 1024
SEEN_PER_FEED = 5000  # entry keys remembered per feed; feeds show their last few dozen
USER_AGENT = "newsreader/0.1 (feed reader; +https://pypi.org/project/newsreader/)"
STATE_VERSION = 1
FETCH_STATE = "fetch.json"  # in the index folder
FETCH_LOCK = "fetch.lock"


class FetchError(Exception):
    """A download that failed; the message is the reason shown in the summary."""


class FetchLockedError(NewsreaderError):
    """Another `newsreader fetch` is writing into the same corpus."""


@dataclass(frozen=True)
class FetchEvent:
    """Progress: which feed, and how many of its new entries are done."""

    feed: str
    index: int  # 1-based
    feeds: int
    done: int
    total: int  # 0 while the feed itself downloads


FetchProgress = Callable[[FetchEvent], None]


@dataclass
class FeedResult:
    name: str
    url: str
    status: str = "unchanged"  # "new", "unchanged" or "failed"
    new: int = 0
    unchanged: int = 0  # entries fetched before
    failed: int = 0  # entries that could not be taken
    reason: str | None = None  # why the feed failed, or why it is unchanged
    notes: list[str] = field(default_factory=list)  # entry problems, each with its URL
    files: list[str] = field(default_factory=list)  # written, relative to the corpus

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "url": self.url,
            "status": self.status,
            "new": self.new,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "reason": self.reason,
            "notes": self.notes,
            "files": self.files,
        }


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    url: str
    etag: str | None
    last_modified: str | None
    charset: str | None
    content_type: str | None


def state_path(corpus: Path, index_dir: Path | None = None) -> Path:
    """Where fetch keeps its memory for a corpus: in the corpus's index folder (which may be
    the only folder there that can be written to)."""
    return index_dir_for(corpus, index_dir) / FETCH_STATE


def _legacy_state_path(state_file: Path) -> Path:
    """Where fetch kept its memory before: beside the index folder."""
    ix = state_file.parent
    return ix.with_name(ix.name + ".fetch.json")


class Deadline:
    """A total time limit for one request, headers and body, however the server paces its
    bytes: when it passes, every socket the request opened is shut down, which ends any
    read waiting on it (a socket timeout only bounds the wait for the next byte, so a server
    sending one byte a second would never trip it)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _watched(connection_class: type, owner: Http) -> Callable[..., Any]:
    """A connection class whose sockets the current request's deadline watches."""

    def make(*args: Any, **kwargs: Any) -> Any:
        conn = connection_class(*args, **kwargs)
        create = conn._create_connection

        def create_connection(*a: Any, **kw: Any) -> socket.socket:
            sock = create(*a, **kw)
            if owner.deadline is not None:
                owner.deadline.watch(sock)
            return sock

        conn._create_connection = create_connection
        return conn

    return make


class _HTTPHandler(urlrequest.HTTPHandler):
    def __init__(self, http: Http) -> None:
        super().__init__()
        self._http = http

    def http_open(self, req: urlrequest.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPConnection, self._http), req)


class _HTTPSHandler(urlrequest.HTTPSHandler):
    def __init__(self, http: Http) -> None:
        super().__init__()
        self._http = http

    def https_open(self, req: urlrequest.Request) -> Any:
        return self.do_open(
            _watched(http.client.HTTPSConnection, self._http), req, context=self._context
        )


class Http:
    """Plain urllib with a total deadline per request (connection, headers, body and
    redirects together), a size cap, gzip, and a minimum delay between two requests to one
    host."""

    def __init__(
        self, timeout: float, delay: float, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.timeout = timeout
        self.delay = delay
        self.sleep = sleep
        self.deadline: Deadline | None = None  # of the request under way
        self._last: dict[str, float] = {}
        # No proxies from the environment: a feed reader talks to the feed's own host.
        self._opener = urlrequest.build_opener(
            urlrequest.ProxyHandler({}), _HTTPHandler(self), _HTTPSHandler(self)
        )

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"not an http(s) address: {url}")
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._wait(parts.netloc)
        timed_out = FetchError(f"timed out after {self.timeout:g} s")
        try:
            with Deadline(self.timeout) as deadline:
                self.deadline = deadline
                try:
                    with self._opener.open(
                        urlrequest.Request(url, headers=headers), timeout=self.timeout
                    ) as resp:
                        body = self._read(resp, deadline)
                        if deadline.expired:  # the shut socket may read as a short body
                            raise timed_out
                        return self._response(resp.status, body, resp.geturl(), resp.headers)
                except urlerror.HTTPError as exc:
                    if deadline.expired:
                        raise timed_out from None
                    if exc.code == 304:
                        return self._response(304, b"", url, exc.headers)
                    if 300 <= exc.code < 400:  # urllib gives up on a loop, in three lines
                        raise FetchError(f"redirected in a loop (HTTP {exc.code})") from None
                    reason = " ".join(str(exc.reason).split())
                    raise FetchError(f"HTTP {exc.code} {reason}") from None
                except (TimeoutError, urlerror.URLError, OSError, http.client.HTTPException) as exc:
                    if deadline.expired:
                        raise timed_out from None
                    raise FetchError(self._why(exc)) from None
        finally:
            self.deadline = None
            self._last[parts.netloc] = time.monotonic()

    def _wait(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                self.sleep(pause)

    def _read(self, resp: Any, deadline: Deadline) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            if deadline.expired:
                raise TimeoutError
            chunk = resp.read1(1 << 16)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_DOWNLOAD:
                raise FetchError(f"too large (over {MAX_DOWNLOAD // (1 << 20)} MB)")
            chunks.append(chunk)
        body = b"".join(chunks)
        if (resp.headers.get("Content-Encoding") or "").lower() == "gzip":
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                body = inflater.decompress(body, MAX_DOWNLOAD)
            except zlib.error:
                raise FetchError("the server sent broken gzip data") from None
            if inflater.unconsumed_tail:
                raise FetchError(f"too large (over {MAX_DOWNLOAD // (1 << 20)} MB)")
        return body

    @staticmethod
    def _response(status: int, body: bytes, url: str, headers: Message) -> Response:
        ctype = headers.get("Content-Type") if headers else None
        charset = None
        if ctype:
            msg = Message()
            msg["content-type"] = ctype
            charset = msg.get_content_charset()
        return Response(
            status,
            body,
            url,
            headers.get("ETag") if headers else None,
            headers.get("Last-Modified") if headers else None,
            charset,
            ctype,
        )

    def _why(self, exc: BaseException) -> str:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            return f"timed out after {self.timeout:g} s"
        if isinstance(reason, OSError) and reason.strerror:
            return f"cannot connect: {reason.strerror}"
        return f"cannot connect: {reason}"


class FetchState:
    """ETag, Last-Modified and the keys of fetched entries, per feed URL, in one JSON file
    written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds: dict[str, dict] = {}
        source = path if path.exists() else _legacy_state_path(path)
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == STATE_VERSION:
                self.feeds = data.get("feeds", {})
        except (OSError, ValueError):
            pass  # no state, or a damaged one: fetch as if for the first time

    def feed(self, url: str) -> dict:
        return self.feeds.setdefault(url, {"etag": None, "last_modified": None, "seen": []})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(
            self.path,
            json.dumps(
                {"version": STATE_VERSION, "feeds": self.feeds}, ensure_ascii=False, indent=1
            ).encode("utf-8"),
        )


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside `path`, then rename it into place: readers
    see the old file or the whole new one, and the indexer ignores hidden files."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(frozen=True)
class FetchRun:
    corpus: Path  # the folder fetched into, resolved
    results: list[FeedResult]


def fetch_into(
    corpus: Path | None,
    *,
    feeds: Path | None = None,
    index_dir: Path | None = None,
    timeout: float | None = None,
    delay: float | None = None,
    progress: FetchProgress | None = None,
) -> FetchRun:
    """Fetch every feed subscribed in `feeds` (default: feeds.toml in the config folder)
    into the corpus folder `corpus`, made when missing; `timeout` and `delay` override
    the file's settings."""
    root = _fetch_root(corpus)
    subs = load_subscriptions(feeds)
    if not subs.feeds:
        raise CorpusError(
            f"{subs.path or feeds_file()} lists no feeds: add a [[feed]] table with a url"
        )
    subs = Subscriptions(
        subs.feeds,
        timeout or subs.timeout,
        subs.delay if delay is None else delay,
        subs.folder,
        subs.path,
    )
    return FetchRun(root, fetch_feeds(root, subs, state_path(root, index_dir), progress=progress))


def _fetch_root(corpus: Path | None) -> Path:
    """The folder to fetch into. Never the bundled sample corpus, which lives inside the
    installed package; a folder that does not exist yet is made."""
    if corpus is None:
        raise CorpusError("fetch needs a corpus folder to write into: give --corpus PATH")
    root = corpus.expanduser()
    if root.resolve() == bundled_corpus().resolve():
        raise CorpusError("fetch does not write into the bundled sample corpus; give --corpus PATH")
    if root.exists() and not root.is_dir():
        raise CorpusError(f"not a folder: {root}")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(f"cannot make the corpus folder {root}: {exc.strerror}") from None
    return root.resolve()


def fetch_feeds(
    corpus: Path,
    subscriptions: Subscriptions,
    state_file: Path,
    *,
    progress: FetchProgress | None = None,
    http: Http | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> list[FeedResult]:
    """Fetch every subscribed feed into `corpus`; one result per feed, in order."""
    http = http or Http(subscriptions.timeout, subscriptions.delay)
    slugs = subscriptions.slugs()
    results: list[FeedResult] = []
    busy = FetchLockedError(
        "another `newsreader fetch` is running for this corpus; try again when it has finished"
    )
    with exclusive_lock(state_file.with_name(FETCH_LOCK), busy):
        state = FetchState(state_file)
        total = len(subscriptions.feeds)
        for n, sub in enumerate(subscriptions.feeds, 1):
            folder = corpus / subscriptions.folder / slugs[sub.url]
            job = _FeedJob(sub, n, total, folder, corpus, http, state.feed(sub.url), progress, now)
            results.append(job.run())
            state.save()  # after each feed: an interruption keeps what is done
    return results


class _FeedJob:
    def __init__(
        self,
        sub: Subscription,
        index: int,
        total: int,
        folder: Path,
        corpus: Path,
        http: Http,
        memory: dict,
        progress: FetchProgress | None,
        now: Callable[[], datetime],
    ) -> None:
        self.sub = sub
        self.index = index
        self.total = total
        self.folder = folder
        self.corpus = corpus
        self.http = http
        self.memory = memory
        self.progress = progress or (lambda event: None)
        self.now = now
        self.result = FeedResult(sub.label, sub.url)

    def _tick(self, done: int, total: int) -> None:
        self.progress(FetchEvent(self.sub.label, self.index, self.total, done, total))

    def run(self) -> FeedResult:
        result = self.result
        self._tick(0, 0)
        try:
            resp = self.http.get(
                self.sub.url, self.memory.get("etag"), self.memory.get("last_modified")
            )
        except FetchError as exc:
            return self._fail(str(exc))
        if resp.status == 304:
            result.reason = "not modified since the last fetch"
            return result
        try:
            feed = parse_feed(resp.body, resp.content_type)
        except NotAFeed as exc:
            return self._fail(exc.reason + (f" (line {exc.line})" if exc.line else ""))
        if feed.damage:
            result.notes.append(f"{self.sub.url}: {feed.damage}; later entries may be missing")
        seen = self.memory.setdefault("seen", [])
        known = set(seen) | self._on_disk()
        fresh = [(e, _entry_hash(self.sub.url, e)) for e in feed.entries]
        todo = [(e, h) for e, h in fresh if h not in known]
        result.unchanged = len(fresh) - len(todo)
        for done, (entry, digest) in enumerate(todo, 1):
            self._tick(done - 1, len(todo))
            if self._take(entry, digest, feed):
                seen.append(digest)
            self._tick(done, len(todo))
        del seen[:-SEEN_PER_FEED]
        self.memory["etag"] = resp.etag
        self.memory["last_modified"] = resp.last_modified
        if result.new:
            result.status = "new"
        elif not todo:
            result.reason = "no new entries"
        return result

    def _fail(self, reason: str) -> FeedResult:
        self.result.status = "failed"
        self.result.reason = reason
        return self.result

    def _on_disk(self) -> set[str]:
        """Entries already written (their hash ends the file name), in case the state file
        was lost."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return set()
        return {n[-len(".json") - 16 : -len(".json")] for n in names if n.endswith(".json")}

    def _take(self, entry: Entry, digest: str, feed: Feed) -> bool:
        """Write one entry; False when it could not be taken (noted in the result)."""
        result = self.result
        where = entry.url or f"{self.sub.url} entry {entry.key}"
        record = {
            "id": entry.key,
            "title": entry.title,
            "body": entry.text,
            "outlet": self.sub.name or feed.title,
            "author": entry.author,
            "date": entry.date,
            "url": entry.url,
            "lang": feed.lang,
            "feed": self.sub.url,
            "fetched": self.now().isoformat(timespec="seconds"),
            "extracted_from": "summary" if entry.summary_only else "content",
        }
        if self.sub.full_page:
            problem = self._full_page(entry, record)
            if problem:
                result.notes.append(
                    f"{where}: {problem}" + ("; kept the feed's text" if record["body"] else "")
                )
        if not record["body"]:
            result.failed += 1
            result.notes.append(f"{where}: no text (no content, summary or page)")
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = (record["date"] or self.now().date().isoformat())[:10]
        name = f"{stamp}-{slugify(entry.title or entry.key, 50) or 'entry'}-{digest}.json"
        path = self.folder / name
        write_atomic(path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
        result.new += 1
        result.files.append(path.relative_to(self.corpus).as_posix())
        return True

    def _full_page(self, entry: Entry, record: dict) -> str | None:
        """Replace the record's text with the entry page's main text; the problem, if any."""
        if not entry.url:
            return "no link to a page"
        try:
            resp = self.http.get(entry.url)
            page = extract_page(decode_page(resp.body, resp.charset), resp.url)
        except FetchError as exc:
            return f"page not fetched: {exc}"
        except EncodingLie as exc:
            return f"page skipped: {exc.reason}"
        except Unreadable as exc:
            return f"page skipped: {exc}"
        if page is None:
            return f"page skipped: {NO_MAIN_TEXT}"
        record["body"] = page.text
        record["extracted_from"] = "page"
        for key, value in (
            ("title", page.title),
            ("author", page.author),
            ("date", page.date),
            ("lang", page.lang),
            ("outlet", page.site),
        ):
            record[key] = record[key] or value  # the feed's own metadata wins
        return None


def _entry_hash(feed_url: str, entry: Entry) -> str:
    return hashlib.sha1(f"{feed_url}\n{entry.key}".encode()).hexdigest()[:16]
