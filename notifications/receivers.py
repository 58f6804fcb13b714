"""What reporting's steps tell whom (reporting.signals, heard after the step committed):

* a report returned → the people who enter the unit's data (its reporters and approvers), with
  the approver's comment;
* approved or reopened → every active account of the unit;
* a period opened → the people who enter data in every unit expected to report for it (one
  query for the recipients, one INSERT for their notifications).

The approvers' daily digest and the reminders are the daily pass's (notifications.daily)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role, User
from notifications.delivery import deliver
from notifications.models import Kind
from reporting import signals
from reporting.completeness import expected_reporters
from reporting.models import Report

ENTERING_ROLES = (Role.REPORTER, Role.APPROVER)


def people_of(unit_ids, roles=None):
    users = User.objects.filter(unit__in=unit_ids, is_active=True)
    return users.filter(role__in=roles) if roles else users


def deciders(unit_paths: list[str]):
    """Who decides on the reports of the units directly below these: their approvers, and for the
    province (a root) its administrators too (accounts.permissions.can_approve_for)."""
    return User.objects.filter(Q(role=Role.APPROVER) | Q(role=Role.PROVINCE_ADMIN, unit__depth=1),
                               is_active=True, unit__path__in=unit_paths).select_related("unit")


def report_link(report: Report) -> str:
    return reverse("reporting:entry", args=[report.period_id, report.unit.code])


def _actor_name(actor) -> str:
    return (actor.get_full_name() or actor.username) if actor else _("the system")


STEP_KINDS = {Report.Step.RETURNED: Kind.RETURNED, Report.Step.APPROVED: Kind.APPROVED,
              Report.Step.REOPENED: Kind.REOPENED}


@receiver(signals.report_step)
def tell_the_unit(sender, report: Report, step: str, actor, comment: str, **kwargs) -> None:
    kind = STEP_KINDS.get(step)
    if kind is None:
        return
    subject = {
        Kind.RETURNED: _("Your report for %(period)s was returned for correction"),
        Kind.APPROVED: _("Your report for %(period)s was approved"),
        Kind.REOPENED: _("Your report for %(period)s was reopened for a correction"),
    }[kind] % {"period": report.period}
    text = _("%(unit)s · %(period)s: %(step)s by %(who)s.") % {
        "unit": report.unit.name, "period": report.period, "step": str(Report.Step(step).label).lower(),
        "who": _actor_name(actor)}
    if comment:
        text += "\n" + _("Comment: %(comment)s") % {"comment": comment}
    if kind == Kind.RETURNED:
        text += "\n" + _("Correct the report and submit it again.")
    recipients = people_of([report.unit_id], ENTERING_ROLES if kind == Kind.RETURNED else None)
    with transaction.atomic():
        deliver(recipients.exclude(pk=getattr(actor, "pk", None)), kind, subject, text, report_link(report),
                unit=report.unit, report=report)


@receiver(signals.period_opened)
def tell_the_expected_units(sender, period, actor, **kwargs) -> None:
    subject = _("Reporting period %(period)s is open") % {"period": period}
    text = _("The reporting period %(period)s is open. Reports are due on %(due)s.") % {
        "period": period, "due": date_format(period.due_on, "SHORT_DATE_FORMAT")}
    recipients = people_of(expected_reporters(period).values("pk"), ENTERING_ROLES)
    with transaction.atomic():
        deliver(recipients.exclude(pk=getattr(actor, "pk", None)), Kind.PERIOD_OPENED, subject, text,
                reverse("reporting:home"))
