"""PLOVER/CAMEO event coding. [placeholder: helper fills in]"""

from __future__ import annotations

from eventwire.extract import Context, extractors


@extractors.register("events", after=("entities", "times", "places", "quantities", "claims"))
def extract_events(ctx: Context) -> None:
    """Fill ctx.record.events."""
