"""Stories: articles about the same real-world story, grouped incrementally as they arrive.

Each article becomes a TF-IDF vector over its content words and entity names,
with its headline words given half the weight (IDF from document frequencies kept in `term_df`). A story is
the sum of its articles' normalised term frequencies (a centroid, cut to its
300 commonest terms), weighted by the IDF of the moment when compared: early
stories are not stuck with the poor IDF of a nearly empty store. A
new article joins the most similar story when the cosine clears a threshold
that rises with the time between the article and the story; otherwise it opens
a new story. When it clears the threshold of several stories that also fit
each other, it bridges them and they merge (`eventwire.stories.bridge`), so an
early outlier that opened a story of its own is reunited with the rest.
Candidate stories come from an inverted index on each story's top terms
(`story_terms`), taking only the most recently active stories per term, so the
cost of one article does not grow with the store.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from eventwire.store.schema import articles, meta, stories, story_terms, term_df
from eventwire.stories import bridge
from eventwire.stories.text import article_tf, idf, normalise, top_terms

CENTROID_TERMS = 300  # a story keeps the 300 terms its articles use most
INDEX_TERMS = 40  # the terms under which a story is found in the inverted index
QUERY_TERMS = 20  # the article terms used to look stories up
PER_TERM_STORIES = 25  # per query term, only the most recently active stories
THRESHOLD = 0.20  # cosine to join a story whose span is within NEAR_DAYS of the article
NEAR_DAYS = 30  # a story's life: follow-ups within a month need no more evidence than same-day reports
FAR_PENALTY = 0.05  # beyond, the threshold rises by this per doubling of the gap ...
MAX_THRESHOLD = 0.5  # ... up to this: a story can come back months later, if it is clearly the same
NORM_REFRESH = 1.25  # a story's norm is recomputed when the store has grown by this factor since
NUM_DOCS_KEY = "stories_num_docs"


@dataclass
class Story:
    id: str
    centroid: dict[str, float]
    first_seen: str | None
    last_seen: str | None
    title: str | None
    num_articles: int = 0
    extra: dict = field(default_factory=dict)


def story_id_for(seed_key: str) -> str:
    """A story is named after the article that opened it: the same on every re-run."""
    return "s" + hashlib.sha1(seed_key.encode()).hexdigest()[:15]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def gap_days(published: str | None, story: Story) -> int | None:
    """Days between an article and the nearest end of a story's span (0 inside it)."""
    day, first, last = _day(published), _day(story.first_seen), _day(story.last_seen)
    if day is None or first is None or last is None:
        return None
    if first <= day <= last:
        return 0
    return min(abs((day - first).days), abs((day - last).days))


def story_gap_days(a: Story, b: Story) -> int | None:
    """Days between two stories' spans (0 when they overlap); None when a date is missing."""
    a0, a1, b0, b1 = _day(a.first_seen), _day(a.last_seen), _day(b.first_seen), _day(b.last_seen)
    if a0 is None or a1 is None or b0 is None or b1 is None:
        return None
    if a0 <= b1 and b0 <= a1:
        return 0
    return (b0 - a1).days if a1 < b0 else (a0 - b1).days


def threshold_for(gap: int | None) -> float:
    """Same story further apart in time needs more shared wording; unknown dates are not penalised."""
    if gap is None or gap <= NEAR_DAYS:
        return THRESHOLD
    doublings = (gap // NEAR_DAYS).bit_length()  # 1 for 3-5 days, 2 for 6-11, 3 for 12-23 ...
    return min(MAX_THRESHOLD, THRESHOLD + FAR_PENALTY * doublings)


# -- document frequencies ------------------------------------------------------------
def _upsert(conn: Connection):
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


def num_docs(conn: Connection) -> int:
    value = conn.execute(select(meta.c.value).where(meta.c.key == NUM_DOCS_KEY)).scalar()
    return int(value) if value else 0


def document_frequencies(conn: Connection, terms: list[str]) -> dict[str, int]:
    if not terms:
        return {}
    rows = conn.execute(select(term_df.c.term, term_df.c.df)
                        .where(term_df.c.term.in_(bindparam("t", expanding=True))), {"t": terms})
    return {r.term: r.df for r in rows}


def count_document(conn: Connection, terms: list[str], docs_before: int) -> None:
    ins = _upsert(conn)
    if terms:  # one cached statement, executed for many rows
        stmt = ins(term_df).values(term=bindparam("term"), df=1)
        conn.execute(stmt.on_conflict_do_update(index_elements=["term"], set_={"df": term_df.c.df + 1}),
                     [{"term": t} for t in terms])
    stmt = ins(meta).values(key=NUM_DOCS_KEY, value=str(docs_before + 1))
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": str(docs_before + 1)}))


def article_counts(conn: Connection, title: str | None, text: str, record: Mapping | None
                   ) -> tuple[dict[str, float], dict[str, int], int]:
    """Term weights of one article before IDF (see `article_tf`), the current DFs, and N.

    The article is counted into the document frequencies first, so its own
    terms never have a DF of zero.
    """
    tf = {t: w for t, w in article_tf(title, text, record).items() if len(t) <= 128}
    terms = sorted(tf)
    docs = num_docs(conn)
    count_document(conn, terms, docs)
    return tf, document_frequencies(conn, terms), docs + 1


def weigh(tf: Mapping[str, float], dfs: Mapping[str, int], docs: int) -> dict[str, float]:
    return {t: w * idf(dfs.get(t, 1), docs) for t, w in tf.items()}


# -- stories -------------------------------------------------------------------------
def _story(row) -> Story:
    state = row.state or {}
    return Story(row.id, state.get("tf", {}), row.first_seen, row.last_seen, row.title, row.num_articles,
                 {"norm": state.get("norm") or 0.0, "docs": state.get("docs") or 0})


def load_story(conn: Connection, story_id: str) -> Story | None:
    row = conn.execute(select(stories).where(stories.c.id == story_id)).first()
    return _story(row) if row is not None else None


def _lookup_sql(n: int) -> str:
    """One round trip for n index look-ups, each cut to the most recently active stories."""
    parts = [f"SELECT * FROM (SELECT story_id FROM story_terms WHERE term = :t{i} "
             f"ORDER BY last_seen DESC LIMIT {PER_TERM_STORIES}) AS t{i}" for i in range(n)]  # alias: PostgreSQL
    return " UNION ".join(parts)


def candidate_stories(conn: Connection, query_terms: list[str]) -> list[Story]:
    """Stories indexed under one of the article's top terms, the most recently active ones per term."""
    if not query_terms:
        return []
    rows = conn.execute(text(_lookup_sql(len(query_terms))), {f"t{i}": t for i, t in enumerate(query_terms)})
    ids = sorted({r.story_id for r in rows})
    if not ids:
        return []
    rows = conn.execute(select(stories).where(stories.c.id.in_(bindparam("i", expanding=True))), {"i": ids})
    return [_story(r) for r in rows]


def similarity(vec: Mapping[str, float], dfs: Mapping[str, int], docs: int, story: Story) -> float:
    """Cosine of the article's TF-IDF vector with the story's.

    Only the article's terms need their IDF now; the story's norm is kept fresh
    enough by `refresh_norm`, which keeps one comparison cheap.
    """
    norm = story.extra.get("norm") or 0.0
    if not norm:
        return 0.0
    dot = sum(w * story.centroid.get(t, 0.0) * idf(dfs.get(t, 1), docs) for t, w in vec.items())
    return min(1.0, dot / norm)


def refresh_norm(conn: Connection, story: Story, docs: int) -> None:
    """Recompute a story's TF-IDF norm once the store has grown enough to move the IDFs.

    A story last touched when the store held 10 articles has a norm from IDFs near 1;
    compared by it today its cosine would be wildly inflated. The store grows by 25%
    only O(log N) times, so this costs little.
    """
    if story.extra.get("docs") and docs <= NORM_REFRESH * story.extra["docs"]:
        return
    weighted = weigh(story.centroid, document_frequencies(conn, list(story.centroid)), docs)
    story.extra.update(norm=math.sqrt(sum(w * w for w in weighted.values())), docs=docs)
    conn.execute(stories.update().where(stories.c.id == story.id).values(
        state={"tf": story.centroid, **story.extra}))


def fitting_stories(conn: Connection, vec: Mapping[str, float], dfs: Mapping[str, int], docs: int,
                    published: str | None) -> list[Story]:
    """Every candidate story the article clears the time-dependent threshold of, best margin first."""
    fits: list[tuple[float, str, Story]] = []
    # Look stories up by the article's heaviest terms that some other article used too: a word
    # only this article has (DF 1) cannot lead to a story.
    shared = {t: w for t, w in vec.items() if dfs.get(t, 1) >= 2}
    for story in candidate_stories(conn, top_terms(shared, QUERY_TERMS)):
        refresh_norm(conn, story, docs)
        margin = similarity(vec, dfs, docs, story) - threshold_for(gap_days(published, story))
        if margin >= 0:
            fits.append((-margin, story.id, story))
    return [story for _, _, story in sorted(fits, key=lambda f: f[:2])]


def best_story(conn: Connection, vec: Mapping[str, float], dfs: Mapping[str, int], docs: int,
               published: str | None) -> Story | None:
    """The story the article fits best, by margin over its time-dependent threshold."""
    fits = fitting_stories(conn, vec, dfs, docs, published)
    return fits[0] if fits else None


def with_article(story: Story, tf: Mapping[str, float], published: str | None) -> Story:
    """The story as it will be once the article has joined it (nothing is written)."""
    first = published if _earlier(published, story.first_seen) else story.first_seen
    last = published if published and (story.last_seen is None or published > story.last_seen) else story.last_seen
    return replace(story, centroid=bridge.summed_terms(story.centroid, tf, CENTROID_TERMS), first_seen=first,
                   last_seen=last, num_articles=story.num_articles + 1)


def bridge_stories(conn: Connection, fits: list[Story], tf: Mapping[str, float], docs: int, key: str,
                   published: str | None) -> Story:
    """Merge the stories an article fits, when they also fit each other; return the story it joins.

    The article joins its best story. Each other story it fits is merged in when
    the smaller of the two, the joined story counted with the article, fits the
    larger as well as an article must to join a story, at the threshold for the
    gap between their spans (see `eventwire.stories.bridge`). The bridge is
    evidence, but never enough alone: the stories themselves must agree.
    """
    current = fits[0]
    for other in fits[1:]:
        joined = with_article(current, tf, published)
        dfs = document_frequencies(conn, sorted(set(joined.centroid) | set(other.centroid)))
        needed = threshold_for(story_gap_days(joined, other))
        smaller, larger = sorted((joined, other), key=lambda s: (s.num_articles, s.id))
        if bridge.fit(smaller, larger, dfs, docs) < needed:
            continue
        keep, gone = bridge.older_first(current, other)
        centroid = bridge.summed_terms(keep.centroid, gone.centroid, CENTROID_TERMS)
        bridge.merge_into(conn, keep, gone, centroid, key)
        current = keep
    return current


def _earlier(a: str | None, b: str | None) -> bool:
    return a is not None and (b is None or a < b)


def add_to_story(conn: Connection, story: Story | None, key: str, art: Mapping, tf: Mapping[str, float],
                 docs: int, is_copy: bool) -> str:
    """Put the article in `story` (a new one when None) and refresh the story's summary and index."""
    published = art.get("published")
    if story is None:
        story = Story(story_id_for(key), {}, published, published, art.get("title"))
        conn.execute(insert(stories).values(id=story.id, title=story.title, first_seen=published,
                                            last_seen=published, num_articles=0, num_sources=0,
                                            seed_key=key, state={}))
    centroid = dict(story.centroid)
    for term, weight in tf.items():
        centroid[term] = centroid.get(term, 0.0) + weight
    centroid = dict(sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS])
    weighted = weigh(centroid, document_frequencies(conn, list(centroid)), docs)
    norm = math.sqrt(sum(w * w for w in weighted.values()))
    values: dict = {"state": {"tf": {t: round(w, 5) for t, w in centroid.items()}, "norm": norm, "docs": docs},
                    "num_articles": story.num_articles + 1}
    if _earlier(published, story.first_seen):
        values["first_seen"] = published
        if art.get("title"):
            values["title"] = art["title"]  # a story is titled by its earliest report
    elif not story.title and art.get("title"):
        values["title"] = art["title"]
    if published and (story.last_seen is None or published > story.last_seen):
        values["last_seen"] = published
    if not is_copy and _new_source(conn, story.id, art.get("source_key"), key):
        values["num_sources"] = stories.c.num_sources + 1
    conn.execute(stories.update().where(stories.c.id == story.id).values(**values))
    conn.execute(articles.update().where(articles.c.key == key).values(story_id=story.id))
    _reindex(conn, story.id, weighted, values.get("last_seen", story.last_seen))
    return story.id


def _new_source(conn: Connection, story_id: str, skey: str | None, key: str) -> bool:
    """Whether no other independent article of the story comes from this source."""
    if skey is None:
        return True
    found = conn.execute(select(articles.c.key).where(
        (articles.c.story_id == story_id) & (articles.c.source_key == skey)
        & articles.c.duplicate_of.is_(None) & (articles.c.key != key)).limit(1)).first()
    return found is None


def _reindex(conn: Connection, story_id: str, weighted: Mapping[str, float], last_seen: str | None) -> None:
    conn.execute(story_terms.delete().where(story_terms.c.story_id == story_id))
    conn.execute(insert(story_terms), [{"term": t, "story_id": story_id, "last_seen": last_seen}
                                       for t in top_terms(weighted, INDEX_TERMS)])


def assign(conn: Connection, key: str, art: Mapping, canonical: str | None) -> str:
    """Cluster one stored article (after copy detection); return its story id."""
    tf, dfs, docs = article_counts(conn, art.get("title"), art.get("text") or "", art.get("record"))
    vec = normalise(weigh(tf, dfs, docs))
    story: Story | None = None
    if canonical:  # a copy tells the story its original tells
        sid = conn.execute(select(articles.c.story_id).where(articles.c.key == canonical)).scalar()
        story = load_story(conn, sid) if sid else None
    if story is None:
        fits = fitting_stories(conn, vec, dfs, docs, art.get("published"))
        story = bridge_stories(conn, fits, tf, docs, key, art.get("published")) if fits else None
    return add_to_story(conn, story, key, art, tf, docs, is_copy=canonical is not None)
