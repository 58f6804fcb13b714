"""A plan file and its form fields, checked before anything is stored.

A plan is a PDF or a Word (.docx) file of at most MAX_PLAN_SIZE bytes. Its type is checked by
its content, not only by its name: a PDF starts with "%PDF-", a DOCX is a ZIP holding
"word/document.xml" (and no macros); the name's extension must agree with the content. The
original file name is kept for the download; the stored name is built by
`plans.models.plan_upload_path`. Files live under MEDIA_ROOT and are served only through the
permission-checked download view, never as public media.
"""

from __future__ import annotations

import datetime
import math
import os
import unicodedata
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_view_unit
from plans.models import ImplementationPlan
from programs.models import Program
from units.text import clean_text

# Setting-like constants (tests may monkeypatch them).
MAX_PLAN_SIZE = 10 * 1024 * 1024  # bytes
DOCUMENT_NUMBER_MAX_LENGTH = 60

PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ALLOWED_EXTENSIONS = tuple(CONTENT_TYPES)
DOCX_WITH_MACROS = "docm"  # what sniff() calls a Word file carrying macros (refused)
# What the file input offers on phones and desktops.
ACCEPT = ".pdf,.docx," + ",".join(CONTENT_TYPES.values())

MESSAGES = {
    "no_file": _("Choose the plan file to upload."),
    "empty": _("The file is empty."),
    "too_large": _("The file is too large (%(size)s MB); a plan may be at most %(max)s MB."),
    "extension": _("Only PDF files (.pdf) and Word files (.docx) are accepted. "
                   "Save the plan as PDF or .docx and upload it again."),
    "not_pdf": _("This file is named .pdf but its content is not a PDF document. "
                 "Export the plan to PDF again and upload that file."),
    "not_docx": _("This file is named .docx but its content is not a Word document. "
                  "Open it in Word, save it as .docx and upload it again."),
    "macro": _("Word files with macros are not accepted; save the plan as a plain .docx or as PDF."),
    "no_number": _("Enter the plan's document number, e.g. 15/KH-LĐLĐ."),
    "number_too_long": _("The document number can have at most %(max)s characters."),
    "no_date": _("Enter the date the plan was issued."),
    "future": _("The issue date cannot be in the future."),
    "too_early": _("The issue date cannot be before the program's term (%(year)s)."),
    "user_rate": _("You have uploaded %(count)s plan files in the last hour, the most allowed. "
                   "Nothing was stored; upload this one again in an hour."),
    "unit_rate": _("This unit has received %(count)s plan files in the last hour, the most it keeps. "
                   "Nothing was stored; upload this one again in an hour."),
    "unit_quota": _("This unit's plan files already take %(used)s MB of the %(max)s MB it may keep, and "
                    "this file does not fit. Nothing was stored; upload a smaller file (a PDF of the signed "
                    "pages is enough)."),
}


def error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def too_large_error(size: int | None = None) -> ValidationError:
    """The error for a file over MAX_PLAN_SIZE (size unknown when the upload was cut short)."""
    mb = 1024 * 1024
    # Rounded up, so that a file just over the limit never reads as "10,0 MB; at most 10 MB".
    shown = f"{math.ceil(size * 10 / mb) / 10:.1f}".replace(".", ",") if size else f"> {MAX_PLAN_SIZE // mb}"
    return error("too_large", size=shown, max=MAX_PLAN_SIZE // mb)



@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    original_name: str
    size: int


def clean_original_name(name: str) -> str:
    """The file's own name as the user's device sent it, without any folder (some browsers
    send "C:\\fakepath\\..."), control characters or excess length; composed Unicode."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip() or "ke-hoach"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 254 - len(extension)] + dot + extension) if dot and len(extension) < 10 else name[:255]
    return name


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def sniff(file) -> str | None:
    """PDF or DOCX by the file's content, or None. Reads the head (and, for a ZIP, its
    directory only: nothing is decompressed) and leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            return None
        finally:
            file.seek(0)
        if "word/document.xml" in names:
            return DOCX_WITH_MACROS if "word/vbaProject.bin" in names else DOCX
    return None


def check_plan_file(file) -> CheckedFile:
    """Check an uploaded plan file; raise ValidationError (Vietnamese message, with a code)
    if it is missing, empty, too large, of a type not accepted, or not what its name says."""
    if file is None:
        raise error("no_file")
    size = file.size if file.size is not None else 0
    if size == 0:
        raise error("empty")
    if size > MAX_PLAN_SIZE:
        raise too_large_error(size)
    original_name = clean_original_name(getattr(file, "name", ""))
    extension = _extension(original_name)
    if extension not in ALLOWED_EXTENSIONS:
        raise error("extension")
    found = sniff(file)
    if found == DOCX_WITH_MACROS and extension == DOCX:
        raise error("macro")
    if found != extension:
        raise error("not_pdf" if extension == PDF else "not_docx")
    return CheckedFile(extension, CONTENT_TYPES[extension], original_name, size)


def clean_document_number(number: str | None) -> str:
    number = clean_text(number or "", multiline=False)
    if not number:
        raise error("no_number")
    if len(number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise error("number_too_long", max=DOCUMENT_NUMBER_MAX_LENGTH)
    return number


def check_issued_on(program: Program, issued_on: datetime.date | None) -> datetime.date:
    if issued_on is None:
        raise error("no_date")
    if issued_on > timezone.localdate():
        raise error("future")
    if issued_on.year < program.term_start:
        raise error("too_early", year=program.term_start)
    return issued_on


def plan_file_response(user, pk: int, content_type: str | None = None) -> FileResponse:
    """The plan's file under its original name, to whoever may see the unit (404 otherwise, as
    for a plan that does not exist); typed as stored unless the caller names a type (the API
    declares every download application/octet-stream)."""
    plan = get_object_or_404(ImplementationPlan.objects.select_related("unit"), pk=pk)
    if not can_view_unit(user, plan.unit):
        raise Http404
    try:
        handle = plan.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=plan.original_name,
                            content_type=content_type or plan.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
