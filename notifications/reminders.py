"""Reminders driven by deadlines and completeness.

A unit is reminded only while it has not submitted the period's report (no report, a draft, or
a report returned and not sent again: reporting.completeness.missing_units) and the period is
open. The schedule is read from the settings, in days from the due date:
REMINDER_DAYS_BEFORE (7,1: "before-7", "before-1") and REMINDER_DAYS_AFTER (1,7: "after-1",
"after-7"). On a given day the step due is the latest one whose day has come; a step missed
(the worker was down that day, or the report was returned after it) is sent the next time the
pass runs, until the following step's day. REMINDER_ESCALATE_AFTER_DAYS (14) after the due
date, the approvers of each missing unit's parent (today's tree: the unit above decides on its
reports, accounts.permissions.can_approve_for) get one notification listing their missing
units ("escalation").

Every reminder is one Reminder row per unit, period and step, unique in the database: a step is
never sent twice to a unit, whoever runs the pass and however often. A reminder sent by hand
from the province's page is the step "manual-<day>": once a day per unit at most.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.delivery import deliver_rows
from notifications.models import Kind, Notification, Reminder
from notifications.receivers import ENTERING_ROLES, deciders, people_of
from reporting.completeness import missing_units
from reporting.models import Period
from units.models import Unit, UnitQuerySet

ESCALATION = "escalation"


def schedule() -> list[tuple[int, str]]:
    """(days from the due date, step), in the order they come."""
    steps = [(-days, f"before-{days}") for days in settings.REMINDER_DAYS_BEFORE]
    steps += [(days, f"after-{days}") for days in settings.REMINDER_DAYS_AFTER]
    return sorted(steps)


def step_due(period: Period, day: datetime.date) -> str | None:
    """The reminder step due on `day` for the period (None before the first one)."""
    offset = (day - period.due_on).days
    reached = [step for days, step in schedule() if days <= offset]
    return reached[-1] if reached else None


def escalation_due(period: Period, day: datetime.date) -> bool:
    return (day - period.due_on).days >= settings.REMINDER_ESCALATE_AFTER_DAYS


def missing_everywhere(period: Period) -> UnitQuerySet:
    """The period's missing units in every province tree (the database may hold two roots)."""
    where = Q(pk__in=[])
    for root in Unit.objects.filter(depth=1):
        where |= Q(pk__in=missing_units(period, root).order_by().values("pk"))
    return Unit.objects.filter(where)


def not_yet_reminded(units: UnitQuerySet, period: Period, step: str) -> list[Unit]:
    done = Reminder.objects.filter(unit=OuterRef("pk"), period=period, step=step)
    return list(units.exclude(Exists(done)).order_by("path"))


@dataclass
class Sent:
    units: int = 0
    notifications: int = 0


def _when(period: Period, day: datetime.date) -> str:
    days = (period.due_on - day).days
    due = date_format(period.due_on, "SHORT_DATE_FORMAT")
    if days > 0:
        return ngettext("due on %(due)s, in %(days)d day", "due on %(due)s, in %(days)d days", days) % {
            "due": due, "days": days}
    if days == 0:
        return _("due today, %(due)s") % {"due": due}
    return ngettext("due on %(due)s, %(days)d day ago: overdue", "due on %(due)s, %(days)d days ago: overdue",
                    -days) % {"due": due, "days": -days}


def remind_units(period: Period, units: list[Unit], step: str, day: datetime.date, by=None) -> Sent:
    """Remind the people who enter each unit's data, and record one Reminder per unit (units
    already reminded at this step are left out by the caller; the constraint catches a race)."""
    if not units:
        return Sent()
    by_unit = {unit.pk: unit for unit in units}
    recipients = list(people_of(list(by_unit), ENTERING_ROLES))
    subject = _("Reminder: your report for %(period)s is not submitted yet") % {"period": period}
    rows, counts = [], defaultdict(int)
    for user in recipients:
        unit = by_unit[user.unit_id]
        counts[unit.pk] += 1
        text = _("%(unit)s has not submitted its report for %(period)s (%(when)s). Enter the report and "
                 "submit it; a report returned for correction must be corrected and submitted again.") % {
            "unit": unit.name, "period": period, "when": _when(period, day)}
        rows.append(Notification(user=user, kind=Kind.REMINDER, subject=subject, text=text, unit=unit,
                                 link=reverse("reporting:entry", args=[period.pk, unit.code])))
    with transaction.atomic():
        Reminder.objects.bulk_create([Reminder(unit=unit, period=period, step=step, sent_by=by,
                                               recipients=counts[unit.pk]) for unit in units], ignore_conflicts=True)
        deliver_rows(rows)
    return Sent(len(units), len(rows))


def escalate(period: Period, units: list[Unit], day: datetime.date) -> Sent:
    """Tell the approvers of each unit's parent which of their units are still missing: one
    notification per approver, one Reminder (step "escalation") per unit."""
    if not units:
        return Sent()
    below: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        below[unit.path[: (unit.depth - 1) * Unit.steplen]].append(unit)
    approvers = deciders(list(below))
    subject = _("Units below yours have not reported for %(period)s") % {"period": period}
    rows = []
    for approver in approvers:
        theirs = below[approver.unit.path]
        lines = "\n".join(f"- {unit.name} ({unit.code})" for unit in theirs)
        text = ngettext(
            "%(count)d unit below yours has not submitted its report for %(period)s (%(when)s), after "
            "the reminders it was sent:\n%(lines)s",
            "%(count)d units below yours have not submitted their reports for %(period)s (%(when)s), after "
            "the reminders they were sent:\n%(lines)s", len(theirs)) % {
            "count": len(theirs), "period": period, "when": _when(period, day), "lines": lines}
        rows.append(Notification(user=approver, kind=Kind.ESCALATION, subject=subject, text=text,
                                 unit=approver.unit,
                                 link=reverse("reporting:completeness", args=[period.pk, approver.unit.code])))
    counts = defaultdict(int)
    for row in rows:
        for unit in below[row.unit.path]:
            counts[unit.pk] += 1
    with transaction.atomic():
        Reminder.objects.bulk_create([Reminder(unit=unit, period=period, step=ESCALATION,
                                               recipients=counts[unit.pk]) for unit in units], ignore_conflicts=True)
        deliver_rows(rows)
    return Sent(len(units), len(rows))


def send_due_reminders(day: datetime.date) -> Sent:
    """The reminders due on `day` in every open period (the daily pass)."""
    total = Sent()
    for period in Period.objects.filter(status=Period.Status.OPEN):
        missing = missing_everywhere(period)
        step = step_due(period, day)
        if step:
            sent = remind_units(period, not_yet_reminded(missing, period, step), step, day)
            total.units, total.notifications = total.units + sent.units, total.notifications + sent.notifications
        if escalation_due(period, day):
            sent = escalate(period, not_yet_reminded(missing, period, ESCALATION), day)
            total.notifications += sent.notifications
    return total


def remind_now(period: Period, codes: list[str], by, day: datetime.date) -> Sent:
    """The province's "remind now": the chosen units that are still missing and were not
    reminded by hand today."""
    chosen = missing_everywhere(period).filter(code__in=codes)
    step = f"manual-{day.isoformat()}"
    return remind_units(period, not_yet_reminded(chosen, period, step), step, day, by=by)
