"""Every write of the reporting flow, each in one transaction and recorded once: one entry in
the audit trail per step and report (audit.trail), which is also the report's own history
(reporting.history, shown on its page).

Views check who may do what (accounts.permissions); these functions check that the step
makes sense for the report's state, and refuse a write based on a stale copy of the report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, F, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_on_behalf
from audit import trail
from programs.models import DataElement, Program
from reporting import extensions, signals
from reporting.elements import elements_for, rules_for
from reporting.history import last_change
from reporting.models import DataValue, Period, Report, stored_to_value, value_to_stored
from reporting.validation import Finding, blocking, check_values
from tiendo.bulk import insert_rows
from units.models import Unit


class ReportingError(Exception):
    pass


class StaleReport(ReportingError):
    """Someone else changed the report since this copy was read."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"report {report.pk} changed at {report.updated_at}")


def stale_message(report: Report, remedy: str) -> str:
    """The one message that refuses a write based on an older copy of the report (the web
    form's, an uploaded file's), naming who changed it and when; `remedy` says what to do."""
    return _("%(who)s changed this report at %(when)s, after you read it. Nothing of yours was saved: "
             "%(remedy)s") % {**last_change(report), "remedy": remedy}


class InvalidTransition(ReportingError):
    pass


class PeriodClosed(InvalidTransition):
    """The report's period is closed and the report was not reopened (Report.period_allows_change)."""


class PendingReports(ReportingError):
    """A period cannot close while reports wait for a decision."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(f"{count} submitted reports are waiting for a decision")


def refuse_if_closed(report: Report) -> None:
    """Every change of a report goes through here (the spreadsheet import too, through
    do_save_values and do_submit): a closed period's reports are refused until reopened."""
    if not report.period_allows_change:
        raise PeriodClosed("the reporting period is closed: reopen the period or the report first")


class SubmissionBlocked(ReportingError):
    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(f"{f.element}: {f.message}" for f in findings))


def get_or_create_report(period: Period, unit: Unit) -> Report:
    report, _ = Report.objects.get_or_create(period=period, unit=unit)
    return report


def values_of(report: Report | None) -> dict:
    """The report's values as Python values keyed by element code ({} for no saved report)."""
    if report is None or report.pk is None:
        return {}
    rows = DataValue.objects.filter(report=report).values_list("element__code", "element__type", "number", "text")
    return {code: stored_to_value(kind, number, text) for code, kind, number, text in rows}


def comments_of(report: Report) -> dict[str, str]:
    if report.pk is None:
        return {}
    return dict(DataValue.objects.filter(report=report).exclude(comment="").values_list("element__code", "comment"))


def values_and_comments(report: Report | None) -> tuple[dict, dict[str, str]]:
    """values_of and comments_of in one query."""
    if report is None or report.pk is None:
        return {}, {}
    values, comments = {}, {}
    for code, kind, number, text, comment in DataValue.objects.filter(report=report).values_list(
            "element__code", "element__type", "number", "text", "comment"):
        values[code] = stored_to_value(kind, number, text)
        if comment:
            comments[code] = comment
    return values, comments


def previous_values(report: Report) -> dict:
    """Last period's values of the same unit (what the form shows beside each field): the
    values of its report in the period of the same kind just before (Period.previous), in one
    query."""
    period = report.period
    previous = Period.objects.filter(kind=period.kind, ends_on__lt=period.starts_on).order_by("-ends_on")
    rows = DataValue.objects.filter(report__unit_id=report.unit_id, report__period=Subquery(previous.values("pk")[:1]))
    return {code: stored_to_value(kind, number, text)
            for code, kind, number, text in rows.values_list("element__code", "element__type", "number", "text")}


def _reload(report: Report) -> None:
    """report.refresh_from_db() in one query, its period and unit with it; what the request
    remembered on its period object (the asking programs, the rules: reporting.elements) is
    kept, so the checks that follow do not read them again."""
    current = Report.objects.select_related("period", "unit").get(pk=report.pk)
    before = report._state.fields_cache.get("period")
    if before is not None and before.pk == current.period_id:
        for name in ("_programs_asking", "_rules"):
            if hasattr(before, name):
                setattr(current.period, name, getattr(before, name))
    for field in Report._meta.concrete_fields:
        setattr(report, field.attname, getattr(current, field.attname))
    report.period, report.unit = current.period, current.unit


def _claim(report: Report, expected_version: int, **fields) -> None:
    """Take the report for this write, or refuse if it changed since `expected_version`; the
    same UPDATE writes `fields` (a step's new status).

    The conditional UPDATE is atomic in the database: of two writers holding the same
    version, the second one's UPDATE matches no row (on PostgreSQL it waits for the first
    transaction, then sees the new version)."""
    now = timezone.now()
    claimed = Report.objects.filter(pk=report.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now, **fields
    )
    if not claimed:
        raise StaleReport(Report.objects.get(pk=report.pk))
    report.version, report.updated_at = expected_version + 1, now


def _plain(value):
    """A value as JSON can hold it (the trails are JSON columns)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value) if isinstance(value, Decimal) else value


def _write_values(report: Report, values: dict, comments: dict) -> list[dict]:
    """Store the given values (None clears one); returns what changed, before → after."""
    elements = {e.code: e for e in DataElement.objects.filter(code__in=list(values))}
    existing = {v.element.code: v for v in DataValue.objects.filter(report=report).select_related("element")}
    changes, to_create = [], []
    for code, value in values.items():
        element = elements[code]
        number, text = value_to_stored(element.type, value)
        comment = (comments.get(code) or "").strip()
        row = existing.get(code)
        before = row.value if row else None
        if row is None:
            if number is None and not text and not comment:
                continue
            to_create.append(DataValue(report=report, element=element, number=number, text=text, comment=comment))
        elif (row.number, row.text, row.comment) != (number, text, comment):
            row.number, row.text, row.comment = number, text, comment
            row.save(update_fields=["number", "text", "comment"])
        if before != value and not (before is None and value in (None, "")):
            changes.append({"element": code, "before": _plain(before), "after": _plain(value)})
    DataValue.objects.bulk_create(to_create)
    return changes


def values_unchanged(current: dict, current_comments: dict, values: dict, comments: dict) -> bool:
    """Whether saving `values` and `comments` over a report that holds `current` and
    `current_comments` would write nothing: the one test of "nothing changed", for the web form
    and the spreadsheet import (an empty value equals none; comments count for the given
    elements only)."""
    same_values = all(current.get(c) == v or (current.get(c) is None and v in (None, "")) for c, v in values.items())
    return same_values and all((current_comments.get(c) or "") == (comments.get(c) or "").strip() for c in values)


@transaction.atomic
def do_save_values(report: Report, values: dict, comments: dict, by, expected_version: int,
                   action: str = Report.Step.SAVED) -> list[dict]:
    """Save values into an editable report. Saving the same values again writes nothing
    (no new version, no step in the trail), so a re-sent form or re-uploaded file changes nothing."""
    _reload(report)
    refuse_if_closed(report)
    if not report.is_editable:
        raise InvalidTransition("the report is not open for editing")
    if report.version != expected_version:
        raise StaleReport(Report.objects.get(pk=report.pk))
    current, current_comments = values_and_comments(report)
    if values_unchanged(current, current_comments, values, comments):
        return []
    _claim(report, expected_version)
    changes = _write_values(report, values, comments)
    trail.record(report, _audited_changes(changes, current_comments, comments), actor=by, event=action,
                 on_behalf=is_on_behalf(by, report.unit_id) or None)
    # No signals.notify: an editable report's values are not counted anywhere (rolled-up values
    # count submitted, approved and locked reports), so saving them changes no figure.
    return changes


@dataclass
class RowWrite:
    """One report's part of a bulk write (do_write_many): the values and comments to save (when
    `save`), whether to submit it, and what the writer read — the report's values and comments
    as of `expected_version`, already checked with the form's rules (the spreadsheet's plan)."""

    report: Report  # its unit and period loaded
    values: dict
    comments: dict
    current: dict
    current_comments: dict
    expected_version: int
    save: bool
    submit: bool


class RefusedRows(ReportingError):
    """Some reports of a bulk write changed since they were read, or can no longer be changed:
    their current copies (unit and period loaded); nothing was written."""

    def __init__(self, reports: list[Report]):
        self.reports = reports
        super().__init__(f"{len(reports)} reports changed or closed since they were read")


def _claim_many(writes: list[RowWrite], now) -> None:
    """Take every report of the bulk write at once, or refuse them all: the optimistic lock of
    _claim over many rows. One SELECT … FOR UPDATE reads the versions of all the affected rows
    (locked on PostgreSQL; SQLite's writer holds the database already) and refuses the write if
    any report is no longer at the version read, editable, in a period that allows the change;
    then one UPDATE raises each report's version by its steps and sets the submitted ones'
    status."""
    expected = {w.report.pk: w.expected_version for w in writes}
    current = Report.objects.select_for_update(of=("self",)).filter(pk__in=list(expected)).values_list(
        "pk", "version", "status", "late_allowed", "period__status")
    refused = [pk for pk, version, status, late_allowed, period_status in current
               if version != expected[pk] or status not in Report.EDITABLE
               or not (late_allowed or period_status == Period.Status.OPEN)]
    if refused or len(current) != len(expected):
        refused = set(refused) | (set(expected) - {row[0] for row in current})
        raise RefusedRows(list(Report.objects.filter(pk__in=list(refused)).select_related("unit", "period")))
    submitted = [w.report.pk for w in writes if w.submit]
    twice = [w.report.pk for w in writes if w.submit and w.save]
    Report.objects.filter(pk__in=list(expected)).update(
        version=F("version") + Case(When(pk__in=twice, then=Value(2)), default=Value(1)),
        updated_at=now,
        status=Case(When(pk__in=submitted, then=Value(Report.Status.SUBMITTED)), default=F("status")),
        submitted_at=Case(When(pk__in=submitted, then=Value(now)), default=F("submitted_at")),
    )


def _write_many_values(writes: list[RowWrite]) -> dict[int, list[dict]]:
    """Store the values of every saved report of a bulk write (None clears one): one query for
    the elements, one for the values already there, then DELETE and INSERT in bulk for the rows
    that change. Returns, per report id, what changed, before → after (as _write_values)."""
    saved = [w for w in writes if w.save]
    codes = {code for w in saved for code in w.values}
    elements = {e.code: e for e in DataElement.objects.filter(code__in=list(codes))}
    existing = {}
    for row in DataValue.objects.filter(report_id__in=[w.report.pk for w in saved]).only(
            "id", "report_id", "element_id", "number", "text", "comment"):
        existing[row.report_id, row.element_id] = row
    stale, fresh, changed = [], [], {}
    for write in saved:
        report, changes = write.report, []
        for code, value in write.values.items():
            element = elements[code]
            number, text = value_to_stored(element.type, value)
            comment = (write.comments.get(code) or "").strip()
            row = existing.get((report.pk, element.pk))
            before = stored_to_value(element.type, row.number, row.text) if row else None
            if row is None or (row.number, row.text, row.comment) != (number, text, comment):
                if row is not None:
                    stale.append(row.pk)
                if number is not None or text or comment:
                    fresh.append((report.pk, element.pk, number, text, comment))
            if before != value and not (before is None and value in (None, "")):
                changes.append({"element": code, "before": _plain(before), "after": _plain(value)})
        changed[report.pk] = changes
    for start in range(0, len(stale), 900):
        DataValue.objects.filter(pk__in=stale[start:start + 900]).delete()
    _insert_values(fresh)
    return changed


def _insert_values(rows: list[tuple]) -> None:
    """(report id, element id, number, text, comment) rows in a few multi-row INSERTs: tens of
    thousands of values without building a model instance for each (bulk_create's Python work
    was most of an import's time)."""
    insert_rows(DataValue._meta.db_table, ["report_id", "element_id", "number", "text", "comment"],
                [list(row) for row in rows])


@transaction.atomic
def do_write_many(writes: list[RowWrite], by, action: str = Report.Step.IMPORTED) -> dict[int, list[dict]]:
    """Save and submit many reports in one transaction, in bulk: what do_save_values and do_submit
    do for each, in a number of statements that does not grow with the rows (but for batches of
    a few hundred rows per INSERT). The writes were checked already (the spreadsheet's plan ran
    the form's rules on exactly these values): a report that changed since, or can no longer be
    changed, refuses the whole write (RefusedRows). Each report gets its entries in the trail
    (`action` with its changes, then "submitted"), the submitted ones are announced (their
    rolled-up values marked for the worker; report_step after commit). Returns, per report id,
    its changes before → after."""
    writes = [w for w in writes if w.save or w.submit]
    if not writes:
        return {}
    now = timezone.now()
    _claim_many(writes, now)
    changed = _write_many_values(writes)
    entries = []
    for write in writes:
        report, on_behalf = write.report, is_on_behalf(by, write.report.unit_id) or None
        if write.save:
            entries.append((report, _audited_changes(changed[report.pk], write.current_comments, write.comments),
                            action, {"on_behalf": on_behalf}))
        if write.submit:
            entries.append((report, {"status": [report.status, Report.Status.SUBMITTED]}, Report.Step.SUBMITTED,
                            {"on_behalf": on_behalf}))
    trail.record_all(entries, actor=by)
    for write in writes:
        report = write.report
        report.version, report.updated_at = write.expected_version + write.save + write.submit, now
        if write.submit:
            report.status, report.submitted_at = Report.Status.SUBMITTED, now
    submitted = [w.report for w in writes if w.submit]
    signals.notify_many(submitted)
    if submitted:
        transaction.on_commit(lambda: [signals.report_step.send(sender=None, report=report, step=Report.Step.SUBMITTED,
                                                                actor=by, comment="") for report in submitted])
    return changed


def _audited_changes(changes: list[dict], before_comments: dict, comments: dict) -> dict:
    """Value changes as the audit trail writes them, {code: [before, after]}, with the
    explanations beside them under "code · comment"."""
    audited = {change["element"]: [change["before"], change["after"]] for change in changes}
    for code, comment in comments.items():
        before, after = before_comments.get(code) or "", (comment or "").strip()
        if before != after:
            audited[f"{code} · comment"] = [before, after]
    return audited


def findings_for(report: Report, for_submission: bool, values: dict | None = None) -> list[Finding]:
    """The validation's findings on the report's values (`values` when the caller read them),
    its rules comparing with the unit's registry counts included, and the findings other apps add
    (reporting.extensions: where a kept registry counts otherwise)."""
    elements, values = elements_for(report.period, report.unit), values_of(report) if values is None else values
    return check_values(
        elements, values, rules_for(report.period), previous_values(report), for_submission=for_submission,
        registry=extensions.counts_for(report, elements),
    ) + extensions.more_findings(report, elements, values)


def _move(report: Report, step: str, to_status: str, by, expected_version: int, comment: str = "",
          on_behalf: bool = False, **fields):
    from_status = report.status
    _claim(report, expected_version, status=to_status, **fields)  # one UPDATE: the lock and the step
    report.status = to_status
    for name, value in fields.items():
        setattr(report, name, value)
    trail.record(report, {"status": [from_status, to_status]}, actor=by, event=step, comment=comment,
                 on_behalf=on_behalf or None)
    signals.notify(report)
    signals.after_commit(signals.report_step, report=report, step=step, actor=by, comment=comment)
    return report


@transaction.atomic
def do_submit(report: Report, by, expected_version: int) -> Report:
    """Send the report to the parent unit. Refused while an error stands or a warning is
    not explained in a comment."""
    _reload(report)
    refuse_if_closed(report)
    if not report.is_editable:
        raise InvalidTransition("only a draft or returned report can be submitted")
    values, comments = values_and_comments(report)
    stopping = blocking(findings_for(report, for_submission=True, values=values), comments)
    if stopping:
        raise SubmissionBlocked(stopping)
    # A reopened report keeps late_allowed until it is approved again: it may still be returned
    # and corrected after its period closed.
    return _move(report, Report.Step.SUBMITTED, Report.Status.SUBMITTED, by, expected_version,
                 on_behalf=is_on_behalf(by, report.unit_id), submitted_at=timezone.now())


@transaction.atomic
def do_approve(report: Report, by, expected_version: int, comment: str = "") -> Report:
    """Approve a submitted report. In a closed period (a report reopened for a correction) the
    approval locks it again, as closing the period did."""
    _reload(report)
    refuse_if_closed(report)
    if report.status != Report.Status.SUBMITTED:
        raise InvalidTransition("only a submitted report can be approved")
    if report.period.is_open:
        return _move(report, Report.Step.APPROVED, Report.Status.APPROVED, by, expected_version, comment)
    return _move(report, Report.Step.APPROVED, Report.Status.LOCKED, by, expected_version, comment,
                 late_allowed=False)


@transaction.atomic
def do_return(report: Report, by, expected_version: int, comment: str) -> Report:
    """Send a submitted report back to its unit for correction; the comment says why."""
    _reload(report)
    refuse_if_closed(report)
    if report.status != Report.Status.SUBMITTED:
        raise InvalidTransition("only a submitted report can be returned")
    if not comment.strip():
        raise InvalidTransition("a returned report needs a comment")
    return _move(report, Report.Step.RETURNED, Report.Status.RETURNED, by, expected_version, comment.strip())


@transaction.atomic
def do_reopen(report: Report, by, expected_version: int, comment: str) -> Report:
    """Province only: open a sent report again for a correction, even after the period
    closed — the recorded way to change a closed period's report. The values before and after
    the correction stay in the report's trail."""
    _reload(report)
    if report.status not in Report.SENT:
        raise InvalidTransition("only a submitted, approved or locked report can be reopened")
    return _move(report, Report.Step.REOPENED, Report.Status.DRAFT, by, expected_version, comment.strip(),
                 late_allowed=True)


@transaction.atomic
def do_open_period(kind: str, year: int, half: int, due_on: datetime.date, by) -> Period:
    """Open (or reopen) the calendar's period: every program whose reporting years hold the year
    asks for it (reporting.elements.programs_asking)."""
    starts_on, ends_on = Period.bounds(kind, year, half)
    period, created = Period.objects.get_or_create(
        kind=kind, year=year, half=half,
        defaults={"starts_on": starts_on, "ends_on": ends_on, "due_on": due_on, "opened_by": by},
    )
    status_before, due_before = (None, None) if created else (period.status, period.due_on.isoformat())
    if not created:
        period.status, period.due_on, period.closed_at = Period.Status.OPEN, due_on, None
        period.save(update_fields=["status", "due_on", "closed_at"])
    trail.record(period, {"status": [status_before, period.status], "due_on": [due_before, due_on.isoformat()]},
                 actor=by, event="opened", action=trail.CREATE if created else trail.UPDATE)
    signals.after_commit(signals.period_opened, period=period, actor=by)
    return period


def pending_reports(period: Period):
    """The period's reports submitted and not yet approved or returned."""
    return period.reports.filter(status=Report.Status.SUBMITTED)


@transaction.atomic
def do_close_period(period: Period, by) -> int:
    """Close a period: approved reports are locked, drafts and returned reports stay as they
    are (not counted, and not to be submitted any more), and every later change needs a recorded
    reopening. Refused (PendingReports) while a submitted report waits for a decision: the
    closed year's figures must not move after closing, so the unit above (or the province)
    approves or returns it first. Returns how many reports were locked. Done in bulk: a
    province closes tens of thousands of reports at once."""
    pending = pending_reports(period).count()
    if pending:
        raise PendingReports(pending)
    status_before = period.status
    period.status, period.closed_at = Period.Status.CLOSED, timezone.now()
    period.save(update_fields=["status", "closed_at"])
    approved = period.reports.filter(status=Report.Status.APPROVED)
    now = timezone.now()
    locked = approved.update(status=Report.Status.LOCKED, version=F("version") + 1, updated_at=now)
    # Each locked report's history names its locking: one entry per report, written by one
    # statement. The reports this UPDATE locked are the period's locked ones changed at `now`
    # (the rows stay locked by this transaction until it commits).
    just_locked = period.reports.filter(status=Report.Status.LOCKED, updated_at=now)
    trail.record_each(just_locked, {"status": [Report.Status.APPROVED, Report.Status.LOCKED]},
                      object_repr=Concat("unit__name", Value(f" · {period}")), unit_path=F("unit__path"),
                      actor=by, event=Report.Step.LOCKED)
    trail.record(period, {"status": [status_before, period.status], "locked_reports": [0, locked]},
                 actor=by, event="closed")
    return locked


class ProgramNotOpen(ReportingError):
    """Only an issued or in-force program can be closed."""


def program_periods(program: Program) -> list[Period]:
    """The calendar's periods of the program's reporting years (yearly and half-yearly)."""
    return list(Period.objects.filter(year__in=program.reporting_years).order_by("year", "half"))


@transaction.atomic
def do_close_program(program: Program, by, on_date: datetime.date | None = None) -> dict[str, int]:
    """Close a program at the end of its term: it lives here, above programs, because closing
    a program closes its periods (do_close_period). Refused (PendingReports) while a report of
    its periods waits for a decision, as closing a period is. Its open periods that no other
    program still asks for are closed, so their approved reports are locked: the program's
    figures are frozen (the engine reads locked reports only through a recorded reopening), and
    its final year's figures are what its successor's page shows as the baseline. A period
    another open program still asks for stays open. Returns what was closed."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status not in (Program.Status.ISSUED, Program.Status.IN_FORCE):
        raise ProgramNotOpen(f"program {program.code} is {program.status}: only an issued or in-force "
                             "program can be closed")
    periods = program_periods(program)
    pending = Report.objects.filter(period__in=periods, status=Report.Status.SUBMITTED).count()
    if pending:
        raise PendingReports(pending)
    others = [p for p in Program.objects.exclude(pk=program.pk).filter(
        status__in=(Program.Status.ISSUED, Program.Status.IN_FORCE))]
    closed_periods = locked = 0
    for period in periods:
        if period.is_open and not any(period.year in other.reporting_years for other in others):
            locked += do_close_period(period, by)
            closed_periods += 1
    before = (program.status, program.closed_on.isoformat() if program.closed_on else None)
    program.status, program.closed_on = Program.Status.CLOSED, on_date or timezone.localdate()
    program.save(update_fields=["status", "closed_on"])
    trail.record(program, {"status": [before[0], program.status],
                           "closed_on": [before[1], program.closed_on.isoformat()],
                           "closed_periods": [0, closed_periods], "locked_reports": [0, locked]},
                 actor=by, event="closed")
    return {"periods": closed_periods, "reports": locked}
