"""A reorganisation batch as a spreadsheet: the template, and an uploaded file read into the
batch format of units.reorganisation (the YAML file's `units` and `changes`), every bad row
named by its sheet, row and column.

One sheet, one row per change, the columns after the YAML format:

    Hành động | Mã đơn vị | Tên mới | Loại đơn vị | Đơn vị cấp trên mới | Đơn vị kế thừa |
    Ngày hiệu lực | Lý do | Số văn bản | Ngày văn bản

* tạo mới (create): code, name, kind, new parent; the effective date is the unit's first day;
* đổi tên (rename): code, new name;
* chuyển (move): one or more codes (separated by commas), new parent;
* sáp nhập (merge): one or more codes, the successor they merge into;
* chia tách (split): one code, two or more successors (the first is the primary one);
* giải thể (dissolve): one code, its successor or none.

The batch's own code, title, reason and document come from the upload form. The file's words
(sheet name, headers, actions, kinds) are constants, not translated strings: they are a file
format, read back whatever the interface language.
"""

from __future__ import annotations

import datetime
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from reporting.spreadsheets import SheetError
from reporting.spreadsheets.cells import cell_text
from reporting.spreadsheets.layout import HEADER_FILL
from reporting.spreadsheets.reading import Deadline, ImportTooLong, open_workbook, too_long_message
from tiendo.problems import LocatedDict
from units.models import UnitKind
from units.text import fold

SHEET = "Thay đổi"
HEADERS = ("Hành động", "Mã đơn vị", "Tên mới", "Loại đơn vị", "Đơn vị cấp trên mới", "Đơn vị kế thừa",
           "Ngày hiệu lực", "Lý do", "Số văn bản", "Ngày văn bản")
ACTION, CODE, NAME, KIND, PARENT, SUCCESSOR, ON, REASON, DOC_NUMBER, DOC_DATE = range(1, 11)
HEADER_ROW, FIRST_ROW = 1, 2
MAX_ROWS = 5000  # the 2025 batch of the demo has about 2,300 changes
ACTION_WORDS = {"create": "tạo mới", "rename": "đổi tên", "move": "chuyển", "merge": "sáp nhập",
                "split": "chia tách", "dissolve": "giải thể"}
ACTION_BY_WORD = {fold(word): action for action, word in ACTION_WORDS.items()} | {a: a for a in ACTION_WORDS}
KIND_WORDS = {UnitKind.GRASSROOTS: "Công đoàn cơ sở", UnitKind.COMMUNE: "Công đoàn xã, phường, đặc khu",
              UnitKind.DISTRICT: "Liên đoàn Lao động huyện", UnitKind.SECTOR: "Công đoàn ngành",
              UnitKind.INDUSTRIAL_ZONE: "Công đoàn các Khu công nghiệp", UnitKind.PROVINCE: "Liên đoàn Lao động tỉnh"}
KIND_BY_WORD = {fold(word): kind.value for kind, word in KIND_WORDS.items()} | {k.value: k.value for k in KIND_WORDS}
# Which column holds each field of the batch format, to name the cell of a problem.
COLUMN_OF_FIELD = {"code": CODE, "unit": CODE, "units": CODE, "name": NAME, "kind": KIND, "parent": PARENT,
                   "to": PARENT, "into": SUCCESSOR, "successor": SUCCESSOR, "on": ON, "valid_from": ON,
                   "reason": REASON, "document": DOC_NUMBER, "number": DOC_NUMBER, "date": DOC_DATE}
EXAMPLE = ("chuyển", "AG.883.00001", "", "", "AG.CX.30280", "", "01/07/2025", "Bỏ cấp huyện", "12/QĐ-LĐLĐ",
           "30/06/2025")
DATE_TEXT = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def build_template() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = max(14, len(header) + 4)
    sheet.append(EXAMPLE)
    sheet.freeze_panes = "A2"
    for column, words in ((ACTION, ACTION_WORDS.values()), (KIND, KIND_WORDS.values())):
        letter = get_column_letter(column)
        rule = DataValidation(type="list", formula1='"' + ",".join(w.replace(",", "") for w in words) + '"',
                              allow_blank=True)
        rule.add(f"{letter}{FIRST_ROW}:{letter}{FIRST_ROW + MAX_ROWS}")
        sheet.add_data_validation(rule)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_error(row: int | None, column: int | None, message: str) -> SheetError:
    if column is None:
        return SheetError(SHEET if row else "", row, "", "", message)
    return SheetError(SHEET, row, get_column_letter(column), HEADERS[column - 1], message)


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = DATE_TEXT.match(cell_text(value))
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    return None


def _codes(text: str) -> list[str]:
    return [code for code in re.split(r"[,;\s]+", text) if code]


def _located(row: int, values: dict) -> LocatedDict:
    """A row's item, remembering its row, so units.reorganisation's problems name it."""
    item = LocatedDict(values)
    item.line, item.key_lines = row, {key: row for key in values}
    return item


def read_sheet(content: bytes, header: dict) -> tuple[dict | None, list[SheetError]]:
    """The batch the file describes (header from the form), or None and every problem of the
    file's own cells (codes are checked later, against the database, by check_batch)."""
    deadline = Deadline()
    workbook, problem = open_workbook(content, deadline)
    if workbook is None:
        return None, [sheet_error(None, None, problem or _(
            "This is not an .xlsx file. Download the template from this page, fill it in and save it as .xlsx."))]
    try:
        return _read(workbook, header, deadline)
    except ImportTooLong:
        return None, [sheet_error(None, None, too_long_message())]
    finally:
        workbook.close()


def _read(workbook, header: dict, deadline: Deadline) -> tuple[dict | None, list[SheetError]]:
    if SHEET not in workbook.sheetnames:
        return None, [sheet_error(None, None, _("The file has no sheet “%(sheet)s”. Download the template from "
                                                "this page and fill it in.") % {"sheet": SHEET})]
    rows = workbook[SHEET].iter_rows(min_row=HEADER_ROW, max_row=FIRST_ROW + MAX_ROWS, max_col=len(HEADERS),
                                     values_only=True)
    headers = [fold(cell_text(value)) for value in next(rows, ())]
    if headers[:len(HEADERS)] != [fold(h) for h in HEADERS]:
        return None, [SheetError(SHEET, HEADER_ROW, "A", "", _(
            "The first row must hold the template's headers: %(headers)s.") % {"headers": ", ".join(HEADERS)})]
    data = {"batch": header, "units": [], "changes": []}
    errors: list[SheetError] = []
    for number, values in enumerate(rows, start=FIRST_ROW):
        deadline.check()
        values = (*values, *[None] * len(HEADERS))[:len(HEADERS)]
        if not any(cell_text(v) for v in values):
            continue
        if number >= FIRST_ROW + MAX_ROWS:
            return None, [sheet_error(None, None, _("The file holds more than %(max)s changes: split it into "
                                                    "several batches.") % {"max": MAX_ROWS})]
        section, item, row_errors = _row(number, values)
        errors += row_errors
        if item is not None:
            data[section].append(item)
    if not errors and not data["units"] and not data["changes"]:
        errors.append(sheet_error(None, None, _("The file holds no change: fill in one row per change below the "
                                                "headers.")))
    return (None if errors else data), errors


def _row(number: int, values: tuple) -> tuple[str, dict | None, list[SheetError]]:
    text = [cell_text(v) for v in values]
    errors = []
    action = ACTION_BY_WORD.get(fold(text[ACTION - 1]))
    if action is None:
        errors.append(sheet_error(number, ACTION, _("Write one of the actions: %(actions)s.") % {
            "actions": ", ".join(ACTION_WORDS.values())}))
    on = _date(values[ON - 1])
    if on is None:
        errors.append(sheet_error(number, ON, _("Write the effective date as dd/mm/yyyy.")))
    document_date = _date(values[DOC_DATE - 1]) if text[DOC_DATE - 1] else None
    if text[DOC_DATE - 1] and document_date is None:
        errors.append(sheet_error(number, DOC_DATE, _("Write the document's date as dd/mm/yyyy.")))
    codes = _codes(text[CODE - 1])
    if not codes:
        errors.append(sheet_error(number, CODE, _("Write the unit's code.")))
    if action in ("create", "move") and not text[PARENT - 1]:
        errors.append(sheet_error(number, PARENT, _("Write the code of the new parent unit.")))
    if action in ("merge", "split") and not text[SUCCESSOR - 1]:
        errors.append(sheet_error(number, SUCCESSOR, _("Write the code of the successor unit.")))
    if action in ("create", "rename") and not text[NAME - 1]:
        errors.append(sheet_error(number, NAME, _("Write the unit's name.")))
    if errors:
        return "changes", None, errors
    item = _item(action, codes, text, on.isoformat())
    if text[REASON - 1]:
        item["reason"] = text[REASON - 1]
    if text[DOC_NUMBER - 1] or document_date:
        item["document"] = {"number": text[DOC_NUMBER - 1],
                            "date": document_date.isoformat() if document_date else None}
    if action == "create" and "document" in item:  # a new unit's row has no document of its own
        item.pop("document")
    return ("units" if action == "create" else "changes"), _located(number, item), []


def _item(action: str, codes: list[str], text: list[str], on: str) -> dict:
    name, parent, successors = text[NAME - 1], text[PARENT - 1], _codes(text[SUCCESSOR - 1])
    if action == "create":
        return {"code": codes[0], "name": name, "kind": KIND_BY_WORD.get(fold(text[KIND - 1]), text[KIND - 1]),
                "parent": parent, "valid_from": on}
    if action == "rename":
        return {"change": "rename", "unit": codes[0], "name": name, "on": on}
    if action == "move":
        return {"change": "move", "units": codes, "to": parent, "on": on}
    if action == "merge":
        return {"change": "merge", "units": codes, "into": successors[0] if successors else "", "on": on}
    if action == "split":
        return {"change": "split", "unit": codes[0], "into": successors, "on": on}
    item = {"change": "dissolve", "unit": codes[0], "on": on}
    if successors:
        item["successor"] = successors[0]
    return item


def located_errors(problems, rows_of: dict | None = None) -> list[SheetError]:
    """units.reorganisation's problems (Problem: file, line = the row, field) as sheet errors."""
    out = []
    for problem in problems:
        last = re.sub(r"\[\d+\]$", "", problem.field.split(".")[-1]) if problem.field else ""
        column = COLUMN_OF_FIELD.get(last)
        if problem.field.startswith("batch"):
            out.append(sheet_error(None, None, f"{problem.field}: {translate_problem(problem.message)}"))
        else:
            out.append(sheet_error(problem.line or None, column, translate_problem(problem.message)))
    return out


_MESSAGES = (
    (re.compile(r"^Field required$"), lambda m: _("This cell must be filled in.")),
    (re.compile(r"^unknown unit (\S+).*$"), lambda m: _("There is no unit %(code)s.") % {"code": m.group(1)}),
    (re.compile(r"^unit (\S+) exists already$"), lambda m: _("A unit %(code)s exists already.") % {
        "code": m.group(1)}),
    (re.compile(r"^a batch (\S+) was loaded already$"), lambda m: _("A batch %(code)s exists already.") % {
        "code": m.group(1)}),
    (re.compile(r"^a change takes effect on or before today$"), lambda m: _(
        "A change takes effect on or before today.")),
    (re.compile(r"^String should have at least 1 character$"), lambda m: _("This cell must be filled in.")),
    (re.compile(r"^List should have at least (\d+) items?.*$"), lambda m: _("Give at least %(n)s codes.") % {
        "n": m.group(1)}),
    (re.compile(r"^Input should be .*'commune'.*$"), lambda m: _("Write one of the kinds: %(kinds)s.") % {
        "kinds": ", ".join(KIND_WORDS.values())}),
)


def translate_problem(message: str) -> str:
    """The batch checker speaks English (it is also the command's); the pages say it in the
    interface's language where the message is a known one."""
    for pattern, say in _MESSAGES:
        match = pattern.match(message)
        if match:
            return say(match)
    return message
