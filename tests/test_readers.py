"""Record dumps (JSON Lines, JSON, CSV), saved pages and feed files: good input goes in with
its metadata, bad input is reported with file and line and skipped, the rest still goes in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newsreader.index import Library, Limits
from newsreader.index.errors import ConfigError
from newsreader.index.ingest.corpus import SourceFile, read_source
from newsreader.index.ingest.readers.dates import normalize_date
from newsreader.index.ingest.readers.fields import parse_field_options
from newsreader.index.model import Article, Kind, Skipped
from newsreader.index.text.analysis import Analyzer

FLAT_BODY = (
    "- Polisi menangkap dua orang pengedar narkoba di sebuah rumah di Jalan Merdeka, "
    "Kecamatan Tanjungpinang Timur, Kepulauan Riau, pada Selasa malam.,Penangkapan keduanya "
    "merupakan hasil pengembangan kasus yang sedang ditangani kepolisian sejak bulan lalu."
    ",Kepala Subbagian Humas mengatakan, para tersangka diduga memasok sabu ke sejumlah "
    'wilayah di kepulauan itu selama beberapa bulan terakhir.,"Keduanya diduga sebagai '
    'pemasok utama," kata dia melalui telepon kepada wartawan, Selasa malam.,Dari tangan '
    "tersangka, polisi menyita alat isap, timbangan elektronik, dua ponsel dan buku tabungan "
    "yang kini dijadikan barang bukti dalam perkara tersebut."
)


def read(
    root: Path, rel: str, limits: Limits | None = None, analyzer: Analyzer | None = None
) -> tuple[list[Article], list[Skipped]]:
    from newsreader.index.text.vocabulary import load_vocabulary

    path = root / rel
    st = path.stat()
    vocab = analyzer.vocabulary if analyzer else load_vocabulary(None)
    return read_source(root, SourceFile(rel, st.st_size, st.st_mtime_ns), vocab, limits)


def write_jsonl(path: Path, records: list, raw_lines: dict[int, bytes] | None = None) -> None:
    """Records one per line; `raw_lines` puts exact bytes at given (1-based) lines."""
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records]
    for n, raw in sorted((raw_lines or {}).items()):
        lines.insert(n - 1, raw)
    path.write_bytes(b"\n".join(lines) + b"\n")


def record(n: int, **extra: object) -> dict:
    base = {
        "id": f"a{n}",
        "title": f"Judul berita nomor {n}",
        "body": f"Isi berita nomor {n}. Gubernur meresmikan jembatan baru di kota itu.",
        "source": "tempo",
        "date": "2019-09-10",
        "url": f"https://x.example/{n}",
        "lang": "id",
    }
    base.update(extra)
    return base


# -- JSON Lines ---------------------------------------------------------------------------
def test_jsonl_records_become_articles_with_their_metadata(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "dump.jsonl", [record(1), record(2, author="Budi Santoso")])
    articles, skipped = read(tmp_path, "dump.jsonl")
    assert skipped == []
    assert [a.id for a in articles] == ["dump.jsonl#a1", "dump.jsonl#a2"]
    a = articles[1]
    assert a.path == "dump.jsonl"
    assert a.text == record(2)["body"]  # the body is the original text: offsets point into it
    assert (
        a.meta.title,
        a.meta.outlet,
        a.meta.author,
        a.meta.date,
        a.meta.url,
        a.meta.language,
    ) == (
        "Judul berita nomor 2",
        "tempo",
        "Budi Santoso",
        "2019-09-10",
        "https://x.example/2",
        "id",
    )
    for p in a.paragraphs:
        assert a.paragraph_text(p) == a.text[p.start : p.end]


def test_jsonl_bad_lines_are_skipped_with_their_line_and_the_rest_goes_in(tmp_path: Path) -> None:
    bad_bytes = json.dumps(record(9)).replace("Isi", "Caf\\u00e9").encode()
    # A byte of another encoding in a file that is otherwise UTF-8 (see record 6's Kafé):
    bad_bytes = bad_bytes.replace(b"Caf\\u00e9", "Café".encode("cp1252"))
    write_jsonl(
        tmp_path / "dump.jsonl",
        [
            record(1),
            record(2),
            record(3, body=""),
            record(1),
            record(5),
            record(6, title="Kafé baru di Jakarta", body="Kafé ramai dikunjungi."),
        ],
        raw_lines={2: b'{"id": "x", "body": "unterminated', 4: b"[1, 2]", 7: bad_bytes},
    )
    articles, skipped = read(tmp_path, "dump.jsonl")
    by_line = {s.path: s.reason for s in skipped}
    assert set(by_line) == {
        "dump.jsonl:2",
        "dump.jsonl:4",
        "dump.jsonl:5",
        "dump.jsonl:6",
        "dump.jsonl:7",
    }
    assert by_line["dump.jsonl:2"].startswith("malformed JSON")
    assert "not a JSON object" in by_line["dump.jsonl:4"]
    assert by_line["dump.jsonl:5"] == "empty body"
    assert by_line["dump.jsonl:6"] == 'duplicate record id "a1" (first on line 1)'
    assert "not UTF-8 (0xe9" in by_line["dump.jsonl:7"]
    assert [a.id for a in articles] == [
        "dump.jsonl#a1",
        "dump.jsonl#a2",
        "dump.jsonl#a5",
        "dump.jsonl#a6",
    ]


def test_jsonl_records_without_id_are_named_by_line(tmp_path: Path) -> None:
    rows = [{"text": "Pertama. Satu dua tiga."}, {"content": "Kedua. Empat lima enam."}]
    write_jsonl(tmp_path / "d.jsonl", rows, raw_lines={2: b""})
    articles, skipped = read(tmp_path, "d.jsonl")
    assert skipped == []
    assert [a.id for a in articles] == ["d.jsonl#L1", "d.jsonl#L3"]


def test_jsonl_in_a_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    rows = [record(n, body=f"Kafé nomor {n} dibuka di Bandung.") for n in range(3)]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    (tmp_path / "old.jsonl").write_bytes(text.encode("cp1252"))
    articles, skipped = read(tmp_path, "old.jsonl")
    assert skipped == []
    assert articles[2].text == "Kafé nomor 2 dibuka di Bandung."


def test_a_file_whose_records_have_no_body_field_is_one_skip_with_a_hint(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [{"judul": "A", "naskah": "x"}] * 3)
    articles, skipped = read(tmp_path, "d.jsonl")
    assert articles == []
    assert len(skipped) == 1 and skipped[0].path == "d.jsonl"
    assert "no body field" in skipped[0].reason and "naskah" in skipped[0].reason
    assert "newsreader.toml" in skipped[0].reason


# -- field mapping --------------------------------------------------------------------------
def test_newsreader_toml_maps_field_names(tmp_path: Path) -> None:
    (tmp_path / "newsreader.toml").write_text(
        '[fields]\nbody = "naskah"\ntitle = ["judul_utama", "judul"]\nauthor = []\n'
        'date = "meta.terbit"\n[dates]\norder = "DMY"\n'
    )
    (tmp_path / "sub").mkdir()
    write_jsonl(
        tmp_path / "sub" / "d.jsonl",
        [
            {
                "id": 1,
                "judul": "Judul cadangan",
                "naskah": "Naskah lengkap berita hari ini.",
                "text": "bukan ini",
                "author": "Tidak Dibaca",
                "meta": {"terbit": "03/07/2024"},
            }
        ],
    )
    articles, skipped = read(tmp_path, "sub/d.jsonl")
    assert skipped == []
    a = articles[0]
    assert a.id == "sub/d.jsonl#1"
    assert a.text == "Naskah lengkap berita hari ini."
    assert a.meta.title == "Judul cadangan"
    assert a.meta.author is None  # turned off
    assert a.meta.date == "2024-07-03"  # day first


def test_command_line_fields_come_before_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "newsreader.toml").write_text('[fields]\nbody = "naskah"\n')
    write_jsonl(tmp_path / "d.jsonl", [{"naskah": "Dari berkas.", "isi2": "Dari perintah."}])
    limits = Limits(fields=parse_field_options(["body=isi2"]))
    articles, _ = read(tmp_path, "d.jsonl", limits)
    assert articles[0].text == "Dari perintah."


@pytest.mark.parametrize("value", ["body", "nofield=x", "=x"])
def test_bad_field_options_are_config_errors(value: str) -> None:
    with pytest.raises(ConfigError):
        parse_field_options([value])


def test_a_bad_newsreader_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "newsreader.toml").write_text('[fields]\nbdy = "isi"\n')
    write_jsonl(tmp_path / "d.jsonl", [record(1)])
    with pytest.raises(ConfigError, match='unknown field "bdy"'):
        read(tmp_path, "d.jsonl")


# -- metadata and segmentation --------------------------------------------------------------
def test_record_metadata_wins_over_the_text_and_the_text_fills_gaps(tmp_path: Path) -> None:
    body = (
        "Laporan Wartawan Tribunnews.com, Andi Wijaya\n"
        "JAKARTA, TRIBUNNEWS.COM - Rapat digelar Rabu (3/7/2024) di gedung dewan.\n"
        "Para anggota membahas anggaran daerah untuk tahun depan."
    )
    write_jsonl(
        tmp_path / "d.jsonl",
        [
            {
                "id": "given",
                "body": body,
                "outlet": "Kompas",
                "author": "Siti Rahma",
                "date": "2019-09-10T08:00:00+07:00",
            },
            {"id": "gaps", "body": body},
        ],
    )
    articles, _ = read(tmp_path, "d.jsonl")
    given, gaps = articles
    assert (given.meta.outlet, given.meta.author, given.meta.date) == (
        "Kompas",
        "Siti Rahma",
        "2019-09-10T08:00+07:00",
    )
    assert (gaps.meta.outlet, gaps.meta.author, gaps.meta.date) == (
        "Tribunnews.com",
        "Andi Wijaya",
        "2024-07-03",
    )
    assert gaps.meta.language == "id"


def test_a_flat_body_is_split_into_paragraphs(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [{"id": 1, "body": FLAT_BODY}])
    (a,), _ = read(tmp_path, "d.jsonl")
    texts = [a.paragraph_text(p) for p in a.paragraphs]
    assert len(texts) == 5
    assert texts[1].startswith("Penangkapan keduanya")
    assert texts[3].startswith('"Keduanya diduga')
    assert all(not t.startswith(",") for t in texts)


def test_a_flat_body_after_a_lone_dash_line_is_split() -> None:
    from newsreader.index.ingest.segment import paragraph_spans

    assert len(paragraph_spans("-\n" + FLAT_BODY)) >= 5


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2019-09-10", "2019-09-10"),
        ("2019-09-10 21:48:00", "2019-09-10T21:48"),
        ("2023-10-18T12:12:05+07:00", "2023-10-18T12:12:05+07:00"),
        ("Tue, 10 Sep 2019 21:48:00 +0700", "2019-09-10T21:48+07:00"),
        ("10 September 2019", "2019-09-10"),
        ("Selasa, 10 September 2019 21:48", "2019-09-10T21:48"),
        ("03/07/2024", "2024-07-03"),
        (1568126880, "2019-09-10T14:48+00:00"),
        ("kemarin sore", None),
        # Relative to the day of indexing: invented ("kemarin" became yesterday's date).
        ("kemarin", None),
        ("2 hari lalu", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_normalised_to_iso(raw: object, iso: str | None) -> None:
    assert normalize_date(raw) == iso


# -- JSON ---------------------------------------------------------------------------------
def test_json_array_records_and_a_bad_element(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        '[\n  {"id": "x", "body": "Satu dua tiga empat."},\n  "not an object",\n'
        '  {"body": "Tanpa id di sini."}\n]\n'
    )
    articles, skipped = read(tmp_path, "a.json")
    assert [a.id for a in articles] == ["a.json#x", "a.json#L4"]
    assert skipped == [Skipped("a.json:3", "not a JSON object but a string")]


def test_json_syntax_error_keeps_the_records_before_it(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('[\n{"id": 1, "body": "Baik."},\n{"id": 2, "body": "Rusak\n]')
    articles, skipped = read(tmp_path, "a.json")
    assert [a.id for a in articles] == ["a.json#1"]
    assert skipped[0].path == "a.json:3" and skipped[0].reason.startswith("malformed JSON")


def test_json_single_object_is_one_article_named_by_its_file(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps(record(1)))
    (a,), skipped = read(tmp_path, "one.json")
    assert skipped == [] and a.id == "one.json" and a.meta.outlet == "tempo"


def test_json_lines_in_a_json_file_are_read_as_lines(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "lines.json", [record(1), record(2)])
    articles, _ = read(tmp_path, "lines.json")
    assert [a.id for a in articles] == ["lines.json#a1", "lines.json#a2"]


def test_malformed_json_file_is_skipped_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"id": 1,\n "body": oops}')
    articles, skipped = read(tmp_path, "bad.json")
    assert articles == [] and skipped[0].path == "bad.json:2"


# -- CSV ----------------------------------------------------------------------------------
def test_csv_rows_with_missing_columns_are_skipped_by_line(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text(
        "id,title,isi,source,date\n"
        '1,Judul satu,"Isi pertama, dengan koma.\nDan baris kedua.",kompas,2019-09-10\n'
        "2,Judul dua,Isi kedua yang pendek\n"
        "3,Judul tiga,Isi ketiga.,tempo,10/09/2019\n"
        "4,Judul empat,Isi keempat.,tempo,2019-09-11,extra\n",
        encoding="utf-8",
    )
    articles, skipped = read(tmp_path, "d.csv")
    assert [a.id for a in articles] == ["d.csv#1", "d.csv#3"]
    assert articles[0].text == "Isi pertama, dengan koma.\nDan baris kedua."
    assert articles[1].meta.date == "2019-09-10"
    assert skipped == [
        Skipped("d.csv:4", "the row has 3 of the header's 5 columns"),
        Skipped("d.csv:6", "the row has 6 columns, the header 5"),
    ]


def test_csv_semicolons_and_a_legacy_encoding(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_bytes(
        "judul;konten;media\nKafé;Kafé baru dibuka di Bandung.;Pikiran\n".encode("cp1252")
    )
    (a,), skipped = read(tmp_path, "d.csv")
    assert skipped == []
    assert (a.text, a.meta.title, a.meta.outlet) == (
        "Kafé baru dibuka di Bandung.",
        "Kafé",
        "Pikiran",
    )


def test_csv_row_with_a_lying_byte_is_skipped(tmp_path: Path) -> None:
    good = b"body,title\nBerita pertama yang berbahasa Indonesia.,Satu\n"
    bad = "Kafé yang rusak.,Dua\n".encode("cp1252")
    more = "Berita ketiga ditulis dengan benar: café.,Tiga\n".encode()
    (tmp_path / "d.csv").write_bytes(good + bad + more)
    articles, skipped = read(tmp_path, "d.csv")
    assert [a.meta.title for a in articles] == ["Satu", "Tiga"]
    assert skipped[0].path == "d.csv:3" and "not UTF-8" in skipped[0].reason


def test_csv_without_a_body_column_says_how_to_name_it(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,b\n1,2\n")
    articles, skipped = read(tmp_path, "d.csv")
    assert articles == [] and "no body column" in skipped[0].reason


# -- HTML ---------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="{charset}">
<title>Banjir Rendam Ratusan Rumah di Bekasi - Kabar Kita</title>
<meta name="author" content="Siti Rahmawati">
<meta property="og:site_name" content="Kabar Kita">
<meta property="og:title" content="Banjir Rendam Ratusan Rumah di Bekasi">
<meta property="article:published_time" content="2024-03-05T10:15:00+07:00">
</head><body>
<nav><ul><li><a href="/">Beranda</a></li><li><a href="/politik">Politik</a></li>
<li><a href="/ekonomi">Ekonomi</a></li></ul></nav>
<main><article><h1>Banjir Rendam Ratusan Rumah di Bekasi</h1>
<p>Hujan deras yang mengguyur Kota Bekasi sejak Senin malam menyebabkan banjir di sejumlah
perumahan. Ketinggian air mencapai satu meter di beberapa titik, kata {name}.</p>
<p>Kepala Badan Penanggulangan Bencana Daerah mengatakan sedikitnya empat ratus rumah
terendam. Warga mulai mengungsi ke masjid dan sekolah terdekat sejak dini hari.</p>
<p>Petugas juga membuka dapur umum untuk memenuhi kebutuhan makan para pengungsi. Bantuan
selimut dan obat-obatan dikirim oleh pemerintah provinsi.</p>
</article>
<section class="comments" id="comments"><h3>Komentar</h3>
<div class="comment"><p>Semoga cepat surut, kasihan warga yang rumahnya terendam.</p></div>
</section></main>
<footer><p>Hak cipta dilindungi undang-undang.</p></footer></body></html>"""


def page(charset: str = "utf-8", name: str = "José") -> str:
    return PAGE.format(charset=charset, name=name)


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_text(page(), encoding="utf-8")
    (a,), skipped = read(tmp_path, "p.html")
    assert skipped == [] and a.id == "p.html"
    m = a.meta
    assert (m.title, m.author, m.outlet, m.date, m.language) == (
        "Banjir Rendam Ratusan Rumah di Bekasi",
        "Siti Rahmawati",
        "Kabar Kita",
        "2024-03-05",
        "id",
    )
    assert a.text.startswith("Hujan deras")  # the headline is metadata, not body
    assert "José" in a.text
    assert len(a.paragraphs) == 3
    for gone in ("Beranda", "Semoga cepat surut", "Hak cipta"):
        assert gone not in a.text


def test_html_in_the_declared_legacy_charset(tmp_path: Path) -> None:
    (tmp_path / "p.htm").write_bytes(page("windows-1252").encode("cp1252"))
    (a,), skipped = read(tmp_path, "p.htm")
    assert skipped == [] and "José" in a.text


def test_html_whose_charset_lies_is_skipped_with_the_line(tmp_path: Path) -> None:
    (tmp_path / "p.html").write_bytes(page("utf-8").encode("cp1252"))
    articles, skipped = read(tmp_path, "p.html")
    assert articles == []
    line = page().splitlines().index(next(x for x in page().splitlines() if "José" in x)) + 1
    assert skipped[0].path == f"p.html:{line}"
    assert "declares the encoding utf-8" in skipped[0].reason


def test_html_with_no_main_text_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "menu.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Beranda</a> "
        "<a href='/b'>Berita</a></nav><footer><a href='/t'>Tentang</a></footer></body></html>"
    )
    articles, skipped = read(tmp_path, "menu.html")
    assert articles == [] and skipped[0].reason.startswith("no main text")
    # Navigation written as plain text, not links, is the page's furniture too (it was
    # indexed as an article of one word, "menu").
    (tmp_path / "plain.html").write_text("<html><body><nav>menu</nav></body></html>")
    articles, skipped = read(tmp_path, "plain.html")
    assert articles == [] and skipped[0].reason.startswith("no main text")


# -- feeds --------------------------------------------------------------------------------
RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Kabar Kita</title><language>id-ID</language><link>http://x.example/</link>
<item><title>Gempa di Palu</title><guid>palu-1</guid><link>http://x.example/palu</link>
<description>Ringkasan singkat.</description>
<content:encoded><![CDATA[<p>Gempa berkekuatan 5,2 mengguncang Palu pagi ini.</p>
<p>Warga berhamburan keluar rumah, tetapi tidak ada kerusakan berarti.</p>]]></content:encoded>
<pubDate>Tue, 10 Sep 2019 21:48:00 +0700</pubDate><author>redaksi@x.example (Rina)</author>
</item>
<item><title>Harga cabai naik</title><link>http://x.example/cabai</link>
<description>&lt;p&gt;Harga cabai di pasar naik dua kali lipat &amp;amp; pedagang
mengeluh.&lt;/p&gt;</description>
</item>
<item><title>Tanpa isi</title><guid>kosong</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title><id>urn:x</id>
<updated>2024-01-02T03:04:05Z</updated>
<entry><title>Sebuah entri</title><id>urn:e1</id><updated>2024-01-02T03:04:05Z</updated>
<author><name>Dewi</name></author>
<content type="html">&lt;p&gt;Isi lengkap entri Atom ini.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_entries_become_articles(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(RSS, encoding="utf-8")
    articles, skipped = read(tmp_path, "f.rss")
    assert [a.id for a in articles] == ["f.rss#palu-1", "f.rss#http://x.example/cabai"]
    full, summary = articles
    assert full.text == (
        "Gempa berkekuatan 5,2 mengguncang Palu pagi ini.\n\n"
        "Warga berhamburan keluar rumah, tetapi tidak ada kerusakan berarti."
    )
    assert (
        full.meta.title,
        full.meta.outlet,
        full.meta.date,
        full.meta.language,
        full.meta.url,
    ) == ("Gempa di Palu", "Kabar Kita", "2019-09-10T21:48+07:00", "id", "http://x.example/palu")
    assert summary.text == "Harga cabai di pasar naik dua kali lipat & pedagang mengeluh."
    assert skipped == [Skipped("f.rss#kosong", "the entry has no text (no content, no summary)")]


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    (tmp_path / "f.atom").write_text(ATOM, encoding="utf-8")
    (a,), skipped = read(tmp_path, "f.atom")
    assert skipped == []
    assert (a.id, a.text, a.meta.author, a.meta.date) == (
        "f.atom#urn:e1",
        "Isi lengkap entri Atom ini.",
        "Dewi",
        "2024-01-02T03:04:05+00:00",
    )


def test_a_feed_that_is_not_xml_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_text("this is not a feed\nnor XML at all\n")
    articles, skipped = read(tmp_path, "f.xml")
    assert articles == []
    assert skipped[0].path == "f.xml:2" and skipped[0].reason.startswith("not a feed")


def test_xml_that_is_not_a_feed_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url/></urlset>')
    articles, skipped = read(tmp_path, "sitemap.xml")
    assert articles == [] and "not a feed" in skipped[0].reason


def test_a_feed_whose_encoding_lies_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_bytes(RSS.replace("Palu pagi", "Palú pagi").encode("cp1252"))
    articles, skipped = read(tmp_path, "f.rss")
    assert articles == [] and "encoding lies" in skipped[0].reason


def test_a_truncated_feed_keeps_its_entries_and_says_where_it_broke(tmp_path: Path) -> None:
    (tmp_path / "f.rss").write_text(RSS[: RSS.index("<item><title>Harga")] + "<item><title>Ha")
    articles, skipped = read(tmp_path, "f.rss")
    assert [a.id for a in articles][:1] == ["f.rss#palu-1"]
    assert any("malformed XML" in s.reason and s.path.startswith("f.rss:") for s in skipped)


# -- a mixed corpus, end to end -------------------------------------------------------------
def test_a_mixed_corpus_indexes_searches_and_updates_incrementally(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "dumps").mkdir(parents=True)
    (root / "web").mkdir()
    write_jsonl(
        root / "dumps" / "a.jsonl",
        [
            record(1, source="tempo", date="2019-09-10"),
            record(
                2,
                source="kompas",
                date="2019-10-01",
                body="Isi berita kedua tentang banjir di Bekasi.",
            ),
            record(3, source="tempo", date="2019-11-20"),
        ],
        raw_lines={4: b"{broken"},
    )
    (root / "web" / "p.html").write_text(page(), encoding="utf-8")
    (root / "f.rss").write_text(RSS, encoding="utf-8")
    (root / "notes.txt").write_text("Catatan pribadi tentang banjir yang terjadi tahun lalu.")
    lib = Library.open(root, tmp_path / "ix", variants=Path("/nonexistent"))
    rep = lib.update()
    assert len(rep.added) == 3 + 1 + 2 + 1
    assert (
        Skipped(
            "dumps/a.jsonl:4",
            "malformed JSON: Expecting property name enclosed in double quotes (column 2)",
        )
        in rep.skipped
    )
    assert {h.id for h in lib.search("outlet:tempo").hits} == {
        "dumps/a.jsonl#a1",
        "dumps/a.jsonl#a3",
    }
    in_october = lib.search("date:[2019-10-01 to 2019-10-31]")
    assert [h.id for h in in_october.hits] == ["dumps/a.jsonl#a2"]
    assert {h.id for h in lib.search("banjir").hits} >= {
        "dumps/a.jsonl#a2",
        "web/p.html",
        "notes.txt",
    }
    # Change one record: only it is re-indexed, its neighbours are unchanged.
    write_jsonl(
        root / "dumps" / "a.jsonl",
        [
            record(1, source="tempo", date="2019-09-10"),
            record(2, source="kompas", date="2019-10-01", body="Isi yang diperbarui."),
            record(3, source="tempo", date="2019-11-20"),
        ],
    )
    lib.close()
    rep = lib.update()
    assert rep.updated == ["dumps/a.jsonl#a2"] and rep.added == [] and rep.removed == []
    assert lib.article("dumps/a.jsonl#a2").text == "Isi yang diperbarui."


def test_record_limits_are_separate_from_the_text_limit(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [record(n) for n in range(50)])
    size = (tmp_path / "d.jsonl").stat().st_size
    small = Limits(max_text_bytes=200, max_records_bytes=size + 1)
    articles, skipped = read(tmp_path, "d.jsonl", small)
    assert len(articles) == 50 and skipped == []  # the file is larger than 200 bytes
    articles, skipped = read(tmp_path, "d.jsonl", Limits(max_records_bytes=size - 1))
    assert articles == [] and skipped[0].reason.startswith("too large")
    big = record(99, body="kata " * 100)
    write_jsonl(tmp_path / "e.jsonl", [big, record(1)])
    articles, skipped = read(tmp_path, "e.jsonl", Limits(max_text_bytes=200))
    assert [a.id for a in articles] == ["e.jsonl#a1"]
    assert skipped == [Skipped("e.jsonl:1", "the body is too large to be one article")]


def test_a_records_html_body_is_read_as_text(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "d.jsonl",
        [{"id": 1, "content": "<p>Satu &amp; dua.</p><p>Tiga.</p><script>x()</script>"}],
    )
    (a,), _ = read(tmp_path, "d.jsonl")
    assert a.text == "Satu & dua.\n\nTiga."
    assert all(p.kind != Kind.TITLE for p in a.paragraphs)


def test_a_guid_that_is_no_web_address_is_not_the_url(tmp_path: Path) -> None:
    """RSS takes a guid without isPermaLink="false" for the link; only an http(s) address
    is kept as the article's URL."""
    items = "".join(
        f"<item><title>Berita {n}</title>{guid}<description>Isi berita nomor {n} tentang "
        f"banjir di kota.</description></item>"
        for n, guid in enumerate(
            [
                "<guid>tag:example.com,2024:123</guid>",
                "<guid>12345</guid>",
                '<guid isPermaLink="false">abc-1</guid>',
                "<guid>https://x.example/berita-3</guid>",
                '<guid isPermaLink="false">urn:4</guid><link>https://x.example/4</link>',
            ]
        )
    )
    (tmp_path / "f.rss").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>K</title>{items}</channel></rss>',
        encoding="utf-8",
    )
    articles, _ = read(tmp_path, "f.rss")
    assert [a.meta.url for a in articles] == [
        None,
        None,
        None,
        "https://x.example/berita-3",
        "https://x.example/4",
    ]
    assert articles[0].id == "f.rss#tag:example.com,2024:123"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    text = "Banjir melanda Jakarta\n\nRibuan warga mengungsi — kata petugas, Senin (3/7).\n"
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    (a,), skipped = read(tmp_path, "a.txt")
    assert skipped == [] and a.text == text
    rows = [{"id": "1", "title": "Banjir", "body": "Ribuan warga mengungsi — kata petugas."}]
    (tmp_path / "b.jsonl").write_bytes(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode(encoding)
    )
    (b,), skipped = read(tmp_path, "b.jsonl")
    assert skipped == [] and b.text == rows[0]["body"] and b.meta.title == "Banjir"
    (tmp_path / "c.csv").write_bytes("id,title,body\n1,Banjir,Warga mengungsi.\n".encode(encoding))
    (c,), skipped = read(tmp_path, "c.csv")
    assert skipped == [] and c.text == "Warga mengungsi."


def test_binary_is_still_binary(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(bytes(range(256)) * 8)
    articles, skipped = read(tmp_path, "a.txt")
    assert articles == [] and skipped[0].reason == "binary file, not text"


def test_the_control_character_sniff_counts_unicode_controls_but_breaks_and_tabs() -> None:
    import sys
    import unicodedata

    from newsreader.index.ingest import decoding

    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        control = unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
        assert (decoding._CONTROL.match(ch) is not None) == control, hex(code)
    assert decoding._control_ratio("ab\x00\x85\n\t") == 2 / 6


def test_feed_entries_without_id_or_link_keep_their_key_when_the_feed_grows() -> None:
    from newsreader.index.ingest.readers.feed import parse_feed

    def rss(*descriptions: str) -> bytes:
        items = "".join(f"<item><description>{d}</description></item>" for d in descriptions)
        return f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()

    old = ["Banjir rob melanda pesisir utara.", "Harga cabai naik di pasar induk."]
    before = [e.key for e in parse_feed(rss(*old)).entries]
    after = [e.key for e in parse_feed(rss("Gempa kecil di selatan.", *old)).entries]
    # A new entry on top: the others are the same entries, not new ones.
    assert after[1:] == before and after[0] not in before


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # Short, with a few accented letters: charset-normalizer read it as Windows-1250
        # ("Crčme Brűlée").
        (
            "Kafe di Bandung Sajikan Crème Brûlée\n\nKafe baru di Bandung menyajikan crème"
            " brûlée dan café au lait untuk pengunjung.",
            "cp1252",
        ),
        ("“Kami siap,” kata dia – Jakarta, Senin.", "cp1252"),
        # Letters Windows-1252 has not: left to the guess, which reads them right.
        ("Zażółć gęślą jaźń, a tekst po polsku jest dłuższy niż się wydaje.", "cp1250"),
        ("Привет мир, это тест по-русски и ещё немного текста", "cp1251"),
    ],
)
def test_a_short_text_in_a_legacy_encoding_is_read_right(text: str, encoding: str) -> None:
    from newsreader.index.ingest.decoding import decode

    assert decode(text.encode(encoding)) == text
