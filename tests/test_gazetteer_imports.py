"""`marsad gazetteer import|list|remove|info` on small files in the real GeoNames and OCHA formats
(tests/fixtures/gazetteer; the places in them are fictional, except where a row updates a place
the embedded GeoNames data already has)."""
from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad import extract
from marsad.cli import app
from marsad.gazetteer import Gazetteer
from marsad.gazetteer_imports import (GazetteerImportError, ImportStore, detect_format, read_cod, read_geonames,
                                      read_supplement)
from marsad.text import normalize

FIX = Path(__file__).parent / "fixtures" / "gazetteer"
runner = CliRunner()


@pytest.fixture
def store_env(tmp_path, monkeypatch):
    """A private data directory and index cache; the shared gazetteer is restored afterwards."""
    monkeypatch.setenv("MARSAD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path / "cache"))
    Gazetteer.reset()
    yield tmp_path
    Gazetteer.reset()


def run(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert "Traceback" not in (result.output or ""), result.output
    return result


def places(name: str, cc: str | None = None):
    return [p for p in Gazetteer.load().lookup(normalize(name)) if cc is None or p.country_code == cc]


# -- format detection and readers ------------------------------------------------------------

def test_formats_are_detected_from_content():
    assert detect_format(FIX / "SY.txt") == "geonames"
    assert detect_format(FIX / "SY.zip") == "geonames"
    assert detect_format(FIX / "alternateNamesV2.txt") == "geonames-alternates"
    assert detect_format(FIX / "syr_adm3_cod.csv") == "cod"
    assert detect_format(FIX / "irq_pplp_cod.csv") == "cod"
    assert detect_format(FIX / "places_user.tsv") == "supplement"


def test_geonames_dump_keeps_places_and_units_with_arabic_names():
    recs = {r.geonameid: r for r in read_geonames([FIX / "SY.txt"])}
    village = recs[900003]
    assert village.kind == "city" and village.name_ar == "تل التجربة" and "تل تجربة" in village.aliases_ar
    assert (village.latitude, village.longitude) == (35.12345, 40.45678)
    assert village.admin1_code == "07" and village.admin2 == "Mintaqat Tajriba" and village.admin2_ar == "منطقة التجربة"
    assert village.coord_source == "https://www.geonames.org/900003"
    assert recs[900002].kind == "admin2" and recs[900001].kind == "admin1"
    assert 900005 not in recs  # no Arabic name
    assert 900006 not in recs  # a bridge (feature class S)
    assert 900004 not in recs  # its Arabic name is only in alternateNamesV2


def test_alternate_names_add_arabic_names_but_not_historic_ones():
    recs = {r.geonameid: r for r in read_geonames([FIX / "SY.zip"], [FIX / "alternateNamesV2.txt"])}
    assert recs[900004].name_ar == "خربة الاختبار"
    assert "خربة الاختبار القديمة" not in [recs[900004].name_ar, *recs[900004].aliases_ar]
    assert "تل التجريبة" in recs[900003].aliases_ar


def test_geonames_country_filter():
    recs = list(read_geonames([FIX / "SY.txt"], countries={"SY"}))
    assert {r.country_code for r in recs} == {"SY"}
    assert any(r.country_code == "JO" for r in read_geonames([FIX / "SY.txt"]))


def test_cod_csv_admin_units_and_populated_places():
    units = list(read_cod(FIX / "syr_adm3_cod.csv"))
    assert [(u.kind, u.pcode, u.admin1_pcode, u.admin2_ar) for u in units] == [
        ("admin3", "SY090300", "SY09", "الميادين"), ("admin3", "SY099901", "SY09", "الميادين")]
    assert units[0].country_code == "SY"
    ppl = list(read_cod(FIX / "irq_pplp_cod.csv", iso3_to_iso2={"IRQ": "IQ"}))
    assert [p.name_ar for p in ppl] == ["كاني التجربة", "تل الامتحان"]  # the row without an Arabic name is left out
    first = ppl[0]
    assert first.country_code == "IQ" and first.kind == "city" and first.pcode == "IQ-P99001"
    assert (first.admin1_ar, first.admin2, first.admin3_ar) == ("ديالى", "Khanaqin", "مركز قضاء خانقين")
    assert (first.latitude, first.longitude) == (34.31234, 45.41234)
    assert ppl[1].latitude is None


def test_cod_xlsx_in_the_older_admin_name_style(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "syr_pplp_adm4"
    ws.append(["admin0Name_en", "admin0Pcode", "admin1Name_en", "admin1Name_ar", "admin1Pcode", "admin2Name_en",
               "admin2Name_ar", "admin2Pcode", "admin3Name_en", "admin3Name_ar", "admin3Pcode", "admin4Name_en",
               "admin4Name_ar", "admin4Pcode", "latitude", "longitude"])
    ws.append(["Syria", "SY", "Deir-ez-Zor", "دير الزور", "SY09", "Al Mayadin", "الميادين", "SY0903", "Thiban",
               "ذيبان", "SY090301", "Hawi Tajriba", "حاوي التجربة", "C99901", 35.0401, 40.6502])
    notes = wb.create_sheet("notes")
    notes.append(["This sheet has no admin columns"])
    path = tmp_path / "syr_pplp_cod.xlsx"
    wb.save(path)
    assert detect_format(path) == "cod"
    [rec] = list(read_cod(path))
    assert (rec.kind, rec.name_ar, rec.pcode, rec.admin3, rec.admin1_pcode) == ("city", "حاوي التجربة", "C99901",
                                                                                 "Thiban", "SY09")
    assert (rec.latitude, rec.longitude) == (35.0401, 40.6502)


def test_supplement_reader_rejects_a_bad_header_and_bad_rows():
    with pytest.raises(GazetteerImportError, match="header"):
        list(read_supplement("name\tlat\nx\t1\n", "bad.tsv"))
    good = (FIX / "places_user.tsv").read_text(encoding="utf-8")
    with pytest.raises(GazetteerImportError, match="row 2"):
        list(read_supplement(good.replace("35.03001", "north"), "bad.tsv"))


# -- the store and the index ----------------------------------------------------------------

def test_import_list_remove_round_trip(store_env):
    assert places("تل التجربة") == []
    r = run("gazetteer", "import", str(FIX / "SY.zip"), str(FIX / "alternateNamesV2.txt"))
    assert r.exit_code == 0, r.output
    assert "Imported #1 (geonames)" in r.output
    [village] = places("تل التجربة")
    assert village.admin1 == "Deir ez-Zor" and village.country == "Syria" and village.geonameid == 900003
    assert village.admin2 and village.admin3 and village.admin3_ar  # OpenSyria units for Syrian places
    assert places("خربة الاختبار")  # named only in alternateNamesV2
    # The row for a place the embedded data has is merged into it: one Al-Busayrah, with the new alias.
    busayrah = [p for p in places("بصيرة الفرات") if p.kind == "city"]
    assert [p.geonameid for p in busayrah] == [173927]
    assert len([p for p in places("البصيرة", "SY") if p.kind == "city"]) == 1

    r = run("gazetteer", "list")
    assert r.exit_code == 0 and "SY.zip" in r.output and "alternateNamesV2.txt" in r.output

    again = run("gazetteer", "import", str(FIX / "SY.zip"), str(FIX / "alternateNamesV2.txt"))
    assert again.exit_code == 0 and "Already imported as #1" in again.output
    assert len(ImportStore().entries()) == 1

    r = run("gazetteer", "remove", "1")
    assert r.exit_code == 0, r.output
    assert places("تل التجربة") == [] and ImportStore().entries() == []
    assert [p.geonameid for p in places("البصيرة", "SY") if p.kind == "city"] == [173927]


def test_imported_village_locates_an_event(store_env):
    text = ("دير الزور - خاص\nقتل شخصان الأحد 3 أيار 2020 بهجوم لمسلحين مجهولين على حاجز في بلدة حاوي الاختبار "
            "بريف دير الزور الشرقي.")
    before = extract(text, published=date(2020, 5, 4))
    assert before and before[0].geo_precision == 2 and before[0].pcode is None
    tsv = store_env / "mine.tsv"
    header = (FIX / "places_user.tsv").read_text(encoding="utf-8").splitlines()[1]
    tsv.write_text(header + "\nحاوي الاختبار\tHawi al-Ikhtibar\t\tPPL\tSY\tDeir ez-Zor\tMayadin\tالميادين\tThiban\tذيبان"
                   "\t35.04012\t40.65023\thttps://example.org/survey\t\tC99902\n", encoding="utf-8")
    assert run("gazetteer", "import", str(tsv)).exit_code == 0
    [ev] = extract(text, published=date(2020, 5, 4))
    assert (ev.location, ev.latitude, ev.longitude, ev.geo_precision) == ("Hawi al-Ikhtibar", 35.04012, 40.65023, 1)
    assert (ev.admin2, ev.admin3, ev.admin3_ar, ev.pcode) == ("Mayadin", "Thiban", "ذيبان", "C99902")
    assert ev.coord_source == "https://example.org/survey"


def test_place_without_coordinates_falls_back_to_its_subdistrict(store_env):
    assert run("gazetteer", "import", str(FIX / "places_user.tsv")).exit_code == 0
    [p] = places("حويجة التجربة")
    thiban = next(q for q in places("ذيبان", "SY") if q.kind == "admin3")
    assert (p.latitude, p.longitude, p.geo_precision) == (thiban.latitude, thiban.longitude, 2)
    assert "centroid" in p.coord_source
    [sourced] = places("مزرعة الفحص")
    assert sourced.geo_precision == 1 and sourced.coord_source == "https://example.org/field-survey"


def test_cod_import_maps_units_to_the_gazetteers_names(store_env):
    assert run("gazetteer", "import", str(FIX / "irq_pplp_cod.csv")).exit_code == 0
    [kani] = places("كاني التجربة")
    assert (kani.country, kani.admin1, kani.admin1_ar, kani.pcode) == ("Iraq", "Diyala", "ديالى", "IQ-P99001")
    # No coordinates in the table: placed at its subdistrict's centre town (Khanaqin), precision 2.
    [tall] = places("تل الامتحان")
    assert tall.geo_precision == 2 and tall.admin1 == "Diyala"
    khanaqin = next(q for q in places("خانقين", "IQ") if q.kind == "city")
    assert (tall.latitude, tall.longitude) == (khanaqin.latitude, khanaqin.longitude)
    # Admin rows merge into OpenSyria's units by P-code: one Al Mayadin subdistrict.
    assert run("gazetteer", "import", str(FIX / "syr_adm3_cod.csv")).exit_code == 0
    subs = [p for p in places("الميادين", "SY") if p.kind == "admin3"]
    assert [p.pcode for p in subs] == ["SY090300"]


def test_info_shows_sources_and_counts(store_env):
    assert run("gazetteer", "import", str(FIX / "places_user.tsv")).exit_code == 0
    r = run("gazetteer", "info")
    assert r.exit_code == 0, r.output
    for words in ("GeoNames cities500", "OpenSyria", "import #1", "places", "Arabic names"):
        assert words in r.output


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "empty file"),
    (b"hello\tworld\n", "not a GeoNames dump"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_bad_files_give_a_clear_message(store_env, content, message):
    path = store_env / "input.txt"
    if content is not None:
        path.write_bytes(content)
    r = run("gazetteer", "import", str(path))
    assert r.exit_code == 1
    assert message in r.output and ImportStore().entries() == []


def test_bad_archives_and_old_workbooks(store_env):
    z = store_env / "empty.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("image.png", b"x")
    assert "no .txt/.csv" in run("gazetteer", "import", str(z)).output
    xls = store_env / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    assert ".xls" in run("gazetteer", "import", str(xls)).output
    alt = store_env / "alternateNamesV2.txt"
    shutil.copy(FIX / "alternateNamesV2.txt", alt)
    assert "need the GeoNames dump" in run("gazetteer", "import", str(alt)).output
    assert run("gazetteer", "remove", "7").exit_code == 1


def test_countries_option_limits_a_geonames_import(store_env):
    r = run("gazetteer", "import", str(FIX / "SY.txt"), "--countries", "SY")
    assert r.exit_code == 0, r.output
    assert places("تل التجربة") and not places("قرية الامتحان")
    bad = run("gazetteer", "import", str(FIX / "SY.txt"), "--countries", "XX", "--force")
    assert bad.exit_code == 2 and "does not cover XX" in bad.output
