from pathlib import Path

import pytest
from newsreader.index import FacetFilter, Library, QueryError
from newsreader.index.text.words import fold

from tests.conftest import SAMPLE, sample_id

ENGINES = ["whoosh", "tantivy"]


@pytest.fixture(scope="module", params=ENGINES)
def sample_library(request: pytest.FixtureRequest, tmp_path_factory) -> Library:
    """The bundled sample corpus indexed with each search engine in turn: every test of
    this module runs on both."""
    if request.param == "tantivy":
        pytest.importorskip("tantivy")
    index_dir = tmp_path_factory.mktemp(f"sample-{request.param}") / "ix"
    lib = Library.open(SAMPLE, index_dir, variants=Path("/nonexistent"), engine=request.param)
    lib.update()
    return lib


def ids(lib: Library, query: str, limit: int = 10) -> list[str]:
    return [h.id[:3] for h in lib.search(query, limit=limit).hits]


PAD = "Cuaca cerah\n\nHari ini cerah.\n"  # an article without the words a test searches


def built(tmp_path: Path, engine: str, files: dict[str, str], pad: int = 0) -> Library:
    """A library of `files` (name: text) and `pad` padding articles, indexed with `engine`."""
    if engine == "tantivy":
        pytest.importorskip("tantivy")
    corpus = tmp_path / "c"
    corpus.mkdir()
    for name, text in {**files, **{f"pad{k}.txt": PAD for k in range(pad)}}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"), engine=engine)
    lib.update()
    return lib


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


def test_two_edits_correct_only_a_long_word(sample_library: Library) -> None:
    # "COVID", in no article of 2019, became "DAVID": two edits are a third of a short word.
    assert sample_library.search("Pxtxn").suggestion is None
    assert sample_library.search("Ptin").suggestion == "Putin"
    assert sample_library.search("Erdxgqn").suggestion == "Erdogan"


def test_no_suggestion_for_known_words(sample_library: Library) -> None:
    assert sample_library.search("Erdogan").suggestion is None


def test_phrase_and_kerja_sama(sample_library: Library) -> None:
    phrase = ids(sample_library, '"kerja sama strategis"')
    assert sorted(phrase) == ["000", "001", "002"]  # 002 writes "kerjasama strategis"
    assert sorted(ids(sample_library, "kerja sama")) == sorted(ids(sample_library, "kerjasama"))


def test_boolean_operators(sample_library: Library) -> None:
    assert sorted(ids(sample_library, "Erdogan OR Lavrov")) == ["000", "002", "004"]
    assert sorted(ids(sample_library, "Putin AND NOT Erdogan")) == ["001", "003", "004"]
    assert ids(sample_library, "Erdogan AND Lavrov") == []


def test_a_minus_sign_excludes_and_a_plus_sign_requires(sample_library: Library) -> None:
    # As in web search: "Putin -Erdogan" found the articles with both words.
    assert sorted(ids(sample_library, "Putin -Erdogan")) == ["001", "003", "004"]
    assert sorted(ids(sample_library, 'Putin -"Erdogan"')) == ["001", "003", "004"]
    assert sorted(ids(sample_library, "Putin +Erdogan")) == sorted(
        ids(sample_library, "Putin Erdogan")
    )
    # NOT inside an OR is every other article, in both engines (tantivy gave "Putin
    # without Erdogan", 11 against 9,992 on 10,000 articles).
    assert sorted(ids(sample_library, "Erdogan OR -Putin")) == ["000", "002"]
    assert sorted(ids(sample_library, "Putin OR NOT Erdogan")) == sorted(
        ids(sample_library, "Putin")
    )
    assert sorted(ids(sample_library, "gempa OR NOT Erdogan")) == ["001", "003", "004"]
    # A dash between words, or before a figure, is no sign.
    assert ids(sample_library, "Putin - Erdogan") == ids(sample_library, "Putin Erdogan")
    # Required means required: no article has both words, and none is listed in their
    # place (it listed the best partial matches, as for "Putin gempa").
    assert sample_library.search("Putin gempa").partial
    res = sample_library.search("Putin +gempa")
    assert res.total == 0 and not res.hits and not res.partial


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
        ("Putin) OR Xi", "parenthesis"),
        ("foo:bar", 'unknown field "foo:"'),
        ("title: Putin", "needs a value"),
        ("Putin AND", "needs something after"),
        ("(Putin OR)", "needs something after"),
        ("(OR Putin)", "needs something before"),
        ("NOT NOT Putin", '"NOT NOT": two operators in a row'),
        ("Putin OR OR Xi", '"OR OR": two operators in a row'),
        ("date:notadate", "as a date"),
        ("date:[2020-05 to 2019]", 'the date range "2020-05 to 2019" ends before it starts'),
        # The date as typed, not the compact form Whoosh is handed.
        ("date:2019-13", 'cannot read "2019-13" as a date'),
        ("Putin is:foo", r'"is:foo" is not a mark \(is:read, is:unread, is:bookmarked\)'),
    ],
)
def test_malformed_queries(sample_library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sample_library.search(query)


def test_a_sentence_pasted_from_inside_a_parenthesis_is_searched(
    sample_library: Library,
) -> None:
    # Without operators, parentheses group nothing: one left unmatched is no error.
    for query in ("Putin) bertemu Xi", "(Putin bertemu Xi", "Putin ((bertemu) Xi"):
        assert sample_library.search(query).total == sample_library.search("Putin bertemu Xi").total


def test_times_and_colons_in_words_are_not_fields(sample_library: Library) -> None:
    sample_library.search("12:12")  # no error: a time, not a field
    # A capitalised word before a colon is a headline's, not a field ("Jokowi:KPK" was an
    # error); a lower-case one is still taken as a mistyped field.
    assert ids(sample_library, "Putin:Erdogan") == ids(sample_library, "Putin Erdogan")
    with pytest.raises(QueryError, match='unknown field "kategori:"'):
        sample_library.search("kategori:politik")
    # A colon followed by punctuation is punctuation: a scraped "Baca juga:,,Pelatih …"
    # pasted was refused as the unknown field "juga:".
    assert ids(sample_library, "baca juga:,,Putin bertemu Xi") == ids(
        sample_library, "baca juga Putin bertemu Xi"
    )
    # A field name in capitals is the field ("Title:strategi" found nothing).
    assert ids(sample_library, "Title:strategi") == ids(sample_library, "title:strategi") != []


def test_a_pasted_address_is_searched_not_refused(sample_library: Library) -> None:
    # "https:" is an address's scheme, not an unknown field.
    sample_library.search("https://www.example.com/Putin")  # no QueryError
    assert sample_library.search("Putin https://example.com/a").hits


def test_a_quoted_phrase_stands_beside_operators(sample_library: Library) -> None:
    everything = set(ids(sample_library, "", limit=50))
    phrase = set(ids(sample_library, '"Belt and Road"'))
    erdogan = set(ids(sample_library, "Erdogan"))
    assert phrase and erdogan - phrase and everything - phrase
    assert set(ids(sample_library, 'Erdogan OR "Belt and Road"')) == erdogan | phrase
    assert set(ids(sample_library, '"Belt and Road" OR Erdogan')) == erdogan | phrase
    assert set(ids(sample_library, 'NOT "Belt and Road"')) == everything - phrase
    putin = set(ids(sample_library, "Putin"))
    assert set(ids(sample_library, 'Putin AND NOT "Belt and Road"')) == putin - phrase != putin


# -- ranking: all words when they are found, the best partial matches otherwise ---------------
def test_words_no_article_has_together_give_the_best_partial_matches(
    sample_library: Library,
) -> None:
    res = sample_library.search("Erdogan Lavrov")
    assert sorted(h.id[:3] for h in res.hits) == ["000", "002", "004"]
    assert res.partial and res.note == "no article has both words; showing the best matches"
    strict = sample_library.search("Erdogan Putin")
    assert not strict.partial and strict.note is None
    assert sorted(h.id[:3] for h in strict.hits) == ["000", "002"]


def test_a_pasted_sentence_in_other_words_finds_its_article_first(sample_library: Library) -> None:
    # A reader's paraphrase of 004: several of its words are in no article at all.
    query = (
        "Lavrov tiba di Beijing dan mengumumkan bahwa Putin akan menghadiri forum Belt "
        "and Road, kata kantor berita yang dikutip kemarin sore"
    )
    res = sample_library.search(query)
    assert res.partial and res.note and "showing the best matches" in res.note
    assert res.hits[0].id[:3] == "004"


def test_a_pasted_headline_finds_its_article_first(sample_library: Library) -> None:
    headline = sample_library.article(sample_id("001")).meta.title
    assert headline is not None
    assert ids(sample_library, headline)[0] == "001"
    # Punctuation of prose is not query syntax.
    assert ids(sample_library, "Putin: Xi Jinping bertemu di Astana?")


def test_a_long_query_takes_no_longer_than_a_short_one(sample_library: Library) -> None:
    import time

    long = (
        "Presiden Rusia Vladimir Putin dan pemimpin Tiongkok Xi Jinping memuji kemitraan "
        "negara mereka di sela pertemuan puncak Organisasi Kerjasama Shanghai di Astana "
        "Kazakhstan pada hari Rabu"
    )
    assert len(long.split()) >= 25

    def timed(query: str) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            sample_library.search(query)
            best = min(best, time.perf_counter() - start)
        return best

    short = timed("Putin Xi")
    assert timed(long) < 4 * short + 0.25


# -- exact phrases and the parts of variants -------------------------------------------------
def test_quoted_phrases_match_the_words_as_written(sample_library: Library) -> None:
    # 004 says "tidak mengenal batas": the stop word "tanpa" must count in a phrase.
    assert sorted(ids(sample_library, '"tanpa batas"')) == ["000", "001"]
    res = sample_library.search('"tanpa batas"')
    for hit in res.hits:
        text = sample_library.article(hit.id).text
        assert [fold(text[s.start : s.end]) for s in hit.highlights] == ["tanpa batas"]
    # Unquoted, the words keep their analysis: "batas" alone is in 004 too.
    assert "004" in ids(sample_library, "batas")


def test_parts_of_a_multi_word_variant_are_found(sample_library: Library) -> None:
    assert sorted(ids(sample_library, "kerja")) == ["000", "001", "002", "004"]
    assert {"000", "001", "002", "004"} <= set(ids(sample_library, "sama"))
    res = sample_library.search("kerja")
    for hit in res.hits:
        text = sample_library.article(hit.id).text
        assert hit.highlights
        assert all(fold(text[s.start : s.end]) == "kerja" for s in hit.highlights)
    # The variant as a whole still finds every spelling of it.
    assert sorted(ids(sample_library, "kerja sama")) == ["000", "001", "002", "004"]


# -- did you mean ----------------------------------------------------------------------------
def test_suggestions_come_with_their_hit_count(sample_library: Library) -> None:
    res = sample_library.search("Erdgan")
    assert (res.suggestion, res.suggestion_hits) == ("Erdogan", 2)
    res = sample_library.search('"kerja sama strategiss"')
    assert res.suggestion == '"kerja sama strategis"'
    assert res.suggestion_hits == 3


@pytest.mark.parametrize("query", ["kerja", "q", "Erdogan", "Putin Xi", "2025", "Putin 99x"])
def test_no_suggestion_for_known_words_numbers_and_single_letters(
    sample_library: Library, query: str
) -> None:
    res = sample_library.search(query)
    assert res.suggestion is None and res.suggestion_hits is None


def test_the_spelling_dictionary(tmp_path) -> None:
    from newsreader.index.search.spelling import Speller, deletions, distance

    assert distance("erdgan", "erdogan", 2) == 1
    assert distance("erdgoan", "erdogan", 2) == 1  # a swap is one edit
    assert distance("kerja", "kedua", 1) == 2  # over the limit: limit + 1
    assert deletions("erdgan", 1) & deletions("erdogan", 1)  # the typo and the word meet
    speller = Speller(tmp_path / "spelling.sqlite", readonly=False)
    assert speller.add(["erdogan", "strategis", "2024", "q"]) == 2  # no numbers, no letters
    assert speller.add(["erdogan", "kedua"]) == 1  # only what is new
    assert dict(speller.lookup("erdgan", 2)) == {"erdogan": 1}
    assert dict(speller.lookup("strategiss", 2)) == {"strategis": 1}
    assert dict(speller.lookup("kerja", 1)) == {}
    speller.close()


def test_the_spelling_dictionary_files_word_numbers(tmp_path) -> None:
    """Candidates come in the order filed, across lots, and a deletion row lists word
    numbers (a few bytes each), not the words."""

    from newsreader.index.search import spelling

    speller = spelling.Speller(tmp_path / "spelling.sqlite", readonly=False)
    try:
        speller.add(["kerjas", "kerjam"])  # filed sorted: kerjam 1, kerjas 2
        speller.add(["kerjab", "kerjaa"])  # a second lot, numbered after the first
        assert [w for w, _ in speller.lookup("kerja", 1)] == [
            "kerjam",
            "kerjas",
            "kerjaa",
            "kerjab",
        ]
        (row,) = speller.db.execute(
            "SELECT ids FROM deletes WHERE h = ?", (spelling._key("kerja"),)
        ).fetchall()
        assert row[0] == bytes([1, 2, 3, 4])  # kerjam, kerjas; kerjaa, kerjab
    finally:
        speller.close()
    numbers = [0, 1, 127, 128, 300, 2**14, 2**21 + 5]
    assert spelling._unpack_ids(spelling._pack_ids(numbers)) == numbers


def test_the_spelling_dictionary_is_the_same_filed_in_lots(tmp_path, monkeypatch) -> None:
    """Filed in lots (later numbers appended to the lists already filed) or all at once,
    the dictionary holds the same rows, numbers past one byte included."""
    import itertools

    from newsreader.index.search import spelling

    letters = "aeikmnrst"
    words = ["".join(p) for p in itertools.islice(itertools.permutations(letters, 5), 400)]

    def rows(name: str) -> list[tuple]:
        speller = spelling.Speller(tmp_path / name, readonly=False)
        try:
            speller.add(words[:150])
            speller.add(words[150:])
            return speller.db.execute("SELECT h, ids FROM deletes ORDER BY h").fetchall()
        finally:
            speller.close()

    # Appended by SQLite (an upsert) or read back and written whole: the same bytes.
    monkeypatch.setattr(spelling, "_UPSERT", False)
    whole = rows("whole.sqlite")
    monkeypatch.setattr(spelling, "_UPSERT", True)
    assert rows("upsert.sqlite") == whole
    monkeypatch.setattr(spelling, "_FILE_AT_ONCE", 37)
    assert rows("lots.sqlite") == whole
    monkeypatch.setattr(spelling, "_UPSERT", False)
    assert rows("lots-replaced.sqlite") == whole
    assert all(type(ids) is bytes for _, ids in whole)
    assert max(max(spelling._unpack_ids(ids)) for _, ids in whole) == 400


def test_a_spelling_dictionary_of_the_earlier_format_is_made_again(tmp_path) -> None:
    import sqlite3

    from newsreader.index.search import spelling

    db = sqlite3.connect(tmp_path / spelling.FILE)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE words (word TEXT PRIMARY KEY) WITHOUT ROWID;"
        "CREATE TABLE deletes (h INTEGER PRIMARY KEY, words TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('generation', '3'); INSERT INTO words VALUES ('lama');"
    )
    db.commit()
    db.close()
    assert spelling.Speller.open(tmp_path) is None  # suggestions off until made again
    spelling.refresh(tmp_path, lambda: ["erdogan"], 4, since=3, words=["baru"])
    speller = spelling.Speller.open(tmp_path)
    assert speller is not None
    try:
        assert speller.generation() == 4
        assert dict(speller.lookup("erdgan", 2)) == {"erdogan": 1}
        assert dict(speller.lookup("lamaa", 1)) == {}
    finally:
        speller.close()


def test_words_are_added_only_to_the_dictionary_of_the_generation_before(tmp_path) -> None:
    from newsreader.index.search import spelling

    spelling.refresh(tmp_path, lambda: [], 1, since=0, words=["erdogan"], fresh=True)
    assert spelling.add_words(tmp_path, 2, since=1, words=["tiongkok"])
    # Not the generation it holds: nothing is done, for `refresh` to see to.
    assert not spelling.add_words(tmp_path, 4, since=3, words=["moskow"])
    speller = spelling.Speller.open(tmp_path)
    assert speller is not None
    try:
        assert speller.generation() == 2
        assert dict(speller.lookup("tiongkk", 1)) == {"tiongkok": 1}
        assert dict(speller.lookup("moskw", 1)) == {}
    finally:
        speller.close()


# -- dates and fields ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:<2024", ["004"]),  # 001 is dated 2024-07-03
        ("date:<=2024", ["001", "004"]),
        ("date:>2023", ["001"]),  # 004 is dated 2023-10-18
        ("date:>=2023", ["001", "004"]),
        ("date:>2023-10-18", ["001"]),
        ("date:>=2023-10-18", ["001", "004"]),
        ("date:<2023-10-18", []),
        ("date:<=2023-10", ["004"]),
        ("date:>2024-07-02", ["001"]),
        ("date:>2024-07", []),
        ("Putin date:<2024", ["004"]),
    ],
)
def test_date_comparisons(sample_library: Library, query: str, expected: list[str]) -> None:
    assert sorted(ids(sample_library, query)) == expected


def test_a_title_phrase_is_found_and_marked_in_the_title_only(sample_library: Library) -> None:
    res = sample_library.search('title:"Xi Jinping"')
    assert [h.id[:3] for h in res.hits] == ["001"]
    article = sample_library.article(res.hits[0].id)
    span = article.meta.title_span
    assert span is not None
    assert "Xi Jinping" in article.text[span.end :]  # the body says it too...
    assert len(res.hits[0].highlights) == 1  # ...but only the title is marked
    (mark,) = res.hits[0].highlights
    assert span.start <= mark.start < span.end
    assert article.text[mark.start : mark.end] == "Xi Jinping"
    # The reading view counts the same marks.
    assert len(sample_library.find_hits(article, res.terms)) == 1


def test_a_title_word_is_marked_in_the_title_only(sample_library: Library) -> None:
    res = sample_library.search("title:Putin")
    assert [h.id[:3] for h in res.hits] == ["001"]
    article = sample_library.article(res.hits[0].id)
    span = article.meta.title_span
    assert span is not None
    assert res.hits[0].highlights
    assert all(span.start <= m.start < span.end for m in res.hits[0].highlights)


# -- bounds ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Putin " * 200, "too long"),
        ("(" * 5000 + "Putin" + ")" * 5000, "too long"),
        ("(" * 30 + "Putin OR Xi" + ")" * 30, "nested"),
        ("date:>", "needs a value"),
        ("date:<= Putin", "needs a value"),
        ("Putin date:>=", "needs a value"),
        ("date:>2023-13", "as a date"),
        ("ke*", 'invalid query: "ke\\*" needs at least 3 letters before the \\*'),
        ("k*", "at least 3 letters"),
        ("putin title:pu*", "at least 3 letters"),
        ("k?rja", "at least 3 letters before the \\?"),
        ("???", 'invalid query: "\\?\\?\\?" has no letters to search for'),
        ("putin !*", "no letters to search for"),
        ("putin~3", 'invalid query: "putin~3": a word may be 2 edits away at most'),
    ],
)
def test_bounded_queries(sample_library: Library, query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        sample_library.search(query)


def test_a_prefix_of_three_letters_runs(sample_library: Library) -> None:
    assert sample_library.search("ker*").total == 4  # kerja sama, kerjasama, kerja…


def test_a_query_at_the_length_limit_runs(sample_library: Library) -> None:
    from newsreader.index.search.query import MAX_QUERY_CHARS

    query = ("Putin Xi " * 200)[:MAX_QUERY_CHARS]
    assert sample_library.search(query).hits


@pytest.mark.parametrize("engine", ENGINES)
def test_the_count_is_exact_whatever_the_limit(tmp_path: Path, engine: str) -> None:
    # Some articles have the word in the title only, the others in the body only, more
    # often: once the top hits are full, the title-only ones can no longer enter them, and
    # an engine that skips what cannot rank must still count them.
    files = {}
    for k in range(24):
        title, body = (f"Zebra lepas nomor {k}", "Satwa itu kembali ke kandang.")
        if k % 2:
            title, body = (f"Kabar kebun binatang {k}", "Zebra itu zebra yang lincah. " * 3)
        files[f"{k:02d}.txt"] = f"{title}\n\n{body}\n"
    lib = built(tmp_path, engine, files, pad=2)  # padding: the word is not in every article
    for limit in (1, 3, 10, 100):
        assert lib.search("zebra", limit=limit).total == 24
        assert lib.search("zebra satwa", limit=limit).total == 12


def test_a_prefix_keeps_its_most_frequent_words_within_the_postings_budget() -> None:
    from newsreader.index.search.query import MAX_PREFIX_POSTINGS, _within_budget

    sizes = {"meng": 10, "mengatakan": MAX_PREFIX_POSTINGS - 100, "mengenai": 500}
    sizes |= {f"meng{i:03d}": 30 for i in range(10)}
    words = sorted(sizes)
    kept = _within_budget(words, sizes.__getitem__, "meng")
    assert kept == sorted(kept)  # the words' own order
    assert "mengatakan" in kept and "mengenai" not in kept and "meng" in kept
    assert sum(sizes[w] for w in kept) <= MAX_PREFIX_POSTINGS
    assert len(kept) == 2 + 3  # the rest of the budget: three of the 30-article words
    small = ["a", "b"]
    assert _within_budget(small, lambda w: 5, "x") == small


@pytest.mark.parametrize("engine", ENGINES)
def test_a_prefix_that_left_words_out_counts_at_least(tmp_path: Path, engine: str) -> None:
    # 60 words begin with "zul"; a 3-letter prefix keeps the 50 most frequent, so the
    # articles with the others are not found, and the count must not claim to be exact.
    from newsreader.index.search.query import MAX_EXPANSION

    words = [f"zul{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(MAX_EXPANSION // 4 + 10)]
    lib = built(
        tmp_path,
        engine,
        {
            f"{k:03d}.txt": f"Kabar nomor {k}\n\nWarga bernama {word} datang ke balai desa.\n"
            for k, word in enumerate(words)
        },
    )
    cut = lib.search("zul*")
    assert (cut.total, cut.total_exact) == (MAX_EXPANSION // 4, False)
    whole = lib.search("zula*")  # 26 words: all kept
    assert (whole.total, whole.total_exact) == (26, True)


def test_a_query_of_stop_words_says_why_it_finds_nothing(sample_library: Library) -> None:
    res = sample_library.search("dan yang di")
    assert res.total == 0 and res.hits == []
    assert res.note is not None and "only stop words (dan, yang, di)" in res.note
    assert sample_library.search("zzzqqq").note is None  # nothing found, but not stop words
    assert sample_library.search("Putin dan").note is None
    # Nor a query of no word at all: it said nothing.
    for query in ("(", "!!!", "-- ..."):
        res = sample_library.search(query)
        assert res.total == 0 and res.note is not None and "no words to search for" in res.note
    assert sample_library.search("date:1990").note is None


def test_a_pasted_passage_with_a_quotation_mark_left_open_is_searched(
    sample_library: Library,
) -> None:
    # Copied from the middle of a quote: its closing mark comes along, its opening one not.
    passage = "kerja sama ini tidak ditujukan terhadap siapa pun, kami"
    plain = sample_library.search(passage)
    assert plain.hits
    pasted = sample_library.search(passage + '"')
    assert [h.id for h in pasted.hits] == [h.id for h in plain.hits]
    # A short query with a quotation mark left open is still a phrase being typed: refused.
    with pytest.raises(QueryError, match="quotation mark"):
        sample_library.search('"kerja sama ini')


@pytest.mark.parametrize("engine", ENGINES)
def test_a_word_ranks_its_form_as_written_before_other_forms_of_its_stem(
    tmp_path: Path, engine: str
) -> None:
    # "pelaku" (perpetrator) and "lakukan" (do it) share the stem laku, "perintah" (order)
    # and "pemerintah" (government) the stem perintah; the other form is far more common.
    files = {
        f"other{k}.txt": f"Kabar kota {k}\n\nWarga lakukan kerja bakti. Mereka lakukan lagi,"
        " lakukan terus. Pemerintah kota memuji, pemerintah pusat juga, kata pemerintah.\n"
        for k in range(6)
    }
    files["pelaku.txt"] = (
        "Kabar kota lain\n\nPolisi menangkap pelaku pencurian di pasar setelah mendapat"
        " perintah atasan, lalu warga kembali bekerja seperti biasa hari itu.\n"
    )
    lib = built(tmp_path, engine, files, pad=3)
    for query in ("pelaku", "perintah", "pelaku perintah"):
        res = lib.search(query, limit=3)
        assert res.hits[0].id == "pelaku.txt", query
        # Every form of the stem still counts.
        assert res.total == 7, query
    assert lib.search("pemerintah", limit=3).hits[0].id.startswith("other")
    # The form as written is marked, as any form of the stem is.
    res = lib.search("pelaku", limit=10)
    for hit in res.hits:
        marked = {
            hit.snippet.text[s.start - hit.snippet.start : s.end - hit.snippet.start]
            for s in hit.snippet.highlights
        }
        assert {m.lower() for m in marked} == (
            {"pelaku"} if hit.id == "pelaku.txt" else {"lakukan"}
        )


@pytest.mark.parametrize("engine", ENGINES)
def test_words_no_article_has_together_rank_most_words_then_rarest_first(
    tmp_path: Path, engine: str
) -> None:
    # "harga beras" (price, rice): no article has both; the many about prices say "harga"
    # in the title and all through, and ranked first by their summed scores.
    files = {
        f"harga{k:02d}.txt": f"Harga mobil {k} naik\n\nHarga baru, harga lama, harga diskon:"
        " harga naik.\n"
        for k in range(12)
    }
    for k in range(2):
        files[f"beras{k}.txt"] = (
            f"Panen raya di desa {k}\n\nPetani menjemur gabah lalu menggiling beras di desa"
            " itu sebelum musim hujan tiba dan jalan desa rusak.\n"
        )
    files["both.txt"] = (
        "Stok beras di gudang naik\n\nGudang menyimpan beras petani; stok naik lagi.\n"
    )
    lib = built(tmp_path, engine, files, pad=3)
    for limit in (1, 2, 5, 20):
        res = lib.search("harga beras", limit=limit)
        assert res.partial and res.total == 15 and res.total_exact, limit
        first = {h.id for h in res.hits[:3]}
        assert first <= {"beras0.txt", "beras1.txt", "both.txt"} and len(first) == min(3, limit)
    # Three words, none with all: those with two of them first (the rarer two first), then
    # those with one, the rarest word's first.
    res = lib.search("harga beras naik", limit=20)
    assert res.total == 15
    ids = [h.id for h in res.hits]
    assert ids[0] == "both.txt"
    assert all(i.startswith("harga") for i in ids[1:13])
    assert set(ids[13:15]) == {"beras0.txt", "beras1.txt"}


@pytest.mark.parametrize("engine", ENGINES)
def test_newest_first_a_long_query_lists_the_articles_with_every_word(
    tmp_path: Path, engine: str
) -> None:
    # By relevance a pasted sentence is ranked by best match (its article may lack a word);
    # newest first, that listed every article sharing any of its words, the newest first.
    import json

    rows = [
        ("full1", "2024-01-02", "Gubernur meresmikan jembatan gantung baru di desa terpencil."),
        ("full2", "2024-01-03", "Jembatan gantung baru desa terpencil diresmikan gubernur."),
        ("some1", "2024-03-01", "Gubernur meresmikan jembatan baru di kota."),
        ("some2", "2024-03-02", "Desa terpencil itu kini punya sekolah baru."),
    ]
    records = "".join(
        json.dumps({"id": rid, "title": body.split()[0], "body": body, "date": date}) + "\n"
        for rid, date, body in rows
    )
    lib = built(tmp_path, engine, {"a.jsonl": records})
    query = "gubernur meresmikan jembatan gantung desa terpencil"
    assert lib.search(query, limit=10).partial
    res = lib.search(query, limit=10, sort="date")
    assert [h.id.split("#")[-1] for h in res.hits] == ["full2", "full1"]
    assert res.total == 2 and not res.partial


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    "query",
    ["gubernur meresmikan jembatan gantung desa terpencil sungai", "jembatan gantung sungai"],
)
def test_newest_first_a_query_no_article_fully_matches_lists_its_best_matches(
    tmp_path: Path, engine: str, query: str
) -> None:
    # Newest first, a query no article has every word of listed every article with any of
    # them by date: the newest with one common word ("baru") came before the ones asked for.
    import json

    rows = [
        ("best1", "2024-01-02", "Gubernur meresmikan jembatan gantung di desa terpencil."),
        ("best2", "2024-01-05", "Jembatan gantung desa terpencil diresmikan."),
        *(
            (f"baru{k}", f"2024-03-0{k + 1}", f"Jembatan sekolah baru di kota {k}.")
            for k in range(4)
        ),
        *((f"lain{k}", f"2024-04-0{k + 1}", f"Gantung baju baru di pasar {k}.") for k in range(4)),
    ]
    records = "".join(
        json.dumps({"id": rid, "title": f"Kabar {rid}", "body": body, "date": date}) + "\n"
        for rid, date, body in rows
    )
    lib = built(tmp_path, engine, {"a.jsonl": records}, pad=4)
    by_relevance = lib.search(query, limit=2)
    assert by_relevance.partial
    assert {h.id.split("#")[-1] for h in by_relevance.hits} == {"best1", "best2"}
    res = lib.search(query, limit=2, sort="date")
    assert [h.id.split("#")[-1] for h in res.hits] == ["best2", "best1"]
    assert res.partial and res.total == by_relevance.total
    assert res.note is not None and res.note.endswith("newest first")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_figure_is_searched_as_its_parts_together(tmp_path: Path, engine: str) -> None:
    # "4,5" found "441,5" (its parts 4 and 5 anywhere), "2.000" an article with a 2 in
    # one place and a 000 in another.
    files = {
        "a.txt": "Anggaran desa\n\nDana Rp 4,5 miliar cair untuk 2.000 warga.\n",
        "b.txt": "Panen raya\n\nPanen mencapai 441,5 ton pada tahun ke-4.\n",
        "c.txt": "Kode pos\n\nSebanyak 2 warga tinggal di blok 000 dekat pasar.\n",
        "d.txt": "Nilai tukar\n\nKurs naik 4.5 persen minggu ini.\n",
    }
    lib = built(tmp_path, engine, files, pad=4)
    assert sorted(h.id for h in lib.search("4,5").hits) == ["a.txt", "d.txt"]
    assert [h.id for h in lib.search("2.000").hits] == ["a.txt"]
    assert [h.id for h in lib.search("Rp 4,5 miliar").hits] == ["a.txt"]
    (hit,) = lib.search("2.000 warga").hits
    text = lib.article("a.txt").text
    assert [text[s.start : s.end] for s in hit.highlights] == ["2.000", "warga"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_topic_of_five_words_lists_the_article_with_every_word_first(
    tmp_path: Path, engine: str
) -> None:
    # BM25 summed put articles full of two of the words ("kepala daerah") above the one
    # article with all five (5th with Whoosh, 29th with tantivy on 2,000 CLICK-ID articles).
    heavy = "Kepala daerah rapat. " * 6
    files = {
        "all.txt": "Kasus Meikarta\n\nKorupsi pejabat Jawa Barat diperiksa, kata kepala daerah.\n",
        "heavy1.txt": f"Kepala daerah berkumpul\n\n{heavy}Mereka membahas korupsi.\n",
        "heavy2.txt": f"Kepala daerah se-Jawa\n\n{heavy}Pertemuan di Jawa Tengah.\n",
        "heavy3.txt": f"Kepala daerah baru\n\n{heavy}Dilantik di Papua Barat.\n",
    }
    lib = built(tmp_path, engine, files, pad=6)
    found = lib.search("korupsi kepala daerah di jawa barat")
    assert found.hits[0].id == "all.txt"
    assert found.partial and found.total == 4


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pasted_address_finds_the_article_published_there(tmp_path: Path, engine: str) -> None:
    # Searched as words, an address asked for "https" and every part of its path in one
    # field: no article was found by its own address.
    import json

    site = "https://bola.kompas.com/read/2019/09/10/23510008"
    rows = [
        (
            "euro",
            f"{site}/link-live-streaming-kualifikasi-euro-2020-perancis-vs-andorra",
            "Prancis menjamu Andorra di kualifikasi Euro 2020. Siaran langsung tersedia.",
        ),
        ("mirip", "https://example.com/berita/1", "Link live streaming Euro 2020 Perancis."),
        (
            "cite",
            "https://example.com/berita/2",
            "Datanya dari situs https://fires.globalforestwatch.org setiap hari.",
        ),
    ]
    records = "".join(
        json.dumps({"id": rid, "title": f"Kabar {rid}", "body": body, "url": url}) + "\n"
        for rid, url, body in rows
    )
    lib = built(tmp_path, engine, {"a.jsonl": records}, pad=4)
    typed = f"{site}/link-live-streaming-kualifikasi-euro-2020-perancis-vs-andorra"
    found = lib.search(typed)
    assert found.hits[0].id == "a.jsonl#euro"
    assert found.query == typed and found.suggestion is None
    # Without the scheme, and as another copy of the address writes it.
    assert lib.search(typed.removeprefix("https://")).hits[0].id == "a.jsonl#euro"
    assert lib.search(typed.replace("https", "http") + "/?utm=x").hits[0].id == "a.jsonl#euro"
    # An address with no headline in it finds the articles that cite it.
    assert [h.id for h in lib.search("https://fires.globalforestwatch.org").hits] == [
        "a.jsonl#cite"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_figure_is_found_against_its_unit(tmp_path: Path, engine: str) -> None:
    # "Rp4,5" was one word "rp4": "4,5" missed it, and "Rp 4,5" and "Rp4,5" found
    # different articles.
    files = {
        "glued.txt": "Anggaran jalan\n\nPemerintah menyiapkan Rp4,5 triliun untuk jalan tol.\n",
        "spaced.txt": "Dana desa\n\nDana Rp 4,5 triliun disalurkan ke desa.\n",
        "motor.txt": "Motor baru\n\nMotor 2.000cc itu dijual USD1.000 di Jakarta.\n",
    }
    lib = built(tmp_path, engine, files, pad=4)
    both = ["glued.txt", "spaced.txt"]
    for query in ("4,5", "Rp4,5", "Rp 4,5", '"rp 4,5 triliun"'):
        assert sorted(h.id for h in lib.search(query).hits) == both, query
    for query in ("2.000", "2.000cc", "USD1.000", "usd 1.000"):
        assert [h.id for h in lib.search(query).hits] == ["motor.txt"], query
    # A currency apart from its figure stands beside it: "USD 1 juta" ranked "USD85,1 Juta"
    # (its 1 a decimal) first.
    more = {
        "decimal.txt": "Neraca\n\nSurplus USD85,1 juta pada Agustus.\n",
        "one.txt": "Akuisi\n\nNilainya USD1 juta saja.\n",
        "apart.txt": "Hadiah\n\nHadiahnya USD 1 juta.\n",
    }
    (tmp_path / "more").mkdir()
    other = built(tmp_path / "more", engine, more, pad=4)
    for query in ("USD 1 juta", "usd1 juta", "Usd. 1 juta"):
        assert sorted(h.id for h in other.search(query).hits) == ["apart.txt", "one.txt"], query
    (hit,) = lib.search("4,5 tol").hits
    text = lib.article("glued.txt").text
    assert [text[s.start : s.end] for s in hit.highlights] == ["4,5", "tol"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_figure_among_four_words_and_a_date_stand_together(tmp_path: Path, engine: str) -> None:
    # "Rp 4,5 triliun rupiah" (four words, five terms) required every word with the
    # figure's parts apart: it found "16,4 persen ... 197,5 miliar" as a full match. An
    # unquoted 10/9/2019 found any article with a 10, a 9 and a 2019.
    files = {
        "apbn.txt": "APBN\n\nBelanja Rp 5.534,2 triliun, tumbuh 16,4 persen, subsidi 197,5"
        " triliun rupiah.\n",
        "dana.txt": "Dana desa\n\nDana Rp4,5 triliun rupiah cair.\n",
        "sidang.txt": "Sidang\n\nSidang digelar Selasa (10/9/2019) di Jakarta.\n",
        "rapat.txt": "Rapat\n\nRapat 11/9/2019 membahas 10 usulan dari 2019 peserta.\n",
    }
    lib = built(tmp_path, engine, files, pad=4)
    assert [h.id for h in lib.search("Rp 4,5 triliun rupiah").hits] == ["dana.txt"]
    assert [h.id for h in lib.search("10/9/2019").hits] == ["sidang.txt"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_word_with_a_hyphen_or_without_finds_both(tmp_path: Path, engine: str) -> None:
    # "Timnas U19" found none of the 48 articles with "U-19", "covid19" none with
    # "COVID-19", "eKTP" none with "e-KTP".
    files = {
        "dash.txt": "Kabar satu\n\nTimnas U-19 menang. Kasus COVID-19 naik. Layanan e-KTP buka.\n",
        "glued.txt": "Kabar dua\n\nTimnas U19 kalah. Vaksin COVID19 tiba. Layanan eKTP lancar.\n",
        "apart.txt": "Kabar tiga\n\nTim U umur 19 tahun. Covid disebut 19 kali. Ada e dan KTP.\n",
    }
    lib = built(tmp_path, engine, files, pad=4)
    for query in ("U19", "U-19", "covid19", "COVID-19", "eKTP", "e-KTP", "timnas u19"):
        assert sorted(h.id for h in lib.search(query).hits) == ["dash.txt", "glued.txt"], query
    (hit,) = [h for h in lib.search("U19").hits if h.id == "dash.txt"]
    text = lib.article("dash.txt").text
    assert [text[s.start : s.end] for s in hit.highlights] == ["U-19"]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_arabic_word_finds_the_articles_that_have_it(tmp_path: Path, engine: str) -> None:
    # Sastrawi stemmed every Arabic word to "": any Arabic word found every article quoting
    # Arabic (a word in one article: 8 results on 10,000 CLICK-ID articles).
    files = {
        "fatiha.txt": "Doa pembuka\n\nDibaca: بِسْمِ اللَّهِ الرَّحْمَنِ الرَّحِيمِ\n",
        "ikhlas.txt": "Surat pendek\n\nDibaca: قُلْ هُوَ اللَّهُ أَحَدٌ اللَّهُ الصَّمَدُ\n",
        "plain.txt": "Bacaan\n\nDibaca: بسم الله الرحمن الرحيم\n",
    }
    lib = built(tmp_path, engine, files, pad=4)
    assert [h.id for h in lib.search("الصَّمَدُ").hits] == ["ikhlas.txt"]
    assert sorted(h.id for h in lib.search("الرحمن").hits) == ["fatiha.txt", "plain.txt"]
    (hit,) = lib.search("أَحَدٌ").hits
    text = lib.article("ikhlas.txt").text
    assert [text[s.start : s.end] for s in hit.highlights] == ["أَحَدٌ"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_pasted_sentence_finds_the_article_that_holds_it_first(
    tmp_path: Path, engine: str
) -> None:
    # The best matches by BM25 alone put articles with the sentence's words in their titles
    # first: 74 of 100 sentences pasted from 10,000 CLICK-ID articles found their article
    # first with Whoosh, 62 with tantivy.
    sentence = (
        "Gubernur meresmikan jembatan gantung baru di desa terpencil itu pada Senin pagi"
        " bersama ratusan warga"
    )
    files = {
        "holds.txt": f"Kabar daerah\n\nCuaca cerah sepanjang hari. {sentence}. Acara selesai.\n",
        **{
            f"title{k}.txt": f"Desa Terpencil {k} Punya Jembatan Gantung, Gubernur Resmikan\n\n"
            "Warga desa terpencil menyambut jembatan baru. Gubernur datang Senin pagi,"
            " jembatan gantung itu diresmikan di depan ratusan warga.\n"
            for k in range(3)
        },
    }
    lib = built(tmp_path, engine, files, pad=6)
    res = lib.search(sentence)
    assert res.hits[0].id == "holds.txt"
    assert {h.id for h in res.hits[1:4]} == {"title0.txt", "title1.txt", "title2.txt"}
    # However few hits are asked for, they are ranked among partial matches, and say so
    # (with --limit 5, five hits lacking words read "5 results", not partial).
    for limit in (1, 2):
        few = lib.search(sentence, limit=limit)
        assert few.partial and few.total == res.total and few.note == res.note
    # Sharing the words only, as a person's summary does, ranks as before.
    summary = "ratusan warga desa menyambut jembatan gantung yang diresmikan gubernur"
    assert lib.search(summary).hits[0].id != "holds.txt"


def test_newest_first_both_engines_list_one_dates_articles_alike(tmp_path: Path) -> None:
    # Dated by the day, many articles share a date: Whoosh listed the last indexed of them
    # first, tantivy the first, so that a page of results held other articles in each; and
    # in a page, articles of one date came in no useful order.
    import json

    pytest.importorskip("tantivy")
    rows = [
        {
            "id": f"a{k:02d}",
            "title": f"Kabar {k}",
            "body": "Banjir melanda kota. " + "Banjir lagi. " * (k % 4),
            "date": "2024-03-02" if k < 12 else "2024-03-01",
        }
        for k in range(16)
    ]
    records = "".join(json.dumps(r) + "\n" for r in rows)
    pages = []
    for engine in ENGINES:
        (tmp_path / engine).mkdir()
        lib = built(tmp_path / engine, engine, {"a.jsonl": records})
        hits = lib.search("banjir", limit=5, sort="date").hits
        assert all(h.date == "2024-03-02" for h in hits)
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
        pages.append({h.id for h in hits})
        # The first N of the whole date order, whatever N: the best of one date first.
        whole = lib.search("banjir", limit=16, sort="date").hits
        relevance = {h.id: h.score for h in lib.search("banjir", limit=16).hits}
        assert {h.id: h.score for h in whole} == relevance  # scores stay the relevance
        for n in (1, 3, 5, 12, 13):
            some = lib.search("banjir", limit=n, sort="date").hits
            assert [(h.id, h.score) for h in some] == [(h.id, h.score) for h in whole[:n]]
    assert pages[0] == pages[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_prefix_ranks_its_common_words_as_high_as_its_rare_ones(
    tmp_path: Path, engine: str
) -> None:
    # "pres*" ranked an actress named Prescilla first: each expansion scored with its own
    # idf, the rarest word weighed most.
    files = {
        f"presiden{k}.txt": f"Kabar istana {k}\n\nPresiden meresmikan jalan. Presiden lalu"
        " pulang, kata presiden.\n"
        for k in range(8)
    }
    files["prescilla.txt"] = "Kabar artis\n\nAktris Prescilla tampil di panggung malam itu.\n"
    lib = built(tmp_path, engine, files, pad=6)
    res = lib.search("pres*", limit=20)
    assert res.total == 9
    assert res.hits[-1].id == "prescilla.txt"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rare_spelling_of_a_common_name_suggests_the_common_one(
    tmp_path: Path, engine: str
) -> None:
    # "Veronika" once, "Veronica" in 12 articles: no suggestion came (it asked for 20 times).
    files = {
        f"c{k:02d}.txt": f"Kabar {k}\n\nPolisi memanggil Veronica Koman untuk kali ke-{k}.\n"
        for k in range(12)
    }
    files["k.txt"] = "Kabar lain\n\nAktivis Veronika Koman menjawab panggilan itu.\n"
    lib = built(tmp_path, engine, files, pad=10)
    res = lib.search("Veronika Koman")
    assert res.total == 1
    assert res.suggestion == "Veronica Koman" and res.suggestion_hits == 12


@pytest.mark.parametrize("engine", ENGINES)
def test_a_typo_some_articles_share_suggests_the_common_spelling(
    tmp_path: Path, engine: str
) -> None:
    # "anis baswedan": 2 results and no suggestion, where "Anies Baswedan" finds 120 (of
    # 10,000 CLICK-ID articles); "anis" is in 8 articles, a typo some of them share.
    files = {
        f"c{k:03d}.txt": f"Kabar {k}\n\nGubernur Anies Baswedan meninjau banjir ke-{k}.\n"
        for k in range(80)
    }
    for k in range(6):
        files[f"t{k}.txt"] = f"Kabar lain {k}\n\nGubernur Anis Baswedan hadir ke-{k}.\n"
    lib = built(tmp_path, engine, files)
    res = lib.search("anis baswedan")
    assert res.total == 6
    assert res.suggestion == "anies baswedan" and res.suggestion_hits == 80
    # A word as common as its neighbour is no typo.
    files = {f"a{k}.txt": f"Kabar {k}\n\nAnies dan Anis bertemu ke-{k}.\n" for k in range(9)}
    (tmp_path / "other").mkdir()
    other = built(tmp_path / "other", engine, files)
    assert other.search("anis").suggestion is None


def test_an_outlet_no_article_has_names_the_outlets_there_are(tmp_path: Path) -> None:
    # "outlet:kompas.com" found nothing, silently: the outlet is named "kompas".
    import json

    rows = [
        {"id": str(k), "title": f"Kabar {k}", "body": "Banjir di kota.", "source": source}
        for k, source in enumerate(["kompas", "kompas", "detik", "tribunnews"])
    ]
    lib = built(tmp_path, "whoosh", {"a.jsonl": "".join(json.dumps(r) + "\n" for r in rows)})
    res = lib.search("banjir outlet:kompas.com")
    assert res.total == 0
    assert res.note == 'no outlet is named "kompas.com"; outlets: kompas …'
    assert lib.search("outlet:Kompas").total == 2 and lib.search("outlet:Kompas").note is None
    # The same from the command line's --outlet (a filter): it was case-sensitive, and said
    # nothing when no outlet had the name.
    assert lib.search("banjir", facets=FacetFilter(("Kompas",))).total == 2
    assert lib.search("banjir", facets=FacetFilter(("kompas", "Detik"))).total == 3
    assert lib.search("banjir", facets=FacetFilter(("detik ",))).total == 1
    res = lib.search("banjir", facets=FacetFilter(("kompas.com",)))
    assert res.total == 0
    assert res.note == 'no outlet is named "kompas.com"; outlets: kompas …'
