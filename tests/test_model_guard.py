"""The model may not veto an act of force or a crowd that the rules found in a sentence naming its day and
a named place (events._dated_placed_violence). Tested with a model stand-in that vetoes everything, so
what is kept is the guard's doing alone."""

from __future__ import annotations

import pytest

from eventwire.extract import event_classifier as ec
from eventwire.model import Article


@pytest.fixture()
def vetoing_model(monkeypatch):
    if ec.load_model() is None:
        pytest.skip("no event model shipped or it is switched off")
    monkeypatch.setattr(ec, "decide", lambda *a, **k: ec.Decision("veto", "NONE", 0.99))


def _types(nlp, text: str) -> list[str]:
    from eventwire.extract import extract

    return [e.type for e in extract(nlp(text), Article(text=text, published="2024-08-25"), "g").events]


@pytest.mark.parametrize("text", [
    "Gunmen shot dead two traders at a market in Maiduguri on Friday morning.",
    "On 3 April 2024, students demonstrated in front of the governor's office in Gulu over fees.",
    "An armed group attacked a convoy near Djibo on 22 May.",
])
def test_dated_and_placed_violence_survives_a_veto(nlp, vetoing_model, text):
    assert set(_types(nlp, text)) & {"ASSAULT", "PROTEST"}, text


@pytest.mark.parametrize("text", [
    "Gunmen shot dead two traders at a crowded market, witnesses said.",  # no place named
    "Students demonstrated in Gulu over the new fees.",  # no day
    "On Friday, the governor of Borno accused the militants of targeting farmers in Maiduguri.",  # words only
])
def test_other_sentences_are_vetoed(nlp, vetoing_model, text):
    assert _types(nlp, text) == [], text
