"""Word substitutions learned from shared passages: which ones are recorded, how they are
counted and kept beside the index, how later alignments use them, and promoting one into
the user's variants file."""

from __future__ import annotations

import json
import random
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest
from newsreader.index import Library, promote_variant
from newsreader.index.errors import ConfigError
from newsreader.index.reuse.align import align, prepare_text
from newsreader.index.reuse.learned import (
    MAX_GROUP,
    LearnedVariants,
    learned_path,
    substitutions,
)
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.vocabulary import load_vocabulary

from tests.conftest import newsreader_bin

# A long shared passage in which one word is swapped for another (WORD_A / WORD_B).
BASE = (
    "Komisi pemilihan umum daerah menetapkan jadwal pendaftaran calon legislatif yang baru "
    "setelah rapat pleno panjang bersama partai peserta pemilu di kantor pusat provinsi. "
    "Ketua komisi menjelaskan bahwa keputusan {w} itu diambil karena banyak berkas "
    "persyaratan belum lengkap dan petugas membutuhkan waktu tambahan untuk memeriksa "
    "dokumen satu per satu sebelum masa kampanye dimulai bulan depan."
)
FILLER = [
    "Harga cabai merah di pasar induk melonjak tajam menjelang akhir pekan panjang ini.",
    "Tim sepak bola kebanggaan kota itu menang tipis dalam laga tandang semalam.",
    "Warga bantaran sungai mulai mengungsi karena hujan deras tidak kunjung reda.",
    "Sekolah dasar negeri kekurangan guru honorer sejak awal semester ganjil lalu.",
    "Penerbangan ke pulau timur ditunda akibat cuaca buruk dan angin kencang.",
    "Petani kopi di lereng gunung memanen lebih awal karena kemarau berkepanjangan.",
]


# The word before the swap, one per pair: support is counted over distinct contexts.
CONTEXTS = ("resmi", "darurat", "final", "sementara", "tertulis", "bulat")


def _pair_texts(k: int, context: str | None = None) -> tuple[str, str]:
    before = CONTEXTS[k % len(CONTEXTS)] if context is None else context
    a = f"{FILLER[k % len(FILLER)]}\n\n{BASE.format(w=f'{before} tandingan')}\n"
    b = f"{BASE.format(w=f'{before} penyeimbang')}\n\n{FILLER[(k + 3) % len(FILLER)]}\n"
    return a, b


def test_a_one_word_swap_inside_a_confident_passage_is_recorded(analyzer: Analyzer) -> None:
    a, b = _pair_texts(0)
    al = align(prepare_text(a, analyzer), prepare_text(b, analyzer), analyzer)
    found = substitutions(al, analyzer)
    assert len(found) == 1
    term_a, term_b, spelling_a, spelling_b = found[0]
    assert (spelling_a, spelling_b) == ("tandingan", "penyeimbang")
    assert term_a != term_b


@pytest.mark.parametrize(
    ("word_a", "word_b"),
    [
        ("Tiongkok", "China"),  # a variant spelling: already one term
        ("tandingan", "tandingannya"),  # an inflection: one stem
        ("2019", "2020"),  # numbers are no words
        ("tandingan", "yang penyeimbang baru"),  # more than one word on a side
        # Names, acronyms, tickers: two entities in one template (stock reports, a person's
        # title for their name, two parts of one name).
        ("Jokowi", "presiden"),
        ("GGRP", "TFAS"),
        ("Laode", "Syarif"),
    ],
)
def test_what_is_no_substitution(analyzer: Analyzer, word_a: str, word_b: str) -> None:
    a = BASE.format(w=word_a)
    b = BASE.format(w=word_b)
    al = align(prepare_text(a, analyzer), prepare_text(b, analyzer), analyzer)
    assert al.passages
    assert substitutions(al, analyzer) == []


def test_weak_passages_teach_nothing(analyzer: Analyzer) -> None:
    short = "Ketua komisi menjelaskan bahwa keputusan {w} itu diambil karena banyak berkas."
    a = f"{FILLER[0]} {short.format(w='tandingan')} {FILLER[1]}"
    b = f"{FILLER[2]} {short.format(w='penyeimbang')} {FILLER[3]}"
    al = align(prepare_text(a, analyzer), prepare_text(b, analyzer), analyzer)
    assert substitutions(al, analyzer) == []


def test_one_sentence_quoted_by_many_articles_is_one_piece_of_evidence(
    analyzer: Analyzer,
) -> None:
    # "di Istana Merdeka, Jakarta" in some reports of one event, "Istana Negara" in others:
    # the same words around the swap in every pair.
    learned = LearnedVariants("fp")
    for k in range(5):
        a, b = _pair_texts(k, context="resmi")
        assert (
            learned.record(
                align(prepare_text(a, analyzer), prepare_text(b, analyzer), analyzer), analyzer
            )
            == 1
        )
    assert learned.learned() == []
    for k in range(1, 3):  # the swap in two more sentences
        a, b = _pair_texts(k)
        learned.record(
            align(prepare_text(a, analyzer), prepare_text(b, analyzer), analyzer), analyzer
        )
    (v,) = learned.learned()
    assert v.pairs == 3


def test_counted_over_distinct_contexts(analyzer: Analyzer) -> None:
    learned = LearnedVariants("fp")
    for _ in range(5):  # one context seen again and again is one context
        learned.add(("imbang", "tanding"), ("penyeimbang", "tandingan"), "pair-1")
    assert learned.learned() == []
    learned.add(("tanding", "imbang"), ("tandingan", "penyeimbang"), "pair-2")
    learned.add(("imbang", "tanding"), ("imbang", "tanding"), "pair-3")
    (v,) = learned.learned()
    assert v.terms == ("imbang", "tanding") and v.pairs == 3
    assert v.spellings == (("penyeimbang", "imbang"), ("tandingan", "tanding"))
    assert learned.equivalents() == {"tanding": "imbang"}


def test_words_of_one_closed_class_are_never_variants(analyzer: Analyzer, tmp_path: Path) -> None:
    # Templated reports swap a weekday or a market's direction in otherwise equal
    # sentences; made equal, a forecast of a rise matched one of a fall.
    from newsreader.index.store.learning import Learning

    learning = Learning(tmp_path, analyzer)
    learned = learning.variants()
    swaps = [
        (("jumat", "rabu"), ("jumat", "rabu")),
        (("koreksi", "kuat"), ("terkoreksi", "menguat")),
        (("naik", "turun"), ("naik", "turun")),
        (("imbang", "tanding"), ("penyeimbang", "tandingan")),  # a real variant
    ]
    for terms, spellings in swaps:
        for p in range(3):
            learned.add(terms, spellings, f"{terms[0]}-{p}")
    assert [v.terms for v in learned.learned()] == [("imbang", "tanding")]
    assert learned.equivalents() == {"tanding": "imbang"}
    # Not even counted: they never come into use.
    assert learned.came_into_use == 1


def test_chained_substitutions_make_small_groups_only() -> None:
    learned = LearnedVariants("fp")
    words = [f"kata{chr(97 + k)}" for k in range(MAX_GROUP + 3)]
    for w0, w1 in pairwise(words):
        for p in range(3):
            learned.add((w0, w1), (w0, w1), f"{w0}-{p}")
    same = learned.equivalents()
    groups: dict[str, set[str]] = {}
    for term, key in same.items():
        groups.setdefault(key, {key}).add(term)
    assert groups and all(len(g) <= MAX_GROUP for g in groups.values())


def test_kept_in_a_file_for_one_analyzer(tmp_path: Path) -> None:
    path = tmp_path / "ix" / "learned-variants.json"
    learned = LearnedVariants("fp1")
    for p in range(3):
        learned.add(("imbang", "tanding"), ("penyeimbang", "tandingan"), f"p{p}")
    assert learned.save(path)
    assert LearnedVariants.load(path, "fp1").learned()[0].pairs == 3
    assert LearnedVariants.load(path, "other word lists").learned() == []
    # Another run's findings are merged, not overwritten.
    other = LearnedVariants("fp1")
    other.add(("ganti", "tukar"), ("ganti", "tukar"), "q")
    other.save(path)
    both = LearnedVariants.load(path, "fp1")
    assert len(both.learned(1)) == 2
    path.write_text("{not json", encoding="utf-8")
    assert LearnedVariants.load(path, "fp1").learned(1) == []


def test_learned_words_anchor_and_show_as_replace(analyzer: Analyzer) -> None:
    # Every third word swapped for a word learned to mean the same: without the learned
    # pairs the passage is too thin to find, with them it aligns and shows the swaps.
    words_a, words_b, same = [], [], {}
    content = BASE.format(w="tandingan").split()
    for k, word in enumerate(content):
        words_a.append(word)
        if k % 3 == 1 and word.isalpha() and len(word) > 4:
            other = f"ganti{k}"
            words_b.append(other)
            ta = analyzer.terms(word)[0].text
            tb = analyzer.terms(other)[0].text
            same[max(ta, tb)] = min(ta, tb)
        else:
            words_b.append(word)
    a = prepare_text(" ".join(words_a), analyzer)
    b = prepare_text(" ".join(words_b), analyzer)
    plain = align(a, b, analyzer)
    learned = align(a, b, analyzer, equivalents=same)
    shared = lambda al: sum(p.shared_words for p in al.passages)  # noqa: E731
    assert shared(learned) > shared(plain)
    (passage,) = learned.passages
    swapped = [
        passage.b_text[o.b_start - passage.b_start : o.b_end - passage.b_start]
        for o in passage.ops
        if o.op == "replace"
    ]
    assert any(s.startswith("ganti") for s in swapped)
    assert learned.swapped().passages == align(b, a, analyzer, equivalents=same).passages


_NEWS_WORDS = [
    "polisi",
    "warga",
    "rumah",
    "jalan",
    "kota",
    "desa",
    "sekolah",
    "pasar",
    "harga",
    "beras",
    "minyak",
    "gula",
    "kopi",
    "teh",
    "air",
    "api",
    "motor",
    "mobil",
    "kereta",
    "kapal",
    "pesawat",
    "bandara",
    "pelabuhan",
    "kantor",
    "gedung",
    "menteri",
    "presiden",
    "gubernur",
    "bupati",
    "camat",
    "lurah",
    "dokter",
    "guru",
    "murid",
    "petani",
    "nelayan",
    "buruh",
    "pedagang",
    "pembeli",
    "penjual",
]
_SUBSTITUTED = ["kata", "ujar", "tidak", "tak", "jelas"]


def _sprinkled_pair(seed: int) -> tuple[str, str]:
    """Two texts around one shared run of words, a fifth of B's run changed, with words a
    learned substitution joins ("kata" / "ujar") all through both."""
    rnd = random.Random(seed)

    def word() -> str:
        return rnd.choice(_SUBSTITUTED) if rnd.random() < 0.12 else rnd.choice(_NEWS_WORDS)

    def text(words: list[str]) -> str:
        paragraphs, current = [], []
        for w in words:
            current.append(w + ("." if rnd.random() < 0.08 else ""))
            if rnd.random() < 0.03:
                paragraphs.append(" ".join(current))
                current = []
        paragraphs.append(" ".join(current))
        return "\n\n".join(p[0].upper() + p[1:] for p in paragraphs if p)

    core = [word() for _ in range(rnd.randint(15, 40))]
    changed = [w if rnd.random() > 0.2 else word() for w in core]
    a = [word() for _ in range(rnd.randint(20, 80))] + core
    b = [word() for _ in range(rnd.randint(20, 80))] + changed
    return (
        text(a + [word() for _ in range(rnd.randint(0, 60))]),
        text(b + [word() for _ in range(rnd.randint(0, 60))]),
    )


def test_a_learned_substitution_only_adds_to_what_aligns(analyzer: Analyzer) -> None:
    # Substitutions common in news ("kata" for "ujar", "tak" for "tidak") add anchors all
    # through two articles: before, the passages they share could lose words or vanish
    # (a QA pass lost a sentence copied word for word), and the results of a corpus
    # changed from one run to the next as substitutions were learned.
    same = {"ujar": "jelas", "kata": "jelas", "tidak": "tak"}
    added = 0
    for seed in range(120):
        a, b = (prepare_text(t, analyzer) for t in _sprinkled_pair(seed))
        plain = align(a, b, analyzer)
        learned = align(a, b, analyzer, equivalents=same)
        words = [sum(p.shared_words for p in al.passages) for al in (plain, learned)]
        assert words[1] >= words[0], seed
        for p in plain.passages:  # each one, or one that overlaps it, is still there
            assert any(p.a_start < q.a_end and q.a_start < p.a_end for q in learned.passages)
        added += words[1] > words[0]
    assert added  # the substitutions do find more


def _corpus(folder: Path, pairs: int) -> Path:
    folder.mkdir(parents=True)
    for k in range(pairs):
        a, b = _pair_texts(k)
        (folder / f"{k:02d}a.txt").write_text(f"Judul berita nomor {k} pertama\n\n{a}")
        (folder / f"{k:02d}b.txt").write_text(f"Kabar lain nomor {k} kedua\n\n{b}")
    return folder


def test_overlaps_learn_but_alignments_stay_as_they_were(tmp_path: Path) -> None:
    # Learned substitutions are suggestions: used by later alignments, they made `overlaps`
    # differ from run to run, and every pair they added on CLICK-ID was two unrelated
    # reports joined through attribution verbs ("menjelaskan" for "mengatakan": a QA pass
    # judged 10 of 10 such pairs of 10,000 articles, and 5 of 5 of 2,000, wrong).
    lib = Library.open(_corpus(tmp_path / "c", 3), tmp_path / "ix", variants=Path("/none"))
    lib.update()
    first = lib.compare("00a.txt", "00b.txt").alignment
    pairs = lib.overlaps(workers=1)
    assert learned_path(lib.index_dir).exists()
    assert lib.learning.newly_in_use == 1  # the CLI says so
    (v,) = lib.learning.learned()
    assert v.pairs >= 3 and {"tandingan", "penyeimbang"} <= {*v.spellings[0], *v.spellings[1]}
    again = Library.open(lib.corpus, lib.index_dir, variants=Path("/none"))
    assert again.compare("00a.txt", "00b.txt").alignment == first
    assert again.overlaps(workers=1) == pairs
    # A rebuild starts the list afresh, as the README says (the file outlived it), and
    # a library that learned with the build before cannot bring its list back.
    again.update(rebuild=True)
    fresh = Library.open(lib.corpus, lib.index_dir, variants=Path("/none"))
    assert fresh.learning.learned(min_pairs=1) == []


def test_promote_writes_the_user_variants_file(tmp_path: Path) -> None:
    path = tmp_path / "variants.toml"
    line = promote_variant(path, ["Tandingan", "penyeimbang"])
    assert line == '"tandingan" = ["tandingan", "penyeimbang"]'
    vocab = load_vocabulary(path)
    analyzer = Analyzer(vocab)
    assert analyzer.terms("tandingan")[0].text == analyzer.terms("penyeimbang")[0].text
    assert vocab.fingerprint() != load_vocabulary(None).fingerprint()
    # Added to an existing file: its other entries and comments stay.
    path.write_text(
        '# mine\n[variants]\njokowi = ["joko widodo"]\n\n[acronyms]\nas = ["AS"]\n',
        encoding="utf-8",
    )
    promote_variant(path, ["tandingan", "penyeimbang"])
    promote_variant(path, ["tandingan", "pengimbang"])  # the same canonical form grows
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine\n") and text.count('"tandingan" =') == 1
    vocab = load_vocabulary(path)
    assert vocab.words["pengimbang"] == vocab.words["penyeimbang"] == "tandingan"
    assert vocab.phrases[("joko", "widodo")] == "jokowi" and vocab.acronyms["AS"] == "as"
    with pytest.raises(ConfigError):
        promote_variant(path, ["tandingan"])


def test_cli_lists_and_promotes(tmp_path: Path, isolated_dirs: Path) -> None:
    lib = Library.open(_corpus(tmp_path / "c", 3), tmp_path / "ix")
    lib.update()
    where = ["--corpus", str(lib.corpus), "--index-dir", str(lib.index_dir)]
    overlaps = [newsreader_bin(), "overlaps", *where]
    # A run that brings a substitution into use says the next one may find more.
    first = subprocess.run(overlaps, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "Learned 1 word substitution from these passages" in first.stderr
    again = subprocess.run(overlaps, capture_output=True, text=True)
    assert again.returncode == 0 and "Learned" not in again.stderr  # nothing new this time
    base = [newsreader_bin(), "variants", "--corpus", str(lib.corpus)]
    base += ["--index-dir", str(lib.index_dir)]
    out = subprocess.run([*base, "--learned", "--json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == 1
    (v,) = data["variants"]
    assert v["pairs"] >= 3 and len(v["terms"]) == 2 and len(v["spellings"]) == 2
    shown = subprocess.run([*base, "--learned"], capture_output=True, text=True)
    assert "penyeimbang" in shown.stdout
    done = subprocess.run(
        [*base, "--promote", "tandingan", "penyeimbang"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "rebuilt" in done.stderr
    written = (isolated_dirs / "config" / "variants.toml").read_text(encoding="utf-8")
    assert "penyeimbang" in written and "tandingan" in written
    # The next run sees new word lists and rebuilds.
    assert Library.open(lib.corpus, lib.index_dir).pending().rebuild_reason


def test_learned_substitutions_extend_a_passage_but_never_make_one(analyzer: Analyzer) -> None:
    # Learned from templated reports, "menjadi"~"persen" made a 26-word passage of two
    # unrelated race reports that share no passage of their own words.
    own = ["pembalap", "sirkuit", "motor", "tikungan", "lintasan", "balapan", "mesin", "helm"]
    xs = ["gudang", "pasar", "sawah", "kebun", "ladang", "kolam", "jembatan", "menara"]
    ys = ["guru", "murid", "dosen", "kepala", "camat", "lurah", "bupati", "jaksa"]
    a = prepare_text(" ".join(f"{w} {x}" for w, x in zip(own, xs, strict=True)) + ".", analyzer)
    b = prepare_text(" ".join(f"{w} {y}" for w, y in zip(own, ys, strict=True)) + ".", analyzer)
    keys_a = [t.key for t in a.tokens]
    keys_b = [t.key for t in b.tokens]
    same = {k: f"sub{n}" for n, (k, _) in enumerate(zip(keys_a[1::2], keys_b[1::2], strict=True))}
    same |= {k: f"sub{n}" for n, k in enumerate(keys_b[1::2])}
    assert align(a, b, analyzer).passages == ()
    # 16 words equal with the substitutions, 8 by their own terms: a passage of 8+ words
    # needs 8 of its own. With one of the 8 gone, the substitutions make no passage.
    assert align(a, b, analyzer, equivalents=same).passages
    short = prepare_text(
        " ".join(f"{w} {x}" for w, x in zip(own[:7], xs, strict=False)) + ".", analyzer
    )
    assert align(short, b, analyzer, equivalents=same).passages == ()
