"""Read-only queries over stories and merged events, for the CLI and the API."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from eventwire.store.schema import articles, events, mentions, stories
from eventwire.stories.bridge import resolve

STORY_FIELDS = ("id", "title", "first_seen", "last_seen", "num_articles", "num_sources")


def _story_dict(row: Any) -> dict[str, Any]:
    return {f: getattr(row, f) for f in STORY_FIELDS}


def list_stories(conn: Connection, limit: int = 50, offset: int = 0, min_sources: int = 0) -> list[dict[str, Any]]:
    """Stories, most recently active first."""
    query = (select(*(stories.c[f] for f in STORY_FIELDS)).where(stories.c.num_sources >= min_sources)
             .order_by(stories.c.last_seen.desc().nulls_last(), stories.c.id).limit(limit).offset(offset))
    return [_story_dict(r) for r in conn.execute(query)]


def count_stories(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(stories)).scalar_one()


def story_articles(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    query = (select(articles.c.key, articles.c.ext_id, articles.c.title, articles.c.outlet, articles.c.url,
                    articles.c.published, articles.c.source_key, articles.c.duplicate_of)
             .where(articles.c.story_id == story_id).order_by(articles.c.published, articles.c.key))
    return [dict(r._mapping) for r in conn.execute(query)]


def story_events(conn: Connection, story_id: str) -> list[dict[str, Any]]:
    query = (select(events).where(events.c.story_id == story_id)
             .order_by(events.c.num_sources.desc(), events.c.date, events.c.id))
    return [dict(r._mapping) for r in conn.execute(query)]


def event_mentions(conn: Connection, event_id: str) -> list[dict[str, Any]]:
    """Every report of one merged event, with its article, evidence offsets and attribution."""
    query = (select(mentions.c.article_key, mentions.c.local_id, mentions.c.certainty, mentions.c.speaker,
                    mentions.c.channel, mentions.c.negated, mentions.c.date, mentions.c.evidence,
                    mentions.c.evidence_start, mentions.c.evidence_end, mentions.c.trigger_start,
                    mentions.c.trigger_end, mentions.c.merge_reason, articles.c.title, articles.c.outlet,
                    articles.c.published,
                    articles.c.source_key, articles.c.duplicate_of)
             .select_from(mentions.join(articles, articles.c.key == mentions.c.article_key))
             .where(mentions.c.event_id == event_id).order_by(articles.c.published, mentions.c.id))
    return [dict(r._mapping) for r in conn.execute(query)]


def event_sources(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The independent sources of one event, each with its articles; a copy is listed under its original's
    source with `copy_of` naming the original (what `events.num_sources` counts, for the page to show)."""
    by_key = {m["article_key"]: m for m in reports}
    canonical_source = {k: m["source_key"] or k for k, m in by_key.items() if not m["duplicate_of"]}
    out: dict[str, dict[str, Any]] = {}
    for key, m in sorted(by_key.items(), key=lambda kv: (kv[1]["published"] or "", kv[0])):
        source = canonical_source.get(m["duplicate_of"], m["duplicate_of"]) if m["duplicate_of"] \
            else m["source_key"] or key
        entry = out.setdefault(source, {"source": source, "articles": []})
        entry["articles"].append({"key": key, "outlet": m["outlet"], "title": m["title"],
                                  "published": m["published"], "copy_of": m["duplicate_of"]})
    return list(out.values())


def get_event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """One merged event: its row (with merge_reason and conflicts), every report, and its independent sources."""
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        return None
    reports = event_mentions(conn, event_id)
    return {**dict(row._mapping), "mentions": reports, "sources": event_sources(reports)}


def get_story(conn: Connection, story_id: str) -> dict[str, Any] | None:
    """One story with its articles (copies marked) and its merged events.

    The id of a story merged into another names the survivor.
    """
    story_id = resolve(conn, story_id)
    row = conn.execute(select(*(stories.c[f] for f in STORY_FIELDS)).where(stories.c.id == story_id)).first()
    if row is None:
        return None
    return {**_story_dict(row), "articles": story_articles(conn, story_id), "events": story_events(conn, story_id)}


def story_of_article(conn: Connection, key: str) -> str | None:
    return conn.execute(select(articles.c.story_id).where(articles.c.key == key)).scalar()
