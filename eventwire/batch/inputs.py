"""The input files of a batch: local paths, globs and folders, and fsspec URLs (s3://, gs://, ...).

Every input is named canonically (an absolute local path, or the URL with its protocol) so the
hash that names its shards is the same whatever folder the job is started from.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

BATCH_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
_GLOB_CHARS = set("*?[")


class InputError(ValueError):
    """An input that names no file (a missing path, a glob that matches nothing)."""


def is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def batch_file(name: str) -> bool:
    return name.lower().endswith(BATCH_SUFFIXES)


def _fsspec(url: str):
    try:
        import fsspec
    except ImportError:
        raise InputError(f"{url}: reading URLs needs fsspec (pip install fsspec s3fs)") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # the protocol's package (s3fs, gcsfs) is missing
        raise InputError(f"{url}: {exc}") from None


def _remote(url: str) -> list[str]:
    fs, path = _fsspec(url)
    if _GLOB_CHARS & set(path):
        found = fs.glob(path)
    elif fs.isdir(path):
        found = fs.find(path)
    elif fs.exists(path):
        return [fs.unstrip_protocol(path)]  # as a glob would name it: one file, one shard name
    else:
        raise InputError(f"{url}: no such file or folder")
    return [fs.unstrip_protocol(p) for p in sorted(found) if batch_file(p)]


def _local_dir(folder: Path) -> list[str]:
    out = []
    for child in sorted(folder.rglob("*")):
        parts = child.relative_to(folder).parts
        if child.is_file() and batch_file(child.name) and not any(p.startswith(".") for p in parts):
            out.append(str(child.resolve()))
    return out


def _local(path: str) -> list[str]:
    path = path.removeprefix("file://")
    if _GLOB_CHARS & set(path):
        matched = sorted(glob.glob(os.path.expanduser(path), recursive=True))
        files = [str(Path(p).resolve()) for p in matched if Path(p).is_file() and batch_file(p)]
        for p in matched:
            if Path(p).is_dir():
                files += _local_dir(Path(p))
        if not files:
            raise InputError(f"{path}: the pattern matches no WARC or JSONL file")
        return files
    p = Path(path).expanduser()
    if p.is_dir():
        return _local_dir(p)
    if p.is_file():
        return [str(p.resolve())]
    raise InputError(f"{path}: no such file or folder")


def expand_inputs(inputs: list[str]) -> list[str]:
    """The files the inputs name, each once, sorted. A named file is taken whatever its suffix; in
    folders and globs only WARC/ARC and JSONL files are. Raises InputError for an input naming none."""
    found: list[str] = []
    for raw in inputs:
        found += _remote(raw) if is_url(raw) else _local(raw)
    return sorted(dict.fromkeys(found))
