"""newsreader's engine: corpus ingest, text analysis, the full-text index and passage
alignment. No user interface code lives here; the app and the command line use only the
names below.

Inside, the folders follow the pipeline: `ingest/` (files to articles) → `text/` (analysis)
→ `store/` (the index on disk; `Library` is the front door) → `search/` (full-text queries)
and `reuse/` (shared passages); `feeds/` downloads new articles into a corpus.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .controls import printable
    from .errors import NewsreaderError, QueryError
    from .feeds.fetch import FeedResult, FetchEvent, fetch_into
    from .ingest.decoding import human_size
    from .ingest.limits import Limits
    from .locations import bundled_corpus, check_config, config_home, variants_file
    from .model import Article, Kind, Paragraph, Span, UpdateReport, link_gaps_marked, merge_spans
    from .reuse.align import Alignment, AlignSettings, Passage
    from .reuse.learned import LearnedVariant, promote_variant
    from .reuse.overlaps import Overlap, Related
    from .search.fulltext import read_index_lazily
    from .search.highlight import QueryTerms
    from .search.results import Hit, SearchResults
    from .store.facets import FacetFilter
    from .store.library import Library
    from .store.passages import Comparison
    from .store.staleness import Pending
    from .store.stats import CorpusStats
    from .store.userstate import UserState

# Every name loads its module on first use (PEP 562): a command pays only for the parts of the
# engine it uses (a search never imports alignment, ingest readers or feeds).
_WHERE = {
    "Alignment": ".reuse.align",
    "AlignSettings": ".reuse.align",
    "Article": ".model",
    "bundled_corpus": ".locations",
    "check_config": ".locations",
    "Comparison": ".store.passages",
    "config_home": ".locations",
    "CorpusStats": ".store.stats",
    "FacetFilter": ".store.facets",
    "FeedResult": ".feeds.fetch",
    "fetch_into": ".feeds.fetch",
    "FetchEvent": ".feeds.fetch",
    "Hit": ".search.results",
    "human_size": ".ingest.decoding",
    "Kind": ".model",
    "LearnedVariant": ".reuse.learned",
    "link_gaps_marked": ".model",
    "Library": ".store.library",
    "Limits": ".ingest.limits",
    "merge_spans": ".model",
    "NewsreaderError": ".errors",
    "Overlap": ".reuse.overlaps",
    "Paragraph": ".model",
    "Passage": ".reuse.align",
    "Pending": ".store.staleness",
    "printable": ".controls",
    "promote_variant": ".reuse.learned",
    "QueryError": ".errors",
    "QueryTerms": ".search.highlight",
    "read_index_lazily": ".search.fulltext",
    "Related": ".reuse.overlaps",
    "SearchResults": ".search.results",
    "Span": ".model",
    "UpdateReport": ".model",
    "UserState": ".store.userstate",
    "variants_file": ".locations",
}


def __getattr__(name: str) -> object:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(where, __name__), name)
    globals()[name] = value  # found directly from now on
    return value


__all__ = [
    "AlignSettings",
    "Alignment",
    "Article",
    "Comparison",
    "CorpusStats",
    "FacetFilter",
    "FeedResult",
    "FetchEvent",
    "Hit",
    "Kind",
    "LearnedVariant",
    "Library",
    "Limits",
    "NewsreaderError",
    "Overlap",
    "Paragraph",
    "Passage",
    "Pending",
    "QueryError",
    "QueryTerms",
    "Related",
    "SearchResults",
    "Span",
    "UpdateReport",
    "UserState",
    "bundled_corpus",
    "check_config",
    "config_home",
    "fetch_into",
    "human_size",
    "link_gaps_marked",
    "merge_spans",
    "printable",
    "promote_variant",
    "read_index_lazily",
    "variants_file",
]
