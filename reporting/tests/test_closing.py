"""A closed period does not move: closing waits for every pending decision, and after closing
a report changes only through a recorded reopening (of the period or of the report)."""

import pytest
from django.urls import reverse

from accounts.testing import login
from audit.models import AuditEntry
from indicators.engine import Engine
from jobs.testing import run_jobs
from reporting import actions
from reporting.actions import (
    PendingReports,
    PeriodClosed,
    do_approve,
    do_close_period,
    do_open_period,
    do_reopen,
    do_return,
    do_save_values,
    do_submit,
    get_or_create_report,
)
from reporting.models import Period, Report
from reporting.spreadsheets import FIRST_ROW, META_SHEET, SHEET, build_template, import_spreadsheet
from reporting.testing import GOOD_GRASSROOTS, report_steps

pytestmark = pytest.mark.django_db


def submitted(period, unit, by, **changed) -> Report:
    report = get_or_create_report(period, unit)
    do_save_values(report, {**GOOD_GRASSROOTS, **changed}, {}, by=by, expected_version=report.version)
    return do_submit(report, by=by, expected_version=report.version)


def figures(program, unit, year=2024) -> list[dict]:
    return [result.as_dict() for result in Engine(program).results(unit, year)]


def closed_as_before(period: Period) -> None:
    """A period closed while reports still waited (as closing allowed until now)."""
    Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED)
    period.refresh_from_db()


def test_closing_is_refused_while_a_submitted_report_waits_for_a_decision(world, period):
    pending = submitted(period, world.school, world.reporter)
    with pytest.raises(PendingReports) as refused:
        do_close_period(period, by=world.admin)
    assert refused.value.count == 1
    period.refresh_from_db()
    assert period.is_open
    assert not AuditEntry.objects.filter(additional_data__event="closed").exists()

    do_approve(pending, by=world.approver, expected_version=pending.version)
    assert do_close_period(period, by=world.admin) == 1
    pending.refresh_from_db()
    assert pending.status == Report.Status.LOCKED


def test_the_close_button_says_why_the_period_stays_open(client, world, period):
    submitted(period, world.school, world.reporter)
    login(client, world.admin)
    response = client.post(reverse("reporting:period_close", args=[period.id]), follow=True)
    body = response.content.decode()
    period.refresh_from_db()
    assert period.is_open
    assert "Chưa đóng kỳ năm 2024: còn 1 báo cáo đã nộp đang chờ duyệt" in body


def test_a_closed_periods_pending_report_is_not_approved_and_its_figures_do_not_move(world, period, program):
    report = submitted(period, world.school, world.reporter, members=38)
    before = figures(program, world.long_xuyen)
    closed_as_before(period)
    for step in (lambda: do_approve(report, world.approver, report.version),
                 lambda: do_return(report, world.approver, report.version, "Sửa lại")):
        with pytest.raises(PeriodClosed):
            step()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert figures(program, world.long_xuyen) == before


def test_approving_it_on_the_page_is_refused_too(client, world, period):
    report = submitted(period, world.school, world.reporter)
    closed_as_before(period)
    login(client, world.approver)
    client.post(reverse("reporting:approve", args=[report.id]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    body = client.get(reverse("reporting:entry", args=[period.id, world.school.code])).content.decode()
    assert reverse("reporting:approve", args=[report.id]) not in body  # no decision form on a closed period


def test_after_reopening_the_period_the_decision_can_be_taken(world, period, program):
    report = submitted(period, world.school, world.reporter)
    closed_as_before(period)
    do_open_period(period.kind, period.year, period.half, period.due_on, by=world.admin)
    do_approve(report, world.approver, report.version)
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert AuditEntry.objects.filter(additional_data__event="opened", object_id=period.pk).count() == 2


def test_a_reopened_report_goes_through_the_workflow_and_is_locked_again(world, period, program):
    report = submitted(period, world.school, world.reporter, members=38)
    do_approve(report, world.approver, report.version)
    do_close_period(period, by=world.admin)
    report.refresh_from_db()
    run_jobs()  # the worker recounts what the steps marked
    locked_figures = figures(program, world.long_xuyen)
    with pytest.raises(PeriodClosed):
        do_save_values(report, {"members": 39}, {}, by=world.reporter, expected_version=report.version)

    do_reopen(report, world.admin, report.version, "Sửa số đoàn viên theo danh sách mới.")
    do_save_values(report, {"members": 39}, {}, by=world.reporter, expected_version=report.version)
    do_submit(report, world.reporter, report.version)
    do_return(report, world.approver, report.version, "Ghi rõ ngày kết nạp.")  # still late_allowed
    do_submit(report, world.reporter, report.version)
    do_approve(report, world.approver, report.version)
    report.refresh_from_db()
    assert report.status == Report.Status.LOCKED and not report.late_allowed
    run_jobs()
    assert figures(program, world.long_xuyen) != locked_figures  # the recorded correction counts
    assert [entry.event for entry in report_steps(report)][-6:] == [
        "reopened", "saved", "submitted", "returned", "submitted", "approved"]
    with pytest.raises(PeriodClosed):
        do_save_values(report, {"members": 40}, {}, by=world.reporter, expected_version=report.version)


def test_a_spreadsheet_for_a_closed_period_saves_nothing(world, period):
    import io

    from openpyxl import load_workbook

    report = get_or_create_report(period, world.school)
    do_save_values(report, {"workers": 40}, {}, by=world.reporter, expected_version=0)
    workbook = load_workbook(io.BytesIO(build_template(period, world.school)))
    column = next(row[1] for row in workbook[META_SHEET].iter_rows(values_only=True)
                  if row[0] == "column" and row[2] == "workers")
    workbook[SHEET][f"{column}{FIRST_ROW}"] = 41
    buffer = io.BytesIO()
    workbook.save(buffer)
    closed_as_before(period)
    result = import_spreadsheet(buffer.getvalue(), period, world.reporter, root=world.school)
    assert not result.ok
    assert actions.values_of(Report.objects.get(pk=report.pk))["workers"] == 40
