"""The index on disk: the SQLite catalog, the update that keeps it in line with the corpus,
locks, and the `Library` facade over both stores."""
