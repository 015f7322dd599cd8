"""The records that flow between stages and out of marsad."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass
class Article:
    """One input article. ``published`` may be None when no date could be found."""
    id: str
    text: str
    published: date | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    source_path: str | None = None


@dataclass
class Event:
    """One event, with the fields of spec/EVENTS.md and the spans behind them.

    Every ``*_span`` is ``[start, end]`` in characters of the original article text
    (the text given to ``marsad.extract``), so ``text[start:end]`` shows the words.
    """
    event_date: str | None
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: list[str]
    actor2: str | None
    assoc_actor_2: list[str]
    country: str | None
    admin1: str | None
    location: str | None
    location_ar: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int
    fatalities: int
    sources: list[str]
    evidence: str
    # Traceability: spans into the original text.
    evidence_spans: list[list[int]] = field(default_factory=list)
    trigger: str | None = None
    trigger_span: list[int] | None = None
    date_text: str | None = None
    date_span: list[int] | None = None
    location_span: list[int] | None = None
    actor_spans: dict[str, list[list[int]]] = field(default_factory=dict)
    fatalities_span: list[int] | None = None
    source_spans: list[list[int]] = field(default_factory=list)
    admin2: str | None = None
    admin3: str | None = None
    # Arabic names of the admin units, the place's identifiers, and where its coordinates come from.
    admin1_ar: str | None = None
    admin2_ar: str | None = None
    admin3_ar: str | None = None
    pcode: str | None = None
    geonameid: int | None = None
    coord_source: str | None = None
    # Claims: what each source says about fatalities ({"source", "fatalities", "span"}).
    claims: list[dict[str, Any]] = field(default_factory=list)
    # Confidence in [0, 1] of the event, and of each resolved field, from the evidence behind it.
    confidence: float = 0.0
    field_confidence: dict[str, float] = field(default_factory=dict)
    # Why: the rule that set the type and how each field was found (for `marsad explain`).
    rule: str | None = None
    field_sources: dict[str, str] = field(default_factory=dict)
    # An English sentence in the style of ACLED notes, generated from the fields.
    notes: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Column order for CSV output: the EVENTS.md fields first, then traceability.
EVENT_FIELDS = [
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "actor2", "assoc_actor_2", "country", "admin1", "admin2", "admin3", "admin1_ar", "admin2_ar",
    "admin3_ar", "location", "location_ar", "latitude", "longitude", "geo_precision", "pcode", "geonameid", "coord_source", "fatalities", "sources", "evidence", "trigger",
    "trigger_span", "date_text", "date_span", "location_span", "actor_spans", "fatalities_span",
    "source_spans", "evidence_spans", "claims", "confidence", "field_confidence", "rule", "field_sources", "notes",
]
