"""Violent acts of conflict reports that the event coder must code (CAS, wave 3; own sentences).

Each class of trigger added to eventwire/data/lexicon/events.yaml for the ACLED-style categories has three
or more sentences here, in different wordings; the last test holds sentences those triggers must not code.
"""

from __future__ import annotations

import pytest

from eventwire.model import Article


def _types(nlp, text: str) -> set[str]:
    from eventwire.extract import extract

    return {e.type for e in extract(nlp(text), Article(text=text, published="2024-05-20"), "t").events}


@pytest.mark.parametrize(
    "text",
    [
        # an exchange of fire is a fight
        "Police officers exchanged fire with a gang of robbers near the market on Sunday.",
        "Soldiers and smugglers exchanged gunfire at a border crossing late on Friday.",
        "On Saturday, rival militias exchanged fire for hours on the north side of town.",
        # a grenade or an explosive thrown is an explosive attack
        "Unknown men threw a hand grenade at a police post in the port city on Monday.",
        "A militant hurled a grenade into a crowded bus station, police said.",
        "On Friday, attackers threw an explosive device at the home of a judge in Mombasa.",
        # burning a vehicle, a house or a station is violence against property
        "Angry residents burned a bus of the state transport company on Monday.",
        "A mob set fire to a village chief's home in Bouake after the vote.",
        "Protesters torched a police station and two trucks in the provincial capital.",
    ],
)
def test_violent_acts_are_coded(nlp, text):
    assert _types(nlp, text) & {"ASSAULT", "PROTEST", "COERCE"}, text


@pytest.mark.parametrize(
    "text",
    [
        "The two leaders exchanged views on trade at the summit.",
        "The ministers exchanged letters about the border talks.",
        "Fans threw flowers at the winning team's bus.",
        "The champion beat her rival in three sets on Sunday.",
        "The company burned through its cash reserves last year.",
    ],
)
def test_look_alikes_are_not_violence(nlp, text):
    assert not _types(nlp, text) & {"ASSAULT"}, text


# CAS, wave 5: crowd actions and attacks named in ways the classes above missed (own sentences).
@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # a sit-in (the tokenizer splits "sit-in", so the light verb's object is "in" with "sit" before it)
        ("On Tuesday, retired miners organised a sit-in outside the pensions agency to demand their arrears.",
         "PROTEST"),
        ("Unemployed graduates staged a sit-in outside the governorate building in Gafsa.", "PROTEST"),
        ("Dock workers began a sit-in at the port on Monday over unpaid bonuses.", "PROTEST"),
        # a crowd that gathers for a rally, a vigil or a protest
        ("Some 200 teachers gathered for a rally on the square outside parliament, backing the nurses' strike.", "PROTEST"),
        ("Residents assembled for a vigil outside the mosque on Friday evening.", "PROTEST"),
        ("Several hundred farmers turned out for a protest in Rennes against new water rules.", "PROTEST"),
        # "protest" naming a noun that alone names no event
        ("Climate campaigners staged a protest action outside a bank's headquarters over its coal loans.", "PROTEST"),
        ("Taxi drivers held a protest meeting on the steps of the town hall on Wednesday.", "PROTEST"),
        ("Students organised a protest gathering at the university campus.", "PROTEST"),
        # a shoot-out (split by the tokenizer into shoot / - / out)
        ("A shoot-out broke out between two gangs in the harbour district, leaving one dead.", "ASSAULT"),
        ("Soldiers and smugglers were caught in a shoot-out near the border post on Sunday.", "ASSAULT"),
        ("Police said a shoot-out with kidnappers ended in the village at dawn.", "ASSAULT"),
        # rape ("raped" is lemmatised as "rap"): a person as object or as passive subject
        ("Soldiers raped a woman in a village near the lake on Thursday.", "ASSAULT"),
        ("A girl was raped by armed men on the road to the market.", "ASSAULT"),
        ("Militiamen raped two students in the town on Saturday, a local official said.", "ASSAULT"),
    ],
)
def test_wave5_crowd_actions_and_attacks(nlp, monkeypatch, text, wanted):
    """The trigger classes, so the rules alone: end to end the wave-5 model vetoes the shoot-out that
    names no place (the dated-and-placed guard in events.py does not cover it)."""
    monkeypatch.setenv("EVENTWIRE_EVENT_MODEL", "0")
    assert wanted in _types(nlp, text), text


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("The singer rapped about his childhood on the new album.", "ASSAULT"),
        ("The court rapped the ministry for its delays.", "ASSAULT"),
        ("The president held a sit-down with reporters on Friday.", "PROTEST"),
        ("Families gathered for a wedding in the village on Saturday.", "PROTEST"),
    ],
)
def test_wave5_look_alikes(nlp, text, unwanted):
    assert unwanted not in _types(nlp, text), text
