"""Planning the import, writing nothing: each row compared with the database and checked with
the web form's rules (reporting.validation); what would be saved and sent, row by row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from accounts.permissions import can_edit_unit_data, visible_units
from programs.models import DataElement
from reporting import extensions
from reporting.actions import stale_message, values_unchanged
from reporting.elements import elements_for, rules_for
from reporting.models import Period, Report, shown_value
from reporting.spreadsheets.layout import FIRST_ELEMENT_COLUMN, FORMAT, META_SHEET, NOTE_HEADER, SHEET, headers_for
from reporting.spreadsheets.reading import (
    Deadline,
    ImportTooLong,
    ParsedRow,
    SheetError,
    as_id,
    header_errors,
    merge_errors,
    open_workbook,
    read_meta,
    read_rows,
    too_long_message,
)
from reporting.spreadsheets.rows import (
    SheetRow,
    fingerprint,
    previous_values_of,
    programs_code,
    sheet_elements,
    sheet_rows,
    sheet_units,
)
from reporting.validation import blocking, check_values
from units.models import Unit, UnitKind


@dataclass
class RowChange:
    unit: Unit
    row: int
    changes: list[dict]


@dataclass
class RowPreview:
    """What the import will do with one union's row, as the preview page shows it."""

    unit: Unit
    row: int
    status: str  # the report's status now ("draft", …), "" when it has no report yet
    status_label: str
    changes: list[dict]  # {"label", "before", "after"}, values as people read them
    saves: bool
    sends: bool
    note: str = ""  # why the row is not sent (or not saved), when that may surprise


@dataclass
class ImportResult:
    """What an import found (planned) or did (saved): the errors, or the rows."""

    errors: list[SheetError] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0
    empty: int = 0
    skipped: int = 0  # unchanged rows of reports already sent (submitted, approved, locked)
    submitted: list[Unit] = field(default_factory=list)
    rows: list[RowPreview] = field(default_factory=list)  # every union's row, in the file's order
    versions: dict[str, int] = field(default_factory=dict)  # each row's report version when planned
    plans: list = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_work(self) -> bool:
        """Whether saving the plan would write anything."""
        return bool(self.changed or self.submitted)


def _file_error(message: str, sheet: str = "") -> ImportResult:
    return ImportResult(errors=[SheetError(sheet, None, "", "", message)])


def stale_row_message(report: Report) -> str:
    return stale_message(report, _("download a new template and enter this row again."))


def plan_spreadsheet(file, period: Period, user, submit: bool = False, root: Unit | None = None,
                     seen_versions: dict[str, int] | None = None) -> ImportResult:
    """Read a filled-in template and say what importing it would do, writing nothing.

    `file` is a file-like object (an upload) or bytes. When `root` is given the file must have
    been built for that unit. Returns the errors, or per row what would be saved and sent."""
    deadline = Deadline()
    try:
        workbook, message = open_workbook(file, deadline)
        if workbook is None:
            return _file_error(message or _(
                "The file is not an Excel spreadsheet (.xlsx). Download the template from this page, fill it in "
                "and upload it again."))
        try:
            return _plan(workbook, period, user, submit, root, seen_versions, deadline)
        finally:
            workbook.close()
    except ImportTooLong:
        return _file_error(too_long_message())


def _plan(workbook, period: Period, user, submit: bool, root: Unit | None, seen_versions,
          deadline: Deadline) -> ImportResult:
    if META_SHEET not in workbook.sheetnames:
        return _file_error(_(
            "This file is not a Tiến độ template (its hidden sheet “%(sheet)s” is missing). Download the "
            "template from this page.") % {"sheet": META_SHEET})
    if SHEET not in workbook.sheetnames:
        return _file_error(_("The sheet “%(sheet)s” is missing from the file.") % {"sheet": SHEET})
    if workbook[SHEET].sheet_state != "visible":
        return _file_error(_("The sheet “%(sheet)s” is hidden: the file was probably filled in on a copy of it. "
                             "Show the sheet again, put the data in it and upload the file again.")
                           % {"sheet": SHEET}, SHEET)
    meta = read_meta(workbook)
    if meta.get("format") != FORMAT or meta.get("program") != programs_code(period):
        return _file_error(_("This file was not made for this program. Download the template from this page."),
                           META_SHEET)
    if meta.get("period") != str(period.id):
        other_id = as_id(meta.get("period", ""))
        other = Period.objects.filter(pk=other_id).first() if other_id is not None else None
        return _file_error(_("This file is for %(other)s, not for %(period)s.") % {
            "other": other.label if other else "?", "period": period.label}, META_SHEET)
    file_root = visible_units(user).filter(code=meta.get("root")).first()
    if root is not None and (file_root is None or file_root.pk != root.pk):
        return _file_error(_("This file is for the unit %(other)s, not for %(unit)s.") % {
            "other": meta.get("root") or "?", "unit": root.name}, META_SHEET)
    if file_root is None or not can_edit_unit_data(user, file_root):
        return _file_error(_("You may not enter data for %(unit)s.") % {"unit": meta.get("root") or "?"})
    root = file_root

    elements = sheet_elements(period)
    letters = [get_column_letter(FIRST_ELEMENT_COLUMN + i) for i in range(len(elements))]
    if meta["columns"] != dict(zip(letters, [e.code for e in elements], strict=True)):
        return _file_error(_(
            "The template is out of date: the program's data elements changed since it was downloaded. "
            "Download a new template."), META_SHEET)

    # The reference columns (status, last year's values) follow the note, one after the other.
    references = len(meta["references"])
    after_note = [get_column_letter(FIRST_ELEMENT_COLUMN + len(elements) + i) for i in range(1, references + 1)]
    if list(meta["references"]) != after_note:
        return _file_error(_(
            "The template is out of date: the program's data elements changed since it was downloaded. "
            "Download a new template."), META_SHEET)

    ws = workbook[SHEET]
    headers = headers_for(elements)
    errors = merge_errors(ws, headers, deadline) or header_errors(ws, headers, references)
    if errors:
        return ImportResult(errors=errors)
    rows, errors = read_rows(ws, elements, headers, deadline, references)
    if errors and any(e.row is None for e in errors):
        return ImportResult(errors=errors)
    result = ImportResult()
    rows = _resolve_units(rows, period, root, user, headers, errors)
    result.plans = _plan_rows(rows, period, elements, headers, meta["versions"], submit, errors, result,
                              seen_versions, deadline)
    if errors:
        errors.sort(key=lambda e: (e.row or 0, len(e.column), e.column))
        return ImportResult(errors=errors)
    return result


def _resolve_units(rows: list[ParsedRow], period: Period, root: Unit, user, headers, errors) -> list[ParsedRow]:
    """Attach each row's unit; a code that is unknown, repeated, outside the root's subtree or
    not expected in the period is an error."""
    codes = {row.code for row in rows if row.code}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    expected = {u.id for u in sheet_units(period, root)}
    visible = set(visible_units(user).filter(code__in=codes).values_list("code", flat=True))
    seen, resolved = {}, []
    sheet = SHEET

    def error(row: ParsedRow, message: str) -> None:
        errors.append(SheetError(sheet, row.number, "A", headers[0], message))

    for row in rows:
        if not row.code:
            continue
        unit = units.get(row.code)
        if row.code in seen:
            error(row, _("The code “%(code)s” is already on row %(row)s.") % {"code": row.code, "row": seen[row.code]})
            continue
        seen[row.code] = row.number
        if unit is None or row.code not in visible:
            error(row, _("There is no grassroots union with the code “%(code)s” in %(unit)s.") % {
                "code": row.code, "unit": root.name})
        elif not root.contains(unit):
            error(row, _("%(name)s (%(code)s) does not belong to %(unit)s: this file only takes the grassroots "
                         "unions of that unit.") % {"name": unit.name, "code": unit.code, "unit": root.name})
        elif unit.kind != UnitKind.GRASSROOTS:
            error(row, _("%(name)s (%(code)s) is not a grassroots union.") % {"name": unit.name, "code": unit.code})
        elif unit.id not in expected:
            error(row, _("%(name)s (%(code)s) does not report for %(period)s: it was not open during the period.")
                  % {"name": unit.name, "code": unit.code, "period": period.label})
        elif not can_edit_unit_data(user, unit):
            error(row, _("You may not enter data for %(unit)s.") % {"unit": unit.name})
        else:
            row.unit = unit
            resolved.append(row)
    return resolved


@dataclass
class Plan:
    row: ParsedRow
    sheet_row: SheetRow
    values: dict
    comments: dict
    changed: bool
    submit: bool
    expected_version: int  # the report's version when the plan was made (or previewed)


def _why_not_sent(edited: bool, filled: bool, changed: bool, report: Report | None) -> str:
    """Why a row is not submitted although the uploader asked for it ("" when it is): only a
    row the uploader changed is sent, and a returned report is never sent back unchanged."""
    if report is not None and report.is_sent:
        return _("Already sent.")
    if not edited:
        return _("Left as it was downloaded: a row nobody changed is not sent on its union's behalf.")
    if not filled:
        return _("No value entered: there is nothing to send.")
    if report is not None and report.status == Report.Status.RETURNED and not changed:
        return _("Returned for correction and no value was changed: it is not sent back unchanged. Correct what "
                 "the unit above asked for, then upload the file again.")
    return ""


def _shown_changes(elements: dict[str, DataElement], current: SheetRow, values: dict, comments: dict) -> list[dict]:
    """What saving the row would change, element by element, as people read it."""
    changes = []
    for code, value in values.items():
        before, label = current.values.get(code), elements[code].label
        if not values_unchanged({code: before}, {}, {code: value}, {}):
            changes.append({"label": label, "before": shown_value(before), "after": shown_value(value)})
        before_comment, comment = current.comments.get(code) or "", (comments.get(code) or "").strip()
        if before_comment != comment:
            changes.append({"label": f"{label} · {NOTE_HEADER}", "before": before_comment or "—",
                            "after": comment or "—"})
    return changes


def why_refused(report: Report | None, period: Period) -> str:
    """Why this report cannot be changed now ("" if it can)."""
    if report is None:
        return "" if period.is_open else _("The reporting period is closed: this report can no longer be changed.")
    if report.is_editable:
        return ""
    if report.status in (Report.Status.APPROVED, Report.Status.LOCKED):
        return _("The report has already been approved or locked: it cannot be changed through a spreadsheet. "
                 "Ask the provincial federation to reopen it if a correction is needed.")
    if report.status == Report.Status.SUBMITTED:
        return _("The report has been submitted and is waiting for approval: it cannot be changed now. "
                 "Return it for correction first.")
    return _("The reporting period is closed: this report can no longer be changed.")


def _plan_rows(rows, period, elements, headers, versions, submit, errors, result,
               seen_versions, deadline: Deadline) -> list[Plan]:
    """Compare each row with the database and check it with the program's rules; count and
    describe every row in `result` (its preview)."""
    rules = rules_for(period)
    by_code = {e.code: e for e in elements}
    columns = {e.code: (get_column_letter(FIRST_ELEMENT_COLUMN + i), headers[FIRST_ELEMENT_COLUMN - 1 + i])
               for i, e in enumerate(elements)}
    sheet_rows_by_unit = {r.unit.id: r for r in sheet_rows(period, [row.unit for row in rows])}
    previous = previous_values_of(period, sheet_rows_by_unit)
    registry = extensions.sheet_counts(period, [row.unit for row in rows], rules)  # the rules on registry counts
    more = extensions.sheet_checks(period, [row.unit for row in rows])  # the registries' cross-check
    plans = []
    for row in rows:
        deadline.check()
        current = sheet_rows_by_unit[row.unit.id]
        result.versions[row.code] = current.version

        def error(message: str, code: str | None = None, row=row) -> None:
            letter, header = columns[code] if code in columns else ("A", headers[0])
            errors.append(SheetError(SHEET, row.number, letter, header, message))

        for code, value in row.values.items():
            if code not in current.asked and value is not None:
                error(_("This union is not asked this item: leave the cell empty."), code)
        values = {code: row.values.get(code) for code in columns if code in current.asked}
        file_version, downloaded = versions.get(row.code, (0, ""))
        edited = bool(row.bad) or downloaded != fingerprint(current.asked, values, row.note)
        if not edited:
            # Left as downloaded: the row stands for what the database holds now, even if the
            # report changed online since (nothing of the uploader's would be lost).
            values = {code: current.values.get(code) for code in values}
            row.note = ""
        filled = any(v is not None for v in values.values())
        report = current.report
        if not filled and not row.note and report is None:
            result.empty += 1
            continue

        def findings_for(for_submission: bool, values=values, row=row):
            elements = elements_for(period, row.unit)
            return check_values(elements, values, rules, previous.get(row.unit.id),
                                for_submission=for_submission, registry=registry.get(row.unit.id)) \
                + more[row.unit.id](elements, values)

        findings = findings_for(for_submission=False)
        comments = dict(current.comments)
        if row.note:
            keep = row.note == current.note
            for finding in findings:
                if finding.severity == "warning" and not (keep and comments.get(finding.element)):
                    comments[finding.element] = row.note
        changed = not values_unchanged(current.values, current.comments, values, comments)
        why_not = _why_not_sent(edited, filled, changed, report) if submit else ""
        to_submit = submit and not why_not
        preview = RowPreview(row.unit, row.number, report.status if report else "",
                             report.get_status_display() if report else "",
                             _shown_changes(by_code, current, values, comments), saves=changed, sends=to_submit,
                             note=why_not)
        result.rows.append(preview)
        if not changed and not to_submit:
            if report is not None and report.is_sent:
                result.skipped += 1
            else:
                result.unchanged += 1
            continue
        refusal = why_refused(report, period)
        if refusal:
            error(refusal)
            continue
        if changed and report is not None and report.version != file_version:
            error(stale_row_message(report))
        elif report is not None and seen_versions is not None and report.version != seen_versions.get(row.code, 0):
            error(stale_row_message(report))  # changed since the preview the user confirmed
        if to_submit:
            # What stops a submission: errors, and warnings not explained in the note.
            stopping = blocking(findings_for(for_submission=True), comments)
        else:
            # A draft is saved with its warnings, as the web form saves it: only errors stop it.
            stopping = [finding for finding in findings if finding.is_error]
        for finding in stopping:
            if finding.element not in row.bad:  # that cell already has its error
                error(finding.message, finding.element)
        if changed:
            result.changed.append(RowChange(row.unit, row.number, preview.changes))
        else:
            result.unchanged += 1
        if to_submit:
            result.submitted.append(row.unit)
        plans.append(Plan(row, current, values, comments, changed, to_submit,
                           expected_version=seen_versions.get(row.code, 0) if seen_versions else current.version))
    return plans
