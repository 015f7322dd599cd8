"""Our own corpus of short Arabic reports (src/marsad/data/sample/corpus, written for this project, not
taken from the eval articles), scored with the project's scorer. Floors guard against regressions
on phrasing, outlets and countries the dev articles do not cover."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import load_scorer
from marsad import extract_article
from marsad.model import Article

CORPUS = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "sample" / "corpus"
@pytest.fixture(scope="module")
def scored():
    gold = [json.loads(l) for f in sorted(CORPUS.glob("*.jsonl")) for l in f.open(encoding="utf-8") if l.strip()]
    pred = {}
    for a in gold:
        article = Article(id=a["id"], text=a["text"], published=date.fromisoformat(a["published"]),
                          title=a.get("title"), outlet=a.get("outlet"))
        pred[a["id"]] = {"id": a["id"], "events": [e.to_dict() for e in extract_article(article)]}
    summary, _ = load_scorer().score(gold, pred)
    return gold, summary


def test_corpus_is_large_and_varied(scored):
    gold, _ = scored
    assert len(gold) >= 80
    countries = {e["country"] for a in gold for e in a["events"]}
    assert {"Syria", "Iraq", "Yemen"} <= countries
    assert sum(1 for a in gold if not a["events"]) >= 5


def test_corpus_floors(scored):
    _, s = scored
    assert s["f1"] >= 0.72, s
    assert s["date_exact"] >= 0.9, s
    assert s["type_acc"] >= 0.8, s


def test_quiet_on_non_event_reports(scored):
    _, s = scored
    clean, total = map(int, s["quiet_on_non_event_articles"].split("/"))
    assert total == 0 or clean / total >= 0.8, s
