"""Every figure "as it was" (THEN) and "as it is now" (NOW) across reorganisations, worked out by
hand; undoing a batch gives every figure back.

The little world (the engine's test program, years 2021–2024):

    P province
    ├── D1 district ── G1 (initiatives 2023: 1, 2024: 2)   G2 (10, 20)
    ├── D2 district ── G3 (100, 200)                       G4 (1000, 2000)
    └── D3 district ── G5 (10000, 20000)

Every grassroots union has an approved report for 2023 and 2024 whose `initiatives` are the
powers of ten above, so that each sum says which unions it holds. The target is E05 (Σ
initiatives of grassroots unions, a yearly count); its coverage counts grassroots unions.
Changes take effect on 1 July (mid-year): "as it was", a year adds up over the tree of 31
December; "as it is now", over today's tree.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from accounts.permissions import (
    can_approve_report,
    can_edit_unit_data,
    can_view_unit,
    is_read_only,
    visible_units,
)
from indicators.engine import Engine, structural_bridge
from indicators.rollups import refresh
from jobs.testing import run_jobs
from programs.loading import load_program
from reporting import actions
from reporting.completeness import completeness, missing_units
from reporting.models import DataValue, Period, Report
from units.models import Unit, UnitKind, UnitLink
from units.reorganisation import UndoRefused, do_apply_reorganisation, do_undo_reorganisation

pytestmark = pytest.mark.django_db

PROGRAM_FILE = Path(__file__).parent / "data" / "engine-test-program.yaml"
JULY_2024 = datetime.date(2024, 7, 1)
INITIATIVES = {"G1": (1, 2), "G2": (10, 20), "G3": (100, 200), "G4": (1000, 2000), "G5": (10000, 20000)}


def _add(parent, code, kind, **attributes):
    unit = Unit(code=code, name=f"{code} union", kind=kind, **attributes)
    return Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)


@pytest.fixture
def world(no_program):
    program = load_program(PROGRAM_FILE)[0]
    admin = User.objects.create(username="reorg-admin", role=Role.PROVINCE_ADMIN)
    p = _add(None, "P", UnitKind.PROVINCE)
    districts = {code: _add(p, code, UnitKind.DISTRICT) for code in ("D1", "D2", "D3")}
    parents = {"G1": "D1", "G2": "D1", "G3": "D2", "G4": "D2", "G5": "D3"}
    for code, parent in parents.items():
        _add(districts[parent], code, UnitKind.GRASSROOTS, ownership="non_state", workers=10)
    periods = {year: Period.objects.create(kind="year", year=year, starts_on=datetime.date(year, 1, 1),
                                           ends_on=datetime.date(year, 12, 31), due_on=datetime.date(year + 1, 1, 31))
               for year in (2021, 2022, 2023, 2024)}
    element = program.data_elements.get(code="initiatives")
    for code, by_year in INITIATIVES.items():
        for year, number in zip((2023, 2024), by_year, strict=True):
            report = Report.objects.create(period=periods[year], unit=Unit.objects.get(code=code),
                                           status=Report.Status.APPROVED)
            DataValue.objects.create(report=report, element=element, number=number)
    refresh()
    return program, admin, periods


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def e05(program, code: str, year: int, view: str):
    """(value, reported, expected) of E05 for the unit's subtree."""
    result = Engine(program, view=view).series(unit(code))["E05"][year]
    return (None if result.value is None else int(result.value), result.reported, result.expected)


def breakdown(program, code: str, year: int, view: str) -> dict:
    target = program.targets.get(code="E05")
    return {child.code: (None if r.value is None else int(r.value), r.expected)
            for child, r in Engine(program, view=view).breakdown(target, unit(code), year)}


def every_figure(program, periods) -> dict:
    """Every figure the tests read, for comparing before a batch and after its undo."""
    figures = {}
    for view in ("then", "now"):
        engine = Engine(program, view=view)
        for code in ("P", "D1", "D2", "D3", "G2"):
            series = engine.series(unit(code))["E05"]
            for year in (2023, 2024):
                figures[(view, code, year)] = (series[year].value, series[year].reported, series[year].expected)
        for year in (2023, 2024):
            figures[(view, "breakdown", year)] = breakdown(program, "P", year, view)
            figures[(view, "completeness", year)] = completeness(periods[year], unit("P"), view).total
    return figures


def tree_state():
    links = sorted(UnitLink.objects.values_list("unit__code", "parent__code", "path", "valid_from", "valid_to"))
    units = sorted(Unit.objects.values_list("code", "name", "valid_to", "closed_in_reorganisation", "carried_onto"))
    parents = sorted((u.code, getattr(Unit.objects.get_parent(u), "code", None)) for u in Unit.objects.all())
    return links, units, parents


def batch(code: str, *changes, units=()) -> dict:
    return {"batch": {"code": code, "title": f"Batch {code}", "reason": "test",
                      "document": {"number": "1/QĐ-LĐLĐ", "date": "2024-06-20"}},
            "units": list(units), "changes": list(changes)}


def apply_and_check_undo(world, data):
    """Apply the batch; hand back its record and a check that its undo restores everything."""
    program, admin, periods = world
    before, state = every_figure(program, periods), tree_state()
    applied = do_apply_reorganisation(data, by=admin)

    def undo_restores_everything():
        do_undo_reorganisation(applied, by=admin)
        assert tree_state() == state
        assert every_figure(program, periods) == before
        assert Unit.objects.find_problems() == ([], [], [], [], [])

    return applied, undo_restores_everything


# --- a move mid-year ----------------------------------------------------------------------------

def test_a_move_mid_year(world):
    program, _, periods = world
    _, undo = apply_and_check_undo(world, batch("move", {"change": "move", "unit": "G2", "on": "2024-07-01",
                                                          "to": "D2"}))
    # As it was: 2023 over the tree of 31/12/2023 (G2 under D1): D1 = G1 + G2 = 1 + 10 = 11 (2 of 2);
    # D2 = G3 + G4 = 100 + 1000 = 1100. 2024 over the tree of 31/12/2024 (G2 under D2 since 1 July):
    # D1 = G1 = 2 (1 of 1); D2 = G2 + G3 + G4 = 20 + 200 + 2000 = 2220 (3 of 3)
    assert e05(program, "D1", 2023, "then") == (11, 2, 2)
    assert e05(program, "D2", 2023, "then") == (1100, 2, 2)
    assert e05(program, "D1", 2024, "then") == (2, 1, 1)
    assert e05(program, "D2", 2024, "then") == (2220, 3, 3)
    # As it is now: G2's 2023 counts under D2, where it is today: D1 = 1 (1 of 1); D2 = 10 + 100 + 1000 = 1110
    assert e05(program, "D1", 2023, "now") == (1, 1, 1)
    assert e05(program, "D2", 2023, "now") == (1110, 3, 3)
    assert e05(program, "D2", 2024, "now") == (2220, 3, 3)
    # The province is the same either way: 1 + 10 + 100 + 1000 + 10000 = 11111; 2024: 22222
    for view in ("then", "now"):
        assert e05(program, "P", 2023, view) == (11111, 5, 5)
        assert e05(program, "P", 2024, view) == (22222, 5, 5)
    # Completeness of D1 in 2023: as it was G1 and G2 (+ D1 itself, an upper union that reports
    # but sent nothing): 2 of 3; as it is now G1 only (+ D1): 1 of 2
    then, now = completeness(periods[2023], unit("D1")), completeness(periods[2023], unit("D1"), "now")
    assert (then.total.expected, then.total.submitted) == (3, 2)
    assert (now.total.expected, now.total.submitted) == (2, 1)
    assert [c.code for c, _ in then.by_child] == ["G1", "G2"]
    assert [c.code for c, _ in now.by_child] == ["G1"]
    undo()


# --- a merge of two districts --------------------------------------------------------------------

def test_a_merge_of_two_districts_into_a_new_one(world):
    program, _, periods = world
    new = {"code": "DN", "name": "DN union", "kind": "district", "parent": "P", "valid_from": "2024-07-01"}
    _, undo = apply_and_check_undo(world, batch(
        "merge", {"change": "merge", "units": ["D1", "D2"], "on": "2024-07-01", "into": "DN"}, units=[new]))
    assert unit("D1").valid_to == unit("D2").valid_to == datetime.date(2024, 6, 30)
    # As it was: 2023 keeps D1 = 11 and D2 = 1100; DN held nothing then (no unit expected, no data).
    assert e05(program, "D1", 2023, "then") == (11, 2, 2)
    assert e05(program, "D2", 2023, "then") == (1100, 2, 2)
    assert e05(program, "DN", 2023, "then") == (None, 0, 0)
    # 2024: D1 and D2 closed on 30/06 by the merger: nothing under them; DN = 2 + 20 + 200 + 2000 = 2222
    assert e05(program, "D1", 2024, "then") == (None, 0, 0)
    assert e05(program, "DN", 2024, "then") == (2222, 4, 4)
    # As it is now: every year of G1–G4 counts under DN: 2023 = 1 + 10 + 100 + 1000 = 1111
    assert e05(program, "DN", 2023, "now") == (1111, 4, 4)
    assert e05(program, "D1", 2023, "now") == (None, 0, 0)
    # The province's breakdown: as it was in 2023 three districts with figures (DN listed, empty);
    # as it is now DN and D3
    assert breakdown(program, "P", 2023, "then") == {"D1": (11, 2), "D2": (1100, 2), "D3": (10000, 1),
                                                     "DN": (None, 0)}
    assert breakdown(program, "P", 2023, "now") == {"D3": (10000, 1), "DN": (1111, 4)}
    # Completeness 2024 at the province: D1 and D2 are not expected (merged), DN is: grassroots
    # 5 + districts D3, DN = 7 expected, the 5 grassroots sent: 5 of 7, never above 100%
    total = completeness(periods[2024], unit("P")).total
    assert (total.expected, total.submitted) == (7, 5)
    assert {u.code for u in missing_units(periods[2024], unit("P"))} == {"D3", "DN"}
    undo()


def test_grassroots_unions_of_two_districts_merged_count_under_the_new_one_as_it_is_now(world):
    # G1 (under D1) and G3 (under D2) merge into GN, a new union under D2. As it is now, G1's
    # reports stand at GN's place: under D2, although G1's own path is still under D1 (the
    # engine finds a place's own reports by both paths, placement.now_candidates).
    program, _, _ = world
    new = {"code": "GN", "name": "GN union", "kind": "grassroots", "parent": "D2", "valid_from": "2024-07-01"}
    _, undo = apply_and_check_undo(world, batch(
        "merge-g", {"change": "merge", "units": ["G1", "G3"], "on": "2024-07-01", "into": "GN"}, units=[new]))
    assert unit("G1").carried_onto == unit("GN")
    # As it was, 2023: G1 under D1 (1 + 10), G3 under D2 (100 + 1000); GN did not exist.
    assert breakdown(program, "D1", 2023, "then") == {"G1": (1, 1), "G2": (10, 1)}
    assert e05(program, "GN", 2023, "then") == (None, 0, 0)
    # As it is now, 2023: GN holds G1's 1 and G3's 100 (the two unions that stood then, both
    # expected at its place); D1 only G2; D2 = 1 + 100 + 1000.
    assert e05(program, "GN", 2023, "now") == (101, 2, 2)
    assert breakdown(program, "D2", 2023, "now") == {"G4": (1000, 1), "GN": (101, 2)}
    assert breakdown(program, "D1", 2023, "now") == {"G2": (10, 1)}
    assert e05(program, "D2", 2023, "now")[0] == 1101
    undo()


# --- a split -------------------------------------------------------------------------------------

def test_a_split_carries_the_figures_to_the_primary_successor(world):
    program, _, _ = world
    new = [{"code": code, "name": f"{code} union", "kind": "district", "parent": "P", "valid_from": "2024-07-01"}
           for code in ("D3A", "D3B")]
    _, undo = apply_and_check_undo(world, batch(
        "split", {"change": "split", "unit": "D3", "on": "2024-07-01", "into": ["D3A", "D3B"],
                  "shares": [0.6, 0.4]}, units=new))
    # D3's remaining unit G5 passes to the primary successor D3A.
    # As it was: 2023 D3 = 10000; 2024 D3 closed (split): nothing; D3A = 20000; D3B none
    assert e05(program, "D3", 2023, "then") == (10000, 1, 1)
    assert e05(program, "D3", 2024, "then") == (None, 0, 0)
    assert e05(program, "D3A", 2024, "then") == (20000, 1, 1)
    assert e05(program, "D3B", 2024, "then") == (None, 0, 0)
    # As it is now: G5's 2023 counts under D3A: 10000
    assert e05(program, "D3A", 2023, "now") == (10000, 1, 1)
    assert e05(program, "D3", 2023, "now") == (None, 0, 0)
    assert unit("D3").carried_onto == unit("D3A")
    undo()


# --- dissolutions ------------------------------------------------------------------------------

def test_a_dissolution_with_a_successor(world):
    program, _, _ = world
    _, undo = apply_and_check_undo(world, batch(
        "dissolve", {"change": "dissolve", "unit": "D1", "on": "2024-07-01", "successor": "D2"}))
    # D1's units G1, G2 pass to D2 on 1 July 2024.
    # As it was: 2023 D1 = 11, D2 = 1100; 2024 D1 nothing, D2 = 2 + 20 + 200 + 2000 = 2222
    assert e05(program, "D1", 2023, "then") == (11, 2, 2)
    assert e05(program, "D2", 2024, "then") == (2222, 4, 4)
    assert e05(program, "D1", 2024, "then") == (None, 0, 0)
    # As it is now: D2 = 1 + 10 + 100 + 1000 = 1111 in 2023
    assert e05(program, "D2", 2023, "now") == (1111, 4, 4)
    undo()


def test_a_dissolution_without_a_successor(world):
    program, _, periods = world
    _, undo = apply_and_check_undo(world, batch(
        "dissolve-none", {"change": "dissolve", "unit": "G2", "on": "2024-07-01", "successor": None}))
    # As it was: 2023 D1 = 1 + 10 = 11 (G2 still there); 2024: G2 closed on 30/06 by the
    # dissolution: not expected, and its 2024 report (20) is not counted: D1 = 2, 1 of 1
    assert e05(program, "D1", 2023, "then") == (11, 2, 2)
    assert e05(program, "D1", 2024, "then") == (2, 1, 1)
    assert e05(program, "P", 2024, "then") == (22202, 4, 4)
    # As it is now G2 has no place: it drops out of every year: 2023 D1 = 1, province 11101
    assert e05(program, "D1", 2023, "now") == (1, 1, 1)
    assert e05(program, "P", 2023, "now") == (11101, 4, 4)
    # completeness never exceeds 100% nor counts G2's report: 2024 at D1: D1 + G1 expected, G1 sent
    total = completeness(periods[2024], unit("D1")).total
    assert (total.expected, total.submitted) == (2, 1)
    undo()


def test_a_dissolution_without_successor_is_refused_while_units_remain_below(world):
    with pytest.raises(ValueError, match="still has units below it"):
        do_apply_reorganisation(batch("bad", {"change": "dissolve", "unit": "D1", "on": "2024-07-01"}))
    assert not UnitLink.objects.filter(valid_to__isnull=False).exists()
    assert unit("D1").valid_to is None


# --- a unit that moves twice ---------------------------------------------------------------------

def test_a_unit_that_moves_twice(world):
    program, admin, periods = world
    before, state = every_figure(program, periods), tree_state()
    first = do_apply_reorganisation(batch("first", {"change": "move", "unit": "G1", "on": "2023-07-01", "to": "D2"}))
    second = do_apply_reorganisation(batch("second", {"change": "move", "unit": "G1", "on": "2024-07-01",
                                                      "to": "D3"}))
    # As it was: 2023 (G1 under D2 since 1 July 2023): D1 = G2 = 10; D2 = 1 + 100 + 1000 = 1101.
    # 2024 (G1 under D3 since 1 July 2024): D1 = 20, D2 = 200 + 2000 = 2200, D3 = 2 + 20000 = 20002
    assert e05(program, "D1", 2023, "then") == (10, 1, 1)
    assert e05(program, "D2", 2023, "then") == (1101, 3, 3)
    assert e05(program, "D2", 2024, "then") == (2200, 2, 2)
    assert e05(program, "D3", 2024, "then") == (20002, 2, 2)
    # D2's own breakdown by grassroots union (their values read straight from the reports): in
    # 2024 G1 stood under D3, so as it was its 2024 value (2) is not D2's; G1 is listed (it stood
    # under D2 in 2023) with nothing expected in 2024
    assert breakdown(program, "D2", 2024, "then") == {"G1": (None, 0), "G3": (200, 1), "G4": (2000, 1)}
    assert breakdown(program, "D2", 2023, "then") == {"G1": (1, 1), "G3": (100, 1), "G4": (1000, 1)}
    # As it is now: G1 counts under D3 in both years: 2023 D3 = 1 + 10000 = 10001, D2 = 1100
    assert e05(program, "D3", 2023, "now") == (10001, 2, 2)
    assert e05(program, "D2", 2023, "now") == (1100, 2, 2)
    # three links: D1 until 30/06/2023, D2 until 30/06/2024, D3 since
    assert list(UnitLink.objects.filter(unit__code="G1").order_by("id").values_list(
        "parent__code", "valid_from", "valid_to")) == [
        ("D1", None, datetime.date(2023, 6, 30)), ("D2", datetime.date(2023, 7, 1), datetime.date(2024, 6, 30)),
        ("D3", datetime.date(2024, 7, 1), None)]
    # the first batch cannot be undone while the second builds on it
    with pytest.raises(UndoRefused, match="second"):
        do_undo_reorganisation(first)
    do_undo_reorganisation(second, by=admin)
    assert e05(program, "D2", 2024, "then") == (2202, 3, 3)  # 2 + 200 + 2000: G1 back under D2 in 2024
    do_undo_reorganisation(first, by=admin)
    assert tree_state() == state
    assert every_figure(program, periods) == before


# --- a report submitted before and approved after a move -----------------------------------------

def test_a_report_submitted_before_a_move_is_approved_by_the_new_parent(world):
    program, admin, periods = world
    g2 = unit("G2")
    Report.objects.filter(unit=g2, period=periods[2024]).update(status=Report.Status.SUBMITTED)
    refresh()
    old_approver = User.objects.create(username="d1-approver", role=Role.APPROVER, unit=unit("D1"))
    new_approver = User.objects.create(username="d2-approver", role=Role.APPROVER, unit=unit("D2"))
    g2_reporter = User.objects.create(username="g2-reporter", role=Role.REPORTER, unit=g2)
    report = Report.objects.get(unit=g2, period=periods[2024])
    assert can_approve_report(old_approver, report) and not can_approve_report(new_approver, report)
    # not approved yet: E05 2024 at D1 counts G1 only (2), G2's report is submitted, not counted
    assert e05(program, "D1", 2024, "then") == (2, 1, 2)

    do_apply_reorganisation(batch("move", {"change": "move", "unit": "G2", "on": "2024-07-01", "to": "D2"}))
    report.refresh_from_db()
    g2 = unit("G2")
    # today's parent decides: the D2 approver, no longer D1's
    assert can_approve_report(new_approver, report) and not can_approve_report(old_approver, report)
    # D2's users see G2 and its reports of before the move (its 2023 report too)
    assert can_view_unit(new_approver, g2) and g2 in visible_units(new_approver)
    actions.do_approve(report, new_approver, report.version)
    run_jobs()  # the worker recounts what the approval marked
    # As it was in 2024 (G2 under D2 on 31/12/2024): D2 = 20 + 200 + 2000 = 2220; 2023 unchanged:
    # D1 = 11; as it is now D2 2023 = 10 + 100 + 1000 = 1110
    assert e05(program, "D2", 2024, "then") == (2220, 3, 3)
    assert e05(program, "D1", 2023, "then") == (11, 2, 2)
    assert e05(program, "D2", 2023, "now") == (1110, 3, 3)
    assert can_edit_unit_data(g2_reporter, g2)


# --- accounts of closed units, successors' reading -------------------------------------------------

def test_the_accounts_of_a_closed_unit_are_read_only_and_the_successor_reads_its_history(world):
    d1_reporter = User.objects.create(username="d1-reporter", role=Role.REPORTER, unit=unit("D1"))
    d2_approver = User.objects.create(username="d2-approver", role=Role.APPROVER, unit=unit("D2"))
    left_behind = _add(unit("D1"), "G9", UnitKind.GRASSROOTS, valid_to=datetime.date(2022, 12, 31))
    assert can_edit_unit_data(d1_reporter, unit("D1")) and not can_view_unit(d2_approver, left_behind)
    do_apply_reorganisation(batch("merge", {"change": "merge", "units": ["D1"], "on": "2024-07-01", "into": "D2"}))
    d1_reporter.refresh_from_db()
    assert is_read_only(d1_reporter)
    assert not can_edit_unit_data(d1_reporter, unit("D1"))
    # the successor reads the predecessor's subtree: the merged D1 and the union closed under it
    d2_approver = User.objects.get(pk=d2_approver.pk)  # as the next request loads it
    assert can_view_unit(d2_approver, unit("D1")) and can_view_unit(d2_approver, left_behind)
    assert {"D1", "G9"} <= set(visible_units(d2_approver).values_list("code", flat=True))


# --- the structural bridge ------------------------------------------------------------------------

def test_the_structural_bridge_splits_the_change_into_reorganisation_and_performance(world):
    program, _, _ = world
    do_apply_reorganisation(batch("dissolve-none", {"change": "dissolve", "unit": "G2", "on": "2024-07-01"}))
    bridge = structural_bridge(program, program.targets.get(code="E05"), unit("P"), 2023, 2024)
    # 2023 as it was 11111; as it is now 11101 (G2 dissolved: out); 2024 as it was 22202.
    # Reorganisation: 11101 − 11111 = −10; performance: 22202 − 11101 = 11101; change 11091
    assert (bridge.earlier_then, bridge.earlier_now, bridge.later_then) == (11111, 11101, 22202)
    assert (bridge.structural, bridge.performance, bridge.change) == (-10, 11101, 11091)
    assert bridge.structural + bridge.performance == bridge.change


# --- the queries do not grow with the changes --------------------------------------------------------

def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_the_engine_and_completeness_queries_do_not_grow_with_units_or_changes(world):
    program, _, periods = world
    target = program.targets.get(code="E05")

    def counts():
        measured = []
        for view in ("then", "now"):
            engine = Engine(program, view=view)
            province = unit("P")
            # Read anew: a period object remembers the programs asking in it once read.
            period = Period.objects.get(pk=periods[2024].pk)
            measured += [_queries(lambda e=engine, r=province: e.series(r)),
                         _queries(lambda e=engine, r=province: e.breakdown(target, r, 2024)),
                         _queries(lambda v=view, r=province, p=period: completeness(p, r, v))]
        return measured

    before = counts()
    # many more units and many changes: 30 grassroots unions, moved, merged and dissolved
    extra = [_add(unit("D3"), f"X{i:02d}", UnitKind.GRASSROOTS) for i in range(30)]
    do_apply_reorganisation(batch(
        "many",
        {"change": "move", "units": [u.code for u in extra[:10]], "on": "2024-03-01", "to": "D1"},
        {"change": "merge", "units": [u.code for u in extra[10:20]], "on": "2024-05-01", "into": "G5"},
        {"change": "dissolve", "unit": "D1", "on": "2024-07-01", "successor": "D2"},
        *({"change": "dissolve", "unit": u.code, "on": "2024-08-01"} for u in extra[20:])))
    assert counts() == before


def test_every_query_of_the_then_view_joins_the_dated_links_once(world):
    """The link that places a unit in a period must be the one every condition reads: a second
    join to the links would match any link the unit ever had (a unit moved away would still
    count under its former parent)."""
    program, _, periods = world
    do_apply_reorganisation(batch("move", {"change": "move", "unit": "G2", "on": "2024-07-01", "to": "D2"}))
    target = program.targets.get(code="E05")
    with CaptureQueriesContext(connection) as captured:
        Engine(program).series(unit("D2"))
        Engine(program).breakdown(target, unit("D2"), 2024)
        Engine(program).breakdown(target, unit("P"), 2024)
        completeness(periods[2024], unit("D2"))
        list(missing_units(periods[2024], unit("D2")))
    joins = [q["sql"].count('JOIN "units_unitlink"') for q in captured.captured_queries]
    assert max(joins) == 1


def test_the_indicators_command_prints_either_view(world):
    import io
    import json

    from django.core.management import call_command

    do_apply_reorganisation(batch("move", {"change": "move", "unit": "G2", "on": "2024-07-01", "to": "D2"}))

    def e05_of(view):
        out = io.StringIO()
        call_command("indicators", unit="D2", period=2023, program="engine-test", json=True, view=view, stdout=out)
        return next(r for r in json.loads(out.getvalue()) if r["code"] == "E05")

    # 2023 at D2: as it was G3 + G4 = 1100 (2 of 2); as it is now G2 too: 10 + 100 + 1000 = 1110 (3 of 3)
    assert (e05_of("then")["value"], e05_of("then")["expected"]) == (1100, 2)
    assert (e05_of("now")["value"], e05_of("now")["expected"]) == (1110, 3)
