"""eventwire batch: Parquet shards per input file, markers, resume after a kill, engines, stories, load.

The inputs are built here: two gzipped WARCs (requests, an image, HTML responses) and a JSONL
file, holding invented articles: a syndicated copy of one report under another headline, a page
crawled twice (same URL in both WARCs), a Spanish article (stored, not coded) and a broken line.
The model is loaded by the test process (local engine), by one subprocess (killed mid-way) and
by each of two Ray workers.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.batch import expand_inputs, run_batch
from eventwire.batch.inputs import InputError
from eventwire.batch.output import Output, shard_id
from eventwire.batch.rows import TABLES, canonical

ROOT = Path(__file__).resolve().parents[1]

FLOOD = [
    "Rescue teams evacuated more than 3,000 villagers from low-lying districts of Assam on Wednesday "
    "after the Brahmaputra river burst its banks following a week of heavy monsoon rain, state officials said.",
    "The state disaster management authority said boats from the National Disaster Response Force reached "
    "flooded villages near Dhubri before dawn, and that relief camps had opened in twelve school buildings.",
    "Farmers in the district said rising water had destroyed rice seedlings planted only a fortnight ago, "
    "and several roads linking the villages to the district town were closed by landslides.",
    "Forecasters warned that more rain was expected over the next three days across the north-east, "
    "and the authority asked residents of riverside settlements to move to higher ground.",
]
FLOOD_COPY = [
    FLOOD[0], FLOOD[1], FLOOD[2],
    "An official in Guwahati said the army had been asked to stand by in case embankments gave way overnight.",
    FLOOD[3],
]
ARTICLES = {
    "dock": ("https://harbourgazette.example/news/rotterdam-dock-strike", "Harbour Gazette",
             "Dock workers walk out at Rotterdam over pay", "2025-07-01T09:00:00Z", [
                 "Dock workers at the port of Rotterdam walked off the job on Tuesday, halting container "
                 "traffic at two terminals in a dispute over pay, the FNV union said.",
                 "The union said its members rejected an offer of a four percent raise and would stay out "
                 "for 48 hours. Terminal operators said ships were being diverted to Antwerp.",
                 "The Dutch labour ministry urged both sides to return to talks in The Hague on Thursday."]),
    "flood": ("https://northeastdaily.example/assam-floods-evacuation", "North East Daily",
              "Thousands evacuated as Brahmaputra floods Assam villages", "2025-07-02T06:30:00Z", FLOOD),
    "flood-copy": ("https://asiawirenews.example/india/assam-flood-rescue", "Asia Wire News",
                   "Assam floods: 3,000 moved to relief camps", "2025-07-02T14:00:00Z", FLOOD_COPY),
    "lithium": ("https://andesobserver.example/chile-senate-lithium", "Andes Observer",
                "Chile's Senate approves lithium bill", "2025-07-03T20:15:00Z", [
                    "Chile's Senate approved a bill on Thursday that gives the state copper company a "
                    "controlling stake in new lithium projects, sending the measure back to the lower house.",
                    "Opposition senators said the law would scare away foreign investors, while the mining "
                    "minister said it would keep more of the profits in the country."]),
}
JSONL_LINES = [
    {"id": "dam-talks", "title": "Egypt and Ethiopia resume dam talks in Cairo", "outlet": "Nile Courier",
     "url": "https://nilecourier.example/dam-talks-resume", "published": "2025-07-04T11:00:00Z",
     "text": "Negotiators from Egypt and Ethiopia resumed talks in Cairo on Friday over the filling of the "
             "Grand Ethiopian Renaissance Dam, Egypt's foreign ministry said.\n\nThe ministry said the two "
             "sides would meet again in Addis Ababa next month."},
    {"id": "es-lluvias", "title": "Lluvias en Valencia", "published": "2025-07-04T12:00:00Z",
     "text": "Las fuertes lluvias obligaron a cerrar varias carreteras en la provincia de Valencia el viernes, "
             "según informaron los servicios de emergencia de la región."},
]


def aid(name: str) -> str:
    """The id the WARC reader gives an article: a stable hash of its URL."""
    from eventwire.ingest.base import stable_id

    return stable_id(ARTICLES[name][0])


def _page(title: str, outlet: str, published: str, paras: list[str]) -> bytes:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (f"<html><head><title>{html.escape(title)}</title><meta property=\"og:site_name\" content=\"{outlet}\">"
            f"<meta property=\"article:published_time\" content=\"{published}\"></head>"
            f"<body><article><h1>{html.escape(title)}</h1>{body}</article></body></html>").encode()


def _warc(path: Path, names: list[str]) -> int:
    """A gzipped WARC with a request and a response per article, and an image; returns its records."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for name in names:
        url, outlet, title, published, paras = ARTICLES[name]
        body = _page(title, outlet, published, paras)
        req = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example")], protocol="HTTP/1.1",
                               is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", http_headers=req))
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      length=len(body), http_headers=http))
    png = b"\x89PNG\r\n\x1a\n" + bytes(32)
    http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://img.example/a.png", "response",
                                                  payload=io.BytesIO(png), length=len(png), http_headers=http))
    path.write_bytes(buf.getvalue())
    return 2 * len(names) + 1


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("inputs")
    records = _warc(folder / "a.warc.gz", ["dock", "flood"])
    records += _warc(folder / "b.warc.gz", ["flood-copy", "lithium", "dock"])  # dock: crawled again
    lines = [json.dumps(obj) for obj in JSONL_LINES] + ['{"id": "broken", "text": ']
    with gzip.open(folder / "c.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    (folder / "notes.txt").write_text("not an input of a batch")
    return {"folder": folder, "paths": expand_inputs([str(folder)]), "units": records + len(lines)}


def _tables(out: Path) -> dict:
    return {t: Output(str(out)).read_table(t) for t in TABLES}


def _same(a: Path, b: Path) -> None:
    ta, tb = _tables(a), _tables(b)
    # Rows differ when the code does: the markers say which code did each input.
    codes = {m.get("code") for out in (a, b) for m in Output(str(out)).markers()}
    for t in TABLES:
        assert ta[t].num_rows == tb[t].num_rows, (t, codes)
        assert canonical(ta[t], t).equals(canonical(tb[t], t)), f"table {t} differs (code {codes})"


@pytest.fixture(scope="module")
def local_out(inputs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    summaries = run_batch(inputs["paths"], str(out), engine="local", workers=1)
    assert [s["status"] for s in summaries] == ["done"] * 3
    return out


# -- inputs and output, no model ------------------------------------------------------------------
def test_expand_inputs(inputs, tmp_path, monkeypatch):
    folder = inputs["folder"]
    assert [Path(p).name for p in inputs["paths"]] == ["a.warc.gz", "b.warc.gz", "c.jsonl.gz"]
    assert all(Path(p).is_absolute() for p in inputs["paths"])
    monkeypatch.chdir(folder)
    assert expand_inputs(["*.warc.gz", "a.warc.gz"]) == inputs["paths"][:2]  # globs, relative, each once
    with pytest.raises(InputError):
        expand_inputs([str(folder / "missing.warc.gz")])
    with pytest.raises(InputError):
        expand_inputs([str(folder / "*.arc")])


def test_shard_names_are_stable_and_writes_atomic(tmp_path):
    assert shard_id("/data/cc-news/a.warc.gz") == shard_id("/data/cc-news/a.warc.gz")
    assert shard_id("/data/cc-news/a.warc.gz") != shard_id("/data/cc-news/b.warc.gz")
    out = Output(str(tmp_path))
    out.write("events/part-x.parquet", b"data")
    (tmp_path / "events" / ".tmp-part-y.parquet.1234").write_bytes(b"half")  # what a killed task leaves
    assert out.listdir("events") == ["part-x.parquet"]
    out.clean_tmp("part-y", ("events",))
    assert sorted(os.listdir(tmp_path / "events")) == ["part-x.parquet"]


def test_cli_usage_errors(tmp_path):
    from eventwire.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["batch", str(tmp_path / "none.warc.gz"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    result = runner.invoke(app, ["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "spark"])
    assert result.exit_code == 2
    assert runner.invoke(app, ["batch-stories", str(tmp_path / "o")]).exit_code == 2


# -- the local engine ---------------------------------------------------------------------------------
def test_every_unit_accounted_for(inputs, local_out):
    t = _tables(local_out)
    units = t["units"].to_pylist()
    assert len(units) == inputs["units"]
    for path in inputs["paths"][:2]:  # one unit per WARC record
        with open(path, "rb") as fh:
            n = sum(1 for _ in ArchiveIterator(fh))
        assert sum(1 for u in units if u["input"] == path) == n
    status = {}
    for u in units:
        status[u["status"]] = status.get(u["status"], 0) + 1
    assert status == {"record": 7, "skipped": 7, "error": 1}  # 5 requests + 2 images; the broken line
    arts = t["articles"].to_pylist()
    assert len(arts) == status["record"]
    spanish = next(a for a in arts if a["article_id"] == "es-lluvias")
    assert spanish["coded"] is False and spanish["num_events"] == 0
    by_id = {a["article_id"]: a for a in arts}
    assert by_id["dam-talks"]["published"].startswith("2025-07-04")
    assert t["events"].num_rows > 0 and t["entities"].num_rows > 0 and t["mentions"].num_rows > 0
    keys = {a["key"] for a in arts}
    for table in ("events", "entities", "mentions", "claims", "places"):
        assert set(t[table].column("key").to_pylist()) <= keys


def test_shards_are_canonical_and_named_by_input(inputs, local_out):
    for path in inputs["paths"]:
        sid = shard_id(path)
        assert (local_out / "_SUCCESS" / f"{sid}.json").is_file()
        for table in TABLES:
            shard = pq.read_table(local_out / table / f"part-{sid}.parquet")
            assert shard.equals(canonical(shard, table))
    assert not list(local_out.rglob(".tmp-*"))


def test_rerun_skips_finished_inputs(inputs, local_out):
    before = {p: p.stat().st_mtime_ns for p in local_out.rglob("*.parquet")}
    summaries = run_batch(inputs["paths"], str(local_out), engine="local", workers=1)
    assert [s["status"] for s in summaries] == ["skipped"] * 3
    assert {p: p.stat().st_mtime_ns for p in local_out.rglob("*.parquet")} == before


# -- a killed job, resumed ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def killed(inputs, tmp_path_factory) -> Path:
    """The output of a job SIGKILLed right after its first input's marker appeared."""
    out = tmp_path_factory.mktemp("killed")
    cmd = [sys.executable, "-m", "eventwire.cli", "batch", *inputs["paths"], "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    markers = out / "_SUCCESS"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if markers.is_dir() and any(markers.glob("*.json")):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the job ended before it could be killed mid-way"
    done = sorted(markers.glob("*.json"))
    assert 1 <= len(done) < len(inputs["paths"])
    # As if the kill had come between a later input's shards and its marker: a shard, no marker.
    late = shard_id(inputs["paths"][-1])
    (out / "articles").mkdir(exist_ok=True)
    (out / "articles" / f"part-{late}.parquet").write_bytes(b"half-written")
    return out


def test_killed_job_resumes_without_loss_or_duplicates(inputs, local_out, killed, tmp_path):
    resumed = tmp_path / "resumed"
    shutil.copytree(killed, resumed)
    assert _tables(resumed)["articles"].num_rows < _tables(local_out)["articles"].num_rows
    summaries = run_batch(inputs["paths"], str(resumed), engine="local", workers=1)
    statuses = [s["status"] for s in summaries]
    assert statuses.count("skipped") >= 1 and "failed" not in statuses
    _same(resumed, local_out)
    arts = _tables(resumed)["articles"].to_pylist()
    assert len({(a["input"], a["article_id"]) for a in arts}) == len(arts)


# -- the Ray engine ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def ray_session():
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_ray_engine_matches_local_and_resumes(ray_session, inputs, local_out, killed, tmp_path):
    clean = tmp_path / "ray"
    first = run_batch(inputs["paths"], str(clean), engine="ray", workers=2)
    assert [s["status"] for s in first] == ["done"] * 3
    _same(clean, local_out)
    for table in TABLES:  # shard for shard the same bytes' worth of rows as the local engine's
        for path in inputs["paths"]:
            rel = f"{table}/part-{shard_id(path)}.parquet"
            assert pq.read_table(clean / rel).equals(pq.read_table(local_out / rel))
    resumed = tmp_path / "ray-resumed"
    shutil.copytree(killed, resumed)
    second = run_batch(inputs["paths"], str(resumed), engine="ray", workers=2)
    assert "skipped" in [s["status"] for s in second]
    _same(resumed, local_out)
    # Ray reuses its two worker processes: the model is loaded at most once in each.
    assert len({s["pid"] for s in first + second if s["status"] == "done"}) <= 2


# -- stories and load ------------------------------------------------------------------------------------
def test_batch_stories_finds_copies_in_any_order(local_out):
    from eventwire.batch.stories import COLUMNS, batch_stories, read_stories, stories_of

    counts = batch_stories(str(local_out))
    rows = {r["article_id"]: r for r in read_stories(str(local_out)).to_pylist()}
    assert counts["articles"] == len(rows) == 6  # the page crawled twice is one article
    flood, copy, dock = rows[aid("flood")], rows[aid("flood-copy")], rows[aid("dock")]
    assert flood["duplicate_of"] is None
    assert copy["duplicate_of"] == flood["key"]  # the earlier report is the original
    assert copy["story_id"] == flood["story_id"]
    assert dock["story_id"] != flood["story_id"]
    articles = Output(str(local_out)).read_table("articles", columns=COLUMNS).to_pylist()
    expected = stories_of(articles)
    for seed in (1, 2, 3):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert stories_of(shuffled) == expected


def test_load_is_idempotent_and_served(local_out, tmp_path):
    from fastapi.testclient import TestClient

    from eventwire.batch.load import load
    from eventwire.batch.stories import batch_stories
    from eventwire.serve.app import create_app
    from eventwire.store import Store

    batch_stories(str(local_out))
    db = str(tmp_path / "batch.db")
    first = load(str(local_out), db)
    assert first["stored"] == 6 and first["rows"] == 7  # the second crawl of one page is unchanged
    assert first["story_ids_equal"] == first["story_ids_compared"] == 6  # the store agrees with batch-stories
    store = Store(db)
    counts = {t: store.count(t) for t in ("articles", "mentions", "entities", "claims", "stories")}
    second = load(str(local_out), db)
    assert second["stored"] == 0
    assert {t: store.count(t) for t in counts} == counts
    assert counts["mentions"] == Output(str(local_out)).read_table("events").num_rows - _dock_events(local_out)
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    assert client.get("/api/articles").json()["total"] == 6
    assert client.get("/api/stories").json()["total"] == counts["stories"]


def _dock_events(out: Path) -> int:
    """Events of the second crawl of the dock-strike page, which the store does not store again."""
    arts = Output(str(out)).read_table("articles").to_pylist()
    twice = [a for a in arts if a["article_id"] == aid("dock")]
    return twice[0]["num_events"] if len(twice) == 2 else 0


def test_rows_flushed_in_chunks_are_the_same(inputs, local_out, tmp_path, monkeypatch):
    from eventwire.batch import process_file
    from eventwire.batch.rows import Tables

    monkeypatch.setattr(Tables, "FLUSH_EVERY", 1)  # every article its own Arrow chunk
    path = inputs["paths"][1]
    assert process_file(path, str(tmp_path))["status"] == "done"
    for table in TABLES:
        rel = f"{table}/part-{shard_id(path)}.parquet"
        assert pq.read_table(tmp_path / rel).equals(pq.read_table(local_out / rel)), table


def test_fsspec_urls_in_and_out(inputs, local_out):
    """Inputs and output through fsspec (its in-memory filesystem stands in for s3://)."""
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    src = inputs["paths"][0]
    fs.pipe_file("/batch-in/a.warc.gz", Path(src).read_bytes())
    fs.pipe_file("/batch-in/readme.txt", b"not an input")
    urls = expand_inputs(["memory://batch-in/*"])
    assert len(urls) == 1 and urls[0].endswith("batch-in/a.warc.gz")
    assert expand_inputs(["memory://batch-in/a.warc.gz"]) == expand_inputs(["memory://batch-in"]) == urls
    summaries = run_batch(urls, "memory://batch-out", engine="local", workers=1)
    assert summaries[0]["status"] == "done"
    assert run_batch(urls, "memory://batch-out", engine="local", workers=1)[0]["status"] == "skipped"
    remote = Output("memory://batch-out")
    assert not [p for p in fs.find("/batch-out") if "/.tmp-" in p]
    local = {t: pq.read_table(local_out / f"{t}/part-{shard_id(src)}.parquet") for t in ("events", "articles")}
    assert remote.read_table("events").equals(local["events"])
    # The articles are the same but for where they came from: the URL, not the local path.
    articles = remote.read_table("articles")
    assert articles.column("input").to_pylist() == urls * 2
    assert articles.drop_columns(["input", "origin"]).equals(local["articles"].drop_columns(["input", "origin"]))


def test_an_input_that_cannot_be_read_fails_and_is_retried(tmp_path, monkeypatch):
    """No marker for an input that vanished or cannot be opened: the next run tries it again."""
    from eventwire.cli import app

    gone = tmp_path / "gone.warc.gz"
    summary = run_batch([str(gone)], str(tmp_path / "out"), engine="local", workers=1)[0]
    assert summary["status"] == "failed" and "No such file" in summary["error"]
    assert not (tmp_path / "out" / "_SUCCESS").exists()
    # The command's exit status says some input failed (1), so a scheduler reruns it.
    import eventwire.batch.job as job

    real = tmp_path / "real.jsonl"
    real.write_text('{"id": "x", "text": "Some words here."}\n')
    monkeypatch.setattr(job, "process_file", lambda path, out, opts: {"input": path, "status": "failed",
                                                                        "error": "OSError: storage went away"})
    result = CliRunner().invoke(app, ["batch", str(real), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)  # an exit, not a crash
