"""Toponyms resolved offline to a country and coordinates. [placeholder: helper fills in]"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.extract import Context, extractors
from eventwire.model import Location


@extractors.register("places", after=("entities",))
def extract_places(ctx: Context) -> None:
    """Resolve every place mention; keep results in ctx.scratch["places"]."""


def event_location(ctx: Context, trigger: Token, sentence: Span) -> Location | None:
    """Where the event triggered by `trigger` happened, or None when the text does not say."""
    return None
