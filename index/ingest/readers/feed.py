"""Feed files (`.xml`, `.rss`, `.atom`, RSS or Atom, parsed by feedparser): each entry is an
article with its full content when the feed carries it, else its summary.

`parse_feed` is shared with `newsreader fetch`, which reads the feeds it downloads with it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ...model import Draft, Metadata, Skipped
from ..decoding import Unreadable, read_bytes
from ..document import draft
from .dates import normalize_date
from .encoding import clean
from .htmltext import html_to_text, looks_like_html
from .records import language_code

if TYPE_CHECKING:
    from ..limits import Limits

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class NotAFeed(Exception):
    """Bytes that are not a feed; the message says why, with the line where known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Entry:
    key: str  # the entry's id, else its link, else its position in the feed
    title: str | None
    text: str  # plain text, paragraphs separated by blank lines; "" when it has none
    author: str | None
    date: str | None  # ISO 8601
    url: str | None
    summary_only: bool  # the feed carries a summary but no full content


@dataclass(frozen=True)
class Feed:
    title: str | None
    lang: str | None
    entries: list[Entry]
    damage: str | None  # malformed XML the lenient parser read past, with the line
    damage_line: int | None


def parse_feed(data: bytes, content_type: str | None = None) -> Feed:
    """The entries of an RSS or Atom document; NotAFeed when it is none, or when its bytes
    are not in the encoding it (or the HTTP `content_type`) declares."""
    import feedparser  # imported on first use: it is only needed for feeds

    # A stream, not bytes or str: feedparser would take a string that looks like a URL or a
    # file name for one and open it.
    headers = {"content-type": content_type} if content_type else None
    try:
        parsed = feedparser.parse(
            io.BytesIO(data),
            response_headers=headers,
            sanitize_html=True,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser reports most damage as "bozo", but not all
        raise NotAFeed(f"not a feed: the feed parser failed ({type(exc).__name__})") from None
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        raise NotAFeed(f"its encoding lies: {problem}", _line(problem))
    if not parsed.get("version") and not parsed.entries:
        if problem is not None:
            raise NotAFeed(f"not a feed: not well-formed XML ({_message(problem)})", _line(problem))
        raise NotAFeed("not a feed: neither RSS nor Atom")
    info = parsed.feed
    entries = [_entry(e, n) for n, e in enumerate(parsed.entries, 1)]
    damage = f"malformed XML ({_message(problem)})" if problem is not None else None
    return Feed(
        _plain(info.get("title"), info.get("title_detail")),
        language_code(info.get("language")),
        entries,
        damage,
        _line(problem) if problem is not None else None,
    )


def _entry(e: Any, n: int) -> Entry:
    body, full = _body(e)
    title = _plain(e.get("title"), e.get("title_detail"))
    return Entry(
        key=_key(e.get("id") or e.get("link"), title, body, n),
        title=title,
        text=body,
        author=_plain(e.get("author"), e.get("author_detail")),
        date=_date(e),
        url=_link(e),
        summary_only=not full,
    )


def _key(own: Any, title: str | None, text: str, n: int) -> str:
    """The entry's id, else its link; without either, one made from its title and text,
    not its place in the feed: a feed that adds an entry on top shifts every place, and
    the entries under it would be taken for new ones. Its place only when it has nothing."""
    if own:
        return " ".join(str(own).split())
    if title or text:
        digest = hashlib.sha1(f"{title or ''}\n{text}".encode()).hexdigest()[:16]
        return f"sha1-{digest}"
    return str(n)


def _link(e: Any) -> str | None:
    """The entry's web address: its link, else an alternate link, when it is an http(s)
    address. An RSS guid without a link is taken by the feed parser for the link; a guid
    such as "tag:site,2024:123" or "12345" is an id, not an address."""
    candidates = [e.get("link")]
    candidates += [x.get("href") for x in e.get("links") or [] if x.get("rel") == "alternate"]
    for url in candidates:
        if isinstance(url, str) and _is_web_address(url.strip()):
            return url.strip()
    return None


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _body(e: Any) -> tuple[str, bool]:
    """The longest text among the entry's contents and its summary, and whether it is a
    full content rather than the summary."""
    best, full = "", False
    for c in e.get("content") or []:
        text = _as_text(c.get("value"), c.get("type"))
        if len(text) > len(best):
            best, full = text, True
    summary = _as_text(e.get("summary"), (e.get("summary_detail") or {}).get("type"))
    if len(summary) > len(best):
        best, full = summary, False
    return best, full


def _as_text(value: Any, kind: str | None) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    if kind in _HTML_TYPES or (kind is None and looks_like_html(value)):
        value = html_to_text(value)
    return clean(value).strip()


def _plain(value: Any, detail: Any) -> str | None:
    if not isinstance(value, str):
        return None
    kind = detail.get("type") if isinstance(detail, dict) else None
    text = html_to_text(value) if kind in _HTML_TYPES else value
    return " ".join(text.split()) or None


def _date(e: Any) -> str | None:
    for key in ("published", "updated", "created"):
        iso = normalize_date(e.get(key))
        if iso:
            return iso
    for key in ("published_parsed", "updated_parsed"):
        t = e.get(key)
        if t:
            return datetime(*t[:6], tzinfo=UTC).isoformat(timespec="minutes")
    return None


def _line(problem: Any) -> int | None:
    get = getattr(problem, "getLineNumber", None)
    return get() if callable(get) else None


def _message(problem: Any) -> str:
    get = getattr(problem, "getMessage", None)
    return str(get() if callable(get) else problem)


def entry_metadata(entry: Entry, feed: Feed) -> Metadata:
    return Metadata(
        title=entry.title,
        outlet=feed.title,
        author=entry.author,
        date=entry.date,
        url=entry.url,
        language=feed.lang,
    )


def read_feed(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    """Each entry of a feed file is an article, `rel#<entry id>`."""
    try:
        feed = parse_feed(read_bytes(abspath, limits.max_document_bytes))
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    except NotAFeed as exc:
        return [], [Skipped(f"{rel}:{exc.line}" if exc.line else rel, exc.reason)]
    articles: list[Draft] = []
    skipped: list[Skipped] = []
    if feed.damage:
        where = f"{rel}:{feed.damage_line}" if feed.damage_line else rel
        skipped.append(Skipped(where, f"{feed.damage}: entries after this point may be missing"))
    seen: set[str] = set()
    for entry in feed.entries:
        article_id = f"{rel}#{entry.key}"
        if entry.key in seen:
            skipped.append(Skipped(article_id, "duplicate entry id in this feed"))
            continue
        seen.add(entry.key)
        if not entry.text:
            skipped.append(Skipped(article_id, "the entry has no text (no content, no summary)"))
            continue
        articles.append(draft(article_id, rel, entry.text, entry_metadata(entry, feed)))
    if not feed.entries:
        skipped.append(Skipped(rel, "the feed has no entries"))
    return articles, skipped
