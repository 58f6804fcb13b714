"""Test data and helpers shared by the reporting tests and the cross-app ones: reports made
directly in the database, for tests that need reported values but not the reporting workflow
(refresh the rolled-up values afterwards: indicators.rollups.refresh); complete reports of the
school (as Python values and as typed in a spreadsheet); the entry form's data and address;
filling a downloaded spreadsheet; the steps recorded in reports' histories."""

from __future__ import annotations

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from reporting.history import steps_of_reports
from reporting.models import Period, Report
from reporting.spreadsheets import FIRST_ROW, META_SHEET, SHEET
from tests.factories import ReportFactory
from units.models import Unit


def make_report(period: Period, unit: Unit, status: str, sent_on: datetime.date | None = None,
                **values) -> Report:
    """A report of `unit` for `period` in `status`, sent at 9:00 on `sent_on` if given, holding
    `values` (element code → Python value)."""
    return ReportFactory(period=period, unit=unit, status=status, sent_on=sent_on, values=values)


def report_steps(report: Report | None = None):
    """The audit entries recording report steps, oldest first: of one report, or of every report."""
    from audit.models import AuditEntry

    if report is not None:
        return steps_of_reports([report.pk]).reverse()
    return AuditEntry.objects.filter(content_type__app_label="reporting", content_type__model="report",
                                     additional_data__event__in=Report.Step.values).order_by("timestamp", "id")


def stored_files(media) -> list:
    """Every file under a test's MEDIA_ROOT (the `media` fixture)."""
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


GOOD_GRASSROOTS = {
    "workers": 40, "members": 38, "officers": 5, "officers_trained": 4, "resolution_disseminated": True,
    "implementation_plan_built": True, "workers_informed": 35, "workers_upskilled": 20,
    "authority_dialogue_proposed": False, "cba_signed": True, "cba_more_favourable": True, "cba_quality_class": "B",
    "union_homes": 0, "initiatives": 6, "creative_model_applied": True, "effective_model": True, "party_referrals": 1,
}


# A complete, consistent report of the school (a public-sector union: the enterprise-only
# elements are not asked of it).
SCHOOL = {
    "workers": 40, "members": 38, "officers": 3, "officers_trained": 2, "resolution_disseminated": "Có",
    "implementation_plan_built": "có", "implementation_plan_date": "15/08/2021", "workers_informed": 40,
    "workers_upskilled": 12, "authority_dialogue_proposed": "Không", "cba_signed": "x", "cba_more_favourable": "Có",
    "cba_quality_class": "b", "union_homes": 0, "initiatives": 2, "creative_model_applied": "Không",
    "effective_model": "Có", "party_referrals": 1,
}


def form_data(values: dict, version: int = 0, **extra) -> dict:
    data = {"version": version, **extra}
    for code, value in values.items():
        data[code] = {True: "yes", False: "no", None: ""}.get(value, value) if isinstance(value, bool | None) else value
    return data


def entry_url(period, code):
    return reverse("reporting:entry", args=[period.id, code])


def report_of(period, unit) -> Report:
    return Report.objects.get(period=period, unit=unit)


def as_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_of(workbook, element: str) -> str:
    return next(row[1] for row in workbook[META_SHEET].iter_rows(values_only=True)
                if row[0] == "column" and row[2] == element)


def row_of(workbook, code: str) -> int:
    ws = workbook[SHEET]
    return next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)


def fill(workbook, code: str, values: dict, note: str | None = None) -> None:
    ws, row = workbook[SHEET], row_of(workbook, code)
    for element, value in values.items():
        ws[f"{column_of(workbook, element)}{row}"] = value
    if note is not None:
        ws.cell(row=row, column=note_column_of(workbook), value=note)


def note_column_of(workbook) -> int:
    """The "Ghi chú" column's number: the reference columns (status, last year's) follow it."""
    from openpyxl.utils import column_index_from_string

    letters = [row[1] for row in workbook[META_SHEET].iter_rows(values_only=True) if row[0] == "column"]
    return max(column_index_from_string(letter) for letter in letters) + 1


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The spreadsheet's download and upload as a user goes through them (reporting and registries tests).
def download_url(period, code):
    return reverse("reporting:spreadsheet_download", args=[period.id, code])


def upload_url(period, code):
    return reverse("reporting:spreadsheet_upload", args=[period.id, code])


def download(client, period, code="AG.883"):
    response = client.get(download_url(period, code))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def confirm_url(period, code):
    return reverse("reporting:spreadsheet_confirm", args=[period.id, code])


def preview(client, period, content, code="AG.883", submit=False, name="bao-cao.xlsx"):
    """The first step: the file read and checked, nothing written."""
    data = {"file": io.BytesIO(content) if isinstance(content, bytes) else content}
    data["file"].name = name
    if submit:
        data["submit"] = "on"
    return client.post(upload_url(period, code), data)


def upload(client, period, content, code="AG.883", submit=False, name="bao-cao.xlsx"):
    """Both steps, as a user who confirms what the preview shows: the confirmation's page, or
    the preview's when it refused the file or found nothing to do."""
    response = preview(client, period, content, code, submit, name)
    if response.status_code == 200 and response.context["token"]:
        response = client.post(confirm_url(period, code), {"token": response.context["token"]})
    return response
