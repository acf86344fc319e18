"""Build examples/warc/sample.warc.gz from the examples' own invented articles.

    python examples/warc/make_sample.py [--out examples/warc/sample.warc.gz] [--parts N]

The archive is laid out like a CC-NEWS WARC: per article a `request` record and the `response`
(HTTP headers and the HTML page); the plain-text articles come as `resource` records. Two records
hold no article, as real crawls do: an image response and a 404. The wire.jsonl articles become
minimal HTML pages (headline, site name, publication time, paragraphs). Record ids and dates are
derived from the content, so the same examples give the same bytes. `--parts N` writes N archives
(sample-00.warc.gz ...) that share the articles out, for benchmarks that need several inputs.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

EXAMPLES = Path(__file__).resolve().parents[1]
CRAWL_DATE = "2025-10-01T00:00:00Z"  # when the pretend crawl ran (WARC-Date of records with no date)


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str
    kind: str = "response"  # or "resource" (plain text, no HTTP headers)
    status: str = "200 OK"
    date: str = CRAWL_DATE


def _html_page(obj: dict) -> str:
    paras = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in obj["text"].split("\n\n") if p.strip())
    title = html.escape(obj.get("title") or "")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<meta property=\"og:site_name\" content=\"{html.escape(obj.get('outlet') or '')}\">"
            f"<meta property=\"article:published_time\" content=\"{obj.get('published') or ''}\">"
            f"<link rel=\"canonical\" href=\"{html.escape(obj['url'])}\"></head>"
            f"<body><article><h1>{title}</h1>\n{paras}\n</article></body></html>")


def _canonical(page: str) -> str | None:
    import re

    found = re.search(r'<link rel="canonical" href="([^"]+)"', page)
    return found.group(1) if found else None


def pages() -> Iterator[Page]:
    """Every example article as a crawled page, in a fixed order."""
    for path in sorted((EXAMPLES / "html").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        url = _canonical(text) or f"https://example.invalid/{path.stem}"
        yield Page(url, text.encode("utf-8"), "text/html; charset=utf-8")
    for line in (EXAMPLES / "wire.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            yield Page(obj["url"], _html_page(obj).encode("utf-8"), "text/html; charset=utf-8")
    meta = json.loads((EXAMPLES / "txt" / "metadata.json").read_text(encoding="utf-8"))
    for path in sorted((EXAMPLES / "txt").glob("*.txt")):
        info = meta.get(path.name, {})
        yield Page(info.get("url") or f"https://example.invalid/{path.stem}", path.read_bytes(),
                   "text/plain; charset=utf-8", kind="resource")


def extras() -> list[Page]:
    """Records that hold no article: the batch reports them as skipped units."""
    return [Page("https://example.invalid/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
            Page("https://example.invalid/gone", b"<html><body>Not found</body></html>", "text/html",
                 status="404 Not Found")]


def _rid(*parts: str) -> str:
    digest = hashlib.sha1("\x1f".join(parts).encode()).hexdigest()
    return f"<urn:uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}>"


def write_warc(path: Path, items: list[Page]) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for page in items:
        headers = {"WARC-Date": page.date, "WARC-Record-ID": _rid(page.kind, page.url)}
        if page.kind == "resource":
            writer.write_record(writer.create_warc_record(
                page.url, "resource", payload=io.BytesIO(page.body), length=len(page.body),
                warc_content_type=page.content_type, warc_headers_dict=headers))
            continue
        req = StatusAndHeaders(f"GET {page.url} HTTP/1.1", [("User-Agent", "eventwire-sample")],
                               protocol="HTTP/1.1", is_http_request=True)
        writer.write_record(writer.create_warc_record(
            page.url, "request", http_headers=req,
            warc_headers_dict={"WARC-Date": page.date, "WARC-Record-ID": _rid("request", page.url)}))
        http = StatusAndHeaders(page.status, [("Content-Type", page.content_type),
                                              ("Content-Length", str(len(page.body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            page.url, "response", payload=io.BytesIO(page.body), length=len(page.body), http_headers=http,
            warc_headers_dict=headers))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def build(out: Path, parts: int = 1) -> list[Path]:
    items = [*pages(), *extras()]
    if parts <= 1:
        write_warc(out, items)
        return [out]
    paths = []
    for n in range(parts):
        path = out.parent / f"sample-{n:02d}.warc.gz"
        write_warc(path, items[n::parts])
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "sample.warc.gz")
    parser.add_argument("--parts", type=int, default=1)
    args = parser.parse_args()
    for path in build(args.out, args.parts):
        print(f"{path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
