"""Feed and page URLs, served from a loopback server in the test (nothing leaves the machine)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eventwire.ingest import IngestFailure, RawArticle, read_paths
from eventwire.ingest.web import fetch, read_url

PAGE_BODY = (
    "Fishermen in the port of Valdora blocked the harbour entrance with dozens of boats on Monday, "
    "protesting against a new licence fee that they say will ruin small crews. The coast guard "
    "towed several boats away by the evening, and the harbour master said traffic would resume on "
    "Tuesday. Union leaders promised to return with more boats if the fee is not withdrawn."
)
PAGE = f"""<html><head><title>Fishermen block Valdora harbour</title></head><body>
<nav>Home | World | Sport</nav>
<article><h1>Fishermen block Valdora harbour</h1><p>{PAGE_BODY}</p></article>
<footer>Copyright 2025 Harbour Gazette</footer></body></html>"""


def _feed(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Gazette</title>
<item><title>Fishermen block Valdora harbour</title><link>{base}/page.html</link>
<guid>hg-1</guid><pubDate>Mon, 02 Jun 2025 18:00:00 GMT</pubDate>
<description>Fishermen blocked the harbour entrance with boats on Monday, the coast guard said.</description></item>
<item><title>Ferry strike ends in Portello</title><link>{base}/gone.html</link>
<guid>hg-2</guid><pubDate>Mon, 02 Jun 2025 19:00:00 GMT</pubDate>
<description>Ferry crews in Portello ended a three-day strike on Monday after the operator agreed to talks.</description></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the server's name for it
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        pages = {"/feed.xml": ("application/rss+xml", _feed(base)), "/page.html": ("text/html", PAGE)}
        if self.path not in pages:
            self.send_error(404, "Not Found")
            return
        kind, body = pages[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_feed_entries_are_followed_to_their_pages(server):
    first, second = list(read_url(f"{server}/feed.xml"))
    assert isinstance(first, RawArticle) and isinstance(second, RawArticle)
    # the first entry's page holds the whole article; the feed gave one sentence of it
    assert "Union leaders promised" in first.text and first.extra.get("followed")
    assert first.title == "Fishermen block Valdora harbour" and first.outlet == "Harbour Gazette"
    assert first.published.startswith("2025-06-02") and first.url == f"{server}/page.html"
    # the second entry's page is gone: the feed's own content is kept
    assert "three-day strike" in second.text and not second.extra.get("followed")


def test_feed_without_following_uses_feed_content(server):
    items = list(read_url(f"{server}/feed.xml", follow=False))
    assert [i.extra.get("followed") for i in items] == [None, None]
    assert "Union leaders" not in items[0].text


def test_page_url_gives_its_article(server):
    [item] = list(read_paths([f"{server}/page.html"]))
    assert isinstance(item, RawArticle)
    assert item.id == item.url == f"{server}/page.html"
    assert "licence fee" in item.text and "Home | World" not in item.text


@pytest.mark.parametrize(("path", "reason"), [("/missing.html", "HTTP 404"), ("/feed.xml?x", "HTTP 404")])
def test_http_error_is_one_failure_naming_the_url(server, path, reason):
    [item] = list(read_paths([server + path]))
    assert isinstance(item, IngestFailure) and item.origin == server + path and reason in item.reason


def test_unreachable_host_is_a_failure_not_a_crash():
    # port 9 on loopback: nothing listens there, so the connection is refused at once
    [item] = list(read_url("http://127.0.0.1:9/feed.xml", timeout=2))
    assert isinstance(item, IngestFailure) and "cannot fetch" in item.reason


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_only_http_is_fetched(url):
    from eventwire.ingest.web import FetchError

    with pytest.raises(FetchError, match="only http"):
        fetch(url)


def test_oversized_response_is_refused(server):
    from eventwire.ingest.web import FetchError

    with pytest.raises(FetchError, match="too large"):
        fetch(f"{server}/page.html", limit=100)
