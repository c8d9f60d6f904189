"""One record (a JSON object, a CSV row) to one article, with the field mapping applied.

The record's body is the article's original text: offsets point into it. The record's own
title, outlet, author, date, URL and language go with it as given metadata,
which wins over what the text heuristics guess; the heuristics fill the gaps.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...model import Draft, Metadata, Skipped
from ..document import draft
from ..mojibake import repair
from .dates import normalize_date
from .encoding import clean
from .fields import RecordConfig
from .htmltext import html_to_text, looks_like_html

if TYPE_CHECKING:
    from ..limits import Limits

_LANGS = {
    "in": "id",
    "ind": "id",
    "indonesian": "id",
    "indonesia": "id",
    "bahasa indonesia": "id",
    "eng": "en",
    "english": "en",
    "inggris": "en",
}
_NO_BODY = "no body field"


@dataclass
class DraftStream:
    """One source file's drafts, read as they are taken, each with how many of the file's
    bytes were read by then (for progress): a dump of any size is never held whole.
    `skipped` is complete once every draft has been taken; `failed` says reading broke off
    at an error, so the drafts taken are not all the file holds."""

    drafts: Iterator[tuple[Draft, int]]
    skipped: list[Skipped]
    failed: bool = False

    @classmethod
    def of(cls, drafts: list[Draft], skipped: list[Skipped], size: int) -> DraftStream:
        """Drafts a reader has read all at once (a file of one or a few articles)."""
        n = len(drafts)
        return cls(((d, size * (k + 1) // n) for k, d in enumerate(drafts)), skipped)

    def read_all(self) -> tuple[list[Draft], list[Skipped]]:
        drafts = [d for d, _ in self.drafts]
        return drafts, self.skipped


@dataclass
class Records:
    """Collects the articles and skips of one record file."""

    rel: str
    limits: Limits
    config: RecordConfig
    articles: list[Draft] = field(default_factory=list)  # added, not yet taken (see `stream`)
    skipped: list[Skipped] = field(default_factory=list)
    found: int = 0  # articles added in all
    keys_seen: dict[str, None] = field(default_factory=dict)  # field names, for hints
    _ids: dict[str, int] = field(default_factory=dict)  # record id → line it was first on

    def skip(self, line: int, reason: str) -> None:
        self.skipped.append(Skipped(f"{self.rel}:{line}", reason))

    def add(self, record: Mapping[str, Any], line: int, *, whole_file: bool = False) -> None:
        """Turn one record into an article. `whole_file`: the file holds this one record,
        whose article id is then the file's path, like a text file's."""
        fields = _lowered(record)
        if len(self.keys_seen) < 50:
            self.keys_seen.update(dict.fromkeys(fields))
        names = self.config.names
        raw_body, body_key = _first(fields, names["body"])
        if body_key is None:
            self.skip(line, _NO_BODY)
            return
        if raw_body is None:
            self.skip(line, "empty body")
            return
        body = _text(raw_body, paragraphs=True)
        if body is None:
            self.skip(line, f'the body ("{body_key}") is not text')
            return
        if looks_like_html(body):
            body = html_to_text(body)
        body = clean(body)
        if not body.strip():
            self.skip(line, "empty body")
            return
        if (
            len(body) > self.limits.max_text_bytes // 4
            and len(body.encode("utf-8")) > self.limits.max_text_bytes
        ):
            self.skip(line, "the body is too large to be one article")
            return
        record_id = _text(_first(fields, names["id"])[0])
        if whole_file:
            article_id = self.rel
        else:
            key = " ".join(record_id.split()) if record_id else f"L{line}"
            first = self._ids.setdefault(key, line)
            if first != line:
                self.skip(line, f'duplicate record id "{key}" (first on line {first})')
                return
            article_id = f"{self.rel}#{key}"
        given = Metadata(
            title=_one_line(_first(fields, names["title"])[0]),
            outlet=_one_line(_first(fields, names["outlet"])[0]),
            author=_one_line(_first(fields, names["author"])[0]),
            date=normalize_date(_first(fields, names["date"])[0], self.config.date_order),
            url=_one_line(_first(fields, names["url"])[0]),
            language=language_code(_first(fields, names["lang"])[0]),
        )
        self.articles.append(draft(article_id, self.rel, body, given))
        self.found += 1

    def result(self) -> tuple[list[Draft], list[Skipped]]:
        """The articles and skips, once every record is read."""
        self.finish()
        return self.articles, self.skipped

    def finish(self, empty: str | None = None) -> None:
        """Once every record is read: a file none of whose records has a body field is
        one skip with a hint, not one per record; a file with nothing in it is one skip
        for `empty`, if given."""
        if not self.found and self.skipped and all(s.reason == _NO_BODY for s in self.skipped):
            shown = ", ".join(list(self.keys_seen)[:12]) or "none"
            self.skipped[:] = [
                Skipped(
                    self.rel,
                    f"no body field in any record (fields: {shown}); "
                    f'name it in newsreader.toml: [fields] body = "..."',
                )
            ]
        elif empty and not self.found and not self.skipped:
            self.skipped.append(Skipped(self.rel, empty))

    def stream(self, steps: Iterator[int], empty: str | None = None) -> DraftStream:
        """The drafts added while `steps` reads the file on (each step a line or row,
        giving the bytes read by then), as they come."""
        out = DraftStream(iter(()), self.skipped)

        def drafts() -> Iterator[tuple[Draft, int]]:
            try:
                for end in steps:
                    if self.articles:
                        yield from ((d, end) for d in self.articles)
                        self.articles.clear()
            except OSError as exc:
                out.failed = True
                self.skip_file(f"unreadable: {exc.strerror or exc}")
            self.finish(empty)

        out.drafts = drafts()
        return out

    def skip_file(self, reason: str) -> None:
        self.skipped.append(Skipped(self.rel, reason))


def _lowered(record: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in record.items()}


def _first(fields: dict[str, Any], names: tuple[str, ...]) -> tuple[Any, str | None]:
    """The first non-empty value among `names` (a dotted name reaches into objects), and the
    name it came from; (None, name) when only empty values are there, (None, None) when none
    of the names is there at all."""
    present: str | None = None
    for name in names:
        value = _lookup(fields, name)
        if value is _MISSING:
            continue
        present = present or name
        if value not in (None, "", [], {}) and not (isinstance(value, str) and not value.strip()):
            return value, name
    return None, present


_MISSING = object()


def _lookup(fields: dict[str, Any], name: str) -> Any:
    if name in fields:
        return fields[name]
    if "." not in name:
        return _MISSING
    value: Any = fields
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return _MISSING
        value = _lowered(value).get(part, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def _text(value: Any, *, paragraphs: bool = False) -> str | None:
    """A field as text: strings as they are, numbers written out, lists of strings joined
    (a body's list items are its paragraphs); anything else is not text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return ("\n\n" if paragraphs else ", ").join(str(v) for v in value if str(v).strip())
    return None


def _one_line(value: Any) -> str | None:
    """A metadata field on one line, its mojibake repaired first: a title's "Â\xa0" must not
    be split into "Â" and a space (the body is repaired with the text, in `draft`)."""
    text = _text(value)
    if text is None:
        return None
    return " ".join(repair(text).split()) or None


def language_code(value: Any) -> str | None:
    text = _one_line(value)
    if not text:
        return None
    code = text.lower().replace("_", "-")
    code = _LANGS.get(code, code.split("-")[0])
    code = _LANGS.get(code, code)
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
