"""A web address pasted as a query: the article published there, found by the words of its
address. The address itself is in no article's text, and searched as words it asked for an
article with "https" and every part of its path ("read", "2019", "23510008") in one field:
a QA pass found none of three outlets' articles by their own address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# With a scheme, "www.", or a host name and a path ("bola.kompas.com/read/…").
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|(?:[^\W_][\w-]*\.)+[a-z]{2,}/\S*", re.IGNORECASE)
_SLUG_SEPARATORS = re.compile(r"[-_+]+")
_PAGE_SUFFIX = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]")
_WORDS = re.compile(r"[^\W_]+")
MIN_SLUG_WORDS = 3  # words of letters a path segment needs to be read as a headline


@dataclass(frozen=True)
class Address:
    query: str  # what to search instead
    key: str  # the address as `key_of` makes it, to know the article published there


def pasted_address(text: str) -> Address | None:
    """The query for a text that is one web address, else None. News sites put the
    headline in the address ("…/read/2019/09/10/23510008/link-live-streaming-…"): its words
    are searched as a query of plain words. An address without one ("…/tampil/00276207.html")
    is searched as the phrase of its words, as an article citing it writes them."""
    text = text.strip()
    if _ADDRESS.fullmatch(text) is None:
        return None
    parts = urlsplit(text if "://" in text else f"http://{text}")
    best: list[str] = []
    for segment in parts.path.split("/"):
        words = [w for w in _SLUG_SEPARATORS.split(_PAGE_SUFFIX.sub("", segment)) if w]
        if len([w for w in words if _LETTERS.search(w)]) > len(best):
            best = words
    if len([w for w in best if _LETTERS.search(w)]) >= MIN_SLUG_WORDS:
        # A number of five digits or more at the end is the site's serial or a timestamp
        # ("…-bakso-1568474327", "…-keyakinannya-99f177"), not the headline's.
        while best and len(best[-1]) >= 5 and any(ch.isdigit() for ch in best[-1]):
            best.pop()
        return Address(" ".join(best), key_of(text))
    words = _WORDS.findall(f"{parts.netloc} {parts.path}")
    if not words:
        return None
    return Address('"' + " ".join(words) + '"', key_of(text))


def key_of(url: str) -> str:
    """An address without what varies between two copies of it: the scheme, "www.", the
    query, the fragment, a trailing slash, the case of the host."""
    parts = urlsplit(url.strip() if "://" in url else f"http://{url.strip()}")
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"
