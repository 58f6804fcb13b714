"""On a phone: a district's approver records a Mái ấm house for a union below, then the union's
report offers the registry's figure and its records."""

import datetime

import pytest

from accounts.testing import build_world
from registries.models import UnionHome
from reporting.actions import do_open_period
from tests.browser.conftest import assert_fits_width, log_in, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_house_recorded_on_a_phone_is_offered_in_the_report(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    page = phone_page
    log_in(page, live_server.url, "approver")
    page.wait_for_url("**/dashboards/")
    open_menu(page)
    page.get_by_role("link", name="Sổ theo dõi", exact=True).click()
    page.get_by_role("link", name="Nhà Mái ấm công đoàn").click()
    page.get_by_role("link", name="Thêm bản ghi").click()
    assert_fits_width(page)
    page.get_by_label("Đơn vị").select_option("AG.883.00002")
    page.get_by_label("Đoàn viên được hỗ trợ").fill("Nguyễn Thị Hoa")
    page.get_by_label("Tổng kinh phí (đồng)").fill("160000000")
    page.get_by_label("Công đoàn hỗ trợ (đồng)").fill("50000000")
    page.get_by_label("Ngày bàn giao").fill("2024-11-20")
    screenshot(page, "registry-house-form", full_page=False)
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu: Nguyễn Thị Hoa · 20/11/2024.").wait_for()
    assert_fits_width(page)
    screenshot(page, "registry-houses")
    assert UnionHome.objects.get().unit == world.factory

    page.goto(f"{live_server.url}/reporting/periods/{period.id}/reports/AG.883.00002/")
    field = page.locator("#field-union_homes")
    assert field.locator("input[name=union_homes]").input_value() == "1"
    field.get_by_text("Theo sổ: 1").wait_for()
    assert_fits_width(page)
    field.get_by_role("link", name="1 bản ghi").click()
    page.get_by_text("Nguyễn Thị Hoa").wait_for()
