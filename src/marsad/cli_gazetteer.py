"""``marsad gazetteer import|list|remove|info``: the user's gazetteer sources.

Imports are kept in ``<data dir>/gazetteer`` (``$MARSAD_DATA_DIR``, else
``$XDG_DATA_HOME/marsad``, else ``~/.local/share/marsad``); the index that merges them with the
embedded sources is rebuilt after each change and cached (``$MARSAD_CACHE_DIR``).
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .gazetteer_imports import GazetteerImportError, ImportStore

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Add, list and remove gazetteer sources (GeoNames dumps, OCHA COD tables, place lists).")


def _fail(message: str, code: int = 1) -> None:
    print(f"marsad: {message}", file=sys.stderr, flush=True)
    raise typer.Exit(code)


def _rebuild(store: ImportStore):
    """The index for ``store``'s imports (read from its file, or rebuilt), and the seconds it took."""
    from .gazetteer import Gazetteer

    Gazetteer.reset()
    t = time.perf_counter()
    gaz = Gazetteer.from_cache(store=store)
    return gaz, time.perf_counter() - t


def _countries(value: str | None) -> set[str] | None:
    if not value:
        return None
    codes = {c.strip().upper() for c in value.split(",") if c.strip()}
    bad = [c for c in codes if len(c) != 2 or not c.isalpha()]
    if bad:
        _fail(f"--countries: not ISO 3166 alpha-2 codes: {', '.join(sorted(bad))}", 2)
    return codes


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="GeoNames dump (SY.txt, SY.zip, allCountries.zip) with its "
                                                     "alternateNamesV2 file if you have it; or an OCHA COD table "
                                                     "(CSV/XLSX); or a places TSV in marsad's format.")],
    country: Annotated[Optional[str], typer.Option(help="ISO code for COD tables that do not carry one (ADM0_PCODE).")] = None,
    countries: Annotated[Optional[str], typer.Option(help="GeoNames: keep only these countries (e.g. SY,IQ); "
                                                          "default: every country the gazetteer covers.")] = None,
    force: Annotated[bool, typer.Option(help="Import again files already imported.")] = False,
) -> None:
    """Import a gazetteer source as a new version (undo with `marsad gazetteer remove ID`)."""
    store = ImportStore()
    cc = country.strip().upper() if country else None
    if cc is not None and (len(cc) != 2 or not cc.isalpha()):
        _fail(f"--country: {country!r} is not an ISO 3166 alpha-2 code", 2)
    from .gazetteer import covered_countries, iso3_to_iso2
    from .gazetteer_imports import import_files

    wanted = _countries(countries)
    if wanted is not None and wanted - covered_countries():
        _fail("--countries: the gazetteer does not cover " + ", ".join(sorted(wanted - covered_countries()))
              + " (see data/countries.tsv)", 2)
    try:
        entry, created = import_files(paths, store, country=cc, countries=wanted or covered_countries(), force=force,
                                      iso3_to_iso2=iso3_to_iso2())
    except GazetteerImportError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"{e.filename or ''}: {e.strerror or e}")
    console = Console()
    if not created:
        console.print(f"Already imported as #{entry.id} on {entry.imported_at} (use --force to import again).")
        return
    gaz, seconds = _rebuild(store)
    c = entry.counts
    console.print(f"Imported #{entry.id} ({entry.format}): {c['records']} places and units with Arabic names, "
                  f"{c['with_coordinates']} with coordinates.")
    for key, value in gaz.sources.items():
        if key.startswith(f"import #{entry.id} "):
            console.print(f"Index: {value.get('new', 0)} new, {value.get('merged', 0)} merged into places already "
                          f"known, {value.get('skipped', 0)} skipped (country not covered), "
                          f"{value.get('unlocated', 0)} without any position. Rebuilt in {seconds:.1f} s.")


@app.command("list")
def list_() -> None:
    """The imports, oldest first."""
    try:
        entries = ImportStore().entries()
    except GazetteerImportError as e:
        _fail(str(e))
    if not entries:
        Console().print(f"No imports (store: {ImportStore().root}). Only the embedded sources are used.")
        return
    t = Table("id", "format", "files", "imported (UTC)", "places", "with coordinates", "countries")
    for e in entries:
        ccs = sorted(k.split(" ", 1)[1] for k in e.counts if k.startswith("country "))
        t.add_row(str(e.id), e.format, "\n".join(Path(f).name for f in e.files), e.imported_at,
                  str(e.counts.get("records", 0)), str(e.counts.get("with_coordinates", 0)), " ".join(ccs))
    Console().print(t)


@app.command("remove")
def remove(import_id: Annotated[int, typer.Argument(help="The import's id, from `marsad gazetteer list`.")]) -> None:
    """Remove an import; the index is rebuilt without it."""
    store = ImportStore()
    try:
        entry = store.remove(import_id)
    except GazetteerImportError as e:
        _fail(str(e))
    _, seconds = _rebuild(store)
    Console().print(f"Removed #{entry.id} ({', '.join(Path(f).name for f in entry.files)}); "
                    f"index rebuilt in {seconds:.1f} s.")


@app.command("info")
def info() -> None:
    """The active gazetteer: its sources, what each contributed, and its size."""
    store = ImportStore()
    try:
        gaz, seconds = _rebuild(store)
    except GazetteerImportError as e:
        _fail(str(e))
    console = Console()
    path = gaz.cache_path
    size = f"{path.stat().st_size / 1e6:.1f} MB" if path and path.exists() else "not written"
    console.print(f"Index: {path or '(in memory)'} ({size}), loaded from {gaz.source} in {seconds * 1000:.0f} ms.")
    console.print(f"Imports store: {store.root}")
    by_source: Counter[str] = Counter()
    fallback: Counter[str] = Counter()
    for p in gaz.places():
        for s in p.source.split(" + "):
            by_source[s] += 1
        if p.geo_precision == 2:
            fallback[p.source.split(" + ")[-1]] += 1
    t = Table("source", "places in the index", "records", "new", "merged", "at unit centroid", "dropped")
    for s, n in sorted(by_source.items(), key=lambda kv: (kv[0].startswith(("import", "places_")), kv[0])):
        c = gaz.sources.get(s, {})
        t.add_row(s, str(n), str(c.get("records", "")), str(c.get("new", "")), str(c.get("merged", "")),
                  str(fallback.get(s, "")), str(c.get("unlocated", "") or ""))
    console.print(t)
    st = gaz.stats()
    console.print(f"{st['places']} places, {st['arabic_keys']} Arabic names. By kind: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(st["per_kind"].items())))
    console.print("By country: " + ", ".join(f"{k} {v}" for k, v in list(st["per_country"].items())[:15]))
