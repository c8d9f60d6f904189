"""`newsreader fetch` against feeds and pages served on 127.0.0.1 only: new entries become
files, conditional requests make a second fetch unchanged, and failures (404, 500, a
timeout, a body that is not a feed, an encoding that lies) are reported per feed."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from newsreader.index import Library
from newsreader.index.errors import ConfigError
from newsreader.index.feeds.fetch import Http, fetch_feeds, state_path
from newsreader.index.feeds.subscriptions import Subscription, Subscriptions, load_subscriptions

from tests.test_readers import RSS, page

LAST_MODIFIED = formatdate(1_700_000_000, usegmt=True)


def feed_xml(base: str) -> str:
    items = "".join(
        f"<item><title>Berita {n}</title><guid>berita-{n}</guid><link>{base}{link}</link>"
        f"<description>Ringkasan berita {n} dari umpan.</description>"
        f"<pubDate>Tue, 1{n} Sep 2019 10:00:00 +0700</pubDate></item>"
        for n, link in ((1, "/pages/1.html"), (2, "/pages/menu.html"), (3, "/pages/gone"))
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Kabar Lokal</title><language>id</language>{items}</channel></rss>"
    )


class Server:
    """A feed site on 127.0.0.1: each path answers as its name says."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.conditional = True
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                outer.hits[self.path] += 1
                outer.route(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def route(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path == "/feed.xml":
            etag = '"v1"'
            if self.conditional and (
                h.headers.get("If-None-Match") == etag
                or h.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self.send(h, 304, b"")
                return
            self.send(
                h,
                200,
                feed_xml(self.base).encode(),
                "application/rss+xml",
                {"ETag": etag, "Last-Modified": LAST_MODIFIED},
            )
        elif path == "/pages/1.html":
            self.send(h, 200, page("utf-8").encode(), "text/html; charset=utf-8")
        elif path == "/pages/menu.html":
            self.send(
                h, 200, b"<html><body><nav><a href='/'>Beranda</a></nav></body></html>", "text/html"
            )
        elif path == "/rss-content.xml":
            self.send(h, 200, RSS.encode(), "application/rss+xml")
        elif path == "/lying.xml":
            self.send(
                h,
                200,
                RSS.replace("Palu pagi", "Palú pagi").encode("cp1252"),
                "application/rss+xml; charset=utf-8",
            )
        elif path == "/not-a-feed":
            self.send(h, 200, b"Selamat datang di situs kami!", "text/plain")
        elif path == "/error.xml":
            self.send(h, 500, b"oops", "text/plain")
        elif path == "/loop.xml":
            self.send(h, 302, b"", "text/plain", {"Location": "/loop.xml"})
        elif path == "/slow.xml":
            time.sleep(2)
            self.send(h, 200, feed_xml(self.base).encode(), "application/rss+xml")
        elif path.startswith("/drip-"):
            self.drip(h, path)
        else:
            self.send(h, 404, b"not here", "text/plain")

    @staticmethod
    def drip(h: BaseHTTPRequestHandler, path: str) -> None:
        """One byte every 0.1 s, for up to 20 s: of the status line and headers, of a body
        with a length, or of a body read until the connection closes."""
        body = feed_xml("http://127.0.0.1").encode() * 20
        if path == "/drip-headers":
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n" + b"X: y\r\n" * 99
            data, before = head, b""
        elif path == "/drip-body":
            before = (
                f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            data = body
        else:  # no length: the body ends when the connection does
            before = b"HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n"
            data = body
        h.close_connection = True
        try:
            h.wfile.write(before)
            h.wfile.flush()
            for k in range(min(len(data), 200)):
                h.wfile.write(data[k : k + 1])
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass  # the client gave up, as it should

    @staticmethod
    def send(
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        ctype: str = "text/plain",
        headers: dict[str, str] | None = None,
    ) -> None:
        h.send_response(status)
        h.send_header("Content-Type", ctype)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        if body:
            h.wfile.write(body)


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def subs(*feeds: Subscription, timeout: float = 5.0, delay: float = 0.0) -> Subscriptions:
    return Subscriptions(tuple(feeds), timeout=timeout, delay=delay)


def corpus_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_fetch_writes_new_entries_and_a_second_fetch_is_unchanged(
    server: Server, tmp_path: Path
) -> None:
    corpus, state = tmp_path / "corpus", tmp_path / "ix.fetch.json"
    corpus.mkdir()
    feeds = subs(
        Subscription(f"{server.base}/feed.xml", "Kabar Lokal", full_page=True),
        Subscription(f"{server.base}/rss-content.xml"),
    )
    events = []
    first = fetch_feeds(corpus, feeds, state, progress=events.append)
    lokal, content = first
    assert (lokal.status, lokal.new, lokal.unchanged, lokal.failed) == ("new", 3, 0, 0)
    assert (content.status, content.new, content.failed) == ("new", 2, 1)
    # The page with no main text and the missing page fall back to the feed's summary.
    assert any("menu.html: page skipped: no main text" in n for n in lokal.notes)
    assert any("/pages/gone: page not fetched: HTTP 404" in n for n in lokal.notes)
    assert any("no text" in n for n in content.notes)
    files = corpus_files(corpus)
    assert len(files) == 5 and all(f.endswith(".json") for f in files)
    assert all(not Path(f).name.startswith(".") for f in files)  # no temporary files left
    assert {f.split("/")[1] for f in files} == {"kabar-lokal", "127-0-0-1-rss-content-xml"}
    record = json.loads((corpus / lokal.files[0]).read_text())
    assert record["extracted_from"] == "page" and record["body"].startswith("Hujan deras")
    assert record["title"] == "Berita 1"  # the feed's metadata wins over the page's
    assert record["outlet"] == "Kabar Lokal" and record["date"] == "2019-09-11T10:00+07:00"
    assert events[-1].done == events[-1].total == 3 and events[0].total == 0

    second = fetch_feeds(corpus, feeds, state)
    assert [(r.status, r.new) for r in second] == [("unchanged", 0), ("unchanged", 0)]
    assert second[0].reason == "not modified since the last fetch"
    assert second[1].unchanged == 2
    assert server.hits["/pages/1.html"] == 1  # pages of known entries are not fetched again
    assert corpus_files(corpus) == files

    lib = Library.open(corpus, tmp_path / "ix", variants=Path("/nonexistent"))
    rep = lib.update()
    assert len(rep.added) == 5 and rep.skipped == []
    hits = lib.search("outlet:lokal").hits
    assert len(hits) == 3 and {h.outlet for h in hits} == {"Kabar Lokal"}
    assert lib.search("banjir bekasi").hits[0].title == "Berita 1"


def test_fetch_failures_are_reported_per_feed(server: Server, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feeds = subs(
        *(
            Subscription(f"{server.base}{p}", p.strip("/"))
            for p in (
                "/missing.xml",
                "/error.xml",
                "/loop.xml",
                "/slow.xml",
                "/not-a-feed",
                "/lying.xml",
                "/feed.xml",
            )
        ),
        timeout=0.5,
    )
    started = time.monotonic()
    results = fetch_feeds(corpus, feeds, tmp_path / "state.json")
    assert time.monotonic() - started < 5
    status = {r.name: (r.status, r.reason) for r in results}
    assert status["missing.xml"] == ("failed", "HTTP 404 Not Found")
    assert status["error.xml"] == ("failed", "HTTP 500 Internal Server Error")
    assert status["loop.xml"] == ("failed", "redirected in a loop (HTTP 302)")
    assert status["slow.xml"] == ("failed", "timed out after 0.5 s")
    assert status["not-a-feed"][0] == "failed"
    assert status["not-a-feed"][1].startswith("not a feed")
    assert status["lying.xml"][0] == "failed" and "encoding lies" in status["lying.xml"][1]
    assert status["feed.xml"][0] == "new"  # everything else still goes in
    assert len(corpus_files(corpus)) == 3


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body", "/drip-until-close"])
def test_a_server_dripping_bytes_cannot_hold_fetch_past_its_timeout(
    server: Server, tmp_path: Path, path: str
) -> None:
    """The timeout bounds the whole request, however slowly the bytes come (the server
    would go on for 20 s; a byte every 0.1 s never trips a socket timeout)."""
    results: list = []
    worker = threading.Thread(
        target=lambda: results.append(_get_or_fail(f"{server.base}{path}")), daemon=True
    )
    worker.start()
    worker.join(timeout=15)
    assert not worker.is_alive(), "fetch was held past its timeout"
    assert results == ["timed out after 1 s"]


def _get_or_fail(url: str) -> str:
    from newsreader.index.feeds.fetch import FetchError

    try:
        Http(timeout=1.0, delay=0).get(url)
    except FetchError as exc:
        return str(exc)
    return "fetched"


def test_a_server_that_ignores_conditional_requests_still_gives_no_duplicates(
    server: Server, tmp_path: Path
) -> None:
    server.conditional = False
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    feeds = subs(Subscription(f"{server.base}/feed.xml"))
    assert fetch_feeds(corpus, feeds, tmp_path / "s.json")[0].new == 3
    again = fetch_feeds(corpus, feeds, tmp_path / "s.json")[0]
    assert (again.status, again.new, again.unchanged) == ("unchanged", 0, 3)
    # An entry the user deleted stays deleted; a lost state file creates no duplicates.
    first = sorted(corpus.rglob("*.json"))[0]
    first.unlink()
    assert fetch_feeds(corpus, feeds, tmp_path / "s.json")[0].new == 0
    (tmp_path / "s.json").unlink()
    assert fetch_feeds(corpus, feeds, tmp_path / "s.json")[0].new == 1
    assert len(list(corpus.rglob("*.json"))) == 3


def test_requests_to_one_host_keep_the_delay(server: Server) -> None:
    pauses: list[float] = []
    http = Http(timeout=5, delay=0.3, sleep=pauses.append)
    http.get(f"{server.base}/feed.xml")
    http.get(f"{server.base}/pages/1.html")
    assert len(pauses) == 1 and 0.2 < pauses[0] <= 0.3


def test_a_failed_write_leaves_nothing_behind(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("newsreader.index.feeds.fetch.os.replace", broken)
    with pytest.raises(OSError):
        fetch_feeds(corpus, subs(Subscription(f"{server.base}/feed.xml")), tmp_path / "s.json")
    assert [p for p in corpus.rglob("*") if p.is_file()] == []


# -- subscriptions ------------------------------------------------------------------------
def test_subscriptions_file(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[fetch]\ntimeout = 5\ndelay = 2\n\n[[feed]]\nurl = "https://a.example/rss"'
        '\nname = "Kabar A"\nfull_page = true\n\n[[feed]]\n'
        'url = "http://b.example/feed/"\n'
    )
    s = load_subscriptions(path)
    assert (s.timeout, s.delay, s.folder) == (5.0, 2.0, "feeds")
    assert s.feeds == (
        Subscription("https://a.example/rss", "Kabar A", True),
        Subscription("http://b.example/feed/"),
    )
    assert s.slugs() == {
        "https://a.example/rss": "kabar-a",
        "http://b.example/feed/": "b-example-feed",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[feed]]\nurl = "file:///etc/passwd"', "http:// or https://"),
        ('[[feed]]\nurl = "https://a.example"\nfullpage = true', 'unknown key "fullpage"'),
        ('[[feed]]\nurl = "https://a.example"\n[[feed]]\nurl = "https://a.example"', "twice"),
        ("[fetch]\ntimeout = -1", "timeout"),
        ('[fetch]\nfolder = "../outside"', "folder"),
        ("[[feed]\n", "not valid TOML"),
    ],
)
def test_bad_subscriptions_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_subscriptions(path)


def test_missing_subscriptions_say_how_to_make_them(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no feed subscriptions: create .*feeds\.toml"):
        load_subscriptions(tmp_path / "feeds.toml")


# -- the commands -------------------------------------------------------------------------
def test_fetch_and_stats_commands(server: Server, tmp_path: Path, isolated_dirs: Path) -> None:
    from newsreader.tui.cli.main import cli

    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "feeds.toml").write_text(
        f'[fetch]\ndelay = 0\n[[feed]]\nurl = "{server.base}/feed.xml"\nname = "Kabar Lokal"\n'
        f'[[feed]]\nurl = "{server.base}/error.xml"\n'
    )
    corpus = tmp_path / "news"
    runner = CliRunner()
    result = runner.invoke(cli, ["fetch", "--corpus", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(f["status"], f["new"]) for f in data["feeds"]] == [("new", 3), ("failed", 0)]
    assert data["feeds"][1]["reason"] == "HTTP 500 Internal Server Error"
    assert len(data["index"]["added"]) == 3
    assert state_path(corpus.resolve()).exists()

    result = runner.invoke(cli, ["fetch", "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    assert "not modified" in result.stdout and "HTTP 500" in result.stdout

    # Another process updating the index: the summary still, then why nothing was indexed.
    import fcntl

    with (Path(data["index"]["index_dir"]) / "lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(cli, ["fetch", "--corpus", str(corpus)])
    assert result.exit_code == 1, result.output
    assert "not modified" in result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("newsreader: error: the entries are downloaded but not indexed: ")
    assert "another newsreader process" in line

    result = runner.invoke(cli, ["stats", "--corpus", str(corpus), "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.stdout)
    assert s["articles"] == 3
    assert s["outlets"] == [{"name": "Kabar Lokal", "articles": 3}]
    assert s["months"] == [{"name": "2019-09", "articles": 3}]
    assert s["updated"] and s["index_bytes"] > 0
    result = runner.invoke(cli, ["stats", "--corpus", str(corpus)])
    assert "By outlet" in result.stdout and "Kabar Lokal" in result.stdout
    # Not a terminal: plain columns, no box-drawing lines.
    assert not set("┃│━┏") & set(result.stdout)


def test_fetch_fails_when_every_feed_fails(server: Server, tmp_path: Path, isolated_dirs) -> None:
    from newsreader.tui.cli.main import cli

    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "feeds.toml").write_text(
        f'[fetch]\ndelay = 0\ntimeout = 1\n[[feed]]\nurl = "{server.base}/error.xml"\n'
        f'[[feed]]\nurl = "{server.base}/drip-headers"\n'
    )
    corpus = tmp_path / "news"
    result = CliRunner().invoke(cli, ["fetch", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "HTTP 500" in result.stdout and "timed out after 1 s" in result.stdout
    assert result.stderr.strip() == (
        "newsreader: error: all 2 feeds failed (see the summary for the reasons)"
    )
    result = CliRunner().invoke(cli, ["fetch", "--corpus", str(corpus), "--json"])
    assert result.exit_code == 1
    assert [f["status"] for f in json.loads(result.stdout)["feeds"]] == ["failed", "failed"]


def test_fetch_errors_are_one_line(tmp_path: Path) -> None:
    from newsreader.tui.cli.main import cli

    result = CliRunner().invoke(cli, ["fetch", "--corpus", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert result.stderr.startswith("newsreader: error: no feed subscriptions")
    assert "Traceback" not in result.output
    result = CliRunner().invoke(cli, ["fetch"])
    assert result.exit_code == 1 and "give --corpus PATH" in result.stderr
