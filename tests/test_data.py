"""The readable data files: they parse, they say what they mean, and the dictionary resolves names."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eventwire.data import DATA_DIR
from eventwire.dictionary import dictionary

YAML_FILES = sorted(p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*.yaml"))


def _list_items(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _list_items(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _list_items(value, (*path, i))
            else:
                yield (*path, i), value


@pytest.mark.parametrize("name", YAML_FILES)
def test_no_word_in_a_list_turned_into_a_boolean(name):
    """YAML reads a bare `on`, `off`, `yes` or `no` as true/false: in a word list that is a bug."""
    data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    flipped = [path for path, value in _list_items(data) if isinstance(value, bool)]
    assert not flipped, f"{name}: quote these words: {flipped[:5]}"


@pytest.mark.parametrize(("name", "year", "country", "sector", "type_"), [
    ("the Kremlin", 2019, "RUS", "GOV", "ORG"),
    ("Moscow", 2019, "RUS", "GOV", "GPE"),
    ("Venezuelan", 2019, "VEN", None, "NORP"),
    ("Twitter", None, None, None, "PLATFORM"),
    ("Xinhua news agency", None, "CHN", "MED", "OUTLET"),
    ("NATO", None, "IGO", "IGO", "ORG"),
    ("Juan Guaido", 2019, "VEN", "OPP", "PERSON"),  # accents folded: the file says Guaidó
])
def test_dictionary_lookup(name, year, country, sector, type_):
    actor = dictionary().lookup(name, year)
    assert actor is not None
    assert (actor.country, actor.sector, actor.type) == (country, sector, type_)


def test_a_leader_out_of_office_keeps_a_country_but_no_sector():
    actor = dictionary().lookup("Barack Obama", 2024)
    assert actor.country == "USA" and actor.sector is None and actor.get("former")


def test_short_capitalised_names_are_case_sensitive():
    assert dictionary().lookup("US") is not None
    assert dictionary().lookup("us") is None


def test_every_data_file_is_in_the_package():
    assert all((Path(DATA_DIR) / name).stat().st_size > 0 for name in YAML_FILES)


@pytest.mark.parametrize(("word", "country"), [("East Timorese", "TLS"), ("Kosovan", "XKX"), ("Bhutanese", "BTN"),
                                               ("Rohingya", "MMR"), ("Uyghurs", "CHN"), ("Abkhaz", "GEO")])
def test_demonyms_and_peoples(word, country):
    from eventwire.dictionary import dictionary

    found = dictionary().lookup(word)
    assert found is not None and (found.country, found.kind) == (country, "demonym")


@pytest.mark.parametrize("word", ["Kurdish", "Pashtun", "Hutu"])
def test_peoples_across_borders_name_no_state(word):
    from eventwire.dictionary import dictionary

    assert dictionary().lookup(word) is None
