"""Exports of stored events: ACLED-style CSV, GeoJSON, JSON Lines and Parquet.

Each writer takes events as ``Store.list_events`` gives them and streams: a CSV, GeoJSON or
JSON Lines export is produced chunk by chunk, so exporting the whole store needs no more memory
than one chunk. The ACLED-style CSV has ACLED's column names in ACLED's order; ``event_id_cnty``
is the country's ISO alpha-3 code and marsad's event id (MARSAD events are not ACLED events).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from typing import Any, BinaryIO

from .lexicon import read_tsv
from .store import taxonomy

FORMATS = ("csv", "geojson", "jsonl", "parquet")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
               "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}
SUFFIXES = {"csv": ".csv", "geojson": ".geojson", "jsonl": ".jsonl", "parquet": ".parquet"}

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
]
# The list form of a stored event, in this order, for JSON Lines, GeoJSON properties and Parquet.
EVENT_COLUMNS = [
    "id", "status", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor1_name",
    "assoc_actor_1", "actor2", "actor2_name", "assoc_actor_2", "country", "admin1", "admin2", "admin3",
    "location", "location_ar", "latitude", "longitude", "geo_precision", "pcode", "geonameid", "fatalities",
    "sources", "outlets", "notes", "confidence", "n_articles", "created_at", "updated_at",
]
_LIST_COLUMNS = {"assoc_actor_1", "assoc_actor_2", "sources", "outlets"}
CIVILIANS = "CIVILIANS"


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, str]]:
    return {r["name_en"]: r for r in read_tsv("acled_countries.tsv")}


@lru_cache(maxsize=1)
def _actors() -> dict[str, tuple[str, int]]:
    from .actors import catalog
    return {a.id: (a.name, a.inter) for a in catalog().actors.values()}


def acled_row(e: dict[str, Any]) -> dict[str, Any]:
    """One stored event as an ACLED-style row."""
    country = _countries().get(e.get("country") or "", {})
    actors = _actors()

    def name(a: str | None) -> str:
        return actors.get(a, (a or "", 0))[0] if a else ""

    inter1 = actors.get(e.get("actor1") or "", ("", 0))[1] if e.get("actor1") else 0
    inter2 = actors.get(e.get("actor2") or "", ("", 0))[1] if e.get("actor2") else 0
    targets_civilians = CIVILIANS in ([e.get("actor2")] + list(e.get("assoc_actor_2") or []))
    stamp = e.get("updated_at")
    return {
        "event_id_cnty": f"{country.get('iso3', 'XXX')}{e['id']}",
        "event_date": e.get("event_date") or "",
        "year": (e.get("event_date") or "")[:4],
        "time_precision": e.get("time_precision") or "",
        "disorder_type": taxonomy().disorder.get(e.get("sub_event_type") or "", ""),
        "event_type": e.get("event_type") or "",
        "sub_event_type": e.get("sub_event_type") or "",
        "actor1": name(e.get("actor1")),
        "assoc_actor_1": "; ".join(name(a) for a in e.get("assoc_actor_1") or []),
        "inter1": inter1 or "",
        "actor2": name(e.get("actor2")),
        "assoc_actor_2": "; ".join(name(a) for a in e.get("assoc_actor_2") or []),
        "inter2": inter2 or "",
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter1 and inter2 else (inter1 * 10 or ""),
        "civilian_targeting": "Civilian targeting" if targets_civilians else "",
        "iso": country.get("iso", ""),
        "region": country.get("region", ""),
        "country": e.get("country") or "",
        "admin1": e.get("admin1") or "",
        "admin2": e.get("admin2") or "",
        "admin3": e.get("admin3") or "",
        "location": e.get("location") or "",
        "latitude": "" if e.get("latitude") is None else round(e["latitude"], 4),
        "longitude": "" if e.get("longitude") is None else round(e["longitude"], 4),
        "geo_precision": e.get("geo_precision") or "",
        "source": "; ".join(dict.fromkeys([*(e.get("outlets") or []), *(e.get("sources") or [])])),
        "source_scale": "",
        "notes": e.get("notes") or "",
        "fatalities": e.get("fatalities") or 0,
        "tags": "",
        "timestamp": int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()) if stamp else "",
    }


def event_record(e: dict[str, Any]) -> dict[str, Any]:
    return {k: e.get(k) for k in EVENT_COLUMNS}


def acled_csv(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i, e in enumerate(events, 1):
        writer.writerow(acled_row(e))
        if i % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def jsonl(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    for e in events:
        yield json.dumps(event_record(e), ensure_ascii=False) + "\n"


def geojson(events: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A FeatureCollection of points; an event with no coordinates has a null geometry."""
    yield '{"type": "FeatureCollection", "features": [\n'
    for i, e in enumerate(events):
        lon, lat = e.get("longitude"), e.get("latitude")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lon is not None and lat is not None else None
        feature = {"type": "Feature", "id": e["id"], "geometry": geometry, "properties": event_record(e)}
        yield ("" if i == 0 else ",\n") + json.dumps(feature, ensure_ascii=False)
    yield "\n]}\n"


def write_parquet(events: Iterable[dict[str, Any]], out: BinaryIO | str, chunk: int = 5000) -> int:
    """Write events as Parquet (lists as list<string>); returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(k, pa.list_(pa.string()) if k in _LIST_COLUMNS else t) for k, t in (
        ("id", pa.int64()), ("status", pa.string()), ("event_date", pa.string()), ("time_precision", pa.int8()),
        ("event_type", pa.string()), ("sub_event_type", pa.string()), ("actor1", pa.string()),
        ("actor1_name", pa.string()), ("assoc_actor_1", None), ("actor2", pa.string()), ("actor2_name", pa.string()),
        ("assoc_actor_2", None), ("country", pa.string()), ("admin1", pa.string()), ("admin2", pa.string()),
        ("admin3", pa.string()), ("location", pa.string()), ("location_ar", pa.string()), ("latitude", pa.float64()),
        ("longitude", pa.float64()), ("geo_precision", pa.int8()), ("pcode", pa.string()), ("geonameid", pa.int64()),
        ("fatalities", pa.int32()), ("sources", None), ("outlets", None), ("notes", pa.string()),
        ("confidence", pa.float64()), ("n_articles", pa.int32()), ("created_at", pa.string()),
        ("updated_at", pa.string()))])
    rows = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for e in events:
            batch.append(event_record(e))
            if len(batch) >= chunk:
                writer.write_table(pa.Table.from_pylist(batch, schema))
                rows += len(batch)
                batch = []
        writer.write_table(pa.Table.from_pylist(batch, schema))
        rows += len(batch)
    return rows


def text_chunks(fmt: str, events: Iterable[dict[str, Any]]) -> Iterator[str]:
    return {"csv": acled_csv, "geojson": geojson, "jsonl": jsonl}[fmt](events)
