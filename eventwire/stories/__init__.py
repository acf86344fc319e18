"""Stage 6, stories: copies, stories and merged events across articles.

The only stateful stage besides the store: it reads what is stored and links
new articles to what came before. Every article is linked in its own
transaction (copy detection, its term weights for clustering, merged events),
so an article without a row in `article_vectors` is exactly one not linked
yet: `update` links those first, which is how a run killed half-way resumes
without losses or double counts. Stories are then rebuilt by one
re-clustering pass over the whole store (`eventwire.stories.cluster`), so the
same articles give the same stories whatever order they came in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from eventwire.store import Store
from eventwire.store.schema import article_vectors, articles
from eventwire.stories.cluster import recluster, store_vector
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
    linked = select(article_vectors.c.key)
    rows = conn.execute(select(articles.c.key).where(articles.c.key.not_in(linked))
                        .order_by(articles.c.published, articles.c.ingested_at, articles.c.key))
    return [r.key for r in rows if r.key not in skip]


def link_article(conn: Connection, key: str) -> LinkResult | None:
    """Copies, term weights and merged events for one stored article; None when gone or linked already.

    Its story is set by the re-clustering pass that `update` runs after linking.
    """
    row = conn.execute(select(articles.c.key, articles.c.title, articles.c.text, articles.c.outlet,
                              articles.c.url, articles.c.published, articles.c.credits, articles.c.record,
                              articles.c.story_id).where(articles.c.key == key)).first()
    if row is None or conn.execute(select(article_vectors.c.key).where(article_vectors.c.key == key)).first():
        return None
    art = dict(row._mapping)
    # The agency the text itself is credited to ("(Reuters) -") makes copies under other outlets one source.
    art["wire"] = ((art.get("record") or {}).get("article") or {}).get("wire")
    canonical = link_copy(conn, key, art)
    store_vector(conn, key, art)
    touched = merge_article(conn, key, None)
    return LinkResult(key, row.story_id or "", canonical, touched)


def update(store: Store, keys: Sequence[str | None], restory: bool = True) -> list[LinkResult]:
    """Link newly stored articles (by key) to duplicates, merged events and stories.

    Keys of None (articles `Store.save` found stored before) are skipped.
    Articles left unlinked by an interrupted run are linked first. With `restory`
    (the default) the stories are rebuilt by the re-clustering pass; a long run
    may pass False for its intermediate batches and True once at the end (a run
    killed before that leaves the pass to the next `update`).
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
    if not restory:
        return results
    with store.engine.begin() as conn:  # stories, rebuilt in one transaction: all of the pass or none
        story_of = recluster(conn)
    for result in results:
        result.story_id = story_of.get(result.key, result.story_id)
    return results
