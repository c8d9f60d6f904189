"""Settings for the app, kept apart from the widgets that use them.

Defaults suit most people; an optional `tui.toml` in the config folder can change them:

    theme = "gruvbox"
    debounce_ms = 150
    result_limit = 200
    export_dir = "~/Documents"

    [keys]          # binding id = keys (`newsreader keys` lists the ids)
    "article.next_hit" = "n,right_square_bracket"

A mistake in the file (broken TOML, an unknown theme or binding id, a value of the wrong
type) never stops the app: each one becomes a line in `Settings.problems`, which the app
shows on start, and the default is used instead.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..index import config_home
from . import keymap

ENV_THEME = "NEWSREADER_THEME"
CONFIG_FILE = "tui.toml"
KNOWN_KEYS = {"theme", "debounce_ms", "result_limit", "narrow_width", "export_dir", "keys"}


@dataclass(frozen=True)
class Settings:
    theme: str = "textual-dark"
    # Pause after the last keystroke before searching: short enough to feel live, long
    # enough that a fast typist does not queue a search per letter.
    debounce: float = 0.2
    # Results fetched at a time ("Show more" fetches more). Each hit costs the engine a
    # snippet; 30 fill several screens and keep a search on 10,000 articles near 0.1 s.
    result_limit: int = 30
    # From this width on, the main screen shows results beside the article and the
    # comparison puts its texts side by side; below it they stack.
    narrow_width: int = 90
    # Below this width the main screen shows one pane at a time.
    single_width: int = 60
    keys: dict[str, str] = field(default_factory=dict)
    # Where `e` writes exports (default: the folder the app was started in).
    export_dir: Path | None = None
    # Where these settings came from (the theme chosen in the app is saved there).
    path: Path | None = None
    problems: tuple[str, ...] = ()


def config_dir() -> Path:
    return config_home()


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def theme_names() -> set[str]:
    from textual.theme import BUILTIN_THEMES

    return set(BUILTIN_THEMES)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `tui.toml` (if present) and $NEWSREADER_THEME, with every mistake
    found listed in `problems` (the defaults stand in for what is wrong)."""
    path = path or config_path()
    settings = Settings(path=path)
    problems: list[str] = []
    name = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path}: cannot be read ({exc}); using the defaults")
        data = {}
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML ({exc}); using the defaults")
        data = {}
    changes: dict = {}

    def wrong(key: str, what: str) -> None:
        problems.append(f"{name}: {key} must be {what}; using the default")

    for key in data:
        if key not in KNOWN_KEYS:
            problems.append(
                f"{name}: unknown setting {key!r} (settings: {', '.join(sorted(KNOWN_KEYS))})"
            )
    if "theme" in data:
        theme = data["theme"]
        if not isinstance(theme, str):
            wrong("theme", "a string")
        elif theme not in theme_names():
            problems.append(
                f'{name}: no theme "{theme}" (themes: {", ".join(sorted(theme_names()))}); '
                f"using {settings.theme}"
            )
        else:
            changes["theme"] = theme
    ranges = {
        "debounce_ms": (0, 2000),
        "result_limit": (1, 10_000),
        "narrow_width": (20, 1000),
    }
    for key, (low, high) in ranges.items():
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            wrong(key, f"a whole number from {low} to {high}")
        elif key == "debounce_ms":
            changes["debounce"] = value / 1000
        else:
            changes[key] = value
    if "export_dir" in data:
        if isinstance(data["export_dir"], str) and data["export_dir"].strip():
            changes["export_dir"] = Path(data["export_dir"]).expanduser()
        else:
            wrong("export_dir", "a folder name")
    if "keys" in data:
        keys = data["keys"]
        if not isinstance(keys, dict):
            wrong("[keys]", "a table of binding id = keys")
        else:
            known = keymap.binding_ids()
            good: dict[str, str] = {}
            for binding_id, value in keys.items():
                if binding_id not in known:
                    problems.append(
                        f'{name}: unknown binding id "{binding_id}" in [keys] '
                        "(`newsreader keys` lists them); ignored"
                    )
                elif not isinstance(value, str) or not value.strip(","):
                    problems.append(
                        f'{name}: keys for "{binding_id}" must be a string such as "x" or '
                        '"x,ctrl+x"; ignored'
                    )
                elif bad := [
                    k for k in value.replace(" ", "").split(",") if k and not keymap.valid_key(k)
                ]:
                    problems.append(
                        f'{name}: "{bad[0]}" for "{binding_id}" is not a key Textual knows '
                        '(e.g. "x", "ctrl+x", "f5", "question_mark"); ignored'
                    )
                else:
                    good[binding_id] = value.replace(" ", "")
            problems += [
                f"{name}: {clash}; where two of them are live, only one works"
                for clash in keymap.conflicts(good)
            ]
            changes["keys"] = good
    env_theme = os.environ.get(ENV_THEME)
    if env_theme:
        if env_theme in theme_names():
            changes["theme"] = env_theme
        else:
            problems.append(f'${ENV_THEME}: no theme "{env_theme}"; ignored')
    return replace(settings, **changes, problems=tuple(problems))


_THEME_LINE = re.compile(r"^\s*theme\s*=")
_TABLE_LINE = re.compile(r"^\s*\[")


def save_theme(theme: str, path: Path) -> None:
    """Set `theme` in the settings file, leaving every other line (comments included) as it
    was: the top-level `theme = …` line is replaced, or one is added above the first table.
    The file is replaced atomically."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        # Added to a file that is read as the defaults, the choice would be lost.
        raise ValueError(f"{path} is not valid TOML: mend it, then pick the theme again") from None
    lines = text.splitlines(keepends=True)
    new = f'theme = "{theme}"\n'
    for i, line in enumerate(lines):
        if _TABLE_LINE.match(line):
            lines.insert(i, new)
            break
        if _THEME_LINE.match(line):
            comment = line[line.index("#") :].rstrip("\n") if "#" in line else ""
            lines[i] = new if not comment else f'theme = "{theme}"  {comment}\n'
            break
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(new)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, path)
