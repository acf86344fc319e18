"""Stage 6, stories: copies, stories and merged events across articles.

The only stateful stage besides the store: it reads what is stored and links
new articles to what came before. Every article is linked in its own
transaction (copy detection, story, merged events, then `story_id` last), so an
article with `story_id` NULL is exactly one not linked yet: `update` links
those first, which is how a run killed half-way resumes without losses or
double counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from eventwire.store import Store
from eventwire.store.schema import articles
from eventwire.stories.cluster import assign
from eventwire.stories.dedup import link_copy
from eventwire.stories.merge import merge_article

__all__ = ["LinkResult", "link_article", "pending", "update"]


@dataclass
class LinkResult:
    key: str
    story_id: str
    duplicate_of: str | None
    events: list[str]


def pending(conn: Connection, exclude: Iterable[str] = ()) -> list[str]:
    """Stored articles not yet linked (a previous run stopped before it got to them)."""
    skip = set(exclude)
    rows = conn.execute(select(articles.c.key).where(articles.c.story_id.is_(None))
                        .order_by(articles.c.published, articles.c.ingested_at, articles.c.key))
    return [r.key for r in rows if r.key not in skip]


def link_article(conn: Connection, key: str) -> LinkResult | None:
    """Copies, story and merged events for one stored article; None when it is gone or linked already."""
    row = conn.execute(select(articles.c.key, articles.c.title, articles.c.text, articles.c.outlet,
                              articles.c.url, articles.c.published, articles.c.credits, articles.c.record,
                              articles.c.story_id).where(articles.c.key == key)).first()
    if row is None or row.story_id is not None:
        return None
    art = dict(row._mapping)
    canonical = link_copy(conn, key, art)
    art["source_key"] = conn.execute(select(articles.c.source_key).where(articles.c.key == key)).scalar()
    story_id = assign(conn, key, art, canonical)
    touched = merge_article(conn, key, story_id)
    return LinkResult(key, story_id, canonical, touched)


def update(store: Store, keys: Sequence[str | None]) -> list[LinkResult]:
    """Link newly stored articles (by key) to duplicates, stories and merged events.

    Keys of None (articles `Store.save` found stored before) are skipped.
    Articles left unlinked by an interrupted run are linked first.
    """
    wanted = [k for k in keys if k]
    with store.connect() as conn:
        todo = pending(conn, exclude=wanted) + wanted
    results: list[LinkResult] = []
    for key in dict.fromkeys(todo):
        with store.engine.begin() as conn:  # one article, one transaction
            result = link_article(conn, key)
        if result is not None:
            results.append(result)
    return results
