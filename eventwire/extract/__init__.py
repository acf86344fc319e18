"""Stage 4, extract: one module per kind of fact, each registered by name.

Extraction is a pure function of one analysed document: `extract(doc, article,
id)` returns a `Record` and touches no global state, so it runs unchanged on a
pool of worker processes or a Spark/Ray cluster. Extractors share what they
found through the `Context` (the entities extractor, for instance, leaves a
map from character offsets to entity ids that the event coder reads).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span

from eventwire.dictionary import Dictionary, dictionary
from eventwire.model import Article, Record
from eventwire.registry import Registry

Extractor = Callable[["Context"], None]
extractors: Registry[Extractor] = Registry("extractor")

# Importing a module registers its extractor; the order comes from `after=`.
MODULES = ("entities", "times", "places", "quantities", "claims", "events", "main_event")


@dataclass
class Context:
    doc: Doc
    record: Record
    published: date | None
    dictionary: Dictionary
    # Filled by the entities extractor: (start_char, end_char) of each mention -> entity id.
    mention_entity: dict[tuple[int, int], str] = field(default_factory=dict)
    # Free-form scratch space for later extractors (documented where it is written).
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.record.article.text

    @property
    def year(self) -> int | None:
        return self.published.year if self.published else None

    def entity_at(self, start: int, end: int) -> str | None:
        """The entity whose mention overlaps [start, end), preferring the longest."""
        best, best_len = None, 0
        for (s, e), ent_id in self.mention_entity.items():
            if s < end and start < e and e - s > best_len:
                best, best_len = ent_id, e - s
        return best

    def entity_for_span(self, span: Span) -> str | None:
        return self.entity_at(span.start_char, span.end_char)


def _load_modules() -> None:
    for name in MODULES:
        importlib.import_module(f"eventwire.extract.{name}")


def parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def extract(doc: Doc, article: Article, id: str, only: tuple[str, ...] | None = None) -> Record:
    """Run every registered extractor over one analysed article."""
    _load_modules()
    record = Record(id=id, article=article)
    ctx = Context(doc=doc, record=record, published=parse_date(article.published), dictionary=dictionary())
    for entry in extractors.ordered():
        if only is None or entry.name in only:
            entry.func(ctx)
    return record
