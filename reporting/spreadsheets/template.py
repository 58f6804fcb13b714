"""Writing the template: one row per union, pre-filled, with Excel's own checks on each cell and
the hidden sheet that says what the file was built for."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from programs.models import DataElement
from reporting.models import Period
from reporting.spreadsheets.cells import FIRST_SERIAL, LAST_SERIAL
from reporting.spreadsheets.layout import (
    CLASSES,
    COUNT_FORMAT,
    DATE_FORMAT,
    FIRST_ELEMENT_COLUMN,
    FIRST_ROW,
    FORMAT,
    HEADER_FILL,
    HEADER_ROW,
    META_SHEET,
    NO,
    NOT_ASKED_FILL,
    NOTE_HEADER,
    PERCENT_FORMAT,
    PREVIOUS_HEADER,
    PREVIOUS_REFERENCE,
    REFERENCE_FILL,
    SHEET,
    STATUS_HEADER,
    STATUS_REFERENCE,
    YES,
    headers_for,
)
from reporting.spreadsheets.rows import (
    fingerprint,
    previous_values_of,
    programs_code,
    sheet_elements,
    sheet_rows,
    sheet_units,
)
from reporting.validation import (
    MAX_TEXT,
)
from tiendo.formatting import amount
from units.models import Unit
from units.text import clean_text, keep_as_words

# A row's looks, made once: openpyxl matches each look set on a cell against the workbook's by
# hashing it, and a district's sheet has tens of thousands of cells.
CENTERED = Alignment(horizontal="center")
WRAPPED_TOP = Alignment(wrap_text=True, vertical="top")
WRAPPED = Alignment(wrap_text=True)
GREY = Font(color="555555")


def template_filename(period: Period, root: Unit) -> str:
    half = f"-{period.half}" if period.kind == Period.Kind.HALF else ""
    code = re.sub(r"[^A-Za-z0-9.]+", "-", root.code)
    return f"bao-cao-{code}-{period.year}{half}.xlsx"


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
    return amount(number)


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
        low, high = element.bounds.low, element.bounds.high
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


def _reference_validation() -> DataValidation:
    """The reference columns are there to read: Excel refuses what is typed into them."""
    dv = DataValidation(type="textLength", operator="equal", formula1="0", allow_blank=True)
    dv.error, dv.errorTitle, dv.showErrorMessage = (
        _("This column is for reference only and is not imported: type the values in the white cells."),
        _("Invalid value"), True)
    return dv


def _references(period: Period, elements: list[DataElement]) -> list[tuple[str, str, DataElement | None]]:
    """The columns after the note: (header, what the hidden sheet calls it, element), the
    report's status first, then the previous period's value of each element but the texts."""
    columns = [(STATUS_HEADER, STATUS_REFERENCE, None)]
    previous = period.previous()
    if previous is not None:
        columns += [(PREVIOUS_HEADER % {"label": e.label, "period": previous.label}, PREVIOUS_REFERENCE + e.code, e)
                    for e in elements if e.type != "text"]
    return columns


def _status_text(report) -> str:
    return report.get_status_display() if report is not None else _("no report yet")


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
    elements = sheet_elements(period)
    rows = sheet_rows(period, sheet_units(period, root_unit))
    note_column = FIRST_ELEMENT_COLUMN + len(elements)
    references = _references(period, elements)
    previous = previous_values_of(period, [row.unit.id for row in rows]) if len(references) > 1 else {}
    last_letter = get_column_letter(note_column + len(references))
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
    ) % {"yes": YES, "no": NO, "note": NOTE_HEADER} + " " + _(
        "The light grey columns after “%(note)s” (the report's status, last year's values) are there to "
        "read: they are not imported.") % {"note": NOTE_HEADER})
    ws["A2"].font = Font(italic=True, color="555555")

    for index, header in enumerate([*headers_for(elements), *(r[0] for r in references)], start=1):
        cell = ws.cell(row=HEADER_ROW, column=index)
        _text_cell(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL if index <= note_column else REFERENCE_FILL
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
        name.alignment = WRAPPED_TOP
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
            if element.type in ("boolean", "quality_class"):  # any other keeps the default alignment
                cell.alignment = CENTERED
        note = ws.cell(row=number, column=note_column)
        _text_cell(note, row.note or None)
        note.alignment = WRAPPED
        for offset, (_header, _name, element) in enumerate(references, start=1):
            cell = ws.cell(row=number, column=note_column + offset)
            if element is None:
                _text_cell(cell, _status_text(row.report))
            else:
                _text_cell(cell, _cell_value(element, previous.get(row.unit.id, {}).get(element.code)))
                cell.number_format = {"count": COUNT_FORMAT, "percent": PERCENT_FORMAT,
                                      "date": DATE_FORMAT}.get(element.type, cell.number_format)
            cell.fill, cell.font = REFERENCE_FILL, GREY
    for (index, letter), numbers in validated.items():
        validation = not_asked if index < 0 else validations[index]
        for first, last in _runs(numbers):
            validation.add(f"{letter}{first}:{letter}{last}" if last > first else f"{letter}{first}")
    reference = _reference_validation()
    if rows:
        reference.add(f"{get_column_letter(note_column + 1)}{FIRST_ROW}:{last_letter}{last_row}")
    for validation in [*validations, not_asked, reference]:
        if validation.sqref.ranges:
            ws.add_data_validation(validation)

    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 42
    for offset, element in enumerate(elements):
        ws.column_dimensions[get_column_letter(FIRST_ELEMENT_COLUMN + offset)].width = \
            24 if element.type == "text" else 16
    ws.column_dimensions[get_column_letter(note_column)].width = 40
    for offset in range(1, len(references) + 1):
        ws.column_dimensions[get_column_letter(note_column + offset)].width = 16
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=FIRST_ELEMENT_COLUMN).coordinate
    if rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{last_row}"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

    meta = workbook.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["program", programs_code(period)])
    meta.append(["period", period.id])
    meta.append(["root", root_unit.code])
    meta.append(["built_at", timezone.localtime().isoformat(timespec="seconds")])
    for offset, element in enumerate(elements):
        meta.append(["column", get_column_letter(FIRST_ELEMENT_COLUMN + offset), element.code])
    for offset, (_header, name, _element) in enumerate(references, start=1):
        meta.append(["reference", get_column_letter(note_column + offset), name])
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


def _text_cell(cell, text) -> None:
    """Write text people typed as text: cleaned of what an .xlsx cannot hold, and a value that
    starts with "=" kept as words, never turned into a formula Excel would run."""
    cell.value = clean_text(text) if isinstance(text, str) else text
    keep_as_words(cell)
