"""Stories: articles about one real-world story, bounded in time and content, the same in any order.

Order independence comes from a re-clustering pass (`recluster`), run at the
end of every `eventwire.stories.update`: it rebuilds every story from the
stored articles alone, so whatever order articles arrived in, and however a
run was cut and resumed, the same articles give the same stories.

The pass is a pure function of the set of articles (`cluster_articles`):

- each article is a TF-IDF vector over its content words, names and entities,
  its headline weighing half (`eventwire.stories.text.article_tf`), with the
  IDF of the whole set (so no article is weighed by what happened to be stored
  before it);
- articles are taken in a canonical order (publication date, then key) and
  each joins the story it fits best, or opens one. It fits a story when
  * it is close in time to the story's *latest* article (a sliding window:
    `WINDOW_DAYS`; the cosine needed rises with the gap, see `threshold_for`);
    beyond the window only a near-identical report (a republished page with
    a wrong date) joins;
  * its cosine with the story's centroid clears that threshold; and
  * its event signature (main event type, place country, participant
    countries, from the record's main event) does not contradict the
    story's: a different country of the event never joins, a different type
    or different participants only when the wording is very close;
- a syndicated copy is in its original's story;
- a story is named after its first article (`story_id_for`); a later story on
  the same topic (it fits an older story's wording but not its time window)
  starts a new story in the older one's *thread* (`stories.thread_id`).

The pass keeps each article's term weights (`article_vectors`), so it reads no
text twice; it costs one read of those rows per run, which is linear in the
store.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from eventwire.store.schema import article_vectors, articles, events, mentions, stories, story_merges
from eventwire.stories.merge import compatible_types
from eventwire.stories.text import article_tf, content_terms, idf, name_terms, normalise

THRESHOLD = 0.20  # cosine with the story's centroid to join it within NEAR_DAYS of its latest article
NEAR_DAYS = 7  # follow-ups within a week need no more evidence than same-day reports
FAR_PENALTY = 0.05  # beyond, the threshold rises by this per doubling of the gap ...
WINDOW_DAYS = 30  # ... up to the end of the sliding window: later articles start a new story
SAME_REPORT = 0.4  # beyond the window only a near-identical report joins (a republished page, misdated)
STRONG = 0.4  # wording this close outweighs a different event type or different participants
THREAD_THRESHOLD = 0.2  # a new story this close to an older one continues its thread ...
THREAD_DAYS = 365  # ... when the older story was active within a year
CENTROID_TERMS = 300
INDEX_TERMS = 40  # a story is found under its 40 heaviest terms ...
QUERY_TERMS = 20  # ... by an article's 20 heaviest
SIGNATURE_PENALTY = 0.05  # extra cosine needed per part of the event signature that differs (extra_threshold)
SAME_PLACE_KM = 50  # two resolved towns further apart than this are two scenes


def story_id_for(seed_key: str) -> str:
    """A story is named after the article that opened it: the same on every re-run."""
    return "s" + hashlib.sha1(seed_key.encode()).hexdigest()[:15]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def threshold_for(gap: int | None) -> float:
    """The cosine needed to join a story whose latest article is `gap` days away (None: unknown)."""
    if gap is None or gap <= NEAR_DAYS:
        return THRESHOLD
    if gap > WINDOW_DAYS:
        return SAME_REPORT
    doublings = (gap // NEAR_DAYS).bit_length()  # 1 for 8-13 days, 2 for 14-27, 3 up to 30
    return min(SAME_REPORT, THRESHOLD + FAR_PENALTY * doublings)


# -- event signature ------------------------------------------------------------------------------------
def signature(record: Mapping | None) -> dict[str, Any]:
    """The article's main event as the stories stage compares it: type, place country, participants.

    The main event is the coded event whose trigger lies in main_event.what (else in the
    sentence of main_event.who); its place country is the main event's where (a resolved
    place there) or the event's own location. Empty when the record has none of it.
    """
    rec = record or {}
    main = rec.get("main_event") or {}
    spans = [main.get(k) for k in ("what", "who") if main.get(k)]
    evs = rec.get("events") or []
    chosen = None
    for span in spans:
        chosen = next((e for e in evs if span["start"] <= e["trigger"]["start"] < span["end"]), None) or next(
            (e for e in evs if e["evidence"]["start"] <= span["start"] < e["evidence"]["end"]), None)
        if chosen:
            break
    out: dict[str, Any] = {}
    where = main.get("where")
    if where:
        place = next((p for p in rec.get("places") or [] if p.get("start") is not None
                      and where["start"] <= p["start"] < where["end"] and p.get("country")), None)
        if place:
            out["country"] = place["country"]
            if place.get("lat") is not None and place.get("precision") in ("city", "point"):
                out["at"] = [round(place["lat"], 3), round(place["lon"], 3)]
    if chosen:
        out["type"] = chosen["type"]
        loc = chosen.get("location") or {}
        if "country" not in out and loc.get("country"):
            out["country"] = loc["country"]
        if "at" not in out and loc.get("lat") is not None and loc.get("precision") in ("city", "point"):
            out["at"] = [round(loc["lat"], 3), round(loc["lon"], 3)]
        parts = sorted({(chosen.get(r) or {}).get("country") for r in ("actor", "recipient")} - {None})
        if parts:
            out["parties"] = parts
    return out


@dataclass
class Item:
    key: str
    published: str | None
    tf: dict[str, float]
    signature: dict[str, Any] = field(default_factory=dict)
    duplicate_of: str | None = None
    title: str | None = None
    names: frozenset[str] = frozenset()  # the headline's names (see headline_names)


@dataclass
class _Story:
    id: str
    thread: str
    centroid: dict[str, float]
    first: date | None
    last: date | None
    members: list[str]
    types: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)
    spots: list[tuple[float, float]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    squares: float = 0.0  # sum of the centroid's squared weights, kept as articles are added

    def norm(self) -> float:
        return math.sqrt(self.squares)


def _agrees(sig: Mapping, story: _Story, cos: float) -> bool:
    """Whether an article's signature may join a story's at all: another town, or other parties, never
    do (unless worded very closely: a follow-up that names the region, or one side only)."""
    if cos >= STRONG:
        return True
    spot = sig.get("at")
    if spot and story.spots and all(_km(spot, s) > SAME_PLACE_KM for s in story.spots):
        return False  # another town of the same country: another incident
    parties = set(sig.get("parties") or ())
    return not (parties and story.parties and not parties & story.parties)


def extra_threshold(sig: Mapping, names: frozenset[str], story: _Story) -> float:
    """The extra cosine needed where the article's signature differs from the story's.

    A main event's country, type and headline names are read by the coder from one article and are
    often only a side of the story (a reaction abroad, an arrest after an attack), so a difference
    asks for closer wording instead of barring the article: each differing part adds SIGNATURE_PENALTY.
    """
    extra = 0.0
    country = sig.get("country")
    if country and story.countries and country not in story.countries:
        extra += SIGNATURE_PENALTY
    etype = sig.get("type")
    if etype and story.types and not compatible_types(etype) & story.types:
        extra += SIGNATURE_PENALTY
    if names and story.names and not names & story.names:
        extra += SIGNATURE_PENALTY  # other people or places in the headline: likely another incident
    return extra


def _km(a: Sequence[float], b: Sequence[float]) -> float:
    la, oa, lb, ob = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lb - la) / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin((ob - oa) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _order(item: Item) -> tuple:
    return (item.published is None, item.published or "", item.key)


def _vectors(items: Sequence[Item]) -> dict[str, dict[str, float]]:
    df = Counter(t for it in items for t in it.tf)
    n = len(items)
    return {it.key: normalise({t: w * idf(df[t], n) for t, w in it.tf.items()}) for it in items}


def _cos(vec: Mapping[str, float], story: _Story) -> float:
    norm = story.norm()
    if not norm:
        return 0.0
    return min(1.0, sum(w * story.centroid.get(t, 0.0) for t, w in vec.items()) / norm)


def _gap(day: date | None, story: _Story) -> int | None:
    if day is None or story.last is None:
        return None
    return abs((day - story.last).days)


def _add(story: _Story, vec: Mapping[str, float], item: Item) -> None:
    for t, w in vec.items():
        old = story.centroid.get(t, 0.0)
        story.centroid[t] = old + w
        story.squares += (old + w) ** 2 - old * old
    if len(story.centroid) > 2 * CENTROID_TERMS:  # keep the heaviest terms: a story's vocabulary is bounded
        story.centroid = dict(sorted(story.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS])
        story.squares = sum(w * w for w in story.centroid.values())
    day = _day(item.published)
    if day is not None:
        story.first = min(story.first, day) if story.first else day
        story.last = max(story.last, day) if story.last else day
    story.members.append(item.key)
    sig = item.signature or {}
    if sig.get("type"):
        story.types |= compatible_types(sig["type"])
    if sig.get("country"):
        story.countries.add(sig["country"])
    story.parties |= set(sig.get("parties") or ())
    if sig.get("at"):
        story.spots.append(tuple(sig["at"]))
    story.names |= item.names


def cluster_articles(items: Iterable[Item]) -> tuple[dict[str, str], dict[str, str]]:
    """(article key -> story id, story id -> thread id) for a set of articles; any input order."""
    ordered = sorted(items, key=_order)
    vecs = _vectors(ordered)
    by_key = {it.key: it for it in ordered}
    story_of: dict[str, str] = {}
    all_stories: list[_Story] = []
    index = _Index()
    group_story: dict[str, _Story] = {}  # copy group (its original's key) -> story
    for item in ordered:
        vec, day = vecs[item.key], _day(item.published)
        root = item.duplicate_of if item.duplicate_of in by_key else item.key
        story = group_story.get(root)
        candidates = index.lookup(vec) if story is None else []
        if story is None:
            story = _best(candidates, vec, day, item)
        if story is None:
            sid = story_id_for(item.key)
            story = _Story(sid, _thread(candidates, vec, day, sid), {}, None, None, [])
            all_stories.append(story)
        _add(story, vec, item)
        index.put(story)
        group_story.setdefault(root, story)
        story_of[item.key] = story.id
    return story_of, {s.id: s.thread for s in all_stories}


class _Index:
    """Stories by their heaviest terms: an article is compared only with stories sharing one of its own
    heaviest terms, so a pass costs about the same per article however many stories there are."""

    def __init__(self) -> None:
        self.stories: dict[str, _Story] = {}
        self.by_term: dict[str, set[str]] = {}
        self.terms_of: dict[str, list[str]] = {}

    def put(self, story: _Story) -> None:
        for term in self.terms_of.get(story.id, ()):
            self.by_term[term].discard(story.id)
        terms = _top(story.centroid, INDEX_TERMS)
        for term in terms:
            self.by_term.setdefault(term, set()).add(story.id)
        self.terms_of[story.id], self.stories[story.id] = terms, story

    def lookup(self, vec: Mapping[str, float]) -> list[_Story]:
        ids = set().union(*(self.by_term.get(t, set()) for t in _top(vec, QUERY_TERMS)))
        return [self.stories[i] for i in sorted(ids)]


def _top(vec: Mapping[str, float], n: int) -> list[str]:
    return [t for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def _best(candidates: Sequence[_Story], vec: Mapping[str, float], day: date | None, item: Item) -> _Story | None:
    best: tuple[float, str, _Story] | None = None
    for story in candidates:
        cos, gap = _cos(vec, story), _gap(day, story)
        margin = cos - threshold_for(gap) - extra_threshold(item.signature or {}, item.names, story)
        if margin < 0 or not _agrees(item.signature or {}, story, cos):
            continue
        if best is None or (-margin, story.id) < best[:2]:
            best = (-margin, story.id, story)
    return best[2] if best else None


def _thread(candidates: Sequence[_Story], vec: Mapping[str, float], day: date | None, sid: str) -> str:
    """The thread a new story continues: the older story on the same topic it is closest to, if any."""
    best: tuple[float, str] | None = None
    for story in candidates:
        gap = _gap(day, story)
        if gap is not None and gap > THREAD_DAYS:
            continue
        cos = _cos(vec, story)
        if cos >= THREAD_THRESHOLD and (best is None or (-cos, story.id) < best):
            best = (-cos, story.thread)
    return best[1] if best else sid


# -- the store ------------------------------------------------------------------------------------------
def _upsert(conn: Connection):
    return pg_insert if conn.dialect.name == "postgresql" else sqlite_insert


def body_of(title: str | None, text: str) -> str:
    """The body without the headline paragraph the text starts with (the headline is weighed apart)."""
    head = (title or "").strip()
    if head and text.startswith(head):
        return text[len(head):].lstrip()
    return text


def headline_names(title: str | None, body: str) -> frozenset[str]:
    """Headline words the body writes as names (capitalised inside a sentence): who and where it is about.

    Read through the body, so a title-cased headline ("Army And Rebels Agree Truce") does not make
    every word a name, and a name that opens the headline still counts.
    """
    in_body = name_terms(body)
    return frozenset(t for t in content_terms(title or "") if t in in_body)


def store_vector(conn: Connection, key: str, art: Mapping) -> None:
    """Keep one article's term weights and signature for the re-clustering pass."""
    tf = article_tf(art.get("title"), body_of(art.get("title"), art.get("text") or ""), art.get("record"))
    tf = {t: round(w, 5) for t, w in tf.items() if len(t) <= 128}
    sig = signature(art.get("record"))
    sig["names"] = sorted(headline_names(art.get("title"), body_of(art.get("title"), art.get("text") or "")))
    values = {"published": art.get("published"), "tf": tf, "signature": sig}
    stmt = _upsert(conn)(article_vectors).values(key=key, **values)
    conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_=values))


def load_items(conn: Connection) -> list[Item]:
    rows = conn.execute(select(article_vectors.c.key, article_vectors.c.published, article_vectors.c.tf,
                               article_vectors.c.signature, articles.c.duplicate_of, articles.c.title)
                        .select_from(article_vectors.join(articles, articles.c.key == article_vectors.c.key)))
    return [Item(r.key, r.published, r.tf or {}, r.signature or {}, r.duplicate_of, r.title,
                 frozenset((r.signature or {}).get("names") or ())) for r in rows]


def recluster(conn: Connection) -> dict[str, str]:
    """Rebuild every story from the stored articles; write only what changed. Returns key -> story id."""
    items = load_items(conn)
    story_of, thread_of = cluster_articles(items)
    before = dict(conn.execute(select(articles.c.key, articles.c.story_id)).all())
    changed = [(k, s) for k, s in story_of.items() if before.get(k) != s]
    for key, sid in changed:
        conn.execute(articles.update().where(articles.c.key == key).values(story_id=sid))
    _write_stories(conn, story_of, thread_of, before)
    _restory_events(conn)
    return story_of


def _write_stories(conn: Connection, story_of: Mapping[str, str], thread_of: Mapping[str, str],
                   before: Mapping[str, str | None]) -> None:
    from eventwire.stories.bridge import recount

    old_ids = {r.id for r in conn.execute(select(stories.c.id))}
    new_ids = set(thread_of)
    for sid in sorted(old_ids - new_ids):
        # A story that is gone lives on as an alias of the story its first article is in now.
        seed = conn.execute(select(stories.c.seed_key).where(stories.c.id == sid)).scalar()
        into = story_of.get(seed) if seed else None
        conn.execute(delete(stories).where(stories.c.id == sid))
        if into and into != sid:
            stmt = _upsert(conn)(story_merges).values(id=sid, into_id=into, bridge_key=None)
            conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_={"into_id": into}))
    members: dict[str, list[str]] = {}
    for key, sid in story_of.items():
        members.setdefault(sid, []).append(key)
    moved = [(before.get(key), sid) for key, sid in story_of.items() if before.get(key) != sid]
    touched = {sid for _, sid in moved} | {old for old, _ in moved if old in new_ids} | (new_ids - old_ids)
    for sid in sorted(touched | {s for s in new_ids if s in old_ids and _stale(conn, s, thread_of[s])}):
        values = recount(conn, sid)
        first = conn.execute(select(articles.c.key, articles.c.title).where(articles.c.story_id == sid)
                             .order_by(articles.c.published.is_(None), articles.c.published, articles.c.key)
                             .limit(1)).first()
        values.update(title=first.title if first else None, seed_key=first.key if first else None,
                      thread_id=thread_of[sid], state={})
        if sid in old_ids:
            conn.execute(stories.update().where(stories.c.id == sid).values(**values))
        else:
            conn.execute(insert(stories).values(id=sid, **values))
        conn.execute(delete(story_merges).where(story_merges.c.id == sid))  # a live story is no alias


def _stale(conn: Connection, sid: str, thread: str) -> bool:
    return conn.execute(select(stories.c.thread_id).where(stories.c.id == sid)).scalar() != thread


def _restory_events(conn: Connection) -> None:
    """Each merged event belongs to the story of its earliest report."""
    rows = conn.execute(select(mentions.c.event_id, articles.c.story_id, articles.c.published, articles.c.key)
                        .select_from(mentions.join(articles, articles.c.key == mentions.c.article_key))
                        .where(mentions.c.event_id.is_not(None))).all()
    first: dict[str, tuple] = {}
    for r in rows:
        rank = (r.published is None, r.published or "", r.key)
        if r.event_id not in first or rank < first[r.event_id][0]:
            first[r.event_id] = (rank, r.story_id)
    current = dict(conn.execute(select(events.c.id, events.c.story_id)).all())
    for event_id, (_, sid) in first.items():
        if current.get(event_id) != sid:
            conn.execute(events.update().where(events.c.id == event_id).values(story_id=sid))
