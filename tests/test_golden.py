"""Golden expectations: for each self-written article in tests/fixtures/articles, the events a reviewer
says must be in its record and those that must not (tests/golden/<name>.yaml; the fields are described
at the top of talks.yaml). Each expectation is its own test case, so a regression names the event it
lost. `known_gaps` run as strict xfail: when the coder learns one, the test says so and the entry moves
to `must`. Nothing here is regenerated from what the code prints: edit the YAML by hand, with a reason.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
import yaml

from eventwire.model import Event, Record
from tests.conftest import FIXTURES, ROOT

GOLDEN = ROOT / "tests" / "golden"
ARTICLES = sorted(p.stem for p in (FIXTURES / "articles").glob("*.txt"))
FIELDS = frozenset({"type", "trigger", "actor", "recipient", "actor_text", "recipient_text", "negated",
                    "cameo", "mode", "where", "where_country"})


def expectations(name: str) -> dict[str, Any]:
    return yaml.safe_load((GOLDEN / f"{name}.yaml").read_text(encoding="utf-8")) or {}


@cache
def record_of(name: str) -> Record:
    """The record with the rules alone: these expectations review the rules (with the learned model
    on, tests/test_gate.py and the held-back floors judge it)."""
    import os

    from eventwire.pipeline import Options, run

    before = os.environ.get("EVENTWIRE_EVENT_MODEL")
    os.environ["EVENTWIRE_EVENT_MODEL"] = "0"
    try:
        return _run(name, Options, run)
    finally:
        if before is None:
            os.environ.pop("EVENTWIRE_EVENT_MODEL", None)
        else:
            os.environ["EVENTWIRE_EVENT_MODEL"] = before


def _run(name: str, Options, run) -> Record:  # noqa: N803 - the pipeline's own names
    published = json.loads((FIXTURES / "articles" / f"{name}.json").read_text())["published"]
    [result] = list(run([str(FIXTURES / "articles" / f"{name}.txt")], Options(published=published)))
    assert result.ok, result.error
    return result.record


def _one_of(value: str | None, wanted: Any) -> bool:
    return value in wanted if isinstance(wanted, list) else value == wanted


def matches(ev: Event, spec: dict[str, Any]) -> bool:
    """Every field the spec gives holds for the event."""
    unknown = set(spec) - FIELDS
    assert not unknown, f"unknown fields {unknown} in {spec}"
    checks = {
        "type": lambda w: ev.type == w,
        "trigger": lambda w: ev.trigger.text == w,
        "actor": lambda w: _one_of(ev.actor.country if ev.actor else None, w),
        "recipient": lambda w: _one_of(ev.recipient.country if ev.recipient else None, w),
        "actor_text": lambda w: ev.actor is not None and w in ev.actor.text,
        "recipient_text": lambda w: ev.recipient is not None and w in ev.recipient.text,
        "negated": lambda w: bool(ev.negated) == w,
        "cameo": lambda w: ev.cameo == str(w),
        "mode": lambda w: ev.mode == w,
        "where": lambda w: ev.location is not None and w in ev.location.text,
        "where_country": lambda w: ev.location is not None and ev.location.country == w,
    }
    return all(checks[key](wanted) for key, wanted in spec.items())


def _describe(rec: Record) -> list[tuple]:
    return [(e.type, e.trigger.text, e.actor.country if e.actor else None,
             e.recipient.country if e.recipient else None, e.cameo) for e in rec.events]


def _cases() -> list:
    cases = []
    for name in ARTICLES:
        exp = expectations(name)
        for i, spec in enumerate(exp.get("must") or ()):
            cases.append(pytest.param(name, "must", spec, id=f"{name}-must-{i}"))
        for i, spec in enumerate(exp.get("must_not") or ()):
            cases.append(pytest.param(name, "must_not", spec, id=f"{name}-must_not-{i}"))
        for i, spec in enumerate(exp.get("known_gaps") or ()):
            cases.append(pytest.param(name, "must", spec, id=f"{name}-gap-{i}",
                                      marks=pytest.mark.xfail(strict=True, reason="known gap")))
    return cases


def test_every_fixture_has_reviewed_expectations():
    for name in ARTICLES:
        exp = expectations(name)
        assert exp.get("must") is not None and exp.get("must_not"), f"{name}.yaml needs must and must_not"


@pytest.mark.parametrize(("name", "kind", "spec"), _cases())
def test_expected_event(name, kind, spec, nlp):
    rec = record_of(name)
    found = [e for e in rec.events if matches(e, spec)]
    if kind == "must":
        assert found, f"{name}: no event {spec} in {_describe(rec)}"
    else:
        assert not found, f"{name}: unwanted {spec}: {[_describe_one(e) for e in found]}"


def _describe_one(ev: Event) -> tuple:
    return (ev.type, ev.trigger.text, ev.actor.country if ev.actor else None,
            ev.recipient.country if ev.recipient else None, ev.cameo)


@pytest.mark.parametrize("name", [n for n in ARTICLES if (expectations(n).get("record") or {})])
def test_record_level_expectations(name, nlp):
    rec = record_of(name)
    where_not = expectations(name)["record"].get("main_event_where_not")
    if where_not:
        where = rec.main_event.where.text if rec.main_event and rec.main_event.where else ""
        assert where_not not in where, f"{name}: main event placed in {where!r}"


def test_matching_is_strict():
    """The matcher itself: a field that differs, or an unknown field, never matches."""
    from eventwire.model import Participant, span_of

    text = "Chile urged Peru to act."
    ev = Event(id="e1", type="REQUEST", trigger=span_of(text, 6, 11), evidence=span_of(text, 0, len(text)),
               actor=Participant(text="Chile", country="CHL"), recipient=Participant(text="Peru", country="PER"))
    assert matches(ev, {"type": "REQUEST", "actor": "CHL", "recipient": ["PER", "BOL"]})
    assert not matches(ev, {"type": "REQUEST", "actor": "PER"})
    assert not matches(ev, {"trigger": "urge"})
    with pytest.raises(AssertionError):
        matches(ev, {"actr": "CHL"})
