"""Numbers with units and what they count. [placeholder: helper fills in]"""

from __future__ import annotations

from spacy.tokens import Span, Token

from eventwire.extract import Context, extractors
from eventwire.model import Quantity


@extractors.register("quantities", after=("entities",))
def extract_quantities(ctx: Context) -> None:
    """Find every quantity; keep them in ctx.scratch["quantities"] (list[Quantity])."""


def event_quantities(ctx: Context, trigger: Token, sentence: Span) -> list[Quantity]:
    """The quantities that belong to the event triggered by `trigger`."""
    return []
