"""Pages for implementation plans: a unit's plans (and the upload form), who issued theirs
on time / late / not at all for a subtree, and the permission-checked download.

Every unit lookup goes through accounts.permissions: a unit outside the user's subtree
answers 404; uploading needs `can_edit_unit_data` (403 otherwise), seeing and downloading
`can_view_unit`. Plan files are never served as public media, only by `download`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import (
    can_edit_unit_data,
    get_visible_unit_or_404,
    home_unit,
    visible_ancestors,
)
from plans import files
from plans import status as plans  # plans.plan_status, plans.LISTS … (the module `status` names a view here)
from plans.actions import do_upload_plan
from plans.lists import PlanFilter, PlanTable
from programs.choice import program_for_request, switch_context, switched_to
from programs.models import Program
from tiendo.forms import DayMonthYearField
from tiendo.lists import configure, with_parent
from tiendo.uploads import SizeLimitHandler
from units.models import Unit, UnitKind
from units.text import CleanCharField

TEXT_TOO_LARGE = _("The text sent with the form is far too long: nothing was saved. Shorten it and send the "
                   "form again.")
LIST_LABELS = {
    plans.NOT_ON_TIME: _("Late or missing"),
    plans.LATE: _("Late"),
    plans.MISSING: _("Missing"),
    plans.ON_TIME: _("On time"),
}


class PlanUploadForm(forms.Form):
    """The upload form; its checks are those of plans.files, so that every problem shows
    at once (do_upload_plan checks again: it is the authority)."""

    # Not required here: clean_file says what is wrong with a missing or bad file, and a file
    # cut short by the size limit must get the size message, not "this field is required".
    file = forms.FileField(
        label=_("plan file (PDF or .docx)"), required=False, allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": files.ACCEPT, "required": True}),
    )
    issued_on = DayMonthYearField(
        label=_("issued on"),
        error_messages={"required": files.MESSAGES["no_date"]},
    )
    document_number = CleanCharField(
        label=_("document number"), max_length=files.DOCUMENT_NUMBER_MAX_LENGTH,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 15/KH-LĐLĐ"), "autocomplete": "off"}),
        error_messages={"required": files.MESSAGES["no_number"]},
    )

    def __init__(self, *args, program: Program, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.program, self.too_large = program, too_large
        self.fields["issued_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_file(self):
        if self.too_large:
            raise files.too_large_error()
        file = self.cleaned_data["file"]
        files.check_plan_file(file)
        return file

    def clean_issued_on(self):
        return files.check_issued_on(self.program, self.cleaned_data["issued_on"])

    def clean_document_number(self):
        return files.clean_document_number(self.cleaned_data["document_number"])


def _program_or_404(code: str) -> Program:
    return get_object_or_404(Program, code=code)


@login_required
@require_GET
def plans_home(request: HttpRequest) -> HttpResponse:
    """The plans of the user's own unit for the current program."""
    program = program_for_request(request)
    unit = home_unit(request.user)
    if program is None or unit is None:
        raise Http404
    return redirect("plans:unit", program=program.code, code=unit.code)


def _unit_page(request: HttpRequest, program: Program, unit: Unit, form: PlanUploadForm, status: int = 200,
               error: str = "") -> HttpResponse:
    unit_plans = list(plans.unit_plans(program, unit))
    deadline = plans.deadline_for(program, unit)
    context = {
        "program": program,
        "program_switch": switch_context(request, program),
        "unit": unit,
        "plans": unit_plans,
        "current": unit_plans[0] if unit_plans else None,
        "deadline": deadline,
        "own_status": plans.unit_status(deadline, unit) if deadline else None,
        "can_upload": can_edit_unit_data(request.user, unit),
        "has_subtree": not unit.is_leaf(),
        "form": form,
        "upload_error": error,
        "max_mb": files.MAX_PLAN_SIZE // (1024 * 1024),
        "files_kept": settings.PLAN_FILES_KEPT,
    }
    return render(request, "plans/unit.html", context, status=status)


# CSRF is checked in _upload, after the size-limiting upload handler is in place.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def unit_plans(request: HttpRequest, program: str, code: str) -> HttpResponse:
    """A unit's plans, newest (current) first, with the upload form for those who may."""
    program = _program_or_404(program)
    if other := switched_to(request, program):
        return redirect(request.resolver_match.view_name, program=other, code=code)
    unit = get_visible_unit_or_404(request.user, code)
    if request.method != "POST":
        return _unit_page(request, program, unit, PlanUploadForm(program=program))
    if not can_edit_unit_data(request.user, unit):
        raise PermissionDenied
    limiter = SizeLimitHandler(request, files.MAX_PLAN_SIZE)
    request.upload_handlers.insert(0, limiter)
    try:
        return _upload(request, program, unit, limiter)
    except RequestDataTooBig:
        # The text fields (not the file) passed DATA_UPLOAD_MAX_MEMORY_SIZE: say so on the form.
        return _unit_page(request, program, unit, PlanUploadForm(program=program), status=400, error=TEXT_TOO_LARGE)


@csrf_protect
def _upload(request: HttpRequest, program: Program, unit: Unit, limiter: SizeLimitHandler
            ) -> HttpResponse:
    data, files = request.POST, request.FILES  # parses the upload: limiter.too_large is known after this
    form = PlanUploadForm(data, files, program=program, too_large=limiter.too_large)
    if form.is_valid():
        try:
            plan = do_upload_plan(
                program, unit, form.cleaned_data["file"], form.cleaned_data["issued_on"],
                form.cleaned_data["document_number"], request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan %(name)s has been uploaded.") % {"name": plan.original_name})
            return redirect("plans:unit", program=program.code, code=unit.code)
    return _unit_page(request, program, unit, form, status=400)


def _split_children(by_child: list) -> tuple[list, plans.PlanCounts | None]:
    """Upper-level children one row each; grassroots unions directly below summed in one row
    (they are listed by name below), so a district with a thousand of them stays readable."""
    rows, direct = [], None
    for child, counts in by_child:
        if child.kind == UnitKind.GRASSROOTS:
            direct = counts if direct is None else direct + counts
        else:
            rows.append((child, counts))
    return rows, direct


@login_required
@require_GET
def status(request: HttpRequest, program: str, code: str) -> HttpResponse:
    """Per deadline, for the unit's subtree: how many units issued their plan on time, late
    or not at all; per child unit; and the units late or missing with their contacts."""
    program = _program_or_404(program)
    if other := switched_to(request, program):
        return redirect(request.resolver_match.view_name, program=other, code=code)
    root = get_visible_unit_or_404(request.user, code)
    statuses = plans.plan_status(program, root)
    for item in statuses:
        item.child_rows, item.direct_grassroots = _split_children(item.by_child)
    applicable = [item for item in statuses if item.total.expected]
    selected = next((item for item in applicable if item.deadline.code == request.GET.get("deadline")), None)
    selected = selected or (applicable[0] if applicable else None)
    which = request.GET.get("show")
    which = which if which in plans.LISTS else plans.NOT_ON_TIME
    table = plan_filter = None
    if selected:
        plan_filter = PlanFilter(request.GET, with_parent(plans.units_with_status(selected.deadline, root, which)),
                                 user=request.user, root=root, prefix=PlanTable.list_name)
        table = PlanTable(plan_filter.rows, program=program)
        if download := configure(request, table, plans.PLANS_PER_PAGE):
            return download
    ancestors = visible_ancestors(request.user, root)
    context = {
        "program": program,
        "program_switch": switch_context(request, program),
        "root": root,
        "ancestors": ancestors,
        "statuses": statuses,
        "selected": selected,
        "which": which,
        "lists": [(key, LIST_LABELS[key]) for key in plans.LISTS],
        "which_label": LIST_LABELS[which],
        "table": table,
        "filter": plan_filter,
        "kept": [("deadline", selected.deadline.code), ("show", which)] if selected else [],
        "today": timezone.localdate(),
    }
    return render(request, "plans/status.html", context)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    return files.plan_file_response(request.user, pk)
