"""Plain-text articles. The first line is the headline when it looks like one.

Metadata for plain files can sit beside them in `metadata.json`, keyed by file
name: {"article.txt": {"title": ..., "outlet": ..., "url": ..., "published": ...}}.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from eventwire.ingest.base import IngestFailure, Item, RawArticle, decode_noted, read_bytes, register_reader

SIDECAR = "metadata.json"


@lru_cache(maxsize=64)
def _sidecar(folder: Path) -> dict:
    path = folder / SIDECAR
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@register_reader("text", suffixes=(".txt", ".text"))
def read_text(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    try:
        text, notes = decode_noted(data if data is not None else read_bytes(path))
    except (ValueError, OSError) as exc:
        yield IngestFailure(origin, str(exc))
        return
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        yield IngestFailure(origin, "empty file")
        return
    meta = _sidecar(path.resolve().parent).get(path.name, {}) if data is None else {}
    meta = meta if isinstance(meta, dict) else {}
    yield RawArticle(id=path.stem if data is None else "stdin", origin=origin, text=text,
                     title=meta.get("title"), outlet=meta.get("outlet"), url=meta.get("url"),
                     published=meta.get("published"), warnings=notes)
