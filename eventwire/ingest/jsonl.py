"""JSONL dumps: one article a line with `id`, `text` or `html`, and metadata."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from eventwire.ingest.base import (
    MAX_RECORD_BYTES,
    IngestFailure,
    Item,
    RawArticle,
    register_reader,
    stable_id,
)

FIELDS = ("title", "outlet", "url", "published")


def parse_line(line: str, origin: str) -> Item:
    if len(line) > MAX_RECORD_BYTES:
        return IngestFailure(origin, f"record too large ({len(line) / 1e6:.1f} MB)")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestFailure(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
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


@register_reader("jsonl", suffixes=(".jsonl", ".ndjson", ".jsonl.gz"))
def read_jsonl(path: Path, origin: str, data: bytes | None = None) -> Iterator[Item]:
    if data is not None:
        lines = data.decode("utf-8", errors="replace").splitlines()
    else:
        try:
            if path.name.endswith(".gz"):
                import gzip

                lines = gzip.open(path, "rt", encoding="utf-8", errors="replace")  # noqa: SIM115
            else:
                lines = path.open(encoding="utf-8", errors="replace")  # noqa: SIM115 - streamed below
        except OSError as exc:
            yield IngestFailure(origin, str(exc))
            return
    try:
        for n, line in enumerate(lines, 1):
            if line.strip():
                yield parse_line(line, f"{origin}:{n}")
    except (OSError, EOFError) as exc:
        yield IngestFailure(origin, f"read error: {exc}")
