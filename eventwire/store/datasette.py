"""Datasette on an eventwire store, out of the box.

The store is laid out as Datasette and sqlite-utils expect: the full-text index `articles_fts` is
declared `content=[articles]` (Datasette offers `?_search=` on articles from that alone), rows that
name other rows carry foreign keys (shown as links), and the shipped metadata
(`eventwire/data/datasette/metadata.yaml`) titles and describes the tables people read and hides the
ones the stories stage and the server keep for themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from eventwire.data import DATA_DIR

METADATA = DATA_DIR / "datasette" / "metadata.yaml"
PLACEHOLDER = "DATABASE"


def database_name(db: str) -> str:
    """The name Datasette gives a SQLite file: its stem ("eventwire" for eventwire.db)."""
    return Path(db).stem


def metadata(db: str = "eventwire.db") -> dict[str, Any]:
    """The metadata for the store at `db`, its tables under the database's name."""
    data = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
    data["databases"] = {database_name(db): data["databases"].pop(PLACEHOLDER)}
    return data


def metadata_yaml(db: str = "eventwire.db") -> str:
    return yaml.safe_dump(metadata(db), sort_keys=False, allow_unicode=True)
