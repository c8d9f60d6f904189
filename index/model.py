"""Plain data the engine passes around. Offsets are always into `Article.text`, the article's
original text (decoded, NFC, newlines as \\n), so a UI can point at the exact source span."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

# A comma after a space marks where a scraper dropped a link's words ("pelatih  ,, Gareth
# Southgate", "kabut asap akibat  , dan lahan"; half of CLICK-ID's bodies have one).
_LINK_GAP = re.compile(r"(?<=\s),")
# The commas a scraper joined two paragraphs with ("KUHP.,Selama ini", "itu., Laode pun"),
# where a passage or a short line still spans them (not "dll., dan": a capital follows).
_JOIN = re.compile(r"(?<=[.!?:]),+(?=[^\s,\d]|\s+[\"“‘'(]?[A-Z])")
# A line break inside a paragraph: the text was wrapped at a fixed width.
_WRAP = re.compile(r"(?<=\S)\n(?=\S)")


def link_gaps_marked(text: str) -> str:
    """`text` as shown: each comma a dropped link left is an ellipsis ("pelatih  …, Gareth"),
    so the gap reads as one, and paragraph joins are spaces ("KUHP. Selama ini"). The same
    length, so every offset into the text still holds. A line break between two words is
    a space too: a paragraph of hard-wrapped text reads as one (and a paragraph ends at a
    blank line or at the end of a line that ends a sentence, see ingest/segment.py)."""
    if "\n" in text:
        text = _WRAP.sub(" ", text)
    if "," not in text:
        return text
    text = _LINK_GAP.sub("…", text)
    return _JOIN.sub(lambda m: " " * len(m.group()), text)


class Kind(StrEnum):
    TITLE = "title"  # the headline line at the top
    META = "meta"  # a byline or dateline on a line of its own
    HEADING = "heading"  # a short line inside the article
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) spans with overlapping or touching ones joined, in text order."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    kind: Kind = Kind.TEXT
    boilerplate: bool = False
    repeat_of: int | None = None  # index of the earlier paragraph this one repeats

    @property
    def hidden(self) -> bool:
        """Hidden in the reading view unless the reader asks for the raw article."""
        return (
            self.boilerplate or self.repeat_of is not None or self.kind in (Kind.TITLE, Kind.META)
        )

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "kind": str(self.kind),
            "boilerplate": self.boilerplate,
            "repeat_of": self.repeat_of,
            "hidden": self.hidden,
        }


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    title_span: Span | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None  # ISO 8601: "2024-07-03" or "2023-10-18T12:12:00+07:00"
    date_span: Span | None = None
    language: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Article:
    id: str  # path relative to the corpus root (plus "#record" for multi-article files)
    path: str  # the source file, relative to the corpus root
    text: str
    meta: Metadata
    paragraphs: tuple[Paragraph, ...]
    content_hash: str

    def paragraph_text(self, p: Paragraph) -> str:
        """A paragraph as shown (see `link_gaps_marked`)."""
        return link_gaps_marked(self.text[p.start : p.end])

    @property
    def visible(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if not p.hidden)

    @property
    def body_text(self) -> str:
        """The text that is indexed: visible paragraphs, without title or boilerplate."""
        return "\n\n".join(self.text[p.start : p.end] for p in self.visible)

    @property
    def display_title(self) -> str:
        """The title, or a stand-in built from the first words (never stored as a title)."""
        if self.meta.title:
            return self.meta.title
        for p in self.visible:
            words = self.paragraph_text(p).split()
            if words:
                head = " ".join(words[:10])
                return head + ("…" if len(words) > 10 else "")
        return self.id

    @property
    def word_count(self) -> int:
        return sum(len(self.text[p.start : p.end].split()) for p in self.visible)

    def to_json(self, *, with_text: bool = False) -> dict:
        m = self.meta
        out = {
            "id": self.id,
            "path": self.path,
            "title": m.title,
            "title_span": asdict(m.title_span) if m.title_span else None,
            "outlet": m.outlet,
            "author": m.author,
            "date": m.date,
            "date_span": asdict(m.date_span) if m.date_span else None,
            "language": m.language,
            "url": m.url,
            "words": self.word_count,
            "content_hash": self.content_hash,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }
        if with_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True, slots=True)
class Draft:
    """An article as a reader found it, before it is parsed into paragraphs: the text and
    the metadata its record gives. Cheap to make and to send to another process."""

    id: str
    path: str
    text: str
    given: Metadata | None = None  # a record's own metadata, which wins over guesses


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source that was not taken in, and why (one line a user can act on)."""

    path: str
    reason: str


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    rebuilt: bool = False
    interrupted: bool = False
    seconds: float = 0.0
    rebuild_reason: str | None = None  # why the index was rebuilt ("asked for", "damaged …")
    engine: str | None = None  # the search engine the index is built with ("whoosh", "tantivy")
    compacted: bool = False  # the full text was merged into one segment (`update(compact=)`)
    created: bool = False  # the first build: there was no index before this run


def article_from_json(data: dict, text: str) -> Article:
    """The inverse of `Article.to_json` (the text travels separately)."""
    ts, ds = data.get("title_span"), data.get("date_span")
    meta = Metadata(
        title=data.get("title"),
        title_span=Span(**ts) if ts else None,
        outlet=data.get("outlet"),
        author=data.get("author"),
        date=data.get("date"),
        date_span=Span(**ds) if ds else None,
        language=data.get("language"),
        url=data.get("url"),
    )
    paragraphs = tuple(
        Paragraph(
            p["index"], p["start"], p["end"], Kind(p["kind"]), p["boilerplate"], p["repeat_of"]
        )
        for p in data["paragraphs"]
    )
    return Article(data["id"], data["path"], text, meta, paragraphs, data["content_hash"])
