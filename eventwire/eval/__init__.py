"""Evaluation commands: each module registers a scorer for one kind of gold file.

`eventwire eval NAME FILE` runs `evaluators.get(NAME)(Path(FILE))`, which prints
its report and returns the headline figures as a dict.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eventwire.registry import Registry

Evaluator = Callable[[Path], dict[str, Any]]
evaluators: Registry[Evaluator] = Registry("evaluator")

MODULES = ("plover", "timex", "w5h1", "clusters", "html", "roles", "rules", "acled")


def load_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(f"eventwire.eval.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"eventwire.eval.{name}":
                raise
