"""Entities across an article: one entity per referent, names and descriptions joined (own sentences)."""

from __future__ import annotations

import pytest

from eventwire.dictionary import dictionary
from eventwire.extract import Context
from eventwire.extract.entities import extract_entities
from eventwire.model import Article, Record


def _people(nlp, text: str) -> dict[str, list[str]]:
    ctx = Context(doc=nlp(text), record=Record(id="t", article=Article(text=text)), published=None,
                  dictionary=dictionary())
    extract_entities(ctx)
    return {e.name: [m.text for m in e.mentions] for e in ctx.record.entities if e.type == "PERSON"}


@pytest.mark.parametrize(("text", "name", "description"), [
    ("Bolivian President Luis Arce met envoys on Monday. Later the Bolivian president flew home.",
     "Luis Arce", "the Bolivian president"),
    ("Chilean President Gabriel Boric spoke first. Chile's president then left the hall.",
     "Gabriel Boric", "Chile's president"),
    ("Prime Minister Anna Lund of Denmark arrived late, and the prime minister spoke briefly.",
     "Anna Lund", "the prime minister"),
])
def test_description_joins_the_one_office_holder_named_before(nlp, text, name, description):
    assert description in _people(nlp, text)[name]


@pytest.mark.parametrize("text", [
    # two presidents: "the president" could be either
    "Chilean President Gabriel Boric and Argentine President Javier Milei met. The president said nothing.",
    # another country's president is someone else
    "Bolivian President Luis Arce met envoys. The Peruvian president did not attend.",
    # named after the description: nobody to refer back to
    "The Bolivian president arrived first. Luis Arce, a lawyer, came later.",
])
def test_description_stays_unlinked_when_the_referent_is_unclear(nlp, text):
    linked = [m for mentions in _people(nlp, text).values() for m in mentions if "president" in m.lower()]
    assert not [m for m in linked if m.lower().startswith(("the ", "chile"))]


@pytest.mark.parametrize(("text", "country", "description"), [
    ("Brazil has long backed Bolivia, lending the South American nation large sums.", "BOL", "the South American nation"),
    ("Qatar rejected the report, and the Gulf state said it would respond.", "QAT", "the Gulf state"),
])
def test_a_country_described_by_its_region_joins_the_last_one_named(nlp, text, country, description):
    ctx = Context(doc=nlp(text), record=Record(id="t", article=Article(text=text)), published=None,
                  dictionary=dictionary())
    extract_entities(ctx)
    [entity] = [e for e in ctx.record.entities if e.country == country and e.type == "GPE"]
    assert description in [m.text for m in entity.mentions]


def test_no_country_of_that_region_leaves_the_description_alone(nlp):
    text = "Japan rejected the report, and the Gulf state said it would respond."
    ctx = Context(doc=nlp(text), record=Record(id="t", article=Article(text=text)), published=None,
                  dictionary=dictionary())
    extract_entities(ctx)
    assert all("the Gulf state" not in [m.text for m in e.mentions] for e in ctx.record.entities)
