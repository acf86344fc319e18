"""Records, errors and the reader registry shared by every ingest module."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.registry import Registry

MAX_FILE_BYTES = 20 * 1024 * 1024  # one article file; JSONL, feeds and WARCs are streamed
MAX_RECORD_BYTES = 5 * 1024 * 1024  # one article inside a stream


@dataclass
class RawArticle:
    id: str
    origin: str  # where it came from: "path", "path:line", "path#entry"
    text: str | None = None
    html: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    extra: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what was repaired or guessed on the way in


@dataclass
class IngestFailure:
    """An input unit that gave no article, with the reason: an error line."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class IngestSkip(IngestFailure):
    """An input unit that holds no article by its nature (a WARC request record, a metadata
    sidecar): a warning line that says why, not an error."""


Item = RawArticle | IngestFailure
Reader = Callable[[Path, str], Iterator[Item]]


@dataclass
class ReaderSpec:
    read: Reader
    suffixes: tuple[str, ...]


readers: Registry[ReaderSpec] = Registry("reader")


def register_reader(name: str, suffixes: Iterable[str]) -> Callable[[Reader], Reader]:
    def decorate(func: Reader) -> Reader:
        readers.register(name)(ReaderSpec(func, tuple(suffixes)))
        return func

    return decorate


def stable_id(*parts: str | None) -> str:
    """A short id that is the same for the same content on every machine."""
    h = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:16]


def decode(data: bytes, origin: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 by BOM, else Windows-1252.

    Raises ValueError with a reason a person can act on.
    """
    if not data.strip():
        raise ValueError("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(f"not UTF-8 and not Windows-1252 text (byte {exc.start})") from None
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls > 5:
            raise ValueError("binary file (control bytes), not text") from None
        return text


def reader_for(path: Path) -> str | None:
    name = path.name.lower()
    best, best_len = None, 0
    for entry in readers.ordered():
        for suffix in entry.func.suffixes:
            if name.endswith(suffix) and len(suffix) > best_len:
                best, best_len = entry.name, len(suffix)
    return best


def sniff(data: bytes) -> str:
    """Which reader fits bytes that came without a file name (stdin)."""
    head = data[:2048].lstrip().lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
            return "feed"
        return "html"
    return "text"


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise ValueError(f"file too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)")
    return path.read_bytes()


def _walk(path: Path) -> Iterator[Path | IngestFailure]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden and reader_for(child):
                yield child
    elif path.exists():
        yield path
    else:
        yield IngestFailure(str(path), "no such file or directory")


def read_paths(paths: Iterable[str]) -> Iterator[Item]:
    """Every record of every input, in input order; '-' reads standard input.

    A record whose id was seen earlier in the run with a different text is
    reported and skipped (see `unique_ids`).
    """
    return unique_ids(_read_paths(paths))


def _content_digest(item: RawArticle) -> bytes:
    body = item.text if item.text is not None else (item.html or "")
    return hashlib.blake2b(" ".join(body.split()).encode("utf-8", "surrogatepass"), digest_size=8).digest()


def unique_ids(items: Iterable[Item]) -> Iterator[Item]:
    """Pass records through; a second record with a known id but another text becomes a failure.

    Which of two texts is "the" article cannot be decided here, so the first one
    read wins and the other is reported, never stored under the same id. The same
    id with the same text passes: the store finds it stored and counts it unchanged.
    Memory: one short digest per id of the run.
    """
    seen: dict[str, tuple[bytes, str]] = {}
    for item in items:
        if isinstance(item, RawArticle):
            digest = _content_digest(item)
            first = seen.setdefault(item.id, (digest, item.origin))
            if first[0] != digest:
                yield IngestFailure(item.origin, f"duplicate id {item.id!r} with a different text "
                                                 f"(first read at {first[1]}): skipped")
                continue
        yield item


def _read_paths(paths: Iterable[str]) -> Iterator[Item]:
    for raw in paths:
        if raw == "-":
            data = sys.stdin.buffer.read()
            yield from readers.get(sniff(data)).read(Path("-"), "<stdin>", data=data)  # type: ignore[call-arg]
            continue
        if raw.lower().startswith(("http://", "https://")):
            from eventwire.ingest.web import read_url  # imported late: web builds on the readers

            yield from read_url(raw)
            continue
        for item in _walk(Path(raw)):
            if isinstance(item, IngestFailure):
                yield item
                continue
            name = reader_for(item) or "text"
            try:
                yield from readers.get(name).read(item, str(item))
            except Exception as exc:  # a reader bug must not stop the batch
                yield IngestFailure(str(item), f"{type(exc).__name__}: {exc}")
