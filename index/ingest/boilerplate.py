"""Scraping noise and self-repeats: flagged, never removed, so a reader can show them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_TAIL = 3  # "end:" patterns apply to this many last paragraphs


@dataclass(frozen=True)
class BoilerplateRules:
    anywhere: re.Pattern[str]
    at_end: re.Pattern[str]


@lru_cache(maxsize=1)
def default_rules() -> BoilerplateRules:
    data = resources.files(__package__).joinpath("data", "boilerplate.txt")
    text = data.read_text(encoding="utf-8")
    anywhere: list[str] = []
    at_end: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("end:"):
            at_end.append(line[4:])
        else:
            anywhere.append(line)

    def compile_(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    return BoilerplateRules(compile_(anywhere), compile_(at_end))


def boilerplate_flags(lines: list[str], rules: BoilerplateRules | None = None) -> list[bool]:
    """For each paragraph's text, whether it is scraping noise."""
    rules = rules or default_rules()
    n = len(lines)
    flags = []
    for i, line in enumerate(lines):
        s = " ".join(line.split())
        noise = bool(rules.anywhere.fullmatch(s)) or (
            i >= n - _TAIL and bool(rules.at_end.fullmatch(s))
        )
        flags.append(noise)
    return flags


def repeats(keys: list[str], skip: list[bool]) -> list[int | None]:
    """For each paragraph (given by its words, folded, joined by spaces: case, accents and
    punctuation do not count), the index of an earlier identical paragraph, if any.
    Skipped (boilerplate) paragraphs neither repeat nor are repeated."""
    first: dict[str, int] = {}
    out: list[int | None] = []
    for i, (key, noise) in enumerate(zip(keys, skip, strict=True)):
        if noise or not key:
            out.append(None)
            continue
        if key in first:
            out.append(first[key])
        else:
            first[key] = i
            out.append(None)
    return out
