"""The PLOVER scorer: its arithmetic on hand-made events, and a run over a small self-written file."""

from __future__ import annotations

import json

import pytest

from eventwire.eval.plover import score
from eventwire.model import Event, Participant, Span

SPAN = Span(0, 1, "x")


def ev(type_: str, actor: str | None, recipient: str | None = None) -> Event:
    return Event(id="e1", type=type_, trigger=SPAN, evidence=SPAN,
                 actor=Participant("a", country=actor) if actor else None,
                 recipient=Participant("r", country=recipient) if recipient else None)


def row(event: str, actors: list[str], recipients: list[str]) -> dict:
    return {"text": "x", "date": "2000-01-01", "event": event,
            "actor": [{"code": c} for c in actors], "recipient": [{"code": c} for c in recipients]}


def test_scoring_arithmetic():
    rows = [row("ACCUSE", ["USA"], ["IRN"]), row("ASSAULT", ["ISR"], []), row("AGREE", ["JAP"], ["CHN"]),
            row("PROTEST", ["FRA"], [])]
    coded = [[ev("ACCUSE", "USA", "IRN")], [ev("THREATEN", "ISR"), ev("ASSAULT", "ISR")],
             [ev("AGREE", "JPN", "KOR")], []]
    f = score(rows, coded)
    assert f["event_type_accuracy"] == pytest.approx(3 / 4)
    assert f["actor_country_accuracy"] == pytest.approx(1.0)  # JAP is CAMEO for JPN
    assert f["recipient_country_accuracy"] == pytest.approx(2 / 3)  # empty gold + none given is right
    assert f["per_type"]["THREATEN"]["precision"] == 0.0
    assert f["per_type"]["PROTEST"]["recall"] == 0.0
    assert f["per_type"]["ACCUSE"]["f1"] == pytest.approx(1.0)


def test_joint_actors_without_recipient_count_as_right():
    f = score([row("CONSULT", ["ISR", "LBN"], [])], [[ev("CONSULT", "ISR", "LBN")]])
    assert f["recipient_country_accuracy"] == 1.0


@pytest.mark.slow
def test_evaluate_runs_on_a_small_file(tmp_path, nlp):
    from eventwire.eval import evaluators, load_all

    lines = [row("SANCTION", ["POL"], ["RUS"]) | {"text": "Poland expelled two Russian diplomats on Monday."},
             row("ACCUSE", ["TUR"], ["GRC"]) | {"text": "Turkey accused Greece of violating its airspace."}]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    load_all()
    figures = evaluators.get("plover")(path)
    assert figures["event_type_accuracy"] == 1.0
    assert figures["actor_country_accuracy"] == 1.0


def test_dev_file_when_present(shared):
    path = shared / "eval" / "plover" / "dev.jsonl"
    if not path.exists():
        pytest.skip("no PLOVER dev file")
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert {"text", "event", "actor", "recipient"} <= set(first)


def test_gold_without_actor_is_right_only_without_actor_country():
    rows = [row("ASSAULT", [], ["IRQ"]), row("ASSAULT", [], ["IRQ"])]
    f = score(rows, [[ev("ASSAULT", None, "IRQ")], [ev("ASSAULT", "USA", "IRQ")]])
    assert f["actor_country_accuracy"] == pytest.approx(0.5)
