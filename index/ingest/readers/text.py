"""Plain text and Markdown: one file, one article."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...model import Article, Skipped
from ...text.vocabulary import Vocabulary
from ..decoding import Unreadable, decode, read_bytes
from ..document import parse_article

if TYPE_CHECKING:
    from ..limits import Limits


def read_text_file(
    abspath: Path, rel: str, vocabulary: Vocabulary, limits: Limits
) -> tuple[list[Article], list[Skipped]]:
    try:
        text = decode(read_bytes(abspath, limits.max_text_bytes))
    except Unreadable as exc:
        return [], [Skipped(rel, str(exc))]
    return [parse_article(rel, rel, text, vocabulary)], []
