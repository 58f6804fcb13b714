"""The file's own words and shape: sheet names, fixed headers, rows and columns, styles.

They are constants, not translated strings: a file downloaded in one interface language, or
before a translation was corrected, is still read back."""

from __future__ import annotations

from openpyxl.styles import PatternFill

from programs.models import DataElement
from reporting.validation import MAX_COMMENT

FORMAT = "tiendo-report-sheet/1"
SHEET = "Báo cáo"
META_SHEET = "_tiendo"
CODE_HEADER = "Mã đơn vị"
NAME_HEADER = "Tên công đoàn cơ sở"
NOTE_HEADER = "Ghi chú"
# After the note, columns to read, never imported: the report's status, then each element's value
# in the previous period (the hidden sheet lists them as "reference" rows; a file without them,
# downloaded before they were added, is read as before).
STATUS_HEADER = "Trạng thái báo cáo (chỉ để xem)"
PREVIOUS_HEADER = "%(label)s — %(period)s (chỉ để xem)"
STATUS_REFERENCE, PREVIOUS_REFERENCE = "status", "previous:"
YES, NO = "Có", "Không"
CLASSES = ("A", "B", "C", "D")
HEADER_ROW, FIRST_ROW = 3, 4  # row 1: the title, row 2: the guide
FIRST_ELEMENT_COLUMN = 3  # C: after the code and the name
NOTE_SEPARATOR = "; "
MAX_NOTE = MAX_COMMENT  # the note becomes the comment of the values it explains

EXTRA_COLUMNS = 10  # columns after the template's that are checked for stray headers and values
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
NOT_ASKED_FILL = PatternFill("solid", fgColor="D9D9D9")
REFERENCE_FILL = PatternFill("solid", fgColor="F2F2F2")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00"
DATE_FORMAT = "dd/mm/yyyy"


def headers_for(elements: list[DataElement]) -> list[str]:
    return [CODE_HEADER, NAME_HEADER, *[e.label for e in elements], NOTE_HEADER]
