"""Reporting periods (opened and closed by the province) and who has reported in them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_manage_periods, get_visible_unit_or_404, home_unit
from programs.models import Program
from reporting import actions, lists
from reporting.completeness import completeness, missing_units
from reporting.elements import programs_asking
from reporting.forms import PeriodForm
from reporting.models import Period, Report
from tiendo.formatting import short_date
from tiendo.lists import configure, filter_rows


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(initial={"year": timezone.localdate().year})
    status = 200
    if request.method == "POST":
        if not can_manage_periods(request.user):
            raise PermissionDenied
        form = PeriodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            period = actions.do_open_period(data["kind"], data["year"], data["half"], data["due_on"],
                                            request.user)
            messages.success(request, _("Period %(period)s is open for reports until %(due)s.") % {
                "period": period.label, "due": short_date(period.due_on)})
            return redirect("reporting:periods")
        status = 400
    periods = list(Period.objects.order_by("-year", "-half").annotate(
        pending=Count("reports", filter=Q(reports__status=Report.Status.SUBMITTED))))
    for period in periods:
        period.asking = programs_asking(period)
    root = home_unit(request.user)
    return render(request, "reporting/periods.html", {
        "periods": periods, "form": form, "can_manage": can_manage_periods(request.user),
        "root": root, "programs": Program.objects.asking().select_related("issuer_unit"),
    }, status=status)


@login_required
@require_POST
def period_close(request: HttpRequest, period_id: int) -> HttpResponse:
    if not can_manage_periods(request.user):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=period_id)
    if "reopen" in request.POST:
        actions.do_open_period(period.kind, period.year, period.half, period.due_on, request.user)
        messages.success(request, _("Period %(period)s is open again.") % {"period": period.label})
    else:
        try:
            locked = actions.do_close_period(period, request.user)
        except actions.PendingReports as pending:
            messages.error(request, _("Period %(period)s was not closed: %(n)s submitted reports are still waiting "
                                      "for a decision. Approve or return them first, so that the closed period's "
                                      "figures no longer change.") % {"period": period.label, "n": pending.count})
        else:
            messages.success(request, _("Period %(period)s is closed; %(n)s approved reports are now locked.") % {
                "period": period.label, "n": locked})
    return redirect("reporting:periods")


@login_required
@require_POST
def program_close(request: HttpRequest, program_code: str) -> HttpResponse:
    """End a program's term from the page, as `manage.py close_program` does from the shell."""
    if not can_manage_periods(request.user):
        raise PermissionDenied
    program = get_object_or_404(Program, code=program_code)
    try:
        closed = actions.do_close_program(program, request.user)
    except actions.PendingReports as pending:
        messages.error(request, _("%(program)s was not closed: %(n)s submitted reports of its periods are still "
                                  "waiting for a decision. Approve or return them first.") % {
            "program": program.title, "n": pending.count})
    except actions.ProgramNotOpen:
        messages.error(request, _("%(program)s is not in force, so it cannot be closed.") % {
            "program": program.title})
    else:
        messages.success(request, _("%(program)s is closed: %(periods)s periods closed, %(reports)s approved reports "
                                    "locked. Its figures no longer change.") % {
            "program": program.title, **closed})
    return redirect("reporting:periods")


@login_required
def period_completeness(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    """For a period and a subtree: expected, submitted, on time, late, missing — in total
    and per child unit — and the units that have not reported, with their contacts."""
    period = get_object_or_404(Period.objects, pk=period_id)
    root = get_visible_unit_or_404(request.user, unit_code)
    result = completeness(period, root)
    child_filter = lists.ChildFilter(request.GET, user=request.user, root=root, prefix=lists.ChildTable.list_name)
    children = lists.ChildTable(filter_rows(child_filter, lists.child_rows(period, result.by_child),
                                            unit_of=lambda row: row["unit"], status_of=lambda row: row["state"]),
                                period=period)
    missing_filter = lists.MissingFilter(request.GET, lists.with_parent_and_status(missing_units(period, root), period),
                                         user=request.user, root=root, prefix=lists.MissingTable.list_name)
    missing = lists.MissingTable(missing_filter.rows, period=period)
    for table in (children, missing):
        if download := configure(request, table):
            return download
    return render(request, "reporting/completeness.html", {
        "period": period, "root": root, "total": result.total, "children": children, "child_filter": child_filter,
        "missing": missing, "missing_filter": missing_filter,
    })
