"""Issue 11: no work done twice, and the cores used by default with the same output."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from eventwire import pipeline
from eventwire.cli import app
from eventwire.ingest import RawArticle
from eventwire.pipeline import Options, default_workers, pool_plan, run_items

# Our own short news items: different wording, places and numbers.
ARTICLES = [
    ("Port workers strike in Durban", "Dock workers walked off the job in Durban on Monday, halting container "
     "traffic, the union said. Talks with the port authority collapsed last week."),
    ("Flood aid for Sylhet", "The government sent 40 tonnes of rice to flooded districts around Sylhet on "
     "Thursday, officials said, as rivers kept rising."),
    ("Minister resigns", "Peru's interior minister resigned on Friday after police fired tear gas at "
     "protesters in Lima, the president's office said."),
    ("Ceasefire talks", "Mediators from Qatar hosted delegations from both sides in Doha on Sunday and said a "
     "truce could be announced within days."),
    ("Court fines lender", "A court in Seoul fined a local bank 3 billion won on Wednesday for hiding losses "
     "from regulators, prosecutors said."),
]


def _write_corpus(tmp_path):
    path = tmp_path / "news.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n, (title, text) in enumerate(ARTICLES[:3]):
            fh.write(json.dumps({"id": f"a{n}", "url": f"https://news.example/{n}", "title": title, "text": text,
                                 "published": "2025-03-03"}) + "\n")
    (tmp_path / "pasted.txt").write_text(ARTICLES[3][0] + "\n\n" + ARTICLES[3][1], encoding="utf-8")
    return tmp_path


def _no_nlp(*_a, **_k):
    raise AssertionError("NLP ran on an article the store holds")


@pytest.mark.parametrize("workers", [None, "1"])
def test_rerun_stores_nothing_and_parses_nothing(tmp_path, monkeypatch, workers):
    (tmp_path / "in").mkdir()
    corpus = _write_corpus(tmp_path / "in")
    db = str(tmp_path / "ew.db")
    more = ["--workers", workers] if workers else []
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(corpus), "--db", db, "--no-progress", *more])
    assert first.exit_code == 0, first.output
    assert "stored 4 new" in first.output
    calls = []
    monkeypatch.setattr(pipeline, "analyse", _no_nlp)
    monkeypatch.setattr(pipeline, "analyse_one", _no_nlp)
    monkeypatch.setattr(pipeline, "extract", lambda *a, **k: calls.append(1) or _no_nlp())
    report = tmp_path / "report.jsonl"
    second = runner.invoke(app, ["ingest", str(corpus), "--db", db, "--no-progress", "--report", str(report),
                                 *more])
    assert second.exit_code == 0, second.output
    assert "stored 0 new article(s), 4 already stored" in second.output
    assert calls == []
    lines = [json.loads(x) for x in report.read_text().splitlines()]
    assert [x["status"] for x in lines if not x.get("summary")] == ["unchanged"] * 4


def test_known_url_is_not_even_cleaned(tmp_path, monkeypatch):
    corpus = _write_corpus(tmp_path)
    db = str(tmp_path / "ew.db")
    assert CliRunner().invoke(app, ["ingest", str(corpus / "news.jsonl"), "--db", db, "--no-progress",
                                    "--workers", "1"]).exit_code == 0
    monkeypatch.setattr(pipeline, "clean", _no_nlp)
    items = [RawArticle(origin=f"x{n}", id=f"x{n}", url=f"https://news.example/{n}", text="changed text " * 5)
             for n in range(3)]
    results = list(run_items(items, Options(known_db=db), workers=1))
    assert [r.status for r in results] == ["unchanged"] * 3


@pytest.mark.parametrize(("n", "workers", "chunk", "plan"), [
    (5, 2, 8, (2, 3)),     # a small batch still uses both workers
    (1, 2, 8, (1, 1)),     # one article: no pool
    (16, 2, 8, (2, 8)),    # a full window keeps the task size
    (9, 4, 8, (4, 3)),
    (3, 4, 8, (3, 1)),
])
def test_small_batches_are_spread_over_the_workers(n, workers, chunk, plan):
    assert pool_plan(n, workers, chunk) == plan


def test_default_workers_is_the_cpu_count():
    import os

    assert default_workers() == len(os.sched_getaffinity(0))


def _items():
    return [RawArticle(origin=f"u{n}", id=f"u{n}", title=t, text=x, published="2025-03-03")
            for n, (t, x) in enumerate(ARTICLES)]


def test_two_workers_give_the_records_of_one_in_the_same_order():
    one = [r.record.to_dict() for r in run_items(_items(), workers=1)]
    two = [r.record.to_dict() for r in run_items(_items(), workers=2)]
    assert [r["id"] for r in two] == [f"u{n}" for n in range(len(ARTICLES))]
    assert two == one
