"""A grassroots officer fills in and submits the yearly report on a phone; the district
federation's approver approves it."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period
from reporting.models import Report
from tests.browser.conftest import assert_fits_width, log_in, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NUMBERS = {
    "Số người lao động": "40", "Số đoàn viên công đoàn": "38", "Số cán bộ công đoàn cơ sở": "5",
    "Số cán bộ CĐCS đã được tập huấn nghiệp vụ": "4",
    "Số CB, ĐV, NLĐ được phổ biến, học tập chủ trương, pháp luật": "36",
    "Số ĐV, NLĐ được học tập nâng cao trình độ, kỹ năng nghề": "20",
    "Số căn nhà “Mái ấm công đoàn” xây dựng, sửa chữa": "0",
    "Số sáng kiến, giải pháp, cải tiến kỹ thuật": "6", "Số đoàn viên ưu tú giới thiệu cho Đảng": "1",
}
YES = ["resolution_disseminated", "implementation_plan_built", "authority_dialogue_proposed", "cba_signed",
       "cba_more_favourable", "creative_model_applied", "effective_model"]



def _fill_and_submit(page) -> None:
    """Type every number, answer every yes/no with "Có", class the agreement B, press "Nộp báo cáo"."""
    for label, value in NUMBERS.items():
        page.get_by_label(label, exact=True).fill(value)
    for code in YES:
        page.locator(f"#field-{code}").get_by_text("Có", exact=True).click()
    page.locator("#field-cba_quality_class").get_by_text("B", exact=True).click()
    page.get_by_role("button", name="Nộp báo cáo").click()

def test_fill_submit_on_a_phone_then_the_district_approves(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit the report …?": yes
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/")
    open_menu(page)
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Nhập báo cáo").click()
    page.wait_for_url(f"**/reporting/periods/{period.id}/reports/AG.883.00001/")
    assert_fits_width(page)
    screenshot(page, "report-entry-empty", full_page=False)

    _fill_and_submit(page)

    page.get_by_text("Đã nộp báo cáo cho Liên đoàn Lao động thành phố Long Xuyên.").wait_for()
    assert_fits_width(page)
    screenshot(page, "report-entry-submitted", full_page=False)
    report = Report.objects.get(period=period, unit=world.school)
    assert report.status == Report.Status.SUBMITTED
    assert report.values.get(element__code="members").number == 38

    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/")
    page.goto(f"{live_server.url}/reporting/")
    page.get_by_text("1 báo cáo chờ xét duyệt").wait_for()
    page.get_by_role("link", name="Tình hình nộp báo cáo").first.click()
    screenshot(page, "report-completeness", full_page=False)
    page.get_by_role("link", name="CĐ Trường Tiểu học Mỹ Bình").click()  # abbreviated on a phone
    # The report is several screens long on a phone: the way to the decision is pinned to the
    # bottom of the screen from the first screen on, and leads to the approve / return buttons.
    page.wait_for_url("**/reports/AG.883.00001/")
    jump = page.get_by_role("link", name="Duyệt hoặc trả lại ↓")
    box = jump.bounding_box()
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 844
    assert 844 - 80 < box["y"] + box["height"] <= 844, box  # in view, at the screen's bottom
    screenshot(page, "report-decision-jump", full_page=False)
    jump.click()
    approve = page.get_by_role("button", name="Duyệt", exact=True)
    page.wait_for_function("document.getElementById('decision').getBoundingClientRect().top < 200")
    assert approve.is_visible()
    approve.click()
    page.get_by_text("Đã duyệt báo cáo.").wait_for()
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert_fits_width(page)
    page.locator("h2", has_text="Lịch sử").scroll_into_view_if_needed()
    screenshot(page, "report-approved-history", full_page=False)


def test_the_district_types_for_a_union_without_an_officer_and_someone_else_approves(
        live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    page = phone_page
    page.on("dialog", lambda dialog: dialog.accept())  # "Submit …?", "Close …?": yes
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/")
    page.goto(f"{live_server.url}/reporting/periods/{period.id}/reports/AG.883.00001/")
    page.get_by_text("Bạn đang nhập thay cho Công đoàn Trường Tiểu học Mỹ Bình").wait_for()
    _fill_and_submit(page)
    page.get_by_text("Đã nộp báo cáo cho Liên đoàn Lao động thành phố Long Xuyên.").wait_for()

    # The decision card offers returning only, and says why.
    page.get_by_text("Bạn đã tự nhập hoặc tự nộp báo cáo này nên người khác phải duyệt").wait_for()
    assert page.get_by_role("button", name="Duyệt", exact=True).count() == 0
    assert page.get_by_role("button", name="Trả lại để sửa").count() == 1
    assert page.get_by_text("nhập thay cho đơn vị").count() == 2  # saved, submitted
    assert_fits_width(page)
    page.locator("h2", has_text="Xét duyệt").scroll_into_view_if_needed()
    screenshot(page, "report-entered-on-behalf", full_page=False)

    # The province cannot close the year while the report waits; it approves it instead.
    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    page.goto(f"{live_server.url}/reporting/periods/")
    page.get_by_role("button", name="Đóng kỳ").click()
    page.get_by_text("Chưa đóng kỳ năm 2024: còn 1 báo cáo đã nộp đang chờ duyệt.").wait_for()
    assert_fits_width(page)
    screenshot(page, "period-close-refused", full_page=False)
    page.goto(f"{live_server.url}/reporting/periods/{period.id}/reports/AG.883.00001/")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.get_by_text("Đã duyệt báo cáo.").wait_for()
    assert Report.objects.get(period=period, unit=world.school).status == Report.Status.APPROVED
