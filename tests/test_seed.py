"""Issue 2's acceptance checks on the reference article (read from ../shared, never copied).

Skipped in a fresh clone, where ../shared is absent. Every check is a general
behaviour (debris, credits, entity types, dated and attributed events); the
same behaviours are tested on self-written articles in test_fixtures.py.
"""

from __future__ import annotations

import pytest

from eventwire.pipeline import Options, run


@pytest.fixture(scope="module")
def seed(shared, nlp) -> dict:
    [result] = list(run([str(shared / "seed" / "russian-planes-caracas.txt")], Options(published="2019-03-25")))
    assert result.ok, result.error
    return result.record.to_dict()


def entity(rec: dict, text: str) -> dict:
    found = [e for e in rec["entities"] if any(m["text"] == text for m in e["mentions"]) or e["name"] == text]
    assert found, f"no entity mentioned as {text!r}"
    return found[0]


def test_debris_removed_and_credits_kept(seed):
    reasons = {r["reason"] for r in seed["article"]["removed"]}
    assert {"repeated line", "comment-spam footer"} <= reasons
    assert "Akismet" not in seed["article"]["text"]
    assert "Reuters" in seed["article"]["credits"]
    assert "(Reuters)" not in seed["article"]["text"]


@pytest.mark.parametrize(("text", "type_"), [("Javier Mayorca", "PERSON"), ("Maduro", "PERSON"),
                                              ("Sputnik", "OUTLET"), ("Twitter", "PLATFORM")])
def test_entity_types(seed, text, type_):
    assert entity(seed, text)["type"] == type_


def test_mayorca_is_one_person(seed):
    mayorca = entity(seed, "Javier Mayorca")
    assert {m["text"] for m in mayorca["mentions"]} >= {"Javier Mayorca", "Mayorca"}
    assert mayorca["country"] == "VEN"


def deployment(rec: dict) -> dict:
    found = [e for e in rec["events"] if e["type"] == "MOBILIZE" and (e["actor"] or {}).get("country") == "RUS"
             and (e["date"] or {}).get("value") == "2019-03-23"]
    assert found, [(e["type"], e["actor"], e["date"]) for e in rec["events"]]
    return found[0]


def test_russia_to_venezuela_deployment_on_saturday(seed):
    ev = deployment(seed)
    where = (ev["location"] or {}).get("country") or (ev["recipient"] or {}).get("country")
    assert where == "VEN"


def test_deployment_carries_troops_and_tonnes(seed):
    # one Russia -> Venezuela deployment, dated to the Saturday, with both counts the witness gives
    counted = [e for e in seed["events"] if e["type"] == "MOBILIZE" and (e["actor"] or {}).get("country") == "RUS"
               and (e["date"] or {}).get("value") == "2019-03-23"
               and ((e["recipient"] or {}).get("country") or (e["location"] or {}).get("country")) == "VEN"]
    values = [{q["value"] for q in e["quantities"]} for e in counted]
    assert any({100.0, 35.0} <= v for v in values), values


def claim(rec: dict, speaker: str) -> dict:
    found = [c for c in rec["claims"] if c["speaker"] and speaker in c["speaker"]["text"]]
    assert found, [c["speaker"] for c in rec["claims"]]
    return found[0]


def test_sputnik_claim_is_reported(seed):
    assert claim(seed, "Sputnik")["certainty"] == "reported"


def test_mayorca_claim_via_twitter(seed):
    c = claim(seed, "Mayorca")
    assert c["channel"] == "Twitter" and c["certainty"] == "reported"


def test_reportedly_is_hedged(seed):
    assert any(c["certainty"] == "hedged" and "reportedly" in c["cue"]["text"] for c in seed["claims"])


def test_december_exercise_dated_2018_12(seed):
    values = {t["value"] for t in seed["times"] if "December" in t["text"]}
    assert "2018-12" in values
    assert any((e["date"] or {}).get("value") == "2018-12" for e in seed["events"])
