"""Writes of the program's follow-up, each in one transaction with its audit entry
(TaskProgress is followed by auditlog: its save() records the entry, inside the transaction,
so that the note and its entry exist together or not at all).

Views check who may do what (accounts.permissions.can_follow_tasks)."""

from __future__ import annotations

import datetime

from django.db import transaction

from programs.models import Task, TaskProgress


def do_record_task_progress(task: Task, status: str, on_date: datetime.date, note: str, by) -> TaskProgress:
    """A dated note on how `task` is going, by `by` for their department; the newest note
    gives the task's status."""
    with transaction.atomic():
        return TaskProgress.objects.create(task=task, status=status, on_date=on_date, note=note,
                                           department=by.department, recorded_by=by)
