"""A district approver uploads a filled-in template on a phone: the preview says, row by row,
what will be saved and sent; confirming it saves and sends only the row that was changed."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from accounts.testing import build_world
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.spreadsheets import XLSX_CONTENT_TYPE, build_template
from reporting.testing import SCHOOL, as_bytes, fill, make_report
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_preview_then_the_confirmation_on_a_phone(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    # returned for correction, and left as it was in the file
    factory = make_report(period, world.factory, Report.Status.RETURNED, workers=1200, members=1000)
    workbook = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    fill(workbook, "AG.883.00001", SCHOOL)

    page = phone_page
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/**")
    page.goto(f"{live_server.url}/reporting/periods/{period.id}/spreadsheet/AG.883/")
    page.set_input_files("input[type=file]", files=[
        {"name": "bao-cao.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": as_bytes(workbook)}])
    page.get_by_label("Gửi báo cáo sau khi nhập").check()
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", name="Kiểm tra trước khi lưu").wait_for()
    assert Report.objects.filter(unit=world.school).count() == 0, "the preview writes nothing"
    preview = page.locator(".sheet-preview")
    assert "Công đoàn Trường Tiểu học Mỹ Bình" in preview.locator(".sheet-rows").inner_text()
    assert "Số người lao động: — → 40" in preview.inner_text()
    page.get_by_text("1 dòng không thay đổi: không lưu, không gửi").click()  # the factory's row
    assert "không được gửi thay cho công đoàn cơ sở" in preview.locator(".sheet-unchanged").inner_text()
    assert_fits_width(page)
    screenshot(page, "spreadsheet-preview")

    page.get_by_role("button", name="Lưu và gửi 1 báo cáo").click()
    page.get_by_role("heading", name="Đã nhập số liệu từ tệp.").wait_for()
    assert_fits_width(page)
    assert Report.objects.get(period=period, unit=world.school).status == Report.Status.SUBMITTED
    assert Report.objects.get(pk=factory.pk).status == Report.Status.RETURNED
