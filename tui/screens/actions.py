"""What `o` (open the source in the browser), `y` (copy) and `e` (export) do, shared by the
screens that offer them. A screen says what there is to open, copy or export; this module
does the rest and tells the reader how it went."""

from __future__ import annotations

import os
import re
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import SuspendNotSupported

from ...index import NewsreaderError
from .dialogs import Choice, ChoiceScreen, PathScreen


def file_name(title: str, suffix: str) -> str:
    """A file name made from a title: "newsreader-presiden-rusia-tiba.md"."""
    slug = re.sub(r"[^\w]+", "-", title.casefold(), flags=re.UNICODE).strip("-")[:36]
    return f"newsreader-{slug.strip('-') or 'export'}.{suffix}"


def console_browser_likely() -> bool:
    """Whether opening a page may start a browser in this terminal ($BROWSER set, or no
    graphical display): then the app steps aside while it runs."""
    if os.environ.get("BROWSER"):
        return True
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


class ArticleActions:
    """Mixin for a Screen: `o`, `y` and `e`. The screen provides `url_to_open`,
    `copy_choices`, `export_what` and `export_dir`."""

    # -- o ----------------------------------------------------------------------------------
    def url_to_open(self) -> str | None:
        article = self.query_one("#article").article  # type: ignore[attr-defined]
        return article.meta.url if article is not None else None

    def action_open_url(self) -> None:
        url = self.url_to_open()
        if not url:
            shown = self.query("#article")  # type: ignore[attr-defined]
            nothing = bool(shown) and shown.first().article is None
            self.notify(  # type: ignore[attr-defined]
                "No article on show." if nothing else "This article gives no source URL.",
                severity="warning",
                timeout=3,
            )
            return
        if console_browser_likely():
            # A browser in this terminal needs it to itself; webbrowser honours $BROWSER.
            try:
                with self.app.suspend():  # type: ignore[attr-defined]
                    opened = webbrowser.open(url)
            except SuspendNotSupported:
                opened = webbrowser.open(url)
            self._browser_done(url, opened)
        else:
            self._open_in_background(url)

    @work(thread=True, group="browser")
    def _open_in_background(self, url: str) -> None:
        opened = webbrowser.open(url)
        self.app.call_from_thread(self._browser_done, url, opened)  # type: ignore[attr-defined]

    def _browser_done(self, url: str, opened: bool) -> None:
        if opened:
            self.notify(f"Opened {url}", timeout=3)  # type: ignore[attr-defined]
        else:
            self.notify(  # type: ignore[attr-defined]
                f"No browser found for {url} (set $BROWSER); y copies the URL.",
                severity="warning",
            )

    # -- y ----------------------------------------------------------------------------------
    def copy_choices(self) -> list[Choice]:
        from ..widgets.article_view import ArticleView

        view = self.query_one("#article", ArticleView)  # type: ignore[attr-defined]
        article = view.article
        if article is None:
            return []
        choices = [
            Choice("t", "Article text", view.plain_text()),
            Choice("p", "Paragraph on screen", view.paragraph_on_screen()),
            Choice("i", "Article id", article.id),
        ]
        if article.meta.url:
            choices.append(Choice("u", "Source URL", article.meta.url))
        return choices

    def action_copy(self) -> None:
        choices = [c for c in self.copy_choices() if c.value]
        if not choices:
            self.app.bell()  # type: ignore[attr-defined]
            return
        self.app.push_screen(ChoiceScreen("Copy to the clipboard", choices), self._copy)  # type: ignore[attr-defined]

    def _copy(self, choice: Choice | None) -> None:
        if choice is None:
            return
        self.app.copy_to_clipboard(choice.value)  # type: ignore[attr-defined]
        words = len(choice.value.split())
        size = f" ({words:,} words)" if words > 3 else f": {choice.value}"
        self.notify(f"Copied: {choice.label}{size}", timeout=3)  # type: ignore[attr-defined]

    # -- e ----------------------------------------------------------------------------------
    def export_what(
        self,
    ) -> (
        tuple[str, str, str | Callable[[], str], dict[str, str]] | None
    ):  # pragma: no cover - overridden
        """(description, file name, text, formats): the text, or what makes it once a path
        is chosen (in a worker: it may search again), and the endings a name may have
        (see export.RESULTS_FORMATS)."""
        raise NotImplementedError

    def export_dir(self) -> Path:  # pragma: no cover - overridden
        raise NotImplementedError

    def action_export(self) -> None:
        what = self.export_what()
        if what is None:
            self.app.bell()  # type: ignore[attr-defined]
            return
        description, name, text, formats = what
        self._export_text = text
        self._export_description = description
        self.app.push_screen(  # type: ignore[attr-defined]
            PathScreen("Export", f"Save {description} to:", self.export_dir() / name, formats),
            self._write_export,
        )

    def _write_export(self, path: Path | None) -> None:
        if path is None:
            return
        text = self._export_text
        if callable(text):
            self._make_and_write(path, text, self._export_description)
        else:
            self._saved(*_write(path, text), self._export_description)

    @work(thread=True, exclusive=True, group="export")
    def _make_and_write(self, path: Path, make: Callable[[], str], description: str) -> None:
        try:
            text = make()
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, f"Cannot export: {exc}", severity="error")  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._saved, *_write(path, text), description)  # type: ignore[attr-defined]

    def _saved(self, path: Path, made: Path | None, error: str | None, description: str) -> None:
        if error is not None:
            self.notify(f"Cannot write {path}: {error}", severity="error")  # type: ignore[attr-defined]
            return
        # The dialog's hint in brackets ("(a web page; .md for Markdown)") is not repeated.
        what = description.split(" (")[0]
        made_note = f" (a new folder: {made})" if made is not None else ""
        self.notify(f"Saved {what} to {path}{made_note}", timeout=6)  # type: ignore[attr-defined]


def _write(path: Path, text: str) -> tuple[Path, Path | None, str | None]:
    """Writes `text` to `path`: (the path resolved, the first folder made for it if any,
    why it could not be written if so)."""
    made: Path | None = None
    try:
        path = path.resolve()
        if not path.parent.exists():
            made = path.parent
            while not made.parent.exists() and made.parent != made:
                made = made.parent
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return path, None, str(exc.strerror or exc)
    return path, made, None
