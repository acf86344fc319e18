"""Scaling of `eventwire batch` from 1 to 2 local workers (or more), and the per-core rate.

    python bench/scaling.py [--engine local|ray] [--workers 1 2] [--parts 4] [--repeat 2]
                            [--price 0.045] [--month 11500000]

It writes `--parts` WARC files from the examples' articles (examples/warc/make_sample.py), each
article `--repeat` times under its own URL, and runs `eventwire batch` over them once per worker
count, each run in its own process with a fresh output folder. The times come from the inputs'
markers: the span from the first input's start to the last one's end (the model's load is before
it), and each input's CPU seconds. It prints, in one run, articles/s and the speedup over the
first worker count, the per-core rate (articles per CPU-second, and per wall-second with one
worker), and what one CC-NEWS month would take at that rate and `--price` dollars per core-hour.
The machine's load average is printed too: on a machine others share, wall times are inflated.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "warc"))


def build_inputs(folder: Path, parts: int, repeat: int) -> list[Path]:
    import make_sample

    pages = [replace(p, url=f"{p.url}?copy={k}") for k in range(repeat) for p in make_sample.pages()]
    paths = []
    for n in range(parts):
        path = folder / f"part-{n:02d}.warc.gz"
        make_sample.write_warc(path, pages[n::parts])
        paths.append(path)
    return paths


def run(inputs: list[Path], out: Path, engine: str, workers: int) -> dict:
    cmd = [sys.executable, "-m", "eventwire.cli", "batch", *map(str, inputs), "--out", str(out),
           "--engine", engine, "--workers", str(workers)]
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = time.perf_counter() - started
    markers = [json.loads(p.read_text()) for p in sorted((out / "_SUCCESS").glob("*.json"))]
    span = max(m["finished_at"] for m in markers) - min(m["started_at"] for m in markers)
    return {"workers": workers, "articles": sum(m["rows"]["articles"] for m in markers),
            "span_s": span, "total_s": total, "cpu_s": sum(m["cpu_seconds"] for m in markers),
            "warm_up_s": max(m.get("warm_up_seconds", 0) for m in markers),
            "peak_rss_mb": max(m.get("peak_rss_mb") or 0 for m in markers)}


def same_rows(a: Path, b: Path) -> bool:
    from eventwire.batch.output import Output
    from eventwire.batch.rows import TABLES

    return all(Output(str(a)).read_table(t).equals(Output(str(b)).read_table(t)) for t in TABLES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="local", choices=("local", "ray"))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--price", type=float, default=0.045, help="dollars per core-hour")
    parser.add_argument("--month", type=float, default=11.5e6, help="articles in one CC-NEWS month")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventwire-scaling-") as tmp:
        inputs = build_inputs(Path(tmp), args.parts, args.repeat)
        rows = [run(inputs, Path(tmp) / f"out-{w}", args.engine, w) for w in args.workers]
        same = all(same_rows(Path(tmp) / f"out-{args.workers[0]}", Path(tmp) / f"out-{w}") for w in args.workers)
    base = rows[0]["articles"] / rows[0]["span_s"]
    print(f"engine {args.engine}, {len(inputs)} inputs, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    print(f"{'workers':>7} {'articles':>8} {'span s':>8} {'art/s':>7} {'speedup':>7} {'cpu s':>7} "
          f"{'art/cpu-s':>9} {'warm-up s':>9} {'peak MB':>8}")
    for r in rows:
        rate = r["articles"] / r["span_s"]
        print(f"{r['workers']:>7} {r['articles']:>8} {r['span_s']:>8.1f} {rate:>7.2f} {rate / base:>7.2f} "
              f"{r['cpu_s']:>7.1f} {r['articles'] / r['cpu_s']:>9.2f} {r['warm_up_s']:>9.1f} {r['peak_rss_mb']:>8.0f}")
    print(f"rows identical for every worker count: {'yes' if same else 'NO'}")
    per_cpu = sum(r["articles"] for r in rows) / sum(r["cpu_s"] for r in rows)
    per_wall = rows[0]["articles"] / rows[0]["span_s"] / rows[0]["workers"]
    for name, rate in (("per CPU-second", per_cpu), ("per wall-second of one worker", per_wall)):
        hours = args.month / rate / 3600
        print(f"rate {name}: {rate:.2f} articles/s/core -> one month ({args.month / 1e6:.1f} M articles): "
              f"{hours:,.0f} core-hours, {hours / 100:,.1f} h on 100 cores, ${hours * args.price:,.0f} "
              f"at ${args.price}/core-hour (${1e6 / rate / 3600 * args.price:,.2f} per million articles)")


if __name__ == "__main__":
    main()
