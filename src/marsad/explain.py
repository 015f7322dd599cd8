"""Why marsad found each event: ``explain(article_text, events, console)``.

For every event it prints a header (date, type, place, confidence), the rule that chose the
type, a table field -> value -> how it was found (``field_sources``) -> confidence
(``field_confidence``) -> the words of the article behind it (the spans, sliced from the
original text), the evidence sentences with every span highlighted, the fatality claims of
each source, and the English note.

Highlight styles (``STYLES``): trigger bold red, date cyan, place green, actors yellow,
fatalities magenta, sources blue.

Right-to-left text: every Arabic line, and every Arabic run inside an English line or a table
cell, is wrapped in Unicode isolates (U+2067 RIGHT-TO-LEFT ISOLATE ... U+2069 POP DIRECTIONAL
ISOLATE), so a terminal's bidi algorithm cannot reorder the surrounding columns or words.
``bidi_isolates=False`` (``marsad explain --no-bidi-isolates``) prints the text bare.
"""
from __future__ import annotations

import re
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .model import Event

RLI, PDI = "\u2067", "\u2069"

STYLES = {
    "trigger": "bold red",
    "date": "cyan",
    "place": "green",
    "actors": "yellow",
    "fatalities": "magenta",
    "sources": "blue",
}
# Overlapping spans: later layers win (the trigger above all).
_LAYERS = ("actors", "place", "date", "sources", "fatalities", "trigger")

_ARABIC = "\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF"
_HAS_ARABIC = re.compile(f"[{_ARABIC}]")
# An Arabic run: Arabic letters, with the spaces, digits and punctuation between them.
_ARABIC_RUN = re.compile(f"[{_ARABIC}](?:[{_ARABIC}\\s\\d.,:;!?\"'()/«»“”-]*[{_ARABIC}])?")
_MAX_SLICES = 6


def explain(article_text: str, events: list[Event], console: Console, *, bidi_isolates: bool = True) -> None:
    """Print, for each of ``events`` (found in ``article_text``), how it was found."""
    view = _View(article_text or "", console, bidi_isolates)
    if not events:
        console.print(Text("(no events)", style="dim"))
        return
    view.legend()
    for i, event in enumerate(events, 1):
        view.event(event, i, len(events))


def isolate(s: str, enabled: bool = True) -> str:
    """``s`` with each Arabic run wrapped in RLI ... PDI (``s`` itself when disabled or not Arabic)."""
    if not enabled or not s or not _HAS_ARABIC.search(s):
        return s
    return _ARABIC_RUN.sub(lambda m: RLI + m.group(0) + PDI, s)


# --- helpers ------------------------------------------------------------------------------

def _span(value: Any, n: int) -> tuple[int, int] | None:
    """A valid ``[start, end]`` inside a text of length ``n``, or None."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    a, b = value
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int) or not isinstance(b, int):
        return None
    if 0 <= a < b <= n:
        return a, b
    return None


def _spans(values: Any, n: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if isinstance(values, (list, tuple)):
        for v in values:
            s = _span(v, n)
            if s and s not in out:
                out.append(s)
    return out


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _short(actor_id: str) -> str | None:
    try:
        from .actors import catalog

        actor = catalog().actors.get(actor_id)
    except Exception:
        return None
    return actor.short if actor is not None else None


class _View:
    def __init__(self, text: str, console: Console, bidi: bool):
        self.text = text
        self.console = console
        self.bidi = bidi

    # text pieces ----------------------------------------------------------------------------
    def iso(self, s: str) -> str:
        return isolate(s, self.bidi)

    def line(self, t: Text) -> Text:
        """A whole line of (Arabic) text, isolated as one unit."""
        if self.bidi and _HAS_ARABIC.search(t.plain):
            return Text.assemble(RLI, t, PDI)
        return t

    def plain(self, s: str, style: str = "") -> Text:
        return Text(self.iso(s), style=style)

    def slices(self, spans: list[tuple[int, int]], style: str) -> Text:
        """The words behind ``spans``, each isolated, in the row's style."""
        out = Text()
        shown: list[str] = []
        for a, b in spans:
            words = " ".join(self.text[a:b].split())
            if words and words not in shown:
                shown.append(words)
        for i, words in enumerate(shown[:_MAX_SLICES]):
            if i:
                out.append(" · ", style="dim")
            out.append_text(self.line(Text(words, style=style)))
        if len(shown) > _MAX_SLICES:
            out.append(f" (+{len(shown) - _MAX_SLICES})", style="dim")
        return out

    # the parts ------------------------------------------------------------------------------
    def legend(self) -> None:
        t = Text("highlights: ", style="dim")
        for i, (name, style) in enumerate(STYLES.items()):
            if i:
                t.append(" ")
            t.append(name, style=style)
        self.console.print(t)

    def event(self, e: Event, i: int, n: int) -> None:
        c = self.console
        c.rule(style="dim")
        c.print(self.header(e, i, n))
        rule = getattr(e, "rule", None)
        c.print(Text.assemble(("rule: ", "bold"), self.plain(str(rule)) if rule else Text("(not recorded)", "dim")))
        c.print(self.table(e))
        self.evidence(e)
        self.claims(e)
        c.print(Text.assemble(("notes: ", "bold"), self.plain(self.note(e))))

    def header(self, e: Event, i: int, n: int) -> Text:
        date = getattr(e, "event_date", None) or "date unknown"
        precision = {2: " (week of)", 3: " (month of)"}.get(getattr(e, "time_precision", 1), "")
        kind = " / ".join(str(x) for x in (getattr(e, "event_type", None), getattr(e, "sub_event_type", None)) if x)
        return Text.assemble(
            (f"Event {i}/{n}: ", "bold"), (f"{date}{precision}", STYLES["date"]), "  ",
            (kind or "type unknown", "bold"), "  ", self.plain(self.place(e), STYLES["place"]), "  ",
            ("confidence ", "dim"), self.confidence(getattr(e, "confidence", None), getattr(e, "field_confidence", None)),
        )

    @staticmethod
    def confidence(value: Any, per_field: Any = None) -> Text:
        x = _number(value)
        if x is None or (x == 0 and not per_field):
            return Text("n/a", style="dim")
        style = "green" if x >= 0.8 else "yellow" if x >= 0.5 else "red"
        return Text(f"{x:.2f}", style=style)

    @staticmethod
    def place(e: Event) -> str:
        loc, loc_ar, admin1 = getattr(e, "location", None), getattr(e, "location_ar", None), getattr(e, "admin1", None)
        name = " / ".join(str(x) for x in (loc, loc_ar) if x) or "place unknown"
        return f"{name} ({admin1})" if admin1 else name

    def note(self, e: Event) -> str:
        notes = getattr(e, "notes", None)
        if isinstance(notes, str) and notes.strip():
            return notes
        from .notes import english_note

        return english_note(e)

    def table(self, e: Event) -> Table:
        n = len(self.text)
        field_sources = getattr(e, "field_sources", None) or {}
        field_conf = getattr(e, "field_confidence", None) or {}
        field_sources = field_sources if isinstance(field_sources, dict) else {}
        field_conf = field_conf if isinstance(field_conf, dict) else {}
        actor_spans = getattr(e, "actor_spans", None) or {}
        actor_spans = actor_spans if isinstance(actor_spans, dict) else {}

        def actor_row(role: str, ids: list[str]) -> tuple[str, str, list[str], list[tuple[int, int]], str]:
            spans: list[tuple[int, int]] = []
            for key in [*ids, role]:
                spans += [s for s in _spans(actor_spans.get(key), n) if s not in spans]
            value = ", ".join(f"{a} ({_short(a)})" if _short(a) and _short(a) != a else a for a in ids)
            return role, value, [role], spans, "actors"

        date = getattr(e, "event_date", None)
        precision = getattr(e, "time_precision", None)
        kind = " / ".join(str(x) for x in (getattr(e, "event_type", None), getattr(e, "sub_event_type", None)) if x)
        lat, lon = getattr(e, "latitude", None), getattr(e, "longitude", None)
        where = self.place(e)
        if getattr(e, "geo_precision", None):
            where += f"; precision {e.geo_precision}"
        if lat is not None and lon is not None:
            where += f"; {lat}, {lon}"
        trigger_spans = [s for s in [_span(getattr(e, "trigger_span", None), n)] if s]
        rows: list[tuple[str, str, list[str], list[tuple[int, int]], str]] = [
            ("event_date", f"{date or '-'}" + (f" (precision {precision})" if precision else ""),
             ["event_date", "date", "time_precision"], [s for s in [_span(getattr(e, "date_span", None), n)] if s],
             "date"),
            ("type", kind or "-", ["event_type", "sub_event_type", "type"], trigger_spans, "trigger"),
        ]
        actor1, actor2 = getattr(e, "actor1", None), getattr(e, "actor2", None)
        rows.append(actor_row("actor1", [actor1] if actor1 else []))
        if _list(getattr(e, "assoc_actor_1", None)):
            rows.append(actor_row("assoc_actor_1", _list(e.assoc_actor_1)))
        rows.append(actor_row("actor2", [actor2] if actor2 else []))
        if _list(getattr(e, "assoc_actor_2", None)):
            rows.append(actor_row("assoc_actor_2", _list(e.assoc_actor_2)))
        rows += [
            ("location", where, ["location", "admin1", "geo_precision", "latitude", "longitude", "location_ar"],
             [s for s in [_span(getattr(e, "location_span", None), n)] if s], "place"),
            ("fatalities", str(getattr(e, "fatalities", "-")), ["fatalities"],
             [s for s in [_span(getattr(e, "fatalities_span", None), n)] if s], "fatalities"),
            ("sources", ", ".join(_list(getattr(e, "sources", None))) or "-", ["sources"],
             _spans(getattr(e, "source_spans", None), n), "sources"),
        ]
        used = {k for row in rows for k in row[2]}
        for key in [*field_sources, *field_conf]:  # anything else the extractor explained
            if key not in used:
                used.add(key)
                rows.append((key, str(getattr(e, key, "")), [key], [], ""))

        table = Table(show_header=True, header_style="bold", show_lines=False, box=None, pad_edge=False)
        for name, kw in (("field", {"no_wrap": True}), ("value", {}), ("how found", {}),
                         ("conf", {"justify": "right", "no_wrap": True}), ("text", {})):
            table.add_column(name, overflow="fold", **kw)
        for name, value, keys, spans, style_name in rows:
            how = [str(field_sources[k]) for k in keys if field_sources.get(k)]
            conf = next((field_conf[k] for k in keys if k in field_conf), None)
            style = STYLES.get(style_name, "")
            table.add_row(Text(name, style=style), self.plain(value), self.plain("; ".join(dict.fromkeys(how))),
                          self.confidence(conf, True) if conf is not None else Text("-", "dim"),
                          self.slices(spans, style))
        return table

    def highlights(self, e: Event) -> list[tuple[tuple[int, int], str]]:
        n = len(self.text)
        layers: dict[str, list[tuple[int, int]]] = {name: [] for name in _LAYERS}
        actor_spans = getattr(e, "actor_spans", None)
        if isinstance(actor_spans, dict):
            for spans in actor_spans.values():
                layers["actors"] += _spans(spans, n)
        for name, attr in (("place", "location_span"), ("date", "date_span"), ("fatalities", "fatalities_span"),
                           ("trigger", "trigger_span")):
            s = _span(getattr(e, attr, None), n)
            if s:
                layers[name].append(s)
        layers["sources"] += _spans(getattr(e, "source_spans", None), n)
        for claim in getattr(e, "claims", None) or []:
            if isinstance(claim, dict):
                s = _span(claim.get("span"), n)
                if s:
                    layers["fatalities"].append(s)
        return [(s, STYLES[name]) for name in _LAYERS for s in layers[name]]

    def evidence_spans(self, e: Event) -> list[tuple[int, int]]:
        spans = sorted(_spans(getattr(e, "evidence_spans", None), len(self.text)))
        if not spans:
            evidence = getattr(e, "evidence", None)
            at = self.text.find(evidence) if isinstance(evidence, str) and evidence.strip() else -1
            if at >= 0:
                spans = [(at, at + len(evidence))]
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def evidence(self, e: Event) -> None:
        c = self.console
        c.print(Text("evidence:", style="bold"))
        spans = self.evidence_spans(e)
        if not spans:
            evidence = getattr(e, "evidence", None)
            if isinstance(evidence, str) and evidence.strip():
                c.print(Text("  (not found in the text; shown without highlights)", style="dim"))
                for ln in evidence.split("\n"):
                    if ln.strip():
                        c.print(Text.assemble("  ", self.line(Text(ln.strip()))))
            else:
                c.print(Text("  (none)", style="dim"))
            return
        marks = self.highlights(e)
        for a, b in spans:
            t = Text(self.text[a:b])
            for (s, f), style in marks:
                if s < b and f > a:
                    t.stylize(style, max(s, a) - a, min(f, b) - a)
            for ln in t.split("\n"):
                lead = len(ln.plain) - len(ln.plain.lstrip())
                ln = ln[lead:]
                ln.rstrip()
                if ln.plain:
                    c.print(Text.assemble("  ", self.line(ln)))

    def claims(self, e: Event) -> None:
        claims = [x for x in (getattr(e, "claims", None) or []) if isinstance(x, dict)]
        if not claims:
            return
        n = len(self.text)
        self.console.print(Text("claims:", style="bold"))
        for claim in claims:
            span = _span(claim.get("span"), n)
            t = Text.assemble("  ", (str(claim.get("source") or "?"), STYLES["sources"]), ": ",
                              (str(claim.get("fatalities", "?")), STYLES["fatalities"]))
            if span:
                t.append("  ")
                t.append_text(self.slices([span], STYLES["fatalities"]))
            self.console.print(t)
