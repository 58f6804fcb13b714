"""What a user should do first, shown at the top of the landing page: their union's reports
returned for correction, overdue or due soon (each with a link to the form), and for an
approver the reports waiting for their decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import can_decide_reports, can_edit_unit_data
from reporting.elements import elements_for
from reporting.history import history
from reporting.models import Period, Report
from reporting.queue import approvable_count

# A report not yet sent is "due soon" this many days before its due date.
DUE_SOON_DAYS = 14

RETURNED, OVERDUE, DUE_SOON, QUEUE = "returned", "overdue", "due_soon", "queue"
ORDER = (RETURNED, OVERDUE, DUE_SOON, QUEUE)


@dataclass(frozen=True)
class ToDo:
    kind: str
    url: str
    period: Period | None = None
    days: int = 0         # overdue by, or left before the due date
    comment: str = ""     # why it was returned
    count: int = 0        # reports waiting for the approver

    @property
    def is_returned(self) -> bool:
        return self.kind == RETURNED

    @property
    def is_overdue(self) -> bool:
        return self.kind == OVERDUE

    @property
    def is_due_soon(self) -> bool:
        return self.kind == DUE_SOON

    @property
    def is_queue(self) -> bool:
        return self.kind == QUEUE


def _returned_comment(report: Report) -> str:
    latest = history(report, {}, limit=1)
    return latest[0].comment if latest and latest[0].step == Report.Step.RETURNED else ""


def report_item(period: Period, report: Report | None, url: str, today: datetime.date) -> ToDo | None:
    """The to-do item of one unit's report in one period, or None when nothing needs doing."""
    if report is not None and report.status == Report.Status.RETURNED and report.period_allows_change:
        return ToDo(RETURNED, url, period, comment=_returned_comment(report))
    if (report is not None and not report.is_editable) or not period.is_open:
        return None
    days_left = (period.due_on - today).days
    if days_left < 0:
        return ToDo(OVERDUE, url, period, days=-days_left)
    if days_left <= DUE_SOON_DAYS:
        return ToDo(DUE_SOON, url, period, days=days_left)
    return None


def to_do(user) -> list[ToDo]:
    """The user's to-do items, returned first, then overdue, due soon, and the queue."""
    if not user.is_authenticated:
        return []
    items: list[ToDo] = []
    unit = user.unit
    if unit is not None and can_edit_unit_data(user, unit):
        today = timezone.localdate()
        reports = {r.period_id: r for r in Report.objects.filter(unit=unit).filter(
            Q(period__status=Period.Status.OPEN) | Q(late_allowed=True))}
        periods = Period.objects.filter(Q(status=Period.Status.OPEN) | Q(pk__in=list(reports))).order_by("due_on")
        for period in periods:
            if not elements_for(period, unit):
                continue
            url = reverse("reporting:entry", args=[period.pk, unit.code])
            if item := report_item(period, reports.get(period.pk), url, today):
                items.append(item)
    if can_decide_reports(user) and (waiting := approvable_count(user)):
        items.append(ToDo(QUEUE, reverse("reporting:queue"), count=waiting))
    return sorted(items, key=lambda item: ORDER.index(item.kind))
