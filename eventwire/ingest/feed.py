"""RSS and Atom feed files: each entry's full content, else its summary.

Following entries to their pages needs the network, which eventwire never
assumes; the feed's own `content:encoded` is what wire feeds carry anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from time import strftime

import feedparser

from eventwire.ingest.base import IngestFailure, Item, RawArticle, read_bytes, register_reader, stable_id
from eventwire.ingest.html import html_to_article


def _published(entry: dict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None


def _body(entry: dict) -> str | None:
    for content in entry.get("content") or []:
        if content.get("value"):
            return content["value"]
    return entry.get("summary")


@register_reader("feed", suffixes=(".rss", ".atom", ".xml", ".rdf"))
def read_feed(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        raw = data if data is not None else read_bytes(path)
    except (ValueError, OSError) as exc:
        yield IngestFailure(origin, str(exc))
        return
    if not raw.strip():
        yield IngestFailure(origin, "empty file")
        return
    parsed = feedparser.parse(raw)
    if not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: None)() or "no entries"
        yield IngestFailure(origin, f"not a readable feed: {reason}")
        return
    if parsed.get("bozo"):
        # feedparser recovers what it can from broken XML; say so and carry on.
        yield IngestFailure(origin, f"feed XML is broken, read {len(parsed.entries)} entries anyway: "
                                    f"{parsed.get('bozo_exception')}")
    outlet = parsed.feed.get("title")
    for n, entry in enumerate(parsed.entries, 1):
        where = f"{origin}#{n}"
        body = _body(entry)
        if not body or not body.strip():
            yield IngestFailure(where, "feed entry has no content")
            continue
        url = entry.get("link")
        rid = entry.get("id") or url or stable_id(body)
        wrapped = f"<html><body><article>{body}</article></body></html>"
        item = html_to_article(wrapped, where, id=rid, url=url, title=entry.get("title"),
                               outlet=outlet, published=_published(entry))
        if isinstance(item, RawArticle):
            item.extra["feed"] = str(path)
        yield item
