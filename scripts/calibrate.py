#!/usr/bin/env python3
"""Calibration of event confidence on gold files: precision and recall of the events kept at each
`--min-confidence` threshold, using the official scorer's matching. Prints a table.

    python scripts/calibrate.py [GOLD.jsonl ...]   (default: ../shared/eval/seed.jsonl and dev_*.jsonl)
"""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from datetime import date
from pathlib import Path

from marsad import extract_article
from marsad.model import Article

SHARED = Path(os.environ.get("MARSAD_SHARED", Path(__file__).resolve().parents[1] / ".." / "shared"))
THRESHOLDS = [0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9]


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"calibrate: no scorer at {SHARED / 'eval' / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(paths: list[str]) -> None:
    scorer = load_scorer()
    files = [Path(p) for p in paths] or [SHARED / "eval" / "seed.jsonl", *sorted((SHARED / "eval").glob("dev_*.jsonl"))]
    gold = [json.loads(line) for f in files for line in f.open(encoding="utf-8") if line.strip()]
    predicted = {}
    for a in gold:
        article = Article(id=a["id"], text=a["text"], published=date.fromisoformat(a["published"]),
                          title=a.get("title"), outlet=a.get("outlet"))
        predicted[a["id"]] = [e.to_dict() for e in extract_article(article)]
    print(f"{'min confidence':>14}  {'events':>6}  {'precision':>9}  {'recall':>6}  {'f1':>5}")
    for t in THRESHOLDS:
        pred = {k: {"id": k, "events": [e for e in v if e["confidence"] >= t]} for k, v in predicted.items()}
        s, _ = scorer.score(gold, pred)
        print(f"{t:>14.2f}  {s['predicted_scored']:>6}  {s['precision']:>9.3f}  {s['recall']:>6.3f}  {s['f1']:>5.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
