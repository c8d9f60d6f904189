"""Best-effort metadata from an article's own text: title, outlet, author, date.

Every guess points at the text it came from, and nothing is invented: a field the text does
not show stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from ..model import Span

_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:et|ch)?|apr(?:il)?|mei|may|jun[ie]?|jul[iy]?|"
    r"agu(?:stus)?|agt|aug(?:ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|"
    r"nov(?:ember)?|des(?:ember)?|dec(?:ember)?"
)
_DAYS = (
    r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday"
)
_TIME = r"(?:,?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?::\d{2})?)"
_ZONE = r"(?:\s*(?P<zone>WIB|WITA|WIT|Asia/Jakarta|Asia/Makassar|Asia/Jayapura|GMT\s*\+\s*7|UTC))"
_DATE = re.compile(
    rf"""
    (?:(?:{_DAYS}),?\s*)?
    (?:
        \((?P<dmy>\d{{1,2}}/\d{{1,2}}/\d{{4}})\)                          # Rabu (3/7/2024)
      | (?P<named>\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}}{_TIME}?)          # 3 Juli 2024 14:05
      | (?P<us>(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}{_TIME}?)           # Okt 18, 2023 12:12
      | (?P<iso>\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?)  # 2024-07-03
    )
    {_ZONE}?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ZONES = {
    "wib": "+07:00",
    "asia/jakarta": "+07:00",
    "gmt+7": "+07:00",
    "utc": "+00:00",
    "wita": "+08:00",
    "asia/makassar": "+08:00",
    "wit": "+09:00",
    "asia/jayapura": "+09:00",
}

_DOMAIN = r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|co\.id|co|id|net|org|tv|news)"
_BYLINE = re.compile(
    rf"^(?:laporan\s+)?(?:wartawan|reporter|koresponden|kontributor)\s+"
    rf"(?P<outlet>{_DOMAIN})\s*,?\s+(?P<author>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}})$",
    re.IGNORECASE,
)
_AUTHOR_LINE = re.compile(
    r"^(?:penulis|reporter|oleh|author|by|written by)\s*:?\s+"
    r"(?P<author>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})$",
    re.IGNORECASE,
)
# "TRIBUNNEWS.COM, ASTANA –", "JAKARTA, KOMPAS.com -", "TEMPO.CO, Jakarta -", "MOSKOW -"
_DATELINE = re.compile(
    rf"^(?P<head>(?:(?P<outlet1>{_DOMAIN})\s*,\s*)?"
    rf"(?P<place>[A-Z][A-Za-z]+(?:\s[A-Z][A-Za-z]+)?)?"
    rf"(?:\s*,\s*(?P<outlet2>{_DOMAIN}))?"
    rf"(?:\s*\((?P<agency>[A-Z][A-Za-z]+)\))?)\s*[–—-]\s+"
)
_TITLE_END = re.compile(r"[.,;:!?…]$")


@dataclass(frozen=True)
class Found:
    value: str
    span: Span


_DAY_FIRST = re.compile(rf"(?:{_DAYS})\b", re.IGNORECASE)


def find_date(
    text: str, start: int = 0, end: int | None = None, *, stamped: bool = False
) -> Found | None:
    """The first full date (day, month, year) in text[start:end], as ISO 8601. `stamped`:
    only a date written the way news stamps the day it reports, not any date the text
    mentions ("raib pada 8 Maret 2014" is an event): with its weekday ("Rabu (3/7/2024)",
    "Senin, 16 September 2019"), in parentheses ("(3/7/2024)"), with a time, or at the
    start of a line."""
    for m in _DATE.finditer(text, start, len(text) if end is None else end):
        if stamped and not _stamp(text, m):
            continue
        iso = _to_iso(m)
        if iso:
            return Found(iso, Span(m.start(), m.end()))
    return None


def _stamp(text: str, m: re.Match[str]) -> bool:
    if m.group("dmy") or _DAY_FIRST.match(m.group()):
        return True
    if re.search(r"\d[:.]\d{2}(?!\d)", m.group()):  # a time: "3 Juli 2024 14:05 WIB"
        return True
    line_start = text.rfind("\n", 0, m.start()) + 1
    return not text[line_start : m.start()].strip()


def _to_iso(m: re.Match[str]) -> str | None:
    raw = m.group("dmy") or m.group("named") or m.group("us") or m.group("iso")
    raw = re.sub(r"pukul\s*", "", raw, flags=re.IGNORECASE)
    raw = re.sub(r"(\d{1,2})\.(\d{2})$", r"\1:\2", raw)
    out = _parse_date(raw, bool(m.group("iso")))
    zone = m.group("zone")
    if out and zone and "T" in out:
        out += _ZONES.get(re.sub(r"\s+", "", zone).lower(), "")
    return out


_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{4})-(\d{2})-(\d{2})")


@lru_cache(maxsize=4096)
def _parse_date(raw: str, iso: bool) -> str | None:
    """A date string as ISO 8601 (minutes when it has a time), by dateparser, which knows
    Indonesian month names. Cached: a corpus repeats the same dates many times."""
    numeric = _NUMERIC.fullmatch(raw)
    if numeric:  # "3/7/2024" (day first, as Indonesian papers write it) or "2024-07-03"
        g = numeric.groups()
        day, month, year = (g[0], g[1], g[2]) if g[0] else (g[5], g[4], g[3])
        if not 1900 <= int(year) <= 2100:
            return None
        try:
            return datetime(int(year), int(month), int(day)).date().isoformat()
        except ValueError:
            return None
    import dateparser  # slow import: only when a date candidate is found

    settings = {
        "DATE_ORDER": "YMD" if iso else "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Never relative to the day of indexing ("kemarin", "2 hari lalu"): that date
        # would be invented.
        "PARSERS": ["timestamp", "absolute-time", "custom-formats"],
    }
    try:
        parsed = dateparser.parse(raw, languages=["id", "en"], settings=settings)
    except (ValueError, OverflowError):  # pragma: no cover - dateparser's own failures
        return None
    if parsed is None or not 1900 <= parsed.year <= 2100:
        return None
    has_time = re.search(r"\d{1,2}[:.]\d{2}", raw.split(" ", 1)[-1]) and not (
        iso and len(raw) == 10
    )
    if not has_time:
        return parsed.date().isoformat()
    return parsed.replace(tzinfo=None).isoformat(timespec="minutes")


# A date `_DATE` matches spans at most this many words ("Rabu, 3 Juli 2024 pukul 14.05 GMT +
# 7": 9), counted with room to spare.
_DATE_WORDS = 12
_STRIPPED = " ,-–|/"  # what is taken off the ends of a date line's other words


def is_date_line(line: str) -> bool:
    """A line that holds a date and hardly anything else (a dateline of its own)."""
    words = line.split()
    if len(words) > _DATE_WORDS + 3 and sum(1 for w in words if w.strip(_STRIPPED)) > (
        _DATE_WORDS + 3
    ):
        # Words outside the date stay words (two may join where it is cut out): more than
        # two are left, without looking for the date (a whole paragraph, dates parsed).
        return False
    m = find_date(line)
    if not m:
        return False
    rest = (line[: m.span.start] + line[m.span.end :]).strip(_STRIPPED)
    return len(rest.split()) <= 2


def byline(line: str) -> tuple[str | None, str | None] | None:
    """(outlet, author) when the line is a byline, else None."""
    line = " ".join(line.split())
    m = _BYLINE.match(line)
    if m:
        return _outlet_name(m.group("outlet")), m.group("author")
    m = _AUTHOR_LINE.match(line)
    if m:
        return None, m.group("author")
    return None


def dateline_outlet(paragraph: str) -> tuple[str | None, int] | None:
    """The outlet named in a dateline that opens a paragraph, and the dateline's length."""
    m = _DATELINE.match(paragraph[:80])
    if not m or not (m.group("place") or m.group("outlet1") or m.group("outlet2")):
        return None
    head = m.group("head")
    bare_place = m.group("place") and not (
        m.group("outlet1") or m.group("outlet2") or m.group("agency")
    )
    # A bare place only counts in capitals ("MOSKOW -"), not as an ordinary sentence.
    if bare_place and not head.strip().isupper():
        return None
    outlet = m.group("outlet1") or m.group("outlet2") or m.group("agency")
    return (_outlet_name(outlet) if outlet else None), m.end()


def _outlet_name(raw: str) -> str:
    """'TRIBUNNEWS.COM' → 'Tribunnews.com'; mixed case is kept as written ('KOMPAS.com')."""
    if raw.isupper():
        name, _, rest = raw.partition(".")
        return name.capitalize() + ("." + rest.lower() if rest else "")
    return raw


def looks_like_title(line: str) -> bool:
    """A headline: a short line of 3–25 words, starting with a capital or digit, without
    final punctuation, that is not a byline or a date."""
    words = line.split()
    if not 3 <= len(words) <= 25 or len(line) > 200:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“'‘"):
        return False
    if _TITLE_END.search(line.rstrip("\"”’'")):
        return False
    return byline(line) is None and not is_date_line(line)
