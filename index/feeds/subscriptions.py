"""Feed subscriptions: `feeds.toml` in the user's config folder (XDG; $NEWSREADER_CONFIG_DIR
overrides it), a plain file the user edits.

    [fetch]                  # optional
    timeout = 20             # seconds for one download
    delay = 1.0              # seconds between two requests to the same host
    folder = "feeds"         # where in the corpus fetched entries go

    [[feed]]
    url = "https://example.com/rss"
    name = "Example News"    # optional: the folder name and the outlet of its articles
    full_page = true         # optional: download and extract each entry's page
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..locations import config_home

FEEDS_FILE = "feeds.toml"
DEFAULT_TIMEOUT = 20.0
DEFAULT_DELAY = 1.0
DEFAULT_FOLDER = "feeds"
_FEED_KEYS = {"url", "name", "full_page"}
_FETCH_KEYS = {"timeout", "delay", "folder"}


@dataclass(frozen=True)
class Subscription:
    url: str
    name: str | None = None
    full_page: bool = False

    @property
    def label(self) -> str:
        return self.name or self.url


@dataclass(frozen=True)
class Subscriptions:
    feeds: tuple[Subscription, ...]
    timeout: float = DEFAULT_TIMEOUT
    delay: float = DEFAULT_DELAY
    folder: str = DEFAULT_FOLDER
    path: Path | None = None  # the file they came from

    def slugs(self) -> dict[str, str]:
        """Feed URL → its folder name: the name (or host and path) made safe, unique."""
        out: dict[str, str] = {}
        used: set[str] = set()
        for feed in self.feeds:
            slug = slugify(feed.name or _url_words(feed.url)) or "feed"
            if slug in used:
                slug = f"{slug}-{hashlib.sha1(feed.url.encode()).hexdigest()[:6]}"
            used.add(slug)
            out[feed.url] = slug
        return out


def feeds_file() -> Path:
    return config_home() / FEEDS_FILE


def load_subscriptions(path: Path | None = None) -> Subscriptions:
    """The subscriptions in `path` (default: feeds.toml in the config folder)."""
    path = path or feeds_file()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"no feed subscriptions: create {path} with one [[feed]] table per feed, "
            'e.g.\n[[feed]]\nurl = "https://example.com/rss"'
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: unreadable ({exc.strerror or exc})") from None
    return parse_subscriptions(data, path)


def parse_subscriptions(data: dict, path: Path) -> Subscriptions:
    unknown = set(data) - {"feed", "fetch"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown section [{sorted(unknown)[0]}] (sections: [fetch], [[feed]])"
        )
    settings = data.get("fetch", {})
    if not isinstance(settings, dict):
        raise ConfigError(f"{path}: [fetch] must be a table")
    _no_unknown(settings, _FETCH_KEYS, f"{path}: [fetch]")
    timeout = _number(
        settings.get("timeout", DEFAULT_TIMEOUT), f"{path}: [fetch] timeout", minimum=0.1
    )
    delay = _number(settings.get("delay", DEFAULT_DELAY), f"{path}: [fetch] delay", minimum=0)
    folder = settings.get("folder", DEFAULT_FOLDER)
    if not isinstance(folder, str) or not _safe_folder(folder):
        raise ConfigError(f"{path}: [fetch] folder must be a relative folder inside the corpus")
    raw = data.get("feed", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: write each feed as a [[feed]] table")
    feeds: list[Subscription] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, 1):
        where = f"{path}: feed {n}"
        if not isinstance(item, dict):
            raise ConfigError(f'{where}: must be a table with url = "..."')
        _no_unknown(item, _FEED_KEYS, where)
        url = item.get("url")
        if (
            not isinstance(url, str)
            or urlsplit(url.strip()).scheme not in ("http", "https")
            or not urlsplit(url.strip()).netloc
        ):
            raise ConfigError(f"{where}: url must be an http:// or https:// address")
        url = url.strip()
        if url in seen:
            raise ConfigError(f"{where}: {url} is listed twice")
        seen.add(url)
        name = item.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise ConfigError(f"{where}: name must be text")
        full_page = item.get("full_page", False)
        if not isinstance(full_page, bool):
            raise ConfigError(f"{where}: full_page must be true or false")
        feeds.append(Subscription(url, name.strip() if name else None, full_page))
    return Subscriptions(tuple(feeds), timeout, delay, folder.strip("/"), path)


def _no_unknown(table: dict, known: set[str], where: str) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ConfigError(f'{where}: unknown key "{extra[0]}" (keys: {", ".join(sorted(known))})')


def _number(value: object, where: str, *, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ConfigError(f"{where} must be a number of seconds, at least {minimum:g}")
    return float(value)


def _safe_folder(folder: str) -> bool:
    p = PurePosixPath(folder)
    return (
        bool(folder.strip("/"))
        and not p.is_absolute()
        and ".." not in p.parts
        and not any(part.startswith(".") for part in p.parts)
    )


def _url_words(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.split("@")[-1].split(":")[0].removeprefix("www.")
    return f"{host} {parts.path}"


def slugify(text: str, limit: int = 60) -> str:
    """Lower-case letters, digits and dashes: safe as a file or folder name anywhere."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")
