"""Exports of the store for the tools analysts already use.

`export(store, table, fmt, out, filters)` writes one table in one format:

- `jsonl`: one JSON object per row, nested values as JSON;
- `csv`, `tsv`: a header, then one row per line; lists and objects as JSON text, booleans true/false;
- `parquet`: one file per table, typed columns (quantities a list of structs), via pyarrow;
- `gdelt` (events): GDELT 2.0 events table rows, 61 tab-separated columns, no header (`gdelt.py`);
- `acled` (events): ACLED's columns with a header, comma-separated (`acled.py`).

Internal columns (the stored record copy, identity hashes, the stories stage's state) never leave
the store (`tables.INTERNAL`). Every exported column is described in docs/columns.md.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from eventwire.export import acled, gdelt
from eventwire.export.tables import TABLES, ExportError, Filters, arrow_schema, columns, rows

FORMATS = ("jsonl", "csv", "tsv", "parquet", "gdelt", "acled")
EVENTS_ONLY = ("gdelt", "acled")
PARQUET_ROWS = 10_000  # rows per row group: memory stays flat however large the table

__all__ = ["FORMATS", "TABLES", "ExportError", "Filters", "columns", "export", "rows"]


def export(conn, table: str, fmt: str, out: IO[bytes], filters: Filters | None = None) -> int:
    """Write `table` as `fmt` to the binary stream `out`; return the number of rows written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt in EVENTS_ONLY and table != "events":
        raise ExportError(f"--format {fmt} exports merged events: use `export events`")
    columns(table)  # an unknown table is refused before anything is written
    source = rows(conn, table, filters or Filters())
    if fmt == "parquet":
        return _parquet(table, source, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "jsonl":
            return _jsonl(table, source, text)
        if fmt == "gdelt":
            return _gdelt(source, text)
        if fmt == "acled":
            return _delimited(acled.ACLED_NAMES, (r for r in map(acled.row, source) if r is not None), text, ",")
        return _delimited([n for n, _ in columns(table)], source, text, "\t" if fmt == "tsv" else ",")
    finally:
        text.flush()
        text.detach()


def _project(table: str, source: Iterable[dict]) -> Iterator[dict]:
    names = [n for n, _ in columns(table)]
    for row in source:
        yield {n: row.get(n) for n in names}


def _jsonl(table: str, source: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for row in _project(table, source):
        out.write(json.dumps(row, ensure_ascii=False, allow_nan=False, default=str) + "\n")
        n += 1
    return n


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _delimited(names: list[str], source: Iterable[dict], out: IO[str], delimiter: str) -> int:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(names)
    n = 0
    for row in source:
        writer.writerow([_cell(row.get(name)) for name in names])
        n += 1
    return n


def _gdelt(source: Iterable[dict], out: IO[str]) -> int:
    n = 0
    for ev in source:
        if ev.get("negated"):  # GDELT has no negation: a "did not" event is left out
            continue
        out.write("\t".join(gdelt.row(ev)) + "\n")
        n += 1
    return n


def _parquet(table: str, source: Iterable[dict], out: IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(table)
    json_text = {f.name for f in schema if pa.types.is_string(f.type)}
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict] = []
        for row in _project(table, source):
            # A JSON column with no fixed shape is kept as JSON text in a string column.
            batch.append({k: json.dumps(v, ensure_ascii=False) if k in json_text and isinstance(v, list | dict)
                          else v for k, v in row.items()})
            if len(batch) >= PARQUET_ROWS:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n
