"""A small hand-made store for the page's tests, screenshots and benchmarks: no spaCy needed.

The articles are invented for this purpose. `make_record` turns a text and a few
plain specs into an eventwire/1 `Record` with correct offsets, so tests can
build exactly the store they need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from eventwire.model import (
    Article,
    Attribution,
    Claim,
    Entity,
    Event,
    EventDate,
    Location,
    Participant,
    Quantity,
    Record,
    Speaker,
    TimeExpr,
    span_of,
)
from eventwire.store import Store


@dataclass
class EventSpec:
    type: str
    trigger: str
    actor: str | None = None  # an entity name used in the text
    recipient: str | None = None
    date: str | None = None  # resolved value
    date_text: str | None = None  # the time expression in the text
    place: tuple[str, str, float, float] | None = None  # text, ISO3, lat, lon
    quantities: list[tuple[str, float, str]] = field(default_factory=list)  # text, value, what is counted
    certainty: str = "asserted"
    speaker: str | None = None
    channel: str | None = None


def _sentence(text: str, at: int) -> tuple[int, int]:
    """The sentence around offset `at`: from after the previous full stop to the next one."""
    starts = [m.end() for m in re.finditer(r"[.!?]\s+", text[:at])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?](\s|$)", text[at:])
    end = at + end_match.start() + 1 if end_match else len(text)
    return start, end


def _entities(text: str, names: list[tuple[str, str, str | None, str | None]]) -> list[Entity]:
    out = []
    for i, (name, etype, country, sector) in enumerate(names, 1):
        spans = [span_of(text, m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
        out.append(Entity(f"e{i}", name, etype, country, sector, spans))
    return out


def _participant(name: str | None, ents: list[Entity]) -> Participant | None:
    ent = next((e for e in ents if e.name == name), None)
    if name is None:
        return None
    return Participant(name, ent.id if ent else None, ent.country if ent else None, ent.sector if ent else None)


def make_record(rid: str, text: str, *, title: str, outlet: str, published: str, url: str | None = None,
                entities: list[tuple[str, str, str | None, str | None]] | None = None,
                events: list[EventSpec] | None = None, credits: list[str] | None = None) -> Record:
    ents = _entities(text, entities or [])
    record = Record(rid, Article(title=title, outlet=outlet, url=url, published=published,
                                 credits=credits or [], text=text), entities=ents)
    for i, spec in enumerate(events or [], 1):
        at = text.index(spec.trigger)
        s_start, s_end = _sentence(text, at)
        quantities = []
        for q_text, value, counts in spec.quantities:
            q_at = text.index(q_text, s_start)
            quantities.append(Quantity(value, None, counts, False, q_text, q_at, q_at + len(q_text)))
        place = Location(spec.place[0], spec.place[1], spec.place[2], spec.place[3], "city") if spec.place else None
        when = None
        if spec.date:
            when = EventDate(spec.date, spec.date_text, "day" if len(spec.date) == 10 else "month")
            if spec.date_text:
                t_at = text.index(spec.date_text, s_start)
                record.times.append(TimeExpr(t_at, t_at + len(spec.date_text), spec.date_text, "DATE",
                                             spec.date, when.precision))
        att = Attribution(spec.speaker, spec.channel, spec.certainty)
        record.events.append(Event(
            f"v{i}", spec.type, span_of(text, at, at + len(spec.trigger)), span_of(text, s_start, s_end),
            actor=_participant(spec.actor, ents), recipient=_participant(spec.recipient, ents),
            location=place, date=when, quantities=quantities, attribution=att))
        if spec.speaker:
            sp_at = text.index(spec.speaker)
            record.claims.append(Claim(f"c{i}", Speaker(spec.speaker, None, sp_at, sp_at + len(spec.speaker)),
                                       span_of(text, at, at + len(spec.trigger)),
                                       span_of(text, s_start, s_end), spec.channel, spec.certainty))
    return record


KENYA = ("Kenya", "GPE", "KEN", None)
SOMALIA = ("Somalia", "GPE", "SOM", None)
ETHIOPIA = ("Ethiopia", "GPE", "ETH", None)
PERU = ("Peru", "GPE", "PER", None)


def demo_records() -> list[Record]:
    """Six invented wire reports on two developments."""
    return [
        make_record(
            "demo-1",
            "Kenya deployed 400 soldiers to the Somali border town of Mandera on Monday, officials said. "
            "The Kenyan defence ministry said the troops would stay until the rains end.",
            title="Kenya sends troops to Mandera", outlet="Rift Courier", published="2026-03-10",
            url="https://rift.example/kenya-mandera",
            entities=[KENYA, ("Mandera", "GPE", "KEN", None), ("Kenyan defence ministry", "ORG", "KEN", "MIL")],
            events=[EventSpec("MOBILIZE", "deployed", "Kenya", None, "2026-03-09", "on Monday",
                              ("Mandera", "KEN", 3.94, 41.86), [("400 soldiers", 400, "troops")],
                              "reported", "officials", None)]),
        make_record(
            "demo-2",
            "Kenya moved some 400 troops towards Mandera on Monday, according to a police statement. "
            "Somalia accused Kenya of violating its airspace on Tuesday.",
            title="Somalia accuses Kenya over airspace", outlet="Horn Daily", published="2026-03-11",
            url="https://horn.example/airspace",
            entities=[KENYA, SOMALIA, ("Mandera", "GPE", "KEN", None)],
            events=[EventSpec("MOBILIZE", "moved", "Kenya", None, "2026-03-09", "on Monday",
                              ("Mandera", "KEN", 3.94, 41.86), [("400 troops", 400, "troops")]),
                    EventSpec("ACCUSE", "accused", "Somalia", "Kenya", "2026-03-10", "on Tuesday",
                              ("Mogadishu", "SOM", 2.04, 45.34))]),
        make_record(
            "demo-3",
            "Ethiopia sent 12 trucks of food aid to Somalia on Wednesday. "
            "The shipment reportedly crossed at Dolo, a Somali official wrote on Twitter.",
            title="Ethiopian aid convoy reaches Dolo", outlet="Addis Wire", published="2026-03-12",
            entities=[ETHIOPIA, SOMALIA, ("Dolo", "GPE", "SOM", None)],
            events=[EventSpec("AID", "sent", "Ethiopia", "Somalia", "2026-03-11", "on Wednesday",
                              ("Dolo", "SOM", 4.18, 42.08), [("12 trucks", 12, "vehicles")]),
                    EventSpec("AID", "crossed", "Ethiopia", "Somalia", "2026-03-11", None,
                              ("Dolo", "SOM", 4.18, 42.08), [], "hedged", "a Somali official", "Twitter")]),
        make_record(
            "demo-4",
            "Somalia and Ethiopia agreed on Friday to reopen the Dolo crossing to traders. "
            "Ethiopia rejected claims that its troops had entered Somalia.",
            title="Dolo crossing to reopen", outlet="Horn Daily", published="2026-03-14",
            entities=[SOMALIA, ETHIOPIA, ("Dolo", "GPE", "SOM", None)],
            events=[EventSpec("AGREE", "agreed", "Somalia", "Ethiopia", "2026-03-13", "on Friday",
                              ("Dolo", "SOM", 4.18, 42.08)),
                    EventSpec("REJECT", "rejected", "Ethiopia", "Somalia", "2026-03-13", None)]),
        make_record(
            "demo-5",
            "Thousands of farmers protested in Cusco on Thursday against new water fees. "
            "Police in Peru fired tear gas at the crowd, injuring 15 people, local radio reported.",
            title="Farmers protest water fees in Cusco", outlet="Andes Post", published="2026-03-13",
            entities=[PERU, ("Cusco", "GPE", "PER", None), ("Police", "ORG", "PER", "COP")],
            events=[EventSpec("PROTEST", "protested", None, "Peru", "2026-03-12", "on Thursday",
                              ("Cusco", "PER", -13.53, -71.97), [("Thousands", 1000, "people")]),
                    EventSpec("ASSAULT", "fired", "Police", None, "2026-03-12", None,
                              ("Cusco", "PER", -13.53, -71.97), [("15 people", 15, "injured")],
                              "reported", "local radio", "radio")]),
        make_record(
            "demo-6",
            "Peru's government offered talks with farmer unions on Saturday after the Cusco clashes.",
            title="Lima offers talks", outlet="Andes Post", published="2026-03-15",
            entities=[("Peru's government", "ORG", "PER", "GOV"), ("Cusco", "GPE", "PER", None)],
            events=[EventSpec("CONSULT", "offered talks", "Peru's government", None, "2026-03-14",
                              "on Saturday", ("Lima", "PER", -12.05, -77.04))]),
    ]


def build_demo_store(db: str, extra: list[Record] | None = None) -> dict[str, Any]:
    """A store holding the demo records (and any extra ones); returns the keys by record id."""
    store = Store(db)
    return {rec.id: store.save(rec, f"demo:{rec.id}") for rec in demo_records() + (extra or [])}
