"""`marsad explain`: the explain view (marsad.explain) and its command, and `extract --min-confidence`."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import marsad
from marsad.cli import app
from marsad.explain import PDI, RLI, explain, isolate
from marsad.model import Event

FIX = Path(__file__).parent / "fixtures" / "explain"
SHELLING = FIX / "shelling.txt"

TEXT = ("اشتباكات في ريف دير الزور\n\n"
        "أفاد المرصد السوري لحقوق الإنسان بأن اشتباكات عنيفة اندلعت أمس بين قوات سوريا الديمقراطية "
        "وخلايا تنظيم داعش في بلدة ذيبان، ما أسفر عن مقتل ثلاثة عناصر.\n"
        "وقالت شبكة محلية إن الاشتباكات استمرت ساعتين.")


def at(word: str, start: int = 0) -> list[int]:
    i = TEXT.index(word, start)
    return [i, i + len(word)]


def sentence(i: int) -> list[int]:
    lines = TEXT.split("\n")
    start = sum(len(x) + 1 for x in lines[:i])
    return [start, start + len(lines[i])]


def clash(**kw) -> Event:
    e = Event(
        event_date="2023-08-09", time_precision=1, event_type="Battles", sub_event_type="Armed clash",
        actor1="SDF", assoc_actor_1=[], actor2="ISIS", assoc_actor_2=[], country="Syria", admin1="Deir ez-Zor",
        location="Dhiban", location_ar="ذيبان", latitude=35.0, longitude=40.5, geo_precision=1, fatalities=3,
        sources=["SOHR", "local network"], evidence=TEXT[slice(*sentence(2))] + " " + TEXT[slice(*sentence(3))],
        evidence_spans=[sentence(2), sentence(3)],
        trigger="اشتباكات", trigger_span=at("اشتباكات عنيفة")[:1] + [at("اشتباكات عنيفة")[0] + len("اشتباكات")],
        date_text="أمس", date_span=at("أمس"), location_span=at("ذيبان"),
        actor_spans={"SDF": [at("قوات سوريا الديمقراطية")], "ISIS": [at("تنظيم داعش")]},
        fatalities_span=at("مقتل ثلاثة"), source_spans=[at("المرصد السوري لحقوق الإنسان"), at("شبكة محلية")],
        claims=[{"source": "SOHR", "fatalities": 3, "span": at("مقتل ثلاثة")}],
        confidence=0.87, field_confidence={"event_type": 0.91, "event_date": 0.95, "location": 0.8},
        rule="trigger «اشتباكات» matches «اشتباك*» → Battles / Armed clash",
        field_sources={"event_date": "a date expression in the event's sentence", "location": "a gazetteer town",
                       "event_type": "the trigger lexicon"},
    )
    return replace(e, **kw)


def render(events, bidi=True, color=False, text=TEXT) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=200, force_terminal=color, color_system="standard" if color else None,
                      highlight=False)
    explain(text, events, console, bidi_isolates=bidi)
    return buf.getvalue()


# --- the view -----------------------------------------------------------------------------

def test_shows_header_rule_table_evidence_claims_and_notes():
    out = render([clash()])
    assert "Event 1/1: 2023-08-09" in out and "Battles / Armed clash" in out and "confidence 0.87" in out
    assert "Dhiban / " + RLI + "ذيبان" + PDI + " (Deir ez-Zor)" in out
    assert "rule: trigger «" + RLI + "اشتباكات" + PDI + "» matches" in out
    for how in ("a date expression in the event's sentence", "a gazetteer town", "the trigger lexicon"):
        assert how in out
    for conf in ("0.91", "0.95", "0.80"):
        assert conf in out
    # every span's exact words, each isolated
    for words in ("اشتباكات", "أمس", "ذيبان", "قوات سوريا الديمقراطية", "تنظيم داعش", "مقتل ثلاثة",
                  "المرصد السوري لحقوق الإنسان", "شبكة محلية"):
        assert RLI + words + PDI in out, words
    # the evidence sentences, whole and isolated line by line
    for i in (2, 3):
        assert RLI + TEXT[slice(*sentence(i))] + PDI in out
    assert "SOHR: 3" in out
    assert "notes: On 9 August 2023, SDF forces clashed with IS members in Dhiban (Deir ez-Zor), according to SOHR " \
           "and local network. 3 fatalities reported." in out


def test_table_rows_keep_their_columns():
    lines = render([clash()]).splitlines()
    [row] = [ln for ln in lines if ln.startswith("location ")]
    assert row.index("a gazetteer town") < row.index("0.80") < row.rindex(RLI + "ذيبان" + PDI)


def test_each_kind_of_span_has_its_style():
    out = render([clash()], color=True)
    [line] = [ln for ln in out.splitlines() if "اندلعت" in ln]  # the first evidence sentence
    assert line.index(RLI) < line.index("اندلعت") < line.index(PDI)
    styled = {
        "اشتباكات": "\x1b[1;31m",  # trigger bold red
        "أمس": "\x1b[36m",  # date cyan
        "ذيبان": "\x1b[32m",  # place green
        "قوات سوريا الديمقراطية": "\x1b[33m",  # actors yellow
        "تنظيم داعش": "\x1b[33m",
        "مقتل ثلاثة": "\x1b[35m",  # fatalities magenta
        "المرصد السوري لحقوق الإنسان": "\x1b[34m",  # sources blue
    }
    for words, code in styled.items():
        assert code + words + "\x1b[0m" in line, words
    assert "عنيفة" in line and "\x1b[1;31mاشتباكات عنيفة" not in line


def test_highlights_come_from_the_original_offsets():
    """Spans are offsets into the original text, not into a normalised or stripped copy."""
    text = "  \u200f" + TEXT  # a leading mark and spaces shift every offset
    shift = 3
    e = clash()
    moved = replace(
        e, evidence_spans=[[a + shift, b + shift] for a, b in e.evidence_spans],
        trigger_span=[e.trigger_span[0] + shift, e.trigger_span[1] + shift],
        date_span=[e.date_span[0] + shift, e.date_span[1] + shift],
        location_span=[e.location_span[0] + shift, e.location_span[1] + shift],
        actor_spans={k: [[a + shift, b + shift] for a, b in v] for k, v in e.actor_spans.items()},
        fatalities_span=None, source_spans=[], claims=[])
    out = render([moved], color=True, text=text)
    [line] = [ln for ln in out.splitlines() if "اندلعت" in ln]
    assert "\x1b[1;31mاشتباكات\x1b[0m" in line and "\x1b[32mذيبان\x1b[0m" in line


def test_no_bidi_isolates():
    out = render([clash()], bidi=False)
    assert RLI not in out and PDI not in out
    assert TEXT[slice(*sentence(2))] in out and "ذيبان" in out


def test_no_events():
    assert "(no events)" in render([])


def test_generated_note_when_the_event_has_none_and_given_note_otherwise():
    assert "notes: On 9 August 2023, SDF forces clashed" in render([clash()])
    assert "notes: Written by hand." in render([clash(notes="Written by hand.")])


def test_missing_confidence_rule_and_field_sources():
    e = clash(confidence=0.0, field_confidence={}, rule=None, field_sources={}, claims=[])
    out = render([e])
    assert "confidence n/a" in out and "rule: (not recorded)" in out
    assert "claims:" not in out


def test_extra_explained_fields_get_rows():
    out = render([clash(field_sources={"admin2": "from the gazetteer"}, admin2="Al-Mayadin")])
    [row] = [ln for ln in out.splitlines() if ln.startswith("admin2")]
    assert "Al-Mayadin" in row and "from the gazetteer" in row


@pytest.mark.parametrize("changes", [
    dict(evidence_spans=[], trigger_span=None, date_span=None, location_span=None, actor_spans={},
         fatalities_span=None, source_spans=[], claims=[]),
    dict(evidence_spans=[[5, 2], [0, 10_000], "x", None, [1.5, 3]], trigger_span=[-1, 3], date_span=[1, 2, 3],
         location_span="x", actor_spans={"SDF": [[9_000, 9_010]], "x": None}, source_spans=None,
         claims=[None, {"span": [0, 99_999]}, "x"]),
    dict(actor_spans=None, field_confidence=None, field_sources=None, confidence=None, rule="",
         sources=None, assoc_actor_1=None, event_date=None, time_precision=None, geo_precision=None,
         location=None, location_ar=None, admin1=None, fatalities=None, event_type=None, sub_event_type=None),
    dict(evidence="", evidence_spans=[]),
])
def test_partial_or_broken_events_never_raise(changes):
    out = render([clash(**changes)])
    assert "Event 1/1" in out and "notes: " in out


def test_evidence_without_spans_is_found_in_the_text():
    out = render([clash(evidence_spans=[], evidence=TEXT[slice(*sentence(3))])], color=True)
    [line] = [ln for ln in out.splitlines() if "استمرت" in ln]
    assert "\x1b[34mشبكة محلية\x1b[0m" in line


def test_evidence_that_is_not_in_the_text():
    out = render([clash(evidence_spans=[], evidence="نص غير موجود في المقال")])
    assert "not found in the text" in out and RLI + "نص غير موجود في المقال" + PDI in out


def test_isolate_wraps_arabic_runs_only():
    assert isolate("trigger «قصف مدفعي» matches «قصف*»") == f"trigger «{RLI}قصف مدفعي{PDI}» matches «{RLI}قصف{PDI}*»"
    assert isolate("Al-Bab (Aleppo)") == "Al-Bab (Aleppo)"
    assert isolate("قصف", enabled=False) == "قصف"


def test_record_console_export():
    console = Console(record=True, width=200, file=io.StringIO())
    explain(TEXT, [clash()], console)
    text = console.export_text()
    assert RLI + "اشتباكات" + PDI in text and "notes:" in text


# --- the command --------------------------------------------------------------------------

def run(*args: str, input: str | bytes | None = None):
    result = CliRunner().invoke(app, list(args), input=input)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def fixture_event(article) -> Event:
    text = article.text
    i = text.index("قصفت")
    j = text.index("تفتناز", i)
    start = text.rindex("\n", 0, i) + 1
    end = text.index("\n", i)
    return Event(
        event_date="2024-09-20", time_precision=1, event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", actor1="SYRIAN_GOV", assoc_actor_1=[],
        actor2="CIVILIANS", assoc_actor_2=[], country="Syria", admin1="Idlib", location="Taftanaz",
        location_ar="تفتناز", latitude=None, longitude=None, geo_precision=1, fatalities=1,
        sources=["Syrian Civil Defence"], evidence=text[start:end], evidence_spans=[[start, end]],
        trigger="قصفت", trigger_span=[i, i + 4], location_span=[j, j + 6], confidence=0.9,
    )


def test_explain_command_on_the_fixture():
    """The real extraction: the trigger word of each event is shown."""
    r = run("explain", str(SHELLING))
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    assert "shelling" in r.stdout and "event(s)" in r.stdout
    assert "قصفت" in r.stdout  # the trigger word
    assert RLI in r.stdout and PDI in r.stdout
    assert "notes: " in r.stdout


def test_explain_command_with_a_known_event(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda a: [fixture_event(a)])
    r = run("explain", str(SHELLING), "--published", "2024-09-21")
    assert r.exit_code == 0
    assert "published 2024-09-21" in r.stdout
    assert RLI + "قصفت" + PDI in r.stdout and RLI + "تفتناز" + PDI in r.stdout
    assert "Syrian government forces shelled Taftanaz (Idlib), killing 1 civilian" in r.stdout


def test_explain_command_no_bidi_isolates(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda a: [fixture_event(a)])
    r = run("explain", str(SHELLING), "--no-bidi-isolates")
    assert r.exit_code == 0
    assert "قصفت" in r.stdout and RLI not in r.stdout and PDI not in r.stdout


def test_explain_reads_standard_input(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda a: [fixture_event(a)])
    r = run("explain", "-", input=SHELLING.read_bytes())
    assert r.exit_code == 0 and "stdin" in r.stdout and "قصفت" in r.stdout


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 4, "binary file"),
    ("latin1.txt", "تقرير".encode("cp1256") * 10, "not valid UTF-8"),
    ("english.txt", b"Clashes broke out yesterday in the countryside, a monitor said. " * 5, "not Arabic"),
])
def test_bad_input_gives_the_same_errors_as_extract(tmp_path, name, content, message):
    p = tmp_path / name
    p.write_bytes(content)
    r = run("explain", str(p))
    assert r.exit_code == 2
    assert f"marsad: {p}: {message}" in r.stderr and "no article could be read" in r.stderr
    x = run("extract", str(p))
    assert (x.exit_code, x.stderr) == (r.exit_code, r.stderr)


def test_bad_input_beside_good_exits_1(tmp_path, monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda a: [fixture_event(a)])
    missing = tmp_path / "missing.txt"
    r = run("explain", str(missing), str(SHELLING))
    assert r.exit_code == 1
    assert f"marsad: {missing}: no such file or directory" in r.stderr
    assert "قصفت" in r.stdout


def test_extraction_crash_is_reported(monkeypatch):
    def boom(article):
        raise RuntimeError("boom")
    monkeypatch.setattr(marsad, "extract_article", boom)
    monkeypatch.delenv("MARSAD_DEBUG", raising=False)
    r = run("explain", str(SHELLING))
    assert r.exit_code == 1  # as extract: the item failed
    assert "extraction failed for article 'shelling': RuntimeError: boom" in r.stderr


def test_bad_published_and_no_files():
    r = run("explain", str(SHELLING), "--published", "21/09/2024")
    assert r.exit_code == 2 and "expected a date as YYYY-MM-DD" in re.sub(r"[\s│╭╮╰╯─]+", " ", r.stderr)
    assert run("explain").exit_code == 2


# --- extract --min-confidence -------------------------------------------------------------

def test_min_confidence_above_one_leaves_no_events():
    r = run("extract", str(SHELLING), "-f", "jsonl", "--min-confidence", "1.01")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["events"] == []


def test_min_confidence_default_keeps_everything(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article", lambda a: [replace(fixture_event(a), confidence=0.0)])
    r = run("extract", str(SHELLING), "-f", "jsonl")
    assert len(json.loads(r.stdout)["events"]) == 1


def test_min_confidence_threshold(monkeypatch):
    monkeypatch.setattr(marsad, "extract_article",
                        lambda a: [replace(fixture_event(a), confidence=c) for c in (0.3, 0.6, 0.9)])
    r = run("extract", str(SHELLING), "-f", "jsonl", "--min-confidence", "0.6")
    assert [e["confidence"] for e in json.loads(r.stdout)["events"]] == [0.6, 0.9]
    r = run("extract", str(SHELLING), "--min-confidence", "0.95")
    assert r.exit_code == 0 and "(no events)" in r.stdout


def test_min_confidence_must_not_be_negative():
    assert run("extract", str(SHELLING), "--min-confidence", "-1").exit_code == 2


def test_cli_import_stays_light():
    code = ("import sys, marsad.cli; heavy = ['marsad.explain', 'marsad.notes', 'marsad.events', 'yaml'];"
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
