"""Story clustering against gold event labels: pairwise precision, recall and F1.

Articles go through the real stories stage (copies in order of publication,
then the re-clustering pass), in a temporary SQLite store, on title + text only: records are
built without the NLP pipeline (no entities, no events), which keeps the
evaluation fast and measures the text side of the clustering. The report also
shows how F1 moves when the join threshold moves, so a threshold is never
chosen by reading one figure.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any
from unittest import mock

from eventwire.eval import evaluators
from eventwire.model import Article, Record
from eventwire.store import Store, article_key, content_hash
from eventwire.stories import cluster, update

SWEEP = (0.15, 0.2, 0.25)


def load(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(rows, key=lambda r: (r.get("published") or "", r["id"]))


def to_record(row: dict[str, Any]) -> Record:
    art = Article(title=row.get("title"), outlet=row.get("source"), url=row.get("url"),
                  published=row.get("published"), text=row.get("text") or "")
    return Record(id=str(row["id"]), article=art)


def nlp_records(rows: Sequence[dict[str, Any]]) -> list[Record]:
    """The rows through the product's pipeline (title as a field, cleaning on): full records."""
    from eventwire.ingest import RawArticle
    from eventwire.pipeline import run_items

    raws = [RawArticle(id=str(r["id"]), origin=f"clusters:{i}", text=r.get("text") or "", title=r.get("title"),
                       outlet=r.get("source"), url=r.get("url"), published=r.get("published"))
            for i, r in enumerate(rows)]
    return [res.record if res.record is not None else to_record(row)
            for res, row in zip(run_items(raws), rows, strict=True)]


def cluster_rows(rows: Sequence[dict[str, Any]], records: Sequence[Record] | None = None) -> dict[str, str]:
    """Article id -> story id, through a fresh temporary store (records: full ones, else title + text)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "eval.db"))
        keys: dict[str, str | None] = {}
        for i, row in enumerate(rows):
            record = records[i] if records is not None else to_record(row)
            key = store.save(record, origin=str(row["id"]))
            # Stored before (same URL, or same headline and text): it is that article, and tells its story.
            keys[str(row["id"])] = key or _stored_key(store, record)
        # One update for all: stories are rebuilt by an order-independent pass, so linking one by one
        # (as a stream would) gives the same stories (tests/test_stories.py checks it); copies are
        # still found one article at a time, in publication order.
        update(store, [k for k in keys.values() if k])
        with store.connect() as conn:
            story_of = dict(conn.exec_driver_sql("SELECT key, story_id FROM articles").all())
        store.engine.dispose()
    # An article stored before (same headline and text twice) shares that article's story.
    return {rid: story_of.get(key) or f"unstored:{rid}" for rid, key in keys.items()}


def _stored_key(store: Store, record: Record) -> str | None:
    art = record.article
    with store.connect() as conn:
        return conn.exec_driver_sql("SELECT key FROM articles WHERE key = ? OR text_hash = ? LIMIT 1",
                                    (article_key(art.url, art.text), content_hash(art.title, art.text))).scalar()


def pairwise(pred: dict[str, str], gold: dict[str, Any]) -> dict[str, float]:
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in combinations(ids, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def score(rows: Sequence[dict[str, Any]], records: Sequence[Record] | None = None) -> dict[str, Any]:
    pred = cluster_rows(rows, records)
    gold = {str(r["id"]): r["event_id"] for r in rows}
    return {**pairwise(pred, gold), "articles": len(rows), "stories": len(set(pred.values())),
            "gold_events": len(set(gold.values()))}


def sweep(rows: Sequence[dict[str, Any]], thresholds: Iterable[float]) -> dict[float, dict[str, Any]]:
    out = {}
    for t in thresholds:
        with mock.patch.object(cluster, "THRESHOLD", t):
            out[t] = score(rows)
    return out


@evaluators.register("clusters")
def evaluate(path: Path) -> dict[str, Any]:
    rows = load(path)
    result = score(rows)
    print(f"clusters: {result['articles']} articles, {result['stories']} stories vs {result['gold_events']} "
          f"gold events; pairwise P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f} "
          f"(threshold {cluster.THRESHOLD}, title+text only, no NLP)")
    result["sweep"] = {}
    for t, res in sweep(rows, SWEEP).items():
        print(f"  threshold {t:.2f}: P {res['precision']:.3f} R {res['recall']:.3f} F1 {res['f1']:.3f} "
              f"stories {res['stories']}")
        result["sweep"][t] = res["f1"]
    return result


@evaluators.register("clusters-nlp")
def evaluate_nlp(path: Path) -> dict[str, Any]:
    """The same score with the whole product: every article through the pipeline, so the stories stage
    sees entities and the main event's signature (type, place, participants). Slower: one parse each."""
    rows = load(path)
    result = score(rows, nlp_records(rows))
    print(f"clusters (full pipeline): {result['articles']} articles, {result['stories']} stories vs "
          f"{result['gold_events']} gold events; pairwise P {result['precision']:.3f} R {result['recall']:.3f} "
          f"F1 {result['f1']:.3f}")
    return result
