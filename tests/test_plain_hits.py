"""`newsreader search` piped: the lines laid out without Rich (`plain_hits`) are those Rich
lays out (`print_out(hits(...))`), wrapping, wide characters and long words included."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index import Library
from newsreader.index.model import Span
from newsreader.index.search.highlight import QueryTerms, Snippet
from newsreader.index.search.results import Hit, SearchResults
from newsreader.tui.cli import hits as hits_module
from newsreader.tui.cli.hits import hits, plain_hits, plain_width


def _rich(results: SearchResults, width: int) -> str:
    """What print_out writes to a pipe for `hits(results)` at this console width."""
    from newsreader.tui.cli.console import SafeConsole

    buffer = io.StringIO()
    console = SafeConsole(
        file=buffer, highlight=False, soft_wrap=False, color_system=None, width=width
    )
    console.print(hits(results))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def _hit(n: int, title: str, snippet: str, outlet: str | None, date: str | None) -> Hit:
    snip = Snippet(0, len(snippet), snippet, (Span(0, min(3, len(snippet))),), "…", "…")
    return Hit(f"id-{n}", f"{n}.txt", title, title, outlet, date, "id", 1.5 + n, snip, ())


# Words of Latin, CJK (two cells each) and emoji, long words, runs of spaces.
_WORD = st.one_of(
    st.text("abcdefghij", min_size=1, max_size=12),
    st.text("漢字日本語", min_size=1, max_size=6),
    st.text("é😀ñ", min_size=1, max_size=4),
    st.text("x", min_size=30, max_size=130),
)
_TEXT = st.lists(st.tuples(_WORD, st.sampled_from([" ", "  ", " \u00a0", "   "])), max_size=40).map(
    lambda parts: "".join(w + s for w, s in parts)
)


@settings(max_examples=150, deadline=None)
@given(
    query=_TEXT,
    texts=st.lists(st.tuples(_TEXT, _TEXT), max_size=4),
    width=st.integers(10, 130),
    note=st.one_of(st.none(), _TEXT.filter(bool)),
    suggestion=st.one_of(st.none(), _TEXT.filter(bool)),
)
def test_plain_layout_is_richs(
    query: str,
    texts: list[tuple[str, str]],
    width: int,
    note: str | None,
    suggestion: str | None,
) -> None:
    found = [
        _hit(n, title, snip, "detik" if n % 2 else None, "2026-05-01" if n % 3 else None)
        for n, (title, snip) in enumerate(texts)
    ]
    results = SearchResults(
        query, len(found) * 7, found, suggestion, QueryTerms(), suggestion_hits=3, note=note
    )
    assert plain_hits(results, width) == _rich(results, width)


def test_text_rich_treats_specially_is_left_to_rich() -> None:
    for odd in ("a\tb", "a\nb", "a\x1b[2Jb", "a\u2028b"):
        results = SearchResults("q", 1, [_hit(1, odd, "x", None, None)], None, QueryTerms())
        assert plain_hits(results, 80) is None


def test_width_is_richs(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    for columns in ("57", "200", None):
        if columns is None:
            monkeypatch.delenv("COLUMNS", raising=False)
        else:
            monkeypatch.setenv("COLUMNS", columns)
        assert plain_width() == Console(file=io.StringIO()).width
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert plain_width() is None  # Rich takes the output for a terminal: its own layout


def test_search_results_piped_are_richs(sample_library: Library) -> None:
    for query in ("kerja sama", "hari", "zzqwerty", "hargaa"):
        results = sample_library.search(query, limit=10)
        for width in (40, 80, 133):
            assert plain_hits(results, width) == _rich(results, width)


def test_no_plain_layout_leaves_it_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hits_module.sys, "platform", "win32")
    assert plain_width() is None
