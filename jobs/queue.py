"""The project's job queue: work that must not hold a request runs in the job worker, a second
process (`manage.py db_worker`; `make run` starts it beside the server, README "Jobs").

The API is django-tasks, the backport of Django 6's own `django.tasks`; the queue is a table of
the project's own database (django-tasks-db), on SQLite and PostgreSQL alike. So a job enqueued
inside a transaction exists only if that transaction commits, and is in every backup.

A job is a module-level function decorated with `@job()` and enqueued with
`the_function.enqueue(*args)` (arguments that JSON can hold: ids, not objects). What
django-tasks leaves out is added here, once for every job:

- **Retries.** A job that raises is run again, up to `attempts` runs in all (JOB_ATTEMPTS by
  default), each retry waiting JOB_RETRY_DELAY_SECONDS × 4^(retries so far): the same row of
  the queue goes back to "ready" with a later `run_after`, so its worker ids count the attempts.
  A job must therefore be safe to run twice.
- **Failures are visible.** After its last attempt the job stays FAILED with its exception and
  traceback (the Django admin lists them: "Task results", status Failed), and an ERROR line is
  logged: "job … failed after N attempts". A job that must tell its user asks
  `is_last_attempt(context)` (with `takes_context=True`) before re-raising.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskContext, TaskResult, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.signals import task_finished

logger = logging.getLogger("jobs")

_ATTEMPTS: dict[str, int] = {}  # a job's module path -> how many runs it gets


def job(*, attempts: int | None = None, **options) -> Callable[[Callable], Task]:
    """django_tasks.task with the number of runs a failing job gets (JOB_ATTEMPTS if None)."""

    def decorate(function: Callable) -> Task:
        defined = task(**options)(function)
        _ATTEMPTS[defined.module_path] = attempts or settings.JOB_ATTEMPTS
        return defined

    return decorate


def attempts_of(defined: Task) -> int:
    """How many runs a job gets; a task not made by `job` gets one."""
    return _ATTEMPTS.get(defined.module_path, 1)


def is_last_attempt(context: TaskContext) -> bool:
    return context.attempt >= attempts_of(context.task_result.task)


def retry_delay(attempts_made: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_RETRY_DELAY_SECONDS * 4 ** (attempts_made - 1))


@receiver(task_finished)
def retry_or_report(sender, task_result: TaskResult, **kwargs) -> None:
    """After a failed run (in the worker): queue the same job again, or report it for good."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    from django_tasks_db.models import DBTaskResult

    made, allowed = task_result.attempts, attempts_of(task_result.task)
    error = task_result.errors[-1].exception_class_path if task_result.errors else "?"
    if made < allowed:
        delay = retry_delay(made)
        DBTaskResult.objects.filter(pk=task_result.id, status=TaskResultStatus.FAILED).update(
            status=TaskResultStatus.READY, run_after=timezone.now() + delay, finished_at=None)
        logger.warning("job %s (%s) failed on attempt %d of %d (%s); tried again in %d s",
                       task_result.id, task_result.task.name, made, allowed, error, delay.total_seconds())
    else:
        logger.error("job %s (%s) failed after %d attempts (%s); its traceback is in the admin's task results",
                     task_result.id, task_result.task.name, made, error)
