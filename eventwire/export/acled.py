"""Merged events as rows of an ACLED export (ACLED's column names, in ACLED's order).

Only events ACLED would record are written: those whose CAMEO code falls under one of the types in
`eventwire/data/acled_types.yaml` (fighting, remote violence, violence against civilians, protests,
riots, and the strategic developments ACLED keeps: signed agreements and ceasefires, arrests, looting,
mobilisation).
`COLUMNS` says how each column is filled; docs/columns.md lists the same.
"""

from __future__ import annotations

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


def classify(ev: dict) -> tuple[str, str, int | None, int | None] | None:
    """ACLED event type, sub-event type and the two actor classes of one event (the keys `row` reads), or None
    when it is no event ACLED records."""
    found = acled_type(ev.get("cameo") or (ev.get("root_code") or ""))
    if found is None or ev.get("negated"):  # "did not attack" is no attack
        return None
    event_type, sub_type = found
    place = ev.get("location_country")
    i1 = inter(ev.get("actor_sector"), ev.get("actor_country"), ev.get("actor_org_type"), place, event_type)
    i2 = inter(ev.get("recipient_sector"), ev.get("recipient_country"), ev.get("recipient_org_type"), place,
               event_type)
    if event_type == "Battles" and i2 == 7:  # battles are between armed groups: this is an attack
        event_type, sub_type = "Violence against civilians", "Attack"
    return event_type, sub_type, i1, i2


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
