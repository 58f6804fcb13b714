"""Reading an uploaded file back, within limits: what a file may hold is counted while it is
unzipped, before openpyxl reads any of it; then the headers and the rows, parsed, every
problem located by sheet, row, column and header."""

from __future__ import annotations

import contextlib
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from programs.models import DataElement
from reporting.spreadsheets.cells import WHOLE_NUMBER, CellError, cell_text, is_formula, parse_cell
from reporting.spreadsheets.layout import (
    EXTRA_COLUMNS,
    FIRST_ELEMENT_COLUMN,
    FIRST_ROW,
    HEADER_ROW,
    MAX_NOTE,
    META_SHEET,
)
from units.models import Unit
from units.text import fold

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # data rows, blank ones included: the sheet is read down to row FIRST_ROW + MAX_ROWS

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

# <mergeCell ref="C4:D4"/> in a sheet's XML, with or without a namespace prefix.
MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="'
                        rb'([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


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
class ParsedRow:
    """A data row of the uploaded sheet, parsed."""

    number: int
    code: str
    values: dict = field(default_factory=dict)  # every column's parsed value, by element code
    bad: set[str] = field(default_factory=set)  # elements whose cell could not be read
    note: str = ""
    unit: Unit | None = None


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


def too_long_message() -> str:
    return _("Reading the file took longer than %(seconds)s seconds, the limit: it holds far more than a template. "
             "Download the template from this page and fill it in.") % {"seconds": IMPORT_SECONDS}


def open_workbook(file, deadline: Deadline):
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


def read_meta(workbook) -> dict:
    meta = {"columns": {}, "versions": {}, "references": {}}
    for row in workbook[META_SHEET].iter_rows(values_only=True, max_col=4, max_row=MAX_SHEET_ROWS):
        key = cell_text(row[0]) if row else ""
        if key == "column" and len(row) > 2:
            meta["columns"][cell_text(row[1])] = cell_text(row[2])
        elif key == "reference" and len(row) > 2:
            meta["references"][cell_text(row[1])] = cell_text(row[2])
        elif key == "version" and len(row) > 2:
            meta["versions"][cell_text(row[1])] = (_as_version(row[2]), cell_text(row[3]) if len(row) > 3 else "")
        elif key and len(row) > 1:
            meta[key] = cell_text(row[1])
    return meta


def _as_version(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an infinite float
        return 0


def as_id(text: str) -> int | None:
    """A database id written in the file, or None if it is not one (not ASCII digits, or
    larger than the database's integers: a tampered file must not reach a query)."""
    return int(text) if WHOLE_NUMBER.match(text or "") and len(text) <= 18 else None


def merge_errors(ws, headers: list[str], deadline: Deadline) -> list[SheetError]:
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


def header_errors(ws, headers: list[str], references: int = 0) -> list[SheetError]:
    """The template's headers where they belong, and none after them; the `references`
    columns just after the note (status, last year's values) are not read, their headers neither."""
    found = next(ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW,
                              max_col=len(headers) + references + EXTRA_COLUMNS, values_only=True), ())
    found = [cell_text(v) for v in found] + [""] * (len(headers) + references + EXTRA_COLUMNS - len(found))
    errors = []
    for index, expected in enumerate(headers):
        if fold(found[index]) != fold(expected) or not found[index]:
            errors.append(SheetError(ws.title, HEADER_ROW, get_column_letter(index + 1), expected, _(
                "The header should be “%(expected)s”, not “%(found)s”. Do not insert, delete or move columns; "
                "download a new template if needed.") % {"expected": expected, "found": found[index]}))
    for index in range(len(headers) + references, len(found)):
        if found[index]:
            errors.append(SheetError(ws.title, HEADER_ROW, get_column_letter(index + 1), found[index], _(
                "The template has no such column: remove it.")))
    return errors


def read_rows(ws, elements: list[DataElement], headers: list[str], deadline: Deadline, references: int = 0
               ) -> tuple[list[ParsedRow], list[SheetError]]:
    """The data rows, parsed. The `references` columns after the note are skipped: whatever
    they hold (the template writes the status and last year's values there) is never a value."""
    rows, errors = [], []
    note_index = FIRST_ELEMENT_COLUMN - 1 + len(elements)
    width = len(headers)
    read = width + references + EXTRA_COLUMNS
    last = FIRST_ROW + MAX_ROWS - 1
    # Only the template's columns are read, and the few just after them, so that values typed
    # there are not silently left out (as many as header_errors checks). Rows are read down to
    # the most any sheet may have (_contents_limit refused more), so that a sheet whose
    # <dimension> says it is a million rows long is not walked through; the row limit counts
    # blank rows too, so data below row `last` is refused however few rows hold data.
    for number, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW, max_row=MAX_SHEET_ROWS,
                                                max_col=read), start=FIRST_ROW):
        deadline.check()
        cells = list(cells) + [None] * (read - len(cells))
        cells, outside = cells[:width], [getattr(c, "value", None) for c in cells[width + references:]]
        raw = [getattr(c, "value", None) for c in cells]
        if all(_blank(v) for v in raw) and all(_blank(v) for v in outside):
            continue
        for offset, value in enumerate(outside):
            if not _blank(value):
                errors.append(SheetError(ws.title, number, get_column_letter(width + references + offset + 1), "", _(
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
            if is_formula(cell):
                error(index, formula)
        row = ParsedRow(number=number, code="" if is_formula(cells[0]) else cell_text(raw[0]))
        for offset, element in enumerate(elements):
            index = FIRST_ELEMENT_COLUMN - 1 + offset
            if is_formula(cells[index]):
                row.bad.add(element.code)
                continue
            try:
                row.values[element.code] = parse_cell(element.type, raw[index])
            except CellError as problem:
                row.bad.add(element.code)
                error(index, str(problem))
        if not is_formula(cells[note_index]):
            row.note = cell_text(raw[note_index])
            if len(row.note) > MAX_NOTE:
                error(note_index, _("The text is too long (at most %(max)s characters).") % {"max": MAX_NOTE})
        if not row.code and not is_formula(cells[0]):
            error(0, _("This row has data but no unit code."))
        rows.append(row)
    return rows, errors
