"""Feeds and web archives: good ones read, bad ones reported, the rest of the input still read."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from eventwire.ingest import IngestFailure, RawArticle, read_paths
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
    assert not [i for i in items if isinstance(i, IngestFailure)]
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
    failures = [i for i in items if isinstance(i, IngestFailure)]
    assert len(failures) == 1 and "truncated" in failures[0].reason


def test_not_a_warc(tmp_path):
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not an archive\n" * 10)
    (failure,) = list(read_warc(path, str(path)))
    assert isinstance(failure, IngestFailure)
