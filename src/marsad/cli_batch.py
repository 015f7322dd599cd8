"""``marsad batch INPUT... --out DIR``: whole archives to events in Parquet, on the local cores or a Dask cluster.

Registered in ``marsad.cli`` as ``app.command("batch")(batch)``. The work is ``marsad.batch``;
this module parses the options, shows the progress bar and turns the summary into an exit code.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from .batch import PARTITION_SIZE, BatchError, BatchSummary, PartitionReport


class _ProgressBar:
    """A rich progress bar on standard error: partitions, articles, events, errors and rate."""

    def __init__(self, say: Callable[[str], None]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("partitions"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[articles]} articles · {task.fields[events]} events · "
                       "{task.fields[errors]} errors · {task.fields[rate]} articles/s"),
            TimeElapsedColumn(), console=Console(stderr=True))
        self._task = None
        self._say = say

    def start(self, todo: int, summary: BatchSummary) -> None:
        if summary.skipped:
            self._say(f"{summary.skipped} of {summary.partitions} partitions were done by an earlier run: skipped")
        if todo:
            self._task = self._progress.add_task("batch", total=todo, articles=0, events=0, errors=0, rate=0)
            self._progress.start()

    def advance(self, report: PartitionReport | None, summary: BatchSummary) -> None:
        rate = round(summary.articles / summary.seconds) if summary.seconds else 0
        self._progress.update(self._task, advance=1, articles=summary.articles, events=summary.events,
                              errors=summary.errors + len(summary.failed), rate=rate)

    def stop(self) -> None:
        if self._task is not None:
            self._progress.stop()


def batch(
    inputs: Annotated[list[str], typer.Argument(
        metavar="INPUT", show_default=False,
        help="JSON Lines (.jsonl, .jsonl.gz), WARC (.warc, .warc.gz) and HTML files, folders of them "
             "(searched recursively) or glob patterns (quoted: 'archive/**/*.jsonl.gz').")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="DIR", file_okay=False, show_default=False,
        help="Output folder: events/country=C/month=YYYY-MM/*.parquet, status/*.parquet (one row per "
             "article: ok / no events / error and its message). Run again with the same DIR to resume.")],
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", metavar="N", min=0, show_default=False,
        help="Local worker processes (default: one per core); 0 runs in this process, without Dask.")] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", metavar="ADDRESS", show_default=False,
        help="Run on the cluster of this Dask scheduler (tcp://HOST:PORT). Its workers need marsad "
             "installed (pip install marsad) and the inputs and DIR at the same paths.")] = None,
    partition_size: Annotated[int, typer.Option(
        "--partition-size", metavar="N", min=1,
        help="Articles per partition (a line range of a .jsonl file, a chunk of a .gz or WARC file, "
             "a batch of HTML files). Resuming needs the same size.")] = PARTITION_SIZE,
) -> None:
    """Extract the events of whole news archives into Parquet, on every core or a Dask cluster.

    A bad record is a status row with its error, never the end of the run. Each partition is marked done once written: run the same command again to do only the rest.
    """
    from .batch import run_batch
    from .cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, _no_traceback, _say  # (cli imports this module)

    if scheduler is not None and workers is not None:
        raise typer.BadParameter("a cluster has its own workers; give --workers only for a local run",
                                 param_hint="'--workers'")
    bar = _ProgressBar(_say)
    with _no_traceback():
        try:
            summary = run_batch(inputs, out, workers=workers, scheduler=scheduler, partition_size=partition_size,
                                progress=bar)
        except BatchError as e:
            _say(str(e))
            raise typer.Exit(EXIT_USAGE) from None
        finally:
            bar.stop()
    raise typer.Exit(EXIT_OK if _report(summary, out, _say) else EXIT_SOME_FAILED)


def _report(summary: BatchSummary, out: Path, say: Callable[[str], None]) -> bool:
    """Say what the run did; False if anything failed."""
    for problem in summary.input_errors:
        say(str(problem))
    for failure in summary.failed:
        say(f"partition {failure}")
    if summary.done == 0 and not summary.failed:
        say(f"nothing to do: every partition is done in {out}")
        return not summary.input_errors
    rate = f", {summary.articles / summary.seconds:.0f} articles/s" if summary.seconds else ""
    say(f"{summary.articles} articles, {summary.events} events, {summary.errors} errors "
        f"({summary.done} partitions in {summary.seconds:.1f} s{rate}); output in {out}")
    if summary.errors:
        say(f"the errors are the status rows with status 'error' in {out / 'status'}")
    return summary.ok
