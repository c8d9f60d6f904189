"""Exports: search results as CSV, JSON Lines and Markdown, and a comparison as Markdown and
as a web page, the page opened in headless Chromium and checked on its screenshot."""

from __future__ import annotations

import csv
import io
import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from newsreader.tui import export
from newsreader.tui.layout import PALETTE

from tests.conftest import sample_id
from tests.test_cli import run

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)


def test_search_formats(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("search", "putin", "--format", "csv").stdout)))
    assert len(rows) == 5 and set(export.CSV_FIELDS) <= set(rows[0])
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4", "5"]
    found = run("search", "putin", "--format", "jsonl", "--sort", "date", "--since", "2023")
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert [h["date"][:10] for h in hits] == ["2024-07-03", "2023-10-18"]
    assert all(h["score"] < 100 for h in hits)  # a score, not the sort key
    # A snippet cut from its paragraph says so, as the results list does.
    assert any(r["snippet"].endswith("…") or r["snippet"].startswith("…") for r in rows)
    md = run("search", "--outlet", "Tribunnews.com", "--format", "md").stdout
    assert md.startswith("# Articles") and "1 result;" in md and "`002_" in md


def test_markdown_and_html_escape_article_text() -> None:
    assert export.md("*a* [b](c) <d> #e") == r"\*a\* \[b\](c) \<d\> \#e"
    from newsreader.index import Article, Comparison
    from newsreader.index.model import Metadata
    from newsreader.index.reuse.align import Alignment

    text = '<script>alert("x")</script> & [link](y)'
    art = Article("a.txt", "a.txt", text, Metadata(title=text), (), "h")
    page = export.comparison_html(Comparison(art, art, Alignment((), 0.0, 0.0)))
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_compare_to_markdown_and_html_files(tmp_path: Path) -> None:
    page, md = tmp_path / "cmp.html", tmp_path / "cmp.md"
    proc = run("compare", "000", "001", "--html", str(page), "--markdown", str(md))
    assert str(page) in proc.stderr and proc.stdout == ""
    html = page.read_text(encoding="utf-8")
    assert html.count('class="shared"') == html.count('<li style="--c:') >= 2
    assert "<mark>" in html and 'href="#p1"' in html
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Comparison") and "## ① Passage 1" in text and "**" in text
    assert run("compare", "000", "001", "--markdown", "-").stdout == text


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) bytes of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, idat = 8, {}, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IDAT":
            idat += body
        else:
            chunks[kind] = body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert depth == 8 and interlace == 0 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        filt = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            corner = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filt == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(
            bytes(line if bpp == 3 else b"".join(line[i : i + 3] for i in range(0, stride, 4)))
        )
        prev = line
    return width, height, rows


def colour_columns(rows: list[bytes], hex_colour: str) -> set[int]:
    """The x positions where a pixel has exactly this colour."""
    target = bytes.fromhex(hex_colour.lstrip("#"))
    found = set()
    for row in rows:
        at = row.find(target)
        while at != -1:
            if at % 3 == 0:
                found.add(at // 3)
            at = row.find(target, at + 1)
    return found


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_html_comparison_renders_both_columns_and_marked_passages(
    tmp_path: Path, sample_library
) -> None:
    cmp = sample_library.compare(sample_id("000"), sample_id("001"))
    page = tmp_path / "cmp.html"
    page.write_text(export.comparison_html(cmp), encoding="utf-8")
    shot = tmp_path / "cmp.png"
    width = 1000
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},900",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    proc = subprocess.run(
        [*command, f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    if not shot.exists():
        pytest.skip(f"Chromium could not take a screenshot here: {proc.stderr[-300:]!r}")
    w, _, rows = read_png(shot)
    assert w == width
    middle = w // 2
    # The first passage's colour marks its border on both sides; changed words are marked
    # in both columns.
    first = colour_columns(rows, PALETTE[0])
    assert any(x < middle for x in first) and any(x > middle for x in first)
    marked = colour_columns(rows, export.MARK_COLOUR)
    assert any(x < middle for x in marked) and any(x > middle for x in marked)


def test_a_comparison_in_markdown_reads_as_the_app_shows_it(tmp_path: Path) -> None:
    # Scraped text glues paragraphs with ".," and leaves " ," where a link was dropped: the
    # web page and the app show them as a space and "…", the Markdown showed them raw.
    corpus = tmp_path / "c"
    corpus.mkdir()
    shared = (
        "Pengamat politik LIPI menilai revisi undang-undang itu melemahkan lembaga antirasuah"
        " secara sistematis dan terencana.,Demikian diungkapkan  , dalam konferensi di kantor"
        " lembaga itu, yang dihadiri puluhan peneliti senior dari berbagai bidang ilmu."
    )
    rows = [
        {"id": "a", "title": "Satu", "body": f"Pembuka berita pertama.,{shared}"},
        {"id": "b", "title": "Dua", "body": f"Pembuka yang lain sekali.,{shared}"},
    ]
    (corpus / "n.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run("index", str(corpus))
    text = run("compare", "a", "b", "--corpus", str(corpus), "--markdown", "-").stdout
    assert "terencana. Demikian diungkapkan … dalam" in text
    assert ".,Demikian" not in text and " , " not in text
