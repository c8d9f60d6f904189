from pathlib import Path

import pytest
from newsreader.index import Article, Kind
from newsreader.index.ingest.document import parse_article
from newsreader.index.ingest.segment import paragraph_spans
from newsreader.index.text.analysis import Analyzer

from tests.conftest import SAMPLE


def load(analyzer: Analyzer, prefix: str) -> Article:
    path = next(SAMPLE.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return parse_article(path.name, path.name, text, analyzer.vocabulary)


def texts(article: Article, flag) -> list[str]:
    return [article.paragraph_text(p) for p in article.paragraphs if flag(p)]


def test_title_from_a_short_first_line(analyzer: Analyzer) -> None:
    art = load(analyzer, "001")
    assert art.meta.title == (
        "4 Strategi Putin dan Xi Jinping Perkuat Aliansi Pertahanan CSO untuk Melawan NATO"
    )
    span = art.meta.title_span
    assert art.text[span.start : span.end] == art.meta.title


@pytest.mark.parametrize("prefix", ["000", "002", "003", "004"])
def test_no_title_is_invented(analyzer: Analyzer, prefix: str) -> None:
    # 000 opens with a long sentence, 002 with a byline, 003 with a two-word heading,
    # 004 with a dateline: none of them is a headline.
    assert load(analyzer, prefix).meta.title is None


def test_outlet_and_author_from_byline(analyzer: Analyzer) -> None:
    art = load(analyzer, "002")
    assert art.meta.outlet == "Tribunnews.com"
    assert art.meta.author == "Namira Yunia"
    assert art.paragraphs[0].kind == Kind.META


def test_dates(analyzer: Analyzer) -> None:
    art4 = load(analyzer, "004")
    assert art4.meta.date == "2023-10-18T12:12+07:00"
    span = art4.meta.date_span
    assert art4.text[span.start : span.end].startswith("Okt 18, 2023 12:12")
    art1 = load(analyzer, "001")
    assert art1.meta.date == "2024-07-03"
    assert art1.text[art1.meta.date_span.start : art1.meta.date_span.end] == "Rabu (3/7/2024)"
    for prefix in ("000", "002", "003"):  # no full date near the top ("24 Februari" has no year)
        assert load(analyzer, prefix).meta.date is None


@pytest.mark.parametrize(
    ("body", "date"),
    [
        # A date the text mentions is an event's, not the article's (the text-reuse corpus's
        # "MH 370 raib pada 8 Maret 2014" became its essay's date).
        ("Pesawat itu raib pada 8 Maret 2014 dan belum ditemukan hingga kini.", None),
        # News stamps the day it reports: with its weekday, in parentheses, with a time.
        ("Menteri itu berbicara di Jakarta, Senin (16/9/2019), soal banjir.", "2019-09-16"),
        ("Menteri itu berbicara pada Senin, 16 September 2019, soal banjir.", "2019-09-16"),
        ("Menteri itu berbicara pada 16 September 2019 14:05 WIB soal banjir.", "2019-09-16"),
        ("16 September 2019\nMenteri itu berbicara soal banjir di kota.", "2019-09-16"),
    ],
)
def test_a_date_in_the_text_is_the_articles_only_as_news_stamps_it(
    analyzer: Analyzer, body: str, date: str | None
) -> None:
    text = f"Judul berita yang cukup panjang untuk sebuah judul\n\n{body}\n\nParagraf lain.\n"
    found = parse_article("x", "x", text, analyzer.vocabulary).meta.date
    assert (found[:10] if found else None) == date


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_language_and_unknowns(analyzer: Analyzer, prefix: str) -> None:
    art = load(analyzer, prefix)
    assert art.meta.language == "id"
    if prefix != "002":
        assert art.meta.outlet is None and art.meta.author is None


def test_english_is_detected(analyzer: Analyzer) -> None:
    text = "The presidents met in Astana. They said the partnership was at its best.\n" * 3
    assert parse_article("x", "x", text, analyzer.vocabulary).meta.language == "en"


def test_boilerplate_is_flagged_not_removed(analyzer: Analyzer) -> None:
    art1 = load(analyzer, "001")
    noise = texts(art1, lambda p: p.boilerplate)
    assert "loading..." in noise and "Foto/AP" in noise and noise.count("A") == 3
    art2 = load(analyzer, "002")
    assert all(t.startswith("Baca juga:") for t in texts(art2, lambda p: p.boilerplate))
    assert len(texts(art2, lambda p: p.boilerplate)) == 2
    assert texts(load(analyzer, "003"), lambda p: p.boilerplate) == [
        "Post a Comment",
        "Previous Post Next Post",
    ]
    assert texts(load(analyzer, "004"), lambda p: p.boilerplate) == ["Tags"]
    assert texts(load(analyzer, "000"), lambda p: p.boilerplate) == ["Sumber"]
    # Flagged text stays in the original.
    assert "loading..." in art1.text and "loading..." not in art1.body_text


def test_self_repeats(analyzer: Analyzer) -> None:
    art1 = load(analyzer, "001")
    repeats = [p for p in art1.paragraphs if p.repeat_of is not None]
    assert len(repeats) >= 9
    for p in repeats:
        original = art1.paragraphs[p.repeat_of]
        assert art1.paragraph_text(original) == art1.paragraph_text(p)
        assert p.hidden
    art4 = load(analyzer, "004")
    assert len([p for p in art4.paragraphs if p.repeat_of is not None]) == 1


def test_paragraph_offsets_cover_every_line(analyzer: Analyzer) -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        art = load(analyzer, prefix)
        lines = [ln.strip() for ln in art.text.splitlines() if ln.strip()]
        assert [art.paragraph_text(p) for p in art.paragraphs] == lines


def test_flat_text_is_split_into_paragraphs() -> None:
    sentence = "Gubernur meresmikan jembatan baru di kota itu pada hari Senin pagi. "
    text = (sentence * 6).strip() + ".,Paragraf kedua dimulai di sini. " + sentence * 6
    spans = paragraph_spans(text)
    assert len(spans) >= 2
    assert all(text[s.start : s.end].strip() == text[s.start : s.end] for s in spans)
    assert text[spans[1].start :].startswith("Paragraf kedua")


def _paragraphs(text: str) -> list[str]:
    return [text[s.start : s.end] for s in paragraph_spans(text)]


def test_scraper_separators_are_left_between_paragraphs() -> None:
    # As CLICK-ID's scraped bodies come: a dateline cut away before ", - ", empty paragraphs
    # joined in as ",,,", the page's "loading..." after the last one.
    text = (
        ", - Pemerintah menaikkan harga BBM bersubsidi mulai Sabtu.,,,"
        "Kenaikan itu diumumkan Presiden di Istana Merdeka. (inews),loading..."
    )
    assert _paragraphs(text) == [
        "Pemerintah menaikkan harga BBM bersubsidi mulai Sabtu.",
        "Kenaikan itu diumumkan Presiden di Istana Merdeka. (inews)",
        "loading...",
    ]
    # A link's words dropped next to the join leave a comma with spaces around it.
    spaced = "Suporter melempar batu., ,Dua pemain terluka. ,Harga tiket naik., , Wang pulang."
    assert _paragraphs(spaced) == [
        "Suporter melempar batu.",
        "Dua pemain terluka.",
        "Harga tiket naik.",
        "Wang pulang.",
    ]
    # Joined with a non-breaking space between the commas (762 CLICK-ID bodies).
    nbsp = "Api membesar di lokasi.,\xa0,Menurut mereka, api padam.,\xa0,\xa0,Warga lega."
    assert _paragraphs(nbsp) == [
        "Api membesar di lokasi.",
        "Menurut mereka, api padam.",
        "Warga lega.",
    ]
    lines = ",,,Organisasi itu dibentuk tahun lalu.,\n, -  , terjebak di kanal PLTU Paiton."
    assert _paragraphs(lines) == [
        "Organisasi itu dibentuk tahun lalu.",
        "terjebak di kanal PLTU Paiton.",
    ]


def test_a_dateline_cut_away_leaves_no_dash() -> None:
    text = "- , Pemerintah menaikkan harga BBM.\nKenaikan itu diumumkan di Istana."
    assert _paragraphs(text)[0] == "Pemerintah menaikkan harga BBM."
    assert _paragraphs("– Pembalap Tim Mercedes tampil impresif.") == [
        "Pembalap Tim Mercedes tampil impresif."
    ]
    # The items of a list keep their dashes.
    items = "- beras naik 5 persen\n- gula naik 3 persen\n- minyak turun"
    assert _paragraphs(items) == items.split("\n")


@pytest.mark.parametrize(
    "text",
    [
        # A hyperlink's words dropped mid-sentence leave commas that are not a paragraph break.
        "Indeks saham di Amerika Serikat (AS),,berakhir datar pada perdagangan Jumat.",
        "Dear John,\nthe meeting is moved to Monday.",
        "-5 derajat di puncak gunung malam itu.",
    ],
)
def test_commas_inside_a_paragraph_stay(text: str) -> None:
    assert " ".join(_paragraphs(text)) == " ".join(text.split("\n"))


def test_scraped_loading_line_is_boilerplate(analyzer: Analyzer) -> None:
    text = (
        "Gubernur meresmikan jembatan baru di kota itu pada hari Senin pagi.,,"
        "Warga menyambut jembatan itu dengan gembira. (inews),loading..."
    )
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert texts(art, lambda p: p.boilerplate) == ["loading..."]
    assert "loading" not in art.body_text and "(inews)" in art.body_text


def test_hard_wrapped_text_is_joined() -> None:
    text = (
        "This paragraph was wrapped\nat a fixed width and goes\non over lines until it\n"
        "ends here.\n\nA second one\nfollows it.\n"
    )
    spans = paragraph_spans(text)
    assert len(spans) == 2
    assert text[spans[0].start : spans[0].end].endswith("ends here.")


def test_hard_wrapped_text_is_joined_before_a_capital_too(analyzer: Analyzer) -> None:
    # Text wrapped at a fixed width with blank lines between paragraphs (as the text-reuse
    # corpus is): a line that begins with a name ("Asia", "Malaysia") continues the one
    # before; every wrapped line was a paragraph, the first two the "title".
    text = (
        "Dalam setahun terakhir media massa berkali-kali memberitakan tragedi pesawat Air\n"
        "Asia QZ 8501 jurusan Surabaya - Singapura yang hilang kontak di laut Jawa. Pesawat\n"
        "Malaysia dengan kode penerbangan MH 370 raib pada suatu hari. Terbaru, pesawat milik\n"
        "Germanwings jatuh di pegunungan Alpen, Prancis.\n"
        "\n"
        "Melihat rentetan kejadian tersebut, saya langsung teringat program Air Crash\n"
        "Investigation yang rutin ditayangkan National Geographic Channel.\n"
    )
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert [art.text[p.start : p.end].split()[0] for p in art.paragraphs] == ["Dalam", "Melihat"]
    assert art.meta.title is None
    shown = art.paragraph_text(art.paragraphs[0])
    assert "Air Asia" in shown and "\n" not in shown and len(shown) == art.paragraphs[0].end


def test_display_title_falls_back_to_first_words(analyzer: Analyzer) -> None:
    art = load(analyzer, "000")
    assert art.display_title.startswith("Presiden Rusia Vladimir Putin")
    assert art.display_title.endswith("…")


def test_json_round_trip(analyzer: Analyzer, tmp_path: Path) -> None:
    from newsreader.index.model import article_from_json

    art = load(analyzer, "001")
    assert article_from_json(art.to_json(), art.text) == art


@pytest.mark.parametrize(
    "line",
    [
        "Sumber daya petani terbatas sehingga panen tahun ini turun tajam.",
        "Baca juga buku-buku sejarah agar generasi muda memahami perjuangan para pahlawan "
        "yang gugur demi kemerdekaan bangsa ini dan tidak melupakan jasa mereka.",
        "Hak cipta karya musik itu kini dipegang oleh sebuah label besar dari Jakarta.",
        "Tags ini dipakai untuk mengelompokkan berita menurut topiknya masing-masing.",
        "Simak hasil selengkapnya wakil Indonesia di turnamen Vietnam Open 2019 berikut ini.",
        "Saksikan pertandingan itu secara langsung di stadion bersama keluarga Anda.",
    ],
)
def test_ordinary_sentences_are_not_boilerplate(analyzer: Analyzer, line: str) -> None:
    text = "Judul Berita Tentang Panen Raya\nParagraf pertama berita ini.\n" + line + "\n"
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert not art.paragraphs[-1].boilerplate
    assert line in art.body_text


@pytest.mark.parametrize(
    "line",
    [
        'Tonton juga video "Derasnya Banjir di Depok, Angkot Nyaris Hanyut" di sini:',
        'Tonton juga "Bank Indonesia Umumkan BI-Rate Tetap 5,75%" di sini:',
        "Tonton juga Video: Serba-serbi Uang Kertas Baru 2022 yang Dikeluarkan Bank Indonesia",
        "Lihat Video 'Viral Oknum TNI AL Pukul Driver Ojol di Jakbar':",
        "Saksikan Live DetikPagi :",
        # detik's, longer than the short-line rules take (found in detik-recent-id).
        "Simak juga Video: Sri Mulyani soal Inflasi RI Rendah: Tak Terkait dengan Daya Beli",
        "Simak juga Video Purbaya Laporkan APBN Defisit Rp 321,6 T Sampai Agustus 2025 di DPR",
        "Simak Video 'Jadi Tersangka Korupsi PLTU Mempawah, Adik JK Dicekal ke Luar Negeri':",
        "Simak selengkapnya di sini .",
        "Saksikan juga Sosok: Kisah Dokter Penyelamat di Balik Tragedi Stasiun Bekasi Timur",
    ],
)
def test_video_promotions_are_boilerplate(analyzer: Analyzer, line: str) -> None:
    text = "Judul Berita Tentang Banjir\nParagraf pertama berita ini.\n" + line + "\nPenutup.\n"
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert [p.boilerplate for p in art.paragraphs][-2:] == [True, False]
    assert line not in art.body_text


def test_a_dropped_link_shows_as_an_ellipsis_and_the_text_stays(analyzer: Analyzer) -> None:
    # CLICK-ID's scraper dropped each link's words and kept a comma in their place.
    text = (
        "Judul Berita Sepak Bola Inggris\n"
        "Menanggapi hal itu, pelatih  ,, Gareth Southgate, menyebut Kosovo tangguh.\n"
    )
    art = parse_article("x", "x", text, analyzer.vocabulary)
    body = art.paragraphs[-1]
    shown = art.paragraph_text(body)
    assert shown == "Menanggapi hal itu, pelatih  …, Gareth Southgate, menyebut Kosovo tangguh."
    # The same length, so offsets into the text still point at the same words.
    assert len(shown) == body.end - body.start
    assert art.text == text and "pelatih  ,, Gareth" in art.text


def test_links_joined_to_a_paragraph_are_flagged_without_it(analyzer: Analyzer) -> None:
    # CLICK-ID: the "Baca Juga" links joined to the article's last paragraph with ",,".
    text = (
        "Pimpinan KPK menyerahkan mandat kepada Presiden di Jakarta.\n"
        "Baca Juga :,,Baca Juga :,,Pengembalian mandat ini menjadikan pimpinan KPK kosong."
    )
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert texts(art, lambda p: p.boilerplate) == ["Baca Juga :", "Baca Juga :"]
    assert "Pengembalian mandat ini menjadikan pimpinan KPK kosong." in art.body_text


def test_a_link_label_joined_to_the_next_paragraph_takes_only_itself(analyzer: Analyzer) -> None:
    # Okezone (85 CLICK-ID bodies): "Baca juga:" with its link's words dropped, joined to the
    # next paragraph by one comma; the whole paragraph was hidden as boilerplate, and its
    # words could not be searched.
    text = (
        "Tiga mengaku mengalami KDRT dari sang suami.,,,Baca juga:,Plh Direktur Perlindungan"
        " WNI menjelaskan bahwa Konsulat RI di Chicago telah menerima laporan.,“KJRI langsung"
        " menindaklanjuti,” ujar Judha."
    )
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert texts(art, lambda p: p.boilerplate) == ["Baca juga:"]
    assert "Konsulat RI di Chicago telah menerima laporan." in art.body_text


@pytest.mark.parametrize(
    ("joined", "label", "kept"),
    [
        # The label without a colon, or with a semicolon, then the next paragraph.
        ("Baca juga,,“Kami harus tetap realistis,” kata dia.", "Baca juga",
         "“Kami harus tetap realistis,” kata dia."),
        ("Baca juga;,,Pelatih pulang lebih awal.", "Baca juga", "Pelatih pulang lebih awal."),
        # The linked title kept, the next paragraph joined to it by one comma.
        ("Baca juga: Sebelum Disiksa Suami, Tiga Rayakan Ulang Tahun,Ray Sahetapy menganggap"
         " dia anak.", "Baca juga: Sebelum Disiksa Suami, Tiga Rayakan Ulang Tahun",
         "Ray Sahetapy menganggap dia anak."),
    ],
)  # fmt: skip
def test_a_link_label_in_any_form_hides_only_itself(
    analyzer: Analyzer, joined: str, label: str, kept: str
) -> None:
    # 108 okezone paragraphs of CLICK-ID: the label glued to the next paragraph, hidden
    # with it as boilerplate, or left visible at a paragraph's end.
    text = f"Warga resah menunggu kabar.,,,{joined},“Bagus,” ucapnya,Baca Juga:"
    art = parse_article("x", "x", text, analyzer.vocabulary)
    assert texts(art, lambda p: p.boilerplate) == [label, "Baca Juga:"]
    assert kept in art.body_text and "“Bagus,” ucapnya" in art.body_text


def test_a_paragraph_join_inside_shown_text_is_a_space() -> None:
    from newsreader.index import link_gaps_marked

    # A passage (or a short line) can span the ".," a scraper joined two paragraphs with.
    assert link_gaps_marked("isi KUHP.,Selama ini KPK") == "isi KUHP. Selama ini KPK"
    assert link_gaps_marked("Rp 1.,5 juta") == "Rp 1.,5 juta"  # digits: left alone
    # A join with a space after it ("itu., Laode pun"; a QA pass saw it in the passage list,
    # the differences and the Markdown export), but not an abbreviation's comma.
    assert link_gaps_marked('itu., "Karyawan KPK') == 'itu.  "Karyawan KPK'
    assert link_gaps_marked("(19/9/2019)., Laode pun") == "(19/9/2019).  Laode pun"
    assert link_gaps_marked("buku, pena, dll., dan kertas") == "buku, pena, dll., dan kertas"


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("Rabu, 3 Juli 2024 pukul 14.05 WIB", True),
        ("Jakarta - Rabu, 3 Juli 2024 14:05 GMT + 7", True),
        ("Rabu, 3 Juli 2024 " + "- " * 30 + "|", True),  # only what is stripped around it
        ("Rabu, 3 Juli 2024 " + "- x " * 3, False),  # words among them still count
        ("Tim SAR menemukan korban pada 3 Juli 2024 setelah pencarian tiga hari", False),
        ("Pada 3 Juli 2024 " + "warga kembali ke rumah mereka " * 20, False),
        ("kata " * 14 + "3 Juli 2024", False),
    ],
)
def test_a_date_line_holds_a_date_and_at_most_two_other_words(
    line: str, is_date: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsreader.index.ingest import metadata

    assert metadata.is_date_line(line) is is_date
    # Long lines are answered without looking for the date: the same answer as looking.
    monkeypatch.setattr(metadata, "_DATE_WORDS", 10**6)
    assert metadata.is_date_line(line) is is_date


def test_a_markdown_headline_is_the_title_and_its_headings_are_headings(
    analyzer: Analyzer,
) -> None:
    # A .md file's "# Headline" was a paragraph of text, its title null.
    text = (
        "# Harga Cabai Naik di Pasar Induk\n\nHarga cabai rawit naik tajam pekan ini.\n\n"
        "## Penyebab\n\nCuaca buruk membuat panen gagal.\n\n#banjir bukan judul.\n"
    )
    art = parse_article("f.md", "f.md", text, analyzer.vocabulary)
    assert art.meta.title == "Harga Cabai Naik di Pasar Induk"
    span = art.meta.title_span
    assert span is not None and text[span.start : span.end] == art.meta.title
    kinds = [p.kind.value for p in art.paragraphs]
    assert kinds == ["title", "text", "heading", "text", "text"]
