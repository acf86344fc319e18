"""Stage 1: every reader, and one clear error per bad file or record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.ingest import IngestFailure, IngestSkip, RawArticle, read_paths
from eventwire.ingest.base import MAX_FILE_BYTES, sniff

ARTICLE = "Soldiers from the neighbouring country crossed the river at dawn on Monday, officials said."
PAGE = f"""<html><head><title>Border crossing | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2025-04-02T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Border crossing</h1><p>{ARTICLE}</p><p>{ARTICLE.replace("Monday", "Tuesday")}</p></article>
<footer>We use cookies.</footer></body></html>"""


def items(*paths: Path | str) -> list:
    return list(read_paths([str(p) for p in paths]))


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("empty.txt", "", "empty file"),
    ("blank.txt", "   \n\n ", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("nopage.html", "<html><body><nav>Home</nav></body></html>", "no article text"),
    ("empty.html", "", "empty file"),
    ("broken.rss", "<rss><channel><title>x</title>", "not a readable feed"),
])
def test_bad_files_give_one_clear_error(tmp_path, name, data, reason):
    [item] = items(write(tmp_path, name, data))
    assert isinstance(item, IngestFailure)
    assert reason in item.reason
    assert name in str(item)


def test_missing_path():
    [item] = items("/no/such/file.txt")
    assert isinstance(item, IngestFailure) and "no such file" in item.reason


def test_windows_1252_text_is_decoded(tmp_path):
    path = write(tmp_path, "latin.txt", "Le ministre a déclaré lundi que les soldats étaient partis.".encode("cp1252"))
    [item] = items(path)
    assert isinstance(item, RawArticle)
    assert "déclaré" in item.text


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no 20 MB written to disk
    [item] = items(path)
    assert isinstance(item, IngestFailure) and "too large" in item.reason


def test_jsonl_bad_lines_are_reported_and_the_rest_read(tmp_path):
    lines = [json.dumps({"id": "a1", "text": ARTICLE, "outlet": "Wire", "published": "2025-04-02"}),
             "{not json",
             json.dumps(["a", "list"]),
             json.dumps({"id": "a4"}),
             "",
             json.dumps({"id": "a6", "html": PAGE, "url": "https://example.org/x"})]
    got = items(write(tmp_path, "dump.jsonl", "\n".join(lines)))
    assert [type(i).__name__ for i in got] == ["RawArticle", "IngestFailure", "IngestFailure", "IngestFailure",
                                             "RawArticle"]
    assert got[1].origin.endswith("dump.jsonl:2") and "malformed JSON" in got[1].reason
    assert "not a JSON object" in got[2].reason
    assert "no 'text' or 'html'" in got[3].reason
    assert got[0].id == "a1" and got[0].outlet == "Wire"
    assert got[4].html and got[4].url == "https://example.org/x"


def test_html_page_gives_text_and_metadata(tmp_path):
    [item] = items(write(tmp_path, "page.html", PAGE))
    assert isinstance(item, RawArticle)
    assert ARTICLE in item.text and "We use cookies" not in item.text and "Home" not in item.text
    assert item.outlet == "Daily Planet"
    assert item.published.startswith("2025-04-02")


def test_text_sidecar_metadata(tmp_path):
    write(tmp_path, "a.txt", f"Headline here\n\n{ARTICLE}")
    write(tmp_path, "metadata.json", json.dumps({"a.txt": {"outlet": "Planet", "published": "2025-01-02"}}))
    item, sidecar = items(tmp_path)  # a directory: metadata.json itself is not an article, and says so
    assert item.outlet == "Planet" and item.published == "2025-01-02"
    assert isinstance(sidecar, IngestSkip) and sidecar.origin.endswith("metadata.json")


def test_directory_walk_is_sorted_and_skips_hidden_and_unknown(tmp_path):
    write(tmp_path, "b.txt", ARTICLE)
    write(tmp_path, "a.txt", ARTICLE)
    write(tmp_path, ".hidden.txt", ARTICLE)
    write(tmp_path, "notes.md", "# not an article")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", "c.txt", ARTICLE)
    found = items(tmp_path)
    assert [Path(i.origin).name for i in found if isinstance(i, RawArticle)] == ["a.txt", "b.txt", "c.txt"]
    # Nothing is passed over in silence: the unknown file is named, the hidden ones counted.
    skips = {Path(i.origin).name: i.reason for i in found if isinstance(i, IngestSkip)}
    assert set(skips) == {"notes.md", tmp_path.name} and "1 hidden" in skips[tmp_path.name]


@pytest.mark.parametrize(("data", "reader"), [
    (b'{"id": 1, "text": "x"}', "jsonl"),
    (b"<html><body>x</body></html>", "html"),
    (b'<?xml version="1.0"?><rss version="2.0">', "feed"),
    (b"WARC/1.0\r\n", "warc"),
    (b"Plain words here.", "text"),
])
def test_stdin_is_sniffed(data, reader):
    assert sniff(data) == reader


# -- bad input at volume: each bad record reported, the rest ingested, nothing stored twice -----------------
OTHER = "Workers at the northern port stopped loading ships on Friday in a dispute over pay, their union said."


def test_duplicate_id_with_a_different_text_is_reported_and_skipped(tmp_path):
    lines = [json.dumps({"id": "a1", "text": ARTICLE}),
             json.dumps({"id": "a1", "text": ARTICLE}),  # the same record again: passes, the store counts it
             json.dumps({"id": "a1", "text": OTHER}),  # same id, other text: reported
             json.dumps({"id": "a2", "text": OTHER})]
    first = write(tmp_path, "one.jsonl", "\n".join(lines))
    second = write(tmp_path, "two.jsonl", json.dumps({"id": "a2", "text": ARTICLE}))  # across files too
    got = items(first, second)
    assert [type(i).__name__ for i in got] == ["RawArticle", "RawArticle", "IngestFailure", "RawArticle",
                                             "IngestFailure"]
    assert got[2].origin.endswith("one.jsonl:3") and "duplicate id 'a1'" in got[2].reason
    assert "one.jsonl:1" in got[2].reason  # says where the first one was
    assert got[4].origin.endswith("two.jsonl:1")


def test_ingest_reports_each_bad_record_stores_the_rest_once(tmp_path, nlp):
    from typer.testing import CliRunner

    from eventwire.cli import app
    from eventwire.store import Store

    inputs = tmp_path / "in"
    inputs.mkdir()
    write(inputs, "dump.jsonl", "\n".join([
        json.dumps({"id": "d1", "text": ARTICLE, "url": "https://example.org/1", "published": "2025-04-02"}),
        json.dumps({"id": "d2", "text": OTHER, "url": "https://example.org/2"}),  # no date: still stored
        json.dumps({"id": "d1", "text": OTHER + " More later.", "url": "https://example.org/3"}),  # dup id
        "{not json"]))
    write(inputs, "broken.rss", "<rss><channel><title>x</title>")
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    first = runner.invoke(app, ["ingest", str(inputs), "--db", db, "--no-progress"])
    out = first.output + (first.stderr if first.stderr_bytes is not None else "")
    assert first.exit_code == 1  # something failed, and said so
    assert "duplicate id 'd1'" in out and "malformed JSON" in out and "broken.rss" in out
    assert "stored 2 new" in out
    store = Store(db)
    with store.connect() as conn:
        rows = conn.exec_driver_sql("SELECT ext_id, published, story_id FROM articles ORDER BY ext_id").all()
    assert [(r.ext_id, r.published) for r in rows] == [("d1", "2025-04-02"), ("d2", None)]
    assert all(r.story_id for r in rows)  # the undated one is linked to a story too
    again = runner.invoke(app, ["ingest", str(inputs), "--db", db, "--no-progress"])
    assert "stored 0 new" in again.output + (again.stderr if again.stderr_bytes is not None else "")
    assert store.count("articles") == 2


# -- JSONL edge cases: each line is one unit, numbered as an editor numbers it -------------------------------
def _jsonl_items(tmp_path: Path, data: bytes, name: str = "d.jsonl") -> list:
    return items(write(tmp_path, name, data))


def _line(rid: str, text: str = ARTICLE) -> bytes:
    return json.dumps({"id": rid, "text": text}, ensure_ascii=False).encode("utf-8")


def test_jsonl_utf8_bom_does_not_reject_the_first_record(tmp_path):
    got = _jsonl_items(tmp_path, b"\xef\xbb\xbf" + _line("a") + b"\n" + _line("b") + b"\n")
    assert [i.id for i in got] == ["a", "b"]


def test_jsonl_latin1_line_is_read_with_a_warning_not_silently_replaced(tmp_path):
    latin = json.dumps({"id": "l", "text": "Le président a visité Genève lundi, a déclaré le ministère."},
                       ensure_ascii=False).encode("latin-1")
    good, odd = _jsonl_items(tmp_path, _line("u") + b"\n" + latin + b"\n")
    assert not good.warnings
    assert "Genève" in odd.text and "\ufffd" not in odd.text
    assert odd.warnings and "Windows-1252" in odd.warnings[0]


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_jsonl_gives_one_line(tmp_path, data):
    [item] = _jsonl_items(tmp_path, data)
    assert isinstance(item, IngestFailure) and "empty" in item.reason


def test_raw_cr_does_not_shift_line_numbers(tmp_path):
    # A CR inside a line (a stray one, or CRLF endings) is not a line break.
    data = _line("a") + b"\r\n" + b'{"id": "b",\r "text": "' + ARTICLE.encode() + b'"}\n{broken\n' + _line("d")
    got = _jsonl_items(tmp_path, data)
    assert [i.origin.rsplit(":", 1)[1] for i in got] == ["1", "2", "3", "4"]
    assert [type(i).__name__ for i in got] == ["RawArticle", "RawArticle", "IngestFailure", "RawArticle"]


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x1c"])
def test_unicode_line_separators_inside_strings_on_stdin(sep):
    from eventwire.ingest.base import read_stdin

    data = _line("a", ARTICLE + sep + "More text.") + b"\n" + _line("b")
    got = list(read_stdin(data))
    assert [i.id for i in got] == ["a", "b"] and sep in got[0].text


def test_deeply_nested_line_fails_alone_with_its_line_number(tmp_path):
    deep = b'{"id": "x", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    got = _jsonl_items(tmp_path, _line("a") + b"\n" + deep + b"\n" + _line("c"))
    assert [type(i).__name__ for i in got] == ["RawArticle", "IngestFailure", "RawArticle"]
    assert got[1].origin.endswith(":2") and "nested" in got[1].reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_jsonl_with_and_without_bom(tmp_path, encoding):
    text = (_line("a").decode() + "\n" + _line("b").decode() + "\n")
    got = _jsonl_items(tmp_path, text.encode(encoding))
    assert [i.id for i in got] == ["a", "b"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_bom_is_read_with_a_warning(tmp_path, encoding):
    [item] = items(write(tmp_path, "a.txt", ARTICLE.encode(encoding)))
    assert item.text.startswith("Soldiers") and "UTF-16" in item.warnings[0]


def test_a_reader_that_gives_nothing_still_leaves_a_line(tmp_path):
    [item] = items(write(tmp_path, "x.json", b"[]"))
    assert isinstance(item, IngestFailure) and item.origin.endswith("x.json")


def test_gzipped_stdin_jsonl_and_json_feed_are_sniffed():
    assert sniff(b'\xef\xbb\xbf{"id": 1, "text": "x"}') == "jsonl"
    assert sniff(b'{\n  "version": "https://jsonfeed.org/version/1.1",\n  "items": []\n}') == "json"
    assert sniff(b'[{"text": "x"}]') == "json"
