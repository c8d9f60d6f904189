"""Plain text and Markdown: one file, one article."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Draft, Skipped
from ..decoding import Unreadable, decode, read_bytes
from ..document import draft

if TYPE_CHECKING:
    from ..limits import Limits


def read_text_file(abspath: Path, rel: str, limits: Limits) -> tuple[list[Draft], list[Skipped]]:
    try:
        text = decode(read_bytes(abspath, limits.max_text_bytes))
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    return [draft(rel, rel, text)], []
