"""Stage 5, store: records into SQLite (default) or PostgreSQL, idempotently.

`Store.save(record, origin)` writes one article with its entities, event
mentions and claims in one transaction. The same article (same URL, or same
text) is stored once: saving it again changes nothing and returns False.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.engine import Connection

from eventwire.model import Record
from eventwire.store import migrations, schema
from eventwire.store.schema import SCHEMA_VERSION, articles, claims, entities, mentions, metadata

DEFAULT_DB = "eventwire.db"


def db_url(db: str) -> str:
    """A path becomes a SQLite URL; a URL (postgresql+psycopg://...) passes through."""
    return db if "://" in db else f"sqlite:///{db}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the server) do not block the writer
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def text_hash(text: str) -> str:
    """Identity of an article's text, blind to whitespace and case."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha1(norm.encode("utf-8", "surrogatepass")).hexdigest()


def content_hash(title: str | None, text: str) -> str:
    """Identity of an article's content: its text, and its headline when it has one.

    Two pages of one outlet can carry the same scraped body (a video page with
    an invitation to install the outlet's app, a paywall notice) under different
    headlines: they are different articles, and both are stored. A copy with a
    new headline is stored too; the stories stage links it to its original.
    """
    return text_hash(f"{title}\n{text}" if title else text)


def article_key(url: str | None, text: str) -> str:
    basis = _norm_url(url) if url else "text:" + text_hash(text)
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _norm_url(url: str) -> str:
    # The query string is kept (story.php?id=1 and ?id=2 are two articles), tracking tags dropped.
    from eventwire.ingest.urls import identity

    return identity(url)


class Store:
    def __init__(self, db: str = DEFAULT_DB):
        self.url = db_url(db)
        self.engine: Engine = create_engine(self.url, future=True)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.migrate()

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    # -- schema -----------------------------------------------------------------
    def migrate(self) -> None:
        """Create what is missing and record the schema version; later versions add steps here."""
        metadata.create_all(self.engine)
        _add_missing_columns(self.engine)
        with self.engine.begin() as conn:
            if self.is_sqlite:
                migrations.ensure_fts(conn)
            current = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
                                   ).scalar()
            if current is None:
                conn.execute(insert(schema.meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(current) > SCHEMA_VERSION:
                raise RuntimeError(f"database schema {current} is newer than this eventwire ({SCHEMA_VERSION})")
            elif int(current) < SCHEMA_VERSION:
                migrations.upgrade(conn, int(current), SCHEMA_VERSION)
                conn.execute(schema.meta.update().where(schema.meta.c.key == "schema_version")
                             .values(value=str(SCHEMA_VERSION)))

    # -- writing ----------------------------------------------------------------
    def exists(self, conn: Connection, key: str, thash: str) -> bool:
        found = conn.execute(select(articles.c.key).where((articles.c.key == key) | (articles.c.text_hash == thash))
                             .limit(1)).first()
        return found is not None

    def save(self, record: Record, origin: str | None = None) -> str | None:
        """Store one record; return its key, or None when the article was stored before."""
        art = record.article
        key, thash = article_key(art.url, art.text), content_hash(art.title, art.text)
        with self.engine.begin() as conn:
            if self.exists(conn, key, thash):
                return None
            data = record.to_dict()
            conn.execute(insert(articles).values(
                key=key, ext_id=record.id, origin=origin, title=art.title, outlet=art.outlet, url=art.url,
                published=art.published, language=art.language, credits=art.credits, text=art.text,
                text_hash=thash, record=data, ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            ))
            if self.is_sqlite:
                conn.execute(text("INSERT INTO articles_fts(rowid, title, text) "
                                  "SELECT rowid, title, text FROM articles WHERE key = :k"), {"k": key})
            rows = list(_entity_rows(key, data))
            if rows:
                conn.execute(insert(entities), rows)
            rows = list(_mention_rows(key, data))
            if rows:
                conn.execute(insert(mentions), rows)
            rows = list(_claim_rows(key, data))
            if rows:
                conn.execute(insert(claims), rows)
        return key

    # -- reading ----------------------------------------------------------------
    def connect(self) -> Connection:
        return self.engine.connect()

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {schema.metadata.tables[table].name}")).scalar_one()


def _add_missing_columns(engine: Engine) -> None:
    """Nullable columns a newer schema added to a table an older store already has (ALTER TABLE ADD)."""
    from sqlalchemy import inspect

    found = inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if not found.has_table(table.name):
                continue
            have = {c["name"] for c in found.get_columns(table.name)}
            for col in table.columns:
                if col.name not in have and col.nullable and not col.primary_key:
                    kind = col.type.compile(dialect=engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {kind}'))


def _entity_rows(key: str, data: dict) -> Iterator[dict]:
    for ent in data["entities"]:
        yield {"article_key": key, "entity_id": ent["id"], "name": ent["name"], "type": ent["type"],
               "country": ent.get("country"), "sector": ent.get("sector"), "num_mentions": len(ent["mentions"]),
               "org_type": ent.get("org_type"), "code": ent.get("code")}


def _participant(prefix: str, part: dict | None) -> dict:
    part = part or {}
    return {f"{prefix}_text": part.get("text"), f"{prefix}_entity": part.get("entity"),
            f"{prefix}_country": part.get("country"), f"{prefix}_sector": part.get("sector"),
            f"{prefix}_code": part.get("code"), f"{prefix}_org_type": part.get("org_type")}


def _mention_rows(key: str, data: dict) -> Iterator[dict]:
    for ev in data["events"]:
        loc, date, att = ev.get("location") or {}, ev.get("date") or {}, ev.get("attribution") or {}
        yield {
            "article_key": key, "local_id": ev["id"], "type": ev["type"], "mode": ev.get("mode"),
            "cameo": ev.get("cameo"), **_participant("actor", ev.get("actor")),
            **_participant("recipient", ev.get("recipient")),
            "root_code": ev.get("root_code"), "quad_class": ev.get("quad_class"), "goldstein": ev.get("goldstein"),
            "location_admin1": loc.get("admin1"), "location_admin2": loc.get("admin2"),
            # Only calendar values go in the sortable column; "PAST_REF" stays in the record.
            "date": _calendar(date.get("value")), "date_precision": date.get("precision"),
            "location_text": loc.get("text"), "location_country": loc.get("country"),
            "location_precision": loc.get("precision"), "lat": loc.get("lat"), "lon": loc.get("lon"), "negated": bool(ev.get("negated")),
            "certainty": att.get("certainty") or "asserted", "speaker": att.get("speaker"),
            "channel": att.get("channel"),
            "trigger_start": ev["trigger"]["start"], "trigger_end": ev["trigger"]["end"],
            "evidence_start": ev["evidence"]["start"], "evidence_end": ev["evidence"]["end"],
            "evidence": ev["evidence"]["text"], "quantities": ev.get("quantities") or [],
        }


def _calendar(value: str | None) -> str | None:
    """A value that sorts with calendar dates: "2025-W20" becomes its Monday ("2025-05-12", the mention's
    date_precision still says week); "PAST_REF" and other vague values none."""
    if not value or not value[:1].isdigit():
        return None
    week = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if week:
        try:
            return date.fromisocalendar(int(week.group(1)), int(week.group(2)), 1).isoformat()
        except ValueError:
            return None
    return value


def _claim_rows(key: str, data: dict) -> Iterator[dict]:
    for cl in data["claims"]:
        sp = cl.get("speaker") or {}
        yield {"article_key": key, "claim_id": cl["id"], "speaker": sp.get("text"),
               "speaker_entity": sp.get("entity"), "cue": cl["cue"]["text"], "channel": cl.get("channel"),
               "certainty": cl["certainty"], "content_start": cl["content"]["start"],
               "content_end": cl["content"]["end"], "content": cl["content"]["text"]}
