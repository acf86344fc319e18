"""One extracted record as rows of the batch tables, with fixed Arrow schemas.

    articles  one row per article: metadata, text, the record as JSON (its text left out: it is
              the `text` column), and the features the stories step needs (MinHash signature,
              term weights, event signature), computed here, in parallel, once
    events    one row per coded event (the store calls them mentions of events)
    entities  one row per entity of an article
    mentions  one row per mention of an entity (its span in the text)
    claims    one row per attributed claim
    places    one row per toponym of the article, resolved
    units     one row per input unit (a WARC record, a JSONL line): record, error or skipped, and why

Every table has a fixed schema, so the shard of an input with no events still has every column,
and a canonical row order (`SORT_KEYS`), so the shards do not depend on the engine or on how
many workers ran.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import pyarrow as pa

from eventwire.pipeline import Result, dumps

S, I32, I64, F64, B = pa.string(), pa.int32(), pa.int64(), pa.float64(), pa.bool_()
KEY_FIELDS = [("key", S), ("article_id", S)]


def _participant(prefix: str) -> list[tuple[str, pa.DataType]]:
    return [(f"{prefix}_{k}", S) for k in ("text", "entity", "country", "sector", "code", "org_type")]


SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema([
        *KEY_FIELDS, ("input", S), ("origin", S), ("title", S), ("outlet", S), ("url", S), ("published", S),
        ("language", S), ("coded", B), ("coded_reason", S), ("wire", S), ("credits", pa.list_(S)),
        ("text", S), ("text_hash", S), ("num_entities", I32), ("num_events", I32), ("num_claims", I32),
        ("minhash", pa.list_(pa.uint64())), ("story_terms", S), ("story_signature", S), ("warnings", pa.list_(S)),
        ("record", S)]),
    "events": pa.schema([
        *KEY_FIELDS, ("event_id", S), ("type", S), ("mode", S), ("cameo", S), ("root_code", S),
        ("quad_class", I32), ("goldstein", F64), ("negated", B), ("confidence", F64), ("source", S),
        *_participant("actor"), *_participant("recipient"),
        ("location_text", S), ("location_name", S), ("location_country", S), ("location_admin1", S),
        ("location_admin2", S), ("location_precision", S), ("lat", F64), ("lon", F64), ("geonames_id", I64),
        ("date", S), ("date_text", S), ("date_precision", S), ("certainty", S), ("speaker", S), ("channel", S),
        ("claim_id", S), ("trigger_start", I32), ("trigger_end", I32), ("trigger", S),
        ("evidence_start", I32), ("evidence_end", I32), ("evidence", S), ("quantities", S)]),
    "entities": pa.schema([
        *KEY_FIELDS, ("entity_id", S), ("name", S), ("type", S), ("country", S), ("sector", S),
        ("org_type", S), ("code", S), ("num_mentions", I32), ("attributes", S)]),
    "mentions": pa.schema([*KEY_FIELDS, ("entity_id", S), ("start", I32), ("end", I32), ("text", S)]),
    "claims": pa.schema([
        *KEY_FIELDS, ("claim_id", S), ("speaker", S), ("speaker_entity", S), ("cue", S), ("cue_start", I32),
        ("cue_end", I32), ("content", S), ("content_start", I32), ("content_end", I32), ("channel", S),
        ("certainty", S), ("via", S)]),
    "places": pa.schema([
        *KEY_FIELDS, ("place_index", I32), ("text", S), ("name", S), ("country", S), ("admin1", S),
        ("admin2", S), ("lat", F64), ("lon", F64), ("precision", S), ("geonames_id", I64),
        ("feature_class", S), ("relation", S), ("confidence", F64), ("start", I32), ("end", I32)]),
    "units": pa.schema([("input", S), ("seq", I64), ("unit", S), ("status", S), ("article_id", S),
                        ("reason", S), ("warnings", pa.list_(S))]),
}
TABLES = tuple(SCHEMAS)

# The canonical order of each table's rows.
SORT_KEYS: dict[str, list[str]] = {
    "articles": ["article_id", "key", "origin"],
    "events": ["article_id", "key", "event_id"],
    "entities": ["article_id", "key", "entity_id"],
    "mentions": ["article_id", "key", "entity_id", "start", "end"],
    "claims": ["article_id", "key", "claim_id"],
    "places": ["article_id", "key", "place_index"],
    "units": ["input", "seq"],
}


def _json(value: Any) -> str | None:
    return None if value is None else dumps(value, sort_keys=True)


def _story_features(title: str | None, text: str, data: Mapping) -> dict[str, Any]:
    """What the stories step compares, computed once per article here, where the work is parallel."""
    from eventwire.stories.cluster import body_of, signature
    from eventwire.stories.dedup import signature as minhash
    from eventwire.stories.text import article_tf, shingles

    sh = shingles(text)
    tf = article_tf(title, body_of(title, text), data)
    tf = {t: round(w, 5) for t, w in tf.items() if len(t) <= 128}  # as the store keeps them
    return {"minhash": [int(v) for v in minhash(sh)] if sh else None, "story_terms": _json(tf),
            "story_signature": _json(signature(data))}


def article_row(result: Result, data: dict, input_path: str) -> dict[str, Any]:
    from eventwire.store import article_key, content_hash

    art = data["article"]
    text = art.get("text") or ""
    key = article_key(art.get("url"), text)
    record = {**data, "article": {k: v for k, v in art.items() if k != "text"}}
    return {
        "key": key, "article_id": data["id"], "input": input_path, "origin": result.origin,
        "title": art.get("title"), "outlet": art.get("outlet"), "url": art.get("url"),
        "published": art.get("published"), "language": art.get("language"), "coded": bool(art.get("coded", True)),
        "coded_reason": art.get("coded_reason"), "wire": art.get("wire"), "credits": art.get("credits") or [],
        "text": text, "text_hash": content_hash(art.get("title"), text),
        "num_entities": len(data["entities"]), "num_events": len(data["events"]),
        "num_claims": len(data["claims"]), **_story_features(art.get("title"), text, data),
        "warnings": list(result.warnings), "record": _json(record),
    }


def _part(prefix: str, part: Mapping | None) -> dict[str, Any]:
    part = part or {}
    return {f"{prefix}_{k}": part.get(k) for k in ("text", "entity", "country", "sector", "code", "org_type")}


def event_rows(ids: dict, data: Mapping) -> Iterable[dict[str, Any]]:
    for ev in data["events"]:
        loc, date, att = ev.get("location") or {}, ev.get("date") or {}, ev.get("attribution") or {}
        yield {
            **ids, "event_id": ev["id"], "type": ev["type"], "mode": ev.get("mode"), "cameo": ev.get("cameo"),
            "root_code": ev.get("root_code"), "quad_class": ev.get("quad_class"), "goldstein": ev.get("goldstein"),
            "negated": bool(ev.get("negated")), "confidence": ev.get("confidence"), "source": ev.get("source"),
            **_part("actor", ev.get("actor")), **_part("recipient", ev.get("recipient")),
            "location_text": loc.get("text"), "location_name": loc.get("name"),
            "location_country": loc.get("country"), "location_admin1": loc.get("admin1"),
            "location_admin2": loc.get("admin2"), "location_precision": loc.get("precision"),
            "lat": loc.get("lat"), "lon": loc.get("lon"), "geonames_id": loc.get("geonames_id"),
            "date": date.get("value"), "date_text": date.get("text"), "date_precision": date.get("precision"),
            "certainty": att.get("certainty") or "asserted", "speaker": att.get("speaker"),
            "channel": att.get("channel"), "claim_id": att.get("claim"),
            "trigger_start": ev["trigger"]["start"], "trigger_end": ev["trigger"]["end"],
            "trigger": ev["trigger"]["text"], "evidence_start": ev["evidence"]["start"],
            "evidence_end": ev["evidence"]["end"], "evidence": ev["evidence"]["text"],
            "quantities": _json(ev.get("quantities") or []),
        }


def entity_rows(ids: dict, data: Mapping) -> Iterable[dict[str, Any]]:
    for ent in data["entities"]:
        yield {**ids, "entity_id": ent["id"], "name": ent["name"], "type": ent["type"],
               "country": ent.get("country"), "sector": ent.get("sector"), "org_type": ent.get("org_type"),
               "code": ent.get("code"), "num_mentions": len(ent.get("mentions") or []),
               "attributes": _json(ent.get("attributes") or {})}


def mention_rows(ids: dict, data: Mapping) -> Iterable[dict[str, Any]]:
    for ent in data["entities"]:
        for span in ent.get("mentions") or []:
            yield {**ids, "entity_id": ent["id"], "start": span["start"], "end": span["end"], "text": span["text"]}


def claim_rows(ids: dict, data: Mapping) -> Iterable[dict[str, Any]]:
    for cl in data["claims"]:
        sp = cl.get("speaker") or {}
        yield {**ids, "claim_id": cl["id"], "speaker": sp.get("text"), "speaker_entity": sp.get("entity"),
               "cue": cl["cue"]["text"], "cue_start": cl["cue"]["start"], "cue_end": cl["cue"]["end"],
               "content": cl["content"]["text"], "content_start": cl["content"]["start"],
               "content_end": cl["content"]["end"], "channel": cl.get("channel"),
               "certainty": cl["certainty"], "via": cl.get("via")}


def place_rows(ids: dict, data: Mapping) -> Iterable[dict[str, Any]]:
    for n, pl in enumerate(data.get("places") or []):
        yield {**ids, "place_index": n, **{k: pl.get(k) for k in (
            "text", "name", "country", "admin1", "admin2", "lat", "lon", "precision", "geonames_id",
            "feature_class", "relation", "confidence", "start", "end")}}


def unit_row(result: Result, input_path: str, seq: int) -> dict[str, Any]:
    return {"input": input_path, "seq": seq, "unit": result.origin, "status": result.status,
            "article_id": result.record.id if result.record is not None else result.id,
            "reason": result.error or result.skipped or (result.record and result.record.article.coded_reason),
            "warnings": list(result.warnings)}


class Tables:
    """Rows of the seven tables for one input, collected a record at a time.

    Every FLUSH_EVERY articles the rows collected are turned into Arrow tables (columnar, a small
    fraction of the size of the Python dicts), so a worker's memory grows with the input's Arrow
    size, not with its Python objects.
    """

    FLUSH_EVERY = 256

    def __init__(self, input_path: str) -> None:
        self.input = input_path
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.parts: dict[str, list[pa.Table]] = {t: [] for t in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.statuses: dict[str, int] = {}

    def add(self, result: Result) -> None:
        self._add("units", [unit_row(result, self.input, self.counts["units"] + 1)])
        self.statuses[result.status] = self.statuses.get(result.status, 0) + 1
        if result.record is not None:
            data = json.loads(dumps(result.record.to_dict()))  # strict JSON: what every consumer reads
            row = article_row(result, data, self.input)
            self._add("articles", [row])
            ids = {"key": row["key"], "article_id": row["article_id"]}
            for table, make in (("events", event_rows), ("entities", entity_rows), ("mentions", mention_rows),
                                ("claims", claim_rows), ("places", place_rows)):
                self._add(table, list(make(ids, data)))
        if len(self.rows["articles"]) >= self.FLUSH_EVERY or len(self.rows["units"]) >= 8 * self.FLUSH_EVERY:
            self.flush()

    def _add(self, table: str, rows: list[dict[str, Any]]) -> None:
        self.rows[table].extend(rows)
        self.counts[table] += len(rows)

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                self.parts[table].append(pa.Table.from_pylist(rows, schema=SCHEMAS[table]))
                self.rows[table] = []

    def arrow(self, table: str) -> pa.Table:
        self.flush()
        parts = self.parts[table]
        data = pa.concat_tables(parts) if parts else SCHEMAS[table].empty_table()
        return canonical(data, table)


def canonical(data: pa.Table, table: str) -> pa.Table:
    """The table's rows in their canonical order (a stable sort on `SORT_KEYS`)."""
    if data.num_rows < 2:
        return data
    return data.sort_by([(k, "ascending") for k in SORT_KEYS[table]])
