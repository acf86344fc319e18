"""Exports: every format reads back (csv, pyarrow), GDELT's 61 columns, ACLED's columns, filters, codes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire import codes
from eventwire.cli import app
from eventwire.export import TABLES, ExportError, Filters, columns, export
from eventwire.export import acled as acled_fmt
from eventwire.export import gdelt as gdelt_fmt
from eventwire.model import (
    Article,
    Claim,
    Entity,
    Event,
    EventDate,
    Location,
    Participant,
    Quantity,
    Record,
    Span,
    Speaker,
)
from eventwire.store import Store

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
runner = CliRunner()

SHELLING = "Rebels shelled the hill town of Tessit on Friday, killing 12 soldiers, the army said."
FOLLOW_UP = "The United Nations condemned the attack on Tessit, where 14 soldiers were killed."
MARCH = "Thousands of nurses marched through Sikasso on Monday to demand back pay.\tPolice watched."
DENIAL = "Officials said the army did not raid the camp near Gao on Sunday."


def _record(rid: str, text: str, outlet: str, published: str, events: list[Event], ents=()) -> Record:
    return Record(rid, Article(title=f"Report {rid}", outlet=outlet, url=f"https://{outlet.lower()}.example/{rid}",
                               published=published, text=text), list(ents), events)


def build_store(path: str) -> Store:
    """Four self-written reports: one shelling reported twice (12 then 14 dead), an accusation by the UN,
    a march, and a denied raid; then the stories stage merges the two shelling reports."""
    from eventwire import stories

    tessit = Location("Tessit", "MLI", 15.01, 0.93, "city", admin1="Gao Region", admin2="Ansongo Cercle")
    shelled = Event("e1", "ASSAULT", Span(7, 14, SHELLING[7:14]), Span(0, len(SHELLING), SHELLING), cameo="194",
                    actor=Participant("Rebels", None, "MLI", "REB"),
                    recipient=Participant("soldiers", None, "MLI", "MIL"), location=tessit,
                    date=EventDate("2025-01-03", "Friday", "day"),
                    quantities=[Quantity(12, None, "dead", False, "12 soldiers", 64, 75)])
    again = Event("e1", "ASSAULT", Span(38, 44, FOLLOW_UP[38:44]), Span(0, len(FOLLOW_UP), FOLLOW_UP), cameo="194",
                  actor=Participant("rebels", None, "MLI", "REB"),
                  recipient=Participant("soldiers", None, "MLI", "MIL"),
                  location=Location("Tessit", "MLI", 15.01, 0.93, "city", admin1="Gao Region"),
                  date=EventDate("2025-01", "January", "month"),
                  quantities=[Quantity(14, None, "dead", False, "14 soldiers")])
    un = Entity("E1", "United Nations", "ORG", "IGO", "IGO", [Span(4, 18, FOLLOW_UP[4:18])])
    accused = Event("e2", "ACCUSE", Span(19, 28, FOLLOW_UP[19:28]), Span(0, len(FOLLOW_UP), FOLLOW_UP),
                    cameo="112", actor=Participant("The United Nations", "E1", "IGO", "IGO"),
                    recipient=Participant("rebels", None, "MLI", "REB"), date=EventDate("2025-01-04", "", "day"))
    marched = Event("e1", "PROTEST", Span(20, 27, MARCH[20:27]), Span(0, len(MARCH), MARCH), cameo="141",
                    actor=Participant("nurses", None, "MLI", "HLH"),
                    location=Location("Sikasso", "MLI", 11.32, -5.67, "city"),
                    date=EventDate("2025-01-06", "Monday", "day"))
    raid = Event("e1", "ASSAULT", Span(28, 32, DENIAL[28:32]), Span(0, len(DENIAL), DENIAL), cameo="190",
                 negated=True, actor=Participant("army", None, "MLI", "MIL"),
                 date=EventDate("2025-01-05", "Sunday", "day"))
    cue = SHELLING.index("said")
    claim = Claim("c1", Speaker("the army"), Span(cue, cue + 4, "said"), Span(0, 75, SHELLING[:75]), None, "reported")
    store = Store(path)
    first = _record("a", SHELLING, "Harbour", "2025-01-03", [shelled])
    first.claims.append(claim)
    keys = [store.save(first),
            store.save(_record("b", FOLLOW_UP, "Valley", "2025-01-04", [again, accused], [un])),
            store.save(_record("c", MARCH, "Harbour", "2025-01-06", [marched])),
            store.save(_record("d", DENIAL, "Harbour", "2025-01-05", [raid]))]
    stories.update(store, keys)
    return store


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request, tmp_path_factory) -> Store:
    """SQLite always; PostgreSQL when EVENTWIRE_TEST_PG_URL names a scratch database."""
    if request.param == "sqlite":
        return build_store(str(tmp_path_factory.mktemp("export") / "x.db"))
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        pytest.skip("set EVENTWIRE_TEST_PG_URL=postgresql+psycopg://... to test PostgreSQL")
    from eventwire.store.schema import metadata

    metadata.drop_all(Store(url).engine)
    return build_store(url)


def dump(store: Store, table: str, fmt: str, **filters) -> bytes:
    out = io.BytesIO()
    with store.connect() as conn:
        export(conn, table, fmt, out, Filters(**filters))
    return out.getvalue()


def jsonl(store: Store, table: str, **filters) -> list[dict]:
    return [json.loads(line) for line in dump(store, table, "jsonl", **filters).decode().splitlines()]


# -- round trips ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("table", TABLES)
def test_jsonl_has_the_documented_columns_and_no_internal_one(store, table):
    rows = jsonl(store, table)
    assert rows, table
    names = [n for n, _ in columns(table)]
    assert all(list(r) == names for r in rows)
    assert not {"record", "text_hash", "state"} & set(names)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_read_back_as_the_jsonl_rows(store, table, fmt):
    text = dump(store, table, fmt).decode()
    got = list(csv.DictReader(io.StringIO(text), delimiter="\t" if fmt == "tsv" else ","))
    want = jsonl(store, table)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert list(g) == list(w)
        for name, value in w.items():
            if value is None:
                assert g[name] == ""
            elif isinstance(value, bool):
                assert g[name] == str(value).lower()
            elif isinstance(value, list | dict):
                assert json.loads(g[name]) == value
            elif isinstance(value, float):
                assert float(g[name]) == value
            else:
                assert g[name] == str(value), (table, name)


@pytest.mark.parametrize("table", TABLES)
def test_parquet_reads_back_typed(store, table):
    data = pq.read_table(io.BytesIO(dump(store, table, "parquet")))
    want = jsonl(store, table)
    assert data.column_names == [n for n, _ in columns(table)]
    got = data.to_pylist()
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert _norm(g) == _norm(w)


def _norm(value):
    """Numbers as floats (a JSON 12 is a Parquet 12.0), and a struct's unset fields as absent keys."""
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_parquet_columns_are_typed(store):
    schema = pq.read_table(io.BytesIO(dump(store, "events", "parquet"))).schema
    assert schema.field("lat").type == pa.float64()
    assert schema.field("num_sources").type == pa.int64()
    assert schema.field("negated").type == pa.bool_()
    assert schema.field("quad_class").type == pa.int64()
    quantity = schema.field("quantities").type.value_type
    assert quantity.field("value").type == pa.float64() and quantity.field("counts").type == pa.string()


def test_empty_table_still_writes_a_readable_parquet_file(store):
    data = pq.read_table(io.BytesIO(dump(store, "events", "parquet", country="NOR")))
    assert data.num_rows == 0 and data.column_names == [n for n, _ in columns("events")]


# -- what the events export carries --------------------------------------------------------------------------
def test_events_carry_codes_precision_quantities_and_divisions(store):
    [shelling] = [e for e in jsonl(store, "events") if e["cameo"] == "194"]
    assert (shelling["root_code"], shelling["quad_class"], shelling["goldstein"]) == ("19", 4, -10.0)
    assert (shelling["actor_code"], shelling["recipient_code"]) == ("MLIREB", "MLIMIL")
    assert shelling["date_precision"] == "day" and shelling["date"] == "2025-01-03"
    assert {q["value"] for q in shelling["quantities"]} == {12, 14}
    assert shelling["fatalities"] == 12  # the lowest report, as ACLED counts
    assert (shelling["location_admin1"], shelling["location_admin2"]) == ("Gao Region", "Ansongo Cercle")
    assert shelling["num_sources"] == 2 and shelling["outlets"] == ["Harbour", "Valley"]


def test_a_body_of_no_state_has_no_country_but_a_code(store):
    [accused] = [e for e in jsonl(store, "events") if e["type"] == "ACCUSE"]
    assert (accused["actor_country"], accused["actor_org_type"], accused["actor_code"]) == (None, "IGO", "IGOUNO")
    [un] = [e for e in jsonl(store, "entities") if e["name"] == "United Nations"]
    assert (un["country"], un["org_type"], un["code"]) == (None, "IGO", "IGOUNO")
    for table, cols in (("events", ("actor_country", "recipient_country", "location_country")),
                        ("mentions", ("actor_country", "recipient_country", "location_country")),
                        ("entities", ("country",))):
        for row in jsonl(store, table):
            for col in cols:
                assert row[col] is None or (len(row[col]) == 3 and row[col] not in ("IGO", "NGO", "IMG"))


# -- GDELT ----------------------------------------------------------------------------------------------------
def test_gdelt_file_loads_with_gdelts_column_names(store):
    import pyarrow.csv as pacsv

    raw = dump(store, "events", "gdelt")
    table = pacsv.read_csv(io.BytesIO(raw), read_options=pacsv.ReadOptions(column_names=gdelt_fmt.GDELT_NAMES),
                           parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False))
    assert table.num_columns == 61 and table.column_names[0] == "GlobalEventID"
    assert table.column_names[-1] == "SOURCEURL" and table.column_names[56] == "ActionGeo_Lat"
    assert pa.types.is_integer(table.schema.field("GlobalEventID").type)
    assert pa.types.is_floating(table.schema.field("GoldsteinScale").type)
    rows = table.to_pylist()
    assert len(rows) == 3  # the denied raid is no event in GDELT's terms
    shelling = next(r for r in rows if r["EventCode"] == 194)
    assert shelling["EventRootCode"] == 19 and shelling["QuadClass"] == 4 and shelling["GoldsteinScale"] == -10
    assert shelling["Actor1Code"] == "MLIREB" and shelling["Actor2Type1Code"] == "MIL"
    assert shelling["Day"] == 20250103 and shelling["NumSources"] == 2
    assert shelling["ActionGeo_CountryCode"] == "ML"  # GDELT's geography uses FIPS 10-4
    assert shelling["ActionGeo_FullName"] == "Tessit, Gao Region, Mali" and shelling["ActionGeo_Type"] == 4
    accused = next(r for r in rows if r["EventCode"] == 112)
    assert accused["Actor1Code"] == "IGOUNO" and accused["Actor1KnownGroupCode"] == "UNO"
    assert accused["Actor1CountryCode"] in (None, "")  # strings read empty, not null


def test_gdelt_rows_have_61_fields_whatever_the_text(store):
    for line in dump(store, "events", "gdelt").decode().splitlines():
        assert len(line.split("\t")) == 61


@pytest.mark.parametrize("table", ["articles", "mentions", "stories"])
@pytest.mark.parametrize("fmt", ["gdelt", "acled"])
def test_gdelt_and_acled_are_for_events(store, table, fmt):
    with pytest.raises(ExportError):
        dump(store, table, fmt)


# -- ACLED ----------------------------------------------------------------------------------------------------
def test_acled_columns_and_values(store):
    rows = list(csv.DictReader(io.StringIO(dump(store, "events", "acled").decode())))
    assert rows and list(rows[0]) == acled_fmt.ACLED_NAMES
    by_type = {r["sub_event_type"]: r for r in rows}
    assert set(by_type) == {"Shelling/artillery/missile attack", "Peaceful protest"}  # no accusation, no denial
    shelling = by_type["Shelling/artillery/missile attack"]
    assert shelling["event_type"] == "Explosions/Remote violence" and shelling["disorder_type"] == "Political violence"
    assert (shelling["inter1"], shelling["inter2"], shelling["interaction"]) == ("2", "1", "12")
    assert (shelling["admin1"], shelling["admin2"], shelling["location"]) == ("Gao Region", "Ansongo Cercle", "Tessit")
    assert shelling["fatalities"] == "12" and shelling["geo_precision"] == "1" and shelling["iso"] == "466"
    assert shelling["country"] == "Mali" and shelling["source"] == "Harbour; Valley"
    march = by_type["Peaceful protest"]
    assert march["event_type"] == "Protests" and march["inter1"] == "6" and march["interaction"] == "60"
    assert march["fatalities"] == "0" and march["time_precision"] == "1"


@pytest.mark.parametrize(("cameo", "recipient_sector", "event_type", "sub_type"), [
    ("193", "MIL", "Battles", "Armed clash"),
    ("193", "CVL", "Violence against civilians", "Attack"),  # a "battle" against civilians
    ("195", "CVL", "Explosions/Remote violence", "Air/drone strike"),
    ("1831", None, "Explosions/Remote violence", "Suicide bomb"),
    ("1451", None, "Riots", "Violent demonstration"),
    ("173", "OPP", "Strategic developments", "Arrests"),
])
def test_acled_types_follow_the_cameo_code(cameo, recipient_sector, event_type, sub_type):
    ev = {"id": "x", "cameo": cameo, "actor_sector": "MIL", "actor_country": "NGA",
          "recipient_sector": recipient_sector, "recipient_country": "NGA", "location_country": "NGA"}
    row = acled_fmt.row(ev)
    assert row is not None and (row["event_type"], row["sub_event_type"]) == (event_type, sub_type)


def test_acled_state_forces_abroad_are_external():
    ev = {"id": "x", "cameo": "193", "actor_sector": "MIL", "actor_country": "RUS", "recipient_sector": "REB",
          "recipient_country": "SYR", "location_country": "SYR"}
    assert acled_fmt.row(ev)["inter1"] == 8


# -- filters --------------------------------------------------------------------------------------------------
def test_filters(store):
    assert {e["type"] for e in jsonl(store, "events", type="protest")} == {"PROTEST"}
    assert {e["date"] for e in jsonl(store, "events", since="2025-01-05")} == {"2025-01-05", "2025-01-06"}
    assert {e["date"] for e in jsonl(store, "events", until="2025-01-04")} == {"2025-01-03", "2025-01-04"}
    assert jsonl(store, "events", country="NOR") == []
    assert len(jsonl(store, "mentions", country="MLI")) == 5
    assert {a["published"] for a in jsonl(store, "articles", since="2025-01-05")} == {"2025-01-05", "2025-01-06"}
    assert {e["name"] for e in jsonl(store, "entities", type="ORG")} == {"United Nations"}
    assert len(jsonl(store, "claims", since="2030-01-01")) == 0


@pytest.mark.parametrize(("table", "filters"), [("articles", {"type": "ASSAULT"}), ("stories", {"country": "MLI"}),
                                                ("events", {"type": "INVADE"})])
def test_filters_a_table_cannot_take_are_refused(store, table, filters):
    with pytest.raises(ExportError):
        dump(store, table, "jsonl", **filters)


# -- the command ----------------------------------------------------------------------------------------------
def test_command_writes_parquet_to_output_and_csv_to_stdout(store, tmp_path: Path):
    db = store.url.removeprefix("sqlite:///")
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "events", "--db", db, "--format", "parquet", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == len(jsonl(store, "events"))
    result = runner.invoke(app, ["export", "events", "--db", db, "--format", "tsv", "--type", "PROTEST"])
    assert result.exit_code == 0
    assert len(list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))) == 1


@pytest.mark.parametrize("args", [["--format", "xml"], ["--format", "gdelt", "--type", "INVADE"]])
def test_command_refuses_bad_options(store, args):
    db = store.url.removeprefix("sqlite:///")
    assert runner.invoke(app, ["export", "events", "--db", db, *args]).exit_code == 2
    assert runner.invoke(app, ["export", "stories", "--db", db, "--format", "gdelt"]).exit_code == 2


# -- codes ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("root", "quad"), [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3), ("13", 3),
                                            ("14", 4), ("20", 4)])
def test_quad_class_by_root(root, quad):
    assert codes.quad_class(root + "0") == quad


@pytest.mark.parametrize(("cameo", "plover", "weight"), [("190", None, -10.0), ("0871", None, 9.0),
                                                         ("19", None, -10.0), (None, "ASSAULT", -10.0),
                                                         (None, None, None)])
def test_goldstein_takes_the_most_specific_listed_code(cameo, plover, weight):
    assert codes.goldstein(cameo, plover) == weight


@pytest.mark.parametrize(("country", "sector", "names", "code"), [
    ("RUS", "GOV", (), "RUSGOV"),
    ("VEN", "OPP", (), "VENOPP"),
    ("USA", "MIL", (), "USAMIL"),
    ("IGO", "IGO", ("the United Nations",), "IGOUNO"),
    ("IGO", "IGO", ("the UN refugee agency",), "IGOUNOREFHCR"),  # the longest name wins
    ("IGO", "IGO", ("a regional bloc",), "IGO"),
    ("NGO", "NGO", ("Amnesty International",), "NGOHRIAMN"),
    ("NGO", "NGO", ("a local charity",), "NGO"),
    ("IMG", "REB", ("al-Qaeda",), "IMGMOSALQ"),
    (None, "REB", (), "REB"),
    ("SYR", "REL", (), "SYR"),  # a sector that is no CAMEO role adds nothing
    ("XXX", None, (), None),  # no such country
])
def test_actor_codes(country, sector, names, code):
    assert codes.actor_code(country, sector, None, names) == code


def test_who_is_the_health_body_only_in_capitals():
    assert codes.body_code("officials of the WHO") == "IGOUNOHLHWHO"
    assert codes.body_code("those who came") is None


def test_annotate_is_idempotent():
    text = "The European Union imposed sanctions on Belarus."
    ev = Event("e1", "SANCTION", Span(19, 26, text[19:26]), Span(0, len(text), text), cameo="163",
               actor=Participant("The European Union", None, "IGO", "IGO"), recipient=Participant("Belarus", None, "BLR"))
    once = Record("r", Article(text=text), [], [ev]).to_dict()
    twice = codes.annotate(json.loads(json.dumps(once)))
    assert once == twice
    assert once["events"][0]["actor"]["code"] == "IGOEUREEC" and once["events"][0]["quad_class"] == 4


@pytest.mark.parametrize(("cameo", "found"), [("057", ("Strategic developments", "Agreement")),
                                              ("0871", ("Strategic developments", "Agreement")),
                                              ("030", None), ("036", None), ("040", None), ("112", None)])
def test_acled_keeps_concluded_agreements_not_intents_or_talk(cameo, found):
    assert acled_fmt.acled_type(cameo) == found
