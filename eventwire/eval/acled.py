"""Score events against conflict-monitoring gold records (ACLED style, one report per line).

Each line: `text`, `published`, `types[]` (the PLOVER types that fit the
record's category), `country` (ISO3), `lat`/`lon`, `geo_precision` (1: the
named place itself), `date` and `fatalities`.

Per record, as shared/eval/README.md defines it:
- type: some output event has one of `types`;
- country: some event's `location.country` is the gold country;
- place: some event's location lies within 50 km of the gold point (records with geo_precision 1 only);
- date: some event's `date.value` is the gold date;
- fatalities: on records with fatalities > 0, some event has a quantity counting "dead" with that value.

Besides the five, two diagnostics that the README does not define: `spurious_dead` (records with no deaths on
which some event reports deaths; lower is better) and `acled_type` (some event's ACLED event type, as
`eventwire export --format acled` writes it from the event, is the record's own `acled_type`), with the
confusions of the latter in `acled_type_confusions` (gold -> ours, on the records it misses).

`--dump FILE` (through `evaluate_rows`) writes one line per record with what
we output beside the gold, for reading the misses; never for tuning single records.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators
from eventwire.geo.gazetteer import haversine_km
from eventwire.model import Article, Event

NEAR_KM = 50.0
KEYS = ("type", "country", "place", "date", "fatalities", "spurious_dead", "acled_type")


def code_records(rows: list[dict[str, Any]]) -> list[list[Event]]:
    """Run analyse + extract over the reports, in batches."""
    from eventwire.analyse import analyse
    from eventwire.extract import extract

    out = []
    for i, (row, doc) in enumerate(zip(rows, analyse(r["text"] for r in rows), strict=True)):
        article = Article(text=row["text"], published=row.get("published"))
        out.append(extract(doc, article, row.get("id") or f"a{i}").events)
    return out


def _near(ev: Event, lat: float, lon: float) -> bool:
    loc = ev.location
    return loc is not None and loc.lat is not None and loc.lon is not None and \
        haversine_km(loc.lat, loc.lon, lat, lon) <= NEAR_KM


def _dead(ev: Event, value: float) -> bool:
    return any(q.counts == "dead" and q.value is not None and abs(q.value - value) < 0.5 for q in ev.quantities)


def acled_category(ev: Event) -> str | None:
    """The ACLED event type `eventwire export --format acled` gives the event (its CAMEO code, adjusted by the
    recipient's actor class), or None when the export leaves it out."""
    from eventwire.codes import split_country
    from eventwire.export.acled import classify

    def side(p: Any, key: str) -> dict[str, Any]:
        if p is None:
            return {}
        iso, org = split_country(p.country, p.sector)
        return {f"{key}_sector": p.sector, f"{key}_country": iso, f"{key}_org_type": p.org_type or org}

    found = classify({"cameo": ev.cameo, "negated": ev.negated, "notes": ev.evidence.text,
                      "location_country": ev.location.country if ev.location is not None else None,
                      "actor_name": ev.actor.text if ev.actor else None,
                      "recipient_name": ev.recipient.text if ev.recipient else None,
                      **side(ev.actor, "actor"), **side(ev.recipient, "recipient")})
    return found[0] if found else None


def judge(row: dict[str, Any], events: list[Event]) -> dict[str, bool | None]:
    """The five per-record verdicts; None where the measure does not apply to the record."""
    point = row.get("geo_precision") == 1 and row.get("lat") is not None and row.get("lon") is not None
    deaths = float(row.get("fatalities") or 0)
    return {
        "type": any(e.type in set(row.get("types") or ()) for e in events),
        "country": any(e.location is not None and e.location.country == row.get("country") for e in events),
        "place": any(_near(e, float(row["lat"]), float(row["lon"])) for e in events) if point else None,
        "date": any(e.date is not None and e.date.value == row.get("date") for e in events),
        "fatalities": any(_dead(e, deaths) for e in events) if deaths > 0 else None,
        # not in the README's five: on records with no deaths, did we report some? (lower is better)
        "spurious_dead": any(q.counts == "dead" and (q.value or 0) > 0 for e in events for q in e.quantities)
        if deaths == 0 else None,
        "acled_type": any(acled_category(e) == row["acled_type"] for e in events) if row.get("acled_type") else None,
    }


def score(rows: list[dict[str, Any]], coded: list[list[Event]]) -> dict[str, Any]:
    totals: dict[str, list[int]] = {}
    confusions: Counter[str] = Counter()
    for row, events in zip(rows, coded, strict=True):
        verdicts = judge(row, events)
        for key, ok in verdicts.items():
            if ok is None:
                continue
            hit_n = totals.setdefault(key, [0, 0])
            hit_n[0] += ok
            hit_n[1] += 1
        if verdicts["acled_type"] is False:
            ours = sorted({acled_category(e) or "-" for e in events}) or ["no event"]
            confusions[f"{row['acled_type']} -> {' / '.join(ours)}"] += 1
    figures: dict[str, Any] = {"records": len(rows),
                               "events_per_record": sum(map(len, coded)) / len(rows) if rows else 0.0,
                               "no_event_records": sum(1 for c in coded if not c)}
    for key in KEYS:
        hit, n = totals.get(key, [0, 0])
        figures[key] = hit / n if n else 0.0
        figures[f"{key}_n"] = n
    figures["acled_type_confusions"] = dict(confusions.most_common(12))
    return figures


def report(figures: dict[str, Any]) -> str:
    lines = [f"{'records':<18} {figures['records']}",
             f"{'events_per_record':<18} {figures['events_per_record']:.2f}",
             f"{'no_event_records':<18} {figures['no_event_records']}"]
    for key in KEYS:
        if key == "acled_type" and not figures[key + "_n"]:
            continue  # the file has no acled_type field
        lines.append(f"{key:<18} {figures[key]:.3f}  (n={figures[key + '_n']})")
    for pair, n in (figures.get("acled_type_confusions") or {}).items():
        lines.append(f"  missed acled_type {pair}: {n}")
    return "\n".join(lines)


def _dump_line(row: dict[str, Any], events: list[Event]) -> dict[str, Any]:
    return {"id": row.get("id"), "verdict": judge(row, events),
            "gold": {k: row.get(k) for k in ("country", "location", "admin1", "lat", "lon", "geo_precision",
                                              "date", "fatalities", "types")},
            "events": [{"type": e.type, "trigger": e.trigger.text, "acled_type": acled_category(e),
                        "location": None if e.location is None else
                        [e.location.text, e.location.country, e.location.lat, e.location.lon,
                         e.location.precision, e.location.confidence],
                        "date": None if e.date is None else e.date.value,
                        "quantities": [[q.value, q.counts, q.text] for q in e.quantities]} for e in events]}


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate_rows(rows: list[dict[str, Any]], dump: Path | None = None) -> dict[str, Any]:
    coded = code_records(rows)
    if dump is not None:
        with Path(dump).open("w", encoding="utf-8") as fh:
            for row, events in zip(rows, coded, strict=True):
                fh.write(json.dumps(_dump_line(row, events), ensure_ascii=False) + "\n")
    return score(rows, coded)


@evaluators.register("acled")
def evaluate(path: Path) -> dict[str, Any]:
    figures = evaluate_rows(read_rows(path))
    print(report(figures))
    return figures


if __name__ == "__main__":  # python -m eventwire.eval.acled FILE [EVERY] [DUMP]: a quick subsample run
    import sys

    all_rows = read_rows(Path(sys.argv[1]))
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    print(report(evaluate_rows(all_rows[::every], Path(sys.argv[3]) if len(sys.argv) > 3 else None)))
