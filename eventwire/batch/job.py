"""One input file through the pipeline into its shards, and the engines that run many of them.

`process_file` is the unit of work: it reads one input (a local path, or a URL copied to a
local temporary file first), runs the same pipeline as `eventwire extract`, and writes the
input's shards and then its marker. It is a pure function of the input file, so the local
process pool and Ray give the same shards, and a retried or resumed input overwrites its own
shards with the same rows.

Engines: `local` runs `process_file` in a pool of processes; `ray` submits it as Ray tasks.
Ray reuses a worker process for the tasks it runs, and the model is cached per process
(`eventwire.analyse.load_nlp`), so each Ray worker loads the spaCy model once, on its first
input; a task whose worker dies (a node lost, out of memory) is retried by Ray.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.batch.inputs import is_url
from eventwire.batch.output import Output, shard_id
from eventwire.batch.rows import TABLES, Tables
from eventwire.pipeline import Options, run_items, warm_up

ENGINES = ("local", "ray")
PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of eventwire's code, data and models as installed: the marker keeps it, so a job resumed
    after an upgrade says which inputs were done by other code (their rows may differ)."""
    digest = hashlib.sha1()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def local_copy(input_path: str) -> Iterator[Path]:
    """A local path for the input: itself, or a URL streamed to a temporary file with its name's suffix
    (the readers seek, and tell WARC from JSONL by the name)."""
    if not is_url(input_path):
        yield Path(input_path)
        return
    import fsspec

    name = input_path.rstrip("/").rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="eventwire-batch-") as tmp:
        local = Path(tmp) / name
        with fsspec.open(input_path, "rb") as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
        yield local


def read_input(path: Path, origin: str) -> Iterator:
    """The input's items, as `read_paths` gives them, but named by `origin` (the canonical input)."""
    from eventwire.ingest import readers
    from eventwire.ingest.base import accounted, reader_for, unique_ids

    name = reader_for(path) or "jsonl"
    return unique_ids(accounted(readers.get(name).read(path, origin), origin))


def process_file(input_path: str, out: str, opts: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write one input's shards and marker under `out`; skip an input whose marker exists.

    Returns the input's summary (what the marker holds). A failure of the whole input (unreadable
    from object storage, a full disk) is returned as status "failed", never raised: no marker is
    written, so the next run tries the input again.
    """
    started = time.perf_counter()
    output, shard = Output(out), shard_id(input_path)
    base = {"input": input_path, "shard": shard, "pid": os.getpid()}
    try:
        if output.done(shard):
            done_by = json.loads(output.read(output.marker_path(shard))).get("code")
            return {**base, "status": "skipped", "code": done_by, "same_code": done_by == code_fingerprint()}
        output.clean_tmp(shard, TABLES)
        options = Options(**(opts or {}))
        if not is_url(input_path):
            with open(input_path, "rb"):  # an input that cannot be opened failed (no marker: retried)
                pass
        warm_up()  # the model and the extractors' data, once per worker process (not this input's time)
        base["warm_up_seconds"] = round(time.perf_counter() - started, 3)
        started, cpu, started_at = time.perf_counter(), time.process_time(), time.time()
        tables = Tables(input_path)
        with local_copy(input_path) as path:
            for result in run_items(read_input(path, input_path), options, workers=1):
                tables.add(result)
        counts, statuses = dict(tables.counts), dict(tables.statuses)
        arrow_bytes = 0
        for table in TABLES:
            data = tables.arrow(table)
            arrow_bytes += data.nbytes
            output.write_table(output.shard_path(table, shard), data)
            tables.parts[table] = []  # written: its memory goes back
        summary = {**base, "status": "done", "code": code_fingerprint(), "rows": counts, "units": statuses,
                   "seconds": round(time.perf_counter() - started, 3),
                   "cpu_seconds": round(time.process_time() - cpu, 3), "peak_rss_mb": _peak_rss_mb(),
                   "arrow_mb": round(arrow_bytes / 2**20, 2),
                   "started_at": round(started_at, 3), "finished_at": round(time.time(), 3)}
        output.write_marker(shard, summary)  # last: the input is done only once every shard is there
        return summary
    except Exception as exc:  # noqa: BLE001 - one input's failure is reported, the job carries on
        return {**base, "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.perf_counter() - started, 3)}


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- engines ------------------------------------------------------------------------------------
def _local(inputs: list[str], out: str, opts: dict, workers: int) -> Iterator[dict[str, Any]]:
    if workers <= 1:
        for path in inputs:
            yield process_file(path, out, opts)
        return
    try:
        with ProcessPoolExecutor(max_workers=workers, initializer=warm_up) as pool:
            futures = {pool.submit(process_file, path, out, opts): path for path in inputs}
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    yield fut.result()
    except BrokenProcessPool as exc:  # a worker was killed (out of memory): the rest is left for a rerun
        yield {"input": "(pool)", "status": "failed", "error": f"worker process died: {exc}"}


def _ray(inputs: list[str], out: str, opts: dict, workers: int | None, address: str | None
         ) -> Iterator[dict[str, Any]]:
    try:
        import ray
    except ImportError:
        raise RuntimeError("the Ray engine needs Ray: pip install 'eventwire[ray]'") from None
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"address": address} if address else {"num_cpus": workers or os.cpu_count()}
        ray.init(include_dashboard=False, log_to_driver=False, **kwargs)
        started = True
    try:
        # One CPU per task; Ray retries a task whose worker died (idempotent: same shard names).
        task = ray.remote(num_cpus=1, max_retries=3)(process_file)
        limit = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        todo, running = list(inputs), []
        while todo or running:
            while todo and len(running) < limit:  # a bounded window: the driver holds few results
                running.append(task.remote(todo.pop(0), out, opts))
            done, running = ray.wait(running, num_returns=1)
            for ref in done:
                try:
                    yield ray.get(ref)
                except Exception as exc:  # noqa: BLE001 - retries used up: report, the rerun redoes it
                    yield {"input": "(ray task)", "status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    finally:
        if started:
            ray.shutdown()


def run_batch(inputs: list[str], out: str, engine: str = "local", workers: int | None = None,
              address: str | None = None, opts: Options | None = None,
              on_result: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
    """Process every input not done yet; the summaries of all of them, in input order."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    options = asdict(opts or Options())
    if engine == "local":
        results = _local(inputs, out, options, workers or 1)
    else:
        results = _ray(inputs, out, options, workers, address)
    summaries = []
    for summary in results:
        if on_result is not None:
            on_result(summary)
        summaries.append(summary)
    order = {p: i for i, p in enumerate(inputs)}
    return sorted(summaries, key=lambda s: order.get(s["input"], len(order)))
