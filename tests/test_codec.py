"""The codec our Whoosh segments are written with: rare terms' postings in their term info,
pickled compactly, read back by Whoosh's own code (with our term infos, search/terms.py)
as if Whoosh had written them."""

from __future__ import annotations

import pickle
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from newsreader.index.search.codec import inlined_pickle

WORDS = [
    "banjir",
    "kota",
    "hujan",
    "warga",
    "jalan",
    "sungai",
    "air",
    "pagi",
    "malam",
    "pasar",
    "rumah",
    "sekolah",
]


@given(
    st.lists(
        st.tuples(
            st.integers(0, 2**31 - 1),
            st.one_of(
                st.integers(0, 2**40).map(float),
                st.floats(allow_nan=False, allow_infinity=False),
            ),
            st.binary(max_size=300),
        ),
        max_size=12,
    )
)
def test_an_inlined_list_unpickles_to_what_was_written(
    postings: list[tuple[int, float, bytes]],
) -> None:
    ids = tuple(p[0] for p in postings)
    weights = tuple(p[1] for p in postings)
    values = tuple(p[2] for p in postings)
    got = pickle.loads(inlined_pickle(ids, weights, values))
    assert got == (ids, weights, values)
    assert [type(x) for x in got] == [tuple] * 3


def _build(folder: Path, codec: object, schema: object) -> None:
    from whoosh import index as windex

    ix = windex.create_in(str(folder), schema)
    rng = random.Random(7)
    writer = ix.writer(codec=codec)
    for k in range(80):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 15)))
        rare = " ".join([f"jarang{k // 3}"] * (1 + k % 4)) + f" tunggal{k}"
        writer.add_document(id=str(k), body=f"{body} {rare}", title=rng.choice(WORDS))
    writer.commit()


def _ours_and_whooshs(tmp_path: Path) -> tuple[object, Path, Path]:
    """The same documents indexed with our codec and with Whoosh's: (schema, folders)."""
    from newsreader.index.search.codec import writing_codec
    from whoosh import fields
    from whoosh.codec.whoosh3 import W3Codec

    schema = fields.Schema(
        id=fields.ID(stored=True), body=fields.TEXT(phrase=True), title=fields.TEXT()
    )
    ours, whooshs = tmp_path / "ours", tmp_path / "whoosh"
    ours.mkdir()
    whooshs.mkdir()
    _build(ours, writing_codec(), schema)
    _build(whooshs, W3Codec(), schema)
    return schema, ours, whooshs


def test_whoosh_reads_our_segments_as_its_own(tmp_path: Path) -> None:
    """Every term's postings (ids, weights, positions) and every search's scores are those
    of the same documents written by Whoosh's codec without inlining, in fewer bytes."""
    from whoosh import index as windex
    from whoosh.qparser import QueryParser

    schema, ours, whooshs = _ours_and_whooshs(tmp_path)
    a, b = windex.open_dir(str(ours)), windex.open_dir(str(whooshs))
    with a.searcher() as sa, b.searcher() as sb:
        inlined = 0
        for field in ("body", "title"):
            lexicon = list(sa.reader().lexicon(field))
            assert lexicon == list(sb.reader().lexicon(field))
            for btext in lexicon:
                ia, ib = sa.reader().term_info(field, btext), sb.reader().term_info(field, btext)
                inlined += ia.is_inlined()
                # A compact term info gives back every statistic of Whoosh's.
                assert _statistics(ia) == _statistics(ib)
                for ask in ("doc_frequency", "frequency"):
                    assert getattr(sa.reader(), ask)(field, btext) == getattr(sb.reader(), ask)(
                        field, btext
                    )
                ma = sa.reader().postings(field, btext)
                mb = sb.reader().postings(field, btext)
                assert list(ma.items_as("positions" if field == "body" else "frequency")) == list(
                    mb.items_as("positions" if field == "body" else "frequency")
                )
        assert inlined > 30
        from newsreader.index.search.terms import COMPACT

        leaf = sa.reader().leaf_readers()[0][0]
        assert sum(v[0] == COMPACT for _, v in leaf._terms._tindex.items()) == inlined
        for text in ("jarang3", "banjir jarang5", '"kota hujan"', "tunggal9 OR jarang2"):
            q = QueryParser("body", schema).parse(text)
            ra = [(h["id"], h.score) for h in sa.search(q, limit=None)]
            rb = [(h["id"], h.score) for h in sb.search(q, limit=None)]
            assert ra == rb and ra
    size = {p.name: sum(f.stat().st_size for f in p.iterdir()) for p in (ours, whooshs)}
    assert size["ours"] < size["whoosh"]


def _statistics(info: object) -> tuple:
    names = ("weight", "doc_frequency", "min_length", "max_length", "max_weight", "min_id")
    return tuple(getattr(info, name)() for name in (*names, "max_id"))


def _blocks(searcher: object, field: str, btext: bytes) -> list[bytes]:
    """A term's postings blocks as stored: each one's data, decompressed."""
    import io
    import zlib

    reader = searcher.reader().leaf_readers()[0][0]  # type: ignore[attr-defined]
    info = reader.term_info(field, btext)
    postfile = reader._terms._postfile
    at, end = info._offset + 4, info._offset + info._length[0]  # after the "W3Bl" header
    out = []
    while at < end:
        length = postfile.get_int(at)
        chunk = postfile.get(at + 4, abs(length))
        stream = io.BytesIO(chunk)
        block_info = pickle.load(stream)
        data = chunk[stream.tell() :]
        out.append(zlib.decompress(data) if block_info[3] else data)
        at += 4 + abs(length)
    return out


def test_a_block_of_positions_is_pickled_without_a_call_per_value(tmp_path: Path) -> None:
    """A block's postings are pickled with protocol 3: each posting's positions as bytes,
    not as Whoosh's protocol 2 call of `_codecs.encode`, and in fewer bytes (Whoosh reads
    the same postings back: see the test above)."""
    from whoosh import index as windex

    _, ours, whooshs = _ours_and_whooshs(tmp_path)
    a, b = windex.open_dir(str(ours)), windex.open_dir(str(whooshs))
    with a.searcher() as sa, b.searcher() as sb:
        for btext in (b"banjir", b"kota"):
            mine, theirs = _blocks(sa, "body", btext), _blocks(sb, "body", btext)
            assert len(mine) == len(theirs) >= 1
            for m, t in zip(mine, theirs, strict=True):
                assert m.startswith(b"\x80\x03") and b"_codecs" not in m
                assert b"_codecs" in t
                assert pickle.loads(m) == pickle.loads(t)
                assert len(m) < len(t)


def test_a_segments_term_tables_are_denser_and_every_term_is_found(tmp_path: Path) -> None:
    """The terms file's hash tables hold fewer empty slots than Whoosh's, and a term is
    still found where it is, by Whoosh's lookup and by ours, and not where it is not."""
    from newsreader.index.search.bestmatch import _hash_get
    from newsreader.index.search.codec import table_slots, writing_codec
    from whoosh import fields
    from whoosh import index as windex

    schema = fields.Schema(id=fields.ID(stored=True), body=fields.TEXT(phrase=True))
    ix = windex.create_in(str(tmp_path), schema)
    writer = ix.writer(codec=writing_codec())
    for k in range(40):
        writer.add_document(id=str(k), body=" ".join(f"kata{k}x{j}" for j in range(100)))
    writer.commit()
    with ix.searcher() as searcher:
        tindex = searcher.reader()._terms._tindex
        keys = [key for key, _ in tindex.items()]
        assert len(keys) > 4000
        per_table = [0] * 256
        for key in keys:
            per_table[tindex.hashfn(key) & 255] += 1
        assert [slots for _, slots in tindex.tables] == [table_slots(n) for n in per_table]
        assert sum(slots for _, slots in tindex.tables) < 1.4 * len(keys)  # Whoosh's: 2x
        for key, value in tindex.items():
            assert tindex.get(key) == value
            assert _hash_get(tindex, key) == value
        for missing in (b"\x00\x00nothing", b"\x01\x00tidak", b"\x00\x01kata3x100"):
            assert tindex.get(missing) is None
            assert _hash_get(tindex, missing) is None
        assert [d["id"] for d in searcher.documents(body="kata7x42")] == ["7"]


@given(st.lists(st.integers(0, 2**32 - 2), min_size=1, max_size=1500, unique=True).map(sorted))
def test_a_postings_positions_are_read_back_from_fewer_bytes(positions: list[int]) -> None:
    """`GapPositions` writes a posting's gaps a byte each where it can, and its decoders
    (Whoosh's readers call them) give back what Whoosh's `Positions` wrote. The format of
    the version before (`CompactPositions`, by its name in an older index's schema) still
    reads back what it wrote."""
    from newsreader.index.search.schema import CompactPositions, GapPositions
    from whoosh.formats import Positions

    before = CompactPositions(field_boost=2.0)
    assert before.decode_positions(before.encode(positions)) == positions
    assert before.decode_frequency(before.encode(positions)) == len(positions)
    ours, whooshs = GapPositions(field_boost=2.0), Positions(field_boost=2.0)
    value = ours.encode(positions)
    theirs = whooshs.encode(positions)
    assert ours.decode_positions(value) == positions == whooshs.decode_positions(theirs)
    assert ours.decode_frequency(value) == len(positions) == whooshs.decode_frequency(theirs)
    assert ours.decode_weight(value) == whooshs.decode_weight(theirs)
    assert ours.decode_position_boosts(value) == whooshs.decode_position_boosts(theirs)
    gaps = [b - a for a, b in zip([-1, *positions], positions, strict=False)]
    if max(gaps) < 255:
        assert len(value) == len(positions)  # a byte a position
    if max(gaps) < 65536:  # beyond, in an article of more than 65,535 words, 4 bytes a gap
        assert len(value) < len(theirs)


def test_a_words_positions_take_a_byte_each_when_close() -> None:
    from newsreader.index.search.schema import decode_positions, positions_value

    assert positions_value([0]) == b"\x01"
    assert positions_value([3, 10, 12]) == b"\x04\x07\x02"
    assert positions_value([300]) == b"\x00" + (301).to_bytes(2, "little")
    widest = b"\xff" + (6).to_bytes(4, "little") + (69_995).to_bytes(4, "little")
    assert positions_value([5, 70_000]) == widest
    for value in (b"\x01", b"\x04\x07\x02", positions_value([300, 301, 900])):
        assert positions_value(decode_positions(value)) == value
    assert decode_positions(b"") == []
