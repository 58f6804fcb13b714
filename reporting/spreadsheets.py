"""Offline spreadsheets: an upper-level union downloads an .xlsx template for its subtree and a
period (one row per grassroots union expected to report), fills it in offline and uploads it.

The module has three parts:

* which rows and columns: the grassroots unions of the subtree expected in the period, the
  grassroots data elements of the program, and what is already in the database for them;
* the file format: writing the template, reading an uploaded file back into rows of parsed
  values (every problem located by sheet, row, column and header);
* the import: the same checks as the web form (reporting.validation), then everything saved
  in one transaction through reporting.actions, or nothing at all if any problem was found.

The file's own words (sheet name, fixed headers, "Có"/"Không") are constants, not translated
strings: they are a file format, so a file downloaded in one interface language, or before a
translation was corrected, is still read back. Messages (title row, cell validation pop-ups,
import errors) follow the active language.

The hidden sheet "_tiendo" says what the file was built for: program, period, root unit, the
data element of each column, and for each row the version of the unit's report when the file
was built with a digest of the row as written. On upload:

* a row left as downloaded (same digest) stands for what the database holds now, so a report
  entered online meanwhile is neither overwritten nor a conflict;
* a row equal to the database is "unchanged", whatever its version, so uploading the same file
  twice changes nothing;
* any other row is refused if its report changed online since the download (someone else's
  newer data would be overwritten), naming who changed it and when.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import math
import re
import time
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.datavalidation import DataValidation

from accounts.permissions import can_edit_unit_data, visible_units
from programs.models import DataElement, Program
from reporting.actions import (
    InvalidTransition,
    StaleReport,
    SubmissionBlocked,
    do_save_values,
    do_submit,
    stale_message,
    values_unchanged,
)
from reporting.completeness import expected_units
from reporting.elements import elements_for
from reporting.models import DataValue, Period, Report, ReportEvent, shown_value, stored_to_value
from reporting.signals import batched_changes
from reporting.validation import (
    FIRST_DATE,
    LAST_DATE,
    MAX_COMMENT,
    MAX_NUMBER,
    MAX_TEXT,
    blocking,
    check_values,
    date_range_message,
)
from units.models import Unit, UnitKind
from units.text import clean_text, fold, keep_as_words

# --- the file format -------------------------------------------------------------------------
FORMAT = "tiendo-report-sheet/1"
SHEET = "Báo cáo"
META_SHEET = "_tiendo"
CODE_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên công đoàn cơ sở"
NOTE_HEADER = "Ghi chú"
YES, NO = "Có", "Không"
CLASSES = ("A", "B", "C", "D")
TITLE_ROW, GUIDE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4
FIRST_ELEMENT_COLUMN = 3  # C: after the code and the name
NOTE_SEPARATOR = "; "

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # data rows, blank ones included: the sheet is read down to row FIRST_ROW + MAX_ROWS
MAX_NOTE = MAX_COMMENT  # the note becomes the comment of the values it explains
# What the file may hold once unzipped: a full template (MAX_ROWS rows) is about 15 MB; more is
# not a template but a "zip bomb", refused before anything is decompressed.
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
# What the file's XML may hold, counted while it is unzipped and before openpyxl reads any of
# it (openpyxl loads every shared string when it opens a file, and reads a whole row of cells
# at once, however many columns it has). A full template holds a few tens of thousands of
# texts, MAX_ROWS rows of fewer than 100 cells, a few million XML tags.
MAX_SHARED_STRINGS = 200_000
MAX_CELLS_IN_ROW = 200
MAX_CELLS = 600_000
MAX_SHEET_ROWS = MAX_ROWS + 1000  # in any sheet (the hidden one has a row per union and per column)
MAX_TAGS = 6_000_000
# Reading and checking a file (not saving it) stops after this long: a full template takes a
# few seconds, and the worker is not held until gunicorn's 30-second timeout kills it.
IMPORT_SECONDS = 20
EXTRA_COLUMNS = 10  # columns after the template's that are checked for stray headers and values
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel serial numbers of 1/1/2000 and 31/12/2100: a bare number in a date column is read as a
# date only in this range (a year typed as 2021 is not the 13th of July 1905).
FIRST_SERIAL, LAST_SERIAL = 36526, 73415
YES_WORDS = {"co", "x", "yes"}
NO_WORDS = {"khong", "no"}
GROUPED_NUMBER = re.compile(r"^[0-9]{1,3}(?:[. ][0-9]{3})+$")
WHOLE_NUMBER = re.compile(r"^[0-9]+$")  # ASCII digits only: str.isdigit() also takes "²" and "١"
DATE_TEXT = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
# <mergeCell ref="C4:D4"/> in a sheet's XML, with or without a namespace prefix.
MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="'
                        rb'([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')

HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
NOT_ASKED_FILL = PatternFill("solid", fgColor="D9D9D9")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"


# --- which rows and columns ------------------------------------------------------------------
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
        return _clean_text(value)

    text = "\n".join([*(f"{code}={canonical(values.get(code))}" for code in sorted(asked)), _clean_text(note)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def joined_note(comments: dict[str, str]) -> str:
    return NOTE_SEPARATOR.join(dict.fromkeys(c.strip() for c in comments.values() if c and c.strip()))


def sheet_elements(program: Program) -> list[DataElement]:
    """The columns: every element grassroots unions report, in the program file's order."""
    return [e for e in program.data_elements.all() if "grassroots" in e.reported_by]


def sheet_units(period: Period, root: Unit) -> list[Unit]:
    """The rows: grassroots unions of the subtree expected to report in the period, by path."""
    return list(expected_units(period, root).filter(kind=UnitKind.GRASSROOTS).order_by("path"))


def _reports_of(period: Period, unit_ids) -> dict[int, Report]:
    reports = Report.objects.filter(period=period, unit_id__in=list(unit_ids)).select_related("updated_by")
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


def _program_with_elements(period: Period) -> Program:
    """The period's program with its elements and rules loaded once (elements_for reads the cache)."""
    program = period.program
    prefetch_related_objects([program], "data_elements", "validation_rules")
    return program


def sheet_rows(period: Period, units: list[Unit]) -> list[SheetRow]:
    """What the database holds for these units in this period, in a fixed number of queries."""
    program = _program_with_elements(period)
    reports = _reports_of(period, [u.id for u in units])
    values, comments = _values_of_reports(r.id for r in reports.values())
    rows = []
    for unit in units:
        report = reports.get(unit.id)
        rows.append(SheetRow(
            unit=unit, report=report, asked={e.code for e in elements_for(program, unit)},
            values=values.get(report.id, {}) if report else {},
            comments=comments.get(report.id, {}) if report else {},
        ))
    return rows


def _previous_values(period: Period, unit_ids) -> dict[int, dict]:
    """Last period's values per unit (for the year-over-year rule), in two queries."""
    previous = period.previous()
    if previous is None:
        return {}
    reports = Report.objects.filter(period=previous, unit_id__in=list(unit_ids)).values_list("id", "unit_id")
    by_report = dict(reports)
    values, _comments = _values_of_reports(by_report)
    return {by_report[report_id]: v for report_id, v in values.items()}


# --- writing the template --------------------------------------------------------------------
def template_filename(period: Period, root: Unit) -> str:
    half = f"-{period.half}" if period.kind == Period.Kind.HALF else ""
    code = re.sub(r"[^A-Za-z0-9.]+", "-", root.code)
    return f"bao-cao-{code}-{period.year}{half}.xlsx"


def headers_for(elements: list[DataElement]) -> list[str]:
    return [CODE_HEADER, NAME_HEADER, *[e.label for e in elements], NOTE_HEADER]


def _cell_value(element: DataElement, value):
    if value is None:
        return None
    if element.type == "boolean":
        return YES if value else NO
    return value


def _number_text(number) -> str:
    number = Decimal(number)
    return str(int(number)) if number == number.to_integral_value() else str(number.normalize())


def _shown(number) -> str:
    """A bound as people read it (5.157 in Vietnamese), for messages; formulas keep _number_text."""
    number = Decimal(number)
    return number_format(number, decimal_pos=0 if number == number.to_integral_value() else 2, force_grouping=True)


def _validation_for(element: DataElement) -> DataValidation:
    """The Excel data validation for one element's cells."""
    title = _("Invalid value")
    if element.type == "boolean":
        dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        message = _("Choose %(yes)s or %(no)s.") % {"yes": YES, "no": NO}
    elif element.type == "quality_class":
        dv = DataValidation(type="list", formula1=f'"{",".join(CLASSES)}"', allow_blank=True)
        message = _("Choose A, B, C or D.")
    elif element.type in ("count", "percent"):
        low = element.min_value if element.min_value is not None else 0
        high = element.max_value if element.max_value is not None else (100 if element.type == "percent" else None)
        kind = "whole" if element.type == "count" else "decimal"
        if high is None:
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_number_text(low), allow_blank=True)
            message = _("Enter a whole number of at least %(low)s.") % {"low": _shown(low)}
        else:
            dv = DataValidation(type=kind, operator="between", formula1=_number_text(low),
                                formula2=_number_text(high), allow_blank=True)
            template = _("Enter a whole number from %(low)s to %(high)s.") if element.type == "count" \
                else _("Enter a number from %(low)s to %(high)s.")
            message = template % {"low": _shown(low), "high": _shown(high)}
    elif element.type == "date":
        dv = DataValidation(type="date", operator="between", formula1=str(FIRST_SERIAL), formula2=str(LAST_SERIAL),
                            allow_blank=True)
        message = _("Enter a date as dd/mm/yyyy.")
    else:
        dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT), allow_blank=True)
        message = _("The text is too long (at most %(max)s characters).") % {"max": MAX_TEXT}
    dv.error, dv.errorTitle, dv.showErrorMessage = message, title, True
    return dv


def _not_asked_validation() -> DataValidation:
    dv = DataValidation(type="textLength", operator="equal", formula1="0", allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = (
        _("This union is not asked this item: leave the cell empty."), _("Invalid value"), True)
    return dv


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows: 4, 5, 6, 9 -> (4, 6), (9, 9)."""
    runs = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def build_template(period: Period, root_unit: Unit, out=None) -> bytes:
    """The .xlsx template of `root_unit`'s subtree for `period`, pre-filled with what is
    already entered. Returns the file's bytes (and writes them to `out` if given)."""
    program = _program_with_elements(period)
    elements = sheet_elements(program)
    rows = sheet_rows(period, sheet_units(period, root_unit))
    note_column = FIRST_ELEMENT_COLUMN + len(elements)
    last_letter = get_column_letter(note_column)
    last_row = FIRST_ROW + len(rows) - 1

    workbook = Workbook()
    ws = workbook.active
    ws.title = SHEET
    _text_cell(ws["A1"], _("Report for %(period)s — %(unit)s") % {"period": period.label, "unit": root_unit.name})
    ws["A1"].font = Font(bold=True, size=14)
    _text_cell(ws["A2"], _(
        "Fill in the white cells, one row per grassroots union. Grey cells are items the union is not "
        "asked: leave them empty. Yes/no: %(yes)s or %(no)s; dates: dd/mm/yyyy. Explain in “%(note)s” "
        "any value that raises a warning. Do not change the codes, the headers or the order of the columns."
    ) % {"yes": YES, "no": NO, "note": NOTE_HEADER})
    ws["A2"].font = Font(italic=True, color="555555")

    for index, header in enumerate(headers_for(elements), start=1):
        cell = ws.cell(row=HEADER_ROW, column=index)
        _text_cell(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for offset, element in enumerate(elements):
        if element.help:
            comment = Comment(element.help, "Tiến độ")
            comment.width, comment.height = 320, 140
            ws.cell(row=HEADER_ROW, column=FIRST_ELEMENT_COLUMN + offset).comment = comment
    ws.row_dimensions[HEADER_ROW].height = 90

    not_asked = _not_asked_validation()
    validations = [_validation_for(e) for e in elements]
    validated: dict[tuple[int, str], list[int]] = {}  # (validation, column letter) -> row numbers
    for number, row in enumerate(rows, start=FIRST_ROW):
        _text_cell(ws.cell(row=number, column=1), row.unit.code)
        name = ws.cell(row=number, column=2)
        _text_cell(name, row.unit.name)
        name.alignment = Alignment(wrap_text=True, vertical="top")
        for offset, element in enumerate(elements):
            column = FIRST_ELEMENT_COLUMN + offset
            cell = ws.cell(row=number, column=column)
            if element.code in row.asked:
                _text_cell(cell, _cell_value(element, row.values.get(element.code)))
                validated.setdefault((offset, cell.column_letter), []).append(number)
            else:
                cell.fill = NOT_ASKED_FILL
                validated.setdefault((-1, cell.column_letter), []).append(number)
            if element.type == "count":
                cell.number_format = COUNT_FORMAT
            elif element.type == "percent":
                cell.number_format = PERCENT_FORMAT
            elif element.type == "date":
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="center") if element.type in ("boolean", "quality_class") \
                else Alignment()
        note = ws.cell(row=number, column=note_column)
        _text_cell(note, row.note or None)
        note.alignment = Alignment(wrap_text=True)
    for (index, letter), numbers in validated.items():
        validation = not_asked if index < 0 else validations[index]
        for first, last in _runs(numbers):
            validation.add(f"{letter}{first}:{letter}{last}" if last > first else f"{letter}{first}")
    for validation in [*validations, not_asked]:
        if validation.sqref.ranges:
            ws.add_data_validation(validation)

    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 42
    for offset, element in enumerate(elements):
        ws.column_dimensions[get_column_letter(FIRST_ELEMENT_COLUMN + offset)].width = \
            24 if element.type == "text" else 16
    ws.column_dimensions[last_letter].width = 40
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=FIRST_ELEMENT_COLUMN).coordinate
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    meta = workbook.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["program", program.code])
    meta.append(["period", period.id])
    meta.append(["root", root_unit.code])
    meta.append(["built_at", timezone.localtime().isoformat(timespec="seconds")])
    for offset, element in enumerate(elements):
        meta.append(["column", get_column_letter(FIRST_ELEMENT_COLUMN + offset), element.code])
    for row in rows:
        meta.append(["version", row.unit.code, row.version, fingerprint(row.asked, row.values, row.note)])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True

    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    if out is not None:
        out.write(content)
    return content


# --- reading a file back -------------------------------------------------------------------
@dataclass(frozen=True)
class SheetError:
    """One problem, where the user can find it in the file."""

    sheet: str
    row: int | None
    column: str  # letter, "" for the whole file or row
    header: str
    message: str

    def __str__(self) -> str:
        where = "!".join(p for p in (self.sheet, f"{self.column}{self.row or ''}") if p)
        return f"{where} [{self.header}]: {self.message}" if self.header else f"{where}: {self.message}"


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


class CellError(ValueError):
    pass


@dataclass
class _Row:
    """A data row of the uploaded sheet, parsed."""

    number: int
    code: str
    values: dict = field(default_factory=dict)  # every column's parsed value, by element code
    bad: set[str] = field(default_factory=set)  # elements whose cell could not be read
    note: str = ""
    unit: Unit | None = None


def _clean_text(value) -> str:
    """A cell's content as one line of text, cleaned as the web forms clean text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value), multiline=False)


def _text_cell(cell, text) -> None:
    """Write text people typed as text: cleaned of what an .xlsx cannot hold, and a value that
    starts with "=" kept as words, never turned into a formula Excel would run."""
    cell.value = clean_text(text) if isinstance(text, str) else text
    keep_as_words(cell)


def _bounded(number):
    """Refuse what the database cannot store (DataValue.number has 12 digits before the point)."""
    if abs(number) >= MAX_NUMBER:
        raise CellError(_("The number is too large."))
    return number


def parse_cell(kind: str, value):
    """A cell's value as the Python value of an element of this type (None for blank);
    raises CellError with the reason."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if kind == "count":
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number of 0 or more."))
        if isinstance(value, str):
            digits = re.sub(r"[. ]", "", value) if GROUPED_NUMBER.match(value) else value
            if not WHOLE_NUMBER.match(digits):
                raise CellError(_("Enter a whole number of 0 or more."))
            if len(digits.lstrip("0")) > len(str(MAX_NUMBER)):  # before int(): 5,000 digits would not convert
                raise CellError(_("The number is too large."))
            return _bounded(int(digits))
        if isinstance(value, int | float | Decimal) and math.isfinite(value) and value == int(value) and value >= 0:
            return _bounded(int(value))
        raise CellError(_("Enter a whole number of 0 or more."))
    if kind == "percent":
        if isinstance(value, bool | datetime.date):
            raise CellError(_("Enter a number."))
        try:
            number = Decimal(value.replace(",", ".") if isinstance(value, str) else str(value))
        except InvalidOperation:
            raise CellError(_("Enter a number.")) from None
        if not number.is_finite():
            raise CellError(_("Enter a number."))
        return _bounded(number).quantize(Decimal("0.01"))
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = fold(str(value))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise CellError(_("Enter %(yes)s or %(no)s.") % {"yes": YES, "no": NO})
    if kind == "quality_class":
        letter = str(value).strip().upper()
        if letter in CLASSES:
            return letter
        raise CellError(_("Enter a class: A, B, C or D."))
    if kind == "date":
        date = _date(value)
        if date is None:
            raise CellError(_("Enter a date as dd/mm/yyyy."))
        if not FIRST_DATE <= date <= LAST_DATE:
            raise CellError(date_range_message())
        return date
    text = _clean_text(value)
    if len(text) > MAX_TEXT:
        raise CellError(_("The text is too long (at most %(max)s characters).") % {"max": MAX_TEXT})
    return text or None


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and FIRST_SERIAL <= value <= LAST_SERIAL:
        return from_excel(value).date()
    if isinstance(value, str) and (match := DATE_TEXT.match(value)):
        day, month, year = (int(part) for part in match.groups())
        with contextlib.suppress(ValueError):
            return datetime.date(year, month, day)
    return None


def _is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"


class ImportTooLong(Exception):
    """Reading the file took longer than IMPORT_SECONDS."""


class Deadline:
    """The moment reading a file must stop by; `check()` raises ImportTooLong after it."""

    def __init__(self, seconds: float | None = None):
        self.seconds = IMPORT_SECONDS if seconds is None else seconds
        self.at = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise ImportTooLong


# The XML tags the limits count, with or without a namespace prefix: rows and cells in order
# (cells are counted row by row), shared strings by the chunk (a tag cut in two by a chunk's
# end is missed: at most one in a MB), and the shared strings' table, whose count attributes
# are checked too.
COUNTED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|sst)(?=[\s/>])([^>]*)>")
SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si(?=[\s/>])")
ROW_NUMBER = re.compile(rb'\br="([0-9]{1,9})"')
STRING_COUNT = re.compile(rb'\b(?:count|uniqueCount)="([0-9]{1,12})"')
SCAN_TAIL = 1024  # bytes kept from one chunk to the next, so that a tag cut in two is counted once


def _contents_limit(archive: zipfile.ZipFile, deadline: Deadline) -> str:
    """The first limit the unzipped XML passes, as a message ("" when it passes none). Every
    part is scanned in chunks and the scan stops at the first limit, so a hostile file costs
    little more than unzipping up to there."""
    counts = _XmlCounts()
    for info in archive.infolist():
        counts.new_part()
        tail = b""
        with archive.open(info) as part:
            while chunk := part.read(1 << 20):
                deadline.check()
                data = tail + chunk
                counts.tags += chunk.count(b"<")
                counts.strings += len(SHARED_STRING.findall(chunk))
                for match in COUNTED_TAG.finditer(data):
                    if match.end() > len(tail) and (message := counts.tag(match.group(1), match.group(2))):
                        return message  # (a match that ends in the tail was counted with the previous chunk)
                if message := counts.totals_limit():
                    return message
                tail = data[-SCAN_TAIL:]
    return ""


class _XmlCounts:
    """What _contents_limit counts: in the whole file, and in the part and row being read."""

    def __init__(self):
        self.tags = self.cells = self.strings = 0
        self.new_part()

    def new_part(self) -> None:
        self.rows = self.row_number = self.row_cells = 0

    def tag(self, name: bytes, attributes: bytes) -> str:
        """Count one row, cell or shared-string table; the limit it passes, if any."""
        if name == b"c":
            self.cells, self.row_cells = self.cells + 1, self.row_cells + 1
            if self.row_cells > MAX_CELLS_IN_ROW:
                return _("A row of the file holds more than %(max)s cells, far more than a template's columns. "
                         "Delete the cells to the right of the template's columns.") % {"max": MAX_CELLS_IN_ROW}
        elif name == b"row":
            number = ROW_NUMBER.search(attributes)
            self.row_number = int(number.group(1)) if number else self.row_number + 1
            self.rows, self.row_cells = self.rows + 1, 0
            if max(self.rows, self.row_number) > MAX_SHEET_ROWS:
                return _("A sheet of the file goes down to row %(row)s, blank rows included; a template has at "
                         "most %(max)s rows. Delete the rows below the data.") % {
                    "row": max(self.rows, self.row_number), "max": FIRST_ROW + MAX_ROWS - 1}
        elif (declared := STRING_COUNT.search(attributes)) and int(declared.group(1)) > MAX_SHARED_STRINGS:
            self.strings = int(declared.group(1))  # the table says how many strings it holds
        return self.totals_limit()

    def totals_limit(self) -> str:
        if self.strings > MAX_SHARED_STRINGS:
            return _("The file holds %(count)s different texts or more; a template holds at most %(max)s. "
                     "Download the template from this page and fill it in.") % {
                "count": self.strings, "max": MAX_SHARED_STRINGS}
        if self.cells > MAX_CELLS:
            return _("The file holds more than %(max)s cells; a template holds far fewer. Delete what is outside "
                     "the template's rows and columns.") % {"max": MAX_CELLS}
        if self.tags > MAX_TAGS:
            return _("The file holds far more than a filled-in template. Download the template from this page and "
                     "fill it in.")
        return ""


def _too_long_message() -> str:
    return _("Reading the file took longer than %(seconds)s seconds, the limit: it holds far more than a template. "
             "Download the template from this page and fill it in.") % {"seconds": IMPORT_SECONDS}


def _open_workbook(file, deadline: Deadline):
    """The workbook, or None and why when the bytes are not a readable .xlsx file or hold
    more than any template (checked before openpyxl reads any of it)."""
    if hasattr(file, "seek"):
        with contextlib.suppress(OSError):
            file.seek(0)
    content = file.read() if hasattr(file, "read") else bytes(file)
    if len(content) > MAX_UPLOAD_BYTES:
        return None, _("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
    if not content.startswith(b"PK\x03\x04"):
        return None, None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if unzipped > MAX_UNZIPPED_BYTES:
                return None, _("The file holds far more than a filled-in template (%(size)s MB once unzipped; a "
                               "template is at most %(limit)s MB). Download the template from this page and fill "
                               "it in.") % {"size": unzipped // (1024 * 1024),
                                            "limit": MAX_UNZIPPED_BYTES // (1024 * 1024)}
            limit = _contents_limit(archive, deadline)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError, OSError):
        return None, None  # NotImplementedError: a compression method zipfile does not know
    if limit:
        return None, limit
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=False), None
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException, XML errors)
        return None, None


def _read_meta(workbook) -> dict:
    meta = {"columns": {}, "versions": {}}
    for row in workbook[META_SHEET].iter_rows(values_only=True, max_col=4, max_row=MAX_SHEET_ROWS):
        key = _clean_text(row[0]) if row else ""
        if key == "column" and len(row) > 2:
            meta["columns"][_clean_text(row[1])] = _clean_text(row[2])
        elif key == "version" and len(row) > 2:
            meta["versions"][_clean_text(row[1])] = (_as_version(row[2]), _clean_text(row[3]) if len(row) > 3 else "")
        elif key and len(row) > 1:
            meta[key] = _clean_text(row[1])
    return meta


def _as_version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite float
        return 0


def _as_id(text: str) -> int | None:
    """A database id written in the file, or None if it is not one (not ASCII digits, or
    larger than the database's integers: a tampered file must not reach a query)."""
    return int(text) if WHOLE_NUMBER.match(text or "") and len(text) <= 18 else None


def _file_error(message: str, sheet: str = "") -> ImportResult:
    return ImportResult(errors=[SheetError(sheet, None, "", "", message)])


def _stale_message(report: Report) -> str:
    return stale_message(report, _("download a new template and enter this row again."))


def import_spreadsheet(file, period: Period, user, submit: bool = False, root: Unit | None = None,
                       seen_versions: dict[str, int] | None = None) -> ImportResult:
    """Read a filled-in template and save it, all or nothing: plan_spreadsheet, then save.

    `seen_versions` are the versions the user saw in the preview: a row whose report changed
    since is refused. Returns the errors (and nothing is saved) or what was done."""
    result = plan_spreadsheet(file, period, user, submit, root, seen_versions)
    if not result.ok:
        return result
    return _save(result.plans, period, user, result)


def plan_spreadsheet(file, period: Period, user, submit: bool = False, root: Unit | None = None,
                     seen_versions: dict[str, int] | None = None) -> ImportResult:
    """Read a filled-in template and say what importing it would do, writing nothing.

    `file` is a file-like object (an upload) or bytes. When `root` is given the file must have
    been built for that unit. Returns the errors, or per row what would be saved and sent."""
    deadline = Deadline()
    try:
        workbook, message = _open_workbook(file, deadline)
        if workbook is None:
            return _file_error(message or _(
                "The file is not an Excel spreadsheet (.xlsx). Download the template from this page, fill it in "
                "and upload it again."))
        try:
            return _plan(workbook, period, user, submit, root, seen_versions, deadline)
        finally:
            workbook.close()
    except ImportTooLong:
        return _file_error(_too_long_message())


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
    meta = _read_meta(workbook)
    program = _program_with_elements(period)
    if meta.get("format") != FORMAT or meta.get("program") != program.code:
        return _file_error(_("This file was not made for this program. Download the template from this page."),
                           META_SHEET)
    if meta.get("period") != str(period.id):
        other_id = _as_id(meta.get("period", ""))
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

    elements = sheet_elements(program)
    letters = [get_column_letter(FIRST_ELEMENT_COLUMN + i) for i in range(len(elements))]
    if meta["columns"] != dict(zip(letters, [e.code for e in elements], strict=True)):
        return _file_error(_(
            "The template is out of date: the program's data elements changed since it was downloaded. "
            "Download a new template."), META_SHEET)

    ws = workbook[SHEET]
    headers = headers_for(elements)
    errors = _merge_errors(ws, headers, deadline) or _header_errors(ws, headers)
    if errors:
        return ImportResult(errors=errors)
    rows, errors = _read_rows(ws, elements, headers, deadline)
    if errors and any(e.row is None for e in errors):
        return ImportResult(errors=errors)
    result = ImportResult()
    rows = _resolve_units(rows, period, root, user, headers, errors)
    result.plans = _plan_rows(rows, period, program, elements, headers, meta["versions"], submit, errors, result,
                              seen_versions, deadline)
    if errors:
        errors.sort(key=lambda e: (e.row or 0, len(e.column), e.column))
        return ImportResult(errors=errors)
    return result


def _merge_errors(ws, headers: list[str], deadline: Deadline) -> list[SheetError]:
    """Merged cells in the headers or the data: one value would stand for several cells."""
    errors = []
    for cells in _merged_ranges(ws, deadline):
        if cells.max_row >= HEADER_ROW:
            column = cells.min_col
            errors.append(SheetError(ws.title, cells.min_row, get_column_letter(column),
                                     headers[column - 1] if column <= len(headers) else "", _(
                "The cells %(cells)s are merged: unmerge them, so that each cell holds its own value.")
                % {"cells": cells.coord}))
    return errors


def _merged_ranges(ws, deadline: Deadline) -> list[CellRange]:
    """A read-only sheet's merged ranges. openpyxl reads them only when it loads a whole sheet;
    here they are found in the sheet's XML by a scan, much faster than parsing it again."""
    ranges, tail = [], b""
    with ws._get_source() as source:  # openpyxl's own reader of the sheet's XML
        while chunk := source.read(1 << 20):
            deadline.check()
            data = tail + chunk
            # a match within the previous chunk's tail was taken then
            ranges += [CellRange(m.group(1).decode()) for m in MERGE_CELL.finditer(data) if m.end() > len(tail)]
            tail = data[-256:]
    return ranges


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_errors(ws, headers: list[str]) -> list[SheetError]:
    found = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, max_col=len(headers) + EXTRA_COLUMNS,
                              values_only=True), ())
    found = [_clean_text(v) for v in found] + [""] * (len(headers) + EXTRA_COLUMNS - len(found))
    errors = []
    for index, expected in enumerate(headers):
        if fold(found[index]) != fold(expected) or not found[index]:
            errors.append(SheetError(ws.title, HEADER_ROW, get_column_letter(index + 1), expected, _(
                "The header should be “%(expected)s”, not “%(found)s”. Do not insert, delete or move columns; "
                "download a new template if needed.") % {"expected": expected, "found": found[index]}))
    for index in range(len(headers), len(found)):
        if found[index]:
            errors.append(SheetError(ws.title, HEADER_ROW, get_column_letter(index + 1), found[index], _(
                "The template has no such column: remove it.")))
    return errors


def _read_rows(ws, elements: list[DataElement], headers: list[str], deadline: Deadline
               ) -> tuple[list[_Row], list[SheetError]]:
    rows, errors = [], []
    note_index = FIRST_ELEMENT_COLUMN - 1 + len(elements)
    width = len(headers)
    last = FIRST_ROW + MAX_ROWS - 1
    # Only the template's columns are read, and the few just after them, so that values typed
    # there are not silently left out (as many as _header_errors checks). Rows are read down to
    # the most any sheet may have (_contents_limit refused more), so that a sheet whose
    # <dimension> says it is a million rows long is not walked through; the row limit counts
    # blank rows too, so data below row `last` is refused however few rows hold data.
    for number, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_row=MAX_SHEET_ROWS,
                                                max_col=width + EXTRA_COLUMNS), start=FIRST_ROW):
        deadline.check()
        cells = list(cells) + [None] * (width + EXTRA_COLUMNS - len(cells))
        cells, outside = cells[:width], [getattr(c, "value", None) for c in cells[width:]]
        raw = [getattr(c, "value", None) for c in cells]
        if all(_blank(v) for v in raw) and all(_blank(v) for v in outside):
            continue
        for offset, value in enumerate(outside):
            if not _blank(value):
                errors.append(SheetError(ws.title, number, get_column_letter(width + offset + 1), "", _(
                    "This cell is outside the template's columns, so its value would be left out: move it to "
                    "its column or delete it.")))
        if number > last:
            errors.append(SheetError(ws.title, None, "", "", _(
                "The sheet has too many rows (more than %(max)s, blank rows included): a template ends at row "
                "%(last)s.") % {"max": MAX_ROWS, "last": last}))
            break

        def error(index: int, message: str, number=number) -> None:
            errors.append(SheetError(ws.title, number, get_column_letter(index + 1), headers[index], message))

        formula = _("A formula is not accepted: type the value itself.")
        for index, cell in enumerate(cells):
            if _is_formula(cell):
                error(index, formula)
        row = _Row(number=number, code="" if _is_formula(cells[0]) else _clean_text(raw[0]))
        for offset, element in enumerate(elements):
            index = FIRST_ELEMENT_COLUMN - 1 + offset
            if _is_formula(cells[index]):
                row.bad.add(element.code)
                continue
            try:
                row.values[element.code] = parse_cell(element.type, raw[index])
            except CellError as problem:
                row.bad.add(element.code)
                error(index, str(problem))
        if not _is_formula(cells[note_index]):
            row.note = _clean_text(raw[note_index])
            if len(row.note) > MAX_NOTE:
                error(note_index, _("The text is too long (at most %(max)s characters).") % {"max": MAX_NOTE})
        if not row.code and not _is_formula(cells[0]):
            error(0, _("This row has data but no unit code."))
        rows.append(row)
    return rows, errors


def _resolve_units(rows: list[_Row], period: Period, root: Unit, user, headers, errors) -> list[_Row]:
    """Attach each row's unit; a code that is unknown, repeated, outside the root's subtree or
    not expected in the period is an error."""
    codes = {row.code for row in rows if row.code}
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    expected = {u.id for u in sheet_units(period, root)}
    visible = set(visible_units(user).filter(code__in=codes).values_list("code", flat=True))
    seen, resolved = {}, []
    sheet = SHEET

    def error(row: _Row, message: str) -> None:
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
class _Plan:
    row: _Row
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


def _refusal(report: Report | None, period: Period) -> str:
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


def _plan_rows(rows, period, program, elements, headers, versions, submit, errors, result,
               seen_versions, deadline: Deadline) -> list[_Plan]:
    """Compare each row with the database and check it with the program's rules; count and
    describe every row in `result` (its preview)."""
    rules = list(program.validation_rules.all())
    by_code = {e.code: e for e in elements}
    columns = {e.code: (get_column_letter(FIRST_ELEMENT_COLUMN + i), headers[FIRST_ELEMENT_COLUMN - 1 + i])
               for i, e in enumerate(elements)}
    sheet_rows_by_unit = {r.unit.id: r for r in sheet_rows(period, [row.unit for row in rows])}
    previous = _previous_values(period, sheet_rows_by_unit)
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
            return check_values(elements_for(program, row.unit), values, rules, previous.get(row.unit.id),
                                for_submission=for_submission)

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
        refusal = _refusal(report, period)
        if refusal:
            error(refusal)
            continue
        if changed and report is not None and report.version != file_version:
            error(_stale_message(report))
        elif report is not None and seen_versions is not None and report.version != seen_versions.get(row.code, 0):
            error(_stale_message(report))  # changed since the preview the user confirmed
        if to_submit:
            findings = findings_for(for_submission=True)
        for finding in blocking(findings, comments):
            if finding.element not in row.bad:  # that cell already has its error
                error(finding.message, finding.element)
        if changed:
            result.changed.append(RowChange(row.unit, row.number, preview.changes))
        else:
            result.unchanged += 1
        if to_submit:
            result.submitted.append(row.unit)
        plans.append(_Plan(row, current, values, comments, changed, to_submit,
                           expected_version=seen_versions.get(row.code, 0) if seen_versions else current.version))
    return plans


class _Rollback(Exception):
    pass


def _save(plans: list[_Plan], period: Period, user, result: ImportResult) -> ImportResult:
    """Every row in one transaction; a late conflict (someone saved meanwhile) undoes them all."""
    errors = []
    result.changed, result.submitted = [], []
    try:
        with transaction.atomic(), batched_changes():
            # New reports in one INSERT (a report someone created meanwhile is kept, and its
            # version then tells whether it was written to).
            missing = [plan.row.unit for plan in plans if plan.sheet_row.report is None]
            Report.objects.bulk_create([Report(period=period, unit=unit) for unit in missing], ignore_conflicts=True)
            created = _reports_of(period, [unit.id for unit in missing])
            for plan in plans:
                current = plan.sheet_row
                report = current.report or created[plan.row.unit.id]
                try:
                    if plan.changed:
                        changes = do_save_values(report, plan.values, plan.comments, by=user,
                                                 expected_version=plan.expected_version,
                                                 action=ReportEvent.Action.IMPORTED)
                        result.changed.append(RowChange(plan.row.unit, plan.row.number, changes))
                    if plan.submit:
                        do_submit(report, by=user,
                                  expected_version=report.version if plan.changed else plan.expected_version)
                        result.submitted.append(plan.row.unit)
                except StaleReport as stale:
                    errors.append(SheetError(SHEET, plan.row.number, "A", CODE_HEADER, _stale_message(stale.report)))
                except SubmissionBlocked as blocked:
                    errors.extend(SheetError(SHEET, plan.row.number, "A", CODE_HEADER, f.message)
                                  for f in blocked.findings)
                except InvalidTransition:
                    errors.append(SheetError(SHEET, plan.row.number, "A", CODE_HEADER,
                                             _refusal(report, period) or _("This report cannot be changed now.")))
            if errors:
                raise _Rollback
    except _Rollback:
        return ImportResult(errors=errors)
    return result
