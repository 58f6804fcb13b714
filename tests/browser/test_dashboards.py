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
    page.get_by_role("link", name="Liên đoàn Lao động thành phố Long Xuyên").click()
    page.wait_for_url("**unit=AG.883**")
    assert page.get_by_text("Công đoàn Trường Tiểu học Mỹ Bình").is_visible()
