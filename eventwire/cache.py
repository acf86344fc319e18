"""Things built once from installed data and kept in the user's cache folder between processes.

Every worker of a batch starts by building the same tables (the event patterns from the lexicon, the
gazetteer index); kept as a pickle named after a digest of what they are built from, they load in a
fraction of the time, and any change to those inputs builds them anew. A cache that cannot be read
or written is built in memory instead: it never stops a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """$EVENTWIRE_CACHE, else $XDG_CACHE_HOME/eventwire, else ~/.cache/eventwire."""
    if os.environ.get("EVENTWIRE_CACHE"):
        return Path(os.environ["EVENTWIRE_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventwire"


def digest(paths: Iterable[Path]) -> str:
    """SHA-1 over the names and bytes of the files a table is built from."""
    h = hashlib.sha1()
    for path in sorted(paths):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def memo(name: str, inputs: Iterable[Path], build: Callable[[], T]) -> T:
    """`build()`, or the copy a previous process saved for the same inputs."""
    path = cache_dir() / f"{name}-{digest(inputs)}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - missing, partly written or from another version: build anew
        pass
    value = build()
    # a read-only home: built in memory in every process, as before
    with contextlib.suppress(OSError):
        save_pickle(value, path, stale=f"{name}-*.pickle")  # the copies built from inputs since changed
    return value


def save_pickle(value: object, path: Path, stale: str | None = None) -> None:
    """Write `value` to `path` atomically (a parallel reader never sees half a file), then remove the
    other files of the folder that match `stale`. Raises OSError when the folder is not writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    with tmp.open("wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    for old in path.parent.glob(stale) if stale else ():
        if old != path:
            old.unlink(missing_ok=True)
