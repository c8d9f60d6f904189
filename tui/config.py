"""Settings for the app, kept apart from the widgets that use them.

Defaults suit most people; an optional `tui.toml` in the config folder can change them:

    theme = "gruvbox"
    debounce_ms = 150
    result_limit = 200

    [keys]          # binding id = keys (ids are listed in tui/keymap.py)
    "article.next_hit" = "n,right_square_bracket"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..index import config_home

ENV_THEME = "NEWSREADER_THEME"
CONFIG_FILE = "tui.toml"


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    # Pause after the last keystroke before searching: short enough to feel live, long
    # enough that a fast typist does not queue a search per letter.
    debounce: float = 0.2
    # Results fetched at a time ("Show more" fetches more). Each hit costs the engine a
    # snippet; 30 fill several screens and keep a search on 10,000 articles near 0.1 s.
    result_limit: int = 30
    # Below this width the main screen shows one pane at a time and the comparison stacks.
    narrow_width: int = 90
    keys: dict[str, str] = field(default_factory=dict)


def config_dir() -> Path:
    return config_home()


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `tui.toml` (if present) and $NEWSREADER_THEME. A broken file is
    ignored rather than stopping the app from starting."""
    settings = Settings()
    path = path or config_dir() / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        data = {}
    changes: dict = {}
    if isinstance(data.get("theme"), str):
        changes["theme"] = data["theme"]
    if isinstance(data.get("debounce_ms"), int) and 0 <= data["debounce_ms"] <= 2000:
        changes["debounce"] = data["debounce_ms"] / 1000
    if isinstance(data.get("result_limit"), int) and 1 <= data["result_limit"] <= 10_000:
        changes["result_limit"] = data["result_limit"]
    if isinstance(data.get("narrow_width"), int) and data["narrow_width"] > 0:
        changes["narrow_width"] = data["narrow_width"]
    keys = data.get("keys")
    if isinstance(keys, dict):
        changes["keys"] = {str(k): str(v) for k, v in keys.items() if isinstance(v, str)}
    if os.environ.get(ENV_THEME):
        changes["theme"] = os.environ[ENV_THEME]
    return replace(settings, **changes)
