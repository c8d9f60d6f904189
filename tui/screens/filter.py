"""Narrowing the results: by outlet and by a range of months (each offered with its number
of articles in the whole corpus, counted in the catalog, and said to be so), and to unread
or flagged articles. Outlets and months go to the engine as a FacetFilter, matched exactly
as they were counted; unread and flagged are the query language's own `is:unread` and
`is:bookmarked`, added to what was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select, SelectionList, Static
from textual.widgets._select import SelectOverlay
from textual.widgets.selection_list import Selection

from ...index import CorpusStats, FacetFilter
from .. import keymap


@dataclass(frozen=True)
class Filter:
    outlets: tuple[str, ...] = ()
    date_from: str | None = None  # a month, "2023-10"
    date_to: str | None = None
    unread: bool = False
    flagged: bool = False

    def __bool__(self) -> bool:
        return bool(self.outlets or self.date_from or self.date_to or self.unread or self.flagged)

    def facets(self) -> FacetFilter | None:
        found = FacetFilter(self.outlets, self.date_from, self.date_to)
        return found if found else None

    def terms(self) -> str:
        """The reader's-state part of the filter, as query terms."""
        out = []
        if self.unread:
            out.append("is:unread")
        if self.flagged:
            out.append("is:bookmarked")
        return " ".join(out)

    def label(self) -> str:
        """What the status line says about it."""
        bits = []
        if self.outlets:
            bits.append(" or ".join(self.outlets))
        if self.date_from or self.date_to:
            if self.date_from == self.date_to:
                bits.append(str(self.date_from))
            else:
                bits.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.unread:
            bits.append("unread")
        if self.flagged:
            bits.append("flagged")
        return ", ".join(bits)


def apply(query: str, filt: Filter) -> str:
    """The query a search runs: what was typed, narrowed by the filter."""
    terms = filt.terms()
    if not terms:
        return query
    if not query.strip():
        return terms
    return f"({query.strip()}) {terms}"


class FilterScreen(ModalScreen[Filter | None]):
    CSS_PATH = "filter.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*keymap.DIALOG, *keymap.FILTER]

    def __init__(self, facets: CorpusStats, current: Filter) -> None:
        super().__init__()
        self.facets = facets
        self.current = current

    def compose(self) -> ComposeResult:
        f, cur = self.facets, self.current
        outlets = [(name, n) for name, n in f.outlets if name]
        months = [(name, n) for name, n in f.months if name]
        with Vertical(id="filter-box") as box:
            box.border_title = "Filter results"
            box.border_subtitle = "Enter applies · Esc cancels"
            # The counts come from the catalog, for the whole corpus: after a search of
            # 167 results, "okezone (933)" read as 933 of them.
            yield Static(
                Content("(n): articles in the whole corpus, not in these results").stylize(
                    "$text-muted"
                ),
                id="counts-note",
            )
            yield Label(
                Content("Outlets").stylize("bold")
                + Content("  (Space marks; several: any of them)").stylize("$text-muted")
            )
            if outlets:
                yield SelectionList[str](
                    *(
                        Selection(f"{name}  ({n:,})", name, name in cur.outlets)
                        for name, n in outlets
                    ),
                    id="outlets",
                    compact=True,
                )
            else:
                yield Static(Content("No article names its outlet.").stylize("$text-muted"))
            yield Label(Content("Dates").stylize("bold"), classes="filter-heading")
            choices = [(f"{name}  ({n:,})", name) for name, n in months]
            bounds = (("from ", "from", cur.date_from), ("to   ", "to", cur.date_to))
            for label, bound, value in bounds:
                with Horizontal(classes="dates"):
                    yield Label(label)
                    yield Select(
                        choices, value=value or Select.NULL, id=bound, prompt="any", compact=True
                    )
            with Horizontal(id="states"):
                yield Checkbox("Unread only", cur.unread, id="unread", compact=True)
                yield Checkbox("Flagged only", cur.flagged, id="flagged", compact=True)
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        first = self.query("#outlets")
        (first.first() if first else self.query_one("#from")).focus()

    def chosen(self) -> Filter:
        outlets = self.query("#outlets")
        names = tuple(outlets.first(SelectionList).selected) if outlets else ()

        def month(select_id: str) -> str | None:
            value = self.query_one(select_id, Select).value
            return value if isinstance(value, str) else None

        low, high = month("#from"), month("#to")
        if low and high and low > high:
            low, high = high, low
        return Filter(
            outlets=names,
            date_from=low,
            date_to=high,
            unread=self.query_one("#unread", Checkbox).value,
            flagged=self.query_one("#flagged", Checkbox).value,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            focused = self.focused
            # Enter is still a button's own press (Clear, Cancel) and picks a month in an
            # open month list; a closed one opens with Space or the arrows.
            if isinstance(focused, (Button, SelectOverlay)):
                return False
        return super().check_action(action, parameters)

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#clear")
    def _clear(self) -> None:
        self.dismiss(Filter())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
