"""Web security and API robustness (issue 14, part 8): Host allow-list, cross-site writes, CSRF token,
parameters validated into range (never a 500), and counts kept right by a delete.

Hostile markup running no script is checked in a browser by tests/test_page.py; SQL built from bound
parameters only by tests/test_api.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eventwire.serve.app import create_app
from eventwire.serve.demo import build_demo_store
from eventwire.store import Store
from eventwire.store.schema import events, stories

LISTS = ["/api/events", "/api/mentions", "/api/articles", "/api/entities", "/api/claims", "/api/stories"]
AGGREGATES = ["/api/timeline", "/api/graph", "/api/map"]
SITE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict]:
    db = str(tmp_path_factory.mktemp("sec") / "demo.db")
    return db, build_demo_store(db)


@pytest.fixture(scope="module")
def app(demo: tuple[str, dict]):  # noqa: ANN201
    return create_app(demo[0])


@pytest.fixture(scope="module")
def client(app) -> TestClient:  # noqa: ANN001
    return TestClient(app, base_url=SITE, raise_server_exceptions=False)


def _articles(client: TestClient) -> int:
    return client.get("/api/articles").json()["total"]


# -- Host allow-list (DNS rebinding) ---------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "attacker.test:80", ""])
@pytest.mark.parametrize("path", ["/", "/api/events", "/api/csrf", "/static/app.js"])
def test_a_host_not_served_is_refused(client: TestClient, host: str, path: str) -> None:
    resp = client.get(path, headers={"host": host})
    assert resp.status_code == 400, resp.text
    assert "host" in resp.json()["detail"]
    assert "eventwire-csrf" not in resp.text  # a rebound page never sees the token
    assert len(resp.headers.get_list("content-security-policy")) == 1  # refusals carry the headers, once


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost:8765", "LOCALHOST", "[::1]:8000"])
def test_the_address_served_and_its_loopback_aliases_are_allowed(client: TestClient, host: str) -> None:
    assert client.get("/api/events", headers={"host": host}).status_code == 200


def test_listening_everywhere_allows_ip_literals_and_named_extra_hosts(demo: tuple[str, dict]) -> None:
    c = TestClient(create_app(demo[0], token="t", host="0.0.0.0", allow_hosts=["events.lan"]), base_url=SITE)
    assert c.get("/api/events", headers={"host": "192.168.1.20:8000"}).status_code == 200
    assert c.get("/api/events", headers={"host": "events.lan:8000"}).status_code == 200
    assert c.get("/api/events", headers={"host": "rebind.evil.example:8000"}).status_code == 400
    named = TestClient(create_app(demo[0], host="events.lan"), base_url="http://events.lan")
    assert named.get("/api/events").status_code == 200
    assert named.get("/api/events", headers={"host": "other.lan"}).status_code == 400


# -- cross-site requests and the CSRF token -----------------------------------------------------------------


def test_cross_origin_form_post_is_refused_and_stores_nothing(client: TestClient, app) -> None:  # noqa: ANN001
    """What a page on another site sends when it auto-submits a form to the default server."""
    before = _articles(client)
    forged = {"origin": "http://evil.example", "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate",
              "content-type": "application/x-www-form-urlencoded"}
    resp = client.post("/api/ingest", content=b"text=Kenya+deployed+troops+to+Mandera+on+Monday.", headers=forged)
    assert resp.status_code == 403
    assert "cross-site" in resp.json()["detail"]
    # even with the right token (which another site cannot read) a cross-site request is refused
    resp = client.post("/api/ingest", data={"text": "x"}, headers={**forged, "x-csrf-token": app.state.api.csrf})
    assert resp.status_code == 403
    assert _articles(client) == before


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # a sibling name on the same site is another origin
    {"origin": "http://evil.example"},
    {"origin": "null"},  # sandboxed frames and data: URLs
    {"origin": "http://127.0.0.1:9999"},  # another port is another origin
    {"origin": "https://127.0.0.1"},
])
def test_writes_marked_as_from_another_origin_are_refused(client: TestClient, app, demo, headers) -> None:  # noqa: ANN001
    token = {"x-csrf-token": app.state.api.csrf}
    key = demo[1]["demo-3"]
    assert client.delete(f"/api/articles/{key}", headers={**token, **headers}).status_code == 403
    assert client.post("/api/ingest", data={"text": " "}, headers={**token, **headers}).status_code == 403
    assert client.get(f"/api/articles/{key}").status_code == 200  # still there
    assert client.get("/api/events", headers=headers).status_code == 200  # reading is not a write


@pytest.mark.parametrize("token", [None, "", "wrong", "x" * 43])
def test_a_write_without_the_page_token_is_refused(client: TestClient, demo, token: str | None) -> None:  # noqa: ANN001
    """An old browser sends no Origin or Sec-Fetch-Site: the token still stops a forged form."""
    headers = {} if token is None else {"x-csrf-token": token}
    key = demo[1]["demo-3"]
    resp = client.delete(f"/api/articles/{key}", headers=headers)
    assert resp.status_code == 403
    assert "X-CSRF-Token" in resp.json()["detail"]
    assert client.post("/api/ingest", data={"text": "Kenya deployed troops."}, headers=headers).status_code == 403
    assert client.get(f"/api/articles/{key}").status_code == 200


def test_the_page_carries_the_token_that_writes_need(client: TestClient) -> None:
    page = client.get("/")
    assert page.headers["cache-control"] == "no-store"
    (token,) = re.findall(r'<meta name="eventwire-csrf" content="([^"]+)">', page.text)
    assert len(token) >= 32
    assert client.get("/api/csrf").json() == {"header": "X-CSRF-Token", "token": token}
    js = client.get("/static/app.js").text
    assert 'meta[name="eventwire-csrf"]' in js and '"X-CSRF-Token"' in js  # the page's upload sends it
    same_origin = {"x-csrf-token": token, "origin": SITE, "sec-fetch-site": "same-origin"}
    resp = client.post("/api/ingest", data={"text": "   "}, headers=same_origin)
    assert resp.status_code == 422  # past the guard: refused for its (empty) content, not as a forgery
    assert resp.json()["detail"][0]["loc"][-1] == "text"


def test_each_server_run_has_its_own_token(demo: tuple[str, dict]) -> None:
    first, second = create_app(demo[0]), create_app(demo[0])
    assert first.state.api.csrf != second.state.api.csrf


def test_the_page_token_deletes_and_a_bearer_token_needs_none(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    keys = build_demo_store(db)
    app = create_app(db)
    c = TestClient(app, base_url=SITE)
    ok = {"x-csrf-token": app.state.api.csrf, "origin": SITE, "sec-fetch-site": "same-origin"}
    assert c.delete(f"/api/articles/{keys['demo-6']}", headers=ok).status_code == 200
    guarded = TestClient(create_app(db, token="s3cret", host="0.0.0.0"), base_url=SITE)
    assert guarded.delete(f"/api/articles/{keys['demo-5']}",
                          headers={"authorization": "Bearer s3cret"}).status_code == 200
    assert guarded.delete(f"/api/articles/{keys['demo-4']}",
                          headers={"authorization": "Bearer s3cret", "origin": "http://evil.example"}
                          ).status_code == 403


# -- every parameter validated into range: 422, never 500 ------------------------------------------------------


@pytest.mark.parametrize("path", LISTS + AGGREGATES)
@pytest.mark.parametrize(("param", "value"), [
    ("until", "9999-12-31"), ("since", "9999-12-31"), ("since", "0001-01-01"), ("until", "0000-01-01"),
    ("until", "+10000-01-01"),
])
def test_out_of_range_dates_are_422_naming_the_field(client: TestClient, path: str, param: str, value: str) -> None:
    resp = client.get(f"{path}?{param}={value}")
    assert resp.status_code == 422, resp.text
    (detail,) = resp.json()["detail"]
    assert detail["loc"] == ["query", param]
    assert "1000-01-01" in detail["msg"] and "2999-12-31" in detail["msg"]


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("value", ["9223372036854775808", "1e30", "-1", "1000000001", "NaN", "0x10", "1.5"])
def test_out_of_range_offsets_are_422_naming_the_field(client: TestClient, path: str, value: str) -> None:
    resp = client.get(f"{path}?offset={value}")
    assert resp.status_code == 422, resp.text
    assert [d["loc"] for d in resp.json()["detail"]] == [["query", "offset"]]


def test_the_largest_offset_allowed_answers_an_empty_page(client: TestClient) -> None:
    body = client.get("/api/events?offset=1000000000").json()
    assert body["items"] == [] and body["total"] == 10


@pytest.mark.parametrize("event_id", ["m9223372036854775808", "m99999999999999999999999999"])
def test_a_mention_id_past_64_bits_is_422(client: TestClient, event_id: str) -> None:
    resp = client.get(f"/api/events/{event_id}")
    assert resp.status_code == 422, resp.text
    assert resp.json()["detail"][0]["loc"] == ["path", "event_id"]


@pytest.mark.parametrize("path", ["/api/events/m9223372036854775807", "/api/events/m0", "/api/events/" + "9" * 120,
                                  "/api/articles/" + "k" * 120, "/api/stories/%00"])
def test_ids_that_could_exist_but_do_not_are_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


HOSTILE_VALUES = ["9999-12-31", "9223372036854775808", "-9223372036854775809", "1e30", "NaN", "inf", "%00",
                  "%ED%A0%80", "%FF%FE", "'", "\"", ";DROP TABLE articles;--", "x" * 600, "%E2%80%AE", "[]", "{}",
                  "*", "NEAR(a b)", "-", "--date", "date;", "0", "-0"]
PARAMS = ["actor", "recipient", "type", "since", "until", "story", "certainty", "min_sources", "q", "limit",
          "offset", "sort", "format", "outlet", "country", "by", "max_edges", "bbox"]


@pytest.mark.parametrize("path", LISTS + AGGREGATES + ["/api/facets"])
def test_no_parameter_value_gives_a_server_error(client: TestClient, path: str) -> None:
    """Every parameter of every read route, each hostile value: an answer (2xx or 4xx), never 5xx."""
    failures = []
    for param in PARAMS:
        for value in HOSTILE_VALUES:
            resp = client.get(f"{path}?{param}={value}")
            if resp.status_code >= 500:
                failures.append((param, value, resp.status_code))
            elif resp.status_code == 422:
                assert isinstance(resp.json()["detail"], list)
    assert failures == []
    assert _articles(client) == 6  # and nothing was touched


@pytest.mark.parametrize("path", ["/api/events/", "/api/articles/", "/api/stories/"])
@pytest.mark.parametrize("value", ["m-1", "m1e30", "%ED%A0%80", "%00", "'%20OR%201=1--", "m" + "9" * 200])
def test_no_id_gives_a_server_error(client: TestClient, path: str, value: str) -> None:
    assert client.get(f"{path}{value}").status_code in (404, 422)


# -- uploads that used to give a 500 ---------------------------------------------------------------------------


def _write(app) -> dict:  # noqa: ANN001
    return {"x-csrf-token": app.state.api.csrf, "origin": SITE}


def test_a_one_word_upload_of_over_a_megabyte_is_refused_with_a_reason(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    build_demo_store(db)
    app = create_app(db)
    c = TestClient(app, base_url=SITE, raise_server_exceptions=False)
    resp = c.post("/api/ingest", files={"files": ("word.txt", b"a" * 1_100_000)}, headers=_write(app))
    assert 400 <= resp.status_code < 500, resp.text
    (result,) = resp.json()["results"]
    assert result["status"] == "error" and result["error"]
    assert _articles(c) == 6


def test_a_pasted_text_over_a_megabyte_is_refused_with_a_reason(client: TestClient, app) -> None:  # noqa: ANN001
    """Form fields stop at 1 MB (files up to the 10 MB body limit): a 4xx that says so, nothing stored."""
    for send in ({"data": {"text": "a" * 1_100_000}}, {"files": {"text": (None, "a" * 1_100_000)}}):
        resp = client.post("/api/ingest", headers=_write(app), **send)
        assert resp.status_code == 400, resp.text
        assert "maximum size" in resp.json()["detail"]
    assert _articles(client) == 6


@pytest.mark.parametrize("line", [
    json.dumps({"text": "Kenya deployed 300 soldiers to Mandera on Monday \ud800 officials said."}).encode(),  # escaped
    b'{"text": "Kenya deployed 300 soldiers to Mandera on Monday \xed\xa0\x80 officials said."}',  # raw bytes
])
def test_a_jsonl_upload_with_a_lone_surrogate_never_gives_a_server_error(tmp_path: Path, line: bytes) -> None:
    db = str(tmp_path / "s.db")
    build_demo_store(db)
    app = create_app(db)
    c = TestClient(app, base_url=SITE, raise_server_exceptions=False)
    resp = c.post("/api/ingest", files={"files": ("one.jsonl", line + b"\n")}, headers=_write(app))
    assert resp.status_code < 500, resp.text
    (result,) = resp.json()["results"]
    if resp.status_code == 200:  # stored repaired, and the repair said
        assert result["status"] == "stored" and result["warnings"]
        stored = c.get(f"/api/articles/{result['key']}").json()["text"]
        assert "\ud800" not in stored and "Mandera" in stored
    else:
        assert result["status"] == "error" and result["error"]


# -- delete keeps counts right -------------------------------------------------------------------------------


def _counts(db: str) -> tuple[dict, dict]:
    with Store(db).connect() as conn:
        evs = {r.id: (r.type, r.num_mentions, r.num_articles, r.num_sources, r.story_id)
               for r in conn.execute(select(events))}
        sts = {r.id: (r.num_articles, r.num_sources, r.first_seen, r.last_seen) for r in conn.execute(select(stories))}
    return evs, sts


def test_deleting_an_article_recounts_its_story_and_merged_events(tmp_path: Path) -> None:
    from eventwire import stories as stories_stage

    db = str(tmp_path / "d.db")
    keys = build_demo_store(db)
    stories_stage.update(Store(db), list(keys.values()))
    evs, sts = _counts(db)
    (mobilize,) = [k for k, v in evs.items() if v[0] == "MOBILIZE"]
    story = evs[mobilize][4]
    assert evs[mobilize][1:4] == (2, 2, 2) and sts[story][:2] == (2, 2)  # Kenya's move, reported twice
    app = create_app(db)
    c = TestClient(app, base_url=SITE)
    assert c.delete(f"/api/articles/{keys['demo-2']}", headers=_write(app)).status_code == 200
    evs, sts = _counts(db)
    assert evs[mobilize][1:4] == (1, 1, 1)
    assert sts[story] == (1, 1, "2026-03-10", "2026-03-10")
    assert "ACCUSE" not in {v[0] for v in evs.values()}  # reported by that article alone: gone
    assert c.get(f"/api/stories/{story}").json()["num_articles"] == 1
    assert c.get(f"/api/events/{mobilize}").json()["num_sources"] == 1
    assert c.delete(f"/api/articles/{keys['demo-1']}", headers=_write(app)).status_code == 200
    evs, sts = _counts(db)
    assert mobilize not in evs and story not in sts  # nothing left to report them
    assert c.get(f"/api/stories/{story}").status_code == 404
