"""Throughput of `extract` over the sample corpus, against a bare spaCy parse.

Each side runs in its own process (so peak memory is its own) over the same
cleaned texts, repeated to reach a few hundred articles:
  bare      spaCy's en_core_web_sm pipeline alone, nlp.pipe over the texts
  eventwire the whole job: clean, analyse (with the entity rules), extract
It prints articles per second, peak RSS, the ratio, and the time each
extractor takes per article (its share of the bare parse is the "coding cost").

    python bench/throughput.py [--repeat 10] [--corpus examples]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_items(corpus: str, repeat: int) -> list:
    from eventwire.ingest import RawArticle, read_paths

    items = [i for i in read_paths([corpus]) if isinstance(i, RawArticle)]
    return [item for _ in range(repeat) for item in items]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_bare(corpus: str, repeat: int) -> dict:
    import spacy

    from eventwire.analyse import MODEL
    from eventwire.clean import clean

    texts = [clean(item).text for item in load_items(corpus, repeat)]
    nlp = spacy.load(MODEL)
    list(nlp.pipe(texts[:4]))  # warm-up
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    elapsed = time.perf_counter() - start
    return {"articles": len(texts), "seconds": elapsed, "words": sum(len(t.split()) for t in texts),
            "peak_rss_mb": peak_rss_mb()}


def bench_eventwire(corpus: str, repeat: int) -> dict:
    from eventwire import extract as extract_mod
    from eventwire.analyse import analyse, load_nlp
    from eventwire.clean import clean
    from eventwire.extract import Context, _load_modules, extractors, parse_date
    from eventwire.model import Record

    items = load_items(corpus, repeat)
    load_nlp()
    _load_modules()
    list(analyse([clean(i).text for i in items[:4]]))  # warm-up
    stage_seconds: dict[str, float] = defaultdict(float)
    start = time.perf_counter()
    t0 = time.perf_counter()
    articles = [clean(item) for item in items]
    stage_seconds["clean"] += time.perf_counter() - t0
    t0 = time.perf_counter()
    docs = list(analyse([a.text for a in articles]))
    stage_seconds["analyse"] += time.perf_counter() - t0
    for item, article, doc in zip(items, articles, docs, strict=True):
        record = Record(id=item.id, article=article)
        ctx = Context(doc=doc, record=record, published=parse_date(article.published),
                      dictionary=extract_mod.dictionary())
        for entry in extractors.ordered():
            t0 = time.perf_counter()
            entry.func(ctx)
            stage_seconds[f"extract.{entry.name}"] += time.perf_counter() - t0
    elapsed = time.perf_counter() - start
    return {"articles": len(items), "seconds": elapsed, "peak_rss_mb": peak_rss_mb(),
            "stages": dict(stage_seconds)}


def child(mode: str, corpus: str, repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--mode", mode, "--corpus", corpus, "--repeat", str(repeat)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(bare: dict, full: dict) -> None:
    n = bare["articles"]
    bare_rate, full_rate = n / bare["seconds"], full["articles"] / full["seconds"]
    print(f"corpus: {n} articles, {bare['words']} words")
    print(f"{'':24}{'articles/s':>12}{'peak RSS MB':>14}")
    print(f"{'bare spaCy parse':24}{bare_rate:12.1f}{bare['peak_rss_mb']:14.0f}")
    print(f"{'eventwire extract':24}{full_rate:12.1f}{full['peak_rss_mb']:14.0f}")
    print(f"ratio eventwire/bare: speed {full_rate / bare_rate:.2f}x, memory "
          f"{full['peak_rss_mb'] / bare['peak_rss_mb']:.2f}x")
    print("\nper stage, ms per article (share of the bare parse):")
    bare_ms = 1000 * bare["seconds"] / n
    print(f"  {'bare parse':22}{bare_ms:8.2f}")
    for stage, secs in sorted(full["stages"].items(), key=lambda kv: -kv[1]):
        ms = 1000 * secs / full["articles"]
        print(f"  {stage:22}{ms:8.2f}  ({100 * ms / bare_ms:5.1f}%)")
    extract_ms = sum(v for k, v in full["stages"].items() if k.startswith("extract.")) * 1000 / full["articles"]
    print(f"  {'all extractors':22}{extract_ms:8.2f}  ({100 * extract_ms / bare_ms:5.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "examples"))
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--mode", choices=("bare", "eventwire"))
    args = parser.parse_args()
    if args.mode == "bare":
        print(json.dumps(bench_bare(args.corpus, args.repeat)))
    elif args.mode == "eventwire":
        print(json.dumps(bench_eventwire(args.corpus, args.repeat)))
    else:
        report(child("bare", args.corpus, args.repeat), child("eventwire", args.corpus, args.repeat))


if __name__ == "__main__":
    main()
