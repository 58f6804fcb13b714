"""The reorganisation tool's pages, for the province administrator (accounts.permissions.
can_reorganise): the batches applied and undone; a batch prepared from an uploaded file (.xlsx
or .yaml) or picked on the page; its consequences previewed (a dry run: the batch applied in a
transaction that is rolled back); applied in one transaction; undone. Every step is in the
audit trail."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import can_reorganise, visible_units
from audit import trail
from reorganising import sheets
from reorganising.consequences import load_batch
from reorganising.forms import ChangeForm, HeaderForm, UploadForm
from reorganising.models import ReorganisationDraft
from reporting.spreadsheets import SheetError
from reporting.spreadsheets.layout import XLSX_CONTENT_TYPE
from reporting.spreadsheets.reading import MAX_UPLOAD_BYTES
from tiendo.uploads import SizeLimitHandler
from units.models import ChangeKind, Reorganisation
from units.reorganisation import BatchFileError, UndoRefused, check_batch, do_undo_reorganisation, later_dependants
from units.text import clean_text

SEARCH_LIMIT = 30


def _allowed(request: HttpRequest) -> None:
    if not can_reorganise(request.user):
        raise PermissionDenied


@login_required
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    return _list_page(request)


def _list_page(request, upload_form=None, header_form=None, errors=(), status=200) -> HttpResponse:
    rows = (Reorganisation.objects.select_related("applied_by", "undone_by")
            .annotate(change_count=Count("changes")).order_by("-applied_at"))
    return render(request, "reorganising/batches.html", {
        "batches": rows, "drafts": ReorganisationDraft.objects.select_related("created_by"),
        "upload_form": upload_form or UploadForm(), "header_form": header_form or HeaderForm(),
        "errors": errors, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}, status=status)


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    response = HttpResponse(sheets.build_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="sap-xep-to-chuc.xlsx"'
    return response


def _code_taken(code: str) -> bool:
    return Reorganisation.objects.filter(code=code).exists() or any(
        d.code == code for d in ReorganisationDraft.objects.only("data"))


@login_required
@require_POST
def new_draft(request: HttpRequest) -> HttpResponse:
    """An empty batch, to pick its changes on the page."""
    _allowed(request)
    form = HeaderForm(request.POST)
    if form.is_valid() and _code_taken(form.cleaned_data["code"]):
        form.add_error("code", _("A batch with this code exists already."))
    if not form.is_valid():
        return _list_page(request, header_form=form, status=400)
    return _save_new_draft(request, {"batch": form.batch_header(), "units": [], "changes": []}, "")


def _save_new_draft(request, data: dict, source: str) -> HttpResponse:
    draft = ReorganisationDraft.objects.create(data=data, source=source, created_by=request.user)
    trail.record(draft, {}, actor=request.user, event="reorganisation draft prepared", file=source,
                 action=trail.CREATE)
    return redirect("reorganising:draft", draft.pk)


# CSRF is checked in _upload, after the size-limiting upload handler is in place.
@csrf_exempt
@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    limiter = SizeLimitHandler(request, MAX_UPLOAD_BYTES + 1)
    request.upload_handlers.insert(0, limiter)
    return _upload(request, limiter)


@csrf_protect
def _upload(request: HttpRequest, limiter: SizeLimitHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, too_large=limiter.too_large)
    if not form.is_valid():
        return _list_page(request, upload_form=form, status=400)
    file = form.cleaned_data["file"]
    file.seek(0)
    content = file.read()
    data, errors = _read_yaml(content, file.name) if form.is_yaml else _read_xlsx(content, form.batch_header())
    if data is not None and not errors and _code_taken(data["batch"]["code"]):
        errors = [sheets.sheet_error(None, None, _("A batch with the code %(code)s exists already.") % {
            "code": data["batch"]["code"]})]
    if errors:
        return _list_page(request, upload_form=form, errors=errors, status=400)
    return _save_new_draft(request, data, file.name)


def _read_xlsx(content: bytes, header: dict) -> tuple[dict | None, list[SheetError]]:
    data, errors = sheets.read_sheet(content, header)
    if errors:
        return None, errors
    try:
        batch = check_batch(data, sheets.SHEET)
    except BatchFileError as exc:
        return None, sheets.located_errors(exc.problems)
    return batch.model_dump(mode="json", exclude_none=True), []


def _read_yaml(content: bytes, name: str) -> tuple[dict | None, list[SheetError]]:
    from units.reorganisation import parse_batch, read_batch_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "batch.yaml"
        path.write_bytes(content)
        try:
            data = read_batch_file(path)
        except (BatchFileError, UnicodeDecodeError) as exc:
            problems = getattr(exc, "problems", [])
            if not problems:
                return None, [sheets.sheet_error(None, None, _("The file is not UTF-8 text."))]
            return None, [SheetError(name, p.line or None, "", p.field, sheets.translate_problem(p.message))
                          for p in problems]
    return parse_batch(data, name).model_dump(mode="json", exclude_none=True), []


def _draft(request, pk: int) -> ReorganisationDraft:
    _allowed(request)
    return get_object_or_404(ReorganisationDraft, pk=pk)


@login_required
@require_GET
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _draft_page(request, _draft(request, pk))


def _search(request) -> tuple[str, list]:
    query = clean_text(request.GET.get("q", ""), multiline=False)[:100]
    if not query:
        return "", []
    return query, list(visible_units(request.user).active().search(query).order_by("depth", "name")[:SEARCH_LIMIT])


def _preview(draft: ReorganisationDraft, by):
    """The consequences of applying the draft now (nothing written), or its problems."""
    if not draft.change_count:
        return None, []
    try:
        return load_batch(draft.data, by=by, dry_run=True, file=_("the batch")), []
    except BatchFileError as exc:
        return None, [f"{p.field}: {sheets.translate_problem(p.message)}" if p.field != "(file)"
                      else sheets.translate_problem(p.message) for p in exc.problems]


def _shown(item: dict) -> dict:
    """A change of the draft as the page lists it: its kind in words, its dates as dd/mm/yyyy."""
    def day(value):
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y") if value else ""
    return {**item, "label": ChangeKind(item.get("change", "create")).label, "on": day(item.get("on")),
            "valid_from": day(item.get("valid_from"))}


def _draft_page(request, draft: ReorganisationDraft, form=None, problems=(), status=200) -> HttpResponse:
    query, results = _search(request)
    consequences, preview_problems = _preview(draft, request.user)
    return render(request, "reorganising/draft.html", {
        "draft": draft, "batch": draft.data.get("batch", {}),
        "units": [_shown(u) for u in draft.data.get("units", [])],
        "changes": [_shown(c) for c in draft.data.get("changes", [])], "consequences": consequences,
        "preview_problems": preview_problems, "query": query, "results": results,
        "form": form or ChangeForm(), "problems": problems}, status=status)


@login_required
@require_POST
def add_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Picked on the page: the change goes into the draft if the whole batch still checks."""
    draft = _draft(request, pk)
    form = ChangeForm(request.POST, picked_choices=request.POST.getlist("picked"))
    if not form.is_valid():
        return _draft_page(request, draft, form=form, status=400)
    section, items = form.items()
    data = {**draft.data, section: [*draft.data.get(section, []), *items]}
    try:
        check_batch(data, _("the batch"))
    except BatchFileError as exc:
        problems = [sheets.translate_problem(p.message) for p in exc.problems]
        return _draft_page(request, draft, form=form, problems=problems, status=400)
    draft.data = data
    draft.save(update_fields=["data", "updated_at"])
    trail.record(draft, {"changes": [len(draft.data.get(section, [])) - len(items), len(data[section])]},
                 actor=request.user, event="reorganisation change added")
    return redirect("reorganising:draft", draft.pk)


@login_required
@require_POST
def remove_change(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    section = "units" if request.POST.get("section") == "units" else "changes"
    try:
        index = int(request.POST.get("index", ""))
    except ValueError:
        index = -1
    items = list(draft.data.get(section, []))
    if not 0 <= index < len(items):
        return _draft_page(request, draft, status=400)
    removed = items.pop(index)
    draft.data = {**draft.data, section: items}
    draft.save(update_fields=["data", "updated_at"])
    trail.record(draft, {"removed": [removed, None]}, actor=request.user, event="reorganisation change removed")
    return redirect("reorganising:draft", draft.pk)


@login_required
@require_POST
def delete_draft(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    trail.record(draft, {}, actor=request.user, event="reorganisation draft thrown away", action=trail.DELETE)
    draft.delete()
    messages.success(request, _("The draft was thrown away; nothing was applied."))
    return redirect("reorganising:batches")


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply the draft in one transaction (confirmed on the preview), then it is a batch."""
    draft = _draft(request, pk)
    if request.POST.get("confirm") != "yes":
        return _draft_page(request, draft, problems=[_("Tick the box to confirm that you checked the "
                                                       "consequences.")], status=400)
    try:
        with transaction.atomic():
            result = load_batch(draft.data, by=request.user, file=_("the batch"))
            batch = Reorganisation.objects.get(code=result.code)
            trail.record(batch, {}, actor=request.user, event="reorganisation applied", summary=result.lines()[0])
            draft.delete()
    except BatchFileError as exc:
        return _draft_page(request, draft, problems=[sheets.translate_problem(p.message) for p in exc.problems],
                           status=400)
    messages.success(request, _("Batch %(code)s is applied.") % {"code": batch.code})
    return redirect("reorganising:batch", batch.code)


def _batch(request, code: str) -> Reorganisation:
    _allowed(request)
    return get_object_or_404(Reorganisation.objects.select_related("applied_by", "undone_by"), code=code)


def _undo_refusal(batch: Reorganisation) -> str:
    if not batch.is_applied:
        return _("This batch is not applied (it was undone).")
    dependants = later_dependants(batch)
    if dependants:
        return _("Undo %(codes)s first: they were applied later and change the same units.") % {
            "codes": ", ".join(b.code for b in dependants)}
    return ""


@login_required
@require_GET
def batch(request: HttpRequest, code: str) -> HttpResponse:
    row = _batch(request, code)
    return _batch_page(request, row)


def _batch_page(request, row, problem="", status=200) -> HttpResponse:
    return render(request, "reorganising/batch.html", {
        "batch": row, "changes": row.changes.all(), "refusal": problem or _undo_refusal(row),
        "undo_url": reverse("reorganising:undo", args=[row.code])}, status=status)


@login_required
@require_http_methods(["POST"])
def undo(request: HttpRequest, code: str) -> HttpResponse:
    row = _batch(request, code)
    if request.POST.get("confirm") != "yes":
        return _batch_page(request, row, _("Tick the box to confirm the undo."), status=400)
    refusal = _undo_refusal(row)
    if refusal:
        return _batch_page(request, row, refusal, status=409)
    try:
        with transaction.atomic():
            do_undo_reorganisation(row, by=request.user)
            trail.record(row, {}, actor=request.user, event="reorganisation undone")
    except UndoRefused as exc:
        row.refresh_from_db()
        return _batch_page(request, row, _("The batch cannot be undone: %(reason)s") % {
            "reason": _undo_reason(str(exc))}, status=409)
    messages.success(request, _("Batch %(code)s is undone: the tree is as it was before it.") % {"code": row.code})
    return redirect("reorganising:batch", row.code)


def _undo_reason(message: str) -> str:
    if "has reports, plans or accounts" in message:
        return _("a unit it created has reports, plans or accounts by now.")
    return message
