"""The landing page's first minutes: what needs doing comes first (returned, overdue, due soon,
the approver's queue), and a grassroots union sees only the targets that concern it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.testing import login
from reporting.actions import do_return
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS, entry_url, make_report
from reporting.todo import DUE_SOON, OVERDUE, QUEUE, RETURNED, to_do
from tests.factories import PeriodFactory

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboards/"


def _returned(period, world, comment="Số đoàn viên chưa khớp với danh sách."):
    report = make_report(period, world.school, Report.Status.SUBMITTED, datetime.date(2025, 1, 10), **GOOD_GRASSROOTS)
    return do_return(report, world.approver, report.version, comment)


def test_a_returned_report_comes_first_on_the_landing_page_with_its_comment_and_the_form(client, world, period):
    _returned(period, world)
    login(client, world.reporter)
    body = client.get(DASHBOARD).content.decode()
    todo = body[body.index('class="card todo"'):body.index("<h1>")]
    assert "Trả lại để sửa" in todo or "trả lại" in todo.lower()
    assert "Số đoàn viên chưa khớp với danh sách." in todo
    assert f'href="{entry_url(period, world.school.code)}"' in todo


def test_an_overdue_report_says_so(client, world, period):
    # The 2024 period was due 15/01/2025; the school has not sent its report.
    login(client, world.reporter)
    body = client.get(DASHBOARD).content.decode()
    todo = body[body.index('class="card todo"'):body.index("<h1>")]
    assert "quá hạn" in todo and "15/01/2025" in todo
    days = (timezone.localdate() - datetime.date(2025, 1, 15)).days
    assert f"đã quá {days} ngày" in todo
    assert "quá hạn" in client.get(reverse("reporting:home")).content.decode(), "the reports page says it too"


def test_returned_then_overdue_then_due_soon_then_the_queue(world, period, program):
    # 2025: a reporting year of the program (a period no program asks for is nobody's to-do).
    soon = PeriodFactory(year=2025, due_on=timezone.localdate() + datetime.timedelta(days=5))
    _returned(period, world)
    later = PeriodFactory(year=2023, due_on=timezone.localdate() - datetime.timedelta(days=2))
    kinds = [(item.kind, item.period) for item in to_do(world.reporter)]
    assert kinds == [(RETURNED, period), (OVERDUE, later), (DUE_SOON, soon)]
    assert [item.days for item in to_do(world.reporter)][1:] == [2, 5]
    make_report(soon, world.factory, Report.Status.SUBMITTED, timezone.localdate(), **GOOD_GRASSROOTS)
    assert [item.kind for item in to_do(world.approver)][-1] == QUEUE


def test_nothing_to_do_for_a_sent_report_and_for_a_viewer(world, period):
    make_report(period, world.school, Report.Status.SUBMITTED, datetime.date(2025, 1, 10))
    assert to_do(world.reporter) == []
    assert to_do(world.viewer) == []


def test_the_approvers_landing_page_links_to_the_queue_with_its_count(client, world, period):
    for unit in (world.school, world.factory):
        make_report(period, unit, Report.Status.SUBMITTED, datetime.date(2025, 1, 10), **GOOD_GRASSROOTS)
    login(client, world.approver)
    body = client.get(DASHBOARD).content.decode()
    assert re.search(r"2 báo cáo chờ bạn duyệt\s*<a class=\"button-link primary\" href=\"/reporting/queue/\"", body)


def test_a_grassroots_union_sees_only_the_targets_that_concern_it_and_its_own_coverage(client, world, period):
    make_report(period, world.school, Report.Status.APPROVED, datetime.date(2025, 1, 10), **GOOD_GRASSROOTS)
    login(client, world.reporter)
    body = client.get(DASHBOARD, {"year": 2024}).content.decode()
    assert "0/1 đơn vị" not in body and "1/1 đơn vị" not in body, "one unit's coverage is said for one unit"
    assert "đã báo cáo" in body
    assert "ít đơn vị báo cáo" not in body
    note = re.search(r'class="muted not-applying">(.*?)</p>', body, re.S)
    assert note and "không áp dụng cho đơn vị này" in note.group(1)
    hidden = re.findall(r'<span class="code" title="[^"]*">(T\d+)</span>', note.group(1))
    assert hidden, "the upper-level unions' targets are named in the note, not shown as 'no data yet'"
    for code in hidden:
        assert f'<span class="code">{code}</span>' not in body
    # The district, an upper-level union, is shown the upper-level unions' targets.
    login(client, world.approver)
    district = client.get(DASHBOARD, {"year": 2024, "unit": world.long_xuyen.code}).content.decode()
    assert any(f'<span class="code">{code}</span>' in district for code in hidden)
