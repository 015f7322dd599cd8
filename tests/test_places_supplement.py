"""The curated supplement shipped in marsad/data/places_*.tsv: well-formed, sourced, consistent
with the admin units, and actually in the index."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from marsad.gazetteer import Gazetteer, km_between
from marsad.gazetteer_imports import SUPPLEMENT_COLUMNS, read_supplement
from marsad.text import normalize

DATA = resources.files("marsad").joinpath("data")
FILES = sorted(f.name for f in DATA.iterdir() if f.name.startswith("places_") and f.name.endswith(".tsv"))
# Rough bounding boxes: a position outside them is a typo or swapped latitude/longitude.
BBOX = {"SY": (32.3, 37.4, 35.5, 42.5), "IQ": (29.0, 37.5, 38.7, 48.7), "YE": (12.0, 19.1, 42.4, 54.6),
        "LY": (19.4, 33.3, 9.2, 25.2)}


def rows(name: str) -> list[dict[str, str]]:
    text = DATA.joinpath(name).read_text(encoding="utf-8")
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
    assert tuple(lines[0].split("\t")) == SUPPLEMENT_COLUMNS, name
    return [dict(zip(SUPPLEMENT_COLUMNS, l.split("\t"))) for l in lines[1:]]


def opensyria_subdistricts() -> dict[tuple[str, str], dict]:
    d = DATA.joinpath("opensyria-geography")
    gov = {g["id"]: g for g in json.loads(d.joinpath("governorates.json").read_text(encoding="utf-8"))}
    dis = {x["id"]: x for x in json.loads(d.joinpath("districts.json").read_text(encoding="utf-8"))}
    out = {}
    for s in json.loads(d.joinpath("subdistricts.json").read_text(encoding="utf-8")):
        out[(gov[s["governorateId"]]["name"]["en"], s["name"]["en"])] = {
            "admin2": dis[s["districtId"]]["name"]["en"], "lat": s["centroid"]["latitude"], "lon": s["centroid"]["longitude"]}
    return out


def test_the_supplement_covers_the_four_countries_with_over_200_places():
    all_rows = [r for f in FILES for r in rows(f)]
    per_country = {cc: sum(r["country"] == cc for r in all_rows) for cc in BBOX}
    assert all(n >= 40 for n in per_country.values()), per_country
    assert len(all_rows) >= 300


@pytest.mark.parametrize("name", FILES)
def test_rows_are_complete_and_consistent(name):
    subs = opensyria_subdistricts()
    admin1 = {cc: {p.admin1 for p in Gazetteer.load().places() if p.kind == "admin1" and p.country_code == cc}
              for cc in BBOX}
    seen = set()
    for r in rows(name):
        where = f"{name}: {r['name_ar']}"
        assert r["name_ar"] and r["name_en"] and r["feature"], where
        assert r["country"] in BBOX, where
        assert r["admin1"] in admin1[r["country"]], where
        assert r["admin2"] and (r["admin3"] or r["country"] == "LY"), where  # subdistrict at least
        if r["country"] == "SY":
            assert (r["admin1"], r["admin3"]) in subs, where
            assert subs[(r["admin1"], r["admin3"])]["admin2"] == r["admin2"], where
        key = (normalize(r["name_ar"]), r["country"], r["admin1"], r["admin3"])
        assert key not in seen, f"duplicate {where}"
        seen.add(key)
        if r["latitude"] or r["longitude"]:
            lat, lon = float(r["latitude"]), float(r["longitude"])
            a, b, c, d = BBOX[r["country"]]
            assert a <= lat <= b and c <= lon <= d, where
            assert r["source"].startswith(("http://", "https://")), f"{where}: coordinates without a source"
            if r["country"] == "SY":
                s = subs[(r["admin1"], r["admin3"])]
                assert km_between(lat, lon, s["lat"], s["lon"]) < 60, f"{where}: far from its subdistrict"
        else:
            assert not r["source"], f"{where}: a source but no coordinates"


@pytest.mark.parametrize("name", FILES)
def test_every_row_is_in_the_index_with_its_position_or_its_subdistricts(name):
    gaz = Gazetteer.load()
    for rec in read_supplement(DATA.joinpath(name).read_text(encoding="utf-8"), name):
        found = [p for p in gaz.lookup(normalize(rec.name_ar)) if p.country_code == rec.country_code
                 and name in p.source and p.kind == rec.kind]
        assert found, f"{name}: {rec.name_ar} not in the index"
        if rec.latitude is not None:
            assert any(p.geo_precision == 1 and (p.latitude, p.longitude) == (rec.latitude, rec.longitude)
                       for p in found) or any(p.geonameid and p.geonameid == rec.geonameid for p in found), rec.name_ar
        else:
            mine = [p for p in found if p.source == name and p.admin1 == rec.admin1]
            assert mine and all(p.geo_precision in (2, 3) and "centroid" in (p.coord_source or "") for p in mine), \
                rec.name_ar


def test_eval_style_villages_now_have_admin_units():
    gaz = Gazetteer.load()
    [shuhayl] = [p for p in gaz.lookup(normalize("الشحيل")) if p.kind == "city"]
    assert (shuhayl.admin1, shuhayl.admin3) == ("Deir ez-Zor", shuhayl.admin3) and shuhayl.admin3_ar
    assert shuhayl.coord_source.startswith("http")
