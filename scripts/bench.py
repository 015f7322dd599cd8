#!/usr/bin/env python3
"""Speed figures for marsad (prints a table; not a test).

    .venv/bin/python scripts/bench.py [--runs N]

(a) extract_article on the bundled seed article, already loaded: median of N runs;
(b) wall time of `marsad extract --help` and `marsad extract sample.txt` as processes (median of 5);
(c) throughput over the gold sets in shared/eval/*.jsonl (articles/second, reading excluded).
shared/ is found beside the repository, or at $MARSAD_SHARED.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import files
from pathlib import Path

from marsad import extract_article
from marsad.ingest import read_inputs
from marsad.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED") or ROOT / ".." / "shared")


def articles(paths: list[str]) -> list[Article]:
    return [a for a in read_inputs(paths) if isinstance(a, Article)]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def marsad_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "marsad"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "marsad.cli"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=50, help="runs for (a) [default: 50]")
    args = ap.parse_args()
    rows: list[tuple[str, str]] = []

    [seed] = articles([str(files("marsad") / "data" / "sample" / "seed.jsonl")])
    t = time.perf_counter()
    n_events = len(extract_article(seed))  # first call: loads dictionaries and gazetteer
    rows.append(("first extract_article (loading included)", f"{(time.perf_counter() - t) * 1000:.1f} ms"))
    runs = timed(lambda: extract_article(seed), args.runs)
    rows.append((f"(a) extract_article, seed article ({len(seed.text)} chars, {n_events} events), "
                 f"median of {args.runs}", f"{statistics.median(runs) * 1000:.2f} ms"))

    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.txt"
        sample.write_text(seed.text, encoding="utf-8")
        for label, cmd in (("extract --help", ["extract", "--help"]),
                           ("extract sample.txt", ["extract", str(sample), "--published", "2020-05-18"])):
            times = timed(lambda: subprocess.run(marsad_cmd() + cmd, capture_output=True, check=False), 5)
            rows.append((f"(b) `marsad {label}` wall time, median of 5", f"{statistics.median(times) * 1000:.0f} ms"))

    gold = sorted(str(p) for p in (SHARED / "eval").glob("*.jsonl"))
    if gold:
        corpus = articles(gold)
        secs = min(timed(lambda: [extract_article(a) for a in corpus], 3))
        chars = sum(len(a.text) for a in corpus)
        rows.append((f"(c) throughput over {len(gold)} gold files ({len(corpus)} articles, {chars} chars), best of 3",
                     f"{len(corpus) / secs:.0f} articles/s" if secs else "n/a"))
    else:
        rows.append(("(c) throughput", f"skipped: no {SHARED / 'eval'}/*.jsonl"))

    width = max(len(r[0]) for r in rows)
    print(f"{'measure':{width}}  value")
    print(f"{'-' * width}  {'-' * 14}")
    for name, value in rows:
        print(f"{name:{width}}  {value}")


if __name__ == "__main__":
    main()
