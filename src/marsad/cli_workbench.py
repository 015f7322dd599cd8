"""Workbench commands: ``marsad ingest``, ``serve``, ``export``, ``unmerge`` and ``token``.

They work on the event store (``marsad.store``): SQLite in the user's data directory by default,
another SQLite file with ``--db PATH``, or PostgreSQL with ``--db postgresql://...``.
"""
from __future__ import annotations

import getpass
import os
import secrets
import socket
import sys
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Iterator, Optional

import typer

if TYPE_CHECKING:
    from .store import Store

from .ingest import InputError, parse_date

DbOption = Annotated[Optional[str], typer.Option(
    "--db", metavar="PATH|URL", envvar="MARSAD_DB",
    help="The store: a SQLite file, or postgresql://USER:PASS@HOST/DB. Default: workbench.sqlite in "
         "marsad's data directory ($MARSAD_DATA_DIR, else ~/.local/share/marsad).")]

token_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Tokens for the API's write endpoints.")


def _say(message: str) -> None:
    print(f"marsad: {message}", file=sys.stderr, flush=True)


@contextmanager
def _store(db: str | None) -> Iterator["Store"]:
    from .store import Store, StoreError
    try:
        store = Store(db)
    except StoreError as e:
        _say(str(e))
        raise typer.Exit(2) from None
    except Exception as e:  # a bad URL scheme, a missing driver
        if os.environ.get("MARSAD_DEBUG"):
            raise
        _say(f"cannot open the store {db!r}: {type(e).__name__}: {e}")
        raise typer.Exit(2) from None
    try:
        yield store
    finally:
        store.close()


def sample_paths() -> list[str]:
    """The bundled sample articles: the seed article and the project's corpus of short reports."""
    root = Path(str(files("marsad") / "data" / "sample"))
    return [str(root / "seed.jsonl"), str(root / "corpus")]


def ingest(
    sources: Annotated[list[str], typer.Argument(
        metavar="PATH|URL", show_default=False,
        help="Files (.txt, .jsonl, .json, .html), folders of them, RSS/Atom feed URLs or article page URLs.")],
    db: DbOption = None,
    published: Annotated[Optional[str], typer.Option("--published", metavar="YYYY-MM-DD",
                                                     help="Publication date of every article.")] = None,
    no_dedup: Annotated[bool, typer.Option("--no-dedup", help="Do not merge reports of the same incident.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Store articles and their events. Articles already stored (same URL or same text) are skipped,
    so re-running an interrupted ingest resumes it."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from .intake import IngestCounts, ingest as run_ingest, read_sources

    try:
        when = parse_date(published) if published else None
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {published!r}", param_hint="'--published'") from None
    console = Console(stderr=True)
    live = not quiet and console.is_terminal
    with _store(db) as store:
        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.fields[status]}"), TimeElapsedColumn(),
                            console=console, disable=not live, transient=False)

        def report(counts: IngestCounts, item: object, problem: str | None) -> None:
            if problem and live:  # above the bar
                progress.console.print(f"marsad: {problem}", markup=False, highlight=False, soft_wrap=True)
            elif problem:
                _say(problem)
            rate = counts.read / counts.seconds if counts.seconds else 0.0
            progress.update(task, advance=1, status=(
                f"{counts.stored} new, {counts.already} already stored, {counts.events} events "
                f"({counts.merged} merged), {counts.errors} errors, {rate:.1f} articles/s"))

        with progress:
            task = progress.add_task("ingesting", total=None, status="")
            try:
                counts = run_ingest(store, read_sources(sources, store, when), on_item=report, dedup=not no_dedup)
            except KeyboardInterrupt:
                _say("interrupted: every article stored so far is kept; run the same command again to go on")
                raise typer.Exit(130) from None
        _say(f"{counts.stored} article(s) stored with {counts.events} event(s) ({counts.merged} merged into "
             f"reports from other articles), {counts.already} already stored, {counts.errors} error(s); "
             f"store: {store.display_url}")
    if counts.errors and not (counts.stored or counts.already):
        raise typer.Exit(2)
    raise typer.Exit(1 if counts.errors else 0)


def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0 = any free port).")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    db: DbOption = None,
    sample: Annotated[bool, typer.Option("--sample", help="Load the bundled sample articles first (into "
                                                          "sample.sqlite in the data directory unless --db is given).")] = False,
) -> None:
    """Start the workbench: the web app and the REST API (/docs) on one port, offline."""
    import uvicorn

    from .api import create_app, web_assets_missing
    from .gazetteer_imports import data_dir
    from .intake import ingest as run_ingest, read_sources

    missing = web_assets_missing()
    if missing:
        _say(missing)
        raise typer.Exit(2)
    if sample and db is None:
        db = str(data_dir() / "sample.sqlite")
    with _store(db) as store:
        if sample:
            counts = run_ingest(store, (i for i in read_sources(sample_paths()) if not isinstance(i, InputError)))
            _say(f"sample: {counts.stored} article(s) stored, {counts.already} already there")
        try:
            sock = socket.create_server((host, port), reuse_port=False)
        except OSError as e:
            _say(f"cannot listen on {host}:{port}: {e.strerror or e}")
            raise typer.Exit(2) from None
        token = secrets.token_urlsafe(24)
        who = f"{getpass.getuser()} (marsad serve)"
        app = create_app(store, session_token=token, session_who=who)
        bound = sock.getsockname()[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        print(f"Workbench: http://{shown}:{bound}/#token={token}", flush=True)
        print(f"API: http://{shown}:{bound}/api/events  (docs: http://{shown}:{bound}/docs); store: "
              f"{store.display_url}; Ctrl-C to stop", flush=True)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass


def export(
    out: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                      help="Where to write; the format follows the suffix unless --format is given.")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", metavar="csv|geojson|jsonl|parquet",
                                               help="csv = ACLED-style columns.")] = None,
    db: DbOption = None,
    event_date: Annotated[Optional[str], typer.Option(help="YYYY-MM-DD or FROM|TO")] = None,
    country: Annotated[Optional[str], typer.Option(help="names joined with |")] = None,
    admin1: Optional[str] = None,
    event_type: Optional[str] = None,
    sub_event_type: Optional[str] = None,
    actor: Optional[str] = None,
    fatalities: Annotated[Optional[int], typer.Option(min=0, help="at least this many")] = None,
    q: Annotated[Optional[str], typer.Option("--q", help="text search")] = None,
    status: Annotated[Optional[str], typer.Option(help="auto|confirmed|edited|rejected (default: all but rejected)")] = None,
) -> None:
    """Export stored events: ACLED-style CSV, GeoJSON, JSON Lines or Parquet, with the API's filters."""
    from .exports import FORMATS, SUFFIXES, text_chunks, write_parquet
    from .store import StoreError, parse_filter

    by_suffix = {v: k for k, v in SUFFIXES.items()} | {".json": "geojson"}
    fmt = fmt or by_suffix.get(out.suffix.lower())
    if fmt not in FORMATS:
        raise typer.BadParameter(f"format must be one of {', '.join(FORMATS)} (or use a {', '.join(SUFFIXES.values())} "
                                 "file name)", param_hint="'--format'")
    try:
        f = parse_filter(event_date=event_date, event_date_where="BETWEEN" if event_date and "|" in event_date else "=",
                         country=country, admin1=admin1, event_type=event_type, sub_event_type=sub_event_type,
                         actor=actor, fatalities=fatalities, q=q, status=status)
    except StoreError as e:
        raise typer.BadParameter(str(e)) from None
    from .cli import _no_traceback

    tmp = out.with_name(f".{out.name}.part")
    with _store(db) as store, _no_traceback(cleanup=[tmp]):
        n = store.count_events(f)
        try:
            if fmt == "parquet":
                write_parquet(store.iter_events(f), str(tmp))
            else:
                with open(tmp, "w", encoding="utf-8", newline="") as fh:
                    fh.writelines(text_chunks(fmt, store.iter_events(f)))
            tmp.replace(out)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            _say(f"cannot write {out}: {e.strerror or e}")
            raise typer.Exit(2) from None
    _say(f"wrote {n} event(s) to {out} ({fmt})")


def unmerge(
    event_id: Annotated[int, typer.Argument(help="The event another report was merged into.")],
    merge_id: Annotated[Optional[int], typer.Option("--merge", help="Which merge (default: the latest).")] = None,
    db: DbOption = None,
) -> None:
    """Undo a cross-article merge: the merged report becomes its own event again."""
    from .store import NotFound
    with _store(db) as store:
        try:
            restored = store.unmerge(event_id, merge_id, f"{getpass.getuser()} (marsad unmerge)")
        except NotFound as e:
            _say(str(e))
            raise typer.Exit(1) from None
    _say(f"event {restored} restored from event {event_id}")


@token_app.command("create")
def token_create(name: Annotated[str, typer.Argument(help="Who will use it (recorded in the audit log).")],
                 db: DbOption = None) -> None:
    """Create a token for the API's write endpoints; it is shown once."""
    from .store import StoreError
    with _store(db) as store:
        try:
            print(store.create_token(name))
        except StoreError as e:
            _say(str(e))
            raise typer.Exit(2) from None
    _say(f"token for {name!r} created; send it as 'Authorization: Bearer TOKEN'")


@token_app.command("list")
def token_list(db: DbOption = None) -> None:
    """The tokens (names and dates, never the tokens themselves)."""
    with _store(db) as store:
        for t in store.list_tokens():
            state = f"revoked {t['revoked_at']}" if t["revoked_at"] else "active"
            print(f"{t['id']}\t{t['name']}\tcreated {t['created_at']}\t{state}")


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(help="Its number in `marsad token list`.")],
                 db: DbOption = None) -> None:
    """Revoke a token: it can no longer write."""
    from .store import NotFound
    with _store(db) as store:
        try:
            store.revoke_token(token_id)
        except NotFound as e:
            _say(str(e))
            raise typer.Exit(1) from None
    _say(f"token {token_id} revoked")
