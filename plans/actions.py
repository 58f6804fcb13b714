"""The writes of implementation plans, each in one transaction with its audit entry (the
plan's own row is followed by auditlog: its creation, and the removal of the oldest plans it
pushes out, are recorded by their save() and delete()).

Views check who may do what (accounts.permissions); these functions check the plan itself
and the limits.

Limits (settings). A unit keeps its newest PLAN_FILES_KEPT plans per deadline: the upload
that would be one more removes the oldest, as long as it is more than an hour old (files of
the last hour are never removed, so the count per hour below is exact; a unit that received
PLAN_FILES_KEPT files within the hour is refused). A user uploads at most
PLAN_UPLOADS_PER_USER_HOUR files an hour, and a unit's plans together take at most
PLAN_UNIT_QUOTA_MB. Refused uploads store nothing.
"""

from __future__ import annotations

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from plans.files import check_issued_on, check_plan_file, clean_document_number, error
from plans.models import ImplementationPlan
from plans.status import deadline_for
from programs.models import Program
from units.models import Unit


def do_upload_plan(program: Program, unit: Unit, file, issued_on: datetime.date | None,
                   document_number: str | None, by, limited: bool = True) -> ImplementationPlan:
    """Check and store a unit's plan; it becomes the unit's current plan. Raises
    ValidationError with every problem keyed by field ("file", "issued_on",
    "document_number"). The caller has checked that `by` may enter the unit's data
    (accounts.permissions.can_edit_unit_data). The limits (see the module's notes) hold for
    every upload but the demo's (`limited=False`), which stores hundreds of small plans at once
    for one administrator."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        checked = check_plan_file(file)
    except ValidationError as problem:
        errors["file"] = problem.error_list
    try:
        check_issued_on(program, issued_on)
    except ValidationError as problem:
        errors["issued_on"] = problem.error_list
    try:
        number = clean_document_number(document_number)
    except ValidationError as problem:
        errors["document_number"] = problem.error_list
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
        raise ValidationError({"file": error("user_rate", count=by_user)})
    same_deadline = list(ImplementationPlan.objects.filter(program=plan.program, unit=plan.unit, deadline=plan.deadline)
                         .order_by("-uploaded_at", "-id"))
    surplus = same_deadline[max(settings.PLAN_FILES_KEPT - 1, 0):]
    if any(old.uploaded_at >= hour_ago for old in surplus):
        raise ValidationError({"file": error("unit_rate", count=len(same_deadline))})
    kept = (ImplementationPlan.objects.filter(unit=plan.unit).exclude(pk__in=[old.pk for old in surplus])
            .aggregate(total=Coalesce(Sum("size"), 0))["total"])
    quota = settings.PLAN_UNIT_QUOTA_MB * 1024 * 1024
    if kept + plan.size > quota:
        mb = 1024 * 1024
        raise ValidationError({"file": error("unit_quota", used=f"{kept / mb:.1f}".replace(".", ","),
                                              max=settings.PLAN_UNIT_QUOTA_MB)})
    return surplus
