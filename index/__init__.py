"""newsreader's engine: corpus ingest, text analysis, the full-text index and passage
alignment. No user interface code lives here; `tui` builds on this API."""

from index.align import (
    DEFAULT_SETTINGS,
    Alignment,
    AlignSettings,
    Op,
    Passage,
    align,
    prepare,
    prepare_text,
    word_ops,
)
from index.analysis import Analyzer, Term, detect_language, fold, split_words, stem
from index.catalog import Summary
from index.corpus import Limits, supported_suffixes
from index.document import parse_article
from index.errors import (
    AlignmentError,
    ArticleNotFoundError,
    ConfigError,
    CorpusError,
    IndexDamagedError,
    IndexLockedError,
    NewsreaderError,
    QueryError,
)
from index.highlight import QueryTerms, Snippet, find_hits, make_snippet
from index.hits import Hit, SearchResults
from index.library import Comparison, Library, Pending
from index.locations import bundled_corpus, config_home, index_dir_for, variants_file
from index.model import Article, Kind, Metadata, Paragraph, Skipped, Span, UpdateReport
from index.reuse import DEFAULT_REUSE, Overlap, Related, ReuseSettings
from index.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "DEFAULT_REUSE",
    "DEFAULT_SETTINGS",
    "AlignSettings",
    "Alignment",
    "AlignmentError",
    "Analyzer",
    "Article",
    "ArticleNotFoundError",
    "Comparison",
    "ConfigError",
    "CorpusError",
    "Hit",
    "IndexDamagedError",
    "IndexLockedError",
    "Kind",
    "Library",
    "Limits",
    "Metadata",
    "NewsreaderError",
    "Op",
    "Overlap",
    "Paragraph",
    "Passage",
    "Pending",
    "QueryError",
    "QueryTerms",
    "Related",
    "ReuseSettings",
    "SearchResults",
    "Skipped",
    "Snippet",
    "Span",
    "Summary",
    "Term",
    "UpdateReport",
    "Vocabulary",
    "align",
    "bundled_corpus",
    "config_home",
    "detect_language",
    "find_hits",
    "fold",
    "index_dir_for",
    "load_vocabulary",
    "make_snippet",
    "parse_article",
    "prepare",
    "prepare_text",
    "split_words",
    "stem",
    "supported_suffixes",
    "variants_file",
    "word_ops",
]
