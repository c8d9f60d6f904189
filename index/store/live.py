"""The live build of an index, opened for reading: reopened when a rebuild has replaced it,
and damage met while reading reported as damage (one line naming the repair), not a crash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import IndexDamagedError, NewsreaderError
from ..search import fulltext
from .catalog import SCHEMA_VERSION, Catalog
from .spec import IndexSpec
from .stores import ReadStores, catalog_path, text_dir


class LiveIndex:
    """Read access to whichever build is live, one set of connections at a time."""

    def __init__(self, spec: IndexSpec) -> None:
        self.spec = spec
        self._stores: ReadStores | None = None

    def open(self) -> ReadStores:
        """The live build's stores, reopened when a rebuild has replaced the build."""
        for attempt in (1, 2):
            build = self.spec.live()
            if build is None or not catalog_path(build).exists():
                self.close()
                if self.spec.layout.legacy():
                    raise IndexDamagedError(
                        f"the index at {self.spec.index_dir} was made by another version of "
                        "newsreader; run `newsreader index` to rebuild it"
                    )
                raise IndexDamagedError(
                    f"no index at {self.spec.index_dir}: run `newsreader index`"
                )
            if self._stores is not None and self._stores.build == build:
                return self._stores
            self.close()
            try:
                self._stores = ReadStores(build, self.spec.analyzer)
            except IndexDamagedError:
                if attempt == 2 or self.spec.live() == build:
                    raise
                continue  # replaced by a rebuild while we opened it: open the new one
            return self._stores
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def reading(self) -> Iterator[ReadStores]:
        """The live stores, read as of one commit."""
        with self.damage_reported() as stores, stores.catalog.snapshot():
            yield stores

    @contextmanager
    def damage_reported(self) -> Iterator[ReadStores]:
        """The live stores, for reading that takes too long to hold one commit (a whole
        corpus's overlaps); damage met meanwhile is reported as damage."""
        stores = self.open()
        try:
            yield stores
        except NewsreaderError:
            raise
        except sqlite3.DatabaseError as exc:
            if _other_version(stores.catalog):  # read as it is (--no-update): not damage
                raise IndexDamagedError(
                    f"the index {self.spec.index_dir} was made by another version of "
                    "newsreader; run `newsreader index` to rebuild it"
                ) from None
            raise IndexDamagedError(
                f"index catalog {stores.catalog.path} is damaged ({exc}); "
                "run `newsreader index --rebuild`"
            ) from None
        except Exception as exc:
            problems = stores.damage(full=True)
            if problems:
                raise fulltext.damaged(text_dir(stores.build), problems[0]) from None
            raise exc

    def close(self) -> None:
        if self._stores is not None:
            self._stores.close()
        self._stores = None


def _other_version(catalog: Catalog) -> bool:
    try:
        schema = catalog.get_meta("schema")
    except sqlite3.Error:
        return False
    return schema is not None and schema != SCHEMA_VERSION
