"""Quantities: numbers with units, what they count, approximation (own sentences)."""

from __future__ import annotations

import pytest

from eventwire.extract.quantities import parse_number
from eventwire.model import Article


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,200", 1200.0), ("1.5 million", 1_500_000.0), ("twenty-five", 25.0), ("three dozen", 36.0),
     ("a dozen", 12.0), ("two hundred", 200.0), ("3 billion", 3e9), ("one hundred and twenty", 120.0),
     ("several", None), ("dozens", None), ("2.3.4", None), ("banana", None), ("", None)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


def _ctx(nlp, text: str):
    from eventwire.dictionary import dictionary
    from eventwire.extract import Context, extract
    from eventwire.extract.quantities import extract_quantities

    doc = nlp(text)
    rec = extract(doc, Article(text=text), "t", only=("entities",))
    ctx = Context(doc, rec, None, dictionary())
    extract_quantities(ctx)
    return ctx


@pytest.mark.parametrize(
    ("text", "value", "unit", "counts", "approx"),
    [
        ("Witnesses saw about 100 troops at the base.", 100.0, None, "troops", True),
        ("The ship carried 35 tonnes of equipment.", 35.0, "tonne", "equipment", False),
        ("The fund is worth $3 billion.", 3e9, "USD", "money", False),
        ("Donors pledged billions of dollars.", None, "USD", "money", True),
        ("At least 12 people were killed in the blast.", 12.0, None, "dead", True),
        ("Dozens of soldiers were wounded.", None, None, "troops", True),
        ("Nearly 40 civilians were injured.", 40.0, None, "injured", True),
        ("Three dozen tanks crossed the river.", 36.0, None, "vehicles", False),
        ("Rebels shot down two drones.", 2.0, None, "aircraft", False),
        ("The EU approved €5m in aid.", 5e6, "EUR", "money", False),
        ("Some 1.5 million people have fled the fighting.", 1.5e6, None, "displaced", True),
        ("Twenty-five protesters were arrested.", 25.0, None, "detained", False),
    ],
)
def test_quantity(nlp, text, value, unit, counts, approx):
    qs = _ctx(nlp, text).scratch["quantities"]
    assert len(qs) == 1, qs
    q = qs[0]
    assert (q.value, q.unit, q.counts, q.approx) == (value, unit, counts, approx)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize(
    ("text", "counts", "reason"),
    [("The blast killed twenty-3 soldiers.", "dead", "words and digits mixed"),
     ("Police detained 1,2,3 protesters.", "detained", "malformed number")],
)
def test_unreadable_number_is_null_with_reason(nlp, text, counts, reason):
    [q] = _ctx(nlp, text).scratch["quantities"]
    assert (q.value, q.counts, q.reason) == (None, counts, reason)


@pytest.mark.parametrize(("text", "reason"), [("1,2,3", "malformed number"), ("twenty-3", "words and digits mixed"),
                                              ("1,200", None), ("3 hundred", None), ("F-16", None)])
def test_number_problem(text, reason):
    from eventwire.extract.quantities import number_problem
    assert number_problem(text) == reason


@pytest.mark.parametrize("text", ["One of them said so.", "The vote was held in 2019.", "He spoke at 3 p.m."])
def test_not_quantities(nlp, text):
    assert _ctx(nlp, text).scratch["quantities"] == []


def test_event_quantities_through_attributed_clause(nlp):
    from eventwire.extract.quantities import event_quantities

    text = "A port worker said she counted some 60 soldiers and 12 tonnes of ammunition unloaded."
    ctx = _ctx(nlp, text)
    sent = next(ctx.doc.sents)
    trig = next(t for t in ctx.doc if t.text == "unloaded")
    got = {q.text for q in event_quantities(ctx, trig, sent)}
    assert got == {"some 60 soldiers", "12 tonnes of ammunition"}


def test_event_quantities_exclude_other_clauses(nlp):
    from eventwire.extract.quantities import event_quantities

    text = "Police detained 40 protesters after 3 officers were hurt."
    ctx = _ctx(nlp, text)
    sent = next(ctx.doc.sents)
    trig = next(t for t in ctx.doc if t.text == "detained")
    assert [q.text for q in event_quantities(ctx, trig, sent)] == ["40 protesters"]


def test_event_quantities_include_subjectless_participle(nlp):
    from eventwire.extract.quantities import event_quantities

    text = "Three cargo planes landed at the airfield on Friday, carrying dozens of marines and 20 tonnes of fuel."
    ctx = _ctx(nlp, text)
    sent = next(ctx.doc.sents)
    trig = next(t for t in ctx.doc if t.text == "landed")
    got = {q.text for q in event_quantities(ctx, trig, sent)}
    assert {"dozens of marines", "20 tonnes of fuel"} <= got
