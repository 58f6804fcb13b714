"""Reminders go only to the units that have not submitted, on the schedule's days, once per step;
the approver above hears of the units still missing after the escalation delay; the approvers'
digest lists the waiting reports in one mail. The clock is the day passed to the daily pass
(neither time-machine nor freezegun is in requirements.lock)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.testing import run_jobs
from notifications.daily import daily_pass
from notifications.daily import run_daily_pass as run_pass
from notifications.models import DailyPass, Kind, Notification, Reminder
from notifications.reminders import remind_now, step_due
from reporting.models import Report
from reporting.testing import make_report

pytestmark = pytest.mark.django_db
DUE = datetime.date(2025, 1, 15)  # the `period` fixture's due date


def day(offset: int) -> datetime.date:
    return DUE + datetime.timedelta(days=offset)


@pytest.fixture(autouse=True)
def _schedule(settings):
    settings.REMINDER_DAYS_BEFORE = [7, 1]
    settings.REMINDER_DAYS_AFTER = [1, 7]
    settings.REMINDER_ESCALATE_AFTER_DAYS = 14


@pytest.fixture
def round_(mailable, period):
    """The school's report is sent (and approved); the factory's was returned; the others have nothing."""
    make_report(period, mailable.school, Report.Status.APPROVED, sent_on=day(-10))
    make_report(period, mailable.factory, Report.Status.RETURNED, sent_on=day(-10))
    return mailable


@pytest.fixture
def run_daily_pass(django_capture_on_commit_callbacks):
    """The daily pass of a day, its mail jobs queued as once committed."""
    def run(the_day):
        with django_capture_on_commit_callbacks(execute=True):
            return run_pass(the_day)
    return run


def reminded(step=None) -> set[str]:
    rows = Reminder.objects.filter(step=step) if step else Reminder.objects.all()
    return set(rows.values_list("unit__code", flat=True))


def test_the_step_due_follows_the_schedule(period):
    assert [step_due(period, day(n)) for n in (-8, -7, -2, -1, 0, 1, 6, 7, 30)] == [
        None, "before-7", "before-7", "before-1", "before-1", "after-1", "after-1", "after-7", "after-7"]


def test_reminders_go_only_to_missing_units_on_the_right_days(round_, period, run_daily_pass):
    w = round_
    run_daily_pass(day(-8))
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    run_daily_pass(day(-7))
    missing = {w.factory.code, w.market.code, w.long_xuyen.code, w.chau_doc.code, w.hospital.code}
    assert reminded("before-7") >= missing and w.school.code not in reminded()
    assert set(Notification.objects.filter(kind=Kind.REMINDER).values_list("user__username", flat=True)) == {
        "sibling_reporter", "approver", "approver_cd"}  # the factory and the hospital have no account
    text = Notification.objects.get(user=w.sibling_reporter).text
    assert "15/01/2025" in text and w.market.name in text
    count = Notification.objects.count()
    run_daily_pass(day(-6))  # nothing new on the next day
    assert Notification.objects.count() == count
    # The market submits; the day before the due date only the others are reminded again.
    make_report(period, w.market, Report.Status.SUBMITTED, sent_on=day(-3))
    run_daily_pass(day(-1))
    assert w.market.code not in reminded("before-1") and w.factory.code in reminded("before-1")
    run_jobs()
    mailed = Notification.objects.filter(kind=Kind.REMINDER, emailed_at__isnull=False)
    assert sorted(mailed.values_list("user__email", flat=True)) == sorted(
        [w.sibling_reporter.email, w.approver.email, w.approver_cd.email, w.approver.email, w.approver_cd.email])
    # The market's report now waits for Châu Đốc's approver: the digest is the other mail.
    assert len(mail.outbox) == 6 and Notification.objects.get(kind=Kind.DIGEST).user == w.approver_cd


def test_a_reminder_is_not_sent_twice(round_, period, run_daily_pass):
    w = round_
    assert run_daily_pass(day(-7)) is not None
    first = Notification.objects.count()
    assert run_daily_pass(day(-7)) is None  # the same day's pass again: nothing
    run_daily_pass(day(-5))  # another day of the same step: nothing either
    assert Notification.objects.count() == first
    assert Reminder.objects.filter(unit=w.market, step="before-7").count() == 1
    # By hand: once a day per unit at most.
    assert remind_now(period, [w.market.code], w.admin, day(-5)).units == 1
    assert remind_now(period, [w.market.code], w.admin, day(-5)).units == 0
    # A unit that has submitted is not reminded by hand either.
    assert remind_now(period, [w.school.code], w.admin, day(-5)).units == 0


def test_a_closed_period_reminds_nobody(round_, period, run_daily_pass):
    period.status = period.Status.CLOSED
    period.save()
    run_daily_pass(day(1))
    assert not Reminder.objects.exists()


def test_the_approver_above_hears_of_the_units_still_missing_after_the_delay(round_, period, run_daily_pass):
    w = round_
    run_daily_pass(day(13))
    assert not Notification.objects.filter(kind=Kind.ESCALATION).exists()
    run_daily_pass(day(14))
    escalations = {n.user.username: n.text for n in Notification.objects.filter(kind=Kind.ESCALATION)}
    assert set(escalations) == {"approver", "approver_cd", "admin"}  # the province decides on the districts
    assert w.long_xuyen.name in escalations["admin"] and w.factory.name not in escalations["admin"]
    assert w.factory.name in escalations["approver"] and w.school.name not in escalations["approver"]
    assert w.market.name in escalations["approver_cd"] and w.factory.name not in escalations["approver_cd"]
    assert Reminder.objects.get(unit=w.factory, step="escalation").recipients == 1
    run_daily_pass(day(20))
    assert Notification.objects.filter(kind=Kind.ESCALATION).count() == 3


def test_the_digest_lists_the_waiting_reports_in_one_mail_per_approver(round_, period, run_daily_pass):
    w = round_
    Report.objects.filter(unit__in=[w.school, w.factory]).update(status=Report.Status.SUBMITTED)
    make_report(period, w.market, Report.Status.SUBMITTED, sent_on=day(-2))
    done = run_daily_pass(day(-20))  # before any reminder: the digest alone
    assert done.digests == 2 and done.reminders == 0
    digest = Notification.objects.get(user=w.approver, kind=Kind.DIGEST)
    assert digest.subject.startswith("2 ") and w.school.name in digest.text and w.factory.name in digest.text
    assert digest.link == reverse("reporting:queue")  # it opens the approver's queue, oldest first
    run_jobs()
    assert sorted(m.to[0] for m in mail.outbox) == [w.approver.email, w.approver_cd.email]


def test_the_daily_job_runs_the_pass_and_puts_the_next_day_on_the_queue(round_):
    daily_pass.enqueue(day(-7).isoformat())
    run_jobs()
    assert DailyPass.objects.get().day == day(-7) and reminded("before-7")
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.task_path == daily_pass.module_path and waiting.run_after.date() >= day(-6)
    # Run once more, that day's pass does nothing and no second next-day job is queued.
    daily_pass.enqueue(day(-7).isoformat())
    run_jobs()
    assert DailyPass.objects.count() == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_the_command_for_cron(round_, capsys):
    call_command("send_reminders", "--date", day(-7).isoformat())
    call_command("send_reminders", "--date", day(-7).isoformat())
    out = capsys.readouterr().out
    assert "3 reminder notifications" in out and "already run, nothing sent" in out
