"""JSON files: a JSON Feed 1.0/1.1 (https://jsonfeed.org), one article object, or a list of them.

A JSON Feed's items are read like an RSS feed's entries: `content_html` through the HTML
extractor, else `content_text`, else `summary`. A folder's `metadata.json` describes the text
files beside it (see the text reader) and is skipped with a line that says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from eventwire.ingest.base import (
    IngestFailure,
    IngestSkip,
    Item,
    RawArticle,
    decode_noted,
    read_bytes,
    register_reader,
    stable_id,
)
from eventwire.ingest.html import html_to_article
from eventwire.ingest.jsonl import from_object
from eventwire.ingest.text import SIDECAR


def is_json_feed(obj: object) -> bool:
    return isinstance(obj, dict) and "jsonfeed.org/version" in str(obj.get("version", ""))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def feed_items(feed: dict, origin: str, path: str) -> Iterator[Item]:
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        yield IngestFailure(origin, "JSON Feed has no items")
        return
    outlet = _text(feed.get("title"))
    for n, entry in enumerate(items, 1):
        where = f"{origin}#{n}"
        if not isinstance(entry, dict):
            yield IngestFailure(where, "feed item is not a JSON object")
            continue
        url = _text(entry.get("url")) or _text(entry.get("external_url"))
        title, published = _text(entry.get("title")), _text(entry.get("date_published"))
        rid = str(entry.get("id") or url or "") or None
        html, text = _text(entry.get("content_html")), _text(entry.get("content_text"))
        summary = _text(entry.get("summary"))
        if html:
            wrapped = f"<html><body><article>{html}</article></body></html>"
            item = html_to_article(wrapped, where, id=rid or stable_id(html), url=url, title=title,
                                   outlet=outlet, published=published)
        elif text or summary:
            body = text or summary or ""
            item = RawArticle(id=rid or stable_id(body), origin=where, text=body, title=title,
                              outlet=outlet, url=url, published=published)
        else:
            yield IngestFailure(where, "feed item has no content_html, content_text or summary")
            continue
        if isinstance(item, RawArticle):
            item.extra["feed"] = path
        yield item


@register_reader("json", suffixes=(".json",))
def read_json(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    if data is None and path.name == SIDECAR:
        yield IngestSkip(origin, "metadata of the text files beside it, not an article")
        return
    try:
        text, notes = decode_noted(data if data is not None else read_bytes(path))
        obj = json.loads(text)
    except RecursionError:
        yield IngestFailure(origin, "JSON nested too deeply to read")
        return
    except json.JSONDecodeError as exc:
        yield IngestFailure(origin, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    except (ValueError, OSError) as exc:
        yield IngestFailure(origin, str(exc))
        return
    if is_json_feed(obj):
        items = feed_items(obj, origin, str(path))
    elif isinstance(obj, list):
        items = (from_object(entry, f"{origin}#{n}") for n, entry in enumerate(obj, 1))
    elif isinstance(obj, dict) and ("text" in obj or "html" in obj):
        items = iter([from_object(obj, origin)])
    else:
        yield IngestFailure(origin, "not a JSON Feed, an article object with 'text' or 'html', or a list of them")
        return
    empty = True
    for item in items:
        empty = False
        if notes and isinstance(item, RawArticle):
            item.warnings.extend(notes)
        yield item
    if empty:
        yield IngestFailure(origin, "empty list: no records")
