"""Notifications and reminders as the demo's reporting round would have left them by today: the
daily passes of the current period's reminder days run in order (each dated on its day), the
returned report of the demo grassroots union and its approval of last year told to its officer.
Idempotent: once today's pass has run, nothing is added."""

import datetime

from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from audit.commands import RecordedCommand
from notifications.daily import run_daily_pass
from notifications.models import DailyPass, Kind, Notification, Reminder
from notifications.receivers import tell_the_expected_units, tell_the_unit
from notifications.reminders import ESCALATION, schedule
from reporting.models import Period, Report

RETURN_COMMENT = "Số đoàn viên lớn hơn số người lao động; đề nghị đơn vị kiểm tra lại và gửi lại báo cáo."


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _dated(day: datetime.date, hour: int, since: int, reminders_since: int) -> None:
    Notification.objects.filter(pk__gt=since).update(created=_at(day, hour))
    Reminder.objects.filter(pk__gt=reminders_since).update(sent_at=_at(day, hour))


def _last_ids() -> tuple[int, int]:
    return (Notification.objects.aggregate(m=Max("pk"))["m"] or 0, Reminder.objects.aggregate(m=Max("pk"))["m"] or 0)


class Command(RecordedCommand):
    help = "Reminders, digests and report notifications of the current period, as of today (idempotent)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        if DailyPass.objects.filter(day=today).exists():
            self.stdout.write("demo notifications: already there")
            return
        cdcs, phuonglx = User.objects.filter(username="cdcs").first(), User.objects.filter(username="phuonglx").first()
        # Opening the demo's periods (demo_reports, a moment ago) told every officer of each: only the
        # open period's opening is kept, dated some weeks before its due date.
        Notification.objects.filter(kind=Kind.PERIOD_OPENED).delete()
        for period in Period.objects.filter(status=Period.Status.OPEN):
            since = _last_ids()
            tell_the_expected_units(None, period=period, actor=None)
            _dated(period.due_on - datetime.timedelta(days=45), 8, *since)
        if cdcs is not None and cdcs.unit_id:
            self._report_steps(cdcs, phuonglx)
        for period in Period.objects.filter(status=Period.Status.OPEN):
            days = [period.due_on + datetime.timedelta(days=offset) for offset, _step in schedule()]
            days.append(period.due_on + datetime.timedelta(days=self._escalation_days()))
            for day in sorted(d for d in days if d < today):
                since = _last_ids()
                run_daily_pass(day)
                _dated(day, 7, *since)
        since = _last_ids()
        run_daily_pass(today)
        _dated(today, 7, *since)
        # The province's officer has read the older ones.
        Notification.objects.filter(user__username="tinh", created__date__lt=today).update(read=True)
        self.stdout.write(f"demo notifications: {Notification.objects.count()} notifications, "
                          f"{Reminder.objects.exclude(step=ESCALATION).count()} reminders, "
                          f"{Reminder.objects.filter(step=ESCALATION).count()} escalations")

    @staticmethod
    def _escalation_days() -> int:
        from django.conf import settings

        return settings.REMINDER_ESCALATE_AFTER_DAYS

    @staticmethod
    def _report_steps(cdcs, phuonglx) -> None:
        """The demo officer's approved report of last year and returned one of this year, told as
        reporting's steps tell them (notifications.receivers)."""
        reports = Report.objects.filter(unit=cdcs.unit_id).select_related("period", "unit").order_by("-period__year")
        returned = reports.filter(status=Report.Status.RETURNED).first()
        approved = reports.filter(status__in=[Report.Status.APPROVED, Report.Status.LOCKED]).first()
        for report, step, comment, day in (
                (approved, Report.Step.APPROVED, "", approved and approved.period.due_on + datetime.timedelta(days=9)),
                (returned, Report.Step.RETURNED, RETURN_COMMENT, timezone.localdate() - datetime.timedelta(days=2))):
            if report is None:
                continue
            since = _last_ids()
            tell_the_unit(None, report=report, step=step, actor=phuonglx, comment=comment)
            _dated(day, 9, *since)
