"""What an index is made of: the corpus folder, the index folder, the analysis settings and
the reading limits. Plain data, so a worker process can open the same index from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ingest.limits import Limits
from ..text.analysis import Analyzer
from .layout import Layout
from .stores import catalog_path


@dataclass(frozen=True)
class IndexSpec:
    corpus: Path
    index_dir: Path
    analyzer: Analyzer
    limits: Limits
    # The search engine asked for (search/engine.py); None: the one the index records, or
    # for a new index the user's default (config.toml), else Whoosh.
    engine: str | None = None

    @property
    def layout(self) -> Layout:
        return Layout(self.index_dir)

    def live(self) -> Path | None:
        """The live build's folder (see layout.py), None when there is no index."""
        return self.layout.live()

    def exists(self) -> bool:
        """Whether there is a live build (damage is found when it is opened)."""
        build = self.live()
        return build is not None and catalog_path(build).exists()
