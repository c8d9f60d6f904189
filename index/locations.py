"""Where indexes and user settings live (platformdirs), with the overrides users can set."""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from importlib.util import find_spec
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path

from .errors import ConfigError

APP = "newsreader"
ENV_INDEX_DIR = "NEWSREADER_INDEX_DIR"  # the index folder itself, for any corpus
ENV_HOME = "NEWSREADER_HOME"  # a data folder holding one index per corpus
ENV_CONFIG = "NEWSREADER_CONFIG_DIR"


def bundled_corpus() -> Path:
    """The five sample articles shipped with the package."""
    spec = find_spec(__package__.rpartition(".")[0] + ".sample_corpus")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover
        raise FileNotFoundError("the bundled sample corpus is missing from this installation")
    return Path(next(iter(spec.submodule_search_locations)))


def data_home() -> Path:
    env = os.environ.get(ENV_HOME)
    return Path(env).expanduser() if env else user_data_path(APP)


def cache_home() -> Path:
    """Caches that only save time (deleting them loses nothing)."""
    env = os.environ.get(ENV_HOME)
    return Path(env).expanduser() / "cache" if env else user_cache_path(APP)


def stems_file() -> Path:
    return cache_home() / "stems.pickle"


def config_home() -> Path:
    env = os.environ.get(ENV_CONFIG)
    return Path(env).expanduser() if env else user_config_path(APP)


CONFIG_FILE = "config.toml"  # corpus = "~/news": the corpus to use when none is given


CONFIG_KEYS = ("corpus", "engine")


def _config() -> tuple[Path, dict]:
    path = config_home() / CONFIG_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return path, {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(
            f'{path}: unknown setting "{unknown[0]}" (settings: {", ".join(CONFIG_KEYS)})'
        )
    return path, data


def default_engine() -> str | None:
    """The search engine config.toml names for new indexes (`engine = "tantivy"`), if any."""
    from .search.engine import ENGINES

    path, data = _config()
    engine = data.get("engine")
    if engine is None:
        return None
    if engine not in ENGINES:
        raise ConfigError(f"{path}: engine must be one of {', '.join(map(repr, ENGINES))}")
    return engine


def check_config() -> None:
    """Raise ConfigError for a mistake in config.toml (an engine that does not exist), which
    would otherwise pass unseen until a new index is made."""
    default_engine()
    default_corpus()


def default_corpus() -> Path | None:
    """The corpus the user's config.toml names (`corpus = "~/news"`), if any."""
    path, data = _config()
    corpus = data.get("corpus")
    if corpus is None:
        return None
    if not isinstance(corpus, str) or not corpus.strip():
        raise ConfigError(f'{path}: corpus must be a folder, e.g. corpus = "~/news"')
    # A relative folder is the config file's neighbour, whatever folder newsreader runs in.
    return path.parent / Path(corpus).expanduser()


def variants_file() -> Path:
    return config_home() / "variants.toml"


def index_dir_for(corpus: Path, override: Path | None = None) -> Path:
    """The index folder of a corpus: the override, else $NEWSREADER_INDEX_DIR, else one folder
    per corpus under the user's data directory, named after the corpus and its full path."""
    if override is not None:
        return override.expanduser().resolve()
    env = os.environ.get(ENV_INDEX_DIR)
    if env:
        return Path(env).expanduser().resolve()
    corpus = corpus.resolve()
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", corpus.name).strip("-")[:40] or "corpus"
    digest = hashlib.sha1(str(corpus).encode("utf-8")).hexdigest()[:10]
    return data_home() / "indexes" / f"{slug}-{digest}"
