"""Records, errors and the reader registry shared by every ingest module."""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
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
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 by BOM or by its NUL pattern, else
    Windows-1252. Raises ValueError with a reason a person can act on."""
    return decode_noted(data)[0]


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the bytes look like UTF-16 text that lost its BOM:
    mostly-ASCII text has a NUL in every other byte."""
    head = data[:4096]
    if len(head) < 8:
        return None
    half = len(head) // 2
    odd_nul = head[1::2].count(0) / half
    even_nul = head[0::2].count(0) / half
    if odd_nul > 0.6 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.6 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def decode_noted(data: bytes) -> tuple[str, list[str]]:
    """`decode`, and a warning for every guess it made (an encoding other than UTF-8)."""
    if not data.strip():
        raise ValueError("empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise ValueError(f"broken UTF-16 text (byte {exc.start})") from None
    if b"\x00" in data[:8192]:
        guess = utf16_without_bom(data)
        if guess is None:
            raise ValueError("binary file (NUL bytes), not text")
        try:
            return data.decode(guess), [f"no byte-order mark: read as {guess.upper()}"]
        except UnicodeDecodeError:
            raise ValueError("binary file (NUL bytes), not text") from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ValueError(f"not UTF-8 and not Windows-1252 text (byte {exc.start})") from None
        controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\r\n\t\f")
        if controls > 5:
            raise ValueError("binary file (control bytes), not text") from None
        return text, [f"not UTF-8 (byte {exc.start}): read as Windows-1252"]


def reader_for(path: Path) -> str | None:
    name = path.name.lower()
    best, best_len = None, 0
    for entry in readers.ordered():
        for suffix in entry.func.suffixes:
            if name.endswith(suffix) and len(suffix) > best_len:
                best, best_len = entry.name, len(suffix)
    return best


GZIP_MAGIC = b"\x1f\x8b"
MAX_GUNZIP_BYTES = 4 * MAX_FILE_BYTES  # what gzipped stdin may grow to (a gzip bomb stops here)


def gunzip(data: bytes, limit: int = MAX_GUNZIP_BYTES) -> bytes:
    """All gzip members of `data`, at most `limit` bytes; ValueError when broken or too large."""
    out: list[bytes] = []
    size = 0
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = inflater.decompress(data, limit - size + 1)
        except zlib.error as exc:
            raise ValueError(f"broken gzip data: {exc}") from None
        size += len(chunk)
        out.append(chunk)
        if size > limit:
            raise ValueError(f"gzipped input too large (over {limit / 1e6:.0f} MB unpacked)")
        if not inflater.eof:
            raise ValueError("gzip data cut short")
        data = inflater.unused_data
    return b"".join(out)


def _sniff_head(data: bytes) -> bytes:
    head = data[:4096]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif b"\x00" in head and (guess := utf16_without_bom(head)):
        head = head.decode(guess, errors="ignore").encode("utf-8")
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()


def _one_json_line(data: bytes) -> bool:
    """The first line is a whole JSON value: JSONL, not one JSON document spread over lines."""
    first = data.lstrip().split(b"\n", 1)[0].strip()
    try:
        json.loads(first.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError):
        return False
    return True


def sniff(data: bytes) -> str:
    """Which reader fits bytes that came without a file name (stdin)."""
    head = _sniff_head(data)
    if head.startswith(b"warc/") or head.startswith(b"filedesc://"):
        return "warc"
    if head.startswith(b"{") or head.startswith(b"["):
        if b"jsonfeed.org/version" in head or head.startswith(b"[") or not _one_json_line(data):
            return "json"
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
    """The files of a path; in a folder, a file no reader takes is a skip line, hidden ones a count."""
    if path.is_dir():
        hidden = 0
        for child in sorted(path.rglob("*")):
            if not child.is_file():
                continue
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                hidden += 1
            elif reader_for(child):
                yield child
            else:
                yield IngestSkip(str(child), "not a kind of file eventwire reads (by its name)")
        if hidden:
            yield IngestSkip(str(path), f"{hidden} hidden file(s) not read")
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


def read_stdin(data: bytes) -> Iterator[Item]:
    """Standard input, whatever it holds; gzip is told by its magic bytes, not a name."""
    origin = "<stdin>"
    if data[:2] == GZIP_MAGIC:
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[:65536], 4096)
        except zlib.error:
            head = b""
        kind = sniff(head)
        if kind != "warc":  # a WARC is read gzipped, record by record; anything else unpacked
            try:
                data = gunzip(data)
            except ValueError as exc:
                yield IngestFailure(origin, str(exc))
                return
            kind = sniff(data)
    else:
        kind = sniff(data)
    if not data.strip():
        yield IngestFailure(origin, "empty input")
        return
    yield from readers.get(kind).read(Path("-"), origin, data=data)  # type: ignore[call-arg]


def accounted(items: Iterable[Item], origin: str) -> Iterator[Item]:
    """A reader's items; a reader that gave none, or that broke half way, still leaves a line."""
    n = 0
    try:
        for item in items:
            n += 1
            yield item
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
        yield IngestFailure(origin, f"reading stopped after {n} record(s): {type(exc).__name__}: {exc}")
        return
    if n == 0:
        yield IngestFailure(origin, "no records found")


def _read_paths(paths: Iterable[str]) -> Iterator[Item]:
    for raw in paths:
        if raw == "-":
            yield from accounted(read_stdin(sys.stdin.buffer.read()), "<stdin>")
            continue
        if raw.lower().startswith(("http://", "https://")):
            from eventwire.ingest.web import read_url  # imported late: web builds on the readers

            yield from accounted(read_url(raw), raw)
            continue
        for item in _walk(Path(raw)):
            if isinstance(item, IngestFailure):
                yield item
                continue
            name = reader_for(item) or "text"
            yield from accounted(readers.get(name).read(item, str(item)), str(item))
