"""The page as a person uses it: headless chromium (Debian's) over a live server on 127.0.0.1.

Skipped when playwright or chromium is missing. The README's screenshots come from
docs/screenshots.py, over the bundled examples.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
if CHROMIUM is None:
    pytest.skip("chromium is not installed", allow_module_level=True)

import uvicorn  # noqa: E402

from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.demo import EventSpec, build_demo_store, make_record  # noqa: E402

pytestmark = pytest.mark.browser


HOSTILE = ("Officials said <script>window.__pwned = 1; alert(1)</script> that Kenya deployed extra police "
           "in Garissa on Monday. <img src=x onerror=\"window.__pwned = 2\"> A spokesman confirmed it.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("page") / "page.db")
    hostile = make_record("hostile-1", HOSTILE, title="<b>Hostile</b> <script>alert(2)</script> headline",
                          outlet="Bad<i>Outlet</i>", published="2026-03-16", url="javascript:alert(3)",
                          entities=[("Kenya", "GPE", "KEN", None), ("Garissa", "GPE", "KEN", None)],
                          events=[EventSpec("MOBILIZE", "deployed", "Kenya", None, "2026-03-15", "on Monday",
                                            ("Garissa", "KEN", -0.45, 39.65))])
    build_demo_store(db, extra=[hostile])
    port = _free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 15
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync"])
        except sync_api.Error as exc:  # a chromium that cannot start here (libraries, sandbox): skip, not fail
            pytest.skip(f"chromium does not start: {str(exc).splitlines()[0]}")
        yield b
        b.close()


@pytest.fixture
def page(browser, server):  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    outside: list[str] = []
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    pg.outside = outside
    yield pg
    ctx.close()


def _load(page, server: str, query: str = "") -> None:  # noqa: ANN001
    page.goto(f"{server}/{query}")
    page.wait_for_selector("#events tbody tr.event-row")
    page.wait_for_selector("#map circle.dot")


def test_overview_draws_timeline_map_graph_and_list(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    assert page.locator("#events tbody tr.event-row").count() == 11
    assert page.locator("#timeline rect.bar").count() >= 6
    assert page.locator("#map path.land").count() > 20
    assert page.locator("#graph g.node").count() == 3  # KEN, SOM, ETH
    assert page.outside == [], "the page fetched something from outside the server"


def test_filter_by_actor_then_click_shows_highlighted_evidence(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    page.select_option("#f-actor", "SOM")
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(2)
    actors = page.locator("#events tbody td.actor").all_inner_texts()
    assert all("SOM" in a for a in actors)
    assert "actor=SOM" in page.url
    page.locator("#events tbody tr.event-row", has_text="ACCUSE").click()
    page.wait_for_selector("#detail blockquote.evidence")
    evidence = page.locator("#detail blockquote.evidence").first
    assert evidence.locator("mark.hl-trigger").inner_text() == "accused"
    assert evidence.locator("mark.hl-actor").inner_text() == "Somalia"
    assert evidence.locator("mark.hl-recipient").inner_text() == "Kenya"
    assert evidence.locator("mark.hl-date").inner_text() == "on Tuesday"


def test_quantities_and_other_reports_are_shown(page, server) -> None:  # noqa: ANN001
    _load(page, server, "?type=MOBILIZE&actor=KEN")
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(3)
    page.locator("#events tbody tr.event-row", has_text="Rift Courier").click()
    page.wait_for_selector("#detail .mention mark.hl-quantity")
    assert page.locator("#detail .mention mark.hl-quantity").first.inner_text() == "400 soldiers"
    assert "reported" in page.locator("#detail .mention .meta").nth(1).inner_text()


def test_hostile_article_is_shown_as_text_and_runs_nothing(page, server) -> None:  # noqa: ANN001
    _load(page, server, "?q=Garissa")
    row = page.locator("#events tbody tr.event-row")
    sync_api.expect(row).to_have_count(1)
    row.click()
    page.wait_for_selector("#detail blockquote.evidence")
    page.locator("#detail details summary").click()
    text = page.locator("#detail .article-text").inner_text()
    assert "<script>window.__pwned = 1; alert(1)</script>" in text
    assert '<img src=x onerror="window.__pwned = 2">' in text
    title = page.locator("#detail .mention h4").inner_text()
    assert "<script>alert(2)</script>" in title
    assert page.locator("#detail .mention h4 a").count() == 0  # javascript: URL is not made a link
    assert page.locator("#detail script, #detail img, #detail b").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == []


def test_ingest_dialog_reports_errors_per_file(page, server, tmp_path: Path) -> None:  # noqa: ANN001
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 50)
    _load(page, server)
    page.click("#open-ingest")
    page.set_input_files("#ingest-files", [str(empty), str(binary)])
    page.click("#ingest-form button[type=submit]")
    sync_api.expect(page.locator("#ingest-progress")).to_have_js_property("value", 2, timeout=60_000)
    results = page.locator("#ingest-results li").all_inner_texts()
    assert len(results) == 2
    assert "empty" in results[0] and "error" in results[0]
    assert "binary" in results[1]


def test_timeline_is_a_time_axis_with_gaps(page, server) -> None:  # noqa: ANN001
    # Kenya acts on 2026-03-09 (twice) and 2026-03-15: six days apart, the bars must be six days apart too.
    _load(page, server, "?actor=KEN")
    bars = page.locator("#timeline rect.bar")
    sync_api.expect(bars).to_have_count(2)
    assert "per day" in page.locator("#timeline-unit").inner_text()
    x = sorted(float(bars.nth(i).get_attribute("x")) for i in range(2))
    # first and last of seven days: 6/7 of the 752-unit plot apart (two bars side by side would be 1/2)
    assert x[1] - x[0] > 0.75 * 752, "days without events must show as a gap"
    bars.last.click()  # a bar filters to its days
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(1)
    assert "since=2026-03-15" in page.url and "until=2026-03-15" in page.url


def test_graph_node_click_filters_by_that_actor(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    page.locator("#graph g.node", has_text="ETH").click()
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(3)
    assert "actor=ETH" in page.url
    assert page.locator("#f-actor").input_value() == "ETH"


def test_bad_filter_value_is_reported_on_the_page(page, server) -> None:  # noqa: ANN001
    page.goto(f"{server}/?since=2026-03-20&until=2026-03-01")
    sync_api.expect(page.locator("#status")).to_contain_text("until")
    assert "error" in page.locator("#status").get_attribute("class")


@pytest.mark.slow
def test_pasted_article_is_ingested_with_progress_and_listed(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    page.click("#open-ingest")
    page.fill("#ingest-text", "Tanzania deployed 250 soldiers to the border town of Namanga on Monday, the defence "
                              "ministry in Dodoma said on Tuesday.")
    page.fill("#ingest-form input[name=title]", "Tanzania sends soldiers to Namanga")
    page.fill("#ingest-form input[name=published]", "2026-03-17")
    page.click("#ingest-form button[type=submit]")
    sync_api.expect(page.locator("#ingest-progress")).to_have_js_property("value", 1, timeout=120_000)
    result = page.locator("#ingest-results li").inner_text()
    assert "stored" in result and "error" not in result
    assert page.locator("#ingest-count").inner_text() == "1 of 1 done"
    page.click("#close-ingest")
    page.fill("#q", "Namanga")
    page.press("#q", "Enter")
    sync_api.expect(page.locator("#events tbody tr.event-row")).not_to_have_count(0)
    page.locator("#events tbody tr.event-row").first.click()
    page.wait_for_selector("#detail blockquote.evidence mark.hl-trigger")
    assert "Namanga" in page.locator("#detail blockquote.evidence").inner_text()
