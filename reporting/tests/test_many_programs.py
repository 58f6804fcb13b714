"""Several programs side by side: elements shared by code, one report per unit and period
feeding every program that asks for a figure, each program asking only its issuer's subtree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.testing import login
from indicators.engine import Engine
from indicators.rollups import refresh
from programs.definition import ProgramFileError
from programs.loading import load_program
from programs.models import DataElement
from programs.testing import district_plan
from reporting import actions
from reporting.completeness import expected_reporters
from reporting.elements import elements_for, programs_asking, rules_for
from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tmp_path, world, program):
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan())
    return load_program(path)[0]


def test_a_unit_is_asked_each_shared_element_once_and_the_plan_s_own_under_its_name(world, program, plan, period):
    asked = {e.code: e for e in elements_for(period, world.school)}
    assert [e.code for e in elements_for(period, world.school)].count("members") == 1
    assert asked["members"].asking == [program.code, plan.code]
    assert asked["members"].group == ""  # both ask it: no program's heading
    assert asked["volunteer_hours"].group == plan.title
    # The catalogue keeps the first program's wording of a shared element.
    catalogue = DataElement.objects.get(code="members").label
    assert asked["members"].label == catalogue != "Đoàn viên (cách gọi của kế hoạch)"
    assert {p.code for p in programs_asking(period)} == {program.code, plan.code}


def test_a_unit_outside_the_issuer_s_subtree_is_not_asked_its_elements(world, program, plan, period):
    assert "volunteer_hours" not in {e.code for e in elements_for(period, world.market)}  # Châu Đốc's
    assert "volunteer_hours" in {e.code for e in elements_for(period, world.factory)}  # Long Xuyên's


def test_a_period_outside_a_program_s_years_is_not_asked_by_it(world, program, plan, last_period):
    assert [p.code for p in programs_asking(last_period)] == [program.code]  # 2023: not the plan's year
    assert "volunteer_hours" not in {e.code for e in elements_for(last_period, world.school)}


def test_a_draft_program_asks_nobody(tmp_path, world, program, period):
    path = tmp_path / "draft.yaml"
    path.write_text(district_plan().replace("status: in_force", "status: draft"))
    load_program(path)
    assert [p.code for p in programs_asking(period)] == [program.code]


def test_one_report_feeds_both_programs(world, program, plan, period):
    ReportFactory(period=period, unit=world.school, status="approved", values={"members": 40, "workers": 40})
    ReportFactory(period=period, unit=world.factory, status="approved",
                  values={"members": 1000, "workers": 1200, "volunteer_hours": 7})
    refresh()
    province_figure = Engine(program).series(world.long_xuyen)
    plan_figure = Engine(plan).series(world.long_xuyen)["D01"][2024]
    assert plan_figure.value == 1040
    # The province's member rate over the same subtree reads the same two figures.
    rate = next(r for r in province_figure.values() if 2024 in r and r[2024].target.numerator.get("sum") == "members")
    assert rate[2024].reported == plan_figure.reported == 2


def test_only_units_some_program_asks_are_expected(tmp_path, world, no_program):
    """With the district's plan the only program, only its subtree's grassroots unions are expected."""
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan())
    load_program(path)
    period = actions.do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    assert set(expected_reporters(period).values_list("code", flat=True)) == {"AG.883.00001", "AG.883.00002"}
    assert set(expected_reporters(period, world.province, "now").values_list("code", flat=True)) == {
        "AG.883.00001", "AG.883.00002"}


def test_each_program_s_rules_apply_and_a_shared_rule_once(tmp_path, world, program, period):
    extra = ('  - code: workers\n    label: "Số người lao động"\n    type: count\n    reported_by: grassroots\n'
             '    aggregation: sum\nvalidation_rules:\n'
             '  - code: again\n    check: "members <= workers"\n    severity: error\n'
             '    message: "Đoàn viên nhiều hơn người lao động."\n  - code: hours\n'
             '    check: "volunteer_hours <= members"\n    severity: warning\n    message: "Giờ nhiều bất thường."\n')
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan(extra=extra))
    load_program(path)
    rules = [r.rule for r in rules_for(period)]
    assert rules.count("members <= workers") == 1
    assert "volunteer_hours <= members" in rules


def test_a_shared_element_of_another_type_is_refused_with_its_line_and_the_other_program(tmp_path, world, program):
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan(members_aggregation="none"))
    with pytest.raises(ProgramFileError) as refused:
        load_program(path)
    problem = refused.value.problems[0]
    assert problem.line == 15 and problem.field == "data element members.aggregation"
    assert program.code in problem.message


def test_an_unknown_issuer_is_refused(tmp_path, world, program):
    path = tmp_path / "plan.yaml"
    path.write_text(district_plan(issuer="NO-SUCH"))
    with pytest.raises(ProgramFileError, match="no unit has the code 'NO-SUCH'"):
        load_program(path)


def test_saving_a_report_stores_the_shared_figure_once_for_both(world, program, plan, period):
    report = ReportFactory(period=period, unit=world.school)
    actions.do_save_values(report, {"members": 40, "volunteer_hours": 3}, {}, world.admin, report.version)
    assert report.values.filter(element__code="members").count() == 1
    assert report.values.get(element__code="volunteer_hours").number == 3


def _engine_queries(program, root) -> int:
    with CaptureQueriesContext(connection) as captured:
        Engine(program).series(root)
    return len(captured)


def test_the_engine_s_queries_do_not_grow_with_the_number_of_programs(tmp_path, world, program, period):
    ReportFactory(period=period, unit=world.school, status="approved", values={"members": 40, "workers": 40})
    refresh()
    one = _engine_queries(program, world.province)
    for n in range(3):
        path = tmp_path / f"plan{n}.yaml"
        path.write_text(district_plan(code=f"plan-{n}"))
        load_program(path)
    assert _engine_queries(program, world.province) == one


def test_a_period_is_the_calendar_s(world, program, plan):
    period = actions.do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    assert actions.do_open_period("year", 2024, 0, datetime.date(2025, 1, 31), by=world.admin).pk == period.pk


def test_the_form_shows_the_shared_elements_first_then_each_program_s_own_under_its_heading(client, world, program,
                                                                                              plan, period):
    login(client, world.reporter)
    body = client.get(reverse("reporting:entry", args=[period.id, world.school.code])).content.decode()
    # Each program's own elements under one heading each, after what both ask.
    assert body.count('class="entry-group"') == 2
    plan_heading = body.index(f"Chỉ {plan.title} yêu cầu")
    assert body.index('id="field-members"') < body.index(f"Chỉ {program.title} yêu cầu") < plan_heading
    assert plan_heading < body.index('id="field-volunteer_hours"')
