"""Event merging: mentions of the same real-world event, from many articles, become one event.

Two mentions are the same event when they have the same type, the same actor
and recipient countries, the same polarity, compatible dates (within a day of
each other) and compatible places (same country, or one unknown). What is
unknown merges only inside one story: two undated "Russia deploys to
Venezuela" mentions are one event when they tell one story, not across a year
of news. Each merged event counts its mentions, its articles, its independent
sources (distinct `source_key` of articles that are not copies) and says how
well it is corroborated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import and_, case, func, insert, or_, select
from sqlalchemy.engine import Connection

from eventwire.store.schema import articles, events, mentions

CERTAINTY_RANK = {"asserted": 3, "reported": 2, "hedged": 1, "denied": 0}
DATE_SLACK_DAYS = 1
MAX_CANDIDATES = 50


def event_id_for(article_key: str, local_id: str) -> str:
    """Named after its first mention: stable across re-runs."""
    return "v" + hashlib.sha1(f"{article_key}/{local_id}".encode()).hexdigest()[:15]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def corroboration(num_sources: int, asserted: bool) -> str:
    """single: one source; corroborated: 2+ independent sources; confirmed: 3+ with one asserting it."""
    if num_sources >= 3 and asserted:
        return "confirmed"
    if num_sources >= 2:
        return "corroborated"
    return "single"


def _same(column, value):  # NULL-safe equality
    return column.is_(None) if value is None else column == value


def candidates(conn: Connection, m: Mapping, story_id: str | None) -> list:
    """Stored events this mention may be: same type and countries, date and story permitting."""
    day = _day(m["date"])
    fully_known = day is not None and m["actor_country"] is not None and m["recipient_country"] is not None
    same_story = events.c.story_id == story_id if story_id else events.c.id.is_(None)
    if fully_known:
        lo, hi = (day - timedelta(days=DATE_SLACK_DAYS)).isoformat(), (day + timedelta(days=DATE_SLACK_DAYS)
                                                                        ).isoformat() + "\uffff"
        when = or_(and_(events.c.date >= lo, events.c.date <= hi), and_(events.c.date.is_(None), same_story))
    else:  # something unknown: only events of the same story
        when = same_story
        if day is not None:
            lo, hi = (day - timedelta(days=DATE_SLACK_DAYS)).isoformat(), (
                day + timedelta(days=DATE_SLACK_DAYS)).isoformat() + "\uffff"
            when = and_(same_story, or_(events.c.date.is_(None), and_(events.c.date >= lo, events.c.date <= hi)))
    query = select(events).where(
        events.c.type == m["type"], _same(events.c.actor_country, m["actor_country"]),
        _same(events.c.recipient_country, m["recipient_country"]), when,
    ).order_by(events.c.num_sources.desc(), events.c.id).limit(MAX_CANDIDATES)
    return [e for e in conn.execute(query) if _place_fits(e, m) and bool(e.negated) == bool(m["negated"])]


def _place_fits(event, m: Mapping) -> bool:
    return event.location_country is None or m["location_country"] is None \
        or event.location_country == m["location_country"]


def merge_article(conn: Connection, key: str, story_id: str | None) -> list[str]:
    """Give each mention of one article its merged event; return the events touched."""
    touched: list[str] = []
    rows = conn.execute(select(mentions).where(mentions.c.article_key == key).order_by(mentions.c.id)).all()
    for m in rows:
        m = m._mapping
        found = candidates(conn, m, story_id)
        # One article may mention the same event twice; both mentions join it.
        event_id = found[0].id if found else event_id_for(key, m["local_id"])
        if not found:
            conn.execute(insert(events).values(
                id=event_id, story_id=story_id, type=m["type"], mode=m["mode"], cameo=m["cameo"],
                actor_country=m["actor_country"], actor_sector=m["actor_sector"], actor_name=m["actor_text"],
                recipient_country=m["recipient_country"], recipient_sector=m["recipient_sector"],
                recipient_name=m["recipient_text"], date=m["date"], location_text=m["location_text"],
                location_country=m["location_country"], lat=m["lat"], lon=m["lon"], negated=bool(m["negated"])))
        conn.execute(mentions.update().where(mentions.c.id == m["id"]).values(event_id=event_id))
        refresh(conn, event_id)
        touched.append(event_id)
    return touched


def refresh(conn: Connection, event_id: str) -> None:
    """Recount one event from its mentions (exact and idempotent, whatever ran before)."""
    j = mentions.join(articles, articles.c.key == mentions.c.article_key)
    independent = case((articles.c.duplicate_of.is_(None), func.coalesce(articles.c.source_key, articles.c.key)))
    rank = case(*((mentions.c.certainty == c, r) for c, r in CERTAINTY_RANK.items()), else_=-1)
    row = conn.execute(select(
        func.count(mentions.c.id).label("n"),
        func.count(func.distinct(articles.c.key)).label("arts"),
        func.count(func.distinct(independent)).label("sources"),
        func.max(rank).label("strongest"),
        func.min(articles.c.published).label("first"), func.max(articles.c.published).label("last"),
    ).select_from(j).where(mentions.c.event_id == event_id)).one()
    strongest = {r: c for c, r in CERTAINTY_RANK.items()}.get(row.strongest)
    sources = row.sources or 0
    dates = conn.execute(select(mentions.c.date, mentions.c.location_text, mentions.c.location_country,
                                mentions.c.lat, mentions.c.lon).where(mentions.c.event_id == event_id)).all()
    values = {"num_mentions": row.n, "num_articles": row.arts, "num_sources": max(sources, 1 if row.n else 0),
              "first_seen": row.first, "last_seen": row.last, "certainty": strongest,
              "corroboration": corroboration(sources, strongest == "asserted")}
    values.update(_fill_unknowns(dates))
    conn.execute(events.update().where(events.c.id == event_id).values(**values))


def _fill_unknowns(rows: list) -> dict:
    """The most precise date and place any mention gives (the earliest full date wins)."""
    out: dict = {}
    full = sorted(r.date for r in rows if r.date and len(r.date) >= 10)
    if full:
        out["date"] = full[0]
    else:
        partial = sorted((r.date for r in rows if r.date), key=len, reverse=True)
        if partial:
            out["date"] = partial[0]
    placed = [r for r in rows if r.location_country or r.location_text]
    if placed:
        best = max(placed, key=lambda r: (r.lat is not None, r.location_country is not None))
        out.update(location_text=best.location_text, location_country=best.location_country,
                   lat=best.lat, lon=best.lon)
    return out
