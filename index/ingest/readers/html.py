"""Saved web pages (`.html`, `.htm`): the main text and its metadata, extracted by
trafilatura, which drops navigation, comments and other boilerplate.

The extracted text, paragraphs separated by blank lines, is the article's original text.
`extract_page` is shared with `newsreader fetch`, which extracts the pages of feed entries.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Draft, Metadata, Skipped
from ..decoding import Unreadable, decode, read_bytes
from ..document import draft
from .dates import normalize_date
from .encoding import EncodingLie, clean, decode_declared, known_codec
from .htmltext import declared_charset, page_facts
from .records import language_code

if TYPE_CHECKING:
    from ..limits import Limits

# trafilatura and its helpers log their doubts about odd pages at WARNING; a reader reports
# what matters itself, so keep those messages off the user's terminal.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

NO_MAIN_TEXT = "no main text: the page holds only navigation or boilerplate"


@dataclass(frozen=True)
class Page:
    text: str  # paragraphs separated by blank lines
    title: str | None
    author: str | None
    date: str | None  # ISO 8601
    site: str | None
    url: str | None
    lang: str | None


def decode_page(data: bytes, header_charset: str | None = None) -> str:
    """A page's text: by its byte order mark, else the charset the HTTP header or the page
    declares (EncodingLie when the bytes are not in it), else a guess."""
    if data.startswith(codecs.BOM_UTF8):
        return clean(data[3:].decode("utf-8", "surrogateescape"))
    declared = known_codec(header_charset) or known_codec(declared_charset(data))
    if declared and declared not in ("utf-16", "utf-32"):  # those are declared by BOM
        return clean(decode_declared(data, declared))
    return decode(data)


def extract_page(html: str, url: str | None = None) -> Page | None:
    """The main text and metadata of a page; None when it has no main text, Unreadable when
    it cannot be parsed at all."""
    from trafilatura import bare_extraction  # slow import (lxml and friends): on first use

    try:
        lang, links = page_facts(html)
        doc = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            # The publication date, from the page's markup and URL, not a guess from its
            # text: the text heuristics look for datelines themselves.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # parsers of untrusted pages fail in many ways; skip the page
        raise Unreadable(f"the page cannot be parsed ({type(exc).__name__})") from None
    if doc is None or not doc.text:
        return None
    title = _one_line(doc.title)
    paragraphs = [" ".join(line.split()) for line in doc.text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if title and paragraphs and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the headline is metadata, not a paragraph of the body
    # What is left when a page has no article is its menu: only the texts of its links.
    if all(_only_links(p, links) for p in paragraphs):
        return None
    return Page(
        text=clean("\n\n".join(paragraphs)),
        title=title,
        author=_one_line(doc.author),
        date=normalize_date(doc.date),
        site=_one_line(doc.sitename),
        url=_one_line(doc.url) or url,
        lang=language_code(lang),
    )


def _only_links(paragraph: str, links: set[str]) -> bool:
    rest = paragraph.casefold()
    for link in sorted((x for x in links if x in rest), key=len, reverse=True):
        rest = rest.replace(link, " ")
    return not any(ch.isalnum() for ch in rest)


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def page_metadata(page: Page) -> Metadata:
    return Metadata(
        title=page.title,
        outlet=page.site,
        author=page.author,
        date=page.date,
        url=page.url,
        language=page.lang,
    )


def read_html(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    """A saved page is one article."""
    try:
        text = decode_page(read_bytes(abspath, limits.max_document_bytes))
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    except EncodingLie as exc:
        return [], [Skipped(f"{rel}:{exc.line}", exc.reason)]
    try:
        page = extract_page(text)
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    if page is None:
        return [], [Skipped(rel, NO_MAIN_TEXT)]
    return [draft(rel, rel, page.text, page_metadata(page))], []
