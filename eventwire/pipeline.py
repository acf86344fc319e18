"""The main job, stage by stage: ingest -> clean -> analyse -> extract.

`run(paths)` yields, in input order, one `Result` per input record: the
extracted `Record`, or the failure that stopped it. Texts are parsed in
batches with `nlp.pipe`; with `workers > 1` chunks of articles go to a pool of
processes, each loading the model once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from eventwire.analyse import BATCH_SIZE, analyse
from eventwire.clean import clean
from eventwire.extract import extract
from eventwire.ingest import IngestFailure, RawArticle, read_paths
from eventwire.model import Article, Record

MIN_WORDS = 3


@dataclass
class Result:
    origin: str
    record: Record | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.record is not None


@dataclass
class Options:
    clean: bool = True
    published: str | None = None  # overrides/supplies the publication date


def _prepare(raw: RawArticle, opts: Options) -> Article | str:
    if opts.published:
        raw.published = opts.published
    article = clean(raw, enabled=opts.clean)
    if len(article.text.split()) < MIN_WORDS:
        return "no article text left after cleaning"
    if article.language != "en":
        # The coder's dictionaries and model are English: report, never invent events.
        return f"language is {article.language!r}, not English: skipped"
    return article


def process_batch(items: list[RawArticle | IngestFailure], opts: Options) -> list[Result]:
    """Clean, analyse and extract one batch; a failure in one article spares the others."""
    results: list[Result | None] = [None] * len(items)
    todo: list[tuple[int, RawArticle, Article]] = []
    for i, item in enumerate(items):
        if isinstance(item, IngestFailure):
            results[i] = Result(item.origin, error=item.reason)
            continue
        try:
            prepared = _prepare(item, opts)
        except Exception as exc:  # noqa: BLE001 - any bad article is reported, never fatal
            prepared = f"{type(exc).__name__}: {exc}"
        if isinstance(prepared, str):
            results[i] = Result(item.origin, error=prepared)
        else:
            todo.append((i, item, prepared))
    docs = analyse((article.text for _, _, article in todo), batch_size=BATCH_SIZE)
    for (i, raw, article), doc in zip(todo, docs, strict=True):
        try:
            results[i] = Result(raw.origin, record=extract(doc, article, raw.id))
        except Exception as exc:  # noqa: BLE001
            results[i] = Result(raw.origin, error=f"extraction failed: {type(exc).__name__}: {exc}")
    return [r for r in results if r is not None]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run_items(items: Iterable[RawArticle | IngestFailure], opts: Options | None = None,
              workers: int = 1, chunk: int = BATCH_SIZE) -> Iterator[Result]:
    opts = opts or Options()
    if workers <= 1:
        for batch in _chunks(items, chunk):
            yield from process_batch(batch, opts)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map keeps input order; a bounded window keeps memory flat on long runs.
        window: list = []
        for batch in _chunks(items, chunk):
            window.append(pool.submit(process_batch, batch, opts))
            if len(window) >= workers * 2:
                yield from window.pop(0).result()
        for fut in window:
            yield from fut.result()


def run(paths: Iterable[str], opts: Options | None = None, workers: int = 1) -> Iterator[Result]:
    yield from run_items(read_paths(paths), opts, workers)
