"""The event store, on SQLite and on PostgreSQL: idempotent ingest, resume, cross-article merges
and their undo, analysts' edits with the audit log, filters, tokens and exports."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pyarrow.parquet as pq
import pytest

from marsad.exports import ACLED_COLUMNS, acled_csv, geojson, jsonl, write_parquet
from marsad.intake import ingest
from marsad.store import EventFilter, NotFound, Store, StoreError
from store_fixtures import LATER_PUBLISHED, PUBLISHED, STRIKE_A, STRIKE_B, STRIKE_LATER, add, article


def test_the_same_article_twice_stores_nothing_new(store: Store) -> None:
    first = add(store, article(STRIKE_A, "a", url="https://example.org/a"))
    assert first.created and len(first.event_ids) == 1
    # Same text, spaced and diacritised differently, from another address: the same article.
    respaced = STRIKE_A.replace(" ", "  ").replace("قتل", "قَتل")
    again = add(store, article(respaced, "a2", url="https://example.org/a?utm=x"))
    assert not again.created and again.article_id == first.article_id and again.event_ids == first.event_ids
    # Same URL, edited text: the same article.
    assert not add(store, article(STRIKE_LATER, "a3", published=LATER_PUBLISHED, url="https://example.org/a")).created
    assert store.stats() == {"articles": 1, "events": 1, "merged": 0}


def test_an_interrupted_ingest_keeps_what_was_committed_and_resumes(store: Store) -> None:
    items = [article(STRIKE_A, "a"), article(STRIKE_LATER, "c", published=LATER_PUBLISHED)]

    def crashing():
        yield items[0]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(store, crashing())
    assert store.stats()["articles"] == 1
    counts = ingest(store, items)
    assert (counts.stored, counts.already) == (1, 1)
    assert store.stats()["articles"] == 2


def test_two_outlets_reporting_one_strike_make_one_event_with_both_sources(store: Store) -> None:
    a = add(store, article(STRIKE_A, "a", outlet="Enab Baladi"))
    b = add(store, article(STRIKE_B, "b", outlet="Syria TV"))
    assert b.merged == 1 and b.event_ids == a.event_ids
    later = add(store, article(STRIKE_LATER, "c", published=LATER_PUBLISHED, outlet="Enab Baladi"))
    assert later.merged == 0 and later.event_ids != a.event_ids  # four days later: another strike

    event = store.event(a.event_ids[0])
    assert event["n_articles"] == 2
    assert {x["outlet"] for x in event["articles"]} == {"Enab Baladi", "Syria TV"}
    assert set(event["sources"]) == {"Syrian Civil Defence", "SOHR"}
    assert event["fatalities"] == 3  # the lower of the two reported figures (3 and 4)
    # Each report keeps its own extraction: its figure, evidence and spans into its own text.
    by_article = {c["article_id"]: c["event"] for c in event["claims"]}
    assert sorted(c["fatalities"] for c in by_article.values()) == [3, 4]
    for claim in event["claims"]:
        text = store.article(claim["article_id"])["text"]
        start, end = claim["event"]["evidence_spans"][0]
        assert text[start:end] in claim["event"]["evidence"]
    claim_b = next(c for c in event["claims"] if c["article_id"] == b.article_id)
    assert [m["source_event_id"] for m in event["merges"]] == [claim_b["original_event_id"]]
    assert "Kafranbel" in event["merges"][0]["reason"]
    assert store.count_events(EventFilter()) == 2


def test_a_merge_can_be_undone(store: Store) -> None:
    a = add(store, article(STRIKE_A, "a", outlet="Enab Baladi"))
    add(store, article(STRIKE_B, "b", outlet="Syria TV"))
    target = a.event_ids[0]
    restored = store.unmerge(target, None, "analyst")
    assert restored != target
    assert store.count_events(EventFilter()) == 2
    kept, back = store.event(target), store.event(restored)
    assert (kept["n_articles"], kept["fatalities"], kept["sources"]) == (1, 3, ["Syrian Civil Defence"])
    assert (back["status"], back["fatalities"], back["sources"]) == ("auto", 4, ["SOHR"])
    assert kept["merges"][0]["undone_at"] is not None
    assert [x["action"] for x in kept["audit"]] == ["merge", "unmerge"]
    with pytest.raises(NotFound):
        store.unmerge(target, None, "analyst")


def test_no_merge_across_types_places_or_far_dates(store: Store) -> None:
    add(store, article(STRIKE_A, "a"))
    other_town = STRIKE_B.replace("كفرنبل", "سراقب").replace("ريف إدلب الجنوبي", "ريف إدلب الشرقي")
    assert add(store, article(other_town, "b")).merged == 0
    next_week = add(store, article(STRIKE_B, "b2", published=PUBLISHED + timedelta(days=7)))
    assert next_week.merged == 0


def test_edits_are_validated_and_audited(store: Store) -> None:
    event_id = add(store, article(STRIKE_A, "a")).event_ids[0]
    store.update_event(event_id, {"fatalities": 5, "event_date": "2021-09-06"}, "analyst1", comment="SOHR update")
    e = store.event(event_id)
    assert (e["status"], e["fatalities"], e["event_date"]) == ("edited", 5, "2021-09-06")
    entry = e["audit"][-1]
    assert entry["who"] == "analyst1" and entry["action"] == "edit" and entry["comment"] == "SOHR update"
    assert entry["before"] == {"fatalities": 3, "event_date": "2021-09-07", "status": "auto"}
    assert entry["after"] == {"fatalities": 5, "event_date": "2021-09-06", "status": "edited"}
    # The original extraction is untouched.
    assert e["claims"][0]["event"]["fatalities"] == 3

    for bad in ({"sub_event_type": "Armed clash"}, {"event_type": "War"}, {"event_date": "7/9/2021"},
                {"fatalities": -1}, {"latitude": 123.0}):
        with pytest.raises(StoreError):
            store.update_event(event_id, bad, "analyst1")
    with pytest.raises(StoreError):
        store.update_event(event_id, {"search": "x"}, "analyst1")
    assert store.event(event_id)["fatalities"] == 5

    store.update_event(event_id, {}, "analyst2", status="rejected")
    assert store.count_events(EventFilter()) == 0
    assert store.count_events(EventFilter(status=["rejected"])) == 1
    assert store.event(event_id)["audit"][-1]["action"] == "reject"


def test_filters(store: Store) -> None:
    add(store, article(STRIKE_A, "a"))
    add(store, article(STRIKE_LATER, "c", published=LATER_PUBLISHED))
    everything = EventFilter()
    assert store.count_events(everything) == 2
    assert [e["event_date"] for e in store.list_events(everything)] == ["2021-09-11", "2021-09-07"]
    assert store.count_events(EventFilter(date_from="2021-09-10", date_to="2021-09-30")) == 1
    assert store.count_events(EventFilter(country=["Syria"], admin1=["Idlib"])) == 2
    assert store.count_events(EventFilter(country=["Iraq"])) == 0
    assert store.count_events(EventFilter(sub_event_type=["Air/drone strike"])) == 2
    assert store.count_events(EventFilter(actor="RUSSIA")) == 2
    assert store.count_events(EventFilter(actor="russia")) == 2  # part of the actor's name
    assert store.count_events(EventFilter(min_fatalities=2)) == 1
    assert store.count_events(EventFilter(text="كفرنبل")) == 2
    assert store.count_events(EventFilter(text="الدفاع المدني")) == 1  # words of the evidence
    assert store.count_events(EventFilter(text="100%_")) == 0
    assert store.count_events(EventFilter(bbox=(36.0, 35.0, 37.0, 36.0))) == 2
    assert store.count_events(EventFilter(bbox=(40.0, 35.0, 41.0, 36.0))) == 0
    assert len(store.list_events(everything, limit=1, offset=1)) == 1
    timeline = store.timeline(everything)
    assert timeline["bucket"] == "day" and [d["events"] for d in timeline["data"]] == [1, 1]
    facets = store.facets()
    assert facets["countries"] == [{"value": "Syria", "count": 2}]
    assert "Armed clash" in facets["taxonomy"]["Battles"]


def test_tokens(store: Store) -> None:
    token = store.create_token("analyst1")
    assert store.token_owner(token) == "analyst1"
    assert store.token_owner(token + "x") is None
    (entry,) = store.list_tokens()
    store.revoke_token(entry["id"])
    assert store.token_owner(token) is None
    with pytest.raises(StoreError):
        store.create_token("  ")


def test_exports(store: Store, tmp_path) -> None:
    add(store, article(STRIKE_A, "a", outlet="Enab Baladi"))
    add(store, article(STRIKE_B, "b", outlet="Syria TV"))
    events = store.list_events(EventFilter())

    rows = list(csv.DictReader(io.StringIO("".join(acled_csv(events)))))
    assert list(rows[0]) == ACLED_COLUMNS
    row = rows[0]
    assert row["event_id_cnty"].startswith("SYR") and row["iso"] == "760" and row["region"] == "Middle East"
    assert (row["event_type"], row["sub_event_type"], row["disorder_type"]) == (
        "Explosions/Remote violence", "Air/drone strike", "Political violence")
    assert row["actor2"] == "Civilians" and row["civilian_targeting"] == "Civilian targeting"
    assert row["source"].split("; ")[:2] == ["Enab Baladi", "Syria TV"]
    assert row["fatalities"] == "3" and row["location"] == "Kafranbel"

    collection = json.loads("".join(geojson(events)))
    (feature,) = collection["features"]
    assert feature["geometry"]["type"] == "Point" and feature["properties"]["n_articles"] == 2
    assert json.loads("".join(jsonl(events)).splitlines()[0])["sources"]

    path = tmp_path / "events.parquet"
    assert write_parquet(events, str(path)) == 1
    table = pq.read_table(path).to_pylist()
    assert table[0]["outlets"] == ["Enab Baladi", "Syria TV"] and table[0]["fatalities"] == 3
