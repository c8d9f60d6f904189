"""The candidate filter: word 3-grams and word pairs as postings, and the rules that make two
articles candidates for alignment."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from newsreader.index.ingest.document import parse_article
from newsreader.index.reuse.align import align, prepare
from newsreader.index.reuse.candidates import (
    DEFAULT_REUSE,
    ReuseSettings,
    cache_friendly,
    candidate_pairs,
    candidates,
    clustered,
    clustered_pairs,
)
from newsreader.index.text.analysis import Analyzer
from newsreader.index.text.tokens import (
    PAIR_REACH,
    AlignToken,
    Shingles,
    article_tokens,
    is_pair,
    pair_hash,
    shingle_hash,
    shingles,
    word_pairs,
)

from .conftest import SAMPLE


def _tokens(*keys: str, segment_at: int | None = None, names: set[str] = frozenset()):
    return [
        AlignToken(k, 0, 0, int(segment_at is not None and i >= segment_at), k in names, False, 0)
        for i, k in enumerate(keys)
    ]


def test_pairs_and_trigrams_never_share_a_key() -> None:
    assert not is_pair(shingle_hash(("a", "b", "c")))
    assert is_pair(pair_hash("a", "b"))
    assert pair_hash("a", "b") == pair_hash("b", "a")  # either order


def test_word_pairs_reach_two_words_within_a_segment() -> None:
    got = {h for h, _ in word_pairs(_tokens("a", "b", "c", "d"))}
    want = {pair_hash(*p) for p in (("a", "b"), ("a", "c"), ("b", "c"), ("b", "d"), ("c", "d"))}
    assert got == want
    split = {h for h, _ in word_pairs(_tokens("a", "b", "c", "d", segment_at=2))}
    assert pair_hash("b", "c") not in split and pair_hash("a", "c") not in split
    assert pair_hash("c", "d") in split


def test_no_pairs_of_names_or_of_one_word() -> None:
    got = {
        h
        for h, _ in word_pairs(_tokens("putin", "xi", "bertemu", "bertemu", names={"putin", "xi"}))
    }
    assert pair_hash("putin", "xi") not in got
    assert pair_hash("bertemu", "bertemu") not in got
    assert pair_hash("xi", "bertemu") in got


def test_shingles_hold_both_kinds() -> None:
    rows = shingles(_tokens("a", "b", "c", "d"))
    assert sum(not is_pair(h) for h, _ in rows) == 2
    assert sum(is_pair(h) for h, _ in rows) == 5


def test_a_cluster_survives_points_elsewhere_in_between() -> None:
    # Three shared 3-grams close together in both articles, with a stock phrase that pairs
    # far away in B lying between them in A.
    points = [(10, 200), (12, 202), (13, 900), (15, 205)]
    assert clustered(points, DEFAULT_REUSE)
    assert not clustered([(10, 200), (12, 202), (80, 205)], DEFAULT_REUSE)
    assert not clustered([(10, 200), (12, 202), (15, 500)], DEFAULT_REUSE)


def test_pairs_need_more_points_than_trigrams() -> None:
    points = [(10, 10), (11, 11), (12, 12), (14, 14)]
    assert clustered(points[:3], DEFAULT_REUSE)
    assert not clustered_pairs(points, DEFAULT_REUSE)
    assert clustered_pairs([*points, (16, 16)], DEFAULT_REUSE)
    assert clustered_pairs(points, ReuseSettings(min_shared_pairs=4))


REWORDED_A = (
    "Menteri kesehatan mengumumkan program vaksinasi gratis bagi seluruh warga lanjut usia di "
    "kabupaten terpencil mulai bulan depan. Petugas puskesmas akan mendatangi rumah penduduk "
    "satu per satu sehingga warga tidak perlu antre di balai desa."
)
# Every third content word or so swapped for a synonym: almost no 3-gram survives.
REWORDED_B = (
    "Menteri kesehatan menyampaikan program imunisasi gratis untuk semua warga lanjut umur di "
    "kabupaten pedalaman mulai pekan depan. Pegawai puskesmas bakal mendatangi rumah warga "
    "satu demi satu agar penduduk tidak usah antre di balai kelurahan."
)
FILLER = (
    "Harga cabai merah di pasar induk melonjak tajam menjelang akhir pekan panjang. "
    "Tim sepak bola kebanggaan kota itu menang tipis dalam laga tandang semalam."
)


class _Memory:
    """Shingle postings held in memory, as the catalog holds them."""

    def __init__(self, docs: dict[int, list[tuple[int, int]]]) -> None:
        self.docs = docs
        self.rows = sorted((h, d, p) for d, rows in docs.items() for h, p in rows)

    def shingles_of(self, doc: int):
        rows = self.docs[doc]
        return [h for h, _ in rows], [p for _, p in rows]

    def postings(self, hashes):
        wanted = set(hashes)
        return iter([r for r in self.rows if r[0] in wanted])

    def all_postings(self):
        return iter(self.rows)


class _CountingMemory(_Memory):
    """... and can count and filter by document frequency, as SQLite does."""

    def shared_postings(self, max_docs: int):
        df = defaultdict(int)
        for h, _, _ in self.rows:
            df[h] += 1
        return iter([r for r in self.rows if 2 <= df[r[0]] <= max_docs])

    def rare_postings(self, hashes, most):
        wanted = set(hashes)
        df = defaultdict(int)
        for h, _, _ in self.rows:
            df[h] += 1
        return iter([r for r in self.rows if r[0] in wanted and df[r[0]] <= most(r[0])])


def test_a_reworded_passage_is_a_candidate(analyzer: Analyzer) -> None:
    texts = {
        1: f"{FILLER}\n\n{REWORDED_A}",
        2: f"{REWORDED_B}\n\nWarga bantaran sungai mulai mengungsi karena hujan deras.",
        3: "Sekolah dasar negeri kekurangan guru honorer sejak awal semester ganjil tahun ini.",
    }
    arts = {d: parse_article(str(d), str(d), t, analyzer.vocabulary) for d, t in texts.items()}
    docs = {d: shingles(article_tokens(a, analyzer)) for d, a in arts.items()}
    # The old rule alone (3-grams) misses the pair ...
    trigram_points = defaultdict(list)
    mine = {h: p for h, p in docs[1] if not is_pair(h)}
    for h, p in docs[2]:
        if h in mine:
            trigram_points[2].append((mine[h], p))
    assert not clustered(trigram_points[2], DEFAULT_REUSE)
    # ... the word pairs find it, and the aligner aligns it.
    store = _Memory(docs)
    assert [d for d, _ in candidates(store, 1)] == [2]
    assert [(x, y) for x, y, _ in candidate_pairs(store)] == [(1, 2)]
    al = align(prepare(arts[1], analyzer), prepare(arts[2], analyzer), analyzer)
    assert al.passages


def test_common_pairs_are_dropped(analyzer: Analyzer) -> None:
    # The same reworded pair, but every shingle is also in many other articles.
    rows_a = [(pair_hash("w", f"x{k}"), k) for k in range(8)]
    docs = {1: rows_a, 2: rows_a}
    for d in range(3, 3 + 5):
        docs[d] = rows_a[:]
    assert candidate_pairs(_Memory(docs), ReuseSettings(max_pair_frequency=3)) == []
    assert len(candidate_pairs(_Memory(docs), ReuseSettings(max_pair_frequency=10))) == 21


def test_cache_friendly_order_keeps_every_pair_and_prepares_less() -> None:
    # Ten stories of six articles each, every article of a story a candidate of the others;
    # story members are spread over the doc numbers, as in a real corpus.
    pairs = []
    for story in range(10):
        members = [story + 10 * k for k in range(6)]
        pairs += [(x, y, 3) for i, x in enumerate(members) for y in members[i + 1 :]]
    pairs.sort()
    ordered = cache_friendly(pairs)
    assert sorted(ordered) == pairs

    def prepared(order, size=8):
        cache: list[int] = []
        count = 0
        for x, y, _ in order:
            for doc in (x, y):
                if doc in cache:
                    cache.remove(doc)
                else:
                    count += 1
                    if len(cache) >= size:
                        cache.pop(0)
                cache.append(doc)
        return count

    assert prepared(ordered) < prepared(pairs)
    assert prepared(ordered) == 60  # each article once


def test_corpus_wide_pairs_agree_with_per_article_candidates() -> None:
    import random

    rng = random.Random(5)
    vocabulary = [f"w{k}" for k in range(60)]
    docs = {}
    for d in range(1, 41):
        keys = [rng.choice(vocabulary) for _ in range(80)]
        docs[d] = shingles(_tokens(*keys))
    settings = ReuseSettings(max_document_frequency=12, max_pair_frequency=8)
    found = []
    for store in (_Memory(docs), _CountingMemory(docs)):
        corpus_wide = {(x, y) for x, y, _ in candidate_pairs(store, settings)}
        one_by_one = {
            (min(d, o), max(d, o)) for d in docs for o, _ in candidates(store, d, settings)
        }
        assert corpus_wide == one_by_one and corpus_wide
        found.append(corpus_wide)
    assert found[0] == found[1]


def _shingles_by_definition(tokens: list[AlignToken]) -> list[tuple[int, int]]:
    """The shingles as `shingles` defines them, token by token: each 3-gram whose first and
    last words are in one segment and not repeated, not names only; each pair of different
    words at most PAIR_REACH apart, every word up to the second in one segment and not
    repeated, not both names; each hash at its first position, in hash order."""
    first: dict[int, int] = {}
    for i in range(len(tokens)):
        t = tokens[i]
        if i + 2 < len(tokens):
            a, b, c = tokens[i], tokens[i + 1], tokens[i + 2]
            kept = a.segment == c.segment and not (a.repeat or c.repeat)
            if kept and not (a.name and b.name and c.name):
                first.setdefault(shingle_hash((a.key, b.key, c.key)), i)
        if t.repeat:
            continue
        for j in range(i + 1, min(len(tokens), i + PAIR_REACH + 1)):
            u = tokens[j]
            if u.segment != t.segment or u.repeat:
                break
            if u.key != t.key and not (t.name and u.name):
                first.setdefault(pair_hash(t.key, u.key), i)
    return sorted(first.items())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            # "plumless" and "buckeroo" have one CRC-32: two words of one value.
            st.sampled_from([*"abcdef", "plumless", "buckeroo"]),
            st.booleans(),
            st.booleans(),
            st.booleans(),
            st.booleans(),
        ),
        max_size=40,
    )
)
def test_shingles_are_those_of_their_definition(drawn: list) -> None:
    """Worked out a column at a time, the shingles are the ones the definition gives token
    by token, whatever the segments, repeats, names and repeated words."""
    segment = 0
    tokens = []
    for k, (key, new_segment, name, repeat, _) in enumerate(drawn):
        segment += new_segment
        tokens.append(AlignToken(key, k, k + 1, segment, name, repeat, segment))
    assert shingles(tokens) == _shingles_by_definition(tokens)
    # As the catalog takes them from a worker: the same pairs, in hash order.
    assert Shingles.of_tokens(tokens) == Shingles(_shingles_by_definition(tokens), by_key=True)


def test_shingles_of_real_articles_are_those_of_their_definition() -> None:
    analyzer = Analyzer()
    checked = 0
    for path in sorted(SAMPLE.iterdir()):
        if path.suffix not in {".txt", ".md", ".html"}:
            continue
        text = path.read_text(encoding="utf-8")
        article = parse_article(path.name, path.name, text, analyzer.vocabulary)
        tokens = article_tokens(article, analyzer)
        assert shingles(tokens) == _shingles_by_definition(tokens)
        assert len(tokens) > 50
        checked += 1
    assert checked == 5
