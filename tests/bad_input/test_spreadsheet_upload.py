"""The offline spreadsheet upload fed with files that are not what they say, templates tampered
with in every way people tamper with spreadsheets, and values no report can hold. Each gives
errors that say where (sheet, row, column) and why, and nothing is saved."""

from __future__ import annotations

import datetime
import io
import unicodedata
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.testing import login
from reporting import spreadsheets
from reporting.actions import values_of
from reporting.models import Report
from reporting.spreadsheets import FIRST_ROW, HEADER_ROW, META_SHEET, SHEET, build_template, reading
from reporting.testing import note_column_of
from tests.bad_input.helpers import IMG, SCRIPT, TEN_MB, add_elements, counts, raw_tags_in

pytestmark = pytest.mark.django_db

SCHOOL, FACTORY = "AG.883.00001", "AG.883.00002"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def template(period, world) -> Workbook:
    """The real template of Long Xuyên, loaded for editing."""
    return load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))


def as_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client, period, content: bytes, name="bao-cao.xlsx"):
    """Upload, and confirm what the preview shows (when it has something to save)."""
    url = reverse("reporting:spreadsheet_upload", args=[period.id, "AG.883"])
    response = client.post(url, {"file": SimpleUploadedFile(name, content, spreadsheets.XLSX_CONTENT_TYPE)})
    if response.status_code == 200 and response.context["token"]:
        response = client.post(reverse("reporting:spreadsheet_confirm", args=[period.id, "AG.883"]),
                               {"token": response.context["token"]})
    return response


def errors_of(response) -> list:
    assert response.status_code == 400, response.status_code
    return response.context["result"].errors


def where(errors) -> set[tuple]:
    return {(e.sheet, e.row, e.column) for e in errors}


def column_of(workbook: Workbook, code: str) -> str:
    return next(row[1] for row in workbook[META_SHEET].iter_rows(values_only=True)
                if row[0] == "column" and row[2] == code)


def row_of(workbook: Workbook, unit_code: str) -> int:
    ws = workbook[SHEET]
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == unit_code)


def fill(workbook: Workbook, unit_code: str, values: dict) -> None:
    """Type values in a union's row, by element code ("note" for the last column)."""
    row, ws = row_of(workbook, unit_code), workbook[SHEET]
    for code, value in values.items():
        letter = ws.cell(row=HEADER_ROW, column=note_column_of(workbook)).column_letter if code == "note" \
            else column_of(workbook, code)
        ws[f"{letter}{row}"] = value


def with_english(client):
    """Messages in English (their msgids), so that the tests do not depend on the translations."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def approver(client, world):
    login(client, world.approver)
    return client


# --- files that are not what their name says ---------------------------------------------------

def _docx() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


NOT_XLSX = {
    "csv": "Mã đơn vị;Số người lao động\nAG.883.00001;40\n".encode(),
    "pdf": PDF,
    "png": PNG,
    "docx": _docx(),
    "zip": zip_of({"readme.txt": b"not a workbook"}),
    "truncated": None,  # the first half of a real template
    "old_excel": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # .xls (OLE2)
}


@pytest.mark.parametrize("kind", NOT_XLSX)
def test_a_file_that_is_not_an_xlsx_is_refused(approver, world, period, kind):
    content = NOT_XLSX[kind] or as_bytes(template(period, world))[:3000]
    before = counts()
    with_english(approver)
    [error] = errors_of(upload(approver, period, content))
    assert (error.row, error.column) == (None, "") and ".xlsx" in error.message
    assert counts() == before


def test_an_empty_file_is_refused(approver, period):
    before = counts()
    response = upload(approver, period, b"")
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["empty"]
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(approver, period):
    before = counts()
    response = upload(approver, period, b"PK\x03\x04" + b"\x00" * reading.MAX_UPLOAD_BYTES)
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert counts() == before


def test_a_zip_bomb_is_refused_before_anything_is_unzipped(approver, world, period, monkeypatch):
    """A few hundred KB that unzip to more than any template: refused from the zip's directory."""
    monkeypatch.setattr(reading, "MAX_UNZIPPED_BYTES", 4 * 1024 * 1024)
    real = zipfile.ZipFile(io.BytesIO(as_bytes(template(period, world))))
    files = {name: real.read(name) for name in real.namelist()}
    files["xl/sharedStrings.xml"] = b"<sst>" + b" " * (6 * 1024 * 1024) + b"</sst>"
    bomb = zip_of(files)
    assert len(bomb) < 200_000
    before = counts()
    with_english(approver)
    [error] = errors_of(upload(approver, period, bomb))
    assert "unzipped" in error.message and error.row is None
    assert counts() == before


# --- files small on disk that would take a worker's time and memory ------------------------------
# Each is refused from counts taken while the file is unzipped, before openpyxl reads any of it
# (load_workbook is watched: it must not be called), with a message naming the limit. Time and
# peak memory are printed (pytest -s), not asserted: the machine's load varies.

def sheet_xml_changed(period, world, change) -> bytes:
    """The real template with its data sheet's XML passed through `change`."""
    real = zipfile.ZipFile(io.BytesIO(as_bytes(template(period, world))))
    files = {name: real.read(name) for name in real.namelist()}
    files["xl/worksheets/sheet1.xml"] = change(files["xl/worksheets/sheet1.xml"])
    return zip_of(files)


def with_parts(period, world, parts: dict[str, bytes]) -> bytes:
    real = zipfile.ZipFile(io.BytesIO(as_bytes(template(period, world))))
    return zip_of({**{name: real.read(name) for name in real.namelist()}, **parts})


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """Every call of load_workbook by the import (none for a file refused beforehand)."""
    calls = []
    real = reading.load_workbook

    def watched(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(reading, "load_workbook", watched)
    return calls


def bench(name: str, content: bytes, period, user) -> None:
    """Print how long reading the file takes, and its peak memory (a second run, under
    tracemalloc, which slows it)."""
    import time
    import tracemalloc

    started = time.perf_counter()
    spreadsheets.plan_spreadsheet(content, period, user)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        spreadsheets.plan_spreadsheet(content, period, user)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\nbench: {name} ({len(content) // 1024} KB): read in {seconds:.2f} s, "
          f"peak {peak / 2**20:.1f} MB of Python memory")


def refusal_of(approver, world, period, content: bytes, name: str):
    assert len(content) < 300_000, "small on disk"
    before = counts()
    with_english(approver)
    [error] = errors_of(upload(approver, period, content))
    assert error.row is None and counts() == before
    bench(name, content, period, world.approver)
    return error.message


def test_a_row_of_millions_of_cells_past_the_columns_is_refused_unread(approver, world, period, openpyxl_calls):
    cells = b"<c><v>1</v></c>" * 2_000_000
    content = sheet_xml_changed(period, world, lambda xml: xml.replace(b"</row>", cells + b"</row>", 1))
    message = refusal_of(approver, world, period, content, "2 million cells in one row")
    assert f"more than {reading.MAX_CELLS_IN_ROW} cells" in message
    assert openpyxl_calls == []


def test_millions_of_shared_strings_are_refused_unread(approver, world, period, openpyxl_calls):
    counted = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">' \
        + b"<si><t>x</t></si>" * 1_000_000 + b"</sst>"
    message = refusal_of(approver, world, period, with_parts(period, world, {"xl/sharedStrings.xml": counted}),
                         "a million shared strings, declared as one")
    assert f"at most {reading.MAX_SHARED_STRINGS}" in message and "different texts" in message
    declared = b'<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5800000">' \
        b"<x:si><x:t>x</x:t></x:si></x:sst>"
    message = refusal_of(approver, world, period, with_parts(period, world, {"xl/sharedStrings.xml": declared}),
                         "5.8 million shared strings declared")
    assert "5800000" in message
    assert openpyxl_calls == []


def test_a_million_blank_rows_are_refused_unread(approver, world, period, openpyxl_calls):
    rows = b"<row/>" * 1_000_000  # each one the row after the previous one
    content = sheet_xml_changed(period, world, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    message = refusal_of(approver, world, period, content, "a million blank rows")
    assert "blank rows included" in message
    assert openpyxl_calls == []


def test_blank_rows_count_toward_the_row_limit(approver, world, period, monkeypatch):
    """A value below the last row a template may have is refused, however many rows above it
    are blank, and the sheet is read no further than the most any sheet may have."""
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    monkeypatch.setattr(reading, "MAX_SHEET_ROWS", 100)
    far = b'<row r="60"><c r="C60"><v>7</v></c></row>'
    content = sheet_xml_changed(period, world, lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"))
    with_english(approver)
    [error] = errors_of(upload(approver, period, content))
    assert "more than 50, blank rows included" in error.message and "row 53" in error.message


def test_a_sheet_that_claims_a_million_rows_is_read_only_as_far_as_its_data(approver, world, period):
    """A <dimension> saying A1:XFD1048576 (openpyxl would walk to its end) costs nothing."""
    workbook = template(period, world)
    fill(workbook, SCHOOL, {"workers": 40})

    def claim(xml: bytes) -> bytes:
        start = xml.index(b"<dimension")
        return xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[xml.index(b">", start) + 1:]

    real = zipfile.ZipFile(io.BytesIO(as_bytes(workbook)))
    files = {name: real.read(name) for name in real.namelist()}
    files["xl/worksheets/sheet1.xml"] = claim(files["xl/worksheets/sheet1.xml"])
    content = zip_of(files)
    bench("a sheet claiming 1048576 rows", content, period, world.approver)
    response = upload(approver, period, content)
    assert response.status_code == 200, [str(e) for e in response.context["result"].errors]
    assert values_of(Report.objects.get(period=period, unit=world.school)) == {"workers": 40}


def test_reading_a_file_stops_at_the_time_limit(approver, world, period, monkeypatch):
    monkeypatch.setattr(reading, "IMPORT_SECONDS", -1)  # already past
    workbook = template(period, world)
    fill(workbook, SCHOOL, {"workers": 40})
    before = counts()
    with_english(approver)
    [error] = errors_of(upload(approver, period, as_bytes(workbook)))
    assert "took longer than -1 seconds" in error.message and counts() == before


# --- a template tampered with ------------------------------------------------------------------

def test_formulas_are_refused_cell_by_cell(approver, world, period):
    workbook = template(period, world)
    school, factory = row_of(workbook, SCHOOL), row_of(workbook, FACTORY)
    fill(workbook, SCHOOL, {"workers": "=10*4", "members": 38})
    fill(workbook, FACTORY, {"note": '=HYPERLINK("http://example.com","xem")'})
    workbook[SHEET][f"A{factory}"] = "=A4"
    before = counts()
    errors = errors_of(upload(approver, period, as_bytes(workbook)))
    note = workbook[SHEET].cell(row=HEADER_ROW, column=note_column_of(workbook)).column_letter
    assert {(SHEET, school, "C"), (SHEET, factory, note), (SHEET, factory, "A")} <= where(errors)
    assert counts() == before


def test_merged_cells_in_the_data_are_refused(approver, world, period):
    workbook = template(period, world)
    school = row_of(workbook, SCHOOL)
    fill(workbook, SCHOOL, {"workers": 40})
    workbook[SHEET].merge_cells(f"C{school}:D{school}")  # one value for workers and members
    before = counts()
    with_english(approver)
    [error] = errors_of(upload(approver, period, as_bytes(workbook)))
    assert (error.sheet, error.row, error.column) == (SHEET, school, "C")
    assert f"C{school}:D{school}" in error.message and "merged" in error.message
    assert counts() == before


def test_merged_title_cells_are_harmless(approver, world, period):
    workbook = template(period, world)
    workbook[SHEET].merge_cells("A1:F1")
    fill(workbook, SCHOOL, {"workers": 40})
    response = upload(approver, period, as_bytes(workbook))
    assert response.status_code == 200 and response.context["result"].ok
    assert values_of(Report.objects.get(period=period, unit=world.school)) == {"workers": 40}


def test_a_hidden_data_sheet_is_refused(approver, world, period):
    """The data sheet hidden: its data is probably in a copy; nothing is read from either."""
    workbook = template(period, world)
    copy = workbook.copy_worksheet(workbook[SHEET])
    copy.title = "Báo cáo (2)"
    fill(workbook, SCHOOL, {"workers": 40})
    workbook[SHEET].sheet_state = "hidden"
    before = counts()
    [error] = errors_of(upload(approver, period, as_bytes(workbook)))
    assert error.sheet == SHEET and error.row is None
    assert counts() == before


def test_another_hidden_sheet_is_ignored(approver, world, period):
    """Only "Báo cáo" is read: a scratch sheet, hidden or not, holds nothing that is imported."""
    workbook = template(period, world)
    scratch = workbook.create_sheet("nháp")
    scratch.append([SCHOOL, "", 99999])
    scratch.sheet_state = "veryHidden"
    fill(workbook, SCHOOL, {"workers": 40})
    response = upload(approver, period, as_bytes(workbook))
    assert response.status_code == 200 and response.context["result"].ok
    assert values_of(Report.objects.get(period=period, unit=world.school)) == {"workers": 40}


def test_a_tampered_hidden_sheet_is_refused_not_a_500(approver, world, period):
    for key, value in (("period", "²"), ("period", str(10**30)), ("period", "-1")):
        workbook = template(period, world)
        meta = workbook[META_SHEET]
        row = next(r for r in meta.iter_rows() if r[0].value == key)
        row[1].value = value
        before = counts()
        [error] = errors_of(upload(approver, period, as_bytes(workbook)))
        assert error.sheet == META_SHEET
        assert counts() == before
    workbook = template(period, world)
    for row in workbook[META_SHEET].iter_rows():
        if row[0].value == "version":
            row[2].value = float("inf")  # written as "inf": a version no report has
    fill(workbook, SCHOOL, {"workers": 40})
    assert upload(approver, period, as_bytes(workbook)).status_code in (200, 400)


def test_wrong_missing_reordered_and_extra_headers_say_which_column(approver, world, period):
    before = counts()
    # renamed
    workbook = template(period, world)
    workbook[SHEET]["C3"] = "Số lao động"
    assert where(errors_of(upload(approver, period, as_bytes(workbook)))) == {(SHEET, HEADER_ROW, "C")}
    # missing: a column deleted shifts every header after it
    workbook = template(period, world)
    workbook[SHEET].delete_cols(4)
    errors = errors_of(upload(approver, period, as_bytes(workbook)))
    assert errors and all(e.row == HEADER_ROW for e in errors) and (SHEET, HEADER_ROW, "D") in where(errors)
    # reordered: two columns swapped, values and all
    workbook = template(period, world)
    ws = workbook[SHEET]
    for row in range(HEADER_ROW, ws.max_row + 1):
        ws[f"C{row}"].value, ws[f"D{row}"].value = ws[f"D{row}"].value, ws[f"C{row}"].value
    assert where(errors_of(upload(approver, period, as_bytes(workbook)))) == {(SHEET, HEADER_ROW, "C"),
                                                                            (SHEET, HEADER_ROW, "D")}
    # an extra column, with a header
    workbook = template(period, world)
    ws = workbook[SHEET]
    extra = ws.cell(row=HEADER_ROW, column=ws.max_column + 1)
    extra.value = "Cột thêm"
    assert where(errors_of(upload(approver, period, as_bytes(workbook)))) == {(SHEET, HEADER_ROW, extra.column_letter)}
    # values typed beyond the last column, with no header: not silently left out
    workbook = template(period, world)
    ws = workbook[SHEET]
    stray = ws.cell(row=row_of(workbook, SCHOOL), column=ws.max_column + 2)
    stray.value = 40
    assert where(errors_of(upload(approver, period, as_bytes(workbook)))) == {
        (SHEET, stray.row, stray.column_letter)}
    # the headers row emptied
    workbook = template(period, world)
    read_columns = note_column_of(workbook)  # the reference columns after the note are not read
    for cell in workbook[SHEET][HEADER_ROW]:
        cell.value = None
    errors = errors_of(upload(approver, period, as_bytes(workbook)))
    assert len(errors) == read_columns
    assert counts() == before


def test_decomposed_unicode_headers_names_and_codes_still_match(approver, world, period):
    """A file saved by a program that writes decomposed Unicode (NFD) is read as typed in NFC."""
    workbook = template(period, world)
    ws = workbook[SHEET]
    for cell in [*ws[HEADER_ROW], *ws["B"]]:
        if isinstance(cell.value, str):
            cell.value = unicodedata.normalize("NFD", cell.value)
    assert ws["B3"].value != unicodedata.normalize("NFC", ws["B3"].value), "the test really writes NFD"
    school = row_of(workbook, SCHOOL)
    fill(workbook, SCHOOL, {"workers": 40, "note": unicodedata.normalize("NFD", "Trường đã rà soát")})
    ws[f"A{school}"] = "\u200b" + SCHOOL + "\u00a0"  # a code pasted with invisible characters around it
    response = upload(approver, period, as_bytes(workbook))
    assert response.status_code == 200 and response.context["result"].ok, response.context["result"].errors
    assert values_of(Report.objects.get(period=period, unit=world.school)) == {"workers": 40}


# --- values no report can hold -------------------------------------------------------------------

BAD_COUNTS_SCHOOL = {
    "workers": -5,
    "members": 1e308,
    "officers": 10**30,
    "officers_trained": "1e400",
    "workers_informed": "NaN",
    "workers_upskilled": "Infinity",
    "union_homes": "1.234,5",
    "initiatives": "²",
    "party_referrals": "9" * 5000,
    "volunteers": 10**13,
}
BAD_OTHERS_FACTORY = {
    "workers": "bốn mươi",
    "members": 12.5,
    "coverage": "1.234,5",
    "remarks": "x" * 501,
    "implementation_plan_date": "01/01/0001",
    "cba_signed": "có lẽ",
    "cba_quality_class": "E",
    "note": TEN_MB,
}


def test_impossible_values_are_refused_cell_by_cell(approver, world, period, program):
    add_elements(program)
    workbook = template(period, world)
    fill(workbook, SCHOOL, BAD_COUNTS_SCHOOL)
    fill(workbook, FACTORY, BAD_OTHERS_FACTORY)
    school, factory = row_of(workbook, SCHOOL), row_of(workbook, FACTORY)
    note = workbook[SHEET].cell(row=HEADER_ROW, column=note_column_of(workbook)).column_letter
    expected = {(SHEET, school, column_of(workbook, code)) for code in BAD_COUNTS_SCHOOL}
    expected |= {(SHEET, factory, note if code == "note" else column_of(workbook, code)) for code in BAD_OTHERS_FACTORY}
    before = counts()
    response = upload(approver, period, as_bytes(workbook))
    errors = errors_of(response)
    assert where(errors) == expected
    assert all(e.message and e.header for e in errors), "each error names its column's header and says why"
    assert counts() == before
    assert len(response.content) < 200_000, "the 10 MB note is not sent back"


def test_an_old_date_cell_is_refused(approver, world, period):
    workbook = template(period, world)
    fill(workbook, SCHOOL, {"implementation_plan_date": datetime.datetime(1900, 3, 1)})  # noqa: DTZ001
    before = counts()
    [error] = errors_of(upload(approver, period, as_bytes(workbook)))
    assert error.column == column_of(workbook, "implementation_plan_date")
    assert counts() == before


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_html_in_cells_is_shown_escaped_in_the_errors(approver, world, period, payload):
    workbook = template(period, world)
    workbook[SHEET][f"A{row_of(workbook, SCHOOL)}"] = payload  # an unknown code, echoed in its error
    workbook[SHEET]["C3"] = payload  # a wrong header, echoed too
    response = upload(approver, period, as_bytes(workbook))
    page = response.content.decode()
    assert response.status_code == 400
    assert not raw_tags_in(page)
    assert "&lt;" in page
