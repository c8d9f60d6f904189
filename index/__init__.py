"""newsreader's engine: corpus ingest, text analysis, the full-text index and passage
alignment. No user interface code lives here; the app and the command line use only the
names below.

Inside, the folders follow the pipeline: `ingest/` (files to articles) → `text/` (analysis)
→ `store/` (the index on disk; `Library` is the front door) → `search/` (full-text queries)
and `reuse/` (shared passages); `feeds/` downloads new articles into a corpus.
"""

from .controls import printable
from .errors import NewsreaderError, QueryError
from .ingest.decoding import human_size
from .ingest.limits import Limits
from .locations import bundled_corpus, config_home, variants_file
from .model import Article, Kind, Paragraph, Span, UpdateReport, merge_spans
from .reuse.align import Alignment, AlignSettings, Passage
from .reuse.learned import LearnedVariant, promote_variant
from .reuse.overlaps import Overlap, Related
from .search.highlight import QueryTerms
from .search.results import Hit, SearchResults
from .store.facets import FacetFilter
from .store.library import Comparison, Library
from .store.staleness import Pending
from .store.stats import CorpusStats
from .store.userstate import UserState

# Feed names load on first use: the app and most commands never need urllib and the feed
# and page readers behind them.
_FEEDS = frozenset({"FeedResult", "FetchEvent", "fetch_into"})


def __getattr__(name: str) -> object:
    if name in _FEEDS:
        from .feeds import fetch

        return getattr(fetch, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "config_home",
    "fetch_into",
    "human_size",
    "merge_spans",
    "printable",
    "promote_variant",
    "variants_file",
]
