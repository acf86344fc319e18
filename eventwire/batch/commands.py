"""The `batch`, `batch-stories` and `load` commands (registered on the main app by eventwire.cli).

Exit status of `batch`: 0 every input done (now or before), 1 some inputs failed (rerun to retry
them), 2 a usage error (an input that names no file, an unknown engine).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True, highlight=False)


def _line(summary: dict[str, Any]) -> None:
    name = escape(summary.get("input", "?"))
    status = summary.get("status")
    if status == "done":
        rows = summary.get("rows", {})
        err.print(f"done {name}: {rows.get('articles', 0)} article(s), {rows.get('events', 0)} event(s) "
                  f"in {summary.get('seconds', 0):.1f} s", soft_wrap=True)
    elif status == "skipped":
        err.print(f"[yellow]skipped[/yellow] {name}: done before (its _SUCCESS marker exists)", soft_wrap=True)
    else:
        err.print(f"[red]failed[/red] {name}: {escape(str(summary.get('error')))}", soft_wrap=True)


def batch(
    inputs: Annotated[list[str], typer.Argument(help="WARC/JSONL files, globs, folders, or fsspec URLs")],
    out: Annotated[str, typer.Option("--out", help="Output folder (local path or fsspec URL)")],
    engine: Annotated[str, typer.Option(help="local (process pool) or ray")] = "local",
    address: Annotated[str | None, typer.Option(help="Ray cluster address (ray://host:10001, auto)")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes (local) or concurrent tasks (ray)")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date for undated input")] = None,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Keep the text verbatim")] = False,
) -> None:
    """Extract every input file into Parquet shards under --out; a rerun skips the files done."""
    from eventwire.batch import expand_inputs, run_batch
    from eventwire.batch.inputs import InputError
    from eventwire.batch.job import ENGINES
    from eventwire.pipeline import Options

    if engine not in ENGINES:
        raise typer.BadParameter(f"engine must be one of {', '.join(ENGINES)}", param_hint="--engine")
    try:
        files = expand_inputs(inputs)
    except InputError as exc:
        err.print(f"[red]error[/red] {escape(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None
    if not files:
        err.print("[red]error[/red] no WARC or JSONL input files found")
        raise typer.Exit(2)
    started = time.perf_counter()
    summaries = run_batch(files, out, engine=engine, workers=workers, address=address,
                          opts=Options(clean=not no_clean, published=published), on_result=_line)
    counts: dict[str, int] = {}
    for s in summaries:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    articles = sum(s.get("rows", {}).get("articles", 0) for s in summaries)
    other = sum(1 for s in summaries if s["status"] == "skipped" and not s.get("same_code"))
    if other:
        err.print(f"[yellow]warning[/yellow] {other} input(s) were done by other eventwire code or data (the "
                  "marker's fingerprint differs): their rows may differ; delete their _SUCCESS markers to redo them")
    wall = time.perf_counter() - started
    err.print(f"{len(files)} input(s): {counts.get('done', 0)} done, {counts.get('skipped', 0)} done before, "
              f"{counts.get('failed', 0)} failed; {articles} article(s) in {wall:.1f} s -> {escape(out)}")
    raise typer.Exit(1 if counts.get("failed") else 0)


def _need_output(out: str) -> None:
    from eventwire.batch.output import Output

    if not Output(out).finished_shards():
        err.print(f"[red]error[/red] no finished batch output in {escape(out)} (`eventwire batch ... --out DIR`)",
                  soft_wrap=True)
        raise typer.Exit(2)


def batch_stories(out: Annotated[str, typer.Argument(help="The output folder of `eventwire batch`")]) -> None:
    """Near-duplicates and stories over a batch output; writes DIR/stories/part-00000.parquet."""
    from eventwire.batch.stories import batch_stories as run

    _need_output(out)
    counts = run(out)
    sys.stdout.write(json.dumps(counts) + "\n")


def load(
    out: Annotated[str, typer.Argument(help="The output folder of `eventwire batch`")],
    db: Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL")] = "eventwire.db",
) -> None:
    """Load a batch output into the store (idempotent: loading twice changes nothing)."""
    from eventwire.batch.load import load as run

    _need_output(out)
    summary = run(out, db)
    sys.stdout.write(json.dumps(summary) + "\n")


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
    app.command("batch-stories")(batch_stories)
    app.command("load")(load)
