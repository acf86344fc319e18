"""The HTTP API over a small hand-made store (no spaCy): filters, errors, downloads, guards, docs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, text, update

from eventwire.serve.app import MAX_BODY_BYTES, create_app
from eventwire.serve.demo import build_demo_store
from eventwire.store import Store, queries
from eventwire.store.queries import fts_query
from eventwire.store.schema import articles, events, mentions, stories

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def local(app, csrf: bool = True) -> TestClient:  # noqa: ANN001
    """A client as the page is one: on 127.0.0.1 (an allowed Host), sending the page's CSRF token."""
    headers = {"X-CSRF-Token": app.state.api.csrf} if csrf else {}
    return TestClient(app, base_url="http://127.0.0.1", headers=headers)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    db = str(tmp_path_factory.mktemp("api") / "demo.db")
    return db, build_demo_store(db)


@pytest.fixture(scope="module")
def client(demo_db: tuple[str, dict]) -> TestClient:
    return local(create_app(demo_db[0]))


def _ids(resp) -> list[str]:  # noqa: ANN001
    assert resp.status_code == 200, resp.text
    return [item["id"] for item in resp.json()["items"]]


# -- lists and filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("", 10),
    ("actor=KEN", 2),
    ("actor=ken", 2),  # codes are case-blind
    ("recipient=SOM", 3),
    ("type=AID", 2),
    ("type=aid&actor=ETH", 2),
    ("since=2026-03-12", 5),
    ("until=2026-03-10", 3),
    ("since=2026-03-11&until=2026-03-11", 2),
    ("certainty=hedged", 1),
    ("certainty=reported", 2),
    ("q=troops", 5),  # FTS: the three articles that speak of troops report 5 events
    ("q=Cusco%20farmers", 2),
    ("q=nonexistentword", 0),
    ("min_sources=1", 10),
    ("min_sources=2", 0),  # no merged events yet: every mention is one source
    ("bbox=35,-5,50,10", 6),  # east Africa: Mandera, Mogadishu, Dolo (the REJECT has no place)
    ("bbox=-72.5,-14,-71.5,-13", 2),  # around Cusco only
    ("bbox=-72.5,-14,-71.5,-13&type=ASSAULT", 1),
    ("bbox=0,0,1,1", 0),
])
def test_event_filters(client: TestClient, query: str, expected: int) -> None:
    resp = client.get(f"/api/events?{query}")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["total"] == expected
    assert len(body["items"]) == expected


def test_filtered_items_match_the_filter(client: TestClient) -> None:
    items = client.get("/api/events?actor=ETH&type=AID").json()["items"]
    assert {(i["actor_country"], i["type"]) for i in items} == {("ETH", "AID")}
    dates = [i["date"] for i in client.get("/api/events?sort=date").json()["items"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize("path", ["/api/map", "/api/timeline", "/api/graph", "/api/articles", "/api/mentions"])
def test_the_map_area_filters_every_view(client: TestClient, path: str) -> None:
    inside = client.get(f"{path}?bbox=-80,-20,-60,0").json()
    everything = client.get(path).json()
    assert inside != everything
    if path == "/api/map":
        assert {p["location"] for p in inside["points"]} == {"Cusco", "Lima"}


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10,0,5,1", "0,10,1,5", "-181,0,0,1", "0,-91,1,0", "nan,0,1,1",
                                  "1,2,3,4,5"])
def test_a_malformed_map_area_is_422(client: TestClient, bbox: str) -> None:
    resp = client.get(f"/api/events?bbox={bbox}")
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["query", "bbox"]


def test_mentions_sort_by_their_events_sources(merged_client: TestClient) -> None:
    items = merged_client.get("/api/mentions?sort=-sources").json()["items"]
    assert [i["event_id"] for i in items[:2]] == ["ev1", "ev1"]  # the two reports of the 2-source event first


def test_pagination_reports_total_and_pages_do_not_overlap(client: TestClient) -> None:
    first = client.get("/api/events?limit=4&offset=0").json()
    second = client.get("/api/events?limit=4&offset=4").json()
    assert first["total"] == second["total"] == 10
    assert len(first["items"]) == len(second["items"]) == 4
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


@pytest.mark.parametrize(("path", "expected"), [
    ("/api/articles", 6),
    ("/api/articles?actor=PER", 2),
    ("/api/articles?q=airspace", 1),
    ("/api/articles?outlet=Horn%20Daily", 2),
    ("/api/articles?since=2026-03-13", 3),
    ("/api/entities?country=SOM", 2),
    ("/api/entities?type=ORG", 3),
    ("/api/entities?q=cus", 1),
    ("/api/claims", 3),
    ("/api/claims?certainty=hedged", 1),
    ("/api/claims?q=Cusco", 1),
    ("/api/mentions?actor=SOM", 2),
    ("/api/stories", 0),
])
def test_other_lists(client: TestClient, path: str, expected: int) -> None:
    resp = client.get(path)
    assert resp.status_code == 200, resp.text
    assert resp.json()["total"] == expected


def test_article_detail_has_text_record_and_events(client: TestClient, demo_db: tuple[str, dict]) -> None:
    key = demo_db[1]["demo-2"]
    art = client.get(f"/api/articles/{key}").json()
    assert art["title"] == "Somalia accuses Kenya over airspace"
    assert art["record"]["schema"] == "eventwire/1"
    assert [e["type"] for e in art["events"]] == ["MOBILIZE", "ACCUSE"]


def test_event_detail_highlights_trigger_actor_recipient_date(client: TestClient) -> None:
    item = client.get("/api/events?type=ACCUSE").json()["items"][0]
    event = client.get(f"/api/events/{item['id']}").json()
    (report,) = event["mentions"]
    marked = {h["kind"]: report["text"][h["start"]:h["end"]] for h in report["highlights"]}
    assert marked == {"trigger": "accused", "actor": "Somalia", "recipient": "Kenya", "date": "on Tuesday"}
    starts = [h["start"] for h in report["highlights"]]
    assert starts == sorted(starts)


def test_event_detail_quantities_are_highlighted(client: TestClient) -> None:
    item = client.get("/api/events?type=AID&certainty=asserted").json()["items"][0]
    report = client.get(f"/api/events/{item['id']}").json()["mentions"][0]
    quantities = [report["text"][h["start"]:h["end"]] for h in report["highlights"] if h["kind"] == "quantity"]
    assert quantities == ["12 trucks"]


# -- aggregates ---------------------------------------------------------------------------------------------


def test_timeline_counts_per_day_and_type(client: TestClient) -> None:
    data = client.get("/api/timeline").json()
    points = {(p["date"], p["type"]): p["count"] for p in data["points"]}
    assert points[("2026-03-09", "MOBILIZE")] == 2
    assert points[("2026-03-12", "PROTEST")] == 1
    assert sum(points.values()) == 10
    assert client.get("/api/timeline?actor=PER").json()["types"] == ["ASSAULT", "CONSULT"]


def test_graph_has_countries_as_nodes_and_counted_edges(client: TestClient) -> None:
    data = client.get("/api/graph").json()
    assert {n["id"] for n in data["nodes"]} == {"KEN", "SOM", "ETH"}
    edges = {(e["source"], e["target"], e["type"]): e["count"] for e in data["edges"]}
    assert edges[("ETH", "SOM", "AID")] == 2
    by_actor = client.get("/api/graph?by=actor").json()
    assert "Somalia" in {n["id"] for n in by_actor["nodes"]}


def test_map_groups_events_by_place(client: TestClient) -> None:
    points = {p["location"]: p["count"] for p in client.get("/api/map").json()["points"]}
    assert points["Dolo"] == 3 and points["Cusco"] == 2
    assert set(client.get("/api/map?actor=PER").json()["points"][0]) >= {"lat", "lon", "count"}


# -- downloads ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/events", "/api/articles", "/api/entities", "/api/claims", "/api/mentions"])
def test_csv_and_jsonl_hold_every_row(client: TestClient, path: str) -> None:
    total = client.get(path).json()["total"]
    as_csv = client.get(f"{path}?format=csv")
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "attachment" in as_csv.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == total
    as_jsonl = client.get(f"{path}?format=jsonl")
    lines = [json.loads(line) for line in as_jsonl.text.splitlines()]
    assert len(lines) == total


def test_download_keeps_filters_and_nested_values(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/events?format=csv&actor=KEN").text)))
    assert {r["actor_country"] for r in rows} == {"KEN"}
    assert json.loads(rows[0]["evidence"])["text"].startswith("Kenya")
    limited = client.get("/api/events?format=jsonl&limit=3").text.splitlines()
    assert len(limited) == 3


# -- errors -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/articles/nope", "/api/events/nope", "/api/events/m999999",
                                  "/api/stories/nope"])
def test_unknown_ids_are_404_with_a_message(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert "nope" in resp.json()["detail"] or "m999999" in resp.json()["detail"]


@pytest.mark.parametrize(("query", "field"), [
    ("actor=RUSSIA", "actor"),
    ("recipient=12", "recipient"),
    ("type=INVADE", "type"),
    ("since=yesterday", "since"),
    ("until=2026-02-30", "until"),
    ("since=2026-03-10&until=2026-03-01", "until"),
    ("certainty=maybe", "certainty"),
    ("min_sources=0", "min_sources"),
    ("limit=501", "limit"),
    ("offset=-1", "offset"),
    ("sort=text", "sort"),
    ("sort=-evidence;drop", "sort"),
    ("format=xml", "format"),
])
def test_bad_filter_values_are_422_naming_the_field(client: TestClient, query: str, field: str) -> None:
    resp = client.get(f"/api/events?{query}")
    assert resp.status_code == 422
    assert field in [d["loc"][-1] for d in resp.json()["detail"]]


def test_bad_sort_in_download_is_422_not_a_broken_stream(client: TestClient) -> None:
    assert client.get("/api/events?format=csv&sort=bogus").status_code == 422


@pytest.mark.parametrize("q", ['"unbalanced', "troops AND", "NEAR(", "a*b:c", "'; DROP TABLE articles; --"])
def test_search_text_cannot_break_the_query(client: TestClient, q: str) -> None:
    resp = client.get("/api/events", params={"q": q})
    assert resp.status_code == 200
    assert client.get("/api/articles").json()["total"] == 6


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('troops" OR 1') == '"troops" "OR" "1"'
    assert fts_query("  ;; ") is None


# -- security -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/events", "/docs", "/static/app.js", "/api/events/nope"])
def test_security_headers(client: TestClient, path: str) -> None:
    resp = client.get(path)
    csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert resp.headers["x-content-type-options"] == "nosniff"


def test_page_has_no_inline_script_or_foreign_source(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert "http://" not in html and "https://" not in html
    for script in ("/static/app.js", "/static/docs.js"):  # DOM from data only through textContent
        code = client.get(script).text
        assert re.search(r"\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write|eval\(", code) is None


def test_write_endpoints_on_loopback_need_no_bearer_token(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    keys = build_demo_store(db)
    c = local(create_app(db))
    assert ("2026-03-14", "CONSULT") in {(p["date"], p["type"]) for p in c.get("/api/timeline").json()["points"]}
    assert c.delete(f"/api/articles/{keys['demo-6']}").status_code == 200
    # the cached aggregates notice the change
    assert ("2026-03-14", "CONSULT") not in {(p["date"], p["type"]) for p in c.get("/api/timeline").json()["points"]}
    assert c.get(f"/api/articles/{keys['demo-6']}").status_code == 404
    assert c.get("/api/articles?q=talks").json()["total"] == 0  # gone from the full-text index too
    assert c.get("/api/events?actor=PER").json()["total"] == 1
    assert c.delete(f"/api/articles/{keys['demo-6']}").status_code == 404


def test_write_endpoints_elsewhere_need_the_token(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    keys = build_demo_store(db)
    open_wide = local(create_app(db, host="0.0.0.0"))
    assert open_wide.delete(f"/api/articles/{keys['demo-1']}").status_code == 403
    assert open_wide.post("/api/ingest", data={"text": "x y z w"}).status_code == 403
    assert open_wide.get("/api/events").status_code == 200  # reading stays open
    guarded = local(create_app(db, token="s3cret", host="0.0.0.0"))
    url = f"/api/articles/{keys['demo-1']}"
    assert guarded.delete(url).status_code == 401
    assert guarded.delete(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.delete(url, headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_request_body_over_limit_is_413(client: TestClient) -> None:
    resp = client.post("/api/ingest", files={"files": ("big.txt", b"a " * (MAX_BODY_BYTES // 2 + 10))})
    assert resp.status_code == 413
    assert "limit" in resp.json()["detail"]


def test_chunked_body_over_limit_is_413_and_stores_nothing(client: TestClient) -> None:
    """No Content-Length to refuse by: the limit counts the body as it arrives."""
    def chunks():  # noqa: ANN202
        yield b"--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(MAX_BODY_BYTES // (1024 * 1024) + 2):
            yield b"a " * (512 * 1024)
        yield b"\r\n--x--\r\n"

    resp = client.post("/api/ingest", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
    assert resp.status_code == 413
    assert client.get("/api/articles").json()["total"] == 6


def test_ingest_without_input_is_422(client: TestClient) -> None:
    resp = client.post("/api/ingest", data={"text": "   "})
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"][-1] == "text"


@pytest.mark.slow
def test_upload_that_is_not_an_article_is_refused_and_nothing_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    build_demo_store(db)
    c = local(create_app(db))
    resp = c.post("/api/ingest", files=[("files", ("blob.txt", b"\x00\x01\x02\x03" * 100)),
                                        ("files", ("empty.txt", b"  \n "))])
    assert resp.status_code == 422
    reasons = [r["error"] for r in resp.json()["results"]]
    assert len(reasons) == 2 and "binary" in reasons[0] and "empty" in reasons[1]
    assert c.get("/api/articles").json()["total"] == 6


# -- merged events (after the stories stage) ----------------------------------------------------------------


@pytest.fixture
def merged_client(tmp_path: Path) -> TestClient:
    """The demo store plus one story and one merged event built by hand, as the stories stage would."""
    db = str(tmp_path / "m.db")
    keys = build_demo_store(db)
    store = Store(db)
    with store.engine.begin() as conn:
        conn.execute(insert(stories).values(id="s1", title="Kenya troops at Mandera", first_seen="2026-03-10",
                                            last_seen="2026-03-11", num_articles=2, num_sources=2))
        conn.execute(insert(events).values(
            id="ev1", story_id="s1", type="MOBILIZE", actor_country="KEN", actor_name="Kenya", date="2026-03-09",
            location_text="Mandera", location_country="KEN", lat=3.94, lon=41.86, num_mentions=2,
            num_articles=2, num_sources=2, certainty="asserted", corroboration="corroborated"))
        conn.execute(insert(events).values(id="ev2", story_id=None, type="PROTEST", recipient_country="PER",
                                           date="2026-03-12", num_mentions=1, num_articles=1, num_sources=1))
        for rid in ("demo-1", "demo-2"):
            conn.execute(update(articles).where(articles.c.key == keys[rid]).values(story_id="s1"))
            conn.execute(update(mentions).where(mentions.c.article_key == keys[rid], mentions.c.type == "MOBILIZE")
                         .values(event_id="ev1"))
    return local(create_app(db))


def test_merged_events_replace_mentions_in_lists(merged_client: TestClient) -> None:
    assert _ids(merged_client.get("/api/events")) == ["ev2", "ev1"]
    assert _ids(merged_client.get("/api/events?min_sources=2")) == ["ev1"]
    assert _ids(merged_client.get("/api/events?story=s1")) == ["ev1"]
    assert _ids(merged_client.get("/api/events?q=Mandera")) == ["ev1"]
    assert merged_client.get("/api/mentions?min_sources=2").json()["total"] == 2
    assert merged_client.get("/api/timeline").json()["source"] == "events"


def test_merged_event_detail_lists_every_report(merged_client: TestClient) -> None:
    event = merged_client.get("/api/events/ev1").json()
    assert event["num_sources"] == 2
    assert [m["outlet"] for m in event["mentions"]] == ["Rift Courier", "Horn Daily"]
    assert all(any(h["kind"] == "trigger" for h in m["highlights"]) for m in event["mentions"])
    mention = merged_client.get(f"/api/events/{event['mentions'][1]['id']}").json()
    assert len(mention["mentions"]) == 2  # a mention shows its event's other reports


def test_story_detail(merged_client: TestClient) -> None:
    story = merged_client.get("/api/stories/s1").json()
    assert story["num_sources"] == 2
    assert len(story["articles"]) == 2 and [e["id"] for e in story["events"]] == ["ev1"]
    assert merged_client.get("/api/stories?min_sources=2").json()["total"] == 1


# -- documentation ------------------------------------------------------------------------------------------


def _app_routes(client: TestClient) -> set[str]:
    return {f"{method} {route.path}" for route in client.app.routes if isinstance(route, APIRoute)
            and route.include_in_schema for method in route.methods if method != "HEAD"}


def test_every_route_is_documented_and_every_documented_route_exists(client: TestClient) -> None:
    documented = set(re.findall(r"^### `(GET|POST|DELETE|PUT|PATCH) (/\S*)`", API_DOC.read_text(), re.M))
    documented_routes = {f"{m} {p}" for m, p in documented}
    routes = _app_routes(client)
    assert routes - documented_routes == set(), "routes missing from docs/api.md"
    assert documented_routes - routes == set(), "docs/api.md documents routes the app does not have"


def test_openapi_lists_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/timeline", "/api/ingest"} <= set(spec["paths"])


# -- query plans chosen by size (sparse and broad searches, few and many events) give the same answers ----------


def _listing(c: TestClient, path: str) -> tuple[int, bool, list[str]]:
    body = c.get(path).json()
    return body["total"], body["total_is_estimate"], [i.get("id", i.get("key")) for i in body["items"]]


@pytest.mark.parametrize("path", [
    "/api/events?q=troops", "/api/events?q=troops&sort=date", "/api/events?q=troops&limit=2&offset=1",
    "/api/events?q=troops&actor=KEN", "/api/events?q=troops&offset=40", "/api/mentions?q=Cusco%20farmers",
    "/api/events?q=nonexistentword",
])
def test_sparse_and_broad_search_plans_agree(client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    sparse = _listing(client, path)
    monkeypatch.setattr(queries, "DENSE_ARTICLES", 0)  # every search now counts as broad
    assert _listing(client, path) == sparse


@pytest.mark.parametrize("path", ["/api/events?q=Mandera", "/api/events?q=Mandera&sort=-sources",
                                  "/api/events?q=troops&story=s1"])
def test_search_lists_a_merged_event_once(merged_client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                          path: str) -> None:
    sparse = _listing(merged_client, path)
    assert sparse[0] == len(sparse[2]) == len(set(sparse[2])) == 1
    monkeypatch.setattr(queries, "DENSE_ARTICLES", 0)
    assert _listing(merged_client, path) == sparse


def test_broad_search_count_stops_at_the_cap(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "DENSE_ARTICLES", 0)
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    total, estimate, ids = _listing(client, "/api/events?q=troops")
    assert (total, estimate, len(ids)) == (3, True, 5)  # the page itself is whole
    assert _listing(client, "/api/events?q=Cusco%20farmers")[:2] == (2, False)
    assert _listing(client, "/api/events?actor=KEN")[:2] == (2, False)  # only searches are capped


@pytest.mark.parametrize("path", ["/api/articles?actor=PER", "/api/articles?recipient=SOM&sort=title",
                                  "/api/articles?type=AID&certainty=asserted", "/api/articles?actor=KEN&since=2026-03-11",
                                  "/api/articles?actor=ZZZ"])
def test_article_event_filter_plans_agree(client: TestClient, monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    few = _listing(client, path)
    monkeypatch.setattr(queries, "DENSE_MENTIONS", 0)  # every event filter now counts as matching many
    assert _listing(client, path) == few


def test_server_adds_missing_read_indexes_with_statistics(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    build_demo_store(db)
    store = Store(db)
    with store.engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_read_mentions_pair"))
        conn.execute(text("ANALYZE"))
    create_app(db)
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'ix_read_mentions_pair'")).first()
        assert conn.execute(text("SELECT 1 FROM sqlite_stat1 WHERE idx = 'ix_read_mentions_pair'")).first()


def test_data_version_changes_when_an_article_is_linked(tmp_path: Path) -> None:
    db = str(tmp_path / "v.db")
    keys = build_demo_store(db)
    store = Store(db)
    with store.connect() as conn:
        before = queries.data_version(conn)
    with store.engine.begin() as conn:  # the story first: articles.story_id may be a foreign key
        conn.execute(insert(stories).values(id="s9", title="t", num_articles=1, num_sources=1))
        conn.execute(update(articles).where(articles.c.key == keys["demo-1"]).values(story_id="s9"))
    with store.connect() as conn:
        assert queries.data_version(conn) != before


# -- summaries kept by triggers answer as the tables they summarise --------------------------------------------


def _aggregates(c: TestClient) -> list[dict]:
    paths = ["/api/facets", "/api/graph", "/api/graph?type=MOBILIZE", "/api/graph?actor=KEN", "/api/timeline",
             "/api/timeline?type=AID&since=2026-03-10", "/api/map", "/api/map?type=MOBILIZE"]
    out = []
    for path in paths:
        c.app.state.api.cache.items.clear()
        resp = c.get(path)
        assert resp.status_code == 200, resp.text
        out.append(resp.json())
    return out


def test_summaries_follow_every_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "s.db")
    keys = build_demo_store(db)
    c = local(create_app(db))  # creates and fills the summaries
    store = Store(db)
    with store.connect() as conn:
        assert queries.summaries_ready(conn)
    # writes after the server started: a delete, merged events inserted, linked and revised
    assert c.delete(f"/api/articles/{keys['demo-6']}").status_code == 200
    with store.engine.begin() as conn:
        conn.execute(insert(events).values(id="ev1", type="MOBILIZE", actor_country="KEN", recipient_country="SOM",
                                           date="2026-03-09", lat=3.94, lon=41.86, location_text="Mandera"))
        conn.execute(insert(events).values(id="ev2", type="AID", actor_country="ETH", date="2026-03"))
        conn.execute(update(events).where(events.c.id == "ev1").values(date="2026-03-10", location_text=None))
        conn.execute(update(mentions).where(mentions.c.type == "MOBILIZE").values(event_id="ev1"))
    kept = _aggregates(c)
    assert kept[0]["source"] == "events" and kept[0]["type"]
    monkeypatch.setattr(queries, "summaries_ready", lambda conn: False)  # read the tables themselves
    assert _aggregates(c) == kept
    with store.engine.begin() as conn:
        conn.execute(update(mentions).values(event_id=None))  # mentions.event_id may be a foreign key
        conn.execute(events.delete())
    monkeypatch.undo()
    mentions_kept = _aggregates(c)
    assert mentions_kept[0]["source"] == "mentions" and mentions_kept[1]["edges"]
    monkeypatch.setattr(queries, "summaries_ready", lambda conn: False)
    assert _aggregates(c) == mentions_kept


# -- more of the points, list by list -----------------------------------------------------------------


@pytest.mark.parametrize(("path", "field"), [
    ("/api/articles?type=INVADE", "type"),
    ("/api/articles?since=2026-13-01", "since"),
    ("/api/entities?country=XX", "country"),
    ("/api/entities?type=1;DROP", "type"),
    ("/api/claims?certainty=sure", "certainty"),
    ("/api/claims?until=soon", "until"),
    ("/api/stories?min_sources=-2", "min_sources"),
    ("/api/stories?limit=0", "limit"),
    ("/api/mentions?actor=R", "actor"),
    ("/api/timeline?type=WAR", "type"),
    ("/api/graph?by=sector", "by"),
    ("/api/graph?max_edges=5000", "max_edges"),
    ("/api/map?since=2026/03/01", "since"),
])
def test_bad_values_on_every_list_and_aggregate_are_422_naming_the_field(client: TestClient, path: str,
                                                                          field: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 422, resp.text
    assert field in [d["loc"][-1] for d in resp.json()["detail"]]


def test_ingest_with_a_bad_publication_date_is_422_naming_the_form_field(client: TestClient) -> None:
    resp = client.post("/api/ingest", data={"text": "Kenya deployed troops.", "published": "2026-03-10garbage"})
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "published"]
    assert client.get("/api/articles").json()["total"] == 6  # nothing stored


@pytest.mark.parametrize(("path", "expected"), [
    ("/api/articles?story=s1", 2),
    ("/api/articles?story=s1&q=Somalia", 1),
    ("/api/entities?story=s1", 4),  # Kenya, Mandera, Kenyan defence ministry, Somalia: one row per name
    ("/api/claims?since=2026-03-12", 2),
    ("/api/claims?story=s1", 1),
    ("/api/stories?q=Mandera", 1),
    ("/api/stories?since=2026-03-12", 0),
    ("/api/mentions?story=s1", 3),
])
def test_filters_on_every_list_after_the_stories_stage(merged_client: TestClient, path: str, expected: int) -> None:
    resp = merged_client.get(path)
    assert resp.status_code == 200, resp.text
    assert resp.json()["total"] == expected


def test_stories_download_as_csv_and_jsonl(merged_client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(merged_client.get("/api/stories?format=csv").text)))
    assert [r["id"] for r in rows] == ["s1"]
    lines = merged_client.get("/api/stories?format=jsonl").text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["s1"]


def test_docs_page_is_served_offline_from_the_openapi_schema(client: TestClient) -> None:
    html = client.get("/docs")
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    assert "/static/docs.js" in html.text and "https://" not in html.text
    assert "fetch(\"/openapi.json\")" in client.get("/static/docs.js").text.replace("'", '"')


@pytest.mark.parametrize("params", [
    {"story": "s1' OR '1'='1"}, {"outlet": "x' OR 1=1 --"}, {"q": "%"}, {"sort": "date; DROP TABLE events"},
])
def test_injection_through_any_text_filter_matches_nothing(client: TestClient, params: dict) -> None:
    path = "/api/entities" if params.get("q") == "%" else "/api/articles"
    resp = client.get(path, params=params)
    assert resp.status_code in (200, 422)
    if resp.status_code == 200:
        assert resp.json()["total"] == 0
    assert client.get("/api/articles").json()["total"] == 6


# Formatted SQL in the query layer may only interpolate names that come from the schema, never a value.
SAFE_SQL_NAMES = {"index.name", "name", "table.name", "newest"}


def test_query_layer_builds_sql_only_from_bound_parameters() -> None:
    import ast
    import inspect as pyinspect

    tree = ast.parse(pyinspect.getsource(queries))
    unsafe = []
    for call in ast.walk(tree):
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) in {"text", "literal_column"}):
            continue
        for arg in call.args:
            for node in ast.walk(arg):
                if isinstance(node, ast.FormattedValue) and ast.unparse(node.value) not in SAFE_SQL_NAMES:
                    unsafe.append(ast.unparse(call))
                if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
                    unsafe.append(ast.unparse(call))
            if isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "format":
                unsafe.append(ast.unparse(call))
    assert unsafe == []


def test_server_listens_on_loopback_by_default() -> None:
    import inspect as pyinspect

    from eventwire import cli
    from eventwire.serve import app as app_module

    assert pyinspect.signature(app_module.serve).parameters["host"].default == "127.0.0.1"
    assert pyinspect.signature(app_module.create_app).parameters["host"].default == "127.0.0.1"
    assert pyinspect.signature(cli.serve).parameters["host"].default == "127.0.0.1"


def test_cli_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from eventwire.cli import app as cli_app

    build_demo_store(str(tmp_path / "x.db"))  # a store that exists: a missing one is refused before the host
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"],
                                env={"EVENTWIRE_TOKEN": ""})
    assert result.exit_code == 2
    assert "token" in result.output.lower()


@pytest.fixture
def every_mention_merged(tmp_path: Path) -> TestClient:
    """The demo store with one merged event per mention (1 or 2 sources), so aggregates read events."""
    db = str(tmp_path / "e.db")
    build_demo_store(db)
    with Store(db).engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO events (id, type, actor_country, actor_name, recipient_country, recipient_name, date, "
            "location_text, location_country, lat, lon, num_mentions, num_articles, num_sources, certainty) "
            "SELECT 'x' || id, type, actor_country, actor_text, recipient_country, recipient_text, date, "
            "location_text, location_country, lat, lon, 1, 1, 1 + id % 2, certainty FROM mentions"))
        conn.execute(text("UPDATE mentions SET event_id = 'x' || id"))  # each mention reports its event
    return local(create_app(db))


@pytest.mark.parametrize(("path", "key"), [
    ("/api/graph?since=2026-03-10", "edges"), ("/api/graph?certainty=asserted&by=actor", "edges"),
    ("/api/map?min_sources=2", "points"), ("/api/map?since=2026-03-01&until=2026-03-31&type=MOBILIZE", "points"),
    ("/api/timeline?certainty=asserted", "points"), ("/api/timeline?min_sources=1&since=2026-03-11", "points"),
])
def test_aggregates_read_through_covering_indexes_answer_as_the_planner_would(
        every_mention_merged: TestClient, monkeypatch: pytest.MonkeyPatch, path: str, key: str) -> None:
    c = every_mention_merged
    with c.app.state.api.store.connect() as conn:
        assert queries._scan_covering(conn, queries.Filters(certainty="asserted"))
        assert not queries._scan_covering(conn, queries.Filters(actor="KEN"))
    scanned = c.get(path).json()
    assert scanned["source"] == "events" and scanned[key], "the case must hold something to compare"
    c.app.state.api.cache.items.clear()
    monkeypatch.setattr(queries, "_scan_covering", lambda conn, f: False)
    assert c.get(path).json() == scanned


def _entity_pages(c: TestClient) -> list[dict]:
    paths = ["/api/entities?limit=500", "/api/entities?sort=mentions", "/api/entities?type=GPE&sort=name",
             "/api/entities?country=KEN", "/api/entities?limit=2&offset=1", "/api/entities?q=ken"]
    return [c.get(p).json() for p in paths]


def test_entity_summary_follows_every_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire.serve.demo import make_record

    db = str(tmp_path / "ent.db")
    keys = build_demo_store(db)
    c = local(create_app(db))  # creates and fills the summary
    store = Store(db)
    # written after: an article naming Kenya twice (two entity rows, one article), a delete, an update
    twice = make_record("twice", "Kenya and Kenya's army moved to Wajir on Monday.", title="t", outlet="o",
                        published="2026-03-18", entities=[("Kenya", "GPE", "KEN", None), ("Kenya", "GPE", "KEN", None)])
    store.save(twice, "test:twice")
    assert c.delete(f"/api/articles/{keys['demo-5']}").status_code == 200
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE entities SET num_mentions = num_mentions + 3 WHERE name = 'Somalia'"))
        conn.execute(text("UPDATE entities SET country = 'ETH' WHERE name = 'Dolo'"))
    with store.connect() as conn:
        assert queries.entity_summary_ready(conn)
    summarised = _entity_pages(c)
    kenya = next(e for e in summarised[0]["items"] if e["name"] == "Kenya")
    assert kenya["num_articles"] == 3  # demo-1, demo-2 and 'twice' counted once
    monkeypatch.setattr(queries, "entity_summary_ready", lambda conn: False)  # group the rows themselves
    assert _entity_pages(c) == summarised


@pytest.mark.parametrize("store", ["client", "merged_client", "every_mention_merged"])
@pytest.mark.parametrize("path", [
    "/api/timeline?q=troops", "/api/map?q=troops", "/api/graph?q=troops", "/api/graph?q=troops&by=actor",
    "/api/timeline?q=Mandera", "/api/map?q=Mandera&since=2026-03-01", "/api/timeline?q=troops&actor=KEN",
    "/api/graph?q=troops&certainty=asserted", "/api/timeline?q=nonexistentword",
])
def test_search_aggregates_joined_from_the_hits_answer_as_nested_lists(
        request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, store: str, path: str) -> None:
    c = request.getfixturevalue(store)
    joined = c.get(path).json()
    c.app.state.api.cache.items.clear()
    monkeypatch.setattr(queries, "_searched_source", lambda conn, f, name: None)  # events.id IN (... IN hits)
    assert c.get(path).json() == joined


def test_search_aggregates_count_a_merged_event_reported_twice_once(merged_client: TestClient) -> None:
    with merged_client.app.state.api.store.connect() as conn:  # the case needs ev1 reported by two hit articles
        assert len(set(conn.execute(text(
            "SELECT m.article_key FROM mentions m JOIN articles a ON a.key = m.article_key "
            "JOIN articles_fts f ON f.rowid = a.rowid WHERE m.event_id = 'ev1' AND articles_fts MATCH 'Mandera'"
        )).scalars())) == 2
    points = merged_client.get("/api/timeline?q=Mandera").json()["points"]
    assert points == [{"date": "2026-03-09", "type": "MOBILIZE", "count": 1}]
    edges = merged_client.get("/api/map?q=Mandera").json()["points"]
    assert [p["count"] for p in edges] == [1]


@pytest.mark.parametrize("path", ["/api/timeline", "/api/timeline?certainty=asserted", "/api/timeline?actor=KEN",
                                  "/api/timeline?q=troops"])
def test_timeline_counts_undated_events_apart(every_mention_merged: TestClient, path: str) -> None:
    c = every_mention_merged
    with c.app.state.api.store.engine.begin() as conn:  # x2: KEN, asserted, troops; x3: SOM, asserted, troops
        conn.execute(text("UPDATE events SET date = NULL WHERE id = 'x2'"))
        conn.execute(text("UPDATE events SET date = '2026-03' WHERE id = 'x3'"))
    body = c.get(path).json()
    c.app.state.api.cache.items.clear()
    with c.app.state.api.store.connect() as conn:
        f = queries.Filters(**{k: v for k, v in (p.split("=") for p in path.partition("?")[2].split("&") if p)})
        rows = conn.execute(select(events.c.date).where(*queries.event_conds(conn, f))).scalars().all()
    assert body["not_by_day"] == sum(1 for d in rows if d is None or len(d) < 10) > 0
    assert sum(p["count"] for p in body["points"]) == sum(1 for d in rows if d and len(d) >= 10)


def test_graph_has_one_node_per_organisation(tmp_path: Path) -> None:
    """The UN, the EU and the IMF are three nodes, by name, never one "IGO" node (old or new ways of storing them)."""
    from eventwire.serve.demo import EventSpec, make_record

    def org(rid: str, text: str, body: str, country: str | None, etype: str, trigger: str, target: tuple) -> object:
        return make_record(rid, text, title=text[:30], outlet="Org Desk", published="2026-04-02",
                           entities=[(body, "ORG", country, "IGO"), target],
                           events=[EventSpec(etype, trigger, body, target[0], "2026-04-01")])

    db = str(tmp_path / "o.db")
    build_demo_store(db, extra=[
        org("o1", "The United Nations urged Kenya on Wednesday to open the border.", "United Nations", "IGO",
            "REQUEST", "urged", ("Kenya", "GPE", "KEN", None)),
        org("o2", "The European Union sanctioned Somalia's port authority on Wednesday.", "European Union", None,
            "SANCTION", "sanctioned", ("Somalia", "GPE", "SOM", None)),
        org("o3", "The IMF lent Ethiopia two billion dollars on Wednesday.", "IMF", "IGO", "AID", "lent",
            ("Ethiopia", "GPE", "ETH", None)),
    ])
    graph = local(create_app(db)).get("/api/graph").json()
    nodes = {n["id"]: n["kind"] for n in graph["nodes"]}
    assert "IGO" not in nodes
    assert {k for k, v in nodes.items() if v == "organisation"} == {"United Nations", "European Union", "IMF"}
    assert {(e["source"], e["target"]) for e in graph["edges"]} >= {
        ("United Nations", "KEN"), ("European Union", "SOM"), ("IMF", "ETH"), ("SOM", "KEN")}


def test_the_vendored_map_files_are_those_listed_with_their_licences(client: TestClient) -> None:
    """static/vendor/ holds what tools/vendor-map.mjs copied from npm, unedited, each package with its licence."""
    import hashlib

    vendor = Path(__file__).resolve().parents[1] / "eventwire" / "serve" / "static" / "vendor"
    rows = [line.split("|")[1:-1] for line in (vendor / "VENDORED.md").read_text().splitlines()
            if line.startswith("| ") and not line.startswith("| package") and "---" not in line]
    assert {r[0].strip() for r in rows} == {"leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"}
    for _pkg, _version, _licence, file, sha in (map(str.strip, r) for r in rows):
        assert hashlib.sha256((vendor / file).read_bytes()).hexdigest().startswith(sha), file
    for pkg in {r[0].strip() for r in rows}:
        assert any("LICEN" in p.name.upper() for p in (vendor / pkg).iterdir()), pkg
    page = client.get("/").text
    for src in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert src.startswith("/"), src  # nothing from another origin
        if src.startswith("/static/"):
            assert client.get(src).status_code == 200, src


@pytest.fixture
def french_client(tmp_path: Path) -> TestClient:
    """The demo store with one article marked as French, as the pipeline stores an article it cannot code."""
    db = str(tmp_path / "fr.db")
    keys = build_demo_store(db)
    with Store(db).engine.begin() as conn:
        conn.execute(update(articles).where(articles.c.key == keys["demo-1"]).values(language="fr"))
    return local(create_app(db)), keys["demo-1"]


def test_articles_in_other_languages_are_listed_and_filtered(french_client) -> None:  # noqa: ANN001
    c, french = french_client
    for query in ("coded=false", "language=fr", "coded=false&language=fr"):
        resp = c.get(f"/api/articles?{query}")
        assert resp.status_code == 200, resp.text
        assert [a["key"] for a in resp.json()["items"]] == [french], query
        assert resp.json()["items"][0]["language"] == "fr"
    coded = c.get("/api/articles?coded=true&limit=100").json()
    assert french not in [a["key"] for a in coded["items"]] and coded["total"] >= 1
    assert c.get("/api/articles?language=de").json()["total"] == 0
    assert {"value": "fr", "count": 1} in c.get("/api/facets").json()["language"]


@pytest.mark.parametrize("query", ["language=French", "language=f", "language=fr%27--", "coded=perhaps"])
def test_bad_language_filters_are_422(french_client, query) -> None:  # noqa: ANN001
    c, _ = french_client
    assert c.get(f"/api/articles?{query}").status_code == 422


@pytest.mark.slow
def test_an_uploaded_archive_reports_units_without_an_article_as_skipped_not_failed(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    url = "https://harbourgazette.example/2026/03/ferry"
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    html = (b"<html><head><title>Ferry strike halts island crossings</title></head><body><article><p>Ferry "
            b"crews walked off the job on Monday, halting crossings to the islands for a second day, the union "
            b"said. Talks with the operator are due to resume on Thursday.</p></article></body></html>")
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers))
    db = str(tmp_path / "w.db")
    build_demo_store(db)
    c = local(create_app(db))
    resp = c.post("/api/ingest", files=[("files", ("crawl.warc.gz", buf.getvalue()))])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [r["status"] for r in body["results"]] == ["skipped", "stored"]
    assert body["failed"] == 0 and body["skipped"] == 1 and "request" in body["results"][0]["reason"].lower()
