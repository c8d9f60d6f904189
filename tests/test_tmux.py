"""End to end: the installed `newsreader` in a real terminal (tmux), driven with send-keys
and read back with capture-pane, as a new user would use it on the bundled corpus."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import newsreader_bin

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

# A background colour switched on just before the word: the query's hit is highlighted.
HIGHLIGHTED_HIT = re.compile(r"\x1b\[[0-9;]*4[8];[0-9;]*m(?:\x1b\[[0-9;]*m)*Putin")


class Tmux:
    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.target = "nr"

    def __call__(self, *args: str, check: bool = True) -> str:
        proc = subprocess.run(
            [TMUX, "-L", self.socket, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            timeout=20,
        )
        if check and proc.returncode:
            raise AssertionError(f"tmux {args}: {proc.stderr}")
        return proc.stdout

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        self("send-keys", "-t", self.target, "-l", text)

    def screen(self, colours: bool = False) -> str:
        return self("capture-pane", "-t", self.target, "-p", *(["-e"] if colours else []))

    def wait_for(self, text: str, timeout: float = 30.0, colours: bool = False) -> str:
        deadline = time.monotonic() + timeout
        while True:
            shown = self.screen(colours)
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{shown}")
            time.sleep(0.1)

    def wait_gone(self, text: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while text in (shown := self.screen()):
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went away; the screen:\n{shown}")
            time.sleep(0.1)

    def pane(self, fmt: str) -> str:
        return self("display-message", "-p", "-t", self.target, fmt).strip()

    def launch(self, *args: str) -> None:
        """The installed newsreader with `args`, in the test's own folders; its exit status
        is echoed when it ends, and its pane stays to be read."""
        env = {
            "NEWSREADER_HOME": os.environ["NEWSREADER_HOME"],
            "NEWSREADER_CONFIG_DIR": os.environ["NEWSREADER_CONFIG_DIR"],
        }
        command = " ".join(
            [
                *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                *map(shlex.quote, (newsreader_bin(), *args)),
            ]
        )
        script = f"env {command}; s=$?; echo newsreader-exit=$s; exit $s"
        self(
            "new-session",
            "-d",
            "-s",
            self.target,
            "-x",
            "100",
            "-y",
            "30",
            f"sh -c {shlex.quote(script)}",
        )
        self("set-option", "-t", self.target, "remain-on-exit", "on")

    def quit_cleanly(self) -> None:
        """Press q and see the app end with status 0."""
        self.type("q")
        deadline = time.monotonic() + 15
        while self.pane("#{pane_dead}") != "1":
            assert time.monotonic() < deadline, "the app did not quit"
            time.sleep(0.1)
        # The shell's echo, or tmux's own note if the terminal reset cleared the echo.
        shown = self.screen()
        assert "newsreader-exit=0" in shown or "Pane is dead (status 0" in shown, shown


@pytest.fixture
def tmux(isolated_dirs: Path):
    term = Tmux(f"newsreader-test-{os.getpid()}")
    yield term
    term("kill-server", check=False)


def test_search_read_compare_and_quit_in_tmux(tmux: Tmux, isolated_dirs: Path) -> None:
    tmux.launch()

    # No index yet: the app builds it, then lists every article.
    tmux.wait_for("5 articles, newest first")
    tmux.type("/putin")  # / is the way into the search box
    tmux.wait_for("5 results for putin")
    tmux.keys("Enter")  # from the search box to the results
    tmux.wait_for("Open")  # the footer now offers the results' keys
    tmux.keys("Enter")  # open the first
    tmux.wait_for("Next hit")  # the footer offers the article's keys
    tmux.wait_for("· n/N")  # the article is there with its hits, as the reader sees
    tmux.type("n")
    shown = tmux.wait_for("hit 1 of", colours=True)
    assert HIGHLIGHTED_HIT.search(shown), "the hit is highlighted"
    tmux.type("n")
    tmux.wait_for("hit 2 of")

    # The related list, then the comparison of the first related article.
    tmux.keys("Tab")
    tmux.wait_for("Related (2)")
    tmux.keys("Enter")
    shown = tmux.wait_for("passage 1 of ")
    total = re.search(r"passage 1 of (\d+)", shown)
    assert total and int(total.group(1)) >= 2, shown
    assert "①" in shown and "A  4 Strategi" in shown
    tmux.type("]")
    tmux.wait_for(f"passage 2 of {total.group(1)}")
    tmux.type("s")
    tmux.wait_for("B  4 Strategi")

    # Back where the reader was.
    tmux.keys("Escape")
    shown = tmux.wait_for("5 results for putin")
    assert "Related (2)" in shown
    tmux.type("?")
    tmux.wait_for("Esc closes")
    # A key right after Escape would read as Alt+key: wait for the help to close first.
    tmux.keys("Escape")
    tmux.wait_gone("Esc closes")
    tmux.quit_cleanly()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: the build starts no workers")
def test_the_app_builds_a_large_new_index_with_worker_processes_in_tmux(
    tmux: Tmux, isolated_dirs: Path, tmp_path: Path
) -> None:
    # A second batch large enough for worker processes (prepare.PARALLEL_DRAFTS), started
    # from the app's update thread with the app holding stderr: they failed with a traceback.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):
        (corpus / f"berita{i:03d}.txt").write_text(
            f"Banjir melanda kampung nomor {i}\n\nWarga kampung nomor {i} mengungsi setelah "
            "banjir setinggi satu meter merendam rumah mereka, kata petugas setempat.\n",
            encoding="utf-8",
        )
    tmux.launch(str(corpus))
    tmux.wait_for("400 articles, newest first", timeout=90)
    tmux.type("/mengungsi")
    tmux.wait_for("400 results for mengungsi")
    tmux.keys("Enter")  # from the search box to the results
    tmux.wait_for("Open")
    tmux.quit_cleanly()
