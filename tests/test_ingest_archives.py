"""Feeds and web archives: good ones read, bad ones reported, the rest of the input still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.ingest import IngestFailure, IngestSkip, RawArticle, read_paths
from eventwire.ingest.feed import read_feed
from eventwire.ingest.warc import read_warc

BODY_A = ("<p>Fishing crews in the northern harbour stayed ashore for a third day on Monday as a storm "
          "battered the coast, the harbour master said.</p><p>Waves of up to six metres were recorded "
          "off the point, and the ferry to the islands was cancelled until further notice.</p>")
BODY_B = ("<p>The city council approved a plan on Tuesday to plant four thousand trees along the ring road "
          "over the next five years, with residents choosing the species.</p><p>Work on the first section "
          "will begin in the autumn, a council spokesman said.</p>")


def _item(title: str, link: str, body: str, date: str = "Mon, 03 Mar 2025 09:00:00 GMT") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate>"
            f"<description><![CDATA[{body}]]></description></item>")


RSS = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coast Daily</title>'
       + _item("Storm keeps boats in port", "https://coast.example/storm", BODY_A)
       + _item("Council to plant trees", "https://coast.example/trees", BODY_B, "Tue, 04 Mar 2025 10:00:00 GMT")
       + "</channel></rss>")
ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Herald'
        '</title><entry><title>Storm keeps boats in port</title><link href="https://valley.example/a"/>'
        '<id>tag:valley.example,2025:a</id><updated>2025-03-03T09:00:00Z</updated>'
        f'<content type="html"><![CDATA[{BODY_A}]]></content></entry></feed>')


def _feed(tmp_path: Path, name: str, content: str) -> list:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return list(read_feed(path, str(path)))


def test_rss_feed_entries_become_articles(tmp_path):
    items = _feed(tmp_path, "news.rss", RSS)
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert [a.url for a in arts] == ["https://coast.example/storm", "https://coast.example/trees"]
    assert arts[0].title == "Storm keeps boats in port" and arts[0].outlet == "Coast Daily"
    assert arts[0].published.startswith("2025-03-03") and "harbour master" in arts[0].text
    assert not [i for i in items if isinstance(i, IngestFailure)]


def test_atom_feed(tmp_path):
    (art,) = _feed(tmp_path, "news.atom", ATOM)
    assert art.id == "tag:valley.example,2025:a" and art.outlet == "Valley Herald" and "ferry" in art.text


def test_broken_feed_xml_is_reported_and_the_readable_entries_kept(tmp_path):
    items = _feed(tmp_path, "broken.xml", RSS[: RSS.index("Council to plant") + 30])  # cut mid-entry
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert failures and "broken" in failures[0].reason
    assert any(isinstance(i, RawArticle) and i.url == "https://coast.example/storm" for i in items)


@pytest.mark.parametrize("content, reason", [
    ("<html><body><p>not a feed at all</p></body></html>", "not a readable feed"),
    ("", "empty file"),
    ("   \n", "empty file"),
])
def test_not_a_feed(tmp_path, content, reason):
    (failure,) = _feed(tmp_path, "x.xml", content)
    assert isinstance(failure, IngestFailure) and reason in failure.reason


def test_entry_without_content_is_reported(tmp_path):
    rss = RSS.replace(f"<![CDATA[{BODY_B}]]>", "")
    items = _feed(tmp_path, "news.rss", rss)
    assert sum(isinstance(i, RawArticle) for i in items) == 1
    assert any(isinstance(i, IngestFailure) and i.origin.endswith("#2") for i in items)


# -- WARC ---------------------------------------------------------------------------
def _page(title: str, body: str) -> bytes:
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Copyright Coast Daily</footer></body></html>"
            ).encode()


def _warc(records: list[tuple[str, str, str, bytes]], gz: bool) -> bytes:
    """records: (kind, url, content type, payload)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for kind, url, ctype, payload in records:
        if kind == "response":
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2025-03-05T08:00:00Z"})
        else:
            rec = writer.create_warc_record(url, kind, payload=io.BytesIO(payload))
        writer.write_record(rec)
    return out.getvalue()


RECORDS = [
    ("response", "https://coast.example/storm", "text/html; charset=utf-8", _page("Storm keeps boats in port", BODY_A)),
    ("response", "https://coast.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
    ("resource", "https://coast.example/notes", "text/plain", b"a resource record, not a response"),
    ("response", "https://coast.example/trees", "text/html", _page("Council to plant trees", BODY_B)),
]


@pytest.mark.parametrize("gz, suffix", [(False, ".warc"), (True, ".warc.gz")])
def test_warc_html_responses_only(tmp_path, gz, suffix):
    path = tmp_path / f"crawl{suffix}"
    path.write_bytes(_warc(RECORDS, gz))
    items = list(read_paths([str(path)]))
    assert [i.url for i in items if isinstance(i, RawArticle)] == ["https://coast.example/storm",
                                                                   "https://coast.example/trees"]
    assert not [i for i in items if isinstance(i, IngestFailure) and not isinstance(i, IngestSkip)]
    # Every record is accounted for: the image and the untyped resource are skipped, each with a line.
    skips = [i for i in items if isinstance(i, IngestSkip)]
    assert [s.origin[-2:] for s in skips] == ["#2", "#3"] and "image/png" in skips[0].reason
    first = items[0]
    assert "harbour master" in first.text and "Home | World" not in first.text
    assert first.published  # from the page, else the crawl date


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_whole_records_and_reports_the_rest(tmp_path, gz):
    data = _warc(RECORDS, gz)
    second = _warc(RECORDS[:3], gz)
    cut = len(second) + (len(data) - len(second)) // 2  # in the middle of the last record
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[:cut])
    items = list(read_warc(path, str(path)))
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert [a.url for a in arts] == ["https://coast.example/storm"]
    failures = [i for i in items if isinstance(i, IngestFailure) and not isinstance(i, IngestSkip)]
    assert len(failures) == 1 and "truncated" in failures[0].reason


def test_not_a_warc(tmp_path):
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    (failure,) = list(read_warc(path, str(path)))
    assert isinstance(failure, IngestFailure)


def _resource(writer: WARCWriter, url: str, ctype: str, payload: bytes):
    return writer.create_warc_record(url, "resource", payload=io.BytesIO(payload),
                                     warc_headers_dict={"Content-Type": ctype, "WARC-Date": "2025-03-05T08:00:00Z"})


def test_warc_resource_records_with_html_or_text_are_articles(tmp_path):
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(_resource(writer, "https://coast.example/storm", "text/html", _page("Storm", BODY_A)))
    plain = b"Fishing crews stayed ashore for a third day as a storm battered the coast, officials said."
    writer.write_record(_resource(writer, "https://coast.example/notes.txt", "text/plain; charset=utf-8", plain))
    writer.write_record(writer.create_warc_record("https://coast.example/storm", "request",
                                                  payload=io.BytesIO(b"GET /storm HTTP/1.1\r\n\r\n")))
    path = tmp_path / "resources.warc.gz"
    path.write_bytes(out.getvalue())
    items = list(read_paths([str(path)]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "IngestSkip"]
    assert "harbour master" in items[0].text and items[1].text.startswith("Fishing crews")
    assert items[1].url == "https://coast.example/notes.txt" and items[1].published == "2025-03-05T08:00:00Z"
    assert "request record" in items[2].reason


def test_warc_response_without_target_uri_keeps_the_rest_of_the_archive(tmp_path):
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for n, (title, body) in enumerate([("Storm", BODY_A), ("Trees", BODY_B), ("Storm again", BODY_A)]):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(f"https://coast.example/{n}", "response",
                                        payload=io.BytesIO(_page(title, body)), http_headers=headers)
        if n == 0:
            rec.rec_headers.remove_header("WARC-Target-URI")
        writer.write_record(rec)
    path = tmp_path / "nouri.warc"
    path.write_bytes(out.getvalue())
    items = list(read_paths([str(path)]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "RawArticle"]
    assert items[0].url is None and any("WARC-Target-URI" in w for w in items[0].warnings)
    assert [i.url for i in items[1:]] == ["https://coast.example/1", "https://coast.example/2"]


def _arc(records: list[tuple[str, bytes]]) -> bytes:
    head = b"1 0 eventwire\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://t.arc 0.0.0.0 20250305080000 text/plain %d\n" % len(head) + head + b"\n"
    for url, payload in records:
        http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + payload
        out += b"%s 10.0.0.1 20250305081500 text/html %d\n" % (url.encode(), len(http)) + http + b"\n"
    return out


def test_arc_records_keep_their_url_and_date(tmp_path):
    path = tmp_path / "old.arc"
    path.write_bytes(_arc([("http://coast.example/storm", _page("Storm", BODY_A)),
                           ("http://coast.example/trees", _page("Trees", BODY_B))]))
    items = list(read_paths([str(path)]))
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert [a.url for a in arts] == ["http://coast.example/storm", "http://coast.example/trees"]
    assert all(a.published.startswith("2025-03-05") for a in arts)
    assert [type(i).__name__ for i in items] == ["IngestSkip", "RawArticle", "RawArticle"]  # the ARC header


@pytest.mark.parametrize("cut_at", [0.25, 0.5, 0.75, 0.9, 0.99])
@pytest.mark.parametrize("gz", [False, True])
def test_a_cut_warc_never_loses_a_record_silently(tmp_path, gz, cut_at):
    """Wherever an archive is cut, each record is read, skipped or reported: no record vanishes."""
    data = _warc(RECORDS, gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[:int(len(data) * cut_at)])
    items = list(read_warc(path, str(path)))
    whole = sum(1 for i in items if isinstance(i, RawArticle | IngestSkip))
    errors = [i for i in items if isinstance(i, IngestFailure) and not isinstance(i, IngestSkip)]
    assert whole < len(RECORDS) and errors  # it was cut: something says so
    assert all("truncated" in e.reason or "broken" in e.reason for e in errors)


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1", "title": "Coast Daily",
    "items": [
        {"id": "1", "url": "https://coast.example/storm", "title": "Storm keeps boats in port",
         "content_html": BODY_A, "date_published": "2025-03-03T09:00:00Z"},
        {"id": "2", "url": "https://coast.example/trees", "content_text": "The city council approved a plan "
         "on Tuesday to plant four thousand trees along the ring road."},
        {"id": "3", "url": "https://coast.example/empty"},
        "not an object",
    ],
}


def test_json_feed_items_become_articles(tmp_path):
    import json

    path = tmp_path / "feed.json"
    path.write_text(json.dumps(JSON_FEED), encoding="utf-8")
    items = list(read_paths([str(path)]))
    assert [type(i).__name__ for i in items] == ["RawArticle", "RawArticle", "IngestFailure", "IngestFailure"]
    storm, trees = items[:2]
    assert storm.outlet == "Coast Daily" and storm.url == "https://coast.example/storm"
    assert "harbour master" in storm.text and "{" not in storm.text  # the HTML, not the raw JSON
    assert storm.published == "2025-03-03T09:00:00Z" and storm.title == "Storm keeps boats in port"
    assert trees.text.startswith("The city council") and items[2].origin.endswith("#3")


def test_json_feed_on_stdin_is_sniffed(monkeypatch):
    import json

    from eventwire.ingest.base import read_stdin, sniff

    data = json.dumps(JSON_FEED, indent=2).encode()
    assert sniff(data) == "json"
    assert sum(isinstance(i, RawArticle) for i in read_stdin(data)) == 2


@pytest.mark.parametrize("kind", ["warc", "jsonl", "text"])
def test_gzipped_stdin_is_read_by_its_magic_bytes(kind):
    import gzip
    import json

    from eventwire.ingest.base import read_stdin

    payload = {"warc": _warc(RECORDS, gz=False),
               "jsonl": (json.dumps({"id": "a", "text": "Fishing crews stayed ashore for a third day."}) + "\n"
                         ).encode(),
               "text": b"Fishing crews stayed ashore for a third day as a storm battered the coast."}[kind]
    items = list(read_stdin(gzip.compress(payload)))
    arts = [i for i in items if isinstance(i, RawArticle)]
    assert arts and not [i for i in items if type(i) is IngestFailure]
