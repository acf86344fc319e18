"""A small learned event-type classifier: spaCy `textcat` over the 16 PLOVER types + NONE.

Trained on the sentences in `eventwire/data/training/events.yaml` (written for
eventwire, never the evaluation sets) by

    python -m eventwire.extract.event_classifier train

into `eventwire/models/event_textcat/` (a bag-of-words model, well under 1 MB,
deterministic seed, a few seconds on a CPU). The event coder asks it only for
sentences its rules leave without an event, and trusts it only above
BACKOFF_THRESHOLD, and only when `EVENTWIRE_EVENT_TEXTCAT=1` (off by default: it did not improve the dev figures). The model is
loaded once per process and classifies sentences in batches.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example

from eventwire.data import load_yaml
from eventwire.model import PLOVER_TYPES

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "event_textcat"
TRAINING_FILE = "training/events.yaml"
LABELS = (*PLOVER_TYPES, "NONE")
BACKOFF_THRESHOLD = 0.5
SEED = 13
EPOCHS = 20
# The CAMEO root code given to an event whose type only the classifier found.
CAMEO_ROOT = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
              "CONCEDE": "080", "RETREAT": "084", "REQUEST": "100", "ACCUSE": "112", "REJECT": "120",
              "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
              "ASSAULT": "190"}


def training_examples() -> list[tuple[str, str]]:
    data = load_yaml(TRAINING_FILE)
    return [(text, label) for label, texts in data.items() for text in texts]


def build() -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={
        "model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
                  "no_output_layer": False, "length": 32768}})
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def train(out_dir: Path = MODEL_DIR, epochs: int = EPOCHS) -> Language:
    spacy.util.fix_random_seed(SEED)
    rng = random.Random(SEED)
    nlp = build()
    rows = training_examples()
    examples = [Example.from_dict(nlp.make_doc(text), {"cats": {lab: float(lab == label) for lab in LABELS}})
                for text, label in rows]
    optimizer = nlp.initialize(lambda: examples)
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), 16):
            nlp.update(examples[start:start + 16], sgd=optimizer, losses=losses, drop=0.1)
        print(f"epoch {epoch + 1:2d} loss {losses.get('textcat', 0.0):.4f}")
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    print(f"trained on {len(rows)} sentences -> {out_dir}")
    return nlp


@lru_cache(maxsize=1)
def load_classifier() -> Language | None:
    """The shipped model, once per process; None when it has not been trained."""
    if not (MODEL_DIR / "config.cfg").exists():
        return None
    return spacy.load(MODEL_DIR)


def classify(texts: Sequence[str]) -> list[tuple[str, float]]:
    """(best label, probability) for each text; ("NONE", 1.0) when no model is installed."""
    nlp = load_classifier()
    if nlp is None:
        return [("NONE", 1.0) for _ in texts]
    out = []
    for doc in nlp.pipe(texts, batch_size=64):
        label = max(doc.cats, key=doc.cats.get)
        out.append((label, float(doc.cats[label])))
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["train"]:
        train()
        return 0
    if argv[:1] == ["classify"]:
        for text, (label, prob) in zip(argv[1:], classify(argv[1:]), strict=True):
            print(f"{label}\t{prob:.3f}\t{text}")
        return 0
    print("usage: python -m eventwire.extract.event_classifier train | classify TEXT...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
