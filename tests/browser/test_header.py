"""The phone's header is one short line with a Menu button; the navigation opens behind it."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period
from tests.browser.conftest import assert_fits_width, log_in, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_HEADER_PX = 56


def header_height(page) -> float:
    return page.evaluate("document.querySelector('header.topbar').getBoundingClientRect().height")


def test_the_header_is_short_on_a_phone_and_its_menu_opens(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    page = phone_page
    log_in(page, live_server.url, "admin")  # the longest menu
    page.wait_for_url("**/dashboards/")
    for path in ("/dashboards/", "/reporting/", f"/reporting/periods/{period.id}/reports/AG.883.00001/",
                 "/units/", "/programs/"):
        page.goto(live_server.url + path)
        assert header_height(page) <= MAX_HEADER_PX, f"{path}: the header takes {header_height(page)} px"
        assert not page.get_by_role("link", name="Đơn vị", exact=True).is_visible()
        assert_fits_width(page)

    # The entry form: dates typed dd/mm/yyyy as text, typed text not bold.
    page.goto(f"{live_server.url}/reporting/periods/{period.id}/reports/AG.883.00001/")
    date = page.locator("input[name=implementation_plan_date]")
    if date.count():
        assert date.get_attribute("type") == "text" and date.get_attribute("placeholder") == "dd/mm/yyyy"
    weight = page.evaluate("""() => { const label = document.createElement('label');
        label.innerHTML = 'Giải trình <textarea></textarea>'; document.querySelector('.report-form').append(label);
        return getComputedStyle(label.querySelector('textarea')).fontWeight; }""")  # as the comment fields
    assert weight == "400"
    screenshot(page, "header-phone", full_page=False)

    open_menu(page)
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"
    screenshot(page, "header-phone-menu-open", full_page=False)
    page.get_by_role("link", name="Đơn vị", exact=True).click()
    page.wait_for_url("**/units/")
    page.keyboard.press("Escape")
