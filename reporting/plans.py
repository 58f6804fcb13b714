"""Units' implementation plans ("chương trình, kế hoạch thực hiện"): uploading the signed
document, and who issued theirs on time, late or not at all, per program deadline.

Upload. A plan is a PDF or a Word (.docx) file of at most MAX_PLAN_SIZE bytes. Its type is
checked by its content, not only by its name: a PDF starts with "%PDF-", a DOCX is a ZIP
holding "word/document.xml" (and no macros); the name's extension must agree with the
content. The original file name is kept for the download; the stored name is built by
`plan_upload_path`. Files live under MEDIA_ROOT and are served only through the permission-
checked download view, never as public media.

Limits (settings). A unit keeps its newest PLAN_FILES_KEPT plans per deadline: the upload
that would be one more removes the oldest, as long as it is more than an hour old (files of
the last hour are never removed, so the count per hour below is exact; a unit that received
PLAN_FILES_KEPT files within the hour is refused). A user uploads at most
PLAN_UPLOADS_PER_USER_HOUR files an hour, and a unit's plans together take at most
PLAN_UNIT_QUOTA_MB. Refused uploads store nothing.

Status. For each deadline of the program, the units expected to have a plan are the units of
the subtree whose kind the deadline applies to (`upper_union` spelled out: Deadline.kinds)
and that existed on the due date. A unit's
current plan is its newest upload (as `ImplementationPlan.Meta.ordering` says); the unit is
on time when that plan was issued on or before the due date, late when issued after it,
missing when it has no plan. Everything is counted in the database: one grouped query per
deadline (plus one for the children's names), whatever the size of the tree; each unit's
current plan is one index lookup on (program, unit).
"""

from __future__ import annotations

import datetime
import functools
import math
import os
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can_edit_unit_data
from programs.models import Deadline, Program
from reporting.models import ImplementationPlan
from units.models import Unit, UnitQuerySet
from units.text import clean_text

# Setting-like constants (tests may monkeypatch them).
MAX_PLAN_SIZE = 10 * 1024 * 1024  # bytes
PLANS_PER_PAGE = 50
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

# Statuses of a unit for a deadline, and the lists the status page shows.
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_ON_TIME = "not_on_time"  # late or missing: whom to call
LISTS = (NOT_ON_TIME, LATE, MISSING, ON_TIME)

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


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def too_large_error(size: int | None = None) -> ValidationError:
    """The error for a file over MAX_PLAN_SIZE (size unknown when the upload was cut short)."""
    mb = 1024 * 1024
    # Rounded up, so that a file just over the limit never reads as "10,0 MB; at most 10 MB".
    shown = f"{math.ceil(size * 10 / mb) / 10:.1f}".replace(".", ",") if size else f"> {MAX_PLAN_SIZE // mb}"
    return _error("too_large", size=shown, max=MAX_PLAN_SIZE // mb)


# --- upload ----------------------------------------------------------------------------------

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
        raise _error("no_file")
    size = file.size if file.size is not None else 0
    if size == 0:
        raise _error("empty")
    if size > MAX_PLAN_SIZE:
        raise too_large_error(size)
    original_name = clean_original_name(getattr(file, "name", ""))
    extension = _extension(original_name)
    if extension not in ALLOWED_EXTENSIONS:
        raise _error("extension")
    found = sniff(file)
    if found == DOCX_WITH_MACROS and extension == DOCX:
        raise _error("macro")
    if found != extension:
        raise _error("not_pdf" if extension == PDF else "not_docx")
    return CheckedFile(extension, CONTENT_TYPES[extension], original_name, size)


def clean_document_number(number: str | None) -> str:
    number = clean_text(number or "", multiline=False)
    if not number:
        raise _error("no_number")
    if len(number) > DOCUMENT_NUMBER_MAX_LENGTH:
        raise _error("number_too_long", max=DOCUMENT_NUMBER_MAX_LENGTH)
    return number


def check_issued_on(program: Program, issued_on: datetime.date | None) -> datetime.date:
    if issued_on is None:
        raise _error("no_date")
    if issued_on > timezone.localdate():
        raise _error("future")
    if issued_on.year < program.term_start:
        raise _error("too_early", year=program.term_start)
    return issued_on


def deadline_for(program: Program, unit: Unit) -> Deadline | None:
    """The program deadline that applies to the unit's kind (None for, e.g., the province)."""
    return next((d for d in program.deadlines.all() if unit.kind in d.kinds), None)


def do_upload_plan(program: Program, unit: Unit, file, issued_on: datetime.date | None,
                   document_number: str | None, by, limited: bool = True) -> ImplementationPlan:
    """Check and store a unit's plan; it becomes the unit's current plan. Raises
    PermissionDenied if `by` may not enter the unit's data, ValidationError with every
    problem keyed by field ("file", "issued_on", "document_number") otherwise. The limits
    (see the module's notes) hold for every upload but the demo's (`limited=False`), which
    stores hundreds of small plans at once for one administrator."""
    if not can_edit_unit_data(by, unit):
        raise PermissionDenied
    errors: dict[str, list[ValidationError]] = {}
    try:
        checked = check_plan_file(file)
    except ValidationError as error:
        errors["file"] = error.error_list
    try:
        check_issued_on(program, issued_on)
    except ValidationError as error:
        errors["issued_on"] = error.error_list
    try:
        number = clean_document_number(document_number)
    except ValidationError as error:
        errors["document_number"] = error.error_list
    if errors:
        raise ValidationError(errors)

    plan = ImplementationPlan(
        program=program,
        unit=unit,
        deadline=deadline_for(program, unit),
        original_name=checked.original_name,
        size=checked.size,
        content_type=checked.content_type,
        document_number=number,
        issued_on=issued_on,
        uploaded_by=by,
    )
    with transaction.atomic():
        surplus = _make_room(plan, by) if limited else []
        for old in surplus:
            old.delete()
        for stored in [old.file.name for old in surplus]:
            transaction.on_commit(functools.partial(ImplementationPlan.file.field.storage.delete, stored))
        file.seek(0)
        # The name only gives the extension; plan_upload_path builds the stored name.
        plan.file.save(f"plan.{checked.extension}", file, save=False)
        try:
            plan.save()
        except BaseException:
            plan.file.delete(save=False)
            raise
    return plan


def _make_room(plan: ImplementationPlan, by) -> list[ImplementationPlan]:
    """The unit's plans the new one pushes out; ValidationError (keyed "file") if the upload
    passes a limit. Called in the upload's transaction, the unit's row locked, so that two
    uploads at the same moment are counted one after the other."""
    Unit.objects.select_for_update().filter(pk=plan.unit_id).first()
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    by_user = ImplementationPlan.objects.filter(uploaded_by=by, uploaded_at__gte=hour_ago).count()
    if by_user >= settings.PLAN_UPLOADS_PER_USER_HOUR:
        raise ValidationError({"file": _error("user_rate", count=by_user)})
    same_deadline = list(ImplementationPlan.objects.filter(program=plan.program, unit=plan.unit, deadline=plan.deadline)
                         .order_by("-uploaded_at", "-id"))
    surplus = same_deadline[max(settings.PLAN_FILES_KEPT - 1, 0):]
    if any(old.uploaded_at >= hour_ago for old in surplus):
        raise ValidationError({"file": _error("unit_rate", count=len(same_deadline))})
    kept = (ImplementationPlan.objects.filter(unit=plan.unit).exclude(pk__in=[old.pk for old in surplus])
            .aggregate(total=Coalesce(Sum("size"), 0))["total"])
    quota = settings.PLAN_UNIT_QUOTA_MB * 1024 * 1024
    if kept + plan.size > quota:
        mb = 1024 * 1024
        raise ValidationError({"file": _error("unit_quota", used=f"{kept / mb:.1f}".replace(".", ","),
                                              max=settings.PLAN_UNIT_QUOTA_MB)})
    return surplus


# --- status per deadline -------------------------------------------------------------------

def unit_plans(program: Program, unit: Unit) -> QuerySet[ImplementationPlan]:
    """The unit's plans for the program, newest (= current) first."""
    return ImplementationPlan.objects.filter(program=program, unit=unit).select_related("uploaded_by", "deadline")


def current_plan(program: Program) -> QuerySet[ImplementationPlan]:
    """The current (newest) plan of the unit OuterRef("pk"), for a Subquery over units:
    an index lookup on (program, unit) per unit, which no planner can turn into a rescan."""
    return ImplementationPlan.objects.filter(program=program, unit=OuterRef("pk")).order_by("-uploaded_at", "-id")


def expected_units(deadline: Deadline, root: Unit) -> UnitQuerySet:
    """Units of the subtree the deadline applies to that existed on its due date."""
    return Unit.objects.subtree(root).valid_during(deadline.due, deadline.due).filter(kind__in=deadline.kinds)


# The state of a unit for a deadline, as the database computes it.
_MISSING, _ON_TIME, _LATE = 0, 1, 2


def _plan_state(deadline: Deadline):
    """_ON_TIME, _LATE or _MISSING for the unit OuterRef("pk"): one subquery, referenced once."""
    state = Case(When(issued_on__lte=deadline.due, then=Value(_ON_TIME)), default=Value(_LATE))
    newest = current_plan(deadline.program).annotate(state=state).values("state")[:1]
    return Coalesce(Subquery(newest, output_field=IntegerField()), Value(_MISSING))


@dataclass
class PlanCounts:
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    def _percent(self, n: int) -> float | None:
        return 100 * n / self.expected if self.expected else None

    @property
    def on_time_percent(self) -> float | None:
        return self._percent(self.on_time)

    @property
    def late_percent(self) -> float | None:
        return self._percent(self.late)

    @property
    def missing_percent(self) -> float | None:
        return self._percent(self.missing)

    @property
    def submitted_percent(self) -> float | None:
        return self._percent(self.submitted)

    def __add__(self, other: PlanCounts) -> PlanCounts:
        return PlanCounts(self.expected + other.expected, self.on_time + other.on_time, self.late + other.late)


@dataclass
class DeadlineStatus:
    deadline: Deadline
    total: PlanCounts
    # Per child of the root (each child's own subtree), children with no expected unit left out.
    by_child: list[tuple[Unit, PlanCounts]] = field(default_factory=list)
    # The root's own status (ON_TIME, LATE, MISSING) when the deadline applies to it, else None.
    own: str | None = None


def grouped_counts(deadline: Deadline, root: Unit) -> dict[str, PlanCounts]:
    """Counts in one grouped query, keyed by path prefix: each child of `root` (its whole
    subtree) under the child's path, and `root` itself under its own (shorter) path. The
    plan pages and the deadline targets (indicators.engine, `plans_on_time`) both read it."""
    rows = (
        expected_units(deadline, root)
        .order_by()  # the manager's default path order would split the groups
        .annotate(group=root.child_path_expression(), state=_plan_state(deadline))
        .values("group", "state")
        .annotate(n=Count("id"))
    )
    groups: dict[str, PlanCounts] = {}
    for row in rows:  # at most 3 rows per child
        counts = groups.setdefault(row["group"], PlanCounts())
        counts.expected += row["n"]
        if row["state"] == _ON_TIME:
            counts.on_time += row["n"]
        elif row["state"] == _LATE:
            counts.late += row["n"]
    return groups


def unit_status(deadline: Deadline, unit: Unit) -> str | None:
    """ON_TIME, LATE or MISSING for one unit, or None if the deadline does not apply to it."""
    if unit.kind not in deadline.kinds or not unit.is_valid_on(deadline.due):
        return None
    plan = ImplementationPlan.objects.filter(program_id=deadline.program_id, unit=unit).first()
    if plan is None:
        return MISSING
    return ON_TIME if plan.issued_on <= deadline.due else LATE


def deadline_status(deadline: Deadline, root: Unit) -> DeadlineStatus:
    """Totals for the subtree, the same per child of `root`, and the root's own status:
    one grouped query, and one more to fetch the children that have expected units."""
    groups = grouped_counts(deadline, root)
    own = groups.pop(root.path, None)
    total = sum(groups.values(), own or PlanCounts())
    children = Unit.objects.filter(path__in=list(groups)).order_by("kind", "name") if groups else []
    own_status = None if own is None else ON_TIME if own.on_time else LATE if own.late else MISSING
    return DeadlineStatus(deadline, total, [(child, groups[child.path]) for child in children], own_status)


def plan_status(program: Program, root: Unit) -> list[DeadlineStatus]:
    """One DeadlineStatus per deadline of the program, in due-date order."""
    return [deadline_status(deadline, root) for deadline in program.deadlines.all()]


def units_with_status(deadline: Deadline, root: Unit, which: str) -> UnitQuerySet:
    """Expected units of the subtree in one list (ON_TIME, LATE, MISSING or NOT_ON_TIME),
    in tree order, each with its current plan's issue date and number (None when missing)."""
    states = {ON_TIME: [_ON_TIME], LATE: [_LATE], MISSING: [_MISSING], NOT_ON_TIME: [_MISSING, _LATE]}
    if which not in states:
        raise ValueError(f"unknown list {which!r}")
    newest = current_plan(deadline.program)
    units = (
        expected_units(deadline, root)
        .annotate(plan_state=_plan_state(deadline))  # one subquery per unit, in WHERE
        .filter(plan_state__in=states[which])
        .annotate(  # only for the rows shown (a count leaves them out)
            plan_issued_on=Subquery(newest.values("issued_on")[:1]),
            plan_number=Subquery(newest.values("document_number")[:1]),
        )
    )
    return units.order_by("path")


def units_with_status_page(deadline: Deadline, root: Unit, which: str, page_number, per_page: int | None = None
                           ) -> Page:
    """A page of `units_with_status`, for the status page."""
    return Paginator(units_with_status(deadline, root, which), per_page or PLANS_PER_PAGE).get_page(page_number)
