"""HTML pages: main text and metadata through trafilatura (htmldate for dates)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import trafilatura

from eventwire.ingest.base import IngestFailure, Item, RawArticle, decode_noted, read_bytes, register_reader


def html_to_article(html: str, origin: str, id: str, url: str | None = None, **meta: str | None) -> Item:
    """Extract the article of one page; metadata given by the caller wins over the page's."""
    try:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                          include_tables=True, include_images=False)
    except Exception as exc:  # lxml raises many kinds on broken markup
        return IngestFailure(origin, f"HTML could not be parsed ({type(exc).__name__})")
    text = (doc.text if doc else None) or ""
    if len(text.split()) < 5:
        return IngestFailure(origin, "no article text found in HTML")
    title = meta.get("title") or doc.title
    if title and text.startswith(title):
        text = text[len(title):].lstrip("\n")  # trafilatura repeats the headline in the body
    return RawArticle(id=id, origin=origin, text=text, title=title,
                      outlet=meta.get("outlet") or doc.sitename or doc.hostname,
                      url=url or doc.url, published=meta.get("published") or doc.date,
                      extra={"html_extracted": True})


@register_reader("html", suffixes=(".html", ".htm", ".xhtml"))
def read_html(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        html, notes = decode_noted(data if data is not None else read_bytes(path))
    except (ValueError, OSError) as exc:
        yield IngestFailure(origin, str(exc))
        return
    item = html_to_article(html, origin, id=path.stem if data is None else "stdin")
    if isinstance(item, RawArticle):
        item.warnings.extend(notes)
    yield item
