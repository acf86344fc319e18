"""Story counts and aliases.

Stories are rebuilt by the re-clustering pass (`eventwire.stories.cluster.recluster`); a story
id that the pass no longer hands out (its first article now opens a story reported earlier)
lives on in `story_merges` as an alias of the story that article is in, so links stay valid.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from eventwire.store.schema import articles, story_merges

MAX_ALIAS_HOPS = 32  # a chain of merges longer than this would be a bug, not news


def recount(conn: Connection, story_id: str) -> dict:
    """Counts and span of one story from its articles (exact, whatever ran before).

    Independent sources: a syndicated copy counts as its original's source, so only
    articles that are no copy are counted, by their source key (a credited wire, else the outlet).
    """
    independent = func.coalesce(articles.c.source_key, articles.c.key)
    row = conn.execute(select(
        func.count().label("n"), func.min(articles.c.published).label("first"),
        func.max(articles.c.published).label("last"),
    ).where(articles.c.story_id == story_id)).one()
    sources = conn.execute(select(func.count(func.distinct(independent))).where(
        (articles.c.story_id == story_id) & articles.c.duplicate_of.is_(None))).scalar() or 0
    return {"num_articles": row.n, "num_sources": max(sources, 1 if row.n else 0), "first_seen": row.first,
            "last_seen": row.last}


def resolve(conn: Connection, story_id: str) -> str:
    """The story an id names today: itself, or the story it was merged into."""
    for _ in range(MAX_ALIAS_HOPS):
        into = conn.execute(select(story_merges.c.into_id).where(story_merges.c.id == story_id)).scalar()
        if into is None:
            return story_id
        story_id = into
    return story_id
