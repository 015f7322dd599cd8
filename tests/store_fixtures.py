"""Fixtures shared by the store, API and ingest tests: a fresh store on SQLite and on PostgreSQL.

PostgreSQL tests run when ``MARSAD_TEST_PG_URL`` names a database they may wipe (``.ci/run``
starts one from Debian's packages); without it they are skipped, unless ``MARSAD_REQUIRE_PG=1``,
when they fail: CI must not pass without having tested PostgreSQL.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Iterator

import pytest

from marsad import Article, extract_article
from marsad.store import Store, metadata

PG_URL = os.environ.get("MARSAD_TEST_PG_URL")

# Two outlets report one Russian air strike on Kafranbel; a third report is of a strike four days later.
STRIKE_A = ("إدلب - خاص\n\nقُتل ثلاثة مدنيين وأصيب آخرون، أمس الثلاثاء، جراء غارة جوية روسية استهدفت منازل "
            "في بلدة كفرنبل جنوبي إدلب، بحسب ما أفاد به الدفاع المدني السوري.")
STRIKE_B = ("إدلب - وكالات\n\nأفاد المرصد السوري لحقوق الإنسان بمقتل أربعة مدنيين، يوم الثلاثاء، بقصف جوي نفذته "
            "طائرات حربية روسية على بلدة كفرنبل في ريف إدلب الجنوبي.")
STRIKE_LATER = "إدلب - خاص\n\nقُتل مدني، اليوم السبت، جراء غارة جوية روسية استهدفت بلدة كفرنبل جنوبي إدلب."
PUBLISHED = date(2021, 9, 8)
LATER_PUBLISHED = date(2021, 9, 11)  # STRIKE_LATER's "today, Saturday"


def article(text: str, ident: str, *, outlet: str = "Outlet", url: str | None = None,
            published: date = PUBLISHED) -> Article:
    return Article(id=ident, text=text, published=published, outlet=outlet, url=url, source_path=f"test:{ident}")


def add(store: Store, a: Article):
    return store.add_article(a, extract_article(a))


def _fresh(url: str) -> Store:
    store = Store(url)
    metadata.drop_all(store.engine)
    store.close()
    return Store(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(tmp_path / "store.sqlite")
    else:
        if not PG_URL:
            if os.environ.get("MARSAD_REQUIRE_PG") == "1":
                pytest.fail("MARSAD_REQUIRE_PG=1 but MARSAD_TEST_PG_URL is not set")
            pytest.skip("no PostgreSQL: set MARSAD_TEST_PG_URL")
        s = _fresh(PG_URL)
    yield s
    s.close()
