"""The article on show: title, a metadata line, then the paragraphs, with the query's hits
highlighted. `n` / `N` step through the hits; hidden paragraphs (boilerplate, bylines,
paragraphs the article repeats) come and go with `show_hidden`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.reactive import reactive
from textual.widgets import Static

from ...index import Article, Kind, Span
from .. import keymap, labels
from ..engine import Reading
from . import styles


@dataclass
class Block:
    """One widget's worth of article text: `start`/`end` into the article, `lead` the
    characters of label drawn before it."""

    widget: Static
    start: int
    end: int
    base: Content
    lead: int = 0


class ArticleView(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = keymap.ARTICLE
    DEFAULT_CSS = """
    ArticleView {
        & > .title {
            text-style: bold;
            color: $text-primary;
        }
        & > .meta, & > .note, & > .paragraph, & > .url {
            margin-bottom: 1;
        }
        & > .message {
            padding: 1 0;
        }
    }
    """

    show_hidden: reactive[bool] = reactive(False)
    current: reactive[int | None] = reactive(None, init=False)  # index into `hits`
    flagged: reactive[bool] = reactive(False, init=False)  # the reader flagged the article
    full_screen: reactive[bool] = reactive(False, init=False)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reading: Reading | None = None
        self.hits: list[Span] = []  # the hits in the text on show, in text order
        self.hidden_hits = 0  # hits inside paragraphs the toggle would reveal
        self._blocks: list[Block] = []
        # The article the reader opened that is still on its way, and the n/N presses made
        # meanwhile: they step through its hits once it is shown, instead of being lost.
        self._awaited: str | None = None
        self._early_steps = 0

    @property
    def article(self) -> Article | None:
        return self.reading.article if self.reading else None

    def on_mount(self) -> None:
        self._draw_title()
        self.show_message("Choose an article from the results.")

    def _draw_title(self) -> None:
        title = "Full screen · Esc goes back" if self.full_screen else "Article"
        self.border_title = title + (" ⚑ flagged" if self.flagged else "")

    def watch_flagged(self) -> None:
        self._draw_title()

    def watch_full_screen(self) -> None:
        self._draw_title()

    # -- content --------------------------------------------------------------------------
    def await_article(self, article_id: str | None) -> None:
        """The reader opened `article_id` (None: nothing is on its way any more); hit keys
        pressed before it is shown apply to it."""
        shown = self.reading is not None and self.reading.article.id == article_id
        self._awaited = None if shown else article_id
        self._early_steps = 0

    def show_message(self, text: str) -> None:
        self.await_article(None)
        self.reading = None
        self.flagged = False  # no article, no flag
        self.hits = []
        self._blocks = []
        self.border_subtitle = ""
        self.remove_children()
        self.mount(Static(Content(text).stylize(styles.MUTED), classes="message"))

    def show(self, reading: Reading) -> None:
        same = self.reading is not None and self.reading.article.id == reading.article.id
        self.reading = reading
        self._rebuild(keep_place=same)
        if not same:
            self.scroll_home(animate=False, immediate=True)
        # Whatever was awaited has come, or another article came in its place.
        steps = self._early_steps if self._awaited == reading.article.id else 0
        self.await_article(None)
        if steps:
            self._step(1 if steps > 0 else -1, abs(steps))

    def watch_show_hidden(self) -> None:
        if self.reading is not None:
            self._rebuild(keep_place=True)

    def _rebuild(self, *, keep_place: bool) -> None:
        assert self.reading is not None
        article = self.reading.article
        anchor = self._first_visible_offset() if keep_place else None
        blocks = self._blocks_for(article)
        shown = [(b.start, b.end) for b in blocks if b.end > b.start]
        all_hits = self.reading.hits
        self.hits = [h for h in all_hits if any(a <= h.start < z for a, z in shown)]
        self.hidden_hits = len(all_hits) - len(self.hits) if not self.show_hidden else 0
        self._blocks = blocks
        for block in blocks:
            block.widget.update(self._render_block(block, None))
        with self.app.batch_update():
            self.remove_children()
            self.mount_all([b.widget for b in blocks])
        self.set_reactive(ArticleView.current, None)
        self._update_counter()
        if anchor is not None:
            self.call_after_refresh(self._scroll_to_offset, anchor, False)

    def _blocks_for(self, article: Article) -> list[Block]:
        m = article.meta
        title = Content(article.display_title).stylize(styles.TITLE)
        if m.title and m.title_span:
            title_block = Block(
                Static(classes="title"), m.title_span.start, m.title_span.end, title
            )
        else:  # a record's title, not in the text, or a stand-in built from the first words
            for span in self.reading.title_hits if self.reading else ():
                title = title.stylize(styles.HIT, span.start, span.end)
            if not m.title:
                title = title.stylize("italic")
            title_block = Block(Static(classes="title"), 0, 0, title)
        meta = Content(labels.meta_line(article)).stylize(styles.MUTED)
        blocks = [title_block, Block(Static(classes="meta"), 0, 0, meta)]
        if m.url:
            url = Content("Source: ").stylize(styles.MUTED) + Content(m.url).stylize(styles.URL)
            url += Content("  (o opens, y copies)").stylize(styles.MUTED)
            blocks.append(Block(Static(classes="url"), 0, 0, url))
        hidden = sum(1 for p in article.paragraphs if p.hidden and p.kind != Kind.TITLE)
        if hidden and not self.show_hidden:
            note = f"{hidden} hidden paragraph{'s' if hidden != 1 else ''} (b shows them)"
            blocks.append(Block(Static(classes="note"), 0, 0, Content(note).stylize(styles.TAG)))
        for p in article.paragraphs:
            if p.kind == Kind.TITLE and m.title_span:
                continue  # already on show as the heading
            if p.hidden and not self.show_hidden:
                continue
            body = Content(article.paragraph_text(p))
            classes = "paragraph"
            lead = 0
            if p.hidden:
                tag = labels.hidden_label(p)
                body = Content(tag).stylize(styles.TAG) + body.stylize(styles.HIDDEN)
                lead = len(tag)
                classes += " hidden"
            elif p.kind == Kind.HEADING:
                body = body.stylize("bold")
            blocks.append(Block(Static(classes=classes), p.start, p.end, body, lead))
        return blocks

    def _render_block(self, block: Block, current: Span | None) -> Content:
        content = block.base
        for h in self.reading.hits if self.reading else ():
            if block.start <= h.start < block.end:
                style = styles.CURRENT_HIT if h == current else styles.HIT
                off = block.lead + h.start - block.start
                content = content.stylize(style, off, off + h.end - h.start)
        return content

    # -- text for copying --------------------------------------------------------------------
    def plain_text(self) -> str:
        """The article as shown: title, then the paragraphs on show."""
        article = self.article
        if article is None:
            return ""
        parts = [article.display_title]
        for p in article.paragraphs:
            if p.kind == Kind.TITLE and article.meta.title_span:
                continue
            if p.hidden and not self.show_hidden:
                continue
            parts.append(article.paragraph_text(p).strip())
        return "\n\n".join(x for x in parts if x)

    def paragraph_on_screen(self) -> str:
        """The paragraph holding the current hit, else the first one in view."""
        article = self.article
        if article is None:
            return ""
        offset = self.hits[self.current].start if self.current is not None else None
        if offset is None:
            top = self.scroll_offset.y
            for block in self._blocks:
                visible = block.widget.virtual_region.bottom > top
                if visible and block.end > block.start and block.widget.has_class("paragraph"):
                    offset = block.start
                    break
        block = self._block_of(offset) if offset is not None else None
        if block is None:
            return ""
        return article.text[block.start : block.end].strip()

    # -- hits -----------------------------------------------------------------------------
    def _update_counter(self) -> None:
        n = len(self.hits)
        extra = f" (+{self.hidden_hits} hidden)" if self.hidden_hits else ""
        if not self.reading or not (n or self.hidden_hits):
            self.border_subtitle = ""
        elif self.current is None:
            self.border_subtitle = f"{n} hit{'s' if n != 1 else ''}{extra} · n/N"
        else:
            self.border_subtitle = f"hit {self.current + 1} of {n}{extra}"

    def action_next_hit(self) -> None:
        self._step(1)

    def action_previous_hit(self) -> None:
        self._step(-1)

    def _step(self, direction: int, times: int = 1) -> None:
        if self._awaited is not None:
            self._early_steps += direction
            return
        if not self.hits:
            self.app.bell()
            return
        if self.current is None:
            start = -1 if direction > 0 else len(self.hits)
            self.current = (start + direction * times) % len(self.hits)
        else:
            self.current = (self.current + direction * times) % len(self.hits)

    def watch_current(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < len(self.hits):
                block = self._block_of(self.hits[index].start)
                if block is not None:
                    span = self.hits[new] if new is not None else None
                    block.widget.update(self._render_block(block, span))
        self._update_counter()
        if new is not None:
            self._scroll_to_offset(self.hits[new].start, True)

    def _block_of(self, offset: int) -> Block | None:
        for block in self._blocks:
            if block.start <= offset < block.end:
                return block
        return None

    def _scroll_to_offset(self, offset: int, centre: bool) -> None:
        """Bring the line holding text offset `offset` into view."""
        block = self._block_of(offset)
        if block is None:
            return
        widget = block.widget
        region = widget.virtual_region
        width = widget.content_region.width or self.scrollable_content_region.width
        line = _line_of(block.base.plain, block.lead + offset - block.start, width)
        target = Region(region.x, region.y + min(line, max(region.height - 1, 0)), region.width, 1)
        self.scroll_to_region(
            target, center=centre, top=not centre, animate=False, force=True, immediate=True
        )

    def _first_visible_offset(self) -> int | None:
        top = self.scroll_offset.y
        if top <= 0:
            # At the top it stays there: the first block with text of its own may come
            # after the title and byline (a record's title is not in its text).
            return None
        for block in self._blocks:
            if block.end > block.start and block.widget.virtual_region.bottom > top:
                return block.start
        return None


def _line_of(text: str, offset: int, width: int) -> int:
    """The wrapped line (0-based) that character `offset` of `text` is drawn on, wrapped
    the way Textual wraps the text of a Static."""
    if width <= 0:
        return 0
    line = 0
    pos = 0
    for piece in text.split("\n"):
        end = pos + len(piece)
        wrapped = [w.plain for w in Content(piece).wrap(width)] or [""]
        if offset > end:
            line += len(wrapped)
            pos = end + 1
            continue
        # Find where each wrapped line starts in the piece (wrapping drops the spaces it
        # breaks at), and count the lines starting at or before the offset.
        inner, cursor, k = offset - pos, 0, 0
        for k, row in enumerate(wrapped):
            stripped = row.strip()
            at = piece.find(stripped, cursor) if stripped else cursor
            if at > inner and k > 0:
                return line + k - 1
            cursor = at + len(stripped)
        return line + k
    return line
