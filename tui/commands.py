"""Command-palette providers that pick an article by title ("Open article…", "Compare
with…"). Titles are article text, so hits are built as Content, never as markup, and
matching is by words rather than fuzzy letters: a 10,000-title corpus must still answer
each keystroke at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .screens.main import MainScreen
from .widgets import styles

MAX_HITS = 40

Titles = list[tuple[str, str]]  # (article id, title)


class TitledApp(Protocol):
    """The app, as these providers see it: it keeps every article's title."""

    titles: Titles


def match_title(query: str, title: str) -> tuple[float, list[tuple[int, int]]]:
    """A score in 0..1 when every query word occurs in the title, with where they occur."""
    words = query.casefold().split()
    folded = title.casefold()
    spans = []
    for word in words:
        at = folded.find(word)
        if at < 0:
            return 0.0, []
        spans.append((at, at + len(word)))
    covered = sum(e - s for s, e in spans)
    starts_word = sum(1 for s, _ in spans if s == 0 or not folded[s - 1].isalnum())
    score = 0.5 * min(covered / max(len(title), 1), 1.0) + 0.5 * starts_word / len(words)
    return score, spans


class TitleProvider(Provider):
    """Hits for articles whose titles hold every typed word. Subclasses say what choosing
    one does and where the titles come from."""

    verb = "Open"

    def titles(self) -> Titles:
        return cast(TitledApp, self.app).titles

    def choose(self, article_id: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _callback(self, article_id: str) -> Callable[[], None]:
        return partial(self.choose, article_id)

    async def discover(self) -> Hits:
        for article_id, title in self.titles()[:MAX_HITS]:
            yield DiscoveryHit(
                Content(title),
                self._callback(article_id),
                text=title,
                help=Content(article_id).markup,
            )

    async def search(self, query: str) -> Hits:
        found = 0
        for n, (article_id, title) in enumerate(self.titles()):
            score, spans = match_title(query, title)
            if score:
                display = Content(title)
                for s, e in spans:
                    display = display.stylize(styles.HIT, s, e)
                yield Hit(
                    score,
                    display,
                    self._callback(article_id),
                    text=title,
                    help=Content(article_id).markup,
                )
                found += 1
                if found >= MAX_HITS:
                    return
            if n % 2000 == 1999:
                # Let the palette draw and take keys while a large corpus is scanned.
                await asyncio.sleep(0)


class OpenArticleProvider(TitleProvider):
    def choose(self, article_id: str) -> None:
        if isinstance(self.screen, MainScreen):
            self.screen.open_article(article_id)


class PaletteTitleProvider(OpenArticleProvider):
    """Titles in the palette's first list too, once a few letters are typed: a QA pass
    typed a title's word into Ctrl+P and got "No matches found" (the titles were only
    behind "Open article by title…")."""

    async def discover(self) -> Hits:
        return
        yield  # an async generator that yields nothing: the commands alone, before typing

    async def search(self, query: str) -> Hits:
        if not isinstance(self.screen, MainScreen) or len(query.strip()) < 3:
            return
        async for hit in super().search(query):
            yield hit


class CompareWithProvider(TitleProvider):
    def choose(self, article_id: str) -> None:
        if not isinstance(self.screen, MainScreen):
            return
        current = self.screen.article_id
        if current and current != article_id:
            self.screen.open_comparison(current, article_id)
        elif current == article_id:
            self.app.notify("That is the article on show; choose another.", severity="warning")
