"""Merged events as rows of an ACLED export (ACLED's column names, in ACLED's order).

Only events ACLED would record are written: those whose CAMEO code falls under one of the types in
`eventwire/data/acled_types.yaml` (fighting, remote violence, violence against civilians, protests,
riots, and the strategic developments ACLED keeps: signed agreements and ceasefires, arrests, looting,
mobilisation). The type the code gives is then adjusted by who acts on whom and with what (`classify`,
after ACLED's definitions: a crowd's violence is a riot, a weapon striking from afar is remote violence,
armed groups fighting is a battle, armed people hurting unarmed ones is violence against civilians).
`COLUMNS` says how each column is filled; docs/columns.md lists the same.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from eventwire.codes import most_specific
from eventwire.data import load_yaml
from eventwire.export import gdelt

COLUMNS: list[tuple[str, str]] = [
    ("event_id_cnty", "eventwire's event id"),
    ("event_date", "the event's date, YYYY-MM-DD; the first report's publication day when vaguer"),
    ("year", "the year of event_date"),
    ("time_precision", "1 the day is known, 2 the week, 3 the month or vaguer (from date_precision)"),
    ("disorder_type", "Political violence, Demonstrations or Strategic developments (from event_type)"),
    ("event_type", "ACLED event type, from the CAMEO code (data/acled_types.yaml)"),
    ("sub_event_type", "ACLED sub-event type, from the CAMEO code"),
    ("actor1", "the actor's name as reported"),
    ("assoc_actor_1", "empty: not coded"),
    ("inter1", "the actor's ACLED class: 1 state forces, 2 rebels, 3 political militia, 5 rioters, "
               "6 protesters, 7 civilians, 8 external/other forces (from its sector and country)"),
    ("actor2", "the recipient's name as reported"),
    ("assoc_actor_2", "empty: not coded"),
    ("inter2", "the recipient's ACLED class, as inter1"),
    ("interaction", "the two classes, lower first (17: state forces and civilians); with no recipient, "
                    "the actor's class then 0 (10)"),
    ("civilian_targeting", "'Civilian targeting' when violence is aimed at civilians, else empty"),
    ("iso", "ISO 3166 numeric code of the place's country"),
    ("region", "empty: ACLED's regions are not kept"),
    ("country", "the place's country name"),
    ("admin1", "the place's first-level division, by name"),
    ("admin2", "the place's second-level division, by name"),
    ("admin3", "empty: not kept"),
    ("location", "the place as named in the report"),
    ("latitude", "the place's latitude"),
    ("longitude", "the place's longitude"),
    ("geo_precision", "1 a town or point, 2 a division, 3 a country (from the place's precision)"),
    ("source", "the outlets that reported it, '; '-separated"),
    ("source_scale", "empty: not kept"),
    ("notes", "the first report's sentence"),
    ("fatalities", "deaths reported: the lowest of the reports' counts, 0 when none gives one"),
    ("tags", "empty: not kept"),
    ("timestamp", "Unix time when the first report was stored"),
]
ACLED_NAMES = [name for name, _ in COLUMNS]
VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
STATE = 1


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, str], dict[str, int]]:
    data = load_yaml("acled_types.yaml")
    types = {str(code): (t[0], t[1]) for code, t in data["types"].items()}
    return types, dict(data["disorder"]), {str(k): int(v) for k, v in data["inter"].items()}


def acled_type(cameo: str | None) -> tuple[str, str] | None:
    return most_specific(_tables()[0], cameo)


def inter(sector: str | None, country: str | None, org_type: str | None, place_country: str | None,
          event_type: str) -> int | None:
    """ACLED's actor class; civilians in a protest are protesters, in a riot rioters."""
    klass = _tables()[2].get(sector or "") or _tables()[2].get(org_type or "")
    if klass is None:
        return None
    if klass == STATE and country and place_country and country != place_country:
        return 8  # state forces outside their own country
    if klass in (6, 7) and event_type == "Protests":
        return 6
    if klass in (6, 7) and event_type == "Riots":
        return 5
    return klass


def _time_precision(precision: str | None) -> int:
    return {"day": 1, "week": 2}.get(precision or "", 3)


def _geo_precision(precision: str | None) -> int | None:
    return {"point": 1, "city": 1, "region": 2, "country": 3}.get(precision or "")


def _iso_numeric(iso3: str | None) -> int | None:
    return (gdelt._countries().get(iso3 or "") or {}).get("isonumeric")


ARMED_CLASSES = frozenset({1, 2, 3, 4, 8})  # state forces, rebels, militias, external forces
CROWD_CLASSES = frozenset({5, 6, 7})
# the kinds of violence whose method and target ACLED's type follows; abductions, sexual violence and
# beatings stay violence against civilians whatever the weapon
_BY_METHOD = ("Battles", "Violence against civilians")
_KEEP_SUBTYPES = frozenset({"Abduction/forced disappearance", "Sexual violence"})


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    data = load_yaml("acled_types.yaml").get("rules") or {}
    weapons = [(sub, _any_word(words)) for sub, words in (data.get("remote_weapons") or {}).items()]
    return {key: frozenset(data.get(key) or ()) for key in ("armed", "unarmed", "crowd", "group_words")} | {
        "violent": _any_word(data.get("violent_acts")), "direct": _any_word(data.get("direct_fire")),
        "weapons": weapons}


def _any_word(words: list[str] | None) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words or ("\0",))) + r")\b")


def _head_word(name: str | None) -> str | None:
    """The word that says who a name is: "two members of a local militia" -> militia, "armed men" -> man's
    plural kept as written ("men"), "villagers" -> villager."""
    if not name:
        return None
    parts = name.lower().split(" of ")
    words = re.findall(r"[a-z][a-z'-]*", parts[0])
    if words and len(parts) > 1 and words[-1].removesuffix("s") in _rules()["group_words"]:
        words = re.findall(r"[a-z][a-z'-]*", parts[1])
    return words[-1] if words else None


def _is(name: str | None, kind: str) -> bool:
    head = _head_word(name)
    if kind == "armed" and name and re.search(r"\barmed\b", name.lower()):
        return True  # "an armed group", "armed men"
    return head is not None and (head in _rules()[kind] or head.removesuffix("s") in _rules()[kind])


def _adjusted(ev: dict, event_type: str, sub_type: str, i1: int | None, i2: int | None) -> tuple[str, str]:
    """ACLED's type follows who acts on whom and with what, not the verb alone: a crowd's violence is a
    riot, a weapon that strikes from afar is remote violence whoever it hits, armed groups fighting each
    other is a battle, and armed people hurting unarmed ones is violence against civilians."""
    actor, recipient = ev.get("actor_name"), ev.get("recipient_name")
    notes = " ".join((ev.get("notes") or "").lower().split())
    if recipient:
        notes = notes.replace(" ".join(recipient.lower().split()), " ")
    actor_armed = i1 in ARMED_CLASSES or _is(actor, "armed")
    if event_type == "Protests":
        if _rules()["violent"].search(notes):
            return "Riots", "Violent demonstration"
        return event_type, sub_type
    if event_type not in _BY_METHOD or sub_type in _KEEP_SUBTYPES:
        return event_type, sub_type
    if not actor_armed and (i1 in CROWD_CLASSES or _is(actor, "crowd")):
        return "Riots", "Mob violence"
    recipient_armed = i2 in ARMED_CLASSES or _is(recipient, "armed")
    if recipient_armed and actor_armed and _rules()["direct"].search(notes):
        return "Battles", "Armed clash"
    for weapon_type, pattern in _rules()["weapons"]:
        if pattern.search(notes):
            return "Explosions/Remote violence", weapon_type
    if recipient_armed:
        return "Battles", "Armed clash"
    if i2 == 7 or _is(recipient, "unarmed"):
        return "Violence against civilians", "Attack"
    return event_type, sub_type


def classify(ev: dict) -> tuple[str, str, int | None, int | None] | None:
    """ACLED event type, sub-event type and the two actor classes of one event (the keys `row` reads, and
    its sentence `notes`), or None when it is no event ACLED records."""
    found = acled_type(ev.get("cameo") or (ev.get("root_code") or ""))
    if found is None or ev.get("negated"):  # "did not attack" is no attack
        return None
    event_type, sub_type = found
    place = ev.get("location_country")

    def classes(kind: str) -> tuple[int | None, int | None]:
        return tuple(inter(ev.get(f"{role}_sector"), ev.get(f"{role}_country"), ev.get(f"{role}_org_type"), place,
                           kind) for role in ("actor", "recipient"))  # type: ignore[return-value]

    i1, i2 = classes(event_type)
    adjusted = _adjusted(ev, event_type, sub_type, i1, i2)  # a battle on civilians (i2 7) becomes an attack
    if adjusted[0] != event_type:  # the actor classes follow the type (rioters, protesters)
        i1, i2 = classes(adjusted[0])
    return adjusted[0], adjusted[1], i1, i2


def row(ev: dict) -> dict[str, Any] | None:
    """One event as ACLED's columns, or None when it is no event ACLED records."""
    found = classify(ev)
    if found is None:
        return None
    event_type, sub_type, i1, i2 = found
    place = ev.get("location_country")
    day = gdelt._day(ev)
    pair = sorted(i for i in (i1, i2) if i is not None)
    interaction = int(f"{pair[0]}{pair[1]}") if len(pair) == 2 else (pair[0] * 10 if pair else None)
    added = ev.get("date_added")
    stamp = None
    if added:
        try:
            stamp = int(datetime.fromisoformat(added).replace(tzinfo=UTC).timestamp())
        except ValueError:
            stamp = None
    return {
        "event_id_cnty": ev["id"], "event_date": day.isoformat() if day else None,
        "year": day.year if day else None, "time_precision": _time_precision(ev.get("date_precision")),
        "disorder_type": _tables()[1].get(event_type), "event_type": event_type, "sub_event_type": sub_type,
        "actor1": ev.get("actor_name"), "assoc_actor_1": None, "inter1": i1,
        "actor2": ev.get("recipient_name"), "assoc_actor_2": None, "inter2": i2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting" if event_type in VIOLENT and i2 == 7 else None,
        "iso": _iso_numeric(place), "region": None, "country": gdelt.country_name(place) or None,
        "admin1": ev.get("location_admin1"), "admin2": ev.get("location_admin2"), "admin3": None,
        "location": ev.get("location_text"), "latitude": ev.get("lat"), "longitude": ev.get("lon"),
        "geo_precision": _geo_precision(ev.get("location_precision")),
        "source": "; ".join(ev.get("outlets") or []) or None, "source_scale": None,
        "notes": " ".join((ev.get("notes") or "").split()) or None, "fatalities": ev.get("fatalities") or 0, "tags": None, "timestamp": stamp,
    }
