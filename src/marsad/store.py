"""The event store: articles, the events extracted from them, and the analysts' work on them.

One schema on two engines (SQLAlchemy Core): SQLite in WAL mode, the embedded default, in the
user's data directory, and PostgreSQL by URL for a team server.

- ``articles``: one row per distinct article (same URL or same normalised text = same article).
- ``claims``: one row per event as marsad extracted it from one article: the full extraction
  (fields, evidence, spans) is kept as it was, whatever happens to the event afterwards.
- ``events``: the rows analysts see and export. An event starts as one claim; cross-article
  deduplication moves the claims of a second report into the first event (``merges`` records it,
  so it can be undone); analysts confirm, edit or reject events (``audit`` records who, when,
  before and after).
- ``tokens``: who may write (hashes only).

Every article is stored with its claims and events in one transaction: an interrupted ingest
keeps what was committed, and running it again stores only what is missing.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .ingest import parse_date
from .lexicon import read_tsv
from .model import Article, Event
from .text import normalize

SCHEMA_VERSION = 1
STATUSES = ("auto", "confirmed", "edited", "rejected")
MERGED = "merged"  # an event whose claims were moved into another event (never listed)

metadata = sa.MetaData()

articles = sa.Table(
    "articles", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ext_id", sa.String),  # the id the input gave it
    sa.Column("url", sa.String),
    sa.Column("text_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.String),
    sa.Column("outlet", sa.String),
    sa.Column("published", sa.String(10)),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("origin", sa.String),  # file:line or feed URL it came from
    sa.Column("ingested_at", sa.String(32), nullable=False),
    sa.Column("n_events", sa.Integer, nullable=False, server_default="0"),
    sa.Index("ux_articles_text_hash", "text_hash", unique=True),
    sa.Index("ux_articles_url", "url", unique=True),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(16), nullable=False, server_default="auto"),
    sa.Column("merged_into", sa.Integer, sa.ForeignKey("events.id")),
    sa.Column("event_date", sa.String(10)),
    sa.Column("time_precision", sa.Integer),
    sa.Column("event_type", sa.String, nullable=False),
    sa.Column("sub_event_type", sa.String, nullable=False),
    sa.Column("actor1", sa.String),
    sa.Column("assoc_actor_1", sa.JSON),
    sa.Column("actor2", sa.String),
    sa.Column("assoc_actor_2", sa.JSON),
    sa.Column("country", sa.String),
    sa.Column("admin1", sa.String),
    sa.Column("admin2", sa.String),
    sa.Column("admin3", sa.String),
    sa.Column("location", sa.String),
    sa.Column("location_ar", sa.String),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("geo_precision", sa.Integer),
    sa.Column("pcode", sa.String),
    sa.Column("geonameid", sa.Integer),
    sa.Column("fatalities", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sources", sa.JSON),  # who reported it, according to the articles' text
    sa.Column("outlets", sa.JSON),  # the outlets whose articles report it
    sa.Column("notes", sa.Text),
    sa.Column("confidence", sa.Float),
    sa.Column("n_articles", sa.Integer, nullable=False, server_default="1"),
    sa.Column("search", sa.Text),  # normalised, lower-cased words for text search
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("updated_at", sa.String(32), nullable=False),
    # Listing, newest first, and counting under the usual filters without reading the rows.
    sa.Index("ix_events_filters", "status", "event_date", "country", "admin1", "event_type", "sub_event_type",
             "actor1", "actor2", "fatalities", "latitude", "longitude"),
    sa.Index("ix_events_date", "event_date", "id"),
    sa.Index("ix_events_country", "country", "admin1", "status", "event_date"),
    sa.Index("ix_events_type", "event_type", "sub_event_type", "status", "event_date"),
    sa.Index("ix_events_actor1", "actor1", "status", "event_date"),
    sa.Index("ix_events_actor2", "actor2", "status", "event_date"),
)

# Text search: an FTS5 trigram index on SQLite (any substring of 3+ characters), a pg_trgm GIN
# index on PostgreSQL when the extension can be created; without them, a scan.
_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(search, content='events', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS events_fts_insert AFTER INSERT ON events BEGIN "
    "INSERT INTO events_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER IF NOT EXISTS events_fts_delete AFTER DELETE ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, search) VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER IF NOT EXISTS events_fts_update AFTER UPDATE OF search ON events BEGIN "
    "INSERT INTO events_fts(events_fts, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO events_fts(rowid, search) VALUES (new.id, new.search); END",
]
_PG_TRGM = ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX IF NOT EXISTS ix_events_search ON events USING gin (search gin_trgm_ops)"]
events_fts = sa.table("events_fts", sa.column("rowid", sa.Integer), sa.column("search", sa.Text))

claims = sa.Table(
    "claims", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),  # the event's position in its article
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("original_event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),  # the extracted event, every field and span
    sa.Index("ix_claims_event", "event_id"),
    sa.Index("ix_claims_article", "article_id"),
)

merges = sa.Table(
    "merges", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("target_event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("source_event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("claim_ids", sa.JSON, nullable=False),
    sa.Column("source_status", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("who", sa.String, nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("undone_at", sa.String(32)),
    sa.Index("ix_merges_target", "target_event_id"),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id"), nullable=False),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("who", sa.String, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("comment", sa.Text),
    sa.Index("ix_audit_event", "event_id"),
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32)),
)

meta = sa.Table(
    "marsad_meta", metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
)

# The event columns an analyst may change (PATCH /api/events/{id}).
EDITABLE = ("event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
            "actor2", "assoc_actor_2", "country", "admin1", "admin2", "admin3", "location",
            "latitude", "longitude", "geo_precision", "fatalities", "notes")
# The event columns taken from an extracted event.
_FROM_EXTRACTION = EDITABLE + ("location_ar", "pcode", "geonameid", "sources", "confidence")


class StoreError(Exception):
    """A problem the user can fix (bad URL, unreachable server, bad edit); the message says what."""


class NotFound(StoreError):
    pass


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def text_hash(text: str) -> str:
    """The same article, however it was spaced, diacritised or typed (alef forms, digits)."""
    return hashlib.sha256(" ".join(normalize(text).split()).encode("utf-8")).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def default_db_path() -> Path:
    from .gazetteer_imports import data_dir
    return data_dir() / "workbench.sqlite"


def engine_url(db: str | Path | None) -> str:
    """A SQLAlchemy URL from ``--db``: a PostgreSQL URL, a SQLAlchemy URL, or a SQLite file path."""
    if db is None:
        db = default_db_path()
    s = str(db)
    if s.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + s.split("://", 1)[1]
    if "://" in s:
        return s
    path = Path(s).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


@dataclass
class EventFilter:
    """The ACLED-API-style filters of ``GET /api/events`` (None = no filter)."""
    date_from: str | None = None
    date_to: str | None = None
    country: list[str] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    admin2: list[str] = field(default_factory=list)
    location: list[str] = field(default_factory=list)
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    actor: str | None = None
    min_fatalities: int | None = None
    text: str | None = None
    status: list[str] = field(default_factory=list)  # empty = all but rejected
    article_id: int | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north


DATE_WHERE = ("=", "BETWEEN", ">=", "<=", ">", "<")


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()] if value else []


def _iso(value: str, what: str) -> str:
    try:
        return parse_date(value).isoformat()
    except ValueError:
        raise StoreError(f"{what}: expected YYYY-MM-DD, got {value!r}") from None


def parse_filter(*, event_date: str | None = None, event_date_where: str = "=", country: str | None = None,
                 admin1: str | None = None, admin2: str | None = None, location: str | None = None,
                 event_type: str | None = None, sub_event_type: str | None = None, actor: str | None = None,
                 fatalities: int | None = None, q: str | None = None, status: str | None = None,
                 article: int | None = None, bbox: str | None = None) -> EventFilter:
    """An EventFilter from the API's query parameters (several values joined with "|");
    StoreError says what is wrong with one."""
    f = EventFilter(country=_split(country), admin1=_split(admin1), admin2=_split(admin2), location=_split(location),
                    event_type=_split(event_type), sub_event_type=_split(sub_event_type), actor=actor or None,
                    min_fatalities=fatalities, text=q or None, status=_split(status), article_id=article)
    bad = [s for s in f.status if s not in STATUSES]
    if bad:
        raise StoreError(f"status: unknown {', '.join(bad)} (one of {', '.join(STATUSES)})")
    if event_date:
        where = event_date_where.strip().upper()
        if where not in DATE_WHERE:
            raise StoreError(f"event_date_where: one of {', '.join(DATE_WHERE)}")
        parts = [_iso(p, "event_date") for p in event_date.split("|")]
        if where == "BETWEEN":
            if len(parts) != 2:
                raise StoreError("event_date: BETWEEN needs FROM|TO")
            f.date_from, f.date_to = sorted(parts)
        elif where in (">=", ">"):
            f.date_from = parts[0]
        elif where in ("<=", "<"):
            f.date_to = parts[0]
        else:
            f.date_from = f.date_to = parts[0]
    if bbox:
        try:
            west, south, east, north = (float(v) for v in bbox.split(","))
        except ValueError:
            raise StoreError("bbox: expected west,south,east,north") from None
        f.bbox = (west, south, east, north)
    return f


@dataclass
class AddResult:
    article_id: int
    created: bool
    event_ids: list[int]
    merged: int = 0  # claims merged into events of other articles


@dataclass(frozen=True)
class Taxonomy:
    sub_types: dict[str, list[str]]  # event_type -> its sub-event types, in codebook order
    disorder: dict[str, str]  # sub_event_type -> ACLED disorder type

    def type_of(self, sub_event_type: str) -> str | None:
        return next((t for t, subs in self.sub_types.items() if sub_event_type in subs), None)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    sub_types: dict[str, list[str]] = {}
    disorder: dict[str, str] = {}
    for row in read_tsv("taxonomy.tsv"):
        sub_types.setdefault(row["event_type"], []).append(row["sub_event_type"])
        disorder[row["sub_event_type"]] = row["disorder_type"]
    return Taxonomy(sub_types, disorder)


def actor_names() -> dict[str, str]:
    from .actors import catalog
    return {a.id: a.name for a in catalog().actors.values()}


class Store:
    """The event store on one database. Thread-safe for reading and writing (one engine)."""

    def __init__(self, db: str | Path | None = None, *, create: bool = True) -> None:
        self.url = engine_url(db)
        self.is_sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=8, max_overflow=8)
        self.engine: Engine = sa.create_engine(self.url, **kwargs)
        if self.is_sqlite:
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._actor_names: dict[str, str] | None = None
        self.has_fts = False
        try:
            if create:
                metadata.create_all(self.engine)
                with self.engine.begin() as c:
                    if c.execute(sa.select(meta.c.value).where(meta.c.key == "schema")).scalar() is None:
                        c.execute(meta.insert().values(key="schema", value=str(SCHEMA_VERSION)))
                self.has_fts = self._create_search_index()
        except sa.exc.OperationalError as e:
            raise StoreError(f"cannot open the database {self.display_url}: {_reason(e)}") from None

    def _create_search_index(self) -> bool:
        if self.is_sqlite:
            with self.engine.begin() as c:
                fresh = c.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'events_fts'").scalar() is None
                for ddl in _SQLITE_FTS:
                    c.exec_driver_sql(ddl)
                if fresh:
                    c.exec_driver_sql("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")
            return True
        try:
            with self.engine.begin() as c:
                for ddl in _PG_TRGM:
                    c.exec_driver_sql(ddl)
            return True
        except sa.exc.DBAPIError:  # no pg_trgm, or not allowed to create it: text search scans
            return False

    @property
    def display_url(self) -> str:
        """The URL without its password."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # --- articles in ----------------------------------------------------------------------

    def find_article(self, c: Connection, url: str | None, digest: str) -> int | None:
        cond = articles.c.text_hash == digest
        if url:
            cond = sa.or_(cond, articles.c.url == url)
        return c.execute(sa.select(articles.c.id).where(cond).limit(1)).scalar()

    def has_url(self, url: str) -> bool:
        with self.engine.connect() as c:
            return c.execute(sa.select(articles.c.id).where(articles.c.url == url).limit(1)).scalar() is not None

    def known_article(self, url: str | None, digest: str) -> int | None:
        """The id of the article stored with this URL or this ``text_hash``, if any."""
        with self.engine.connect() as c:
            return self.find_article(c, url, digest)

    def add_article(self, article: Article, extracted: list[Event], *, origin: str | None = None,
                    dedup: bool = True, digest: str | None = None) -> AddResult:
        """Store ``article`` and its events in one transaction; an article already stored (same
        URL or same normalised text) stores nothing and answers ``created=False`` with its events.
        ``digest``: ``text_hash(article.text)``, when the caller has it."""
        from .dedup import find_duplicate
        digest = digest or text_hash(article.text)
        stamp = now()
        try:
            with self.engine.begin() as c:
                known = self.find_article(c, article.url, digest)
                if known is not None:
                    ids = c.execute(sa.select(claims.c.event_id).where(claims.c.article_id == known)
                                    .order_by(claims.c.ordinal)).scalars().all()
                    return AddResult(known, False, list(dict.fromkeys(ids)))
                article_id = c.execute(articles.insert().values(
                    ext_id=article.id or None, url=article.url, text_hash=digest, title=article.title,
                    outlet=article.outlet, published=article.published.isoformat() if article.published else None,
                    text=article.text, origin=origin or article.source_path, ingested_at=stamp,
                    n_events=len(extracted))).inserted_primary_key[0]
                event_ids, merged = [], 0
                for ordinal, ev in enumerate(extracted):
                    payload = _jsonable(ev.to_dict())
                    event_id = c.execute(events.insert().values(
                        **_event_columns(payload, self._names()), status="auto", n_articles=1,
                        outlets=[article.outlet] if article.outlet else [],
                        created_at=stamp, updated_at=stamp)).inserted_primary_key[0]
                    claim_id = c.execute(claims.insert().values(
                        article_id=article_id, ordinal=ordinal, event_id=event_id,
                        original_event_id=event_id, payload=payload)).inserted_primary_key[0]
                    target = find_duplicate(c, event_id, article_id) if dedup else None
                    if target is not None:
                        self._merge(c, target.event_id, event_id, [claim_id], "dedup", target.reason, stamp)
                        event_ids.append(target.event_id)
                        merged += 1
                    else:
                        event_ids.append(event_id)
                return AddResult(article_id, True, event_ids, merged)
        except sa.exc.IntegrityError:
            # Another writer stored the same article between our check and our insert.
            with self.engine.connect() as c:
                known = self.find_article(c, article.url, digest)
            if known is None:
                raise
            return AddResult(known, False, [])

    def _names(self) -> dict[str, str]:
        if self._actor_names is None:
            self._actor_names = actor_names()
        return self._actor_names

    # --- merges ---------------------------------------------------------------------------

    def _merge(self, c: Connection, target_id: int, source_id: int, claim_ids: list[int], who: str,
               reason: str, stamp: str) -> int:
        source_status = c.execute(sa.select(events.c.status).where(events.c.id == source_id)).scalar_one()
        c.execute(claims.update().where(claims.c.id.in_(claim_ids)).values(event_id=target_id))
        c.execute(events.update().where(events.c.id == source_id)
                  .values(status=MERGED, merged_into=target_id, updated_at=stamp))
        merge_id = c.execute(merges.insert().values(
            target_event_id=target_id, source_event_id=source_id, claim_ids=claim_ids,
            source_status=source_status, reason=reason, who=who, at=stamp)).inserted_primary_key[0]
        before = self._refresh(c, target_id, stamp)
        c.execute(audit.insert().values(event_id=target_id, at=stamp, who=who, action="merge",
                                        before=before, after={"merged_event": source_id, "claims": claim_ids},
                                        comment=reason))
        return merge_id

    def unmerge(self, event_id: int, merge_id: int | None, who: str) -> int:
        """Undo a merge into ``event_id`` (its latest if ``merge_id`` is None): the source event
        gets its claims back. Returns the restored event's id."""
        stamp = now()
        with self.engine.begin() as c:
            q = sa.select(merges).where(merges.c.target_event_id == event_id, merges.c.undone_at.is_(None))
            q = q.where(merges.c.id == merge_id) if merge_id is not None else q.order_by(merges.c.id.desc())
            m = c.execute(q.limit(1)).mappings().first()
            if m is None:
                raise NotFound(f"event {event_id} has no merge {merge_id} to undo" if merge_id
                               else f"event {event_id} has no merge to undo")
            source = m["source_event_id"]
            c.execute(claims.update().where(claims.c.id.in_(m["claim_ids"])).values(event_id=source))
            c.execute(events.update().where(events.c.id == source)
                      .values(status=m["source_status"], merged_into=None, updated_at=stamp))
            c.execute(merges.update().where(merges.c.id == m["id"]).values(undone_at=stamp))
            self._refresh(c, source, stamp)
            self._refresh(c, event_id, stamp)
            for eid in (event_id, source):
                c.execute(audit.insert().values(event_id=eid, at=stamp, who=who, action="unmerge",
                                                before={"merge": m["id"]}, after={"restored_event": source},
                                                comment=None))
            return source

    def _refresh(self, c: Connection, event_id: int, stamp: str) -> dict[str, Any]:
        """Recompute the sources, fatalities and counts of an event from its claims. An event an
        analyst confirmed or edited keeps its values; only its sources and article count follow."""
        row = c.execute(sa.select(events).where(events.c.id == event_id)).mappings().one()
        payloads = c.execute(sa.select(claims.c.payload).where(claims.c.event_id == event_id)
                             .order_by(claims.c.id)).scalars().all()
        before = {k: row[k] for k in ("fatalities", "sources", "n_articles", "confidence")}
        if not payloads:
            return before
        outlets = c.execute(sa.select(articles.c.id, articles.c.outlet).join(claims, claims.c.article_id == articles.c.id)
                            .where(claims.c.event_id == event_id).order_by(claims.c.id)).all()
        values: dict[str, Any] = {
            "sources": list(dict.fromkeys(s for p in payloads for s in (p.get("sources") or []))),
            "outlets": list(dict.fromkeys(o for _, o in outlets if o)),
            "n_articles": len({i for i, _ in outlets}), "updated_at": stamp,
            "confidence": max((p.get("confidence") or 0.0) for p in payloads),
        }
        if row["status"] == "auto":
            values["fatalities"] = conservative_fatalities(payloads)
        c.execute(events.update().where(events.c.id == event_id).values(**values))
        return before

    # --- analysts' changes ----------------------------------------------------------------

    def update_event(self, event_id: int, changes: Mapping[str, Any], who: str,
                     status: str | None = None, comment: str | None = None) -> None:
        """Apply an analyst's edit and/or status change, recorded in the audit log."""
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise StoreError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
        if status is not None and status not in STATUSES:
            raise StoreError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        stamp = now()
        with self.engine.begin() as c:
            row = c.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
            if row is None or row["status"] == MERGED:
                raise NotFound(f"event {event_id} not found" if row is None else
                               f"event {event_id} was merged into event {row['merged_into']}")
            merged = {**row, **changes}
            validate_event(merged)
            changed = {k: v for k, v in changes.items() if row[k] != v}
            new_status = status or ("edited" if changed else row["status"])
            if not changed and new_status == row["status"] and not comment:
                return
            before = {k: row[k] for k in changed}
            after = dict(changed)
            if new_status != row["status"]:
                before["status"], after["status"] = row["status"], new_status
            values = {**changed, "status": new_status, "updated_at": stamp}
            if changed:
                values["search"] = _search_text({**row, **changed}, self._names(), _evidence(c, event_id))
            c.execute(events.update().where(events.c.id == event_id).values(**values))
            action = "edit" if changed else {"confirmed": "confirm", "rejected": "reject"}.get(new_status, "status")
            c.execute(audit.insert().values(event_id=event_id, at=stamp, who=who, action=action,
                                            before=before, after=after, comment=comment))

    # --- reading --------------------------------------------------------------------------

    def _where(self, f: EventFilter) -> list[Any]:
        e = events.c
        cond: list[Any] = [e.status.in_(f.status) if f.status else e.status.in_(("auto", "confirmed", "edited"))]
        if f.date_from:
            cond.append(e.event_date >= f.date_from)
        if f.date_to:
            cond.append(e.event_date <= f.date_to)
        for column, values in ((e.country, f.country), (e.admin1, f.admin1), (e.admin2, f.admin2),
                               (e.location, f.location), (e.event_type, f.event_type),
                               (e.sub_event_type, f.sub_event_type)):
            if values:
                cond.append(column.in_(values))
        if f.actor:
            ids = self._actor_ids(f.actor)
            cond.append(sa.or_(e.actor1.in_(ids), e.actor2.in_(ids)) if ids else sa.false())
        if f.min_fatalities is not None:
            cond.append(e.fatalities >= f.min_fatalities)
        if f.text:
            for word in normalize(f.text).lower().split():
                cond.append(self._contains(word))
        if f.article_id is not None:
            cond.append(e.id.in_(sa.select(claims.c.event_id).where(claims.c.article_id == f.article_id)))
        if f.bbox:
            west, south, east, north = f.bbox
            cond += [e.longitude >= west, e.longitude <= east, e.latitude >= south, e.latitude <= north]
        return cond

    def _contains(self, word: str) -> Any:
        """Events whose searchable text contains ``word`` (normalised, lower-case)."""
        if self.is_sqlite and self.has_fts and len(word) >= 3:
            phrase = '"' + word.replace('"', '""') + '"'
            return events.c.id.in_(sa.select(events_fts.c.rowid)
                                   .where(sa.literal_column("events_fts").op("MATCH")(phrase)))
        return events.c.search.like(f"%{_escape_like(word)}%", escape="\\")

    def _actor_ids(self, actor: str) -> list[str]:
        names = self._names()
        if actor in names:
            return [actor]
        needle = actor.lower()
        return [i for i, n in names.items() if needle in n.lower() or needle == i.lower()]

    def count_events(self, f: EventFilter) -> int:
        with self.engine.connect() as c:
            return c.execute(sa.select(sa.func.count()).select_from(events).where(*self._where(f))).scalar_one()

    def _listing(self, f: EventFilter, sort: list[str] | None, fields: list[str] | None) -> Any:
        columns = [col for col in events.c if col.name != "search" and (not fields or col.name in fields or col.name == "id")]
        return sa.select(*columns).where(*self._where(f)).order_by(*_order(sort))

    def list_events(self, f: EventFilter, limit: int | None = 500, offset: int = 0, *,
                    sort: list[str] | None = None, fields: list[str] | None = None) -> list[dict[str, Any]]:
        """A page of events: newest first unless ``sort`` names columns ("-fatalities" = descending);
        ``fields`` keeps only those columns (and the id)."""
        q = self._listing(f, sort, fields)
        if limit is not None:
            q = q.limit(limit).offset(offset)
        with self.engine.connect() as c:
            return [self._public(dict(r)) for r in c.execute(q).mappings()]

    def iter_events(self, f: EventFilter, chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """Every matching event, newest first, streamed from one query (for exports)."""
        with self.engine.connect() as c:
            result = c.execution_options(stream_results=True, yield_per=chunk).execute(self._listing(f, None, None))
            for r in result.mappings():
                yield self._public(dict(r))

    def _public(self, row: dict[str, Any]) -> dict[str, Any]:
        names = self._names()
        row.pop("search", None)
        for actor in ("actor1", "actor2"):
            if actor in row:
                row[f"{actor}_name"] = names.get(row[actor] or "", row[actor])
        for key in ("assoc_actor_1", "assoc_actor_2", "sources", "outlets"):
            if key in row:
                row[key] = row[key] or []
        return row

    def event(self, event_id: int) -> dict[str, Any]:
        """One event with its articles, claims (full extractions), merges and audit log."""
        with self.engine.connect() as c:
            row = c.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
            if row is None:
                raise NotFound(f"event {event_id} not found")
            out = self._public(dict(row))
            claim_rows = c.execute(sa.select(claims).where(claims.c.event_id == event_id)
                                   .order_by(claims.c.id)).mappings().all()
            out["claims"] = [{"id": r["id"], "article_id": r["article_id"], "original_event_id": r["original_event_id"],
                              "event": r["payload"]} for r in claim_rows]
            article_ids = list(dict.fromkeys(r["article_id"] for r in claim_rows))
            arts = {r["id"]: dict(r) for r in c.execute(
                sa.select(articles.c.id, articles.c.title, articles.c.outlet, articles.c.url, articles.c.published)
                .where(articles.c.id.in_(article_ids))).mappings()}
            out["articles"] = [arts[i] for i in article_ids if i in arts]
            out["merges"] = [dict(r) for r in c.execute(
                sa.select(merges.c.id, merges.c.source_event_id, merges.c.claim_ids, merges.c.reason, merges.c.who,
                          merges.c.at, merges.c.undone_at)
                .where(merges.c.target_event_id == event_id).order_by(merges.c.id)).mappings()]
            out["audit"] = [dict(r) for r in c.execute(
                sa.select(audit.c.id, audit.c.at, audit.c.who, audit.c.action, audit.c.before, audit.c.after,
                          audit.c.comment).where(audit.c.event_id == event_id).order_by(audit.c.id)).mappings()]
            return out

    def article(self, article_id: int) -> dict[str, Any]:
        with self.engine.connect() as c:
            row = c.execute(sa.select(articles).where(articles.c.id == article_id)).mappings().first()
            if row is None:
                raise NotFound(f"article {article_id} not found")
            out = {k: v for k, v in row.items() if k != "text_hash"}
            out["claims"] = [{"id": r["id"], "event_id": r["event_id"], "event": r["payload"]} for r in c.execute(
                sa.select(claims.c.id, claims.c.event_id, claims.c.payload)
                .where(claims.c.article_id == article_id).order_by(claims.c.ordinal)).mappings()]
            return out

    def facets(self) -> dict[str, Any]:
        e = events.c
        live = e.status.in_(("auto", "confirmed", "edited"))

        def counts(*cols: Any) -> list[Any]:
            q = sa.select(*cols, sa.func.count()).where(live, *[col.is_not(None) for col in cols]) \
                .group_by(*cols).order_by(sa.func.count().desc())
            with self.engine.connect() as c:
                return c.execute(q).all()

        names = self._names()
        tax = taxonomy()
        subs: dict[str, list[dict[str, Any]]] = {}
        for t, s, n in counts(e.event_type, e.sub_event_type):
            subs.setdefault(t, []).append({"value": s, "count": n})
        actors: dict[str, int] = {}
        for col in (e.actor1, e.actor2):
            for a, n in counts(col):
                actors[a] = actors.get(a, 0) + n
        with self.engine.connect() as c:
            dmin, dmax = c.execute(sa.select(sa.func.min(e.event_date), sa.func.max(e.event_date)).where(live)).one()
            statuses = c.execute(sa.select(e.status, sa.func.count()).where(e.status != MERGED)
                                 .group_by(e.status)).all()
        return {
            "countries": [{"value": v, "count": n} for v, n in counts(e.country)],
            "admin1": [{"country": co, "value": v, "count": n} for co, v, n in counts(e.country, e.admin1)],
            "event_types": [{"value": t, "count": sum(x["count"] for x in s), "sub_event_types": s}
                            for t, s in subs.items()],
            "actors": [{"value": a, "name": names.get(a, a), "count": n}
                       for a, n in sorted(actors.items(), key=lambda kv: -kv[1])],
            "statuses": [{"value": s, "count": n} for s, n in statuses],
            "date_min": dmin, "date_max": dmax,
            "taxonomy": tax.sub_types,
            "actor_catalog": [{"id": i, "name": n} for i, n in names.items()],
        }

    def timeline(self, f: EventFilter, bucket: str | None = None) -> dict[str, Any]:
        """Events and fatalities per day, week or month (chosen from the span of dates if None)."""
        e = events.c
        cond = [*self._where(f), e.event_date.is_not(None)]
        with self.engine.connect() as c:
            rows = c.execute(sa.select(e.event_date, sa.func.count(), sa.func.sum(e.fatalities))
                             .where(*cond).group_by(e.event_date).order_by(e.event_date)).all()
        if bucket is None:
            span = (date.fromisoformat(rows[-1][0]) - date.fromisoformat(rows[0][0])).days if rows else 0
            bucket = "day" if span <= 120 else "week" if span <= 730 else "month"
        out: dict[str, list[int]] = {}
        for d, n, fat in rows:
            key = _bucket(date.fromisoformat(d), bucket)
            acc = out.setdefault(key, [0, 0])
            acc[0] += n
            acc[1] += int(fat or 0)
        return {"bucket": bucket, "data": [{"date": k, "events": v[0], "fatalities": v[1]} for k, v in out.items()]}

    def stats(self) -> dict[str, int]:
        with self.engine.connect() as c:
            return {
                "articles": c.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one(),
                "events": c.execute(sa.select(sa.func.count()).select_from(events)
                                    .where(events.c.status != MERGED)).scalar_one(),
                "merged": c.execute(sa.select(sa.func.count()).select_from(merges)
                                    .where(merges.c.undone_at.is_(None))).scalar_one(),
            }

    # --- tokens ---------------------------------------------------------------------------

    def create_token(self, name: str) -> str:
        if not name.strip():
            raise StoreError("a token needs a name: the person or tool that will use it")
        token = "msd_" + secrets.token_urlsafe(24)
        with self.engine.begin() as c:
            c.execute(tokens.insert().values(name=name.strip(), token_hash=token_hash(token), created_at=now()))
        return token

    def token_owner(self, token: str) -> str | None:
        with self.engine.connect() as c:
            return c.execute(sa.select(tokens.c.name).where(tokens.c.token_hash == token_hash(token),
                                                            tokens.c.revoked_at.is_(None))).scalar()

    def list_tokens(self) -> list[dict[str, Any]]:
        with self.engine.connect() as c:
            return [dict(r) for r in c.execute(sa.select(tokens.c.id, tokens.c.name, tokens.c.created_at,
                                                         tokens.c.revoked_at).order_by(tokens.c.id)).mappings()]

    def revoke_token(self, token_id: int) -> None:
        with self.engine.begin() as c:
            if c.execute(tokens.update().where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                         .values(revoked_at=now())).rowcount == 0:
                raise NotFound(f"no active token {token_id}")


# --- helpers ------------------------------------------------------------------------------

SORTABLE = ("event_date", "id", "fatalities", "country", "admin1", "admin2", "location", "event_type",
            "sub_event_type", "actor1", "actor2", "status", "confidence", "n_articles", "updated_at")


def _order(sort: list[str] | None) -> list[Any]:
    """ORDER BY terms for ``sort`` (column names, "-" for descending), newest first by default;
    the id always breaks ties so that pages never overlap."""
    terms: list[Any] = []
    for key in sort or ["-event_date"]:
        name = key.lstrip("-+ ")
        if name not in SORTABLE:
            raise StoreError(f"sort: unknown column {name!r} (one of {', '.join(SORTABLE)})")
        col = events.c[name]
        terms.append(col.desc().nulls_last() if key.startswith("-") else col.asc().nulls_last())
    if not any(k.lstrip("-+ ") == "id" for k in sort or []):
        terms.append(events.c.id.desc())
    return terms


def conservative_fatalities(payloads: Iterable[Mapping[str, Any]]) -> int:
    """ACLED's rule when reports differ: the lowest figure among the sources that give one
    (a report that does not mention deaths does not count as a report of none)."""
    figures = [int(p.get("fatalities") or 0) for p in payloads if p.get("fatalities_span")]
    return min(figures) if figures else 0


def validate_event(row: Mapping[str, Any]) -> None:
    """Raise StoreError when an edited event breaks the contract (taxonomy, date, ranges)."""
    tax = taxonomy()
    if row["event_type"] not in tax.sub_types:
        raise StoreError(f"unknown event_type {row['event_type']!r}")
    if row["sub_event_type"] not in tax.sub_types[row["event_type"]]:
        raise StoreError(f"{row['sub_event_type']!r} is not a sub-event type of {row['event_type']!r}")
    if row.get("event_date") is not None:
        try:
            date.fromisoformat(str(row["event_date"]))
        except ValueError:
            raise StoreError(f"event_date must be YYYY-MM-DD, not {row['event_date']!r}") from None
    if row.get("time_precision") not in (None, 1, 2, 3):
        raise StoreError("time_precision must be 1, 2 or 3")
    if row.get("geo_precision") not in (None, 1, 2, 3):
        raise StoreError("geo_precision must be 1, 2 or 3")
    if not isinstance(row.get("fatalities"), int) or row["fatalities"] < 0:
        raise StoreError("fatalities must be a whole number, 0 or more")
    lat, lon = row.get("latitude"), row.get("longitude")
    if lat is not None and not -90 <= float(lat) <= 90:
        raise StoreError("latitude must be between -90 and 90")
    if lon is not None and not -180 <= float(lon) <= 180:
        raise StoreError("longitude must be between -180 and 180")
    for key in ("assoc_actor_1", "assoc_actor_2"):
        if row.get(key) is not None and not (isinstance(row[key], list) and all(isinstance(a, str) for a in row[key])):
            raise StoreError(f"{key} must be a list of actor ids")


def _event_columns(payload: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    values = {k: payload.get(k) for k in _FROM_EXTRACTION}
    values["fatalities"] = int(values["fatalities"] or 0)
    values["search"] = _search_text(values, names, payload.get("evidence") or "")
    return values


def _search_text(row: Mapping[str, Any], names: Mapping[str, str], evidence: str) -> str:
    words = [row.get(k) or "" for k in ("location", "location_ar", "admin1", "admin2", "admin3", "notes",
                                        "actor1", "actor2")]
    words += [names.get(a, "") for a in (row.get("actor1"), row.get("actor2")) if a]
    words += list(row.get("sources") or []) + [evidence]
    return normalize(" ".join(words)).lower()


def _evidence(c: Connection, event_id: int) -> str:
    return " ".join(p.get("evidence") or "" for p in c.execute(
        sa.select(claims.c.payload).where(claims.c.event_id == event_id)).scalars())


def _escape_like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _bucket(d: date, bucket: str) -> str:
    if bucket == "month":
        return d.replace(day=1).isoformat()
    if bucket == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.isoformat()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _reason(e: Exception) -> str:
    orig = getattr(e, "orig", None)
    return str(orig or e).strip().splitlines()[0]
