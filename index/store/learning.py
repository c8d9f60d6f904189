"""An index's learned substitutions (see reuse/learned.py), read once per library and
written back after alignments that taught something new."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..text.analysis import Analyzer

if TYPE_CHECKING:  # loaded when first needed: a library that only searches never aligns
    from ..reuse.align import Alignment
    from ..reuse.learned import LearnedVariant, LearnedVariants


class Learning:
    def __init__(
        self, index_dir: Path, analyzer: Analyzer, live: Callable[[], Path | None] = lambda: None
    ) -> None:
        """`live`: the index's live build folder, whose name the learned list is tied to."""
        self.index_dir = index_dir
        self.analyzer = analyzer
        self.live = live
        self._learned: LearnedVariants | None = None
        # Substitutions the last `learn` brought into use (seen in enough article pairs),
        # to be listed (`newsreader variants --learned`) and perhaps promoted.
        self.newly_in_use = 0

    def variants(self) -> LearnedVariants:
        if self._learned is None:
            from ..reuse.learned import LearnedVariants, contrast_classes, learned_path

            # Learned with this build: a rebuild starts the list afresh, and a process that
            # learned with the build before cannot bring its list back (the file it writes
            # is made with another build).
            build = self.live()
            made_with = f"{self.analyzer.vocabulary.fingerprint()}:{build.name if build else ''}"
            self._learned = LearnedVariants.load(learned_path(self.index_dir), made_with)
            self._learned.contrasts = contrast_classes(self.analyzer)
        return self._learned

    def learned(self, min_pairs: int | None = None) -> list[LearnedVariant]:
        learned = self.variants()
        return learned.learned() if min_pairs is None else learned.learned(min_pairs)

    def find(self, words: list[str]) -> LearnedVariant | None:
        return self.variants().find(words, self.analyzer)

    def learn(self, aligned: Iterable[tuple[str, str, Alignment]]) -> None:
        """Record the substitutions of confident passages beside the index (a read-only
        folder only costs the learning: `save` reports, never raises)."""
        learned = self.variants()
        before = learned.came_into_use
        for _, _, alignment in aligned:
            learned.record(alignment, self.analyzer)
        self.newly_in_use = learned.came_into_use - before
        if self.index_dir.is_dir():
            from ..reuse.learned import learned_path

            learned.save(learned_path(self.index_dir))
