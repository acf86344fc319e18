"""Datasette on a store the tests build: `?_search=` finds a word, foreign keys link rows, internal
tables are hidden, and the shipped metadata titles every table people read."""

from __future__ import annotations

import asyncio

import pytest

from eventwire.store import schema
from eventwire.store.datasette import database_name, metadata
from tests.test_export import build_store

datasette_app = pytest.importorskip("datasette.app")

SHOWN = ("articles", "events", "mentions", "entities", "claims", "stories")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("datasette") / "wire.db")
    build_store(path)
    return path


def get(db: str, path: str, with_metadata: bool = True) -> dict | list:
    """GET one Datasette JSON page through its Python API (no server, no network)."""
    async def fetch():
        ds = datasette_app.Datasette(files=[db], metadata=metadata(db) if with_metadata else None)
        if hasattr(ds, "invoke_startup"):
            await ds.invoke_startup()
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return asyncio.run(fetch())


@pytest.mark.parametrize("with_metadata", [True, False])
def test_search_finds_a_word(db, with_metadata):
    name = database_name(db)
    rows = get(db, f"/{name}/articles.json?_search=shelled&_shape=array", with_metadata)
    assert [r["title"] for r in rows] == ["Report a"]
    rows = get(db, f"/{name}/articles.json?_search=nurses&_shape=array", with_metadata)
    assert [r["title"] for r in rows] == ["Report c"]
    assert get(db, f"/{name}/articles.json?_search=zeppelin&_shape=array", with_metadata) == []


def _tables(db: str) -> dict[str, dict]:
    return {t["name"]: t for t in get(db, f"/{database_name(db)}.json")["tables"]}


def test_rows_that_name_rows_are_foreign_keys(db):
    tables = _tables(db)
    outgoing = {(t, fk["column"], fk["other_table"]) for t, info in tables.items()
                for fk in info["foreign_keys"]["outgoing"]}
    assert {("mentions", "event_id", "events"), ("mentions", "article_key", "articles"),
            ("events", "story_id", "stories"), ("articles", "story_id", "stories"),
            ("articles", "duplicate_of", "articles"), ("entities", "article_key", "articles"),
            ("claims", "article_key", "articles")} <= outgoing


def test_internal_tables_are_hidden_and_the_others_titled(db):
    tables = _tables(db)
    for name in SHOWN:
        assert not tables[name]["hidden"], name
    for name in ("minhash_bands", "term_df", "story_terms", "story_merges", "meta"):
        assert tables[name]["hidden"], name
    assert tables["articles"]["fts_table"] == "articles_fts"
    page = get(db, f"/{database_name(db)}/events.json?_shape=objects")
    assert page["rows"] and len(page["rows"]) == 4


def test_every_table_is_described_or_hidden():
    """A table a stage adds to the schema fails here until the metadata titles it or hides it."""
    tables = metadata("x.db")["databases"]["x"]["tables"]
    known = set(schema.metadata.tables) | set(schema.summary_metadata.tables)
    for name in known:
        info = tables.get(name)
        assert info is not None, f"{name}: add it to eventwire/data/datasette/metadata.yaml"
        assert info.get("hidden") or (info.get("title") and info.get("description")), name
    assert set(SHOWN) == {n for n, info in tables.items() if not info.get("hidden")}


@pytest.mark.parametrize(("table", "word", "column", "expected"), [
    ("mentions", "shelled", "type", ["ASSAULT"]),
    ("mentions", "marched", "type", ["PROTEST"]),
    ("claims", "Tessit", "speaker", ["the army"]),
])
def test_search_finds_events_and_claims_by_their_words(db, table, word, column, expected):
    rows = get(db, f"/{database_name(db)}/{table}.json?_search={word}&_shape=array", with_metadata=False)
    assert [r[column] for r in rows] == expected


def test_the_command_prints_metadata_for_the_store(db):
    import yaml
    from typer.testing import CliRunner

    from eventwire.cli import app

    result = CliRunner().invoke(app, ["datasette-metadata", "--db", db])
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    assert data["databases"]["wire"]["tables"]["articles"]["fts_table"] == "articles_fts"
