"""A document asked for on a phone: the page shows the build's progress while the job worker has
it (htmx polls the panel every 2 s), then the preview appears by itself, or the file's link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.testing import build_world
from exports.models import DocumentBuild
from jobs.testing import run_jobs
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.testing import make_report
from tests.browser.conftest import assert_fits_width, log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_document_page_shows_the_build_then_the_document(live_server, phone_page, program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    make_report(period, world.school, Report.Status.APPROVED, datetime.date(2025, 1, 10), workers=40, members=38)
    log_in(phone_page, live_server.url, "approver")
    phone_page.wait_for_url("**/dashboards/**")

    phone_page.goto(live_server.url + reverse("exports:preview", args=["AG.883", "yearly_review", 2024]))
    assert phone_page.get_by_text("Tài liệu sắp được tạo.").is_visible()
    assert phone_page.get_by_text("Bạn có thể rời trang này").is_visible()
    assert_fits_width(phone_page)
    screenshot(phone_page, "document-build-queued")

    # The worker takes it (as a long build would show it): the panel follows by itself.
    DocumentBuild.objects.update(state="building", started_at=timezone.now() - datetime.timedelta(seconds=12))
    phone_page.get_by_text("Đang tạo tài liệu (đã").wait_for(timeout=10_000)
    assert_fits_width(phone_page)
    screenshot(phone_page, "document-build-building")

    DocumentBuild.objects.update(state="queued")
    run_jobs()  # the real worker loop builds it; the next poll reloads the page with the preview
    phone_page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").wait_for(timeout=15_000)
    assert phone_page.get_by_role("link", name="Word (.docx)").is_visible()
    screenshot(phone_page, "document-build-preview", full_page=False)

    phone_page.get_by_role("link", name="Word (.docx)").click()
    phone_page.get_by_text("Chờ đến lượt").wait_for()
    run_jobs()
    link = phone_page.get_by_role("link", name="Tải xuống bao-cao-ket-qua-2024-AG.883.docx")
    link.wait_for(timeout=10_000)
    assert_fits_width(phone_page)
    screenshot(phone_page, "document-build-ready")
    with phone_page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "bao-cao-ket-qua-2024-AG.883.docx"
