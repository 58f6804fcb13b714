"""In a real browser: the Content-Security-Policy blocks nothing our own pages need, the
dashboard's checkbox still submits its form (it used an inline handler once), and the audit
trail page holds on a phone."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period, do_save_values, get_or_create_report
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PAGES = ["/dashboards/", "/programs/", "/reporting/", "/reporting/periods/", "/units/", "/documents/", "/audit/"]


def test_no_page_trips_the_content_security_policy(live_server, phone_page, program_loaded):
    world = build_world()
    world.admin.is_staff = True
    world.admin.save()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 40}, {"workers": "<b>đã kiểm tra</b>"}, by=world.reporter,
                   expected_version=0)
    violations = []
    phone_page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)

    log_in(phone_page, live_server.url, "admin")
    phone_page.wait_for_url("**/dashboards/")
    for path in PAGES:
        phone_page.goto(live_server.url + path)
        phone_page.wait_for_load_state("load")
        assert_fits_width(phone_page)
    phone_page.goto(live_server.url + "/dashboards/targets/T19/?unit=AG&year=2024")
    phone_page.wait_for_function("window.Chart && Chart.getChart('trend-chart') !== undefined")
    phone_page.get_by_label("tính cả báo cáo đã nộp chưa duyệt").check()
    phone_page.wait_for_url("**submitted=1**")
    assert violations == []

    phone_page.goto(live_server.url + "/audit/?kind=reporting.report")
    assert phone_page.get_by_text("Số người lao động (giải trình)").is_visible()
    assert phone_page.get_by_text("<b>đã kiểm tra</b>").is_visible()  # shown as typed, not as markup
    assert_fits_width(phone_page)
    screenshot(phone_page, "audit-trail")
