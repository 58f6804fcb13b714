"""T01/T02 count what was done by the deadline, on the one source the plan pages read: the
units' uploaded plans and their issue dates. And a deadline written with the shorthand
`upper_union` expects a plan of every upper-level union."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.engine import Engine
from plans.models import ImplementationPlan
from plans.status import deadline_status, plan_status, units_owing_plan
from programs.loading import load_program
from programs.management.commands.load_program import DEFAULT_FILE
from programs.models import Deadline
from tiendo.formatting import number

D = datetime.date


def _plan(program, unit, issued_on, by):
    return ImplementationPlan.objects.create(
        program=program, unit=unit, file="plans/test.pdf", original_name="kh.pdf", size=10,
        content_type="application/pdf", document_number="1/KH", issued_on=issued_on, uploaded_by=by)


@pytest.fixture
def plans(world, program):
    w = world
    _plan(program, w.long_xuyen, D(2021, 6, 30), w.admin)  # on the due day: on time
    _plan(program, w.chau_doc, D(2021, 7, 1), w.admin)  # a day late
    # the health sector union: no plan
    _plan(program, w.school, D(2021, 8, 31), w.admin)
    _plan(program, w.factory, D(2021, 9, 15), w.admin)  # late
    _plan(program, w.hospital, D(2021, 3, 1), w.admin)
    # the market: no plan
    return program


def test_a_deadline_target_counts_only_what_was_done_by_the_deadline(world, plans):
    series = Engine(plans).series(world.province)
    t01, t02 = series["T01"][2021], series["T02"][2021]
    # T01: Long Xuyên on time, Châu Đốc late, Y tế none → 1 of 3
    assert (t01.numerator, t01.denominator, t01.reported, t01.expected) == (1, 3, 2, 3)
    assert t01.value == Decimal(100) / Decimal(3)
    assert t01.status == "not_met"
    # T02: school and hospital on time, factory late, market none → 2 of 4 = 50% < 80%
    assert (t02.numerator, t02.denominator, t02.value, t02.status) == (2, 4, Decimal(50), "not_met")
    # 3 of 4 uploaded a plan: a missing plan is "not done", not a gap in the figures
    assert (t02.reported, t02.expected, t02.low_coverage) == (3, 4, False)
    # judged on the deadline whatever year is looked at
    assert series["T02"][2025].value == Decimal(50)


def test_the_target_equals_the_plan_pages_on_time_share(world, plans):
    engine = Engine(plans)
    for root in (world.province, world.long_xuyen):
        series = engine.series(root)
        for status, code in zip(plan_status(plans, root), ("T01", "T02"), strict=True):
            result = series[code][2021]
            if not status.total.expected:
                assert result.value is None
                continue
            assert result.numerator == status.total.on_time
            assert result.denominator == status.total.expected
            assert float(result.value) == pytest.approx(status.total.on_time_percent)
    with translation.override("vi"):
        assert number(engine.series(world.province)["T02"][2021].value, "percent") == "50%"


def test_one_engine_counts_plans_of_root_after_root_as_the_plan_pages_do(world, plans):
    """The plans' counts are compiled once per deadline and depth of the root (units.compiled)
    and run for each later root: every district still counts its own plans."""
    from units import compiled

    compiled._compiled.clear()
    engine = Engine(plans)
    for root in (world.long_xuyen, world.chau_doc, world.health, world.long_xuyen):
        series = engine.series(root)
        for status, code in zip(plan_status(plans, root), ("T01", "T02"), strict=True):
            assert (series[code][2021].reported, series[code][2021].expected) == (
                status.total.submitted, status.total.expected), (root.code, code)
    kept = [c for key, c in compiled._compiled.items() if key[0] == "plans"]
    assert len(kept) == 2 and compiled.UNCACHED not in kept  # the two deadlines, at one depth


def test_the_breakdown_per_child_equals_the_plan_pages_per_child(world, plans):
    engine = Engine(plans)
    target = plans.targets.get(code="T02")
    status = deadline_status(plans.deadlines.get(code="plan_grassroots"), world.province)
    by_child = {child.code: counts for child, counts in status.by_child}
    rows = {unit.code: result for unit, result in engine.breakdown(target, world.province, 2021) if result.expected}
    assert set(rows) == set(by_child) == {"AG.883", "AG.884", "AG.YT"}
    for code, result in rows.items():
        assert (result.numerator, result.denominator) == (by_child[code].on_time, by_child[code].expected)


def test_the_upper_union_shorthand_is_spelled_out_when_loading(db, tmp_path):
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        "applies_to: [district, sector, industrial_zone]\n  - code: plan_grassroots",
        "applies_to: [upper_union]\n  - code: plan_grassroots")
    assert "applies_to: [upper_union]" in text
    path = tmp_path / "program.yaml"
    path.write_text(text, encoding="utf-8")
    program = load_program(path)[0]
    assert program.deadlines.get(code="plan_upper_union").applies_to == ["district", "sector", "industrial_zone",
                                                                         "commune"]


def test_a_stored_upper_union_shorthand_still_expects_every_upper_level_union(world, plans):
    # a deadline stored with the shorthand (as an older load left it): the plan pages and the
    # target still expect the three upper-level unions' plans
    Deadline.objects.filter(program=plans, code="plan_upper_union").update(applies_to=["upper_union"])
    deadline = plans.deadlines.get(code="plan_upper_union")
    assert set(units_owing_plan(deadline, world.province).values_list("code", flat=True)) == {
        "AG.883", "AG.884", "AG.YT"}
    assert deadline_status(deadline, world.province).total.expected == 3
    assert Engine(plans).series(world.province)["T01"][2021].denominator == 3


def test_a_plan_aggregate_must_name_a_deadline_of_the_program():
    from programs.definition import expression_errors

    assert expression_errors({"plans_on_time": "plan_grassroots"}, {}, {"plan_grassroots"}) == []
    assert expression_errors({"plans_expected": "nope"}, {}, {"plan_grassroots"}) == [
        ("plans_expected", "unknown deadline 'nope'")]
    assert expression_errors({"plans_on_time": "plan_grassroots", "where": {}}, {}, {"plan_grassroots"}) == [
        ("where", "unknown key")]


def test_the_dashboard_says_how_many_units_uploaded_a_plan(client, world, plans):
    from accounts.testing import login

    login(client, world.admin)
    page = client.get("/dashboards/", {"unit": "AG", "year": 2021}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    t02 = page[page.index("T02"):page.index("T03")]
    assert "50%" in t02 and "3/4 đơn vị đã tải lên kế hoạch" in t02 and "ít đơn vị báo cáo" not in t02


def test_a_breakdown_of_the_children_concerned_counts_their_plans_as_the_whole_one(world, plans):
    """concerned_in (a target's page) with plans counted: the children a plan is owed by, each
    with the figures of the whole breakdown; the others left out (a grassroots union attached to
    the province owes no upper-level union's plan)."""
    from reporting.actions import do_open_period
    from tests.factories import UnitFactory
    from units.models import Ownership, UnitKind

    do_open_period("year", 2021, 0, D(2022, 1, 31), by=world.admin)  # the units below are counted in a period
    UnitFactory(parent=world.province, code="AG.TT1", name="Công ty trực thuộc", kind=UnitKind.GRASSROOTS,
                ownership=Ownership.NON_STATE)
    target = plans.targets.get(code="T01")
    every = Engine(plans).breakdown_series(world.province, [target], up_to=2021)["T01"]
    concerned = Engine(plans).breakdown_series(world.province, [target], up_to=2021, concerned_in=2021)["T01"]
    kept = [(child.code, by_year[2021]) for child, by_year in every if by_year[2021].expected]
    assert "AG.TT1" in [child.code for child, _ in every] and "AG.TT1" not in [code for code, _ in kept]
    assert [(child.code, by_year[2021]) for child, by_year in concerned] == kept
