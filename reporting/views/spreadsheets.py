"""Offline spreadsheets: download a unit's .xlsx template for a period, upload it back.

Uploading takes two steps. The upload reads and checks the file and shows what importing it
would save and send, writing nothing; the file waits (reporting.uploads) until the uploader
confirms, and the confirmation imports it, refusing any row whose report changed since the
preview.

Who may do what is decided by accounts.permissions: downloading needs to see the unit (a unit
outside the user's subtree answers 404), uploading and confirming need to enter data for it
(403 otherwise); the import itself checks every row's unit again.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import can_edit_unit_data, get_visible_unit_or_404
from reporting.models import Period
from reporting.spreadsheets import (
    MAX_UPLOAD_BYTES,
    XLSX_CONTENT_TYPE,
    build_template,
    import_spreadsheet,
    plan_spreadsheet,
    template_filename,
)
from reporting.uploads import PendingUpload, new_token, stash_upload, take_upload
from tiendo.uploads import SizeLimitHandler


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet file (.xlsx)"))
    submit = forms.BooleanField(label=_("Submit the reports after importing them"), required=False)

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        if self.too_large:  # the upload handler dropped the file: say why, not "this field is required"
            self.errors.pop("file", None)
            self.add_error("file", self.size_error())
        return super().clean()

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise self.size_error()
        return file

    @staticmethod
    def size_error() -> forms.ValidationError:
        return forms.ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)})


def _period(period_id: int) -> Period:
    return get_object_or_404(Period.objects, pk=period_id)


@login_required
@require_GET
def spreadsheet_download(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    period = _period(period_id)
    root = get_visible_unit_or_404(request.user, unit_code)
    response = HttpResponse(build_template(period, root), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(period, root)}"'
    return response


# CSRF is checked in _upload, after the size-limiting upload handler is in place.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def spreadsheet_upload(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    """The page to download the template and upload it back; after an upload, its result."""
    period = _period(period_id)
    root = get_visible_unit_or_404(request.user, unit_code)
    may_upload = can_edit_unit_data(request.user, root)
    if request.method != "POST":
        return _upload_page(request, period, root, may_upload, SpreadsheetUploadForm())
    if not may_upload:
        raise PermissionDenied
    # A little over the limit, so that a file just over it still arrives and is named too large.
    limiter = SizeLimitHandler(request, MAX_UPLOAD_BYTES + 1)
    request.upload_handlers.insert(0, limiter)
    return _upload(request, period, root, limiter)


@csrf_protect
def _upload(request: HttpRequest, period: Period, root, limiter: SizeLimitHandler) -> HttpResponse:
    """The first step: read and check the file, keep it, show what confirming would do."""
    form = SpreadsheetUploadForm(request.POST, request.FILES, too_large=limiter.too_large)
    if not form.is_valid():
        return _upload_page(request, period, root, True, form, status=400)
    upload, submit = form.cleaned_data["file"], form.cleaned_data["submit"]
    upload.seek(0)
    content = upload.read()
    result = plan_spreadsheet(content, period, request.user, submit=submit, root=root)
    token = ""
    if result.ok and result.has_work:
        token = new_token()
        stash_upload(request.user, token, PendingUpload(content, period.id, root.code, submit, result.versions))
    return _upload_page(request, period, root, True, SpreadsheetUploadForm(), result, stage="preview",
                        token=token, submit=submit, status=200 if result.ok else 400)


@login_required
@require_POST
def spreadsheet_confirm(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    """The second step: import the file the user uploaded and saw the preview of."""
    period = _period(period_id)
    root = get_visible_unit_or_404(request.user, unit_code)
    if not can_edit_unit_data(request.user, root):
        raise PermissionDenied
    pending = take_upload(request.user, request.POST.get("token", ""), period.id, root.code)
    if pending is None:
        return _upload_page(request, period, root, True, SpreadsheetUploadForm(), status=400, gone=_(
            "This upload is no longer waiting to be saved (it was saved already, or more than an hour went by). "
            "Upload the file again."))
    result = import_spreadsheet(pending.content, period, request.user, submit=pending.submit, root=root,
                                seen_versions=pending.versions)
    return _upload_page(request, period, root, True, SpreadsheetUploadForm(), result, stage="saved",
                        status=200 if result.ok else 400)


def _upload_page(request, period, root, may_upload, form, result=None, stage="", token="", submit=False,
                 gone="", status=200) -> HttpResponse:
    context = {"period": period, "unit": root, "form": form, "result": result, "may_upload": may_upload,
               "stage": stage, "token": token, "submit": submit, "gone": gone}
    return render(request, "reporting/spreadsheet_upload.html", context, status=status)
