"""Score the whole pipeline on eventwire's own corpus (corpus/events/*.jsonl), by split.

    eventwire eval corpus [--split heldback|train|all] [--files GLOB] [--json]

Each corpus line is one sentence with its gold `type` (null: it asserts no event), `actor` and
`recipient` phrases and their countries (see corpus/README.md). Scoring, per sentence:
- type accuracy: right when one of the output events has the gold type (as `eval plover`);
- per type: precision, recall and F1 (every output type other than the gold one is a false positive,
  on no-event sentences too);
- on "that event" (among the output events of the gold type, the one whose roles agree best):
  actor / recipient country accuracy (a null gold country is right when we give none; a null gold
  recipient is also right when our recipient is one of the actors, as PLOVER codes joint actors), and
  actor / recipient text accuracy over the sentences whose gold names that role (word-overlap F1 at
  least 0.5, or one phrase contains the other: how ../shared/eval scores roles);
- no-event rate: the share of no-event sentences left without any event.
Role figures are given over the sentences whose type was found (the headline) and over all event
sentences (a missed type is wrong). Type accuracy is also broken down by the corpus `style`.

The held-back split is never used to tune anything; `--split train` exists to see how well the
training data is fitted, not to choose.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eventwire.eval import evaluators
from eventwire.eval.plover import per_type_scores
from eventwire.model import PLOVER_TYPES, Article, Event

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "corpus" / "events"
SPLITS = ("heldback", "train", "all")
STAGES = ("entities", "times", "places", "quantities", "claims", "events")
_WORD = re.compile(r"\w+")


def split_of(record_id: str) -> str:
    """corpus/split.py's rule, repeated here so an installed package can score a corpus directory."""
    import hashlib

    return "heldback" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def load_rows(split: str = "heldback", files: str | None = None, corpus_dir: Path = CORPUS_DIR) -> list[dict]:
    """The corpus records of one split ('all' for every one), from the files matching GLOB."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    rows = []
    for path in sorted(corpus_dir.glob("*.jsonl")):
        if files and not fnmatch.fnmatch(path.name, files) and not fnmatch.fnmatch(str(path), files):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            if split == "all" or split_of(rec["id"]) == split:
                rows.append(rec)
    return rows


def code_rows(rows: Sequence[dict], batch_size: int = 64) -> list[list[Event]]:
    """analyse + extract over the sentences, parsed in batches with nlp.pipe."""
    from eventwire.analyse import analyse
    from eventwire.extract import extract

    docs = analyse(r["text"] for r in rows)
    return [extract(doc, Article(text=row["text"], published=row.get("date")), row.get("id") or f"s{i}",
                    only=STAGES).events
            for i, (row, doc) in enumerate(zip(rows, docs, strict=True))]


# ---------------------------------------------------------------- role matching


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def text_match(predicted: str | None, gold: str | None) -> bool:
    """Word-overlap F1 >= 0.5, or one phrase contains the other (case-insensitive)."""
    if not predicted or not gold:
        return False
    p, g = predicted.lower().strip(), gold.lower().strip()
    if p in g or g in p:
        return True
    pw, gw = Counter(_words(p)), Counter(_words(g))
    common = sum((pw & gw).values())
    if not common:
        return False
    precision, recall = common / sum(pw.values()), common / sum(gw.values())
    return 2 * precision * recall / (precision + recall) >= 0.5


def _actor_country_ok(ev: Event, gold: str | None) -> bool:
    if gold is None:
        return ev.actor is None or ev.actor.country is None
    return ev.actor is not None and ev.actor.country == gold


def _recipient_country_ok(ev: Event, gold: str | None, gold_actor: str | None) -> bool:
    if gold is None:
        return ev.recipient is None or ev.recipient.country is None or ev.recipient.country == gold_actor
    return ev.recipient is not None and ev.recipient.country == gold


def _role_checks(ev: Event, row: dict) -> dict[str, bool | None]:
    """Each role measure on one event; None where the gold does not name that role's text."""
    return {
        "actor_country": _actor_country_ok(ev, row.get("actor_country")),
        "recipient_country": _recipient_country_ok(ev, row.get("recipient_country"), row.get("actor_country")),
        "actor_text": text_match(ev.actor.text if ev.actor else None, row["actor"]) if row.get("actor") else None,
        "recipient_text": (text_match(ev.recipient.text if ev.recipient else None, row["recipient"])
                           if row.get("recipient") else None),
    }


# ---------------------------------------------------------------- scoring


def score(rows: Sequence[dict], coded: Sequence[list[Event]]) -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    role_ok: Counter[str] = Counter()
    role_n_found: Counter[str] = Counter()  # the sentences whose type was found (and whose gold names a text)
    role_n_all: Counter[str] = Counter()
    style_n: Counter[str] = Counter()
    style_ok: Counter[str] = Counter()
    hits = events_n = none_rows = none_clean = 0
    for row, events in zip(rows, coded, strict=True):
        gold = row.get("type")
        types = {e.type for e in events}
        style = row.get("style") or "?"
        style_n[style] += 1
        if not gold:
            none_rows += 1
            none_clean += not types
            style_ok[style] += not types
            for t in types:
                fp[t] += 1
            continue
        events_n += 1
        for t in types - {gold}:
            fp[t] += 1
        for key in ("actor_country", "recipient_country"):
            role_n_all[key] += 1
        for key, role in (("actor_text", "actor"), ("recipient_text", "recipient")):
            role_n_all[key] += bool(row.get(role))
        matching = [e for e in events if e.type == gold]
        if not matching:
            fn[gold] += 1
            continue
        tp[gold] += 1
        hits += 1
        style_ok[style] += 1
        checks = max((_role_checks(e, row) for e in matching), key=lambda c: sum(bool(v) for v in c.values()))
        for key, ok in checks.items():
            if ok is not None:
                role_n_found[key] += 1
                role_ok[key] += ok
    per_type = per_type_scores(tp, fp, fn)
    present = [t for t in PLOVER_TYPES if per_type[t]["support"]]
    figures: dict[str, Any] = {
        "sentences": len(rows),
        "event_sentences": events_n,
        "type_accuracy": hits / events_n if events_n else 0.0,
        "macro_f1": sum(per_type[t]["f1"] for t in present) / len(present) if present else 0.0,
        "no_event_sentences": none_rows,
        "no_event_rate": none_clean / none_rows if none_rows else None,
        "events_per_sentence": sum(len(c) for c in coded) / len(rows) if rows else 0.0,
    }
    for key in ("actor_country", "recipient_country", "actor_text", "recipient_text"):
        figures[f"{key}_accuracy"] = role_ok[key] / role_n_found[key] if role_n_found[key] else 0.0
        figures[f"{key}_accuracy_all"] = role_ok[key] / role_n_all[key] if role_n_all[key] else 0.0
    figures["per_type"] = per_type
    figures["per_style"] = {s: {"n": n, "right": style_ok[s], "accuracy": style_ok[s] / n}
                            for s, n in sorted(style_n.items())}
    return figures


HEADLINE = ("sentences", "event_sentences", "type_accuracy", "macro_f1", "actor_country_accuracy",
            "recipient_country_accuracy", "actor_text_accuracy", "recipient_text_accuracy",
            "actor_country_accuracy_all", "recipient_country_accuracy_all", "actor_text_accuracy_all",
            "recipient_text_accuracy_all", "events_per_sentence", "no_event_sentences", "no_event_rate")


def report(figures: dict[str, Any]) -> str:
    lines = [f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'n':>4}"]
    for t, f in figures["per_type"].items():
        if f["support"] or f["precision"]:
            lines.append(f"{t:<10} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f} {f['support']:4d}")
    lines.append("")
    lines.append(f"{'style':<14} {'right':>6} {'n':>5} {'acc':>6}")
    for style, s in figures["per_style"].items():
        lines.append(f"{style:<14} {s['right']:6d} {s['n']:5d} {s['accuracy']:6.3f}")
    lines.append("")
    for key in HEADLINE:
        value = figures[key]
        lines.append(f"{key:<32} {value:.3f}" if isinstance(value, float) else f"{key:<32} {value}")
    return "\n".join(lines)


def run(split: str = "heldback", files: str | None = None, as_json: bool = False,
        corpus_dir: Path = CORPUS_DIR) -> dict[str, Any]:
    rows = load_rows(split, files, corpus_dir)
    if not rows:
        raise ValueError(f"no corpus sentences in split {split!r} under {corpus_dir}"
                         + (f" matching {files!r}" if files else ""))
    figures = score(rows, code_rows(rows))
    figures["split"] = split
    print(json.dumps(figures, indent=2) if as_json else report(figures))
    return figures


def per_row(rows: Iterable[dict], coded: Iterable[list[Event]]) -> list[dict[str, Any]]:
    """One line per sentence (gold type, output types): for reading the errors."""
    return [{"id": r["id"], "gold": r.get("type"), "out": sorted({e.type for e in evs}), "text": r["text"]}
            for r, evs in zip(rows, coded, strict=True)]


@evaluators.register("corpus")
def evaluate(path: Path) -> dict[str, Any]:
    """`eventwire eval corpus PATH`: the held-back sentences of a corpus directory or of one file."""
    path = Path(path)
    if path.is_dir():
        return run("heldback", corpus_dir=path)
    return run("heldback", files=path.name, corpus_dir=path.parent)

