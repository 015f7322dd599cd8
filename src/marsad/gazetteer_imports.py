"""Gazetteer sources the user brings: readers for GeoNames dumps, OCHA COD tables and curated
supplements, and the store that keeps each import versioned and removable.

Every reader yields ``PlaceRecord``s: one place or administrative unit, with its names, admin
units, coordinates (or none) and identifiers, not yet indexed. ``marsad.gazetteer`` merges them
into its index (same GeoNames id or P-code = same place) and places records without
coordinates at their subdistrict (or district) with ``geo_precision`` 2.

Formats (``detect_format``):

* ``geonames``: a GeoNames dump (``SY.txt``, ``SY.zip``, ``allCountries.zip``; 19 tab-separated
  columns). Feature classes P (populated places) and A (administrative units) are kept, with
  every Arabic-script alternate name. ADM1/ADM2/ADM3 rows of the same dump name the admin units
  of the places.
* ``geonames-alternates``: ``alternateNamesV2.txt`` (or a country's ``alternatenames/SY.zip``),
  given together with a dump: its Arabic (``ar``) names are added to the dump's places.
* ``cod``: an OCHA common operational dataset table, CSV or XLSX (every sheet), in either of
  the column styles OCHA publishes (``ADM2_EN``/``ADM2_AR``/``ADM2_PCODE`` or
  ``admin2Name_en``/``admin2Name_ar``/``admin2Pcode``), for admin units (the deepest level of a
  row is the unit; level 4 and beyond, Syria's communities, are populated places) or populated
  places (a name column besides the admin columns), with coordinates when it has them.
* ``supplement``: a TSV in the format of marsad's own ``data/places_*.tsv``.
"""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import itertools
import json
import os
import re
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

__all__ = [
    "PlaceRecord", "GazetteerImportError", "ImportStore", "ImportEntry", "data_dir", "detect_format",
    "read_geonames", "read_cod", "read_supplement", "SUPPLEMENT_COLUMNS",
]

SUPPLEMENT_COLUMNS = ("name_ar", "name_en", "aliases_ar", "feature", "country", "admin1", "admin2",
                      "admin2_ar", "admin3", "admin3_ar", "latitude", "longitude", "source", "geonameid",
                      "pcode")

_ARABIC = re.compile(r"[\u0621-\u064A]")
_LATIN = re.compile(r"[A-Za-z]")


class GazetteerImportError(Exception):
    """A file that cannot be imported; the message says why (shown to the user as is)."""


@dataclass
class PlaceRecord:
    name_en: str
    name_ar: str
    country_code: str
    kind: str                      # "admin1", "admin2", "admin3" or "city"
    aliases_ar: list[str] = field(default_factory=list)
    feature: str | None = None     # GeoNames feature code: PPL, PPLX, ADM2, CMPRF ...
    admin1: str | None = None
    admin1_ar: str | None = None
    admin1_code: str | None = None  # GeoNames admin1 code (mapped by the index builder)
    admin2: str | None = None
    admin2_ar: str | None = None
    admin3: str | None = None
    admin3_ar: str | None = None
    admin1_pcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    population: int = 0
    geonameid: int | None = None
    pcode: str | None = None
    coord_source: str | None = None  # where the coordinates come from (URL or dataset)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], 0, "")}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "PlaceRecord":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


def _is_arabic_name(s: str) -> bool:
    return bool(_ARABIC.search(s)) and not _LATIN.search(s)


# ---------------------------------------------------------------------------------------------
# Reading files: plain, .gz, .zip (the member named like the archive, else the largest .txt/.csv)


def _open_text(path: Path) -> IO[str]:
    name = path.name.lower()
    if name.endswith(".zip"):
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as e:
            raise GazetteerImportError(f"{path}: not a readable zip archive ({e})") from None
        members = [m for m in zf.infolist() if not m.is_dir() and m.filename.lower().endswith((".txt", ".csv", ".tsv"))]
        members = [m for m in members if not m.filename.lower().endswith("readme.txt")] or members
        if not members:
            raise GazetteerImportError(f"{path}: the archive holds no .txt/.csv file")
        stem = path.name[:-4].lower()
        member = next((m for m in members if Path(m.filename).stem.lower() == stem),
                      max(members, key=lambda m: m.file_size))
        return io.TextIOWrapper(zf.open(member), encoding="utf-8-sig", newline="")
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _first_line(path: Path) -> str:
    try:
        with _open_text(path) as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    return line.rstrip("\r\n")
    except UnicodeDecodeError:
        raise GazetteerImportError(f"{path}: not UTF-8 text") from None
    return ""


def detect_format(path: Path) -> str:
    """``geonames``, ``geonames-alternates``, ``cod`` or ``supplement``; GazetteerImportError otherwise."""
    if not path.exists():
        raise GazetteerImportError(f"{path}: no such file")
    if path.is_dir():
        raise GazetteerImportError(f"{path}: is a folder; give the file to import")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "cod"
    if path.suffix.lower() == ".xls":
        raise GazetteerImportError(f"{path}: old .xls workbooks are not read; save it as .xlsx or CSV")
    line = _first_line(path)
    if not line:
        raise GazetteerImportError(f"{path}: empty file")
    cols = line.split("\t")
    if tuple(c.strip().lower() for c in cols) == SUPPLEMENT_COLUMNS:
        return "supplement"
    if len(cols) == 19 and cols[0].isdigit():
        return "geonames"
    if len(cols) in (8, 10) and cols[0].isdigit() and cols[1].isdigit():
        return "geonames-alternates"
    header = [_norm_header(c) for c in next(csv.reader([line], _sniff(line)))]
    if any(_ADMIN_COL.fullmatch(h) for h in header):
        return "cod"
    raise GazetteerImportError(f"{path}: not a GeoNames dump, an OCHA COD table or a marsad places TSV "
                       f"(first line: {line[:80]!r})")


# ---------------------------------------------------------------------------------------------
# GeoNames dumps


_GEONAMES_KEEP = {"P", "A"}
_ADMIN_FEATURES = {"ADM1": "admin1", "ADM2": "admin2", "ADM3": "admin3"}


def _geonames_rows(dumps: list[Path], countries: set[str] | None) -> Iterator[list[str]]:
    """Rows of feature class P or A (of ``countries`` when given), streamed."""
    for path in dumps:
        with _open_text(path) as f:
            for n, line in enumerate(f, 1):
                cols = line.rstrip("\r\n").split("\t")
                if len(cols) != 19 or not cols[0].isdigit():
                    if line.strip():
                        raise GazetteerImportError(f"{path}:{n}: not a GeoNames row (expected 19 tab-separated columns)")
                    continue
                if cols[6] in _GEONAMES_KEEP and (not countries or cols[8] in countries):
                    yield cols


def read_geonames(dumps: list[Path], alternates: list[Path] = (), countries: set[str] | None = None
                  ) -> Iterator[PlaceRecord]:
    """Places and admin units of GeoNames dumps that have at least one Arabic name (from the
    dump's alternate names, or the ``ar`` names of ``alternates``). Rows of other feature
    classes, of countries not in ``countries`` (when given) and malformed rows are skipped.
    The dumps are streamed (read twice, three times with alternate names), never held whole."""
    arabic: dict[int, tuple[list[str], list[str]]] = {}   # (preferred, other) Arabic names
    if alternates:
        wanted = {int(c[0]) for c in _geonames_rows(dumps, countries)}
        for path in alternates:
            with _open_text(path) as f:
                for line in f:
                    cols = line.rstrip("\r\n").split("\t")
                    if len(cols) < 4 or cols[2] != "ar" or not cols[1].isdigit():
                        continue
                    gid = int(cols[1])
                    if gid in wanted and not (len(cols) >= 8 and cols[7] == "1"):  # not historic
                        preferred = len(cols) >= 5 and cols[4] == "1"
                        arabic.setdefault(gid, ([], []))[0 if preferred else 1].append(cols[3])
        del wanted
    # Admin unit names by code, from the dump's own ADM rows.
    unit_names: dict[tuple, tuple[str, str | None]] = {}
    for c in _geonames_rows(dumps, countries):
        level = _ADMIN_FEATURES.get(c[7])
        if level:
            codes = (c[8], c[10]) + ((c[11],) if level != "admin1" else ()) + ((c[12],) if level == "admin3" else ())
            ar = _arabic_names(c, arabic.get(int(c[0]), ([], [])))
            unit_names[codes] = (c[2] or c[1], ar[0] if ar else None)
    for c in _geonames_rows(dumps, countries):
        gid = int(c[0])
        names_ar = _arabic_names(c, arabic.get(gid, ([], [])))
        if not names_ar:
            continue
        try:
            lat, lon = float(c[4]), float(c[5])
        except ValueError:
            continue
        kind = _ADMIN_FEATURES.get(c[7]) or ("city" if c[6] == "P" else None)
        if kind is None:
            continue  # other admin features (ADMD, PCLI, ADM4 ...)
        a1 = unit_names.get((c[8], c[10]), (None, None))
        a2 = unit_names.get((c[8], c[10], c[11]), (None, None)) if c[11] else (None, None)
        a3 = unit_names.get((c[8], c[10], c[11], c[12]), (None, None)) if c[12] else (None, None)
        yield PlaceRecord(
            name_en=c[2] or c[1], name_ar=names_ar[0], aliases_ar=names_ar[1:], country_code=c[8], kind=kind,
            feature=c[7] or None, admin1=a1[0], admin1_ar=a1[1], admin1_code=c[10] or None,
            admin2=a2[0] if kind in ("admin3", "city") else None, admin2_ar=a2[1] if kind in ("admin3", "city") else None,
            admin3=a3[0] if kind == "city" else None, admin3_ar=a3[1] if kind == "city" else None,
            latitude=lat, longitude=lon, population=int(c[14]) if c[14].isdigit() else 0,
            geonameid=gid, coord_source=f"https://www.geonames.org/{gid}",
        )


def _arabic_names(cols: list[str], alternates: tuple[list[str], list[str]]) -> list[str]:
    """Preferred Arabic names of alternateNamesV2 first, then the dump's own, then the others."""
    out: list[str] = []
    for n in [*alternates[0], *cols[3].split(","), *alternates[1]]:
        n = n.strip()
        if n and _is_arabic_name(n) and n not in out:
            out.append(n)
    return out


# ---------------------------------------------------------------------------------------------
# OCHA COD tables


def _norm_header(h: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(h or "").strip().lower())


_ADMIN_COL = re.compile(r"adm(?:in)?(\d)(?:name)?(en|ar|pcode|ref|refname)?")
_NAME_EN = ("nameen", "placenameen", "featurenameen", "locationnameen", "pplnameen", "namee", "featurename",
            "placename", "locationname", "name")
_NAME_AR = ("namear", "placenamear", "featurenamear", "locationnamear", "pplnamear", "namea")
_PCODE = ("pcode", "ppcode", "pplpcode", "locationpcode", "placepcode")
_LAT = ("latitude", "lat", "y", "latitudey", "pointy", "centerlat", "centroidlat", "latdd", "ycoord")
_LON = ("longitude", "lon", "long", "lng", "x", "longitudex", "pointx", "centerlon", "centroidlon", "londd",
        "longdd", "xcoord")
_POP = ("population", "pop", "totalpop", "t_tl")


def _sniff(line: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(line, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _cod_tables(path: Path) -> Iterator[tuple[str, Iterator[list[Any]]]]:
    """(table name, rows including the header row) of a CSV file or of every sheet of a workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl   # only needed for workbooks
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
            raise GazetteerImportError(f"{path}: not a readable XLSX workbook ({e})") from None
        try:
            for ws in wb.worksheets:
                yield ws.title, ws.iter_rows(values_only=True)
        finally:
            wb.close()
        return
    f = _open_text(path)
    try:
        head = f.readline()
        dialect = _sniff(head)
        yield path.name, csv.reader(itertools.chain([head], f), dialect)
    finally:
        f.close()


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _float(v: str) -> float | None:
    try:
        f = float(v.replace(",", ".")) if v else None
    except ValueError:
        return None
    return f if f is not None and f == f else None  # NaN


def read_cod(path: Path, country: str | None = None, iso3_to_iso2: dict[str, str] | None = None
             ) -> Iterator[PlaceRecord]:
    """Admin units and populated places of an OCHA COD table (CSV or every sheet of an XLSX)."""
    iso3_to_iso2 = iso3_to_iso2 or {}
    found_table = False
    for table, rows in _cod_tables(path):
        header: list[str] | None = None
        for raw in rows:
            cells = [_cell(v) for v in raw]
            if header is None:
                normed = [_norm_header(c) for c in cells]
                if any(_ADMIN_COL.fullmatch(h) for h in normed):
                    header = normed
                    cols = _cod_columns(header)
                continue
            if not any(cells):
                continue
            rec = _cod_record(dict(zip(header, cells)), cols, country, iso3_to_iso2)
            if rec is not None:
                yield rec
        found_table = found_table or header is not None
    if not found_table:
        raise GazetteerImportError(f"{path}: no sheet with OCHA admin columns (ADM1_EN, admin1Name_en, ...)")


def _cod_columns(header: list[str]) -> dict[str, Any]:
    levels: dict[int, dict[str, str]] = {}
    for h in header:
        m = _ADMIN_COL.fullmatch(h)
        if m:
            kind = {"en": "en", "ar": "ar", "pcode": "pcode", None: "en"}.get(m.group(2))
            if kind:
                levels.setdefault(int(m.group(1)), {}).setdefault(kind, h)
    pick = lambda names: next((n for n in names if n in header), None)
    return {"levels": levels, "name_en": pick(_NAME_EN), "name_ar": pick(_NAME_AR), "pcode": pick(_PCODE),
            "lat": pick(_LAT), "lon": pick(_LON), "pop": pick(_POP)}


def _cod_record(row: dict[str, str], cols: dict[str, Any], country: str | None, iso3: dict[str, str]
                ) -> PlaceRecord | None:
    levels = cols["levels"]
    unit: dict[int, tuple[str, str, str]] = {}
    for n, c in levels.items():
        en, ar, pc = row.get(c.get("en", ""), ""), row.get(c.get("ar", ""), ""), row.get(c.get("pcode", ""), "")
        if en or ar or pc:
            unit[n] = (en, ar, pc)
    cc = country
    if not cc and 0 in unit:
        code = unit[0][2] or ""
        cc = iso3.get(code.upper(), code.upper()[:2] if len(code) == 2 else None)
    if not cc:
        first = next((unit[n][2] for n in sorted(unit) if n >= 1 and unit[n][2]), "")
        cc = first[:2].upper() if len(first) >= 2 and first[:2].isalpha() else None
    if not cc:
        return None
    lat, lon = _float(row.get(cols["lat"] or "", "")), _float(row.get(cols["lon"] or "", ""))
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    pop = row.get(cols["pop"] or "", "")
    population = int(float(pop)) if _float(pop) else 0
    has_name = cols["name_en"] or cols["name_ar"]
    deepest = max((n for n in unit if n >= 1), default=None)
    if has_name and (row.get(cols["name_en"] or "") or row.get(cols["name_ar"] or "")):
        name_en, name_ar = row.get(cols["name_en"] or "", ""), row.get(cols["name_ar"] or "", "")
        pcode = row.get(cols["pcode"] or "", "") or None
        parent_max = deepest
        kind = "city"
    elif deepest is not None:
        name_en, name_ar, pcode = unit[deepest]
        pcode = pcode or None
        parent_max = deepest - 1
        kind = f"admin{deepest}" if deepest <= 3 else "city"
    else:
        return None
    if not name_ar or not _is_arabic_name(name_ar):
        return None  # an Arabic name is what the index is for
    a = lambda n, i: (unit.get(n, ("", "", ""))[i] or None) if parent_max is not None and n <= parent_max else None
    return PlaceRecord(
        name_en=name_en or name_ar, name_ar=name_ar, country_code=cc, kind=kind,
        feature={"admin1": "ADM1", "admin2": "ADM2", "admin3": "ADM3"}.get(kind, "PPL"),
        admin1=a(1, 0), admin1_ar=a(1, 1), admin1_pcode=a(1, 2), admin2=a(2, 0), admin2_ar=a(2, 1),
        admin3=a(3, 0), admin3_ar=a(3, 1), latitude=lat, longitude=lon, population=population, pcode=pcode,
        coord_source="OCHA COD" if lat is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# Curated supplements (data/places_*.tsv and the user's own)


def read_supplement(text: str, origin: str) -> Iterator[PlaceRecord]:
    """Records of a places TSV (columns ``SUPPLEMENT_COLUMNS``); GazetteerImportError on a malformed row."""
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
    if not lines or tuple(c.strip().lower() for c in lines[0].split("\t")) != SUPPLEMENT_COLUMNS:
        raise GazetteerImportError(f"{origin}: the header must be: " + "\t".join(SUPPLEMENT_COLUMNS))
    for n, line in enumerate(lines[1:], 2):
        cols = line.split("\t")
        if len(cols) != len(SUPPLEMENT_COLUMNS):
            raise GazetteerImportError(f"{origin}: row {n} has {len(cols)} columns, expected {len(SUPPLEMENT_COLUMNS)}")
        r = dict(zip(SUPPLEMENT_COLUMNS, (c.strip() for c in cols)))
        lat, lon = _float(r["latitude"]), _float(r["longitude"])
        if (r["latitude"] or r["longitude"]) and (lat is None or lon is None):
            raise GazetteerImportError(f"{origin}: row {n}: latitude/longitude must both be decimal numbers")
        if not r["name_ar"] or not r["country"]:
            raise GazetteerImportError(f"{origin}: row {n}: name_ar and country are required")
        feature = r["feature"] or "PPL"
        yield PlaceRecord(
            name_en=r["name_en"] or r["name_ar"], name_ar=r["name_ar"],
            aliases_ar=[a.strip() for a in r["aliases_ar"].split("|") if a.strip()],
            country_code=r["country"].upper(), kind=_ADMIN_FEATURES.get(feature, "city"), feature=feature,
            admin1=r["admin1"] or None, admin2=r["admin2"] or None, admin2_ar=r["admin2_ar"] or None,
            admin3=r["admin3"] or None, admin3_ar=r["admin3_ar"] or None, latitude=lat, longitude=lon,
            geonameid=int(r["geonameid"]) if r["geonameid"].isdigit() else None, pcode=r["pcode"] or None,
            coord_source=r["source"] or None,
        )


# ---------------------------------------------------------------------------------------------
# The import store


def data_dir() -> Path:
    """``$MARSAD_DATA_DIR``, else ``$XDG_DATA_HOME/marsad``, else ``~/.local/share/marsad``."""
    env = os.environ.get("MARSAD_DATA_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "marsad"


@dataclass
class ImportEntry:
    id: int
    format: str
    files: list[str]           # the imported files' names
    sha256: str                # of the files' contents, in order
    imported_at: str
    records_file: str          # relative to the store's folder
    counts: dict[str, int]
    options: dict[str, Any] = field(default_factory=dict)


class ImportStore:
    """Imports kept under ``<data_dir>/gazetteer``: ``manifest.json`` and one gzipped JSON Lines
    file of records per import. Writes are atomic; the manifest is the single source of truth."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root or data_dir()) / "gazetteer"
        self.manifest_path = self.root / "manifest.json"

    def entries(self) -> list[ImportEntry]:
        try:
            raw = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as e:
            raise GazetteerImportError(f"{self.manifest_path}: unreadable import manifest ({e})") from None
        return [ImportEntry(**e) for e in raw.get("imports", [])]

    def fingerprint(self) -> str:
        """Changes whenever an import is added or removed (part of the index cache key)."""
        return ";".join(f"{e.id}:{e.sha256[:16]}" for e in self.entries())

    def records(self, entry: ImportEntry) -> Iterator[PlaceRecord]:
        path = self.root / entry.records_file
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                for line in f:
                    yield PlaceRecord.from_json(json.loads(line))
        except (OSError, ValueError, EOFError) as e:
            raise GazetteerImportError(f"import #{entry.id} ({', '.join(entry.files)}): its records file {path} "
                               f"is unreadable ({e}); remove it with `marsad gazetteer remove {entry.id}`") from None

    def find_same(self, sha256: str) -> ImportEntry | None:
        return next((e for e in self.entries() if e.sha256 == sha256), None)

    def add(self, fmt: str, paths: list[Path], records: Iterable[PlaceRecord], options: dict[str, Any],
            sha256: str) -> ImportEntry:
        self.root.mkdir(parents=True, exist_ok=True)
        entries = self.entries()
        new_id = max((e.id for e in entries), default=0) + 1
        rel = f"imports/{new_id:04d}-{fmt}.jsonl.gz"
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        counts: dict[str, int] = {"records": 0, "with_coordinates": 0}
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as f:
                for r in records:
                    f.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
                    counts["records"] += 1
                    counts["with_coordinates"] += r.latitude is not None
                    counts[r.kind] = counts.get(r.kind, 0) + 1
                    counts["country " + r.country_code] = counts.get("country " + r.country_code, 0) + 1
            if counts["records"] == 0:
                raise GazetteerImportError(f"{', '.join(map(str, paths))}: no place with an Arabic name found; nothing imported")
            os.replace(tmp, target)
            tmp = None
        finally:
            if tmp is not None:
                os.unlink(tmp)
        entry = ImportEntry(id=new_id, format=fmt, files=[str(p.resolve()) for p in paths], sha256=sha256,
                            imported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                            records_file=rel, counts=counts, options=options)
        self._write([*entries, entry])
        return entry

    def remove(self, import_id: int) -> ImportEntry:
        entries = self.entries()
        entry = next((e for e in entries if e.id == import_id), None)
        if entry is None:
            known = ", ".join(str(e.id) for e in entries) or "none"
            raise GazetteerImportError(f"no import #{import_id} (imports: {known})")
        self._write([e for e in entries if e.id != import_id])
        try:
            (self.root / entry.records_file).unlink()
        except OSError:
            pass
        return entry

    def _write(self, entries: list[ImportEntry]) -> None:
        payload = {"format": 1, "imports": [asdict(e) for e in entries]}
        fd, tmp = tempfile.mkstemp(dir=self.root, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, indent=1)
        os.replace(tmp, self.manifest_path)


def file_digest(paths: list[Path]) -> str:
    """SHA-256 over the files' own SHA-256 digests, in order."""
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()


def import_files(paths: list[Path], store: ImportStore, *, country: str | None = None,
                 countries: set[str] | None = None, force: bool = False,
                 iso3_to_iso2: dict[str, str] | None = None) -> tuple[ImportEntry, bool]:
    """Import ``paths`` as one import; returns (entry, created). The same files imported again
    return the existing entry unless ``force``."""
    if not paths:
        raise GazetteerImportError("nothing to import")
    formats = [detect_format(p) for p in paths]
    digest = file_digest(paths)
    same = store.find_same(digest)
    if same is not None and not force:
        return same, False
    main = {f for f in formats if f != "geonames-alternates"}
    if len(main) != 1:
        if not main:
            raise GazetteerImportError("alternate names need the GeoNames dump they belong to (give both files)")
        raise GazetteerImportError("give files of one format per import (found: " + ", ".join(sorted(main)) + ")")
    fmt = main.pop()
    if "geonames-alternates" in formats and fmt != "geonames":
        raise GazetteerImportError("alternate names can only be imported with a GeoNames dump")
    if fmt == "geonames":
        dumps = [p for p, f in zip(paths, formats) if f == "geonames"]
        alts = [p for p, f in zip(paths, formats) if f == "geonames-alternates"]
        records: Iterable[PlaceRecord] = read_geonames(dumps, alts, countries)
    elif fmt == "cod":
        records = (r for p in paths for r in read_cod(p, country, iso3_to_iso2))
    else:
        records = (r for p in paths for r in read_supplement(p.read_text(encoding="utf-8"), str(p)))
    options = {k: v for k, v in (("country", country), ("countries", sorted(countries) if countries else None)) if v}
    return store.add(fmt, paths, records, options, digest), True
