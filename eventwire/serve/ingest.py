"""Ingest from the page: pasted text and uploaded files through the whole pipeline into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventwire.ingest.base import IngestFailure, Item, RawArticle, reader_for, readers, sniff
from eventwire.pipeline import run_items
from eventwire.store import Store


def _read_upload(name: str, data: bytes) -> list[Item]:
    """One uploaded file to its articles, with the reader its name (or its first bytes) calls for."""
    path = Path(Path(name).name or "upload")  # never a path the client chose
    reader = reader_for(path) or sniff(data)
    try:
        items = list(readers.get(reader).read(path, path.name, data=data))
    except Exception as exc:  # noqa: BLE001 - a reader bug rejects this file only
        return [IngestFailure(path.name, f"{type(exc).__name__}: {exc}")]
    for item in items:
        if isinstance(item, RawArticle) and item.id == "stdin":
            item.id = path.stem
    return items or [IngestFailure(path.name, "no article in this file")]


def ingest_uploads(store: Store, text: str | None, meta: dict[str, str | None],
                   uploads: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Run the pipeline on what the page sent; report per input what was stored, skipped or refused."""
    items: list[Item] = []
    if text and text.strip():
        items.append(RawArticle(id="pasted", origin="pasted text", text=text, title=meta.get("title") or None,
                                url=meta.get("url") or None, outlet=meta.get("outlet") or None,
                                published=meta.get("published") or None))
    for name, data in uploads:
        items += _read_upload(name, data)
    results, keys = [], []
    for res in run_items(items):
        said = {"warnings": list(res.warnings)} if res.warnings else {}  # e.g. invalid Unicode repaired
        if res.skipped is not None:  # a unit that holds no article (a WARC request record, a 404): no failure
            results.append({"origin": res.origin, "status": "skipped", "reason": res.skipped, **said})
            continue
        if not res.ok:
            results.append({"origin": res.origin, "status": "error", "error": res.error, **said})
            continue
        key = store.save(res.record, res.origin)
        results.append({"origin": res.origin, "status": "stored" if key else "duplicate", "key": key,
                        "events": len(res.record.events), "title": res.record.article.title, **said})
        if key:
            keys.append(key)
    warnings = []
    if keys:
        from eventwire import stories

        try:
            stories.update(store, keys)
        except Exception as exc:  # noqa: BLE001 - the articles are stored; linking can be redone later
            warnings.append(f"stored, but linking into stories failed: {type(exc).__name__}: {exc}")
    return {"results": results, "stored": len(keys), "warnings": warnings,
            "duplicates": sum(r["status"] == "duplicate" for r in results),
            "skipped": sum(r["status"] == "skipped" for r in results),
            "failed": sum(r["status"] == "error" for r in results)}
