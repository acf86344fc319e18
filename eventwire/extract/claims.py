"""Who says what, through which channel, how surely. [placeholder: helper fills in]"""

from __future__ import annotations

from eventwire.extract import Context, extractors
from eventwire.model import Attribution


@extractors.register("claims", after=("entities", "times"))
def extract_claims(ctx: Context) -> None:
    """Fill ctx.record.claims."""


def attribution_for(ctx: Context, start: int, end: int) -> Attribution | None:
    """The attribution and certainty of the claim whose content covers [start, end)."""
    return None
