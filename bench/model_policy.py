"""How the event model's policy thresholds trade corpus accuracy against events added on real articles.

    python bench/model_policy.py --key add --values 0.0 0.3 0.5 0.7 none [--articles 100]

Parses once and re-runs the extractors per value, with only `policy[KEY]` changed on the shipped model:
type accuracy and no-event rate on the held-back split and on corpus/probes (eventwire.eval.corpus's
scorer), and the events by source (rules, model, rules+model) over the first N articles of a news corpus
(no gold is read there: what a threshold adds on real text is counted, and can be read with --show).
"""

from __future__ import annotations

import argparse
import collections
import copy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from throughput import load_items  # noqa: E402

from eventwire.analyse import analyse  # noqa: E402
from eventwire.clean import clean  # noqa: E402
from eventwire.eval import corpus as C  # noqa: E402
from eventwire.extract import event_classifier as ec  # noqa: E402
from eventwire.extract import extract  # noqa: E402
from eventwire.headline import headline_first  # noqa: E402
from eventwire.model import Article  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--key", default="add", choices=("add", "veto", "relabel", "guard"))
    ap.add_argument("--values", nargs="+", default=["0.0", "0.3", "0.5", "0.7", "none"])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "eval" / "clusters" / "dev.jsonl"))
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--show", type=int, default=0, help="print this many model-added events per value")
    args = ap.parse_args()
    sets = {"held-back": C.load_rows("heldback"), "probes": C.load_rows("all", corpus_dir=ROOT / "corpus" / "probes")}
    docs = {k: list(analyse(r["text"] for r in rows)) for k, rows in sets.items()}
    arts = [headline_first(clean(i)) for i in load_items(args.corpus, 1)[:args.articles]]
    art_docs = list(analyse(a.text for a in arts))
    model = ec._read_model()
    if model is None:
        sys.exit("no event model is shipped or it is switched off")
    for raw in args.values:
        model.policy[args.key] = None if raw.lower() == "none" else float(raw)
        cells = []
        for name, rows in sets.items():
            coded = [extract(d, Article(text=r["text"], published=r.get("date")), r.get("id") or f"s{i}",
                             only=C.STAGES).events for i, (r, d) in enumerate(zip(rows, docs[name], strict=True))]
            f = C.score(rows, coded)
            cells.append(f"{name} type {f['type_accuracy']:.3f} no-event {f['no_event_rate']:.3f}")
        by_source: collections.Counter = collections.Counter()
        added = []
        for article, doc in zip(arts, art_docs, strict=True):
            for ev in extract(doc, copy.deepcopy(article), "bench").events:
                by_source[ev.source] += 1
                if ev.source == "model":
                    added.append(f"    {ev.type:10} {article.text[ev.evidence.start:ev.evidence.end][:100]}")
        print(f"{args.key} {raw}: " + " | ".join(cells) + f" | {len(arts)} articles: {dict(by_source)}", flush=True)
        print("\n".join(added[:args.show]) if args.show else "", end="\n" if args.show else "")


if __name__ == "__main__":
    main()
