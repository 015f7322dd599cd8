"""Confidence of an event and of each resolved field, derived from the evidence behind it.

The scores are a transparent scale, not a trained model: each field gets a base value for the
kind of evidence that set it (an explicit date in the event's own sentence beats a date carried
from an earlier sentence, which beats the publication date standing in), and the event's
confidence is a weighted mean of its fields. Weights and values live in data/confidence.yaml;
`scripts/calibrate.py` shows how precision on the dev set rises with the threshold.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from .lexicon import data_path


@dataclass(frozen=True)
class Evidence:
    date_how: str  # sentence | carried | publication
    precision: int
    place_how: str  # named | carried
    place_kind: str  # city, admin1, admin2, admin3, country, unlisted
    geo_precision: int
    type_rank: int
    kill_only: bool
    n_sentences: int
    actor_how: str  # named | carried | default
    actor1: str | None
    claims: list[int]
    vague_count: bool


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    with data_path("confidence.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _type_score(e: Evidence, t: dict[str, Any]) -> float:
    if e.kill_only:
        return t["type"]["killing_only"]
    for bound, value in t["type"]["by_rank"]:
        if e.type_rank <= bound:
            return value
    return t["type"]["weak"]


def field_scores(e: Evidence) -> dict[str, float]:
    t = _table()
    date = t["date"][e.date_how] - t["date"]["precision_penalty"] * (e.precision - 1)
    place = t["place"][e.place_kind] * (t["place"]["carried_factor"] if e.place_how == "carried" else 1.0)
    if e.geo_precision == 2 and e.place_kind != "unlisted":
        place -= t["place"]["near_penalty"]
    actor = t["actor1"][e.actor_how] if e.actor1 else t["actor1"]["none"]
    if not e.claims:
        fatalities = t["fatalities"]["none_reported"]
    elif len(set(e.claims)) > 1:
        fatalities = t["fatalities"]["sources_differ"]
    else:
        fatalities = t["fatalities"]["vague"] if e.vague_count else t["fatalities"]["stated"]
    typ = min(1.0, _type_score(e, t) + t["type"]["per_extra_sentence"] * (e.n_sentences - 1))
    return {k: round(max(0.0, min(1.0, v)), 2) for k, v in
            {"event_type": typ, "event_date": date, "location": place, "actor1": actor, "fatalities": fatalities}.items()}


def score_confidence(e: Evidence) -> tuple[dict[str, float], float]:
    fields = field_scores(e)
    weights = _table()["weights"]
    total = sum(weights.values())
    return fields, round(sum(fields[k] * w for k, w in weights.items()) / total, 2)


def describe_evidence(e: Evidence) -> dict[str, str]:
    """How each field was found, in words, for `marsad explain`."""
    date = {"sentence": "a date expression in the event's sentence",
            "carried": "the date of the story, from an earlier sentence",
            "publication": "the publication date (the text gives no day)"}[e.date_how]
    place = {"named": "named in the event's sentence", "carried": "the place the story is about, from an earlier sentence"}[e.place_how]
    kind = {"unlisted": "not in the gazetteer: the name as written, the governorate's coordinates",
            "city": "a gazetteer town", "admin1": "a governorate", "admin2": "a district", "admin3": "a subdistrict",
            "country": "a country"}.get(e.place_kind, e.place_kind)
    actor = {"named": "named in the event's sentence", "carried": "named earlier for the same kind of action",
             "default": "no actor named"}[e.actor_how]
    fat = ("no killing reported" if not e.claims else
           "sources differ: the lowest credible figure" if len(set(e.claims)) > 1 else "as reported")
    return {"event_date": date, "location": f"{place}; {kind}", "actor1": actor, "fatalities": fat,
            "event_type": "a killing without another action word" if e.kill_only else "the trigger lexicon"}
