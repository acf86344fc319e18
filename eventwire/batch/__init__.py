"""Batch jobs past one machine: one input file is one unit of work, its output Parquet shards.

`eventwire batch INPUTS --out DIR` expands the inputs (WARC and JSONL files, globs, folders,
fsspec URLs) and runs `process_file` on each, in a local process pool or as Ray tasks. For every
input it writes one shard per table under DIR (named by a stable hash of the input's path) and
then, last, the input's `_SUCCESS` marker; a rerun skips every input whose marker exists, so a
killed job resumes where it stopped. `batch-stories` and `load` work on the finished shards.

    inputs.py   which files a list of paths, globs and URLs names
    output.py   the output folder: shard and marker paths, atomic writes, reading tables back
    rows.py     one record -> rows of the seven tables, with fixed Arrow schemas
    job.py      process_file (one input) and the engines (local process pool, Ray)
    stories.py  near-duplicates and stories over the whole output, in any input order
    load.py     the output into the SQLite / PostgreSQL store, idempotently
"""

from __future__ import annotations

from eventwire.batch.inputs import expand_inputs
from eventwire.batch.job import process_file, run_batch

__all__ = ["expand_inputs", "process_file", "run_batch"]
