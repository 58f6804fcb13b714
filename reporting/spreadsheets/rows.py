"""Which rows and columns: the grassroots unions of the subtree expected in the period, the
grassroots data elements of the program, and what the database holds for them."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from programs.models import DataElement
from reporting.completeness import expected_reporters
from reporting.elements import elements_for, elements_of, programs_asking
from reporting.models import DataValue, Period, Report, stored_to_value
from reporting.spreadsheets.cells import cell_text
from reporting.spreadsheets.layout import NOTE_SEPARATOR
from units.models import Unit, UnitKind


@dataclass
class SheetRow:
    """One grassroots union of the sheet and what the database holds for it."""

    unit: Unit
    report: Report | None
    asked: set[str]
    values: dict = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.report.version if self.report else 0

    @property
    def note(self) -> str:
        """The "Ghi chú" cell as the template fills it: the report's comments, once each."""
        return joined_note(self.comments)


def fingerprint(asked: set[str], values: dict, note: str) -> str:
    """A short digest of a row's values and note, written in the file for each row and
    computed again on upload: equal digests mean the row was left as it was downloaded."""
    def canonical(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, int | float | Decimal):
            return format(Decimal(str(value)).normalize(), "f")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return cell_text(value)

    text = "\n".join([*(f"{code}={canonical(values.get(code))}" for code in sorted(asked)), cell_text(note)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def joined_note(comments: dict[str, str]) -> str:
    return NOTE_SEPARATOR.join(dict.fromkeys(c.strip() for c in comments.values() if c and c.strip()))


def sheet_elements(period: Period) -> list[DataElement]:
    """The columns: every element grassroots unions report for a program asking in the period,
    each once, in the program files' order."""
    chosen: dict[str, DataElement] = {}
    for program in programs_asking(period):
        for element in elements_of(program):
            if "grassroots" in element.reported_by:
                chosen.setdefault(element.code, element)
    return list(chosen.values())


def sheet_units(period: Period, root: Unit) -> list[Unit]:
    """The rows: grassroots unions of the subtree expected to report in the period, by path."""
    return list(expected_reporters(period, root).filter(kind=UnitKind.GRASSROOTS).order_by("path"))


def reports_of(period: Period, unit_ids) -> dict[int, Report]:
    reports = Report.objects.filter(period=period, unit_id__in=list(unit_ids))
    result = {}
    for report in reports:
        report.period = period
        result[report.unit_id] = report
    return result


def _values_of_reports(report_ids) -> tuple[dict[int, dict], dict[int, dict]]:
    """Values and comments of many reports in one query: ({report id: {code: value}}, {…: {code: comment}})."""
    values, comments = {}, {}
    rows = DataValue.objects.filter(report_id__in=list(report_ids)).values_list(
        "report_id", "element__code", "element__type", "number", "text", "comment")
    for report_id, code, kind, number, text, comment in rows:
        values.setdefault(report_id, {})[code] = stored_to_value(kind, number, text)
        if comment:
            comments.setdefault(report_id, {})[code] = comment
    return values, comments


def programs_code(period: Period) -> str:
    """What a template names as the programs it was made for: the asking programs' codes."""
    return "+".join(program.code for program in programs_asking(period))


def sheet_rows(period: Period, units: list[Unit]) -> list[SheetRow]:
    """What the database holds for these units in this period, in a fixed number of queries."""
    reports = reports_of(period, [u.id for u in units])
    values, comments = _values_of_reports(r.id for r in reports.values())
    rows = []
    for unit in units:
        report = reports.get(unit.id)
        rows.append(SheetRow(
            unit=unit, report=report, asked={e.code for e in elements_for(period, unit)},
            values=values.get(report.id, {}) if report else {},
            comments=comments.get(report.id, {}) if report else {},
        ))
    return rows


def previous_values_of(period: Period, unit_ids) -> dict[int, dict]:
    """Last period's values per unit (for the year-over-year rule), in two queries."""
    previous = period.previous()
    if previous is None:
        return {}
    reports = Report.objects.filter(period=previous, unit_id__in=list(unit_ids)).values_list("id", "unit_id")
    by_report = dict(reports)
    values, _comments = _values_of_reports(by_report)
    return {by_report[report_id]: v for report_id, v in values.items()}
