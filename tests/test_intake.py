"""`marsad ingest` from feeds and pages served on localhost, and from files, through the CLI."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.intake import fetch, FetchError, fragment_text, ingest, read_url
from marsad.store import EventFilter, Store
from store_fixtures import STRIKE_A, STRIKE_B, STRIKE_LATER

runner = CliRunner()


class Site:
    """A tiny web site on 127.0.0.1: path -> (content type, body, delay in seconds)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, bytes, float]] = {}
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path not in site.pages:
                    self.send_error(404)
                    return
                ctype, body, delay = site.pages[self.path]
                time.sleep(delay)
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, path: str, body: str, ctype: str = "text/html; charset=utf-8", delay: float = 0.0) -> str:
        self.pages[path] = (ctype, body.encode("utf-8"), delay)
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.server.shutdown()


def page(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{escape(title)}</title><meta property='og:site_name' content='Outlet'></head>"
            f"<body><nav>Home | World</nav><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>")


def rss(site: Site, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed; each item is (title, link path, content HTML or '' for a teaser)."""
    entries = []
    for title, path, content in items:
        body = f"<description>{escape(title)}…</description>"
        if content:
            body += f"<content:encoded>{escape(content)}</content:encoded>"
        entries.append(f"<item><title>{escape(title)}</title><link>{site.base}{path}</link>"
                       f"<pubDate>Wed, 08 Sep 2021 09:00:00 GMT</pubDate>{body}</item>")
    return (f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel><title>Idlib Monitor</title>"
            f"<link>{site.base}/</link><description>news</description>{''.join(entries)}</channel></rss>")


def full_entry(text: str) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))


def test_a_feed_from_localhost_is_ingested_once(site: Site, tmp_path: Path) -> None:
    site.add("/news/1", page("غارة على كفرنبل", STRIKE_A))
    feed = site.add("/feed.xml", rss(site, [
        ("غارة على كفرنبل", "/news/1", ""),  # a teaser: the page is fetched
        ("قصف كفرنبل", "/news/2", full_entry(STRIKE_B)),  # the entry carries the article
        ("مقال مفقود", "/news/missing", ""),  # the page is gone
    ]), "application/rss+xml")
    store = Store(tmp_path / "s.sqlite")
    errors: list[str] = []
    counts = ingest(store, read_url(feed, store), on_item=lambda c, i, problem: problem and errors.append(problem))
    assert (counts.stored, counts.errors) == (2, 1)
    assert "HTTP 404" in errors[0]
    (event,) = store.list_events(EventFilter())
    assert event["n_articles"] == 2 and event["location"] == "Kafranbel"
    detail = store.event(event["id"])
    assert {a["url"] for a in detail["articles"]} == {site.base + "/news/1", site.base + "/news/2"}
    assert {a["outlet"] for a in detail["articles"]} == {"Idlib Monitor", "Outlet"}
    assert all(a["published"] == "2021-09-08" for a in detail["articles"])

    # Again: stored entries are not fetched a second time; only the missing page is tried again.
    site.requests.clear()
    again = ingest(store, read_url(feed, store))
    assert (again.stored, again.already, again.errors) == (0, 0, 1)
    assert site.requests == ["/feed.xml", "/news/missing"]


def test_fetch_limits(site: Site) -> None:
    slow = site.add("/slow", "x", delay=2.0)
    with pytest.raises(FetchError, match="no answer within|timed out"):
        fetch(slow, timeout=0.5)
    big = site.add("/big", "x" * 5000)
    with pytest.raises(FetchError, match="too large"):
        fetch(big, max_bytes=1000)
    with pytest.raises(FetchError, match="cannot fetch"):
        fetch("http://127.0.0.1:9/nothing-listens-here", timeout=2)


def test_a_page_url_is_one_article_and_a_bad_feed_is_reported(site: Site, tmp_path: Path) -> None:
    url = site.add("/story", page("غارة على كفرنبل", STRIKE_LATER))
    store = Store(tmp_path / "s.sqlite")
    items = list(read_url(url, store))
    assert len(items) == 1 and items[0].url == url and "كفرنبل" in items[0].text
    broken = site.add("/broken.xml", "<?xml version='1.0'?><rss><channel><title>x</title>", "application/xml")
    (problem,) = list(read_url(broken, store))
    assert "not a feed with entries" in problem.message


def test_fragment_text_keeps_paragraphs_and_drops_markup() -> None:
    assert fragment_text("<p>الأول <b>غامق</b></p><p>الثاني<br>الثالث</p><script>x</script>") == \
        "الأول غامق\n\nالثاني\n\nالثالث\n\nx"


def test_cli_ingest_export_token_and_unmerge(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.sqlite")
    src = tmp_path / "news.jsonl"
    import json
    src.write_text("\n".join(json.dumps({"id": i, "text": t, "published": "2021-09-08", "outlet": o}, ensure_ascii=False)
                             for i, t, o in (("a", STRIKE_A, "Enab Baladi"), ("b", STRIKE_B, "Syria TV"))) + "\nnot json\n",
                   encoding="utf-8")
    r = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert r.exit_code == 1  # one bad line, reported; the others stored
    assert "news.jsonl:3: invalid JSON" in r.stderr
    assert "2 article(s) stored with 2 event(s) (1 merged" in r.stderr
    r = runner.invoke(app, ["ingest", str(src), "--db", db])
    assert "0 article(s) stored" in r.stderr and "2 already stored" in r.stderr

    out = tmp_path / "events.csv"
    r = runner.invoke(app, ["export", "-o", str(out), "--db", db, "--country", "Syria"])
    assert r.exit_code == 0 and "wrote 1 event(s)" in r.stderr
    assert out.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")
    r = runner.invoke(app, ["export", "-o", str(tmp_path / "x.xlsx"), "--db", db])
    assert r.exit_code == 2 and "format must be one of" in r.stderr

    r = runner.invoke(app, ["token", "create", "analyst1", "--db", db])
    assert r.exit_code == 0 and Store(db).token_owner(r.stdout.strip()) == "analyst1"

    event_id = Store(db).list_events(EventFilter())[0]["id"]
    r = runner.invoke(app, ["unmerge", str(event_id), "--db", db])
    assert r.exit_code == 0 and "restored" in r.stderr
    assert Store(db).count_events(EventFilter()) == 2
    r = runner.invoke(app, ["unmerge", str(event_id), "--db", db])
    assert r.exit_code == 1 and "no merge to undo" in r.stderr


def test_cli_reports_a_bad_store_and_missing_inputs(tmp_path: Path) -> None:
    r = runner.invoke(app, ["ingest", str(tmp_path / "nothing.jsonl"), "--db", str(tmp_path / "s.sqlite")])
    assert r.exit_code == 2 and "no such file or directory" in r.stderr and "Traceback" not in r.output
    r = runner.invoke(app, ["export", "-o", str(tmp_path / "e.csv"), "--db", "postgresql://x:y@127.0.0.1:9/none"])
    assert r.exit_code == 2 and "cannot open the database" in r.stderr and "y@" not in r.stderr


def test_a_page_in_windows_1256_is_read_in_its_charset(site: Site, tmp_path: Path) -> None:
    html = page("غارة على كفرنبل", STRIKE_LATER).replace("<head>", "<head><meta charset='windows-1256'>")
    site.pages["/cp1256"] = ("text/html", html.encode("cp1256"), 0.0)
    (item,) = list(read_url(site.base + "/cp1256", Store(tmp_path / "s.sqlite")))
    assert "كفرنبل" in item.text
