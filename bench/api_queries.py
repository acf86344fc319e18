"""API latency over a large SQLite store: p50/p95 per endpoint against two baselines.

Builds a synthetic store (default 100,000 event mentions in 20,000 articles,
one merged event per mention, 2,000 stories) by inserting rows directly with
executemany, then times each endpoint in-process through FastAPI's TestClient
(loopback only, nothing leaves the machine). Baselines: a bare
`SELECT count(*) FROM mentions` on the same database, and a request to a route
that does no work (the framework's own cost).

    python bench/api_queries.py [--events 100000] [--repeat 40] [--db PATH] [--max-seconds 600]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eventwire.model import PLOVER_TYPES  # noqa: E402
from eventwire.store import Store  # noqa: E402
from eventwire.store.schema import articles, claims, entities, events, mentions, stories  # noqa: E402

COUNTRIES = ["RUS", "UKR", "USA", "CHN", "VEN", "SYR", "ISR", "IRN", "TUR", "KEN", "SOM", "ETH", "SDN",
             "PER", "COL", "BRA", "IND", "PAK", "AFG", "FRA", "DEU", "GBR", "NGA", "MLI", "YEM"]
CERTAINTY = ["asserted"] * 6 + ["reported"] * 3 + ["hedged", "denied"]
OUTLETS = [f"Outlet {i}" for i in range(40)]
PER_ARTICLE = 5


def _words(rng: random.Random, n: int) -> list[str]:
    syllables = ["ka", "ro", "mi", "ta", "ne", "su", "lo", "vi", "da", "pe", "zu", "gor", "lin", "bar", "tes"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n)]


def build(db: str, n_events: int, seed: int = 7) -> None:
    """A store shaped like a real one: articles with FTS, mentions, merged events, stories, entities, claims."""
    rng = random.Random(seed)
    vocab = _words(rng, 3000)
    store = Store(db)
    n_articles = max(1, n_events // PER_ARTICLE)
    # 500 places, each with its own coordinates and country, as a real store holds the same towns again and again.
    places = [(f"place {p}", round(rng.uniform(-40, 60), 3), round(rng.uniform(-120, 140), 3),
               COUNTRIES[p % len(COUNTRIES)]) for p in range(500)]
    art_rows, ment_rows, ev_rows, ent_rows, claim_rows = [], [], [], [], []
    for a in range(n_articles):
        key = f"a{a:07d}"
        day = f"2025-{1 + a % 12:02d}-{1 + a % 28:02d}"
        body = " ".join(rng.choice(vocab) for _ in range(90)) + "."
        story = f"s{a // 10:05d}"
        art_rows.append({"key": key, "ext_id": key, "origin": "bench", "title": " ".join(rng.sample(vocab, 6)),
                         "outlet": rng.choice(OUTLETS), "url": None, "published": day, "language": "en",
                         "credits": [], "text": body, "text_hash": key, "ingested_at": "2025-12-31T00:00:00",
                         "story_id": story, "source_key": rng.choice(OUTLETS),
                         "record": {"schema": "eventwire/1", "id": key, "entities": [], "events": [],
                                    "times": [], "claims": []}})
        for e in range(PER_ARTICLE):
            i = a * PER_ARTICLE + e
            actor, recipient = rng.sample(COUNTRIES, 2)
            etype, cert = rng.choice(PLOVER_TYPES), rng.choice(CERTAINTY)
            place, lat, lon, place_country = places[i % len(places)]
            ment_rows.append({"article_key": key, "local_id": f"v{e}", "event_id": f"ev{i}", "type": etype,
                              "actor_text": actor, "actor_country": actor, "recipient_text": recipient,
                              "recipient_country": recipient, "date": day, "date_precision": "day",
                              "location_text": place, "location_country": place_country,
                              "lat": lat, "lon": lon, "negated": False, "certainty": cert,
                              "trigger_start": 0, "trigger_end": 5, "evidence_start": 0, "evidence_end": 60,
                              "evidence": body[:60], "quantities": []})
            ev_rows.append({"id": f"ev{i}", "story_id": story, "type": etype, "actor_country": actor,
                            "actor_name": actor, "recipient_country": recipient, "recipient_name": recipient,
                            "date": day, "location_text": place, "location_country": place_country,
                            "lat": lat, "lon": lon, "num_mentions": 1, "num_articles": 1,
                            "num_sources": rng.choice([1, 1, 1, 2, 3, 5]), "certainty": cert})
            ent_rows.append({"article_key": key, "entity_id": f"e{e}", "name": rng.choice(vocab).title(),
                             "type": rng.choice(["PERSON", "ORG", "GPE"]), "country": actor, "num_mentions": 2})
        claim_rows.append({"article_key": key, "claim_id": "c1", "speaker": rng.choice(vocab), "cue": "said",
                           "certainty": rng.choice(CERTAINTY), "content_start": 0, "content_end": 40,
                           "content": body[:40]})
    story_rows = [{"id": f"s{s:05d}", "title": f"story {s}", "first_seen": "2025-01-01", "last_seen": "2025-12-28",
                   "num_articles": 10, "num_sources": rng.randint(1, 8)} for s in range(n_articles // 10 + 1)]
    with store.engine.begin() as conn:
        for table, rows in ((articles, art_rows), (mentions, ment_rows), (events, ev_rows),
                            (entities, ent_rows), (claims, claim_rows), (stories, story_rows)):
            conn.execute(insert(table), rows)  # executemany
        conn.execute(text("INSERT INTO articles_fts(rowid, title, text) SELECT rowid, title, text FROM articles"))
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE"))


def timed(fn: Callable[[], object], repeat: int, cpu: list[float] | None = None) -> list[float]:
    """Wall-clock ms per call; with `cpu`, also the process CPU ms (all threads: the app runs in one).

    CPU time is reported beside wall time because on a shared, loaded machine
    wall time mostly measures waiting for a core.
    """
    fn()  # warm caches once; the figures are for a warm server
    out = []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - c0) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18] if len(xs) >= 20 else max(xs)


def endpoints(rng: random.Random, words: list[str]) -> list[tuple[str, Callable[[], str]]]:
    c = lambda: rng.choice(COUNTRIES)  # noqa: E731
    t = lambda: rng.choice(PLOVER_TYPES)  # noqa: E731
    m = lambda: rng.randint(1, 12)  # noqa: E731
    return [
        ("events (first page)", lambda: "/api/events"),
        ("events ?actor", lambda: f"/api/events?actor={c()}"),
        ("events ?actor&recipient&type", lambda: f"/api/events?actor={c()}&recipient={c()}&type={t()}"),
        ("events ?type&since&until", lambda: f"/api/events?type={t()}&since=2025-03-01&until=2025-05-31"),
        ("events ?min_sources=3&sort=-sources", lambda: "/api/events?min_sources=3&sort=-sources"),
        ("events ?q (FTS)", lambda: f"/api/events?q={rng.choice(words)}"),
        ("events ?story", lambda: f"/api/events?story=s{rng.randrange(1000):05d}"),
        ("events offset=5000", lambda: "/api/events?offset=5000&limit=100"),
        ("events csv limit=500", lambda: f"/api/events?actor={c()}&format=csv&limit=500"),
        ("event detail", lambda: f"/api/events/ev{rng.randrange(1000)}"),
        ("mentions ?actor&type", lambda: f"/api/mentions?actor={c()}&type={t()}"),
        ("articles ?q (FTS)", lambda: f"/api/articles?q={rng.choice(words)}"),
        ("articles ?actor", lambda: f"/api/articles?actor={c()}"),
        ("entities ?country", lambda: f"/api/entities?country={c()}"),
        ("claims ?certainty", lambda: "/api/claims?certainty=hedged"),
        ("stories", lambda: "/api/stories"),
        ("timeline ?actor", lambda: f"/api/timeline?actor={c()}"),
        ("timeline (all)", lambda: "/api/timeline"),
        ("graph", lambda: "/api/graph"),
        ("map ?type", lambda: f"/api/map?type={t()}"),
        ("facets", lambda: "/api/facets"),
        # The same, with the aggregate cache emptied before every request: the cost of a first view.
        ("timeline ?actor [uncached]", lambda: f"/api/timeline?actor={c()}"),
        ("timeline (all) [uncached]", lambda: "/api/timeline"),
        ("graph [uncached]", lambda: "/api/graph"),
        ("map ?type [uncached]", lambda: f"/api/map?type={t()}"),
        ("facets [uncached]", lambda: "/api/facets"),
        # What the page asks when a user narrows by date, certainty, sources or words (no summary answers these).
        ("map (all) [uncached]", lambda: "/api/map"),
        ("timeline ?certainty [uncached]", lambda: "/api/timeline?certainty=hedged"),
        ("graph ?since&until [uncached]", lambda: f"/api/graph?since=2025-{m():02d}-01&until=2025-12-31"),
        ("map ?since&until [uncached]", lambda: f"/api/map?since=2025-{m():02d}-01&until=2025-12-31"),
        ("graph ?min_sources [uncached]", lambda: "/api/graph?min_sources=2"),
        ("timeline ?q [uncached]", lambda: f"/api/timeline?q={rng.choice(words)}"),
        ("map ?q [uncached]", lambda: f"/api/map?q={rng.choice(words)}"),
        ("graph by=actor [uncached]", lambda: "/api/graph?by=actor"),
        # Lists the page does not show, through the API
        ("entities (all)", lambda: "/api/entities"),
        ("entities ?type", lambda: "/api/entities?type=PERSON"),
        ("entities ?q", lambda: f"/api/entities?q={rng.choice(words)[:3]}"),
        ("claims ?since", lambda: f"/api/claims?since=2025-{m():02d}-01"),
        ("stories ?q", lambda: f"/api/stories?q={rng.choice(words)}"),
        ("articles ?certainty", lambda: "/api/articles?certainty=hedged"),
        ("events ?certainty", lambda: "/api/events?certainty=hedged"),
    ]


def query_layer(rng: random.Random, words: list[str]) -> list[tuple[str, Callable[..., object]]]:
    """The same work without HTTP: what the SQL (and its shaping) costs by itself."""
    from eventwire.store import queries as qy
    from eventwire.store.queries import Filters, Page

    c = lambda: rng.choice(COUNTRIES)  # noqa: E731
    t = lambda: rng.choice(PLOVER_TYPES)  # noqa: E731
    return [
        ("list_events (first page)", lambda conn: qy.list_events(conn, Filters(), Page())),
        ("list_events actor", lambda conn: qy.list_events(conn, Filters(actor=c()), Page())),
        ("list_events q (FTS)", lambda conn: qy.list_events(conn, Filters(q=rng.choice(words)), Page())),
        ("list_events offset=5000", lambda conn: qy.list_events(conn, Filters(), Page(limit=100, offset=5000))),
        ("list_articles actor", lambda conn: qy.list_articles(conn, Filters(actor=c()), Page())),
        ("list_entities country", lambda conn: qy.list_entities(conn, Filters(country=c()), Page())),
        ("get_event", lambda conn: qy.get_event(conn, f"ev{rng.randrange(1000)}")),
        ("timeline actor", lambda conn: qy.timeline(conn, Filters(actor=c()))),
        ("timeline all", lambda conn: qy.timeline(conn, Filters())),
        ("graph", lambda conn: qy.graph(conn, Filters())),
        ("map type", lambda conn: qy.map_points(conn, Filters(type=t()))),
        ("facets", lambda conn: qy.facet_values(conn)),
        ("data_version (cache check)", lambda conn: qy.data_version(conn)),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=40, help="timed requests per endpoint (after one warm-up)")
    ap.add_argument("--db", help="keep the store here (reused when it exists)")
    ap.add_argument("--max-seconds", type=float, default=600, help="stop measuring after this long")
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from eventwire.serve.app import create_app

    db = args.db or str(Path(tempfile.mkdtemp(prefix="ew-bench-")) / "bench.db")
    if not Path(db).exists():
        t0 = time.perf_counter()
        build(db, args.events)
        print(f"built {db}: {args.events:,} events in {time.perf_counter() - t0:.1f} s")
    store = Store(db)
    with store.engine.connect() as conn:
        n_mentions = conn.execute(text("SELECT count(*) FROM mentions")).scalar_one()
        # Search words as a user would type them: words of titles picked at random.
        words = [w for t in conn.execute(text("SELECT title FROM articles LIMIT 50")).scalars() for w in t.split()]
    client = TestClient(create_app(db), base_url="http://127.0.0.1")  # an allowed Host (app.HostGuard)

    def raw_count() -> None:
        with store.engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM mentions")).scalar_one()

    base_sql = timed(raw_count, args.repeat)
    base_http = timed(lambda: client.get("/favicon.ico"), args.repeat)
    print(f"\n{n_mentions:,} mentions; {args.repeat} requests per endpoint; times in ms")
    print(f"baseline SELECT count(*) FROM mentions: p50 {statistics.median(base_sql):.2f}  p95 {p95(base_sql):.2f}")
    print(f"baseline empty HTTP request:            p50 {statistics.median(base_http):.2f}  p95 {p95(base_http):.2f}\n")
    print(f"{'endpoint':38} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'cpu p95':>8} {'p95/count(*)':>13} {'items':>7}")
    rng, started, worst, worst_cpu = random.Random(11), time.perf_counter(), 0.0, 0.0
    for name, make_url in endpoints(rng, words):
        if time.perf_counter() - started > args.max_seconds:
            print(f"(stopped: over {args.max_seconds:.0f} s)")
            break
        last: dict = {}

        def call(make_url: Callable[[], str] = make_url, last: dict = last, cold: bool = "uncached" in name) -> None:
            if cold:
                client.app.state.api.cache.items.clear()
            resp = client.get(make_url())
            assert resp.status_code == 200, resp.text[:200]
            last["n"] = resp.json().get("total", "") if "json" in resp.headers["content-type"] else "csv"

        cpu: list[float] = []
        xs = timed(call, args.repeat, cpu)
        worst, worst_cpu = max(worst, p95(xs)), max(worst_cpu, p95(cpu))
        print(f"{name:38} {statistics.median(xs):8.2f} {p95(xs):8.2f} {statistics.median(cpu):8.2f} {p95(cpu):8.2f} "
              f"{p95(xs) / p95(base_sql):13.1f} {last.get('n', ''):>7}")
    print(f"\nquery layer alone (no HTTP, one connection)\n{'query':38} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'cpu p95':>8}")
    worst_sql = 0.0
    with store.engine.connect() as conn:
        for name, fn in query_layer(rng, words):
            cpu = []
            xs = timed(lambda fn=fn: fn(conn), args.repeat, cpu)
            worst_sql = max(worst_sql, p95(xs))
            print(f"{name:38} {statistics.median(xs):8.2f} {p95(xs):8.2f} {statistics.median(cpu):8.2f} {p95(cpu):8.2f}")
    print(f"worst query-layer p95: {worst_sql:.1f} ms")
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    print(f"\nworst p95: {worst:.1f} ms wall ({'within' if worst < 50 else 'OVER'} the 50 ms target), "
          f"{worst_cpu:.1f} ms CPU; load per core during the run: {load:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
