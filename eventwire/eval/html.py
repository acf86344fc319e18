"""Article-body extraction from raw HTML pages, scored like the benchmark it comes from.

Each page's extracted body (ingest + clean, as `eventwire ingest` does it) is
compared with the gold body as bags of 4-word sequences: precision, recall and
F1 per page, averaged over pages. trafilatura alone is scored beside it, so
the cleaning stage shows what it adds or costs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from statistics import mean

import trafilatura

from eventwire.clean import clean
from eventwire.eval import evaluators
from eventwire.ingest.base import RawArticle
from eventwire.ingest.html import html_to_article

N = 4


def shingles(text: str) -> Counter:
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i:i + N]) for i in range(max(len(words) - N + 1, 0)))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    pred, ref = shingles(predicted), shingles(gold)
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    overlap = sum((pred & ref).values())
    p = overlap / sum(pred.values()) if pred else 0.0
    r = overlap / sum(ref.values()) if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def eventwire_body(html: str, url: str | None) -> str:
    item = html_to_article(html, "eval", "eval", url=url)
    if not isinstance(item, RawArticle):
        return ""
    return clean(item).text


def trafilatura_body(html: str, url: str | None) -> str:
    return trafilatura.extract(html, url=url) or ""


@evaluators.register("html")
def evaluate(path: Path) -> dict:
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    scores: dict[str, list[tuple[float, float, float]]] = {"eventwire": [], "trafilatura": []}
    for row in rows:
        scores["eventwire"].append(prf(eventwire_body(row["html"], row.get("url")), row["gold"]))
        scores["trafilatura"].append(prf(trafilatura_body(row["html"], row.get("url")), row["gold"]))
    result = {}
    print(f"{len(rows)} pages; {N}-word sequences, averaged over pages")
    print(f"{'':14}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, triples in scores.items():
        p, r, f = (mean(t[i] for t in triples) for i in range(3))
        result[name] = {"precision": p, "recall": r, "f1": f}
        print(f"{name:14}{p:10.3f}{r:10.3f}{f:10.3f}")
    return result
