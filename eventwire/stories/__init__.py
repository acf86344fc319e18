"""Stage 6, stories: copies, stories and merged events across articles. [placeholder: helper S fills in]

The only stateful stage besides the store: it reads what is stored and links
new articles to what came before.
"""

from __future__ import annotations

from collections.abc import Sequence

from eventwire.store import Store


def update(store: Store, keys: Sequence[str]) -> None:
    """Link newly stored articles (by key) to duplicates, stories and merged events."""
