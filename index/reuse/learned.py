"""Word substitutions learned from the corpus: one word swapped for another inside passages
two articles share ("tandingan" where the other says "penyeimbang"), counted over distinct
contexts (the words on either side: one sentence quoted by many articles counts once). A
substitution seen in several contexts is used by later alignments as a match
(an anchor, and a `replace` in the edit operations), and a user can promote it into their
variants file (`promote_variant`), after which the analyzer joins the two words everywhere.

The substitutions are kept beside the index, in one small JSON file (see `LEARNED_FILE`),
tied to the analyzer they were learned with: terms are analysed forms (stems), so a file
made with other word lists is ignored. Rebuilding the index folder starts it afresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError
from ..text.analysis import Analyzer
from ..text.vocabulary import _parse_variants as parse_variants
from ..text.words import split_words
from .align import Alignment, Op

LEARNED_FILE = "learned-variants.json"
FILE_SCHEMA = 1
MIN_PAIRS = 3  # distinct contexts a substitution needs before it is used (see context_key)
MIN_SCORE = 0.5  # a passage must be at least this similar (Dice) to teach anything
MIN_SHARED = 12  # ... and share at least this many words
MAX_PAIRS_KEPT = 20  # contexts remembered per substitution (enough to count to MIN_PAIRS)
MAX_SPELLINGS = 5  # spellings remembered per side
MAX_ENTRIES = 50_000  # substitutions kept in the file (the best supported first)
MAX_GROUP = 4  # terms made equal through chained substitutions, at most
# Words of one closed class are never variants of each other, however often one stands where
# the other did: templated news swaps them in otherwise equal sentences (a weekday, a month,
# a market's direction: "IHSG diprediksi menguat" / "... terkoreksi"), and made equal they
# called two different reports the same (a QA pass saw 24% shared become 97%).
CONTRASTS: tuple[tuple[str, ...], ...] = (
    (  # when: a weekday, a time of day, a day relative to today
        "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "ahad", "hari",
        "pagi", "siang", "sore", "malam", "dini", "kemarin", "besok", "lusa", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    ),
    (
        "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
        "september", "oktober", "november", "desember", "january", "february", "march",
        "june", "july", "august", "october", "december",
    ),
    (  # which way a figure went
        "naik", "turun", "menguat", "melemah", "terkoreksi", "koreksi", "meningkat",
        "menurun", "bertambah", "berkurang", "anjlok", "merosot", "melonjak", "membaik",
        "memburuk", "terpuruk", "bangkit", "positif", "negatif", "surplus", "defisit",
        "untung", "rugi", "tinggi", "rendah", "menang", "kalah", "banyak", "sedikit",
        "besar", "kecil", "support", "resistance", "rise", "fall", "gain", "loss", "high",
        "low",
    ),
    ("merah", "hijau", "kuning", "biru", "putih", "hitam", "ungu", "oranye", "cokelat"),
    ("utara", "selatan", "timur", "barat", "kiri", "kanan", "atas", "bawah", "tengah"),
    ("awal", "akhir", "pertama", "kedua", "ketiga", "keempat", "kelima", "terakhir"),
    ("pria", "wanita", "laki", "perempuan", "putra", "putri"),
)  # fmt: skip


def contrast_classes(analyzer: Analyzer) -> dict[str, int]:
    """term → its closed class in CONTRASTS, as `analyzer` analyses the words."""
    out: dict[str, int] = {}
    for k, words in enumerate(CONTRASTS):
        for word in words:
            for term in analyzer.terms(word):
                if not term.stop:
                    out.setdefault(term.text, k)
    return out


@dataclass(frozen=True)
class LearnedVariant:
    """Two analysed terms found swapped for each other, with how they were written."""

    terms: tuple[str, str]  # analysed forms, sorted
    spellings: tuple[tuple[str, ...], tuple[str, ...]]  # folded words seen, per term
    pairs: int  # distinct contexts it was seen in (the name kept from when pairs were counted)

    def to_json(self) -> dict:
        return {
            "terms": list(self.terms),
            "spellings": [list(s) for s in self.spellings],
            "pairs": self.pairs,
        }


@dataclass
class _Entry:
    spellings: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    pairs: list[str] = field(default_factory=list)


def substitutions(alignment: Alignment, analyzer: Analyzer) -> list[tuple[str, str, str, str]]:
    """(term in A, term in B, spelling in A, spelling in B) of each one-word replace inside
    a confident passage: one word on each side, between two matching stretches, with
    analysed forms that differ (a variant spelling or an inflection is no substitution)."""
    return [found[:4] for found in _substitutions(alignment, analyzer)]


def _substitutions(
    alignment: Alignment, analyzer: Analyzer
) -> list[tuple[str, str, str, str, str]]:
    """`substitutions`, each with its context: the analysed words on either side of it."""
    out: list[tuple[str, str, str, str, str]] = []
    for passage in alignment.passages:
        if passage.score < MIN_SCORE or passage.shared_words < MIN_SHARED:
            continue
        ops = passage.ops
        for k, op in enumerate(ops):
            if op.op != "replace" or k == 0 or k == len(ops) - 1:
                continue
            if not _matching(ops[k - 1]) or not _matching(ops[k + 1]):
                continue
            a = passage.a_text[op.a_start - passage.a_start : op.a_end - passage.a_start]
            b = passage.b_text[op.b_start - passage.b_start : op.b_end - passage.b_start]
            found = _one_word(a, b, analyzer)
            if found is not None:
                before = _edge_term(passage.a_text, passage.a_start, ops[k - 1], analyzer, -1)
                after = _edge_term(passage.a_text, passage.a_start, ops[k + 1], analyzer, 0)
                out.append((*found, context_key(before, after)))
    return out


def _edge_term(text: str, offset: int, op: Op, analyzer: Analyzer, which: int) -> str:
    terms = analyzer.terms(text[op.a_start - offset : op.a_end - offset])
    return terms[which].text if terms else ""


def context_key(before: str, after: str) -> str:
    """A short name for the words around a substitution. Support is counted over distinct
    contexts, not article pairs: one sentence quoted in many articles ("di Istana Merdeka,
    Jakarta" where others wrote "Istana Negara") is one piece of evidence, however many
    pairs share it."""
    return hashlib.blake2b(f"{before}\x1f{after}".encode(), digest_size=6).hexdigest()


def _matching(op: Op) -> bool:
    return op.op in ("equal", "replace")


def _one_word(a: str, b: str, analyzer: Analyzer) -> tuple[str, str, str, str] | None:
    ta, tb = analyzer.terms(a), analyzer.terms(b)
    if len(ta) != 1 or len(tb) != 1:
        return None
    # A name, an acronym or a ticker on either side: two entities in one template (a QA
    # pass found "ggrp"~"tfas" from stock reports, "jokowi"~"presiden", and the two parts
    # of one man's name, "laode"~"syarif"), not two ways to say one thing.
    if any(text[t.start : t.end][:1].isupper() for text, t in ((a, ta[0]), (b, tb[0]))):
        return None
    x, y = ta[0], tb[0]
    if x.stop or y.stop or x.text == y.text or " " in x.surface or " " in y.surface:
        return None
    if not _wordlike(x.text) or not _wordlike(y.text):
        return None
    return x.text, y.text, x.surface, y.surface


def _wordlike(term: str) -> bool:
    return len(term) >= 3 and not any(ch.isdigit() for ch in term)


class LearnedVariants:
    """The substitutions learned so far for one index."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self._entries: dict[tuple[str, str], _Entry] = {}
        self.changed = False
        self.came_into_use = 0  # substitutions that reached MIN_PAIRS since loaded
        self.contrasts: dict[str, int] = {}  # term → closed class (see contrast_classes)

    # -- learning ---------------------------------------------------------------------------
    def record(self, alignment: Alignment, analyzer: Analyzer) -> int:
        """Learn from one aligned pair of articles; returns how many substitutions it saw."""
        found = _substitutions(alignment, analyzer)
        for term_a, term_b, spelling_a, spelling_b, context in found:
            self.add((term_a, term_b), (spelling_a, spelling_b), context)
        return len(found)

    def add(self, terms: tuple[str, str], spellings: tuple[str, str], pair: str) -> None:
        if self._contrasting(terms):
            return
        if terms[0] > terms[1]:
            terms, spellings = (terms[1], terms[0]), (spellings[1], spellings[0])
        entry = self._entries.setdefault(terms, _Entry())
        for side in (0, 1):
            seen = entry.spellings[side]
            if spellings[side] not in seen and len(seen) < MAX_SPELLINGS:
                seen.append(spellings[side])
                self.changed = True
        if pair not in entry.pairs and len(entry.pairs) < MAX_PAIRS_KEPT:
            entry.pairs.append(pair)
            self.changed = True
            if len(entry.pairs) == MIN_PAIRS:
                self.came_into_use += 1

    def _contrasting(self, terms: tuple[str, str]) -> bool:
        k = self.contrasts.get(terms[0])
        return k is not None and self.contrasts.get(terms[1]) == k

    # -- reading ----------------------------------------------------------------------------
    def learned(self, min_pairs: int = MIN_PAIRS) -> list[LearnedVariant]:
        """Substitutions seen in at least `min_pairs` article pairs, best supported first."""
        out = [
            LearnedVariant(terms, (tuple(e.spellings[0]), tuple(e.spellings[1])), len(e.pairs))
            for terms, e in self._entries.items()
            if len(e.pairs) >= min_pairs and not self._contrasting(terms)
        ]
        out.sort(key=lambda v: (-v.pairs, v.terms))
        return out

    def find(self, words: Iterable[str], analyzer: Analyzer) -> LearnedVariant | None:
        """The learned substitution between these words (as written or analysed), if any."""
        keys = set()
        for word in words:
            keys.update(t.text for t in analyzer.terms(word))
            keys.update(w.folded for w in split_words(word))
        for v in self.learned(1):
            spelt = {*v.terms, *v.spellings[0], *v.spellings[1]}
            if (
                len(keys & spelt) >= 2
                and keys & {v.terms[0], *v.spellings[0]}
                and (keys & {v.terms[1], *v.spellings[1]})
            ):
                return v
        return None

    def equivalents(self, min_pairs: int = MIN_PAIRS) -> dict[str, str]:
        """term → the key it aligns as: terms joined by well-supported substitutions share
        one key (the smallest), in groups of at most MAX_GROUP terms, strongest first."""
        parent: dict[str, str] = {}
        size: dict[str, int] = {}

        def root(t: str) -> str:
            while parent.get(t, t) != t:
                t = parent[t]
            return t

        for v in self.learned(min_pairs):
            r0, r1 = root(v.terms[0]), root(v.terms[1])
            if r0 == r1 or size.get(r0, 1) + size.get(r1, 1) > MAX_GROUP:
                continue
            lo, hi = sorted((r0, r1))
            parent[hi] = lo
            parent.setdefault(lo, lo)
            size[lo] = size.get(lo, 1) + size.get(hi, 1)
        return {t: root(t) for t in parent if root(t) != t}

    # -- the file ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path, fingerprint: str) -> LearnedVariants:
        """What the file holds; nothing when it is missing, damaged, or made with another
        analyzer (its terms would not match)."""
        out = cls(fingerprint)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return out
        if not isinstance(data, dict) or data.get("analyzer") != fingerprint:
            return out
        for item in data.get("substitutions", []):
            try:
                terms = (str(item["terms"][0]), str(item["terms"][1]))
                spellings = (
                    [str(s) for s in item["spellings"][0]],
                    [str(s) for s in item["spellings"][1]],
                )
                pairs = [str(p) for p in item["pairs"]]
            except (KeyError, IndexError, TypeError):
                continue
            out._entries[terms] = _Entry(spellings, pairs)
        return out

    def save(self, path: Path) -> bool:
        """Write the file atomically, merged with what another run wrote meanwhile. False
        when the folder cannot be written (learning is a bonus, never an error)."""
        if not self.changed:
            return True
        on_disk = LearnedVariants.load(path, self.fingerprint)
        for terms, theirs in on_disk._entries.items():
            mine = self._entries.setdefault(terms, _Entry())
            for side in (0, 1):
                for spelling in theirs.spellings[side]:
                    if (
                        spelling not in mine.spellings[side]
                        and len(mine.spellings[side]) < MAX_SPELLINGS
                    ):
                        mine.spellings[side].append(spelling)
            for pair in theirs.pairs:
                if pair not in mine.pairs and len(mine.pairs) < MAX_PAIRS_KEPT:
                    mine.pairs.append(pair)
        ranked = sorted(self._entries.items(), key=lambda kv: (-len(kv[1].pairs), kv[0]))
        data = {
            "schema": FILE_SCHEMA,
            "analyzer": self.fingerprint,
            "substitutions": [
                {"terms": list(t), "spellings": [e.spellings[0], e.spellings[1]], "pairs": e.pairs}
                for t, e in ranked[:MAX_ENTRIES]
            ],
        }
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".learned-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)
            return False
        self.changed = False
        return True


def promote_variant(path: Path, words: list[str]) -> str:
    """Add `words` as spellings of one variant to the user's variants file (the first word
    is the canonical form), keeping what the file already holds; returns the line written.
    The analyzer changes with it, so the index is rebuilt on its next update."""
    spellings = list(dict.fromkeys(w.strip().lower() for w in words if w.strip()))
    if len(spellings) < 2:
        raise ConfigError("give at least two different words to make variants of each other")
    for word in spellings:
        if not split_words(word) or '"' in word or "\\" in word:
            raise ConfigError(f'"{word}" is not a word that can be a variant spelling')
    canon = "".join(w.folded for w in split_words(spellings[0]))
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    variants, _ = parse_variants(text, str(path))
    known = [s for s in variants.get(canon, []) if s not in spellings]
    value = "[" + ", ".join(f'"{s}"' for s in [*known, *spellings]) + "]"
    line = f'"{canon}" = {value}'
    lines = text.splitlines()
    own = re.compile(rf"""^\s*["']?{re.escape(canon)}["']?\s*=""")
    section = None
    at = None
    for k, raw in enumerate(lines):
        stripped = raw.split("#", 1)[0].strip()
        if stripped.startswith("["):
            section = stripped
            if section == "[variants]":
                at = k + 1
        elif section == "[variants]" and own.match(raw):
            if not raw.rstrip().endswith("]"):
                raise ConfigError(
                    f"{path}: the entry for {canon} spans several lines; add the words by hand"
                )
            lines[k] = line
            at = None
            break
    else:
        if at is None:
            lines = [*lines, *([""] if lines else []), "[variants]"]
            at = len(lines)
        lines.insert(at, line)
    new = "\n".join(lines) + "\n"
    parse_variants(new, str(path))  # never write a file the next run cannot read
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".variants-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(new)
    os.replace(tmp, path)
    return line


def learned_path(index_dir: Path) -> Path:
    return index_dir / LEARNED_FILE
