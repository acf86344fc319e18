"""Validate the corpus: fields, types, substrings, unique ids, no near-identical sentences.

    python corpus/check.py [FILE...]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
REQUIRED = ("id", "text", "type", "actor", "recipient", "actor_country", "recipient_country", "style")
CODE = re.compile(r"^([A-Z]{3})$")


def frame(text: str) -> str:
    """The sentence with names, numbers and capitalised words blanked: two lines with one frame
    differ only in their fillers."""
    text = re.sub(r"\d[\d,.]*", "#", text)
    text = re.sub(r"\b[A-Z][\w'-]*", "X", text)
    return re.sub(r"\s+", " ", text.lower()).strip()


def check(paths: list[Path]) -> int:
    errors, ids, frames, per_type = 0, Counter(), Counter(), Counter()
    texts: dict[str, str] = {}
    for path in paths:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{where}: malformed JSON ({exc})")
                errors += 1
                continue
            missing = [k for k in REQUIRED if k not in rec]
            if missing:
                print(f"{where}: missing {missing}")
                errors += 1
                continue
            ids[rec["id"]] += 1
            if rec["type"] is not None and rec["type"] not in TYPES:
                print(f"{where}: unknown type {rec['type']!r}")
                errors += 1
            for role in ("actor", "recipient"):
                span = rec[role]
                if span is not None and span not in rec["text"]:
                    print(f"{where}: {role} {span!r} is not a substring of the text")
                    errors += 1
                code = rec[f"{role}_country"]
                if code is not None and not CODE.match(code):
                    print(f"{where}: {role}_country {code!r} is not ISO3/IGO/NGO")
                    errors += 1
            key = rec["text"].strip().lower()
            if key in texts:
                print(f"{where}: same text as {texts[key]}")
                errors += 1
            texts[key] = where
            frames[frame(rec["text"])] += 1
            per_type[rec["type"] or "NONE"] += 1
    for rid, count in ids.items():
        if count > 1:
            print(f"duplicate id {rid} ({count}x)")
            errors += 1
    repeated = sum(c - 1 for c in frames.values() if c > 1)
    total = sum(per_type.values())
    print(f"{total} sentences, {len(frames)} distinct frames ({repeated} repeat a frame), {errors} errors")
    print("per type: " + ", ".join(f"{t} {c}" for t, c in sorted(per_type.items())))
    return 1 if errors else 0


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or sorted((Path(__file__).parent / "events").glob("*.jsonl"))
    sys.exit(check(args))
