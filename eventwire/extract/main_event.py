"""The article's 5W1H. [placeholder: helper fills in]"""

from __future__ import annotations

from eventwire.extract import Context, extractors


@extractors.register("main_event", after=("events",))
def extract_main_event(ctx: Context) -> None:
    """Fill ctx.record.main_event."""
