"""End-to-end test of the web workbench in headless Chromium (Playwright, Debian's chromium).

Starts `marsad serve --sample` on a free port, opens the printed link (with its token) and works
through the analyst's path: map and table, filters, an event's highlighted evidence, edit,
reject, CSV export, merged sources and unmerge, hostile article markup, and the token prompt.
Every request must stay on the local server.

Skips without /usr/bin/chromium or without the built web assets (`npm ci --prefix web && npm
run build --prefix web`), unless MARSAD_REQUIRE_BROWSER=1, which turns those skips into failures.
Screenshots go to $MARSAD_SCREENSHOTS (default: a temporary directory).
"""
from __future__ import annotations

import csv
import io
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from marsad.exports import ACLED_COLUMNS

CHROMIUM = Path(os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium"))
REQUIRE = os.environ.get("MARSAD_REQUIRE_BROWSER") == "1"
STATIC = Path(__file__).resolve().parents[1] / "src" / "marsad" / "web" / "static"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_SECONDS = 180
MARKER_IN_VIEW = """(id) => {
    const m = document.querySelector('.ev-marker-' + id);
    if (!m) return false;
    const box = document.querySelector('#map').getBoundingClientRect(), r = m.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    return x > box.left && x < box.right && y > box.top && y < box.bottom && m.getAttribute('stroke-width') === '3';
}"""


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"MARSAD_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def _check_prerequisites() -> None:
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright Python package is not installed (pip install -e '.[test]')")
    missing = [p for p in ("vendor/leaflet/leaflet.js", "boundaries/countries.geojson", "boundaries/admin1.geojson")
               if not (STATIC / p).is_file()]
    if missing:
        _unavailable(f"the web assets are not built ({', '.join(missing)} missing): "
                     "run `npm ci --prefix web && npm run build --prefix web`")


# ---- the server ------------------------------------------------------------------------------

class Server:
    def __init__(self, url: str, proc: subprocess.Popen, output: list[str]):
        parts = urllib.parse.urlsplit(url)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.token = urllib.parse.parse_qs(parts.fragment)["token"][0]
        self.link = url
        self.proc = proc
        self.output = output

    def get(self, path: str, **params) -> dict:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.base}{path}{'?' + query if query else ''}", timeout=30) as r:
            return json.loads(r.read())

    def raw(self, path: str) -> bytes:
        with urllib.request.urlopen(f"{self.base}{path}", timeout=30) as r:
            return r.read()

    def post(self, path: str, body: dict, method: str = "POST") -> dict:
        req = urllib.request.Request(f"{self.base}{path}", data=json.dumps(body).encode(), method=method,
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {self.token}"})
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def article_text(self, article_id: int) -> str:
        return self.get(f"/api/articles/{article_id}")["text"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    _check_prerequisites()
    tmp = tmp_path_factory.mktemp("workbench")
    env = dict(os.environ, MARSAD_DATA_DIR=str(tmp / "data"), PYTHONUNBUFFERED="1")
    env.pop("MARSAD_DB", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--sample", "--db", str(tmp / "wb.sqlite"), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str | None] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        for line in proc.stdout:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    url = None
    deadline = time.monotonic() + STARTUP_SECONDS
    while url is None and time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        if line is None:
            break
        m = re.search(r"Workbench: (http://\S+#token=\S+)", line)
        if m:
            url = m.group(1)
    if url is None:
        proc.kill()
        pytest.fail("marsad serve printed no Workbench link:\n" + "".join(output), pytrace=False)
    srv = Server(url, proc, output)
    for _ in range(100):  # listening is announced before uvicorn accepts; wait for it
        try:
            srv.get("/api/facets")
            break
        except OSError:
            time.sleep(0.1)
    yield srv
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    d = Path(os.environ.get("MARSAD_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory):
    from playwright.sync_api import sync_playwright
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        # A persistent context gives the browser a fresh user-data dir of its own. The page's
        # Content-Security-Policy is bypassed: Playwright's wait_for_function needs eval, and the
        # markup test must show that the page escapes article text without the CSP's help.
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900}, accept_downloads=True, locale="en-US", bypass_csp=True)
        yield ctx
        ctx.close()


class Watch:
    """Requests that left the local server, page errors and console errors."""

    def __init__(self, server: Server):
        self.local = urllib.parse.urlsplit(server.base).netloc
        self.external: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []

    def route(self, route) -> None:
        url = route.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob") or (parts.scheme in ("http", "https") and parts.netloc == self.local):
            self.requests.append(url)
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def check(self) -> None:
        assert self.external == [], f"requests left the machine: {self.external}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def page(browser, server):
    watch = Watch(server)
    pg = browser.new_page()
    pg.route("**/*", watch.route)
    pg.on("pageerror", lambda e: watch.errors.append(f"pageerror: {e}"))
    pg.on("console", lambda m: watch.errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.watch = watch
    yield pg
    pg.close()
    watch.check()


def open_workbench(page, server: Server, fragment: str | None = None) -> None:
    page.goto(server.link)
    page.wait_for_selector("tr.ev-row")
    page.wait_for_selector("path.ev-marker")
    page.wait_for_function("document.body.dataset.ready === '1'")
    if fragment:
        page.evaluate("f => { location.hash = f; }", fragment)


def snap(page, path: Path) -> None:
    """A screenshot once the map has finished zooming."""
    page.wait_for_function("!document.querySelector('.leaflet-zoom-anim')")
    page.wait_for_timeout(150)
    page.screenshot(path=str(path))


def table_ids(page) -> list[int]:
    return [int(x) for x in page.eval_on_selector_all("tr.ev-row", "rows => rows.map(r => r.dataset.id)")]


def wait_rows(page, predicate_js: str, timeout: float = 15000) -> None:
    page.wait_for_function(f"() => {{ const rows = Array.from(document.querySelectorAll('tr.ev-row')); "
                           f"return rows.length > 0 && ({predicate_js}); }}", timeout=timeout)


def open_event(page, event_id: int) -> None:
    page.evaluate("id => { location.hash = 'event=' + id; }", event_id)
    wait_detail(page, event_id)


def wait_detail(page, event_id: int) -> None:
    page.wait_for_selector(f".detail-head[data-event-id='{event_id}']")
    page.wait_for_selector(".article-text")


def evidence_texts(server: Server, detail: dict, article_id: int) -> list[str]:
    text = server.article_text(article_id)
    spans = sorted(tuple(s) for c in detail["claims"] if c["article_id"] == article_id
                   for s in c["event"]["evidence_spans"])
    return [text[s:e] for s, e in spans]


# ---- the tests ---------------------------------------------------------------------------------

def test_loads_map_table_and_keeps_token_out_of_the_address_bar(page, server, shots):
    open_workbench(page, server)
    total = server.get("/api/events", limit=1)["total"]
    assert total > 50
    assert page.locator("#summary-events").inner_text().replace(",", "") == str(total)
    # the token moved from the address bar into sessionStorage
    assert "token" not in page.url
    assert page.evaluate("sessionStorage.getItem('marsad.token')") == server.token
    page.wait_for_selector(".who-ok")
    # markers: one per placed event, coloured by type; boundaries drawn; no tile layer
    placed = sum(1 for e in server.get("/api/events", limit=5000)["data"] if e["latitude"] is not None)
    assert page.locator("path.ev-marker").count() == placed
    assert page.locator(".leaflet-tile").count() == 0
    page.wait_for_selector("#map.map-ready")
    assert page.locator(".map-label-country").count() > 10
    # timeline bars and the table's first page
    assert page.locator(".tl-bar").count() > 5
    assert len(table_ids(page)) == min(50, total)
    snap(page, shots / "01-overview.png")


def test_filters_change_table_map_and_export_links(page, server, shots):
    open_workbench(page, server)
    battles = server.get("/api/events", event_type="Battles", limit=5000)
    page.click("label[data-value='Battles'] input")
    wait_rows(page, f"rows.length === {min(50, battles['total'])} && "
                    "rows.every(r => r.querySelector('.cell-type').title.startsWith('Battles /'))")
    assert set(table_ids(page)) <= {e["id"] for e in battles["data"]}
    assert page.locator("#summary-events").inner_text() == str(battles["total"])
    assert page.locator("path.ev-marker").count() == sum(1 for e in battles["data"] if e["latitude"] is not None)
    assert "type=Battles" in page.url
    csv_link = page.get_attribute("a.export-link[data-format=csv]", "href")
    assert "event_type=Battles" in csv_link and "format=csv" in csv_link
    # a second filter: Syria only
    page.click("label[data-value='Syria'] input")
    both = server.get("/api/events", event_type="Battles", country="Syria", limit=5000)
    page.wait_for_function(f"document.querySelector('#summary-events').textContent === '{both['total']}'")
    assert set(table_ids(page)) <= {e["id"] for e in both["data"]}
    snap(page, shots / "02-filtered.png")
    # sortable columns: fatalities, most first, then fewest first
    page.click("th button[data-sort=fatalities]")
    most = max(e["fatalities"] for e in both["data"])
    wait_rows(page, f"rows[0].querySelector('.col-fatalities').textContent === '{most}'")
    page.click("th button[data-sort=fatalities]")
    least = min(e["fatalities"] for e in both["data"])
    wait_rows(page, f"rows[0].querySelector('.col-fatalities').textContent === '{least}'")
    assert page.get_attribute("th.col-fatalities", "aria-sort") == "ascending"
    # the timeline: click the tallest bar -> its dates become the filter
    page.click("#f-reset")
    total = server.get("/api/events", limit=1)["total"]
    page.wait_for_function(f"document.querySelector('#summary-events').textContent === '{total}'")
    tl = server.get("/api/timeline")
    top = max(tl["data"], key=lambda d: d["events"])
    bar = page.locator(f".tl-bar[data-date='{top['date']}'] .tl-rect")
    bar.click()
    page.wait_for_function(f"document.querySelector('#summary-events').textContent === '{top['events']}'")
    assert page.input_value("#f-from") == top["date"]
    assert f"from={top['date']}" in page.url
    snap(page, shots / "03-timeline-filter.png")


def api_ids(server: Server, **params) -> list[int]:
    return [e["id"] for e in server.get("/api/events", fields="id", **params)["data"]]


def events_requests(page) -> list[dict[str, str]]:
    """The query of every /api/events request the page made (JSON ones: no format)."""
    out = []
    for url in page.watch.requests:
        parts = urllib.parse.urlsplit(url)
        if parts.path == "/api/events":
            out.append(dict(urllib.parse.parse_qsl(parts.query)))
    return out


def test_table_sorts_and_pages_on_the_server(page, server, shots):
    open_workbench(page, server)
    total = server.get("/api/events", limit=1)["total"]
    assert total > 100, "the sample needs three pages for this test"
    # the table asks for one page, the map for compact rows: nothing fetches every full row
    asked = events_requests(page)
    assert any(q.get("limit") == "50" and q.get("page") == "1" for q in asked)
    assert all(q.get("limit") == "50" or "latitude" in q.get("fields", "").split(",") for q in asked), asked
    assert all("fields" in q for q in asked)
    assert table_ids(page) == api_ids(server, limit=50)

    # a header the old client-side sort never had to ask for: location, A to Z, then Z to A
    first = api_ids(server, sort="location", limit=50)
    page.click("th button[data-sort=location]")
    wait_rows(page, f"rows[0].dataset.id === '{first[0]}' && rows.length === {len(first)}")
    assert table_ids(page) == first
    assert page.get_attribute("th.col-location", "aria-sort") == "ascending"
    assert any(q.get("sort") == "location" and q.get("limit") == "50" for q in events_requests(page))
    assert "sort=location" in page.url
    last = api_ids(server, sort="-location", limit=50)
    page.click("th button[data-sort=location]")
    wait_rows(page, f"rows[0].dataset.id === '{last[0]}'")
    assert table_ids(page) == last
    assert page.get_attribute("th.col-location", "aria-sort") == "descending"
    # the type column sorts by type, then sub-event type
    by_type = api_ids(server, sort="event_type,sub_event_type", limit=50)
    page.click("th button[data-sort=sub_event_type]")
    wait_rows(page, f"rows[0].dataset.id === '{by_type[0]}'")
    assert table_ids(page) == by_type

    # paging: the next page is the API's page 2 in the same order; the page box jumps
    page.click("th button[data-sort=fatalities]")  # most first
    second = api_ids(server, sort="-fatalities", limit=50, page=2)
    page.wait_for_function("document.querySelector('th.col-fatalities').getAttribute('aria-sort') === 'descending'")
    wait_rows(page, f"rows[0].dataset.id === '{api_ids(server, sort='-fatalities', limit=1)[0]}'")
    page.click("#page-next")
    wait_rows(page, f"rows[0].dataset.id === '{second[0]}'")
    assert table_ids(page) == second
    assert "rows 51–100" in page.inner_text(".table-info")
    pages = (total + 49) // 50
    assert page.inner_text(".pager").replace("\n", " ").count(f"of {pages}") == 1
    page.fill("#page-input", str(pages))
    page.press("#page-input", "Enter")
    final = api_ids(server, sort="-fatalities", limit=50, page=pages)
    wait_rows(page, f"rows[0].dataset.id === '{final[0]}'")
    assert table_ids(page) == final
    assert page.is_disabled("#page-next")
    snap(page, shots / "03b-sorted-last-page.png")

    # j / k go on across pages: the last row of page 1, j -> the first of page 2, k -> back
    page.click("#page-first")
    one = api_ids(server, sort="-fatalities", limit=50, page=1)
    wait_rows(page, f"rows[0].dataset.id === '{one[0]}'")
    page.click(f"tr.ev-row[data-id='{one[-1]}']")
    wait_detail(page, one[-1])
    page.click(".detail-head h2")
    page.keyboard.press("j")
    wait_detail(page, second[0])
    wait_rows(page, f"rows[0].dataset.id === '{second[0]}'")
    assert page.get_attribute(f"tr.ev-row[data-id='{second[0]}']", "class").split().count("selected") == 1
    page.keyboard.press("k")
    wait_detail(page, one[-1])
    wait_rows(page, f"rows[0].dataset.id === '{one[0]}'")

    # the sort is in the address bar: a reload keeps it
    page.reload()
    wait_rows(page, f"rows[0].dataset.id === '{one[0]}'")
    assert page.get_attribute("th.col-fatalities", "aria-sort") == "descending"


def test_event_evidence_highlight_and_edit(page, server, shots):
    open_workbench(page, server)
    # a row of the table whose fatalities figure has a span in its article
    detail = next(d for d in (server.get(f"/api/events/{i}") for i in table_ids(page))
                  if d["fatalities"] > 0 and d["n_articles"] == 1
                  and any(c["event"].get("fatalities_span") and c["event"].get("location_span") for c in d["claims"]))
    eid = detail["id"]
    page.click(f"tr.ev-row[data-id='{eid}']")
    wait_detail(page, eid)
    page.wait_for_selector(".article-text .ev-sentence")
    # the map brings the event into view, ringed
    page.wait_for_function(MARKER_IN_VIEW, arg=eid)
    article_id = detail["claims"][0]["article_id"]
    expected = evidence_texts(server, detail, article_id)
    shown = page.eval_on_selector_all(".article-text .ev-sentence", "els => els.map(e => e.textContent)")
    assert shown == expected and shown
    # the article is right to left, in Arabic
    assert page.get_attribute(".article-text", "dir") == "rtl"
    assert page.get_attribute(".article-text", "lang") == "ar"
    # each linked field points at its span: click Fatalities -> its span flashes
    text = server.article_text(article_id)
    claim = next(c for c in detail["claims"] if c["article_id"] == article_id and c["event"].get("fatalities_span"))
    s, e = claim["event"]["fatalities_span"]
    flashed = "els => els.map(e => e.textContent).join('')"
    page.click(".field[data-field=fatalities]")
    assert text[s:e] in page.eval_on_selector_all(".article-text .flash", flashed)
    page.click(".field[data-field=location]")
    ls, le = claim["event"]["location_span"]
    assert text[ls:le] in page.eval_on_selector_all(".article-text .flash", flashed)
    assert page.locator(".article-text .m-location.flash").count() >= 1
    page.wait_for_timeout(300)
    snap(page, shots / "04-event.png")

    # edit the fatalities
    new = detail["fatalities"] + 2
    page.click("#btn-edit")
    page.fill("#edit-fatalities", str(new))
    page.fill("#edit-comment", "later figure from the civil defence")
    snap(page, shots / "05-edit-form.png")
    page.click("#edit-save")
    page.wait_for_selector(".audit-entry[data-action=edit] li[data-key=fatalities]")
    assert page.inner_text(".fatalities-value") == str(new)
    assert page.inner_text(".detail-badges .badge") == "edited"
    entry = page.inner_text(".audit-entry[data-action=edit]")
    assert f"{detail['fatalities']} → {new}" in entry.replace("\n", " ")
    assert "later figure" in entry
    after = server.get(f"/api/events/{eid}")
    assert after["fatalities"] == new and after["status"] == "edited"
    assert after["audit"][-1]["after"]["fatalities"] == new
    # the table row shows the new value
    wait_rows(page, f"rows.some(r => r.dataset.id === '{eid}' "
                    f"&& r.querySelector('.col-fatalities').textContent === '{new}')")
    snap(page, shots / "06-edited.png")

    # an invalid value is refused and changes nothing
    page.click("#btn-edit")
    page.fill("#edit-latitude", "123")
    page.click("#edit-save")
    page.wait_for_selector(".msg-error")
    assert "latitude" in page.inner_text(".msg-error")
    page.click("#edit-cancel")
    assert server.get(f"/api/events/{eid}")["latitude"] == after["latitude"]


def test_other_events_of_the_article_are_marked_and_open(page, server):
    article = next(a for a in (server.get(f"/api/articles/{i}") for i in range(1, 40)) if len(a["claims"]) >= 3)
    first, second = article["claims"][0]["event_id"], article["claims"][1]["event_id"]
    open_workbench(page, server)
    open_event(page, first)
    page.wait_for_selector(f".ev-other[data-events~='{second}']")
    page.click(f".ev-other[data-events~='{second}']")
    wait_detail(page, second)
    assert f"event={second}" in page.url


def test_confirm_reject_and_export_csv(page, server, shots, tmp_path):
    open_workbench(page, server)
    ids = table_ids(page)
    confirm_id, reject_id = ids[3], ids[4]
    page.click(f"tr.ev-row[data-id='{confirm_id}']")
    wait_detail(page, confirm_id)
    page.click("#btn-confirm")
    page.wait_for_selector(".detail-badges .badge-confirmed")
    page.wait_for_selector(".audit-entry")
    assert server.get(f"/api/events/{confirm_id}")["status"] == "confirmed"

    # keyboard: j opens the next row (the table is in the same order), x asks for a reason
    page.click(".detail-head h2")
    page.keyboard.press("j")
    wait_detail(page, reject_id)
    page.keyboard.press("x")
    page.fill("#reject-comment", "duplicate of another report")
    page.click("#btn-reject-go")
    page.wait_for_selector(".detail-badges .badge-rejected")
    assert server.get(f"/api/events/{reject_id}")["status"] == "rejected"
    # rejected events leave the default list, and come back with the status filter
    wait_rows(page, f"!rows.some(r => r.dataset.id === '{reject_id}')")
    snap(page, shots / "07-rejected.png")

    # export CSV of the current filters: the ACLED columns, one row per listed event
    with page.expect_download() as info:
        page.click("a.export-link[data-format=csv]")
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ACLED_COLUMNS
    total = server.get("/api/events", limit=1)["total"]
    assert len(rows) - 1 == total
    col = rows[0].index("event_id_cnty")
    exported = {int(re.sub(r"\D", "", r[col])) for r in rows[1:]}
    assert reject_id not in exported and confirm_id in exported

    page.click("label[data-value='rejected'] input")
    wait_rows(page, f"rows.some(r => r.dataset.id === '{reject_id}' && r.classList.contains('row-rejected'))")


def test_merged_sources_have_tabs_and_unmerge(page, server, shots):
    # a second outlet's report of a sample incident: stored, then merged into the existing event
    added = server.post("/api/articles", {
        "text": "إدلب - المرصد\n\nقُتل مدنيان جراء غارات جوية روسية استهدفت قرية فليفل في جبل الزاوية جنوبي "
                "إدلب، أمس الثلاثاء، بحسب ما أفاد الدفاع المدني السوري. وقال ناشطون إن الغارات طالت أطراف القرية.",
        "published": "2021-09-08", "outlet": "Test Observatory", "title": "غارات روسية على فليفل"})
    merged = [e for e in server.get("/api/events", limit=5000)["data"] if e["n_articles"] > 1]
    assert merged, f"the second report was not merged: {added}"
    event = server.get(f"/api/events/{merged[0]['id']}")
    open_workbench(page, server)
    open_event(page, event["id"])
    assert page.locator(".tabs .tab").count() == len(event["articles"]) == 2
    second = event["articles"][1]["id"]
    page.click(f".tab[data-article='{second}']")
    page.wait_for_selector(f".article[data-article='{second}'] .ev-sentence")
    shown = page.eval_on_selector_all(".article-text .ev-sentence", "els => els.map(e => e.textContent)")
    assert shown == evidence_texts(server, event, second)
    page.wait_for_selector(".merge-note .btn-unmerge")
    snap(page, shots / "08-merged-sources.png")
    page.click(".merge-note .btn-unmerge")
    page.wait_for_selector(".msg-ok:has-text('Unmerged')")
    assert page.locator(".tabs .tab").count() == 0
    restored = server.get(f"/api/events/{event['id']}")
    assert len(restored["articles"]) == 1 and restored["merges"][-1]["undone_at"]
    assert page.locator(".merges li.undone").count() == 1


def hover_marker(page, event_id: int, seconds: float = 15.0) -> None:
    """Hover the event's marker until its own tooltip shows: while the map still flies to the
    event, the pointer can land on a neighbour's marker."""
    deadline = time.monotonic() + seconds
    while True:
        page.hover(f".ev-marker-{event_id}", force=True)
        page.wait_for_selector(".leaflet-tooltip")
        if f"#{event_id} " in page.inner_text(".leaflet-tooltip") or time.monotonic() > deadline:
            return
        page.mouse.move(0, 0)
        page.wait_for_timeout(200)


def test_article_markup_is_shown_as_text(page, server, shots):
    hostile = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
    title = '<b>عنوان</b><img src=y onerror="window.__xss=3">'
    added = server.post("/api/articles", {
        "text": f"دمشق - خاص\n\nقُتل ثلاثة مدنيين جراء قصف مدفعي لقوات النظام على مدينة أريحا جنوبي إدلب، "
                f"أمس الأحد، بحسب الدفاع المدني السوري. {hostile} وأضاف المصدر أن القصف طال الأحياء السكنية.",
        "published": "2023-03-06", "outlet": '<i onmouseover="window.__xss=4">Outlet</i>', "title": title,
        "url": "https://example.org/<b>story</b>?q=\"onerror=x"})
    assert added["event_ids"], added
    eid = added["event_ids"][0]
    open_workbench(page, server)
    open_event(page, eid)
    tab = page.locator(f".tab[data-article='{added['article_id']}']")
    if tab.count():  # the report was merged into another outlet's event
        tab.click()
    page.wait_for_selector(f".article[data-article='{added['article_id']}'] .article-text")
    text = page.inner_text(".article-text")
    assert "<img src=x onerror=" in text and "<script>window.__xss=2</script>" in text
    assert page.inner_text(".article-title") == title
    assert page.locator("#detail img, #detail script, #detail b, #detail i").count() == 0
    link = page.locator(".article-meta a")  # the URL is a plain link to its own address
    assert link.get_attribute("href").startswith("https://example.org/") and link.locator("b").count() == 0
    page.hover(".article-text")
    assert page.evaluate("window.__xss") is None
    assert not [u for u in page.watch.requests if u.endswith(("/x", "/y"))]
    snap(page, shots / "09-markup-as-text.png")

    # markup in the event's own fields (an analyst's edit) is text too: table, detail, map tooltip
    location = '<img src=z onerror="window.__xss=6">'
    server.post(f"/api/events/{eid}", {"location": location, "notes": "<script>window.__xss=7</script>"},
                method="PATCH")
    page.reload()
    page.wait_for_selector(".article-text")
    row = page.locator(f"tr.ev-row[data-id='{eid}']")
    assert location in row.inner_text()
    assert "<script>window.__xss=7</script>" in page.inner_text(".field[data-field=notes]")
    hover_marker(page, eid)
    assert location in page.inner_text(".leaflet-tooltip")
    assert page.locator("img, script:not([src])").count() == 0
    assert page.evaluate("window.__xss") is None
    assert not [u for u in page.watch.requests if u.endswith("/z")]


def test_without_a_token_the_write_controls_ask_for_one(browser, server, shots):
    watch = Watch(server)
    pg = browser.new_page()
    pg.route("**/*", watch.route)
    pg.on("pageerror", lambda e: watch.errors.append(str(e)))
    try:
        pg.goto(server.base + "/")
        pg.evaluate("sessionStorage.removeItem('marsad.token')")
        pg.reload()
        pg.wait_for_selector("tr.ev-row")
        pg.click("tr.ev-row")
        pg.wait_for_selector(".token-box")
        assert pg.locator("#btn-confirm").count() == 0
        assert "read-only" in pg.inner_text("#who")
        snap(pg, shots / "10-no-token.png")
        pg.fill("#token-input", "wrong-token")
        pg.click("#token-use")
        pg.wait_for_selector(".msg-error:has-text('not accepted')")
        pg.fill("#token-input", server.token)
        pg.click("#token-use")
        pg.wait_for_selector("#btn-confirm")
        pg.wait_for_selector(".who-ok")
    finally:
        pg.close()
    watch.check()


def test_missing_map_assets_are_reported(browser, server, shots):
    """Without the built vendor files the page still works and says how to build them."""
    watch = Watch(server)
    pg = browser.new_page()
    pg.route("**/*", watch.route)  # routes registered later are tried first
    pg.route("**/static/vendor/leaflet/**", lambda route: route.fulfill(status=404, body="missing"))
    try:
        pg.goto(server.link)
        pg.wait_for_selector(".map-missing")
        assert "npm run build" in pg.inner_text(".map-missing")
        pg.wait_for_selector("tr.ev-row")
        snap(pg, shots / "11-no-map-assets.png")
    finally:
        pg.close()
    assert watch.external == []
