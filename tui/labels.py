"""The words shown about an article and its parts, shared by the command line (Rich) and the
app (Textual), so both say the same thing."""

from __future__ import annotations

from ..index import Article, Hit, Kind, Paragraph, SearchResults, link_gaps_marked

LANGUAGES = {"id": "Indonesian", "en": "English"}


def count_label(results: SearchResults) -> str:
    """ "1,709", or "1,709+" when the count is a lower bound (see SearchResults.total_exact)."""
    return f"{results.total:,}" + ("" if results.total_exact else "+")


def percent(share: float) -> str:
    """ "37%"; "<1%" for a share that rounds to nothing but is not ("0%" read as none
    shared), and ">99%" for one that rounds to all but is not."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def meta_line(article: Article) -> str:
    """ "outlet · author · date · 412 words · Indonesian", leaving out what is unknown."""
    m = article.meta
    bits = [
        m.outlet,
        m.author,
        m.date,
        f"{article.word_count} words",
        LANGUAGES.get(m.language or "", m.language),
    ]
    return " · ".join(b for b in bits if b)


def hidden_label(p: Paragraph) -> str:
    """Why a paragraph is hidden in the reading view ("[boilerplate, repeats ¶2] "), or ""."""
    tags = []
    if p.boilerplate:
        tags.append("boilerplate")
    if p.repeat_of is not None:
        tags.append(f"repeats ¶{p.repeat_of + 1}")
    if p.kind in (Kind.TITLE, Kind.META):
        tags.append(str(p.kind))
    return f"[{', '.join(tags)}] " if tags else ""


def snippet(hit: Hit) -> tuple[str, list[tuple[int, int]]]:
    """A hit's snippet as shown ("…" where it is cut) and its highlights as offsets into
    that string."""
    snip = hit.snippet
    shown = snip.prefix + link_gaps_marked(snip.text) + snip.suffix
    lead = len(snip.prefix) - snip.start
    return shown, [(h.start + lead, h.end + lead) for h in snip.highlights]
