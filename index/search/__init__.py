"""Full-text search with Whoosh: the schema, the query language, running a query, snippets
and highlights, and did-you-mean."""

from .whoosh_deps import prepare_whoosh_imports

prepare_whoosh_imports()
