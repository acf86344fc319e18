"""The `eventwire` command: thin commands over the pipeline and the store.

Errors in single records are printed one line each on stderr ("PATH: reason")
and the batch carries on. Exit status: 0 every record stored (or printed), 1 some
records failed, 2 a usage error or a store that does not exist, 3 the batch was
aborted. User text in messages is escaped, never read as rich markup.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from eventwire.model import PLOVER_TYPES
from eventwire.pipeline import Options, Result, Tally, dumps, run

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news into an evidence-backed, sourced event database.")
export_app = typer.Typer(no_args_is_help=True, help="Export stored data: jsonl csv tsv parquet gdelt acled.")
app.add_typer(export_app, name="export")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

DbOpt = Annotated[str, typer.Option("--db", help="SQLite path or SQLAlchemy URL (postgresql+psycopg://...)")]
Paths = Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin")]
ReportOpt = Annotated[str | None, typer.Option(
    "--report", help="Write what became of every input unit (record, error, skipped) to FILE as JSONL")]
EXIT_ABORTED = 3


def _report(result: Result) -> None:
    """The unit's line on stderr: an error, a skip, and any repairs made on the way."""
    for note in result.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(result.origin)}: {escape(note)}", soft_wrap=True)
    if result.skipped is not None:
        err.print(f"[yellow]skipped[/yellow] {escape(result.origin)}: {escape(result.skipped)}", soft_wrap=True)
    elif result.error is not None:
        err.print(f"[red]error[/red] {escape(result.origin)}: {escape(result.error)}", soft_wrap=True)
    elif result.record is not None and not result.record.article.coded:
        err.print(f"[yellow]warning[/yellow] {escape(result.origin)}: kept, not coded: "
                  f"{escape(result.record.article.coded_reason or '')}", soft_wrap=True)


def _aborted(exc: BaseException) -> typer.Exit:
    err.print(f"[red]aborted[/red]: {escape(type(exc).__name__)}: {escape(str(exc))}", soft_wrap=True)
    return typer.Exit(EXIT_ABORTED)


def _tally(report: str | None) -> Tally:
    try:
        return Tally(report)
    except OSError as exc:
        raise typer.BadParameter(f"cannot write {report}: {exc.strerror}", param_hint="--report") from None


def _need_store(db: str) -> None:
    """Reading commands never create a store: a mistyped --db path is one clear line and exit 2."""
    if "://" in db:
        return
    if not Path(db).is_file():
        err.print(f"[red]error[/red] no eventwire store at {escape(db)} "
                  "(`eventwire ingest ... --db PATH` creates one)", soft_wrap=True)
        raise typer.Exit(2)


def _warn_undated(result: Result) -> None:
    """An article with no publication date is kept, but said: its relative dates stay unresolved."""
    assert result.record is not None
    if result.record.article.published:
        return
    unresolved = sum(1 for t in result.record.times if t.reason == "no anchor")
    more = f"; {unresolved} relative date(s) left unresolved" if unresolved else ""
    err.print(f"[yellow]warning[/yellow] {escape(result.origin)}: no publication date{more}", soft_wrap=True)


def _progress(enabled: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, disable=not enabled, transient=True)


@app.command()
def extract(
    paths: Paths,
    format: Annotated[str, typer.Option("--format", "-f", help="json (one array) or jsonl")] = "jsonl",
    published: Annotated[str | None, typer.Option(help="Publication date (YYYY-MM-DD) for undated input")] = None,
    no_clean: Annotated[bool, typer.Option("--no-clean", help="Keep the text verbatim")] = False,
    workers: Annotated[int | None, typer.Option(help="Processes to use (default: the CPU count)")] = None,
    report: ReportOpt = None,
) -> None:
    """Extract events, entities, times, claims and 5W1H from articles; print eventwire/1 records."""
    if format not in ("json", "jsonl"):
        raise typer.BadParameter("format must be json or jsonl", param_hint="--format")
    tally = _tally(report)
    records = []
    try:
        for result in run(paths, Options(clean=not no_clean, published=published), workers=workers):
            tally.add(result)
            _report(result)
            if not result.ok:
                continue
            _warn_undated(result)
            data = result.record.to_dict()
            if format == "jsonl":
                sys.stdout.write(dumps(data) + "\n")
            else:
                records.append(data)
        if format == "json":
            sys.stdout.write(dumps(records, indent=2) + "\n")
    except Exception as exc:  # noqa: BLE001 - a fault outside any one record: say so, exit 3
        tally.close(aborted=f"{type(exc).__name__}: {exc}")
        raise _aborted(exc) from None
    tally.close()
    raise typer.Exit(1 if tally.counts.get("error") else 0)


@app.command()
def ingest(
    paths: Paths,
    db: DbOpt = "eventwire.db",
    published: Annotated[str | None, typer.Option(help="Publication date for undated input")] = None,
    no_clean: Annotated[bool, typer.Option("--no-clean")] = False,
    workers: Annotated[int | None, typer.Option(help="Processes to use (default: the CPU count)")] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
    report: ReportOpt = None,
) -> None:
    """Extract and store articles (creating the store); the same article twice is stored once."""
    from eventwire import stories
    from eventwire.store import Store

    tally = _tally(report)
    try:
        store = Store(db)
        pending: list[str] = []
        with _progress(progress and sys.stderr.isatty()) as bar:
            task = bar.add_task("ingesting", total=None)
            # Articles the store holds already are recognised before any NLP runs (status "unchanged").
            opts = Options(clean=not no_clean, published=published, known_db=db)
            for result in run(paths, opts, workers=workers):
                bar.advance(task)
                _report(result)
                if not result.ok:
                    tally.add(result)
                    continue
                _warn_undated(result)
                key = store.save(result.record, result.origin)
                tally.add(result, status="stored" if key else "unchanged")
                if key is None:
                    continue
                pending.append(key)
                if len(pending) >= 64:
                    stories.update(store, pending, restory=False)  # stories are rebuilt once, below
                    pending = []
        stories.update(store, pending)
    except Exception as exc:  # noqa: BLE001 - a fault outside any one record (the store): exit 3
        tally.close(aborted=f"{type(exc).__name__}: {exc}")
        raise _aborted(exc) from None
    tally.close()
    counts = tally.counts
    stored, failed = counts.get("stored", 0), counts.get("error", 0)
    skipped = f", {counts['skipped']} skipped" if counts.get("skipped") else ""
    err.print(f"stored {stored} new article(s), {counts.get('unchanged', 0)} already stored, {failed} failed"
              + skipped + ("" if stored else " (nothing new)"))
    raise typer.Exit(1 if failed else 0)


def _validated_type(value: str | None) -> str | None:
    if value is not None and value.upper() not in PLOVER_TYPES:
        raise typer.BadParameter(f"unknown PLOVER type {value!r}", param_hint="--type")
    return value.upper() if value else None


@app.command()
def events(
    db: DbOpt = "eventwire.db",
    actor: Annotated[str | None, typer.Option(help="Actor country, ISO3")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient country, ISO3")] = None,
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date, YYYY-MM-DD")] = None,
    limit: int = 50,
    format: Annotated[str, typer.Option("--format", help="table or jsonl")] = "table",
) -> None:
    """List event mentions with their evidence."""
    from sqlalchemy import select

    from eventwire.store import Store
    from eventwire.store.schema import articles, mentions

    kind = _validated_type(type)
    _need_store(db)
    query = select(mentions, articles.c.title, articles.c.outlet).join(
        articles, articles.c.key == mentions.c.article_key)
    if actor:
        query = query.where(mentions.c.actor_country == actor.upper())
    if recipient:
        query = query.where(mentions.c.recipient_country == recipient.upper())
    if kind:
        query = query.where(mentions.c.type == kind)
    if since:
        query = query.where(mentions.c.date >= since)
    query = query.order_by(mentions.c.date.desc().nullslast(), mentions.c.id).limit(limit)
    with Store(db).connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    if format == "jsonl":
        for row in rows:
            sys.stdout.write(dumps(row, default=str) + "\n")
        return
    table = Table("date", "type", "actor", "recipient", "where", "certainty", "evidence", show_lines=False)
    for r in rows:
        who = f"{r['actor_text'] or ''} ({r['actor_country'] or '?'})" if r["actor_text"] else ""
        whom = f"{r['recipient_text'] or ''} ({r['recipient_country'] or '?'})" if r["recipient_text"] else ""
        table.add_row(r["date"] or "", r["type"] + (" (negated)" if r["negated"] else ""), escape(who),
                      escape(whom), escape(r["location_text"] or ""), r["certainty"], escape(r["evidence"][:160]))
    out.print(table)


def _export_command(what: str):
    def command(db: DbOpt = "eventwire.db",
                format: Annotated[str, typer.Option("--format", help="jsonl csv tsv parquet gdelt acled")] = "jsonl",
                output: Annotated[str | None, typer.Option("--output", "-o", help="write to PATH, not stdout")] = None,
                since: Annotated[str | None, typer.Option(help="rows dated on or after this ISO date")] = None,
                until: Annotated[str | None, typer.Option(help="rows dated on or before this ISO date")] = None,
                type: Annotated[str | None, typer.Option("--type", help="PLOVER type (entities: entity type)")] = None,
                country: Annotated[str | None, typer.Option(help="ISO3: actor, recipient or place")] = None,
                ) -> None:
        from eventwire.export import ExportError, Filters, export
        from eventwire.store import Store

        _need_store(db)
        if format == "parquet" and output is None and sys.stdout.isatty():
            raise typer.BadParameter("Parquet is binary: give --output PATH or pipe it", param_hint="--output")
        filters = Filters(since=since, until=until, type=type, country=country)
        try:
            with Store(db).connect() as conn, _output(output) as out:
                export(conn, what, format, out, filters)
        except ExportError as exc:
            raise typer.BadParameter(str(exc)) from exc

    command.__doc__ = f"Export stored {what} (docs/columns.md describes every column)."
    return command


@contextlib.contextmanager
def _output(path: str | None):
    """A binary stream: the file at PATH, or standard output (Parquet needs --output or a pipe)."""
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with open(path, "wb") as fh:
        yield fh


for _what in ("articles", "events", "mentions", "entities", "claims", "stories"):
    export_app.command(_what)(_export_command(_what))


@app.command("datasette-metadata")
def datasette_metadata(db: DbOpt = "eventwire.db") -> None:
    """Print Datasette metadata for the store: `datasette DB -m <(eventwire datasette-metadata --db DB)`."""
    from eventwire.store.datasette import metadata_yaml

    sys.stdout.write(metadata_yaml(db))


@app.command("stories")
def stories_cmd(db: DbOpt = "eventwire.db", limit: int = 50) -> None:
    """List stories: articles about the same real-world story."""
    from eventwire.store import Store
    from eventwire.stories import queries

    _need_store(db)
    with Store(db).connect() as conn:
        rows = queries.list_stories(conn, limit=limit, offset=0)
    table = Table("id", "first seen", "last seen", "articles", "sources", "title")
    table.columns[0].no_wrap = True  # an id is copied into `eventwire story ID`: never fold it
    for r in rows:
        table.add_row(str(r["id"]), str(r.get("first_seen") or "")[:10], str(r.get("last_seen") or "")[:10],
                      str(r.get("num_articles")), str(r.get("num_sources")), escape(str(r.get("title") or "")))
    out.print(table)


@app.command("story")
def story_cmd(story_id: str, db: DbOpt = "eventwire.db") -> None:
    """Show one story with its articles and merged events (JSON)."""
    from eventwire.store import Store
    from eventwire.stories import queries

    _need_store(db)
    with Store(db).connect() as conn:
        story = queries.get_story(conn, story_id)
    if story is None:
        err.print(f"no story {escape(repr(story_id))}")
        raise typer.Exit(1)
    sys.stdout.write(json.dumps(story, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command("eval")
def eval_cmd(
    name: Annotated[str, typer.Argument(help="plover, timex, 5w1h, clusters, html or acled")],
    file: Annotated[Path | None, typer.Argument(exists=True, help="Gold JSONL file (corpus: its folder)")] = None,
    split: Annotated[str, typer.Option(help="corpus: heldback, train or all")] = "heldback",
    files: Annotated[str | None, typer.Option(help="corpus: only the files matching this glob")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
) -> None:
    """Score eventwire against a gold file and print precision, recall and F1."""
    from eventwire.eval import evaluators, load_all

    if name == "corpus":  # our own corpus, by split (eventwire/eval/corpus.py)
        from eventwire.eval import corpus

        corpus.run(split, files, as_json, corpus_dir=file if file is not None and file.is_dir() else corpus.CORPUS_DIR)
        return
    if file is None:
        raise typer.BadParameter("a gold file is needed", param_hint="FILE")
    load_all()
    try:
        evaluate = evaluators.get(name)
    except KeyError as exc:
        raise typer.BadParameter(str(exc), param_hint="NAME") from None
    if not as_json:
        evaluate(file)
        return
    with contextlib.redirect_stdout(sys.stderr):  # the report goes to stderr, the figures to stdout
        figures = evaluate(file)
    sys.stdout.write(json.dumps(figures, indent=2, default=str) + "\n")


@app.command()
def serve(
    db: DbOpt = "eventwire.db",
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: int = 8000,
    token: Annotated[str | None, typer.Option(envvar="EVENTWIRE_TOKEN",
                                              help="Token for write endpoints (required off loopback)")] = None,
    allow_host: Annotated[list[str] | None, typer.Option(
        help="Another host name the page is reached by (a proxy's, a LAN name); repeatable")] = None,
) -> None:
    """Serve the API and the analyst's page."""
    import uvicorn

    from eventwire.serve.app import create_app

    _need_store(db)
    if host not in ("127.0.0.1", "localhost", "::1") and not token:
        err.print("[red]refusing[/red] to listen on a public address without --token (write endpoints)")
        raise typer.Exit(2)
    err.print(f"eventwire serving {escape(db)} at http://{escape(host)}:{port}/")
    uvicorn.run(create_app(db, token=token, host=host, allow_hosts=allow_host or []), host=host, port=port,
                log_level="warning")


# batch, batch-stories, load: Parquet output per input file, on a process pool or Ray (eventwire/batch/)
from eventwire.batch.commands import register as _register_batch  # noqa: E402

_register_batch(app)


if __name__ == "__main__":
    app()
