"""Fuzzing every reader and the whole `extract` path (issue 14): no input stops a batch.

Invariants, on every generated input:
- every unit (file, line, feed item, archive record) is accounted for: a record, an error line
  naming it, or a skip line saying why;
- the exit status is 0 or 1 (never a crash, never 3);
- every span slices `article.text` to its text;
- every record validates against the JSON Schema and is strict JSON (no NaN, no Infinity);
- no record takes over 10 s.

CI runs a bounded budget (about a minute on two cores); `make fuzz` runs the long campaign
(EVENTWIRE_FUZZ_EXAMPLES examples per reader test, EVENTWIRE_FUZZ_EXTRACT_EXAMPLES per whole-path
test; EVENTWIRE_FUZZ_STATS=FILE adds up its figures: inputs, units, records, spans checked).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from eventwire.ingest import IngestFailure, IngestSkip, RawArticle, read_paths

EXAMPLES = int(os.environ.get("EVENTWIRE_FUZZ_EXAMPLES", "0") or 0)  # per reader test
# Per whole-path test: each example is up to four files through spaCy and every extractor.
EXTRACT_EXAMPLES = int(os.environ.get("EVENTWIRE_FUZZ_EXTRACT_EXAMPLES", "0") or 0) or EXAMPLES // 5
STATS: Counter = Counter()
RECORD_LIMIT_S = 10.0
# A long line of this many words at most (the long campaign goes to 20,000: 100,000 characters).
LONG_LINE_WORDS = 20_000 if EXAMPLES else 4_000


def _settings(ci: int, shrink: bool = True, long: int | None = None):
    # The whole-path tests do not shrink: a failing example is shown as found (shrinking a batch of
    # articles through spaCy takes many minutes), and its failure message names the unit.
    phases = [p for p in Phase if shrink or p not in (Phase.shrink, Phase.explain)]
    return settings(max_examples=(long if long is not None else EXAMPLES) or ci, deadline=None, derandomize=not EXAMPLES, phases=phases,
                    suppress_health_check=list(HealthCheck), database=None, print_blob=False)


@pytest.fixture(scope="module", autouse=True)
def _write_stats():
    yield
    path = os.environ.get("EVENTWIRE_FUZZ_STATS")
    if path:
        old = json.loads(Path(path).read_text()) if Path(path).exists() else {}
        for k, v in STATS.items():
            old[k] = old.get(k, 0) + v
        Path(path).write_text(json.dumps(old, indent=2, sort_keys=True))


# -- what articles are made of ----------------------------------------------------------------------------
SENTENCES = [
    "Police arrested twelve protesters outside parliament in Nairobi on Tuesday, officials said.",
    "Russian troops shelled the town of Kupiansk overnight, the regional governor said.",
    "The European Union agreed to send 50 million euros in aid to Sudan next month.",
    "Ghana and Togo signed a border agreement in Accra on Friday.",
    "Officials said 1e309 troops and 1e-400 tanks were deployed near the border.",
    "The talks resumed on 31 February 99999 in Geneva, a spokesman said.",
    "Rebels killed 10" + "0" * 40 + " people in the north, the army claimed.",
    "He said: \"We will not accept this,\" before leaving the room.",
    # Other languages are kept and stored, never coded with the English rules:
    "Les forces armées ont bombardé plusieurs villages au nord du pays mardi, selon les autorités locales.",
    "La policía detuvo a doce manifestantes frente al parlamento el martes, según fuentes oficiales.",
]
ODD = ["\u200b", "\u200d", "\ufeff", "\u202e", "\u2028", "\u2029", "\x00", "\x0b", "\x1b[31m", "\r", "\t",
       "\ud800", "\udfff", "\U0001F4A5", "\U0001F1FA\U0001F1E6", "مرحبا بالعالم", "שלום", "[/b]", "[bold]",
       "<script>alert(1)</script>", "&amp;&#0;&#xD800;", "9" * 400, "NaN", "-Infinity"]
unicode_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200)
fragment = st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD), unicode_text)


@st.composite
def article_text(draw) -> str:
    parts = draw(st.lists(fragment, min_size=0, max_size=12))
    seps = draw(st.lists(st.sampled_from([" ", "\n", "\n\n", "", "\r\n", "\u2028"]), min_size=len(parts),
                         max_size=len(parts)))
    text = "".join(p + s for p, s in zip(parts, seps, strict=True))
    if draw(st.integers(0, 30)) == 0:
        text += "word " * draw(st.integers(1000, LONG_LINE_WORDS))  # a long line
    return text


def encode(text: str, how: str) -> bytes:
    if how == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if how == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how in ("utf-16-le", "utf-16-be"):
        return text.encode(how, "surrogatepass")
    return text.encode("latin-1", "replace")


ENCODINGS = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-bom", "utf-16", "utf-16-le", "utf-16-be", "latin-1"])


@st.composite
def json_line(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.text(max_size=80))  # not JSON
    if kind == 1:
        depth = draw(st.integers(1, 5000))
        return '{"id": "deep", "text": ' + "[" * depth + "]" * depth + "}"
    if kind == 2:
        return json.dumps(draw(st.one_of(st.integers(), st.lists(st.integers(), max_size=3), st.none())))
    record = {"id": draw(st.one_of(st.text(max_size=12), st.integers(), st.none())),
              "text": draw(st.one_of(article_text(), st.none(), st.integers())),
              "title": draw(st.one_of(st.none(), st.text(max_size=30))),
              "url": draw(st.one_of(st.none(), st.sampled_from(["https://x.example/a?id=1&utm_source=y",
                                                                "not a url", "https://x.example/a?id=2"]))),
              "published": draw(st.one_of(st.none(), st.sampled_from(["2025-02-31", "99999-01-01", "yesterday",
                                                                      "2025-03-04", "2025-03-04T10:00:00Z"])))}
    if kind == 3:
        record["html"] = "<html><body>" + "<div>" * draw(st.integers(0, 3000)) + "<p>" + \
            draw(article_text()) + "</p></body></html>"
        record.pop("text")
    return json.dumps(record, ensure_ascii=draw(st.booleans()))


@st.composite
def jsonl_file(draw) -> tuple[bytes, int]:
    """(bytes, number of non-blank lines) of a JSONL file."""
    lines = draw(st.lists(st.one_of(json_line(), st.just(""), st.just("   ")), max_size=8))
    data = encode("\n".join(lines), draw(ENCODINGS))
    return data, _nonblank_lines(data)


def _nonblank_lines(data: bytes) -> int:
    """The lines a person sees in the file (LF-separated), less blank ones."""
    from eventwire.ingest.base import utf16_without_bom

    wide = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else \
        utf16_without_bom(data[:4096]) if b"\x00" in data[:4096] else None
    if wide:
        lines = data.decode(wide, "replace").split("\n")
    else:
        lines = []
        for raw in data.removeprefix(b"\xef\xbb\xbf").split(b"\n"):
            try:
                lines.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                lines.append(raw.decode("cp1252", "replace"))
    return sum(1 for line in lines if line.strip())


def _page(body: str, depth: int) -> str:
    return (f"<html><head><title>{body[:20]}</title></head><body>" + "<div>" * depth
            + f"<article><p>{body}</p></article>" + "</div>" * depth + "</body></html>")


@st.composite
def warc_file(draw) -> tuple[bytes, int, bool]:
    """(bytes, records written, whether it was cut) of a WARC."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    gz = draw(st.booleans())
    writer = WARCWriter(out, gzip=gz)
    n = draw(st.integers(0, 5))
    for i in range(n):
        kind = draw(st.sampled_from(["response", "response", "resource", "request", "metadata"]))
        ctype = draw(st.sampled_from(["text/html", "text/plain", "image/png", "application/json", ""]))
        body = _page(draw(article_text()), draw(st.integers(0, 50))).encode("utf-8", "surrogatepass")
        url = draw(st.sampled_from([f"https://x.example/{i}", None]))
        if kind == "response":
            headers = StatusAndHeaders(draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved"])),
                                       [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url or "", kind, payload=io.BytesIO(body), http_headers=headers)
        else:
            if kind == "request":
                body = f"GET /{i} HTTP/1.1\r\nHost: x.example\r\n\r\n".encode()
            rec = writer.create_warc_record(url or "", kind, payload=io.BytesIO(body),
                                            warc_headers_dict={"Content-Type": ctype} if ctype else None)
        if url is None:
            rec.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(rec)
    data = out.getvalue()
    cut = draw(st.booleans()) and len(data) > 10
    if cut:
        # A fraction, not a byte count: the writer's record ids and dates vary the length run to run.
        data = data[:max(1, min(len(data) - 1, int(len(data) * draw(st.floats(0.0, 1.0)))))]
    return data, n, cut


@st.composite
def feed_file(draw) -> tuple[str, bytes]:
    items = draw(st.lists(article_text(), max_size=4))
    if draw(st.booleans()):
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": draw(st.text(max_size=20)),
                "items": [{"id": str(i), "content_text": t} if i % 2 else {"id": str(i), "content_html": t}
                          for i, t in enumerate(items)]}
        return "feed.json", json.dumps(feed).encode("utf-8", "surrogatepass")
    from xml.sax.saxutils import escape

    body = "".join(f"<item><title>t{i}</title><link>https://x.example/{i}</link>"
                   f"<description>{escape(t)}</description></item>" for i, t in enumerate(items))
    return "feed.rss", f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{body}</channel></rss>' \
        .encode("utf-8", "surrogatepass")


@st.composite
def any_file(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(["txt", "html", "jsonl", "json", "warc", "rss", "binary", "empty"]))
    if kind == "txt":
        return "a.txt", encode(draw(article_text()), draw(ENCODINGS))
    if kind == "html":
        return "a.html", encode(_page(draw(article_text()), draw(st.integers(0, 400))), draw(ENCODINGS))
    if kind == "jsonl":
        return "a.jsonl", draw(jsonl_file())[0]
    if kind in ("json", "rss"):
        return draw(feed_file())
    if kind == "warc":
        return "a.warc.gz" if draw(warc_file())[0][:2] == b"\x1f\x8b" else "a.warc", draw(warc_file())[0]
    if kind == "binary":
        return draw(st.sampled_from(["b.txt", "b.jsonl", "b.html", "b.warc", "b.json", "b.rss"])), \
            draw(st.binary(max_size=300))
    return draw(st.sampled_from(["e.txt", "e.jsonl", "e.html", "e.warc", "e.json"])), b""


# -- invariants ---------------------------------------------------------------------------------------------
def _read(name: str, data: bytes) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        items = list(read_paths([str(path)]))
    assert items, "a file gave no line at all"
    for item in items:
        assert isinstance(item, RawArticle | IngestFailure)
        STATS["units"] += 1
        STATS["skipped" if isinstance(item, IngestSkip) else "read" if isinstance(item, RawArticle) else
              "ingest_errors"] += 1
    STATS["inputs"] += 1
    return items


@given(jsonl_file())
@_settings(ci=60)
def test_jsonl_reader_accounts_for_every_line(case):
    data, units = case
    items = _read("f.jsonl", data)
    if units == 0:
        assert len(items) == 1 and isinstance(items[0], IngestFailure)
        return
    line_items = [i for i in items if ":" in i.origin.rsplit("/", 1)[-1]]
    if len(line_items) != len(items):  # a file-level failure (binary, unreadable): the file's own line
        assert all(isinstance(i, IngestFailure) for i in items if i not in line_items)
        return
    assert len({i.origin for i in line_items}) == len(line_items) == units


def _record_starts(data: bytes) -> int:
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (EOFError, OSError):
            return -1  # cut inside a gzip member: an error line is required
    return data.count(b"WARC/1.0\r\n")


@given(warc_file())
@_settings(ci=40)
def test_warc_reader_accounts_for_every_record(case):
    data, n, cut = case
    items = _read("f.warc", data)
    errors = [i for i in items if type(i) is IngestFailure]
    if cut:
        # A cut is said, or it fell between two records: then every record that starts in the file
        # is there, each with its line.
        assert errors or len([i for i in items if "#" in i.origin]) == _record_starts(data)
    else:
        assert len([i for i in items if "#" in i.origin]) == n  # one line per record
        assert all("truncated" not in e.reason for e in errors)


@given(any_file())
@_settings(ci=80)
def test_every_reader_survives_anything(case):
    name, data = case
    _read(name, data)


def _spans(obj, text: str, where: str = "") -> int:
    n = 0
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int) and isinstance(obj.get("text"), str):
            assert text[obj["start"]:obj["end"]] == obj["text"], f"span at {where} does not slice the text"
            n += 1
        for k, v in obj.items():
            n += _spans(v, text, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            n += _spans(v, text, f"{where}[{i}]")
    return n


def _strict(value: str):
    raise ValueError(f"non-strict JSON constant {value}")


@pytest.fixture(scope="module")
def validator():
    from jsonschema import Draft202012Validator

    from eventwire.model import json_schema

    return Draft202012Validator(json_schema())


def _check_extract(files: list[tuple[str, bytes]], validator, stdin: bytes | None = None) -> None:
    from typer.testing import CliRunner

    from eventwire.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, (name, data) in enumerate(files):
            path = Path(tmp) / f"{n}-{name}"
            path.write_bytes(data)
            paths.append(str(path))
        report = Path(tmp) / "report.jsonl"
        expected = [i.origin for i in read_paths(paths)] if stdin is None else None
        started = time.perf_counter()
        result = CliRunner().invoke(app, ["extract", *(paths or ["-"]), "--report", str(report)], input=stdin)
        elapsed = time.perf_counter() - started
        lines = [json.loads(line, parse_constant=_strict) for line in report.read_text(encoding="utf-8").splitlines()]
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr[-2000:], repr(result.exception))
    units = [line for line in lines if "unit" in line]
    if expected is not None:
        assert [u["unit"] for u in units] == expected  # every unit, once, in order
    records = [json.loads(line, parse_constant=_strict) for line in result.stdout.splitlines()]
    assert len(records) == sum(1 for u in units if u["status"] == "record")
    for rec in records:
        errors = sorted(validator.iter_errors(rec), key=str)
        assert not errors, errors[0]
        STATS["spans"] += _spans(rec, rec["article"]["text"])
        STATS["records"] += 1
        STATS["uncoded"] += not rec["article"].get("coded", True)
        if not rec["article"].get("coded", True):
            assert rec["events"] == [] and rec["article"]["coded_reason"]
    for unit in units:
        STATS["extract_units"] += 1
        STATS[f"status_{unit['status']}"] += 1
        if unit["status"] == "error" and unit.get("reason", "").startswith("analysis failed"):
            STATS["caught_extractor_exceptions"] += 1
        assert unit.get("seconds", 0) < RECORD_LIMIT_S, unit
    STATS["extract_inputs"] += max(1, len(files))
    STATS["max_invocation_s"] = max(STATS["max_invocation_s"], round(elapsed, 2))


@pytest.mark.slow
@given(st.lists(any_file(), min_size=1, max_size=4))
@_settings(ci=20, shrink=False, long=EXTRACT_EXAMPLES)
def test_extract_path_keeps_every_invariant(nlp, validator, files):
    _check_extract(files, validator)


@pytest.mark.slow
@given(st.one_of(jsonl_file().map(lambda c: c[0]), st.binary(max_size=200), warc_file().map(lambda c: c[0])),
       st.booleans())
@_settings(ci=8, shrink=False, long=EXTRACT_EXAMPLES // 4)
def test_extract_from_stdin_plain_or_gzipped(nlp, validator, data, gz):
    _check_extract([], validator, stdin=gzip.compress(data) if gz else data)
