"""The help page (/tro-giup/) and the approver's contact on the report form."""

import pytest
from django.urls import reverse

from accounts.testing import login
from reporting.testing import entry_url

pytestmark = pytest.mark.django_db


def test_the_help_page_explains_reporting_statuses_and_abbreviations(client, world):
    body = client.get("/tro-giup/").content.decode()  # open without signing in
    assert reverse("help") == "/tro-giup/"
    for text in ("Cách báo cáo", "Nộp báo cáo", "Bị trả lại để sửa", "Đã khóa", "Đang mở",
                 "CĐCS", "Công đoàn cơ sở", "ĐV", "NLĐ", "DNNN", "TƯLĐTT", "Thỏa ước lao động tập thể"):
        assert text in body, text
    assert "Đăng nhập để xem đơn vị duyệt báo cáo" in body


def test_the_approvers_phone_is_on_the_help_page_and_on_the_report_form(client, world, period):
    district = world.long_xuyen
    district.contact_name, district.phone = "Nguyễn Văn An", "0296 3852 123"
    district.save()
    login(client, world.reporter)
    for url in ("/tro-giup/", entry_url(period, "AG.883.00001")):
        body = client.get(url).content.decode()
        assert "Đơn vị duyệt báo cáo" in body and district.name in body, url
        assert 'href="tel:02963852123"' in body and "Nguyễn Văn An" in body, url
    assert 'href="/tro-giup/"' in client.get(entry_url(period, "AG.883.00001")).content.decode()


def test_the_help_page_in_english(client, world, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/tro-giup/").content.decode()
    assert "How to report" in body and "Collective bargaining agreement" in body
