"""The approver's queue: which reports wait for whom, what each row says, approving from the
list, and walking the queue from a report's page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import login
from reporting.models import Report
from reporting.queue import approvable_count, waiting_reports
from reporting.testing import GOOD_GRASSROOTS, entry_url, form_data, make_report, report_of, report_steps
from tests.factories import GrassrootsFactory

pytestmark = pytest.mark.django_db

QUEUE = "/reporting/queue/"


def _waiting(period, unit, day, **values):
    return make_report(period, unit, Report.Status.SUBMITTED, sent_on=datetime.date(2025, 1, day),
                       **{**GOOD_GRASSROOTS, **values})


def test_the_queue_lists_the_reports_below_oldest_first_with_last_years_change(client, world, period, last_period):
    make_report(last_period, world.school, Report.Status.LOCKED, datetime.date(2024, 1, 5), workers=40, members=30)
    school = _waiting(period, world.school, 12)
    factory = _waiting(period, world.factory, 3, workers=1200, members=1000)
    _waiting(period, world.market, 1)  # Châu Đốc's: not Long Xuyên's to decide
    login(client, world.approver)
    body = client.get(QUEUE).content.decode()
    assert body.index(world.factory.name) < body.index(world.school.name), "oldest submission first"
    assert world.market.name not in body
    assert "Số đoàn viên" in body or "đoàn viên" in body.lower()
    assert re.search(r"<strong>38</strong> ↑ <span class=\"muted\">\+8</span>", body), "members 30 → 38"
    assert [r.pk for r in waiting_reports(world.approver)] == [factory.pk, school.pk]


def test_a_row_shows_what_the_validation_flagged_with_the_units_comment(client, world, period, last_period):
    make_report(last_period, world.school, Report.Status.LOCKED, datetime.date(2024, 1, 5), initiatives=2)
    report = _waiting(period, world.school, 12, initiatives=30)  # more than 3 times last year's
    report.values.filter(element__code="initiatives").update(comment="Năm nay có phong trào thi đua lớn.")
    login(client, world.approver)
    body = client.get(QUEUE).content.decode()
    assert "tăng hoặc giảm hơn 3 lần" in body
    assert "Năm nay có phong trào thi đua lớn." in body
    assert f'value="{report.pk}:' not in body, "a flagged report is not ticked from the list"


def test_the_queue_reads_as_many_queries_for_two_reports_as_for_eight(client, world, period, last_period):
    login(client, world.approver)
    units = [world.school, world.factory] + [GrassrootsFactory(parent=world.long_xuyen) for _ in range(6)]
    for day, unit in enumerate(units[:2], start=1):
        make_report(last_period, unit, Report.Status.LOCKED, datetime.date(2024, 1, 5), workers=39, members=30)
        _waiting(period, unit, day)
    client.get(QUEUE)  # warm the caches (content types, the program's parsed rules)
    with CaptureQueriesContext(connection) as few:
        assert client.get(QUEUE).status_code == 200
    for day, unit in enumerate(units[2:], start=3):
        make_report(last_period, unit, Report.Status.LOCKED, datetime.date(2024, 1, 5), workers=39, members=30)
        _waiting(period, unit, day)
    with CaptureQueriesContext(connection) as many:
        body = client.get(QUEUE).content.decode()
    assert body.count('name="report"') == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_bulk_approval_approves_the_clean_reports_and_refuses_a_flagged_one_and_ones_own(
        client, world, period, last_period):
    other = GrassrootsFactory(parent=world.long_xuyen)
    clean = _waiting(period, world.school, 5)
    make_report(last_period, other, Report.Status.LOCKED, datetime.date(2024, 1, 5), initiatives=2)
    flagged = _waiting(period, other, 6, initiatives=30)
    # A union with no officer: its report typed and submitted by the approver on its behalf.
    nobody = GrassrootsFactory(parent=world.long_xuyen)
    login(client, world.approver)
    client.post(entry_url(period, nobody.code), form_data(GOOD_GRASSROOTS, submit="1"))
    own = report_of(period, nobody)
    assert own.status == Report.Status.SUBMITTED
    assert approvable_count(world.approver) == 2, "the approver's own submission is not theirs to approve"

    response = client.post(reverse("reporting:queue_approve"), {
        "report": [f"{r.pk}:{r.version}" for r in (clean, flagged, own)], "queue": "q=Tr",
    })
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?q=Tr"
    statuses = dict(Report.objects.filter(pk__in=[clean.pk, flagged.pk, own.pk]).values_list("pk", "status"))
    assert statuses == {clean.pk: Report.Status.APPROVED, flagged.pk: Report.Status.SUBMITTED,
                        own.pk: Report.Status.SUBMITTED}
    steps = report_steps(clean)
    assert [(s.event, s.actor) for s in steps] == [("approved", world.approver)], "one audit entry, by the approver"
    assert not report_steps(flagged).exists()


def test_bulk_approval_refuses_a_report_changed_since_the_list_was_read(client, world, period):
    report = _waiting(period, world.school, 5)
    login(client, world.approver)
    client.post(reverse("reporting:queue_approve"), {"report": f"{report.pk}:{report.version + 3}"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


@pytest.mark.parametrize("username", ["reporter", "viewer", "sector_viewer"])
def test_who_decides_nothing_has_no_queue(client, world, period, username):
    report = _waiting(period, world.school, 5)
    login(client, getattr(world, username))
    assert client.get(QUEUE).status_code == 403
    assert client.post(reverse("reporting:queue_approve"), {"report": f"{report.pk}:0"}).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_another_districts_approver_cannot_approve_from_the_list(client, world, period):
    report = _waiting(period, world.school, 5)
    login(client, world.approver_cd)
    client.post(reverse("reporting:queue_approve"), {"report": f"{report.pk}:{report.version}"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_the_report_page_walks_the_queue_keeping_its_filter(client, world, period):
    first = _waiting(period, world.school, 2)
    second = _waiting(period, world.factory, 3)
    _waiting(period, GrassrootsFactory(parent=world.long_xuyen, name="Công đoàn Khác"), 4)
    login(client, world.approver)
    body = client.get(QUEUE + "?q=Công+ty").content.decode()
    assert world.school.name not in body and world.factory.name in body
    assert f"{entry_url(period, world.factory.code)}?queue=q%3DC%25C3%25B4ng%2Bty" in body

    body = client.get(entry_url(period, world.school.code) + "?queue=").content.decode()
    assert "báo cáo 1 / 3" in body
    assert f'{entry_url(period, world.factory.code)}?queue=" rel="next"' in body
    assert 'href="#decision"' in body and 'id="decision"' in body

    # Approving from the report's page goes on to the next one waiting.
    response = client.post(reverse("reporting:approve", args=[first.pk]), {"version": first.version, "queue": ""})
    assert response["Location"] == f"{entry_url(period, world.factory.code)}?queue="
    body = client.get(response["Location"]).content.decode()
    assert 'rel="prev"' not in body and 'rel="next"' in body
    assert second.pk


def test_returning_without_a_comment_says_so_beside_the_field(client, world, period):
    report = _waiting(period, world.school, 5)
    login(client, world.approver)
    body = client.get(entry_url(period, world.school.code)).content.decode()
    assert re.search(r'<textarea[^>]*required', body), "the browser asks for the comment"
    response = client.post(reverse("reporting:return", args=[report.pk]), {"version": report.version, "comment": " "})
    assert response.status_code == 400
    body = response.content.decode()
    decision = body[body.index('id="decision"'):]
    assert "trả lại báo cáo phải kèm nhận xét" in decision
    assert '#decision"' in body, "the form posts to its own anchor: the answer opens at the form"
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_submitting_and_closing_ask_for_confirmation(client, world, period):
    login(client, world.reporter)
    body = client.get(entry_url(period, world.school.code)).content.decode()
    assert re.search(r'name="submit"[^>]*data-confirm="[^"]+"', body)
    assert "js/confirm.js" in body
    login(client, world.admin)
    body = client.get(reverse("reporting:periods")).content.decode()
    assert "data-confirm=" in body


def test_the_reports_page_links_to_the_queue_with_its_count(client, world, period):
    _waiting(period, world.school, 5)
    _waiting(period, world.factory, 6)
    login(client, world.approver)
    body = client.get(reverse("reporting:home")).content.decode()
    assert re.search(r'href="/reporting/queue/">2 ', body)
