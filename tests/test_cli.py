"""The command line: formats, exit codes, messages on stderr, never a traceback."""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import load_scorer
from typer.testing import CliRunner

import marsad
from marsad.cli import app
from marsad.model import EVENT_FIELDS, Event

FIX = Path(__file__).parent / "fixtures" / "io"
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MARSAD_SHARED") or ROOT.parent / "shared")


def fake_event(article) -> Event:
    """A fixed event for the first article words (the extractor is tested elsewhere)."""
    return Event(
        event_date="2021-03-04", time_precision=1, event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", actor1="SYRIAN_GOVERNMENT", assoc_actor_1=[],
        actor2="CIVILIANS", assoc_actor_2=[], country="Syria", admin1="Idlib", location="Idlib",
        location_ar="إدلب", latitude=35.93, longitude=36.63, geo_precision=3, fatalities=0,
        sources=["مصادر محلية"], evidence=article.text[:12], evidence_spans=[[0, 12]],
        actor_spans={"actor2": [[0, 3]]},
    )


@pytest.fixture
def events(monkeypatch):
    """Make extraction return one known event per article (the CLI calls marsad.extract_article)."""
    monkeypatch.setattr(marsad, "extract_article", lambda article: [fake_event(article)])


@pytest.fixture
def no_events(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda article: [])


def run(*args: str, input: str | bytes | None = None):
    result = CliRunner().invoke(app, list(args), input=input)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def flat(s: str) -> str:
    """Usage errors come in a rich box that wraps lines: undo the box and the wrapping."""
    return re.sub(r"[\s│╭╮╰╯─]+", " ", s)


def marsad_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "marsad"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "marsad.cli"]


def run_process(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    p = subprocess.run(marsad_cmd() + list(args), input=input, capture_output=True, cwd=cwd, timeout=120)
    assert b"Traceback" not in p.stderr
    return p


# --- formats ------------------------------------------------------------------------------

def test_jsonl_output_is_what_score_py_reads(tmp_path, events):
    out = tmp_path / "pred.jsonl"
    r = run("extract", str(FIX / "batch.jsonl"), str(FIX / "article.txt"), "-o", str(out))
    assert r.exit_code == 1  # line 2 of batch.jsonl is broken; the others are written
    assert r.stdout == ""
    score = load_scorer()
    pred = {x["id"]: x for x in score.load(out)}
    assert list(pred) == ["t-1", "t-3", "article"]
    for rec in pred.values():
        assert set(rec) == {"id", "events"}
        [ev] = rec["events"]
        assert list(ev) == list(Event.__dataclass_fields__)
    gold = [{"id": "t-1", "events": [dict(pred["t-1"]["events"][0], optional=False)]}]
    summary, _ = score.score(gold, pred)
    assert (summary["tp"], summary["fp"], summary["fn"]) == (1, 0, 0)


def test_jsonl_to_stdout(events):
    r = run("extract", str(FIX / "article.txt"), "--format", "jsonl", "--published", "2021-03-04")
    assert r.exit_code == 0 and r.stderr == ""
    [line] = r.stdout.splitlines()
    rec = json.loads(line)
    assert rec["id"] == "article" and rec["events"][0]["evidence_spans"] == [[0, 12]]


def test_json_output_and_with_text(events):
    r = run("extract", str(FIX / "batch.jsonl"), "-f", "json", "--with-text", "--published", "2020-01-01")
    assert r.exit_code == 1
    recs = json.loads(r.stdout)
    assert [x["id"] for x in recs] == ["t-1", "t-3"]
    assert recs[0]["published"] == "2020-01-01"
    s, e = recs[0]["events"][0]["evidence_spans"][0]
    assert recs[0]["text"][s:e] == recs[0]["events"][0]["evidence"]


def test_csv_header_and_rows(tmp_path, events):
    out = tmp_path / "events.csv"
    r = run("extract", str(FIX / "article.txt"), str(FIX / "page.html"), "-o", str(out))
    assert r.exit_code == 0
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["article_id", *EVENT_FIELDS]
    assert [row[0] for row in rows[1:]] == ["article", "page"]
    row = dict(zip(rows[0], rows[1]))
    assert json.loads(row["evidence_spans"]) == [[0, 12]]
    assert json.loads(row["sources"]) == ["مصادر محلية"]
    assert row["trigger"] == ""  # None -> empty cell


def test_table_output(events):
    r = run("extract", str(FIX / "article.txt"))
    assert r.exit_code == 0
    for text in ("article", "2021-03-04", "Shelling/artillery/missile attack", "CIVILIANS", "Idlib", "1 event(s)"):
        assert text in r.stdout


def test_table_without_events(no_events):
    r = run("extract", str(FIX / "article.txt"))
    assert r.exit_code == 0 and "(no events)" in r.stdout


def test_format_from_output_suffix(tmp_path, events):
    out = tmp_path / "x.json"
    assert run("extract", str(FIX / "article.txt"), "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))[0]["id"] == "article"
    r = run("extract", str(FIX / "article.txt"), "-o", str(tmp_path / "x.tsv"))
    assert r.exit_code == 2 and "give --format" in flat(r.stderr) and not (tmp_path / "x.tsv").exists()


# --- inputs and exit codes ----------------------------------------------------------------

def test_invalid_jsonl_line_is_named_and_others_processed(events):
    r = run("extract", str(FIX / "batch.jsonl"), "-f", "jsonl")
    assert r.exit_code == 1
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["t-1", "t-3"]
    assert f"marsad: {FIX / 'batch.jsonl'}:2: invalid JSON" in r.stderr


def test_stdin(events):
    r = run("extract", "-", "-f", "jsonl", input=(FIX / "page.html").read_bytes())
    assert r.exit_code == 0
    assert json.loads(r.stdout)["id"] == "stdin"


def test_html(events):
    r = run("extract", str(FIX / "page.html"), "-f", "jsonl", "--with-text")
    assert r.exit_code == 0
    rec = json.loads(r.stdout)
    assert rec["published"] == "2022-06-10" and rec["title"] == "انفجار عبوة ناسفة في مدينة الباب"


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 4, "binary file"),
    ("latin1.txt", "تقرير".encode("cp1256") * 10, "not valid UTF-8"),
    ("english.txt", (FIX / "english.txt").read_bytes(), "not Arabic"),
])
def test_bad_input_alone_exits_2(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    r = run("extract", str(p))
    assert r.exit_code == 2
    assert f"marsad: {p}: {message}" in r.stderr
    assert "no article could be read" in r.stderr


def test_bad_input_beside_good_exits_1(tmp_path, events):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = run("extract", str(bad), str(tmp_path / "missing.txt"), str(FIX / "article.txt"), "-f", "jsonl")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["id"] == "article"
    assert f"marsad: {bad}: empty file" in r.stderr
    assert f"marsad: {tmp_path / 'missing.txt'}: no such file or directory" in r.stderr


def test_20mb_file_refused(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.seek(20 * 1024 * 1024 - 1)
        f.write(b"\n")
    r = run("extract", str(p))
    assert r.exit_code == 2
    assert "too large" in r.stderr and "10 MB limit" in r.stderr


def test_max_size_option(tmp_path, no_events):
    p = tmp_path / "a.txt"
    p.write_bytes((FIX / "article.txt").read_bytes() * 3)
    assert p.stat().st_size > 1000
    r = run("extract", str(p), "--max-size", "0.001")
    assert r.exit_code == 2 and "too large" in r.stderr and "0.001 MB" in r.stderr
    assert run("extract", str(p), "--max-size", "0.01").exit_code == 0


def test_bad_published_exits_2():
    r = run("extract", str(FIX / "article.txt"), "--published", "18/05/2020")
    assert r.exit_code == 2
    assert "Invalid value for '--published': expected a date as YYYY-MM-DD, got '18/05/2020'" in flat(r.stderr)


def test_output_must_not_overwrite_an_input(tmp_path):
    src = tmp_path / "a.json"
    src.write_text(json.dumps({"text": "خبر " * 20}), encoding="utf-8")
    r = run("extract", str(src), "-o", str(src))
    assert r.exit_code == 2 and "also an input" in flat(r.stderr)
    assert json.loads(src.read_text(encoding="utf-8"))["text"].startswith("خبر")


def test_nothing_readable_leaves_no_output_file(tmp_path):
    out = tmp_path / "out.jsonl"
    r = run("extract", str(tmp_path / "missing.txt"), "-o", str(out))
    assert r.exit_code == 2 and not out.exists() and list(tmp_path.iterdir()) == []


def test_extraction_crash_is_reported_per_item(monkeypatch):
    def extract_article(article):
        if article.id == "t-1":
            raise RuntimeError("boom")
        return []
    monkeypatch.setattr(marsad, "extract_article", extract_article)
    r = run("extract", str(FIX / "batch.jsonl"), "-f", "jsonl")
    assert r.exit_code == 1
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["t-3"]
    assert f"{FIX / 'batch.jsonl'}:1: extraction failed for article 't-1': RuntimeError: boom" in r.stderr


def test_no_files_is_usage_error():
    assert run("extract").exit_code == 2


# --- sample, processes, start-up ----------------------------------------------------------

def test_sample_writes_jsonl_and_csv(tmp_path, events):
    r = run("sample", "--out-dir", str(tmp_path / "out"))
    assert r.exit_code == 0
    assert "seed-001" in r.stdout
    [rec] = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rec["id"] == "seed-001" and len(rec["events"]) == 1
    rows = list(csv.reader(open(tmp_path / "out" / "events.csv", encoding="utf-8", newline="")))
    assert rows[0][0] == "article_id" and rows[1][0] == "seed-001"


def test_sample_in_current_dir_as_a_process(tmp_path):
    p = run_process("sample", cwd=tmp_path)
    assert p.returncode == 0, p.stderr.decode()
    assert (tmp_path / "events.jsonl").exists() and (tmp_path / "events.csv").exists()
    rec = json.loads((tmp_path / "events.jsonl").read_text(encoding="utf-8"))
    assert rec["id"] == "seed-001" and isinstance(rec["events"], list)


def test_process_stdin_and_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes((FIX / "batch.jsonl").read_bytes())
    p = run_process("extract", "-", str(bad), "--format", "jsonl", input=(FIX / "article.txt").read_bytes())
    assert p.returncode == 1
    assert [json.loads(x)["id"] for x in p.stdout.decode().splitlines()] == ["stdin", "t-1", "t-3"]
    assert f"marsad: {bad}:2: invalid JSON".encode() in p.stderr


def test_help_is_fast_and_light():
    t = time.perf_counter()
    p = run_process("extract", "--help")
    assert p.returncode == 0 and b"--published" in p.stdout
    assert time.perf_counter() - t < 2.0
    code = ("import sys, marsad.cli; heavy = ['trafilatura', 'marsad.events', 'marsad.lexicon'];"
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
