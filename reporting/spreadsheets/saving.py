"""Saving a planned import: every row in one transaction through reporting.actions, or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from reporting.actions import (
    InvalidTransition,
    StaleReport,
    SubmissionBlocked,
    do_save_values,
    do_submit,
)
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


class _Rollback(Exception):
    pass


def save_plans(plans: list[Plan], period: Period, user, result: ImportResult) -> ImportResult:
    """Every row in one transaction; a late conflict (someone saved meanwhile) undoes them all."""
    errors = []
    result.changed, result.submitted = [], []
    try:
        with transaction.atomic(), batched_changes():
            # New reports in one INSERT (a report someone created meanwhile is kept, and its
            # version then tells whether it was written to).
            missing = [plan.row.unit for plan in plans if plan.sheet_row.report is None]
            Report.objects.bulk_create([Report(period=period, unit=unit) for unit in missing], ignore_conflicts=True)
            created = reports_of(period, [unit.id for unit in missing])
            for plan in plans:
                current = plan.sheet_row
                report = current.report or created[plan.row.unit.id]
                try:
                    if plan.changed:
                        changes = do_save_values(report, plan.values, plan.comments, by=user,
                                                 expected_version=plan.expected_version,
                                                 action=Report.Step.IMPORTED)
                        result.changed.append(RowChange(plan.row.unit, plan.row.number, changes))
                    if plan.submit:
                        do_submit(report, by=user,
                                  expected_version=report.version if plan.changed else plan.expected_version)
                        result.submitted.append(plan.row.unit)
                except StaleReport as stale:
                    errors.append(SheetError(SHEET, plan.row.number, "A", CODE_HEADER, stale_row_message(stale.report)))
                except SubmissionBlocked as blocked:
                    errors.extend(SheetError(SHEET, plan.row.number, "A", CODE_HEADER, f.message)
                                  for f in blocked.findings)
                except InvalidTransition:
                    errors.append(SheetError(SHEET, plan.row.number, "A", CODE_HEADER,
                                             why_refused(report, period) or _("This report cannot be changed now.")))
            if errors:
                raise _Rollback
    except _Rollback:
        return ImportResult(errors=errors)
    return result
