"""Full-text search with Whoosh: the schema, the query language, running a query, snippets
and highlights, and did-you-mean."""

from .whoosh_deps import use_standard_cached_property

use_standard_cached_property()
