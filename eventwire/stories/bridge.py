"""Story merging: an article that fits two stories can show they were one story all along.

Stories are built greedily as articles arrive, so an early report worded
unlike the rest opens a story of its own, and nothing later would reunite it.
When a new article clears the join threshold of two or more stories it
*bridges* them; the stories merge when they also fit each other: the cosine
of the two stories' own TF-IDF centroids clears the same time-dependent
threshold an article must clear to join a story (a centroid is a document
made of its articles, so it is held to the same standard). The bridge alone
is not enough: an article about two stories ("after the strike, the flood")
resembles both without making them one.

The surviving story is the older one (earliest first report, then id), so
ids already handed out stay valid; the merged-away id is kept in
`story_merges` as an alias. Everything a story owns moves: its articles, its
merged events (same-event mentions that were kept apart only because they
sat in different stories are merged), its term sums, its index entries and
its counts. All of it runs inside the article's transaction, so a run killed
half-way leaves either no trace of the merge or all of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from eventwire.store.schema import articles, events, mentions, stories, story_merges, story_terms
from eventwire.stories import merge
from eventwire.stories.text import idf

MAX_ALIAS_HOPS = 32  # a chain of merges longer than this would be a bug, not news


def centroid_cosine(a: Mapping[str, float], b: Mapping[str, float], dfs: Mapping[str, int], docs: int) -> float:
    """Cosine of two stories' term sums, both weighted by the IDF of now."""
    def weighted(vec: Mapping[str, float]) -> dict[str, float]:
        return {t: w * idf(dfs.get(t, 1), docs) for t, w in vec.items()}

    wa, wb = weighted(a), weighted(b)
    na, nb = math.sqrt(sum(w * w for w in wa.values())), math.sqrt(sum(w * w for w in wb.values()))
    if not na or not nb:
        return 0.0
    if len(wa) > len(wb):
        wa, wb = wb, wa
    return min(1.0, sum(w * wb.get(t, 0.0) for t, w in wa.items()) / (na * nb))


def coherence(centroid: Mapping[str, float], num_articles: int) -> float:
    """Length of a story's mean article vector: 1 for one article, lower the more its articles differ.

    The centroid is a sum of unit-length article vectors, so |sum| / n is the
    mean cosine of the story's articles with their own (normalised) centroid.
    """
    if num_articles <= 0:
        return 0.0
    return min(1.0, math.sqrt(sum(w * w for w in centroid.values())) / num_articles)


def fit(smaller, larger, dfs: Mapping[str, int], docs: int) -> float:
    """How well the smaller story fits the larger: the mean cosine its articles would have with it.

    The mean over the smaller story's articles of cos(article, larger centroid)
    is cos(smaller centroid, larger centroid) times the smaller story's
    coherence; for a one-article story it is exactly the test an article
    passes to join a story, which is why the join threshold applies.
    """
    return centroid_cosine(smaller.centroid, larger.centroid, dfs, docs) * coherence(
        smaller.centroid, smaller.num_articles)


def older_first(a, b) -> tuple:
    """(survivor, merged-away): the story reported first survives; ids break ties."""
    key_a, key_b = (a.first_seen or "\uffff", a.id), (b.first_seen or "\uffff", b.id)
    return (a, b) if key_a <= key_b else (b, a)


def summed_terms(a: Mapping[str, float], b: Mapping[str, float], keep: int) -> dict[str, float]:
    """Term sums of the union of two stories, cut to the story's usual size."""
    total = dict(a)
    for term, weight in b.items():
        total[term] = total.get(term, 0.0) + weight
    return {t: round(w, 5) for t, w in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]}


def merge_into(conn: Connection, keep, gone, centroid: dict[str, float], bridge_key: str | None) -> None:
    """Move everything of story `gone` into story `keep` and recount `keep` exactly.

    `keep.centroid` and its norm are refreshed by the caller, which adds the
    bridging article next and rewrites the story's state and index then.
    """
    gone_events = [r.id for r in conn.execute(select(events.c.id).where(events.c.story_id == gone.id))]
    conn.execute(articles.update().where(articles.c.story_id == gone.id).values(story_id=keep.id))
    conn.execute(events.update().where(events.c.story_id == gone.id).values(story_id=keep.id))
    _merge_events(conn, keep.id, gone_events)
    conn.execute(delete(story_terms).where(story_terms.c.story_id == gone.id))
    conn.execute(delete(stories).where(stories.c.id == gone.id))
    # Aliases of the merged-away story now lead to the survivor in one hop.
    conn.execute(story_merges.update().where(story_merges.c.into_id == gone.id).values(into_id=keep.id))
    conn.execute(insert(story_merges).values(id=gone.id, into_id=keep.id, bridge_key=bridge_key))
    values = recount(conn, keep.id)
    title = keep.title or gone.title  # the older story's title: a story is titled by its earliest report
    conn.execute(stories.update().where(stories.c.id == keep.id).values(
        title=title, state={"tf": centroid, "norm": 0.0, "docs": 0}, **values))
    keep.centroid, keep.title, keep.extra = centroid, title, {"norm": 0.0, "docs": 0}
    keep.num_articles = values["num_articles"]
    keep.first_seen, keep.last_seen = values["first_seen"], values["last_seen"]


def recount(conn: Connection, story_id: str) -> dict:
    """Counts and span of one story from its articles (exact, whatever ran before)."""
    independent = func.coalesce(articles.c.source_key, articles.c.key)
    row = conn.execute(select(
        func.count().label("n"), func.min(articles.c.published).label("first"),
        func.max(articles.c.published).label("last"),
    ).where(articles.c.story_id == story_id)).one()
    sources = conn.execute(select(func.count(func.distinct(independent))).where(
        (articles.c.story_id == story_id) & articles.c.duplicate_of.is_(None))).scalar() or 0
    return {"num_articles": row.n, "num_sources": sources, "first_seen": row.first, "last_seen": row.last}


def _merge_events(conn: Connection, story_id: str, moved: list[str]) -> None:
    """Events of the merged-away story that are events of the survivor join them.

    Mentions with something unknown (no date, no recipient) merge only within
    one story, so two stories' copies of one event were kept apart; now they
    are one story, the moved event joins the survivor's event by the same
    rules, and its mentions go with it.
    """
    moved_set = set(moved)
    for event_id in moved:
        row = conn.execute(select(events).where(events.c.id == event_id)).first()
        if row is None:
            continue
        probe = {"type": row.type, "actor_country": row.actor_country, "recipient_country": row.recipient_country,
                 "date": row.date, "location_country": row.location_country, "negated": row.negated}
        found = [e for e in merge.candidates(conn, probe, story_id) if e.id not in moved_set]
        if not found:
            continue
        conn.execute(mentions.update().where(mentions.c.event_id == event_id).values(event_id=found[0].id))
        conn.execute(delete(events).where(events.c.id == event_id))
        merge.refresh(conn, found[0].id)


def resolve(conn: Connection, story_id: str) -> str:
    """The story an id names today: itself, or the story it was merged into."""
    for _ in range(MAX_ALIAS_HOPS):
        into = conn.execute(select(story_merges.c.into_id).where(story_merges.c.id == story_id)).scalar()
        if into is None:
            return story_id
        story_id = into
    return story_id
