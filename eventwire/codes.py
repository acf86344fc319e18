"""Codes that other event-data tools read: CAMEO root code, QuadClass, Goldstein, actor codes.

GDELT and other CAMEO-coded data give every event its root code (the first
two digits), a QuadClass (1 verbal cooperation, 2 material cooperation, 3
verbal conflict, 4 material conflict) and the Goldstein weight of its code,
and every actor a code made of a country and a role (RUSGOV, USAMIL) or of a
kind of body and the body itself (IGOUNO). The tables are data files:
`eventwire/data/cameo_codes.yaml` and `eventwire/data/cameo_actors.yaml`.

`country` fields hold an ISO 3166 alpha-3 code or nothing. The actor
dictionary and the event coder mark bodies that belong to no state with a
pseudo-country ("IGO", "NGO", "IMG"); `annotate` moves that into `org_type`
when a record leaves the process (`Record.to_dict`), so the coder's own
logic keeps its codes and everything written out, stored or exported is
clean. `annotate` is idempotent: a record read back and written again is
unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from eventwire.data import load_yaml

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
_CASE_SENSITIVE = re.compile(r"^[A-Z0-9.\-]{1,6}$")  # "WHO", "AU", "UN": never the common word


# -- events -------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _event_tables() -> tuple[dict[str, float], dict[str, int], dict[str, str]]:
    data = load_yaml("cameo_codes.yaml")
    weights = {str(code): float(w) for code, w in data["goldstein"].items()}
    quads = {str(root): int(q) for q, roots in data["quad_class"].items() for root in roots}
    plover = {str(t): str(root) for t, root in data["plover_root"].items()}
    return weights, quads, plover


def root_code(cameo: str | None, plover_type: str | None = None) -> str | None:
    """"190" -> "19"; with no CAMEO code, the root of the PLOVER type ("ASSAULT" -> "19")."""
    if cameo and len(cameo) >= 2 and cameo[:2].isdigit():
        return cameo[:2]
    return _event_tables()[2].get(plover_type or "")


def goldstein(cameo: str | None, plover_type: str | None = None) -> float | None:
    """The Goldstein weight of the most specific listed code that the code falls under."""
    weights = _event_tables()[0]
    found = most_specific(weights, cameo)
    if found is not None:
        return found
    root = root_code(None, plover_type)
    return weights.get(root) if root else None


def quad_class(cameo: str | None, plover_type: str | None = None) -> int | None:
    root = root_code(cameo, plover_type)
    return _event_tables()[1].get(root) if root else None


def event_codes(cameo: str | None, plover_type: str | None = None) -> dict[str, Any]:
    """root_code, quad_class and goldstein of one event."""
    return {"root_code": root_code(cameo, plover_type), "quad_class": quad_class(cameo, plover_type),
            "goldstein": goldstein(cameo, plover_type)}


# -- actors -------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _actor_tables() -> tuple[frozenset[str], dict[str, str], list[tuple[re.Pattern, str]]]:
    data = load_yaml("cameo_actors.yaml")
    roles = frozenset(data["roles"])
    org_types = {str(k): str(v) for k, v in data["org_types"].items()}
    names: list[tuple[str, str]] = [(name, code) for code, aliases in data["bodies"].items() for name in aliases]
    names.sort(key=lambda nc: -len(nc[0]))  # "UN refugee agency" before "UN"
    pats = [(re.compile(rf"(?<![\w.]){re.escape(n)}(?![\w])", 0 if _CASE_SENSITIVE.match(n) else re.IGNORECASE),
             code) for n, code in names]
    return roles, org_types, pats


@lru_cache(maxsize=1)
def _iso3() -> frozenset[str]:
    """The country codes the actor dictionary knows (ISO 3166 alpha-3 plus the few it adds, e.g. XKX)."""
    from eventwire.dictionary import dictionary

    return frozenset(dictionary().country_names)


def split_country(country: str | None, sector: str | None = None) -> tuple[str | None, str | None]:
    """(ISO3 or None, org_type or None) of a country field and sector: ("IGO", "IGO") -> (None, "IGO")."""
    org_types = _actor_tables()[1]
    org = org_types.get(country or "")
    iso = country if country in _iso3() else None
    if org is None and sector in ("IGO", "NGO"):
        org = sector  # a national NGO keeps its country: ("VEN", "NGO") -> ("VEN", "NGO")
    return iso, org


def body_code(*names: str | None) -> str | None:
    """The CAMEO code of the body a name, or a person's role, denotes ("UN refugee agency" -> IGOUNOREFHCR)."""
    for name in names:
        if not name:
            continue
        for pat, code in _actor_tables()[2]:
            if pat.search(name):
                return code
    return None


def actor_code(country: str | None, sector: str | None, org_type: str | None = None,
               names: tuple[str | None, ...] = ()) -> str | None:
    """CAMEO-style code of an actor: ISO3 + role (RUSGOV), body (IGOUNO), kind (NGO), or role alone (REB).

    `country` may still hold a pseudo-country (stored before codes existed): it is split here.
    """
    iso, org = split_country(country, sector)
    org = org_type or org
    roles = _actor_tables()[0]
    role = sector if sector in roles else ""
    if org and not iso:
        body = body_code(*names)
        if body and body.startswith(org):
            return body
        return org + (role if org == "IMG" else "")
    code = (iso or "") + role
    return code or None


# -- records ------------------------------------------------------------------------------------------------
def _role_of(name: str | None) -> str | None:
    """The dictionary's role of a known person ("UN Secretary-General"), which names the body they act for."""
    if not name:
        return None
    from eventwire.dictionary import dictionary

    actor = dictionary().lookup(name)
    return actor.get("role") if actor is not None else None


def _annotate_actor(obj: dict, names: tuple[str | None, ...]) -> None:
    iso, org = split_country(obj.get("country"), obj.get("sector"))
    org = obj.get("org_type") or org
    obj["country"], obj["org_type"] = iso, org
    if "code" not in obj or obj["code"] is None:
        obj["code"] = actor_code(iso, obj.get("sector"), org, names)


def annotate(data: dict[str, Any]) -> dict[str, Any]:
    """Add the codes to a record's dict (`Record.to_dict`), in place; returns it."""
    by_id = {}
    for ent in data.get("entities", ()):
        roles = tuple((ent.get("attributes") or {}).get("roles") or ())
        names = (ent.get("name"), *roles, _role_of(ent.get("name")))
        _annotate_actor(ent, names)
        by_id[ent.get("id")] = (ent, names)
    for ev in data.get("events", ()):
        ev.update({k: v for k, v in event_codes(ev.get("cameo"), ev.get("type")).items()})
        for role in ("actor", "recipient"):
            part = ev.get(role)
            if part:
                ent, names = by_id.get(part.get("entity"), (None, ()))
                _annotate_actor(part, (*names, part.get("text")))
        loc = ev.get("location")
        if loc:
            loc["country"] = split_country(loc.get("country"))[0]
    for place in data.get("places", ()) or ():
        place["country"] = split_country(place.get("country"))[0]
    return data


def most_specific(table: dict[str, Any], cameo: str | None) -> Any:
    """The entry of the most specific CAMEO code in `table` that `cameo` falls under ("1823" -> "182" -> "18")."""
    code = cameo or ""
    while len(code) >= 2:
        if code in table:
            return table[code]
        code = code[:-1]
    return None
