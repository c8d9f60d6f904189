"""From an original text to an `Article`: paragraphs, their flags, and metadata."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import replace

from ..controls import printable
from ..model import Article, Draft, Kind, Metadata, Paragraph, Span
from ..text.analysis import detect_language
from ..text.vocabulary import Vocabulary
from ..text.words import WORD, fold_text
from . import metadata as md
from .boilerplate import boilerplate_flags, repeats
from .mojibake import repair
from .segment import paragraph_spans

_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")  # "# Judul", "## Penyebab" (not "#hashtag")
_HEAD = 4  # metadata lines are looked for among this many first paragraphs
_LANGUAGE_WORDS = 4000  # words of the body the language is guessed from
_DATE_WINDOW = 1500  # characters from the top in which a publication date is looked for


def content_hash(text: str, given: Metadata | None = None) -> str:
    h = hashlib.blake2b(text.encode("utf-8"), digest_size=16)
    if given is not None:
        h.update(repr(given).encode("utf-8"))
    return h.hexdigest()


def draft(article_id: str, path: str, text: str, given: Metadata | None = None) -> Draft:
    """What a reader found, with mojibake repaired and control characters made visible
    already (see `mojibake`, `controls`), so that its id and content hash are those of the
    article it becomes. The id is kept as written: it names the record."""
    return Draft(
        printable(article_id),
        path,
        printable(repair(text)),
        _printable_meta(_repaired_meta(given)) if given is not None else None,
    )


def draft_hash(d: Draft) -> str:
    """The content hash the article parsed from `d` will have."""
    return content_hash(d.text, d.given)


def parse_draft(d: Draft, vocabulary: Vocabulary) -> Article:
    return parse_article(d.id, d.path, d.text, vocabulary, d.given)


def parse_article(
    article_id: str,
    path: str,
    text: str,
    vocabulary: Vocabulary,
    given: Metadata | None = None,
) -> Article:
    """Build an article from its original text. Metadata in `given` (from a record's fields)
    wins over what the text suggests; the text fills the gaps.

    Control characters in the text, the id and the metadata are made visible first (one
    stand-in per character, so offsets are those of the text as read; see `controls`)."""
    article_id = printable(article_id)
    text = printable(text)
    if given is not None:
        given = _printable_meta(given)
    spans = paragraph_spans(text)
    lines = [text[s.start : s.end] for s in spans]
    noise = boilerplate_flags(lines)
    kinds = [Kind.TEXT] * len(spans)

    outlet = author = None
    date: md.Found | None = None
    title: md.Found | None = None

    head = [i for i in range(len(spans)) if not noise[i]][:_HEAD]
    for rank, i in enumerate(head):
        line = lines[i]
        by = md.byline(line)
        if by is not None:
            kinds[i] = Kind.META
            outlet = outlet or by[0]
            author = author or by[1]
            continue
        if md.is_date_line(line):
            kinds[i] = Kind.META
            found = md.find_date(text, spans[i].start, spans[i].end)
            date = date or found
            continue
        marked = _MD_HEADING.match(line)
        if rank == 0 and title is None and marked:  # a Markdown file's "# Headline"
            kinds[i] = Kind.TITLE
            title = md.Found(
                " ".join(line[marked.end() :].split()),
                Span(spans[i].start + marked.end(), spans[i].end),
            )
            continue
        if rank == 0 and title is None and len(head) > 1 and md.looks_like_title(line):
            kinds[i] = Kind.TITLE
            title = md.Found(" ".join(line.split()), spans[i])
            continue
        dl = md.dateline_outlet(line)
        if dl is not None:
            outlet = outlet or dl[0]
            break
        if kinds[i] == Kind.TEXT:
            break  # the body has begun

    for i, line in enumerate(lines):
        if (
            kinds[i] == Kind.TEXT
            and not noise[i]
            and (_is_heading(line, i, lines) or _MD_HEADING.match(line))
        ):
            kinds[i] = Kind.HEADING

    if date is None and not (given and given.date):  # a record's own date makes this moot
        window_end = min(len(text), (spans[0].start if spans else 0) + _DATE_WINDOW)
        date = md.find_date(text, 0, window_end, stamped=True)

    # One pass per paragraph serves repeat detection and language detection: its words
    # found at C speed, folded once for the whole paragraph.
    keys: list[str] = []
    body_words: list[str] = []
    for span, is_noise in zip(spans, noise, strict=True):
        key = fold_text(" ".join(WORD.findall(text, span.start, span.end)))
        keys.append(key)
        if not is_noise and len(body_words) < _LANGUAGE_WORDS:
            body_words.extend(key.split())
    repeat_of = repeats(keys, noise)
    paragraphs = tuple(
        Paragraph(i, s.start, s.end, kinds[i], noise[i], repeat_of[i]) for i, s in enumerate(spans)
    )
    guessed = Metadata(
        title=title.value if title else None,
        title_span=title.span if title else None,
        outlet=outlet,
        author=author,
        date=date.value if date else None,
        date_span=date.span if date else None,
        language=detect_language(body_words[:_LANGUAGE_WORDS], vocabulary),
    )
    meta = _merge(given, guessed) if given is not None else guessed
    return Article(article_id, path, text, meta, paragraphs, content_hash(text, given))


_WORDS = ("title", "outlet", "author")  # the fields a scraper's mojibake reaches
_STRINGS = (*_WORDS, "date", "language", "url")


def _meta_with(meta: Metadata, fix: Callable[[str], str], names: tuple[str, ...]) -> Metadata:
    return replace(meta, **{n: None if (v := getattr(meta, n)) is None else fix(v) for n in names})


def _repaired_meta(meta: Metadata) -> Metadata:
    return _meta_with(meta, repair, _WORDS)


def _printable_meta(meta: Metadata) -> Metadata:
    return _meta_with(meta, printable, _STRINGS)


def _is_heading(line: str, i: int, lines: list[str]) -> bool:
    """A short line without final punctuation followed by more text: a section heading."""
    words = line.split()
    return (
        1 <= len(words) <= 12
        and i + 1 < len(lines)
        and not md._TITLE_END.search(line.rstrip("\"”’'"))
        and (line[0].isupper() or line[0].isdigit())
    )


def _merge(given: Metadata, guessed: Metadata) -> Metadata:
    """Fields from the record win; guesses fill what the record leaves empty."""
    changes = {}
    for name in ("title", "outlet", "author", "date", "language", "url"):
        value = getattr(given, name)
        if value:
            changes[name] = value
            if name in ("title", "date"):
                changes[f"{name}_span"] = getattr(given, f"{name}_span")
    return replace(guessed, **changes) if changes else guessed
