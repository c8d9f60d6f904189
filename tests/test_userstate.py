"""The engine's side of reading: marks, bookmarks and history per corpus (outside the index,
so they survive a rebuild), state terms in queries, outlet/date filters and date sorting."""

from __future__ import annotations

from pathlib import Path

from newsreader.index import FacetFilter, Library, UserState
from newsreader.index.store.userstate import StateFilter, split_state_terms, state_file_for

from tests.conftest import sample_id


def test_state_terms_are_taken_out_of_the_query() -> None:
    assert split_state_terms("putin is:unread") == ("putin", StateFilter(read=False))
    assert split_state_terms("is:bookmarked") == ("", StateFilter(bookmarked=True))
    assert split_state_terms("(is:read)") == ("", StateFilter(read=True))
    assert split_state_terms("xi AND is:read bookmarked:") == (
        "xi",
        StateFilter(read=True, bookmarked=True),
    )
    assert split_state_terms("NOT is:read putin") == ("putin", StateFilter(read=False))
    # A minus sign excludes, as before a word ("-is:read" found nothing); a plus requires.
    assert split_state_terms("putin -is:read") == ("putin", StateFilter(read=False))
    assert split_state_terms("-is:bookmarked xi") == ("xi", StateFilter(bookmarked=False))
    assert split_state_terms("putin +is:read") == ("putin", StateFilter(read=True))
    assert split_state_terms("putin-is:read") == ("putin-is:read", StateFilter())
    assert split_state_terms('"is:read" putin') == ('"is:read" putin', StateFilter())
    assert split_state_terms("this:read") == ("this:read", StateFilter())


def test_marks_bookmarks_and_history(tmp_path: Path) -> None:
    state = UserState(tmp_path / "s.sqlite")
    state.set_read(["a", "b"])
    state.set_read(["b"], False)
    state.set_bookmark("c")
    state.set_bookmark("d")
    state.set_bookmark("c", False)
    for query in ("putin", "xi", "xi", "putin"):
        state.add_history(query)
    assert state.read_ids() == {"a"} and state.bookmarked_ids() == {"d"}
    assert [i for i, _ in state.bookmarks()] == ["d"]
    assert state.history() == ["xi", "putin"]
    state.close()
    assert UserState(tmp_path / "s.sqlite").read_ids() == {"a"}


def test_state_lives_outside_the_corpus_and_the_index(library: Library) -> None:
    path = state_file_for(library.corpus)
    assert library.corpus not in path.parents and library.index_dir not in path.parents
    library.update()
    library.user_state().set_bookmark(sample_id("002"))
    library.update(rebuild=True)
    again = Library.open(library.corpus, library.index_dir, variants=Path("/none"))
    assert again.user_state().bookmarked_ids() == {sample_id("002")}
    assert [h.id for h in again.search("is:bookmarked").hits] == [sample_id("002")]


def test_search_narrowed_by_state_facets_and_sorted_by_date(library: Library) -> None:
    library.update()
    state = library.user_state()
    state.set_read([sample_id("000"), sample_id("001")])
    unread = library.search("putin is:unread", limit=10)
    assert unread.total == 3 and unread.query == "putin is:unread"
    assert {h.id for h in unread.hits}.isdisjoint({sample_id("000"), sample_id("001")})
    assert library.search("is:read").total == 2
    assert library.search("pitin is:unread").suggestion == "putin is:unread"
    only = library.search("putin", facets=FacetFilter(outlets=("Tribunnews.com",)))
    assert [h.id for h in only.hits] == [sample_id("002")]
    dated = library.search("putin", facets=FacetFilter(date_from="2023-10", date_to="2023-10"))
    assert [h.id for h in dated.hits] == [sample_id("004")]
    newest = library.search("putin", sort="date")
    dates = [h.date for h in newest.hits]
    assert dates[:2] == ["2024-07-03", "2023-10-18T12:12+07:00"] and dates[2:] == [None] * 3
    assert all(h.score < 100 for h in newest.hits)


def test_unchanged_counts_articles(library: Library) -> None:
    assert library.update().unchanged == 0
    assert library.update().unchanged == 5


def test_search_while_a_new_index_is_built(library: Library) -> None:
    """A searcher opened before the first batch is committed sees the batches after it."""
    import threading

    reader = library.copy()
    first_file, go_on = threading.Event(), threading.Event()

    def should_stop() -> bool:
        first_file.set()
        go_on.wait(30)
        return False

    build = threading.Thread(target=lambda: library.update(should_stop=should_stop))
    build.start()
    assert first_file.wait(30)
    assert reader.exists() and reader.search("putin").total == 0  # empty, not yet committed
    go_on.set()
    build.join(60)
    assert reader.search("putin").total == 5
