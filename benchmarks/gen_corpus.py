"""Generate a synthetic Indonesian-like news corpus: one .txt article per file.

Words are drawn from a vocabulary as large as a real archive's. When the CLICK-ID corpus
(`../shared/corpora/clickid-id/articles.jsonl`, read only; only a derived word list is
cached, under benchmarks/work/) is present, every lower-case word type of it and of
`sample_corpus/*.txt` is drawn with its real frequency, and capitalised names likewise.
Words never seen there get the Good-Turing share of the tokens (hapaxes / tokens) and come
from a long tail of generated Indonesian-like pseudo-words with a Zipf distribution, so that
the lexicon keeps growing with N as a real archive's does. Without CLICK-ID, the words of
`sample_corpus/*.txt` get Zipf-Mandelbrot weights by rank, and the same law carries on into the
pseudo-word tail. Each article: a title line, sometimes a date line ("Rabu (3/7/2024)") or a
dateline/date inside the first sentence, then 4-12 paragraphs of 1-4 sentences of 8-25 words,
with capitalised names and the odd quotation.

Deterministic for a given seed and vocabulary source (the vocabulary's fingerprint is written
to the corpus's `.manifest.json`, a hidden file the engine ignores).

Library use (bench_reuse.py builds on it):
    vocab = load_vocab()
    gen = TextGenerator(vocab, random.Random(seed))
    art = gen.article()            # structure: title, date line, paragraphs of Sentences
    text, spans = render(art)      # text, {sentence object id: (start, end)}
    generate(folder, n, seed)      # the whole corpus on disk

CLI:  python benchmarks/gen_corpus.py OUT_FOLDER -n 10000 --seed 1
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, SHARED, WORK

SAMPLE_CORPUS = REPO / "sample_corpus"
CLICKID = Path(
    os.environ.get("NEWSREADER_CLICKID", SHARED / "corpora" / "clickid-id" / "articles.jsonl")
)

GENERATOR_VERSION = "3"  # 3: every word type with its real frequency, pseudo-word tail
ZIPF_S = 1.0  # Zipf-Mandelbrot weight 1/(rank + ZIPF_Q)^ZIPF_S (no CLICK-ID): the top word
ZIPF_Q = 2.7  # ("yang") gets about 3.5% of tokens, as in real Indonesian news
# Pseudo-word ranks after the real words, drawn with density (rank + ZIPF_Q)^-TAIL_S. With
# CLICK-ID, the tail gets its hapax share (~0.6% of tokens); without it, the tail carries on
# the sample words' Zipf-Mandelbrot law (continuous at the last sample word), but steeper, as
# a real lexicon's tail is. Either way the lexicon keeps growing with N about as a real
# archive's does (see the README for the figures).
TAIL_RANKS = 2_000_000
TAIL_S = 1.0
TAIL_S_SAMPLE_ONLY = 1.6
MIN_NAME_COUNT = 2  # a capitalised word seen once may be a typo; twice, a name

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_NOT_NAMES = set(WEEKDAYS_ID) | {
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
    "WIB",
    "WITA",
    "WIT",
    "Rp",
    "Jumat",
    "Ahad",
}
_CITIES = (
    "JAKARTA",
    "BANDUNG",
    "SURABAYA",
    "MEDAN",
    "MAKASSAR",
    "SEMARANG",
    "DENPASAR",
    "YOGYAKARTA",
    "PALEMBANG",
    "BALIKPAPAN",
)
_OUTLETS = ("KOMPAS.com", "Okezone.com", "TEMPO.CO", "SINDOnews.com", "Tribunnews.com")
_SAYS = ("kata", "ujar", "tutur", "jelas", "ucap", "tegas")


# -- vocabulary -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocab:
    words: tuple[str, ...]  # real lower-case words, most frequent first (rank order)
    names: tuple[str, ...]  # capitalised names, most frequent first
    sources: tuple[str, ...]
    fingerprint: str
    cum: tuple[float, ...] = field(repr=False, default=())  # cumulative weights of `words`
    name_cum: tuple[float, ...] = field(repr=False, default=())
    tail_mass: float = 0.0  # share of drawn words that come from the pseudo-word tail
    tail_ranks: int = 0  # pseudo-words at ranks len(words)+1 ... len(words)+tail_ranks
    tail_s: float = 1.0  # the tail's Zipf exponent

    def rank_of(self, word: str) -> int | None:
        return _rank_index(self).get(word)


_RANKS: dict[str, dict[str, int]] = {}


def _rank_index(v: Vocab) -> dict[str, int]:
    idx = _RANKS.get(v.fingerprint)
    if idx is None:
        idx = {w: i for i, w in enumerate(v.words)}
        _RANKS[v.fingerprint] = idx
    return idx


def _zipf_cum(n: int, s: float, q: float = 0.0) -> tuple[float, ...]:
    return tuple(itertools.accumulate(1.0 / ((r + q) ** s) for r in range(1, n + 1)))


def _count_text(text: str, low: Counter, cap: Counter) -> None:
    for m in _WORD.finditer(text):
        w = m.group()
        if not w.isascii() or len(w) < 2:
            continue
        if w[0].isupper():
            cap[w] += 1
        else:
            low[w] += 1


def _source_signature() -> tuple[list[str], str]:
    parts = []
    files = sorted(SAMPLE_CORPUS.glob("*.txt"))
    for p in files:
        st = p.stat()
        parts.append(f"{p.name}:{st.st_size}")
    sources = [f"{SAMPLE_CORPUS}/*.txt ({len(files)} files)"]
    if CLICKID.is_file():
        st = CLICKID.stat()
        parts.append(f"clickid:{st.st_size}:{st.st_mtime_ns}")
        sources.append(str(CLICKID))
    sig = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return sources, sig


def load_vocab(*, use_clickid: bool = True, verbose: bool = False) -> Vocab:
    """The word list with its frequencies, built once from the sources and cached (derived
    counts only) under benchmarks/work/."""
    sources, sig = _source_signature()
    if not use_clickid:
        sources = sources[:1]
        sig = sig + "-sample"
    cache = WORK / f"vocab-{GENERATOR_VERSION}-{sig}.json"
    if cache.is_file():
        data = json.loads(cache.read_text(encoding="utf-8"))
    else:
        t0 = time.perf_counter()
        low: Counter = Counter()
        cap: Counter = Counter()
        for p in sorted(SAMPLE_CORPUS.glob("*.txt")):
            _count_text(p.read_text(encoding="utf-8"), low, cap)
        real = use_clickid and CLICKID.is_file()
        if real:
            with CLICKID.open(encoding="utf-8") as fh:  # read only
                for line in fh:
                    rec = json.loads(line)
                    _count_text(rec.get("title") or "", low, cap)
                    _count_text(rec.get("body") or "", low, cap)
        words = sorted(low, key=lambda w: (-low[w], w))
        names = [
            w
            for w in cap
            if cap[w] >= (MIN_NAME_COUNT if real else 1)
            and w not in _NOT_NAMES
            and w.lower() not in low
        ]
        names = sorted(names, key=lambda w: (-cap[w], w))
        tokens = sum(low.values())
        hapaxes = sum(1 for c in low.values() if c == 1)
        data = {
            "words": words,
            "word_counts": [low[w] for w in words],
            "names": names,
            "name_counts": [cap[w] for w in names],
            "sources": sources,
            "real_frequencies": real,
            # Good-Turing: the chance that the next word is one never seen before
            "unseen_share": hapaxes / tokens if tokens else 0.0,
        }
        WORK.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
        if verbose:
            print(
                f"vocabulary: {len(words):,} words, {len(names):,} names from "
                f"{', '.join(sources)} in {time.perf_counter() - t0:.1f}s",
                file=sys.stderr,
            )
    words, names = tuple(data["words"]), tuple(data["names"])
    if data["real_frequencies"]:
        cum = tuple(itertools.accumulate(data["word_counts"]))
        name_cum = tuple(itertools.accumulate(data["name_counts"]))
        tail_mass, tail_s = data["unseen_share"], TAIL_S
    else:  # a few hundred words: Zipf-Mandelbrot by rank, carried on into the tail
        cum = _zipf_cum(len(words), ZIPF_S, ZIPF_Q)
        name_cum = _zipf_cum(len(names), 0.8)
        tail_s = TAIL_S_SAMPLE_ONLY
        a = len(words) + ZIPF_Q
        # the tail's weight: the integral of a^(s-1) (r + q)^-s over its ranks
        tail = a ** (tail_s - 1) * _tail_integral(a, a + TAIL_RANKS, tail_s)
        tail_mass = tail / (cum[-1] + tail)
    fp = hashlib.sha256(
        json.dumps([words, names, cum[-1], name_cum[-1], tail_mass, TAIL_RANKS, tail_s]).encode()
    ).hexdigest()[:16]
    return Vocab(
        words, names, tuple(data["sources"]), fp, cum, name_cum, tail_mass, TAIL_RANKS, tail_s
    )


def _tail_integral(a: float, b: float, s: float) -> float:
    """The integral of x^-s from a to b."""
    if s == 1.0:
        return math.log(b / a)
    return (a ** (1 - s) - b ** (1 - s)) / (s - 1)


# Pseudo-words: Indonesian-looking syllables with the common affixes, one per tail rank.
_ONSETS = ("b", "c", "d", "g", "h", "j", "k", "l", "m", "n", "ng", "ny", "p", "r", "s", "t", "w")
_ONSETS += ("y", "", "", "k", "t", "s", "r", "p", "b")
_VOWELS = ("a", "a", "a", "i", "i", "u", "u", "e", "o")
_CODAS = ("", "", "", "", "n", "ng", "r", "s", "t", "k", "h", "l", "m")
_PREFIXES = ("", "", "", "", "me", "mem", "men", "meng", "ber", "di", "ter", "pe", "pen", "per")
_PREFIXES += ("ke", "se")
_SUFFIXES = ("", "", "", "", "kan", "an", "nya", "i", "lah")


def pseudo_word(rank: int, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """The pseudo-word at a tail rank: always the same for that rank, never a real word."""
    r = random.Random(rank * 2_654_435_761 + 97)
    root = "".join(
        r.choice(_ONSETS) + r.choice(_VOWELS) + r.choice(_CODAS)
        for _ in range(r.choice((2, 2, 2, 3, 3)))
    )
    word = r.choice(_PREFIXES) + root + r.choice(_SUFFIXES)
    while len(word) < 4 or word in taken:
        word += r.choice(_ONSETS) + r.choice(_VOWELS)
    return word


# -- text structure ---------------------------------------------------------------------------


class Sentence:
    """One sentence of an article; `tags` mark planted or source passages (bench_reuse)."""

    __slots__ = ("tags", "text")

    def __init__(self, text: str, tags: tuple = ()) -> None:
        self.text = text
        self.tags = tags

    @property
    def n_words(self) -> int:
        return len(self.text.split())


@dataclass
class ArticleDraft:
    title: str
    date_line: str | None  # a line of its own under the title
    paragraphs: list[list[Sentence]]
    when: date | None = None


def render(art: ArticleDraft) -> tuple[str, dict[int, tuple[int, int]]]:
    """The article's text and the (start, end) character span of every sentence, keyed by
    id(sentence)."""
    out: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos = 0

    def put(s: str) -> None:
        nonlocal pos
        out.append(s)
        pos += len(s)

    put(art.title)
    put("\n\n")
    if art.date_line:
        put(art.date_line)
        put("\n\n")
    for pi, para in enumerate(art.paragraphs):
        if pi:
            put("\n\n")
        for si, sent in enumerate(para):
            if si:
                put(" ")
            spans[id(sent)] = (pos, pos + len(sent.text))
            put(sent.text)
    put("\n")
    return "".join(out), spans


def date_text(d: date) -> str:
    """'Rabu (3/7/2024)'."""
    return f"{WEEKDAYS_ID[d.weekday()]} ({d.day}/{d.month}/{d.year})"


class TextGenerator:
    def __init__(self, vocab: Vocab, rng: random.Random) -> None:
        self.v = vocab
        self.rng = rng
        self._total = vocab.cum[-1]
        self._name_total = vocab.name_cum[-1]
        self._tail: dict[int, str] = {}
        self._real = frozenset(vocab.words) | {n.lower() for n in vocab.names}
        # Tail ranks r are drawn with density (r + q)^-s on [v, v + tail_ranks), by
        # inverting the distribution function.
        self._tail_a = len(vocab.words) + ZIPF_Q
        self._tail_b = self._tail_a + vocab.tail_ranks

    # words
    def tail_word(self) -> str:
        a, b, s, u = self._tail_a, self._tail_b, self.v.tail_s, self.rng.random()
        if s == 1.0:
            x = a * (b / a) ** u
        else:
            x = (a ** (1 - s) - u * (a ** (1 - s) - b ** (1 - s))) ** (1 / (1 - s))
        rank = int(x - ZIPF_Q)
        word = self._tail.get(rank)
        if word is None:
            word = self._tail[rank] = pseudo_word(rank, self._real)
        return word

    def _one(self) -> str:
        if self.rng.random() < self.v.tail_mass:
            return self.tail_word()
        return self.rng.choices(self.v.words, cum_weights=self.v.cum)[0]

    def words(self, k: int) -> list[str]:
        out = self.rng.choices(self.v.words, cum_weights=self.v.cum, k=k)
        if self.v.tail_mass:
            rnd = self.rng.random
            for i in range(k):
                if rnd() < self.v.tail_mass:
                    out[i] = self.tail_word()
        for i in range(1, k):  # no "yang yang"
            while out[i] == out[i - 1]:
                out[i] = self._one()
        return out

    def word(self) -> str:
        return self.words(1)[0]

    def name(self) -> str:
        r = self.rng
        parts = r.choices(
            self.v.names, cum_weights=self.v.name_cum, k=2 if r.random() < 0.35 else 1
        )
        return " ".join(parts)

    # sentences
    def sentence_text(self, n_words: int | None = None, *, quote: bool | None = None) -> str:
        r = self.rng
        n = n_words if n_words is not None else r.randint(8, 25)
        if quote is None:
            quote = r.random() < 0.1
        body_n = max(3, n - 3) if quote else n
        toks = self.words(body_n)
        # proper names in some sentences
        for _ in range(r.choices((0, 1, 2), weights=(0.45, 0.4, 0.15))[0]):
            toks[r.randrange(len(toks))] = self.name()
        out = []
        for i, t in enumerate(toks):
            out.append(t)
            if 2 <= i < len(toks) - 2 and r.random() < 0.05:
                out[-1] = t + ","
        if quote:
            text = " ".join(out)
            return f"\u201c{text[0].upper()}{text[1:]},\u201d {r.choice(_SAYS)} {self.name()}."
        text = " ".join(out)
        return f"{text[0].upper()}{text[1:]}."

    def sentence(self, n_words: int | None = None) -> Sentence:
        return Sentence(self.sentence_text(n_words))

    def paragraph(self) -> list[Sentence]:
        return [
            self.sentence() for _ in range(self.rng.choices((1, 2, 3, 4), weights=(2, 4, 4, 2))[0])
        ]

    def title(self) -> str:
        r = self.rng
        toks = self.words(r.randint(5, 11))
        if r.random() < 0.6:
            toks.insert(r.randrange(len(toks) + 1), self.name())
        text = " ".join(toks)
        return text[0].upper() + text[1:]

    def when(self) -> date:
        return date(2019, 1, 1) + timedelta(days=self.rng.randrange(7 * 365))

    def article(self) -> ArticleDraft:
        r = self.rng
        title = self.title()
        paragraphs = [self.paragraph() for _ in range(r.randint(4, 12))]
        style = r.random()
        when = None
        date_line = None
        if style < 0.35:  # a date line of its own
            when = self.when()
            date_line = date_text(when)
        elif style < 0.7:  # "..., kata X, Rabu (3/7/2024)." in the first sentence
            when = self.when()
            first = paragraphs[0][0]
            first.text = first.text[:-1] + f", {r.choice(_SAYS)} {self.name()}, {date_text(when)}."
        if r.random() < 0.2:  # "JAKARTA, KOMPAS.com - " dateline
            first = paragraphs[0][0]
            first.text = f"{r.choice(_CITIES)}, {r.choice(_OUTLETS)} - {first.text}"
        return ArticleDraft(title, date_line, paragraphs, when)


# -- corpus on disk ---------------------------------------------------------------------------


def article_path(i: int) -> str:
    return f"part-{i // 1000:03d}/art-{i:06d}.txt"


def manifest_matches(folder: Path, expected: dict) -> bool:
    path = folder / ".manifest.json"
    if not path.is_file():
        return False
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(got.get(k) == v for k, v in expected.items()) and got.get("complete") is True


def write_manifest(folder: Path, data: dict) -> None:
    (folder / ".manifest.json").write_text(json.dumps(data, indent=1), encoding="utf-8")


def generate(
    folder: Path | str, n: int, seed: int = 1, vocab: Vocab | None = None, *, progress: bool = False
) -> dict:
    """Write n articles into `folder` (emptied of earlier part-* folders first). Returns the
    manifest."""
    import shutil

    folder = Path(folder)
    vocab = vocab or load_vocab(verbose=progress)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*"):
        shutil.rmtree(old)
    rng = random.Random(seed)
    gen = TextGenerator(vocab, rng)
    t0 = time.perf_counter()
    total_bytes = 0
    words = 0
    lexicon: set[str] = set()
    for i in range(n):
        art = gen.article()
        text, _ = render(art)
        p = folder / article_path(i)
        p.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        p.write_bytes(data)
        total_bytes += len(data)
        words += len(text.split())
        lexicon.update(m.group().lower() for m in _WORD.finditer(text))
        if progress and (i + 1) % 5000 == 0:
            print(f"  generated {i + 1}/{n}", file=sys.stderr)
    manifest = corpus_manifest(n, seed, vocab) | {
        "bytes": total_bytes,
        "words": words,
        "distinct_words": len(lexicon),  # lower-cased word types: the lexicon's size
        "seconds": round(time.perf_counter() - t0, 2),
        "complete": True,
    }
    write_manifest(folder, manifest)
    return manifest


def corpus_manifest(n: int, seed: int, vocab: Vocab, kind: str = "plain") -> dict:
    return {
        "kind": kind,
        "n": n,
        "seed": seed,
        "generator": GENERATOR_VERSION,
        "vocab": vocab.fingerprint,
        "vocab_sources": list(vocab.sources),
    }


def ensure_corpus(
    folder: Path, n: int, seed: int, vocab: Vocab | None = None, *, progress: bool = True
) -> tuple[dict, bool]:
    """The corpus at `folder`, generated unless a complete one with the same parameters is
    there. Returns (manifest, reused)."""
    vocab = vocab or load_vocab(verbose=progress)
    expected = corpus_manifest(n, seed, vocab)
    if manifest_matches(folder, expected):
        return json.loads((folder / ".manifest.json").read_text(encoding="utf-8")), True
    return generate(folder, n, seed, vocab, progress=progress), False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Writes N .txt files under OUT (part-NNN/art-NNNNNN.txt) and OUT/.manifest.json.",
    )
    ap.add_argument("out", type=Path, help="folder to write the corpus into")
    ap.add_argument("-n", "--articles", type=int, default=1000, help="number of articles")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument(
        "--sample-only",
        action="store_true",
        help="build the vocabulary from sample_corpus only, even if CLICK-ID is present",
    )
    ap.add_argument(
        "--print-one", action="store_true", help="print the first article to stdout as well"
    )
    args = ap.parse_args(argv)
    vocab = load_vocab(use_clickid=not args.sample_only, verbose=True)
    m = generate(args.out, args.articles, args.seed, vocab, progress=True)
    print(json.dumps(m, indent=1))
    if args.print_one:
        print((args.out / article_path(0)).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
