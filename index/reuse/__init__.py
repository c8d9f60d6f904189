"""Shared passages: aligning two articles, and finding which articles share passages from
shingle postings (never by comparing every pair)."""
