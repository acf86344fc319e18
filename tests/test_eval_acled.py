"""The ACLED-style scorer (eventwire/eval/acled.py): its verdicts on made-up records and events, and the
ACLED event type the export gives an event (own records, no spaCy)."""

from __future__ import annotations

import pytest

from eventwire.eval import acled
from eventwire.model import Event, EventDate, Location, Participant, Quantity, Span


def _event(type_: str, cameo: str, *, recipient: Participant | None = None, day: str | None = "2024-05-02",
           dead: float | None = None, place: Location | None = None, negated: bool = False) -> Event:
    qs = [Quantity(value=dead, unit=None, counts="dead", approx=False, text=f"{dead} killed")] if dead is not None else []
    return Event(id="e1", type=type_, trigger=Span(0, 1, "x"), evidence=Span(0, 1, "x"), cameo=cameo,
                 recipient=recipient, date=EventDate(day, day, "day", "clause") if day else None, quantities=qs,
                 location=place, negated=negated)


ROW = {"types": ["ASSAULT", "COERCE"], "acled_type": "Violence against civilians", "country": "NGA",
       "lat": 10.0, "lon": 8.0, "geo_precision": 1, "date": "2024-05-02", "fatalities": 3}


@pytest.mark.parametrize(
    ("cameo", "recipient", "expected"),
    [
        ("190", Participant("villagers", sector="CVL"), "Violence against civilians"),  # armed men on civilians
        ("190", Participant("soldiers", sector="MIL"), "Battles"),
        ("194", None, "Explosions/Remote violence"),
        ("1821", None, "Violence against civilians"),
        ("141", None, "Protests"),
        ("145", None, "Riots"),
        ("111", None, None),  # an accusation is no ACLED event
    ],
)
def test_acled_category_follows_the_export(cameo, recipient, expected):
    assert acled.acled_category(_event("ASSAULT", cameo, recipient=recipient)) == expected


def test_negated_event_has_no_acled_category():
    assert acled.acled_category(_event("ASSAULT", "190", negated=True)) is None


def test_judge_each_measure():
    near = Location("Kaduna", country="NGA", lat=10.1, lon=8.1)
    far = Location("Lagos", country="NGA", lat=6.5, lon=3.4)
    good = _event("ASSAULT", "190", recipient=Participant("villagers", sector="CVL"), dead=3, place=near)
    verdict = acled.judge(ROW, [good])
    assert verdict == {"type": True, "country": True, "place": True, "date": True, "fatalities": True,
                       "spurious_dead": None, "acled_type": True}
    bad = _event("PROTEST", "141", day="2024-05-01", dead=2, place=far)
    verdict = acled.judge(ROW, [bad])
    assert verdict == {"type": False, "country": True, "place": False, "date": False, "fatalities": False,
                       "spurious_dead": None, "acled_type": False}
    assert acled.judge({**ROW, "fatalities": 0}, [bad])["spurious_dead"] is True


def test_score_counts_confusions_on_missed_records():
    rows = [ROW, {**ROW, "acled_type": "Battles"}, {**ROW, "acled_type": "Protests"}]
    coded = [[_event("ASSAULT", "190", recipient=Participant("villagers", sector="CVL"))],
             [_event("ASSAULT", "190", recipient=Participant("villagers", sector="CVL"))], []]
    figures = acled.score(rows, coded)
    assert figures["acled_type"] == pytest.approx(1 / 3)
    assert figures["acled_type_confusions"] == {"Battles -> Violence against civilians": 1,
                                                "Protests -> no event": 1}
    assert figures["no_event_records"] == 1
