"""Time expressions (TIMEX3) resolved against the publication date. [placeholder: helper fills in]"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.extract import Context, extractors
from eventwire.model import EventDate


@extractors.register("times", after=("entities",))
def extract_times(ctx: Context) -> None:
    """Fill ctx.record.times."""


def event_date(ctx: Context, trigger: Token, sentence: Span) -> EventDate | None:
    """The date of the event whose trigger is `trigger`: its clause, else its sentence, else None."""
    return None
