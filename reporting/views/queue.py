"""The approver's queue: the reports waiting for the user's decision, and approving from the list
the ones with nothing flagged. Each approval goes through the report page's own action
(actions.do_approve: its version check and its one audit entry) and rules (can_approve_report:
the second person)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.permissions import (
    can_approve_for,
    can_approve_report,
    can_decide_reports,
    can_view_unit,
    home_unit,
)
from reporting import actions
from reporting.models import Report
from reporting.queue import details_of, waiting_reports
from reporting.queue_lists import QUEUE_PARAM, QueueFilter, QueueTable, entry_url, queue_query
from tiendo.lists import XLSX_PARAM, configure

# At most this many reports are approved by one request (a page of the list).
BULK_LIMIT = 100


def _filtered(user, data) -> QueueFilter:
    return QueueFilter(data or None, waiting_reports(user), user=user, root=home_unit(user),
                       prefix=None)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not can_decide_reports(request.user):
        raise PermissionDenied
    queue_filter = _filtered(request.user, request.GET)
    rows = queue_filter.rows
    table = QueueTable(rows, queue=queue_query(request.GET))
    downloading = request.GET.get(XLSX_PARAM) == table.list_name
    if downloading:
        table.details = details_of(list(rows))
    if download := configure(request, table):
        return download
    page = [row.record for row in table.page.object_list]
    table.details = details_of(page)
    return render(request, "reporting/queue.html", {
        "table": table, "filter": queue_filter, "query": queue_query(request.GET),
        "approvable": sum(1 for r in page if not r.entered_by_user
                          and not table.details[r.pk].flagged),
    })


def _selected(request: HttpRequest) -> list[tuple[int, int]]:
    """The (report id, version) pairs ticked on the list; malformed ones are left out."""
    chosen = []
    for value in request.POST.getlist("report")[:BULK_LIMIT]:
        report_id, _sep, version = value.partition(":")
        if report_id.isdigit() and version.isdigit():
            chosen.append((int(report_id), int(version)))
    return chosen


@login_required
@require_POST
def approve_selected(request: HttpRequest) -> HttpResponse:
    """Approve the ticked reports, one by one, each as the report page would: a report that is no
    longer waiting for this user, was entered by them, changed since the list was read, or has
    anything flagged is left as it is and named in the answer."""
    if not can_decide_reports(request.user):
        raise PermissionDenied
    chosen = _selected(request)
    # As on a report's page: a report outside the user's subtree (or none) is 404, one whose unit
    # is not theirs to decide on 403, and nothing is approved.
    asked = Report.objects.filter(pk__in=[pk for pk, _v in chosen]).select_related("unit")
    if len(asked) < len({pk for pk, _v in chosen}) or not all(can_view_unit(request.user, r.unit) for r in asked):
        raise Http404
    if not all(can_approve_for(request.user, r.unit) for r in asked):
        raise PermissionDenied
    waiting = {r.pk: r for r in waiting_reports(request.user).filter(pk__in=[pk for pk, _v in chosen])}
    details = details_of(list(waiting.values()))
    approved, refused = 0, []
    for report_id, version in chosen:
        report = waiting.get(report_id)
        if report is None:
            refused.append(_("a report no longer waiting for your decision"))
            continue
        name = report.unit.name
        if not can_approve_report(request.user, report):
            refused.append(_("%(unit)s (you entered it: someone else must approve it)") % {"unit": name})
        elif details[report.pk].flagged:
            refused.append(_("%(unit)s (something is flagged: open the report)") % {"unit": name})
        else:
            try:
                actions.do_approve(report, request.user, version)
                approved += 1
            except (actions.StaleReport, actions.InvalidTransition):
                refused.append(_("%(unit)s (changed since you read the list)") % {"unit": name})
    if approved:
        messages.success(request, ngettext("%(n)s report approved.", "%(n)s reports approved.", approved)
                         % {"n": approved})
    if refused:
        messages.error(request, _("Not approved: %(list)s.") % {"list": "; ".join(refused)})
    if not chosen:
        messages.error(request, _("Tick the reports to approve first."))
    query = queue_query(QueryDict(request.POST.get(QUEUE_PARAM, "")))
    return redirect(reverse("reporting:queue") + (f"?{query}" if query else ""))


@dataclass
class QueuePlace:
    """Where a report stands in the user's queue (its filter kept): for the report page's links."""

    query: str
    position: int | None  # 1-based; None when the report no longer waits (just decided)
    total: int
    previous_url: str | None
    next_url: str | None

    @property
    def list_url(self) -> str:
        return reverse("reporting:queue") + (f"?{self.query}" if self.query else "")


def queue_place(request: HttpRequest, report: Report) -> QueuePlace | None:
    """The report's neighbours in the queue the user came from (?queue=…), or None if they did
    not come from it. Reads the queue's ids only (one query)."""
    if QUEUE_PARAM not in request.GET or not can_decide_reports(request.user):
        return None
    query = queue_query(QueryDict(request.GET[QUEUE_PARAM]))
    queue_filter = _filtered(request.user, QueryDict(query))
    ordered = list(queue_filter.rows.select_related(None).select_related("unit").only(
        "pk", "period_id", "unit__code", "submitted_at"))
    ids = [r.pk for r in ordered]
    if report.pk in ids:
        index = ids.index(report.pk)
        before, after = ordered[:index], ordered[index + 1:]
        position = index + 1
    else:
        # Decided a moment ago: the next one is the oldest still waiting.
        before, after, position = [], ordered, None
    return QueuePlace(query, position, len(ordered),
                      entry_url(before[-1], query) if before else None,
                      entry_url(after[0], query) if after else None)
