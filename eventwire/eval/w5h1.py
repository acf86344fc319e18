"""Score `main_event` (5W1H) against a Giveme5W1H-style gold file.

Each line: `id`, `title`, `published`, `text`, and `gold.{who,what,when,where,why,how}[]`
of `{text, coders, parsed}`. An answer is right when its word-overlap F1 with
any gold phrase is at least 0.5. Precision is over the questions answered,
recall over the questions annotated (a non-empty gold phrase). Gold entries
that are all empty mean the annotators agreed there is no answer: answering
such a question counts as a wrong answer. A question with no gold entries at
all is unjudged and left out of both.

Each article goes through the product's own pipeline (`eventwire.pipeline.run_items`)
exactly as `eventwire extract` would take a JSONL line: the title as the `title`
field, the body as `text`, the publication date, cleaning on. Nothing is
prepended here: the product itself puts the headline first in `article.text`
(`eventwire.headline`), as Giveme5W1H reads title, lead and body together and
as its gold was annotated on all three. An article the pipeline fails or skips
answers nothing.

    python -c "from eventwire.eval.w5h1 import evaluate; from pathlib import Path; \
evaluate(Path('../shared/eval/5w1h/dev.jsonl'))"
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators

QUESTIONS = ("who", "what", "when", "where", "why", "how")
MATCH = 0.5
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def overlap_f1(answer: str, gold: str) -> float:
    """Word-overlap F1 of two phrases (bag of lower-cased words)."""
    a, g = Counter(words(answer)), Counter(words(gold))
    common = sum((a & g).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(g.values())
    return 2 * p * r / (p + r)


def judge(answer: str | None, gold: list[dict[str, Any]]) -> tuple[bool, bool, bool]:
    """(answered and judged, right, annotated) for one question of one article."""
    phrases = [g.get("text") for g in gold if g.get("text")]
    annotated = bool(phrases)
    judged = answer is not None and bool(gold)
    right = answer is not None and any(overlap_f1(answer, p) >= MATCH for p in phrases)
    return judged, right, annotated


def _prf(right: int, answered: int, annotated: int) -> dict[str, float]:
    p = right / answered if answered else 0.0
    r = right / annotated if annotated else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "answered": answered, "annotated": annotated, "right": right}


def raw_article(row: dict[str, Any], i: int) -> Any:
    """One gold line as the JSONL reader gives it to the pipeline: title and body as separate fields."""
    from eventwire.ingest import RawArticle

    return RawArticle(id=str(row.get("id", i)), origin=f"5w1h:{i}", text=row.get("text") or "",
                      title=row.get("title"), outlet=row.get("publisher"), url=row.get("url"),
                      published=row.get("published"))


def _records(rows: list[dict[str, Any]]) -> list[Any]:
    from eventwire.model import Article, Record
    from eventwire.pipeline import run_items

    results = list(run_items(raw_article(r, i) for i, r in enumerate(rows)))
    return [res.record if res.record is not None else Record(id=str(i), article=Article())
            for i, res in enumerate(results)]


@evaluators.register("5w1h")
def evaluate(path: Path, show: bool = True) -> dict[str, Any]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {q: Counter() for q in QUESTIONS}
    for row, record in zip(rows, _records(rows), strict=True):
        for q in QUESTIONS:
            span = getattr(record.main_event, q)
            judged, right, annotated = judge(span.text if span else None, row.get("gold", {}).get(q, []))
            counts[q].update(answered=judged, right=right and judged, annotated=annotated)
    report = {q: _prf(counts[q]["right"], counts[q]["answered"], counts[q]["annotated"]) for q in QUESTIONS}
    four = [counts[q] for q in ("who", "what", "when", "where")]
    report["who/what/when/where"] = _prf(sum(c["right"] for c in four), sum(c["answered"] for c in four),
                                         sum(c["annotated"] for c in four))
    if show:
        print(f"5W1H on {path} ({len(rows)} articles); right = word-overlap F1 >= {MATCH}")
        print(f"{'question':<20}{'P':>7}{'R':>7}{'F1':>7}{'answered':>10}{'annotated':>11}")
        for q, m in report.items():
            print(f"{q:<20}{m['precision']:>7.3f}{m['recall']:>7.3f}{m['f1']:>7.3f}{m['answered']:>10}"
                  f"{m['annotated']:>11}")
    return report
