"""A crash in the middle of a multi-row write leaves the previous state: no value, event,
version bump or audit entry of the failed write survives."""

import io

import pytest
from openpyxl import load_workbook

from audit.models import AuditEntry
from reporting import actions, spreadsheets
from reporting.actions import do_save_values, get_or_create_report, values_of
from reporting.models import DataValue, Report
from reporting.testing import SCHOOL, as_bytes, fill, report_steps

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(DataValue.objects.values_list("report_id", "element_id", "number", "text", "comment")),
        sorted(Report.objects.values_list("id", "status", "version")),
        report_steps().count(),
        AuditEntry.objects.filter(content_type__model="report").count(),
    )


def test_a_crash_while_saving_a_form_keeps_the_old_values(world, period, monkeypatch):
    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 40}, {}, by=world.reporter, expected_version=0)
    before = snapshot()

    def crash(*args, **kwargs):
        raise RuntimeError("disk full")

    # The existing value is updated row by row first; the new one's INSERT then fails.
    monkeypatch.setattr(actions.DataValue.objects, "bulk_create", crash)
    with pytest.raises(RuntimeError):
        do_save_values(report, {"workers": 41, "members": 38}, {}, by=world.reporter, expected_version=1)

    assert snapshot() == before
    assert values_of(report) == {"workers": 40}


def test_a_crash_in_the_middle_of_an_import_keeps_every_row_as_it_was(world, period, monkeypatch):
    workbook = load_workbook(io.BytesIO(spreadsheets.build_template(period, world.long_xuyen)))
    fill(workbook, "AG.883.00001", SCHOOL)
    fill(workbook, "AG.883.00002", {**SCHOOL, "workers": 1200, "members": 1000})
    before = snapshot()
    saved = []

    def write_then_crash(*args, **kwargs):
        # the values of both rows are written, their entries in the trail not yet
        saved.append(DataValue.objects.filter(report__period=period).count())
        raise RuntimeError("connection lost")

    monkeypatch.setattr(actions.trail, "record_all", write_then_crash)
    upload = io.BytesIO(as_bytes(workbook))
    upload.name = "bao-cao.xlsx"
    with pytest.raises(RuntimeError):
        spreadsheets.import_spreadsheet(upload, period, world.approver)

    assert saved and saved[0] > 0, "the rows' values were written before the crash"
    assert snapshot() == before
