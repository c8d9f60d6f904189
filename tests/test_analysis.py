from pathlib import Path

import pytest
from newsreader.index.errors import ConfigError
from newsreader.index.ingest.document import parse_article
from newsreader.index.text.analysis import Analyzer, stem
from newsreader.index.text.memo import MEMO_WORDS, Memo
from newsreader.index.text.tokens import article_tokens
from newsreader.index.text.vocabulary import load_vocabulary
from newsreader.index.text.words import split_words


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("menegaskan", "tegas"),  # snowball's Indonesian stemmer says "egas"
        ("menandai", "tanda"),  # and "anda" here
        ("pertemuan", "temu"),
        ("bertemu", "temu"),
        ("kemitraan", "mitra"),
        ("persahabatan", "sahabat"),
        ("terbaiknya", "baik"),
        ("kepentingan", "penting"),
        ("meetings", "meet"),  # a word the Indonesian dictionary cannot explain: English
        ("kapal", "kapal"),  # a known Indonesian root is never touched by the English stemmer
        # ke-/pe-...-an nouns of a root ending in k, which Sastrawi reads as root + -kan
        ("kerusakan", "rusak"),  # Sastrawi: "rusa" (deer)
        ("penyidikan", "sidik"),  # "sidi"
        ("penegakan", "tegak"),  # "tega"
        ("pergerakannya", "gerak"),  # "gera"
        ("pemasukan", "masuk"),  # "pasu", and not "pasuk" (pasukan, troops)
        ("perusakan", "rusak"),  # "rusa"
        ("penarikan", "tarik"),  # "tari" (dance)
        # ... and so are bare nouns of such roots
        ("gerakan", "gerak"),  # "gera"
        ("desakan", "desak"),  # "desa" (village)
        ("tarikan", "tarik"),
        ("ajakannya", "ajak"),  # "aja"
        ("berantakan", "berantak"),
        # a root that begins like a prefix (be-, te-, se-), with a suffix
        ("belasan", "belas"),  # "bas"
        ("bersihkan", "bersih"),  # "sih"
        ("beberkannya", "beber"),  # "kan"
        ("teriakan", "teriak"),  # "ria"
        ("sepakan", "sepak"),  # "pakan" (fodder)
        # ... but with me-/di-, -kan stays the verb's suffix, and alone for verbs common in -kan
        ("mengatakan", "kata"),  # not "katak" (frog)
        ("katakan", "kata"),
        ("katakanlah", "kata"),
        ("berikan", "beri"),
        ("bedakan", "beda"),  # not "bedak" (face powder)
        ("dilakukan", "laku"),
        ("pertahankan", "tahan"),
    ],
)
def test_stemming(word: str, expected: str) -> None:
    assert stem(word) == expected


def terms(analyzer: Analyzer, text: str) -> list[str]:
    return analyzer.query_terms(text)


def test_variant_spellings_meet(analyzer: Analyzer) -> None:
    assert terms(analyzer, "kerja sama") == terms(analyzer, "kerjasama") == ["kerjasama"]
    assert terms(analyzer, "Kerja-sama") == ["kerjasama"]
    china = {w: terms(analyzer, w) for w in ("Tiongkok", "China", "Cina", "RRT")}
    assert len({tuple(v) for v in china.values()}) == 1
    assert terms(analyzer, "SCO") == terms(analyzer, "CSO")
    assert terms(analyzer, "Rusia") == terms(analyzer, "Russia")


def test_stop_words_dropped_but_kerja_sama_kept(analyzer: Analyzer) -> None:
    assert terms(analyzer, "yang dan di dari the of") == []
    assert terms(analyzer, "kerja") == ["kerja"]
    assert terms(analyzer, "sama") == ["sama"]


def test_acronym_only_in_capitals(analyzer: Analyzer) -> None:
    assert terms(analyzer, "sekutu AS") == terms(analyzer, "sekutu Amerika Serikat")
    assert terms(analyzer, "as good as") == ["good"]


def test_offsets_point_into_the_text(analyzer: Analyzer) -> None:
    text = "“Kerja sama ini,” kata Presiden China-Rusia… negara-negara António."
    found = analyzer.terms(text)
    assert [text[t.start : t.end] for t in found] == [
        "Kerja sama",
        "ini",
        "kata",
        "Presiden",
        "China",
        "Rusia",
        "negara-negara",
        "António",
    ]
    assert found[0].text == "kerjasama"
    assert found[-1].text == "antonio"


def test_names_are_flagged_even_at_sentence_start(analyzer: Analyzer) -> None:
    text = "Putin tiba. Kemudian Putin bertemu presiden."
    by_surface = {text[t.start : t.end]: t for t in analyzer.terms(text)}
    assert by_surface["Putin"].name
    assert not by_surface["Kemudian"].name
    assert not by_surface["presiden"].name


def test_reduplication_is_one_word() -> None:
    words = [w.folded for w in split_words("negara-negara China-Rusia Xi's")]
    assert words == ["negara", "china", "rusia", "xi"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Rp4,5 triliun", ["Rp", "4", "5", "triliun"]),
        ("USD1.000 dan RP500", ["USD", "1", "000", "dan", "RP", "500"]),
        ("mesin 2.000cc, 100km/jam", ["mesin", "2", "000", "cc", "100", "km", "jam"]),
        # Not a unit: a name or a code that ends in digits stays whole.
        ("KTT G20 dan COVID19 di 5G", ["KTT", "G20", "dan", "COVID19", "di", "5G"]),
    ],
)
def test_a_figure_written_against_its_unit_is_two_words(text: str, words: list[str]) -> None:
    assert [text[w.start : w.end] for w in split_words(text)] == words


def test_a_unit_split_off_a_figure_makes_no_passage(analyzer: Analyzer) -> None:
    # Like the figure, the unit is shared by unrelated stories: it may extend a passage or
    # a 3-gram, but never make one.
    text = "Judul\n\nHarga cabai Rp4,5 ribu naik."
    article = parse_article("a.txt", "a.txt", text, analyzer.vocabulary)
    named = {t.key: t.name for t in article_tokens(article, analyzer)}
    assert named["rp"] and named["4"] and not named["harga"]


def test_user_variant_file_extends_the_list(tmp_path: Path) -> None:
    extra = tmp_path / "variants.toml"
    extra.write_text('[variants]\nprabowo = ["prabowo subianto", "prabowo"]\n', encoding="utf-8")
    analyzer = Analyzer(load_vocabulary(extra))
    assert analyzer.query_terms("Prabowo Subianto") == analyzer.query_terms("Prabowo")
    assert analyzer.query_terms("Prabowo") == ["prabowo"]
    assert analyzer.fingerprint != Analyzer(load_vocabulary(None)).fingerprint


def test_bad_variant_file_is_a_clear_error(tmp_path: Path) -> None:
    extra = tmp_path / "variants.toml"
    extra.write_text("[variants\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_vocabulary(extra)
    extra.write_text('[variants]\nx = "y"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="list of spellings"):
        load_vocabulary(extra)


def test_stems_are_kept_between_runs(tmp_path, monkeypatch) -> None:
    from newsreader.index.text import analysis

    path = tmp_path / "stems.pickle"
    assert stem("pertemuan") == "temu"
    analysis.save_stems(path)
    monkeypatch.setattr(analysis, "_STEMS", Memo(MEMO_WORDS))
    monkeypatch.setattr(analysis, "_stem", lambda word: pytest.fail(f"stemmed {word} again"))
    analysis.load_stems(path)
    assert stem("pertemuan") == "temu"


def test_a_damaged_stem_file_is_ignored(tmp_path) -> None:
    from newsreader.index.text import analysis

    path = tmp_path / "stems.pickle"
    path.write_bytes(b"\x80\x05not a pickle")
    analysis.load_stems(path)  # no error: it is only a cache
    assert stem("bertemu") == "temu"


def test_indexing_saves_the_stems_it_worked_out(library, isolated_dirs) -> None:
    library.update()
    assert (isolated_dirs / "data" / "cache" / "stems.pickle").stat().st_size > 1000


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # Arabic with its vowel signs, a Devanagari word with its vowel sign, a decomposed
        # accent: `\w` counts none of those marks, which cut each word into letters.
        ("بِسْمِ اللَّهِ الرَّحْمَنِ", ["بِسْمِ", "اللَّهِ", "الرَّحْمَنِ"]),
        ("मानव अधिकार", ["मानव", "अधिकार"]),
        ("Cafe\u0301 di Bandung", ["Cafe\u0301", "di", "Bandung"]),
        ("kata-kata مَلَائِكَةٌ-نَا", ["kata-kata", "مَلَائِكَةٌ", "نَا"]),
    ],
)
def test_combining_marks_stay_in_their_word(text: str, words: list[str]) -> None:
    assert [text[w.start : w.end] for w in split_words(text)] == words
    assert all(w.folded for w in split_words(text))


def test_the_mark_ranges_are_combining_marks() -> None:
    import unicodedata

    from newsreader.index.text.marks import MARK_RANGES

    inside = {c for a, b in MARK_RANGES for c in range(a, b + 1)}
    assert all(unicodedata.category(chr(c)) in {"Mn", "Mc", "Me"} for c in inside)
    # Every mark of the scripts Indonesian news quotes most (Arabic, Latin accents).
    for block in (range(0x0300, 0x0370), range(0x0600, 0x0700)):
        marks = {c for c in block if unicodedata.category(chr(c)) in {"Mn", "Mc", "Me"}}
        assert marks <= inside
