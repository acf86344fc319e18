"""Score the event coder against a PLOVER gold file (one sentence per line).

Each line: `text`, `date`, gold `event` type, `mode`, `actor[].code`,
`recipient[].code` (ISO3 or a few special codes: IGO, NGO, CAMEO-style codes).

Scoring, per sentence:
- event-type accuracy: right when one of the output events has the gold type;
- per type: true positive when the gold type is output, false positive for each
  other type output, false negative when the gold type is not output; macro-F1
  over the types present in the gold file;
- actor / recipient country accuracy "on that event": among the output events of
  the gold type, the one whose actor and recipient agree best. Actor: right when
  its country is one of the gold actor codes (where the gold names no actor, right when we give
  no actor country, as for recipients). Recipient: right when its country is
  one of the gold recipient codes; where the gold recipient is empty, right when
  we give no recipient or a recipient that is one of the gold actors (PLOVER codes
  joint actors "Jordan and Britain agreed" as actors with no recipient; we code
  them A->B and B->A). Reported twice: over the sentences whose type was found
  (conditional, the headline) and over all sentences (a missed type is wrong).
Gold CAMEO-style country codes are mapped to ISO3 first (JAP -> JPN ...).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators
from eventwire.model import PLOVER_TYPES, Article, Event

CAMEO_TO_ISO = {"JAP": "JPN", "PAL": "PSE", "UK": "GBR", "UKG": "GBR", "GMY": "DEU", "RUM": "ROU",
                "ROM": "ROU", "VTN": "VNM", "SAF": "ZAF", "TAW": "TWN"}


def _code(code: str | None) -> str | None:
    if not code:
        return None
    return CAMEO_TO_ISO.get(code, code)


def _gold_codes(items: list[dict[str, Any]]) -> set[str]:
    return {c for c in (_code(i.get("code")) for i in items) if c}


def _actor_ok(ev: Event, gold: set[str]) -> bool:
    if not gold:  # the gold names no actor ("civilians were killed in a bombing"): right when we name none
        return ev.actor is None or ev.actor.country is None
    return ev.actor is not None and ev.actor.country in gold


def _recipient_ok(ev: Event, gold: set[str], gold_actors: set[str]) -> bool:
    if not gold:
        return ev.recipient is None or ev.recipient.country is None or ev.recipient.country in gold_actors
    return ev.recipient is not None and ev.recipient.country in gold


def code_records(rows: list[dict[str, Any]]) -> list[list[Event]]:
    """Run analyse + extract over the gold sentences, in batches."""
    from eventwire.analyse import analyse
    from eventwire.extract import extract

    stages = ("entities", "times", "places", "quantities", "claims", "events")
    out = []
    for i, (row, doc) in enumerate(zip(rows, analyse(r["text"] for r in rows), strict=True)):
        article = Article(text=row["text"], published=row.get("date"))
        out.append(extract(doc, article, row.get("id") or f"s{i}", only=stages).events)
    return out


def score(rows: list[dict[str, Any]], coded: list[list[Event]]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    hits = actor_ok = rec_ok = 0
    none_rows = none_clean = 0
    for row, events in zip(rows, coded, strict=True):
        gold = row.get("event")
        types = {e.type for e in events}
        if not gold:  # a sentence that asserts no event
            none_rows += 1
            none_clean += not types
            for t in types:
                fp[t] += 1
            continue
        for t in types - {gold}:
            fp[t] += 1
        matching = [e for e in events if e.type == gold]
        if not matching:
            fn[gold] += 1
            continue
        tp[gold] += 1
        hits += 1
        actors, recips = _gold_codes(row.get("actor") or []), _gold_codes(row.get("recipient") or [])
        best = max(matching, key=lambda e: (_actor_ok(e, actors) + _recipient_ok(e, recips, actors)))
        actor_ok += _actor_ok(best, actors)
        rec_ok += _recipient_ok(best, recips, actors)
    n = sum(1 for r in rows if r.get("event"))
    per_type = per_type_scores(tp, fp, fn)
    present = [t for t in PLOVER_TYPES if per_type[t]["support"]]
    return {
        "sentences": len(rows),
        "event_type_accuracy": hits / n if n else 0.0,
        "macro_f1": sum(per_type[t]["f1"] for t in present) / len(present) if present else 0.0,
        "actor_country_accuracy": actor_ok / hits if hits else 0.0,
        "recipient_country_accuracy": rec_ok / hits if hits else 0.0,
        "actor_country_accuracy_all": actor_ok / n if n else 0.0,
        "recipient_country_accuracy_all": rec_ok / n if n else 0.0,
        "events_per_sentence": sum(len(c) for c in coded) / len(rows) if rows else 0.0,
        "no_event_sentences": none_rows,
        "no_event_clean": none_clean / none_rows if none_rows else None,
        "per_type": per_type,
    }


def report(figures: dict[str, Any]) -> str:
    lines = [f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}"]
    for t, f in figures["per_type"].items():
        if f["support"] or f["precision"]:
            lines.append(f"{t:<10} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} {f['support']:4d}")
    for key in ("sentences", "event_type_accuracy", "macro_f1", "actor_country_accuracy",
                "recipient_country_accuracy", "actor_country_accuracy_all", "recipient_country_accuracy_all",
                "events_per_sentence", "no_event_clean"):
        value = figures[key]
        lines.append(f"{key:<32} {value:.3f}" if isinstance(value, float) else f"{key:<32} {value}")
    return "\n".join(lines)


@evaluators.register("plover")
def evaluate(path: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    figures = score(rows, code_records(rows))
    print(report(figures))
    return figures


def per_type_scores(tp: Counter, fp: Counter, fn: Counter) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support per PLOVER type from true/false positive and false negative counts."""
    per_type = {}
    for t in PLOVER_TYPES:
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_type[t] = {"precision": p, "recall": r, "f1": f, "support": tp[t] + fn[t]}
    return per_type
