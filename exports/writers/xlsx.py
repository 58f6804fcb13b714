"""A Document as a workbook: a summary sheet, the reporting sheets, then one sheet per program
section with its targets' tables by unit. Numbers are stored as numbers with a number format
(a percentage as a fraction shown "0.0%"), so that the department can sort and add them up."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from exports.document import Cell, Document, Table
from units.text import keep_as_words

FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")
FIRST_ROW = 5  # rows 1–4 name the issuing body, the document, the sheet and the state of the data


def _cell_style_name(numeric: bool, bold: bool) -> str:
    return f"Bảng – {'số' if numeric else 'chữ'}{' đậm' if bold else ''}"


def _add_cell_styles(workbook: Workbook) -> None:
    """A table cell's looks, named in the workbook and given to each cell by name: boxed, Times
    New Roman 11 (bold in a total row), a number on the right, words on the left and wrapped.
    A Font, a Border and an Alignment set on each cell were matched against the workbook's own
    by hashing them: most of the time of a district's .xlsx (60,000 cells at 15,000 unions).
    Made for each workbook: a named style keeps the ids of the workbook it was added to."""
    for numeric in (False, True):
        for bold in (False, True):
            workbook.add_named_style(NamedStyle(
                _cell_style_name(numeric, bold), font=Font(name=FONT, bold=bold, size=11), border=BOX,
                alignment=Alignment(horizontal="right" if numeric else "left", vertical="top",
                                    wrap_text=not numeric)))


def write_xlsx(document: Document) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_cell_styles(workbook)
    by_sheet: dict[str, list[Table]] = defaultdict(list)
    for table in document.tables():
        by_sheet[table.sheet].append(table)
    for sheet in document.sheets:
        tables = by_sheet.get(sheet.key)
        if not tables:
            continue
        worksheet = workbook.create_sheet(sheet.name)
        for row, text in enumerate((document.issuing_body, document.title, sheet.title), start=1):
            _text(worksheet, row, 1, text)
        worksheet["A1"].font = Font(name=FONT, bold=True, size=12)
        worksheet["A2"].font = Font(name=FONT, bold=True, size=12)
        worksheet["A3"].font = Font(name=FONT, italic=True, size=12)
        worksheet["A4"] = document.data_stamp
        worksheet["A4"].font = Font(name=FONT, italic=True, size=10)
        row = FIRST_ROW
        for table in tables:
            row = _write_table(worksheet, table, row) + 1
        _widths(worksheet, tables)
        worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
        worksheet.page_setup.orientation = "landscape" if max(len(t.columns) for t in tables) > 6 else "portrait"
        worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.title = document.title
    workbook.properties.creator = document.issuing_body
    workbook.properties.description = document.data_stamp
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_table(worksheet, table: Table, row: int) -> int:
    """Writes the table from `row`; returns the row after it."""
    _text(worksheet, row, 1, table.title).font = Font(name=FONT, bold=True, size=12)
    row += 1
    for column_index, column in enumerate(table.columns, start=1):
        cell = _text(worksheet, row, column_index, column.label)
        cell.font = Font(name=FONT, bold=True, size=11)
        cell.fill, cell.border = HEADER_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row += 1
    for values in table.spreadsheet_rows:
        _write_row(worksheet, table, row, values, bold=False)
        row += 1
    if table.total:
        _write_row(worksheet, table, row, table.total, bold=True)
        row += 1
    note = table.note if table.sheet_rows is None else table.sheet_note
    if note:
        _text(worksheet, row, 1, note).font = Font(name=FONT, italic=True, size=11)
        row += 1
    return row


def _write_row(worksheet, table: Table, row: int, values: list[Cell], bold: bool) -> None:
    for column_index, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
        stored = value.value
        if isinstance(stored, Decimal):
            stored = float(stored)
        if stored is None and not column.numeric:
            stored = value.text
        cell = _text(worksheet, row, column_index, stored)
        cell.style = _cell_style_name(column.numeric, bold)
        if value.fmt and stored is not None:
            cell.number_format = value.fmt


def _text(worksheet, row: int, column: int, value):
    """Every cell is written here: names and labels that start with "=" stay words."""
    return keep_as_words(worksheet.cell(row=row, column=column, value=value))


def _widths(worksheet, tables: list[Table]) -> None:
    widths: dict[int, float] = {}
    for table in tables:
        for index, column in enumerate(table.columns, start=1):
            width = 13 if column.numeric else 6 + 12 * column.width
            widths[index] = max(widths.get(index, 0), width)
    for index, width in widths.items():
        worksheet.column_dimensions[get_column_letter(index)].width = width
