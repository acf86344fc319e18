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
