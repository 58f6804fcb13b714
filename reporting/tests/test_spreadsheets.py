"""Offline spreadsheets: real .xlsx files, downloaded and uploaded through HTTP where it is a page."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from accounts.testing import login
from reporting.actions import (
    do_approve,
    do_open_period,
    do_return,
    do_save_values,
    get_or_create_report,
    stale_message,
    values_of,
)
from reporting.models import DataValue, Report
from reporting.spreadsheets import (
    CODE_HEADER,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    NOTE_HEADER,
    SHEET,
    CellError,
    build_template,
    import_spreadsheet,
    parse_cell,
)
from reporting.testing import (
    SCHOOL,
    as_bytes,
    column_of,
    confirm_url,
    download,
    download_url,
    fill,
    make_report,
    note_column_of,
    preview,
    report_steps,
    row_of,
    upload,
    upload_url,
)

pytestmark = pytest.mark.django_db



def where(errors) -> set[tuple]:
    return {(e.sheet, e.row, e.column) for e in errors}


def nothing_saved():
    return not DataValue.objects.exists() and not report_steps().exists() and not Report.objects.exists()


def test_template_layout(client, world, period):
    """Vietnamese headers, help as header comments, one row per grassroots union of the subtree
    (by path), validations, frozen panes, the hidden sheet; values already entered are pre-filled."""
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 35, "cba_signed": True, "cba_quality_class": "A",
                            "implementation_plan_date": datetime.date(2021, 8, 15)},
                   {"cba_signed": "đã ký lại"}, by=world.reporter, expected_version=0)
    workbook = download(login(client, world.approver), period)
    assert workbook.sheetnames == [SHEET, META_SHEET]
    assert workbook[META_SHEET].sheet_state == "hidden"
    ws = workbook[SHEET]
    assert "Liên đoàn Lao động thành phố Long Xuyên" in ws["A1"].value
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:3] == [CODE_HEADER, "Tên công đoàn cơ sở", "Số người lao động"]
    assert headers[-2:] == [NOTE_HEADER, "Trạng thái báo cáo (chỉ để xem)"]  # no last year: no 2023 period
    assert "Tổng số công nhân" in ws["C3"].comment.text
    codes = [ws.cell(row=r, column=1).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert codes == ["AG.883.00001", "AG.883.00002"]
    assert ws.freeze_panes == "C4"
    school = row_of(workbook, "AG.883.00001")
    assert ws[f"C{school}"].value == 35 and isinstance(ws[f"C{school}"].value, int)
    assert ws[f"{column_of(workbook, 'cba_signed')}{school}"].value == "Có"
    assert ws[f"{column_of(workbook, 'cba_quality_class')}{school}"].value == "A"
    date_cell = ws[f"{column_of(workbook, 'implementation_plan_date')}{school}"]
    assert date_cell.value.date() == datetime.date(2021, 8, 15) and date_cell.number_format == "dd/mm/yyyy"
    assert ws.cell(row=school, column=note_column_of(workbook)).value == "đã ký lại"
    validations = {(dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
    assert ("list", '"Có,Không"') in validations and ("list", '"A,B,C,D"') in validations
    assert ("whole", "0") in validations and any(t == "date" for t, _ in validations)
    # the enterprise-only items are greyed out and closed for the school, open for the factory
    conference = column_of(workbook, "employee_conference_held")
    closed = next(dv for dv in ws.data_validations.dataValidation if dv.type == "textLength" and dv.formula1 == "0")
    assert f"{conference}{school}" in closed.sqref
    assert f"{conference}{row_of(workbook, 'AG.883.00002')}" not in closed.sqref
    assert ws[f"{conference}{school}"].fill.fgColor.rgb.endswith("D9D9D9")
    meta = {row[0]: row[1:] for row in workbook[META_SHEET].iter_rows(values_only=True)}
    assert meta["period"][0] == period.id and meta["root"][0] == "AG.883"
    versions = {row[1]: row[2] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0] == "version"}
    assert versions == {"AG.883.00001": 1, "AG.883.00002": 0}


def test_round_trip(client, world, period):
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 35}, {}, by=world.reporter, expected_version=0)
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    fill(workbook, "AG.883.00002", {"workers": 1200, "members": 1000, "employee_conference_held": "Không"})
    response = upload(client, period, as_bytes(workbook))
    assert response.status_code == 200, [str(e) for e in response.context["result"].errors]
    result = response.context["result"]
    assert result.ok and len(result.changed) == 2 and not result.submitted
    assert "Công đoàn Công ty TNHH May mặc Phú Thịnh" in response.content.decode()  # the rows changed

    school = values_of(Report.objects.get(period=period, unit=world.school))
    assert school["workers"] == 40 and school["members"] == 38
    assert school["cba_signed"] is True and school["cba_quality_class"] == "B"
    assert school["implementation_plan_date"] == datetime.date(2021, 8, 15)
    assert school["authority_dialogue_proposed"] is False
    factory = values_of(Report.objects.get(period=period, unit=world.factory))
    assert factory == {"workers": 1200, "members": 1000, "employee_conference_held": False}

    school_report = Report.objects.get(unit=world.school)
    event = report_steps(school_report).filter(additional_data__event=Report.Step.IMPORTED).get()
    assert event.actor == world.approver
    assert event.changes["workers"] == [35, 40]
    assert event.changes["implementation_plan_date"] == [None, "2021-08-15"]
    assert Report.objects.get(unit=world.school).status == Report.Status.DRAFT


def test_errors_are_listed_and_nothing_is_saved(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": "nhiều", "officers": -3, "cba_quality_class": "E",
                                    "employee_conference_held": "Có"})
    fill(workbook, "AG.883.00002", {"workers": 1200, "members": 1300, "implementation_plan_date": "31/02/2021",
                                    "initiatives": "=1+1"})
    workbook[SHEET].append(["AG.883.09999", "?", 5])
    response = upload(client, period, as_bytes(workbook))
    assert response.status_code == 400
    errors = response.context["result"].errors
    school, factory = row_of(workbook, "AG.883.00001"), row_of(workbook, "AG.883.00002")
    unknown = workbook[SHEET].max_row
    col = lambda element: column_of(workbook, element)  # noqa: E731
    assert where(errors) == {
        (SHEET, school, col("workers")),                   # wrong type
        (SHEET, school, col("officers")),                  # negative
        (SHEET, school, col("cba_quality_class")),         # no such class
        (SHEET, school, col("employee_conference_held")),  # not asked of a school
        (SHEET, factory, col("members")),                  # members > workers
        (SHEET, factory, col("implementation_plan_date")),  # no 31 February
        (SHEET, factory, col("initiatives")),              # a formula
        (SHEET, unknown, "A"),                             # unknown code
    }
    members = next(e for e in errors if e.column == col("members"))
    assert members.header == "Số đoàn viên công đoàn"
    assert members.message == "Số đoàn viên không được lớn hơn số người lao động."
    assert "AG.883.09999" in next(e for e in errors if e.row == unknown).message
    body = response.content.decode()
    assert "AG.883.09999" in body and "Số đoàn viên không được lớn hơn số người lao động." in body
    assert nothing_saved()


def test_a_unit_outside_the_subtree_is_refused(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    workbook[SHEET].append(["AG.884.00001", "Công đoàn Ban Quản lý chợ Châu Đốc", 25])
    response = upload(client, period, as_bytes(workbook))
    assert response.status_code == 400
    [error] = response.context["result"].errors
    assert (error.row, error.column) == (workbook[SHEET].max_row, "A") and "AG.884.00001" in error.message
    assert nothing_saved()

    # The province administrator sees Châu Đốc, yet Long Xuyên's file does not take its unions.
    result = import_spreadsheet(as_bytes(workbook), period, world.admin, root=world.long_xuyen)
    [error] = result.errors
    assert "AG.884.00001" in error.message and "Long Xuyên" in error.message
    assert nothing_saved()


def test_the_same_file_twice_changes_nothing_the_second_time(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    # more initiatives than workers is a warning: without a note, it stops the submission
    fill(workbook, "AG.883.00001", {**SCHOOL, "initiatives": 50})
    [error] = upload(client, period, as_bytes(workbook), submit=True).context["result"].errors
    assert error.column == column_of(workbook, "initiatives") and "ghi chú" in error.message
    assert nothing_saved()

    fill(workbook, "AG.883.00001", {}, note="Nhiều sáng kiến nhỏ trong hội thi")
    content = as_bytes(workbook)
    first = upload(client, period, content).context["result"]
    assert first.ok and len(first.changed) == 1 and first.empty == 1
    report = Report.objects.get(unit=world.school)
    # the warning (more initiatives than workers) is explained by the row's note
    assert DataValue.objects.get(report=report, element__code="initiatives").comment.startswith("Nhiều sáng kiến")
    version, events = report.version, report_steps().count()

    second = upload(client, period, content).context["result"]
    assert second.ok and second.changed == [] and second.unchanged == 1
    report.refresh_from_db()
    assert report.version == version and report_steps().count() == events


def test_a_row_changed_online_after_the_download_is_refused(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    pristine = as_bytes(workbook)
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 41}, {}, by=world.reporter, expected_version=0)
    fill(workbook, "AG.883.00001", {"workers": 40})
    fill(workbook, "AG.883.00002", {"workers": 1200})
    response = upload(client, period, as_bytes(workbook))
    [error] = response.context["result"].errors
    assert error.row == row_of(workbook, "AG.883.00001") and "reporter" in error.message
    assert values_of(report) == {"workers": 41} and not Report.objects.filter(unit=world.factory).exists()
    # a row left as it was downloaded is no conflict: it keeps what was entered online
    untouched = load_workbook(io.BytesIO(pristine))
    fill(untouched, "AG.883.00002", {"workers": 1200})
    result = upload(client, period, as_bytes(untouched)).context["result"]
    assert result.ok and [c.unit for c in result.changed] == [world.factory] and result.unchanged == 1
    assert values_of(report) == {"workers": 41}
    # nor is a row equal to what is online
    fill(workbook, "AG.883.00001", {"workers": 41})
    assert upload(client, period, as_bytes(workbook)).context["result"].ok


def test_a_renamed_file_is_refused(client, world, period):
    login(client, world.approver)
    message = gettext("The file is not an Excel spreadsheet (.xlsx). Download the template from this page, fill it "
                      "in and upload it again.")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    for content in (b"Ten don vi;So nguoi lao dong\n", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", archive.getvalue()):
        response = upload(client, period, content)
        assert response.status_code == 400
        assert [e.message for e in response.context["result"].errors] == [message]
        assert message in response.content.decode()
    # more than 5 MB is refused before anything is read
    response = upload(client, period, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024))
    assert response.status_code == 400 and response.context["result"] is None
    assert response.context["form"].errors["file"] == [gettext("The file is larger than %(limit)s MB.") % {"limit": 5}]
    assert nothing_saved()


def test_wrong_headers_are_refused(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    workbook[SHEET]["D3"] = "Số đoàn viên"
    errors = upload(client, period, as_bytes(workbook)).context["result"].errors
    assert [(e.row, e.column, e.header) for e in errors] == [(HEADER_ROW, "D", "Số đoàn viên công đoàn")]
    # a column inserted by hand shifts every header after it
    workbook = download(client, period)
    workbook[SHEET].insert_cols(3)
    errors = upload(client, period, as_bytes(workbook)).context["result"].errors
    assert errors and all(e.row == HEADER_ROW for e in errors)
    # a workbook that is not our template at all
    other = Workbook()
    other.active.append(["Mã đơn vị", "Số người lao động"])
    [error] = upload(client, period, as_bytes(other)).context["result"].errors
    assert META_SHEET in error.message
    assert nothing_saved()


def test_a_file_for_another_period_or_unit_is_refused(client, world, program, period):
    login(client, world.admin)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    other = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    [error] = upload(client, other, as_bytes(workbook)).context["result"].errors
    assert error.sheet == META_SHEET and "2024" in error.message
    [error] = upload(client, period, as_bytes(workbook), code="AG.884").context["result"].errors
    assert "AG.883" in error.message
    assert nothing_saved()


def test_submit_after_import(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    fill(workbook, "AG.883.00002", {"workers": 1200})  # far from complete: cannot be submitted
    errors = upload(client, period, as_bytes(workbook), submit=True).context["result"].errors
    factory = row_of(workbook, "AG.883.00002")
    assert errors and {e.row for e in errors} == {factory}
    assert (SHEET, factory, column_of(workbook, "members")) in where(errors)
    assert nothing_saved()

    fill(workbook, "AG.883.00002", {"workers": None})
    result = upload(client, period, as_bytes(workbook), submit=True).context["result"]
    assert result.ok and result.submitted == [world.school] and result.empty == 1
    report = Report.objects.get(unit=world.school)
    assert report.status == Report.Status.SUBMITTED
    assert [entry.event for entry in report_steps(report)] == ["imported", "submitted"]


def test_approved_reports_unchanged_are_skipped_changed_are_refused(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    assert upload(client, period, as_bytes(workbook), submit=True).context["result"].ok
    report = Report.objects.get(unit=world.school)
    do_approve(report, world.approver, expected_version=report.version)
    version = report.version

    result = upload(client, period, as_bytes(workbook)).context["result"]
    assert result.ok and result.skipped == 1 and result.changed == []
    fill(workbook, "AG.883.00001", {"workers": 45})
    fill(workbook, "AG.883.00002", {"workers": 1200})
    [error] = upload(client, period, as_bytes(workbook)).context["result"].errors
    assert error.row == row_of(workbook, "AG.883.00001")
    assert error.message == gettext(
        "The report has already been approved or locked: it cannot be changed through a spreadsheet. Ask the "
        "provincial federation to reopen it if a correction is needed.")
    report.refresh_from_db()
    assert report.version == version and not Report.objects.filter(unit=world.factory).exists()


def test_permissions(client, world, period):
    content = build_template(period, world.long_xuyen)
    # a grassroots reporter does not see its district: 404, as everywhere
    login(client, world.reporter)
    assert client.get(download_url(period, "AG.883")).status_code == 404
    assert client.get(upload_url(period, "AG.883")).status_code == 404
    assert upload(client, period, content).status_code == 404
    # a district approver does not see another district
    login(client, world.approver_cd)
    assert client.get(download_url(period, "AG.883")).status_code == 404
    assert upload(client, period, content).status_code == 404
    # a viewer reads and downloads but cannot upload
    login(client, world.viewer)
    assert client.get(download_url(period, "AG.883")).status_code == 200
    page = client.get(upload_url(period, "AG.883"))
    assert page.status_code == 200 and 'type="file"' not in page.content.decode()
    assert upload(client, period, content).status_code == 403
    assert nothing_saved()
    # the district approver gets the page with both steps
    body = login(client, world.approver).get(upload_url(period, "AG.883")).content.decode()
    assert download_url(period, "AG.883") in body and 'type="file"' in body and 'enctype="multipart/form-data"' in body
    # and an anonymous visitor is sent to log in
    client.logout()
    assert client.get(download_url(period, "AG.883")).status_code == 302


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("count", 12, 12), ("count", 12.0, 12), ("count", "1.200", 1200), ("count", " 7 ", 7), ("count", None, None),
    ("boolean", "Có", True), ("boolean", "có", True), ("boolean", "X", True), ("boolean", "KHÔNG", False),
    ("boolean", "khong", False), ("boolean", "", None), ("boolean", True, True),
    ("quality_class", "c", "C"), ("date", "05/09/2021", datetime.date(2021, 9, 5)),
    ("date", datetime.datetime.combine(datetime.date(2021, 9, 5), datetime.time()), datetime.date(2021, 9, 5)),
    ("date", 44444, datetime.date(2021, 9, 5)),
    ("percent", "12,5", Decimal("12.50")), ("text", "  a   b ", "a b"),
])
def test_cells_are_read_by_type(kind, raw, value):
    assert parse_cell(kind, raw) == value


@pytest.mark.parametrize(("kind", "raw"), [
    ("count", -1), ("count", 2.5), ("count", "mười"), ("count", True), ("boolean", "có lẽ"), ("boolean", 2),
    ("count", 10**15), ("percent", "1e30"), ("quality_class", "E"),
    ("date", "2021-09-05"), ("date", 2021), ("date", "31/02/2021"), ("percent", "abc"),
])
def test_bad_cells_say_why(kind, raw):
    with pytest.raises(CellError):
        parse_cell(kind, raw)


def test_the_upload_still_checks_csrf_and_stops_a_huge_file_early(world, period):
    """The view reads the upload itself (a size-limiting handler first), so it checks CSRF
    itself: a post without the token is refused, and one far too large says so."""
    from django.test import Client

    from reporting.spreadsheets import MAX_UPLOAD_BYTES

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.approver)
    huge = io.BytesIO(b"\0" * (MAX_UPLOAD_BYTES + 1024 * 1024))
    huge.name = "bao-cao.xlsx"
    assert client.post(upload_url(period, "AG.883"), {"file": huge}).status_code == 403

    page = client.get(upload_url(period, "AG.883"))
    huge.seek(0)
    response = client.post(upload_url(period, "AG.883"),
                           {"file": huge, "csrfmiddlewaretoken": page.context["csrf_token"]})
    assert response.status_code == 400
    assert "MB" in str(response.context["form"].errors["file"])
    assert nothing_saved()


# --- the preview, and only what the uploader changed is sent -------------------------------------
def statuses():
    return dict(Report.objects.values_list("unit__code", "status"))


def test_a_file_uploaded_unchanged_sends_nothing(client, world, period):
    """The district's template uploaded as downloaded, "submit" ticked: no draft is sent on its
    officers' behalf, no returned report goes back uncorrected, nothing is written."""
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    assert upload(client, period, as_bytes(workbook), submit=True).context["result"].submitted == [world.school]
    report = Report.objects.get(unit=world.school)
    do_return(report, world.approver, report.version, "Xem lại số đoàn viên")
    factory = get_or_create_report(period, world.factory)  # a complete draft would be sent just as well
    do_save_values(factory, {"workers": 1200}, {}, by=world.reporter, expected_version=0)
    before, events = statuses(), report_steps().count()
    assert before == {"AG.883.00001": Report.Status.RETURNED, "AG.883.00002": Report.Status.DRAFT}
    response = upload(client, period, as_bytes(download(client, period)), submit=True)
    assert response.status_code == 200 and response.context["stage"] == "preview"
    result = response.context["result"]
    assert result.ok and not result.has_work and result.changed == [] and result.submitted == []
    assert response.context["token"] == "" and 'name="token"' not in response.content.decode()
    assert {row.unit.code: (row.saves, row.sends) for row in result.rows} == {
        "AG.883.00001": (False, False), "AG.883.00002": (False, False)}
    assert {row.note for row in result.rows} == {
        gettext("Left as it was downloaded: a row nobody changed is not sent on its union's behalf.")}
    assert statuses() == before and report_steps().count() == events


def test_the_provinces_file_sends_only_the_rows_it_changed(client, world, period):
    """Other units' drafts, left untouched in the province's file, are neither sent nor a
    reason to refuse the file (the factory's draft could not be submitted)."""
    factory = get_or_create_report(period, world.factory)
    do_save_values(factory, {"workers": 1200}, {}, by=world.reporter, expected_version=0)
    login(client, world.admin)
    workbook = download(client, period, "AG")
    fill(workbook, "AG.883.00001", SCHOOL)
    result = upload(client, period, as_bytes(workbook), code="AG", submit=True).context["result"]
    assert result.ok, [str(e) for e in result.errors]
    assert result.submitted == [world.school]
    assert statuses() == {"AG.883.00001": Report.Status.SUBMITTED, "AG.883.00002": Report.Status.DRAFT}


def test_a_returned_report_is_not_sent_back_unchanged(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    content = as_bytes(workbook)
    assert upload(client, period, content, submit=True).context["result"].submitted == [world.school]
    report = Report.objects.get(unit=world.school)
    do_return(report, world.approver, report.version, "Xem lại số đoàn viên")
    version = Report.objects.get(pk=report.pk).version

    response = upload(client, period, content, submit=True)  # the same file again: nothing corrected
    [row] = [r for r in response.context["result"].rows if r.unit == world.school]
    assert (row.saves, row.sends) == (False, False)
    assert row.note == gettext(
        "Returned for correction and no value was changed: it is not sent back unchanged. Correct what the unit "
        "above asked for, then upload the file again.")
    assert row.note in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED and report.version == version

    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"members": 39})  # corrected: sent again
    result = upload(client, period, as_bytes(workbook), submit=True).context["result"]
    assert result.ok and result.submitted == [world.school]
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED


def test_the_preview_writes_nothing_and_the_confirmation_saves_it(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    response = preview(client, period, as_bytes(workbook), submit=True)
    assert response.status_code == 200 and nothing_saved()
    result, token = response.context["result"], response.context["token"]
    [row] = [r for r in result.rows if r.unit == world.school]
    assert row.saves and row.sends
    assert {"label": "Số người lao động", "before": "—", "after": "40"} in row.changes
    page = response.content.decode()
    assert 'Số người lao động: <span class="muted">—</span> → <strong>40</strong>' in page
    assert confirm_url(period, "AG.883") in page and token in page

    # another user cannot confirm it, nor can it be confirmed on another page
    login(client, world.admin)
    assert client.post(confirm_url(period, "AG.883"), {"token": token}).status_code == 400
    login(client, world.approver)
    assert client.post(confirm_url(period, "AG.883"), {"token": "../" + token[3:]}).status_code == 400
    assert nothing_saved()


def test_confirming_twice_saves_once(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    token = preview(client, period, as_bytes(workbook)).context["token"]
    first = client.post(confirm_url(period, "AG.883"), {"token": token})
    assert first.status_code == 200 and first.context["stage"] == "saved" and len(first.context["result"].changed) == 1
    events = report_steps().count()
    second = client.post(confirm_url(period, "AG.883"), {"token": token})
    assert second.status_code == 400 and second.context["gone"]
    assert report_steps().count() == events


def test_a_report_changed_between_the_preview_and_the_confirmation_is_refused(client, world, period):
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    fill(workbook, "AG.883.00002", {"workers": 1200})
    report = get_or_create_report(period, world.school)  # an empty draft: its row is no conflict yet
    token = preview(client, period, as_bytes(workbook)).context["token"]
    do_save_values(report, {"members": 30}, {}, by=world.reporter, expected_version=0)
    response = client.post(confirm_url(period, "AG.883"), {"token": token})
    assert response.status_code == 400
    [error] = response.context["result"].errors
    assert error.row == row_of(workbook, "AG.883.00001") and "reporter" in error.message
    assert error.message == stale_message(Report.objects.get(pk=report.pk),
                                          gettext("download a new template and enter this row again."))
    assert values_of(report) == {"members": 30} and not Report.objects.filter(unit=world.factory).exists()


def test_a_report_only_to_be_sent_that_moved_since_the_preview_is_not_sent(client, world, period):
    """The preview said "will be sent" for a row equal to the report; the report was written to
    before the confirmation (its values put back as they were): it is not sent unseen."""
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", SCHOOL)
    content = as_bytes(workbook)
    assert upload(client, period, content).context["result"].ok  # saved, not sent
    response = preview(client, period, content, submit=True)
    assert response.context["result"].submitted == [world.school] and not response.context["result"].changed
    report = Report.objects.get(unit=world.school)
    workers = values_of(report)["workers"]
    do_save_values(report, {"workers": workers + 1}, {}, by=world.reporter, expected_version=report.version)
    do_save_values(report, {"workers": workers}, {}, by=world.reporter, expected_version=report.version)
    confirmed = client.post(confirm_url(period, "AG.883"), {"token": response.context["token"]})
    assert confirmed.status_code == 400 and "reporter" in confirmed.context["result"].errors[0].message
    assert Report.objects.get(pk=report.pk).status == Report.Status.DRAFT


def test_an_upload_waits_an_hour_at_most(client, world, period):
    import os
    import time

    from reporting.uploads import PENDING_MAX_AGE, _folder

    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {"workers": 40})
    token = preview(client, period, as_bytes(workbook)).context["token"]
    waiting = _folder(world.approver) / f"{token}.xlsx"
    old = time.time() - PENDING_MAX_AGE - 1
    os.utime(waiting, (old, old))
    response = client.post(confirm_url(period, "AG.883"), {"token": token})
    assert response.status_code == 400 and response.context["gone"] and nothing_saved()
    assert not waiting.exists(), "an expired file is removed"


def test_a_warning_does_not_stop_a_draft_and_an_error_names_its_row_and_column(client, world, period):
    """As the web form saves a draft with its warnings, the file saves it; an error still stops
    the whole file, named by its row and column."""
    login(client, world.approver)
    workbook = download(client, period)
    fill(workbook, "AG.883.00001", {**SCHOOL, "initiatives": 50})  # a warning, not explained
    result = upload(client, period, as_bytes(workbook)).context["result"]
    assert result.ok and len(result.changed) == 1
    report = Report.objects.get(unit=world.school)
    assert report.status == Report.Status.DRAFT and values_of(report)["initiatives"] == 50

    fill(workbook, "AG.883.00002", {"workers": 10, "members": 20})  # more members than workers: an error
    [error] = upload(client, period, as_bytes(workbook)).context["result"].errors
    assert (error.row, error.column) == (row_of(workbook, "AG.883.00002"), column_of(workbook, "members"))
    assert not Report.objects.filter(unit=world.factory).exists()


def reference_columns(workbook) -> dict[str, str]:
    """The columns after the note that are there to read: {what: letter} from the hidden sheet."""
    return {row[2]: row[1] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0] == "reference"}


def test_the_template_shows_last_years_values_and_the_status_and_does_not_import_them(client, world, period):
    """After "Ghi chú": the report's status and each element's value in the previous period, for
    reference. A filled-in template round-trips; whatever is typed in those columns is no value,
    and an error in a value's cell or beyond the last column still names its own cell."""
    last = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    make_report(last, world.school, Report.Status.LOCKED, datetime.date(2024, 1, 10),
                workers=36, members=30, cba_signed=True)
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 35}, {}, by=world.reporter, expected_version=0)
    login(client, world.approver)
    workbook = download(client, period)
    ws = workbook[SHEET]
    references = reference_columns(workbook)
    note = get_column_letter(note_column_of(workbook))
    assert list(references)[0] == "status"
    assert [column_index_from_string(letter) for letter in references.values()] == list(
        range(note_column_of(workbook) + 1, ws.max_column + 1)), "one after the other, after the note"
    assert ws[f"{references['status']}{HEADER_ROW}"].value == "Trạng thái báo cáo (chỉ để xem)"
    assert ws[f"{references['previous:workers']}{HEADER_ROW}"].value == \
        "Số người lao động — năm 2023 (chỉ để xem)"
    school, factory = row_of(workbook, "AG.883.00001"), row_of(workbook, "AG.883.00002")
    assert ws[f"{references['status']}{school}"].value == "bản nháp"
    assert ws[f"{references['status']}{factory}"].value == "chưa nhập"
    assert ws[f"{references['previous:workers']}{school}"].value == 36
    assert ws[f"{references['previous:members']}{school}"].value == 30
    assert ws[f"{references['previous:cba_signed']}{school}"].value == "Có"
    assert ws[f"{references['previous:workers']}{factory}"].value is None
    locked = next(dv for dv in ws.data_validations.dataValidation if "reference only" in (dv.error or "")
                  or "chỉ để" in (dv.error or ""))
    assert f"{references['previous:workers']}{school}" in locked.sqref

    # Filled in, with something typed over the reference cells too: only the values are imported.
    fill(workbook, "AG.883.00001", SCHOOL, note="đã rà soát")
    ws[f"{references['status']}{school}"] = "đã duyệt"
    ws[f"{references['previous:workers']}{school}"] = 9999
    ws[f"{references['previous:members']}{factory}"] = "không rõ"  # not a number: still not read
    response = upload(client, period, as_bytes(workbook))
    result = response.context["result"]
    assert result.ok, [str(e) for e in result.errors]
    saved = Report.objects.get(period=period, unit=world.school)
    assert saved.status == Report.Status.DRAFT
    assert values_of(saved)["workers"] == 40 and values_of(saved)["members"] == 38
    assert not Report.objects.filter(period=period, unit=world.factory).exists(), "its row has reference data only"
    assert values_of(Report.objects.get(period=last, unit=world.school))["workers"] == 36

    # Errors still point at their cells: a bad value, and a value beyond the reference columns.
    workbook = download(client, period)
    ws = workbook[SHEET]
    fill(workbook, "AG.883.00002", {"workers": "bốn mươi"})
    stray = ws.cell(row=factory, column=ws.max_column + 1, value=7)
    errors = upload(client, period, as_bytes(workbook)).context["result"].errors
    assert where(errors) == {(SHEET, factory, column_of(workbook, "workers")), (SHEET, factory, stray.column_letter)}
    assert note < stray.column_letter or len(note) < len(stray.column_letter)
