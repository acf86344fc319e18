"""The database schema, in SQLAlchemy Core: SQLite by default, PostgreSQL to scale.

Two layers, as in GDELT: `mentions` holds each event as one article reports it
(with evidence offsets, attribution and certainty); `events` holds the merged
real-world events that the stories stage builds from mentions across articles
(num_articles, num_sources, first and last seen). Nested parts of a record
that nobody filters on stay as JSON in `articles.record`.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 2  # 2: codes (root_code, quad_class, goldstein, actor codes, org_type), admin names, keys

# A reference to a row another stage writes in the same transaction: checked at commit, so the order of
# the writes inside it does not matter (SQLite and PostgreSQL alike); deleting the row it names leaves NULL
# (the mention of a deleted merged event is unlinked, not lost). Datasette shows these as links.
DEFERRED = {"deferrable": True, "initially": "DEFERRED", "ondelete": "SET NULL"}

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("key", String(32), primary_key=True),  # stable: hash of url, else of text
    Column("ext_id", String(512)),  # the input's own id
    Column("origin", Text),  # file, line or feed entry it came from
    Column("title", Text),
    Column("outlet", String(256)),
    Column("url", Text),
    Column("published", String(32)),  # ISO date or datetime, sortable as text
    Column("language", String(8)),
    Column("credits", JSON),
    Column("text", Text, nullable=False),
    Column("text_hash", String(40), nullable=False, unique=True),
    Column("record", JSON, nullable=False),  # the whole eventwire/1 record
    Column("ingested_at", String(32), nullable=False),
    # Filled by the stories stage:
    Column("story_id", String(32), ForeignKey("stories.id", **DEFERRED)),
    Column("duplicate_of", String(32), ForeignKey("articles.key", **DEFERRED)),  # canonical article of a copy
    Column("source_key", String(256)),  # independence key: credited agency, else outlet
    Index("ix_articles_url", "url"),
    Index("ix_articles_published", "published"),
    Index("ix_articles_story", "story_id"),
    Index("ix_articles_story_source", "story_id", "source_key"),  # num_sources without a scan
    Index("ix_articles_duplicate", "duplicate_of"),
    # Rows joined to their article by date (claims ?since): the range and its keys without reading an article.
    Index("ix_read_articles_published_key", "published", "key"),
)

entities = Table(
    "entities", metadata,
    Column("article_key", String(32), ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
    Column("entity_id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(32)),
    Column("country", String(8)),
    Column("sector", String(8)),
    Column("num_mentions", Integer, nullable=False),
    Column("org_type", String(8)),  # IGO NGO IMG MNC: a body of no single state (country is then NULL)
    Column("code", String(16)),  # CAMEO-style actor code (eventwire.codes)
    Index("ix_entities_name", "name"),
    Index("ix_entities_country", "country"),
    # The entity list groups by these columns: read in this order, covered, it needs no sort to group.
    Index("ix_read_entities_group", "name", "type", "country", "sector", "article_key", "num_mentions"),
)

mentions = Table(
    "mentions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_key", String(32), ForeignKey("articles.key", ondelete="CASCADE"), nullable=False),
    Column("local_id", String(16), nullable=False),  # Event.id within the record
    Column("event_id", String(32), ForeignKey("events.id", **DEFERRED)),  # merged event (stories stage)
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("cameo", String(8)),
    Column("actor_text", Text),
    Column("actor_entity", String(16)),
    Column("actor_country", String(8)),
    Column("actor_sector", String(8)),
    Column("recipient_text", Text),
    Column("recipient_entity", String(16)),
    Column("recipient_country", String(8)),
    Column("recipient_sector", String(8)),
    Column("date", String(32)),
    Column("date_precision", String(16)),
    Column("location_text", Text),
    Column("location_country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("negated", Boolean, nullable=False, default=False),
    Column("certainty", String(16), nullable=False, default="asserted"),
    Column("speaker", Text),
    Column("channel", String(64)),
    Column("trigger_start", Integer, nullable=False),
    Column("trigger_end", Integer, nullable=False),
    Column("evidence_start", Integer, nullable=False),
    Column("evidence_end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("quantities", JSON),
    # Codes other tools read (eventwire.codes) and the place's divisions by name (schema 2):
    Column("root_code", String(2)),
    Column("quad_class", Integer),
    Column("goldstein", Float),
    Column("actor_code", String(16)),
    Column("actor_org_type", String(8)),
    Column("recipient_code", String(16)),
    Column("recipient_org_type", String(8)),
    Column("location_admin1", Text),
    Column("location_admin2", Text),
    # Added by the stories stage's strict merging (issue 13): how precise the place is, and why this
    # mention joined its merged event (a readable sentence; the page shows it).
    Column("location_precision", String(16)),
    Column("merge_reason", Text),
    Index("ix_mentions_article", "article_key"),
    Index("ix_mentions_event", "event_id"),
    Index("ix_mentions_type_date", "type", "date"),
    Index("ix_mentions_actor", "actor_country"),
    Index("ix_mentions_recipient", "recipient_country"),
    # Reads of the API and the page (sort by date, filter then sort, aggregates from covering indexes):
    Index("ix_read_mentions_date", "date"),
    Index("ix_read_mentions_actor_date", "actor_country", "date"),
    Index("ix_read_mentions_date_type", "date", "type"),
    Index("ix_read_mentions_pair", "actor_country", "recipient_country", "type"),
    Index("ix_read_mentions_place", "type", "lat", "lon", "location_text", "location_country"),
    # Articles reporting an event of a country, answered from the index alone; full-text hits to events.
    Index("ix_read_mentions_actor_article", "actor_country", "article_key"),
    Index("ix_read_mentions_recipient_article", "recipient_country", "article_key"),
    Index("ix_read_mentions_article_event", "article_key", "event_id"),
)

claims = Table(
    "claims", metadata,
    Column("article_key", String(32), ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
    Column("claim_id", String(16), primary_key=True),
    Column("speaker", Text),
    Column("speaker_entity", String(16)),
    Column("cue", Text),
    Column("channel", String(64)),
    Column("certainty", String(16), nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Index("ix_claims_certainty", "certainty"),
)

# Built by the stories stage.
stories = Table(
    "stories", metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text),
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("num_articles", Integer, nullable=False, default=0),
    Column("num_sources", Integer, nullable=False, default=0),
    Column("state", JSON),  # clustering state (centroid terms, entity counts)
    Column("seed_key", String(32)),  # the article that opened the story (its id is derived from it)
    Column("thread_id", String(32)),  # stories of one long-running topic share a thread (its first story's id)
    Index("ix_stories_last_seen", "last_seen"),
)

events = Table(
    "events", metadata,
    Column("id", String(32), primary_key=True),
    Column("story_id", String(32), ForeignKey("stories.id", **DEFERRED)),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("cameo", String(8)),
    Column("actor_country", String(8)),
    Column("actor_sector", String(8)),
    Column("actor_name", Text),
    Column("recipient_country", String(8)),
    Column("recipient_sector", String(8)),
    Column("recipient_name", Text),
    Column("date", String(32)),
    Column("location_text", Text),
    Column("location_country", String(8)),
    Column("lat", Float),
    Column("lon", Float),
    Column("num_mentions", Integer, nullable=False, default=0),
    Column("num_articles", Integer, nullable=False, default=0),
    Column("num_sources", Integer, nullable=False, default=0),
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("certainty", String(16)),  # the strongest certainty among its mentions
    Column("corroboration", String(16)),  # single, corroborated, confirmed ...
    Column("negated", Boolean),  # a merged event of "did not ..." mentions (kept apart from the positive one)
    Column("merge_reason", Text),  # why its mentions were joined, in words (issue 13)
    Column("conflicts", JSON),  # details its reports disagree on (tolls ...), a list of sentences, or NULL
    Index("ix_events_type_date", "type", "date"),
    Index("ix_events_actor", "actor_country"),
    Index("ix_events_recipient", "recipient_country"),
    Index("ix_events_story", "story_id"),
    Index("ix_events_sources", "num_sources"),
    # Reads of the API and the page, as for mentions:
    Index("ix_read_events_date", "date"),
    Index("ix_read_events_actor_date", "actor_country", "date"),
    Index("ix_read_events_date_type", "date", "type"),
    Index("ix_read_events_pair", "actor_country", "recipient_country", "type"),
    Index("ix_read_events_place", "type", "lat", "lon", "location_text", "location_country"),
    Index("ix_read_events_id_date", "id", "date"),  # full-text hits sorted by date without reading rows
    # Aggregates under filters no summary holds (dates with the graph and map, certainty, sources) and no
    # selective index serves: each reads one covering index in its grouping order, never a row
    # (queries._scan_covering; SQLite's planner otherwise picks an index plus a row lookup per event).
    Index("ix_read_events_cover_pair", "actor_country", "recipient_country", "type", "date", "certainty",
          "num_sources"),
    Index("ix_read_events_cover_names", "actor_name", "recipient_name", "type", "date", "certainty",
          "num_sources"),
    Index("ix_read_events_cover_place", "lat", "lon", "location_text", "location_country", "type", "date",
          "certainty", "num_sources"),
    Index("ix_read_events_cover_day", "date", "type", "certainty", "num_sources"),
    # Aggregates of a search reach each reported event by id (queries._searched_source): the columns the
    # timeline, map and graph group on, so that no event row is read.
    Index("ix_read_events_id_cover", "id", "date", "type", "actor_country", "recipient_country", "lat", "lon",
          "location_text", "location_country"),
)


# State of the stories stage, kept in SQL so memory stays flat however large the store grows.
minhash_bands = Table(
    "minhash_bands", metadata,  # LSH band table: articles whose signatures agree on one band
    Column("bucket", BigInteger, nullable=False),  # hash of (band number, band values), 63 bits
    Column("article_key", String(32), ForeignKey("articles.key", ondelete="CASCADE"), nullable=False),
    Index("ix_minhash_bucket", "bucket"),
    Index("ix_minhash_article", "article_key"),
)

term_df = Table(
    "term_df", metadata,  # document frequency of each term over the stored articles (for IDF)
    Column("term", String(128), primary_key=True),
    Column("df", Integer, nullable=False),
)

story_terms = Table(
    "story_terms", metadata,  # inverted index: a story's top terms, to find candidate stories fast
    Column("term", String(128), nullable=False),
    Column("story_id", String(32), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("last_seen", String(32)),
    Index("ix_story_terms_term", "term", "last_seen"),
    Index("ix_story_terms_story", "story_id"),
)

article_vectors = Table(
    "article_vectors", metadata,  # each article's term weights before IDF, kept for the re-clustering pass
    Column("key", String(32), ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True),
    Column("published", String(32)),
    Column("tf", JSON, nullable=False),
    Column("signature", JSON),  # main event type, place country, participants (stories.signature)
    Index("ix_article_vectors_published", "published", "key"),
)

story_merges = Table(
    "story_merges", metadata,  # a story merged into another lives on as an alias of the survivor
    Column("id", String(32), primary_key=True),  # the merged-away story
    Column("into_id", String(32), nullable=False),  # the story it was merged into (may itself merge later)
    Column("bridge_key", String(32)),  # the article whose arrival showed the two were one story
    Index("ix_story_merges_into", "into_id"),
)


def read_indexes() -> list[Index]:
    """The indexes only the API's reads need (named ix_read_*): a server creates those an older store lacks."""
    return [ix for table in metadata.sorted_tables for ix in table.indexes if ix.name.startswith("ix_read_")]


# -- summaries for the page's first view -------------------------------------------------------------------
# Counts of events (and of mentions, read before the stories stage has run) per combination of a few
# columns, kept in step by SQLite triggers on every insert, update and delete, whoever writes. They
# live in their own MetaData: a server creates them with their triggers and fills them in one
# transaction (eventwire.store.queries.ensure_summaries), so a store has them whole or not at all.

summary_metadata = MetaData()
SUMMARY_SOURCES = ("events", "mentions")
SUMMARY_COLUMNS = {  # summary table: the columns it counts by (same names in events and mentions)
    "summary_pairs": ("type", "actor_country", "recipient_country"),  # graph by country, facets
    "summary_days": ("date", "type"),  # timeline
    "summary_places": ("type", "lat", "lon", "location_text", "location_country"),  # map
}


def _summary_table(name: str, cols: tuple[str, ...]) -> Table:
    source = events  # the counted columns have the same types in mentions
    return Table(name, summary_metadata, Column("source", String(16), nullable=False),
                 *[Column(c, source.c[c].type) for c in cols], Column("n", Integer, nullable=False),
                 Index(f"ix_{name}_key", "source", *cols))


summary_tables = {name: _summary_table(name, cols) for name, cols in SUMMARY_COLUMNS.items()}


def summary_triggers() -> dict[str, str]:
    """SQLite triggers that keep each summary in step with its source, by name.

    Matching uses IS, not =, so that unknown values (NULL) are counted as one
    group, as GROUP BY counts them. A group whose count reaches 0 is removed.
    """
    out: dict[str, str] = {}
    for name, cols in SUMMARY_COLUMNS.items():
        for source in SUMMARY_SOURCES:
            def key(row: str, name: str = name, cols: tuple = cols, source: str = source) -> str:
                return f"source = '{source}' AND " + " AND ".join(f"{c} IS {row}.{c}" for c in cols)

            def add(row: str, name: str = name, cols: tuple = cols, source: str = source) -> str:
                return (f"UPDATE {name} SET n = n + 1 WHERE {key(row)}; "
                        f"INSERT INTO {name} (source, {', '.join(cols)}, n) "
                        f"SELECT '{source}', {', '.join(f'{row}.{c}' for c in cols)}, 1 "
                        f"WHERE NOT EXISTS (SELECT 1 FROM {name} WHERE {key(row)});")

            def sub(row: str, name: str = name) -> str:
                return (f"UPDATE {name} SET n = n - 1 WHERE {key(row)}; "
                        f"DELETE FROM {name} WHERE {key(row)} AND n <= 0;")

            changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in cols)
            base = f"tr_{name}_{source}"
            out[f"{base}_ins"] = f"CREATE TRIGGER {base}_ins AFTER INSERT ON {source} BEGIN {add('new')} END"
            out[f"{base}_del"] = f"CREATE TRIGGER {base}_del AFTER DELETE ON {source} BEGIN {sub('old')} END"
            out[f"{base}_upd"] = (f"CREATE TRIGGER {base}_upd AFTER UPDATE OF {', '.join(cols)} ON {source} "
                                  f"WHEN {changed} BEGIN {sub('old')} {add('new')} END")
    return out


def summary_fill(name: str, source: str) -> str:
    """The statement that fills one summary from its source, for a store that had none."""
    cols = ", ".join(SUMMARY_COLUMNS[name])
    return f"INSERT INTO {name} (source, {cols}, n) SELECT '{source}', {cols}, count(*) FROM {source} GROUP BY {cols}"


# The entity list: one row per (name, type, country, sector) with the number of articles naming it and of
# mentions, kept by triggers like the summaries above (an entity row that is the group's only one in its
# article adds or removes that article). Read when no filter needs the entity rows themselves.
ENTITY_GROUP = ("name", "type", "country", "sector")
entity_summary = Table(
    "summary_entities", summary_metadata,
    Column("name", Text, nullable=False),
    Column("type", String(32)),
    Column("country", String(8)),
    Column("sector", String(8)),
    Column("num_articles", Integer, nullable=False),
    Column("num_mentions", Integer, nullable=False),
    Index("ix_summary_entities_key", *ENTITY_GROUP),
    Index("ix_summary_entities_rank", "num_articles", "name"),
)


def entity_summary_triggers() -> dict[str, str]:
    """Triggers that keep summary_entities in step with entities, by name (tr_entsum_*)."""
    def key(row: str) -> str:
        return " AND ".join(f"{c} IS {row}.{c}" for c in ENTITY_GROUP)

    def alone(row: str) -> str:  # no other entity row of this group in the row's article
        same = " AND ".join(f"e.{c} IS {row}.{c}" for c in ENTITY_GROUP)
        return (f"(NOT EXISTS (SELECT 1 FROM entities e WHERE e.article_key = {row}.article_key AND {same} "
                f"AND e.rowid != {row}.rowid))")

    def add(row: str) -> str:
        return (f"INSERT INTO summary_entities ({', '.join(ENTITY_GROUP)}, num_articles, num_mentions) "
                f"SELECT {', '.join(f'{row}.{c}' for c in ENTITY_GROUP)}, 0, 0 "
                f"WHERE NOT EXISTS (SELECT 1 FROM summary_entities WHERE {key(row)}); "
                f"UPDATE summary_entities SET num_mentions = num_mentions + {row}.num_mentions, "
                f"num_articles = num_articles + {alone(row)} WHERE {key(row)};")

    def sub(row: str) -> str:
        return (f"UPDATE summary_entities SET num_mentions = num_mentions - {row}.num_mentions, "
                f"num_articles = num_articles - {alone(row)} WHERE {key(row)}; "
                f"DELETE FROM summary_entities WHERE {key(row)} AND num_articles <= 0;")

    cols = ", ".join((*ENTITY_GROUP, "article_key", "num_mentions"))
    return {
        "tr_entsum_ins": f"CREATE TRIGGER tr_entsum_ins AFTER INSERT ON entities BEGIN {add('new')} END",
        "tr_entsum_del": f"CREATE TRIGGER tr_entsum_del AFTER DELETE ON entities BEGIN {sub('old')} END",
        "tr_entsum_upd": f"CREATE TRIGGER tr_entsum_upd AFTER UPDATE OF {cols} ON entities "
                         f"BEGIN {sub('old')} {add('new')} END",
    }


ENTITY_SUMMARY_FILL = (
    f"INSERT INTO summary_entities ({', '.join(ENTITY_GROUP)}, num_articles, num_mentions) "
    f"SELECT {', '.join(ENTITY_GROUP)}, count(DISTINCT article_key), sum(num_mentions) FROM entities "
    f"GROUP BY {', '.join(ENTITY_GROUP)}")
