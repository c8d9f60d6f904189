"""Terminal escape injection: control characters in articles, their metadata, their file
names and queries never reach the terminal raw, through the command line or the app; JSON
keeps strings as they are, escaped."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newsreader.index import Library, printable
from newsreader.tui.cli.main import main

from tests.conftest import APP_SIZE, newsreader_bin, wait_for, wait_idle

ESC = "\x1b"
ATTACKS = [
    "\x1b]0;PWNED\x07",  # set the window title
    "\x1b[2J",  # clear the screen
    "\x1b[?1049h",  # switch to the alternate screen
    "\x1b]8;;https://evil.example/\x1b\\klik\x1b]8;;\x1b\\",  # an OSC 8 link
    "\x9b31m",  # CSI as one C1 character
    "\x9d0;PWNED\x9c",  # OSC and ST as C1 characters
    "\x07\x08\r\x7f\x00",
    "\u202etxt.exe\u202c \u2067isolated\u2069",  # a right-to-left override: text shown reversed
]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
UNSAFE = (
    [chr(c) for c in range(0x20) if chr(c) not in "\n\t"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + BIDI
)


def leaks(text: str) -> list[str]:
    """The unsafe characters in `text` (newline and tab are fine)."""
    return sorted({ch for ch in text if ch in UNSAFE})


def cli(*args: str) -> tuple[int, str, str]:
    """Run the command in this process; (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def test_printable_keeps_length_and_shows_what_was_there() -> None:
    for attack in ATTACKS:
        shown = printable(attack)
        assert len(shown) == len(attack)
        assert not leaks(shown)
    assert printable("a\x1b[2Jb") == "a␛[2Jb"
    assert printable("tab\tand\nnewline") == "tab\tand\nnewline"
    assert printable("\x9b") == "\ufffd"
    plain = "tidak ada yang aneh"
    assert printable(plain) is plain


def nasty_corpus(folder: Path) -> Path:
    folder.mkdir()
    bad = "".join(ATTACKS)
    record = {
        "id": f"rec{ATTACKS[0]}",
        "title": f"Banjir {ATTACKS[0]} di Jakarta {ATTACKS[1]}",
        "author": f"Penulis {ATTACKS[2]}",
        "source": f"Kabar {ATTACKS[5]}",
        "url": f"https://example.com/{ATTACKS[1]}",
        "date": "2024-03-01",
        "body": f"Banjir besar melanda Jakarta {bad} dan ribuan warga mengungsi.\n\n"
        f"Hujan deras {ATTACKS[3]} turun sejak pagi {ATTACKS[4]} menurut petugas.",
    }
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / f"banjir{ATTACKS[1]}.txt").write_text(
        f"Banjir {ATTACKS[0]} kedua\n\nBanjir kedua melanda Bekasi {ATTACKS[2]} dan warga "
        "mengungsi ke tempat yang lebih aman.\n",
        encoding="utf-8",
    )
    return folder


def test_cli_output_never_holds_a_control_character(tmp_path: Path) -> None:
    corpus = nasty_corpus(tmp_path / "c")
    ix = str(tmp_path / "ix")
    status, out, err = cli("index", str(corpus), "--index-dir", ix)
    assert status == 0, err
    runs = [
        ("search", "banjir"),
        ("search", "banjir", "--json"),
        ("search", ""),
        ("search", f"banjir {ATTACKS[0]}"),
        ("show", "feed.jsonl"),
        ("show", "feed.jsonl", "--raw"),
        ("show", "feed.jsonl", "--json"),
        ("show", f"banjir{ATTACKS[1]}.txt"),
        ("show", f"missing{ATTACKS[0]}"),
        ("related", "feed.jsonl"),
        ("compare", "feed.jsonl", "banjir"),
        ("stats",),
    ]
    for args in runs:
        status, out, err = cli(*args, "--corpus", str(corpus), "--index-dir", ix)
        assert not leaks(out) and not leaks(err), (args, out, err)
        if "--json" in args:
            json.loads(out)
    # The article reads with its stand-ins, and the offsets still fit its text.
    _, out, _ = cli("show", "feed.jsonl", "--json", "--corpus", str(corpus), "--index-dir", ix)
    shown = json.loads(out)
    assert "␛]0;PWNED␇" in shown["title"] and "␛[?1049h" in shown["author"]
    for p in shown["paragraphs"]:
        assert 0 <= p["start"] <= p["end"] <= len(shown["text"])
    assert shown["text"].startswith("Banjir besar melanda Jakarta ␛]0;PWNED␇")
    # A file name is kept as it is in JSON (escaped), and shown with stand-ins elsewhere.
    _, out, _ = cli("index", str(corpus), "--index-dir", ix, "--json")
    assert "\\u001b" not in out or json.loads(out)
    _, out, _ = cli("index", str(corpus), "--index-dir", ix, "--rebuild")
    assert not leaks(out)


def test_usage_errors_quoting_the_command_line_are_printable() -> None:
    for args in (("show", "--bogus\x1b]0;PWNED\x07"), ("bogus\x1b[2J", "--x")):
        status, out, err = cli(*args)
        assert status != 0 and not leaks(out + err)


def test_json_escapes_c1_controls() -> None:
    from newsreader.tui.cli.options import json_text

    data = {"s": "a\x1b\x9b\x7f\u2028b"}
    text = json_text(data)
    assert not leaks(text) and "\u2028" not in text
    assert json.loads(text) == data


words = st.sampled_from(["banjir", "Jakarta", "warga", "[bold]", "[/]", "$x", "\\", "«»", " "])
nasty = st.text(
    alphabet=st.one_of(
        st.sampled_from([*UNSAFE, "\n", "\t", "[", "]", "\u2028", "\ufeff"]),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
)
fragment = st.one_of(words, nasty, st.sampled_from(ATTACKS))
field = st.lists(fragment, min_size=1, max_size=8).map(" ".join)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=field,
    author=field,
    body=st.lists(field, min_size=1, max_size=4).map("\n\n".join),
    name=st.text(
        alphabet=st.sampled_from(["a", "b", "\x1b", "[", "]", "\x9b", "\x07"]), max_size=6
    ),
    raw=st.binary(max_size=300),
)
def test_no_control_character_reaches_the_output(
    title: str, author: str, body: str, name: str, raw: bytes
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c"
        corpus.mkdir()
        record = {"id": title[:20], "title": title, "author": author, "body": "banjir " + body}
        (corpus / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        (corpus / f"t{name}.txt").write_text(f"{title}\n\nbanjir {body}\n", encoding="utf-8")
        (corpus / "raw.txt").write_bytes(raw)
        ix = str(Path(tmp) / "ix")
        where = ("--corpus", str(corpus), "--index-dir", ix)
        outputs = [cli("index", str(corpus), "--index-dir", ix)]
        outputs += [cli("search", "banjir", *where), cli("search", title[:40], *where)]
        outputs += [cli("show", "r.jsonl", *where), cli("show", "r.jsonl", "--raw", *where)]
        outputs += [cli("show", f"t{name}.txt", *where), cli("show", "raw.txt", *where)]
        outputs += [
            cli("search", "banjir", "--json", *where),
            cli("show", "r.jsonl", "--json", *where),
        ]
        for _status, out, err in outputs:
            assert not leaks(out) and not leaks(err), (out, err)
            assert "Traceback" not in err
        for status, out, _ in outputs[-2:]:
            if status == 0:
                json.loads(out)


async def test_the_app_never_shows_a_control_character(make_app, tmp_path) -> None:
    from newsreader.tui.screens.main import MainScreen
    from newsreader.tui.widgets.article_view import ArticleView

    corpus = nasty_corpus(tmp_path / "c")
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    lib.update()
    app = make_app(lib)

    def screen_text() -> str:
        return "".join(
            seg.text
            for widget in app.screen.query("*")
            if widget.display and widget.size.height
            for y in range(widget.size.height)
            for seg in widget.render_line(y)
        )

    async with app.run_test(size=APP_SIZE) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
            what="the main screen",
        )
        screen = app.screen
        assert not leaks(screen_text())
        screen.query_one("#search").focus()
        await pilot.press(*"banjir")
        await wait_for(pilot, lambda: screen.results.query == "banjir", what="results")
        await wait_idle(pilot)
        assert not leaks(screen_text())
        await pilot.press("enter", "enter")
        await wait_idle(pilot)
        assert screen.article_id and screen.query_one(ArticleView).display
        text = screen_text()
        assert "␛]0;PWNED␇" in text
        assert not leaks(text)


TMUX = shutil.which("tmux")


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_real_terminal_keeps_its_title_and_screen(tmp_path: Path, isolated_dirs: Path) -> None:
    """The title-setting sequence in an article, shown by `show` and by the app, does not
    retitle a real terminal."""
    corpus = nasty_corpus(tmp_path / "c")
    socket = f"newsreader-ctl-{os.getpid()}"

    def tmux(*args: str) -> str:
        return subprocess.run(
            [TMUX, "-L", socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout

    env = " ".join(
        f"{k}={shlex.quote(os.environ[k])}" for k in ("NEWSREADER_HOME", "NEWSREADER_CONFIG_DIR")
    )
    nr = f"env {env} {shlex.quote(newsreader_bin())}"
    script = (
        f"{nr} show feed.jsonl --corpus {shlex.quote(str(corpus))}; "
        f"{nr} {shlex.quote(str(corpus))}; echo done-$?; sleep 30"
    )
    tmux("new-session", "-d", "-s", "nr", "-x", "100", "-y", "30", f"sh -c {shlex.quote(script)}")

    def wait_for_text(text: str) -> str:
        deadline = time.monotonic() + 60
        while text not in (shown := tmux("capture-pane", "-t", "nr", "-p")):
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n{shown}"
            time.sleep(0.2)
        return shown

    try:
        wait_for_text("articles, newest first")
        tmux("send-keys", "-t", "nr", "/")
        tmux("send-keys", "-t", "nr", "-l", "banjir")
        wait_for_text("results for banjir")
        tmux("send-keys", "-t", "nr", "Enter")
        time.sleep(0.5)
        tmux("send-keys", "-t", "nr", "Enter")
        shown = wait_for_text("2 hits")
        assert "PWNED" not in tmux("display-message", "-p", "-t", "nr", "#{pane_title}")
        assert "␛]0;PWNED␇" in shown
        tmux("send-keys", "-t", "nr", "q")
        wait_for_text("done-0")
        assert "PWNED" not in tmux("display-message", "-p", "-t", "nr", "#{pane_title}")
    finally:
        subprocess.run([TMUX, "-L", socket, "kill-server"], capture_output=True)


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=field, author=field, body=st.lists(field, min_size=1, max_size=3).map("\n\n".join))
def test_the_app_never_shows_a_control_character_whatever_the_text(
    title: str, author: str, body: str
) -> None:
    """The property above, through the app: the start screen, a search, an article."""
    import asyncio

    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.screens.main import MainScreen

    from tests.conftest import app_settings

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "c"
        corpus.mkdir()
        record = {"id": "r1", "title": title, "author": author, "body": "banjir " + body}
        (corpus / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
        (corpus / "t.txt").write_text(f"{title}\n\nbanjir {body}\n", encoding="utf-8")
        lib = Library.open(corpus, Path(tmp) / "ix", variants=Path("/nonexistent"))
        lib.update()
        app = NewsreaderApp(lib, app_settings())
        seen: list[str] = []

        def screen_text() -> str:
            return "".join(
                seg.text
                for widget in app.screen.query("*")
                if widget.display and widget.size.height
                for y in range(widget.size.height)
                for seg in widget.render_line(y)
            )

        async def drive() -> None:
            async with app.run_test(size=APP_SIZE) as pilot:
                await wait_for(
                    pilot,
                    lambda: isinstance(app.screen, MainScreen) and app.screen.results is not None,
                    what="the main screen",
                )
                seen.append(screen_text())
                app.screen.query_one("#search").focus()
                await pilot.press(*"banjir")
                await wait_for(pilot, lambda: app.screen.results.query == "banjir", what="results")
                await wait_idle(pilot)
                seen.append(screen_text())
                await pilot.press("enter", "enter")
                await wait_idle(pilot)
                seen.append(screen_text())

        asyncio.run(drive())
        lib.close()
        for text in seen:
            assert not leaks(text), text


def test_a_file_name_that_is_not_utf8_is_skipped_and_shown_safely(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Banjir besar\n\nBanjir melanda kota.\n", encoding="utf-8")
    name = os.fsdecode(b"bad\xff\x1b[2J.txt")
    (corpus / name).write_text("Banjir lagi\n\nBanjir melanda desa.\n", encoding="utf-8")
    ix = str(tmp_path / "ix")
    status, out, err = cli("index", str(corpus), "--index-dir", ix)
    assert status == 0, err
    assert "not valid UTF-8" in out and not leaks(out)
    status, out, err = cli("index", str(corpus), "--index-dir", ix, "--json")
    assert status == 0 and not leaks(out)
    (skip,) = json.loads(out)["skipped"]
    assert skip["path"] == name and "not valid UTF-8" in skip["reason"]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_a_word_right_after_an_escape_sequence_is_found_and_marked(
    tmp_path: Path, engine: str
) -> None:
    # "\x1b[5m" (blink) glued to "berkedip": shown as "␛[5mberkedip", it must still be
    # the word "berkedip" to search, to highlight and to compare, not "5mberkedip".
    corpus = tmp_path / "c"
    corpus.mkdir()
    text = (
        "Lampu Lalu Lintas\n\nLampu \x1b[5mberkedip\x1b[0m di perempatan \x1b]0;judul\x07Sudirman"
        " sejak pagi, kata petugas dinas perhubungan kepada wartawan yang datang meliput.\n"
    )
    (corpus / "lampu.txt").write_text(text, encoding="utf-8")
    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"), engine=engine)
    assert not lib.update().skipped
    shown = lib.article("lampu.txt").text
    for word in ("berkedip", "sudirman", "perempatan"):
        res = lib.search(word)
        assert [h.id for h in res.hits] == ["lampu.txt"], word
        marked = [shown[s.start : s.end] for s in res.hits[0].highlights]
        assert marked and all(m.lower() == word for m in marked), (word, marked)
    assert lib.search("5mberkedip").total == 0
