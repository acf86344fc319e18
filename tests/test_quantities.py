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


# --- wave 3: toll shapes of conflict reports (own sentences, three or more per rule) -------------

def _counts_on(nlp, text: str, trigger: str) -> set[tuple[float | None, str | None, bool]]:
    from eventwire.extract.quantities import event_quantities

    ctx = _ctx(nlp, text)
    tok = next(t for t in ctx.doc if t.text == trigger)
    return {(q.value, q.counts, q.approx) for q in event_quantities(ctx, tok, tok.sent)}


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a sentence between the attack and its toll that names no new attack does not cut the toll off
        ("Gunmen attacked a bus station in the east. The motive is not known. Two guards died.", "attacked",
         (2.0, "dead", False)),
        ("Mortar rounds hit a market in the town. The authorities did not name the attackers. 4 fatalities.",
         "hit", (4.0, "dead", False)),
        # the toll sentence names the attack again: definite, or as the subject of "result in"/"kill"
        ("Militia fighters raided a cattle camp. As a result of the raid, nine herders were killed.", "raided",
         (9.0, "dead", False)),
        ("Insurgents ambushed an army convoy near the pass. The ambush killed seven soldiers.", "ambushed",
         (7.0, "dead", False)),
        ("Two clans fought over grazing land. The clashes resulted in the deaths of three men.", "fought",
         (3.0, "dead", False)),
    ],
)
def test_later_toll_across_a_sentence(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Students protested outside the parliament. A student was killed and 9 were hurt.", "protested",
         (1.0, "dead", False)),
        ("Traders demonstrated against new taxes in the market. One demonstrator died.", "demonstrated",
         (1.0, "dead", False)),
        ("Hundreds of farmers marched to the governor's office. Two marchers were killed.", "marched",
         (2.0, "dead", False)),
    ],
)
def test_protest_takes_its_later_toll(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Militants shelled a village near the lake. Fatalities coded as 5.", "shelled", (5.0, "dead", False)),
        ("Troops clashed with rebels in the hills. Unknown fatalities coded as 3.", "clashed",
         (3.0, "dead", False)),
        ("Bandits attacked two farms, killing 14 people; fatalities split across two events, coded as 7 for "
         "this one.", "attacked", (7.0, "dead", False)),
        ("An airstrike hit a fuel depot. The number of deaths was estimated at 12.", "hit", (12.0, "dead", True)),
    ],
)
def test_stated_fatality_figure(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The bodies of three men were found near the river, killed by gunmen.", "killed", (3.0, "dead", False)),
        ("Two women's bodies were discovered in a ditch, shot by unknown attackers.", "shot",
         (2.0, "dead", False)),
        ("Police recovered the body of a trader who was killed by bandits.", "killed", (1.0, "dead", False)),
        ("Villagers found five bodies in a burnt house after the raid.", "raid", (5.0, "dead", False)),
    ],
)
def test_bodies_found(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a number on a group's name or acronym still counts people in a toll
        ("The clash led to the death of 4 FLN and 2 PDC.", "clash", (6.0, "dead", False)),
        ("Soldiers killed 12 Shabaab near the town.", "killed", (12.0, "dead", False)),
        ("The ambush killed 3 MPLA and wounded 5 UPC.", "ambush", (3.0, "dead", False)),
        # a second noun with no determiner or number of its own describes the same person
        ("Gunmen killed a driver and his assistant on the road.", "killed", (2.0, "dead", False)),
        ("A cleric and teacher was shot dead outside the mosque.", "shot", (1.0, "dead", False)),
        ("Four soldiers and three members of the militia were killed in the fighting.", "fighting",
         (7.0, "dead", False)),
    ],
)
def test_victim_phrases(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a range is counted at its lower bound, marked approximate (the conservative reading)
        ("Gunmen killed between 10 and 12 villagers.", "killed", (10.0, "dead", True)),
        ("The blast killed 5-7 people in the square.", "blast", (5.0, "dead", True)),
        ("Militants killed 20 to 25 soldiers at the base.", "killed", (20.0, "dead", True)),
    ],
)
def test_ranges_lower_bound(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("A mob lynched a suspected thief in the market.", "lynched", (1.0, "dead", False)),
        ("Militants beheaded two farmers in the village.", "beheaded", (2.0, "dead", False)),
        ("Two women were burned alive in their home by a gang.", "burned", (2.0, "dead", False)),
        ("Gunmen assassinated a local mayor outside his office.", "assassinated", (1.0, "dead", False)),
    ],
)
def test_more_ways_to_kill(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # the event noun sits in the casualty verb's phrase: "died in an explosion"
        ("Two children died in an explosion near the school.", "explosion", (2.0, "dead", False)),
        ("Three soldiers were killed in an ambush on the highway.", "ambush", (3.0, "dead", False)),
        ("A policeman was wounded in a grenade attack at the station.", "attack", (1.0, "injured", False)),
    ],
)
def test_toll_verb_over_event_noun(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("Gunmen attacked a minibus on the highway. All four passengers were killed.", "attacked",
         (4.0, "dead", False)),
        ("A shell hit a car carrying two farmers. Both of the farmers died.", "hit", (2.0, "dead", False)),
        ("Rebels ambushed a patrol at dawn. One of the soldiers was killed.", "ambushed", (1.0, "dead", False)),
    ],
)
def test_all_both_one_of(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # a stated figure about something else, and a body that is an institution
        ("Rebels shelled the town. The damage was estimated at 3 million dollars.", "shelled"),
        ("Gunmen attacked a convoy. The governing body of the region condemned it.", "attacked"),
        ("Police fired tear gas at the march. Two people died in a separate road accident in the city.",
         "march"),
    ],
)
def test_wave3_shapes_do_not_overreach(nlp, text, trigger):
    assert not [c for c in _counts_on(nlp, text, trigger) if c[1] == "dead" and c[0]]


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # a verb whose object is a weapon or an attack owns the toll told after it
        ("Militants launched rockets at an army base. As a result, 6 soldiers were killed.", "launched",
         (6.0, "dead", False)),
        ("Rebels threw grenades at a police post. Two officers died; a third was hurt.", "threw",
         (2.0, "dead", False)),
        ("Soldiers exchanged fire with smugglers near the border. One smuggler was killed.", "exchanged",
         (1.0, "dead", False)),
        # background told in the pluperfect, a definite weapon named again, a fire set: no new attack
        ("Gunmen shot a teacher outside a school. He had been threatened before. 1 fatality.", "shot",
         (1.0, "dead", False)),
        ("Artillery pounded the town all day. One of the shells struck a minibus; both of the passengers died.",
         "pounded", (2.0, "dead", False)),
        ("A gang raided a farm at night. A barn was set on fire. 3 fatalities.", "raided", (3.0, "dead", False)),
    ],
)
def test_toll_owners_and_what_does_not_cut_the_toll(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("The ambush killed 5 militia and 2 police.", "ambush", (7.0, "dead", False)),
        ("Troops killed 8 militia in the forest.", "killed", (8.0, "dead", False)),
        ("The attack killed 3 gendarmerie and 4 militia.", "attack", (7.0, "dead", False)),
        ("A mine blast wounded 2 soldiers and killed another.", "blast", (1.0, "dead", False)),
        ("Gunmen shot one guard and killed another.", "shot", (1.0, "dead", False)),
        ("Police fired at a car, killing 3 foreign nationals.", "fired", (3.0, "dead", False)),
        ("The blast killed two bystanders in the square.", "blast", (2.0, "dead", False)),
    ],
)
def test_more_victim_phrases(nlp, text, trigger, expected):
    assert expected in _counts_on(nlp, text, trigger)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Raiders killed 30 cattle in the village.", "killed"),
        ("A drone strike destroyed 4 trucks near the depot.", "strike"),
        ("Soldiers seized 12 rifles and killed nobody.", "seized"),
    ],
)
def test_things_and_animals_are_not_dead(nlp, text, trigger):
    assert not [c for c in _counts_on(nlp, text, trigger) if c[1] == "dead" and c[0]]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Around 9 June 2024 (as reported), gunmen abducted a priest near the mission.", None),
        ("Between 3 October and 5 October, troops shelled the ridge.", None),
        ("On April 17 the convoy reached the border crossing.", None),
        ("Around 2 May 2023, 14 villagers were abducted from a farm.", 14.0),
    ],
)
def test_day_beside_a_month_is_no_count(nlp, text, kept):
    """The tagger often leaves the day out of its DATE entity ("Around 9 June 2024" tags only "June 2024"):
    the day is still no count of anything; a real count beside it stays."""
    values = [q.value for q in _ctx(nlp, text).scratch["quantities"]]
    assert values == ([] if kept is None else [kept])
