"""A province-wide count (scope: program: T15 houses, T16 initiatives) is judged for the
province only; seen from a subtree it shows the subtree's contribution, its share of the
province's figure, never a verdict against the province's target."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from accounts.testing import login
from exports.builder import build_document
from exports.models import Kind
from indicators.engine import Engine
from indicators.rollups import refresh
from indicators.status import CONTRIBUTION, MET, NOT_MET
from reporting.actions import do_open_period
from reporting.testing import make_report


@pytest.fixture
def houses(world, program):
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    make_report(period, world.school, "approved", union_homes=30, initiatives=300)
    make_report(period, world.factory, "approved", union_homes=20, initiatives=100)
    make_report(period, world.market, "approved", union_homes=50, initiatives=400)
    refresh()
    return program


def test_the_province_is_judged_a_subtree_shows_its_share(world, houses):
    engine = Engine(houses)
    province = engine.series(world.province)
    assert (province["T15"][2024].value, province["T15"][2024].status) == (100, MET)
    assert (province["T16"][2024].value, province["T16"][2024].status) == (800, NOT_MET)  # < 1,000
    long_xuyen = engine.series(world.long_xuyen)
    t15 = long_xuyen["T15"][2024]
    # 30 + 20 = 50 houses of the province's 100: a contribution of 50%, no verdict against 100
    assert (t15.value, t15.status, t15.share, t15.projected) == (50, CONTRIBUTION, Decimal(50), None)
    t16 = long_xuyen["T16"][2024]
    assert (t16.value, t16.status, t16.share) == (400, CONTRIBUTION, Decimal(50))
    # a target of each unit's own is still judged for the subtree
    assert long_xuyen["T03"][2024].status != CONTRIBUTION


def test_the_breakdown_shows_each_childs_share_of_the_province(world, houses):
    rows = {u.code: r for u, r in Engine(houses).breakdown(houses.targets.get(code="T15"), world.province, 2024)}
    assert (rows["AG.883"].status, rows["AG.883"].share) == (CONTRIBUTION, Decimal(50))
    assert (rows["AG.884"].status, rows["AG.884"].share) == (CONTRIBUTION, Decimal(50))


def test_the_pages_say_contribution_in_vietnamese(client, world, houses):
    login(client, world.approver)
    page = client.get("/dashboards/", {"unit": "AG.883", "year": 2024}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    t15 = page[page.index("T15"):page.index("T16")]
    assert "đóng góp" in t15 and "bằng 50% kết quả toàn tỉnh" in t15 and "chỉ tiêu toàn tỉnh" in t15
    assert "chưa đạt" not in t15
    target = client.get("/dashboards/targets/T15/", {"unit": "AG.883", "year": 2024},
                        HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "đóng góp" in target and "bằng 50% kết quả toàn tỉnh" in target and "chưa đạt" not in target


def test_the_document_of_a_district_states_its_contribution(world, houses):
    with translation.override("vi"):
        text = " ".join(build_document(houses, world.long_xuyen, Kind.YEARLY_REVIEW, 2024).text().split())
    # documents write a percentage with one decimal (exports.formatting.figure)
    assert "50, bằng 50,0% kết quả toàn tỉnh (chỉ tiêu toàn tỉnh ≥ 100, chỉ đánh giá cho toàn tỉnh)" in text
