import pytest
from newsreader.index import Library, QueryError
from newsreader.index.text.words import fold

from tests.conftest import sample_id


def ids(lib: Library, query: str, limit: int = 10) -> list[str]:
    return [h.id[:3] for h in lib.search(query, limit=limit).hits]


def test_erdogan_finds_exactly_the_two_articles(sample_library: Library) -> None:
    assert sorted(ids(sample_library, "Erdogan")) == ["000", "002"]


def test_tiongkok_finds_articles_that_say_china_or_cina(sample_library: Library) -> None:
    found = ids(sample_library, "Tiongkok")
    # 001 only says "China", 004 only says "Cina".
    assert "001" in found and "004" in found
    assert "tiongkok" not in fold(sample_library.article(sample_id("001")).text)


def test_bertemu_finds_pertemuan(sample_library: Library) -> None:
    found = ids(sample_library, "bertemu")
    assert "004" in found  # 004 says "pertemuan" and never "bertemu"
    assert "bertemu" not in sample_library.article(sample_id("004")).text


def test_misspelling_suggests(sample_library: Library) -> None:
    res = sample_library.search("Erdgan")
    assert res.total == 0
    assert res.suggestion == "Erdogan"
    res = sample_library.search("Putin Erdgan")
    assert res.suggestion == "Putin Erdogan"


def test_no_suggestion_for_known_words(sample_library: Library) -> None:
    assert sample_library.search("Erdogan").suggestion is None


def test_phrase_and_kerja_sama(sample_library: Library) -> None:
    phrase = ids(sample_library, '"kerja sama strategis"')
    assert sorted(phrase) == ["000", "001", "002"]  # 002 writes "kerjasama strategis"
    assert sorted(ids(sample_library, "kerja sama")) == sorted(ids(sample_library, "kerjasama"))


def test_boolean_operators(sample_library: Library) -> None:
    assert sorted(ids(sample_library, "Erdogan OR Lavrov")) == ["000", "002", "004"]
    assert sorted(ids(sample_library, "Putin AND NOT Erdogan")) == ["001", "003", "004"]
    assert ids(sample_library, "Erdogan Lavrov") == []


def test_fields(sample_library: Library) -> None:
    assert ids(sample_library, "title:strategi") == ["001"]
    assert ids(sample_library, "outlet:tribunnews") == ["002"]
    assert ids(sample_library, "author:namira") == ["002"]
    assert len(ids(sample_library, "lang:id")) == 5
    assert ids(sample_library, "lang:en") == []


def test_dates(sample_library: Library) -> None:
    assert ids(sample_library, "date:2024") == ["001"]
    assert ids(sample_library, "date:2023-10") == ["004"]
    assert sorted(ids(sample_library, "date:[2023 to 2024]")) == ["001", "004"]
    assert ids(sample_library, "Putin date:2024") == ["001"]


def test_prefix_and_fuzzy_use_surface_words(sample_library: Library) -> None:
    assert sorted(ids(sample_library, "Erdo*")) == ["000", "002"]
    assert sorted(ids(sample_library, "Erdgan~")) == ["000", "002"]
    res = sample_library.search("Lukash*")
    assert all("lukashenko" in fold(res.hits[0].snippet.text) for _ in [0])


def test_title_is_boosted(sample_library: Library) -> None:
    # "Strategi" appears only in 001's title; "aliansi" in several bodies and 001's title.
    assert ids(sample_library, "aliansi")[0] == "001"


def test_highlights_are_offsets_into_the_original_text(sample_library: Library) -> None:
    res = sample_library.search("Tiongkok kerja sama")
    assert res.hits
    for hit in res.hits:
        text = sample_library.article(hit.id).text
        assert hit.highlights
        for span in hit.highlights:
            word = fold(text[span.start : span.end])
            assert word in {"tiongkok", "china", "cina", "kerja sama", "kerjasama", "rrt"}
        snip = hit.snippet
        assert text[snip.start : snip.end] == snip.text
        assert all(snip.start <= s.start and s.end <= snip.end for s in snip.highlights)


def test_empty_query_lists_newest_first(sample_library: Library) -> None:
    res = sample_library.search("", limit=50)
    assert res.total == 5
    assert [h.id[:3] for h in res.hits][:2] == ["001", "004"]  # the dated ones, newest first


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"unclosed phrase', "quotation mark"),
        ("(Putin AND Xi", "parenthesis"),
        ("Putin)", "parenthesis"),
        ("foo:bar", 'unknown field "foo:"'),
        ("title: Putin", "needs a value"),
        ("Putin AND", "needs something after"),
        ("date:notadate", "as a date"),
    ],
)
def test_malformed_queries(sample_library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sample_library.search(query)


def test_times_and_colons_in_words_are_not_fields(sample_library: Library) -> None:
    sample_library.search("12:12")  # no error: a time, not a field
