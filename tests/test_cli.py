"""The command line: output order and ids, exit status on failures, idempotent ingest, exports."""

from __future__ import annotations

import csv
import io
import json

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
