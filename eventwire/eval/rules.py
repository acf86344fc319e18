"""Accounting of the event coder's patterns and coding rules on a set of sentences with a gold type.

    eventwire eval rules SET         SET: JSONL, one sentence per line, gold type in `event` or `type`
    python -m eventwire.eval.rules --corpus-train [--all]   eventwire's own corpus, train split only

For every pattern (a line of data/verbs/*.yaml or an entry of the lexicon, data/lexicon/events.yaml) and
every coding rule (how a pattern's type becomes the event's: "future-cooperation->AGREE", ...):
- fires: the sentences where it gave an output event;
- right: those where that event's type is the gold type (on a no-event sentence, never).
Printed: the most used patterns, the usually wrong ones (fires >= 3, right < half), the rules, and how
many patterns never fire, by file. `--all` lists every pattern that fired. Only the train split of the
corpus may guide changes: the held-back split is never read here.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators
from eventwire.model import Article

STAGES = ("entities", "times", "places", "quantities", "claims", "events")


def gold_type(row: dict[str, Any]) -> str | None:
    return row.get("event") if "event" in row else row.get("type")


def attribute(rows: list[dict[str, Any]]) -> list[list[tuple[str, str, str]]]:
    """Per sentence: (pattern source, coding rule, output type) of each output event."""
    from eventwire.analyse import analyse
    from eventwire.extract import extract
    from eventwire.extract.events import _code, find_candidates

    out = []
    texts = [r["text"] for r in rows]
    for i, (row, doc) in enumerate(zip(rows, analyse(texts), strict=True)):
        record = extract(doc, Article(text=row["text"], published=row.get("date")), f"s{i}", only=STAGES)
        by_start = {c.token.idx: c for sent in doc.sents for c in find_candidates(sent)}
        found = []
        for ev in record.events:
            cand = by_start.get(ev.trigger.start)
            coded = _code(cand) if cand is not None else None
            source = (cand.pattern.source or f"{cand.pattern.lemma}:{cand.pattern.cameo}") if cand else ev.source
            rule = coded.rule if coded is not None else ev.source
            if ev.source != "rules":
                rule = f"{rule}+{ev.source}"
            found.append((source, rule, ev.type))
        out.append(found)
    return out


def tally(rows: list[dict[str, Any]], attributed: list[list[tuple[str, str, str]]]) -> dict[str, Any]:
    """Counts per sentence: a pattern (or rule) that gives two events in one sentence fires once there,
    and is right there when one of its events has the gold type."""
    fires: Counter[str] = Counter()
    right: Counter[str] = Counter()
    rule_fires: Counter[str] = Counter()
    rule_right: Counter[str] = Counter()
    wrong_gold: dict[str, Counter[str]] = {}  # pattern -> the gold types of the sentences it got wrong
    for row, found in zip(rows, attributed, strict=True):
        gold = gold_type(row)
        for source in {f[0] for f in found} - {f[0] for f in found if f[2] == gold}:
            wrong_gold.setdefault(source, Counter())[gold or "none"] += 1
        for index, (fired, ok) in ((0, (fires, right)), (1, (rule_fires, rule_right))):
            keys = {f[index] for f in found}
            hits = {f[index] for f in found if gold is not None and f[2] == gold}
            fired.update(keys)
            ok.update(hits)
    return {"fires": fires, "right": right, "rule_fires": rule_fires, "rule_right": rule_right,
            "wrong_gold": wrong_gold}


def _file_of(source: str) -> str:
    return source.split(":", 1)[0] if ":" in source else source


def report(counts: dict[str, Any], show_all: bool = False) -> str:
    from eventwire.extract.events import all_patterns

    fires, right = counts["fires"], counts["right"]
    sources = [p.source for p in all_patterns()]
    by_file = Counter(_file_of(s) for s in sources)
    fired_by_file = Counter(_file_of(s) for s in set(sources) if fires[s])
    lines = [f"patterns: {len(sources)}; fired on this set: {sum(1 for s in set(sources) if fires[s])}"]
    for name, n in sorted(by_file.items()):
        lines.append(f"  {name:<28} {n:6d} patterns, {fired_by_file[name]:5d} fired, {n - fired_by_file[name]:6d} never")
    lines.append("")
    lines.append(f"{'fires':>6} {'right':>6} {'share':>6}  pattern")
    ranked = sorted(fires, key=lambda s: (-fires[s], s))
    for s in ranked if show_all else ranked[:40]:
        lines.append(f"{fires[s]:6d} {right[s]:6d} {right[s] / fires[s]:6.2f}  {s}")
    wrong = [s for s in ranked if fires[s] >= 3 and right[s] / fires[s] < 0.5]
    lines.append("")
    lines.append(f"usually wrong (fires >= 3, right < half): {len(wrong)}")
    for s in wrong:
        golds = ", ".join(f"{g} {n}" for g, n in counts["wrong_gold"].get(s, Counter()).most_common(3))
        lines.append(f"{fires[s]:6d} {right[s]:6d} {right[s] / fires[s]:6.2f}  {s}  (gold where wrong: {golds})")
    lines.append("")
    lines.append(f"{'fires':>6} {'right':>6} {'share':>6}  coding rule")
    for r in sorted(counts["rule_fires"], key=lambda r: -counts["rule_fires"][r]):
        n, ok = counts["rule_fires"][r], counts["rule_right"][r]
        lines.append(f"{n:6d} {ok:6d} {ok / n:6.2f}  {r}")
    return "\n".join(lines)


def run(rows: list[dict[str, Any]], show_all: bool = False) -> dict[str, Any]:
    counts = tally(rows, attribute(rows))
    print(report(counts, show_all))
    return {"sentences": len(rows), "patterns_fired": len(counts["fires"]),
            "fires": dict(counts["fires"]), "right": dict(counts["right"])}


@evaluators.register("rules")
def evaluate(path: Path) -> dict[str, Any]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return run(rows)


def main(argv: list[str]) -> None:
    if "--corpus-train" in argv:
        from eventwire.eval.corpus import load_rows

        run(load_rows("train"), show_all="--all" in argv)
    else:
        rows = [json.loads(line) for line in Path(argv[0]).read_text(encoding="utf-8").splitlines() if line.strip()]
        run(rows, show_all="--all" in argv)


if __name__ == "__main__":
    main(sys.argv[1:])
