"""The reporting pages a unit uses: its reports, the data-entry form, and the decisions of
the unit above (approve, return) and of the province (reopen)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import (
    can_approve_report,
    can_decide_reports,
    can_edit_unit_data,
    can_manage_periods,
    can_return_report,
    can_view_unit,
    get_visible_unit_or_404,
    is_on_behalf,
    is_read_only,
)
from reporting import actions, extensions
from reporting.elements import elements_for
from reporting.forms import COMMENT_SUFFIX, DecisionForm, ReportForm, initial_for
from reporting.history import history
from reporting.models import Period, Report, ReportDraft
from reporting.queue import approvable_count
from reporting.queue_lists import QUEUE_PARAM
from reporting.views.queue import queue_place
from tiendo.formatting import moment
from units.models import Unit

STEPS_SHOWN = 30


def _stale_message(error: actions.StaleReport) -> str:
    return actions.stale_message(error.report, _("reload the page to see their version, then enter your changes "
                                                 "again."))


def _not_editable_message(report: Report) -> str:
    """Why a save or a submit did nothing: most often the same report sent twice (a double tap
    on "Submit", or two officers of one union), the first of which has already gone through."""
    report.refresh_from_db()
    if report.is_sent and report.submitted_at:
        return _("This report was already submitted (at %(when)s): nothing more was saved. "
                 "It is shown below as it was sent.") % {
            "when": moment(report.submitted_at)}
    return _("This report is no longer open for editing.")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a user starts: the open periods, their unit's report in each, and for an
    upper-level union the reports waiting for its decision."""
    unit = request.user.unit
    # Each role is offered only what it can act on (a viewer neither types, uploads nor decides),
    # and told in one line what it can read.
    can_enter = bool(unit) and can_edit_unit_data(request.user, unit)
    can_decide = can_decide_reports(request.user)
    periods = list(Period.objects.order_by("-status", "-year", "-half")[:10])
    rows = []
    for period in periods:
        report = Report.objects.filter(period=period, unit=unit).first() if unit else None
        reports_here = bool(unit) and bool(elements_for(period, unit))
        waiting = 0
        if unit and not unit.is_grassroots and can_decide:
            waiting = Report.objects.filter(
                **Unit.objects.subtree_lookup(unit, "unit__path"),
                period=period, status=Report.Status.SUBMITTED, unit__depth=unit.depth + 1,
            ).count()
        overdue = can_enter and reports_here and period.is_open and period.due_on < timezone.localdate() and (
            report is None or report.is_editable)
        rows.append({"period": period, "report": report, "reports_here": reports_here, "waiting": waiting,
                     "overdue": overdue, "fill_in": can_enter and (report is None or report.is_editable)})
    return render(request, "reporting/home.html", {
        "rows": rows, "unit": unit, "can_manage": can_manage_periods(request.user),
        "can_enter": can_enter, "can_decide": can_decide, "read_only": is_read_only(request.user),
        "queue_count": approvable_count(request.user) if can_decide else None,
    })


def _decision_form(report: Report, data=None) -> DecisionForm:
    """The approve / return form; its comment is required in the browser (the Approve button
    skips that check: an approval needs no comment), and by decide() for a return."""
    form = DecisionForm(data, initial={"version": report.version})
    form.fields["comment"].widget.attrs["required"] = True
    return form


def _entry_context(request, report: Report, form: ReportForm, findings, decision_form=None) -> dict:
    elements = form.elements
    previous = actions.previous_values(report)
    by_element: dict[str, list] = {}
    for finding in findings:
        by_element.setdefault(finding.element, []).append(finding)
    fields = [
        {
            "element": element,
            "field": form[element.code],
            "comment": form[element.code + COMMENT_SUFFIX],
            "previous": previous.get(element.code),
            "findings": by_element.get(element.code, []),
            "needs_comment": any(not f.is_error for f in by_element.get(element.code, []))
            or bool(form[element.code + COMMENT_SUFFIX].value()),
        }
        # The elements every asking program shares first, then each program's own under its
        # name (`group`), so the form shows a program's heading once, only where it helps. A
        # stable sort: elements_for lists the oldest program's first, so each group stays whole
        # and the programs keep their order.
        for element in sorted(elements, key=lambda element: element.group != "")
    ]
    return {
        "report": report,
        "period": report.period,
        "unit": report.unit,
        "form": form,
        "fields": fields,
        "previous_period": report.period.previous(),
        "can_edit": report.is_editable and can_edit_unit_data(request.user, report.unit),
        "on_behalf": is_on_behalf(request.user, report.unit_id),
        "can_decide": report.status == Report.Status.SUBMITTED and report.period_allows_change
        and can_return_report(request.user, report),
        "can_approve": can_approve_report(request.user, report),
        "can_reopen": report.is_sent and can_manage_periods(request.user),
        "decision_form": decision_form or _decision_form(report),
        "reopen_form": DecisionForm(initial={"version": report.version}),
        "queue": queue_place(request, report),
        "steps": history(report, {e.code: e.label for e in elements}, limit=STEPS_SHOWN),
        **extensions.page_context(report, elements),  # the registries' figures beside the fields
        # Who decides on this report, with their phone: the officer's first question on the form.
        "approver": None if report.unit.is_root() else Unit.objects.get_parent(report.unit),
    }


def _form_for(report: Report, data=None) -> ReportForm:
    elements = elements_for(report.period, report.unit)
    values, comments = actions.values_of(report), actions.comments_of(report)
    values = {**values, **extensions.prefilled(report, elements, values)}  # the registries' figures not entered yet
    initial = {"version": report.version}
    for element in elements:
        initial[element.code] = initial_for(element, values.get(element.code))
        initial[element.code + COMMENT_SUFFIX] = comments.get(element.code, "")
    return ReportForm(elements, data=data, initial=initial)


@login_required
def report_entry(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    """See and fill in one unit's report for one period."""
    period = get_object_or_404(Period.objects, pk=period_id)
    unit = get_visible_unit_or_404(request.user, unit_code)
    if not elements_for(period, unit):
        return render(request, "reporting/nothing_to_report.html", {"period": period, "unit": unit}, status=404)
    report = Report.objects.filter(period=period, unit=unit).first()
    if report is None:
        # Shown empty; created by the first save that is valid, so a refused form leaves no row.
        report = Report(period=period, unit=unit)
    if request.method == "POST":
        return _save_report(request, report)
    form = _form_for(report)
    draft = _draft_for(request, report, form)
    findings = actions.findings_for(report, for_submission=False) if report.pk else []
    context = _entry_context(request, report, form, findings)
    context["draft"] = draft
    return render(request, "reporting/entry.html", context)


MAX_DRAFT_FIELD = 5000  # characters of one autosaved field (a comment's limit, with room)


def _draft_for(request: HttpRequest, report: Report, form: ReportForm) -> ReportDraft | None:
    """The officer's autosaved draft of this report, laid over the form's values when it was
    typed over the report as it still is; a draft over an older version is dropped."""
    if not (report.is_editable and can_edit_unit_data(request.user, report.unit)):
        return None
    draft = ReportDraft.objects.filter(period=report.period, unit=report.unit, user=request.user).first()
    if draft is None:
        return None
    if draft.base_version != report.version:
        draft.delete()
        return None
    names = set(form.fields) - {"version"}
    form.initial.update({name: value for name, value in draft.data.items() if name in names})
    return draft


@login_required
@require_POST
def autosave(request: HttpRequest, period_id: int, unit_code: str) -> JsonResponse:
    """Keep what the officer has typed so far (reporting.models.ReportDraft), sent by the form's
    script a moment after each change. Answers the time it was kept, or why not."""
    period = get_object_or_404(Period.objects, pk=period_id)
    unit = get_visible_unit_or_404(request.user, unit_code)
    if not can_edit_unit_data(request.user, unit):
        raise PermissionDenied
    if not elements_for(period, unit):
        raise Http404
    report = Report.objects.filter(period=period, unit=unit).first() or Report(period=period, unit=unit)
    if not report.is_editable:
        return JsonResponse({"error": _not_editable_message(report) if report.pk else ""}, status=409)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"error": "version"}, status=400)
    if version != report.version:
        return JsonResponse({"error": _("Someone else changed this report: reload the page.")}, status=409)
    names = set(_form_for(report).fields) - {"version"}
    data = {name: request.POST.get(name, "")[:MAX_DRAFT_FIELD] for name in names if name in request.POST}
    draft, _created = ReportDraft.objects.update_or_create(
        period=period, unit=unit, user=request.user, defaults={"base_version": version, "data": data})
    return JsonResponse({"saved_at": timezone.localtime(draft.saved_at).strftime("%H:%M")})


def _save_report(request: HttpRequest, report: Report) -> HttpResponse:
    if not can_edit_unit_data(request.user, report.unit):
        raise PermissionDenied
    form = _form_for(report, data=request.POST)
    submitting = "submit" in request.POST
    if not report.is_editable:
        messages.error(request, _not_editable_message(report))
        return redirect("reporting:entry", report.period_id, report.unit.code)
    if not form.is_valid():
        messages.error(request, _("Some values are not valid; nothing was saved. See the fields marked below."))
        return render(request, "reporting/entry.html", _entry_context(request, report, form, []), status=400)
    if report.pk is None:
        report = actions.get_or_create_report(report.period, report.unit)
    try:
        changes = actions.do_save_values(report, form.values(), form.comments(), request.user,
                                         form.cleaned_data["version"])
        report.refresh_from_db()
        if submitting:
            actions.do_submit(report, request.user, report.version)
            messages.success(request, _("The report was submitted to %(parent)s.") % {
                "parent": Unit.objects.get_parent(report.unit).name if report.unit.depth > 1 else _("the province")})
        else:
            messages.success(request, _("Draft saved.") if changes else _("Nothing changed."))
        ReportDraft.objects.filter(period=report.period, unit=report.unit, user=request.user).delete()
    except actions.StaleReport as error:
        messages.error(request, _stale_message(error))
        return render(request, "reporting/entry.html", _entry_context(request, report, form, []), status=409)
    except actions.InvalidTransition:
        # Sent (or reopened, approved …) by another request between the check above and the write.
        messages.error(request, _not_editable_message(report))
        return redirect("reporting:entry", report.period_id, report.unit.code)
    except actions.SubmissionBlocked as error:
        messages.error(request, _("Your values were saved as a draft, but the report cannot be submitted yet: "
                                  "correct the errors and explain the warnings marked below."))
        report.refresh_from_db()
        form = _form_for(report)
        return render(request, "reporting/entry.html", _entry_context(request, report, form, error.findings),
                      status=400)
    return redirect("reporting:entry", report.period_id, report.unit.code)


def _decided_report(request, report_id: int) -> tuple[Report, DecisionForm]:
    report = get_object_or_404(Report.objects.select_related("unit", "period"), pk=report_id)
    if not can_view_unit(request.user, report.unit):
        raise Http404  # like any unit outside the user's subtree
    return report, DecisionForm(request.POST)


def _refused(request: HttpRequest, report: Report, form: DecisionForm) -> HttpResponse:
    """Nothing was done: say why (a comment too long, a form out of date) on the report's page."""
    for name, errors in form.errors.items():
        field = form[name]
        for error in errors:
            messages.error(request, error if field.is_hidden else f"{field.label}: {error}")
    return redirect("reporting:entry", report.period_id, report.unit.code)


def _after_decision(request: HttpRequest, report: Report) -> HttpResponse:
    """Back to the report's page; for an approver working through the queue (its filter kept in
    the form), on to the next report waiting, or to the queue when none is left."""
    queue = request.POST.get(QUEUE_PARAM)
    if queue is None:
        return redirect("reporting:entry", report.period_id, report.unit.code)
    request.GET = request.GET.copy()
    request.GET[QUEUE_PARAM] = queue
    place = queue_place(request, report)
    if place is not None and place.position is None:  # decided: the report left the queue
        return redirect(place.next_url or place.list_url)
    url = reverse("reporting:entry", args=[report.period_id, report.unit.code])
    return redirect(f"{url}?{urlencode({QUEUE_PARAM: queue})}")


@login_required
@require_POST
def decide(request: HttpRequest, report_id: int, decision: str) -> HttpResponse:
    """The unit above approves a submitted report, or returns it with a comment."""
    report, form = _decided_report(request, report_id)
    allowed = can_approve_report if decision == "approve" else can_return_report
    if not allowed(request.user, report):
        raise PermissionDenied
    form = _decision_form(report, request.POST)
    if decision == "return" and form.is_valid() and not form.cleaned_data["comment"].strip():
        form.add_error("comment", _("Say what the unit should correct: a report is returned with a comment."))
    if not form.is_valid():
        if "comment" in form.errors and decision == "return":
            # Shown beside the field, the page anchored at the form (#decision in its action).
            findings = actions.findings_for(report, for_submission=False)
            return render(request, "reporting/entry.html",
                          _entry_context(request, report, _form_for(report), findings, decision_form=form),
                          status=400)
        return _refused(request, report, form)
    comment, version = form.cleaned_data["comment"], form.cleaned_data["version"]
    try:
        if decision == "approve":
            actions.do_approve(report, request.user, version, comment)
            messages.success(request, _("Report approved."))
        else:
            actions.do_return(report, request.user, version, comment)
            messages.success(request, _("Report returned to the unit for correction."))
    except actions.StaleReport as error:
        messages.error(request, _stale_message(error))
    except actions.InvalidTransition:
        messages.error(request, _("This report cannot be %(decision)s now: it is %(status)s.") % {
            "decision": _("approved") if decision == "approve" else _("returned"),
            "status": report.get_status_display()})
    return _after_decision(request, report)


@login_required
@require_POST
def reopen(request: HttpRequest, report_id: int) -> HttpResponse:
    """The province reopens a sent report so that its unit can correct it."""
    report, form = _decided_report(request, report_id)
    if not can_manage_periods(request.user):
        raise PermissionDenied
    if not form.is_valid():
        return _refused(request, report, form)
    try:
        actions.do_reopen(report, request.user, form.cleaned_data["version"], form.cleaned_data["comment"])
        messages.success(request, _("Report reopened: the unit can correct it and submit it again."))
    except actions.StaleReport as error:
        messages.error(request, _stale_message(error))
    except actions.InvalidTransition:
        messages.error(request, _("Only a submitted, approved or locked report can be reopened."))
    return redirect("reporting:entry", report.period_id, report.unit.code)

