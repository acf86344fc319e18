"""Reads for the API and the page: every list, filter and aggregate, in SQLAlchemy Core.

User values only ever reach SQL as bound parameters; sort keys come from a
whitelist per list. Lists of events use the merged `events` table when the
stories stage has filled it, else the per-article `mentions` (ids "m<N>"), so
the page works before and after stories land.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Float,
    Integer,
    Select,
    and_,
    case,
    delete,
    false,
    func,
    inspect,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql import column as sql_column
from sqlalchemy.sql import table as sql_table
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from eventwire.store.schema import (
    ENTITY_SUMMARY_FILL,
    SUMMARY_COLUMNS,
    SUMMARY_SOURCES,
    articles,
    claims,
    entities,
    entity_summary,
    entity_summary_triggers,
    events,
    mentions,
    minhash_bands,
    read_indexes,
    stories,
    story_terms,
    summary_fill,
    summary_metadata,
    summary_tables,
    summary_triggers,
)

MAX_LIMIT = 500
MAX_ROWID = 2**63 - 1
DOWNLOAD_CHUNK = 1000


@dataclass(frozen=True)
class Filters:
    """Every filter a list understands; a list ignores the ones that do not apply to it."""

    actor: str | None = None  # ISO3 of the actor
    recipient: str | None = None  # ISO3 of the recipient
    type: str | None = None  # PLOVER type (events) or entity type (entities)
    since: date | None = None
    until: date | None = None
    story: str | None = None
    certainty: str | None = None
    min_sources: int | None = None
    q: str | None = None  # full text over the article title and text
    country: str | None = None  # entities: their country
    outlet: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # events placed in west, south, east, north (degrees)
    language: str | None = None  # articles: ISO 639-1 code of the article's language
    coded: bool | None = None  # articles: False keeps those in another language, stored but not coded


@dataclass(frozen=True)
class Page:
    limit: int | None = 50  # None: everything (downloads)
    offset: int = 0
    sort: str | None = None
    count_total: bool = True  # downloads skip the count: they read to the end anyway


@dataclass
class Listing:
    total: int
    items: list[dict[str, Any]]
    estimate: bool = False  # total is a lower bound: counting stopped at COUNT_CAP


# Totals past this are reported as "at least" (Listing.estimate): counting every hit of a broad search
# would cost more than the page of results itself.
COUNT_CAP = 10_000
# A search matching more articles than this is "dense": walking the sort order and testing each row
# finds a page sooner than collecting and sorting every hit.
DENSE_ARTICLES = 2_000
# Articles filtered on their events: with this many matching mentions, walk articles newest first.
DENSE_MENTIONS = 2_000


def ensure_read_indexes(engine: Engine) -> None:
    """Create the read indexes (schema.read_indexes) that a store made by an older eventwire lacks.

    When the store has planner statistics, a read index without any gets them
    at once: SQLite takes an unanalysed index for a very selective one and
    would prefer it to a covering index with true figures.
    """
    with engine.begin() as conn:
        for index in read_indexes():
            if not inspect(conn).has_index(index.table.name, index.name):
                index.create(conn)
        if conn.dialect.name != "sqlite" or conn.execute(text(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first() is None:
            return
        analysed = set(conn.execute(text("SELECT DISTINCT idx FROM sqlite_stat1")).scalars())
        for index in read_indexes():
            if index.name not in analysed:  # the name comes from the schema, not from a user
                conn.execute(text(f"ANALYZE {index.name}"))


def ensure_summaries(engine: Engine) -> None:
    """Create, fill and attach the summary tables on SQLite, once, in one transaction.

    Afterwards the triggers keep them in step with every writer (the CLI, the
    stories stage, the API), so reading them costs no work per request.
    """
    if engine.dialect.name != "sqlite":
        return
    ensure_entity_summary(engine)
    with engine.begin() as conn:
        if summaries_ready(conn):
            return
        summary_metadata.create_all(conn)
        for name, ddl in summary_triggers().items():
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))  # names from the schema, no user value
            conn.execute(text(ddl))
        for name, table in summary_tables.items():
            conn.execute(delete(table))
            for source in SUMMARY_SOURCES:
                conn.execute(text(summary_fill(name, source)))


def ensure_entity_summary(engine: Engine) -> None:
    """Create, fill and attach summary_entities (SQLite), once, in one transaction."""
    with engine.begin() as conn:
        if entity_summary_ready(conn):
            return
        entity_summary.create(conn, checkfirst=True)
        for name, ddl in entity_summary_triggers().items():
            conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))  # names from the schema, no user value
            conn.execute(text(ddl))
        conn.execute(delete(entity_summary))
        conn.execute(text(ENTITY_SUMMARY_FILL))


def entity_summary_ready(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    found = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr_entsum_%'"))
    return found.scalar_one() == len(entity_summary_triggers())


def summaries_ready(conn: Connection) -> bool:
    """Whether every summary trigger is in place (then every summary is whole); one look at the catalogue."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'tr_summary_%'"))
    return found.scalar_one() == 3 * len(SUMMARY_COLUMNS) * len(SUMMARY_SOURCES)  # insert, delete, update


class UnknownSort(ValueError):
    """A sort key outside the list's whitelist."""


# -- helpers ----------------------------------------------------------------------------------------------


def fts_query(q: str) -> str | None:
    """User text to a safe FTS5 query: each word quoted, all words required.

    Quoting keeps FTS operators (NEAR, *, :, quotes) typed by a user from
    changing the query or raising a syntax error.
    """
    words = re.findall(r"\w+", q)
    return " ".join(f'"{w}"' for w in words[:20]) or None


def _like_pattern(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_match_keys(conn: Connection, q: str) -> Select:
    """Keys of the articles whose title or text matches `q` (FTS5 on SQLite, LIKE elsewhere)."""
    if conn.dialect.name == "sqlite":
        query = fts_query(q)
        if query is None:
            return select(articles.c.key).where(false())
        return select(articles.c.key).where(text(
            "articles.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts)"
        ).bindparams(fts=query))
    words = re.findall(r"\w+", q)[:20]
    conds = [or_(articles.c.title.ilike(_like_pattern(w), escape="\\"),
                 articles.c.text.ilike(_like_pattern(w), escape="\\")) for w in words]
    return select(articles.c.key).where(and_(*conds) if conds else false())


# The external-content FTS5 table over articles: its rowid is articles.rowid.
ARTICLES_FTS = sql_table("articles_fts", sql_column("rowid"))


@dataclass
class FtsHits:
    """Articles joined to their full-text hits (on SQLite), the MATCH condition, and how broad the search is."""

    joined: Any
    match: ColumnElement
    dense: bool  # more than DENSE_ARTICLES articles match

    def article_hit(self, key: Any) -> ColumnElement:
        """Whether the article `key` names is a hit, as a correlated test that cannot drive the plan."""
        hit_rowids = select(ARTICLES_FTS.c.rowid).where(self.match)
        art = articles.alias("hit_article")  # its own name: the outer query may read articles too
        return select(literal(1)).select_from(art).where(
            art.c.key == key, literal_column("hit_article.rowid").in_(hit_rowids)).correlate_except(art).exists()


def _fts_hits(conn: Connection, q: str) -> FtsHits | None:
    """How to read a full-text search on SQLite; None elsewhere, or when the text holds no word.

    A sparse search joins from its few hits to mentions and events through
    indexes and sorts them (many times cheaper than nested IN lists). A broad
    one walks the sort order and tests each row, which finds a page sooner
    than sorting tens of thousands of hits.
    """
    query = fts_query(q)
    if conn.dialect.name != "sqlite" or query is None:
        return None
    match = text("articles_fts MATCH :fts").bindparams(fts=query)
    first = select(ARTICLES_FTS.c.rowid).where(match).limit(DENSE_ARTICLES + 1).subquery()
    dense = conn.execute(select(func.count()).select_from(first)).scalar_one() > DENSE_ARTICLES
    joined = ARTICLES_FTS.join(articles, literal_column("articles.rowid") == ARTICLES_FTS.c.rowid)
    return FtsHits(joined, match, dense)


@dataclass
class CountedPage:
    """The rowids of one page of hits, and the number of all hits counted in the same pass."""

    ids: list[int]
    counted: int | None  # None: the page was empty, so the pass saw no row to carry the count
    wanted: bool

    def total(self, conn: Connection, hits: Select) -> int:
        if not self.wanted:
            return -1
        if self.counted is not None:
            return self.counted
        return conn.execute(select(func.count()).select_from(hits.subquery())).scalar_one()


def _counted_page(conn: Connection, hits: Select, order: list[Any], page: Page) -> CountedPage:
    """One page of a sparse search's hits; count(*) OVER () counts them all in the sort that finds the page.

    Every hit is read to sort them anyway, so the total costs no second pass.
    """
    stmt = _page(hits.add_columns(func.count().over().label("n_hits")).order_by(*order), page)
    rows = conn.execute(stmt).all()
    return CountedPage([r[0] for r in rows], rows[0][1] if rows else None, page.count_total)


def _capped_count(conn: Connection, stmt: Select) -> tuple[int, bool]:
    """Rows of `stmt` counted up to COUNT_CAP; the flag says the count stopped there."""
    n = conn.execute(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery())).scalar_one()
    return min(n, COUNT_CAP), n > COUNT_CAP


def _until(day: date) -> str:
    """Exclusive upper bound so that '2019-03-31T10:00' still counts as on 2019-03-31.

    The last day a date can hold has no next day: a bound past any ISO text on it serves.
    """
    return (day + timedelta(days=1)).isoformat() if day < date.max else f"{day.isoformat()}\uffff"


def _date_conds(col: Any, f: Filters) -> list[ColumnElement]:
    conds: list[ColumnElement] = []
    if f.since:
        conds.append(col >= f.since.isoformat())
    if f.until:
        conds.append(col < _until(f.until))
    return conds


def _bbox_conds(lat: Any, lon: Any, f: Filters) -> list[ColumnElement]:
    """Events placed inside the box; events with no place fall outside every box."""
    if f.bbox is None:
        return []
    west, south, east, north = f.bbox
    return [lat >= south, lat <= north, lon >= west, lon <= east]


def _unindexed(col: Any) -> Any:
    """The same values as an expression, which no index can serve (see `_order`)."""
    return col + 0 if isinstance(col.type, Integer | Float) else col.op("||")(literal(""))


def _scanned(col: Any) -> Any:
    """The column under SQLite's unary +: the same value, typed as the column, which no index can serve.

    For conditions of an aggregate that scans a covering index (`_scan_covering`): a no-op on the value,
    about half the cost per row of the `_unindexed` expressions (concatenation or arithmetic).
    """
    return UnaryExpression(col, operator=custom_op("+"), type_=col.type)


def _order(sort: str | None, allowed: dict[str, Any], default: str, table: Any = None,
           conn: Connection | None = None, selective: bool = False) -> list[Any]:
    """ORDER BY for a whitelisted key, with a tie-breaker so pages never overlap.

    On SQLite the tie-breaker is the rowid in the same direction: an index on
    the sort column already holds rows in that order, so no sort is needed.
    With a `selective` filter (full text, a set of articles) the sort key is
    made an expression, so SQLite starts from the few matching rows and sorts
    them instead of walking the whole date index and probing each row.
    """
    key = sort or default
    desc = key.startswith("-")
    col = allowed.get(key.lstrip("-"))
    if col is None:
        raise UnknownSort(f"sort must be one of {', '.join(sorted(allowed))} (prefix - for descending)")
    if selective:
        col = _unindexed(col)
    order_by = col.desc() if desc else col.asc()
    # Rows without a value (undated events) come last either way. SQLite puts NULLs first when ascending
    # and PostgreSQL when descending; only there is NULLS LAST asked for, so the other direction keeps
    # its plain index walk.
    if conn is None or (conn.dialect.name == "sqlite") != desc:
        order_by = order_by.nulls_last()
    order = [order_by]
    if table is not None:
        tie = (literal_column(f"{table.name}.rowid") if conn is not None and conn.dialect.name == "sqlite"
               else list(table.primary_key.columns)[0])
        order.append(tie.desc() if desc else tie.asc())
    return order


def _page(stmt: Select, page: Page) -> Select:
    if page.limit is not None:
        stmt = stmt.limit(page.limit)
    return stmt.offset(page.offset) if page.offset else stmt


def _count(conn: Connection, table: Any, conds: list[ColumnElement]) -> int:
    return conn.execute(select(func.count()).select_from(table).where(*conds)).scalar_one()


def _total(conn: Connection, page: Page, table: Any, conds: list[ColumnElement]) -> int:
    return _count(conn, table, conds) if page.count_total else -1


def data_version(conn: Connection) -> tuple:
    """A cheap fingerprint that changes when articles are added or removed or the stories stage links them.

    Every part is read from an index end or an index range, never a scan: the
    newest article, the number of articles and of merged events (SQLite counts
    a b-tree without reading rows) and the articles not linked yet (the stories
    stage sets `story_id` last, in the transaction that merges their events).
    """
    newest = "max(rowid)" if conn.dialect.name == "sqlite" else "max(ingested_at)"
    return tuple(conn.execute(text(
        f"SELECT (SELECT {newest} FROM articles), (SELECT count(*) FROM articles), "  # constant SQL, no user value
        "(SELECT count(*) FROM events), (SELECT count(*) FROM articles WHERE story_id IS NULL)"
    )).one())


def has_merged_events(conn: Connection) -> bool:
    return conn.execute(select(literal(1)).select_from(events).limit(1)).first() is not None


# -- events (merged) and mentions ---------------------------------------------------------------------------

# A mention's sources are its merged event's (one before the stories stage): the page sorts either list alike.
MENTION_SOURCES = func.coalesce(select(events.c.num_sources).where(events.c.id == mentions.c.event_id)
                                .scalar_subquery(), literal(1, Integer))
MENTION_SORTS = {"date": mentions.c.date, "type": mentions.c.type, "id": mentions.c.id,
                 "certainty": mentions.c.certainty, "sources": MENTION_SOURCES}
EVENT_SORTS = {"date": events.c.date, "type": events.c.type, "sources": events.c.num_sources,
               "articles": events.c.num_articles, "mentions": events.c.num_mentions}


def mention_conds(conn: Connection, f: Filters, with_q: bool = True) -> list[ColumnElement]:
    c = mentions.c
    conds: list[ColumnElement] = []
    if f.actor:
        conds.append(c.actor_country == f.actor)
    if f.recipient:
        conds.append(c.recipient_country == f.recipient)
    if f.type:
        conds.append(c.type == f.type)
    conds += _date_conds(c.date, f)
    conds += _bbox_conds(c.lat, c.lon, f)
    if f.certainty:
        conds.append(c.certainty == f.certainty)
    if f.story:
        conds.append(c.article_key.in_(select(articles.c.key).where(articles.c.story_id == f.story)))
    if f.min_sources and f.min_sources > 1:
        # A mention alone is one source; with merged events it counts its event's sources.
        conds.append(c.event_id.in_(select(events.c.id).where(events.c.num_sources >= f.min_sources)))
    if f.q and with_q:
        conds.append(c.article_key.in_(text_match_keys(conn, f.q)))
    return conds


def event_conds(conn: Connection, f: Filters, with_q: bool = True, unindexed: bool = False) -> list[ColumnElement]:
    """Conditions on merged events; `unindexed` tests expressions of the columns (see `_scan_covering`)."""
    c = events.c
    col = _scanned if unindexed else (lambda x: x)
    conds: list[ColumnElement] = []
    if f.actor:
        conds.append(col(c.actor_country) == f.actor)
    if f.recipient:
        conds.append(col(c.recipient_country) == f.recipient)
    if f.type:
        conds.append(col(c.type) == f.type)
    conds += _date_conds(col(c.date), f)
    conds += _bbox_conds(col(c.lat), col(c.lon), f)
    if f.certainty:
        conds.append(col(c.certainty) == f.certainty)
    if f.story:
        conds.append(col(c.story_id) == f.story)
    if f.min_sources:
        conds.append(col(c.num_sources) >= f.min_sources)
    if f.q and with_q:
        conds.append(c.id.in_(select(mentions.c.event_id).where(
            mentions.c.article_key.in_(text_match_keys(conn, f.q)))))
    return conds


def _mention_select() -> Select:
    return select(mentions, articles.c.title, articles.c.outlet, articles.c.published, articles.c.url,
                  articles.c.story_id, articles.c.duplicate_of).join(articles, articles.c.key == mentions.c.article_key)


def mention_dict(row: Any) -> dict[str, Any]:
    m = row._mapping
    return {
        "id": f"m{m['id']}", "kind": "mention", "event_id": m["event_id"], "article_key": m["article_key"],
        "local_id": m["local_id"], "type": m["type"], "mode": m["mode"], "cameo": m["cameo"],
        "actor": m["actor_text"], "actor_country": m["actor_country"], "actor_sector": m["actor_sector"],
        "recipient": m["recipient_text"], "recipient_country": m["recipient_country"],
        "recipient_sector": m["recipient_sector"], "date": m["date"], "date_precision": m["date_precision"],
        "location": m["location_text"], "location_country": m["location_country"],
        "lat": m["lat"], "lon": m["lon"], "negated": bool(m["negated"]), "certainty": m["certainty"],
        "speaker": m["speaker"], "channel": m["channel"], "num_sources": 1,
        "trigger": {"start": m["trigger_start"], "end": m["trigger_end"]},
        "evidence": {"start": m["evidence_start"], "end": m["evidence_end"], "text": m["evidence"]},
        "quantities": m["quantities"] or [],
        "title": m["title"], "outlet": m["outlet"], "published": m["published"], "url": m["url"],
        "story_id": m["story_id"],
        # From the stories stage, when it has run: the article this one copies, and why this report was merged.
        "copy_of": m["duplicate_of"], "merge_reason": m.get("merge_reason"),
    }


def event_dict(row: Any) -> dict[str, Any]:
    m = dict(row._mapping)
    m.update(kind="event", actor=m.pop("actor_name"), recipient=m.pop("recipient_name"),
             location=m.pop("location_text"))
    return m


def list_mentions(conn: Connection, f: Filters, page: Page) -> Listing:
    fts = _fts_hits(conn, f.q) if f.q else None
    if fts is not None:  # from the search hits, through articles, to their mentions
        conds = mention_conds(conn, f, with_q=False)
        order = _order(page.sort, MENTION_SORTS, "-date", mentions, conn)
        rid = literal_column("mentions.rowid")
        hits = (select(rid).select_from(fts.joined.join(mentions, mentions.c.article_key == articles.c.key))
                .where(*conds, fts.match))
        if fts.dense:
            rows = conn.execute(_page(_mention_select().where(*conds, fts.article_hit(mentions.c.article_key))
                                      .order_by(*order), page))
            total, estimate = _capped_count(conn, hits) if page.count_total else (-1, False)
            return Listing(total, [mention_dict(r) for r in rows], estimate)
        top = _counted_page(conn, hits, order, page)
        rows = conn.execute(_mention_select().where(rid.in_(top.ids)).order_by(*order))
        return Listing(top.total(conn, hits), [mention_dict(r) for r in rows])
    conds = mention_conds(conn, f)
    order = _order(page.sort, MENTION_SORTS, "-date", mentions, conn)
    rows = conn.execute(_page(_mention_select().where(*conds).order_by(*order), page))
    return Listing(_total(conn, page, mentions, conds), [mention_dict(r) for r in rows])


def list_events(conn: Connection, f: Filters, page: Page) -> Listing:
    """Merged events when the stories stage has built them, else mentions."""
    if not has_merged_events(conn):
        return list_mentions(conn, f, page)
    fts = _fts_hits(conn, f.q) if f.q else None
    if fts is not None:
        return _searched_events(conn, f, page, fts)
    conds = event_conds(conn, f)
    order = _order(page.sort, EVENT_SORTS, "-date", events, conn)
    rows = conn.execute(_page(select(events).where(*conds).order_by(*order), page))
    return Listing(_total(conn, page, events, conds), [event_dict(r) for r in rows])


def _searched_events(conn: Connection, f: Filters, page: Page, fts: FtsHits) -> Listing:
    """Events reported by the articles a search hits.

    Sparse: one page of rowids from the sorted hits (two hits may report one
    merged event, hence the grouping), then the rows of that page only. Broad:
    the events in sort order, each tested for a report in a hit; the count
    stops at COUNT_CAP.
    """
    source = (fts.joined.join(mentions, mentions.c.article_key == articles.c.key)
              .join(events, events.c.id == mentions.c.event_id))
    conds = event_conds(conn, f, with_q=False)
    order = _order(page.sort, EVENT_SORTS, "-date", events, conn)
    rid = literal_column("events.rowid")
    hits = select(rid).select_from(source).where(*conds, fts.match)
    if fts.dense:
        reported = select(literal(1)).select_from(mentions).where(
            mentions.c.event_id == events.c.id, fts.article_hit(mentions.c.article_key)).exists()
        rows = conn.execute(_page(select(events).where(*conds, reported).order_by(*order), page))
        total, estimate = _capped_count(conn, hits.distinct()) if page.count_total else (-1, False)
        return Listing(total, [event_dict(r) for r in rows], estimate)
    top = _counted_page(conn, hits.group_by(rid), order, page)
    rows = conn.execute(select(events).where(rid.in_(top.ids)).order_by(*order))
    return Listing(top.total(conn, hits.group_by(rid)), [event_dict(r) for r in rows])


def get_event(conn: Connection, event_id: str) -> dict[str, Any] | None:
    """One event with every report of it, each with its evidence and highlights in the article text."""
    match = re.fullmatch(r"m(\d{1,19})", event_id)
    if match and int(match.group(1)) > MAX_ROWID:  # past SQLite's integers: no such row
        return None
    if match:
        row = conn.execute(_mention_select().where(mentions.c.id == int(match.group(1)))).first()
        if row is None:
            return None
        event = mention_dict(row)
        merged = event["event_id"]
        reports = _reports(conn, mentions.c.event_id == merged) if merged else [event]
        return {**event, "mentions": _with_evidence(conn, reports)}
    row = conn.execute(select(events).where(events.c.id == event_id)).first()
    if row is None:
        return None
    event = event_dict(row)
    return {**event, "mentions": _with_evidence(conn, _reports(conn, mentions.c.event_id == event_id))}


def _reports(conn: Connection, cond: ColumnElement) -> list[dict[str, Any]]:
    rows = conn.execute(_mention_select().where(cond).order_by(articles.c.published, mentions.c.id).limit(200))
    return [mention_dict(r) for r in rows]


def _with_evidence(conn: Connection, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = sorted({r["article_key"] for r in reports})
    found = conn.execute(select(articles.c.key, articles.c.text, articles.c.record)
                         .where(articles.c.key.in_(keys))).all()
    by_key = {k: (t, rec or {}) for k, t, rec in found}
    out = []
    for rep in reports:
        art_text, record = by_key.get(rep["article_key"], ("", {}))
        out.append({**rep, "text": art_text, "highlights": highlights(rep, art_text, record)})
    return out


# -- highlights ---------------------------------------------------------------------------------------------


def highlights(mention: dict[str, Any], art_text: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    """Spans to mark inside the evidence sentence: trigger, actor, recipient, date, quantities.

    Offsets are into the article text. Stored offsets win; names and dates the
    record does not place are found by their text inside the evidence sentence.
    """
    ev = mention["evidence"]
    lo, hi = ev["start"], ev["end"]
    local = _local_event(record, mention.get("local_id"))
    spans = [{"kind": "trigger", **mention["trigger"]}]
    for role in ("actor", "recipient"):
        part = (local or {}).get(role) or {}
        spans += _role_spans(role, part.get("entity"), part.get("text") or mention.get(role), record,
                             art_text, lo, hi)
    spans += _date_spans(mention, record, art_text, lo, hi)
    for qty in mention.get("quantities") or []:
        if qty.get("start") is not None and qty.get("end") is not None:
            spans.append({"kind": "quantity", "start": qty["start"], "end": qty["end"]})
        else:
            spans += _find("quantity", qty.get("text"), art_text, lo, hi)
    return _non_overlapping([s for s in spans if lo <= s["start"] < s["end"] <= hi])


def _local_event(record: dict[str, Any], local_id: str | None) -> dict[str, Any] | None:
    return next((e for e in record.get("events") or [] if e.get("id") == local_id), None)


def _role_spans(kind: str, entity_id: str | None, name: str | None, record: dict[str, Any],
                art_text: str, lo: int, hi: int) -> list[dict[str, Any]]:
    if entity_id:
        ent = next((e for e in record.get("entities") or [] if e.get("id") == entity_id), None)
        spans = [{"kind": kind, "start": m["start"], "end": m["end"]}
                 for m in (ent or {}).get("mentions") or [] if lo <= m["start"] and m["end"] <= hi]
        if spans:
            return spans
    return _find(kind, name, art_text, lo, hi)


def _date_spans(mention: dict[str, Any], record: dict[str, Any], art_text: str,
                lo: int, hi: int) -> list[dict[str, Any]]:
    value = mention.get("date")
    inside = [t for t in record.get("times") or [] if lo <= t["start"] and t["end"] <= hi]
    exact = [t for t in inside if value and t.get("value") and str(t["value"]).startswith(value[:7])]
    return [{"kind": "date", "start": t["start"], "end": t["end"]} for t in (exact or inside)[:1]]


def _find(kind: str, needle: str | None, art_text: str, lo: int, hi: int) -> list[dict[str, Any]]:
    if not needle:
        return []
    at = art_text.find(needle, lo, hi)
    return [{"kind": kind, "start": at, "end": at + len(needle)}] if at >= 0 else []


def _non_overlapping(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The page paints spans one after another, so overlaps are resolved here: the first kind listed wins."""
    kept: list[dict[str, Any]] = []
    for span in spans:
        if all(span["end"] <= k["start"] or span["start"] >= k["end"] for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s["start"])


# -- aggregates ---------------------------------------------------------------------------------------------


@dataclass
class Source:
    """What an aggregate reads: a table, its conditions, its columns by role, and how to count a group."""

    table: Any
    conds: list[ColumnElement]
    col: dict[str, Any]
    count: Any  # count(*) over events or mentions; sum(n) over a summary
    name: str  # events or mentions, what the counts are of
    scan: bool = False  # test every filter on unindexed values, so a covering index is read whole (see below)

    def select(self, *cols: Any) -> Select:
        return select(*cols).select_from(self.table)

    def test(self, role: str) -> Any:
        """The column of `role` for a condition: unindexed when the source scans a covering index."""
        return _scanned(self.col[role]) if self.scan else self.col[role]


# Filters that select few events through an index of their own: with one of them the planner does well.
SELECTIVE_FILTERS = ("actor", "recipient", "story", "q")


def _scan_covering(conn: Connection, f: Filters) -> bool:
    """Whether an aggregate over merged events should test its filters on unindexed values.

    With only unselective filters set (dates with the graph or map, certainty, sources), SQLite walks an
    index on one filtered column and reads every matching row, several times slower than reading a
    covering index whole (ix_read_events_cover_*, in the grouping order). Conditions on expressions
    leave it no index to drive, so it reads the covering one.
    """
    return conn.dialect.name == "sqlite" and not any(getattr(f, k) for k in SELECTIVE_FILTERS)


def _roles(name: str) -> dict[str, Any]:
    """The columns an aggregate reads, by role, in events or in mentions."""
    c = events.c if name == "events" else mentions.c
    names = (c.actor_name, c.recipient_name) if name == "events" else (c.actor_text, c.recipient_text)
    return {"date": c.date, "type": c.type, "actor_country": c.actor_country, "recipient_country": c.recipient_country,
            "actor": names[0], "recipient": names[1], "lat": c.lat, "lon": c.lon,
            "location": c.location_text, "country": c.location_country}


def _event_source(conn: Connection, f: Filters, summary: str | None = None) -> Source:
    """Merged events, else mentions; read from `summary` when it is kept and can answer the filters."""
    name = "events" if has_merged_events(conn) else "mentions"
    if summary is not None:
        found = _summary_source(conn, f, summary, name)
        if found is not None:
            return found
    if f.q and not f.story:  # a story's few events are better tested against the hits (nested IN) than joined
        found = _searched_source(conn, f, name)
        if found is not None:
            return found
    if name == "events":
        scan = _scan_covering(conn, f)
        return Source(events, event_conds(conn, f, unindexed=scan), _roles(name), func.count(), name, scan)
    return Source(mentions, mention_conds(conn, f), _roles(name), func.count(), name)


def _searched_source(conn: Connection, f: Filters, name: str) -> Source | None:
    """Events (or mentions) reported by the articles a search hits, joined from the hits (SQLite only).

    Nested IN lists (events whose id is among the event ids of mentions whose article is among the hits)
    make SQLite build two temporary lists and look every event up again; one join from the hits through
    the (article, event) index reads each reported event once, and a merged event reported by two hit
    articles is counted once per group by counting distinct events (a group holds an event whole).
    """
    query = fts_query(f.q or "")
    if conn.dialect.name != "sqlite" or query is None:
        return None  # event_conds / mention_conds answer it (no word: nothing matches)
    match = text("articles_fts MATCH :fts").bindparams(fts=query)
    hits = (ARTICLES_FTS.join(articles, literal_column("articles.rowid") == ARTICLES_FTS.c.rowid)
            .join(mentions, mentions.c.article_key == articles.c.key))
    if name == "mentions":  # a mention belongs to one article: no event is met twice
        return Source(hits, [*mention_conds(conn, f, with_q=False), match], _roles(name), func.count(), name)
    hits = hits.join(events, events.c.id == mentions.c.event_id)
    once = func.count(func.distinct(literal_column("events.rowid")))
    return Source(hits, [*event_conds(conn, f, with_q=False), match], _roles(name), once, name)


SUMMARY_FILTERS = {"actor": "actor_country", "recipient": "recipient_country", "type": "type"}
SUMMARY_ROLES = {"location": "location_text", "country": "location_country"}


def _summary_source(conn: Connection, f: Filters, summary: str, name: str) -> Source | None:
    """The summary as a source, when it holds every filtered column (dates for the day summary) and is kept."""
    table = summary_tables[summary]
    set_filters = {k for k, v in f.__dict__.items() if v is not None}
    servable = {k for k, col in SUMMARY_FILTERS.items() if col in table.c}
    if "date" in table.c:
        servable |= {"since", "until"}
    if not set_filters <= servable or not summaries_ready(conn):
        return None
    conds: list[ColumnElement] = [table.c.source == name]
    conds += [table.c[col] == getattr(f, k) for k, col in SUMMARY_FILTERS.items() if getattr(f, k)]
    if "date" in table.c:
        conds += _date_conds(table.c.date, f)
    col = {role: table.c[SUMMARY_ROLES.get(role, role)] for role in (
        "date", "type", "actor_country", "recipient_country", "lat", "lon", "location", "country")
        if SUMMARY_ROLES.get(role, role) in table.c}
    return Source(table, conds, col, func.sum(table.c.n), name)


def timeline(conn: Connection, f: Filters) -> dict[str, Any]:
    """Events per day per type; dates known only to the month or year are left out (and counted).

    Grouping on the stored date (not on an expression) lets SQLite read the
    (date, type) index in order; times of day are folded into days here.
    """
    src = _event_source(conn, f, "summary_days")
    col = src.col
    # One pass: undated events form their own group (NULL), counted with those known only to the month or year.
    rows = conn.execute(src.select(col["date"], col["type"], src.count)
                        .where(*src.conds).group_by(col["date"], col["type"]))
    counts: dict[tuple[str, str], int] = {}
    undated = 0
    for value, etype, n in rows:
        if value is None or len(value) < 10:
            undated += n
            continue
        counts[(value[:10], etype)] = counts.get((value[:10], etype), 0) + n
    points = [{"date": d, "type": t, "count": n} for (d, t), n in sorted(counts.items())]
    return {"source": src.name, "points": points, "types": sorted({p["type"] for p in points}),
            "not_by_day": undated}


# Bodies of no single state: older stores hold them as the country, newer ones as the sector or org_type. On the
# graph by country each is a node of its own, by name: one "IGO" node would lump the UN, the EU and the IMF.
ORG_KINDS = ("IGO", "NGO", "IMG", "MNC")


def _org_test(src: Source, role: str) -> ColumnElement:
    """Whether the actor (or recipient) of a row of `src` is an organisation rather than a country."""
    c = (events if src.name == "events" else mentions).c  # a joined source reads these tables unaliased
    tests = [c[f"{role}_country"].in_(ORG_KINDS)]
    if f"{role}_sector" in c:
        tests.append(c[f"{role}_sector"].in_(ORG_KINDS))
    if f"{role}_org_type" in c:
        tests.append(c[f"{role}_org_type"].is_not(None))
    return or_(*tests)


def _edges(conn: Connection, src: Source, a: Any, b: Any, conds: list[ColumnElement], limit: int | None,
           flags: tuple[Any, Any] | None = None) -> list[dict]:
    """Edges a -> b per type, heaviest first; `flags` (two booleans per row) mark each side as an organisation."""
    n = src.count.label("n")
    col = src.col
    keys = [a, b, col["type"], *(flags or ())]
    rows = conn.execute(src.select(*keys, n).where(*src.conds, *conds, a.is_not(None), b.is_not(None), a != b)
                        .group_by(*keys).order_by(n.desc(), a, b, col["type"]).limit(limit)).all()
    return [{"source": r[0], "target": r[1], "type": r[2], "count": r[-1],
             "orgs": [name for name, flag in zip(r[:2], r[3:-1], strict=False) if flag]} for r in rows]


def graph(conn: Connection, f: Filters, by: str = "country", max_edges: int = 200) -> dict[str, Any]:
    """Who acts on whom: nodes are countries and organisations (or actor names), edges count events per type."""
    src = _event_source(conn, f, "summary_pairs" if by == "country" else None)
    col = src.col
    if by != "country":
        edges = _edges(conn, src, col["actor"], col["recipient"], [src.test("actor").is_not(None),
                                                                   src.test("recipient").is_not(None)], max_edges)
    else:
        a, b = col["actor_country"], col["recipient_country"]
        countries = [src.test("actor_country").is_not(None), src.test("recipient_country").is_not(None)]
        # Pseudo-countries (older stores) are dropped here, not in SQL: a test per row cost half the query again.
        edges = _country_edges(conn, src, a, b, countries, max_edges) + _org_edges(conn, f, max_edges)
        edges = sorted(edges, key=lambda e: (-e["count"], e["source"], e["target"], e["type"]))[:max_edges]
    weight: dict[str, int] = {}
    orgs: set[str] = set()
    for e in edges:
        weight[e["source"]] = weight.get(e["source"], 0) + e["count"]
        weight[e["target"]] = weight.get(e["target"], 0) + e["count"]
        orgs.update(e.pop("orgs"))
    kind = "country" if by == "country" else "actor"
    nodes = [{"id": k, "count": v, "kind": "organisation" if k in orgs else kind}
             for k, v in sorted(weight.items(), key=lambda kv: -kv[1])]
    return {"by": by, "source": src.name, "nodes": nodes, "edges": edges}


def _country_edges(conn: Connection, src: Source, a: Any, b: Any, conds: list[ColumnElement],
                   limit: int) -> list[dict]:
    """The heaviest `limit` edges between two real countries (none of ORG_KINDS)."""
    def real(edges: list[dict]) -> list[dict]:
        return [e for e in edges if e["source"] not in ORG_KINDS and e["target"] not in ORG_KINDS]

    slack = limit + 50
    fetched = _edges(conn, src, a, b, conds, slack)
    kept = real(fetched)
    if len(fetched) == slack and len(kept) < limit:  # many pseudo-country edges: read them all once
        kept = real(_edges(conn, src, a, b, conds, None))
    return kept[:limit]


def _org_edges(conn: Connection, f: Filters, limit: int) -> list[dict]:
    """Edges with an organisation on either side, the organisation named: read from the rows (no summary has names)."""
    src = _event_source(conn, f)
    col = src.col
    side, flag = {}, {}
    for role in ("actor", "recipient"):
        flag[role] = _org_test(src, role)
        side[role] = case((flag[role], col[role]), else_=col[f"{role}_country"])
    either = or_(flag["actor"], flag["recipient"])
    # An organisation has no country or a pseudo-country: read those rows through the country indexes only,
    # never the whole table (most events have two countries and no organisation).
    c = (events if src.name == "events" else mentions).c
    stateless = or_(*(or_(c[f"{role}_country"].is_(None), c[f"{role}_country"].in_(ORG_KINDS))
                      for role in ("actor", "recipient")))
    edges = _edges(conn, src, side["actor"], side["recipient"], [stateless, either], limit,
                   (flag["actor"], flag["recipient"]))
    return _one_name_per_body(edges)


def _one_name_per_body(edges: list[dict]) -> list[dict]:
    """"EU", "the European Union" and "European Union" are one node: the actor dictionary's canonical name."""
    merged: dict[tuple[str, str, str], dict] = {}
    for e in edges:
        names = {n: _canonical_org(n) for n in e["orgs"]}
        source, target = names.get(e["source"], e["source"]), names.get(e["target"], e["target"])
        if source == target:
            continue
        key = (source, target, e["type"])
        if key in merged:
            merged[key]["count"] += e["count"]
        else:
            merged[key] = {"source": source, "target": target, "type": e["type"], "count": e["count"],
                           "orgs": list(names.values())}
    return list(merged.values())


@lru_cache(maxsize=4096)
def _canonical_org(name: str) -> str:
    from eventwire.dictionary import dictionary  # read-only, loaded once per process

    found = dictionary().lookup(name)
    return found.name if found else re.sub(r"^(?:the|The)\s+", "", name)


def map_points(conn: Connection, f: Filters, max_points: int = 2000) -> dict[str, Any]:
    """Event locations with counts, one point per place (read from the covering place index)."""
    src = _event_source(conn, f, "summary_places")
    col = src.col
    n = src.count.label("n")
    rows = conn.execute(src.select(col["lat"], col["lon"], col["location"], col["country"], n)
                        .where(*src.conds, src.test("lat").is_not(None), src.test("lon").is_not(None))
                        .group_by(col["lat"], col["lon"], col["location"], col["country"]))
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for lat, lon, loc, cc, k in rows:
        point = places.setdefault((round(lat, 3), round(lon, 3)), {
            "lat": round(lat, 3), "lon": round(lon, 3), "location": loc, "country": cc, "count": 0})
        point["count"] += k
    points = sorted(places.values(), key=lambda p: (-p["count"], p["lat"], p["lon"]))[:max_points]
    return {"source": src.name, "points": points}


# -- articles -----------------------------------------------------------------------------------------------

ARTICLE_SORTS = {"published": articles.c.published, "title": articles.c.title, "outlet": articles.c.outlet,
                 "ingested": articles.c.ingested_at}
ARTICLE_COLS = [articles.c.key, articles.c.ext_id, articles.c.title, articles.c.outlet, articles.c.url,
                articles.c.published, articles.c.credits, articles.c.story_id, articles.c.duplicate_of,
                articles.c.source_key, articles.c.ingested_at, articles.c.language]


def _article_event_filter(f: Filters) -> list[ColumnElement]:
    """Conditions on mentions that keep an article: it reports at least one such event."""
    return [cond for cond in (
        mentions.c.actor_country == f.actor if f.actor else None,
        mentions.c.recipient_country == f.recipient if f.recipient else None,
        mentions.c.type == f.type if f.type else None,
        mentions.c.certainty == f.certainty if f.certainty else None,
    ) if cond is not None] + _bbox_conds(mentions.c.lat, mentions.c.lon, f)


def _many_mentions(conn: Connection, conds: list[ColumnElement]) -> bool:
    """Whether more than DENSE_MENTIONS mentions pass: counted from an index, stopping there."""
    few = select(literal(1)).select_from(mentions).where(*conds).limit(DENSE_MENTIONS + 1).subquery()
    return conn.execute(select(func.count()).select_from(few)).scalar_one() > DENSE_MENTIONS


def article_conds(conn: Connection, f: Filters, dense: bool = False) -> list[ColumnElement]:
    """Filters on articles; `dense` tests the event filter per article (EXISTS) instead of collecting keys (IN)."""
    conds = _date_conds(articles.c.published, f)
    if f.story:
        conds.append(articles.c.story_id == f.story)
    if f.outlet:
        conds.append(articles.c.outlet == f.outlet)
    if f.language:
        conds.append(articles.c.language == f.language)
    if f.coded is not None:  # the event coder reads English; an article in another language is stored uncoded
        other = and_(articles.c.language.is_not(None), articles.c.language != "en")
        conds.append(not_(other) if f.coded else other)
    if f.q:
        conds.append(articles.c.key.in_(text_match_keys(conn, f.q)))
    event_filter = _article_event_filter(f)
    if event_filter and dense:  # many such events: walk articles newest first, probe a covering index each
        conds.append(select(literal(1)).select_from(mentions)
                     .where(mentions.c.article_key == articles.c.key, *event_filter).exists())
    elif event_filter:  # few: collect their articles from the (country, article) indexes, then sort
        conds.append(articles.c.key.in_(select(mentions.c.article_key).where(*event_filter)))
    return conds


def list_articles(conn: Connection, f: Filters, page: Page) -> Listing:
    event_filter = _article_event_filter(f)
    dense = bool(event_filter) and not f.q and _many_mentions(conn, event_filter)
    num_events = (select(func.count()).select_from(mentions).where(mentions.c.article_key == articles.c.key)
                  .scalar_subquery().label("num_events"))
    order = _order(page.sort, ARTICLE_SORTS, "-published", articles, conn,
                   selective=bool(f.q or event_filter) and not dense)
    rows = conn.execute(_page(select(*ARTICLE_COLS, num_events).where(*article_conds(conn, f, dense))
                              .order_by(*order), page))
    return Listing(_article_total(conn, f, page, event_filter), [dict(r._mapping) for r in rows])


def _article_total(conn: Connection, f: Filters, page: Page, event_filter: list[ColumnElement]) -> int:
    """Filtered on events alone, the articles are counted in the (country, article) index, unread."""
    if not page.count_total:
        return -1
    if event_filter and not (f.since or f.until or f.story or f.outlet or f.q or f.language or f.coded is not None):
        return conn.execute(select(func.count(func.distinct(mentions.c.article_key))).where(*event_filter)
                            ).scalar_one()
    return _count(conn, articles, article_conds(conn, f))


def get_article(conn: Connection, key: str) -> dict[str, Any] | None:
    row = conn.execute(select(*ARTICLE_COLS, articles.c.text, articles.c.record)
                       .where(articles.c.key == key)).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["events"] = [mention_dict(r) for r in conn.execute(
        _mention_select().where(mentions.c.article_key == key).order_by(mentions.c.evidence_start))]
    return out


def delete_article(conn: Connection, key: str) -> bool:
    """Remove an article with its rows and its full-text entry, and recount what it was part of.

    Its merged events and its story are recounted from what is left (an event
    or story left with no report goes); copies of it lose their original, so
    the earliest copy becomes the original of the others.
    """
    found = conn.execute(select(articles.c.story_id).where(articles.c.key == key)).first()
    if found is None:
        return False
    copies = list(conn.execute(select(articles.c.key).where(articles.c.duplicate_of == key)
                               .order_by(articles.c.published, articles.c.key)).scalars())
    touched = set(conn.execute(select(mentions.c.event_id).where(
        mentions.c.article_key.in_([key, *copies]), mentions.c.event_id.is_not(None))).scalars())
    story_ids = {found.story_id} | set(conn.execute(select(events.c.story_id).where(
        events.c.id.in_(sorted(touched)))).scalars())
    row = conn.execute(text("SELECT rowid, title, text FROM articles WHERE key = :k"), {"k": key}).first() \
        if conn.dialect.name == "sqlite" else None
    if row is not None:
        conn.execute(text("INSERT INTO articles_fts(articles_fts, rowid, title, text) "
                          "VALUES('delete', :rowid, :title, :text)"),
                     {"rowid": row[0], "title": row[1], "text": row[2]})
    for table in (mentions, entities, claims, minhash_bands):  # explicit, in case foreign keys are off
        conn.execute(delete(table).where(table.c.article_key == key))
    conn.execute(delete(articles).where(articles.c.key == key))
    if copies:
        conn.execute(update(articles).where(articles.c.key == copies[0]).values(duplicate_of=None))
        conn.execute(update(articles).where(articles.c.key.in_(copies[1:])).values(duplicate_of=copies[0]))
    _recount(conn, sorted(touched), sorted(s for s in story_ids if s))
    return True


def _recount(conn: Connection, event_ids: list[str], story_ids: list[str]) -> None:
    """Counts of merged events and stories after a delete, with the stories stage's own recounts."""
    from eventwire.stories.bridge import recount  # the stories stage owns what a count means
    from eventwire.stories.merge import refresh

    for event_id in event_ids:
        if conn.execute(select(literal(1)).where(mentions.c.event_id == event_id).limit(1)).first() is None:
            conn.execute(delete(events).where(events.c.id == event_id))
        else:
            refresh(conn, event_id)
    for story_id in story_ids:
        values = recount(conn, story_id)
        if values["num_articles"] == 0:
            conn.execute(delete(story_terms).where(story_terms.c.story_id == story_id))
            conn.execute(delete(stories).where(stories.c.id == story_id))
        else:
            conn.execute(update(stories).where(stories.c.id == story_id).values(**values))


# -- entities, claims, stories ------------------------------------------------------------------------------

ENTITY_SORTS = {"articles": "num_articles", "mentions": "num_mentions", "name": "name"}
ENTITY_TIES = ("name", "type", "country", "sector")  # a total order, the same from the rows and the summary


def _summarised_entities(conn: Connection, f: Filters, page: Page) -> Listing:
    """The entity list from summary_entities: no grouping at read time."""
    c = entity_summary.c
    conds: list[ColumnElement] = []
    if f.type:
        conds.append(c.type == f.type)
    if f.country:
        conds.append(c.country == f.country)
    if f.q:
        conds.append(c.name.ilike(_like_pattern(f.q), escape="\\"))
    allowed = {k: c[v] for k, v in ENTITY_SORTS.items()}
    order = _order(page.sort, allowed, "-articles") + [c[k] for k in ENTITY_TIES]
    cols = [c.name, c.type, c.country, c.sector, c.num_articles, c.num_mentions]
    rows = conn.execute(_page(select(*cols).where(*conds).order_by(*order), page))
    return Listing(_total(conn, page, entity_summary, conds), [dict(r._mapping) for r in rows])


def list_entities(conn: Connection, f: Filters, page: Page) -> Listing:
    """Entities across articles: one row per (name, type, country, sector) with article and mention counts."""
    c = entities.c
    conds: list[ColumnElement] = []
    if f.type:  # unindexed: a type holds a third of all entities, better read in grouping order
        conds.append(_unindexed(c.type) == f.type)
    if f.country:
        conds.append(c.country == f.country)
    if f.q:
        conds.append(c.name.ilike(_like_pattern(f.q), escape="\\"))
    if f.story:
        conds.append(c.article_key.in_(select(articles.c.key).where(articles.c.story_id == f.story)))
    if not f.story and entity_summary_ready(conn):  # a story needs the rows of its articles
        return _summarised_entities(conn, f, page)
    group = [c.name, c.type, c.country, c.sector]
    grouped = (select(*group, func.count(func.distinct(c.article_key)).label("num_articles"),
                      func.sum(c.num_mentions).label("num_mentions"))
               .where(*conds).group_by(*group).subquery())
    allowed = {k: grouped.c[v] for k, v in ENTITY_SORTS.items()}
    order = _order(page.sort, allowed, "-articles") + [grouped.c[k] for k in ENTITY_TIES]
    if not page.count_total:
        return Listing(-1, [dict(r._mapping) for r in conn.execute(_page(select(grouped).order_by(*order), page))])
    # The groups are all made to sort them: count them in the same pass (a second grouping cost as much).
    rows = conn.execute(_page(select(grouped, func.count().over().label("n_groups")).order_by(*order), page)).all()
    total = rows[0].n_groups if rows else conn.execute(select(func.count()).select_from(grouped)).scalar_one()
    return Listing(total, [{k: v for k, v in r._mapping.items() if k != "n_groups"} for r in rows])


CLAIM_SORTS = {"published": articles.c.published, "certainty": claims.c.certainty, "speaker": claims.c.speaker}


def list_claims(conn: Connection, f: Filters, page: Page) -> Listing:
    c = claims.c
    conds: list[ColumnElement] = _date_conds(articles.c.published, f)
    if f.certainty:
        conds.append(c.certainty == f.certainty)
    if f.story:
        conds.append(articles.c.story_id == f.story)
    if f.q:
        conds.append(c.article_key.in_(text_match_keys(conn, f.q)))
    joined = claims.join(articles, articles.c.key == c.article_key)
    order = _order(page.sort, CLAIM_SORTS, "-published") + [c.article_key, c.claim_id]
    stmt = select(claims, articles.c.title, articles.c.outlet, articles.c.published).select_from(joined)
    rows = conn.execute(_page(stmt.where(*conds).order_by(*order), page))
    total = (conn.execute(select(func.count()).select_from(joined).where(*conds)).scalar_one()
             if page.count_total else -1)
    return Listing(total, [dict(r._mapping) for r in rows])


STORY_SORTS = {"last_seen": stories.c.last_seen, "first_seen": stories.c.first_seen,
               "articles": stories.c.num_articles, "sources": stories.c.num_sources}
STORY_COLS = [stories.c.id, stories.c.title, stories.c.first_seen, stories.c.last_seen,
              stories.c.num_articles, stories.c.num_sources]


def list_stories(conn: Connection, f: Filters, page: Page) -> Listing:
    conds: list[ColumnElement] = []
    if f.since:
        conds.append(stories.c.last_seen >= f.since.isoformat())
    if f.until:
        conds.append(stories.c.first_seen < _until(f.until))
    if f.min_sources:
        conds.append(stories.c.num_sources >= f.min_sources)
    if f.q:
        conds.append(stories.c.id.in_(select(articles.c.story_id).where(
            articles.c.key.in_(text_match_keys(conn, f.q)))))
    order = _order(page.sort, STORY_SORTS, "-last_seen", stories, conn)
    rows = conn.execute(_page(select(*STORY_COLS).where(*conds).order_by(*order), page))
    return Listing(_total(conn, page, stories, conds), [dict(r._mapping) for r in rows])


def get_story(conn: Connection, story_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(*STORY_COLS).where(stories.c.id == story_id)).first()
    if row is None:
        return None
    out = dict(row._mapping)
    out["articles"] = list_articles(conn, Filters(story=story_id), Page(limit=MAX_LIMIT)).items
    out["events"] = list_events(conn, Filters(story=story_id), Page(limit=MAX_LIMIT)).items
    return out


# -- downloads ----------------------------------------------------------------------------------------------


def iter_all(engine: Engine, lister: Any, f: Filters, page: Page) -> Iterator[dict[str, Any]]:
    """Every row of a filtered list, read in chunks so a large download never sits in memory whole."""
    offset, remaining = page.offset, page.limit
    while remaining is None or remaining > 0:
        size = DOWNLOAD_CHUNK if remaining is None else min(DOWNLOAD_CHUNK, remaining)
        with engine.connect() as conn:
            items = lister(conn, f, Page(limit=size, offset=offset, sort=page.sort, count_total=False)).items
        yield from items
        if len(items) < size:
            return
        offset += size
        remaining = None if remaining is None else remaining - size


def facet_values(conn: Connection) -> dict[str, Any]:
    """What the page offers in its facets: countries and types that occur, with counts."""
    src = _event_source(conn, Filters(), "summary_pairs")

    def counted(column: Any) -> list[dict[str, Any]]:
        n = src.count.label("n")
        rows = conn.execute(select(column, n).select_from(src.table).where(*src.conds, column.is_not(None))
                            .group_by(column).order_by(n.desc(), column).limit(300))
        return [{"value": v, "count": k} for v, k in rows]

    n = func.count().label("n")
    languages = [{"value": v, "count": k} for v, k in conn.execute(
        select(articles.c.language, n).where(articles.c.language.is_not(None))
        .group_by(articles.c.language).order_by(n.desc(), articles.c.language).limit(300))]
    return {"source": src.name, "type": counted(src.col["type"]), "actor": counted(src.col["actor_country"]),
            "recipient": counted(src.col["recipient_country"]), "language": languages,
            "articles": _count(conn, articles, [true()])}
