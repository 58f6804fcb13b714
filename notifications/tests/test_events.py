"""Reporting's steps reach the right people, in the inbox and (through the job worker, for real)
by email, as each person chose."""

import pytest
from django.core import mail
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts.models import Role
from jobs.testing import run_jobs
from notifications.models import EmailPreference, Kind, Notification
from reporting.actions import do_approve, do_open_period, do_reopen, do_return
from reporting.models import Report
from reporting.testing import make_report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _returned(world, period, capture, comment="Thiếu số đoàn viên, xin bổ sung."):
    report = make_report(period, world.school, Report.Status.SUBMITTED)
    with capture(execute=True):
        do_return(report, world.approver, report.version, comment)
    return report


def test_a_returned_report_reaches_the_reporter_in_the_inbox_and_by_email_with_the_comment(
        mailable, period, django_capture_on_commit_callbacks):
    w = mailable
    report = _returned(w, period, django_capture_on_commit_callbacks)
    notice = Notification.objects.get(user=w.reporter)
    assert notice.kind == Kind.RETURNED and notice.report == report and not notice.read
    assert "Thiếu số đoàn viên, xin bổ sung." in notice.text
    assert notice.link == f"/reporting/periods/{period.pk}/reports/{w.school.code}/"
    assert mail.outbox == []  # not in the request: the job sends it
    run_jobs()
    assert [m.to for m in mail.outbox] == [[w.reporter.email]]
    assert "Thiếu số đoàn viên, xin bổ sung." in mail.outbox[0].body
    assert f"/reporting/periods/{period.pk}/reports/{w.school.code}/" in mail.outbox[0].body
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    # Nobody else of the world hears of it: not the approver who returned it, not the sibling union.
    assert Notification.objects.count() == 1


def test_approved_and_reopened_reach_every_account_of_the_unit(world, period, django_capture_on_commit_callbacks):
    colleague = UserFactory(unit=world.school, role=Role.VIEWER)
    report = make_report(period, world.school, Report.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        report = do_approve(report, world.approver, report.version, "Tốt")
    with django_capture_on_commit_callbacks(execute=True):
        do_reopen(report, world.admin, report.version, "Sửa số cán bộ")
    got = set(Notification.objects.values_list("user__username", "kind"))
    assert got == {(world.reporter.username, Kind.APPROVED), (colleague.username, Kind.APPROVED),
                   (world.reporter.username, Kind.REOPENED), (colleague.username, Kind.REOPENED)}


def test_a_step_rolled_back_tells_nobody(world, period, django_capture_on_commit_callbacks):
    report = make_report(period, world.school, Report.Status.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            do_return(report, world.approver, report.version, "Sai")
            raise RuntimeError("the request failed after the step")
    assert not Notification.objects.exists()


def test_an_opened_period_reaches_the_people_of_every_expected_unit_in_one_insert(
        world, program, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    import datetime

    with django_capture_on_commit_callbacks(execute=True):
        period = do_open_period("year", 2025, 0, datetime.date(2026, 1, 15), by=world.admin)
    recipients = set(Notification.objects.filter(kind=Kind.PERIOD_OPENED).values_list("user__username", flat=True))
    # The reporters and approvers of units that report (viewers and the admin who opened it: not).
    assert recipients == {"reporter", "sibling_reporter", "approver", "approver_cd"}
    assert "15/01/2026" in Notification.objects.filter(kind=Kind.PERIOD_OPENED).first().text
    # Twenty more reporters cost no more queries: the recipients are one query, their rows one INSERT.
    for _ in range(20):
        UserFactory(unit=world.market, role=Role.REPORTER)
    Notification.objects.all().delete()
    from notifications.receivers import tell_the_expected_units

    with django_assert_max_num_queries(8):
        tell_the_expected_units(None, period=period, actor=world.admin)
    assert Notification.objects.filter(kind=Kind.PERIOD_OPENED).count() == 24


def test_email_preferences_are_respected(mailable, period, django_capture_on_commit_callbacks):
    EmailPreference.objects.create(user=mailable.reporter, returned=False)
    _returned(mailable, period, django_capture_on_commit_callbacks)
    run_jobs()
    assert Notification.objects.filter(user=mailable.reporter, kind=Kind.RETURNED).exists()  # the inbox has it
    assert mail.outbox == []


def test_a_failed_mail_job_is_retried_and_then_the_mail_goes_out(
        mailable, period, django_capture_on_commit_callbacks, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    real, calls = EmailBackend.send_messages, []

    def down_once(self, messages):
        calls.append(len(messages))
        if len(calls) == 1:
            raise ConnectionRefusedError("the mail server is down")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", down_once)
    _returned(mailable, period, django_capture_on_commit_callbacks)
    run_jobs()
    # the mail's job (the report's steps also queued the recount of their district's rolled-up values)
    job = DBTaskResult.objects.exclude(task_path="indicators.rollups.refresh_marked").get()
    assert job.status == TaskResultStatus.SUCCESSFUL and len(job.worker_ids) == 2
    assert calls == [1, 1] and len(mail.outbox) == 1


def test_a_mail_job_failing_every_time_is_reported(mailable, period, django_capture_on_commit_callbacks,
                                                    monkeypatch, caplog):
    import logging

    from django.core.mail.backends.locmem import EmailBackend

    def down(self, messages):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    _returned(mailable, period, django_capture_on_commit_callbacks)
    with caplog.at_level(logging.WARNING, logger="jobs"):
        run_jobs()
    # the mail's job (the report's steps also queued the recount of their district's rolled-up values)
    job = DBTaskResult.objects.exclude(task_path="indicators.rollups.refresh_marked").get()
    assert job.status == TaskResultStatus.FAILED and len(job.worker_ids) == 3
    assert any("failed after 3 attempts (builtins.ConnectionRefusedError)" in r.getMessage() for r in caplog.records)
    # The inbox still has it, marked as not mailed.
    assert Notification.objects.get(user=mailable.reporter).emailed_at is None
