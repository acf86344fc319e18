"""WARC and WARC.gz web archives: HTML responses only, streamed record by record.

A damaged archive is read as far as its records are whole: a record cut short
(its Content-Length not met, or its digest wrong) and bytes left after the last
whole record are each reported, never passed on as an article.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from eventwire.ingest.base import MAX_RECORD_BYTES, IngestFailure, Item, decode, register_reader, stable_id
from eventwire.ingest.html import html_to_article


def _is_html(record) -> bool:
    ctype = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
    return "html" in ctype.lower()


def _looks_like_archive(head: bytes) -> bool:
    """WARC or ARC, plain or gzipped (only the first member is looked at)."""
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    return head.lstrip().startswith((b"WARC/", b"filedesc://"))


def _cut_short(record) -> bool:
    """The record ended before its Content-Length, or its digest does not match."""
    left = getattr(record.raw_stream, "limit", 0) or 0
    checker = getattr(record, "digest_checker", None)
    return left > 0 or (checker is not None and checker.passed is False)


@register_reader("warc", suffixes=(".warc", ".warc.gz", ".arc", ".arc.gz"))
def read_warc(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        stream = io.BytesIO(data) if data is not None else path.open("rb")
        size = len(data) if data is not None else path.stat().st_size
    except OSError as exc:
        yield IngestFailure(origin, str(exc))
        return
    with stream:
        if not _looks_like_archive(stream.read(512)):
            yield IngestFailure(origin, "not a WARC or ARC archive")
            return
        stream.seek(0)
        yield from _records(ArchiveIterator(stream, check_digests=True), origin, size)


def _records(archive: ArchiveIterator, origin: str, size: int) -> Iterator[Item]:
    n = 0
    try:
        for record in archive:
            if record.rec_type != "response" or not _is_html(record):
                continue
            n += 1
            where = f"{origin}#{n}"
            body = record.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(body) > MAX_RECORD_BYTES:
                yield IngestFailure(where, "record too large")
                continue
            if _cut_short(record):
                yield IngestFailure(where, "truncated record (shorter than its Content-Length or bad digest)")
                continue
            yield _article(record, body, where)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
        yield IngestFailure(origin, f"truncated or broken archive after {n} records: {exc}")
        return
    if archive.offset < size:  # a gzip member cut short ends the iteration silently
        yield IngestFailure(origin, f"truncated or broken archive after {n} records: "
                                    f"{size - archive.offset} bytes after the last whole record")


def _article(record, body: bytes, where: str) -> Item:
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        html = decode(body, where)
    except ValueError as exc:
        return IngestFailure(where, str(exc))
    date = record.rec_headers.get_header("WARC-Date")
    item = html_to_article(html, where, id=stable_id(url), url=url)
    if not isinstance(item, IngestFailure) and not item.published and date:
        item.published = date  # the crawl date bounds the publication date
        item.extra["published_from"] = "warc-date"
    return item
