"""Score actor and recipient text against a roles gold file (one sentence per line).

Each line: `text`, gold `source[]` (actor phrases) and `target[]` (recipient phrases), tokens joined
by spaces. Scoring, per sentence (as the dev sets' README describes):
- source accuracy: some output event's `actor.text` matches a gold source;
- target accuracy: some output event's `recipient.text` matches a gold target;
- pair accuracy: one event whose actor and recipient both match.
A phrase matches a gold phrase when their word-overlap F1 is at least 0.5, or one contains the other.
Each accuracy is over the sentences that have the gold it needs (a sentence without a gold target does
not count for target or pair accuracy). Also printed: how often some event is output at all.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators
from eventwire.model import Article, Event

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def phrase_match(got: str | None, gold: str) -> bool:
    """Word-overlap F1 >= 0.5, or one phrase's words contain the other's as a run."""
    if not got:
        return False
    a, b = _words(got), _words(gold)
    if not a or not b:
        return False
    sa, sb = " ".join(a), " ".join(b)
    if f" {sa} " in f" {sb} " or f" {sb} " in f" {sa} ":
        return True
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return False
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r) >= 0.5


def _any_match(got: str | None, gold: list[str]) -> bool:
    return any(phrase_match(got, g) for g in gold)


def code_texts(texts: list[str]) -> list[list[Event]]:
    from eventwire.analyse import analyse
    from eventwire.extract import extract

    stages = ("entities", "times", "places", "quantities", "claims", "events")
    return [extract(doc, Article(text=t), f"r{i}", only=stages).events
            for i, (t, doc) in enumerate(zip(texts, analyse(texts), strict=True))]


def score(rows: list[dict[str, Any]], coded: list[list[Event]]) -> dict[str, Any]:
    n_src = n_tgt = n_pair = src_ok = tgt_ok = pair_ok = with_event = 0
    for row, events in zip(rows, coded, strict=True):
        sources, targets = row.get("source") or [], row.get("target") or []
        with_event += bool(events)
        s = any(_any_match(e.actor.text if e.actor else None, sources) for e in events)
        t = any(_any_match(e.recipient.text if e.recipient else None, targets) for e in events)
        both = any(_any_match(e.actor.text if e.actor else None, sources)
                   and _any_match(e.recipient.text if e.recipient else None, targets) for e in events)
        if sources:
            n_src += 1
            src_ok += s
        if targets:
            n_tgt += 1
            tgt_ok += t
        if sources and targets:
            n_pair += 1
            pair_ok += both
    return {
        "sentences": len(rows),
        "source_accuracy": src_ok / n_src if n_src else 0.0,
        "target_accuracy": tgt_ok / n_tgt if n_tgt else 0.0,
        "pair_accuracy": pair_ok / n_pair if n_pair else 0.0,
        "sentences_with_event": with_event / len(rows) if rows else 0.0,
        "source_sentences": n_src,
        "target_sentences": n_tgt,
        "pair_sentences": n_pair,
    }


def report(figures: dict[str, Any]) -> str:
    return "\n".join(f"{k:<24} {v:.3f}" if isinstance(v, float) else f"{k:<24} {v}" for k, v in figures.items())


@evaluators.register("roles")
def evaluate(path: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    figures = score(rows, code_texts([r["text"] for r in rows]))
    print(report(figures))
    return figures
