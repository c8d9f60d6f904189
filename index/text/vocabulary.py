"""Word lists the analyzer runs on: stop words and variant spellings, kept as data files.

The bundled lists live in `data/` beside this module; a user adds variants in a TOML file of
the same shape (see `data/variants.toml`), found by `load_vocabulary(extra=...)`.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from .memo import MEMO_WORDS, Memo
from .words import fold, split_words


def _split(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        out.extend(line.split())
    return out


def _read_data(name: str) -> str:
    return resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Vocabulary:
    stopwords_id: frozenset[str]
    stopwords_en: frozenset[str]
    words: dict[str, str]  # folded single word → canonical form
    phrases: dict[tuple[str, ...], str]  # folded word sequence → canonical form
    acronyms: dict[str, str]  # exact capitalised spelling → canonical form
    phrase_lengths: tuple[int, ...] = field(default=())

    @property
    def stopwords(self) -> frozenset[str]:
        return self._stop  # type: ignore[attr-defined]

    @property
    def phrase_starts(self) -> frozenset[str]:
        return self._starts  # type: ignore[attr-defined]

    @property
    def plain_terms(self) -> Memo[tuple[str, bool]]:
        """The analyzer's memo of (term, stop word) per folded word, bounded; not pickled,
        not part of the fingerprint."""
        return self._plain  # type: ignore[attr-defined]

    def __post_init__(self) -> None:
        # Cached derived sets: the analyzer checks them once per word.
        object.__setattr__(self, "_stop", self.stopwords_id | self.stopwords_en)
        object.__setattr__(self, "_starts", frozenset(k[0] for k in self.phrases))
        object.__setattr__(self, "_plain", Memo(MEMO_WORDS))

    def __getstate__(self) -> dict:
        return {
            k: getattr(self, k)
            for k in (
                "stopwords_id",
                "stopwords_en",
                "words",
                "phrases",
                "acronyms",
                "phrase_lengths",
            )
        }

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        self.__post_init__()

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for part in (
            sorted(self.stopwords_id),
            sorted(self.stopwords_en),
            sorted(self.words.items()),
            sorted(self.phrases.items()),
            sorted(self.acronyms.items()),
        ):
            h.update(repr(part).encode())
        return h.hexdigest()

    @classmethod
    def default(cls) -> Vocabulary:
        return load_vocabulary()


def _parse_variants(text: str, source: str) -> tuple[dict, dict]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    variants = data.get("variants", {})
    acronyms = data.get("acronyms", {})
    for section, table in (("variants", variants), ("acronyms", acronyms)):
        if not isinstance(table, dict) or not all(
            isinstance(v, list) and all(isinstance(s, str) for s in v) for v in table.values()
        ):
            raise ConfigError(f"{source}: [{section}] must map a word to a list of spellings")
    return variants, acronyms


def load_vocabulary(extra: Path | None = None) -> Vocabulary:
    """The bundled lists, plus the user's variant file when given and present."""

    stop_id = frozenset(_split(_read_data("stopwords_id.txt")))
    stop_en = frozenset(_split(_read_data("stopwords_en.txt")))
    variants, acronyms = _parse_variants(_read_data("variants.toml"), "variants.toml")
    if extra is not None and extra.is_file():
        try:
            text = extra.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{extra}: cannot read ({exc})") from None
        more_v, more_a = _parse_variants(text, str(extra))
        for canon, spellings in more_v.items():
            variants.setdefault(canon, []).extend(spellings)
        for canon, spellings in more_a.items():
            acronyms.setdefault(canon, []).extend(spellings)

    words: dict[str, str] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for canon, spellings in variants.items():
        canon_f = fold(canon)
        for spelling in [canon, *spellings]:
            parts = tuple(w.folded for w in split_words(spelling))
            if len(parts) == 1:
                words[parts[0]] = canon_f
            elif parts:
                phrases[parts] = canon_f
    acr = {s: fold(canon) for canon, spellings in acronyms.items() for s in spellings}
    lengths = tuple(sorted({len(p) for p in phrases}, reverse=True))
    return Vocabulary(stop_id, stop_en, words, phrases, acr, lengths)
