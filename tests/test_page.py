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


def _serve(db: str) -> Iterator[str]:
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
def merged_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo store after the stories stage, one merged event given a conflict as the stage writes them."""
    from sqlalchemy import update

    from eventwire import stories
    from eventwire.store import Store
    from eventwire.store.schema import events

    db = str(tmp_path_factory.mktemp("merged") / "merged.db")
    keys = build_demo_store(db)
    stories.update(Store(db), list(keys.values()))
    with Store(db).engine.begin() as conn:
        conn.execute(update(events).where(events.c.type == "MOBILIZE").values(
            conflicts=["reports differ on the troops: 400 to 450"]))
    yield from _serve(db)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("page") / "page.db")
    hostile = make_record("hostile-1", HOSTILE, title="<b>Hostile</b> <script>alert(2)</script> headline",
                          outlet="Bad<i>Outlet</i>", published="2026-03-16", url="javascript:alert(3)",
                          entities=[("Kenya", "GPE", "KEN", None), ("Garissa", "GPE", "KEN", None)],
                          events=[EventSpec("MOBILIZE", "deployed", "Kenya", None, "2026-03-15", "on Monday",
                                            ("Garissa", "KEN", -0.45, 39.65))])
    build_demo_store(db, extra=[hostile])
    yield from _serve(db)


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
    page.wait_for_selector("#map .event-cluster, #map path.event-dot")
    page.wait_for_selector("#map[data-countries]")  # the bundled basemap is drawn


def _zoom(page) -> float:  # noqa: ANN001
    return page.evaluate("state.map.getZoom()")


def _wait_zoom_above(page, level: float, timeout_s: float = 10, below: bool = False) -> None:  # noqa: ANN001
    """Polled from here: the page's CSP forbids the eval that wait_for_function would need."""
    deadline = time.time() + timeout_s
    while (_zoom(page) >= level) if below else (_zoom(page) <= level):
        assert time.time() < deadline, f"zoom stayed at {_zoom(page)}"
        page.wait_for_timeout(100)
    page.wait_for_timeout(300)  # the zoom animation ends


def test_overview_draws_timeline_map_graph_and_list(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    assert page.locator("#events tbody tr.event-row").count() == 11
    assert page.locator("#timeline rect.bar").count() >= 6
    assert int(page.locator("#map").get_attribute("data-countries")) > 200  # Natural Earth countries, bundled
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
    assert "Namanga" in " ".join(page.locator("#detail blockquote.evidence").all_inner_texts())


# -- the map: Leaflet over the bundled basemap ---------------------------------------------------------------


def test_map_zooms_with_the_wheel_and_the_buttons_and_labels_as_it_goes(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    start = _zoom(page)
    assert start < 3
    assert page.locator("#map .country-label span:visible").count() == 0  # a world view: no names yet
    page.click("#map .leaflet-control-zoom-in")  # the buttons
    _wait_zoom_above(page, start)
    page.click("#map .leaflet-control-zoom-out")
    _wait_zoom_above(page, start + 0.5, below=True)
    assert _zoom(page) == start
    target = page.locator("#map .event-cluster").first.bounding_box()  # the wheel, over a cluster: it zooms there
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2)
    for _ in range(8):
        if _zoom(page) >= 5:
            break
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(400)
    assert _zoom(page) >= 5
    assert page.locator("#map .country-label span:visible").count() > 0
    labels = page.locator("#map .leaflet-tooltip.place-label:visible").all_inner_texts()
    assert any("(" in t and "event" in t for t in labels), labels  # single places named with their counts
    assert page.outside == []


def test_clicking_a_cluster_zooms_in_and_filters_the_page(page, server) -> None:  # noqa: ANN001
    _load(page, server)
    shown = page.locator("#events tbody tr.event-row").count()  # 11, more once the slow ingest test has run
    clusters = page.locator("#map .event-cluster")
    counts = [int(t) for t in clusters.all_inner_texts()]
    assert len(counts) >= 2  # east Africa and Peru, far apart
    start = _zoom(page)
    biggest = max(counts)
    clusters.nth(counts.index(biggest)).click()
    page.wait_for_url("**bbox=**")
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(biggest)
    assert _zoom(page) > start + 2
    where = page.locator("#events tbody tr.event-row td:nth-child(5)").all_inner_texts()
    assert "Cusco" not in where and "Lima" not in where  # the other cluster's events are filtered out
    assert page.locator("#f-bbox").input_value() != ""
    assert page.locator("#timeline rect.bar").count() >= 1  # the rest of the page follows
    page.click("#reset")
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(shown)
    assert "bbox" not in page.url


def test_clicking_a_place_filters_to_its_events(page, server) -> None:  # noqa: ANN001
    _load(page, server, "?bbox=-72.5,-14,-71.5,-13")  # around Cusco: zoomed in, one place
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(2)
    assert _zoom(page) >= 7
    assert "Cusco (PER)" in page.locator("#map .leaflet-tooltip.place-label").inner_text()
    page.locator("#map path.event-dot").click()
    page.wait_for_url("**bbox=-71.98*")
    sync_api.expect(page.locator("#events tbody tr.event-row")).to_have_count(2)


# -- page details ---------------------------------------------------------------------------------------------


def test_dates_are_shown_in_words_with_their_precision(page, server) -> None:  # noqa: ANN001
    _load(page, server, "?type=CONSULT")
    cell = page.locator("#events tbody tr.event-row td.date")
    assert cell.inner_text() == "14 March 2026"
    assert cell.get_attribute("title") == "2026-03-14 (day)"
    words = page.evaluate("""["2024-11-16TAF", "2024-11", "2024-W46", "2024", "199X", "2024-SU", "PAST_REF", null,
                              "2024-11-16T14:30", "2024-Q3", "garbled"].map((v) => describeDate(v))""")
    assert [(w["text"], w["precision"]) for w in words] == [
        ("16 November 2024, afternoon", "part of a day"), ("November 2024", "month"), ("week 46 of 2024", "week"),
        ("2024", "year"), ("the 1990s", "decade"), ("summer 2024", "season"), ("in the past (vague)", "vague"),
        ("not dated", "none"), ("16 November 2024, 14:30", "time"), ("quarter 3 of 2024", "quarter"),
        ("as written: garbled", "unknown")]
    page.locator("#events tbody tr.event-row").click()
    page.wait_for_selector("#detail h3")
    assert "14 March 2026" in page.locator("#detail h3").first.inner_text()
    assert "null" not in page.locator("#detail").inner_text()  # no stories stage: nothing absent is printed


def test_sorting_by_date_sources_and_type_is_kept_in_the_url(page, server) -> None:  # noqa: ANN001
    _load(page, server, "?sort=type")
    types = page.locator("#events tbody tr.event-row td:nth-child(2)").all_inner_texts()
    assert types == sorted(types)
    assert page.locator('#events th[data-sort="type"]').get_attribute("aria-sort") == "ascending"
    assert "sort=type" in page.url and "sort=type" in page.locator("#dl-csv").get_attribute("href")
    page.click('#events th[data-sort="date"] button')
    page.wait_for_url("**sort=-date**")
    sync_api.expect(page.locator('#events th[data-sort="date"]')).to_have_attribute("aria-sort", "descending")
    page.click('#events th[data-sort="date"] button')
    page.wait_for_url("**sort=date**")
    sync_api.expect(page.locator("#events tbody tr.event-row td.date").first).to_have_text("9 March 2026")
    page.click('#events th[data-sort="sources"] button')
    page.wait_for_url("**sort=-sources**")
    page.select_option("#f-actor", "KEN")  # a filter keeps the sort
    page.wait_for_url("**actor=KEN**")
    assert "sort=-sources" in page.url


def test_a_phone_wide_page_does_not_overflow_sideways(browser, server) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    pg = ctx.new_page()
    try:
        _load(pg, server)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in ("header.top", "#map", "#events", "#filters", "#timeline"):
            box = pg.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["width"] > 0, selector
        assert pg.locator("#map").bounding_box()["x"] + pg.locator("#map").bounding_box()["width"] <= 390
    finally:
        ctx.close()


def test_a_form_on_another_origin_cannot_ingest(browser, server) -> None:  # noqa: ANN001
    """The CSRF case as a browser makes it: a page elsewhere auto-submits a form to the server."""
    import json
    import urllib.request

    def total() -> int:
        with urllib.request.urlopen(f"{server}/api/articles") as resp:  # noqa: S310 - the test's own server
            return json.load(resp)["total"]

    before = total()
    ctx = browser.new_context()
    pg = ctx.new_page()
    try:
        answers = []
        pg.on("response", lambda r: answers.append(r.status) if "/api/ingest" in r.url else None)
        pg.set_content(f"""<form id=f method=post action="{server}/api/ingest" enctype="multipart/form-data">
            <input name=text value="Kenya deployed 900 soldiers to Wajir on Monday, officials said."></form>""")
        with pg.expect_navigation():
            pg.evaluate("document.getElementById('f').submit()")
        assert answers == [403]
        assert "cross-" in pg.content()
    finally:
        ctx.close()
    assert total() == before


def test_event_panel_shows_sources_copies_why_merged_and_conflicts(browser, merged_server) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = ctx.new_page()
    try:
        _load(pg, merged_server, "?type=MOBILIZE")
        pg.locator("#events tbody tr.event-row").first.click()
        pg.wait_for_selector("#detail .why-merged")
        detail = pg.locator("#detail").inner_text()
        assert "2 independent sources, 2 reports" in detail
        assert "Why merged:" in detail
        assert "reports differ on the troops: 400 to 450" in pg.locator("#detail .conflicts li").inner_text()
        assert "null" not in detail and "undefined" not in detail
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def languages_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo store with two articles marked as stored uncoded, in French and in Spanish."""
    from sqlalchemy import update

    from eventwire.store import Store
    from eventwire.store.schema import articles

    db = str(tmp_path_factory.mktemp("languages") / "languages.db")
    keys = build_demo_store(db)
    with Store(db).engine.begin() as conn:
        for rid, language in (("demo-1", "fr"), ("demo-2", "es")):
            conn.execute(update(articles).where(articles.c.key == keys[rid]).values(language=language))
    yield from _serve(db)


def test_articles_in_other_languages_are_listed_and_filtered_by_language(browser, languages_server) -> None:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = ctx.new_page()
    try:
        pg.goto(f"{languages_server}/")
        pg.wait_for_selector("#uncoded tbody tr.uncoded-row")
        assert pg.locator("#uncoded tbody tr.uncoded-row").count() == 2
        assert sorted(pg.locator("#f-language option").all_inner_texts()) == ["any", "es (1)", "fr (1)"]
        pg.select_option("#f-language", "es")
        deadline = time.time() + 10
        while pg.locator("#uncoded tbody tr.uncoded-row").count() != 1:
            assert time.time() < deadline, "the language filter did not narrow the list"
            pg.wait_for_timeout(100)
        assert pg.locator("#uncoded tbody tr.uncoded-row td").first.inner_text() == "es"
        assert pg.locator("#uncoded-total").inner_text() == "1 article"
    finally:
        ctx.close()
