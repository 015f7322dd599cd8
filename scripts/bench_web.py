#!/usr/bin/env python3
"""How fast the web workbench shows a large store, in headless Chromium.

    .venv/bin/python scripts/bench_web.py [--events 100000] [--db STORE] [--runs 3] [--shots DIR]

1. Builds a SQLite store of N events (scripts/load_api.py's build_store: the sample's events
   repeated over other dates and places), or reuses --db if that file exists.
2. Starts `marsad serve --db STORE --port 0` as a separate process.
3. Opens the printed link in headless Chromium (Debian's /usr/bin/chromium, driven by Python
   Playwright) and measures, from the start of the navigation:
   - first table row: the first `tr.ev-row` is in the page;
   - first map markers: the map reports markers (`#map[data-markers]` > 0);
   - map loaded: the map reports that every marker it will draw is drawn
     (`#map[data-map-loading]` is not "1"; a page that never sets it is done at its first markers);
   (timed in the page from the start of the navigation, at the next animation frame),
   then a filter change (event type Battles: until the table and the header show the API's
   answer, and until the map is done again) and a column sort (fatalities, most first: until the
   first row holds the API's largest figure), timed from the click by this script.
   It also prints the markers drawn, the bytes of /api/events answers of the first load and the
   page's JS heap at the end.
4. Prints the figures (median over --runs page loads, each in a fresh browser context, so
   nothing is cached), stops the server. The machine's other work shows in the figures: compare
   runs made side by side.
Only 127.0.0.1 is used. It prints figures; it is not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_api import start_server as serve  # noqa: E402

CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Timestamps taken in the page (performance.now(): milliseconds since the navigation started),
# at the first animation frame after the DOM shows each state, so closer to what is painted.
PROBE = """
(() => {
  const marks = {};
  window.__bench = marks;
  const stamp = (key) => { if (!(key in marks)) { marks[key] = -1; requestAnimationFrame(() => { marks[key] = performance.now(); }); } };
  const check = () => {
    if (document.querySelector('tr.ev-row')) stamp('row');
    const m = document.querySelector('#map');
    if (m && Number(m.dataset.markers || 0) > 0) {
      stamp('markers');
      if (m.dataset.mapLoading !== '1') stamp('mapdone');
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-markers', 'data-map-loading'] });
})();
"""

# The map is done when it has markers and is not loading more. Pages that do not say whether they
# are loading (data-map-loading never set) are done as soon as they have markers.
MAP_FIRST = "() => Number((document.querySelector('#map') || {dataset: {}}).dataset.markers || 0) > 0"
MAP_DONE = ("() => { const m = document.querySelector('#map'); "
            "return !!m && m.dataset.markers !== undefined && m.dataset.mapLoading !== '1'; }")


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    proc, link = serve(db)
    base = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(link))
    for _ in range(100):  # the link is printed before uvicorn accepts
        try:
            get(base, "/api/facets")
            break
        except OSError:
            time.sleep(0.1)
    return proc, link


def get(base: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode(params)
    with urllib.request.urlopen(f"{base}{path}{'?' + query if query else ''}", timeout=60) as r:
        return json.loads(r.read())


def fmt_int(n: int) -> str:
    return f"{n:,}"


def one_run(ctx, link: str, base: str, expect: dict, shot: Path | None, timeout_ms: int) -> dict[str, float]:
    page = ctx.new_page()
    out: dict[str, float] = {}
    requests: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: requests.append((r.url, (r.sizes() or {}).get("responseBodySize", 0))))
    page.add_init_script(PROBE)
    try:
        page.goto(link, wait_until="commit")
        page.wait_for_selector("tr.ev-row", timeout=timeout_ms)
        page.wait_for_function(MAP_FIRST, timeout=timeout_ms, polling=20)
        page.wait_for_function(MAP_DONE, timeout=timeout_ms, polling=20)
        page.wait_for_function("document.body.dataset.ready === '1'", timeout=timeout_ms)
        page.wait_for_function("Object.values(window.__bench).length === 3 && Object.values(window.__bench).every(v => v > 0)",
                               timeout=timeout_ms)
        marks = page.evaluate("window.__bench")
        out["first table row"] = marks["row"] / 1000
        out["first map markers"] = marks["markers"] / 1000
        out["map loaded"] = marks["mapdone"] / 1000
        out["markers drawn"] = float(page.evaluate("Number(document.querySelector('#map').dataset.markers || 0)"))
        out["events requested (MB)"] = sum(s for u, s in requests if "/api/events" in u) / 1e6
        if shot:
            page.wait_for_timeout(300)
            page.screenshot(path=str(shot))

        # a filter: event type Battles
        battles = fmt_int(expect["battles_total"])
        t1 = time.perf_counter()
        page.click("label[data-value='Battles'] input")
        page.wait_for_function(
            "([total]) => { const s = document.querySelector('#summary-events'); "
            "const rows = Array.from(document.querySelectorAll('tr.ev-row')); "
            "return s && s.textContent === total && rows.length > 0 && "
            "rows.every(r => r.querySelector('.cell-type').title.startsWith('Battles /')); }",
            arg=[battles], timeout=timeout_ms, polling=20)
        out["filter: table"] = time.perf_counter() - t1
        page.wait_for_function(
            "([n]) => { const m = document.querySelector('#map'); "
            "return m.dataset.mapLoading !== '1' && m.dataset.markers !== undefined && Number(m.dataset.markers) <= n; }",
            arg=[expect["battles_total"]], timeout=timeout_ms, polling=20)
        out["filter: map loaded"] = time.perf_counter() - t1

        # a sort: fatalities, most first
        most = fmt_int(expect["battles_most"])
        t2 = time.perf_counter()
        page.click("th button[data-sort=fatalities]")
        page.wait_for_function(
            "([most]) => { const r = document.querySelector('tr.ev-row'); "
            "return r && r.querySelector('.col-fatalities').textContent === most "
            "&& document.querySelector('th.col-fatalities').getAttribute('aria-sort') === 'descending'; }",
            arg=[most], timeout=timeout_ms, polling=20)
        out["sort: table"] = time.perf_counter() - t2
        out["JS heap (MB)"] = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize / 1e6 : 0")
    finally:
        page.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--db", type=Path, help="reuse this SQLite store, or build it there (default: a temporary one)")
    ap.add_argument("--runs", type=int, default=3, help="page loads to take the median of")
    ap.add_argument("--shots", type=Path, help="save a screenshot of the first load here (a folder)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds to wait for each step")
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("MARSAD_DATA_DIR", str(Path(tmp.name) / "data"))
    db = args.db or Path(tmp.name) / "web.sqlite"
    if not db.exists():
        from load_api import build_store
        t = time.perf_counter()
        build_store(db, args.events)
        print(f"built {db} with {args.events:,} events in {time.perf_counter() - t:.1f} s")

    from playwright.sync_api import sync_playwright

    proc, link = start_server(db)
    base = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(link))
    try:
        total = get(base, "/api/events", limit=1, fields="id")["total"]
        battles = get(base, "/api/events", event_type="Battles", limit=1, sort="-fatalities", fields="id,fatalities")
        expect = {"total": total, "battles_total": battles["total"], "battles_most": battles["data"][0]["fatalities"]}
        print(f"store: {db} ({total:,} listed events; Battles: {battles['total']:,}); {os.cpu_count()} CPUs")
        if args.shots:
            args.shots.mkdir(parents=True, exist_ok=True)
        runs: list[dict[str, float]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for i in range(args.runs):
                    # a fresh context per run: nothing cached from the previous one
                    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US", bypass_csp=True)
                    try:
                        shot = args.shots / "bench-overview.png" if args.shots and i == 0 else None
                        r = one_run(ctx, link, base, expect, shot, int(args.timeout * 1000))
                    finally:
                        ctx.close()
                    runs.append(r)
                    print(f"run {i + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in r.items()), flush=True)
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()

    print()
    print(f"{'median of ' + str(len(runs)) + ' runs':28} {'value':>9}")
    for key in runs[0]:
        vals = [r[key] for r in runs]
        unit = "" if "(" in key or key == "markers drawn" else " s"
        v = statistics.median(vals)
        print(f"{key:28} {v:9.0f}" if key == "markers drawn" else f"{key:28} {v:9.2f}{unit}")


if __name__ == "__main__":
    main()
