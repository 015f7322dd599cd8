"""The workbench's REST API (FastAPI) and the web app it serves. The contract is docs/API.md.

``create_app(store)`` builds the application; ``marsad serve`` runs it with uvicorn. Read
endpoints are open; write endpoints need ``Authorization: Bearer TOKEN`` (a token from
``marsad token create``, or the one ``marsad serve`` prints for its own run).
"""
from __future__ import annotations

import hmac
import json
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .exports import FORMATS, MEDIA_TYPES, SUFFIXES, text_chunks, write_parquet
from .ingest import InputError, parse_date, text_to_article
from .store import EventFilter, NotFound, Store, StoreError, parse_filter

STATIC_DIR = Path(str(files("marsad") / "web" / "static"))
SWAGGER_JS = "/static/vendor/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = "/static/vendor/swagger-ui/swagger-ui.css"
DEFAULT_LIMIT, MAX_LIMIT = 500, 5000


# --- documented shapes ----------------------------------------------------------------------

class EventOut(BaseModel):
    """An event in list form (docs/API.md)."""
    model_config = ConfigDict(extra="allow")
    id: int
    status: str
    event_date: Optional[str]
    event_type: str
    sub_event_type: str
    actor1: Optional[str]
    actor2: Optional[str]
    country: Optional[str]
    admin1: Optional[str]
    location: Optional[str]
    latitude: Optional[float]
    longitude: Optional[float]
    fatalities: int
    sources: list[str]
    n_articles: int


class EventList(BaseModel):
    success: bool = True
    total: int
    count: int
    page: int
    limit: int
    data: list[EventOut]


class EventDetail(EventOut):
    """An event with its articles, claims (full extractions with spans), merges and audit log."""
    articles: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    merges: list[dict[str, Any]]
    audit: list[dict[str, Any]]


class EventPatch(BaseModel):
    """Confirm, reject or edit an event. Unset fields are left as they are."""
    model_config = ConfigDict(extra="forbid")
    status: Optional[Literal["auto", "confirmed", "edited", "rejected"]] = None
    comment: Optional[str] = Field(None, max_length=2000)
    event_date: Optional[str] = None
    time_precision: Optional[int] = None
    event_type: Optional[str] = None
    sub_event_type: Optional[str] = None
    actor1: Optional[str] = None
    assoc_actor_1: Optional[list[str]] = None
    actor2: Optional[str] = None
    assoc_actor_2: Optional[list[str]] = None
    country: Optional[str] = None
    admin1: Optional[str] = None
    admin2: Optional[str] = None
    admin3: Optional[str] = None
    location: Optional[str] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    geo_precision: Optional[int] = None
    fatalities: Optional[int] = None
    notes: Optional[str] = None


class UnmergeIn(BaseModel):
    merge_id: Optional[int] = None


class ArticleIn(BaseModel):
    """An article to ingest: Arabic text and what is known about it."""
    text: str = Field(..., min_length=1, max_length=10_000_000)
    title: Optional[str] = None
    published: Optional[str] = Field(None, description="YYYY-MM-DD (relative dates are resolved against it)")
    url: Optional[str] = None
    outlet: Optional[str] = None
    id: Optional[str] = None


class ArticleAdded(BaseModel):
    article_id: int
    created: bool
    event_ids: list[int]


def _json(data: Any, status: int = 200) -> Response:
    """JSON without FastAPI's per-field encoder (a page of 500 events stays fast)."""
    return Response(json.dumps(data, ensure_ascii=False, default=str), status_code=status,
                    media_type="application/json")


def _split_commas(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] or None if value else None


def event_filter(
    event_date: Annotated[Optional[str], Query(description="YYYY-MM-DD, or FROM|TO with event_date_where=BETWEEN")] = None,
    event_date_where: Annotated[str, Query(description="=, BETWEEN, >=, <=")] = "=",
    country: Annotated[Optional[str], Query(description="country names joined with |")] = None,
    admin1: Optional[str] = None,
    admin2: Optional[str] = None,
    location: Optional[str] = None,
    event_type: Optional[str] = None,
    sub_event_type: Optional[str] = None,
    actor: Annotated[Optional[str], Query(description="actor id or part of an actor's name")] = None,
    fatalities: Annotated[Optional[int], Query(ge=0, description="at least this many")] = None,
    q: Annotated[Optional[str], Query(max_length=200, description="text search")] = None,
    status: Annotated[Optional[str], Query(description="auto|confirmed|edited|rejected; default all but rejected")] = None,
    article: Annotated[Optional[int], Query(description="events supported by this article")] = None,
    bbox: Annotated[Optional[str], Query(description="west,south,east,north")] = None,
) -> EventFilter:
    """The filters of GET /api/events (and of the exports)."""
    return parse_filter(event_date=event_date, event_date_where=event_date_where, country=country, admin1=admin1,
                        admin2=admin2, location=location, event_type=event_type, sub_event_type=sub_event_type,
                        actor=actor, fatalities=fatalities, q=q, status=status, article=article, bbox=bbox)


def writer(request: Request, authorization: Annotated[Optional[str], Header()] = None) -> str:
    """Who is writing, from the bearer token; 401 otherwise."""
    state = request.app.state
    token = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else ""
    if token and state.session_token and hmac.compare_digest(token, state.session_token):
        return state.session_who
    who = state.store.token_owner(token) if token else None
    if who is None:
        raise HTTPException(401, "a valid token is needed: Authorization: Bearer TOKEN (marsad token create NAME)",
                            headers={"WWW-Authenticate": "Bearer"})
    return who


Writer = Annotated[str, Depends(writer)]
Filters = Annotated[EventFilter, Depends(event_filter)]


def create_app(store: Store, *, session_token: str | None = None, session_who: str = "marsad serve") -> FastAPI:
    app = FastAPI(title="marsad workbench API", version=__version__, docs_url=None, redoc_url=None,
                  description="Events extracted from Arabic conflict news: query, check, correct, export. "
                              "Write endpoints need `Authorization: Bearer TOKEN` (`marsad token create NAME`).")

    app.state.store, app.state.session_token, app.state.session_who = store, session_token, session_who

    @app.exception_handler(NotFound)
    def _not_found(_: Request, e: NotFound) -> Response:
        return _json({"detail": str(e)}, 404)

    @app.exception_handler(StoreError)
    def _bad(_: Request, e: StoreError) -> Response:
        return _json({"detail": str(e)}, 422)

    @app.get("/api/events", response_model=EventList, tags=["events"],
             responses={200: {"content": {MEDIA_TYPES[k]: {} for k in FORMATS}}})
    def list_events(f: Filters, limit: Annotated[Optional[int], Query(ge=1, le=MAX_LIMIT * 100)] = None,
                    page: Annotated[int, Query(ge=1)] = 1,
                    format: Literal["json", "csv", "geojson", "jsonl", "parquet"] = "json",
                    sort: Annotated[Optional[str], Query(description="columns joined with ',', '-' for descending; "
                                                                     "default -event_date")] = None,
                    fields: Annotated[Optional[str], Query(description="JSON only: the columns to return, "
                                                                       "joined with ','")] = None) -> Response:
        """Events, newest first, with ACLED-API-style filters; `format` picks JSON, ACLED-style CSV,
        GeoJSON, JSON Lines or Parquet (the export formats return every match unless `limit` is set)."""
        if format == "json":
            size = min(limit or DEFAULT_LIMIT, MAX_LIMIT)
            rows = store.list_events(f, size, (page - 1) * size, sort=_split_commas(sort),
                                     fields=_split_commas(fields))
            return _json({"success": True, "total": store.count_events(f), "count": len(rows),
                          "page": page, "limit": size, "data": rows})
        rows_iter = store.iter_events(f) if limit is None else iter(store.list_events(f, limit, (page - 1) * limit))
        headers = {"Content-Disposition": f'attachment; filename="marsad-events{SUFFIXES[format]}"'}
        if format == "parquet":
            with tempfile.SpooledTemporaryFile(max_size=64 * 2**20) as tmp:
                write_parquet(rows_iter, tmp)
                tmp.seek(0)
                return Response(tmp.read(), media_type=MEDIA_TYPES[format], headers=headers)
        return StreamingResponse((chunk.encode("utf-8") for chunk in text_chunks(format, rows_iter)),
                                 media_type=MEDIA_TYPES[format], headers=headers)

    @app.get("/api/events/{event_id}", response_model=EventDetail, tags=["events"])
    def get_event(event_id: int) -> Response:
        """One event, with the articles that report it, each article's extraction (claims) with
        the evidence spans, the merges into it and its audit log."""
        return _json(store.event(event_id))

    @app.patch("/api/events/{event_id}", response_model=EventDetail, tags=["events"])
    def patch_event(event_id: int, body: EventPatch, who: Writer) -> Response:
        """Confirm, reject or edit an event; recorded in its audit log with who, when, before and after."""
        changes = body.model_dump(exclude_unset=True)
        status, comment = changes.pop("status", None), changes.pop("comment", None)
        store.update_event(event_id, changes, who, status=status, comment=comment)
        return _json(store.event(event_id))

    @app.post("/api/events/{event_id}/unmerge", tags=["events"])
    def unmerge(event_id: int, who: Writer, body: Optional[UnmergeIn] = None) -> Response:
        """Undo a cross-article merge into this event (its latest, or `merge_id`)."""
        restored = store.unmerge(event_id, body.merge_id if body else None, who)
        return _json({"restored_event_id": restored, "event": store.event(event_id)})

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def get_article(article_id: int) -> Response:
        """An article's text and the events extracted from it, with their spans into the text."""
        return _json(store.article(article_id))

    @app.post("/api/articles", response_model=ArticleAdded, status_code=201, tags=["articles"])
    def post_article(body: ArticleIn, who: Writer) -> Response:
        """Ingest one article: extract its events and store them (200 if it was already stored)."""
        from .intake import store_article
        try:
            published = parse_date(body.published) if body.published else None
        except ValueError:
            raise HTTPException(422, f"published: expected YYYY-MM-DD, got {body.published!r}") from None
        article = text_to_article(body.text, f"api ({who})", ident=body.id or "", published=published,
                                  title=body.title, outlet=body.outlet, url=body.url)
        if isinstance(article, InputError):
            raise HTTPException(422, article.message)
        if body.url is not None and not body.url.lower().startswith(("http://", "https://")):
            raise HTTPException(422, "url: only http:// and https:// addresses")
        result = store_article(store, article)
        return _json({"article_id": result.article_id, "created": result.created, "event_ids": result.event_ids},
                     201 if result.created else 200)

    @app.get("/api/facets", tags=["web app"])
    def facets() -> Response:
        """Values and counts for the filters, the ACLED taxonomy and the actor catalog."""
        return _json(store.facets())

    @app.get("/api/timeline", tags=["web app"])
    def timeline(f: Filters, bucket: Optional[Literal["day", "week", "month"]] = None) -> Response:
        """Events and fatalities per day, week or month, under the same filters as /api/events."""
        return _json(store.timeline(f, bucket))

    @app.get("/api/whoami", tags=["web app"])
    def whoami(who: Writer) -> Response:
        return _json({"who": who})

    @app.get("/api/stats", tags=["web app"])
    def stats() -> Response:
        return _json(store.stats())

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="marsad API",
                                   swagger_js_url=SWAGGER_JS, swagger_css_url=SWAGGER_CSS,
                                   swagger_favicon_url="/static/favicon.svg")

    if STATIC_DIR.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

        @app.get("/", include_in_schema=False)
        def index() -> FileResponse:
            return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app


def web_assets_missing() -> str | None:
    """Why the web app cannot be served, or None."""
    if not (STATIC_DIR / "index.html").is_file():
        return f"the web app is missing ({STATIC_DIR / 'index.html'})"
    if not all((STATIC_DIR / p).is_file() for p in ("vendor/leaflet/leaflet.js", "boundaries/countries.geojson")):
        return ("the web app's map library is not built: run `npm ci --prefix web && npm run build --prefix web` "
                "in the repository")
    return None
