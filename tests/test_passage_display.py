"""How a shared passage is shown: paragraph by paragraph, without the ".," a scraper joined
paragraphs with and without boilerplate inside it, while the passage's JSON text stays the
exact slice of the original."""

from __future__ import annotations

from newsreader.index import Comparison
from newsreader.index.ingest.document import parse_article
from newsreader.index.reuse.align import align, prepare
from newsreader.tui.cli.render import comparison
from newsreader.tui.layout import rows, side_text
from rich.console import Console

FIRST = (
    "Harga emas batangan produksi PT Aneka Tambang naik tajam pada perdagangan pagi ini "
    "menjadi Rp 678.000 per gram."
)
SECOND = (
    "Harga pembelian kembali emas Antam juga naik menjadi Rp 601.000 per gram menurut "
    "keterangan resmi perusahaan tambang milik negara itu kepada wartawan di Jakarta."
)
OTHER_A = "Pedagang di pasar tradisional mengeluhkan sepinya pembeli sepanjang pekan kemarin."
OTHER_B = "Wisatawan asing memadati pantai selatan menjelang libur panjang akhir tahun."
OTHER_C = "Sekolah dasar negeri di kota itu kekurangan guru honorer sejak awal semester ganjil."


def _flat(*paragraphs: str) -> str:
    return ".,".join(p.rstrip(".") for p in paragraphs) + "."


def _pair(analyzer, text_a: str, text_b: str):
    a = parse_article("a", "a", text_a, analyzer.vocabulary)
    b = parse_article("b", "b", text_b, analyzer.vocabulary)
    return a, b, align(prepare(a, analyzer), prepare(b, analyzer), analyzer)


def test_scraped_joiners_never_show_inside_a_passage(analyzer) -> None:
    a, b, al = _pair(analyzer, _flat(OTHER_A, FIRST, SECOND), _flat(FIRST, SECOND, OTHER_B))
    assert len(a.paragraphs) >= 3 and al.passages
    passage = al.passages[0]
    # The JSON text is the exact slice, joiner and all ...
    assert passage.a_text == a.text[passage.a_start : passage.a_end]
    assert "gram.," in passage.a_text
    # ... the display is not.
    (row,) = [r for r in rows(al, a, b) if r.passage is passage]
    for side, article in (("a", a), ("b", b)):
        shown = side_text(article.text, row, side).plain
        assert "gram.\n\nHarga" in shown
        assert ".," not in shown and "\n," not in shown


def test_boilerplate_inside_a_passage_is_left_out_of_the_display(analyzer) -> None:
    noise = "Baca juga: Harga Emas Antam Hari Ini"
    text_a = f"{OTHER_A}\n\n{FIRST}\n\n{noise}\n\n{SECOND}\n"
    text_b = f"{FIRST}\n\n{SECOND}\n\n{OTHER_B}\n"
    a, b, al = _pair(analyzer, text_a, text_b)
    assert any(p.boilerplate for p in a.paragraphs)
    for row in rows(al, a, b):
        if row.passage is not None:
            assert "Baca juga" not in side_text(a.text, row, "a").plain


def test_highlights_follow_the_paragraph_pieces(analyzer) -> None:
    changed = SECOND.replace("wartawan", "pers")
    a, b, al = _pair(analyzer, _flat(OTHER_A, FIRST, SECOND), _flat(FIRST, changed, OTHER_B))
    (row,) = [r for r in rows(al, a, b) if r.passage is not None]
    shown = side_text(a.text, row, "a")
    marked = {shown.plain[s.start : s.end] for s in shown.spans if s.style != shown.style}
    assert "wartawan" in marked


def test_unshared_text_is_shown_per_paragraph_too(analyzer) -> None:
    a, b, al = _pair(
        analyzer, _flat(OTHER_A, OTHER_C, FIRST, SECOND), _flat(FIRST, SECOND, OTHER_B)
    )
    first = rows(al, a, b)[0]
    assert first.passage is None
    shown = side_text(a.text, first, "a").plain
    assert ".," not in shown and "kemarin.\n\nSekolah" in shown


def test_rich_comparison_shows_no_joiners(analyzer) -> None:
    a, b, al = _pair(analyzer, _flat(OTHER_A, FIRST, SECOND), _flat(FIRST, SECOND, OTHER_B))
    console = Console(width=160, record=True, color_system=None)
    console.print(comparison(Comparison(a, b, al)))
    out = console.export_text()
    assert "gram.," not in out and "gram. ," not in out
