"""Recall: sentences that name an event and used to get none (issues 9 and 10).

Each class has at least three sentences of our own, in different wordings; none restates an
evaluation sentence. The rules alone are pinned (the learned model on top has its own tests).
"""

from __future__ import annotations

import pytest

from eventwire.extract.events import _subsumed, patterns


@pytest.fixture(autouse=True)
def rules_only(monkeypatch):
    monkeypatch.setenv("EVENTWIRE_EVENT_MODEL", "0")


def types(extract_text, text):
    return [e.type for e in extract_text(text, "2024-05-02").events]


@pytest.mark.parametrize("text", [
    "Hundreds of farmers gathered outside the parliament demanding higher crop prices.",
    "A crowd of workers gathered outside the factory gates on Monday demanding unpaid wages.",
    "Dozens of pensioners gathered in front of the treasury, protesting the delayed payments.",
    "Angry traders converged on the town hall chanting slogans against the new levy.",
])
def test_a_crowd_gathering_to_demand_is_a_protest(extract_text, text):
    assert "PROTEST" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Delegates gathered in Geneva for the annual conference.",
    "Families gathered at the stadium to watch the final.",
    "Mourners gathered at the cemetery on Sunday.",
])
def test_gathering_alone_is_no_protest(extract_text, text):
    assert "PROTEST" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Hundreds of traders staged a protest denouncing new market taxes.",
    "Street vendors staged a demonstration on Thursday against the new stall fees.",
    "Taxi drivers staged a protest outside the transport ministry.",
])
def test_staged_a_protest(extract_text, text):
    """spaCy lemmatises "staged" as "stag": the lexicon's alias gives it the patterns of "stage"."""
    assert "PROTEST" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "A group of men beat up a local councillor outside his home.",
    "Youths beat up two traders at the bus park.",
    "Unknown assailants beat up a journalist in the town centre.",
])
def test_beat_up_by_anyone_is_an_assault(extract_text, text):
    assert "ASSAULT" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Spain beat France 2-1 in the final.",
    "The incumbent beat her rival by a wide margin.",
    "The company beat analysts' forecasts for the third quarter.",
])
def test_beat_alone_stays_military_only(extract_text, text):
    assert "ASSAULT" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Nigeria flew 300 troops into the disputed town.",
    "The government flew additional soldiers to the border region on Sunday.",
    "The ministry flew in commandos to the besieged port.",
])
def test_troops_flown_in_are_a_deployment(extract_text, text):
    assert "MOBILIZE" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "The minister flew to Paris on Monday.",
    "The airline flew 2 million passengers last year.",
    "Children flew kites on the beach.",
])
def test_flying_without_troops_is_no_deployment(extract_text, text):
    assert "MOBILIZE" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "A bomb blast hit the crowded market on Friday.",
    "A grenade explosion rocked a bar in the old town.",
    "A bomb explosion occurred in the market on Friday.",
    "Gunmen opened fire at a wedding party, killing three guests.",
])
def test_an_attack_with_no_named_party_still_happens_somewhere(extract_text, text):
    assert "ASSAULT" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "A blast of cold air swept across the plains.",
    "The explosion of interest in electric scooters surprised the makers.",
    "The actors clashed over the script.",
])
def test_figures_of_speech_are_no_attack(extract_text, text):
    assert "ASSAULT" not in types(extract_text, text)


def test_a_military_only_verb_does_not_swallow_its_phrasal_or_object_forms():
    verbs, _ = patterns()
    beat = verbs["beat"]
    assert any(p.prt == "up" and p.type == "ASSAULT" and "requires_military_actor" not in p.flags for p in beat)
    assert all("requires_military_actor" in p.flags for p in beat if not (p.prt or p.prep or p.objects))
    fly = verbs["fly"]
    assert any("troop" in p.objects and p.type == "MOBILIZE" and not p.flags for p in fly)
    bare = next(p for p in beat if not (p.prt or p.prep or p.objects))
    assert _subsumed(bare, [bare])


@pytest.mark.parametrize("text", [
    "Residents beat a suspected thief after catching him in a shop.",
    "A mob beat two men accused of stealing a goat.",
    "Villagers beat a suspect until the police arrived.",
])
def test_a_person_beaten_by_anyone_is_an_assault(extract_text, text):
    assert "ASSAULT" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Angry relatives assaulted a nurse after the operation.",
    "A group of youths attacked a bus driver over the fare.",
    "Two men stabbed a shopkeeper during a robbery.",
])
def test_people_named_by_words_attacking_people_is_an_assault(extract_text, text):
    assert "ASSAULT" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Truck drivers blocked the highway demanding lower fuel prices.",
    "Hundreds of pensioners marched through the city centre.",
    "Dozens of students gathered at the gate of the university, voicing anger over the fee rise.",
])
def test_a_crowd_named_by_words_protests(extract_text, text):
    assert "PROTEST" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "The actors clashed over the script.",
    "The two candidates attacked each other's records.",
    "Critics attacked the novel's ending.",
])
def test_words_fights_are_no_assault(extract_text, text):
    assert "ASSAULT" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "The air force scrambled two interceptors to shadow the bombers.",
    "Japan scrambled warplanes as Russian planes approached its airspace.",
    "Soldiers fanned out across the capital after the coup attempt.",
    "Troops fanned out along the border overnight.",
    "The army heightened its readiness along the northern frontier.",
    "The navy moved bombers and warplanes to the island base.",
])
def test_forces_scrambled_fanned_out_or_readied_are_mobilised(extract_text, text):
    assert "MOBILIZE" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Shoppers scrambled for bargains on the first day of the sale.",
    "The company moved its headquarters to Dublin.",
    "Volunteers fanned out across the park to collect litter.",
])
def test_scrambling_moving_or_fanning_out_of_civilians_is_no_deployment(extract_text, text):
    assert "MOBILIZE" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Japan said sorry to South Korea for the wartime abuses.",
    "The bank said sorry to customers for the outage.",
    "The prime minister said sorry to the families of the victims on Monday.",
])
def test_saying_sorry_is_an_apology(extract_text, text):
    assert "CONCEDE" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "The minister said on Monday that he was not sorry.",
    "The coach said the team had played well.",
    "She said she felt sorry for the losing side.",
])
def test_saying_without_sorry_is_no_apology(extract_text, text):
    assert "CONCEDE" not in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "A roadside bomb hit an army patrol on the highway.",
    "A car bomb destroyed a police checkpoint.",
    "A car bomb damaged the entrance of the hotel.",
])
def test_a_weapon_that_hits_something_is_an_attack(extract_text, text):
    assert "ASSAULT" in types(extract_text, text)


@pytest.mark.parametrize("text", [
    "Rioters set fire to the governor's office.",
    "A mob torched three cars belonging to the councillor.",
    "Arsonists burned down the village hall.",
])
def test_a_violent_crowd_named_by_words_acts(extract_text, text):
    assert {"ASSAULT", "PROTEST", "COERCE"} & set(types(extract_text, text))


@pytest.mark.parametrize("text", [
    "Angry residents stoned a police station.",
    "Youths stoned passing cars on the ring road.",
    "Demonstrators stoned the convoy of the visiting minister.",
])
def test_stoning_is_a_violent_protest(extract_text, text):
    assert {"ASSAULT", "PROTEST"} & set(types(extract_text, text))
