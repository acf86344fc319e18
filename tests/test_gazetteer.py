"""The offline GeoNames gazetteer: what it holds, and its cached index (built, reused, rebuilt)."""

from __future__ import annotations

import pickle

import pytest

from eventwire.geo import gazetteer as gz


@pytest.mark.parametrize(
    ("name", "country", "feature"),
    [
        ("Goma", "COD", "P"),  # a city of the misses
        ("Velyka Novosilka", "UKR", "P"),  # a town of some 5,000 people
        ("Nord-Kivu", "COD", "A"),  # a province, found by its name
        ("Diffa", "NER", "A"),  # "Diffa region": the division beside the town
        ("North Waziristan", "PAK", "A"),  # a district, found without its "District"
        ("Kherson", "UKR", "A"),  # "Khersonska oblast" is also found as "Kherson"
        ("Severodonetsk", "UKR", "P"),  # an alternate spelling of a big town
    ],
)
def test_gazetteer_holds(name, country, feature):
    found = [g for g in gz.candidates(name) if g.country == country and g.feature == feature]
    assert found, [(g.name, g.country, g.feature) for g in gz.candidates(name)]
    assert all(g.lat is not None and -90 <= g.lat <= 90 for g in found if g.feature == "P")


def test_places_know_their_divisions():
    [kherson] = [g for g in gz.candidates("Kherson") if g.feature == "P" and g.country == "UKR"]
    assert kherson.admin1 and "kherson" in gz.division_keys(kherson)
    assert kherson.gid > 0 and kherson.population > 10_000


@pytest.mark.parametrize(("name", "forms"), [
    ("Khersonska oblast", {"khersonska oblast", "khersonska"}),
    ("Département de Diffa", {"departement de diffa", "diffa"}),
    ("Lower Shabelle", {"lower shabelle"}),
])
def test_stripped_forms(name, forms):
    assert gz.stripped_forms(name) == forms


def test_index_is_cached_and_rebuilt_when_corrupt(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("EVENTWIRE_CACHE", str(tmp_path))
    small = gz.Index([gz.GeoPlace(1, "Testville", "P", 0, "XXX", None, None, 10, 1.0, 2.0)],
                     {"testville": (0,)}, [], [], ())
    monkeypatch.setattr(gz, "build_index", lambda: small)
    gz.load_index.cache_clear()
    try:
        path = gz.index_path()
        assert not path.exists()
        stale = tmp_path / "gazetteer-b1-gnc0-loc0.pickle"  # an index of an earlier build
        stale.write_bytes(b"old")
        assert gz.load_index().names == {"testville": (0,)}  # built and saved
        assert path.exists() and pickle.loads(path.read_bytes()).names == small.names
        assert not stale.exists()  # the earlier build's 30 MB are not left behind
        path.write_bytes(b"not a pickle")
        gz.load_index.cache_clear()
        assert gz.load_index().places[0].name == "Testville"
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "rebuilding" in err and str(path) in err
    finally:
        gz.load_index.cache_clear()


def test_haversine():
    assert gz.haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert gz.haversine_km(48.85, 2.35, 48.85, 2.35) == 0


@pytest.mark.parametrize("code", ["GAO", "DXB", "OAKB", "MZR"])
def test_airport_codes_are_not_names(code):
    from eventwire.geo.gazetteer import _code

    assert _code(code)


@pytest.mark.parametrize("name", ["Gao", "Dubai", "Bam", "Ain"])
def test_alternate_names_keep_real_words(name):
    from eventwire.geo.gazetteer import _code

    assert not _code(name)


# towns whose names spell another city's airport code: Guantanamo (GAO), Kutaisi (KUT), Abakan (ABA),
# Yenisehir (YEI)
@pytest.mark.parametrize(("name", "country"), [("Gao", "MLI"), ("Kut", "IRQ"), ("Aba", "NGA"), ("Yei", "SSD")])
def test_a_town_is_not_taken_for_a_city_whose_airport_code_it_spells(name, country):
    from eventwire.extract.places import resolve

    loc = resolve(name)
    assert loc is not None and loc.country == country
