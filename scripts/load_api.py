#!/usr/bin/env python3
"""Latency of GET /api/events with 100,000 events in SQLite, against a running `marsad serve`.

    .venv/bin/python scripts/load_api.py [--events 100000] [--requests 2000] [--concurrency 2]

1. Builds a SQLite store (in a temporary folder, or --db) of N events: the events marsad extracts
   from the bundled sample articles, repeated with shifted dates, other places of the gazetteer
   and varied fatalities, inserted in bulk (the extraction itself is not what is measured).
2. Starts `marsad serve --db STORE --port 0` as a separate process and waits for it.
3. Sends a fixed number of requests from C client threads over keep-alive connections on
   loopback: a mix of what the web app and API users ask (first page, date range, country and
   admin1, event type, actor, fatalities, text search, deep pages, bbox), and prints the
   latency percentiles, overall and per kind of query. Stops by itself; only 127.0.0.1 is used.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("first page (500)", {}),
    ("first page (100)", {"limit": "100"}),
    ("date range", {"event_date": "2021-01-01|2021-06-30", "event_date_where": "BETWEEN", "limit": "100"}),
    ("country+admin1", {"country": "Syria", "admin1": "Idlib", "limit": "100"}),
    ("event type", {"event_type": "Battles", "limit": "100"}),
    ("sub-event type+date", {"sub_event_type": "Air/drone strike", "event_date": "2020-01-01|2022-12-31",
                             "event_date_where": "BETWEEN", "limit": "100"}),
    ("actor", {"actor": "SDF", "limit": "100"}),
    ("fatalities>=5", {"fatalities": "5", "limit": "100"}),
    ("text search", {"q": "دير الزور", "limit": "100"}),
    ("page 50", {"limit": "100", "page": "50"}),
    ("bbox", {"bbox": "35.5,35.0,37.5,37.0", "limit": "100"}),
    ("combined", {"country": "Syria", "event_type": "Explosions/Remote violence", "fatalities": "1",
                  "event_date": "2019-01-01|2023-12-31", "event_date_where": "BETWEEN", "limit": "100"}),
]


def build_store(path: Path, n: int, seed: int = 7) -> None:

    from marsad import extract_article
    from marsad.cli_workbench import sample_paths
    from marsad.ingest import read_inputs
    from marsad.model import Article
    from marsad.store import Store, _event_columns, events, now

    rng = random.Random(seed)
    store = Store(path)
    names = store._names()
    templates = [e.to_dict() for a in read_inputs(sample_paths()) if isinstance(a, Article)
                 for e in extract_article(a)]
    places = [(t["location"], t["location_ar"], t["admin1"], t["latitude"], t["longitude"], t["country"])
              for t in templates if t["latitude"] is not None]
    stamp = now()
    start = date(2018, 1, 1)
    rows = []
    for i in range(n):
        t = dict(rng.choice(templates))
        loc, loc_ar, admin1, lat, lon, country = rng.choice(places)
        t.update(location=loc, location_ar=loc_ar, admin1=admin1, country=country,
                 latitude=lat + rng.uniform(-0.05, 0.05), longitude=lon + rng.uniform(-0.05, 0.05),
                 event_date=(start + timedelta(days=rng.randrange(6 * 365))).isoformat(),
                 fatalities=rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 8, 13]))
        rows.append({**_event_columns(t, names), "status": "auto", "n_articles": 1, "outlets": [],
                     "created_at": stamp, "updated_at": stamp})
    with store.engine.begin() as c:
        for k in range(0, n, 5000):
            c.execute(events.insert(), rows[k:k + 5000])
        c.exec_driver_sql("ANALYZE")
    store.close()


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    """`marsad serve --db DB --port 0` in a subprocess; returns it and the link it printed."""
    marsad = Path(sys.executable).with_name("marsad")
    cmd = [str(marsad)] if marsad.exists() else [sys.executable, "-m", "marsad.cli"]
    proc = subprocess.Popen([*cmd, "serve", "--db", str(db), "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("Workbench: "):
        proc.kill()
        sys.exit(f"marsad serve did not start: {line!r}")
    # Keep reading its output so that the server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, line.split()[1]


def run(address: str, requests: int, concurrency: int, seed: int = 11) -> dict[str, list[float]]:
    host, port = address.split(":")
    rng = random.Random(seed)
    plan = [rng.choice(QUERIES) for _ in range(requests)]
    lock = threading.Lock()
    results: dict[str, list[float]] = {name: [] for name, _ in QUERIES}
    errors: list[str] = []

    def worker(items: list[tuple[str, dict[str, str]]]) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for name, params in items:
            t = time.perf_counter()
            conn.request("GET", "/api/events?" + urlencode(params))
            r = conn.getresponse()
            r.read()
            ms = (time.perf_counter() - t) * 1000
            with lock:
                (results[name].append(ms) if r.status == 200 else errors.append(f"{name}: HTTP {r.status}"))
        conn.close()

    # Warm-up: one of each, not counted.
    warm = threading.Thread(target=worker, args=(list(QUERIES),))
    warm.start()
    warm.join()
    for name in results:
        results[name].clear()
    threads = [threading.Thread(target=worker, args=(plan[i::concurrency],)) for i in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return results


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--db", type=Path, help="reuse or build this SQLite file (default: a temporary one)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "load.sqlite"
    if not db.exists():
        t = time.perf_counter()
        build_store(db, args.events)
        print(f"built {db} with {args.events} events in {time.perf_counter() - t:.1f} s "
              f"({db.stat().st_size / 2**20:.0f} MiB)")
    proc, link = start_server(db)
    address = urlsplit(link).netloc
    try:
        t = time.perf_counter()
        results = run(address, args.requests, args.concurrency)
        wall = time.perf_counter() - t
    finally:
        proc.terminate()
        proc.wait(10)
    every = [v for vs in results.values() for v in vs]
    print(f"{os.cpu_count()} CPUs; {len(every)} requests, {args.concurrency} client threads, "
          f"{len(every) / wall:.0f} requests/s over loopback")
    print(f"{'query':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, vs in results.items():
        if vs:
            print(f"{name:24} {len(vs):5d} {statistics.median(vs):8.1f} {pct(vs, 95):8.1f} {pct(vs, 99):8.1f}")
    print(f"{'ALL':24} {len(every):5d} {statistics.median(every):8.1f} {pct(every, 95):8.1f} {pct(every, 99):8.1f}")


if __name__ == "__main__":
    main()
