"""The printable copy of one unit's report: the union document's header, the values, the
signature block and the trail of its submission, return and approval."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.testing import login
from reporting.testing import GOOD_GRASSROOTS, entry_url, form_data, report_of

pytestmark = pytest.mark.django_db

SCHOOL = "AG.883.00001"


def print_url(period, code=SCHOOL):
    return reverse("reporting:report_print", args=[period.id, code])


def test_the_copy_has_the_document_header_values_signature_and_trail(client, world, period):
    login(client, world.reporter)
    assert client.get(print_url(period)).status_code == 404  # nothing to print before a first save
    client.post(entry_url(period, SCHOOL), form_data(GOOD_GRASSROOTS, submit="1"))
    report = report_of(period, world.school)
    login(client, world.approver)
    client.post(reverse("reporting:return", args=[report.id]),
                {"version": report.version, "comment": "Kiểm tra lại số đoàn viên"})

    body = client.get(entry_url(period, SCHOOL)).content.decode()
    assert print_url(period) in body  # linked from the report's page
    response = client.get(print_url(period))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 world.school.name.upper(), "Số: ……/BC-CĐCS", "BÁO CÁO", "TM. BAN CHẤP HÀNH", "CHỦ TỊCH",
                 "Nơi nhận:", "Lưu: VT.", "Đã nộp", "Trả lại", "Kiểm tra lại số đoàn viên"):
        assert text in body, text
    report.refresh_from_db()
    assert f"ngày {timezone.localtime(report.submitted_at):%d}" in body  # place and date: the day it was submitted
    assert ">38<" in body  # members


def test_a_unit_outside_the_users_subtree_is_not_found(client, world, period):
    login(client, world.reporter)
    client.post(entry_url(period, SCHOOL), form_data(GOOD_GRASSROOTS, save="1"))
    login(client, world.sector_viewer)  # the health sector union does not see the school
    assert client.get(print_url(period)).status_code == 404
