"""The province's dashboard and a target page on a phone: readable, charts drawn, drill-down."""

import datetime

import pytest

from accounts.testing import build_world
from indicators.rollups import refresh as refresh_rollups
from reporting.actions import do_open_period
from reporting.models import DataValue, Report
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_and_target_page_on_a_phone(live_server, phone_page, program_loaded):
    world = build_world()
    elements = {e.code: e for e in program_loaded.data_elements.all()}
    for year, members in ((2023, 30), (2024, 36)):
        period = do_open_period("year", year, 0, datetime.date(year + 1, 1, 15), by=world.admin)
        for unit in (world.school, world.market):
            row = Report.objects.create(period=period, unit=unit, status=Report.Status.APPROVED)
            DataValue.objects.create(report=row, element=elements["workers"], number=40)
            DataValue.objects.create(report=row, element=elements["members"], number=members)
    refresh_rollups()
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    page.get_by_role("button", name="2024").click()
    page.wait_for_url("**year=2024**")
    # Every target is on the page: those concerning the units of this little world as cards, the
    # others (no unit of their kinds here) named in the one line below them.
    shown = page.locator(".dash-target").count()
    left_out = page.locator(".not-applying .code").count()
    assert shown + left_out == 22 and shown >= 18
    assert_fits_width(page)
    screenshot(page, "dashboard", full_page=False)

    page.get_by_role("link", name="T19 CNVCLĐ gia nhập tổ chức Công đoàn").click()
    page.wait_for_selector("#trend-chart")
    assert page.locator(".dash-value").first.inner_text() == "90%"  # 36 + 36 of 40 + 40
    page.wait_for_function("window.Chart && Chart.getChart('trend-chart') !== undefined")
    assert_fits_width(page)
    screenshot(page, "target-page", full_page=False)
    # On a phone the units below are named by the glossary's abbreviations, in the chart and the
    # table, the full name on tap (title, tooltip); no chart label is cut at its start.
    page.wait_for_function("window.Chart && Chart.getChart('children-chart') !== undefined")
    labels = page.evaluate("Chart.getChart('children-chart').scales.y.ticks.map((t) => t.label)")
    assert sorted(labels) == ["LĐLĐ TP Châu Đốc", "LĐLĐ TP Long Xuyên"]
    district = page.get_by_role("link", name="LĐLĐ TP Long Xuyên")
    assert district.locator(".name-short").get_attribute("title") == "Liên đoàn Lao động thành phố Long Xuyên"
    assert not page.get_by_text("Liên đoàn Lao động thành phố Long Xuyên", exact=True).first.is_visible()
    district.click()
    page.wait_for_url("**unit=AG.883**")
    school = page.get_by_role("link", name="CĐ Trường Tiểu học Mỹ Bình")
    assert school.is_visible()
    assert_fits_width(page)
    screenshot(page, "target-page-district", full_page=False)
    # A grassroots union of the breakdown opens its own figures too.
    school.click()
    page.wait_for_url("**unit=AG.883.00001**")
    assert page.locator(".dash-value").first.inner_text() == "90%"  # 36 of 40
    assert page.get_by_text("▲ +15 điểm % so với 2023").is_visible()  # 30 of 40 the year before
