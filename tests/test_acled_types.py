"""ACLED's event type of an event (eventwire/export/acled.py `classify`): the CAMEO code's type adjusted by who
acts on whom and with what, after ACLED's definitions (eventwire/data/acled_types.yaml). Own sentences."""

from __future__ import annotations

import pytest

from eventwire.export.acled import classify


def _ev(cameo: str, notes: str, actor: str | None = None, recipient: str | None = None,
        actor_sector: str | None = None, recipient_sector: str | None = None) -> dict:
    return {"cameo": cameo, "notes": notes, "actor_name": actor, "recipient_name": recipient,
            "actor_sector": actor_sector, "recipient_sector": recipient_sector, "location_country": "NGA"}


@pytest.mark.parametrize(
    ("ev", "expected"),
    [
        # a crowd's violence is a riot (mob violence), whatever verb tells it
        (_ev("190", "A mob of youths beat a suspected thief to death near the market.", "A mob of youths",
             "a suspected thief"), ("Riots", "Mob violence")),
        (_ev("180", "Angry villagers attacked the house of a local chief after the vote.", "Angry villagers",
             "the house of a local chief"), ("Riots", "Mob violence")),
        (_ev("190", "Residents clashed with traders over market fees, injuring four.", "Residents", "traders"),
         ("Riots", "Mob violence")),
        # a demonstration that burns, stones or clashes is a violent demonstration
        (_ev("141", "Students marched to the town hall and set fire to tyres on the main road.", "Students"),
         ("Riots", "Violent demonstration")),
        (_ev("140", "Demonstrators threw stones at the governor's office during the protest.", "Demonstrators"),
         ("Riots", "Violent demonstration")),
        (_ev("141", "Protesters clashed with police outside parliament over the fuel price.", "Protesters"),
         ("Riots", "Violent demonstration")),
        # ... and one that does none of it stays a protest
        (_ev("141", "Nurses marched peacefully to the ministry to demand their unpaid wages.", "Nurses"),
         ("Protests", "Peaceful protest")),
        # a weapon that strikes from afar is remote violence, whoever it hits
        (_ev("190", "Army helicopters struck rebel positions in the hills, killing six fighters.",
             "Army helicopters", "rebel positions", "MIL"), ("Explosions/Remote violence", "Air/drone strike")),
        (_ev("190", "Militants fired mortars at a market, killing three traders.", "Militants", "a market"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
        (_ev("180", "A roadside bomb killed two farmers on the road to the village.", None, "two farmers"),
         ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        (_ev("190", "Gunmen hurled a grenade at a police post, wounding two officers.", "Gunmen", "a police post"),
         ("Explosions/Remote violence", "Grenade")),
        # armed groups fighting each other is a battle, also with heavier weapons beside small arms
        (_ev("180", "Insurgents attacked an army checkpoint north of the town.", "Insurgents",
             "an army checkpoint"), ("Battles", "Armed clash")),
        (_ev("190", "Rebels fought soldiers with small arms and mortars near the airport.", "Rebels", "soldiers"),
         ("Battles", "Armed clash")),
        (_ev("193", "An armed group ambushed a police patrol on the highway.", "An armed group", "a police patrol"),
         ("Battles", "Armed clash")),
        # armed people hurting unarmed ones is violence against civilians
        (_ev("190", "Unidentified gunmen shot and killed a shopkeeper in the city centre.", "Unidentified gunmen",
             "a shopkeeper"), ("Violence against civilians", "Attack")),
        (_ev("193", "Armed men opened fire on two women in a parked car.", "Armed men", "two women"),
         ("Violence against civilians", "Attack")),
        (_ev("190", "Soldiers killed three members of a farming family in the village.", "Soldiers",
             "three members of a farming family", "MIL"), ("Violence against civilians", "Attack")),
        # abduction and sexual violence stay what they are
        (_ev("181", "Bandits armed with rifles abducted a priest and his driver.", "Bandits", "a priest"),
         ("Violence against civilians", "Abduction/forced disappearance")),
        # the recipient's name is no weapon used: "killed two IED planters" is no remote violence
        (_ev("190", "Troops killed two bomb makers in a raid on a hideout.", "Troops", "two bomb makers", "MIL"),
         ("Battles", "Armed clash")),
    ],
)
def test_acled_type_by_actor_target_and_weapon(ev, expected):
    found = classify(ev)
    assert found is not None and found[:2] == expected, (ev["notes"], found)


def test_rioters_and_protesters_get_their_actor_class():
    riot = classify(_ev("190", "A mob of youths stoned a police car.", "A mob of youths", "a police car",
                        actor_sector="CVL"))
    assert riot is not None and riot[0] == "Riots" and riot[2] == 5
    march = classify(_ev("141", "Teachers marched through the capital.", "Teachers", actor_sector="CVL"))
    assert march is not None and march[0] == "Protests" and march[2] == 6


def test_no_acled_event_stays_none():
    assert classify(_ev("111", "The minister accused the rebels of lying.", "The minister", "the rebels")) is None
    assert classify({**_ev("190", "Troops did not attack the town.", "Troops"), "negated": True}) is None
