"""Entities across an article. [being written by the lead]"""

from __future__ import annotations

from eventwire.extract import Context, extractors


@extractors.register("entities")
def extract_entities(ctx: Context) -> None:
    """Fill ctx.record.entities and ctx.mention_entity."""
