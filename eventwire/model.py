"""The records of the output contract ("eventwire/1").

Every extractor fills these dataclasses; `Record.to_dict()` gives the JSON that
`extract --format jsonl` prints, the store saves and the page reads. Field names
are fixed by the contract: add fields freely, rename only by bumping SCHEMA.
The JSON Schema in `eventwire/schema/eventwire-1.schema.json` checks them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA = "eventwire/1"

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
CERTAINTIES = ("asserted", "reported", "hedged", "denied")


@dataclass
class Span:
    """A stretch of `article.text`: text == article.text[start:end]."""

    start: int
    end: int
    text: str


@dataclass
class Removed:
    text: str
    reason: str


@dataclass
class Article:
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime
    language: str | None = "en"
    credits: list[str] = field(default_factory=list)
    text: str = ""
    removed: list[Removed] = field(default_factory=list)
    wire: str | None = None  # the agency the text itself is credited to ("(Reuters) -"), not a photo credit
    coded: bool = True  # False: stored, but no events coded (e.g. not English: the rules are English)
    coded_reason: str | None = None  # why it was not coded
    # Where the body begins in `text`: the product puts the headline first, as its own paragraph
    # (eventwire.headline), so a span that ends before body_start is in the headline. 0: no headline in text.
    body_start: int = 0


@dataclass
class Entity:
    id: str
    name: str  # canonical name: the longest proper name of the referent
    type: str  # PERSON ORG GPE NORP LOC FAC OUTLET PLATFORM EQUIPMENT MILITARY ...
    country: str | None = None  # ISO 3166 alpha-3, or IGO / NGO codes
    sector: str | None = None  # GOV MIL OPP REB MED BUS IGO COP JUD LEG CVL ...
    mentions: list[Span] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)  # titles, roles, aliases
    # Filled by eventwire.codes when the record is written out (country then holds ISO3 or None):
    org_type: str | None = None  # IGO NGO IMG MNC: a body of no single state
    code: str | None = None  # CAMEO-style actor code: RUSGOV, USAMIL, IGOUNO, NGO ...


@dataclass
class Participant:
    text: str
    entity: str | None = None  # Entity.id
    country: str | None = None
    sector: str | None = None
    org_type: str | None = None  # filled by eventwire.codes, as for Entity
    code: str | None = None  # CAMEO-style actor code, as for Entity


@dataclass
class Location:
    text: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None  # point city region country
    admin1: str | None = None
    confidence: float | None = None
    relation: str | None = None  # "in", "near" ...
    name: str | None = None  # the gazetteer's name of the place ("Siverskodonetsk" for "Severodonetsk")
    geonames_id: int | None = None
    feature_class: str | None = None  # GeoNames class: P populated place, A administrative division, S site
    admin2: str | None = None  # the second-level division (district, county) the place lies in
    start: int | None = None  # where the mention is in article.text (document-level places)
    end: int | None = None


@dataclass
class EventDate:
    value: str | None
    text: str | None
    precision: str | None  # day month year vague
    source: str | None = None  # clause sentence discourse (an earlier sentence of the paragraph) article publication
    timex: str | None = None  # the TIMEX3 value when finer than `value` ("2024-06-09TNI", "...T14:30")


@dataclass
class Quantity:
    value: float | None
    unit: str | None
    counts: str | None  # what is counted: troops, equipment, dead, money ...
    approx: bool
    text: str
    start: int | None = None
    end: int | None = None
    reason: str | None = None  # why value is None when the text gives a number we cannot read


@dataclass
class Attribution:
    speaker: str | None
    channel: str | None
    certainty: str  # asserted reported hedged denied
    claim: str | None = None  # Claim.id


@dataclass
class Event:
    id: str
    type: str  # PLOVER 2021
    trigger: Span
    evidence: Span  # the sentence
    mode: str | None = None
    cameo: str | None = None
    actor: Participant | None = None
    recipient: Participant | None = None
    location: Location | None = None
    date: EventDate | None = None
    quantities: list[Quantity] = field(default_factory=list)
    negated: bool = False
    attribution: Attribution | None = None
    confidence: float | None = None
    source: str | None = None  # which coder found it: "rules", "textcat"
    # Filled by eventwire.codes from `cameo` (or the PLOVER type) when the record is written out:
    root_code: str | None = None  # CAMEO root: the code's first two digits
    quad_class: int | None = None  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float | None = None  # Goldstein weight of the CAMEO code, -10 .. +10


@dataclass
class TimeExpr:
    start: int
    end: int
    text: str
    type: str  # DATE TIME DURATION SET
    value: str | None  # TIMEX3 value, None when it cannot be resolved
    precision: str | None  # day week month year decade vague
    anchor: str | None = None  # the date it was resolved against
    reason: str | None = None  # why value is None


@dataclass
class Speaker:
    text: str
    entity: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Claim:
    id: str
    speaker: Speaker | None
    cue: Span
    content: Span
    channel: str | None
    certainty: str
    via: str | None = None  # the claim this one is reported inside (chains)


@dataclass
class MainEvent:
    who: Span | None = None
    what: Span | None = None
    when: Span | None = None
    where: Span | None = None
    why: Span | None = None
    how: Span | None = None


@dataclass
class Record:
    id: str
    article: Article
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    main_event: MainEvent = field(default_factory=MainEvent)
    places: list[Location] = field(default_factory=list)  # every toponym of the article, resolved, in text order
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        from eventwire.codes import annotate

        data = annotate(asdict(self))
        return {"schema": data.pop("schema"), "id": data.pop("id"), **data}


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of a record (eventwire/schema/eventwire-1.schema.json)."""
    import json
    from pathlib import Path

    path = Path(__file__).parent / "schema" / "eventwire-1.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))
