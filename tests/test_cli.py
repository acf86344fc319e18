"""The command line: output order and ids, exit status on failures, idempotent ingest, exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eventwire.cli import app

runner = CliRunner()
ARTICLE = "Police arrested twelve protesters in the capital on Sunday, the interior ministry said."


@pytest.fixture
def inputs(tmp_path):
    lines = [json.dumps({"id": "b", "text": ARTICLE, "published": "2025-03-03"}),
             "{broken",
             json.dumps({"id": "a", "text": ARTICLE.replace("twelve", "forty"), "published": "2025-03-03"})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_extract_keeps_input_order_and_ids_and_fails_loudly(inputs, nlp):
    result = runner.invoke(app, ["extract", str(inputs)])
    assert result.exit_code == 1  # one record failed
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["b", "a"]
    assert "in.jsonl:2" in result.stderr and "malformed JSON" in result.stderr


def test_extract_json_format(tmp_path, nlp):
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path), "--format", "json", "--published", "2025-03-03"])
    assert result.exit_code == 0, result.stderr
    [rec] = json.loads(result.stdout)
    assert rec["schema"] == "eventwire/1" and rec["article"]["published"] == "2025-03-03"


def test_bad_option_values_are_refused(inputs):
    assert runner.invoke(app, ["extract", str(inputs), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["events", "--type", "INVADE"]).exit_code == 2


def test_ingest_twice_stores_nothing_new(inputs, tmp_path, nlp):
    db = str(tmp_path / "x.db")
    first = runner.invoke(app, ["ingest", str(inputs), "--db", db, "--no-progress"])
    assert first.exit_code == 1 and "stored 2 new" in first.stderr
    second = runner.invoke(app, ["ingest", str(inputs), "--db", db, "--no-progress"])
    assert "stored 0 new article(s), 2 already stored" in second.stderr and "nothing new" in second.stderr
    exported = runner.invoke(app, ["export", "articles", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert len(rows) == 2 and "story" in rows[0]
    jsonl = runner.invoke(app, ["export", "events", "--db", db, "--format", "jsonl"])
    assert jsonl.exit_code == 0


@pytest.mark.parametrize("command", ["extract", "ingest"])
def test_undated_record_is_kept_with_a_warning(tmp_path, nlp, command):
    path = tmp_path / "undated.jsonl"
    path.write_text(json.dumps({"id": "u", "text": ARTICLE}) + "\n"
                    + json.dumps({"id": "d", "text": ARTICLE, "published": "2025-03-03"}) + "\n", encoding="utf-8")
    args = [command, str(path)] + (["--db", str(tmp_path / "w.db"), "--no-progress"] if command == "ingest" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr  # kept: a missing date is no failure
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert warnings == ["warning " + str(path) + ":1: no publication date; 1 relative date(s) left unresolved"]


# -- issue 14: missing stores, markup in messages, the accounting report, exit statuses, URL identity ------
@pytest.mark.parametrize("args", [["events"], ["export", "articles"], ["export", "events"], ["stories"],
                                  ["story", "s1"], ["serve"]])
def test_reading_commands_refuse_a_missing_store(tmp_path, args):
    db = tmp_path / "typo.db"
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 2
    assert "no eventwire store at" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()  # never created by reading it


def test_rich_markup_in_paths_and_reasons_is_printed_verbatim(tmp_path, nlp):
    folder = tmp_path / "[draft]" / "[" / "b]"  # the path reads ".../[draft]/[/b]/..."
    folder.mkdir(parents=True)
    (folder / "[red]x.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty [bold].txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(folder)])
    assert result.exit_code == 1  # the empty file failed; the markup crashed nothing
    assert "[draft]/[/b]" in result.stderr and "empty [bold].txt" in result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_report_accounts_for_every_unit(tmp_path, nlp):
    data = tmp_path / "in"
    data.mkdir()
    (data / "a.jsonl").write_text("\n".join([json.dumps({"id": "a1", "text": ARTICLE}), "{broken",
                                             json.dumps({"id": "a3", "text": "Le gouvernement a annoncé "
                                                         "mardi de nouvelles sanctions contre la Russie."})]),
                                  encoding="utf-8")
    (data / "notes.md").write_text("not an article", encoding="utf-8")
    (data / "empty.jsonl").write_text("", encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = runner.invoke(app, ["extract", str(data), "--report", str(report)])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    units = {Path(line["unit"]).name: line for line in lines if "unit" in line}
    assert {k: v["status"] for k, v in units.items()} == {
        "a.jsonl:1": "record", "a.jsonl:2": "error", "a.jsonl:3": "record", "empty.jsonl": "error",
        "notes.md": "skipped"}
    assert units["a.jsonl:3"]["coded"] is False and units["a.jsonl:3"]["language"] == "fr"
    assert "malformed JSON" in units["a.jsonl:2"]["reason"]
    summary = lines[-1]
    assert summary["summary"] is True and summary["units"] == 5 and summary["error"] == 2


def test_an_aborted_batch_exits_3_not_1(tmp_path, nlp, monkeypatch):
    import eventwire.cli as cli

    def broken_run(*_args, **_kw):
        yield from ()
        raise RuntimeError("disk full")

    monkeypatch.setattr(cli, "run", broken_run)
    path = tmp_path / "one.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 3 and "aborted" in result.stderr and "disk full" in result.stderr


def test_all_stored_exits_0_and_some_failed_exits_1(tmp_path, nlp):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    db = str(tmp_path / "s.db")
    assert runner.invoke(app, ["ingest", str(good), "--db", db, "--no-progress"]).exit_code == 0
    assert runner.invoke(app, ["ingest", str(good), str(bad), "--db", db, "--no-progress"]).exit_code == 1


def test_url_identity_keeps_the_query_string_but_not_tracking_tags(tmp_path, nlp):
    from eventwire.store import Store

    other = "Firefighters contained a forest fire near the northern town on Monday, the regional governor said."
    lines = [
        {"id": "1", "url": "https://news.example/story.php?id=1", "text": ARTICLE},
        {"id": "2", "url": "https://news.example/story.php?id=2", "text": other},  # another article
        {"id": "3", "url": "https://news.example/story.php?id=1&utm_source=x&fbclid=abc",
         "text": ARTICLE + " More details later."},  # the first one again, reached from a tracked link
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    db = str(tmp_path / "q.db")
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "--no-progress"])
    assert "stored 2 new article(s), 1 already stored" in result.stderr
    assert Store(db).count("articles") == 2


def test_url_identity_rules():
    from eventwire.ingest.urls import identity

    assert identity("https://www.News.example/a/?utm_medium=s&gclid=1#top") == identity("http://news.example/a")
    assert identity("https://news.example/s.php?id=1") != identity("https://news.example/s.php?id=2")
    assert identity("https://news.example/s?b=2&a=1") == identity("https://news.example/s?a=1&b=2")


def test_gzipped_stdin_through_extract(nlp):
    import gzip

    data = gzip.compress((json.dumps({"id": "z", "text": ARTICLE}) + "\n").encode())
    result = runner.invoke(app, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "z"
