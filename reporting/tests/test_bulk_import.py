"""The spreadsheet import writes in bulk (reporting.actions.do_write_many): a fixed number of
statements whatever the rows, one optimistic-lock check over all of them, each report its own
entries in the trail, and a late conflict refuses every row, naming the one that changed."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import load_workbook

from indicators.engine import Engine
from jobs.testing import run_jobs
from reporting.actions import do_close_period, do_save_values, get_or_create_report
from reporting.models import DataValue, Report
from reporting.spreadsheets import build_template, plan_spreadsheet
from reporting.spreadsheets.saving import save_plans
from reporting.testing import GOOD_GRASSROOTS, as_bytes, fill, report_steps, row_of
from units.models import Ownership, Unit, UnitKind

pytestmark = pytest.mark.django_db


def schools(world, count: int, first: int = 0) -> list[Unit]:
    return [Unit.objects.add_child(world.long_xuyen, instance=Unit(
        code=f"AG.883.{10000 + i}", name=f"Công đoàn trường số {i}", kind=UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=40, members=40)) for i in range(first, first + count)]


def filled(period, world, units, values=GOOD_GRASSROOTS) -> bytes:
    workbook = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    for unit in units:
        fill(workbook, unit.code, values, note="Số liệu đã kiểm tra")
    return as_bytes(workbook)


def planned(period, world, content, submit=True):
    result = plan_spreadsheet(content, period, world.approver, submit=submit, root=world.long_xuyen)
    assert result.ok, result.errors
    return result


def saved_with_queries(period, world, content) -> tuple[object, int]:
    result = planned(period, world, content)
    ContentType.objects.get_for_model(Report)  # read once per process, as a running server has it
    with CaptureQueriesContext(connection) as queries:
        result = save_plans(result.plans, period, world.approver, result)
    return result, len(queries)


def test_saving_takes_the_same_statements_for_3_rows_as_for_30(world, period, program):
    few, many = schools(world, 3), schools(world, 30, first=100)
    result, few_queries = saved_with_queries(period, world, filled(period, world, few))
    assert result.ok and len(result.submitted) == 3
    run_jobs()  # the district's recount done: the second import marks it anew, as the first did
    result, many_queries = saved_with_queries(period, world, filled(period, world, many))
    assert result.ok and len(result.submitted) == 30
    assert many_queries == few_queries <= 20
    report = Report.objects.get(unit=many[-1], period=period)
    assert report.status == Report.Status.SUBMITTED and report.version == 2 and report.submitted_at
    assert [e.event for e in report_steps(report)] == ["imported", "submitted"]
    assert [e.actor for e in report_steps(report)] == [world.approver, world.approver]
    imported = report_steps(report).first()
    assert imported.changes["workers"] == [None, 40] and imported.unit_path == many[-1].path
    assert imported.additional_data["on_behalf"] is True
    stored = dict(DataValue.objects.filter(report=report).values_list("element__code", "number"))
    assert stored["workers"] == 40 and stored["resolution_disseminated"] == 1

    run_jobs()  # the worker recounts the district the submissions marked
    t19 = Engine(program, include_submitted=True).series(world.long_xuyen)["T19"][2024]
    assert t19.value == pytest.approx(38 / 40 * 100), "the 33 submitted reports count: members / workers"


def test_a_report_changed_between_the_plan_and_the_save_refuses_every_row_naming_it(world, period):
    units = schools(world, 3)
    content = filled(period, world, units)
    first = planned(period, world, content, submit=False)
    save_plans(first.plans, period, world.approver, first)
    workbook = load_workbook(io.BytesIO(build_template(period, world.long_xuyen)))
    for unit in units:
        fill(workbook, unit.code, {"workers": 41})
    result = planned(period, world, as_bytes(workbook))
    # someone saves the middle one online after the plan was made
    online = Report.objects.get(unit=units[1], period=period)
    do_save_values(online, {"workers": 50}, {}, by=world.approver, expected_version=online.version)

    result = save_plans(result.plans, period, world.approver, result)
    [error] = result.errors
    assert error.row == row_of(workbook, units[1].code) and error.column == "A"
    assert "approver" in error.message
    assert list(Report.objects.filter(unit__in=units).order_by("unit__code").values_list("status", flat=True)) == [
        Report.Status.DRAFT] * 3, "nothing submitted"
    workers = DataValue.objects.filter(report__unit__in=units, element__code="workers").order_by(
        "report__unit__code").values_list("number", flat=True)
    assert list(workers) == [40, 50, 40], "nothing of the file saved"


def test_a_period_closed_between_the_plan_and_the_save_refuses_the_rows(world, period):
    units = schools(world, 2)
    result = planned(period, world, filled(period, world, units), submit=False)
    get_or_create_report(period, units[0])  # an empty draft: closing keeps it as it is
    do_close_period(period, by=world.admin)
    result = save_plans(result.plans, period, world.approver, result)
    closed = gettext("The reporting period is closed: this report can no longer be changed.")
    assert [e.message for e in result.errors] == [closed, closed]
    assert not DataValue.objects.filter(report__unit__in=units).exists()
    assert list(Report.objects.filter(unit__in=units).values_list("unit", flat=True)) == [units[0].pk], \
        "the report the import created for the other row is gone with the rest"
