"""The reports page offers each role only what it can act on — a viewer neither types, uploads
nor decides — and says in one line what the user can read."""

import pytest
from django.urls import reverse

from accounts.testing import login
from reporting.models import Report
from reporting.testing import make_report

pytestmark = pytest.mark.django_db
SPREADSHEET = "Nhập số liệu bằng bảng tính"


@pytest.fixture
def waiting(world, period):
    """The school's and the factory's reports wait for Long Xuyên; Long Xuyên's for the province."""
    make_report(period, world.school, Report.Status.SUBMITTED, workers=40, members=40)
    make_report(period, world.factory, Report.Status.SUBMITTED, workers=1200, members=900)
    make_report(period, world.long_xuyen, Report.Status.SUBMITTED)
    return period


def home(client, user) -> str:
    return login(client, user).get(reverse("reporting:home")).content.decode()


def test_a_viewer_is_offered_nothing_to_act_on_and_told_what_it_reads(client, world, waiting):
    body = home(client, world.viewer)
    assert SPREADSHEET not in body and "chờ xét duyệt" not in body and "chờ bạn duyệt" not in body
    assert "Nhập báo cáo</a>" not in body
    assert "Tình hình nộp báo cáo" in body  # reading who has reported is theirs
    assert ("Bạn được xem số liệu, báo cáo và kế hoạch của LĐLĐ tỉnh và mọi đơn vị trực thuộc; "
            "bạn không nhập hay duyệt báo cáo.") in body


def test_an_approver_is_offered_its_own_report_the_spreadsheet_and_its_decisions(client, world, waiting):
    body = home(client, world.approver)
    assert SPREADSHEET in body and "2 báo cáo chờ xét duyệt" in body and "2 báo cáo chờ bạn duyệt" in body
    assert ("Bạn nhập báo cáo của Liên đoàn Lao động thành phố Long Xuyên và duyệt hoặc trả lại báo cáo "
            "của các đơn vị trực thuộc trực tiếp") in body


def test_a_grassroots_reporter_fills_in_its_own_report_only(client, world, period):
    body = home(client, world.reporter)
    assert "Nhập báo cáo</a>" in body and SPREADSHEET not in body and "chờ xét duyệt" not in body
    assert "Bạn nhập và nộp báo cáo của Công đoàn Trường Tiểu học Mỹ Bình, và xem được số liệu của đơn vị." in body


def test_a_sector_viewer_sees_its_units_submitted_report_but_cannot_fill_it_in(client, world, period):
    make_report(period, world.health, Report.Status.DRAFT)
    body = home(client, world.sector_viewer)
    assert "Xem báo cáo</a>" in body and "Nhập báo cáo</a>" not in body and SPREADSHEET not in body


def test_the_province_administrator_is_told_it_administers_the_province(client, world, waiting):
    body = home(client, world.admin)
    assert SPREADSHEET in body and "1 báo cáo chờ xét duyệt" in body
    assert "Bạn quản trị toàn tỉnh" in body


def test_whoever_decides_has_the_way_to_the_decision_pinned_above_it_and_no_one_else(client, world, waiting):
    url = reverse("reporting:entry", args=[waiting.id, world.school.code])
    body = login(client, world.approver).get(url).content.decode()
    jump = body.index('<p class="decision-jump"><a class="button-link primary" href="#decision">'
                      'Duyệt hoặc trả lại ↓</a>')
    assert jump < body.index('<section class="card" id="decision">') and "css/decision.css" in body
    for user in (world.reporter, world.viewer):
        assert 'class="decision-jump"' not in login(client, user).get(url).content.decode()
