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


# --- casualties and other counts of people, on the event (own sentences) ------------------------

def _event_counts(nlp, text: str, trigger: str) -> set[tuple[float | None, str | None, bool]]:
    from eventwire.extract.quantities import event_quantities

    ctx = _ctx(nlp, text)
    tok = next(t for t in ctx.doc if t.text == trigger)
    return {(q.value, q.counts, q.approx) for q in event_quantities(ctx, tok, tok.sent)}


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Gunmen killed a merchant outside his shop on Monday.", "killed", (1.0, "dead", False)),
        ("Bandits killed two herders near the river.", "killed", (2.0, "dead", False)),
        ("Soldiers shot dead a suspected smuggler at the checkpoint.", "shot", (1.0, "dead", False)),
        ("A roadside bomb exploded, killing a woman and her son.", "exploded", (2.0, "dead", False)),
        ("Militants stormed the camp, killing at least nine guards.", "stormed", (9.0, "dead", True)),
        ("Rebels attacked the convoy and wounded three drivers.", "attacked", (3.0, "injured", False)),
        ("Gunmen abducted a priest and two students from the church.", "abducted", (3.0, "abducted", False)),
        ("Police arrested more than 30 demonstrators in the square.", "arrested", (30.0, "detained", True)),
        ("The raid led to the death of four fighters.", "raid", (4.0, "dead", False)),
        ("Fighting between the clans left six people dead.", "left", (6.0, "dead", False)),
    ],
)
def test_casualty_counts(nlp, text, trigger, expected):
    assert expected in _event_counts(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Thousands protested against the killing of a student last year.", "protested"),  # a cause, not a toll
        ("Residents held a vigil for the victims.", "held"),  # "held" a vigil detains no one
        ("Gunmen killed civilians in the market.", "killed"),  # no number: unknown, not a guess
    ],
)
def test_no_casualty_count_is_invented(nlp, text, trigger):
    assert not {c for c in _event_counts(nlp, text, trigger) if c[1] in ("dead", "detained", "injured")}


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Artillery hit the town overnight. No injuries were reported.", "hit", (0.0, "injured", False)),
        ("Rockets struck the base; there were no casualties.", "struck", (0.0, "dead", False)),
        ("Rebels clashed with troops near the border. Casualties unknown.", "clashed", (None, "dead", False)),
        ("Gunmen attacked a bus on the highway. Two passengers died.", "attacked", (2.0, "dead", False)),
    ],
)
def test_zero_unknown_and_later_toll(nlp, text, trigger, expected):
    from eventwire.extract.quantities import event_quantities

    ctx = _ctx(nlp, text)
    tok = next(t for t in ctx.doc if t.text == trigger)
    got = {(q.value, q.counts, q.approx) for q in event_quantities(ctx, tok, tok.sent)}
    assert expected in got


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a later sentence that tells the toll "in the attack" refers back to it, not to a new attack
        ("Bandits raided a farm near the lake. A herdsman died in the raid.", "raided", (1.0, "dead", False)),
        ("Soldiers shelled the hills on Monday. Three shepherds were killed during the shelling.", "shelled",
         (3.0, "dead", False)),
        ("Rebels ambushed a patrol at dawn. A corporal was wounded in the ambush.", "ambushed",
         (1.0, "injured", False)),
        # "among those killed", "among the dead"
        ("Gunmen attacked a wedding party. Two musicians were among those killed.", "attacked",
         (2.0, "dead", False)),
        ("A mortar hit the school yard. A teacher was among the wounded.", "hit", (1.0, "injured", False)),
        ("Militants stormed a hotel. Four guests were among the dead.", "stormed", (4.0, "dead", False)),
        # the toll in the main clause of a "when/after" clause holding the trigger
        ("A pupil died after a gang stabbed him outside the gates.", "stabbed", (1.0, "dead", False)),
        ("Three miners were killed when an explosive device struck their bus.", "struck", (3.0, "dead", False)),
        ("Two pilgrims were injured when police fired on the crowd.", "fired", (2.0, "injured", False)),
    ],
)
def test_toll_shapes(nlp, text, trigger, expected):
    from eventwire.extract.quantities import event_quantities

    ctx = _ctx(nlp, text)
    tok = next(t for t in ctx.doc if t.text == trigger)
    got = {(q.value, q.counts, q.approx) for q in event_quantities(ctx, tok, tok.sent)}
    assert expected in got, got


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Two doctors were among those who protested outside the clinic.", "protested"),  # a crowd, no toll
        ("Gunmen raided a farm. A new raid on a school in the north killed a guard.", "raided"),  # another toll
        ("The minister was among those who condemned the attack.", "condemned"),  # not a casualty list
    ],
)
def test_toll_shapes_do_not_overreach(nlp, text, trigger):
    from eventwire.extract.quantities import event_quantities

    ctx = _ctx(nlp, text)
    tok = next(t for t in ctx.doc if t.text == trigger)
    assert not [q for q in event_quantities(ctx, tok, tok.sent) if q.counts in ("dead", "injured", "detained")]
