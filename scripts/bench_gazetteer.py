#!/usr/bin/env python3
"""Gazetteer index figures: build, load time, file size and memory, with the embedded sources
only and with a full country imported (prints a table; not a test).

    .venv/bin/python scripts/bench_gazetteer.py [--runs N] [--country-size N]

"A full country": GeoNames dumps cannot be downloaded here (no network), so the script writes
a dump in GeoNames' format with ``--country-size`` populated places (default 60,000, about
four times Syria's SY.txt and twice Iraq's), each with three Arabic names (random syllables,
so no two runs share a name) and coordinates inside Syria, and imports it with
``marsad gazetteer import`` into a temporary data directory.

Every measurement runs in a fresh Python process with temporary MARSAD_CACHE_DIR and
MARSAD_DATA_DIR, so the user's own cache and imports are neither used nor touched:

* build: ``Gazetteer.load()`` with an empty cache (builds the index and writes its file);
* load: ``Gazetteer.load()`` with the index file written (median of N processes), and
  then the name automaton the place recogniser builds from it (``places._name_matcher()``),
  i.e. everything before the first article can be read;
* memory: peak RSS of that process (``resource.getrusage``, the interpreter included).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from marsad.gazetteer import Gazetteer
from marsad import places
t_import = time.perf_counter() - t0
t = time.perf_counter()
g = Gazetteer.load()
t_load = time.perf_counter() - t
t = time.perf_counter()
places._name_matcher()
t_matcher = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
s = g.stats()
print(json.dumps({"load": t_load, "matcher": t_matcher, "import": t_import, "source": g.source,
                  "rss_kib": rss, "stats": s, "cache": str(g.cache_path)}))
"""

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def child(env_dirs: dict[str, str]) -> dict:
    env = dict(os.environ, **env_dirs)
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def synthetic_country_dump(path: Path, n: int, seed: int = 7) -> None:
    """A GeoNames dump (19 columns) of ``n`` fictional Syrian populated places."""
    rnd = random.Random(seed)
    codes = [f"{i:02d}" for i in range(1, 15)]

    def word() -> str:
        return "".join(rnd.choice(LETTERS) for _ in range(rnd.randint(3, 6)))

    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            base = word()
            names = ["ال" + base, base, f"{word()} {base}"]
            lat, lon = rnd.uniform(32.4, 37.2), rnd.uniform(35.8, 42.2)
            f.write("\t".join([str(90_000_000 + i), f"Place {i}", f"Place {i}", ",".join(names), f"{lat:.5f}",
                               f"{lon:.5f}", "P", "PPL", "SY", "", rnd.choice(codes), "", "", "",
                               str(rnd.randint(0, 20000)), "", "300", "Asia/Damascus", "2024-01-01"]) + "\n")


def measure(dirs: dict[str, str], runs: int) -> tuple[dict, list[dict]]:
    build = child(dirs)
    assert build["source"] == "built", build["source"]
    loads = [child(dirs) for _ in range(runs)]
    assert all(l["source"] == "cache" for l in loads), [l["source"] for l in loads]
    return build, loads


def mib(n: float) -> str:
    return f"{n / 2**20:.1f} MiB"


def rows_for(label: str, build: dict, loads: list[dict]) -> list[tuple[str, str]]:
    load = statistics.median(l["load"] for l in loads)
    matcher = statistics.median(l["matcher"] for l in loads)
    s = build["stats"]
    return [
        (f"[{label}] places / Arabic names", f"{s['places']} / {s['arabic_keys']}"),
        (f"[{label}] build (empty cache)", f"{build['load']:.2f} s"),
        (f"[{label}] index file", mib(os.path.getsize(build["cache"]))),
        (f"[{label}] load, median of {len(loads)} processes", f"{load * 1000:.0f} ms"),
        (f"[{label}] + name automaton", f"{(load + matcher) * 1000:.0f} ms"),
        (f"[{label}] peak RSS after load + automaton", mib(statistics.median(l['rss_kib'] for l in loads) * 1024)),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="load processes per scenario (median)")
    ap.add_argument("--country-size", type=int, default=60_000, help="places in the synthetic country dump")
    args = ap.parse_args()

    table: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        dirs = {"MARSAD_CACHE_DIR": f"{tmp}/cache", "MARSAD_DATA_DIR": f"{tmp}/data"}
        table += rows_for("embedded", *measure(dirs, args.runs))
        dump = Path(tmp) / "SY.txt"
        synthetic_country_dump(dump, args.country_size)
        subprocess.run([sys.executable, "-m", "marsad.cli", "gazetteer", "import", str(dump)],
                       env=dict(os.environ, **dirs), check=True, capture_output=True)
        for f in Path(dirs["MARSAD_CACHE_DIR"]).glob("*.pickle"):
            f.unlink()  # measure the build of the enlarged index from scratch
        table += rows_for(f"+ country of {args.country_size} places", *measure(dirs, args.runs))
    width = max(len(r[0]) for r in table)
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    for name, value in table:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
