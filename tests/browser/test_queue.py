"""An approver's first minutes on a phone: the landing page says what waits, the queue shows
what changed and what was flagged, a report is approved from the list and another from its page
reached by "next"; a grassroots officer finds the returned report at the top."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period, do_return
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS, make_report
from tests.browser.conftest import assert_fits_width, log_in, screenshot
from tests.factories import GrassrootsFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_approver_walks_the_queue_and_approves_on_a_phone(live_server, phone_page, program_loaded):
    world = build_world()
    last = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    make_report(last, world.school, Report.Status.LOCKED, datetime.date(2024, 1, 10), **{**GOOD_GRASSROOTS,
                                                                                          "members": 30})
    make_report(last, world.factory, Report.Status.LOCKED, datetime.date(2024, 1, 10), initiatives=2)
    clean = make_report(period, world.school, Report.Status.SUBMITTED, datetime.date(2025, 1, 8), **GOOD_GRASSROOTS)
    flagged = make_report(period, world.factory, Report.Status.SUBMITTED, datetime.date(2025, 1, 9),
                          **{**GOOD_GRASSROOTS, "workers": 1200, "members": 1000, "initiatives": 30})
    third = make_report(period, GrassrootsFactory(parent=world.long_xuyen, name="Công đoàn Trường Mầm non Bình Khánh"),
                        Report.Status.SUBMITTED, datetime.date(2025, 1, 12), **GOOD_GRASSROOTS)
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/")
    page.get_by_text("3 báo cáo chờ bạn duyệt").wait_for()
    assert_fits_width(page)
    screenshot(page, "queue-landing-approver", full_page=False)
    page.get_by_role("link", name="Mở danh sách chờ duyệt").click()
    page.wait_for_url("**/reporting/queue/")
    page.get_by_text("tăng hoặc giảm hơn 3 lần").wait_for()
    assert_fits_width(page)
    screenshot(page, "queue-list")
    assert page.locator(f'input[name="report"][value^="{flagged.pk}:"]').count() == 0

    page.get_by_label(f"Duyệt {world.school.name}").check()
    page.get_by_role("button", name="Duyệt các báo cáo đã chọn").click()
    page.get_by_text("Đã duyệt 1 báo cáo.").wait_for()
    clean.refresh_from_db()
    assert clean.status == Report.Status.APPROVED

    # The flagged one is opened from the list; "next" leads to the last one, approved from its page.
    page.get_by_role("link", name=world.factory.name).click()
    page.get_by_text("báo cáo 1 / 2").wait_for()
    assert_fits_width(page)
    screenshot(page, "queue-report-top", full_page=False)
    page.get_by_role("link", name="sau ›").click()
    page.get_by_text("báo cáo 2 / 2").wait_for()
    page.get_by_role("link", name="Đến phần duyệt / trả lại ↓").click()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.get_by_text("Đã duyệt báo cáo.").wait_for()
    third.refresh_from_db()
    assert third.status == Report.Status.APPROVED
    # On to the one still waiting: the flagged report.
    page.wait_for_url(f"**/reporting/periods/{period.id}/reports/{world.factory.code}/?queue=*")
    page.get_by_text("báo cáo 1 / 1").wait_for()

    # Returning without a comment: the browser asks for it (required) before anything is sent.
    page.get_by_role("button", name="Trả lại để sửa").click()
    assert page.locator("textarea:invalid").count() == 1
    flagged.refresh_from_db()
    assert flagged.status == Report.Status.SUBMITTED


def test_a_grassroots_officer_finds_the_returned_report_first(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    report = make_report(period, world.school, Report.Status.SUBMITTED, datetime.date(2025, 1, 8), **GOOD_GRASSROOTS)
    do_return(report, world.approver, report.version, "Đề nghị kiểm tra lại số đoàn viên cuối năm.")
    page = phone_page
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/")
    page.get_by_text("Đề nghị kiểm tra lại số đoàn viên cuối năm.").wait_for()
    assert_fits_width(page)
    screenshot(page, "todo-returned-reporter", full_page=False)
    page.get_by_role("link", name="Sửa báo cáo").click()
    page.wait_for_url(f"**/reporting/periods/{period.id}/reports/{world.school.code}/")
