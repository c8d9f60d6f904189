"""Every key the app answers to, in one place: widgets and screens take their BINDINGS from
here, and the help screen and `newsreader keys` list these same tables, so they cannot drift
apart.

Each binding has an id, so a user can rebind it in tui.toml (see tui/config.py):

    [keys]
    "app.quit" = "x"
"""

from __future__ import annotations

from textual.binding import Binding

APP = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.palette"),
]

MAIN = [
    # Priority: handled before the keys typed after it are passed on, so "/putin" typed fast
    # (or pasted) lands in the box whole. In the box itself it is no binding (see
    # MainScreen.check_action): the box types it in order with the keys before it.
    Binding("slash", "focus_search", "Search", key_display="/", priority=True, id="main.search"),
    Binding("tab", "cycle_panes(1)", "Next pane", show=False, id="main.next_pane"),
    Binding("shift+tab", "cycle_panes(-1)", "Previous pane", show=False, id="main.previous_pane"),
    Binding("escape", "back", "Back", show=False, id="main.back"),
    Binding("z", "full_screen", "Full screen", id="main.full_screen"),
    Binding("m", "toggle_read", "Read/unread", id="main.toggle_read"),
    Binding("f", "toggle_bookmark", "Flag", id="main.bookmark"),
    Binding("o", "open_url", "Open URL", id="main.open_url"),
    Binding("y", "copy", "Copy", id="main.copy"),
    Binding("e", "export", "Export", id="main.export"),
    Binding("S", "toggle_sort", "Sort", key_display="S", id="main.sort"),
    Binding("F", "filter", "Filter", key_display="F", id="main.filter"),
    Binding("b", "toggle_hidden", "Boilerplate", id="main.toggle_hidden"),
]

SEARCH = [
    # A focused Input eats printable keys, so leaving it needs keys it does not use.
    Binding("escape", "leave", "Leave", id="search.leave"),
    Binding("up", "history(-1)", "Older search", show=False, id="search.older"),
    Binding("down", "history(1)", "Newer search / results", show=False, id="search.newer"),
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

READING = [
    Binding("escape,z", "back", "Back", key_display="Esc", id="reading.back"),
]

# Short words, so that at 120 columns the footer has room for every key (with "Next
# passage", "Previous passage" and "Swap sides" it stopped before s, y and e).
COMPARE = [
    Binding("right_square_bracket", "passage(1)", "Next", key_display="]", id="compare.next"),
    Binding("left_square_bracket", "passage(-1)", "Prev", key_display="[", id="compare.previous"),
    Binding("p", "toggle_passages", "Passages", id="compare.passages"),
    Binding("d", "toggle_diff", "Differences", id="compare.differences"),
    Binding("plus", "min_words(1)", "Longer", key_display="+", id="compare.longer"),
    Binding("minus", "min_words(-1)", "Shorter", key_display="-", id="compare.shorter"),
    Binding("s", "swap", "Swap", id="compare.swap"),
    Binding("y", "copy", "Copy", id="compare.copy"),
    Binding("e", "export", "Export", id="compare.export"),
    Binding("escape", "back", "Back", id="compare.back"),
    Binding("tab", "cycle_panes(1)", "Next pane", show=False, id="compare.next_pane"),
    Binding("shift+tab", "cycle_panes(-1)", "Previous pane", show=False, id="compare.prev_pane"),
    Binding("j,down", "scroll(1)", "Down", show=False, id="compare.down"),
    Binding("k,up", "scroll(-1)", "Up", show=False, id="compare.up"),
    Binding("g,home", "edge(0)", "Top", show=False, id="compare.top"),
    Binding("G,end", "edge(1)", "Bottom", show=False, id="compare.bottom"),
    Binding("space,pagedown", "page(1)", "Page down", show=False, id="compare.page_down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="compare.page_up"),
]

PASSAGES = [
    Binding("enter", "select", "Go to", id="passages.go"),
    Binding("j", "cursor_down", "Down", show=False, id="passages.down"),
    Binding("k", "cursor_up", "Up", show=False, id="passages.up"),
    Binding("g", "first", "First", show=False, id="passages.first"),
    Binding("G", "last", "Last", show=False, id="passages.last"),
]

HELP = [
    Binding("escape,question_mark,f1", "dismiss", "Close", key_display="Esc", id="help.close"),
    # A modal screen hides the app's keys; quitting stays at hand (and follows its rebinding).
    Binding("q", "app.quit", "Quit", show=False, id="app.quit"),
    Binding("j,down", "scroll_down", "Down", show=False, id="help.down"),
    Binding("k,up", "scroll_up", "Up", show=False, id="help.up"),
]

DIALOG = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
]

FILTER = [
    # Priority: a checkbox and the outlet list take Enter for toggling, as Space does; in
    # this dialog Enter applies (see FilterScreen.check_action for where it does not).
    Binding("enter", "apply", "Apply", priority=True, id="filter.apply"),
]

# What the help screen and `newsreader keys` list, in reading order. Keys Textual itself
# provides (arrows, Page Up/Down, Home/End, mouse) are named in the section texts.
SECTIONS: list[tuple[str, str, list[Binding]]] = [
    ("Everywhere", "Ctrl+Q also quits. q quits whenever the search box is not focused.", APP),
    (
        "Main screen",
        "Tab and Shift+Tab cycle the results, article and related list; / is the way into "
        "the search box. Escape goes back: related → article → results. m, f, o, y and e act "
        "on the article on show (in the results: the one under the cursor).",
        MAIN,
    ),
    (
        "Search box",
        "Type to search; results update as you type. Enter, Escape or Tab leave the box; "
        "Down at the newest entry moves to the results.",
        SEARCH,
    ),
    (
        "Results",
        "● unread, ⚑ flagged, ▶ on show. Arrows, Page Up/Down, Home/End and the mouse work.",
        RESULTS,
    ),
    ("Article", "Arrows, Page Up/Down and the mouse scroll.", ARTICLE),
    (
        "Related articles",
        "Each bar shows how much of the article on show the other one shares.",
        RELATED,
    ),
    ("Full screen", "The article alone; its keys are those of the article.", READING),
    (
        "Comparison",
        "Both panes scroll together. + and - change the fewest shared words a passage needs, "
        "in steps finer at the short end: 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60. "
        "Escape returns to the main screen as it was.",
        COMPARE,
    ),
    ("Passage list", "Moving in the list moves both texts to the passage.", PASSAGES),
    ("Help", "", HELP),
    ("Dialogs", "Tab moves between fields; Enter confirms.", DIALOG),
    (
        "Filter",
        "Space marks an outlet, ticks a box or opens a month list (Enter picks the month). "
        "Enter applies from anywhere else; on Clear or Cancel it presses that button.",
        FILTER,
    ),
]


def all_bindings() -> list[tuple[str, Binding]]:
    """(section title, binding) for every binding with an id, in help order, each id once."""
    seen: set[str] = set()
    out = []
    for title, _, bindings in SECTIONS:
        for b in bindings:
            if b.id and b.id not in seen:
                seen.add(b.id)
                out.append((title, b))
    return out


def binding_ids() -> set[str]:
    return {b.id for _, b in all_bindings() if b.id}


# The tables whose keys are live together (a focused widget's, its screen's, the app's):
# one key in two of them does only the nearer one's action.
SCOPES: list[tuple[list[Binding], ...]] = [
    (APP, MAIN, RESULTS),
    (APP, MAIN, ARTICLE),
    (APP, MAIN, RELATED),
    (APP, MAIN, READING, ARTICLE),
    (APP, MAIN, SEARCH),
    (APP, COMPARE, PASSAGES),
    (HELP,),
    (DIALOG,),
    (DIALOG, FILTER),
]
_MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}


def valid_key(key: str) -> bool:
    """Whether Textual can send `key`: modifiers, then one character, a key's name
    ("escape", "f5", "pageup") or a character's ("question_mark", "plus")."""
    from textual.keys import Keys, key_to_character

    *modifiers, name = key.split("+")
    if not name or any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    named = {k.value.rsplit("+", 1)[-1] for k in Keys}
    return name in named or key_to_character(name) is not None or _unicode_name(name)


def _unicode_name(name: str) -> bool:
    import unicodedata

    try:
        unicodedata.lookup(name.replace("_", " "))
    except KeyError:
        return False
    return True


def conflicts(keymap: dict[str, str]) -> list[str]:
    """Each key the user's keymap gives a binding that another binding live at the same
    time answers to as well (and did not by default): only the nearer one's action runs,
    so "app.quit" = "j" quits nowhere j moves down."""
    others: dict[tuple[str, str], list[str]] = {}
    said: set[frozenset[str]] = set()
    for scope in SCOPES:
        owners: dict[str, dict[str, Binding]] = {}
        for table in scope:
            for b in table:
                for key in effective_keys(b, keymap):
                    owners.setdefault(key, {}).setdefault(b.id or "", b)
        for key, bindings in owners.items():
            for mine in (i for i in bindings if i in keymap):
                for other, b in bindings.items():
                    pair = frozenset((mine, other))
                    by_default = key in bindings[mine].key.split(",") and key in b.key.split(",")
                    if other == mine or pair in said or by_default:
                        continue
                    said.add(pair)
                    others.setdefault((key, mine), []).append(other)
    return [
        f'"{key}" for {mine} is also the key of {", ".join(ids)}'
        for (key, mine), ids in others.items()
    ]


def effective_keys(binding: Binding, keymap: dict[str, str]) -> list[str]:
    """The keys a binding answers to, once the user's keymap is applied."""
    value = keymap.get(binding.id or "", binding.key)
    return [k.strip() for k in value.split(",") if k.strip()]
