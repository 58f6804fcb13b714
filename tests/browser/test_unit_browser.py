"""A union officer on a phone logs in, opens the unit tree, finds Châu Đốc without accents."""

import pytest

from accounts.testing import build_world
from tests.browser.conftest import assert_fits_width, log_in, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_chau_doc_without_accents_and_open_it(live_server, phone_page):
    build_world()
    page = phone_page
    log_in(page, live_server.url, "admin")
    page.wait_for_url("**/dashboards/")
    open_menu(page)
    page.get_by_role("link", name="Đơn vị", exact=True).click()

    page.wait_for_url("**/units/")
    assert page.get_by_role("heading", name="Đơn vị công đoàn").is_visible()
    assert page.get_by_text("Liên đoàn Lao động thành phố Long Xuyên").is_visible()
    assert_fits_width(page)
    screenshot(page, "unit-tree")

    # Expanding a district loads its grassroots unions in place.
    page.locator("summary", has_text="Long Xuyên").click(position={"x": 8, "y": 12})
    page.get_by_text("Công đoàn Trường Tiểu học Mỹ Bình").wait_for()

    page.get_by_role("searchbox").fill("chau doc")
    result = page.locator("#search-results").get_by_role("link", name="Liên đoàn Lao động thành phố Châu Đốc")
    result.wait_for()
    screenshot(page, "unit-search")
    result.click()

    page.wait_for_url("**/units/AG.884/")
    assert page.get_by_role("heading", name="Liên đoàn Lao động thành phố Châu Đốc").is_visible()
    assert page.get_by_text("Công đoàn Ban Quản lý chợ Châu Đốc").is_visible()
    assert_fits_width(page)
    path = screenshot(page, "unit-detail")
    assert path.stat().st_size > 10_000


def test_a_grassroots_officer_cannot_open_another_union(live_server, phone_page):
    build_world()
    page = phone_page
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/")
    response = page.goto(f"{live_server.url}/units/AG.884.00001/")
    assert response.status == 404
