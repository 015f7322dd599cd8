"""Cross-article deduplication: the same incident reported by several outlets is one event.

Two events are the same incident when all of these hold:

- they come from different articles (one article's events are already distinct);
- same country and event type, and dates at most ``MAX_DAYS`` apart (both dates known);
- the same place: the same gazetteer entry (P-code or GeoNames id) or the same place name, or two
  positions of their own (``geo_precision`` 1) at most ``MAX_KM`` apart. A place known only by its
  district or governorate matches only the same name: two villages placed at one centroid are
  not one place;
- compatible actors: each named actor of one is an actor of the other, or missing there (in a
  battle the sides may be listed in either order).

The new event's claims move into the earlier event, which keeps every source and its evidence;
``Store.unmerge`` undoes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .gazetteer import km_between

MAX_DAYS = 1
MAX_KM = 5.0
_SYMMETRIC_TYPES = {"Battles"}


@dataclass(frozen=True)
class Duplicate:
    event_id: int
    reason: str


def find_duplicate(c: Connection, event_id: int, article_id: int) -> Duplicate | None:
    """The earlier live event that ``event_id`` (just stored from ``article_id``) duplicates."""
    from .store import claims, events
    e = events.c
    new = c.execute(sa.select(events).where(e.id == event_id)).mappings().one()
    if not new["event_date"] or not new["country"]:
        return None
    day = date.fromisoformat(new["event_date"])
    same_article = sa.select(claims.c.event_id).where(claims.c.article_id == article_id)
    candidates = c.execute(
        sa.select(events).where(
            e.id != event_id, e.status.in_(("auto", "confirmed", "edited")),
            e.country == new["country"], e.event_type == new["event_type"],
            e.event_date >= (day - timedelta(days=MAX_DAYS)).isoformat(),
            e.event_date <= (day + timedelta(days=MAX_DAYS)).isoformat(),
            e.id.not_in(same_article),
        ).order_by(e.id)).mappings().all()
    for old in candidates:
        place = same_place(old, new)
        if place and compatible_actors(old, new):
            return Duplicate(old["id"], f"{place}; dates {old['event_date']} and {new['event_date']}; "
                                        f"{new['event_type']}; compatible actors")
    return None


def same_place(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """Why ``a`` and ``b`` are at the same place, or None."""
    for key in ("pcode", "geonameid"):
        if a.get(key) and a.get(key) == b.get(key):
            return f"same place: {a.get('location')} ({key} {a[key]})"
    if a.get("location") and a.get("location") == b.get("location") and a.get("admin1") == b.get("admin1"):
        return f"same place: {a['location']}"
    if a.get("geo_precision") == 1 and b.get("geo_precision") == 1 and None not in (
            a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")):
        km = km_between(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        if km <= MAX_KM:
            return f"{a['location']} and {b['location']} {km:.1f} km apart"
    return None


def compatible_actors(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    def fits(x: str | None, y: str | None) -> bool:
        return x is None or y is None or x == y

    if fits(a.get("actor1"), b.get("actor1")) and fits(a.get("actor2"), b.get("actor2")):
        return True
    return a.get("event_type") in _SYMMETRIC_TYPES and \
        fits(a.get("actor1"), b.get("actor2")) and fits(a.get("actor2"), b.get("actor1"))
