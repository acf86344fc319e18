"""Stories and merged events: grouping, independent sources, corroboration, resuming."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.model import Article, Event, EventDate, Location, Participant, Record, Span
from eventwire.store import Store
from eventwire.stories import link_article, update
from eventwire.stories.cluster import threshold_for
from eventwire.stories.merge import corroboration
from eventwire.stories.queries import count_stories, get_event, get_story, list_stories

# Three reports of one story (a strike at a port), worded differently, and two unrelated ones.
STRIKE = [
    ("Dockers strike halts Port Lindqvist", "Harbour Times", "2025-05-02",
     "Dock workers at Port Lindqvist walked out on Friday in a dispute over pay, leaving dozens of container "
     "ships waiting offshore. The Lindqvist dockers union said the strike would last 48 hours. Port managers "
     "said cranes stood idle and trucks queued outside the terminal gates."),
    ("Port Lindqvist strike strands container ships", "Northern Post", "2025-05-02",
     "Container ships queued off Port Lindqvist after dockers began a 48-hour strike over wages. Union "
     "leaders at the port said talks with terminal managers had broken down. Truck drivers waited for hours "
     "at the terminal gates as cranes stood still."),
    ("Lindqvist dockers extend strike", "Harbour Times", "2025-05-04",
     "The dockers union at Port Lindqvist extended its strike over pay by another two days, saying terminal "
     "managers had made no new offer. More container ships anchored offshore while cranes stayed idle."),
]
OTHER = [
    ("Orchard growers fear late frost", "Northern Post", "2025-05-03",
     "Apple and cherry growers in the Selby valley covered blossoms with fleece after forecasters warned of "
     "a late frost. Farmers said a cold night could cost them half of this year's harvest of fruit."),
    ("Library reopens after renovation", "City Gazette", "2025-05-03",
     "The central library reopened its reading rooms after a two-year renovation that restored the painted "
     "ceiling and added a children's wing. Librarians said visitors had queued since dawn for the opening."),
]


def _record(rid: str, title: str, outlet: str, published: str, text: str, events=(), credits=()) -> Record:
    return Record(id=rid, article=Article(title=title, outlet=outlet, published=published, text=text,
                                          credits=list(credits)), events=list(events))


def _event(text: str, etype: str, actor: str | None, recipient: str | None, day: str | None,
           certainty: str | None = None, negated: bool = False, place: str | None = None) -> Event:
    from eventwire.model import Attribution

    span = Span(0, min(len(text), 10), text[:10])
    return Event(id="v1", type=etype, trigger=span, evidence=span,
                 actor=Participant("a", country=actor) if actor else None,
                 recipient=Participant("r", country=recipient) if recipient else None,
                 date=EventDate(day, day, "day") if day else None, negated=negated,
                 location=Location(place or "", country=place) if place else None,
                 attribution=Attribution("someone", None, certainty) if certainty else None)


def _story_of(store: Store, key: str) -> str:
    with store.connect() as conn:
        return conn.exec_driver_sql("SELECT story_id FROM articles WHERE key = ?", (key,)).scalar()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(str(tmp_path / "s.db"))


def _save_all(store: Store, items) -> list[str]:
    return [store.save(_record(f"r{i}", *item)) for i, item in enumerate(items)]


def test_reports_of_one_story_are_grouped_and_others_are_not(store):
    keys = _save_all(store, STRIKE + OTHER)
    update(store, keys)
    strike = {_story_of(store, k) for k in keys[:3]}
    assert len(strike) == 1
    others = {_story_of(store, k) for k in keys[3:]}
    assert len(others) == 2 and not others & strike
    with store.connect() as conn:
        story = get_story(conn, strike.pop())
        assert story["num_articles"] == 3
        assert story["num_sources"] == 2  # Harbour Times twice is one source
        # Titled by its earliest report; two of the same day are ordered by key, whatever came first.
        first = min(zip(keys[:2], STRIKE[:2], strict=True), key=lambda kv: kv[0])[1]
        assert story["title"] == first[0]
        assert (story["first_seen"], story["last_seen"]) == ("2025-05-02", "2025-05-04")
        assert count_stories(conn) == 3
        assert [s["num_articles"] for s in list_stories(conn, limit=10)].count(3) == 1


def test_story_ids_are_stable_across_runs(tmp_path):
    ids = []
    for run in ("a", "b"):
        store = Store(str(tmp_path / f"{run}.db"))
        keys = _save_all(store, STRIKE)
        update(store, keys)
        ids.append(_story_of(store, keys[0]))
    assert ids[0] == ids[1]


def test_rerun_changes_nothing_and_interrupted_run_resumes(store):
    keys = _save_all(store, STRIKE + OTHER)
    for key in keys[:2]:  # a run "killed" after linking two articles of five
        with store.engine.begin() as conn:
            link_article(conn, key)
    assert _story_of(store, keys[3]) is None
    update(store, [])  # the next run links what was left
    assert all(_story_of(store, k) for k in keys)
    with store.connect() as conn:
        before = conn.exec_driver_sql("SELECT id, num_articles, num_sources FROM stories ORDER BY id").all()
    update(store, keys)  # again: nothing new
    assert all(store.save(_record(f"r{i}", *item)) is None for i, item in enumerate(STRIKE + OTHER))
    with store.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, num_articles, num_sources FROM stories ORDER BY id").all() == before


@pytest.mark.parametrize("gap, higher", [(None, False), (0, False), (7, False), (8, True), (30, True), (400, True)])
def test_threshold_rises_with_time_gap(gap, higher):
    assert (threshold_for(gap) > threshold_for(0)) is higher


@pytest.mark.parametrize("sources, asserted, level", [
    (1, True, "single"), (2, False, "corroborated"), (3, False, "corroborated"), (3, True, "confirmed"),
])
def test_corroboration(sources, asserted, level):
    assert corroboration(sources, asserted) == level


def _events_of(store: Store) -> list[dict]:
    with store.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM events ORDER BY id")]
        return [get_event(conn, i) for i in ids]


def test_same_event_from_three_sources_merges(store):
    items = []
    for i, (title, outlet, day, text) in enumerate(STRIKE):
        # The third report, two days later, still dates the walk-out to the day it began.
        ev = _event(text, "PROTEST", "SWE", None, "2025-05-02", certainty="reported" if i else "asserted")
        items.append((title, outlet if i < 2 else "Coast Radio", day, text, [ev]))
    keys = _save_all(store, items)
    update(store, keys)
    (event,) = _events_of(store)
    assert event["num_mentions"] == 3 and event["num_articles"] == 3 and event["num_sources"] == 3
    assert event["certainty"] == "asserted" and event["corroboration"] == "confirmed"
    assert event["story_id"] == _story_of(store, keys[0])
    assert {m["article_key"] for m in event["mentions"]} == set(keys)
    assert "same day (2025-05-02)" in event["merge_reason"] and event["conflicts"] is None


@pytest.mark.parametrize("second, merged", [
    (dict(), True),
    (dict(recipient=None), True),  # unknown is no conflict
    (dict(etype="ASSAULT"), True),  # a crackdown coded as force or as an attack: compatible types
    (dict(day="2025-05-03"), False),  # another day: another event
    (dict(day="2025-05-06"), False),
    (dict(etype="PROTEST"), False),
    (dict(recipient="NOR"), False),
    (dict(place="FIN"), False),
    (dict(negated=True), False),  # "did not" is not a report of the event
])
def test_event_merge_rules(store, second, merged):
    base = dict(etype="COERCE", actor="SWE", recipient="DNK", day="2025-05-02", place="SWE")
    first = _event(STRIKE[0][3], **base)
    other = _event(STRIKE[1][3], **{**base, **second})
    keys = _save_all(store, [(*STRIKE[0], [first]), (*STRIKE[1], [other])])
    update(store, keys)
    assert (len(_events_of(store)) == 1) is merged


def test_copies_are_not_independent_sources(store):
    text = STRIKE[0][3] + " " + STRIKE[2][3]
    ev = _event(text, "PROTEST", "SWE", "SWE", "2025-05-02")
    keys = _save_all(store, [("Strike", "Harbour Times", "2025-05-02", text, [ev], ["Reuters"]),
                             ("Strike at port", "Coast Radio", "2025-05-02", text + " More later.", [ev])])
    update(store, keys)
    (event,) = _events_of(store)
    assert event["num_articles"] == 2 and event["num_sources"] == 1
    assert event["corroboration"] == "single"
    (source,) = event["sources"]  # the copy is listed under its original's source, marked as a copy
    assert [a["copy_of"] for a in source["articles"]] == [None, keys[0]]


def test_undated_events_in_different_stories_stay_apart(store):
    a = _event(STRIKE[0][3], "PROTEST", "SWE", "SWE", None)
    b = _event(OTHER[1][3], "PROTEST", "SWE", "SWE", None)
    keys = _save_all(store, [(*STRIKE[0], [a]), (*OTHER[1], [b])])
    update(store, keys)
    assert len(_events_of(store)) == 2


# -- the clusters evaluation ------------------------------------------------------------
@pytest.mark.parametrize("pred, p, r", [
    ({"a": 1, "b": 1, "c": 2, "d": 2}, 1.0, 1.0),
    ({"a": 1, "b": 1, "c": 1, "d": 1}, 2 / 6, 1.0),  # everything in one story: 6 pairs, 2 right
    ({"a": 1, "b": 2, "c": 3, "d": 4}, 1.0, 0.0),  # every article alone: no pair found
    ({"a": 1, "b": 1, "c": 1, "d": 2}, 1 / 3, 1 / 2),
])
def test_pairwise_scores(pred, p, r):
    from eventwire.eval.clusters import pairwise

    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    got = pairwise(pred, gold)
    assert got["precision"] == pytest.approx(p, abs=1e-3) and got["recall"] == pytest.approx(r, abs=1e-3)


def test_clusters_evaluation_on_own_articles(tmp_path):
    import json

    from eventwire.eval import evaluators, load_all

    load_all()
    rows = [{"id": f"s{i}", "url": f"https://x.example/{i}", "source": outlet, "published": day,
             "title": title, "text": text, "event_id": 1} for i, (title, outlet, day, text) in enumerate(STRIKE)]
    rows += [{"id": f"o{i}", "url": f"https://y.example/{i}", "source": outlet, "published": day,
              "title": title, "text": text, "event_id": 2 + i} for i, (title, outlet, day, text) in enumerate(OTHER)]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = evaluators.get("clusters")(path)
    assert result["f1"] == 1.0 and result["stories"] == result["gold_events"] == 3


# -- stories bounded in time and content ----------------------------------------------------
# A second strike in the days of the port strike, and a round-up that tells both.
BUS = [
    ("Ostervik bus drivers strike over rosters", "City Gazette", "2025-05-02",
     "Bus drivers in Ostervik stopped work on Friday in protest at new shift rosters, leaving commuters "
     "stranded at empty stops. The transport union said drivers had been given no rest breaks."),
    ("No buses in Ostervik as drivers walk out", "Northern Post", "2025-05-03",
     "Commuters in Ostervik queued for taxis after bus drivers walked out over shift rosters and rest "
     "breaks. City transport officials said no buses would run until the union returned to talks."),
]
ROUNDUP = ("Strikes hit Port Lindqvist and Ostervik buses", "Evening Signal", "2025-05-04",
           "Two strikes disrupted the region on Saturday. At Port Lindqvist, dockers kept up their strike over "
           "pay and container ships waited offshore while cranes stood idle. In Ostervik, bus drivers stayed "
           "off work over shift rosters and commuters queued at empty stops.")


def test_round_up_of_two_stories_does_not_merge_them(store):
    keys = _save_all(store, STRIKE + BUS + [ROUNDUP])
    update(store, keys)
    port, bus = _story_of(store, keys[0]), _story_of(store, keys[3])
    assert port != bus and _story_of(store, keys[4]) == bus
    assert _story_of(store, keys[5]) in (port, bus)


def test_alias_chains_resolve_to_the_last_survivor(store):
    from eventwire.stories.bridge import resolve

    with store.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO story_merges (id, into_id) VALUES ('sb', 'sa'), ('sc', 'sb')")
        assert [resolve(conn, s) for s in ("sa", "sb", "sc", "sz")] == ["sa", "sa", "sa", "sz"]


@pytest.mark.parametrize("a, b", [("crashes", "crash"), ("touches", "touch"), ("taxes", "tax"),
                                  ("troops", "troop"), ("countries", "country"), ("Russia's", "Russia")])
def test_plural_and_third_person_endings_meet_their_stem(a, b):
    from eventwire.stories.text import content_terms

    assert set(content_terms(a)) == set(content_terms(b))


def test_capitalised_words_inside_a_sentence_count_as_names():
    from eventwire.stories.text import name_terms

    got = name_terms("The Kremlin said. Russian planes landed in Caracas, as President Maduro said \"We agree\".")
    assert {"kremlin", "caraca", "maduro"} <= set(got)
    assert "russian" not in got and "the" not in got and "we" not in got  # sentence and quote openers


# -- order independence and separate incidents (tests/fixtures/stories/two_incidents.jsonl) -------------
# Self-written: shelling of one town's market and, five days later, of another town's market in the same
# country, worded alike; a three-day truce and, six months later, a seven-day truce between the same sides.
INCIDENTS = Path(__file__).parent / "fixtures" / "stories" / "two_incidents.jsonl"


def _incident_rows() -> list[dict]:
    return [json.loads(line) for line in INCIDENTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _stories_of(tmp_path, name: str, rows: list[dict], batch: int) -> dict[str, tuple]:
    """Incident row id -> (story id, thread id), the rows stored and linked `batch` at a time."""
    store = Store(str(tmp_path / f"{name}.db"))
    keys = []
    for i in range(0, len(rows), batch):
        part = [store.save(_record(r["id"], r["title"], r["outlet"], r["published"], r["text"])) for r in rows[i:i + batch]]
        update(store, part)
        keys += part
    with store.connect() as conn:
        found = dict(conn.exec_driver_sql("SELECT a.ext_id, a.story_id || '/' || s.thread_id FROM articles a "
                                          "JOIN stories s ON s.id = a.story_id").all())
    return {r["id"]: tuple(found[r["id"]].split("/")) for r in rows}


def test_same_articles_give_the_same_stories_in_any_order(tmp_path):
    import random

    rows = _incident_rows()
    runs = [_stories_of(tmp_path, "sorted", rows, batch=len(rows))]
    for seed, batch in ((1, 1), (2, 3), (3, 4)):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        runs.append(_stories_of(tmp_path, f"shuffled{seed}", shuffled, batch=batch))
    assert all(run == runs[0] for run in runs[1:])


def test_separate_incidents_in_one_country_are_never_one_story(tmp_path):
    rows = _incident_rows()
    got = _stories_of(tmp_path, "incidents", rows, batch=1)
    story_of = {r["id"]: got[r["id"]][0] for r in rows}
    by_incident: dict[str, set[str]] = {}
    for r in rows:
        by_incident.setdefault(r["incident"], set()).add(story_of[r["id"]])
    assert all(len(s) == 1 for s in by_incident.values())  # each incident is one story ...
    assert len(set.union(*by_incident.values())) == len(by_incident)  # ... of its own
    # The later truce is a new story of the same thread: the topic goes on, the story does not.
    thread = {r["incident"]: got[r["id"]][1] for r in rows}
    assert thread["C"] == thread["D"] and story_of["c1"] != story_of["d1"]


# -- tolls, conflicts and independent sources ---------------------------------------------------------
def _toll_event(text: str, day: str | None, dead: float | None) -> Event:
    from eventwire.model import Quantity

    ev = _event(text, "ASSAULT", "SDN", "SDN", day, place="SDN")
    if dead is not None:
        ev.quantities = [Quantity(dead, None, "dead", False, f"{dead:g} people")]
    return ev


@pytest.mark.parametrize("first, second, merged, conflict", [
    (("2025-03-10", 12), ("2025-03-10", 12), True, None),
    (("2025-03-10", 12), ("2025-03-10", 15), True, "toll rose in a later report: 12 then 15 dead"),
    (("2025-03-10", 15), ("2025-03-10", 12), True, "reports differ on the toll: 15 then 12 dead"),
    (("2025-03-10", 12), ("2025-03-10", 47), True, "toll rose in a later report: 12 then 47 dead"),
    (("2025-03-10", 47), ("2025-03-10", 12), False, None),  # a much lower later toll: another event
    (("2025-03-10", 12), (None, 47), False, None),  # undated, with another toll: nothing ties them
    (("2025-03-10", 12), (None, 12), True, None),  # undated report of the same toll, the next day
])
def test_tolls_agree_or_rise(store, first, second, merged, conflict):
    a = _toll_event(STRIKE[0][3], *first)
    b = _toll_event(STRIKE[1][3], *second)
    keys = _save_all(store, [("Shelling", "Sudan Daily Wire", "2025-03-10", STRIKE[0][3], [a]),
                             ("Shelling toll", "Horn Radio", "2025-03-11", STRIKE[1][3], [b])])
    update(store, keys)
    found = _events_of(store)
    assert (len(found) == 1) is merged
    if merged:
        assert found[0]["conflicts"] == ([conflict] if conflict else None)
        assert {m["merge_reason"].split(":")[0] for m in found[0]["mentions"]} == {"first report of this event",
                                                                                  "joined"}


def test_one_wire_under_two_outlet_names_is_one_source(store):
    from eventwire.stories.merge import independent_sources

    class Row:
        def __init__(self, key, source_key, duplicate_of=None, canonical_source=None):
            self.key, self.source_key, self.duplicate_of, self.canonical_source = (
                key, source_key, duplicate_of, canonical_source)

    rows = [Row("a", "reuters"), Row("b", "reuters"), Row("c", None, "a", "reuters"), Row("d", "harbour times")]
    assert independent_sources(rows) == {"reuters", "harbour times"}


def test_separate_incidents_stay_apart_through_the_whole_pipeline(tmp_path, nlp):
    """The product's path: extraction (main event, places, events) and then the stories stage."""
    from eventwire.ingest import RawArticle
    from eventwire.pipeline import run_items

    rows = _incident_rows()
    raws = [RawArticle(id=r["id"], origin=r["id"], text=r["text"], title=r["title"], outlet=r["outlet"],
                       url=r["url"], published=r["published"]) for r in rows]
    store = Store(str(tmp_path / "pipeline.db"))
    keys = [store.save(res.record) for res in run_items(raws)]
    update(store, keys)
    with store.connect() as conn:
        story_of = dict(conn.exec_driver_sql("SELECT ext_id, story_id FROM articles").all())
        texts = dict(conn.exec_driver_sql("SELECT ext_id, text FROM articles").all())
        events = conn.exec_driver_sql("SELECT e.id, group_concat(DISTINCT a.ext_id) FROM events e JOIN mentions m "
                                      "ON m.event_id = e.id JOIN articles a ON a.key = m.article_key "
                                      "GROUP BY e.id").all()
    incident = {r["id"]: r["incident"] for r in rows}
    stories_of: dict[str, set[str]] = {}
    for rid, sid in story_of.items():
        stories_of.setdefault(sid, set()).add(incident[rid])
    assert all(len(found) == 1 for found in stories_of.values())  # no story mixes two incidents
    assert all(len({incident[rid] for rid in ids.split(",")}) == 1 for _, ids in events)  # nor any event
    assert all(texts[r["id"]].startswith(r["title"] + "\n\n") for r in rows)  # the headline is read too


def test_an_article_linked_again_is_merged_again_by_the_same_rules(store):
    from eventwire.stories.merge import merge_article

    a = _event(STRIKE[0][3], "PROTEST", "SWE", None, "2025-05-02")
    b = _event(STRIKE[1][3], "PROTEST", "SWE", None, "2025-05-02")
    keys = _save_all(store, [(*STRIKE[0], [a]), (*STRIKE[1], [b])])
    update(store, keys)
    before = _events_of(store)
    with store.engine.begin() as conn:
        merge_article(conn, keys[1], None)  # as a store linked by an earlier version is relinked
    after = _events_of(store)
    assert len(before) == len(after) == 1 and after[0]["num_mentions"] == 2
    assert [m["merge_reason"] for m in after[0]["mentions"]] == [m["merge_reason"] for m in before[0]["mentions"]]


def test_a_wire_story_rewritten_by_two_outlets_is_one_source(store):
    """Not copies (each outlet rewrote it), but both credit the same agency in the text: one source."""
    records = []
    for i, (title, outlet, day, text) in enumerate(STRIKE[:2]):
        rec = _record(f"w{i}", title, outlet, day, text, [_event(text, "PROTEST", "SWE", None, "2025-05-02")])
        rec.article.wire = "Reuters"
        records.append(rec)
    keys = [store.save(r) for r in records]
    update(store, keys)
    (event,) = _events_of(store)
    assert event["num_articles"] == 2 and event["num_sources"] == 1 and event["corroboration"] == "single"
