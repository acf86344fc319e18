"""Golden expectations on self-written articles (tests/fixtures/articles/*.json).

Each expected fact is its own test case, so a report names exactly what is
missing. Expected values are literal substrings of the article and the facts a
careful analyst would code; they were written before the extractors.
"""

from __future__ import annotations

import json
from functools import cache

import pytest

from eventwire.pipeline import Options, run
from tests.conftest import FIXTURES

ARTICLES = sorted(p.stem for p in (FIXTURES / "articles").glob("*.json"))
# An outlet or a platform is an organisation too.
TYPE_FAMILY = {"ORG": {"ORG", "OUTLET", "PLATFORM"}, "GPE": {"GPE"}, "PERSON": {"PERSON"}, "LOC": {"LOC", "GPE"}}


def expected(name: str) -> dict:
    return json.loads((FIXTURES / "articles" / f"{name}.json").read_text(encoding="utf-8"))


@cache
def extracted(name: str) -> dict:
    path = FIXTURES / "articles" / f"{name}.txt"
    [result] = list(run([str(path)], Options(published=expected(name)["published"])))
    assert result.ok, result.error
    return result.record.to_dict()


def cases(section: str) -> list:
    return [pytest.param(name, item, id=f"{name}-{section}-{i}")
            for name in ARTICLES for i, item in enumerate(expected(name).get(section, []))]


@pytest.fixture(autouse=True)
def _model(nlp):
    return nlp


@pytest.mark.parametrize("name", ARTICLES)
def test_debris_and_credits(name):
    rec, want = extracted(name), expected(name)
    removed = " ".join(r["text"] for r in rec["article"]["removed"])
    for fragment in want["removed_contains"]:
        assert fragment in removed
        assert fragment not in rec["article"]["text"]
    assert set(want["credits"]) <= set(rec["article"]["credits"])


@pytest.mark.parametrize(("name", "want"), cases("entities"))
def test_entity(name, want):
    rec = extracted(name)
    found = [e for e in rec["entities"] if want["text"] == e["name"] or any(m["text"] == want["text"]
                                                                          for m in e["mentions"])]
    if "type" in want:
        assert found, f"{want['text']} not found"
        assert found[0]["type"] in TYPE_FAMILY.get(want["type"], {want["type"]})
    if "not_type" in want:
        assert all(e["type"] != want["not_type"] for e in found)


def _matches(ev: dict, want: dict) -> bool:
    # A list of types: the ontology admits each (military personnel flown in to a partner is PLOVER's AID
    # "military assistance including personnel" as much as a MOBILIZE "military move").
    types = want["type"] if isinstance(want["type"], list) else [want["type"]]
    if ev["type"] not in types or ev["negated"]:
        return False
    if "actor_country" in want and (ev["actor"] or {}).get("country") != want["actor_country"]:
        return False
    if "recipient_country" in want and (ev["recipient"] or {}).get("country") != want["recipient_country"]:
        return False
    value = (ev["date"] or {}).get("value") or ""
    if "date" in want and value != want["date"] and not value.startswith(want["date"] + "T"):
        return False  # a time of day refines a date: 2025-06-17TAF is on 2025-06-17
    quantities = " ".join(q["text"] for q in ev["quantities"])
    return all(n in quantities for n in want.get("quantities_contain", []))


@pytest.mark.parametrize(("name", "want"), cases("events"))
def test_event(name, want):
    events = extracted(name)["events"]
    assert any(_matches(ev, want) for ev in events), [
        (e["type"], (e["actor"] or {}).get("country"), (e["recipient"] or {}).get("country"),
         (e["date"] or {}).get("value"), [q["text"] for q in e["quantities"]]) for e in events]


@pytest.mark.parametrize("name", [n for n in ARTICLES if expected(n)["events"] == []])
def test_no_event_is_invented(name):
    assert extracted(name)["events"] == []


@pytest.mark.parametrize(("name", "want"), cases("negated_events"))
def test_negated_event_is_not_asserted(name, want):
    for ev in extracted(name)["events"]:
        if _matches(ev, want):
            pytest.fail(f"asserted {ev['type']} despite '{want['cue_contains']}': {ev['evidence']['text']}")


@pytest.mark.parametrize(("name", "want"), cases("times"))
def test_time(name, want):
    rec = extracted(name)
    text = rec["article"]["text"].lower()
    start = text.find(want["text"].lower())
    assert start >= 0, f"{want['text']!r} not in the cleaned text"
    end = start + len(want["text"])
    # Any expression overlapping the expected words; a time of day may refine the date (2025-01-16TMO).
    values = {t["value"] for t in rec["times"] if t["start"] < end and start < t["end"]}
    assert any(v == want["value"] or (v or "").startswith(want["value"] + "T") for v in values), \
        [(t["text"], t["value"]) for t in rec["times"]]


@pytest.mark.parametrize(("name", "want"), cases("claims"))
def test_claim(name, want):
    claims = extracted(name)["claims"]

    def fits(c: dict) -> bool:
        speaker = (c["speaker"] or {}).get("text") or ""
        return (want.get("speaker_contains", "").lower() in speaker.lower()
                and want.get("cue_contains", "") in c["cue"]["text"] + " " + c["content"]["text"]
                and c["certainty"] == want["certainty"]
                and ("channel" not in want or c["channel"] == want["channel"]))

    assert any(fits(c) for c in claims), [((c["speaker"] or {}).get("text"), c["cue"]["text"], c["channel"],
                                          c["certainty"]) for c in claims]
