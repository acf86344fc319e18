"""The fixed 80/20 split of eventwire's own corpus: SHA-1 of the id, modulo 5; 0 is held back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "events"


def split_of(record_id: str) -> str:
    return "heldback" if int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 5 == 0 else "train"


def records(split: str | None = None) -> Iterator[dict]:
    """Every corpus record, optionally only those of one split ('train' or 'heldback')."""
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if split is None or split_of(rec["id"]) == split:
                    yield rec
