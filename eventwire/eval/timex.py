"""Score time expressions against TempEval-3-style gold (`timex/dev.jsonl`).

Each line: `id`, `dct` (the document creation time), `text` and gold
`timexes[{start, end, text, type, value}]`. A predicted expression matches a
gold one when their spans overlap (one-to-one, first come first served).
Span P/R/F1 counts matches; value P/R/F1 counts matches whose values are equal,
over all predictions and all gold expressions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators


def _prf(hits: int, predicted: int, gold: int) -> dict[str, float]:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def _match(pred: list[dict[str, Any]], gold: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """One-to-one overlap matching, in text order."""
    pairs, used = [], set()
    for g in gold:
        for k, p in enumerate(pred):
            if k not in used and p["start"] < g["end"] and g["start"] < p["end"]:
                used.add(k)
                pairs.append((p, g))
                break
    return pairs


def predict(text: str, dct: str | None) -> list[dict[str, Any]]:
    """Our time expressions for one document (entities and times only)."""
    from eventwire.analyse import analyse_one
    from eventwire.extract import extract
    from eventwire.model import Article

    record = extract(analyse_one(text), Article(text=text, published=dct), "eval", only=("entities", "times"))
    return [{"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in record.times]


@evaluators.register("timex")
def evaluate(path: Path, verbose: bool = False) -> dict[str, Any]:
    """Print and return span and value precision, recall and F1 over the file."""
    n_pred = n_gold = span_hits = value_hits = type_hits = 0
    misses: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        pred = predict(doc["text"], doc.get("dct"))
        gold = doc.get("timexes", [])
        pairs = _match(pred, gold)
        n_pred, n_gold, span_hits = n_pred + len(pred), n_gold + len(gold), span_hits + len(pairs)
        value_hits += sum(p["value"] == g["value"] for p, g in pairs)
        type_hits += sum(p["type"] == g["type"] for p, g in pairs)
        if verbose:
            matched_p = {id(p) for p, _ in pairs}
            matched_g = {id(g) for _, g in pairs}
            misses += [f"{doc['id']}: wrong value {p['text']!r} {p['value']} vs {g['text']!r} {g['value']}"
                       for p, g in pairs if p["value"] != g["value"]]
            misses += [f"{doc['id']}: spurious {p['text']!r} {p['value']}" for p in pred if id(p) not in matched_p]
            misses += [f"{doc['id']}: missed {g['text']!r} {g['value']}" for g in gold if id(g) not in matched_g]
    result = {"documents": None, "gold": n_gold, "predicted": n_pred,
              "span": _prf(span_hits, n_pred, n_gold), "value": _prf(value_hits, n_pred, n_gold),
              "type_accuracy": round(type_hits / span_hits, 4) if span_hits else 0.0}
    result["documents"] = sum(1 for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())
    for miss in misses:
        print(miss)
    s, v = result["span"], result["value"]
    print(f"timex {path}: {result['documents']} docs, {n_gold} gold, {n_pred} predicted")
    print(f"  span  P {s['p']:.3f}  R {s['r']:.3f}  F1 {s['f1']:.3f}")
    print(f"  value P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}")
    return result
