"""WARC and ARC web archives, plain or gzipped, streamed record by record.

A `response` or `resource` record holding HTML or plain text is an article; every other
record (requests, metadata, images, redirects) is skipped with a line that says why.

A damaged archive is read as far as its records are whole: a record cut short
(its Content-Length not met, or its digest wrong) and bytes left after the last
whole record are each reported, never passed on as an article.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from eventwire.ingest.base import (
    MAX_RECORD_BYTES,
    IngestFailure,
    IngestSkip,
    Item,
    RawArticle,
    decode_noted,
    register_reader,
    stable_id,
)
from eventwire.ingest.html import html_to_article


class _Loader(ArcWarcRecordLoader):
    """warcio's loader, minus its crash on a response record with no WARC-Target-URI (which ended
    the whole archive): such a record's payload is read as the HTTP response it should hold."""

    def load_http_headers(self, rec_type, uri, stream, length):  # noqa: ANN001 - warcio's signature
        if uri is None:
            uri = "http://" if rec_type == "response" else ""
        try:
            return super().load_http_headers(rec_type, uri, stream, length)
        except StatusAndHeadersParserException:
            return None  # the payload is no HTTP message: read as it is, and its digest says the rest


class TruncatedArchive(OSError):
    """The archive's bytes end inside a gzip member: an error, where warcio reads EOFError as the end."""


class _Gunzipped:
    """A gzipped archive, unpacked as read, member after member. Everything that unpacks is
    returned first; then a member cut short raises TruncatedArchive (warcio takes the EOFError
    that gzip would raise for the end of the archive, and so drops the rest in silence)."""

    CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._inflater: Any = None
        self._input = b""  # compressed bytes not yet fed
        self._out = b""
        self._pos = 0
        self._error: str | None = None
        self._done = False

    def _fill(self) -> None:
        if self._inflater is None or self._inflater.eof:
            rest = self._inflater.unused_data if self._inflater is not None else b""
            self._input = rest + self._input
            if not self._input:
                self._input = self._raw.read(self.CHUNK)
            if not self._input:
                self._done = True  # the archive ended between two members: whole
                return
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        if not self._input:
            self._input = self._raw.read(self.CHUNK)
            if not self._input:
                self._done, self._error = True, "truncated archive: the last gzip member is cut short"
                return
        try:
            self._out += self._inflater.decompress(self._input, 1 << 22)
        except zlib.error as exc:
            self._done, self._error = True, f"broken gzip data: {exc}"
            return
        self._input = self._inflater.unconsumed_tail

    def read(self, size: int = -1) -> bytes:
        want = size if size is not None and size >= 0 else 1 << 62
        while len(self._out) < want and not self._done:
            self._fill()
        if not self._out and self._error:
            raise TruncatedArchive(self._error)
        chunk, self._out = self._out[:want], self._out[want:]
        self._pos += len(chunk)
        return chunk

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._raw.close()


def _content_type(record) -> str:
    if record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _kind(record) -> str | None:
    """"html" or "text" for a record that may hold an article, else None."""
    ctype = _content_type(record)
    if "html" in ctype:
        return "html"
    if ctype.startswith("text/plain"):
        return "text"
    return None


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
        gzipped = stream.read(2) == b"\x1f\x8b"
        stream.seek(0)
        # A gzipped archive is read through gzip, member after member: warcio itself refuses a file
        # gzipped whole rather than record by record, and a member cut short raises EOFError here.
        plain = _Gunzipped(stream) if gzipped else stream
        # arc2warc: ARC records come with WARC names, so an ARC keeps its URL and date.
        archive = ArchiveIterator(plain, check_digests=True, arc2warc=True)
        archive.loader = _Loader(verify_http=False, arc2warc=True)
        yield from _records(archive, origin, None if gzipped else size)


def _records(archive: ArchiveIterator, origin: str, size: int | None) -> Iterator[Item]:
    """One item per archive record: an article, an error, or a skip saying why it holds none."""
    n = 0
    try:
        for record in archive:
            n += 1
            where = f"{origin}#{n}"
            try:
                yield _record_item(record, where)
            except TruncatedArchive as exc:
                yield IngestFailure(where, str(exc))
            except Exception as exc:  # noqa: BLE001 - one odd record never drops the rest
                yield IngestFailure(where, f"unreadable record: {type(exc).__name__}: {exc}")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error, AttributeError) as exc:
        yield IngestFailure(origin, f"truncated or broken archive after {n} records: {exc}")
        return
    if size is not None and archive.offset < size:  # bytes left that make no whole record
        yield IngestFailure(origin, f"truncated or broken archive after {n} records: "
                                    f"{size - archive.offset} bytes after the last whole record")


ARTICLE_RECORDS = ("response", "resource")
WARC_TYPES = frozenset({"warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion",
                        "continuation"})


def _drained(record) -> bytes | None:
    """The record's payload (None when over the size limit); read to its end either way, so a
    record cut short is known before it is skipped or kept."""
    stream = record.content_stream()
    body = stream.read(MAX_RECORD_BYTES + 1)
    if len(body) <= MAX_RECORD_BYTES:
        return body
    while stream.read(1 << 20):
        pass
    return None


def _record_item(record, where: str) -> Item:
    body = _drained(record)
    if _cut_short(record):
        return IngestFailure(where, "truncated record (shorter than its Content-Length or bad digest)")
    if record.rec_type not in WARC_TYPES or record.rec_headers.get_header("Content-Length") is None:
        return IngestFailure(where, f"broken or truncated record header (WARC-Type {record.rec_type!r}"
                                    f"{'' if record.rec_headers.get_header('Content-Length') else ', no Content-Length'})")
    if record.rec_type not in ARTICLE_RECORDS:
        return IngestSkip(where, f"WARC {record.rec_type} record: holds no article")
    status = record.http_headers.get_statuscode() if record.http_headers is not None else None
    if status and not str(status).startswith("2"):
        return IngestSkip(where, f"HTTP {status} response: holds no article")
    kind = _kind(record)
    if kind is None:
        return IngestSkip(where, f"{record.rec_type} record of type {_content_type(record) or 'unknown'}: "
                                 "not HTML or text")
    if body is None:
        return IngestFailure(where, "record too large")
    return _article(record, body, where, kind)


def _article(record, body: bytes, where: str, kind: str) -> Item:
    url = record.rec_headers.get_header("WARC-Target-URI") or None
    try:
        content, notes = decode_noted(body)
    except ValueError as exc:
        return IngestFailure(where, str(exc))
    if url is None:
        notes.append("record has no WARC-Target-URI: no URL")
    date = record.rec_headers.get_header("WARC-Date")
    rid = stable_id(url) if url else stable_id(None, content)
    if kind == "html":
        item = html_to_article(content, where, id=rid, url=url)
    else:
        item = RawArticle(id=rid, origin=where, text=content.replace("\r\n", "\n"), url=url)
    if isinstance(item, RawArticle):
        item.warnings.extend(notes)
        if not item.published and date:
            item.published = date  # the crawl date bounds the publication date
            item.extra["published_from"] = "warc-date"
    return item
