"""The `--json` outputs: a public interface, documented in the README. Add keys if needed;
never rename or remove one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: `search --json` never loads alignment
    from ...index import Article, Comparison, Overlap, Related, SearchResults, UpdateReport

SCHEMA_VERSION = 1


def _ref(article: Article) -> dict:
    return {"id": article.id, "path": article.path, "title": article.meta.title}


def report(rep: UpdateReport, corpus: str, index_dir: str) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "corpus": corpus,
        "index_dir": index_dir,
        "added": rep.added,
        "updated": rep.updated,
        "removed": rep.removed,
        "unchanged": rep.unchanged,
        "skipped": [{"path": s.path, "reason": s.reason} for s in rep.skipped],
        "rebuilt": rep.rebuilt,
        "interrupted": rep.interrupted,
        "seconds": round(rep.seconds, 3),
        "rebuild_reason": rep.rebuild_reason,
        "engine": rep.engine,
        "compacted": rep.compacted,
    }


def check(result: Any) -> dict:
    """`newsreader index --check --json` (an IndexCheck from Library.check)."""
    return {
        "schema": SCHEMA_VERSION,
        "index_dir": result.index_dir,
        "build": result.build,
        "ok": result.ok,
        "problems": result.problems,
        "articles": result.articles,
        "documents": result.documents,
        "generation": result.generation,
        "files": result.files,
        "updated": result.updated,
        "seconds": round(result.seconds, 3),
    }


def search(results: SearchResults) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "query": results.query,
        "total": results.total,
        "suggestion": results.suggestion,
        "suggestion_hits": results.suggestion_hits,
        "note": results.note,
        "partial": results.partial,
        "total_exact": results.total_exact,
        "hits": [
            {
                "id": h.id,
                "path": h.path,
                "title": h.title,
                "outlet": h.outlet,
                "date": h.date,
                "language": h.language,
                "score": h.score,
                "snippet": {"start": h.snippet.start, "end": h.snippet.end, "text": h.snippet.text},
                "highlights": [{"start": s.start, "end": s.end} for s in h.highlights],
                "url": h.url,
                "title_highlights": [{"start": s.start, "end": s.end} for s in h.title_highlights]
                if h.title is not None
                else [],
            }
            for h in results.hits
        ],
    }


def article(art: Article) -> dict:
    return {"schema": SCHEMA_VERSION, **art.to_json(with_text=True)}


def comparison(cmp: Comparison) -> dict:
    al = cmp.alignment
    return {
        "schema": SCHEMA_VERSION,
        "a": _ref(cmp.a),
        "b": _ref(cmp.b),
        "coverage_a": round(al.coverage_a, 4),
        "coverage_b": round(al.coverage_b, 4),
        "passages": [p.to_json() for p in al.passages],
    }


def related(art: Article, found: list[Related], refs: dict[str, Article]) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        **_ref(art),
        "related": [
            {
                **_ref(refs[r.id]),
                "outlet": refs[r.id].meta.outlet,
                "date": refs[r.id].meta.date,
                "coverage_a": round(r.alignment.coverage_a, 4),
                "coverage_b": round(r.alignment.coverage_b, 4),
                "passages": len(r.alignment.passages),
                "shared_words": sum(p.shared_words for p in r.alignment.passages),
            }
            for r in found
        ],
    }


def overlaps(found: list[Overlap], refs: dict[str, Article], min_coverage: float) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "min_coverage": min_coverage,
        "pairs": [
            {
                "a": _ref(refs[o.a]),
                "b": _ref(refs[o.b]),
                "coverage_a": round(o.alignment.coverage_a, 4),
                "coverage_b": round(o.alignment.coverage_b, 4),
                "passages": len(o.alignment.passages),
                "shared_words": sum(p.shared_words for p in o.alignment.passages),
            }
            for o in found
        ],
    }
