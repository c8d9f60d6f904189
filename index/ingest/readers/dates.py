"""A record's date, whatever its shape, as ISO 8601 ("2024-07-03", "2024-07-03T10:15+07:00").

Cheap parsers go first (ISO, RFC 822 as feeds write it, Unix time); dateparser, which is
slow, only sees what they cannot read, and its answers are cached because dumps repeat the
same date strings thousands of times.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime
from functools import lru_cache

_NUMERIC = re.compile(r"^\d{9,13}(?:\.\d+)?$")  # Unix time in seconds or milliseconds
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def normalize_date(value: object, order: str = "DMY") -> str | None:
    """ISO 8601 for a date given as text, number or datetime; None when it is no date."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _format(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    return _parse_text(text, order)


@lru_cache(maxsize=4096)
def _parse_text(text: str, order: str) -> str | None:
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    try:
        return _format(datetime.fromisoformat(text))
    except ValueError:
        pass
    if _NUMERIC.match(text):
        return _from_timestamp(float(text))
    try:
        return _format(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    return _dateparser(text, order)


def _dateparser(text: str, order: str) -> str | None:
    import dateparser  # slow import: only for dates the cheap parsers cannot read

    settings = {
        "DATE_ORDER": order,
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        # Never relative to the day of indexing ("kemarin", "2 hari lalu"): that date
        # would be invented.
        "PARSERS": ["timestamp", "absolute-time", "custom-formats"],
    }
    try:
        parsed = dateparser.parse(text, languages=["id", "en"], settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed is None:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", text))
    return _format(parsed) if has_time else _plausible(parsed.date().isoformat())


def _from_timestamp(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return _format(datetime.fromtimestamp(seconds, UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _format(dt: datetime) -> str | None:
    """Minutes unless seconds are given; the offset kept when the source names one."""
    spec = "minutes" if not dt.second and not dt.microsecond else "seconds"
    if not dt.hour and not dt.minute and not dt.second and dt.tzinfo is None:
        return _plausible(dt.date().isoformat())
    return _plausible(dt.replace(microsecond=0).isoformat(timespec=spec))


def _plausible(iso: str) -> str | None:
    return iso if 1900 <= int(iso[:4]) <= 2100 else None
