"""Steps that bring an older store up to the current schema (run by `Store.migrate`, once each).

New columns are added by `Store.migrate` itself (ALTER TABLE ADD COLUMN, nullable); the steps here
fill them and change what a column means. Each step is idempotent and runs in one transaction, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, text, update

from eventwire import codes
from eventwire.store.schema import articles, entities, events, mentions

# The full-text index over articles, declared as sqlite-utils declares one: `content=[articles]` is the
# form Datasette looks for to offer `?_search=` on the articles table with no metadata.
ARTICLES_FTS = ("CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
                "title, text, content=[articles], content_rowid='rowid')")
BATCH = 2000


# Indexes kept by triggers, as sqlite-utils' enable_fts(create_triggers=True) keeps them: whoever writes
# or deletes a mention or a claim (the store, the server, a cascade from its article), the index follows.
TRIGGERED_FTS = {"mentions": ("evidence",), "claims": ("content",)}


def fts_sql(conn: Connection, name: str = "articles_fts") -> str | None:
    return conn.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": name}).scalar()


def ensure_fts(conn: Connection) -> None:
    """Create the full-text indexes, re-declaring an older articles index (content='articles')."""
    sql = fts_sql(conn)
    if sql is not None and "content=[articles]" not in sql:
        conn.execute(text("DROP TABLE articles_fts"))
        sql = None
    if sql is None:
        conn.execute(text(ARTICLES_FTS))
        conn.execute(text("INSERT INTO articles_fts(articles_fts) VALUES('rebuild')"))
    for table, cols in TRIGGERED_FTS.items():
        if fts_sql(conn, f"{table}_fts") is None:
            _triggered_fts(conn, table, cols)


def _triggered_fts(conn: Connection, table: str, cols: tuple[str, ...]) -> None:
    fts, names = f"{table}_fts", ", ".join(cols)
    new, old = ", ".join(f"new.{c}" for c in cols), ", ".join(f"old.{c}" for c in cols)
    conn.execute(text(f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content=[{table}], content_rowid='rowid')"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
                      f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new}); END"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
                      f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END"))
    conn.execute(text(f"CREATE TRIGGER IF NOT EXISTS [{table}_au] AFTER UPDATE OF {names} ON [{table}] BEGIN "
                      f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); "
                      f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new}); END"))
    conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES('rebuild')"))


def _v2_codes(conn: Connection) -> None:
    """Schema 2: country columns hold ISO3 or NULL; pseudo-countries move to org_type; codes filled."""
    pseudo = list(codes._actor_tables()[1])  # IGO NGO IMG ...
    last = 0
    while True:  # in batches by id, so a large store is never read whole
        rows = conn.execute(select(mentions).where(mentions.c.id > last).order_by(mentions.c.id)
                            .limit(BATCH)).all()
        if not rows:
            break
        for m in rows:
            conn.execute(update(mentions).where(mentions.c.id == m.id).values(**mention_codes(m._mapping)))
        last = rows[-1].id
    for row in conn.execute(select(entities.c.article_key, entities.c.entity_id, entities.c.name,
                                   entities.c.country, entities.c.sector)
                            .where(entities.c.code.is_(None))).all():
        iso, org = codes.split_country(row.country, row.sector)
        conn.execute(update(entities).where((entities.c.article_key == row.article_key)
                                            & (entities.c.entity_id == row.entity_id)).values(
            country=iso, org_type=org, code=codes.actor_code(iso, row.sector, org, (row.name,))))
    for col in ("actor_country", "recipient_country", "location_country"):
        conn.execute(update(events).where(events.c[col].in_(pseudo)).values({col: None}))
    _v2_records(conn)


def _v2_records(conn: Connection) -> None:
    """Each stored record copy gets its codes too, so that what the server returns says the same."""
    import json

    last = ""
    while True:
        rows = conn.execute(select(articles.c.key, articles.c.record).where(articles.c.key > last)
                            .order_by(articles.c.key).limit(BATCH)).all()
        if not rows:
            break
        for key, record in rows:
            data = json.loads(record) if isinstance(record, str) else record
            if isinstance(data, dict):
                conn.execute(update(articles).where(articles.c.key == key).values(record=codes.annotate(data)))
        last = rows[-1].key


def mention_codes(m) -> dict:
    """The schema-2 columns of one stored mention, from its other columns (for rows stored before)."""
    out = dict(codes.event_codes(m["cameo"], m["type"]))
    for role in ("actor", "recipient"):
        iso, org = codes.split_country(m[f"{role}_country"], m[f"{role}_sector"])
        org = m.get(f"{role}_org_type") or org
        out[f"{role}_country"], out[f"{role}_org_type"] = iso, org
        out[f"{role}_code"] = codes.actor_code(iso, m[f"{role}_sector"], org, (m[f"{role}_text"],))
    out["location_country"] = codes.split_country(m["location_country"])[0]
    return out


# Foreign keys schema 2 declares, for stores created before: (table, column, referenced table, column).
REFERENCES = [("mentions", "event_id", "events", "id"), ("events", "story_id", "stories", "id"),
              ("articles", "story_id", "stories", "id"), ("articles", "duplicate_of", "articles", "key")]
FK_TAIL = "ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED"


def _v2_foreign_keys(conn: Connection) -> None:
    """Declare the references an older PostgreSQL store lacks. A reference to a row that is gone is set
    NULL first (what ON DELETE SET NULL would have done), so the keys hold from the start.

    An older SQLite store keeps working without them: SQLite cannot add a key to a table, and rebuilding
    `articles` or `mentions` under a live store risks its rows (dropping the old table cascades to the
    rows that reference it) and the server's summary triggers. A new store has them from the start.
    """
    if conn.dialect.name == "sqlite":
        return
    for table, col, other, key in REFERENCES:
        if col in _declared(conn, table):
            continue
        conn.execute(text(f"UPDATE {table} SET {col} = NULL WHERE {col} IS NOT NULL "
                          f"AND {col} NOT IN (SELECT {key} FROM {other})"))
        conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT fk_{table}_{col} FOREIGN KEY ({col}) "
                          f'REFERENCES {other} ("{key}") {FK_TAIL}'))


def _declared(conn: Connection, table: str) -> set[str]:
    """Columns of a table that already reference another table."""
    from sqlalchemy import inspect

    return {c for fk in inspect(conn).get_foreign_keys(table) for c in fk["constrained_columns"]}


def _v2(conn: Connection) -> None:
    _v2_codes(conn)
    _v2_foreign_keys(conn)


STEPS: dict[int, Callable[[Connection], None]] = {2: _v2}


def upgrade(conn: Connection, current: int, target: int) -> None:
    for version in range(current + 1, target + 1):
        step = STEPS.get(version)
        if step is not None:
            step(conn)
