"""Passage alignment on the sample corpus, plus properties that must hold for any text."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index import AlignSettings, Library
from newsreader.index.reuse.align import align, prepare_text
from newsreader.index.text.analysis import Analyzer

from tests.conftest import sample_id

# Two sentences of one local story, and one of another: text for alignments built here.
BRIDGE = (
    "Gubernur Jawa Barat meresmikan jembatan gantung yang menghubungkan dua desa "
    "terpencil di kabupaten Garut setelah pembangunan selama tiga tahun."
)
MARKET = (
    "Warga setempat menyambut gembira karena waktu tempuh ke pasar kecamatan kini "
    "berkurang dari dua jam menjadi lima belas menit saja."
)
FOOTBALL = (
    "Sementara itu, tim sepak bola daerah memenangkan pertandingan final melawan "
    "tamu dari Sulawesi dengan skor tiga lawan satu di stadion utama yang penuh."
)


def compare(lib: Library, a: str, b: str):
    return lib.compare(sample_id(a), sample_id(b))


def paragraphs_covered(text: str, spans: list[tuple[int, int]]) -> set[str]:
    """The paragraphs (lines) of `text` that lie mostly inside the spans."""
    out = set()
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        inside = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
        if inside >= 0.8 * len(line):
            out.add(line)
    return out


def test_two_translations_share_their_common_paragraphs(sample_library: Library) -> None:
    cmp = compare(sample_library, "000", "001")
    a = cmp.a.text
    covered = paragraphs_covered(a, [(p.a_start, p.a_end) for p in cmp.alignment.passages])
    paragraphs = [ln for ln in a.split("\n") if ln.strip()]
    # The first ten paragraphs of 000 are the story 001 translates, each of them shared.
    assert all(p in covered for p in paragraphs[:10])
    # The Erdogan, Lukashenko and Central Asia section is only in 000.
    for only_a in ("Erdogan memberi tahu", "Lukashenko mengatakan", "Turkmenistan yang bukan"):
        assert not any(only_a in p for p in covered)
    assert 0.45 < cmp.alignment.coverage_a < 0.65
    assert cmp.alignment.coverage_b > 0.85


def test_a_self_repeat_is_not_aligned_again(sample_library: Library) -> None:
    # 001 carries the story twice (the second copy repeats the page's own paragraphs, which
    # the reader hides). Passages never overlap, so 000's text pairs with the first copy only.
    cmp = compare(sample_library, "000", "001")
    b = cmp.b.text
    first = b.index("Putin mengatakan SCO")
    second = b.index("Putin mengatakan SCO", first + 1)
    passages = cmp.alignment.passages
    assert any(abs(p.b_start - first) < 5 for p in passages)
    assert not any(p.b_start <= second < p.b_end for p in passages)
    a_text = cmp.a.text
    start = a_text.index("Putin mengatakan SCO")
    assert sum(1 for p in passages if p.a_start <= start < p.a_end) == 1


def test_translation_variants_are_equal_words_but_shown_as_changes(sample_library: Library) -> None:
    cmp = compare(sample_library, "000", "001")
    a, b = cmp.a.text, cmp.b.text
    changes = {
        (a[o.a_start : o.a_end], b[o.b_start : o.b_end])
        for p in cmp.alignment.passages
        for o in p.ops
        if o.op != "equal"
    }
    assert ("Tiongkok", "China") in changes
    assert ("penyeimbang", "tandingan terhadap") in changes
    assert ("sahabat", "teman") in changes


def test_quotes_reused_with_small_changes(sample_library: Library) -> None:
    cmp = compare(sample_library, "000", "002")
    passages = cmp.alignment.passages
    assert 2 <= len(passages) <= 5
    joined_b = " ".join(p.b_text for p in passages)
    assert "tidak menciptakan blok atau aliansi" in joined_b
    assert "menjunjung tinggi aspirasi awal persahabatan" in joined_b
    changes = {
        (cmp.a.text[o.a_start : o.a_end], cmp.b.text[o.b_start : o.b_end])
        for p in passages
        for o in p.ops
        if o.op != "equal"
    }
    assert ("kerja sama", "kerjasama") in changes
    assert ("terbaiknya", "terbaik") in changes


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("000", "003"),
        ("000", "004"),
        ("001", "003"),
        ("001", "004"),
        ("002", "003"),
        ("002", "004"),
        ("003", "004"),
    ],
)
def test_different_events_share_nothing(sample_library: Library, a: str, b: str) -> None:
    cmp = compare(sample_library, a, b)
    assert cmp.alignment.passages == ()
    assert cmp.alignment.coverage_a == cmp.alignment.coverage_b == 0


def test_boilerplate_never_forms_passages(analyzer: Analyzer) -> None:
    noise = "Baca juga: Putin bertemu Xi Jinping di Beijing membahas kerja sama ekonomi\n"
    a = prepare_text("Cuaca cerah di Bandung hari ini.\n" + noise * 3, analyzer)
    b = prepare_text("Harga beras naik di pasar Cianjur.\n" + noise * 3, analyzer)
    assert align(a, b, analyzer).passages == ()


def test_shared_names_alone_are_not_a_passage(analyzer: Analyzer) -> None:
    a = prepare_text(
        "Presiden Rusia Vladimir Putin dan Presiden China Xi Jinping tiba "
        "untuk menghadiri upacara peresmian bendungan baru.",
        analyzer,
    )
    b = prepare_text(
        "Menurut laporan, Presiden Rusia Vladimir Putin dan Presiden China Xi "
        "Jinping membicarakan harga gandum dunia yang terus naik.",
        analyzer,
    )
    assert align(a, b, analyzer).passages == ()


def test_minimum_length_is_configurable(analyzer: Analyzer) -> None:
    a = prepare_text(
        "Pemerintah menaikkan harga bahan bakar minyak bersubsidi mulai besok "
        "pagi di seluruh Indonesia.",
        analyzer,
    )
    b = prepare_text(
        "Kabar terbaru: harga bahan bakar minyak bersubsidi mulai besok naik, kata menteri.",
        analyzer,
    )
    assert align(a, b, analyzer).passages == ()
    # ("bahan bakar minyak" is one term, "bbm")
    short = AlignSettings(min_words=4, min_common_words=3, min_score=4.0)
    assert len(align(a, b, analyzer, short).passages) == 1


def test_unrelated_text_between_passages_is_not_swallowed(analyzer: Analyzer) -> None:
    a = prepare_text(f"{BRIDGE}\n{FOOTBALL}\n{MARKET}", analyzer)
    b = prepare_text(f"{BRIDGE}\n{MARKET}", analyzer)
    al = align(a, b, analyzer)
    assert len(al.passages) == 2
    for p in al.passages:
        assert "sepak bola" not in p.a_text


def test_longer_passages_do_not_swallow_an_inserted_paragraph(analyzer: Analyzer) -> None:
    # Asking for longer passages (--min-words 12) once joined two passages across a short
    # paragraph only A has, so A's shared share rose when it should only ever fall.
    inserted = "Tim sepak bola daerah memenangkan pertandingan final di stadion utama kemarin."
    a = prepare_text(f"{BRIDGE}\n{inserted}\n{MARKET}", analyzer)
    b = prepare_text(f"{BRIDGE}\n{MARKET}", analyzer)
    for min_words in (8, 12):
        al = align(a, b, analyzer, AlignSettings(min_words=min_words))
        assert len(al.passages) == 2
        assert not any("sepak bola" in p.a_text for p in al.passages)


def test_longer_passages_never_share_more(analyzer: Analyzer) -> None:
    # Two sentences of ten words in the opposite order, far apart: with --min-words 12 they
    # were joined into one jumbled passage over the text between them.
    s1 = (
        "Gubernur Jawa Barat meresmikan jembatan gantung penghubung dua desa terpencil "
        "Kabupaten Garut."
    )
    s2 = "Warga setempat menyambut gembira waktu tempuh menuju pasar kecamatan berkurang drastis."
    a_filler = "Tim sepak bola daerah memenangkan pertandingan final di stadion utama kemarin."
    b_filler = "Harga cabai merah di pasar induk naik tajam menjelang musim hujan tahun ini."
    a = prepare_text(f"{s1} {a_filler} {s2}", analyzer)
    b = prepare_text(f"{s2} {b_filler} {s1}", analyzer)
    short = align(a, b, analyzer, AlignSettings(min_words=8))
    long = align(a, b, analyzer, AlignSettings(min_words=12))
    assert len(short.passages) == 2
    assert long.coverage_a <= short.coverage_a and long.coverage_b <= short.coverage_b
    assert not any("sepak bola" in p.a_text for p in long.passages)


def test_the_stray_let_go_is_the_lone_pair_not_the_run_beside_it() -> None:
    from newsreader.index.reuse.align import _stray

    run = [(43 + k, 34 + k) for k in range(5)]  # five words in a row in both articles
    lone = (68, 12)  # 20 words on in A, 22 words before in B
    assert _stray([*run, lone]) == {lone}
    assert _stray(run) == set()


def test_a_stray_word_pair_does_not_stretch_a_passage(analyzer: Analyzer) -> None:
    # A's closing words are B's opening ones: a jumbled merge took them in, and A's passage
    # ran on over the unrelated sentence between.
    a = prepare_text(f"{BRIDGE} {MARKET} {FOOTBALL} Upacara peresmian gubernur.", analyzer)
    b = prepare_text(f"Upacara peresmian. {BRIDGE} {MARKET}", analyzer)
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.startswith("Gubernur") and passage.a_text.endswith("saja.")
    assert passage.b_text.startswith("Gubernur")


def test_paraphrased_copy_planted_in_unrelated_article_is_found(analyzer: Analyzer) -> None:
    source = (
        "Badan Meteorologi memperingatkan bahwa hujan lebat disertai angin kencang "
        "akan melanda wilayah pesisir selatan Jawa selama tiga hari ke depan, sehingga "
        "nelayan diminta tidak melaut dan warga di daerah rawan longsor diminta "
        "waspada terhadap kemungkinan banjir bandang."
    )
    paraphrase = (
        "Badan Meteorologi mengingatkan bahwa hujan deras disertai angin kencang "
        "bakal melanda kawasan pesisir selatan Jawa selama tiga hari mendatang, "
        "sehingga para nelayan diminta tidak melaut dan penduduk di daerah rawan "
        "longsor diminta waspada terhadap kemungkinan banjir bandang."
    )
    host = (
        "Harga cabai merah di pasar induk melonjak tajam menjelang akhir pekan. "
        "Pedagang mengaku pasokan dari petani berkurang.\n"
        f"{paraphrase}\n"
        "Dinas perdagangan berjanji menggelar operasi pasar untuk menstabilkan harga."
    )
    other = (
        "Tim nasional bulu tangkis berangkat ke Denmark untuk turnamen terbuka.\n"
        f"{source}\nPelatih berharap para pemain pulang membawa gelar juara."
    )
    al = align(prepare_text(host, analyzer), prepare_text(other, analyzer), analyzer)
    assert len(al.passages) == 1
    p = al.passages[0]
    start = host.index(paraphrase)
    assert abs(p.a_start - start) <= 2 and abs(p.a_end - (start + len(paraphrase))) <= 2
    assert "cabai" not in p.a_text and "bulu tangkis" not in p.b_text
    assert 0.6 < p.score < 1


def test_a_passage_runs_across_paragraph_breaks(analyzer: Analyzer) -> None:
    # Three paragraphs reused with their lines broken differently, a few words changed, and
    # a sentence inserted on one side right where the other starts a new paragraph: one
    # reused block, so one passage over all of it on both sides.
    shared = [
        "Pemerintah kota Surabaya membuka pendaftaran beasiswa bagi mahasiswa dari "
        "keluarga kurang mampu mulai pekan depan.",
        "Setiap penerima akan mendapat bantuan biaya kuliah penuh selama empat semester "
        "serta uang saku bulanan yang dibayarkan langsung ke rekening mereka.",
        "Wali kota berharap program ini mengurangi jumlah mahasiswa yang berhenti kuliah "
        "karena tidak sanggup membayar uang semester di tengah harga kebutuhan pokok "
        "yang terus naik.",
    ]
    changed = [
        shared[0].replace("kurang", "tidak").replace("pekan", "minggu"),
        shared[1].replace("Setiap", "Tiap").replace("akan mendapat", "bakal memperoleh"),
        shared[2],
    ]
    inserted = (
        "Formulir dapat diisi secara daring melalui laman resmi dinas pendidikan hingga "
        "akhir bulan."
    )
    a_text = (
        "Hujan deras mengguyur kawasan pelabuhan sejak dini hari dan menggenangi gudang "
        "ekspor.\n" + "\n".join(shared) + "\nPertandingan final liga voli putri akan "
        "disiarkan langsung dari gelanggang olahraga kota Malang."
    )
    b_text = (
        "Harga emas batangan di pegadaian turun tipis pada perdagangan akhir pekan ini.\n"
        f"{changed[0]} {inserted} {changed[1]}\n{changed[2]}\nKomisi pemilihan umum "
        "mengumumkan jadwal debat calon kepala daerah untuk bulan depan."
    )
    a, b = prepare_text(a_text, analyzer), prepare_text(b_text, analyzer)
    al = align(a, b, analyzer)
    assert len(al.passages) == 1
    p = al.passages[0]
    assert (p.a_start, p.a_end) == (
        a_text.index(shared[0]),
        a_text.index(shared[2]) + len(shared[2]),
    )
    assert (p.b_start, p.b_end) == (
        b_text.index(changed[0]),
        b_text.index(changed[2]) + len(changed[2]),
    )
    assert p.a_text.count("\n") == 2 and p.b_text.count("\n") == 1
    # The inserted sentence is a difference inside the passage, not a break in it.
    assert any(
        o.op in ("insert", "replace") and inserted in b_text[o.b_start : o.b_end] for o in p.ops
    )
    assert align(b, a, analyzer) == al.swapped()


def test_a_reworded_passage_is_one_passage(analyzer: Analyzer) -> None:
    # Every second or third word swapped for a synonym: few runs of three equal words are
    # left, yet it is one reused passage, and the swaps show as word-level changes.
    source = (
        "Petugas pemadam kebakaran berhasil menjinakkan api yang membakar gudang kayu "
        "milik pengusaha lokal setelah berjuang selama lima jam. Kepolisian masih "
        "menyelidiki penyebab kebakaran, namun dugaan sementara berasal dari korsleting "
        "listrik di ruang penyimpanan. Kerugian ditaksir mencapai ratusan juta rupiah."
    )
    reworded = (
        "Regu pemadam kebakaran sukses menjinakkan nyala yang melalap gudang kayu "
        "kepunyaan pengusaha setempat sesudah berjuang sepanjang lima jam. Aparat masih "
        "menelusuri penyebab kebakaran, tetapi perkiraan awal bersumber dari korsleting "
        "listrik pada ruang penyimpanan. Kerugian diperkirakan menyentuh ratusan juta "
        "rupiah."
    )
    host_a = (
        "Tim bulu tangkis nasional berangkat ke Denmark untuk turnamen terbuka.\n"
        f"{reworded}\nHarga cabai di pasar induk kembali naik menjelang akhir pekan."
    )
    host_b = (
        f"{source}\nPelatih tim sepak bola daerah mengumumkan susunan pemain untuk laga "
        "perdana musim depan."
    )
    a, b = prepare_text(host_a, analyzer), prepare_text(host_b, analyzer)
    al = align(a, b, analyzer)
    assert len(al.passages) == 1
    p = al.passages[0]
    # From the first shared word ("pemadam") to the end, on both sides.
    assert (p.a_start, p.a_end) == (host_a.index("pemadam"), host_a.index(reworded) + len(reworded))
    assert (p.b_start, p.b_end) == (source.index("pemadam"), len(source))
    changes = {
        (host_a[o.a_start : o.a_end], host_b[o.b_start : o.b_end]) for o in p.ops if o.op != "equal"
    }
    assert ("sukses", "berhasil") in changes and ("menelusuri", "menyelidiki") in changes
    assert align(b, a, analyzer) == al.swapped()


# -- properties ----------------------------------------------------------------------------

_INDONESIAN = """
rumah sakit umum daerah menerima pasien banjir bandang dari desa sekitar sungai gubernur
meninjau lokasi pengungsian bantuan logistik dikirim tentara relawan pemerintah pusat anggaran
darurat sekolah ditutup sementara listrik padam jalan rusak jembatan putus warga mengungsi ke
masjid balai kota
"""
_UNRELATED = """
quantum zebra violin glacier nebula tundra orchid saxophone lantern meteor harbor walrus
compass falcon prism
"""
WORDS = tuple(_INDONESIAN.split())
OTHER = tuple(_UNRELATED.split())


def sentences(words: tuple[str, ...], min_size: int = 1) -> st.SearchStrategy[str]:
    sentence = st.lists(st.sampled_from(words), min_size=4, max_size=14).map(
        lambda ws: " ".join(ws).capitalize() + "."
    )
    paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
    return st.lists(paragraph, min_size=min_size, max_size=5).map("\n".join)


PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(sentences(WORDS), sentences(WORDS))
def test_offsets_are_valid_and_texts_exact(analyzer: Analyzer, ta: str, tb: str) -> None:
    al = align(prepare_text(ta, analyzer), prepare_text(tb, analyzer), analyzer)
    for p in al.passages:
        assert 0 <= p.a_start < p.a_end <= len(ta)
        assert 0 <= p.b_start < p.b_end <= len(tb)
        assert ta[p.a_start : p.a_end] == p.a_text
        assert tb[p.b_start : p.b_end] == p.b_text
        for o in p.ops:
            assert p.a_start <= o.a_start <= o.a_end <= p.a_end
            assert p.b_start <= o.b_start <= o.b_end <= p.b_end
            assert o.op in {"equal", "replace", "insert", "delete"}
    assert 0 <= al.coverage_a <= 1 and 0 <= al.coverage_b <= 1


@PROPS
@given(sentences(WORDS), sentences(WORDS), st.integers(min_value=2, max_value=16))
def test_passages_never_overlap_and_honour_min_words(
    analyzer: Analyzer, ta: str, tb: str, min_words: int
) -> None:
    # Repeats on both sides make many candidate passages claim the same words.
    a = prepare_text(ta + "\n" + ta, analyzer)
    b = prepare_text(tb + "\n" + ta, analyzer)
    settings = AlignSettings(min_words=min_words, min_common_words=min(4, min_words))
    al = align(a, b, analyzer, settings)
    for p in al.passages:
        assert p.shared_words >= min_words
        # No more than it shows as shared: words matched (equal, or one word's spellings).
        shown = sum(
            len(analyzer.content_terms(a.text[o.a_start : o.a_end]))
            for o in p.ops
            if o.op == "equal" or (o.op == "replace" and _same_terms(analyzer, a.text, b.text, o))
        )
        assert p.shared_words <= shown
    for side in ("a", "b"):
        spans = sorted(
            (getattr(p, f"{side}_start"), getattr(p, f"{side}_end")) for p in al.passages
        )
        for (_, end), (start, _) in pairwise(spans):
            assert end <= start


def _same_terms(analyzer: Analyzer, ta: str, tb: str, o) -> bool:
    terms = [t.text for t in analyzer.content_terms(ta[o.a_start : o.a_end])]
    return terms == [t.text for t in analyzer.content_terms(tb[o.b_start : o.b_end])]


@PROPS
@given(sentences(WORDS), sentences(WORDS))
def test_compare_b_a_mirrors_compare_a_b(analyzer: Analyzer, ta: str, tb: str) -> None:
    a, b = prepare_text(ta, analyzer), prepare_text(tb, analyzer)
    assert align(b, a, analyzer) == align(a, b, analyzer).swapped()


@PROPS
@given(sentences(WORDS, min_size=2))
def test_identical_texts_give_full_coverage(analyzer: Analyzer, text: str) -> None:
    side = prepare_text(text, analyzer)
    content = [t for t in side.tokens]
    if len(content) < AlignSettings().min_words:
        return  # too short to be a passage at all
    al = align(side, prepare_text(text, analyzer), analyzer)
    assert al.coverage_a == 1.0 and al.coverage_b == 1.0


@PROPS
@given(sentences(WORDS), sentences(OTHER))
def test_no_shared_words_no_passage(analyzer: Analyzer, ta: str, tb: str) -> None:
    al = align(prepare_text(ta, analyzer), prepare_text(tb, analyzer), analyzer)
    assert al.passages == () and al.coverage_a == 0 and al.coverage_b == 0


def test_planted_passages_in_random_articles(analyzer: Analyzer) -> None:
    """A copy planted at a random place in filler of another vocabulary is found exactly."""
    rng = random.Random(7)
    for _ in range(20):
        passage = " ".join(rng.choice(WORDS) for _ in range(rng.randint(15, 40))) + "."
        before = " ".join(rng.choice(OTHER) for _ in range(rng.randint(0, 60)))
        after = " ".join(rng.choice(OTHER) for _ in range(rng.randint(0, 60)))
        host = f"{before} {passage} {after}".strip()
        al = align(prepare_text(host, analyzer), prepare_text(passage, analyzer), analyzer)
        assert len(al.passages) >= 1
        start = host.index(passage)
        assert min(p.a_start for p in al.passages) == start
        assert max(p.a_end for p in al.passages) == start + len(passage)
        assert al.coverage_b == 1.0


SHARED_QUOTE = (
    '"Ya betul, kita sedang mendata jumlah masing-masing mahasiswa dari setiap daerah yang '
    'pulang kampung namun ingin kembali belajar," kata Eko saat dihubungi dari Jakarta, '
    "Selasa (10/9"
)


def test_a_passage_never_ends_inside_a_date(analyzer: Analyzer) -> None:
    # One article dates the quote (10/9/2019), the other (10/9): the analysis splits dates
    # into words, and the passage ended at the 9, with "(10/9" in it and "/2019)." out.
    a = prepare_text(f"{SHARED_QUOTE}/2019).\n\nCuaca hari itu cerah sekali.", analyzer)
    b = prepare_text(f"{SHARED_QUOTE}).\n\nHarga cabai naik di pasar induk.", analyzer)
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.endswith("Selasa (10/9/2019).")
    assert passage.b_text.endswith("Selasa (10/9).")


def test_a_passage_leaves_the_next_paragraphs_opening_quote(analyzer: Analyzer) -> None:
    # Scraped text glues paragraphs with ".," and the next one may open with a quote.
    a = prepare_text(f'{SHARED_QUOTE}).,"Semua relawan sudah dikerahkan," ujarnya.', analyzer)
    b = prepare_text(f'{SHARED_QUOTE}).,"Harga cabai naik lagi," kata pedagang.', analyzer)
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.endswith("(10/9).,")
    assert passage.b_text.endswith("(10/9).,")


def test_one_word_past_a_long_unshared_stretch_is_not_part_of_the_passage(
    analyzer: Analyzer,
) -> None:
    # A chance match ("kontak") after a sentence only A has, against a two-word heading of
    # B, stretched the passage over the sentence. Long articles on other subjects around it
    # make a chance match cheap to link, as in the text-reuse corpus where it was seen.
    shared = (
        "Misi diplomatik Jepang yang pertama ke Eropa berangkat dengan kapal uap menuju "
        "Marseille dan tiba di Paris pada musim semi tahun 1862."
    )
    rnd = random.Random(1)
    farm = [
        "padi",
        "sawah",
        "petani",
        "panen",
        "hujan",
        "musim",
        "pupuk",
        "irigasi",
        "gabah",
        "harga",
        "beras",
        "desa",
    ]
    money = [
        "saham",
        "bursa",
        "investor",
        "indeks",
        "modal",
        "laba",
        "emiten",
        "dividen",
        "obligasi",
        "rupiah",
        "dolar",
    ]

    def around(words: list[str]) -> str:
        return "\n\n".join(" ".join(rnd.choice(words) for _ in range(30)) + "." for _ in range(8))

    a_around, b_around = around(farm), around(money)
    a = prepare_text(
        f"{a_around}\n\n{shared} Selama kotak hitam belum ditemukan, penyidik hanya bisa "
        f"berpedoman pada data yang dikirimkan pesawat sebelum hilang kontak.\n\n{a_around}",
        analyzer,
    )
    b = prepare_text(f"{b_around}\n\n{shared}\n\nLatar belakang: kontak.\n\n{b_around}", analyzer)
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.endswith("tahun 1862.")
    assert passage.b_text.endswith("tahun 1862.")


def test_a_stock_attribution_alone_is_no_passage(analyzer: Analyzer) -> None:
    # Two reports of one outlet on unrelated subjects end their quotes with the same
    # formula: it made them "related".
    stamp = "ucap dia sesuai keterangan rilis yang Kompas.com terima, Senin (16/9/2019)."
    a = prepare_text(
        f'"Kalau daerahnya sedikit duitnya sedikit, kalau banyak ya banyak," {stamp}\n\n'
        "Pemerintah provinsi meminta dana alokasi umum dihitung dari jumlah penduduk.",
        analyzer,
    )
    b = prepare_text(
        f'"Mudah-mudahan pemain baru membangkitkan harapan klub musim ini," {stamp}\n\n'
        "Pelatih tim sepak bola itu memuji latihan para pemain pada sore hari.",
        analyzer,
    )
    assert align(a, b, analyzer).passages == ()
    # Inside a passage that is shared, the formula is part of it.
    shared = (
        '"Bantuan air bersih sudah dikirim ke tiga desa yang kekeringan sejak bulan lalu dan'
        ' warga diminta menghemat persediaan," '
    )
    a = prepare_text(f"{shared}{stamp}\n\nCuaca cerah sepanjang hari.", analyzer)
    b = prepare_text(f"{shared}{stamp}\n\nHarga cabai naik di pasar.", analyzer)
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.endswith("Senin (16/9/2019).")


def test_a_passage_begins_and_ends_on_what_both_articles_say(analyzer: Analyzer) -> None:
    # A clause early in A and further on in B (matched crosswise) opened the passage in A
    # as a deletion: a third of the passages of 2,000 CLICK-ID articles opened or closed on
    # one article's words.
    clause = "bekerja sama dengan pihak imigrasi di negara tempat dia berada"
    first = (
        "Direktur Jenderal Imigrasi Ronny Sompie mengatakan pihaknya telah menerima surat"
        " permintaan pencegahan dan pencabutan paspor dari polisi pada pekan lalu"
    )
    then = (
        "Untuk memudahkan kepulangannya, imigrasi akan berkoordinasi dengan perwakilan di"
        " luar negeri dan keluarga yang bersangkutan secepatnya"
    )
    a = prepare_text(f"Cuaca cerah.\n\nPetugas akan {clause}. {first}. {then}.\n\nAkhir.", analyzer)
    b = prepare_text(
        f"Banjir.\n\n{first}. Selanjutnya mereka akan {clause}. {then}.\n\nSepi.", analyzer
    )
    (passage,) = align(a, b, analyzer).passages
    assert passage.a_text.startswith("Direktur") and passage.b_text.startswith("Direktur")
    assert passage.ops[0].op == passage.ops[-1].op == "equal"


def test_a_figure_differs_whole(analyzer: Analyzer) -> None:
    # "27,5 poin" against "tipis 5 poin" showed as "[tipis⇒27] 5", its 5 matched to the 5.
    text = (
        "Rupiah pada perdagangan sore ini ditutup menguat {} poin ke level Rp{} per dolar AS"
        " setelah sempat melemah pada pembukaan pasar pagi tadi."
    )
    a = prepare_text("Cerah.\n\n" + text.format("27,5", "14.100") + "\n\nAkhir.", analyzer)
    b = prepare_text("Hujan.\n\n" + text.format("tipis 5", "14.150") + "\n\nSepi.", analyzer)
    (passage,) = align(a, b, analyzer).passages
    changed = [
        (a.text[o.a_start : o.a_end], b.text[o.b_start : o.b_end])
        for o in passage.ops
        if o.op != "equal"
    ]
    assert changed == [("27,5", "tipis 5"), ("14.100", "14.150")]


def test_an_institution_or_a_law_named_alone_is_no_passage(analyzer: Analyzer) -> None:
    # Two unrelated reports name the same court and law in full: a passage of 8 and 10
    # words, all written with capitals (a QA pass: 8 of the 10 least covered pairs of
    # 2,000 CLICK-ID articles were such names, titles and laws).
    law = "Undang-Undang Nomor 30 Tahun 2002 tentang Komisi Pemberantasan Tindak Pidana Korupsi"
    court = "Pengadilan Negeri Jakarta Pusat, Selasa (10/9/2019)."
    # Each word is written in lower case too, elsewhere in the article: no name then.
    a = prepare_text(
        f"Sidang perkara suap digelar di {court}\n\nTerdakwa menolak dakwaan jaksa.\n\n"
        f"Revisi {law} dibahas pekan ini.\n\nAnggota komisi mengusulkan nomor urut baru. Tiap"
        " tahun pengadilan negeri di pusat kota memeriksa ratusan tindak pidana korupsi, kata"
        " dia pada selasa pagi tentang pemberantasan dan undang-undang.",
        analyzer,
    )
    b = prepare_text(
        f"Gugatan perdata pedagang pasar didaftarkan di {court}\n\nPara pedagang menuntut "
        f"ganti rugi.\n\nPegawai menolak revisi {law} karena melemahkan penyidikan.\n\n"
        "Warga selasa lalu berunjuk rasa.\n\nSetiap undang-undang diuji. Di pusat pasar,"
        " nomor lapak diundi tahun depan; pemberantasan pungutan liar oleh komisi daerah"
        " juga dibahas, seperti tindak pidana lain di pengadilan negeri.",
        analyzer,
    )
    assert align(a, b, analyzer).passages == ()
    # In lower case, the same words in a row are shared text.
    shared = law.lower() + " dan " + court.lower()
    a = prepare_text(f"Sidang dibuka.\n\nMenurut {shared}\n\nTerdakwa diam.", analyzer)
    b = prepare_text(f"Pasar ramai.\n\nMenurut {shared}\n\nHarga naik.", analyzer)
    assert len(align(a, b, analyzer).passages) == 1


def test_verses_quoted_with_vowel_signs_align_as_words(analyzer: Analyzer) -> None:
    # Two articles quoting different verses (Arabic with its vowel signs) shared a
    # "passage" of single letters: the marks cut every word into its letters.
    fatiha = (
        "بِسْمِ اللَّهِ الرَّحْمَنِ الرَّحِيمِ الْحَمْدُ لِلَّهِ رَبِّ الْعَالَمِينَ الرَّحْمَنِ"
        " الرَّحِيمِ مَالِكِ يَوْمِ الدِّينِ إِيَّاكَ نَعْبُدُ وَإِيَّاكَ نَسْتَعِينُ"
    )
    ikhlas = "قُلْ هُوَ اللَّهُ أَحَدٌ اللَّهُ الصَّمَدُ لَمْ يَلِدْ وَلَمْ يُولَدْ وَلَمْ يَكُنْ لَهُ كُفُوًا أَحَدٌ"
    a = prepare_text(f"Doa sebelum makan dibaca bersama.\n{fatiha}\n", analyzer)
    b = prepare_text(f"Tujuan pernikahan menurut ulama.\n{ikhlas}\n", analyzer)
    assert align(a, b, analyzer).passages == ()
    c = prepare_text(f"Surat pembuka dibaca di awal.\n{fatiha}\n", analyzer)
    (passage,) = align(a, c, analyzer).passages
    assert fatiha in a.text[passage.a_start : passage.a_end]
