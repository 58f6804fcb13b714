"""A calendar day as moments: where it starts in the current time zone (Asia/Ho_Chi_Minh), so
that "on or before that day" is a plain comparison of timestamps (`< day_start(day + 1)`), with
no date cast of every row (on SQLite, a Python function call per row)."""

from __future__ import annotations

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
