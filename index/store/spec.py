"""What an index is made of: the corpus folder, the index folder, the analysis settings and
the reading limits. Plain data, so a worker process can open the same index from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ingest.limits import Limits
from ..search import fulltext
from ..text.analysis import Analyzer

CATALOG = "catalog.sqlite"
FULLTEXT = "text"


@dataclass(frozen=True)
class IndexSpec:
    corpus: Path
    index_dir: Path
    analyzer: Analyzer
    limits: Limits

    @property
    def catalog_path(self) -> Path:
        return self.index_dir / CATALOG

    @property
    def text_dir(self) -> Path:
        return self.index_dir / FULLTEXT

    def exists(self) -> bool:
        """Whether both stores are there (damage is found when they are opened)."""
        return self.catalog_path.exists() and fulltext.exists(self.text_dir)
