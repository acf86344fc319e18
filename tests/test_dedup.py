"""Copies: lightly edited syndicated copies are always linked, different stories never are."""

from __future__ import annotations

import pytest

from eventwire.model import Article, Record
from eventwire.store import Store
from eventwire.stories import update
from eventwire.stories.dedup import is_copy, source_key
from eventwire.stories.text import shingles

# Two stories of our own making, from one imaginary outlet.
FLOOD = [
    "Heavy rain pushed the Varna river over its banks on Tuesday, forcing about 2,000 residents of the "
    "lower town to leave their homes, the regional emergency office said.",
    "Rescue teams in rubber boats moved through flooded streets near the old market, where water reached "
    "the first floor of several buildings, according to a spokeswoman for the fire brigade.",
    "The office said two bridges had been closed and that the rail line to the coast would stay shut until "
    "engineers had inspected the embankment, which was damaged in a storm last spring.",
    "Forecasters expect the rain to ease by Thursday, but warned that the river would keep rising for at least "
    "another day as water drains from the hills north of the town.",
    "The mayor asked residents who had stayed behind to move valuables upstairs and to follow the instructions "
    "of rescue workers, and opened two school gyms as shelters for families.",
]
TRADE = [
    "The port authority reported on Monday that container traffic rose by nine percent in the first quarter, "
    "driven by new shipping routes to the east and a recovery in car exports.",
    "Officials credited the expansion of the southern terminal, completed in January, with cutting the time "
    "ships spend waiting at anchor from three days to less than one.",
    "Dock workers' unions welcomed the figures but said they would press for new hiring, arguing that crews "
    "had worked long shifts through the winter to keep up with demand.",
    "Analysts cautioned that fuel prices and a slowdown in consumer spending could weigh on volumes later in "
    "the year, particularly for imports of furniture and electronics.",
]
EXTRA = ("Local radio said a man in his sixties was taken to hospital after his car was swept off a side road, "
         "but that his injuries were not life-threatening.")


def _text(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


EDITS = {
    "headline changed, a comma edited": (_text(FLOOD).replace("said.", "said on Tuesday."),
                                         "River bursts banks, thousands flee"),
    "paragraph dropped": (_text(FLOOD[:3] + FLOOD[4:]), "Floods force evacuations"),
    "paragraph added": (_text(FLOOD[:2] + [EXTRA] + FLOOD[2:]), "Floods force evacuations"),
    "last paragraph cut": (_text(FLOOD[:4]), "Thousands flee as Varna floods"),
    "words edited": (_text(FLOOD).replace("Tuesday", "Tuesday night").replace("about 2,000", "some 2,000"),
                     "Floods"),
}


def _record(rid: str, text: str, title: str, outlet: str = "Valley Herald", url: str | None = None,
            credits: list[str] | None = None, published: str = "2025-03-04") -> Record:
    return Record(id=rid, article=Article(title=title, outlet=outlet, url=url, published=published,
                                          credits=credits or [], text=text))


def _row(store: Store, key: str) -> dict:
    with store.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT * FROM articles WHERE key = ?", (key,)).one()._mapping)


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_lightly_edited_copy_is_always_linked(tmp_path, edit):
    store = Store(str(tmp_path / "t.db"))
    original = store.save(_record("a", _text(FLOOD), "River floods lower town", credits=["Reuters"]))
    text, title = EDITS[edit]
    copy = store.save(_record("b", text, title, outlet="Coast Daily", url="https://coast.example/floods"))
    update(store, [original, copy])
    assert _row(store, copy)["duplicate_of"] == original
    assert _row(store, original)["duplicate_of"] is None
    assert _row(store, copy)["story_id"] == _row(store, original)["story_id"]


def test_exact_copy_is_stored_once(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    assert store.save(_record("a", _text(FLOOD), "River floods lower town"))
    assert store.save(_record("b", _text(FLOOD), "Other headline", outlet="Coast Daily")) is None


def test_two_stories_from_one_outlet_are_never_linked(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    a = store.save(_record("a", _text(FLOOD), "River floods lower town"))
    b = store.save(_record("b", _text(TRADE), "Port traffic rises"))
    update(store, [a, b])
    assert _row(store, a)["duplicate_of"] is None
    assert _row(store, b)["duplicate_of"] is None


def test_copy_of_a_copy_points_to_the_canonical(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    a = store.save(_record("a", _text(FLOOD), "one"))
    b = store.save(_record("b", _text(FLOOD[:4]), "two", outlet="B"))
    c = store.save(_record("c", _text(FLOOD[1:]), "three", outlet="C"))
    update(store, [a, b, c])
    assert _row(store, b)["duplicate_of"] == a
    assert _row(store, c)["duplicate_of"] == a


@pytest.mark.parametrize("a, b, expected", [
    (_text(FLOOD), _text(FLOOD[:3] + FLOOD[4:]), True),
    (_text(FLOOD), _text(TRADE), False),
    (FLOOD[0], TRADE[0], False),
    (_text(FLOOD), FLOOD[0] + "\n\n" + _text(TRADE), False),  # one shared paragraph is a quote, not a copy
])
def test_is_copy(a, b, expected):
    assert is_copy(shingles(a), shingles(b))[0] is expected


@pytest.mark.parametrize("credits, outlet, url, expected", [
    (["Reuters"], "Coast Daily", "https://coast.example/x", "reuters"),
    (["AFP", "BBC"], "Coast Daily", None, "agence france-presse"),  # the agency, not the photo outlet
    ([], "Coast Daily", "https://coast.example/x", "coast daily"),
    ([], None, "https://www.coast.example/x", "coast.example"),
    ([], "The Guardian", None, "the guardian"),
    ([], "Guardian", None, "the guardian"),  # one outlet, however it is spelled
    ([], None, None, None),
])
def test_source_key(credits, outlet, url, expected):
    assert source_key(credits, outlet, url) == expected
