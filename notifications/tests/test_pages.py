"""The inbox, the header's count and the province's reminders page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import login
from notifications.delivery import deliver
from notifications.models import EmailPreference, Kind, Notification, Reminder
from reporting.models import Report
from reporting.testing import make_report

pytestmark = pytest.mark.django_db


def _notices(user, count, read=False):
    Notification.objects.bulk_create([Notification(user=user, kind=Kind.APPROVED, subject=f"Báo cáo số {i}",
                                                   text="Đã duyệt", link="/reporting/", read=read)
                                      for i in range(count)])


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len([q for q in queries.captured_queries if "notifications_notification" in q["sql"]])


def test_the_header_counts_unread_in_one_query_whatever_their_number(client, world):
    login(client, world.reporter)
    _notices(world.reporter, 2)
    page = client.get(reverse("units:tree")).content.decode()
    assert 'class="unread-count"' in page and ">2</span>" in page
    assert _count_queries(client, reverse("units:tree")) == 1
    _notices(world.reporter, 40)
    _notices(world.reporter, 5, read=True)
    assert _count_queries(client, reverse("units:tree")) == 1
    assert ">42</span>" in client.get(reverse("units:tree")).content.decode()


def test_no_count_for_an_anonymous_visitor(client, world):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("login"))
    assert not [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]


def test_the_inbox_shows_ones_own_marks_read_and_pages(client, world):
    _notices(world.reporter, 25)
    _notices(world.sibling_reporter, 1)
    login(client, world.reporter)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('class="notice unread') == 20 and "?page=2" in page
    theirs = Notification.objects.get(user=world.sibling_reporter)
    assert client.post(reverse("notifications:read"), {"id": theirs.pk}).status_code == 404
    mine = Notification.objects.filter(user=world.reporter).first()
    answer = client.post(reverse("notifications:read"), {"id": mine.pk, "next": "/reporting/"})
    assert answer.status_code == 302 and answer["Location"] == "/reporting/"
    mine.refresh_from_db()
    assert mine.read
    # Somewhere else than this site is not followed.
    other = Notification.objects.filter(user=world.reporter, read=False).first()
    assert client.post(reverse("notifications:read"), {"id": other.pk, "next": "https://example.com/"})[
        "Location"].startswith("/notifications/")
    client.post(reverse("notifications:read"), {"all": "1"})
    assert not Notification.objects.filter(user=world.reporter, read=False).exists()
    theirs.refresh_from_db()
    assert not theirs.read


def test_email_choices_are_saved_and_shown(client, world):
    login(client, world.reporter)
    client.post(reverse("notifications:preferences"), {"approved": "on"})
    chosen = EmailPreference.objects.get(user=world.reporter)
    assert chosen.approved and not chosen.returned and not chosen.reminder
    page = client.get(reverse("notifications:inbox")).content.decode()
    boxes = dict(re.findall(r'<input type="checkbox" name="(\w+)"[^>]*?( checked)?>', page))
    assert boxes["approved"] == " checked" and boxes["returned"] == "" and boxes["reminder"] == ""
    assert "digest" not in boxes  # a reporter gets no digest: not offered
    login(client, world.approver)
    assert 'name="digest"' in client.get(reverse("notifications:inbox")).content.decode()


def test_the_reminders_page_lists_who_was_reminded_and_reminds_now(client, world, period):
    make_report(period, world.school, Report.Status.SUBMITTED, sent_on=datetime.date(2025, 1, 2))
    Reminder.objects.create(unit=world.market, period=period, step="before-7", recipients=1)
    login(client, world.admin)
    page = client.get(reverse("notifications:reminders"), {"period": period.pk}).content.decode()
    assert world.market.name in page  # the list, and the form's missing units
    assert f'value="{world.factory.code}"' in page and f'value="{world.school.code}"' not in page
    answer = client.post(reverse("notifications:remind"), {"period": period.pk, "units": [world.market.code]})
    assert answer.status_code == 302
    assert Reminder.objects.filter(unit=world.market, step__startswith="manual-", sent_by=world.admin).exists()
    assert Notification.objects.filter(user=world.sibling_reporter, kind=Kind.REMINDER).exists()
    # A unit that has submitted is not among the choices: refused, nothing sent.
    refused = client.post(reverse("notifications:remind"), {"period": period.pk, "units": [world.school.code]})
    assert refused.status_code == 400 and not Reminder.objects.filter(unit=world.school).exists()
    filtered = client.get(reverse("notifications:reminders"), {"kind": "manual"}).content.decode()
    assert "before-7" not in filtered


def test_deliver_writes_one_row_per_recipient_in_one_insert(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        deliver([world.reporter, world.approver], Kind.PERIOD_OPENED, "Mở kỳ báo cáo")
