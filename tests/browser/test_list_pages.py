"""The list pages on a 390-px phone and on a desktop: a wide table scrolls sideways inside its own
box (the page never does), the filter form is folded away until asked for and filters the rows,
and the download link is there."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period
from reporting.models import Report
from tests.browser.conftest import assert_fits_width, log_in, screenshot
from tests.factories import GrassrootsFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


def _table_scrolls_inside(page, section: str) -> bool:
    return page.evaluate(
        "s => { const box = document.querySelector(s + ' .list-table'); return box.scrollWidth > box.clientWidth; }",
        section)


@pytest.fixture
def missing_world(program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    for n in range(12):
        unit = GrassrootsFactory(parent=world.chau_doc if n % 2 else world.long_xuyen,
                                 name=f"Công đoàn Công ty Cổ phần Xuất nhập khẩu Thủy sản số {n + 1}",
                                 contact_name="Nguyễn Văn An", phone="0296 3852 123", email=f"cdcs{n}@example.vn")
        if n % 3 == 0:
            Report.objects.create(period=period, unit=unit)
    return world, period, program_loaded


def test_the_missing_units_on_a_phone(live_server, phone_page, missing_world):
    world, period, program = missing_world
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    page.goto(f"{live_server.url}/reporting/periods/{period.id}/units/AG/#missing")
    filters = page.locator("#missing details.list-filters")
    assert filters.get_attribute("open") is None  # folded away on arrival
    assert_fits_width(page)
    assert _table_scrolls_inside(page, "#missing")
    screenshot(page, "list-missing-phone", full_page=False)

    filters.locator("summary").click()
    filters.get_by_label("Trực thuộc").select_option(label="Liên đoàn Lao động thành phố Châu Đốc")
    filters.get_by_label("Tình trạng").select_option(label="Bản nháp")
    filters.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**missing-status=draft**")
    rows = page.locator("#missing tbody tr")
    # Châu Đốc's new unions with a draft: numbers 4 and 10 (n = 3, 9).
    assert rows.count() == 2
    assert page.locator("#missing details.list-filters").get_attribute("open") is not None
    assert page.locator("#missing a.download").get_attribute("href").endswith("xlsx=missing")
    assert_fits_width(page)
    screenshot(page, "list-missing-phone-filtered", full_page=False)


def test_the_lists_on_a_desktop(live_server, browser, missing_world):
    world, period, _ = missing_world
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    try:
        log_in(page, live_server.url, "admin")
        page.wait_for_url("**/dashboards/")
        page.goto(f"{live_server.url}/reporting/periods/{period.id}/units/AG/")
        assert_fits_width(page)
        assert not _table_scrolls_inside(page, "#units")  # room enough: no sideways scroll
        screenshot(page, "list-completeness-desktop")
        page.goto(f"{live_server.url}/audit/")
        assert_fits_width(page)
        screenshot(page, "list-audit-desktop", full_page=False)
    finally:
        context.close()


def test_the_other_lists_on_a_phone(live_server, phone_page, missing_world):
    world, period, program = missing_world
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    target = program.targets.order_by("id").first().code
    for name, path in (("plans", f"/reporting/plans/{program.code}/AG/status/?deadline=plan_grassroots#list"),
                       ("ranking", f"/dashboards/targets/{target}/?unit=AG&year=2024#list-ranking"),
                       ("audit", "/audit/")):
        page.goto(live_server.url + path)
        assert page.locator(".list-table").count() == 1, name
        assert page.locator("details.list-filters").get_attribute("open") is None, name
        assert_fits_width(page)
        screenshot(page, f"list-{name}-phone", full_page=False)
