"""Archive-scale extraction: inputs cut into partitions, run on local cores or on a Dask cluster.

``plan`` cuts the inputs into *partitions*, deterministic units with a stable key:

* a plain ``.jsonl`` file: ranges of ``partition_size`` lines (the client indexes where the
  ranges start, so that each worker seeks straight to its own);
* a ``.jsonl.gz`` or ``.warc`` / ``.warc.gz`` file: the whole file (a gzip stream cannot be
  split), its output written every ``partition_size`` articles so that memory stays bounded;
* other files (HTML trees, ``.txt``, ``.json``): batches of ``partition_size`` files, read by
  ``marsad.ingest`` exactly as ``marsad extract`` reads them.

``run_partition`` reads, extracts and writes one partition; ``run_batch`` runs every partition
not yet done, on a ``distributed.LocalCluster`` (one single-threaded worker process per core) or
on the cluster of a Dask scheduler: the same function, so the same output. Workers load the
gazetteer and the lexicons once per process (the extraction modules keep them), never per
article or partition; ``resource_loads`` tells how many times they were loaded.

Output directory::

    events/country=C/month=YYYY-MM/part-KEY-NNNN.parquet   one row per event (hive partitions;
                                                            "unknown" when there is no country/date)
    status/part-KEY-NNNN.parquet                            one row per article or bad record:
                                                            ok / no events / error, with its message
    _done/KEY.json                                          the partition is finished: a new run
                                                            with the same output skips it
    _batch.json                                             the settings the output was made with

An event row holds ``article_id``, ``input`` (``FILE:LINE``, ``FILE@OFFSET`` for a WARC record,
or ``FILE``), ``published``, ``outlet``, ``url``, then the fields of ``marsad.model.EVENT_FIELDS``
except ``country`` (the directory gives it, and the month, to readers of the dataset), with
lists and dicts as JSON text. A status row holds ``article_id``, ``input``, ``status``,
``n_events`` and ``message`` (the error, or a warning about the record).

Each file is written to a temporary name and renamed, and the done-marker comes last, so an
interrupted run leaves no partition half-marked: a partition without its marker is done again
(its stray files removed first). Rows keep input order, and no file holds a time stamp, so a run
on a cluster writes byte for byte what a local run writes. A bad record is a status row, never
the end of the run.

Resuming assumes the inputs are the archive they were: a partition's key comes from its file's
absolute path and its line range (or its list of files), so a file that changed or moved is not
recognised; give such inputs a new output directory. On a cluster, the workers read the inputs
and write the output at the paths the client sees (a shared file system).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from functools import cache
from glob import glob, has_magic
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from . import __version__, extract_article
from .ingest import (MAX_BYTES, SUFFIX_KINDS, InputError, _guard, decode_page, html_to_article, read_inputs,
                     read_jsonl_lines)
from .model import EVENT_FIELDS, Article, Event

PARTITION_SIZE = 1000
OUTPUT_FORMAT = 1
UNKNOWN = "unknown"  # the country / month directory of events without one
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# What a folder is searched for (recursively): marsad extract's suffixes, gzipped JSON Lines and WARC.
FOLDER_SUFFIXES = (".jsonl.gz", ".warc.gz", ".warc", *SUFFIX_KINDS)

CONNECT_TIMEOUT = "10s"  # to reach a scheduler
# LocalCluster options: no dashboard, and the scheduler's HTTP routes on a free local port (not 8787)
NO_DASHBOARD: dict[str, Any] = {"dashboard_address": None, "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}


class BatchError(Exception):
    """A problem with the run as a whole (nothing to read, an unusable output directory or scheduler)."""


# --- partitions ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Partition:
    """A unit of work: a line range of a JSON Lines file, a whole gzip/WARC file, or a batch of files."""
    key: str  # stable and file-name safe: names the partition's output files and its done-marker
    kind: str  # "jsonl", "jsonl.gz", "warc" or "files"
    paths: tuple[str, ...]  # absolute paths: one file, or the batch of files
    offset: int = 0  # "jsonl": byte offset of the first line
    first_line: int = 1  # "jsonl": number of the first line
    n_lines: int | None = None  # "jsonl": how many lines


def input_kind(path: str) -> str:
    """How a file is read in a batch: "jsonl", "jsonl.gz", "warc" or "files" (by ``marsad.ingest``)."""
    name = path.lower()
    if name.endswith(".jsonl.gz"):
        return "jsonl.gz"
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    if name.endswith(".jsonl"):
        return "jsonl"
    return "files"


def plan(inputs: Sequence[str], partition_size: int = PARTITION_SIZE,
         exclude: Path | None = None) -> tuple[list[Partition], list[InputError]]:
    """The partitions of ``inputs`` (files, folders searched recursively, glob patterns), in input
    order, and the inputs that cannot be read at all. ``exclude``: a folder never to look into."""
    partitions: list[Partition] = []
    problems: list[InputError] = []
    seen: set[str] = set()
    for given in inputs:
        files, problem = _input_files(given, exclude)
        if problem:
            problems.append(InputError(given, None, problem))
        batch: list[str] = []
        for path in files:
            if path in seen:
                continue
            seen.add(path)
            kind = input_kind(path)
            if kind == "files":
                batch.append(path)
                continue
            try:
                partitions += _file_partitions(path, kind, partition_size)
            except OSError as e:
                problems.append(InputError(path, None, f"cannot read: {e.strerror or e}"))
            except _Unsplittable:
                batch.append(path)
        partitions += _file_batches(batch, partition_size)
    return partitions, problems


def _input_files(given: str, exclude: Path | None) -> tuple[list[str], str | None]:
    """The files an input names (absolute, in order) and, if it names none, why."""
    path = Path(given)
    if path.is_dir():
        found = _walk(path, exclude)
        return found, (None if found else "folder has no " + ", ".join(FOLDER_SUFFIXES) + " files")
    if path.exists():
        return [str(path.resolve())], None
    if has_magic(given):
        found = sorted(str(Path(p).resolve()) for p in glob(given, recursive=True) if Path(p).is_file())
        return found, (None if found else "no file matches this pattern")
    return [], "no such file or directory"


def _walk(folder: Path, exclude: Path | None) -> list[str]:
    skip = exclude.resolve() if exclude is not None else None
    out: list[str] = []
    for root, dirs, files in os.walk(folder.resolve()):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d) != skip)
        out += [str(Path(root, f)) for f in sorted(files)
                if not f.startswith(".") and f.lower().endswith(FOLDER_SUFFIXES)]
    return out


class _Unsplittable(Exception):
    """A .jsonl file that is not UTF-8 line by line (UTF-16, binary): read whole by marsad.ingest."""


def _file_partitions(path: str, kind: str, size: int) -> list[Partition]:
    stem = _slug(Path(path).name)
    digest = _digest(path)
    if kind != "jsonl":
        return [Partition(f"{stem}-{digest}", kind, (path,))]
    starts, n_lines = _line_starts(path, size)
    return [Partition(f"{stem}-{digest}-L{first:09d}", kind, (path,), offset, first, min(size, n_lines - first + 1))
            for first, offset in starts]


def _line_starts(path: str, size: int) -> tuple[list[tuple[int, int]], int]:
    """(number, byte offset) of lines 1, 1 + size, 1 + 2 size ... and the number of lines."""
    starts = [(1, 0)]
    newlines = 0  # before the current chunk
    offset = 0  # of the current chunk
    last = b""
    with open(path, "rb") as f:
        head = f.read(8192)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
            raise _Unsplittable(path)
        f.seek(0)
        while chunk := f.read(1 << 22):
            end = newlines + chunk.count(b"\n")
            seen, pos = newlines, -1
            while end >= len(starts) * size:  # the next run of lines starts in this chunk
                while seen < len(starts) * size:
                    pos = chunk.find(b"\n", pos + 1)
                    seen += 1
                starts.append((seen + 1, offset + pos + 1))
            newlines, offset, last = end, offset + len(chunk), chunk[-1:]
    total = newlines + (1 if offset and last != b"\n" else 0)
    return [(first, at) for first, at in starts if first <= total], total


def _file_batches(paths: list[str], size: int) -> list[Partition]:
    out = []
    for i in range(0, len(paths), size):
        batch = tuple(paths[i:i + size])
        out.append(Partition(f"{_slug(Path(batch[0]).name)}-{_digest(*batch)}-F{len(batch)}", "files", batch))
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:40]


def _digest(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:10]


# --- reading one partition ------------------------------------------------------------------

def read_partition(part: Partition) -> Iterator[Article | InputError]:
    """The partition's articles, and an InputError for each record that cannot be read."""
    path = part.paths[0]
    if part.kind == "files":
        yield from read_inputs(part.paths)
    elif part.kind == "jsonl":
        yield from _guard(path, _jsonl_range(part))
    elif part.kind == "jsonl.gz":
        yield from _guard(path, _gzip_jsonl(path))
    else:
        yield from _guard(path, warc_articles(path))


def _jsonl_range(part: Partition) -> Iterator[Article | InputError]:
    path = part.paths[0]
    with open(path, "rb") as f:
        f.seek(part.offset)
        yield from read_jsonl_lines(f, path, _jsonl_stem(path), first_line=part.first_line, max_lines=part.n_lines)


def _gzip_jsonl(path: str) -> Iterator[Article | InputError]:
    with gzip.open(path, "rb") as f:
        yield from read_jsonl_lines(f, path, _jsonl_stem(path))


def _jsonl_stem(path: str) -> str:
    """The file name without .jsonl / .jsonl.gz: ids of records without one are ``STEM-LINE``."""
    name = Path(path).name
    return re.sub(r"\.jsonl(\.gz)?$", "", name, flags=re.IGNORECASE) or name


def warc_articles(path: str) -> Iterator[Article | InputError]:
    """The HTML pages of a WARC file (``response`` and ``resource`` records), read as ``marsad
    extract`` reads an HTML file; any other page is an InputError. Sources are ``FILE@OFFSET``
    (``warcio extract FILE OFFSET`` shows the record); request, metadata ... records are skipped."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as f:
        records = ArchiveIterator(f)
        for record in records:
            if record.rec_type in ("response", "resource"):
                payload = record.content_stream().read(MAX_BYTES + 1)  # before the offset: finding it skips the rest
                yield _warc_page(record, payload, f"{path}@{records.get_record_offset()}")


def _warc_page(record: Any, payload: bytes, where: str) -> Article | InputError:
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    if status and not status.startswith("2"):
        return InputError(where, None, f"HTTP status {status}, not a page")
    content_type = (http.get_header("Content-Type") if http is not None else None) \
        or record.rec_headers.get_header("Content-Type") or ""
    if len(payload) > MAX_BYTES:
        return InputError(where, None, f"too large (over the {MAX_BYTES / 1e6:g} MB limit per article)")
    if not payload.strip():
        return InputError(where, None, "empty page")
    mime = content_type.split(";")[0].strip().lower()
    if mime not in HTML_TYPES and (mime or not payload.lstrip().startswith(b"<")):
        return InputError(where, None, f"not an HTML page (Content-Type: {content_type or 'none'})")
    try:
        html = decode_page(payload, content_type)
    except ValueError as e:
        return InputError(where, None, str(e))
    item = html_to_article(html, where, url=record.rec_headers.get_header("WARC-Target-URI"))
    if isinstance(item, Article):
        item.id = (record.rec_headers.get_header("WARC-Record-ID") or item.id).strip("<>")
    return item


# --- rows -------------------------------------------------------------------------------------

def _arrow_type(annotation: str) -> Any:
    import pyarrow as pa

    if annotation.startswith(("list", "dict")):
        return pa.string()  # JSON text
    if annotation.startswith("int"):
        return pa.int64()
    if annotation.startswith("float"):
        return pa.float64()
    return pa.string()


_EVENT_TYPES = {f.name: str(f.type) for f in fields(Event)}
JSON_FIELDS = frozenset(name for name, t in _EVENT_TYPES.items() if t.startswith(("list", "dict")))
# In the files, not the country: it is the directory (country=...), as the month is.
EVENT_COLUMNS = tuple(name for name in EVENT_FIELDS if name != "country")


@cache
def event_schema() -> Any:
    """The Arrow schema of the event files: the article's columns, then the event's fields
    (lists and dicts as JSON text)."""
    import pyarrow as pa

    return pa.schema([("article_id", pa.string()), ("input", pa.string()), ("published", pa.date32()),
                      ("outlet", pa.string()), ("url", pa.string())]
                     + [(name, _arrow_type(_EVENT_TYPES[name])) for name in EVENT_COLUMNS])


@cache
def status_schema() -> Any:
    import pyarrow as pa

    return pa.schema([("article_id", pa.string()), ("input", pa.string()), ("status", pa.string()),
                      ("n_events", pa.int64()), ("message", pa.string())])


_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps would make an encoder per call


def _event_row(article: Article, event: Event) -> dict[str, Any]:
    row: dict[str, Any] = {"article_id": article.id, "input": article.source_path, "published": article.published,
                           "outlet": article.outlet, "url": article.url}
    for name in EVENT_COLUMNS:
        value = getattr(event, name)
        row[name] = _to_json(value) if name in JSON_FIELDS and value is not None else value
    return row


def _directory(event: Event) -> tuple[str, str]:
    """(country, month) of an event's file: ``unknown`` for what it lacks."""
    month = event.event_date[:7] if event.event_date else UNKNOWN
    return event.country or UNKNOWN, month


def _where(item: InputError) -> str:
    return item.source if item.line is None else f"{item.source}:{item.line}"


# --- running one partition ------------------------------------------------------------------

@dataclass
class PartitionReport:
    """What one partition did, and the state of the worker process that ran it."""
    key: str
    articles: int = 0  # articles read (with or without events)
    events: int = 0
    errors: int = 0  # records that could not be read, articles whose extraction failed
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # of the worker process while it ran the partition
    pid: int = 0
    peak_rss_mb: float = 0.0
    loads: dict[str, int] = field(default_factory=dict)  # resource_loads() after the partition


class _Chunk:
    """Rows waiting to be written: status rows, and event rows by (country, month)."""

    def __init__(self) -> None:
        self.status: list[dict[str, Any]] = []
        self.events: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def add(self, status: dict[str, Any], article: Article | None = None, events: Sequence[Event] = ()) -> None:
        self.status.append(status)
        for event in events:
            self.events.setdefault(_directory(event), []).append(_event_row(article, event))

    def write(self, root: Path, name: str) -> None:
        import pyarrow as pa

        for (country, month), rows in self.events.items():
            folder = root / "events" / f"country={quote(country, safe='')}" / f"month={quote(month, safe='')}"
            _write_parquet(pa.Table.from_pylist(rows, schema=event_schema()), folder / name)
        _write_parquet(pa.Table.from_pylist(self.status, schema=status_schema()), root / "status" / name)


def run_partition(part: Partition, out: str, chunk_size: int = PARTITION_SIZE) -> PartitionReport:
    """Read, extract and write one partition into ``out``, then mark it done. Runs in a worker."""
    start, cpu = time.perf_counter(), time.process_time()
    root = Path(out)
    _remove_outputs(root, part.key)
    report = PartitionReport(part.key)
    chunk, n_chunks = _Chunk(), 0
    for status, article, events in _extracted(read_partition(part)):
        chunk.add(status, article, events)
        report.articles += article is not None
        report.events += len(events)
        report.errors += status["status"] == "error"
        if len(chunk.status) >= chunk_size:
            chunk.write(root, f"part-{part.key}-{n_chunks:04d}.parquet")
            chunk, n_chunks = _Chunk(), n_chunks + 1
    if chunk.status or not n_chunks:
        chunk.write(root, f"part-{part.key}-{n_chunks:04d}.parquet")
    report.seconds, report.cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    report.pid, report.peak_rss_mb, report.loads = os.getpid(), peak_rss_mb(), resource_loads()
    counts = {"articles": report.articles, "events": report.events, "errors": report.errors}
    _write_atomic(root / "_done" / f"{part.key}.json", lambda tmp: tmp.write_text(json.dumps(counts)))
    return report


def _extracted(items: Iterable[Article | InputError]) -> Iterator[tuple[dict[str, Any], Article | None, list[Event]]]:
    """(status row, article, events) for each article or bad record; a warning about a record
    goes into the message of the record's own row."""
    warnings: list[str] = []
    for item in items:
        if isinstance(item, InputError):
            if item.warning:
                warnings.append(f"warning: {item.message}")
                continue
            yield _status(None, _where(item), "error", 0, warnings + [item.message]), None, []
        else:
            try:
                events = extract_article(item)
            except Exception as e:
                if os.environ.get("MARSAD_DEBUG"):
                    raise
                message = f"extraction failed: {type(e).__name__}: {e}"
                yield _status(item.id, item.source_path, "error", 0, warnings + [message]), item, []
            else:
                state = "ok" if events else "no events"
                yield _status(item.id, item.source_path, state, len(events), warnings), item, events
        warnings = []


def _status(article_id: str | None, where: str | None, status: str, n_events: int,
            messages: list[str]) -> dict[str, Any]:
    return {"article_id": article_id, "input": where, "status": status, "n_events": n_events,
            "message": "; ".join(messages) or None}


def _write_parquet(table: Any, path: Path) -> None:
    import pyarrow.parquet as pq

    _write_atomic(path, lambda tmp: pq.write_table(table, tmp))


def _write_atomic(path: Path, write: Callable[[Path], Any]) -> None:
    """``write`` into a hidden temporary file beside ``path`` (readers skip it), then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _remove_outputs(root: Path, key: str) -> None:
    """Files an unfinished earlier attempt at the partition left behind."""
    name = f"part-{key}-[0-9][0-9][0-9][0-9].parquet"
    for pattern in (name, f".{name}.*.tmp"):
        for path in [*root.glob(f"events/*/*/{pattern}"), *root.glob(f"status/{pattern}")]:
            path.unlink(missing_ok=True)


# --- the worker process ------------------------------------------------------------------------

_resources_seen: dict[str, list[Any]] = {}  # resource -> every distinct object this process loaded for it


def resource_loads() -> dict[str, int]:
    """How many times this process has loaded the gazetteer and each lexicon (the one-entry
    caches of the extraction modules), as far as calls to this function saw: 1 each when
    everything was loaded once, 0 for what was not needed yet. (It keeps what it saw, so that a
    reloaded resource, which is the bug it looks for, is not counted twice at one address.)"""
    for name, value in _loaded_resources().items():
        seen = _resources_seen.setdefault(name, [])
        if not any(v is value for v in seen):
            seen.append(value)
    return {name: len(_resources_seen.get(name, ())) for name in sorted({*_resources_seen, "gazetteer"})}


def _loaded_resources() -> dict[str, Any]:
    """What the extraction modules have loaded so far, by name (nothing is loaded here)."""
    loaded: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith(f"{__package__}.") or module is None:
            continue
        for attr, obj in list(vars(module).items()):
            info = getattr(obj, "cache_info", None)
            if (info is not None and getattr(obj, "__module__", None) == name
                    and obj.cache_parameters()["maxsize"] == 1 and info().currsize):
                loaded[f"{name.rsplit('.', 1)[1]}.{attr}"] = obj()  # in the cache: returned, not loaded
    gazetteer = sys.modules.get(f"{__package__}.gazetteer")
    if gazetteer is not None and gazetteer.Gazetteer._instance is not None:
        loaded["gazetteer"] = gazetteer.Gazetteer._instance
    return loaded


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024


def cores() -> int:
    """The cores this process may use (its CPU affinity, where the system tells)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def worker_version() -> str:
    """marsad's version where this runs (asked of every worker before a cluster run)."""
    return __version__


# --- running a batch ---------------------------------------------------------------------------

@dataclass
class WorkerStats:
    partitions: int = 0
    peak_rss_mb: float = 0.0
    loads: dict[str, int] = field(default_factory=dict)  # the most times each resource was loaded


@dataclass
class BatchSummary:
    partitions: int = 0  # in the plan
    skipped: int = 0  # done by an earlier run
    done: int = 0  # done by this run
    failed: list[str] = field(default_factory=list)  # "KEY: message" of partitions that could not run
    input_errors: list[InputError] = field(default_factory=list)  # inputs that could not be read at all
    articles: int = 0  # by this run
    events: int = 0
    errors: int = 0  # status rows with "error" (bad records, failed extractions)
    startup_seconds: float = 0.0  # starting or connecting to the cluster
    seconds: float = 0.0  # from the first partition submitted to the last one finished
    cpu_seconds: float = 0.0  # the workers' processor time on the partitions
    workers: dict[int, WorkerStats] = field(default_factory=dict)  # by process id

    @property
    def ok(self) -> bool:
        return not (self.failed or self.input_errors or self.errors)

    def add(self, report: PartitionReport) -> None:
        self.done += 1
        self.articles += report.articles
        self.events += report.events
        self.errors += report.errors
        self.cpu_seconds += report.cpu_seconds
        stats = self.workers.setdefault(report.pid, WorkerStats())
        stats.partitions += 1
        stats.peak_rss_mb = max(stats.peak_rss_mb, report.peak_rss_mb)
        for name, n in report.loads.items():
            stats.loads[name] = max(stats.loads.get(name, 0), n)


class BatchProgress(Protocol):
    """What ``run_batch`` tells as it goes (``marsad batch`` shows it as a progress bar): ``start``
    once the workers are ready (``todo`` partitions to run, maybe 0), ``advance`` as each ends."""

    def start(self, todo: int, summary: BatchSummary) -> None: ...

    def advance(self, report: PartitionReport | None, summary: BatchSummary) -> None: ...


def run_batch(inputs: Sequence[str], out: str | os.PathLike, *, workers: int | None = None,
              scheduler: str | None = None, partition_size: int = PARTITION_SIZE,
              progress: BatchProgress | None = None) -> BatchSummary:
    """Extract every partition of ``inputs`` not yet done in ``out``.

    ``workers``: local worker processes (default: one per core; 0: in this process, without
    Dask). ``scheduler``: the address of a Dask scheduler whose workers run the partitions
    instead (they need marsad installed, and the inputs and ``out`` at the same paths).
    Raises BatchError when the run cannot start; bad records and failed partitions are counted
    in the summary instead.
    """
    root = Path(out).resolve()
    partitions, problems = plan(inputs, partition_size, exclude=root)
    if not partitions:
        reasons = "; ".join(str(p) for p in problems)
        raise BatchError(f"nothing to read: {reasons}" if reasons else "nothing to read")
    _prepare_output(root, partition_size)
    summary = BatchSummary(partitions=len(partitions), input_errors=problems)
    finished = {p.stem for p in (root / "_done").glob("*.json")}
    todo = [p for p in partitions if p.key not in finished]
    summary.skipped = len(partitions) - len(todo)
    if not todo:
        if progress is not None:
            progress.start(0, summary)
        return summary
    if workers == 0 and scheduler is None:
        _run_here(todo, root, partition_size, summary, progress)
    else:
        _run_on_dask(todo, root, partition_size, summary, progress, workers, scheduler)
    return summary


def _prepare_output(root: Path, partition_size: int) -> None:
    """Create ``root``, or check that an earlier run there used the same partitions."""
    settings = {"format": OUTPUT_FORMAT, "partition_size": partition_size}
    marker = root / "_batch.json"
    try:
        root.mkdir(parents=True, exist_ok=True)
        if marker.exists():
            before = json.loads(marker.read_text(encoding="utf-8"))
            if before != settings:
                raise BatchError(f"{root} holds the output of a run with other settings ({_settings(before)}); "
                                 f"use the same ones to resume ({_settings(settings)} now), or another --out")
        else:
            _write_atomic(marker, lambda tmp: tmp.write_text(json.dumps(settings)))
    except OSError as e:
        raise BatchError(f"cannot write to {root}: {e.strerror or e}") from None
    except ValueError:
        raise BatchError(f"{marker} is unreadable; use another --out") from None


def _settings(settings: dict[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(settings.items()))


def _run_here(todo: list[Partition], root: Path, size: int, summary: BatchSummary,
              progress: BatchProgress | None) -> None:
    if progress is not None:
        progress.start(len(todo), summary)
    start = time.perf_counter()
    for part in todo:
        report = run_partition(part, str(root), size)
        summary.add(report)
        summary.seconds = time.perf_counter() - start
        if progress is not None:
            progress.advance(report, summary)


def _run_on_dask(todo: list[Partition], root: Path, size: int, summary: BatchSummary,
                 progress: BatchProgress | None, workers: int | None, scheduler: str | None) -> None:
    from distributed import as_completed

    started = time.perf_counter()
    with _dask_client(workers, scheduler) as client:
        summary.startup_seconds = time.perf_counter() - started
        if progress is not None:
            progress.start(len(todo), summary)
        start = time.perf_counter()
        run = uuid.uuid4().hex[:8]  # task keys of this run only: never the results of an earlier one
        futures = client.map(run_partition, todo, out=str(root), chunk_size=size, pure=False,
                             key=[f"marsad-{p.key}-{run}" for p in todo])
        partition_of = {f.key: p.key for f, p in zip(futures, todo)}
        try:
            for future in as_completed(futures, loop=client.loop):
                report = None
                if future.status == "finished":
                    report = future.result()
                    summary.add(report)
                else:
                    summary.failed.append(f"{partition_of[future.key]}: {_reason(future)}")
                summary.seconds = time.perf_counter() - start
                if progress is not None:
                    progress.advance(report, summary)
        finally:
            client.cancel(futures)  # interrupted: the cluster stops working for us


def _reason(future: Any) -> str:
    try:
        e = future.exception()
    except Exception as cancelled:  # e.g. CancelledError
        e = cancelled
    return f"{type(e).__name__}: {e}" if e is not None else future.status


@contextmanager
def _dask_client(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a LocalCluster of ``workers``
    single-threaded processes (default: one per core)."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        with _interrupts_left_to_this_process():
            cluster = LocalCluster(n_workers=workers or cores(), threads_per_worker=1, processes=True,
                                   silence_logs=logging.ERROR, **NO_DASHBOARD)
        with cluster, Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    with client:
        _check_workers(client, scheduler)
        yield client


@contextmanager
def _interrupts_left_to_this_process() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl-C (they inherit the ignoring), which reaches every
    process of the terminal: this one stops the workers, instead of each one printing a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _check_workers(client: Any, scheduler: str) -> None:
    """The cluster has workers, and they run this version of marsad."""
    try:
        client.wait_for_workers(1, timeout=30)
    except TimeoutError:
        raise BatchError(f"the Dask scheduler at {scheduler} has no workers") from None
    try:
        versions = client.run(worker_version)
    except Exception as e:
        raise BatchError(f"the workers cannot run marsad ({type(e).__name__}: {e}); "
                         "install it on each of them: pip install marsad") from None
    wrong = sorted(f"{worker} has {version}" for worker, version in versions.items() if version != __version__)
    if wrong:
        raise BatchError(f"the workers must run marsad {__version__}, as here: " + ", ".join(wrong))
