"""Ingest into the store: files, folders and URLs (RSS/Atom feeds or article pages).

Files are read exactly as ``marsad extract`` reads them (``marsad.ingest``). A URL is fetched
once, with a timeout and a size limit; a feed's entries become articles (the entry's own text when
it carries the article (full content, or a summary that is not a teaser), else the linked page read by the same HTML reader), and a page is one
article. An article already in the store (same URL or same normalised text) is neither fetched
again nor extracted again, so re-running an interrupted ingest resumes where it stopped.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Callable

from .ingest import MAX_BYTES, InputError, decode_page, html_to_article, read_inputs, text_to_article
from .model import Article
from .store import AddResult, Store, text_hash

TIMEOUT_S = 20.0
USER_AGENT = "marsad feed reader"
MIN_SUMMARY_CHARS = 400  # a feed summary shorter than this is a teaser: read the linked page
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr")


@dataclass
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


class FetchError(Exception):
    pass


def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            length = r.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"too large ({int(length) / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit)")
            body = r.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"too large (over the {max_bytes / 1e6:g} MB limit)")
            return Fetched(r.geturl(), body, r.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as e:
        raise FetchError(f"HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise FetchError(f"cannot fetch: {e.reason}") from None
    except TimeoutError:
        raise FetchError(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as e:
        raise FetchError(f"cannot fetch: {e}") from None


def _looks_like_feed(f: Fetched) -> bool:
    ct = f.content_type.lower()
    if any(k in ct for k in ("rss", "atom", "xml")):
        return True
    head = f.body[:500].lstrip().lower()
    return head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), one paragraph per block."""
    import lxml.html
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:
        return ""
    for el in root.iter(*_BLOCKS):
        el.tail = "\n\n" + (el.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n\n".join(line for line in lines if line)


def read_url(url: str, store: Store | None = None, *, timeout: float = TIMEOUT_S,
             max_bytes: int = MAX_BYTES) -> Iterator[Article | InputError]:
    """Articles from a feed or a page URL; entries whose URL is already stored are skipped."""
    try:
        page = fetch(url, timeout=timeout, max_bytes=max_bytes)
    except FetchError as e:
        yield InputError(url, None, str(e))
        return
    if not _looks_like_feed(page):
        yield _page_article(page, url)
        return
    import feedparser
    feed = feedparser.parse(page.body)
    if not feed.entries:
        why = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        yield InputError(url, None, f"not a feed with entries{why}")
        return
    outlet = (feed.feed.get("title") or "").strip() or None
    for n, entry in enumerate(feed.entries, 1):
        link = entry.get("link")
        if store is not None and link and store.has_url(link):
            continue
        yield _entry_article(entry, n, url, outlet, timeout, max_bytes)


def _entry_article(entry: dict, n: int, feed_url: str, outlet: str | None, timeout: float,
                   max_bytes: int) -> Article | InputError:
    link = entry.get("link")
    published = _entry_date(entry)
    content = entry.get("content") or []
    body = fragment_text(content[0].get("value", "")) if content else ""
    if not body:  # no full content: the summary, unless it is a teaser
        body = fragment_text(entry.get("summary", ""))
        if len(body) < MIN_SUMMARY_CHARS:
            body = ""
    title = (entry.get("title") or "").strip() or None
    where = f"{feed_url} entry {n}"
    if not body and link:
        try:
            page = fetch(link, timeout=timeout, max_bytes=max_bytes)
        except FetchError as e:
            return InputError(where, None, f"{link}: {e}")
        article = _page_article(page, link, published)
        if isinstance(article, Article):
            article.url = link
            article.outlet = article.outlet or outlet
            article.title = article.title or title
        return article
    text = body if not title or body.startswith(title) else f"{title}\n\n{body}"
    return text_to_article(text, where, published=published, title=title, outlet=outlet, url=link)


def _page_article(page: Fetched, url: str, published: date | None = None) -> Article | InputError:
    try:
        html = decode_page(page.body, page.content_type)
    except ValueError as e:
        return InputError(url, None, str(e))
    return html_to_article(html, url, published=published, url=url)


def _entry_date(entry: dict) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def read_sources(sources: Iterable[str], store: Store | None = None, published: date | None = None,
                 ) -> Iterator[Article | InputError]:
    for s in sources:
        if is_url(s):
            yield from read_url(s, store)
        else:
            yield from read_inputs([s], published)


class ExtractionError(Exception):
    """Extraction failed on one article (a bug, not bad input)."""


def store_article(store: Store, article: Article, *, dedup: bool = True) -> AddResult:
    """Extract and store ``article``; one already stored (same URL or same normalised text) is
    not extracted again, and the answer gives its events."""
    from . import extract_article
    digest = text_hash(article.text)
    if store.known_article(article.url, digest) is not None:
        return store.add_article(article, [], digest=digest)
    try:
        extracted = extract_article(article)
    except Exception as e:
        raise ExtractionError(f"{article.source_path or article.id}: extraction failed for article "
                              f"{article.id!r}: {type(e).__name__}: {e}") from e
    return store.add_article(article, extracted, dedup=dedup, digest=digest)


@dataclass
class IngestCounts:
    read: int = 0
    stored: int = 0
    already: int = 0
    events: int = 0
    merged: int = 0
    errors: int = 0
    seconds: float = 0.0


def ingest(store: Store, items: Iterable[Article | InputError], *,
           on_item: Callable[[IngestCounts, Article | InputError, str | None], None] | None = None,
           dedup: bool = True) -> IngestCounts:
    """Extract and store every article not stored yet; each article commits on its own."""
    counts = IngestCounts()
    start = time.perf_counter()
    for item in items:
        problem: str | None = None
        if isinstance(item, InputError):
            if not item.warning:
                counts.errors += 1
                problem = str(item)
        else:
            counts.read += 1
            try:
                result = store_article(store, item, dedup=dedup)
            except ExtractionError as e:  # a bug on one article must not stop the ingest
                counts.errors += 1
                problem = str(e)
            else:
                if result.created:
                    counts.stored += 1
                    counts.events += len(result.event_ids)
                    counts.merged += result.merged
                else:
                    counts.already += 1
        counts.seconds = time.perf_counter() - start
        if on_item is not None:
            on_item(counts, item, problem)
    return counts
