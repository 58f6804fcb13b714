"""The approvers' daily digest: one notification (and mail) per approver listing the reports
of the units directly below theirs that wait for a decision, oldest first — not one per report.
The unit above is today's parent, as for approving (accounts.permissions.can_approve_for); for
the units directly below the province, its administrators."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.delivery import deliver_rows
from notifications.models import Kind, Notification
from notifications.receivers import deciders
from reporting.models import Report
from units.models import Unit

LISTED = 30  # reports named in one digest; the rest are counted


def send_digests() -> int:
    """Returns how many approvers were sent a digest."""
    waiting = (Report.objects.filter(status=Report.Status.SUBMITTED)
               .annotate(upper_path=Unit.parent_path_expression("unit__path", "unit__depth"))
               .select_related("unit", "period").order_by("submitted_at", "pk"))
    below: dict[str, list[Report]] = defaultdict(list)
    for report in waiting:
        below[report.upper_path].append(report)
    if not below:
        return 0
    rows = []
    for approver in deciders(list(below)):
        reports = below[approver.unit.path]
        lines = [f"- {r.unit.name} · {r.period} · "
                 + _("submitted %(when)s") % {"when": date_format(localtime(r.submitted_at), "SHORT_DATE_FORMAT")
                                             if r.submitted_at else "?"} for r in reports[:LISTED]]
        if len(reports) > LISTED:
            lines.append(_("… and %(count)d more") % {"count": len(reports) - LISTED})
        subject = ngettext("%(count)d report waits for your approval", "%(count)d reports wait for your approval",
                           len(reports)) % {"count": len(reports)}
        text = _("Reports of the units below %(unit)s waiting for your decision, oldest first:") % {
            "unit": approver.unit.name} + "\n" + "\n".join(lines)
        rows.append(Notification(user=approver, kind=Kind.DIGEST, subject=subject, text=text, unit=approver.unit,
                                 link=reverse("reporting:queue")))
    deliver_rows(rows)
    return len(rows)
