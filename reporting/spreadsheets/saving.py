"""Saving a planned import: every row in one transaction through reporting.actions, or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from reporting.actions import RefusedRows, RowWrite, do_write_many
from reporting.models import Period, Report
from reporting.signals import batched_changes
from reporting.spreadsheets.layout import CODE_HEADER, SHEET
from reporting.spreadsheets.planning import (
    ImportResult,
    Plan,
    RowChange,
    plan_spreadsheet,
    stale_row_message,
    why_refused,
)
from reporting.spreadsheets.reading import SheetError
from reporting.spreadsheets.rows import reports_of
from units.models import Unit


def import_spreadsheet(file, period: Period, user, submit: bool = False, root: Unit | None = None,
                       seen_versions: dict[str, int] | None = None) -> ImportResult:
    """Read a filled-in template and save it, all or nothing: plan_spreadsheet, then save.

    `seen_versions` are the versions the user saw in the preview: a row whose report changed
    since is refused. Returns the errors (and nothing is saved) or what was done."""
    result = plan_spreadsheet(file, period, user, submit, root, seen_versions)
    if not result.ok:
        return result
    return save_plans(result.plans, period, user, result)


def save_plans(plans: list[Plan], period: Period, user, result: ImportResult) -> ImportResult:
    """Every row in one transaction, in bulk (reporting.actions.do_write_many): the rows were
    checked by the plan just made, so they are not checked again row by row; one conditional
    UPDATE takes every affected report at the version the plan read, and a report changed
    meanwhile (someone saved online, the period closed) refuses them all, each such row named."""
    result.changed, result.submitted = [], []
    rows: dict[int, Plan] = {}
    try:
        with transaction.atomic(), batched_changes():
            # New reports in one INSERT (a report someone created meanwhile is kept, and its
            # version then tells whether it was written to).
            missing = [plan.row.unit for plan in plans if plan.sheet_row.report is None]
            Report.objects.bulk_create([Report(period=period, unit=unit) for unit in missing],
                                       ignore_conflicts=True)
            created = reports_of(period, [unit.id for unit in missing])
            writes = []
            for plan in plans:
                current = plan.sheet_row
                report = current.report or created[plan.row.unit.id]
                report.unit, report.period = plan.row.unit, period
                rows[report.pk] = plan
                writes.append(RowWrite(report, plan.values, plan.comments, current.values, current.comments,
                                       plan.expected_version, plan.changed, plan.submit))
            changes = do_write_many(writes, by=user, action=Report.Step.IMPORTED)
    except RefusedRows as refused:  # raised out of the transaction: the new reports go too
        return ImportResult(errors=_refusals(refused.reports, rows, period))
    for write in writes:
        plan = rows[write.report.pk]
        if plan.changed:
            result.changed.append(RowChange(plan.row.unit, plan.row.number, changes[write.report.pk]))
        if plan.submit:
            result.submitted.append(plan.row.unit)
    return result


def _refusals(reports: list[Report], rows: dict[int, Plan], period: Period) -> list[SheetError]:
    """Each refused row named by its row: changed since it was read, or no longer changeable."""
    errors = []
    for report in reports:
        plan = rows[report.pk]
        message = why_refused(report, period) or (stale_row_message(report) if report.version != plan.expected_version
                                                  else _("This report cannot be changed now."))
        errors.append(SheetError(SHEET, plan.row.number, "A", CODE_HEADER, message))
    return sorted(errors, key=lambda e: e.row)
