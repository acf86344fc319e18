"""Readable data files: dictionaries, patterns and schemata, loaded once per process."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent
# libyaml's loader, where PyYAML was built with it, parses the lexicon several times faster than the
# pure-Python one (a worker's start-up); both give the same data.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(name: str) -> Any:
    """Parse `eventwire/data/<name>`; the cache makes repeated loads free."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader


def data_files(folder: str) -> list[str]:
    """Names (relative to the data dir) of the YAML files in a folder, sorted."""
    return sorted(f"{folder}/{p.name}" for p in (DATA_DIR / folder).glob("*.yaml"))
