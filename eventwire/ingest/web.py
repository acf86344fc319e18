"""Feed and page URLs: `eventwire ingest https://example.org/world.rss`.

A URL is fetched once and read like a file of the same kind (sniffed from its
bytes): a feed gives its entries, a page its article. Feed entries are then
followed to their pages, so an entry that carries only a summary becomes the
full article; when a page cannot be had (no network, an error, a page with no
article), the entry keeps the feed's own content. The first network failure
stops the following, so an offline run costs one time-out, not one per entry.

Only http and https are fetched, with a time-out and the same size limit as a
file; nothing else in eventwire touches the network.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from eventwire.ingest.base import MAX_FILE_BYTES, IngestFailure, Item, RawArticle, readers, sniff
from eventwire.ingest.html import html_to_article

TIMEOUT_S = 10.0
SCHEMES = ("http://", "https://")


class FetchError(Exception):
    """A URL that gave no usable bytes; `offline` when the network itself failed."""

    def __init__(self, reason: str, offline: bool = False) -> None:
        super().__init__(reason)
        self.offline = offline


def is_url(raw: str) -> bool:
    return raw.lower().startswith(SCHEMES)


def fetch(url: str, timeout: float = TIMEOUT_S, limit: int = MAX_FILE_BYTES) -> bytes:
    """The body of a GET on `url`, at most `limit` bytes; FetchError with a reason otherwise."""
    if not is_url(url):
        raise FetchError("only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": "eventwire"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked above
            data = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (OSError, http.client.HTTPException) as exc:  # URLError, time-outs and resets are OSErrors
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot fetch: {reason}", offline=True) from None
    if len(data) > limit:
        raise FetchError(f"response too large (> {limit / 1e6:.0f} MB limit)")
    return data


def read_url(url: str, follow: bool = True, timeout: float = TIMEOUT_S) -> Iterator[Item]:
    """Every record behind one URL: a feed's entries (followed to their pages) or a page's article."""
    try:
        data = fetch(url, timeout)
    except FetchError as exc:
        yield IngestFailure(url, str(exc))
        return
    kind = sniff(data)
    if kind == "text":  # a page served without markup at its head is still a page
        kind = "html"
    items = readers.get(kind).read(Path(url), url, data=data)  # type: ignore[call-arg]
    if kind != "feed" or not follow:
        yield from (_with_url(item, url) if kind == "html" else item for item in items)
        return
    online = True
    for item in items:
        if online and isinstance(item, RawArticle) and item.url and is_url(item.url):
            item, online = _followed(item, timeout)
        yield item


def _with_url(item: Item, url: str) -> Item:
    if isinstance(item, RawArticle):
        item.url = item.url or url
        item.id = url
    return item


def _followed(entry: RawArticle, timeout: float) -> tuple[RawArticle, bool]:
    """The entry's page as the article when it holds more text than the feed gave; (article, still online)."""
    assert entry.url is not None
    try:
        page = fetch(entry.url, timeout)
    except FetchError as exc:
        return entry, not exc.offline
    html = page.decode("utf-8", errors="replace")
    found = html_to_article(html, entry.origin, id=entry.id, url=entry.url, title=entry.title,
                            outlet=entry.outlet, published=entry.published)
    if isinstance(found, RawArticle) and len(found.text or "") > len(entry.text or ""):
        found.extra.update(entry.extra, followed=True)
        return found, True
    return entry, True
