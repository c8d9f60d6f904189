"""The comparison screen: article A left, B right (stacked on a narrow terminal), shared
passages numbered, coloured and level, with the list of passages beside them to jump from.
`d` shows only where the passages differ; `+` and `-` change the fewest shared words a
passage needs. Escape returns to the main screen untouched, since that screen stays
underneath this one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from ...index import Comparison, NewsreaderError
from .. import export, keymap
from ..config import Settings
from ..engine import DEFAULT_MIN_WORDS, Engine
from ..labels import percent
from ..widgets import styles
from ..widgets.comparison import ComparisonView, PassagePane
from ..widgets.footer import KeyFooter
from ..widgets.passage_list import PassageList
from . import actions
from .dialogs import Choice

# What + and - step through: the fewest shared words a passage needs. Finer at the short
# end, where one word more or less changes most which passages are found; so from 8 `-`
# steps by one or two and `+` by two (the help screen says so).
MIN_WORDS_STEPS = (3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60)


@dataclass
class Compared(Message):
    comparison: Comparison
    min_words: int


@dataclass
class CompareFailed(Message):
    message: str


class ComparisonScreen(actions.ArticleActions, Screen[None]):
    CSS_PATH = "compare.tcss"
    BINDINGS: ClassVar[list[BindingType]] = keymap.COMPARE
    AUTO_FOCUS = "#pane-a"

    diff_only: reactive[bool] = reactive(False, init=False)
    show_passages: reactive[bool] = reactive(True, init=False)

    def __init__(self, engine: Engine, settings: Settings, a_id: str, b_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.a_id = a_id
        self.b_id = b_id
        self.min_words = DEFAULT_MIN_WORDS
        self.comparison: Comparison | None = None
        self.HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (settings.narrow_width, "-wide")]

    def compose(self) -> ComposeResult:
        yield Static(Content("Aligning the two articles…").stylize(styles.MUTED), id="cmp-status")
        with Horizontal(id="cmp-body"):
            yield PassageList(id="passages")
            yield ComparisonView(id="comparison")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load(self.min_words)

    def on_resize(self) -> None:
        self.call_after_refresh(self._place_list)

    def _place_list(self) -> None:
        # Wide: the list stays beside the texts unless hidden; narrow: it takes their
        # place while it has the keys.
        self.query_one(PassageList).display = self.show_passages and (
            self.has_class("-wide") or self.focused is self.query_one(PassageList)
        )

    @work(exclusive=True, group="compare", thread=True)
    def load(self, min_words: int) -> None:
        try:
            comparison = self.engine.compare(self.a_id, self.b_id, min_words)
        except NewsreaderError as exc:
            self.post_message(CompareFailed(str(exc)))
            return
        self.post_message(Compared(comparison, min_words))

    @on(CompareFailed)
    def _failed(self, event: CompareFailed) -> None:
        self.query_one("#cmp-status", Static).update(
            Content(f"Cannot compare: {event.message}").stylize(styles.ERROR)
        )

    @on(Compared)
    def _compared(self, event: Compared) -> None:
        if not self.is_attached:
            return  # the reader went back before the answer came
        self.min_words = event.min_words
        self._show(event.comparison, self._same_place(event.comparison))

    def _same_place(self, comparison: Comparison) -> int | None:
        """After aligning again (`+`/`-`), the passage at the place of the one on show: the
        first that overlaps it in A, else the next after it (else the last); None when no
        passage was on show."""
        old = self.comparison
        current = self.query_one(ComparisonView).current
        passages = comparison.alignment.passages
        if old is None or current is None or not passages:
            return None
        was = old.alignment.passages[current]
        for k, p in enumerate(passages):
            if p.a_end > was.a_start:
                return k
        return len(passages) - 1

    def _show(self, comparison: Comparison, current: int | None) -> None:
        self.comparison = comparison
        self.query_one(PassageList).show(comparison)
        self.query_one(ComparisonView).show(comparison, current, self.diff_only)
        self._place_list()

    @on(ComparisonView.PassageChanged)
    def _passage_changed(self, event: ComparisonView.PassageChanged) -> None:
        self.query_one("#cmp-status", Static).update(self._status(event.index, event.total))
        self.query_one(PassageList).follow(event.index)

    @on(PassageList.Chosen)
    def _chosen(self, event: PassageList.Chosen) -> None:
        view = self.query_one(ComparisonView)
        view.current = event.index
        if not self.has_class("-wide") and not event.moved:
            # Narrow: the list gives way to the texts once a passage is chosen; while the
            # reader moves through it, it stays (the texts below it follow).
            self.query_one(PassageList).display = False
            view.panes[0].focus()

    def _status(self, index: int | None, total: int) -> Content:
        if self.comparison is None:
            return Content("")
        al = self.comparison.alignment
        # Most wanted first, as a narrow terminal cuts the end: which passage, then the
        # length + and - set (at 80x24 it read "passage 1 of 2 · passages o…", at 60x20
        # "passage…" when the coverage came first).
        settings = Content(f" · passages of {self.min_words}+ words").stylize(styles.MUTED)
        if self.diff_only:
            settings += Content(" · differences only").stylize(styles.FILTER)
        if not total:
            return Content("These articles share no passage.").stylize(styles.MUTED) + settings
        coverage = Content(f" · A {percent(al.coverage_a)} · B {percent(al.coverage_b)} shared")
        if index is not None:
            out = Content(f"passage {index + 1} of {total}").stylize("bold")
            return out + settings + coverage
        out = Content(f"{total} shared passage{'s' if total != 1 else ''}").stylize("bold")
        return out + settings + coverage + Content(" · ] next passage").stylize(styles.MUTED)

    # -- actions ---------------------------------------------------------------------------
    def _flash(self, text: str) -> None:
        """A passing word in the status line about a key that had nothing left to do; the
        status comes back after two seconds."""
        self.app.bell()
        self.query_one("#cmp-status", Static).update(Content(text).stylize(styles.FLASH))
        self.set_timer(2.0, self._restore_status)

    def _restore_status(self) -> None:
        view = self.query_one(ComparisonView)
        self.query_one("#cmp-status", Static).update(self._status(view.current, view.passage_count))

    def action_passage(self, direction: int) -> None:
        view = self.query_one(ComparisonView)
        total, current = view.passage_count, view.current
        view.step(direction)
        # At either end the key does nothing visible: a bell alone said nothing.
        if total and current == (total - 1 if direction > 0 else 0):
            self._flash("last passage" if direction > 0 else "first passage")

    def action_swap(self) -> None:
        if self.comparison is None:
            return
        view = self.query_one(ComparisonView)
        current = view.swapped_index()
        c = self.comparison
        self.a_id, self.b_id = self.b_id, self.a_id
        self._show(Comparison(c.b, c.a, c.alignment.swapped()), current)

    def action_toggle_diff(self) -> None:
        self.diff_only = not self.diff_only

    def watch_diff_only(self) -> None:
        if self.comparison is not None:
            self._show(self.comparison, self.query_one(ComparisonView).current)

    def action_toggle_passages(self) -> None:
        passages = self.query_one(PassageList)
        if self.has_class("-wide"):
            self.show_passages = not self.show_passages
            if not self.show_passages and self.focused is passages:
                self.query_one(ComparisonView).panes[0].focus()
        else:
            self.show_passages = True
            showing = not passages.display
            passages.display = showing
            (passages if showing else self.query_one(ComparisonView).panes[0]).focus()

    def watch_show_passages(self) -> None:
        self._place_list()
        if self.show_passages and self.has_class("-wide"):
            self.query_one(PassageList).focus()

    def action_min_words(self, step: int) -> None:
        if step > 0:
            wanted = next((n for n in MIN_WORDS_STEPS if n > self.min_words), self.min_words)
        else:
            smaller = [n for n in MIN_WORDS_STEPS if n < self.min_words]
            wanted = smaller[-1] if smaller else self.min_words
        if wanted == self.min_words:
            end = "maximum" if step > 0 else "minimum"
            self._flash(f"{end} reached: passages of {self.min_words}+ words")
            return
        self.min_words = wanted
        self.query_one("#cmp-status", Static).update(
            Content(f"Aligning again with passages of {wanted}+ words…").stylize(styles.MUTED)
        )
        self.load(wanted)

    def action_back(self) -> None:
        passages = self.query_one(PassageList)
        if not self.has_class("-wide") and passages.display:
            passages.display = False
            self.query_one(ComparisonView).panes[0].focus()
            return
        self.dismiss()

    def _pane(self) -> PassagePane | None:
        return self.focused if isinstance(self.focused, PassagePane) else None

    def action_cycle_panes(self, direction: int) -> None:
        passages = self.query_one(PassageList)
        a, b = self.query_one(ComparisonView).panes
        order = [w for w in (passages, a, b) if w.display]
        index = order.index(self.focused) if self.focused in order else 0
        order[(index + direction) % len(order)].focus()

    def action_scroll(self, lines: int) -> None:
        self.query_one(ComparisonView).scroll_lines(lines, self._pane())

    def action_page(self, direction: int) -> None:
        pane = self._pane() or self.query_one(ComparisonView).panes[0]
        self.query_one(ComparisonView).scroll_lines(
            direction * max(pane.scrollable_content_region.height - 1, 1), pane
        )

    def action_edge(self, end: int) -> None:
        self.query_one(ComparisonView).scroll_edge(bool(end))

    # -- open, copy, export ------------------------------------------------------------------
    def url_to_open(self) -> str | None:
        if self.comparison is None:
            return None
        side = self.comparison.b if self.focused is self.query_one("#pane-b") else self.comparison.a
        return side.meta.url

    def copy_choices(self) -> list[Choice]:
        c = self.comparison
        if c is None:
            return []
        choices = []
        current = self.query_one(ComparisonView).current
        if current is not None:
            p = c.alignment.passages[current]
            n = current + 1
            choices += [
                Choice("a", f"Passage {n}, A's words", c.a.text[p.a_start : p.a_end].strip()),
                Choice("b", f"Passage {n}, B's words", c.b.text[p.b_start : p.b_end].strip()),
            ]
        choices.append(Choice("i", "Both ids", f"{c.a.id}\n{c.b.id}"))
        for key, side, art in (("u", "A", c.a), ("v", "B", c.b)):
            if art.meta.url:
                choices.append(Choice(key, f"{side}'s source URL", art.meta.url))
        return choices

    def export_what(self) -> tuple[str, str, str, dict[str, str]] | None:
        if self.comparison is None:
            return None
        c = self.comparison
        name = actions.file_name(
            f"compare {c.a.display_title[:20]} {c.b.display_title[:20]}", "html"
        )
        return (
            "the comparison (a web page; .md for Markdown)",
            name,
            export.comparison_html(c),
            export.COMPARISON_FORMATS,
        )

    def _write_export(self, path: Path | None) -> None:
        if (
            path is not None
            and self.comparison is not None
            and export.COMPARISON_FORMATS.get(path.suffix.lower()) == "Markdown"
        ):
            self._export_text = export.comparison_markdown(self.comparison)
        super()._write_export(path)

    def export_dir(self) -> Path:
        return self.settings.export_dir or Path.cwd()
