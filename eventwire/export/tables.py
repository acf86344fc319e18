"""What each exported table holds: its columns, their types, and its rows under the filters.

A table exports the store's columns less the internal ones (`INTERNAL`), plus the columns computed
for it (`DERIVED`). Events get, from their mentions, what the events table itself does not keep: the
date's precision, the quantities reported, the actor codes and the place's divisions.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from sqlalchemy import JSON, BigInteger, Boolean, Column, Float, Integer, and_, or_, select
from sqlalchemy.engine import Connection

from eventwire import codes
from eventwire.model import PLOVER_TYPES
from eventwire.store import schema as s

TABLES = ("articles", "events", "mentions", "entities", "claims", "stories")

# Columns that never leave the store: a copy of the whole record, a hash used for identity, the
# stories stage's clustering state (a term-vector blob).
INTERNAL = {"articles": {"record", "text_hash"}, "stories": {"state"}}

QUANTITY = pa.struct([("value", pa.float64()), ("unit", pa.string()), ("counts", pa.string()),
                      ("approx", pa.bool_()), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                      ("reason", pa.string())])  # start/end: in the article's text (mentions only)
# JSON columns with a known shape get a typed Parquet column; any other JSON column is JSON text.
JSON_TYPES = {"quantities": pa.list_(QUANTITY), "credits": pa.list_(pa.string()),
              "conflicts": pa.list_(pa.string())}

DERIVED: dict[str, list[tuple[str, pa.DataType]]] = {
    "articles": [("story", pa.string())],
    "events": [("root_code", pa.string()), ("quad_class", pa.int64()), ("goldstein", pa.float64()),
               ("actor_code", pa.string()), ("actor_org_type", pa.string()),
               ("recipient_code", pa.string()), ("recipient_org_type", pa.string()),
               ("date_precision", pa.string()), ("location_admin1", pa.string()),
               ("location_admin2", pa.string()), ("location_precision", pa.string()),
               ("quantities", JSON_TYPES["quantities"]),
               ("fatalities", pa.int64()), ("source_url", pa.string()), ("outlets", pa.list_(pa.string())),
               ("date_added", pa.string())],
}
BATCH = 500


@dataclass
class Filters:
    since: str | None = None  # ISO date: rows on or after it
    until: str | None = None  # ISO date: rows on or before it (a date of the same day or month counts)
    type: str | None = None  # PLOVER type of events and mentions; entity type of entities
    country: str | None = None  # ISO3: actor, recipient or place (events, mentions); entities' country


class ExportError(ValueError):
    """A request that cannot be answered (a filter the table has no column for, an unknown format)."""


def _arrow_type(col: Column) -> pa.DataType:
    if isinstance(col.type, JSON):
        return JSON_TYPES.get(col.name, pa.string())
    if isinstance(col.type, Boolean):
        return pa.bool_()
    if isinstance(col.type, Integer | BigInteger):
        return pa.int64()
    if isinstance(col.type, Float):
        return pa.float64()
    return pa.string()


def _stored(table: str) -> list[Column]:
    return [c for c in s.metadata.tables[table].columns if c.name not in INTERNAL.get(table, ())]


def columns(table: str) -> list[tuple[str, pa.DataType]]:
    """The exported columns of a table, in order, with their Parquet types."""
    if table not in TABLES:
        raise ExportError(f"no table {table!r}: one of {', '.join(TABLES)}")
    out = [(c.name, _arrow_type(c)) for c in _stored(table)]
    names = {n for n, _ in out}
    return out + [(n, t) for n, t in DERIVED.get(table, []) if n not in names]


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in columns(table)])


# -- filters --------------------------------------------------------------------------------------------------
def _until(col, until: str):
    # "2025-03" (a month) is on or before "2025-03-31"; a day of 2025-03-31 too: compare as ISO text,
    # with anything after the date itself (a time) still counting as that day.
    return col <= until + "\uffff"


def _date_filter(col, f: Filters) -> list:
    out = []
    if f.since:
        out.append(col >= f.since)
    if f.until:
        out.append(_until(col, f.until))
    return out


def _where(table: str, f: Filters) -> list:
    t = s.metadata.tables[table]
    cond: list = []
    if table in ("events", "mentions"):
        cond += _date_filter(t.c.date, f)
        if f.type:
            if f.type.upper() not in PLOVER_TYPES:
                raise ExportError(f"unknown event type {f.type!r}: one of {', '.join(PLOVER_TYPES)}")
            cond.append(t.c.type == f.type.upper())
        if f.country:
            c = f.country.upper()
            cond.append(or_(t.c.actor_country == c, t.c.recipient_country == c, t.c.location_country == c))
        return cond
    if f.type and table != "entities":
        raise ExportError(f"--type filters events, mentions and entities, not {table}")
    if f.country and table != "entities":
        raise ExportError(f"--country filters events, mentions and entities, not {table}")
    if table == "articles":
        return _date_filter(t.c.published, f)
    if table == "stories":
        return ([t.c.last_seen >= f.since] if f.since else []) + \
            ([_until(t.c.first_seen, f.until)] if f.until else [])
    # entities and claims: by their article's publication date
    if f.since or f.until:
        keys = select(s.articles.c.key).where(*_date_filter(s.articles.c.published, f))
        cond.append(t.c.article_key.in_(keys))
    if table == "entities":
        if f.type:
            cond.append(t.c.type == f.type.upper())
        if f.country:
            cond.append(t.c.country == f.country.upper())
    return cond


def _order(table: str) -> list:
    t = s.metadata.tables[table]
    names = {"articles": ("published", "key"), "events": ("date", "id"), "mentions": ("id",),
             "entities": ("article_key", "entity_id"), "claims": ("article_key", "claim_id"),
             "stories": ("first_seen", "id")}[table]
    return [t.c[n] for n in names]


# -- rows -----------------------------------------------------------------------------------------------------
def _loads(value: Any) -> Any:
    """JSON columns come back decoded from SQLAlchemy; text stored by older code is decoded here."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def rows(conn: Connection, table: str, f: Filters) -> Iterator[dict[str, Any]]:
    """The table's rows under the filters, each a dict of the exported columns (nested values decoded)."""
    cols = _stored(table)
    json_cols = {c.name for c in cols if isinstance(c.type, JSON)}
    query = select(*cols).where(and_(True, *_where(table, f))).order_by(*_order(table))
    result = conn.execution_options(stream_results=True).execute(query)
    batch: list[dict] = []
    for row in result:
        data = dict(row._mapping)
        for name in json_cols:
            data[name] = _loads(data[name])
        if table == "articles":
            data["story"] = data.get("story_id")  # the name the first exports used, kept
        batch.append(data)
        if len(batch) >= BATCH:
            yield from _finish(conn, table, batch)
            batch = []
    if batch:
        yield from _finish(conn, table, batch)


def _finish(conn: Connection, table: str, batch: list[dict]) -> Iterator[dict]:
    if table != "events":
        return iter(batch)
    return iter(_with_mentions(conn, batch))


def _with_mentions(conn: Connection, batch: list[dict]) -> list[dict]:
    """Each event with what its mentions say: codes, date precision, divisions, quantities, sources."""
    m, a = s.mentions, s.articles
    ids = [e["id"] for e in batch]
    found: dict[str, list] = {}
    query = (select(m.c.event_id, m.c.id, m.c.date, m.c.date_precision, m.c.actor_code, m.c.actor_org_type,
                    m.c.recipient_code, m.c.recipient_org_type, m.c.location_admin1, m.c.location_admin2,
                    m.c.location_text, m.c.location_precision, m.c.quantities, m.c.evidence, a.c.url, a.c.outlet, a.c.ingested_at, a.c.published)
             .select_from(m.join(a, a.c.key == m.c.article_key))
             .where(m.c.event_id.in_(ids)).order_by(m.c.event_id, a.c.published, m.c.id))
    for r in conn.execute(query):
        found.setdefault(r.event_id, []).append(r)
    return [{**ev, **event_extras(ev, found.get(ev["id"], []))} for ev in batch]


def event_extras(ev: dict, mentions: list) -> dict[str, Any]:
    """The derived columns of one merged event, from its mentions (earliest report first)."""
    out: dict[str, Any] = dict(codes.event_codes(ev.get("cameo"), ev.get("type")))
    first = mentions[0] if mentions else None
    for role in ("actor", "recipient"):
        code = getattr(first, f"{role}_code", None) if first else None
        org = getattr(first, f"{role}_org_type", None) if first else None
        if code is None:  # no mention says: code the event's own columns
            iso, org = codes.split_country(ev.get(f"{role}_country"), ev.get(f"{role}_sector"))
            code = codes.actor_code(iso, ev.get(f"{role}_sector"), org, (ev.get(f"{role}_name"),))
        out[f"{role}_code"], out[f"{role}_org_type"] = code, org
    dated = [r for r in mentions if r.date == ev.get("date") and r.date_precision]
    dating = dated[0] if dated else first
    out["date_precision"] = dating.date_precision if dating is not None else None
    # The place's details from the reports that name the place the event shows.
    here = [r for r in mentions if r.location_text == ev.get("location_text")] or mentions
    for col in ("location_admin1", "location_admin2", "location_precision"):
        out[col] = next((getattr(r, col) for r in here if getattr(r, col)), None)
    out["quantities"] = merged_quantities([_loads(r.quantities) or [] for r in mentions])
    out["fatalities"] = fatalities([_loads(r.quantities) or [] for r in mentions])
    out["source_url"] = next((r.url for r in mentions if r.url), None)
    out["outlets"] = sorted({r.outlet for r in mentions if r.outlet})
    added = [r.ingested_at for r in mentions if r.ingested_at]
    out["date_added"] = min(added) if added else None
    out["notes"] = first.evidence if first else None  # for the ACLED notes column; not a table column
    return out


def merged_quantities(per_mention: list[list[dict]]) -> list[dict]:
    """The quantities the event's reports give, each (what, unit, value) once, in report order."""
    seen: set[tuple] = set()
    out = []
    for quantities in per_mention:
        for q in quantities:
            key = (q.get("counts"), q.get("unit"), q.get("value"))
            if key in seen:
                continue
            seen.add(key)
            out.append({k: q.get(k) for k in ("value", "unit", "counts", "approx", "text")})
    return out


def fatalities(per_mention: list[list[dict]]) -> int | None:
    """Deaths reported: each report's count of the dead (summed over its figures), the lowest of the
    reports that give one, as ACLED takes the most conservative estimate; None when none gives one."""
    totals = []
    for quantities in per_mention:
        dead = [q["value"] for q in quantities if q.get("counts") == "dead" and q.get("value") is not None]
        if dead:
            totals.append(int(sum(dead)))
    return min(totals) if totals else None
