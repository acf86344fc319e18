"""The output folder of a batch job, local or on object storage (any fsspec URL).

    DIR/<table>/part-<shard>.parquet   one per input and table (articles, events, ...)
    DIR/_SUCCESS/<shard>.json          the input's marker, written after all its shards
    DIR/stories/part-00000.parquet     written by `eventwire batch-stories`

A shard id is a stable hash of the input's canonical path, so a rerun (or a Ray retry) of an
input writes the same names again and never adds a second copy. Every file is written under a
temporary name and renamed; a reader takes only the shards of inputs whose marker exists, so
the shards of a task killed before its marker are never read, and are rewritten by the rerun.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from eventwire.batch.inputs import is_url

MARKERS = "_SUCCESS"
TMP_PREFIX = ".tmp-"


def shard_id(input_path: str) -> str:
    """The name of an input's shards: the same for the same canonical path on every machine."""
    return hashlib.sha1(input_path.encode("utf-8", "surrogatepass")).hexdigest()[:20]


class Output:
    """Files under one root folder, with atomic writes; a local path or an fsspec URL."""

    def __init__(self, root: str) -> None:
        self.url = root
        if is_url(root):
            import fsspec

            self.fs, self.root = fsspec.core.url_to_fs(root)
        else:
            self.fs, self.root = None, os.path.abspath(root.removeprefix("file://"))

    def path(self, *parts: str) -> str:
        return "/".join([self.root.rstrip("/"), *parts])

    def exists(self, rel: str) -> bool:
        full = self.path(rel)
        return self.fs.exists(full) if self.fs else os.path.exists(full)

    def write(self, rel: str, data: bytes) -> None:
        """Write `data` at `rel` under a temporary name, then rename: the name appears whole or not at all."""
        full = self.path(rel)
        folder, name = full.rsplit("/", 1)
        tmp = f"{folder}/{TMP_PREFIX}{name}.{uuid.uuid4().hex[:8]}"
        if self.fs:
            self.fs.makedirs(folder, exist_ok=True)
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, full)
            return
        os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, full)

    def read(self, rel: str) -> bytes:
        full = self.path(rel)
        if self.fs:
            return self.fs.cat_file(full)
        return Path(full).read_bytes()

    def listdir(self, rel: str) -> list[str]:
        """The file names in a folder (temporary files left by killed tasks excluded)."""
        full = self.path(rel)
        if self.fs:
            names = [p.rsplit("/", 1)[-1] for p in self.fs.ls(full, detail=False)] if self.fs.exists(full) else []
        else:
            names = os.listdir(full) if os.path.isdir(full) else []
        return sorted(n for n in names if not n.startswith(TMP_PREFIX))

    def clean_tmp(self, shard: str, tables: tuple[str, ...]) -> None:
        """Drop the temporary files a killed task left for this shard (local output only)."""
        if self.fs:
            return
        for table in (*tables, MARKERS):
            folder = self.path(table)
            if os.path.isdir(folder):
                for name in os.listdir(folder):
                    if name.startswith(TMP_PREFIX) and shard in name:
                        os.remove(os.path.join(folder, name))

    # -- shards and markers -------------------------------------------------------------------
    def shard_path(self, table: str, shard: str) -> str:
        return f"{table}/part-{shard}.parquet"

    def marker_path(self, shard: str) -> str:
        return f"{MARKERS}/{shard}.json"

    def done(self, shard: str) -> bool:
        return self.exists(self.marker_path(shard))

    def write_table(self, rel: str, table: pa.Table) -> None:
        buf = io.BytesIO()
        pq.write_table(table, buf, compression="zstd")
        self.write(rel, buf.getvalue())

    def write_marker(self, shard: str, summary: dict[str, Any]) -> None:
        self.write(self.marker_path(shard), json.dumps(summary, sort_keys=True, indent=1).encode())

    def markers(self) -> list[dict[str, Any]]:
        return [json.loads(self.read(f"{MARKERS}/{name}")) for name in self.listdir(MARKERS)
                if name.endswith(".json")]

    def finished_shards(self) -> list[str]:
        return sorted(name.removesuffix(".json") for name in self.listdir(MARKERS) if name.endswith(".json"))

    def read_table(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """One table over every finished input's shard (in shard order), with its fixed schema."""
        from eventwire.batch.rows import SCHEMAS

        schema = SCHEMAS[table]
        parts = [pq.read_table(io.BytesIO(self.read(self.shard_path(table, s))), columns=columns)
                 for s in self.finished_shards() if self.exists(self.shard_path(table, s))]
        if not parts:
            empty = schema if columns is None else pa.schema([schema.field(c) for c in columns])
            return empty.empty_table()
        return pa.concat_tables(parts)

    def iter_shards(self, table: str) -> Iterator[tuple[str, pa.Table]]:
        for s in self.finished_shards():
            rel = self.shard_path(table, s)
            if self.exists(rel):
                yield s, pq.read_table(io.BytesIO(self.read(rel)))
