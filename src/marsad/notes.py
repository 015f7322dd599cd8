"""English notes in the style of ACLED's ``notes`` column, generated from an event's fields.

``english_note(event)`` fills the templates of ``data/notes_templates.yaml`` (one per
sub_event_type, in active and passive voice) with the event's date, actors, place, fatalities
and sources. Nothing is added that the fields do not say; a missing field leaves its words
out. It never raises: a partial or malformed event still gets a (shorter) note.

    >>> english_note(event)
    'On 17 May 2020, SDF forces backed by Coalition forces clashed with IS members in
     Al-Busayrah (Deir ez-Zor), according to SOHR. 2 fatalities reported.'
"""
from __future__ import annotations

import os
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from .model import Event

CIVILIANS = "CIVILIANS"

_ACTIVE = ("active_civilians", "active", "active_alone")
_PASSIVE = ("passive_civilians", "passive", "passive_alone")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """The parsed ``data/notes_templates.yaml``."""
    import yaml

    text = resources.files("marsad").joinpath("data", "notes_templates.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("notes_templates.yaml: expected a mapping")
    return data


def english_note(event: Event) -> str:
    """One ACLED-style English note for ``event`` (never raises)."""
    try:
        return _Note(event, templates()).render()
    except Exception:
        if os.environ.get("MARSAD_DEBUG"):
            raise
        return _fallback(event)


# --- pieces -------------------------------------------------------------------------------

class _Blank(dict):
    """format_map values: an unknown placeholder becomes empty rather than an error."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: Any, **values: Any) -> str:
    return str(template or "").format_map(_Blank(values))


def _str(value: Any) -> str | None:
    """A clean non-empty string, or None."""
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    s = str(value).strip()
    return s or None


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n >= 0 else None


def _strings(value: Any) -> list[str]:
    """A list of distinct non-empty strings from a list (or a single string)."""
    if value is None:
        return []
    items: Iterable[Any] = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []
    out: list[str] = []
    for v in items:
        s = _str(v)
        if s and s not in out:
            out.append(s)
    return out


_SPACES = re.compile(r"\s+")
_SPACE_BEFORE = re.compile(r" +([,.;)])")
_SPACE_AFTER = re.compile(r"\( +")
_EMPTY_PIECE = re.compile(r"([,;])(?=[,.;])")  # ", ." left by an empty piece


def _tidy(s: str) -> str:
    s = _SPACES.sub(" ", s)
    s = _SPACE_BEFORE.sub(r"\1", s)
    s = _SPACE_AFTER.sub("(", s)
    s = _EMPTY_PIECE.sub("", s)
    return s.strip()


def _capitalize(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


@lru_cache(maxsize=256)
def _catalog_short(actor_id: str) -> str | None:
    try:
        from .actors import catalog

        actor = catalog().actors.get(actor_id)
    except Exception:
        return None
    return actor.short if actor is not None and actor.short else None


def _humanize(actor_id: str) -> str:
    """An id that is not in the catalog, readable: SOME_GROUP -> Some Group."""
    words = actor_id.replace("_", " ").split()
    return " ".join(w.capitalize() if w.isupper() and len(w) > 2 else w for w in words)


class _Note:
    def __init__(self, event: Event, t: dict[str, Any]):
        self.e = event
        self.t = t

    def get(self, name: str, default: Any = None) -> Any:
        return getattr(self.e, name, default)

    # date ---------------------------------------------------------------------------------
    def date_phrase(self) -> str:
        raw = _str(self.get("event_date"))
        if raw is None:
            return ""
        dates = self.t.get("dates") or {}
        precision = _int(self.get("time_precision"))
        precision = precision if precision in (1, 2, 3) else 1
        try:
            d = date.fromisoformat(raw[:10])
        except ValueError:
            return _fill(dates.get("unparsed", "On {raw}"), raw=raw)
        months = self.t.get("months") or []
        month = months[d.month - 1] if len(months) >= 12 else d.strftime("%B")
        return _fill(dates.get(precision) or dates.get(str(precision)) or dates.get(1) or "On {day} {month} {year}",
                     day=d.day, month=month, year=d.year)

    # actors -------------------------------------------------------------------------------
    def actor_name(self, actor_id: str, as_actor1: bool = False) -> str:
        if as_actor1:
            special = (self.t.get("actors_as_actor1") or {}).get(actor_id)
            if special:
                return str(special)
        return str((self.t.get("actors") or {}).get(actor_id) or _catalog_short(actor_id) or _humanize(actor_id))

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        comma = self.t.get("list_comma", ", ")
        return comma.join(items[:-1]) + self.t.get("list_and", " and ") + items[-1]

    def actor_phrase(self, main: str | None, assoc: Any, as_actor1: bool) -> str | None:
        if main is None:
            return None
        name = self.actor_name(main, as_actor1)
        others = [self.actor_name(a) for a in _strings(assoc) if a != main]
        if others:
            name = _fill(self.t.get("backed_by", "{actor} backed by {assoc}"), actor=name, assoc=self.join(others))
        return name

    # place --------------------------------------------------------------------------------
    def place_key_and_values(self) -> tuple[str | None, dict[str, str]]:
        loc, admin1 = _str(self.get("location")), _str(self.get("admin1"))
        admin2, country = _str(self.get("admin2")), _str(self.get("country"))
        units = self.t.get("admin1_units") or {}
        unit = str(units.get(country or "", units.get("default", "governorate")))
        paren = f" ({admin1})" if admin1 else ""
        if loc is None:
            if admin1:
                return "admin1", {"name": admin1, "paren": "", "unit": unit}
            if country:
                return "country", {"name": country, "paren": "", "unit": unit}
            return None, {}
        precision = _int(self.get("geo_precision"))
        precision = precision if precision in (1, 2, 3) else 1
        values = {"name": loc, "paren": paren, "unit": unit}
        if precision == 2:
            return ("2_town" if loc not in (admin1, admin2) else "2"), values
        if precision == 3:
            if admin1 and loc == admin1:
                return "3", {"name": loc, "paren": "", "unit": unit}
            if admin2 and loc == admin2:
                return "3_district", values
            return ("3_other" if admin1 or admin2 else "3"), values
        return "1", values

    def place_phrase(self, form: str) -> str:
        key, values = self.place_key_and_values()
        if key is None:
            return ""
        table = (self.t.get("locations") or {}).get(form) or {}
        template = table.get(key)
        if template is None and key[:1].isdigit():
            template = table.get(int(key[0])) or table.get(key[0])
        if template is None:
            template = "{name}{paren}" if form == "object" else "in {name}{paren}"
        return _fill(template, **values)

    # explosive ----------------------------------------------------------------------------
    def device(self) -> str:
        from .text import normalize

        pairs = [p for p in (self.t.get("devices") or []) if isinstance(p, (list, tuple)) and len(p) == 2]
        for field in ("trigger", "evidence"):
            s = _str(self.get(field))
            if not s:
                continue
            s = normalize(s)
            for arabic, english in pairs:
                if normalize(str(arabic)) in s:
                    return str(english)
        return str(self.t.get("device_default", "an explosive device"))

    # fatalities ---------------------------------------------------------------------------
    def counted(self, table_name: str, n: int) -> str:
        table = self.t.get(table_name) or {}
        return _fill(table.get("one") if n == 1 else table.get("many"), n=n)

    def claims_clause(self) -> str:
        claims = self.get("claims")
        if not isinstance(claims, list):
            return ""
        figures: list[tuple[str, int]] = []
        for c in claims:
            if not isinstance(c, dict):
                continue
            source, n = _str(c.get("source")), _int(c.get("fatalities"))
            if source and n is not None and (source, n) not in figures:
                figures.append((source, n))
        if len({n for _, n in figures}) < 2:
            return ""
        f = self.t.get("fatalities") or {}
        listed = ", ".join(_fill(f.get("claim", "{source}: {n}"), source=s, n=n) for s, n in figures)
        return _fill(f.get("claims_differ", ""), claims=listed)

    # the note -----------------------------------------------------------------------------
    def variants(self, spec: dict[str, Any], actor1: str | None, actor2: str | None, civilians_killed: bool
                 ) -> list[str]:
        names = _ACTIVE if actor1 else _PASSIVE
        wanted = [names[0]] if civilians_killed else []
        wanted += [names[1]] if actor2 else []
        wanted += [names[2]]
        return [spec[n] for n in wanted if isinstance(spec.get(n), str)]

    def render(self) -> str:
        t = self.t
        sub = _str(self.get("sub_event_type"))
        actor1_id, actor2_id = _str(self.get("actor1")), _str(self.get("actor2"))
        actor1 = self.actor_phrase(actor1_id, self.get("assoc_actor_1"), as_actor1=True)
        actor2 = self.actor_phrase(actor2_id, self.get("assoc_actor_2"), as_actor1=False)
        fatalities = _int(self.get("fatalities"))
        civilians_killed = actor2_id == CIVILIANS and bool(fatalities)

        spec = (t.get("sub_event_types") or {}).get(sub) if sub else None
        candidates = self.variants(spec, actor1, actor2, civilians_killed) if isinstance(spec, dict) else []
        candidates += self.variants(t.get("default") or {}, actor1, actor2, False)
        template = candidates[0] if candidates else "an event took place {location}"

        values: dict[str, Any] = {
            "actor1": actor1 or "", "actor2": actor2 or "",
            "location": self.place_phrase("in"),
            "place": self.place_phrase("object") or t.get("place_unknown", "an unspecified location"),
            "sub_event_type": sub or _str(self.get("event_type")) or "an unspecified type",
            "event_type": _str(self.get("event_type")) or "",
        }
        if "{device}" in template:
            values["device"] = self.device()
        gives_dead = "{victims" in template
        if gives_dead and fatalities:
            values["victims"] = self.counted("victims", fatalities)
            values["victims_killed"] = self.counted("victims_killed", fatalities)
        body = _tidy(_fill(template, **values))

        sources = _strings(self.get("sources"))
        sources_clause = _fill(t.get("sources", ", according to {sources}"), sources=self.join(sources)) \
            if sources else ""

        fat_clause = ""
        f = t.get("fatalities") or {}
        if fatalities is not None and not gives_dead:
            if fatalities == 0:
                if not (isinstance(spec, dict) and spec.get("zero_fatalities") is False):
                    fat_clause = f.get("zero", "")
            else:
                fat_clause = _fill(f.get("one") if fatalities == 1 else f.get("many"), n=fatalities)
        fat_clause += self.claims_clause()

        date_phrase = self.date_phrase()
        if date_phrase:
            sentence = _fill(t.get("sentence", "{date}, {body}{sources}.{fatalities}"), date=date_phrase, body=body,
                             sources=sources_clause, fatalities=fat_clause)
        else:
            sentence = _fill(t.get("sentence_without_date", "{body}{sources}.{fatalities}"), body=body,
                             sources=sources_clause, fatalities=fat_clause)
        return _capitalize(_tidy(sentence))


def _fallback(event: Any) -> str:
    """A last-resort note from whatever can be read (the templates or the event are broken)."""
    try:
        kind = _str(getattr(event, "sub_event_type", None)) or _str(getattr(event, "event_type", None)) or "Event"
        when = _str(getattr(event, "event_date", None))
        where = _str(getattr(event, "location", None)) or _str(getattr(event, "admin1", None))
        s = kind + (f" in {where}" if where else "") + (f" on {when}" if when else "")
        return s + "."
    except Exception:
        return "Event."
