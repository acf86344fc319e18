"""Event merging: reports of one real-world event, from many articles, become one merged event.

A mention joins a merged event only when it agrees with *every* mention
already in it (complete linkage: no chain of "close enough" steps drifts from
a market attack on Monday to a toll for the whole truce). Two mentions are one
event when all of these hold (thresholds in `eventwire/data/event_identity.yaml`):

- the types are the same, or compatible (ASSAULT and COERCE);
- the negation is the same ("did not attack" is no report of the attack);
- the dates agree at the coarser precision of the two (the same day for two
  day dates, the same month for a month date); a mention without a date is
  dated by its article: it happened at most `undated_days` before publication
  (two undated mentions are never merged: nothing ties them to one day);
- the places agree: the same country when both are known, and, when both are
  resolved, within the radius of the coarser precision (a city inside its
  region, a site inside its city);
- actors and recipients do not conflict: where both name a country, or a
  sector, they are the same;
- the tolls agree, or a later report gives a higher one (a rising toll,
  flagged); a different toll with no date to explain it is another event,
  unless close (flagged as a conflict).

Merging reads no story: the same mentions make the same events whichever
story an article is in at the time. Each mention keeps why it joined
(`mentions.merge_reason`), each event the summary (`events.merge_reason`) and
what its reports disagree on (`events.conflicts`). Independent sources count
a syndicated copy as its original's source, and articles credited to one wire
as one source.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, insert, null, or_, select
from sqlalchemy.engine import Connection

from eventwire.data import load_yaml
from eventwire.store.schema import articles, events, mentions

CERTAINTY_RANK = {"asserted": 3, "reported": 2, "hedged": 1, "denied": 0}
MAX_CANDIDATES = 50
EARTH_KM = 6371.0


@dataclass(frozen=True)
class Rules:
    type_group: dict[str, frozenset[str]]
    radius_km: dict[str, float]
    undated_days: int
    report_window_days: int
    toll_ratio: float


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = load_yaml("event_identity.yaml")
    groups: dict[str, frozenset[str]] = {}
    for group in data["compatible_types"]:
        for t in group:
            groups[t] = groups.get(t, frozenset({t})) | frozenset(group)
    return Rules(groups, {k: float(v) for k, v in data["place_radius_km"].items()}, int(data["undated_days"]),
                 int(data["report_window_days"]), float(data["toll_ratio"]))


def compatible_types(etype: str) -> frozenset[str]:
    return rules().type_group.get(etype, frozenset({etype}))


def event_id_for(article_key: str, local_id: str) -> str:
    """Named after its first mention: stable across re-runs."""
    return "v" + hashlib.sha1(f"{article_key}/{local_id}".encode()).hexdigest()[:15]


def corroboration(num_sources: int, asserted: bool) -> str:
    """single: one source; corroborated: 2+ independent sources; confirmed: 3+ with one asserting it."""
    if num_sources >= 3 and asserted:
        return "confirmed"
    if num_sources >= 2:
        return "corroborated"
    return "single"


# -- comparing two mentions -----------------------------------------------------------------------------
def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


def _precision(m: Mapping) -> str | None:
    """How precise a mention's date is: its stored precision, else what the value's length says."""
    value = m.get("date")
    if not value:
        return None
    stored = m.get("date_precision")
    if stored in _PRECISION_ORDER:
        return stored
    return {10: "day", 7: "month", 4: "year"}.get(len(value[:10]))


def _date_key(value: str, precision: str) -> str:
    if precision == "week":
        day = _day(value)
        return f"{day.isocalendar().year}-W{day.isocalendar().week:02d}" if day else value
    return value[:{"day": 10, "month": 7, "year": 4}.get(precision, 10)]


@dataclass
class Verdict:
    same: bool
    reasons: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    anchors: int = 0  # how many known details agree (the better candidate has more)


def _dates(a: Mapping, b: Mapping, out: Verdict) -> bool:
    pa, pb = _precision(a), _precision(b)
    if pa and pb:
        coarser = max(pa, pb, key=_PRECISION_ORDER.__getitem__)
        if _date_key(a["date"], coarser) != _date_key(b["date"], coarser):
            return False
        out.reasons.append(f"same {coarser} ({_date_key(a['date'], coarser)})")
        out.anchors += 1
        return True
    # No date in one (or both): a report tells of what happened just before it was published.
    slack = rules().undated_days
    pub_a, pub_b = _day(a.get("published")), _day(b.get("published"))
    dated = a if pa else b if pb else None
    if dated is not None:
        undated_pub = pub_b if dated is a else pub_a
        when = _day(dated["date"]) if _precision(dated) == "day" else None
        if when is None or undated_pub is None:
            return False  # a month-dated event and an undated report: nothing ties them
        ok = 0 <= (undated_pub - when).days <= slack
        if ok:
            out.reasons.append(f"undated report published within {slack} days after {when.isoformat()}")
        return ok
    return False  # two undated reports: nothing but their wording would tie them to one happening


def _km(a: Mapping, b: Mapping) -> float:
    la, oa, lb, ob = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lb - la) / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin((ob - oa) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _places(a: Mapping, b: Mapping, out: Verdict) -> bool:
    ca, cb = a.get("location_country"), b.get("location_country")
    if ca and cb and ca != cb:
        return False
    has_a, has_b = a.get("lat") is not None, b.get("lat") is not None
    prec_a, prec_b = a.get("location_precision"), b.get("location_precision")
    if "country" in (prec_a, prec_b) or not (has_a and has_b):
        if ca and cb:
            out.reasons.append(f"same country ({ca})")
            out.anchors += 1
        return True
    radii = rules().radius_km
    limit = max(radii.get(prec_a or "unknown", radii["unknown"]), radii.get(prec_b or "unknown", radii["unknown"]))
    km = _km(a, b)
    if km > limit:
        return False
    names = sorted({n for n in (a.get("location_text"), b.get("location_text")) if n})
    what = " and ".join(names) if names else "the places"
    out.reasons.append(f"{what}: {km:.0f} km apart (within {limit:.0f})" if len(names) > 1 else f"same place ({what})")
    out.anchors += 1
    return True


def _participants(a: Mapping, b: Mapping, out: Verdict) -> bool:
    for role in ("actor", "recipient"):
        ca, cb = a.get(f"{role}_country"), b.get(f"{role}_country")
        sa, sb = a.get(f"{role}_sector"), b.get(f"{role}_sector")
        if ca and cb and ca != cb or sa and sb and sa != sb:
            return False
        if ca and cb:
            out.reasons.append(f"{role} agrees ({'/'.join(x for x in (ca, sa or sb) if x)})")
            out.anchors += 1
    return True


def dead(m: Mapping) -> float | None:
    """The largest count of dead a mention gives, or None."""
    values = [q.get("value") for q in m.get("quantities") or [] if q.get("counts") == "dead"
              and isinstance(q.get("value"), int | float)]
    return max(values) if values else None


def _tolls(a: Mapping, b: Mapping, out: Verdict) -> bool:
    da, db = dead(a), dead(b)
    if da is None or db is None:
        return True
    if da == db:
        out.reasons.append(f"same toll ({da:g} dead)")
        out.anchors += 1
        return True
    early, late = sorted((a, b), key=lambda m: (m.get("published") or "", m.get("article_key") or ""))
    lo_hi = f"{dead(early):g} then {dead(late):g} dead"
    dated = _precision(a) is not None and _precision(b) is not None
    if dated and dead(late) > dead(early) and (early.get("published") or "") < (late.get("published") or ""):
        out.conflicts.append(f"toll rose in a later report: {lo_hi}")
        return True
    if max(da, db) <= rules().toll_ratio * max(min(da, db), 1):
        out.conflicts.append(f"reports differ on the toll: {lo_hi}")
        return True
    return False


def same_event(a: Mapping, b: Mapping) -> Verdict:
    """Whether two mentions report one event, and why (or why not, as a False verdict)."""
    out = Verdict(False)
    if b["type"] not in compatible_types(a["type"]) or bool(a.get("negated")) != bool(b.get("negated")):
        return out
    if not (_dates(a, b, out) and _places(a, b, out) and _participants(a, b, out) and _tolls(a, b, out)):
        return Verdict(False)
    out.reasons.insert(0, f"same type ({a['type']})" if a["type"] == b["type"]
                       else f"compatible types ({a['type']} and {b['type']})")
    out.same = True
    return out


def joins(m: Mapping, members: Sequence[Mapping]) -> Verdict:
    """Whether a mention agrees with every mention of a merged event (complete linkage)."""
    total = Verdict(True)
    for other in members:
        v = same_event(m, other)
        if not v.same:
            return Verdict(False)
        total.reasons += [r for r in v.reasons if r not in total.reasons]
        total.conflicts += [c for c in v.conflicts if c not in total.conflicts]
        total.anchors = max(total.anchors, v.anchors)
    return total


# -- the store ------------------------------------------------------------------------------------------
_MENTION_COLS = ("id", "article_key", "local_id", "event_id", "type", "date", "date_precision", "location_text",
                 "location_country", "location_precision", "lat", "lon", "actor_country", "actor_sector",
                 "actor_text", "recipient_country", "recipient_sector", "recipient_text", "negated", "quantities",
                 "certainty", "merge_reason")


def _mention_select():
    return select(*(mentions.c[c] for c in _MENTION_COLS), articles.c.published).select_from(
        mentions.join(articles, articles.c.key == mentions.c.article_key))


def _shift(day: date, days: int) -> str:
    return (day + timedelta(days=days)).isoformat()


def candidates(conn: Connection, m: Mapping) -> list[str]:
    """Ids of stored events that may be this mention's: compatible type, reported at about the same time."""
    window = rules().report_window_days
    pub = _day(m.get("published"))
    query = select(events.c.id).where(events.c.type.in_(sorted(compatible_types(m["type"]))),
                                      events.c.negated == bool(m.get("negated")))
    if pub is not None:
        query = query.where(or_(events.c.last_seen.is_(None), and_(
            events.c.last_seen >= _shift(pub, -window), events.c.first_seen <= _shift(pub, window) + "\uffff")))
    for col in ("actor_country", "recipient_country", "location_country"):
        if m.get(col):
            query = query.where(or_(events.c[col].is_(None), events.c[col] == m[col]))
    query = query.order_by(events.c.num_sources.desc(), events.c.id).limit(MAX_CANDIDATES)
    return [r.id for r in conn.execute(query)]


def _members(conn: Connection, event_ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {e: [] for e in event_ids}
    if event_ids:
        for row in conn.execute(_mention_select().where(mentions.c.event_id.in_(event_ids))):
            out[row.event_id].append(dict(row._mapping))
    return out


def best_event(conn: Connection, m: Mapping) -> tuple[str, Verdict] | None:
    """The stored event this mention is a report of: the one it agrees with on the most details."""
    ids = candidates(conn, m)
    found: list[tuple[int, int, str, Verdict]] = []
    for rank, (event_id, members) in enumerate(_members(conn, ids).items()):
        members = [x for x in members if x["id"] != m["id"]]
        if not members:
            continue
        verdict = joins(m, members)
        if verdict.same:
            found.append((-verdict.anchors, rank, event_id, verdict))
    if not found:
        return None
    _, _, event_id, verdict = min(found, key=lambda f: f[:3])
    return event_id, verdict


def merge_article(conn: Connection, key: str, story_id: str | None) -> list[str]:
    """Give each mention of one article its merged event; return the events touched."""
    touched: list[str] = []
    rows = conn.execute(_mention_select().where(mentions.c.article_key == key).order_by(mentions.c.id)).all()
    # Mentions merged before (a store linked by an earlier eventwire, or a relinked article) are merged
    # again by today's rules: detached first, their old events recounted or removed.
    before = sorted({r.event_id for r in rows if r.event_id})
    if before:
        conn.execute(mentions.update().where(mentions.c.article_key == key).values(event_id=None, merge_reason=None))
        for event_id in before:
            if conn.execute(select(mentions.c.id).where(mentions.c.event_id == event_id).limit(1)).first() is None:
                conn.execute(events.delete().where(events.c.id == event_id))
            else:
                refresh(conn, event_id)
    for row in rows:
        m = dict(row._mapping, event_id=None)
        found = best_event(conn, m)
        if found is None:
            event_id, reason = event_id_for(key, m["local_id"]), "first report of this event"
            if conn.execute(select(events.c.id).where(events.c.id == event_id)).first() is None:
                conn.execute(insert(events).values(
                    id=event_id, story_id=story_id, type=m["type"], actor_country=m["actor_country"],
                    actor_sector=m["actor_sector"], actor_name=m["actor_text"],
                    recipient_country=m["recipient_country"], recipient_sector=m["recipient_sector"],
                    recipient_name=m["recipient_text"], date=m["date"], location_text=m["location_text"],
                    location_country=m["location_country"], lat=m["lat"], lon=m["lon"],
                    negated=bool(m["negated"]), **_codes(conn, m["id"])))
        else:
            event_id, verdict = found
            reason = "joined: " + "; ".join(verdict.reasons)
        conn.execute(mentions.update().where(mentions.c.id == m["id"]).values(event_id=event_id,
                                                                              merge_reason=reason))
        refresh(conn, event_id)
        touched.append(event_id)
    return touched


def _codes(conn: Connection, mention_id: int) -> dict:
    row = conn.execute(select(mentions.c.mode, mentions.c.cameo).where(mentions.c.id == mention_id)).one()
    return {"mode": row.mode, "cameo": row.cameo}


def independent_sources(rows: Sequence[Any]) -> set[str]:
    """One key per independent source: a copy counts as its original's source, a wire as itself.

    `rows` have key, source_key and duplicate_of (the canonical article, with its own source_key
    as canonical_source when known).
    """
    out: set[str] = set()
    for r in rows:
        if r.duplicate_of:
            out.add(r.canonical_source or r.duplicate_of)
        else:
            out.add(r.source_key or r.key)
    return out


def refresh(conn: Connection, event_id: str) -> None:
    """Recount one event from its mentions (exact and idempotent, whatever ran before)."""
    members = _members(conn, [event_id])[event_id]
    if not members:
        return
    keys = sorted({m["article_key"] for m in members})
    canon = articles.alias("canon")
    arts = conn.execute(select(articles.c.key, articles.c.source_key, articles.c.duplicate_of,
                               canon.c.source_key.label("canonical_source"))
                        .select_from(articles.outerjoin(canon, canon.c.key == articles.c.duplicate_of))
                        .where(articles.c.key.in_(keys))).all()
    sources = independent_sources(arts)
    ranks = [CERTAINTY_RANK.get(m["certainty"], -1) for m in members]
    strongest = {r: c for c, r in CERTAINTY_RANK.items()}.get(max(ranks))
    published = sorted(m["published"] for m in members if m["published"])
    values = {"num_mentions": len(members), "num_articles": len(keys), "num_sources": max(len(sources), 1),
              "first_seen": published[0] if published else None, "last_seen": published[-1] if published else None,
              "certainty": strongest, "corroboration": corroboration(len(sources), strongest == "asserted"),
              "conflicts": conflicts(members) or null(),  # SQL NULL, not JSON null: "no conflict" is filterable
              "merge_reason": summary(members, len(keys), len(sources), len(arts) - len(
                  [a for a in arts if not a.duplicate_of]))}
    values.update(_fill_unknowns(members))
    conn.execute(events.update().where(events.c.id == event_id).values(**values))


def conflicts(members: Sequence[Mapping]) -> list[str]:
    """What the reports of one event disagree on: tolls (rising ones are said so), dates at another precision."""
    out: list[str] = []
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            verdict = Verdict(True)
            _tolls(a, b, verdict)
            out += [c for c in verdict.conflicts if c not in out]
    days = sorted({m["date"][:10] for m in members if _precision(m) == "day"})
    if len(days) > 1:
        out.append("reports give different days: " + ", ".join(days))
    return out


def summary(members: Sequence[Mapping], num_articles: int, num_sources: int, copies: int) -> str:
    """Why these mentions are one event, in a sentence for the page."""
    if len(members) == 1:
        return "one report"
    reasons: list[str] = []
    for m in members:
        reason = m.get("merge_reason") or ""
        for part in reason.removeprefix("joined: ").split("; "):
            if part and part != "first report of this event" and part not in reasons:
                reasons.append(part)
    copy_note = f"; {copies} syndicated cop{'y' if copies == 1 else 'ies'} counted with {'its' if copies == 1 else 'their'} original" \
        if copies else ""
    return (f"{len(members)} reports in {num_articles} article(s) from {num_sources} independent source(s)"
            f"{copy_note}; every report agrees with every other: " + "; ".join(reasons))


def _fill_unknowns(rows: Sequence[Mapping]) -> dict:
    """The most precise date and place any mention gives (the earliest full date wins)."""
    out: dict = {}
    full = sorted(r["date"] for r in rows if r["date"] and len(r["date"]) >= 10)
    if full:
        out["date"] = full[0]
    else:
        partial = sorted((r["date"] for r in rows if r["date"]), key=len, reverse=True)
        if partial:
            out["date"] = partial[0]
    placed = [r for r in rows if r["location_country"] or r["location_text"]]
    if placed:
        rank = {"point": 0, "city": 1, "region": 2, "country": 3}
        best = min(placed, key=lambda r: (r["lat"] is None, rank.get(r["location_precision"] or "", 4),
                                          r["location_country"] is None, r["id"]))
        out.update(location_text=best["location_text"], location_country=best["location_country"],
                   lat=best["lat"], lon=best["lon"])
    for role in ("actor", "recipient"):
        known = [r for r in rows if r[f"{role}_country"] or r[f"{role}_sector"]]
        if known:
            first = min(known, key=lambda r: r["id"])
            out[f"{role}_country"] = first[f"{role}_country"]
            out[f"{role}_sector"] = first[f"{role}_sector"]
    return out
