"""Reading inputs: formats, dates, and every kind of bad input (never an exception)."""
from __future__ import annotations

import io
import json
import sys
import types
from datetime import date
from pathlib import Path

import pytest

from marsad.ingest import InputError, parse_date, read_inputs
from marsad.model import Article

FIX = Path(__file__).parent / "fixtures" / "io"
ARABIC = "قالت مصادر محلية إن اشتباكات اندلعت بين مجموعتين مسلحتين في ريف حلب الشمالي مساء أمس."


def read(*paths, **kw):
    items = list(read_inputs([str(p) for p in paths], **kw))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


@pytest.fixture
def fake_times(monkeypatch):
    """A stand-in for marsad.times.find_publication_date (written elsewhere), recording its calls."""
    calls = []

    def find_publication_date(text):
        calls.append(text)
        return date(2021, 3, 4) if "2021/03/04" in text else None

    monkeypatch.setitem(sys.modules, "marsad.times", types.SimpleNamespace(find_publication_date=find_publication_date))
    return calls


def test_txt_headline_date_and_id(fake_times):
    arts, errs = read(FIX / "article.txt")
    assert errs == []
    [a] = arts
    assert a.id == "article"
    assert a.title == "اشتباكات بين فصائل محلية في ريف درعا الغربي"
    assert a.published == date(2021, 3, 4)
    assert a.text == (FIX / "article.txt").read_text(encoding="utf-8")  # spans index this exact text
    assert a.source_path == str(FIX / "article.txt")


def test_published_option_overrides_text_date(fake_times):
    [a], _ = read(FIX / "article.txt", published=date(2020, 1, 2))
    assert a.published == date(2020, 1, 2)


def test_txt_date_with_real_finder():
    pytest.importorskip("marsad.times")
    [a], _ = read(FIX / "article.txt")
    assert a.published == date(2021, 3, 4)


def test_no_date_finder_yet_gives_none(monkeypatch):
    monkeypatch.setitem(sys.modules, "marsad.times", None)  # import fails
    [a], _ = read(FIX / "article.txt")
    assert a.published is None


def test_jsonl_bad_line_does_not_stop_the_others(fake_times):
    arts, errs = read(FIX / "batch.jsonl")
    assert [a.id for a in arts] == ["t-1", "t-3"]
    assert arts[0].published == date(2021, 3, 4) and arts[0].outlet == "Test Outlet"
    assert arts[1].published == date(2021, 3, 5)  # full ISO datetime: its calendar date
    assert arts[1].source_path.endswith("batch.jsonl:3")
    [e] = errs
    assert (e.line, e.warning) == (2, False) and "invalid JSON" in e.message
    assert str(e).endswith("batch.jsonl:2: " + e.message)


def test_jsonl_record_problems(tmp_path, fake_times):
    lines = [
        {"id": "ok", "text": ARABIC, "published": "2021-03-04"},
        {"id": "no-text", "title": "x"},
        [1, 2],
        {"id": "bad-date", "text": ARABIC, "published": "yesterday"},
        {"text": ARABIC},
        {"id": "num", "text": 42},
    ]
    p = tmp_path / "b.jsonl"
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n", encoding="utf-8")
    items = list(read_inputs([str(p)]))
    kinds = [(i.id, i.published) if isinstance(i, Article) else (i.line, i.warning) for i in items]
    assert kinds == [("ok", date(2021, 3, 4)), (2, False), (3, False), (4, True), ("bad-date", None),
                     ("b-5", None), (6, False)]
    assert "unreadable \"published\"" in items[3].message


def test_json_object_and_list(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"id": "x", "text": ARABIC, "published": "2021-03-04"}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": ARABIC}, {"no": "text"}, {"id": 7, "text": ARABIC}]), encoding="utf-8")
    arts, errs = read(one, many)
    assert [a.id for a in arts] == ["x", "many-1", "7"]
    assert arts[0].published == date(2021, 3, 4)
    assert len(errs) == 1 and "item 2" in errs[0].message


def test_invalid_json_file(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"text": "ناقص', encoding="utf-8")
    arts, [e] = read(p)
    assert arts == [] and "invalid JSON" in e.message


def test_html_via_trafilatura():
    [a], errs = read(FIX / "page.html")
    assert errs == []
    assert a.id == "page"
    assert a.title == "انفجار عبوة ناسفة في مدينة الباب"
    assert a.published == date(2022, 6, 10)
    assert a.outlet == "شبكة الاختبار"
    assert a.url == "https://example.org/news/bab-ied"
    assert a.text.startswith(a.title)
    assert "أخمدت الحريق" in a.text
    assert "الرئيسية" not in a.text and "جميع الحقوق" not in a.text  # navigation and footer dropped


@pytest.mark.parametrize("data, kind", [
    ((FIX / "article.txt").read_bytes(), "text"),
    ((FIX / "batch.jsonl").read_bytes(), "jsonl"),
    ((FIX / "page.html").read_bytes(), "html"),
    (json.dumps({"id": "j", "text": ARABIC}, indent=2).encode(), "json"),
])
def test_stdin_is_sniffed(data, kind):
    items = list(read_inputs(["-"], stdin=io.BytesIO(data)))
    arts = [i for i in items if isinstance(i, Article)]
    if kind == "jsonl":
        assert [a.id for a in arts] == ["t-1", "t-3"]
        assert [(i.source, i.line) for i in items if isinstance(i, InputError)] == [("<stdin>", 2)]
    elif kind == "json":
        assert [a.id for a in arts] == ["j"]
    else:
        assert [a.id for a in arts] == ["stdin"]
        assert ("أخمدت الحريق" if kind == "html" else "طفس") in arts[0].text


def only_error(*paths, **kw) -> InputError:
    arts, errs = read(*paths, **kw)
    assert arts == [] and len(errs) == 1
    return errs[0]


def test_empty_file(tmp_path):
    (tmp_path / "e.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "e.jsonl").write_bytes(b"")
    assert only_error(tmp_path / "e.txt").message == "empty file"
    assert only_error(tmp_path / "e.jsonl").message == "empty file"


def test_binary_file(tmp_path):
    for name in ("b.txt", "b.jsonl", "b.bin"):
        (tmp_path / name).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
        assert "binary" in only_error(tmp_path / name).message


def test_invalid_utf8(tmp_path):
    p = tmp_path / "cp1256.txt"
    p.write_bytes(ARABIC.encode("cp1256"))
    assert "not valid UTF-8" in only_error(p).message


def test_utf16_and_crlf_are_read(tmp_path):
    p = tmp_path / "u16.txt"
    p.write_bytes(("عنوان الخبر\r\n" + ARABIC).encode("utf-16"))
    [a], _ = read(p)
    assert a.title == "عنوان الخبر" and "\r" not in a.text


def test_20mb_file_is_refused(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.write(ARABIC.encode() * (20_000_000 // len(ARABIC.encode()) + 1))
    assert p.stat().st_size > 20_000_000
    e = only_error(p)
    assert "too large" in e.message and "10 MB" in e.message and "20.0 MB" in e.message
    assert "over the 0.001 MB limit" in only_error(p, max_bytes=1000).message


def test_jsonl_limit_is_per_line(tmp_path):
    p = tmp_path / "big.jsonl"
    small = json.dumps({"id": "s", "text": ARABIC}, ensure_ascii=False)
    big = json.dumps({"id": "b", "text": ARABIC * 100}, ensure_ascii=False)
    p.write_text(f"{small}\n{big}\n{small}\n", encoding="utf-8")
    items = list(read_inputs([str(p)], max_bytes=2000))
    assert [i.id if isinstance(i, Article) else (i.line, "too large" in i.message) for i in items] == \
        ["s", (2, True), "s"]


def test_non_arabic_article(tmp_path):
    assert only_error(FIX / "english.txt").message.startswith("not Arabic")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("Breaking news in English with a long text body here. " * 5 + "خبر عاجل من سوريا اليوم", encoding="utf-8")
    assert "not Arabic" in only_error(mixed).message


def test_missing_path_and_directory(tmp_path, fake_times):
    assert only_error(tmp_path / "nope.txt").message == "no such file or directory"
    assert "no .txt" in only_error(tmp_path).message  # empty directory
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_bytes((FIX / "article.txt").read_bytes())
    (d / "b.jsonl").write_bytes((FIX / "batch.jsonl").read_bytes())
    (d / "notes.md").write_text("# not an input", encoding="utf-8")
    (d / "sub").mkdir()
    arts, errs = read(d)
    assert [a.id for a in arts] == ["a", "t-1", "t-3"]
    assert [(Path(e.source).name, e.line) for e in errs] == [("b.jsonl", 2)]


def test_unknown_suffix_is_sniffed(tmp_path):
    p = tmp_path / "article.md"
    p.write_text("عنوان\n\n" + ARABIC, encoding="utf-8")
    [a], _ = read(p)
    assert (a.id, a.title) == ("article", "عنوان")


def test_parse_date():
    assert parse_date("2020-05-18") == date(2020, 5, 18)
    assert parse_date("2020-05-18T23:30:00Z") == date(2020, 5, 18)
    for bad in ("18/05/2020", "2020-13-01", ""):
        with pytest.raises(ValueError):
            parse_date(bad)
