"""Writing events: a readable table, JSON Lines, JSON and CSV.

- ``jsonl``: one line per article, ``{"id": ..., "events": [event, ...]}`` (what
  ``shared/eval/score.py`` reads as predictions); written as articles are processed.
- ``json``: a list of those article objects.
- ``csv``: one row per event, ``article_id`` then ``model.EVENT_FIELDS``; list and dict
  cells are JSON, empty cells are null.
- ``table``: a rich table for people, one row per event.
"""
from __future__ import annotations

import csv
import json
import os
from typing import Any, TextIO

from .model import EVENT_FIELDS, Article, Event

SUFFIX_FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv", ".txt": "table"}


def article_record(article: Article, events: list[Event], with_text: bool = False) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": article.id, "events": [e.to_dict() for e in events]}
    if with_text:
        rec.update(published=article.published.isoformat() if article.published else None,
                   title=article.title, text=article.text)
    return rec


class Writer:
    """Receives (article, events) pairs one at a time; ``close`` finishes the output."""

    def __init__(self, stream: TextIO, with_text: bool = False):
        self.stream = stream
        self.with_text = with_text

    def write(self, article: Article, events: list[Event]) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.stream.flush()


class JsonlWriter(Writer):
    def write(self, article: Article, events: list[Event]) -> None:
        self.stream.write(json.dumps(article_record(article, events, self.with_text), ensure_ascii=False) + "\n")
        self.stream.flush()


class JsonWriter(Writer):
    def __init__(self, stream: TextIO, with_text: bool = False):
        super().__init__(stream, with_text)
        self.records: list[dict[str, Any]] = []

    def write(self, article: Article, events: list[Event]) -> None:
        self.records.append(article_record(article, events, self.with_text))

    def close(self) -> None:
        json.dump(self.records, self.stream, ensure_ascii=False, indent=2)
        self.stream.write("\n")
        super().close()


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


class CsvWriter(Writer):
    def __init__(self, stream: TextIO, with_text: bool = False):
        super().__init__(stream, with_text)
        self.csv = csv.writer(stream, lineterminator="\n")
        self.csv.writerow(["article_id", *EVENT_FIELDS])

    def write(self, article: Article, events: list[Event]) -> None:
        for e in events:
            d = e.to_dict()
            self.csv.writerow([article.id, *(_cell(d.get(f)) for f in EVENT_FIELDS)])
        self.stream.flush()


class TableWriter(Writer):
    """Collects rows and prints one table at the end (column widths need every row)."""

    HEADERS = ("article", "date", "type / sub-type", "actor1 (+assoc)", "actor2 (+assoc)",
               "location (admin1)", "fatalities", "sources")

    def __init__(self, stream: TextIO, with_text: bool = False):
        super().__init__(stream, with_text)
        self.rows: list[tuple[str, ...] | None] = []
        self.n_articles = 0
        self.n_events = 0

    def write(self, article: Article, events: list[Event]) -> None:
        self.n_articles += 1
        self.n_events += len(events)
        if not events:
            self.rows.append((article.id, "", "(no events)", "", "", "", "", ""))
        for e in events:
            self.rows.append((article.id, _date(e), f"{e.event_type} / {e.sub_event_type}",
                              _actors(e.actor1, e.assoc_actor_1), _actors(e.actor2, e.assoc_actor_2),
                              _place(e), str(e.fatalities), ", ".join(e.sources or [])))

    def close(self) -> None:
        from rich.console import Console
        from rich.table import Table

        table = Table(caption=f"{self.n_events} event(s) in {self.n_articles} article(s)", show_lines=True)
        for h in self.HEADERS:
            table.add_column(h, justify="right" if h == "fatalities" else "left", overflow="fold")
        for row in self.rows:
            table.add_row(*row, style="dim" if row[2] == "(no events)" else None)
        tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        width = None if tty else int(os.environ.get("COLUMNS") or 160)
        Console(file=self.stream, width=width, highlight=False, soft_wrap=False).print(table)
        super().close()


def _date(e: Event) -> str:
    d = e.event_date or "?"
    if e.time_precision == 2:
        return f"{d} (week)"
    if e.time_precision == 3:
        return f"{d[:7]} (month)"
    return d


def _actors(main: str | None, assoc: list[str] | None) -> str:
    s = main or "-"
    return f"{s} (+{', '.join(assoc)})" if assoc else s


def _place(e: Event) -> str:
    name = e.location or e.location_ar or "?"
    if e.location and e.location_ar:
        name = f"{e.location} / {e.location_ar}"
    return f"{name} ({e.admin1})" if e.admin1 else name


WRITERS: dict[str, type[Writer]] = {"table": TableWriter, "jsonl": JsonlWriter, "json": JsonWriter, "csv": CsvWriter}
FORMATS = tuple(WRITERS)


def make_writer(fmt: str, stream: TextIO, with_text: bool = False) -> Writer:
    return WRITERS[fmt](stream, with_text)
