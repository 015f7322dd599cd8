"""The REST API as a client sees it (FastAPI's test client), on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from marsad.api import create_app
from marsad.exports import ACLED_COLUMNS
from marsad.store import Store
from store_fixtures import LATER_PUBLISHED, STRIKE_A, STRIKE_B, STRIKE_LATER, add, article


@pytest.fixture
def client(store: Store) -> TestClient:
    add(store, article(STRIKE_A, "a", outlet="Enab Baladi", url="https://example.org/a"))
    add(store, article(STRIKE_B, "b", outlet="Syria TV"))
    add(store, article(STRIKE_LATER, "c", published=LATER_PUBLISHED))
    return TestClient(create_app(store, session_token="session-secret", session_who="tester"))


AUTH = {"Authorization": "Bearer session-secret"}


def test_list_filters_and_pages(client: TestClient) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == 2 and body["count"] == 2 and body["page"] == 1
    first = body["data"][0]
    assert first["event_date"] == "2021-09-11" and first["actor1_name"] and first["location"] == "Kafranbel"
    assert client.get("/api/events", params={"event_date": "2021-09-07"}).json()["total"] == 1
    between = {"event_date": "2021-09-01|2021-09-08", "event_date_where": "BETWEEN"}
    assert client.get("/api/events", params=between).json()["data"][0]["n_articles"] == 2
    assert client.get("/api/events", params={"country": "Iraq|Syria", "admin1": "Idlib"}).json()["total"] == 2
    assert client.get("/api/events", params={"event_type": "Battles"}).json()["total"] == 0
    assert client.get("/api/events", params={"actor": "RUSSIA", "fatalities": 3}).json()["total"] == 1
    assert client.get("/api/events", params={"q": "كفرنبل"}).json()["total"] == 2
    paged = client.get("/api/events", params={"limit": 1, "page": 2}).json()
    assert (paged["total"], paged["count"], paged["data"][0]["event_date"]) == (2, 1, "2021-09-07")


@pytest.mark.parametrize("params, message", [
    ({"event_date": "yesterday"}, "event_date"),
    ({"event_date": "2021-09-01", "event_date_where": "BETWEEN"}, "FROM|TO"),
    ({"status": "deleted"}, "status"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"fatalities": -1}, "fatalities"),
    ({"format": "xlsx"}, "format"),
])
def test_bad_filters_are_explained(client: TestClient, params: dict, message: str) -> None:
    r = client.get("/api/events", params=params)
    assert r.status_code == 422 and message in r.text


def test_exports_in_every_format(client: TestClient) -> None:
    r = client.get("/api/events", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ACLED_COLUMNS and len(rows) == 2
    features = client.get("/api/events", params={"format": "geojson"}).json()["features"]
    assert len(features) == 2 and features[0]["geometry"]["coordinates"][0] > 36
    lines = client.get("/api/events", params={"format": "jsonl", "limit": 1}).text.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"]
    table = pq.read_table(io.BytesIO(client.get("/api/events", params={"format": "parquet"}).content))
    assert table.num_rows == 2


def test_event_detail_has_its_articles_claims_and_spans(client: TestClient) -> None:
    merged = client.get("/api/events", params={"event_date": "2021-09-07"}).json()["data"][0]
    detail = client.get(f"/api/events/{merged['id']}").json()
    assert len(detail["articles"]) == 2 and len(detail["claims"]) == 2 and detail["merges"]
    for claim in detail["claims"]:
        text = client.get(f"/api/articles/{claim['article_id']}").json()["text"]
        start, end = claim["event"]["trigger_span"]
        assert text[start:end] == claim["event"]["trigger"]
    assert client.get("/api/events/9999").status_code == 404
    assert client.get("/api/articles/9999").json() == {"detail": "article 9999 not found"}


def test_writes_need_a_token(client: TestClient, store: Store) -> None:
    event_id = client.get("/api/events").json()["data"][0]["id"]
    assert client.patch(f"/api/events/{event_id}", json={"status": "confirmed"}).status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert client.patch(f"/api/events/{event_id}", json={"status": "confirmed"}, headers=bad).status_code == 401
    assert client.post("/api/articles", json={"text": STRIKE_A}).status_code == 401
    assert client.get("/api/whoami", headers=AUTH).json() == {"who": "tester"}
    token = store.create_token("analyst1")
    r = client.patch(f"/api/events/{event_id}", json={"status": "confirmed"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert r.json()["audit"][-1]["who"] == "analyst1"


def test_patch_edits_confirms_and_rejects(client: TestClient) -> None:
    event_id = client.get("/api/events").json()["data"][0]["id"]
    r = client.patch(f"/api/events/{event_id}", json={"fatalities": 2, "comment": "hospital figure"}, headers=AUTH)
    assert r.status_code == 200
    e = r.json()
    assert (e["status"], e["fatalities"]) == ("edited", 2)
    assert e["audit"][-1] == {**e["audit"][-1], "who": "tester", "action": "edit", "comment": "hospital figure",
                              "before": {"fatalities": 1, "status": "auto"}, "after": {"fatalities": 2, "status": "edited"}}
    wrong = client.patch(f"/api/events/{event_id}", json={"sub_event_type": "Armed clash"}, headers=AUTH)
    assert wrong.status_code == 422 and "not a sub-event type" in wrong.json()["detail"]
    assert client.patch(f"/api/events/{event_id}", json={"id": 5}, headers=AUTH).status_code == 422
    assert client.patch(f"/api/events/{event_id}", json={"status": "rejected"}, headers=AUTH).status_code == 200
    assert client.get("/api/events").json()["total"] == 1
    assert client.get("/api/events", params={"status": "rejected"}).json()["total"] == 1


def test_unmerge(client: TestClient) -> None:
    merged = client.get("/api/events", params={"event_date": "2021-09-07"}).json()["data"][0]
    assert client.post(f"/api/events/{merged['id']}/unmerge").status_code == 401
    r = client.post(f"/api/events/{merged['id']}/unmerge", headers=AUTH)
    assert r.status_code == 200 and r.json()["event"]["n_articles"] == 1
    assert client.get("/api/events").json()["total"] == 3
    assert client.post(f"/api/events/{merged['id']}/unmerge", headers=AUTH).status_code == 404


def test_post_article_ingests_once(client: TestClient) -> None:
    text = STRIKE_A.replace("كفرنبل", "سراقب").replace("جنوبي إدلب", "شرقي إدلب")
    r = client.post("/api/articles", json={"text": text, "published": "2021-09-20", "outlet": "Zaman al-Wasl"},
                    headers=AUTH)
    assert r.status_code == 201
    added = r.json()
    assert added["created"] and len(added["event_ids"]) == 1
    assert client.get(f"/api/events/{added['event_ids'][0]}").json()["location"] == "Saraqib"
    again = client.post("/api/articles", json={"text": text}, headers=AUTH)
    assert again.status_code == 200 and again.json()["article_id"] == added["article_id"]
    assert client.post("/api/articles", json={"text": "hello world, no Arabic here at all"},
                       headers=AUTH).status_code == 422
    assert client.post("/api/articles", json={"text": text + " ", "published": "20-09-2021"},
                       headers=AUTH).status_code == 422
    assert client.post("/api/articles", json={"text": text + "  ", "url": "javascript:alert(1)"},
                       headers=AUTH).status_code == 422
    assert client.get(f"/api/articles/{added['article_id']}").json()["ext_id"] is None


def test_facets_timeline_and_docs(client: TestClient) -> None:
    facets = client.get("/api/facets").json()
    assert facets["event_types"][0]["value"] == "Explosions/Remote violence"
    assert {"value": "RUSSIA", "name": facets["actors"][0]["name"], "count": 2} in facets["actors"]
    assert facets["date_min"] == "2021-09-07"
    timeline = client.get("/api/timeline", params={"bucket": "month"}).json()
    assert timeline == {"bucket": "month", "data": [{"date": "2021-09-01", "events": 2, "fatalities": 4}]}
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/" in docs and "cdn" not in docs


def test_sort_and_fields(client: TestClient) -> None:
    by_deaths = client.get("/api/events", params={"sort": "-fatalities"}).json()["data"]
    assert [e["fatalities"] for e in by_deaths] == [3, 1]
    oldest = client.get("/api/events", params={"sort": "event_date", "fields": "event_date,latitude"}).json()["data"]
    assert set(oldest[0]) == {"id", "event_date", "latitude"} and oldest[0]["event_date"] == "2021-09-07"
    r = client.get("/api/events", params={"sort": "search"})
    assert r.status_code == 422 and "unknown column" in r.text
