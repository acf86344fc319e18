"""JSONL dumps: one article a line with `id`, `text` or `html`, and metadata.

Lines end at LF only (a CR or U+2028 inside a line is not a line break, so line numbers match
an editor's); a UTF-8 BOM is dropped; a line that is not UTF-8 is read as Windows-1252 with a
warning; UTF-16 files are read by their BOM or NUL pattern.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from eventwire.ingest.base import (
    MAX_FILE_BYTES,
    MAX_RECORD_BYTES,
    IngestFailure,
    Item,
    RawArticle,
    register_reader,
    stable_id,
    utf16_without_bom,
)

FIELDS = ("title", "outlet", "url", "published")


def parse_line(line: str, origin: str) -> Item:
    if len(line) > MAX_RECORD_BYTES:
        return IngestFailure(origin, f"record too large ({len(line) / 1e6:.1f} MB)")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestFailure(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return IngestFailure(origin, "JSON nested too deeply to read")
    return from_object(obj, origin)


def from_object(obj: object, origin: str) -> Item:
    """One article from a decoded JSON object with `text` or `html` and metadata."""
    if not isinstance(obj, dict):
        return IngestFailure(origin, "record is not a JSON object")
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        return IngestFailure(origin, "record has no 'text' or 'html'")
    meta = {k: (str(obj[k]) if obj.get(k) is not None else None) for k in FIELDS}
    outlet = meta["outlet"] or (str(obj["source"]) if obj.get("source") else None)
    rid = obj.get("id")
    rid = str(rid) if rid not in (None, "") else stable_id(meta["url"], text or html)
    return RawArticle(id=rid, origin=origin, text=text if isinstance(text, str) else None,
                      html=html if isinstance(html, str) else None, title=meta["title"],
                      outlet=outlet, url=meta["url"], published=meta["published"])


def _line_text(raw: bytes, first: bool) -> tuple[str, str | None]:
    """A line's text and a warning when it was not UTF-8. Only LF ends a line: a CR (a stray one,
    or of CRLF) is whitespace to JSON, and U+2028 is a character inside a string."""
    if first:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return raw.decode("cp1252", errors="replace"), f"line is not UTF-8 (byte {exc.start}): read as Windows-1252"


def _byte_lines(stream: IO[bytes], limit: int = MAX_RECORD_BYTES) -> Iterator[bytes | None]:
    """The stream's lines split on LF only; None for a line over `limit` (read past, not kept)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _utf16_lines(stream: IO[bytes]) -> Iterator[str] | None:
    """The lines of a UTF-16 stream (by BOM or NUL pattern), which LF-splitting bytes would break."""
    head = stream.read(4096)
    stream.seek(0)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        encoding = utf16_without_bom(head) if b"\x00" in head else None
        if encoding is None:
            return None
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"UTF-16 JSONL over {MAX_FILE_BYTES / 1e6:.0f} MB is not read")
    return iter(data.decode(encoding, errors="replace").split("\n"))


def read_lines(stream: IO[bytes], origin: str) -> Iterator[Item]:
    try:
        wide = _utf16_lines(stream)
    except ValueError as exc:
        yield IngestFailure(origin, str(exc))
        return
    lines: Iterator = wide if wide is not None else _byte_lines(stream)
    seen = 0
    for n, raw in enumerate(lines, 1):
        where = f"{origin}:{n}"
        if raw is None:
            yield IngestFailure(where, f"record too large (over {MAX_RECORD_BYTES / 1e6:.0f} MB)")
            seen += 1
            continue
        note = None
        line = raw if isinstance(raw, str) else None
        if line is None:
            line, note = _line_text(raw, n == 1)
        elif n == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        seen += 1
        try:
            item = parse_line(line, where)
        except Exception as exc:  # noqa: BLE001 - one odd line never abandons the rest of the file
            item = IngestFailure(where, f"unreadable record: {type(exc).__name__}: {exc}")
        if note and isinstance(item, RawArticle):
            item.warnings.append(note)
        yield item
    if seen == 0:
        yield IngestFailure(origin, "empty file (no records)")


@register_reader("jsonl", suffixes=(".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"))
def read_jsonl(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        if data is not None:
            stream: IO[bytes] = io.BytesIO(data)
        elif path.name.endswith(".gz"):
            stream = gzip.open(path, "rb")  # noqa: SIM115 - closed below
        else:
            stream = path.open("rb")  # noqa: SIM115 - streamed below
    except OSError as exc:
        yield IngestFailure(origin, str(exc))
        return
    with stream:
        try:
            yield from read_lines(stream, origin)
        except (OSError, EOFError, zlib.error) as exc:
            yield IngestFailure(origin, f"read error: {exc}")
