"""Finding the article a person names: by id, file name, path inside the corpus (absolute
or relative to the working folder), or a unique prefix or bare record id."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from ..controls import printable
from ..errors import ArticleNotFoundError
from ..model import Article
from .catalog import Catalog


def resolve_article(catalog: Catalog, corpus: Path, ref: str) -> Article:
    """The one article `ref` names; a one-line error when it names none or several."""
    if not ref.strip():
        raise ArticleNotFoundError("no article named: give its id, file name or path")
    candidates = [ref]
    with suppress(ValueError, OSError):
        candidates.append(Path(ref).expanduser().resolve().relative_to(corpus).as_posix())
    outside = len(candidates) == 1 and _is_file(ref)
    # Ids were made printable when read (see `controls`): so are the names asked for.
    candidates = [printable(c) for c in candidates]
    ref = printable(ref)
    for cand in candidates:
        article = catalog.article(cand)
        if article is not None:
            return article
    # A prefix as typed, or a path to a file of several records (as it is in the corpus).
    matches = next((found for c in candidates if (found := catalog.find_ids(c))), [])
    if len(matches) > 1:
        # A whole record id or file name wins over the longer ones it is a prefix of.
        whole = [m for m in matches if m.endswith(("#" + ref, "/" + ref))]
        matches = whole if len(whole) == 1 else matches
    if len(matches) == 1:
        found = catalog.article(matches[0])
        if found is not None:
            return found
    if len(matches) > 1:
        shown = ", ".join(matches[:3]) + (" …" if len(matches) > 3 else "")
        raise ArticleNotFoundError(f'"{ref}" matches {len(matches)} articles: {shown}')
    for cand in candidates:
        reason = catalog.skip_reason(cand)
        if reason:
            raise ArticleNotFoundError(f'"{ref}" is not indexed: {reason}')
    if outside:
        raise ArticleNotFoundError(
            f'no article "{ref}" in {corpus}: the file is outside it (give its folder'
            " with --corpus)"
        )
    raise ArticleNotFoundError(f'no article "{ref}" in {corpus}')


def _is_file(ref: str) -> bool:
    try:
        return Path(ref).expanduser().is_file()
    except OSError:
        return False
