"""The main job, stage by stage: ingest -> clean -> analyse -> extract.

`run(paths)` yields, in input order, one `Result` per input unit (a file, a line,
a feed entry, a WARC record): the extracted `Record`, the error that stopped it,
or the reason it was skipped. Nothing an input holds is lost without a line that
says so. Texts are parsed in batches with `nlp.pipe`; with `workers > 1` chunks
of articles go to a pool of processes, each loading the model once.

Every stage of one article runs under one guard: an exception, a text too long
for spaCy or a record over its time budget fails that record alone.
"""

from __future__ import annotations

import json
import math
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import Any

from eventwire.analyse import BATCH_SIZE, analyse, analyse_one
from eventwire.clean import clean, repair_unicode
from eventwire.extract import extract
from eventwire.headline import headline_first
from eventwire.ingest import IngestFailure, IngestSkip, RawArticle, read_paths
from eventwire.model import Article, Record

MIN_WORDS = 3
# Seconds one record may take through cleaning, analysis and extraction. Real articles take well under
# a second each; a record that takes this long is pathological (one 300,000-character paragraph) and
# is failed with a reason instead of stalling the batch.
RECORD_BUDGET_S = 60.0


@dataclass
class Result:
    origin: str
    record: Record | None = None
    error: str | None = None
    skipped: str | None = None  # why a unit that holds no article was passed over
    warnings: list[str] = field(default_factory=list)
    id: str | None = None  # the input's own id, when it had one
    seconds: float | None = None  # time spent in analysis and extraction
    unchanged: bool = False  # the store named by Options.known_db holds this article already: not parsed

    @property
    def ok(self) -> bool:
        return self.record is not None

    @property
    def status(self) -> str:
        if self.unchanged:
            return "unchanged"
        return "record" if self.record is not None else "skipped" if self.skipped is not None else "error"

    def report(self) -> dict[str, Any]:
        """One line of `--report`: the unit, what became of it and why."""
        line: dict[str, Any] = {"unit": self.origin, "status": self.status, "id": self.id}
        if self.record is not None:
            line["id"] = self.record.id
            line["language"] = self.record.article.language
            line["coded"] = self.record.article.coded
            line["events"] = len(self.record.events)
        reason = self.error or self.skipped or (self.record and self.record.article.coded_reason)
        if reason:
            line["reason"] = reason
        if self.warnings:
            line["warnings"] = self.warnings
        if self.seconds is not None:
            line["seconds"] = round(self.seconds, 3)
        return line


@dataclass
class Options:
    clean: bool = True
    published: str | None = None  # overrides/supplies the publication date
    budget_s: float | None = RECORD_BUDGET_S  # per record; None for no bound
    # A store (path or URL): articles it holds already (same URL or content key) are reported
    # unchanged before any NLP runs, so a rerun or a resumed run parses nothing twice (issue 11).
    known_db: str | None = None


class RecordTimeout(BaseException):  # noqa: N818 - a BaseException, so no extractor's `except Exception` eats it
    """A record ran past its time budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise RecordTimeout in this block after `seconds`.

    A SIGALRM timer interrupts Python code wherever it is; it can only be set in the main thread
    (a server that runs the pipeline in a worker thread runs it unbounded).
    """
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise RecordTimeout(f"over the time budget of {seconds:g} s per record")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# Touches every extractor's lazily loaded data (gazetteer, lexicons, classifier): a place, a number,
# a date, a claim and an event. Loaded inside a record's budget, a slow first load would fail that
# record, and, interrupted, be loaded again by the next one.
_WARM_UP = ("Kenyan police arrested 12 protesters in Nairobi on Monday, the interior ministry said. "
            "The United Nations said it would send $5 million in aid to Sudan next week.")


@lru_cache(maxsize=1)
def warm_up() -> bool:
    """Load the model and the extractors' data once per process, outside any time budget."""
    try:
        doc = analyse_one(_WARM_UP)
        extract(doc, Article(text=_WARM_UP, published="2025-01-06"), "warm-up")
    except Exception:  # noqa: BLE001 - a broken extractor shows on the first real record, with its reason
        return False
    return True


def _repair(raw: RawArticle) -> list[str]:
    """Every string of the input made encodable; what was repaired, as warnings."""
    notes: list[str] = []
    for name in ("id", "text", "html", "title", "outlet", "url", "published"):
        value = getattr(raw, name)
        if isinstance(value, str):
            fixed, found = repair_unicode(value)
            setattr(raw, name, fixed)
            notes += [f"{name}: {note}" for note in found]
    return notes


def _prepare(raw: RawArticle, opts: Options) -> Article | str:
    if opts.published:
        raw.published = opts.published
    article = clean(raw, enabled=opts.clean)
    if len(article.text.split()) < MIN_WORDS:
        return "no article text left after cleaning"
    headline_first(article)  # the headline is read with the body, as the text's first paragraph (issue 13)
    if article.language is not None and article.language != "en":
        # The coder's dictionaries and model are English: keep the article, never invent events.
        article.coded = False
        article.coded_reason = (f"language is {article.language!r}: the event coder's rules and model "
                                "are English")
    return article


def _uncoded(article: Article, rid: str) -> Record:
    return Record(id=rid, article=article)


def finite(obj: Any) -> int:
    """Non-finite numbers in a record ("1e309 troops") become None, with a reason where the
    object has one; returns how many. JSON has no Infinity or NaN."""
    n = 0
    if isinstance(obj, list):
        return sum(finite(x) for x in obj)
    if not is_dataclass(obj):
        return 0
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, float) and not math.isfinite(value):
            setattr(obj, f.name, None)
            if hasattr(obj, "reason") and getattr(obj, "reason", None) is None:
                obj.reason = f"{f.name} is not a finite number"  # type: ignore[attr-defined]
            n += 1
        elif isinstance(value, list) or is_dataclass(value):
            n += finite(value)
        elif isinstance(value, dict):
            n += sum(finite(v) for v in value.values())
    return n


def _json_safe(obj: Any) -> Any:
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, str):
        return repair_unicode(obj)[0]
    if isinstance(obj, dict):
        return {str(k): _json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(v) for v in obj]
    return obj


# Characters that str.splitlines() and some JSONL readers take for line ends, where JSON allows them raw
# in strings: escaped, so that one record is always one line for every reader.
_LINE_ENDS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(data: Any, **kw: Any) -> str:
    """Strict JSON (no NaN or Infinity, no lone surrogates, no raw Unicode line ends), whatever the
    data holds."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, **kw)
        text.encode("utf-8")
    except (ValueError, UnicodeEncodeError):
        text = json.dumps(_json_safe(data), ensure_ascii=False, allow_nan=False, **kw)
    return text.translate(_LINE_ENDS)


def _extract_one(doc: Any, article: Article, rid: str, opts: Options) -> Record:
    record = extract(doc, article, rid)
    finite(record)
    return record


def _guarded(origin: str, rid: str, warnings: list[str], work: Any) -> Result:
    """Run `work()` -> Record under the guard: any failure is this record's error line."""
    started = time.perf_counter()
    try:
        record = work()
        result = Result(origin, record=record, warnings=warnings, id=rid)
    except RecordTimeout as exc:
        result = Result(origin, error=str(exc), warnings=warnings, id=rid)
    except RecursionError:
        result = Result(origin, error="too deeply nested to analyse (recursion limit)", warnings=warnings, id=rid)
    except MemoryError:
        result = Result(origin, error="out of memory on this record", warnings=warnings, id=rid)
    except Exception as exc:  # noqa: BLE001 - any bad article is reported, never fatal
        result = Result(origin, error=f"analysis failed: {type(exc).__name__}: {exc}", warnings=warnings, id=rid)
    result.seconds = time.perf_counter() - started
    return result


def _parsed_batch(texts: list[str]) -> list[Any] | None:
    """All docs of a batch in one `nlp.pipe`, or None when one of them failed (then one by one)."""
    try:
        return list(analyse(texts, batch_size=BATCH_SIZE))
    except Exception:  # noqa: BLE001 - the per-article guard below finds which one
        return None


def _stored_by_url(items: list[RawArticle | IngestFailure], db: str) -> set[int]:
    """Indices of the batch's articles whose URL the store holds: known before cleaning (one query)."""
    from eventwire.known import stored, url_key

    keys = {i: url_key(repair_unicode(item.url)[0]) for i, item in enumerate(items)
            if isinstance(item, RawArticle) and not isinstance(item, IngestFailure) and isinstance(item.url, str)
            and item.url}
    found = stored(db, keys.values())
    return {i for i, key in keys.items() if key in found}


def _stored_by_content(todo: list[tuple[int, RawArticle, Article, list[str]]], db: str) -> set[int]:
    """Indices of cleaned articles whose key or content hash the store holds (one query)."""
    from eventwire.known import article_keys, stored

    keys = {i: article_keys(a.url, a.title, a.text) for i, _, a, _ in todo}
    found = stored(db, [k for k, _ in keys.values()], [h for _, h in keys.values()])
    return {i for i, (k, h) in keys.items() if k in found or h in found}


def process_batch(items: list[RawArticle | IngestFailure], opts: Options) -> list[Result]:
    """Clean, analyse and extract one batch; a failure in one article spares the others."""
    results: list[Result | None] = [None] * len(items)
    todo: list[tuple[int, RawArticle, Article, list[str]]] = []
    known = _stored_by_url(items, opts.known_db) if opts.known_db else set()
    for i, item in enumerate(items):
        if i in known:
            results[i] = Result(item.origin, unchanged=True, id=item.id)
            continue
        if isinstance(item, IngestSkip):
            results[i] = Result(item.origin, skipped=item.reason)
            continue
        if isinstance(item, IngestFailure):
            results[i] = Result(item.origin, error=item.reason)
            continue
        warnings = list(item.warnings)
        try:
            with time_budget(opts.budget_s):  # trafilatura on a huge page is bounded too
                warnings += _repair(item)
                prepared = _prepare(item, opts)
        except RecordTimeout as exc:
            prepared = f"cleaning: {exc}"
        except Exception as exc:  # noqa: BLE001 - any bad article is reported, never fatal
            prepared = f"{type(exc).__name__}: {exc}"
        if isinstance(prepared, str):
            results[i] = Result(item.origin, error=prepared, warnings=warnings, id=item.id)
        elif not prepared.coded:
            results[i] = Result(item.origin, record=_uncoded(prepared, item.id), warnings=warnings, id=item.id)
        else:
            todo.append((i, item, prepared, warnings))
    if todo and opts.known_db:
        known = _stored_by_content(todo, opts.known_db)
        for i, item, _, warnings in todo:
            if i in known:
                results[i] = Result(item.origin, unchanged=True, warnings=warnings, id=item.id)
        todo = [t for t in todo if t[0] not in known]
    if todo:
        warm_up()  # the model's and the extractors' first loads are not any one record's time
    # One nlp.pipe over the batch when its texts are short (their parse is bounded); else one by
    # one, each parse inside its record's time budget.
    short = all(len(a.text) <= 20_000 for _, _, a, _ in todo)
    docs = _parsed_batch([a.text for _, _, a, _ in todo]) if todo and short else None
    for n, (i, raw, article, warnings) in enumerate(todo):
        if docs is not None:
            doc = docs[n]
            work = lambda doc=doc, article=article, raw=raw: _extract_one(doc, article, raw.id, opts)  # noqa: E731
        else:
            work = lambda article=article, raw=raw: _extract_one(  # noqa: E731
                analyse_one(article.text), article, raw.id, opts)

        def bounded(work: Any = work) -> Record:
            with time_budget(opts.budget_s):
                return work()

        results[i] = _guarded(raw.origin, raw.id, warnings, bounded)
    return [r for r in results if r is not None]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def default_workers() -> int:
    """The CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# Articles per task on a pool. Tasks go to whichever worker is free, so the run ends at most one task
# after the ideal: small tasks keep the workers' last tasks finishing together, and nlp.pipe over 8
# texts parses about as fast per text as over 32.
POOL_CHUNK = 8


def pool_plan(n_head: int, workers: int, chunk: int) -> tuple[int, int]:
    """(workers, articles per task) once the first `workers * chunk` items are read: an input that
    ended sooner is split into one even share per worker, so 10 articles keep 2 workers busy."""
    if n_head >= workers * chunk:
        return workers, chunk
    return max(1, min(workers, n_head)), max(1, math.ceil(n_head / workers))


def run_items(items: Iterable[RawArticle | IngestFailure], opts: Options | None = None,
              workers: int | None = 1, chunk: int | None = None) -> Iterator[Result]:
    """Results in input order. `workers=None` is the CPU count (the command line's default; a library
    caller, a server thread, keeps one process unless it asks); a batch smaller than one task per
    worker is split evenly over the workers."""
    opts = opts or Options()
    workers = default_workers() if workers is None or workers < 1 else workers
    it = iter(items)
    head: list = []
    if workers > 1:
        head = list(islice(it, workers * (chunk or POOL_CHUNK)))
        workers, chunk = pool_plan(len(head), workers, chunk or POOL_CHUNK)
    if workers <= 1:
        for batch in _chunks(chain(head, it), chunk or BATCH_SIZE):
            yield from process_batch(batch, opts)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # map keeps input order; a bounded window keeps memory flat on long runs.
        window: list = []
        for batch in _chunks(chain(head, it), chunk):
            window.append(pool.submit(process_batch, batch, opts))
            if len(window) >= workers * 4:
                yield from window.pop(0).result()
        for fut in window:
            yield from fut.result()


def run(paths: Iterable[str], opts: Options | None = None, workers: int | None = 1) -> Iterator[Result]:
    yield from run_items(read_paths(paths), opts, workers)


@dataclass
class Tally:
    """The accounting of one batch: every unit once, by what became of it; `--report` writes it."""

    path: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    _file: Any = None

    def __post_init__(self) -> None:
        if self.path:
            self._file = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def add(self, result: Result, **more: Any) -> None:
        status = more.pop("status", None) or result.status
        self.counts[status] = self.counts.get(status, 0) + 1
        if self._file is not None:
            line = result.report()
            line.update(more, status=status)
            self._file.write(dumps(line) + "\n")

    def close(self, **summary: Any) -> None:
        if self._file is not None:
            total = sum(self.counts.values())
            self._file.write(dumps({"summary": True, "units": total, **self.counts, **summary}) + "\n")
            self._file.close()
            self._file = None
