"""Small jobs on HTML done with the standard library's tolerant parser (never with regular
expressions): the text of an HTML fragment such as a feed entry's content, the charset a page
declares, its language and the texts of its links."""

from __future__ import annotations

from email.message import Message
from html.parser import HTMLParser

_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "head", "object"})
_MARKUP = (
    "</p>",
    "<p>",
    "<p ",
    "<br",
    "</div>",
    "</a>",
    "</li>",
    "</span>",
    "</strong>",
    "</em>",
    "</b>",
    "</i>",
    "</h",
)


def looks_like_html(text: str) -> bool:
    """Whether a record's body is HTML markup rather than text that mentions a tag."""
    head = text[:5000].lower()
    return sum(head.count(tag) for tag in _MARKUP) >= 2


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def html_to_text(html: str) -> str:
    """Paragraphs of an HTML fragment, one blank line between them."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    parser._flush()
    return "\n\n".join(parser.paragraphs)


# A page's own furniture: what is written there is no article, as a link's text is not.
_CHROME = frozenset({"nav", "header", "footer", "aside", "menu"})


class _Facts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None
        self.lang: str | None = None
        self.links: set[str] = set()
        self._in_link = 0
        self._link: list[str] = []
        self._in_chrome = 0  # inside a page's navigation, header, footer or aside
        self._chrome: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        elif tag == "meta" and self.charset is None:
            if a.get("charset"):
                self.charset = a["charset"]
            elif a.get("http-equiv", "").lower() == "content-type" and a.get("content"):
                self.charset = content_type_charset(a["content"])
        elif tag == "a":
            self._in_link += 1
        if tag in _CHROME:
            self._in_chrome += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._in_link:
            self._in_link -= 1
            text = " ".join("".join(self._link).split())
            if text:
                self.links.add(text.casefold())
            self._link = []
        if tag in _CHROME and self._in_chrome:
            self._in_chrome -= 1
            for line in "".join(self._chrome).splitlines():
                text = " ".join(line.split())
                if text:
                    self.links.add(text.casefold())
            self._chrome = []

    def handle_data(self, data: str) -> None:
        if self._in_link:
            self._link.append(data)
        if self._in_chrome:
            self._chrome.append(data)


def declared_charset(head: bytes) -> str | None:
    """The charset a page's <meta> declares, read from its first bytes."""
    parser = _Facts()
    parser.feed(head[:4096].decode("latin-1"))  # ASCII-compatible: enough to read <meta>
    return parser.charset


def page_facts(html: str) -> tuple[str | None, set[str]]:
    """A page's declared language and the (folded) texts of its links and of its
    navigation, header, footer and asides."""
    parser = _Facts()
    parser.feed(html)
    parser.close()
    return parser.lang, parser.links


def content_type_charset(value: str) -> str | None:
    """'text/html; charset=windows-1252' → 'windows-1252'."""
    msg = Message()
    msg["content-type"] = value
    return msg.get_content_charset()
