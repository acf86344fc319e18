"""Take the README's screenshots of the page: headless chromium over a server on 127.0.0.1.

    eventwire ingest examples --db /tmp/demo.db --no-progress
    eventwire serve --db /tmp/demo.db --port 8765 &
    python docs/screenshots.py [--base http://127.0.0.1:8765] [--chromium /usr/bin/chromium]

Writes docs/page-overview.png (the first view), docs/page-map.png (the map zoomed in by a click on
its largest cluster, which filters the page to it) and docs/page-evidence.png (the events of one
actor, the most reported one opened). Viewport shots, not whole pages, to keep the files small.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="http://127.0.0.1:8765")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--actor", default="TUR", help="the actor filter of the evidence shot")
    args = ap.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 820})
        page.goto(f"{args.base}/")
        page.wait_for_selector("#events tbody tr.event-row")
        page.wait_for_selector("#map[data-countries]")
        page.wait_for_selector("#map .event-cluster, #map path.event-dot")
        page.wait_for_timeout(500)
        page.screenshot(path=str(DOCS / "page-overview.png"))
        clusters = page.locator("#map .event-cluster")
        counts = [int(t) for t in clusters.all_inner_texts()]
        if counts:  # the largest cluster: zoomed in to its region, the page filtered to its events
            clusters.nth(counts.index(max(counts))).click()
            page.wait_for_url("**bbox=**")
            page.wait_for_timeout(1200)
            page.click("#map .leaflet-control-zoom-in")  # one step more: clusters split, places named
            page.wait_for_timeout(1200)
        page.locator("#map").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -60)")
        page.screenshot(path=str(DOCS / "page-map.png"))
        page.goto(f"{args.base}/?actor={args.actor}&sort=-sources")
        page.wait_for_selector("#events tbody tr.event-row")
        rows = page.locator("#events tbody tr.event-row")
        counts = [int(rows.nth(i).locator("td").nth(6).inner_text() or 1) for i in range(rows.count())]
        rows.nth(counts.index(max(counts))).click()
        page.wait_for_selector("#detail blockquote.evidence mark.hl-trigger")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / "page-evidence.png"))
        browser.close()


if __name__ == "__main__":
    main()
