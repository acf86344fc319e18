"""Stage 5: the same article twice is stored once; nothing stored is lost."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text as sql_text

from eventwire.model import Article, Entity, Event, Participant, Record, Span
from eventwire.store import Store, article_key
from eventwire.store.schema import metadata

TEXT = "Rebels attacked an army post near the town on Friday, the army said."


def record(text: str = TEXT, url: str | None = "https://example.org/a", rid: str = "r1") -> Record:
    ent = Entity("E1", "Army", "ORG", "XXX", "MIL", [Span(14, 18, text[14:18])])
    ev = Event("e1", "ASSAULT", Span(7, 15, text[7:15]), Span(0, len(text), text),
               actor=Participant("Rebels", None, None, "REB"), recipient=Participant("army", "E1", None, "MIL"))
    return Record(rid, Article(title="T", url=url, published="2025-01-03", text=text), [ent], [ev])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """SQLite always; PostgreSQL when EVENTWIRE_TEST_PG_URL names a scratch database."""
    if request.param == "sqlite":
        return Store(str(tmp_path / "t.db"))
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        pytest.skip("set EVENTWIRE_TEST_PG_URL=postgresql+psycopg://... to test PostgreSQL")
    pg = Store(url)
    metadata.drop_all(pg.engine)
    return Store(url)


def test_save_is_idempotent_by_url_and_by_text(store):
    assert store.save(record()) is not None
    assert store.save(record()) is None  # same URL, same text
    assert store.save(record(url="https://example.org/a?utm=x")) is None  # same URL, tracking query
    assert store.save(record(url="https://mirror.example.net/copy")) is None  # same text elsewhere
    assert store.save(record(text=TEXT.upper())) is None  # text identity ignores case
    assert store.count("articles") == 1
    assert store.count("mentions") == 1
    assert store.count("entities") == 1


def test_different_articles_are_both_stored(store):
    store.save(record())
    store.save(record(text="Police detained dozens of protesters in the capital on Sunday.", url=None, rid="r2"))
    assert store.count("articles") == 2


def test_reopening_migrates_nothing_and_keeps_data(tmp_path):
    path = str(tmp_path / "t.db")
    Store(path).save(record())
    again = Store(path)
    assert again.count("articles") == 1


def test_full_text_search(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    store.save(record())
    with store.connect() as conn:
        from sqlalchemy import text

        hits = conn.execute(text("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'rebels'")).scalar()
    assert hits == 1


def test_keys_are_stable():
    assert article_key("https://www.Example.org/a/", "x") == article_key("http://example.org/a", "y")
    assert article_key(None, "Some text") == article_key(None, "some   TEXT")


def test_stories_stage_runs_on_every_backend(store):
    """Copies and stories on this backend: a syndicated copy joins its original's story."""
    from eventwire import stories

    base = ("Rebels attacked an army post near the northern town of Kidal on Friday, killing four soldiers, "
            "the army said in a statement. The attack came days after peace talks stalled in the capital.")
    other = ("The central bank raised its main interest rate by half a point on Thursday to curb inflation, "
             "which reached its highest level in a decade last month, the bank said.")
    keys = [store.save(record(base, "https://a.example/1", "a")),
            store.save(record(base + " Officials gave no further details.", "https://b.example/2", "b")),
            store.save(record(other, "https://a.example/3", "c"))]
    stories.update(store, [k for k in keys if k])
    with store.connect() as conn:
        from sqlalchemy import select

        from eventwire.store.schema import articles

        rows = {r.ext_id: r for r in conn.execute(select(articles.c.ext_id, articles.c.story_id,
                                                         articles.c.duplicate_of))}
    assert rows["a"].story_id == rows["b"].story_id != rows["c"].story_id
    assert rows["b"].duplicate_of is not None


@pytest.mark.parametrize(("value", "stored"), [("2025-W20", "2025-05-12"), ("2025-05-15", "2025-05-15"),
                                               ("PAST_REF", None), ("2025-W99", None), (None, None)])
def test_sortable_date_column(value, stored):
    # a week sorts with days by its Monday; the mention's date_precision still says "week"
    from eventwire.store import _calendar

    assert _calendar(value) == stored


def test_codes_are_stored_and_country_holds_iso3_only(tmp_path):
    """A body of no state keeps NULL country and its kind in org_type; codes land in their columns."""
    text = "The United Nations accused rebels of shelling the town."
    ent = Entity("E1", "United Nations", "ORG", "IGO", "IGO", [Span(4, 18, text[4:18])])
    ev = Event("e1", "ACCUSE", Span(19, 27, text[19:27]), Span(0, len(text), text), cameo="112",
               actor=Participant("The United Nations", "E1", "IGO", "IGO"), recipient=Participant("rebels", None, None, "REB"))
    store = Store(str(tmp_path / "t.db"))
    store.save(Record("r1", Article(title="T", published="2025-01-03", text=text), [ent], [ev]))
    with store.connect() as conn:
        from sqlalchemy import select

        from eventwire.store.schema import entities, mentions

        m = conn.execute(select(mentions)).one()
        e = conn.execute(select(entities)).one()
    assert (m.actor_country, m.actor_org_type, m.actor_code) == (None, "IGO", "IGOUNO")
    assert (m.recipient_code, m.root_code, m.quad_class, m.goldstein) == ("REB", "11", 3, -2.0)
    assert (e.country, e.org_type, e.code) == (None, "IGO", "IGOUNO")


def test_a_schema_1_store_is_migrated(store):
    """An older store (version 1: no code columns, pseudo-countries, FTS declared content='articles')
    opens with its rows coded, its countries cleaned and its full-text index in the Datasette form."""
    import json

    from sqlalchemy import select, update
    from sqlalchemy import text as sql

    from eventwire.store.schema import articles

    store.save(record())
    with store.engine.begin() as conn:
        for col in ("root_code", "quad_class", "goldstein", "actor_code", "actor_org_type", "recipient_code",
                    "recipient_org_type", "location_admin1", "location_admin2"):
            conn.execute(sql(f"ALTER TABLE mentions DROP COLUMN {col}"))
        conn.execute(sql("ALTER TABLE entities DROP COLUMN code"))
        conn.execute(sql("ALTER TABLE entities DROP COLUMN org_type"))
        conn.execute(sql("UPDATE mentions SET actor_country = 'IGO', actor_sector = 'IGO', actor_text = 'UN', "
                         "cameo = '190'"))
        conn.execute(sql("UPDATE entities SET country = 'NGO', sector = 'NGO', name = 'Human Rights Watch'"))
        conn.execute(sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
        old = json.loads(json.dumps(record().to_dict()))
        old["entities"][0].update(country="NGO", sector="NGO", name="Human Rights Watch")
        for part in (old["entities"][0], old["events"][0]["actor"], old["events"][0]["recipient"]):
            part.pop("code"), part.pop("org_type")
        conn.execute(update(articles).values(record=old))
        if store.is_sqlite:
            conn.execute(sql("DROP TABLE articles_fts"))
            conn.execute(sql("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
                             "content_rowid='rowid')"))
        if not store.is_sqlite:  # PostgreSQL: a store from before the keys, holding a reference to no row
            _drop_foreign_keys(conn)
            conn.execute(sql("UPDATE mentions SET event_id = 'gone'"))
    again = Store(store.url)
    if not again.is_sqlite:  # SQLite cannot add a key to a table: an older SQLite store works without them
        assert {("mentions", "event_id"), ("events", "story_id"), ("articles", "story_id"),
                ("articles", "duplicate_of")} <= _references(again)
    with again.connect() as conn:
        m = conn.execute(sql("SELECT actor_country, actor_org_type, actor_code, root_code, quad_class, goldstein "
                             "FROM mentions")).one()
        e = conn.execute(sql("SELECT country, org_type, code FROM entities")).one()
        version = conn.execute(sql("SELECT value FROM meta WHERE key = 'schema_version'")).scalar()
        if again.is_sqlite:
            fts = conn.execute(sql("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'")).scalar()
            hits = conn.execute(sql("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'rebels'")).scalar()
            assert "content=[articles]" in fts and hits == 1
    assert tuple(m) == (None, "IGO", "IGOUNO", "19", 4, -10.0)
    assert tuple(e) == (None, "NGO", "NGOHRIHRW")
    assert version == "2"
    with again.connect() as conn:
        rec = conn.execute(select(articles.c.record)).scalar()
    rec = json.loads(rec) if isinstance(rec, str) else rec
    assert (rec["entities"][0]["country"], rec["entities"][0]["code"]) == (None, "NGOHRIHRW")
    assert rec["events"][0]["recipient"]["code"] == "MIL"  # the army: no country known, its role
    with again.connect() as conn:
        assert conn.execute(sql("SELECT event_id FROM mentions")).scalar() is None  # the dangling one cleared
        if not again.is_sqlite:
            with pytest.raises(Exception):  # the keys hold  # noqa: B017
                conn.execute(sql("UPDATE mentions SET event_id = 'gone'"))
                conn.commit()
    again.save(record(text="Police detained dozens of protesters in the capital on Sunday.", url=None, rid="r2"))


STRIPPED = ("mentions", "events", "articles")


def _references(store) -> set[tuple[str, str]]:
    from sqlalchemy import inspect

    found = inspect(store.engine)
    return {(t, c) for t in STRIPPED for fk in found.get_foreign_keys(t) for c in fk["constrained_columns"]
            if c != "article_key"}


def _drop_foreign_keys(conn) -> None:
    """Make a schema-2 PostgreSQL store look like one created before schema 2 declared its references."""
    from sqlalchemy import inspect

    for table in STRIPPED:
        for fk in inspect(conn).get_foreign_keys(table):
            if fk["constrained_columns"] != ["article_key"]:
                conn.execute(sql_text(f'ALTER TABLE {table} DROP CONSTRAINT "{fk["name"]}"'))


def test_event_and_claim_indexes_follow_every_write(tmp_path):
    """mentions_fts and claims_fts are kept by triggers: a deleted article's sentences are found no more."""
    from sqlalchemy import delete, update

    from eventwire.store.schema import articles, mentions

    store = Store(str(tmp_path / "t.db"))
    store.save(record())
    store.save(record(text="Police detained dozens of protesters in the capital on Sunday.", url=None, rid="r2"))

    def hits(word: str) -> int:
        with store.connect() as conn:
            return conn.execute(sql_text("SELECT count(*) FROM mentions_fts WHERE mentions_fts MATCH :w"),
                                {"w": word}).scalar()

    assert hits("rebels") == 1 and hits("detained") == 1
    with store.engine.begin() as conn:
        conn.execute(update(mentions).where(mentions.c.evidence.like("Police%")).values(evidence="Police left."))
    assert hits("detained") == 0 and hits("left") == 1
    with store.engine.begin() as conn:  # the mention goes with its article (ON DELETE CASCADE)
        conn.execute(delete(articles).where(articles.c.text.like("Rebels%")))
    assert hits("rebels") == 0
    with store.engine.begin() as conn:
        for fts in ("mentions_fts", "claims_fts", "articles_fts"):
            conn.execute(sql_text(f"INSERT INTO {fts}({fts}) VALUES('integrity-check')"))
