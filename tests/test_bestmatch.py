"""A long query ranked in one pass over its words' postings (search/bestmatch.py) gives
Whoosh's own hits, scores and counts: on an index of several segments, with deleted
documents, numbers and hyphenated words (two terms each), and with words left out of the
ranking."""

import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index import Library
from newsreader.index.search.execute import count_strict
from newsreader.index.search.query import MAX_PARTIAL_WORDS, plan_query

from tests.conftest import SAMPLE

WORDS = [
    "pemerintah",
    "kota",
    "banjir",
    "hujan",
    "jalan",
    "warga",
    "sungai",
    "pasar",
    "harga",
    "beras",
    "petani",
    "sawah",
    "presiden",
    "menteri",
    "rapat",
    "anggaran",
    "sekolah",
    "guru",
    "murid",
    "ujian",
    "rumah",
    "sakit",
    "dokter",
    "pasien",
    "kereta",
    "stasiun",
    "jadwal",
    "tiket",
    "bandara",
    "pesawat",
    "cuaca",
    "angin",
    "gempa",
    "laut",
    "nelayan",
    "ikan",
    "listrik",
    "mobil",
    "motor",
    "polisi",
    "razia",
    "kopi",
    "teh",
    "gula",
    "garam",
    "kebun",
    "hutan",
    "api",
    "asap",
]
EXTRA = ["16.504", "Tae-yong", "2,19%", "Rp", "COVID-19"]
# Words the analyzer splits into three or more terms, some of them shared, so that their
# article counts differ from segment to segment (the order Whoosh adds their scores in).
PARTS = ["20/5/2026", "1.000.000.000", "3-5-20", "5/20/2026", "2.000.500", "20-3-2026"]
# ... and some that a short query keeps as several terms (not a figure's or a hyphenated
# word's phrase): joined by apostrophes.
PARTS += ["20'5'2026", "3'5'20", "5'20'2026"]


def _article(rng: random.Random, k: int) -> str:
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 7))).capitalize()
    paragraphs = []
    for _ in range(rng.randint(1, 4)):
        words = [rng.choice(WORDS + EXTRA + PARTS) for _ in range(rng.randint(8, 40))]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return f"{title} {k}\n\n" + "\n\n".join(paragraphs) + "\n"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("bestmatch")
    corpus = root / "corpus"
    corpus.mkdir()
    for f in SAMPLE.iterdir():
        (corpus / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    lib = Library.open(corpus, root / "ix", variants=Path("/nonexistent"))
    rng = random.Random(5)
    k = 0
    for batch in range(4):  # an update per batch: a segment each
        for _ in range(30 + 10 * batch):
            (corpus / f"a{k:03d}.txt").write_text(_article(rng, k), encoding="utf-8")
            k += 1
        if batch:  # changed and removed articles: deleted documents in older segments
            for j in rng.sample(range(k - 30), 6):
                path = corpus / f"a{j:03d}.txt"
                if path.exists():
                    path.write_text(_article(rng, j), encoding="utf-8")
            (corpus / f"a{rng.randrange(k - 30):03d}.txt").unlink(missing_ok=True)
        lib.update()
    return lib


def _queries(lib: Library) -> list[str]:
    rng = random.Random(7)
    texts = [p.read_text(encoding="utf-8") for p in sorted(lib.corpus.glob("*.txt"))]
    out = []
    for n in (5, 8, 12, MAX_PARTIAL_WORDS + 9):
        for _ in range(12):
            toks = re.findall(r"\S+", rng.choice(texts))
            if len(toks) > n:  # words of one article: some articles have them all
                k = rng.randrange(len(toks) - n)
                out.append(" ".join(toks[k : k + n]))
            out.append(" ".join(rng.choice(WORDS + EXTRA + PARTS) for _ in range(n)))
    return out


def _check_one_pass(ft, plan, limit: int) -> bool | None:
    """None when the one pass did not rank `plan`; else whether it left postings unread
    (pruned), having asserted it ranks as Whoosh does: the same first `limit` with the same
    scores, the count exact or a lower bound, the articles with every word counted exactly."""
    quick = ft.best_match(plan.ranked, plan.unranked, limit)
    if quick is None:
        return None
    best, every = quick
    whoosh = ft.search(plan.partial, limit=limit, optimize=False)
    assert best.hits == whoosh.hits
    if best.exact:
        assert best.total == whoosh.total
    else:
        assert best.total <= whoosh.total
    assert every == ft.search(plan.strict, limit=1, optimize=False).total
    return not best.exact


def _parts(plan) -> int:
    """The largest number of terms one clause of the plan must all have."""
    return max((len(list(leaf.children())) for w in plan.ranked for leaf in w), default=0)


def test_the_one_pass_ranking_is_whooshs(library: Library) -> None:
    checked = with_all = unranked = three = pruned = 0
    with library._live.reading() as stores:
        ft = stores.searcher()
        assert len(ft.searcher.leaf_searchers()) > 1
        assert ft.searcher.reader().has_deletions()
        for text in _queries(library):
            plan = plan_query(text, ft, library.analyzer)
            if not plan.ranked:
                continue
            for limit in (1, 10, 500):
                cut = _check_one_pass(ft, plan, limit)
                if cut is None:
                    continue
                pruned += cut
                checked += 1
                with_all += count_strict(text, ft, library.analyzer) > 0
                unranked += bool(plan.unranked)
                three += _parts(plan) >= 3
    assert checked > 100 and with_all > 10 and unranked > 10 and three > 20
    assert 20 < pruned < checked


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.sampled_from(PARTS + WORDS[:12]), min_size=5, max_size=12, unique=True),
    st.sampled_from((1, 3, 10)),
)
def test_words_of_several_terms_score_as_whooshs_and(library: Library, words, limit) -> None:
    # Whoosh adds an And's scores in a tree that depends on each segment's article counts:
    # a different order gives a different last bit, and so can a different ranking.
    with library._live.reading() as stores:
        ft = stores.searcher()
        plan = plan_query(" ".join(words), ft, library.analyzer)
        assert plan.ranked
        assert _check_one_pass(ft, plan, limit) is not None


def test_search_results_are_those_of_the_two_passes(library: Library, monkeypatch) -> None:
    from newsreader.index.search.engine import WhooshFullText

    texts = [t for t in _queries(library) if len(t.split()) >= 5][::3]
    quick = [library.search(t, limit=10) for t in texts]
    monkeypatch.setattr(WhooshFullText, "best_match", lambda *a, **k: None)
    for text, res in zip(texts, quick, strict=True):
        slow = library.search(text, limit=10)
        assert [(h.id, h.score) for h in res.hits] == [(h.id, h.score) for h in slow.hits]
        assert (res.note, res.partial) == (slow.note, slow.partial), text
        # Either count may be a lower bound (the one pass's when it left postings unread).
        if res.total_exact and slow.total_exact:
            assert res.total == slow.total
        elif res.total_exact:
            assert res.total >= slow.total


def test_one_word_prefix_or_fuzzy_term_ranks_as_whoosh(library: Library) -> None:
    queries = [
        *WORDS[:20],
        *PARTS,
        "kota*",
        "pem*",
        "ker*",
        "ban*",
        "pas*",
        "pasa*",
        "ment*",
        "title:banjir",
        "title:ban*",
        "presidne~",
        "gurru~2",
    ]
    with library._live.reading() as stores:
        ft = stores.searcher()
        for text in queries:
            plan = plan_query(text, ft, library.analyzer, stores.speller())
            assert plan.alone, text
            for limit in (1, 10, 500):
                quick = ft.best_match((plan.alone,), (), limit)
                assert quick is not None, text
                whoosh = ft.search(plan.strict, limit=limit, optimize=False)
                assert (quick[0].hits, quick[0].total) == (whoosh.hits, whoosh.total), text


def test_a_fuzzy_term_finds_the_words_whoosh_finds(library: Library) -> None:
    from whoosh import query as wq

    with library._live.reading() as stores:
        ft, speller = stores.searcher(), stores.speller()
        assert speller is not None
        for word in ("presidne", "gurru", "banjr", "stasiun", "nelayna", "pemerintha"):
            for dist in (1, 2):
                plan = plan_query(f"{word}~{dist}", ft, library.analyzer, speller)
                ours = {t.text for t in plan.alone if t.fieldname == "body_exact"}
                probe = wq.FuzzyTerm("body_exact", word, maxdist=dist, prefixlength=1)
                theirs = {t for t in ft.expand(probe) if t.isalpha()}
                # An adjacent swap is one edit in the spelling dictionary, two in Whoosh.
                assert theirs <= ours, word
                assert ours, word


def _phrases(lib: Library) -> list[str]:
    """Quoted runs of 2 to 4 words of the articles (found), of random words (mostly not
    found), with a word twice, and in the title only."""
    rng = random.Random(11)
    texts = [p.read_text(encoding="utf-8") for p in sorted(lib.corpus.glob("a*.txt"))]
    out = []
    for n in (2, 3, 4):
        for _ in range(15):
            toks = re.findall(r"[^\W\d_]+", rng.choice(texts))
            k = rng.randrange(len(toks) - n)
            out.append('"' + " ".join(toks[k : k + n]) + '"')
            out.append('"' + " ".join(rng.choice(WORDS) for _ in range(n)) + '"')
    out += ['"kota kota"', '"banjir banjir banjir"', '"16.504 kota"', '"tidak ada di"']
    out += [f"title:{p}" for p in out[:12:2]]
    return out


def test_a_phrase_ranks_and_counts_as_whooshs(library: Library) -> None:
    found = 0
    with library._live.reading() as stores:
        ft = stores.searcher()
        assert ft.searcher.reader().has_deletions()
        for text in _phrases(library):
            plan = plan_query(text, ft, library.analyzer)
            assert plan.alone, text
            for limit in (1, 10, 500):
                quick = ft.best_match((plan.alone,), (), limit)
                assert quick is not None, text
                whoosh = ft.search(plan.strict, limit=limit, optimize=False)
                assert (quick[0].hits, quick[0].total) == (whoosh.hits, whoosh.total), text
                assert quick[0].exact and quick[1] == whoosh.total, text
                assert quick[0].exact
            found += whoosh.total > 0
    assert found > 40


def test_a_phrase_with_slop_is_left_to_whoosh(library: Library) -> None:
    with library._live.reading() as stores:
        ft = stores.searcher()
        plan = plan_query('"kota banjir"~3', ft, library.analyzer)
        assert ft.best_match((plan.alone,), (), 10) is None
    res = library.search('"kota banjir"~3')
    assert res.total >= library.search('"kota banjir"').total


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Dated records (some without a date) in one JSON Lines file, written in three updates
    that change and remove records: several segments, deleted documents."""
    import json
    from datetime import date, timedelta

    root = tmp_path_factory.mktemp("dated")
    corpus = root / "corpus"
    corpus.mkdir()
    rng = random.Random(3)
    records: dict[str, dict] = {}

    def record(k: int) -> dict:
        day = date(2019, 8, 1) + timedelta(days=rng.randrange(90))
        rec = {"id": f"r{k:03d}", "title": f"Kabar {k}", "body": _article(rng, k)}
        return rec if k % 9 == 0 else rec | {"date": day.isoformat()}

    lib = Library.open(corpus, root / "ix", variants=Path("/nonexistent"))
    for batch in range(3):
        for k in range(len(records), len(records) + 40):
            records[f"r{k:03d}"] = record(k)
        if batch:
            for key in rng.sample(sorted(records)[:40], 5):
                records[key] = record(int(key[1:]))
            del records[rng.choice(sorted(records)[:40])]
        lines = [json.dumps(r) for r in records.values()]
        (corpus / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        lib.update()
    return lib


def test_a_date_range_ranks_and_counts_as_whooshs(dated: Library) -> None:
    from newsreader.index.search.bestmatch import constant_range
    from newsreader.index.search.narrow import whoosh_search

    queries = [
        "date:[2019-09-01 to 2019-09-30]",
        "date:[2019-08-15 to 2019-10-02]",
        "date:2019-09-10",
        "date:2019-09",
        "date:>2019-09-20",
        "date:<=2019-08-05",
        "date:2019",
        "date:2018",
    ]
    with dated._live.reading() as stores:
        ft = stores.searcher()
        assert len(ft.searcher.leaf_searchers()) > 1
        assert ft.searcher.reader().has_deletions()
        for text in queries:
            q = plan_query(text, ft, dated.analyzer).strict
            assert constant_range(q), text
            for limit in (1, 10, 500):
                ours = ft.search(q, limit=limit, optimize=False)
                res = whoosh_search(ft.searcher, q, exact=True, limit=limit)
                theirs = [(r["id"], r.score) for r in res]
                assert (ours.hits, ours.total, ours.exact) == (theirs, len(res), True), text
    assert dated.search("date:2019-09").total > 20


def test_postings_blocks_read_without_their_values_are_whooshs(monkeypatch) -> None:
    import pickle

    from newsreader.index.search import bestmatch
    from newsreader.index.search.bestmatch import _ids_and_weights

    unpickled: list[int] = []
    monkeypatch.setattr(bestmatch, "loads", lambda b: unpickled.append(len(b)) or pickle.loads(b))

    rng = random.Random(2)
    for count in (1, 2, 3, 4, 5, 127, 128):
        ids = tuple(rng.randrange(1, 300) for _ in range(count))
        positions = tuple(
            pickle.dumps([rng.randrange(1, 99) for _ in range(rng.randint(1, 4))], 2)
            for _ in range(count)
        )
        empty_first = (b"", *positions[1:])
        tfs = tuple(float(rng.randint(1, 9)) for _ in range(count))
        for weights in (None, 2.0, tfs):
            for values in (positions, empty_first, None, b"".join(positions)):
                block = (ids, weights, values)
                data = pickle.dumps(block, 2)
                unpickled.clear()
                got = _ids_and_weights(data, count)
                assert got[:2] == block[:2], (count, weights, values)
                if values is positions:  # positions, as Whoosh writes them: cut off
                    assert len(unpickled) == 1 and unpickled[0] < len(data)
                ours = pickle.dumps(block, 3)  # as our codec writes blocks: read whole
                unpickled.clear()
                assert _ids_and_weights(ours, count) == block
                assert unpickled == [len(ours)]


def test_postings_and_term_infos_read_from_the_files_are_whooshs(library: Library) -> None:
    from newsreader.index.search.bestmatch import _hash_get, _postings, _read, _term_info

    with library._live.reading() as stores:
        ft = stores.searcher()
        leaves = ft.searcher.leaf_searchers()
        assert len(leaves) > 1
        read = 0
        for sub, _ in leaves:
            reader = sub.reader()
            tindex = reader._terms._tindex
            assert getattr(tindex.dbfile, "_buf", None) is not None  # the mapped files' path
            for key, value in tindex.items():
                assert _hash_get(tindex, key) == value
                assert _hash_get(tindex, key + b"\x00") is None
            for field in ("title_exact", "body_exact", "title", "body"):
                for btext in reader.lexicon(field):
                    info = _term_info(reader, field, btext)
                    assert info is not None
                    got = _postings(reader, field, btext, info)
                    assert got == _read(reader.postings(field, btext)), (field, btext)
                    stored = _term_info(reader, field, btext, {})  # as the table has it
                    assert isinstance(stored, bytes)
                    assert _postings(reader, field, btext, stored) == got
                    read += 1
                assert _term_info(reader, field, b"\xff-none") is None
        assert read > 1000


@pytest.mark.parametrize(("compression", "inline"), [(0, 1), (3, 0), (3, 5)])
def test_postings_of_many_blocks_are_whooshs(tmp_path: Path, compression: int, inline: int) -> None:
    """Blocks of three postings, mapped or read as they go, with a deletion; postings
    lists in the term info (up to four postings, as our codec writes them) or none there."""
    from newsreader.index.search.bestmatch import _postings, _read, _term_info
    from newsreader.index.search.codec import _codec_class
    from whoosh import fields
    from whoosh import index as windex
    from whoosh.codec.whoosh3 import W3Codec
    from whoosh.filedb.filestore import FileStorage

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(phrase=True))
    ix = windex.create_in(str(tmp_path), schema)
    rng = random.Random(4)
    kind = _codec_class() if inline > 1 else W3Codec
    codec = kind(blocklimit=3, compression=compression, inlinelimit=inline)
    writer = ix.writer(codec=codec)
    for k in range(60):
        body = " ".join(rng.choice(WORDS[:12]) for _ in range(rng.randint(1, 12)))
        # Words of one article and of two (once or twice in each): their postings are
        # those their term infos tell.
        rare = f"satu{k} dua{k // 2} " + " ".join([f"kali{k // 2}"] * (1 + k % 3 // 2))
        writer.add_document(id=str(k), body=f"{body} {rare}")
    writer.commit()
    with ix.writer() as writer:
        writer.delete_by_term("id", "7")
    for mapped in (True, False):
        ix = (
            windex.open_dir(str(tmp_path))
            if mapped
            else FileStorage(str(tmp_path), supports_mmap=False).open_index()
        )
        with ix.reader() as reader:
            assert reader.has_deletions()
            assert (getattr(reader._terms._postfile, "_buf", None) is not None) == mapped
            many = inlined = 0
            for btext in reader.lexicon("body"):
                info = _term_info(reader, "body", btext)
                assert info is not None
                whooshs = _read(reader.postings("body", btext))
                assert _postings(reader, "body", btext, info) == whooshs
                stored = _term_info(reader, "body", btext, {})
                assert _postings(reader, "body", btext, stored) == whooshs
                many += info.doc_frequency() > 6
                inlined += info.is_inlined()
                assert info.is_inlined() == (info.doc_frequency() < inline)
            assert many > 5
            assert inlined > 20 or inline <= 1


def test_a_prefix_is_flattened_as_whoosh_normalizes_it(library: Library, monkeypatch) -> None:
    from newsreader.index.search.query import _normalize, parse_query, rewrite
    from whoosh import query as wq

    flat = ["pem*", "kota*", "ban*", "pasa*", "presidne~", "ban* OR kota*", "ban* OR banj*"]
    others = ["title:ban*", "ban*^2", "kota* banjir", "banjir", "zzz*"]
    normalized: list[str] = []
    whooshs = wq.Or.normalize

    def counted(self: wq.Or) -> wq.Query:
        normalized.append(repr(self))
        return whooshs(self)

    with library._live.reading() as stores:
        ft = stores.searcher()
        for text in flat + others:
            q = rewrite(parse_query(text, ft.schema, library.analyzer), ft)
            expected = q.normalize()
            normalized.clear()
            with monkeypatch.context() as m:
                m.setattr(wq.Or, "normalize", counted)
                got = _normalize(q)
            assert got == expected, text
            assert (not normalized) == (text in flat), text


def test_a_prefixs_words_scored_into_the_sums_score_as_kept(library: Library) -> None:
    from newsreader.index.search.bestmatch import _add_scores, _scored
    from whoosh import query as wq

    with library._live.reading() as stores:
        ft = stores.searcher()
        for text in ("pem*", "pasa*", "title:ban*"):
            plan = plan_query(text, ft, library.analyzer)
            assert len(plan.alone) > 1, text
            boosted = [wq.Term(t.fieldname, t.text, boost=2.0) for t in plan.alone]
            for term in [*plan.alone, *boosted]:
                summed: dict[int, float] = {7: 1.5}  # an article summed before
                _add_scores(ft._postings_of(), term, summed)
                kept = dict(zip(*_scored(ft._postings_of(), term), strict=True))
                expected = kept | {7: 1.5 + kept[7] if 7 in kept else 1.5}
                assert summed == expected, (text, term)
