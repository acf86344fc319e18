"""The output contract: every record validates against the published JSON Schema,
and every span points at exactly the text it quotes."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from eventwire.model import json_schema
from eventwire.pipeline import run
from tests.conftest import FIXTURES, ROOT

PSEUDO = {"IGO", "NGO", "IMG", "MNC", "UNO", "EUR"}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json_schema()


@pytest.fixture(scope="module")
def records(nlp) -> list[dict]:
    # The fixtures' .json files are their publication dates, not articles: the texts are read on their own.
    texts = sorted(str(p) for p in (FIXTURES / "articles").glob("*.txt"))
    results = list(run([str(ROOT / "examples"), *texts]))
    failed = [f"{r.origin}: {r.error}" for r in results if not r.ok and r.skipped is None]
    assert not failed, failed
    return [r.record.to_dict() for r in results if r.ok]


def spans_of(rec: dict):
    """Every (where, span) pair in a record."""
    for ent in rec["entities"]:
        for m in ent["mentions"]:
            yield f"entity {ent['name']}", m
    for ev in rec["events"]:
        yield f"event {ev['id']} trigger", ev["trigger"]
        yield f"event {ev['id']} evidence", ev["evidence"]
        for q in ev["quantities"]:
            if q.get("start") is not None:
                yield f"event {ev['id']} quantity", q
    for t in rec["times"]:
        yield "time", t
    for c in rec["claims"]:
        yield f"claim {c['id']} cue", c["cue"]
        yield f"claim {c['id']} content", c["content"]
        if c["speaker"] and c["speaker"].get("start") is not None:
            yield f"claim {c['id']} speaker", c["speaker"]
    for key, span in rec["main_event"].items():
        if span:
            yield f"main_event {key}", span


def test_corpus_is_read_whole(records):
    assert len(records) >= 20


def test_every_record_validates(records, schema):
    validator = jsonschema.Draft202012Validator(schema)
    for rec in records:
        errors = sorted(validator.iter_errors(rec), key=str)
        assert not errors, f"{rec['id']}: {errors[0].message} at {list(errors[0].path)}"


def test_every_span_quotes_the_text(records):
    for rec in records:
        text = rec["article"]["text"]
        for where, span in spans_of(rec):
            assert 0 <= span["start"] <= span["end"] <= len(text), (rec["id"], where, span)
            assert text[span["start"]:span["end"]] == span["text"], (rec["id"], where, span)


def test_references_resolve(records):
    for rec in records:
        entity_ids = {e["id"] for e in rec["entities"]}
        claim_ids = {c["id"] for c in rec["claims"]}
        assert len(entity_ids) == len(rec["entities"])
        assert len({e["id"] for e in rec["events"]}) == len(rec["events"])
        for ev in rec["events"]:
            for role in ("actor", "recipient"):
                if ev[role] and ev[role]["entity"]:
                    assert ev[role]["entity"] in entity_ids, (rec["id"], ev)
            if ev["attribution"] and ev["attribution"].get("claim"):
                assert ev["attribution"]["claim"] in claim_ids
        for c in rec["claims"]:
            if c["speaker"] and c["speaker"]["entity"]:
                assert c["speaker"]["entity"] in entity_ids


def test_schema_rejects_a_broken_record(records, schema):
    broken = json.loads(json.dumps(records[0]))
    broken["events"] = [{"id": "e1", "type": "INVADE"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_countries_are_iso3_or_null_and_codes_are_filled(records):
    """A body of no state has its kind in org_type, never a pseudo-country; every event has its codes."""
    iso = re.compile(r"^[A-Z]{3}$")
    for rec in records:
        for ent in rec["entities"]:
            assert ent["country"] is None or (iso.match(ent["country"]) and ent["country"] not in PSEUDO), ent
        for ev in rec["events"]:
            for role in ("actor", "recipient"):
                part = ev[role]
                if part:
                    assert part["country"] is None or part["country"] not in PSEUDO, (rec["id"], part)
                    assert part["code"] is None or part["code"].startswith((part["country"] or "",
                                                                             part["org_type"] or "")), part
            assert ev["root_code"] is not None and ev["quad_class"] in (1, 2, 3, 4), (rec["id"], ev["id"])
            assert -10 <= ev["goldstein"] <= 10
