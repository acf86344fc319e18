"""A batch's output into the SQLite or PostgreSQL store, idempotently.

Each article row becomes the record `Store.save` stores (the record JSON, with its text put
back); an article stored before (same key or content) is left as it is, so loading twice changes
nothing. Articles are saved in the canonical order (publication date, then key), and then linked
by the stories stage the `ingest` command uses: the page and the API serve the batch result as
they serve ingested articles. A load killed half-way is resumed by loading again: the stories
stage links first the stored articles a previous run left unlinked.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from eventwire.batch.output import Output

ARTICLE_FIELDS = ("title", "outlet", "url", "published", "language", "credits")


def _record(row: dict[str, Any]) -> SimpleNamespace:
    """What `Store.save` reads of a Record, from one articles row."""
    data = json.loads(row["record"])
    data["article"]["text"] = row["text"]
    article = SimpleNamespace(text=row["text"], **{k: data["article"].get(k) for k in ARTICLE_FIELDS})
    article.credits = article.credits or []
    return SimpleNamespace(id=data["id"], article=article, to_dict=lambda: data)


def load(out_dir: str, db: str) -> dict[str, Any]:
    from eventwire import stories
    from eventwire.store import Store

    output = Output(out_dir)
    table = output.read_table("articles", columns=["key", "article_id", "origin", "published", "text", "record"])
    rows = sorted(table.to_pylist(), key=lambda r: (r["published"] is None, r["published"] or "", r["key"],
                                                    r["article_id"]))
    store = Store(db)
    new: list[str] = []
    for row in rows:
        key = store.save(_record(row), row["origin"])  # type: ignore[arg-type]
        if key:
            new.append(key)
    stories.update(store, new)
    summary: dict[str, Any] = {"rows": len(rows), "stored": len(new), "unchanged": len(rows) - len(new)}
    summary.update(_agreement(output, store))
    return summary


def _agreement(output: Output, store) -> dict[str, Any]:
    """How many stored articles the store put in the same story as `batch-stories` did, if it ran."""
    from sqlalchemy import select

    from eventwire.batch.stories import STORIES_FILE, read_stories
    from eventwire.store.schema import articles

    if not output.exists(STORIES_FILE):
        return {}
    batch = {r["key"]: r for r in read_stories(output.url).to_pylist()}
    with store.connect() as conn:
        stored = dict(conn.execute(select(articles.c.key, articles.c.story_id)).all())
    both = [k for k in stored if k in batch]
    same = sum(1 for k in both if batch[k]["story_id"] == stored[k])
    return {"story_ids_compared": len(both), "story_ids_equal": same}
