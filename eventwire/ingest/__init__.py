"""Stage 1, ingest: turn files, feeds, archives and stdin into `RawArticle`s.

Each reader registers itself for the file suffixes it understands. `read_paths`
walks the inputs and yields a `RawArticle` or an `IngestFailure` per record, so
one bad file or line is reported and the rest of the batch carries on.
"""

from __future__ import annotations

import importlib

from eventwire.ingest.base import IngestFailure, IngestSkip, RawArticle, read_paths, readers

for _name in ("text", "html", "jsonl", "jsonfeed", "feed", "warc"):
    importlib.import_module(f"eventwire.ingest.{_name}")

__all__ = ["IngestFailure", "IngestSkip", "RawArticle", "read_paths", "readers"]
