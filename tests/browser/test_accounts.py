"""Accounts that help themselves, on a phone: the forgotten password from the login page to the
new password, the profile with the unit's contact, and accounts from a spreadsheet."""

import io
import re

import pytest
from django.core import mail
from openpyxl import Workbook

from accounts.bulk import HEADERS, SHEET
from accounts.models import Role, User
from accounts.testing import build_world
from reporting.spreadsheets import XLSX_CONTENT_TYPE
from tests.browser.conftest import PHONE, assert_fits_width, log_in, open_menu, screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/")
NEW_PASSWORD = "Mua-lua-2026-chin"


def test_a_forgotten_password_from_the_login_page(live_server, phone_page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    world.reporter.email = "lan.nguyen@example.vn"
    world.reporter.save()
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.get_by_label("Thư điện tử").fill("lan.nguyen@example.vn")
    assert_fits_width(page)
    screenshot(page, "password-reset-form")
    page.get_by_role("button", name="Gửi đường dẫn cho tôi").click()
    page.get_by_role("heading", name="Hãy kiểm tra email").wait_for()
    assert_fits_width(page)

    page.goto(LINK.search(mail.outbox[0].body).group(0))
    page.get_by_role("heading", name="Chọn mật khẩu mới").wait_for()
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu mới").fill(NEW_PASSWORD)
    assert_fits_width(page)
    screenshot(page, "password-reset-confirm")
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    page.get_by_role("heading", name="Đã lưu mật khẩu").wait_for()
    world.reporter.refresh_from_db()
    assert world.reporter.check_password(NEW_PASSWORD)


def test_the_profile_and_the_units_contact_on_a_phone(live_server, phone_page):
    world = build_world()
    page = phone_page
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/**")
    open_menu(page)
    page.locator(".who-unit").click()  # the unit and role in the top bar open the profile
    page.get_by_role("heading", name="Hồ sơ của bạn").wait_for()
    page.get_by_label("Người liên hệ").fill("Trần Thị Mai")
    page.get_by_label("Điện thoại").fill("0296 3841 234")
    page.get_by_role("button", name="Lưu thông tin liên hệ").click()
    page.get_by_text("Đã lưu thông tin liên hệ").wait_for()
    assert_fits_width(page)
    screenshot(page, "profile")
    world.school.refresh_from_db()
    assert (world.school.contact_name, world.school.phone) == ("Trần Thị Mai", "0296 3841 234")

    page.goto(f"{live_server.url}/accounts/password/")
    assert_fits_width(page)
    screenshot(page, "password-change")


def test_a_second_officer_is_told_who_changed_the_contact_first(live_server, browser, phone_page):
    world = build_world()
    UserFactory(username="colleague", unit=world.school, role=Role.REPORTER, first_name="Lê Văn Bình")
    page = phone_page
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/**")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.get_by_label("Người liên hệ").fill("Phạm Văn Cường")

    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    colleague = context.new_page()
    log_in(colleague, live_server.url, "colleague")
    colleague.wait_for_url("**/dashboards/**")
    colleague.goto(f"{live_server.url}/accounts/profile/")
    colleague.get_by_label("Người liên hệ").fill("Trần Thị Mai")
    colleague.get_by_role("button", name="Lưu thông tin liên hệ").click()
    colleague.get_by_text("Đã lưu thông tin liên hệ").wait_for()
    context.close()

    page.get_by_role("button", name="Lưu thông tin liên hệ").click()
    page.get_by_text("Lê Văn Bình đã thay đổi thông tin liên hệ của đơn vị").wait_for()
    assert page.get_by_label("Người liên hệ").input_value() == "Phạm Văn Cường"  # what was typed is kept
    assert_fits_width(page)
    screenshot(page, "profile-contact-refused")
    world.school.refresh_from_db()
    assert world.school.contact_name == "Trần Thị Mai"


def _accounts_file(rows) -> bytes:
    workbook = Workbook()
    workbook.active.title = SHEET
    workbook.active.append(list(HEADERS))
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_accounts_from_a_spreadsheet_on_a_phone(live_server, phone_page):
    build_world()
    page = phone_page
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/**")
    page.goto(f"{live_server.url}/accounts/bulk/")
    page.get_by_role("heading", name="Tạo tài khoản từ tệp Excel").wait_for()
    rows = [("AG.883.00001", "Nguyễn Thị Lan", "lan.cdcs@example.vn", "Người báo cáo"),
            ("AG.884.00001", "Ngoài Quận", "ngoai@example.vn", "Người báo cáo"),
            ("AG.883.00002", "Trần Văn Hùng", "khong-phai-email", "Người xem")]
    page.set_input_files("input[type=file]", files=[
        {"name": "tai-khoan.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": _accounts_file(rows)}])
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", name="Chưa dùng được tệp này").wait_for()
    assert_fits_width(page)
    screenshot(page, "accounts-bulk-errors")

    page.set_input_files("input[type=file]", files=[
        {"name": "tai-khoan.xlsx", "mimeType": XLSX_CONTENT_TYPE, "buffer": _accounts_file(rows[:1])}])
    page.get_by_role("button", name="Tải lên").click()
    page.get_by_role("heading", name="Xác nhận: sẽ tạo 1 tài khoản").wait_for()
    assert_fits_width(page)
    screenshot(page, "accounts-bulk-preview")
    page.get_by_role("button", name="Tạo các tài khoản này").click()
    page.get_by_role("heading", name="Đã tạo 1 tài khoản").wait_for()
    assert User.objects.get(username="lan.cdcs@example.vn").unit.code == "AG.883.00001"
