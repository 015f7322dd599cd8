"""The ``marsad`` command line: ``marsad extract FILE...``, ``marsad explain FILE...`` and ``marsad sample``.

Exit codes: 0 every item was processed; 1 some items failed (reported on stderr as
``marsad: FILE[:LINE]: message``; the others are still written); 2 usage error, or no
article could be read at all. Heavy modules (trafilatura, the extraction pipeline) are
imported only when needed, so ``marsad --help`` stays fast.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Iterable, Iterator, Optional, TextIO

import typer

from . import __version__
from .ingest import MAX_BYTES, InputError, parse_date, read_inputs
from .model import Article, Event
from .output import SUFFIX_FORMATS, Writer, make_writer

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # the reader of our output went away (`| head`), as a shell reports SIGPIPE

app = typer.Typer(
    add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
    help="Arabic conflict news -> ACLED-style events (offline). Try `marsad sample`.",
    epilog="Exit codes: 0 all items processed; 1 some items failed (the others are still written); "
           "2 usage error or nothing readable.",
)


from .cli_gazetteer import app as _gazetteer_app  # noqa: E402  (a sub-command group)

app.add_typer(_gazetteer_app, name="gazetteer")

from . import cli_workbench as _workbench  # noqa: E402  (the store, the API and the web app)

app.command("ingest")(_workbench.ingest)
app.command("serve")(_workbench.serve)
app.command("export")(_workbench.export)
app.command("unmerge")(_workbench.unmerge)
app.add_typer(_workbench.token_app, name="token")

from .cli_batch import batch as _batch  # noqa: E402  (archives on every core or a Dask cluster)

app.command("batch")(_batch)


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    json = "json"
    csv = "csv"


def _say(message: str) -> None:
    print(f"marsad: {message}", file=sys.stderr, flush=True)


def _debug() -> bool:
    return bool(os.environ.get("MARSAD_DEBUG"))


class _Run:
    """Extracts events from a stream of inputs, reporting and counting failures per item."""

    def __init__(self) -> None:
        self.articles = 0  # read
        self.processed = 0  # read and extracted
        self.failed = 0  # input errors and extraction failures

    def results(self, items: Iterable[Article | InputError]) -> Iterator[tuple[Article, list[Event]]]:
        from . import extract_article

        for item in items:
            if isinstance(item, InputError):
                _say(str(item))
                self.failed += not item.warning
                continue
            self.articles += 1
            try:
                events = extract_article(item)
            except Exception as e:
                if _debug():
                    raise
                _say(f"{item.source_path or item.id}: extraction failed for article {item.id!r}: "
                     f"{type(e).__name__}: {e}")
                self.failed += 1
                continue
            self.processed += 1
            yield item, events

    def exit_code(self) -> int:
        if not self.articles:
            _say("no article could be read")
            return EXIT_USAGE
        if self.failed:
            _say(f"{self.failed} item(s) failed, {self.processed} article(s) processed")
            return EXIT_SOME_FAILED
        return EXIT_OK


@contextmanager
def _no_traceback(cleanup: Iterable[Path] = ()) -> Iterator[None]:
    """Turn what escapes a command into a one-line message and an exit code."""
    try:
        yield
    except (typer.Exit, typer.Abort, typer.BadParameter):
        raise
    except KeyboardInterrupt:
        _remove(cleanup)
        _say("interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:  # e.g. `marsad extract ... | head`
        _remove(cleanup)
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except Exception as e:
        _remove(cleanup)
        if _debug():
            raise
        _say(f"error: {type(e).__name__}: {e}" if not isinstance(e, OSError) else f"error: {e}")
        raise typer.Exit(EXIT_USAGE) from None


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def _published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}", param_hint="'--published'") from None


def _stdout() -> TextIO:
    out = sys.stdout
    if (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "") != "utf8" and hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    return out


def _write_all(run: _Run, items: Iterable[Article | InputError], writers: list[Writer],
               min_confidence: float = 0.0) -> None:
    for article, events in run.results(items):
        if min_confidence > 0:
            events = [e for e in events if (e.confidence or 0.0) >= min_confidence]
        for w in writers:
            w.write(article, events)
    if run.processed:
        for w in writers:
            w.close()


# Arguments that `extract` and `explain` share.
FilesArgument = Annotated[list[str], typer.Argument(
    metavar="FILE", show_default=False,
    help="Articles: .txt, .jsonl, .json, .html/.htm files, directories of them, or - for standard input.")]
PublishedOption = Annotated[Optional[str], typer.Option(
    "--published", metavar="YYYY-MM-DD",
    help="Publication date of every article (overrides the dates in the input).")]


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False) -> None:
    if version:
        typer.echo(f"marsad {__version__}")
        raise typer.Exit()


@app.command(epilog="Exit codes: 0 all items processed; 1 some items failed (the others are still written); "
                    "2 usage error or nothing readable.")
def extract(
    files: FilesArgument,
    published: PublishedOption = None,
    fmt: Annotated[Optional[Format], typer.Option(
        "--format", "-f", help="Output format [default: table, or from OUT's suffix]", show_default=False)] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="OUT", dir_okay=False,
        help="Write here instead of standard output (.jsonl/.json/.csv/.txt give the format).")] = None,
    max_size: Annotated[float, typer.Option(
        "--max-size", metavar="MB", min=0.001, help="Refuse articles larger than this many MB.")] = MAX_BYTES / 1e6,
    with_text: Annotated[bool, typer.Option(
        "--with-text", help="json/jsonl: add each article's published, title and text (the text spans point into).")]
    = False,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", metavar="FLOAT", min=0.0,
        help="Leave out events whose confidence (0-1) is below this.")] = 0.0,
) -> None:
    """Extract events from Arabic news articles."""
    pub = _published(published)
    if fmt is not None:
        form = fmt.value
    elif output is not None:
        form = SUFFIX_FORMATS.get(output.suffix.lower())
        if form is None:
            raise typer.BadParameter(f"cannot tell the format from {output.name!r}; give --format",
                                     param_hint="'--output'")
    else:
        form = "table"
    if output is not None:
        target = output.resolve()
        if any(f != "-" and Path(f).resolve() == target for f in files):
            raise typer.BadParameter(f"{output} is also an input file", param_hint="'--output'")
    run = _Run()
    items = read_inputs(files, pub, max_bytes=int(max_size * 1e6))
    if output is None:
        with _no_traceback():
            _write_all(run, items, [make_writer(form, _stdout(), with_text)], min_confidence)
        raise typer.Exit(run.exit_code())

    part = output.with_name(f".{output.name}.part")
    try:
        stream = open(part, "w", encoding="utf-8", newline="")
    except OSError as e:
        raise typer.BadParameter(f"cannot write {output}: {e.strerror or e}", param_hint="'--output'") from None
    with _no_traceback(cleanup=[part]):
        with stream:
            _write_all(run, items, [make_writer(form, stream, with_text)], min_confidence)
        if run.processed:
            os.replace(part, output)
        else:
            part.unlink()
    raise typer.Exit(run.exit_code())


@app.command(epilog="Exit codes: 0 all items processed; 1 some items failed (the others are still shown); "
                    "2 usage error or nothing readable.")
def explain(
    files: FilesArgument,
    published: PublishedOption = None,
    bidi_isolates: Annotated[bool, typer.Option(
        "--bidi-isolates/--no-bidi-isolates",
        help="Wrap Arabic text in Unicode directional isolates (U+2067 ... U+2069) so that it cannot "
             "reorder the columns around it.")] = True,
    max_size: Annotated[float, typer.Option(
        "--max-size", metavar="MB", min=0.001, help="Refuse articles larger than this many MB.")] = MAX_BYTES / 1e6,
) -> None:
    """Show why each event was found: rule, fields with how and how sure, highlighted evidence, notes."""
    pub = _published(published)
    run = _Run()
    items = read_inputs(files, pub, max_bytes=int(max_size * 1e6))
    with _no_traceback():
        from rich.console import Console
        from rich.text import Text

        from .explain import explain as show, isolate

        out = _stdout()
        tty = hasattr(out, "isatty") and out.isatty()
        console = Console(file=out, width=None if tty else int(os.environ.get("COLUMNS") or 160),
                          highlight=False, soft_wrap=False)
        for article, events in run.results(items):
            title = f"{article.id}: {article.title}" if article.title else article.id
            published_on = f", published {article.published.isoformat()}" if article.published else ""
            console.rule(style="bold")
            console.print(Text(isolate(f"{title}  ({len(events)} event(s){published_on})", bidi_isolates),
                               style="bold"))
            show(article.text, events, console, bidi_isolates=bidi_isolates)
        out.flush()
    raise typer.Exit(run.exit_code())


@app.command()
def sample(
    out_dir: Annotated[Path, typer.Option(
        "--out-dir", file_okay=False, help="Where to write events.jsonl and events.csv.")] = Path("."),
) -> None:
    """Run on the bundled sample article: print the events, write events.jsonl and events.csv."""
    from importlib.resources import as_file, files

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise typer.BadParameter(f"cannot create {out_dir}: {e.strerror or e}", param_hint="'--out-dir'") from None
    jsonl_path, csv_path = out_dir / "events.jsonl", out_dir / "events.csv"
    run = _Run()
    with _no_traceback(), as_file(files("marsad") / "data" / "sample" / "seed.jsonl") as seed:
        with open(jsonl_path, "w", encoding="utf-8") as fj, open(csv_path, "w", encoding="utf-8", newline="") as fc:
            writers = [make_writer("table", _stdout()), make_writer("jsonl", fj), make_writer("csv", fc)]
            _write_all(run, read_inputs([str(seed)]), writers)
    _say(f"wrote {jsonl_path} and {csv_path}; now try: marsad extract YOUR_ARTICLE.txt")
    raise typer.Exit(run.exit_code())


if __name__ == "__main__":
    app()
