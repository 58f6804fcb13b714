"""Offline spreadsheets: an upper-level union downloads an .xlsx template for its subtree and a
period (one row per grassroots union expected to report), fills it in offline and uploads it.

The package's modules, in the order data flows through them:

* layout: the file's own words and shape (sheet names, fixed headers, rows and columns);
* rows: which rows and columns: the grassroots unions of the subtree expected in the period,
  the grassroots data elements of the program, and what is already in the database for them;
* template: writing the template;
* cells: parsing a cell's content as an element's value;
* reading: reading an uploaded file back, within limits counted before openpyxl reads it,
  into rows of parsed values (every problem located by sheet, row, column and header);
* planning: the import planned, writing nothing: the same checks as the web form
  (reporting.validation), and per row what would be saved and sent (the preview);
* saving: the plan saved in one transaction through reporting.actions, or nothing at all.

The file's own words (sheet name, fixed headers, "Có"/"Không") are constants, not translated
strings: they are a file format, so a file downloaded in one interface language, or before a
translation was corrected, is still read back. Messages (title row, cell validation pop-ups,
import errors) follow the active language.

The hidden sheet "_tiendo" says what the file was built for: program, period, root unit, the
data element of each column, and for each row the version of the unit's report when the file
was built with a digest of the row as written. On upload:

* a row left as downloaded (same digest) stands for what the database holds now, so a report
  entered online meanwhile is neither overwritten nor a conflict, and it is never submitted
  on its union's behalf;
* a row equal to the database is "unchanged", whatever its version, so uploading the same file
  twice changes nothing; a returned report is not submitted again unchanged;
* any other row is refused if its report changed online since the download (someone else's
  newer data would be overwritten), naming who changed it and when.
"""

from reporting.spreadsheets.cells import CellError, parse_cell
from reporting.spreadsheets.layout import (
    CODE_HEADER,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    NOTE_HEADER,
    SHEET,
    XLSX_CONTENT_TYPE,
)
from reporting.spreadsheets.planning import ImportResult, RowPreview, plan_spreadsheet
from reporting.spreadsheets.reading import MAX_UPLOAD_BYTES, SheetError
from reporting.spreadsheets.saving import import_spreadsheet
from reporting.spreadsheets.template import build_template, template_filename

__all__ = [
    "CODE_HEADER", "FIRST_ROW", "HEADER_ROW", "MAX_UPLOAD_BYTES", "META_SHEET", "NOTE_HEADER", "SHEET",
    "XLSX_CONTENT_TYPE", "CellError", "ImportResult", "RowPreview", "SheetError", "build_template",
    "import_spreadsheet", "parse_cell", "plan_spreadsheet", "template_filename",
]
