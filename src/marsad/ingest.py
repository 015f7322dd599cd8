"""Reading articles from files and standard input.

``read_inputs`` turns paths (files, directories, ``-`` for standard input) into a stream of
``Article`` records, with an ``InputError`` in the stream for every item that could not be
read. It never raises for bad input: each problem is reported once, with where it happened,
and reading goes on with the next item.

Formats (by suffix; standard input and unknown suffixes are sniffed):

- ``.txt``: one article. Title = first non-empty line (when there are more lines);
  publication date found near the top of the text.
- ``.jsonl``: one article object per line (the gold format: ``id``, ``text``, ``published``,
  ``title``, ``outlet``, ``url``; other keys are ignored). Read line by line, so the size limit
  applies to each line, not to the file.
- ``.json``: one article object, or a list of them.
- ``.html`` / ``.htm``: main text, title, date, site name and URL extracted by trafilatura
  (offline; nothing is fetched).

Article text is kept exactly as read (after UTF-8 decoding, BOM removal and, for text and
HTML files, universal newlines), because event spans are offsets into it.
"""
from __future__ import annotations

import codecs
import itertools
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .model import Article

MAX_BYTES = 10_000_000  # 10 MB
SUFFIX_KINDS = {".txt": "text", ".jsonl": "jsonl", ".json": "json", ".html": "html", ".htm": "html"}
STDIN = "<stdin>"

MIN_ARABIC_LETTERS = 20
MIN_ARABIC_SHARE = 0.30

_LETTERS = re.compile(r"[^\W\d_]+")
_ARABIC_LETTERS = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06FA-\u06FF\u0750-\u077F\u08A0-\u08C9\uFB50-\uFDFB\uFE70-\uFEFC]+")


@dataclass
class InputError:
    """An item that could not be read (or, with ``warning=True``, was read with a caveat)."""
    source: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {'warning: ' if self.warning else ''}{self.message}"


class _Bad(Exception):
    """A problem with one item; becomes an InputError."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def parse_date(value: str) -> date:
    """``YYYY-MM-DD`` or a full ISO 8601 datetime (its calendar date, as written)."""
    s = value.strip()
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s).date()
    except ValueError:
        raise ValueError(f"not a date (expected YYYY-MM-DD): {value!r}") from None


def read_inputs(paths: Iterable[str], published: date | None = None, *, max_bytes: int = MAX_BYTES,
                stdin: IO[bytes] | None = None) -> Iterator[Article | InputError]:
    """Articles from ``paths``; ``published`` (if given) overrides every article's own date.

    A path may be a file, a directory (its .txt/.jsonl/.json/.html/.htm files, not recursive) or
    ``-`` for standard input (``stdin``, a binary stream, defaults to ``sys.stdin.buffer``).
    """
    for p in paths:
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guard(STDIN, _read_stream(stream, STDIN, "stdin", None, published, max_bytes))
            continue
        path = Path(p)
        if path.is_dir():
            try:
                files = sorted(f for f in path.iterdir()
                               if f.suffix.lower() in SUFFIX_KINDS and not f.name.startswith(".") and f.is_file())
            except OSError as e:
                yield InputError(p, None, f"cannot list directory: {e.strerror or e}")
                continue
            if not files:
                yield InputError(p, None, "directory has no .txt, .jsonl, .json or .html files")
            for f in files:
                yield from _guard(str(f), _read_path(f, published, max_bytes))
        elif not path.exists():
            yield InputError(p, None, "no such file or directory")
        else:
            yield from _guard(p, _read_path(path, published, max_bytes))


def _guard(source: str, items: Iterator[Article | InputError]) -> Iterator[Article | InputError]:
    """Run one input's (lazy) reader; turn OS errors and surprises into InputErrors."""
    try:
        yield from items
    except _Bad as e:
        yield InputError(source, e.line, e.message)
    except PermissionError:
        yield InputError(source, None, "permission denied")
    except OSError as e:
        yield InputError(source, None, f"cannot read: {e.strerror or e}")
    except Exception as e:  # a bug, not bad input: report it with the item, keep going
        if os.environ.get("MARSAD_DEBUG"):
            raise
        yield InputError(source, None, f"unexpected error while reading: {type(e).__name__}: {e}")


def _read_path(path: Path, published: date | None, max_bytes: int) -> Iterator[Article | InputError]:
    kind = SUFFIX_KINDS.get(path.suffix.lower())
    with open(path, "rb") as f:
        if kind == "jsonl":
            yield from _read_jsonl_stream(f, str(path), path.stem, published, max_bytes)
        else:
            yield from _read_stream(f, str(path), path.stem, kind, published, max_bytes)


def _read_stream(f: IO[bytes], source: str, stem: str, kind: str | None, published: date | None,
                 max_bytes: int) -> Iterator[Article | InputError]:
    """A whole document (never more than ``max_bytes`` + 1 bytes are read)."""
    data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        size = _size_of(f)
        what = f"{size / 1e6:.1f} MB, " if size else ""
        raise _Bad(f"too large ({what}over the {_mb(max_bytes)} limit per article; see --max-size)")
    text = _decode(data)
    if not text.strip():
        raise _Bad("empty file" if source != STDIN else "empty input")
    if kind is None:
        kind = _sniff(text)
    if kind == "jsonl":
        lines = ((i, line) for i, line in enumerate(text.split("\n"), 1))
        yield from _jsonl_records(lines, source, stem, published)
    elif kind == "json":
        yield from _json_document(text, source, stem, published)
    elif kind == "html":
        yield _html_article(text, source, stem, published)
    else:
        yield _text_article(text, source, stem, published)


def _size_of(f: IO[bytes]) -> int | None:
    try:
        st = os.fstat(f.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return st.st_size or None


def _mb(n: int) -> str:
    return f"{n / 1e6:g} MB"


def _decode(data: bytes, line: int | None = None) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Bad("not valid UTF-16 text", line) from None
    else:
        if b"\x00" in data:
            raise _Bad("binary file (contains NUL bytes), not text", line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise _Bad(f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); binary, or another "
                       "encoding? Convert it first, e.g. iconv -f cp1256 -t utf-8", line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sniff(text: str) -> str:
    head = text.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        try:
            json.loads(text)
        except ValueError:
            return "jsonl"
        return "json"
    if head == "<":
        return "html"
    return "text"


# --- JSON and JSON Lines ------------------------------------------------------------------

def _read_jsonl_stream(f: IO[bytes], source: str, stem: str, published: date | None,
                       max_bytes: int) -> Iterator[Article | InputError]:
    head = f.read(8192)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Bad("binary file (contains NUL bytes), not text")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 JSON Lines: rare, read it whole
        f.seek(0)
        yield from _read_stream(f, source, stem, "jsonl", published, max_bytes)
        return
    f.seek(0)
    seen = False
    for item in read_jsonl_lines(f, source, stem, published, max_bytes=max_bytes):
        seen = True
        yield item
    if not seen:
        raise _Bad("empty file")


def read_jsonl_lines(f: IO[bytes], source: str, stem: str, published: date | None = None, *,
                     max_bytes: int = MAX_BYTES, first_line: int = 1,
                     max_lines: int | None = None) -> Iterator[Article | InputError]:
    """Articles from the JSON Lines of ``f`` (UTF-8), from its current position: the lines are
    numbered from ``first_line``, at most ``max_lines`` are read, and each bad line becomes an
    InputError (``source:LINE``) while reading goes on. A missing ``id`` becomes ``stem-LINE``."""
    return _jsonl_records(_jsonl_lines(f, max_bytes, first_line, max_lines), source, stem, published)


def _jsonl_lines(f: IO[bytes], max_bytes: int, first_line: int,
                 max_lines: int | None) -> Iterator[tuple[int, str | _Bad]]:
    for n in itertools.count(first_line) if max_lines is None else range(first_line, first_line + max_lines):
        raw = f.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line unread
                raw = f.readline(1 << 20)
            yield n, _Bad(f"line too large (over the {_mb(max_bytes)} limit per article, see --max-size)", n)
            continue
        try:
            yield n, _decode(raw.rstrip(b"\r\n"), n)
        except _Bad as e:
            yield n, e


def _jsonl_records(lines: Iterable[tuple[int, str | _Bad]], source: str, stem: str,
                   published: date | None) -> Iterator[Article | InputError]:
    for n, line in lines:
        if isinstance(line, _Bad):
            yield InputError(source, n, line.message)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            yield InputError(source, n, f"invalid JSON: {_json_reason(e)}")
            continue
        yield from _record_article(obj, source, n, f"{source}:{n}", f"{stem}-{n}", published)


def _json_document(text: str, source: str, stem: str, published: date | None) -> Iterator[Article | InputError]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # several objects, one per line: JSON Lines under another name
            yield from _jsonl_records(enumerate(text.split("\n"), 1), source, stem, published)
            return
        raise _Bad(f"invalid JSON: {_json_reason(e)}", e.lineno) from None
    if isinstance(doc, list):
        if not doc:
            raise _Bad("empty list: no articles")
        for i, obj in enumerate(doc, 1):
            yield from _record_article(obj, source, None, source, f"{stem}-{i}", published, item=i)
    else:
        yield from _record_article(doc, source, None, source, stem, published)


def _json_reason(e: ValueError) -> str:
    if isinstance(e, json.JSONDecodeError):
        return f"{e.msg} (column {e.colno})"
    return str(e)


def _record_article(obj: Any, source: str, line: int | None, where: str, default_id: str,
                    published: date | None, item: int | None = None) -> Iterator[Article | InputError]:
    label = f"item {item}: " if item else ""
    if not isinstance(obj, dict):
        yield InputError(source, line, f"{label}expected an article object with a \"text\" field")
        return
    text = obj.get("text")
    if not isinstance(text, str):
        why = "no \"text\" field" if text is None else "\"text\" is not a string"
        yield InputError(source, line, f"{label}{why}")
        return
    problem = _not_arabic(text)
    if problem:
        yield InputError(source, line, label + problem)
        return
    ident = obj.get("id")
    ident = default_id if ident is None or ident == "" else str(ident)
    if published is None:
        raw = obj.get("published")
        if raw not in (None, ""):
            try:
                published = parse_date(str(raw))
            except ValueError:
                yield InputError(source, line, f"{label}unreadable \"published\" {raw!r}: "
                                 "using the date found in the text, if any", warning=True)
        if published is None:
            published = _find_date(text)
    yield Article(id=ident, text=text, published=published, title=_str(obj.get("title")),
                  outlet=_str(obj.get("outlet")), url=_str(obj.get("url")), source_path=where)


def _str(v: Any) -> str | None:
    if v is None or v == "":
        return None
    return v if isinstance(v, str) else str(v)


# --- text and HTML ------------------------------------------------------------------------

def _text_article(text: str, source: str, stem: str, published: date | None) -> Article:
    problem = _not_arabic(text)
    if problem:
        raise _Bad(problem)
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = lines[0] if len(lines) > 1 else None
    return Article(id=stem, text=text, published=published or _find_date(text), title=title,
                   source_path=source)


def _html_article(html: str, source: str, stem: str, published: date | None) -> Article:
    try:
        import trafilatura
    except ImportError as e:
        raise _Bad(f"cannot read HTML: trafilatura is not usable ({e})") from None
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    body = (meta.get("text") or "").strip()
    if not body:
        raise _Bad("no article text found in the HTML page")
    title = (meta.get("title") or "").strip() or None
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    problem = _not_arabic(text)
    if problem:
        raise _Bad(problem)
    if published is None and meta.get("date"):
        try:
            published = parse_date(str(meta["date"]))
        except ValueError:
            pass
    return Article(id=stem, text=text, published=published or _find_date(text), title=title,
                   outlet=meta.get("sitename") or None, url=meta.get("url") or None, source_path=source)


# --- checks -------------------------------------------------------------------------------

def _not_arabic(text: str) -> str | None:
    """Why ``text`` is not an Arabic article, or None if it is one."""
    if not text.strip():
        return "empty text"
    arabic = _count(_ARABIC_LETTERS, text)
    if arabic < MIN_ARABIC_LETTERS:
        return f"not Arabic: only {arabic} Arabic letters (an Arabic article is needed)"
    if arabic >= MIN_ARABIC_SHARE * len(text):
        return None  # a share of the characters already: of the letters too, without counting them
    letters = _count(_LETTERS, text)
    if arabic < MIN_ARABIC_SHARE * letters:
        return f"not Arabic: only {100 * arabic // letters}% of the letters are Arabic (an Arabic article is needed)"
    return None


def _count(runs: re.Pattern[str], text: str) -> int:
    """How many characters of ``text`` the character class of ``runs`` (``[...]+``) holds."""
    return sum(map(len, runs.findall(text)))


def _find_date(text: str) -> date | None:
    """Publication date near the top of ``text`` (marsad.times), or None."""
    try:
        from .times import find_publication_date
    except ImportError as e:
        if e.name != __package__ + ".times":  # times.py is there but broken: say so
            raise
        return None  # no date finder (yet)
    try:
        return find_publication_date(text)
    except Exception:
        if os.environ.get("MARSAD_DEBUG"):
            raise
        return None


# --- public readers for other front doors (feeds, the API) ---------------------------------

_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def decode_page(payload: bytes, content_type: str) -> str:
    """A page's text, in the charset its headers or its <meta> declare (UTF-8 if none)."""
    declared = _CHARSET.search(content_type) or _CHARSET.search(payload[:4096].decode("ascii", "replace"))
    charset = declared.group(1) if declared else "utf-8"
    try:
        codec = codecs.lookup(charset).name
        text = payload.decode("utf-8-sig" if codec == "utf-8" else codec)
    except (LookupError, UnicodeDecodeError):
        raise ValueError(f"cannot decode the page as {charset}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_article(html: str, source: str, *, published: date | None = None,
                    url: str | None = None) -> Article | InputError:
    """An article from an HTML page, read as ``marsad extract`` reads .html files."""
    try:
        article = _html_article(html, source, _stem_of(url or source), published)
    except _Bad as e:
        return InputError(source, None, e.message)
    if url:
        article.url = article.url or url
    return article


def text_to_article(text: str, source: str, *, ident: str | None = None, published: date | None = None,
                    title: str | None = None, outlet: str | None = None,
                    url: str | None = None) -> Article | InputError:
    """An article from plain text (a feed entry, an API request); not Arabic -> InputError."""
    problem = _not_arabic(text)
    if problem:
        return InputError(source, None, problem)
    return Article(id=ident if ident is not None else _stem_of(url or source), text=text, published=published or _find_date(text),
                   title=title, outlet=outlet, url=url, source_path=source)


def _stem_of(location: str) -> str:
    tail = location.rstrip("/").rsplit("/", 1)[-1]
    return tail.rsplit(".", 1)[0] or location
