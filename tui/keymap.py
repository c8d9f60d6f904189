"""Every key the app answers to, in one place: widgets and screens take their BINDINGS from
here, and the help screen lists these same tables, so the two cannot drift apart.

Each binding has an id, so a user can rebind it in tui.toml (see tui/config.py)."""

from __future__ import annotations

from textual.binding import Binding

APP = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("question_mark,f1", "help", "Help", id="app.help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
]

MAIN = [
    Binding("slash", "focus_search", "Search", key_display="/", id="main.search"),
    Binding("tab", "cycle_panes(1)", "Next pane", show=False, id="main.next_pane"),
    Binding("shift+tab", "cycle_panes(-1)", "Previous pane", show=False, id="main.previous_pane"),
    Binding("b", "toggle_hidden", "Boilerplate", id="main.toggle_hidden"),
    Binding("escape", "back", "Back", show=False, id="main.back"),
]

SEARCH = [
    # A focused Input eats printable keys, so leaving it needs keys it does not use.
    Binding("escape", "leave", "To results", id="search.leave"),
    Binding("down", "leave", "To results", show=False, id="search.down"),
]

RESULTS = [
    Binding("enter", "select", "Open", id="results.open"),
    Binding("j", "cursor_down", "Down", show=False, id="results.down"),
    Binding("k", "cursor_up", "Up", show=False, id="results.up"),
    Binding("g", "first", "First", show=False, id="results.first"),
    Binding("G", "last", "Last", show=False, id="results.last"),
]

ARTICLE = [
    Binding("n", "next_hit", "Next hit", id="article.next_hit"),
    Binding("N", "previous_hit", "Previous hit", key_display="N", id="article.previous_hit"),
    Binding("j", "scroll_down", "Down", show=False, id="article.down"),
    Binding("k", "scroll_up", "Up", show=False, id="article.up"),
    Binding("g", "scroll_home", "Top", show=False, id="article.top"),
    Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
    Binding("space", "page_down", "Page down", show=False, id="article.page_down"),
]

RELATED = [
    Binding("enter", "select", "Compare", id="related.compare"),
    Binding("j", "cursor_down", "Down", show=False, id="related.down"),
    Binding("k", "cursor_up", "Up", show=False, id="related.up"),
    Binding("g", "first", "First", show=False, id="related.first"),
    Binding("G", "last", "Last", show=False, id="related.last"),
]

COMPARE = [
    Binding(
        "right_square_bracket", "passage(1)", "Next passage", key_display="]", id="compare.next"
    ),
    Binding(
        "left_square_bracket",
        "passage(-1)",
        "Previous passage",
        key_display="[",
        id="compare.previous",
    ),
    Binding("s", "swap", "Swap sides", id="compare.swap"),
    Binding("escape", "back", "Back", id="compare.back"),
    Binding("tab", "cycle_panes", "Other pane", show=False, id="compare.other_pane"),
    Binding("j,down", "scroll(1)", "Down", show=False, id="compare.down"),
    Binding("k,up", "scroll(-1)", "Up", show=False, id="compare.up"),
    Binding("g,home", "edge(0)", "Top", show=False, id="compare.top"),
    Binding("G,end", "edge(1)", "Bottom", show=False, id="compare.bottom"),
    Binding("space,pagedown", "page(1)", "Page down", show=False, id="compare.page_down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="compare.page_up"),
]

INDEXING = [
    Binding("escape", "cancel", "Cancel", id="indexing.cancel"),
]

HELP = [
    Binding("escape,q,question_mark,f1", "dismiss", "Close", key_display="Esc", id="help.close"),
    Binding("j,down", "scroll_down", "Down", show=False),
    Binding("k,up", "scroll_up", "Up", show=False),
]

# What the help screen lists, in reading order. Keys Textual itself provides (arrows,
# Page Up/Down, Home/End, mouse) are named in the section texts.
SECTIONS: list[tuple[str, str, list[Binding]]] = [
    ("Everywhere", "Ctrl+Q also quits, from anywhere.", APP),
    (
        "Main screen",
        "Tab and Shift+Tab cycle the search box, results, article and related "
        "list; on a narrow terminal they show one at a time.",
        MAIN,
    ),
    (
        "Search box",
        "Type to search; results update as you type. Enter also moves to the results.",
        SEARCH,
    ),
    ("Results", "Arrows, Page Up/Down, Home/End and the mouse work too.", RESULTS),
    ("Article", "Arrows, Page Up/Down and the mouse scroll.", ARTICLE),
    (
        "Related articles",
        "Each bar shows how much of the article on show the other one shares.",
        RELATED,
    ),
    (
        "Comparison",
        "Both panes scroll together. Escape returns to the main screen as it was.",
        COMPARE,
    ),
]
