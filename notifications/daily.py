"""The daily pass: the reminders due today and the approvers' digest, once a day.

django-tasks has no timetable, so the pass is a job that, once run, puts itself on the queue
again for DAILY_PASS_HOUR (7:00) of the next day (`run_after`); `manage.py send_reminders
--schedule` (run by `make run` before the worker starts) puts the first one there if none is
waiting. A day's pass runs once: its DailyPass row is written in the pass's own transaction, so
a pass run again that day (a retry, cron's `manage.py send_reminders`, a second chain) finds
it and does nothing, and a pass that failed leaves nothing behind and is run again by the
queue's retries. A server without the worker can run `manage.py send_reminders` from cron."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from jobs.queue import job
from notifications.digest import send_digests
from notifications.models import DailyPass
from notifications.reminders import send_due_reminders


def run_daily_pass(day: datetime.date) -> DailyPass | None:
    """The day's reminders and digests; None if that day's pass had already run."""
    try:
        with transaction.atomic():
            done = DailyPass.objects.create(day=day)
            sent = send_due_reminders(day)
            done.reminders, done.digests = sent.notifications, send_digests()
            done.save(update_fields=["reminders", "digests"])
    except IntegrityError:
        if DailyPass.objects.filter(day=day).exists():
            return None
        raise
    return done


def next_run(day: datetime.date) -> datetime.datetime:
    """DAILY_PASS_HOUR of the day after `day`, local time."""
    at = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(settings.DAILY_PASS_HOUR))
    return timezone.make_aware(at)


def schedule(day: datetime.date | None = None) -> bool:
    """Put the pass of the day after `day` (today) on the queue unless one is waiting already."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=daily_pass.module_path, status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    day = day or timezone.localdate()
    daily_pass.using(run_after=next_run(day)).enqueue((day + datetime.timedelta(days=1)).isoformat())
    return True


@job()
def daily_pass(day: str) -> dict:
    """Put the next day's pass on the queue (first: a pass that fails for good does not end the
    chain), then run this day's if it has not run yet."""
    the_day = datetime.date.fromisoformat(day)
    schedule(max(the_day, timezone.localdate()))
    done = run_daily_pass(the_day)
    return {"day": day, "ran": done is not None, "reminders": done.reminders if done else 0,
            "digests": done.digests if done else 0}
