"""Plain-text articles: the first non-empty line is taken as the headline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from eventwire.ingest.base import IngestFailure, Item, RawArticle, decode, read_bytes, register_reader


@register_reader("text", suffixes=(".txt", ".text"))
def read_text(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        text = decode(data if data is not None else read_bytes(path), origin)
    except (ValueError, OSError) as exc:
        yield IngestFailure(origin, str(exc))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield IngestFailure(origin, "empty file")
        return
    yield RawArticle(id=path.stem if data is None else "stdin", origin=origin, text=text)
