"""Throughput of eventwire with its defaults, against the bare 2-process spaCy parse (issue 11).

Each side runs in its own process (so peak memory is its own) over the same cleaned texts:
  bare      spaCy's en_core_web_sm pipeline alone, nlp.pipe(n_process=2) over the texts the product
            parses (cleaned, headline first); the model load is reported apart, not timed
  product   the `eventwire extract` path with its defaults (workers = CPU count): read, clean,
            analyse, extract, one JSON line per record; the model load in the workers is included
  stages    one process, one article at a time through each stage: ms per article for cleaning,
            each analyse component, each extractor (on --stage-sample articles)
  rerun     `eventwire ingest` into a new SQLite store twice (defaults); the second run finds every
            article stored: its time over the first's
It prints articles per second, the time ratio product/bare, ms per stage, peak RSS and the rerun cost.
The machine may be shared and noisy: compare the ratios of one run, not absolute times.

    python bench/throughput.py --corpus /work/shared/eval/clusters/dev.jsonl --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_items(corpus: str, repeat: int) -> list:
    from eventwire.ingest import RawArticle, read_paths

    items = [i for i in read_paths([corpus]) if isinstance(i, RawArticle)]
    return [item for _ in range(repeat) for item in items]


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds of this process and its reaped children (the workers): less noisy than wall time
    on a shared machine."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def cleaned_texts(items: list) -> list[str]:
    from eventwire.clean import clean
    from eventwire.headline import headline_first

    return [headline_first(clean(item)).text for item in items]


def bench_bare(corpus: str, repeat: int, **_: object) -> dict:
    import spacy

    from eventwire.analyse import MODEL

    texts = cleaned_texts(load_items(corpus, repeat))
    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    load_s = time.perf_counter() - t0
    list(nlp.pipe(texts[:2]))  # warm-up
    start, cpu0 = time.perf_counter(), cpu_s()
    for _ in nlp.pipe(texts, batch_size=32, n_process=2):
        pass
    elapsed = time.perf_counter() - start
    return {"articles": len(texts), "seconds": elapsed, "model_load_s": load_s, "cpu_s": cpu_s() - cpu0,
            "words": sum(len(t.split()) for t in texts),
            "peak_rss_mb": max(peak_rss_mb(), peak_rss_mb(children=True))}


def bench_product(corpus: str, repeat: int, warm: bool = False, **_: object) -> dict:
    """With `warm`, the parent loads the model and the extractors' data first (timed apart) and the
    workers, forked from it, inherit them: the parse alone, as the bare side times it."""
    from eventwire.ingest import read_paths
    from eventwire.pipeline import Options, default_workers, dumps, run_items, warm_up

    startup = 0.0
    if warm:
        t0 = time.perf_counter()
        warm_up()
        startup = time.perf_counter() - t0
    source = read_paths([corpus]) if repeat == 1 else load_items(corpus, repeat)
    start, cpu0 = time.perf_counter(), cpu_s()
    n = 0
    with open(os.devnull, "w", encoding="utf-8") as sink:
        for result in run_items(source, Options(), workers=None):  # `eventwire extract`'s defaults: CPU count
            if result.record is not None:
                sink.write(dumps(result.record.to_dict()) + "\n")
                n += 1
    elapsed = time.perf_counter() - start
    return {"articles": n, "seconds": elapsed, "workers": default_workers(), "startup_s": startup,
            "cpu_s": cpu_s() - cpu0,
            "peak_rss_mb": peak_rss_mb(), "peak_rss_worker_mb": peak_rss_mb(children=True)}


def bench_stages(corpus: str, repeat: int, sample: int = 60, **_: object) -> dict:
    from eventwire import extract as extract_mod
    from eventwire.analyse import load_nlp
    from eventwire.clean import clean
    from eventwire.extract import Context, _load_modules, extractors, parse_date
    from eventwire.headline import headline_first
    from eventwire.model import Record
    from eventwire.pipeline import warm_up

    items = load_items(corpus, repeat)[:sample]
    t0 = time.perf_counter()
    nlp = load_nlp()
    _load_modules()
    list(nlp.pipe(cleaned_texts(items[:2])))  # warm-up
    warm_up()  # every extractor's lazily loaded data (gazetteer, lexicon, model): a start-up cost, not per article
    load_s = time.perf_counter() - t0
    secs: dict[str, float] = defaultdict(float)
    t0 = time.perf_counter()
    articles = [headline_first(clean(item)) for item in items]
    secs["clean"] += time.perf_counter() - t0
    docs = []
    for article in articles:
        t0 = time.perf_counter()
        doc = nlp.make_doc(article.text)
        secs["analyse.tokenizer"] += time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            t0 = time.perf_counter()
            doc = proc(doc)
            secs[f"analyse.{name}"] += time.perf_counter() - t0
        docs.append(doc)
    for item, article, doc in zip(items, articles, docs, strict=True):
        record = Record(id=item.id, article=article)
        ctx = Context(doc=doc, record=record, published=parse_date(article.published),
                      dictionary=extract_mod.dictionary())
        for entry in extractors.ordered():
            t0 = time.perf_counter()
            entry.func(ctx)
            secs[f"extract.{entry.name}"] += time.perf_counter() - t0
    return {"articles": len(items), "model_load_s": load_s, "stages": dict(secs)}


def bench_rerun(corpus: str, repeat: int, **_: object) -> dict:
    from typer.testing import CliRunner

    from eventwire.cli import app

    runner = CliRunner()
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        for run in ("first", "second"):
            start = time.perf_counter()
            result = runner.invoke(app, ["ingest", corpus, "--db", db, "--no-progress"])
            out[f"{run}_s"] = time.perf_counter() - start
            out[f"{run}_says"] = (result.output.strip().splitlines() or [""])[-1]
            out[f"{run}_exit"] = result.exit_code
    return out


def bench_product_warm(corpus: str, repeat: int, **_: object) -> dict:
    return bench_product(corpus, repeat, warm=True)


MODES = {"bare": bench_bare, "product": bench_product, "product_warm": bench_product_warm, "stages": bench_stages, "rerun": bench_rerun}


def child(mode: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, "--mode", mode, "--corpus", args.corpus, "--repeat", str(args.repeat),
           "--stage-sample", str(args.stage_sample)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(bare: dict, prod: dict, stages: dict, rerun: dict, warm: dict | None = None) -> None:
    n = bare["articles"]
    bare_rate = n / bare["seconds"]
    print(f"corpus: {n} articles, {bare['words']} words, {n and bare['words'] // n} words per article")
    print(f"{'':48}{'seconds':>9}{'articles/s':>12}{'peak RSS MB':>13}")
    print(f"{'bare spaCy parse, n_process=2 (load apart)':48}{bare['seconds']:9.1f}{bare_rate:12.1f}"
          f"{bare['peak_rss_mb']:13.0f}")
    rows = [("eventwire extract defaults, loads included", prod)]
    if warm is not None:
        rows.append(("eventwire extract defaults, load apart", warm))
    for label, row in rows:
        rate = row["articles"] / row["seconds"]
        print(f"{label:48}{row['seconds']:9.1f}{rate:12.1f}{max(row['peak_rss_mb'], row['peak_rss_worker_mb']):13.0f}")
    print(f"  workers {prod['workers']}; model load: bare {bare['model_load_s']:.1f} s (spacy.load), eventwire "
          f"{(warm or {}).get('startup_s', float('nan')):.1f} s (model, entity rules, extractors' data)")
    for label, row in rows:
        print(f"ratio {label} / bare: wall time {row['seconds'] / bare['seconds']:.2f}x (target <= 0.90x), "
              f"CPU {row['cpu_s'] / bare['cpu_s']:.2f}x ({row['cpu_s']:.0f} s against {bare['cpu_s']:.0f} s)")
    k = stages["articles"]
    total = sum(stages["stages"].values())
    print(f"\nper stage, one process, ms per article over {k} articles (model load {stages['model_load_s']:.1f} s):")
    for stage, secs in sorted(stages["stages"].items(), key=lambda kv: -kv[1]):
        print(f"  {stage:30}{1000 * secs / k:8.2f}  ({100 * secs / total:5.1f}%)")
    for prefix in ("analyse.", "extract."):
        part = sum(v for s, v in stages["stages"].items() if s.startswith(prefix))
        print(f"  {'all ' + prefix.rstrip('.'):30}{1000 * part / k:8.2f}  ({100 * part / total:5.1f}%)")
    print("\nrerun (eventwire ingest twice into a new SQLite store, defaults, in one process):")
    print(f"  first  {rerun['first_s']:7.2f} s  exit {rerun['first_exit']}  {rerun['first_says']}")
    print(f"  second {rerun['second_s']:7.2f} s  exit {rerun['second_exit']}  {rerun['second_says']}")
    print(f"  second/first: {rerun['second_s'] / rerun['first_s']:.3f} "
          f"({rerun['first_s'] / rerun['second_s']:.0f}x faster; target >= 20x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT / "examples"))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stage-sample", type=int, default=60, help="articles for the per-stage split")
    parser.add_argument("--mode", choices=tuple(MODES))
    parser.add_argument("--only", help="comma-separated modes to run (the report needs all four)")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(MODES[args.mode](args.corpus, args.repeat, sample=args.stage_sample)))
        return
    if args.only:
        for mode in args.only.split(","):
            print(mode, json.dumps(child(mode, args)))
        return
    bare, prod, warm = child("bare", args), child("product", args), child("product_warm", args)
    report(bare, prod, child("stages", args), child("rerun", args), warm)


if __name__ == "__main__":
    main()
