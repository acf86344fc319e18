"""Copies: lightly edited syndicated copies are always linked, different stories never are."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.model import Article, Record
from eventwire.store import Store
from eventwire.stories import update
from eventwire.stories.dedup import is_copy, source_key
from eventwire.stories.text import content_terms, shingles

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
    assert store.save(_record("a", _text(FLOOD), "River floods lower town", url="https://a.example/1"))
    assert store.save(_record("b", _text(FLOOD), "River floods lower town", outlet="Coast Daily",
                              url="https://b.example/2")) is None  # same headline and text elsewhere
    assert store.save(_record("c", _text(FLOOD), "Other headline")) is not None  # no URL: new headline


def test_exact_copy_under_a_new_headline_is_stored_and_linked(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    a = store.save(_record("a", _text(FLOOD), "River floods lower town", url="https://a.example/1"))
    b = store.save(_record("b", _text(FLOOD), "Thousands flee", outlet="Coast Daily", url="https://b.example/2"))
    assert a and b
    update(store, [a, b])
    assert _row(store, b)["duplicate_of"] == a


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


# -- variety: random light edits of several stories, and one outlet's different stories -------------------
COUNCIL = [
    "The city council voted 21 to 14 on Wednesday to close the Linden Street depot and move its buses to a "
    "new site on the ring road, ending a debate that had lasted more than a year.",
    "Supporters said the move would free land for about 600 homes, while opponents warned that longer trips "
    "to the start of each route would cost the transport company money and drivers' time.",
    "The depot, built in 1931, employs 240 people; the company said none would lose their jobs and that a "
    "shuttle would carry staff to the new site during the first year.",
    "A group of residents has said it will ask a court to review the decision, arguing that the council did "
    "not consult the neighbourhoods along the ring road.",
]
MINE = [
    "Rescuers on Saturday reached eleven miners who had been trapped for two days by a rockfall in a copper "
    "mine near Kestrel Ridge, the operator said, and all were in stable condition.",
    "The men had sheltered in a refuge chamber stocked with water and oxygen, 400 metres below the surface, "
    "while teams drilled a new passage around the collapsed section of the tunnel.",
    "The labour inspectorate has opened an inquiry into the collapse, the third at the site in five years, "
    "and the mine will stay closed until its report is published.",
    "Relatives who had waited at the gate since Thursday cheered as the first ambulance left the site shortly "
    "after dawn.",
]
STORIES = {"flood": FLOOD, "trade": TRADE, "council": COUNCIL, "mine": MINE}
HEADLINE_WORDS = ["crisis", "latest", "update", "officials", "region", "live", "breaking", "week", "plan", "city"]
# What one outlet prints around every story: a header and a footer, the same under every headline.
FURNITURE = ("Valley Herald | Subscribe | Sign in", "Copyright 2025 Valley Herald. No part of this page may be "
             "copied, reprinted or passed on in any form without the written consent of the publisher.")


@st.composite
def light_edits(draw):
    """A story, and a copy of it with a new headline and one paragraph added or dropped."""
    name = draw(st.sampled_from(sorted(STORIES)))
    paras = list(STORIES[name])
    if draw(st.booleans()):
        paras.pop(draw(st.integers(0, len(paras) - 1)))
    else:
        paras.insert(draw(st.integers(0, len(paras))), EXTRA)
    headline = " ".join(draw(st.lists(st.sampled_from(HEADLINE_WORDS), min_size=2, max_size=6)))
    return name, _text(paras), headline


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=light_edits())
def test_any_light_edit_is_linked_whatever_its_new_headline(tmp_path_factory, edit):
    name, text, headline = edit
    store = Store(str(tmp_path_factory.mktemp("d") / "t.db"))
    original = store.save(_record("a", _text(STORIES[name]), f"The {name} story", url="https://a.example/1"))
    copy = store.save(_record("b", text, headline, outlet="Coast Daily", url="https://b.example/2"))
    update(store, [original, copy])
    assert _row(store, copy)["duplicate_of"] == original


@pytest.mark.parametrize("first, second", [(a, b) for a in sorted(STORIES) for b in sorted(STORIES) if a < b])
@pytest.mark.parametrize("furniture", [False, True])
def test_different_stories_of_one_outlet_are_never_copies(tmp_path, first, second, furniture):
    def page(name: str) -> str:
        body = _text(STORIES[name])
        return f"{FURNITURE[0]}\n\n{body}\n\n{FURNITURE[1]}" if furniture else body

    store = Store(str(tmp_path / "t.db"))
    a = store.save(_record("a", page(first), f"About the {first}", url="https://herald.example/1"))
    b = store.save(_record("b", page(second), f"About the {second}", url="https://herald.example/2"))
    update(store, [a, b])
    assert _row(store, b)["duplicate_of"] is None
    assert _row(store, a)["story_id"] != _row(store, b)["story_id"]


@pytest.mark.parametrize("body", [
    "Download our app for alerts. Newsletters, podcasts and puzzles are one tap away.",
    FURNITURE[1],
    "Sorry, this page is for subscribers only. Sign in or subscribe to read the full story today.",
])
def test_same_page_furniture_under_different_headlines_is_two_articles(tmp_path, body):
    """A scrape that got only the outlet's furniture is not a copy of another story's scrape."""
    store = Store(str(tmp_path / "t.db"))
    a = store.save(_record("a", body, "Floods force thousands from lower town", url="https://herald.example/1"))
    b = store.save(_record("b", body, "Port traffic rises nine percent", url="https://herald.example/2"))
    assert a and b  # both stored
    update(store, [a, b])
    assert _row(store, b)["duplicate_of"] is None


@pytest.mark.parametrize("head_a, head_b, expected", [
    ("Floods force evacuations", "Floods force thousands to flee", True),
    ("Floods force evacuations", "Port traffic rises", False),
    ("Floods force evacuations", None, True),  # an unknown headline does not veto
])
def test_short_shared_body_needs_agreeing_headlines(head_a, head_b, expected):
    body = shingles(FURNITURE[1])
    assert is_copy(body, set(body), set(content_terms(head_a or "")), set(content_terms(head_b or "")))[0] \
        is expected
    # A long body is a copy on its own, whatever the headlines say.
    long_body = shingles(_text(FLOOD))
    assert is_copy(long_body, set(long_body), set(content_terms(head_a or "")),
                   set(content_terms(head_b or "")))[0]
