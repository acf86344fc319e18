"""WARC and WARC.gz web archives: HTML responses only, streamed record by record."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from eventwire.ingest.base import MAX_RECORD_BYTES, IngestFailure, Item, decode, register_reader, stable_id
from eventwire.ingest.html import html_to_article


def _is_html(record) -> bool:
    ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    return "html" in ctype.lower()


@register_reader("warc", suffixes=(".warc", ".warc.gz", ".arc", ".arc.gz"))
def read_warc(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        stream = io.BytesIO(data) if data is not None else path.open("rb")
    except OSError as exc:
        yield IngestFailure(origin, str(exc))
        return
    n = 0
    with stream:
        try:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or not _is_html(record):
                    continue
                n += 1
                url = record.rec_headers.get_header("WARC-Target-URI")
                where = f"{origin}#{n}"
                body = record.content_stream().read(MAX_RECORD_BYTES + 1)
                if len(body) > MAX_RECORD_BYTES:
                    yield IngestFailure(where, "record too large")
                    continue
                try:
                    html = decode(body, where)
                except ValueError as exc:
                    yield IngestFailure(where, str(exc))
                    continue
                date = record.rec_headers.get_header("WARC-Date")
                item = html_to_article(html, where, id=stable_id(url), url=url)
                if not isinstance(item, IngestFailure) and not item.published and date:
                    item.published = date  # the crawl date bounds the publication date
                    item.extra["published_from"] = "warc-date"
                yield item
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield IngestFailure(origin, f"truncated or broken archive after {n} records: {exc}")
