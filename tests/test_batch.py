"""marsad batch: partitions, formats (JSON Lines, gzip, WARC, HTML trees), bad records as status
rows, resume, a Dask LocalCluster writing what a local run writes, resources loaded once per worker."""
from __future__ import annotations

import gzip
import io
import json
from datetime import date
from importlib.resources import files
from pathlib import Path

import pyarrow.dataset as ds
import pytest
import typer
from typer.testing import CliRunner

from marsad import extract_article
from marsad.batch import (JSON_FIELDS, NO_DASHBOARD, BatchError, Partition, _directory, plan, read_partition, resource_loads,
                          run_batch, run_partition)
from marsad.cli_batch import batch
from marsad.ingest import read_inputs
from marsad.model import Article, Event

SEED = json.loads((files("marsad") / "data" / "sample" / "seed.jsonl").read_text(encoding="utf-8"))
SHELLING = ("إدلب - قتل ثلاثة مدنيين وأصيب خمسة آخرون، أمس الثلاثاء، جراء قصف مدفعي استهدف بلدة كفرنبل في ريف "
            "إدلب الجنوبي، بحسب ما أفاد به المرصد السوري لحقوق الإنسان.\nوقال المرصد إن القصف مصدره قوات النظام "
            "المتمركزة في المنطقة.")
ARREST = ("بغداد - اعتقلت القوات الأمنية العراقية، اليوم الأحد، خمسة مطلوبين بتهم إرهابية في عملية أمنية بقضاء "
          "الطارمية شمالي بغداد، وفق بيان لخلية الإعلام الأمني.")
MARKET = ("أعلنت وزارة الاقتصاد عن ارتفاع أسعار الخضار والفواكه في الأسواق المحلية خلال الأسبوع الجاري، وعزت ذلك "
          "إلى تراجع الإنتاج الزراعي بسبب موجة الحر التي تشهدها البلاد.")
ENGLISH = "Three civilians were killed in shelling on the town yesterday, the monitor said in a statement."
SIZE = 3  # articles per partition in these tests


def _line(**record) -> str:
    return json.dumps(record, ensure_ascii=False)


def _html(title: str, text: str, published: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return (f'<html><head><title>{title}</title><meta name="date" content="{published}"></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def _warc(path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = _html("قصف على كفرنبل", SHELLING, "2024-03-05").encode("utf-8")
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        records = [
            ("request", "http://example.org/a", StatusAndHeaders(
                "GET /a HTTP/1.1", [("Host", "example.org")], is_http_request=True), b""),
            ("response", "http://example.org/a", StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"), page),
            ("response", "http://example.org/logo.png", StatusAndHeaders(
                "200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"), b"\x89PNG\r\n\x1a\n"),
        ]
        for i, (kind, uri, http, payload) in enumerate(records):
            headers = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-00000000000{i}>",
                       "WARC-Date": "2024-03-05T10:00:00Z"}
            writer.write_record(writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), http_headers=http,
                                                          warc_headers_dict=headers))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    """An archive of every kind, with bad records among the good ones."""
    root = tmp_path_factory.mktemp("archive")
    lines = [
        _line(**{k: SEED[k] for k in ("id", "text", "published", "title", "outlet", "url")}),
        _line(id="shelling", text=SHELLING, published="2024-03-05"),
        "{not json",
        _line(id="english", text=ENGLISH, published="2024-03-05"),
        "",
        _line(text=ARREST, published="2024-03-10T08:00:00+03:00"),  # no id: becomes news-6
        _line(id="market", text=MARKET, published="2024-03-05"),
        _line(id="bad-date", text=SHELLING, published="yesterday"),
    ]
    (root / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(root / "more.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(_line(id="gz-arrest", text=ARREST, published="2024-03-10") + "\n")
        f.write(_line(id="gz-market", text=MARKET, published="2024-03-05") + "\n")
    _warc(root / "crawl.warc.gz")
    site = root / "site"
    (site / "2024" / "03").mkdir(parents=True)
    (site / "2024" / "03" / "arrest.html").write_text(_html("اعتقالات في الطارمية", ARREST, "2024-03-10"), encoding="utf-8")
    (site / "index.htm").write_text(_html("الأسواق", MARKET, "2024-03-05"), encoding="utf-8")
    (site / "style.css").write_text("body { color: black }", encoding="utf-8")
    return {"jsonl": root / "news.jsonl", "gz": root / "more.jsonl.gz", "warc": root / "crawl.warc.gz", "site": site}


def _all(inputs: dict[str, Path]) -> list[str]:
    return [str(p) for p in inputs.values()]


def _table(out: Path, what: str):
    return ds.dataset(out / what, format="parquet", partitioning="hive" if what == "events" else None).to_table()


def _status(out: Path) -> dict[str, dict]:
    return {row["input"]: row for row in _table(out, "status").to_pylist()}


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def here(inputs, tmp_path_factory) -> tuple[Path, object]:
    """A run in this process (no Dask), the reference for the others."""
    out = tmp_path_factory.mktemp("here")
    return out, run_batch(_all(inputs), out, workers=0, partition_size=SIZE)


# --- planning ------------------------------------------------------------------------------

def test_jsonl_files_are_cut_into_line_ranges_that_start_where_the_lines_start(tmp_path):
    path = tmp_path / "x.jsonl"
    lines = [f'{{"n": {i}}}' for i in range(1, 8)]
    path.write_text("\n".join(lines), encoding="utf-8")  # no final newline
    parts, problems = plan([str(path)], 3)
    assert problems == []
    assert [(p.first_line, p.n_lines) for p in parts] == [(1, 3), (4, 3), (7, 1)]
    data = path.read_bytes()
    assert [data[p.offset:].split(b"\n")[0].decode() for p in parts] == [lines[0], lines[3], lines[6]]
    assert len({p.key for p in parts}) == 3 and plan([str(path)], 3)[0] == parts  # stable keys


def test_a_partition_boundary_can_fall_on_a_chunk_boundary(tmp_path, monkeypatch):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"".join(b"%d\n" % i for i in range(10)))
    big = plan([str(path)], 4)[0]
    import marsad.batch as batch_module

    real_open = open

    def small_reads(p, mode="r", *a, **k):  # read 2 bytes at a time: lines end on chunk edges
        f = real_open(p, mode, *a, **k)
        read = f.read
        f.read = lambda n=-1: read(2)
        return f

    monkeypatch.setattr(batch_module, "open", small_reads, raising=False)
    assert plan([str(path)], 4)[0] == big
    assert [(p.first_line, p.offset, p.n_lines) for p in big] == [(1, 0, 4), (5, 8, 4), (9, 16, 2)]


def test_folders_are_searched_recursively_for_known_files_and_problems_are_reported(inputs, tmp_path):
    parts, problems = plan([str(inputs["site"]), str(tmp_path / "missing.jsonl"), str(tmp_path / "*.warc")], SIZE)
    assert [p.kind for p in parts] == ["files"]
    assert [Path(f).name for f in parts[0].paths] == ["index.htm", "arrest.html"]  # a folder, then its folders
    assert [(Path(p.source).name, p.message) for p in problems] == [
        ("missing.jsonl", "no such file or directory"), ("*.warc", "no file matches this pattern")]


# --- reading and writing -------------------------------------------------------------------

def test_every_article_and_every_bad_record_has_a_status_row(here, inputs):
    out, summary = here
    status = _status(out)
    news = str(inputs["jsonl"])
    assert status[f"{news}:1"]["status"] == "ok" and status[f"{news}:1"]["article_id"] == SEED["id"]
    assert status[f"{news}:3"]["status"] == "error" and status[f"{news}:3"]["message"].startswith("invalid JSON")
    assert status[f"{news}:4"]["status"] == "error" and status[f"{news}:4"]["message"].startswith("not Arabic")
    assert status[f"{news}:6"]["article_id"] == "news-6" and status[f"{news}:6"]["status"] == "ok"
    assert status[f"{news}:7"]["status"] == "no events" and status[f"{news}:7"]["n_events"] == 0
    # no date to resolve "أمس" against: no events, and the warning is in the message
    assert status[f"{news}:8"]["status"] == "no events"
    assert status[f"{news}:8"]["message"].startswith('warning: unreadable "published"')
    assert f"{news}:5" not in status  # a blank line is no record
    gz = str(inputs["gz"])
    assert status[f"{gz}:1"]["article_id"] == "gz-arrest" and status[f"{gz}:2"]["status"] == "no events"
    warc = [row for where, row in status.items() if where.startswith(f"{inputs['warc']}@")]
    assert [(r["status"], r["message"]) for r in warc] == [
        ("ok", None), ("error", "not an HTML page (Content-Type: image/png)")]  # the request record is no page
    assert warc[0]["article_id"] == "urn:uuid:00000000-0000-0000-0000-000000000001"
    html = {Path(where).name: row for where, row in status.items() if "site" in where}
    assert html["arrest.html"]["status"] == "ok" and html["index.htm"]["status"] == "no events"
    assert summary.errors == 3 and summary.articles == len(status) - 3 and not summary.ok
    assert summary.events == sum(row["n_events"] for row in status.values())


def test_events_are_the_events_of_marsad_extract_partitioned_by_country_and_month(here, inputs):
    out, _ = here
    news = str(inputs["jsonl"])
    rows = [r for r in _table(out, "events").to_pylist() if r["input"].startswith(f"{news}:")]
    expected = []
    for article in read_inputs([news]):
        for event in extract_article(article) if isinstance(article, Article) else []:
            fields = {k: json.dumps(v, ensure_ascii=False) if k in JSON_FIELDS and v is not None else v
                      for k, v in event.to_dict().items()}
            month = event.event_date[:7] if event.event_date else "unknown"
            expected.append({**fields, "country": event.country or "unknown", "month": month, "article_id": article.id,
                             "input": article.source_path, "published": article.published, "outlet": article.outlet,
                             "url": article.url})
    in_order = lambda rows: sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))  # noqa: E731
    assert len(rows) == len(expected) > 3
    assert in_order(rows) == in_order(expected)


def test_events_without_country_or_date_go_to_unknown():
    event = Event(None, 1, "Battles", "Armed clash", None, [], None, [], None, None, None, None, None, None, 1, 0,
                  [], "")
    assert _directory(event) == ("unknown", "unknown")
    event.event_date, event.country = "2024-03-05", "Syria"
    assert _directory(event) == ("Syria", "2024-03")


def test_a_partition_that_cannot_be_read_is_an_error_row_not_a_crash(tmp_path):
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(("\n".join([_line(id="a", text=MARKET)] * 50)).encode())[:-30])
    part = plan([str(broken)], SIZE)[0][0]
    report = run_partition(part, str(tmp_path / "out"), SIZE)
    status = _table(tmp_path / "out", "status").to_pylist()
    assert report.errors == 1 and status[-1]["status"] == "error" and status[-1]["input"] == str(broken)
    assert report.articles == len(status) - 1 > 0


def test_a_gzip_file_is_one_partition_written_in_chunks(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(_line(id=f"a{i}", text=ARREST if i % 2 else MARKET, published="2024-03-10") + "\n"
                     for i in range(7))
    [part] = plan([str(path)], SIZE)[0]
    report = run_partition(part, str(tmp_path / "out"), SIZE)
    assert sorted(p.name for p in (tmp_path / "out" / "status").iterdir()) == [
        f"part-{part.key}-{n:04d}.parquet" for n in range(3)]
    assert [r["article_id"] for r in _table(tmp_path / "out", "status").to_pylist()] == [f"a{i}" for i in range(7)]
    assert (report.articles, report.events) == (7, len(_table(tmp_path / "out", "events"))) and report.events == 3


def test_stray_files_of_an_unfinished_attempt_are_removed(tmp_path, inputs):
    part = plan([str(inputs["gz"])], SIZE)[0][0]
    out = tmp_path / "out"
    stray = out / "events" / "country=Yemen" / "month=2001-01" / f"part-{part.key}-0007.parquet"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"half written")
    run_partition(part, str(out), SIZE)
    assert not stray.exists() and (out / "_done" / f"{part.key}.json").exists()


def test_read_partition_reads_what_marsad_extract_reads(inputs):
    [part] = plan([str(inputs["site"])], SIZE)[0]
    mine = [a for a in read_partition(part) if isinstance(a, Article)]
    theirs = [a for a in read_inputs([str(p) for p in part.paths]) if isinstance(a, Article)]
    assert mine == theirs and [a.published for a in mine] == [date(2024, 3, 5), date(2024, 3, 10)]


# --- resources ---------------------------------------------------------------------------------

def test_resource_loads_counts_a_reload():
    from marsad.actors import catalog
    from marsad.gazetteer import Gazetteer

    extract_article(Article("x", SHELLING, date(2024, 3, 5)))
    before = resource_loads()
    assert before["actors.catalog"] == 1 and before["gazetteer"] >= 1
    catalog.cache_clear()
    Gazetteer.reset()
    extract_article(Article("x", SHELLING, date(2024, 3, 5)))
    after = resource_loads()
    assert after["actors.catalog"] == 2 and after["gazetteer"] == before["gazetteer"] + 1


# --- Dask --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, silence_logs=50, **NO_DASHBOARD) as c:
        yield c


def test_a_dask_cluster_writes_what_a_local_run_writes(here, inputs, cluster, tmp_path):
    reference, summary_here = here
    local = run_batch(_all(inputs), tmp_path / "local", workers=2, partition_size=SIZE)
    on_cluster = run_batch(_all(inputs), tmp_path / "cluster", scheduler=cluster.scheduler_address,
                           partition_size=SIZE)
    assert _files(tmp_path / "local") == _files(tmp_path / "cluster") == _files(reference)
    for s in (local, on_cluster):
        assert (s.done, s.articles, s.events, s.errors) == (
            summary_here.done, summary_here.articles, summary_here.events, summary_here.errors)


def test_workers_load_the_gazetteer_and_lexicons_once(inputs, cluster, tmp_path):
    summary = run_batch(_all(inputs), tmp_path / "out", scheduler=cluster.scheduler_address, partition_size=SIZE)
    assert summary.done >= 3 and sum(w.partitions for w in summary.workers.values()) == summary.done
    assert max(w.partitions for w in summary.workers.values()) >= 2  # some worker ran several partitions
    for stats in summary.workers.values():
        assert stats.loads["gazetteer"] == 1 and stats.loads["actors.catalog"] == 1
        assert max(stats.loads.values()) == 1, stats.loads


def test_a_second_run_resumes(inputs, cluster, tmp_path):
    out = tmp_path / "out"
    first = run_batch(_all(inputs), out, scheduler=cluster.scheduler_address, partition_size=SIZE)
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    before = _files(out)

    again = run_batch(_all(inputs), out, scheduler=cluster.scheduler_address, partition_size=SIZE)
    assert (again.done, again.skipped, again.articles) == (0, first.done, 0)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == written

    redo = plan([str(inputs["jsonl"])], SIZE)[0][1]  # lines 4-6
    (out / "_done" / f"{redo.key}.json").unlink()
    third = run_batch(_all(inputs), out, scheduler=cluster.scheduler_address, partition_size=SIZE)
    assert (third.done, third.skipped) == (1, first.done - 1)
    changed = {p for p in out.rglob("*.parquet") if p.stat().st_mtime_ns != written[p]}
    assert changed and all(redo.key in p.name for p in changed)
    assert _files(out) == before


def test_resuming_with_another_partition_size_is_refused(inputs, tmp_path):
    run_batch([str(inputs["gz"])], tmp_path, workers=0, partition_size=SIZE)
    with pytest.raises(BatchError, match="partition size 3"):
        run_batch([str(inputs["gz"])], tmp_path, workers=0, partition_size=SIZE + 1)


def test_an_unreachable_scheduler_is_a_batch_error(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr("marsad.batch.CONNECT_TIMEOUT", "1s")
    with pytest.raises(BatchError, match="cannot reach the Dask scheduler"):
        run_batch([str(inputs["gz"])], tmp_path, scheduler="tcp://127.0.0.1:9")


# --- the command -------------------------------------------------------------------------------

def _cli(*args: str):
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("batch")(batch)
    app.callback()(lambda: None)
    result = CliRunner().invoke(app, ["batch", *args])
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return result


def test_command_runs_reports_and_exits_1_when_records_were_bad(inputs, tmp_path):
    r = _cli(str(inputs["jsonl"]), "--out", str(tmp_path), "--workers", "0", "--partition-size", "3")
    assert r.exit_code == 1
    assert "5 articles" in r.stderr and "2 errors" in r.stderr and "status 'error'" in r.stderr
    r = _cli(str(inputs["jsonl"]), "--out", str(tmp_path), "--workers", "0", "--partition-size", "3")
    assert r.exit_code == 0 and "3 of 3 partitions were done by an earlier run" in r.stderr
    assert "nothing to do" in r.stderr


def test_command_bad_input_is_a_message_and_exit_2(tmp_path):
    r = _cli(str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert f"marsad: nothing to read: {tmp_path / 'missing.jsonl'}: no such file or directory" in r.stderr
    r = _cli(str(tmp_path), "--out", str(tmp_path / "out"), "--workers", "2", "--scheduler", "tcp://x:1")
    assert r.exit_code == 2 and "--workers" in r.stderr
    (tmp_path / "file").write_text("x")
    (tmp_path / "in.jsonl").write_text(_line(text=MARKET) + "\n", encoding="utf-8")
    r = _cli(str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "file" / "out"), "--workers", "0")
    assert r.exit_code == 2 and "marsad: cannot write to" in r.stderr


def test_partitions_are_picklable_values():
    import pickle

    p = Partition("k", "jsonl", ("/a.jsonl",), 10, 4, 3)
    assert pickle.loads(pickle.dumps(p)) == p
