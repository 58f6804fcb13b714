"""The error pages on a 390-px phone: Vietnamese, in the site's layout, nothing wider than the
screen, a way back home. Screenshots in var/test-artifacts/error-*.png."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from accounts.testing import build_world, login
from exports.models import DocumentBuild
from reporting.actions import do_open_period
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _show(page, base_url: str, html: str) -> None:
    """A page the browser is not easily made to ask for (a 403 after a refused POST, a 429, a
    500), shown from the site's own address so that its stylesheet loads."""
    page.goto(base_url + "/accounts/login/")
    page.set_content(html, wait_until="load")


def _check(page, heading: str, name: str) -> None:
    assert page.get_by_role("heading", name=heading).is_visible()
    assert page.get_by_role("link", name="Về trang chủ").is_visible()
    assert_fits_width(page)
    screenshot(page, name)


def test_error_pages_fit_a_phone_and_lead_home(live_server, phone_page):
    world = build_world()
    log_in(phone_page, live_server.url, "reporter")
    phone_page.wait_for_url("**/dashboards/**")

    phone_page.goto(live_server.url + "/units/AG.884.00001/")  # another branch's union
    _check(phone_page, "Không tìm thấy trang", "error-404")
    phone_page.get_by_role("link", name="Về trang chủ").click()
    phone_page.wait_for_url("**/dashboards/**")

    phone_page.goto(live_server.url + "/units/AG%00/")
    _check(phone_page, "Yêu cầu bị từ chối", "error-400")

    request = RequestFactory().get("/")
    request.user = world.viewer
    _show(phone_page, live_server.url, defaults.permission_denied(request, PermissionDenied()).content.decode())
    _check(phone_page, "Không được phép", "error-403")

    _show(phone_page, live_server.url, defaults.server_error(RequestFactory().get("/")).content.decode())
    _check(phone_page, "Đã có lỗi ở máy chủ", "error-500")


def test_the_address_pause_and_the_please_wait_page_fit_a_phone(live_server, phone_page, program_loaded):
    world = build_world()
    sprayer = Client()
    for n in range(15):
        paused = sprayer.post(reverse("login"), {"username": f"guess{n}", "password": "x"}, REMOTE_ADDR="203.0.113.5")
    assert paused.status_code == 429
    _show(phone_page, live_server.url, paused.content.decode())
    assert phone_page.get_by_text("nhiều tài khoản khác nhau").is_visible()
    assert_fits_width(phone_page)
    screenshot(phone_page, "error-429-login-address")

    do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    approver = login(Client(), world.approver)
    for year in range(2021, 2021 + settings.DOCUMENT_BUILDS_PER_USER):  # documents of theirs still waiting
        approver.get(reverse("exports:preview", args=["AG.883", "yearly_review", year]))
    assert DocumentBuild.objects.filter(requested_by=world.approver).count() == settings.DOCUMENT_BUILDS_PER_USER
    wait = approver.get(reverse("exports:preview", args=["AG.883", "yearly_review", 2024]))
    assert wait.status_code == 429
    _show(phone_page, live_server.url, wait.content.decode())
    _check(phone_page, "Vui lòng đợi", "error-429-documents")


def test_the_plan_upload_form_says_what_is_kept(live_server, phone_page, program_loaded):
    build_world()
    log_in(phone_page, live_server.url, "reporter")
    phone_page.wait_for_url("**/dashboards/**")
    phone_page.goto(live_server.url + reverse("plans:unit", args=[program_loaded.code, "AG.883.00001"]))
    assert phone_page.get_by_text("Đơn vị giữ 5 tệp kế hoạch mới nhất.").is_visible()
    assert_fits_width(phone_page)
    phone_page.locator("#upload").scroll_into_view_if_needed()
    screenshot(phone_page, "plan-upload-limits", full_page=False)
