"""The report form keeps what the officer types: on the server as they type, and in the browser
while the server cannot be reached; it says so, and asks before leaving with a change unsent."""

import datetime

import pytest

from accounts.testing import build_world
from reporting.actions import do_open_period
from reporting.models import Report, ReportDraft
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_values_survive_a_reload_and_a_lost_connection(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    page = phone_page
    log_in(page, live_server.url, "reporter")
    page.wait_for_url("**/dashboards/")
    url = f"{live_server.url}/reporting/periods/{period.id}/reports/AG.883.00001/"
    page.goto(url)

    page.get_by_label("Số người lao động", exact=True).fill("41")
    page.get_by_text("Đã lưu nháp lúc").wait_for()
    draft = ReportDraft.objects.get(period=period, unit=world.school, user=world.reporter)
    assert draft.data["workers"] == "41"
    assert not Report.objects.filter(period=period, unit=world.school).exists()
    assert_fits_width(page)
    screenshot(page, "report-entry-autosaved", full_page=False)

    page.reload()
    assert page.get_by_label("Số người lao động", exact=True).input_value() == "41"
    page.get_by_text("Đã khôi phục bản nháp tự động").wait_for()

    # The connection drops: the change stays in the browser, the page says so, and leaving asks.
    page.context.set_offline(True)
    page.get_by_label("Số đoàn viên công đoàn", exact=True).fill("39")
    page.get_by_text("Chưa gửi được lên máy chủ").wait_for()
    cancelled = page.evaluate("""() => { const e = new Event('beforeunload', {cancelable: true});
                                         window.dispatchEvent(e); return e.defaultPrevented; }""")
    assert cancelled, "leaving with a change the server does not have must ask first"
    page.context.set_offline(False)
    page.goto(url)  # back online: the browser's copy is laid over the form and sent
    assert page.get_by_label("Số đoàn viên công đoàn", exact=True).input_value() == "39"
    page.get_by_text("Đã lưu nháp lúc").wait_for()
    draft.refresh_from_db()
    assert draft.data["members"] == "39" and draft.data["workers"] == "41"

    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_text("Đã lưu nháp.", exact=True).wait_for()
    report = Report.objects.get(period=period, unit=world.school)
    assert report.values.get(element__code="members").number == 39
    assert not ReportDraft.objects.exists()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tiendo:draft:')).length") == 0
