"""Errors the engine raises. Each carries a message fit to show a user as one line."""

from .controls import printable


class NewsreaderError(Exception):
    """Base class: anything a user can cause and should read about, not a bug. Its message
    may quote a file name or a query: control characters in it are made visible."""

    # Whether the index can still be read as it is (as of its last commit) although this
    # error stopped an update: true when another process is writing it, or it is read-only.
    index_readable = False

    def __str__(self) -> str:
        return printable(super().__str__())


class ConfigError(NewsreaderError):
    """A configuration or data file is malformed."""


class CorpusError(NewsreaderError):
    """The corpus folder is missing, empty or not a folder."""


class QueryError(NewsreaderError):
    """A query cannot be parsed."""


class IndexLockedError(NewsreaderError):
    """Another process is writing the index."""

    index_readable = True


class IndexDamagedError(NewsreaderError):
    """The index on disk cannot be read."""


class IndexFullError(NewsreaderError):
    """The index cannot number another article (a rebuild numbers them afresh); what it
    holds can still be searched."""

    index_readable = True


class IndexReadOnlyError(NewsreaderError):
    """The index folder cannot be written to (it can still be searched)."""

    index_readable = True


class DiskFullError(NewsreaderError):
    """No space was left to write the index; what was committed before is kept."""

    index_readable = True


class ArticleNotFoundError(NewsreaderError):
    """No article matches the id or path given."""


class AlignmentError(NewsreaderError):
    """Two articles cannot be compared (the same article twice, an empty article)."""


class EngineError(NewsreaderError):
    """The index was made with another search engine than the one asked for."""


class EngineMissingError(EngineError):
    """The search engine asked for is not installed."""
