"""The indicator engine against results worked out by hand.

The program is indicators/tests/data/engine-test-program.yaml (term 2021–2024, targets
E01–E08, one or more for every kind of definition). The tree and the reports below are
small enough to add up on paper; every expected number in the tests is a literal with its
arithmetic in a comment — nothing is computed by the engine's own rules.

    T  province "Test provincial federation"
    ├── T.A  district  "A district federation"        DA
    │   ├── A1  state,       large                    all years
    │   ├── A2  non-state                             all years
    │   ├── A3  public sector                         all years
    │   ├── A4  non-state,   large   OPENED 2024-03-01 (valid_from)
    │   └── AM  non-state,   large   MOVED here from B on 2023-07-01 (created under B)
    ├── T.B  district  "B district federation"        DB
    │   ├── B1  state                                 all years
    │   └── B2  non-state            CLOSED 2023-06-30 (valid_to)
    └── T.C  sector    "C health sector union"        SC
        └── S1  public sector                         all years

Units existing per year (grassroots): 2021–2023: A1 A2 A3 AM B1 B2 S1 = 7;
2024: A1 A2 A3 A4 AM B1 S1 = 7. Enterprises (state or non-state): A1 A2 AM B1 B2 in
2021–2023, A1 A2 A4 AM B1 in 2024 = 5 each year. State: A1 B1. Large: A1 AM (+ A4 in 2024).

Report statuses: L locked, A approved (both counted), S submitted (counted only with
include_submitted=True), DR draft and R returned (never counted), "—" no report.

What a `units` expression counts (the program-file format, programs/data/an-giang-…yaml):
in a yearly, term/last or deadline ratio, the units of its filter with a counted report that
year (a missing report lowers the coverage, it is not a "no"); in a term/sum ratio, the units
of its filter that existed in the latest year, whether or not they reported.
"""

from __future__ import annotations

import copy
import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from indicators.engine import Engine
from indicators.rollups import refresh as refresh_rollups
from indicators.status import AT_RISK, MET, NO_DATA, NOT_MET, ON_TRACK
from programs.definition import check_program
from programs.loading import load_program
from reporting.actions import do_open_period
from reporting.models import DataValue, Period, Report, value_to_stored
from tests.scoped_data import kept_for_the_scope
from units.actions import do_move_unit
from units.history import parent_history
from units.models import Ownership, Unit, UnitKind
from units.placement import VIEWS

PROGRAM_FILE = Path(__file__).parent / "data" / "engine-test-program.yaml"
YEARS = (2021, 2022, 2023, 2024)
MOVED_ON = datetime.date(2023, 7, 1)

L, A, S, DR, R = "locked", "approved", "submitted", "draft", "returned"
Y, N = True, False

# Grassroots reports: status, workers, members, initiatives, party_referrals,
# employee_conference_held, cba_signed, cba_quality_class, implementation_plan_built.
# (None = the value is not in the report.)
GRASSROOTS_REPORTS = {
    2021: {
        "A1": (L, 40, 30, 5, 1, Y, Y, "C", Y),
        "A2": (L, 20, 10, 3, 0, N, Y, "A", Y),
        "A3": (L, 10, 6, 2, 1, Y, N, None, Y),
        "AM": (L, 10, 6, 4, 0, N, Y, "B", Y),
        "B1": (L, 10, 4, 1, 0, Y, N, None, N),
        "B2": (L, 10, 4, 3, 1, N, N, None, N),
        # S1: no report
    },
    2022: {
        "A1": (L, 40, 32, 6, 1, Y, Y, "B", Y),
        "A2": (L, 20, 12, 4, 1, Y, Y, "A", Y),
        "A3": (DR, 10, 10, 10, 5, Y, Y, "A", None),
        "AM": (L, 10, 7, 5, 0, N, Y, "B", None),
        "B1": (R, 10, 10, 10, 5, Y, Y, "A", None),
        "B2": (L, 10, 5, 2, 0, Y, Y, "D", None),
        "S1": (L, 20, 14, 8, 1, N, N, None, None),
    },
    2023: {
        "A1": (A, 40, 34, 4, 0, Y, Y, "C", None),
        "A2": (S, 20, 10, 3, 2, Y, Y, "B", None),
        "A3": (A, 10, 8, 2, 1, N, N, None, None),
        "AM": (A, 20, 16, 3, 1, Y, Y, "A", None),
        "B1": (A, 10, 8, 2, 0, N, N, None, None),
        "B2": (A, 20, 14, 6, 0, Y, N, None, None),
        # S1: no report
    },
    2024: {
        "A1": (A, 40, 36, 7, 1, Y, Y, "B", None),
        "A2": (A, 20, 14, 5, 0, N, Y, "C", None),
        "A3": (A, 10, 9, 3, 0, Y, N, None, None),
        "A4": (A, 5, 4, 2, 0, N, Y, "A", None),
        "AM": (A, 20, 17, 4, 1, N, Y, "D", None),
        "B1": (S, 10, 10, 4, 1, Y, Y, "A", None),
        "S1": (A, 5, 4, 3, 1, Y, N, None, None),
        # B2: closed in 2023, no report
    },
}
GRASSROOTS_ELEMENTS = ("workers", "members", "initiatives", "party_referrals", "employee_conference_held",
                       "cba_signed", "cba_quality_class", "implementation_plan_built")

# Upper-level unions' reports: status, implementation_plan_built, labour_disputes, disputes_with_union.
UPPER_REPORTS = {
    2021: {"DA": (L, Y, 2, 2), "DB": (L, N, 2, 1)},  # SC: no report
    2022: {"DA": (L, Y, 1, 1), "DB": (L, Y, 0, 0), "SC": (L, N, 1, 1)},
    2023: {"DA": (A, Y, 2, 2), "DB": (S, Y, 3, 1), "SC": (A, Y, 0, 0)},
    2024: {"DA": (A, Y, 1, 1), "DB": (A, Y, 2, 2), "SC": (A, Y, 1, 1)},
}
UPPER_ELEMENTS = ("implementation_plan_built", "labour_disputes", "disputes_with_union")


# --- building the little world ----------------------------------------------------------

def _unit(parent, code, name, kind, **attributes) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, **attributes)
    return Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)


def _grassroots(parent, code, name, ownership, large=False, **attributes) -> Unit:
    # "large" is derived from the workers (units.models.is_large_enterprise): give it enough
    attributes.setdefault("workers", settings.LARGE_ENTERPRISE_WORKERS if large else 10)
    return _unit(parent, code, name, UnitKind.GRASSROOTS, ownership=ownership, **attributes)


def _add_reports(program, periods, units, table, element_codes) -> None:
    elements = {e.code: e for e in program.data_elements.all()}
    reports, rows = [], []
    for year, by_unit in table.items():
        for code, (status, *values) in by_unit.items():
            report = Report(period=periods[year], unit=units[code], status=status)
            reports.append(report)
            for element_code, value in zip(element_codes, values, strict=True):
                if value is None:
                    continue
                element = elements[element_code]
                number, text = value_to_stored(element.type, value)
                rows.append((report, element, number, text))
    Report.objects.bulk_create(reports)
    DataValue.objects.bulk_create(
        [DataValue(report=report, element=element, number=number, text=text) for report, element, number, text in rows]
    )
    refresh_rollups()  # as every bulk load must (the actions of reporting/ do it through signals)


def build():
    """The little world before the move (see `moved`)."""
    program = load_program(PROGRAM_FILE)[0]
    user = User.objects.create(username="engine-tester")
    u = {}
    u["T"] = _unit(None, "T", "Test provincial federation", UnitKind.PROVINCE)
    u["DA"] = _unit(u["T"], "T.A", "A district federation", UnitKind.DISTRICT)
    u["DB"] = _unit(u["T"], "T.B", "B district federation", UnitKind.DISTRICT)
    u["SC"] = _unit(u["T"], "T.C", "C health sector union", UnitKind.SECTOR)
    u["A1"] = _grassroots(u["DA"], "T.A.1", "A1 state company", Ownership.STATE, large=True)
    u["A2"] = _grassroots(u["DA"], "T.A.2", "A2 private company", Ownership.NON_STATE)
    u["A3"] = _grassroots(u["DA"], "T.A.3", "A3 school", Ownership.PUBLIC_SECTOR)
    u["A4"] = _grassroots(u["DA"], "T.A.4", "A4 new private company", Ownership.NON_STATE, large=True,
                          valid_from=datetime.date(2024, 3, 1))
    u["AM"] = _grassroots(u["DB"], "T.M", "AM moved company", Ownership.NON_STATE, large=True)
    u["B1"] = _grassroots(u["DB"], "T.B.1", "B1 state company", Ownership.STATE)
    u["B2"] = _grassroots(u["DB"], "T.B.2", "B2 closed company", Ownership.NON_STATE,
                          valid_to=datetime.date(2023, 6, 30))
    u["S1"] = _grassroots(u["SC"], "T.C.1", "S1 hospital", Ownership.PUBLIC_SECTOR)
    periods = {year: do_open_period("year", year, 0, datetime.date(year + 1, 1, 31), by=user)
               for year in YEARS}
    _add_reports(program, periods, u, GRASSROOTS_REPORTS, GRASSROOTS_ELEMENTS)
    _add_reports(program, periods, u, UPPER_REPORTS, UPPER_ELEMENTS)
    for unit in u.values():
        unit.refresh_from_db()
    targets = {t.code: t for t in program.targets.all()}
    return program, user, u, targets


def moved(u, user) -> None:
    """AM moves from DB to DA on MOVED_ON."""
    do_move_unit(u["AM"], u["DA"], MOVED_ON, by=user)
    for unit in u.values():
        unit.refresh_from_db()


@pytest.fixture(scope="module")
def built_once(django_db_setup, django_db_blocker):
    """The world before the move, built once for the module (loading its program is most of the
    time) and rolled back after the module's last test (tests/scoped_data.py)."""
    with kept_for_the_scope(django_db_blocker):
        yield build()


@pytest.fixture
def unmoved(db, built_once):
    """The world before AM moves: each test its own instances, its changes rolled back after it."""
    return copy.deepcopy(built_once)


@pytest.fixture
def world(unmoved):
    program, user, u, targets = unmoved
    moved(u, user)
    return program, user, u, targets


# --- what a result says, and how the tests write it ------------------------------------

def _hundredths(number):
    """The engine keeps full precision; the literals below are written to hundredths."""
    return None if number is None else number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def facts(result) -> dict:
    coverage = result.coverage
    return {
        "value": _hundredths(result.value), "numerator": result.numerator, "denominator": result.denominator,
        "reported": result.reported, "expected": result.expected,
        "coverage": None if coverage is None else coverage.quantize(Decimal("0.0001")),
        "low_coverage": result.low_coverage, "status": result.status, "projected": _hundredths(result.projected),
    }


def _d(number):
    return None if number is None else Decimal(str(number))


def row(value, numerator, denominator, reported, expected, coverage, low, status, projected=None) -> dict:
    """The expected facts, numbers written as the literals they are (coverage to 4 places)."""
    return {
        "value": _d(value), "numerator": _d(numerator), "denominator": _d(denominator),
        "reported": reported, "expected": expected, "coverage": _d(coverage),
        "low_coverage": low, "status": status, "projected": _d(projected),
    }


def by_code(rows) -> dict:
    return {unit.code: facts(result) for unit, result in rows}


# --- the program file -----------------------------------------------------------------

def test_the_test_program_is_a_valid_program_file(db):
    assert check_program(PROGRAM_FILE) == []
    program = load_program(PROGRAM_FILE)[0]
    assert [t.code for t in program.targets.all()] == [f"E0{i}" for i in range(1, 9)]
    assert program.reporting_years == [2021, 2022, 2023, 2024]


# --- 1 & 3. every expression kind, target unit and status, for the province -----------

def test_sum_over_sum_percent_term_last_with_projection(world):
    """E01 members / workers ≥ 85%, term, accumulate last: each year is that year's ratio;
    the status before 2024 follows the least-squares line to 2024."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E01"]
    # 2021: A1 A2 A3 AM B1 B2 reported (S1 did not): (30+10+6+6+4+4) / (40+20+10+10+10+10) = 60 / 100
    # = 60.00; one point, projection = 60.00 < 85 and < 85 × 0.9 = 76.5 → not met; coverage 6/7
    assert facts(s[2021]) == row("60.00", 60, 100, 6, 7, "0.8571", False, NOT_MET, "60.00")
    # 2022: A1 A2 AM B2 S1 (A3 draft, B1 returned ignored): (32+12+7+5+14) / (40+20+10+10+20) = 70 / 100
    # line through (2021, 60) (2022, 70): slope 10, at 2024 = 65 + 10 × 2.5 = 90.00 ≥ 85 → on track;
    # coverage 5/7 = 0.714 < 0.8 → low
    assert facts(s[2022]) == row("70.00", 70, 100, 5, 7, "0.7143", True, ON_TRACK, "90.00")
    # 2023: A1 A3 AM B1 B2 (A2 only submitted): (34+8+16+8+14) / (40+10+20+10+20) = 80 / 100;
    # line through 60, 70, 80: slope 10, mean 70 at 2022 → 2024: 70 + 10 × 2 = 90.00 → on track
    assert facts(s[2023]) == row("80.00", 80, 100, 5, 7, "0.7143", True, ON_TRACK, "90.00")
    # 2024 (B2 closed, A4 opened: still 7 expected; B1 only submitted): A1 A2 A3 A4 AM S1:
    # (36+14+9+4+17+4) / (40+20+10+5+20+5) = 84 / 100 = 84.00 < 85. The last year of the term
    # is met or not met (no "at risk" although 84 ≥ 76.5). Projection: mean x 2022.5, mean y
    # (60+70+80+84)/4 = 73.5, Σ(x−x̄)y = −1.5×60 −0.5×70 +0.5×80 +1.5×84 = 41, Σ(x−x̄)² = 5,
    # slope 8.2 → 73.5 + 8.2 × 1.5 = 85.80
    assert facts(s[2024]) == row("84.00", 84, 100, 6, 7, "0.8571", False, NOT_MET, "85.80")


def test_count_over_units_percent_yearly_filtered_by_ownership(world):
    """E02 state enterprises (A1, B1) holding an employee conference ≥ 100%, yearly.

    In a yearly (or term/last, or deadline) ratio the `units` side counts the units of the
    filter that REPORTED (engine.py, `_side`): a missing report lowers the coverage, it is not
    a "no". (Only a term/sum total is divided by the units that existed, see E06.)"""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E02"]
    # 2021: A1 yes, B1 yes → 2 / 2 × 100 = 100.00 → met (A3 said yes but is public sector: not counted)
    assert facts(s[2021]) == row("100.00", 2, 2, 2, 2, "1.0000", False, MET)
    # 2022: A1 yes; B1's report was returned, so B1 is neither a "yes" nor a "no":
    # 1 / 1 reporting state union × 100 = 100.00 → met, with coverage 1 / 2 (2 state unions exist) → low
    assert facts(s[2022]) == row("100.00", 1, 1, 1, 2, "0.5000", True, MET)
    # 2023: A1 yes, B1 no → 1 / 2 = 50.00 < 100 × 0.9 = 90 → not met
    assert facts(s[2023]) == row("50.00", 1, 2, 2, 2, "1.0000", False, NOT_MET)
    # 2024: A1 yes, B1 only submitted → 1 / 1 = 100.00, coverage 1 / 2
    assert facts(s[2024]) == row("100.00", 1, 1, 1, 2, "0.5000", True, MET)


def test_count_over_units_yearly_enterprises_at_risk_and_coverage_boundary(world):
    """E03 enterprises (state or non-state) with a collective agreement ≥ 65%, yearly:
    'at risk' when at least 65 × 0.9 = 58.5. Expected units: the 5 enterprises of the year."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E03"]
    # 2021: A1 A2 AM yes, B1 B2 no → 3 / 5 × 100 = 60.00; 58.5 ≤ 60 < 65 → at risk
    assert facts(s[2021]) == row("60.00", 3, 5, 5, 5, "1.0000", False, AT_RISK)
    # 2022: A1 A2 AM B2 yes (B1 returned: not a "no") → 4 / 4 reporting enterprises = 100.00 → met;
    # coverage 4 / 5 = 0.8 is not below 0.8 → not low
    assert facts(s[2022]) == row("100.00", 4, 4, 4, 5, "0.8000", False, MET)
    # 2023: reporting A1 AM B1 B2 (A2 only submitted); A1 AM yes → 2 / 4 = 50.00 < 58.5 → not met
    assert facts(s[2023]) == row("50.00", 2, 4, 4, 5, "0.8000", False, NOT_MET)
    # 2024: enterprises A1 A2 A4 AM B1 (B2 closed, A4 opened) = 5 expected; A1 A2 A4 AM report, all yes
    # (B1 only submitted) → 4 / 4 = 100.00
    assert facts(s[2024]) == row("100.00", 4, 4, 4, 5, "0.8000", False, MET)


def test_count_class_over_count_large_enterprises_term_last(world):
    """E04 agreements of large enterprises in class A or B ≥ 60%, term, accumulate last."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E04"]
    # 2021: large A1 (C) and AM (B) signed → 1 / 2 × 100 = 50.00 (A2's class A: not large, not counted);
    # one point → projection 50.00 < 60 × 0.9 = 54 → not met; expected = large grassroots A1 AM = 2
    assert facts(s[2021]) == row("50.00", 1, 2, 2, 2, "1.0000", False, NOT_MET, "50.00")
    # 2022: A1 (B), AM (B) → 2 / 2 = 100.00 → met; line through 50, 100 → 75 + 50 × 2.5 = 200.00
    assert facts(s[2022]) == row("100.00", 2, 2, 2, 2, "1.0000", False, MET, "200.00")
    # 2023: A1 (C), AM (A) → 1 / 2 = 50.00 < 60, but the line through 50, 100, 50 is flat at
    # 200/3 = 66.67 ≥ 60 → on track
    assert facts(s[2023]) == row("50.00", 1, 2, 2, 2, "1.0000", False, ON_TRACK, "66.67")
    # 2024: large A1 (B), A4 (A), AM (D) → 2 / 3 × 100 = 66.67 ≥ 60 → met; projection: mean y
    # 266.67/4 = 66.6675, Σ(x−x̄)y = −75 −50 +25 +100.005 = 0.005, slope 0.001 → 66.669 → 66.67
    assert facts(s[2024]) == row("66.67", 2, 3, 3, 3, "1.0000", False, MET, "66.67")


def test_sum_count_target_yearly(world):
    """E05 initiatives ≥ 20 a year: a count target has no denominator; at risk from 18."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E05"]
    # 2021: 5 + 3 + 2 + 4 + 1 + 3 = 18 = 20 × 0.9 exactly → at risk
    assert facts(s[2021]) == row(18, 18, None, 6, 7, "0.8571", False, AT_RISK)
    # 2022: 6 + 4 + 5 + 2 + 8 = 25 (A3's draft 10 and B1's returned 10 not counted) → met
    assert facts(s[2022]) == row(25, 25, None, 5, 7, "0.7143", True, MET)
    # 2023: 4 + 2 + 3 + 2 + 6 = 17 < 18 → not met (A2's submitted 3 not counted)
    assert facts(s[2023]) == row(17, 17, None, 5, 7, "0.7143", True, NOT_MET)
    # 2024: 7 + 5 + 3 + 2 + 4 + 3 = 24 → met
    assert facts(s[2024]) == row(24, 24, None, 6, 7, "0.8571", False, MET)


def test_sum_over_units_average_term_sum(world):
    """E06 party referrals per grassroots union ≥ 1, term, accumulate sum: referrals add up
    from 2021, the `units` denominator is the units existing in the latest year (not summed)."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E06"]
    # 2021: 1+0+1+0+0+1 = 3 referrals / 7 units existing (S1 did not report: still in the denominator,
    # unlike a yearly ratio's `units`) = 0.4286 → 0.43; projection 0.43 < 0.9 → not met
    assert facts(s[2021]) == row("0.43", 3, 7, 6, 7, "0.8571", False, NOT_MET, "0.43")
    # 2022: 3 + (1+1+0+0+1) = 6 / 7 = 0.857 → 0.86 (A3's draft 5, B1's returned 5 not counted);
    # line through 3/7, 6/7 (unrounded): slope 3/7, 9/14 + 3/7 × 2.5 = 12/7 = 1.714 → 1.71 ≥ 1 → on track
    assert facts(s[2022]) == row("0.86", 6, 7, 5, 7, "0.7143", True, ON_TRACK, "1.71")
    # 2023: 6 + (0+1+1+0+0) = 8 / 7 = 1.143 → 1.14 → met; line through 0.43, 0.86, 1.14:
    # mean 0.81, slope (1.14 − 0.43)/2 = 0.355 → 0.81 + 0.71 = 1.52
    assert facts(s[2023]) == row("1.14", 8, 7, 5, 7, "0.7143", True, MET, "1.52")
    # 2024: 8 + (1+0+0+0+1+1) = 11 / 7 units of 2024 (B2 gone, A4 new; summing the years would give 28)
    # = 1.571 → 1.57; projection: mean 4.00/4 = 1.00, Σ(x−x̄)y = −0.645 −0.43 +0.57 +2.355 = 1.85,
    # slope 0.37 → 1.00 + 0.555 = 1.555 → 1.56
    assert facts(s[2024]) == row("1.57", 11, 7, 6, 7, "0.8571", False, MET, "1.56")


def test_deadline_target_is_judged_on_the_deadline_year_whatever_year_is_asked(world):
    """E07 upper-level unions (districts and the sector union) with a plan by 2022-06-30:
    every year shows 2022's answer. Grassroots unions' own "yes" (A1, A2 in 2022) is not counted."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E07"]
    # 2022: DA yes, DB yes, SC no → 2 / 3 × 100 = 66.67 → not met; coverage of 2022: 3 / 3.
    # (2021 alone would give DA yes, DB no, SC no report → 1/2 = 50.00; 2024 alone 3/3 = 100.00.)
    for year in YEARS:
        assert facts(s[year]) == row("66.67", 2, 3, 3, 3, "1.0000", False, NOT_MET), year


def test_sum_over_sum_term_sum_at_risk_by_projection(world):
    """E08 disputes settled with the union / all disputes ≥ 100%, term, accumulate sum:
    numerator and denominator both add up from 2021."""
    program, _, u, _ = world
    s = Engine(program).series(u["T"])["E08"]
    # 2021: DA 2/2 + DB 1/2 (SC no report) = 3 / 4 = 75.00; projection 75 < 90 → not met; coverage 2/3 low
    assert facts(s[2021]) == row("75.00", 3, 4, 2, 3, "0.6667", True, NOT_MET, "75.00")
    # 2022: + DA 1/1 + DB 0/0 + SC 1/1 → 5 / 6 = 83.33; line through 75 and 83.333… (unrounded):
    # 79.1666… + 8.333… × 2.5 = exactly 100 ≥ 100 → on track (from the rounded 83.33 the line
    # would read 99.99 and say "at risk": statuses are judged on full precision)
    assert facts(s[2022]) == row("83.33", 5, 6, 3, 3, "1.0000", False, ON_TRACK, "100.00")
    # 2023: + DA 2/2 + SC 0/0 (DB only submitted) → 7 / 8 = 87.50; line through 75, 83.33, 87.5:
    # mean 245.83/3 = 81.9433, slope (87.5 − 75)/2 = 6.25 → 81.9433 + 12.5 = 94.44 → at risk
    assert facts(s[2023]) == row("87.50", 7, 8, 2, 3, "0.6667", True, AT_RISK, "94.44")
    # 2024: + 1/1 + 2/2 + 1/1 → 11 / 12 = 91.67 → not met in the last year; projection: mean 337.5/4
    # = 84.375, Σ(x−x̄)y = −112.5 −41.665 +43.75 +137.505 = 27.09, slope 5.418 → 84.375 + 8.127 = 92.50
    assert facts(s[2024]) == row("91.67", 11, 12, 3, 3, "1.0000", False, NOT_MET, "92.50")


def test_results_gives_every_target_of_one_year_in_program_order(world):
    program, _, u, _ = world
    results = Engine(program).results(u["T"], 2023)
    assert [(r.target.code, _hundredths(r.value)) for r in results] == [
        ("E01", Decimal("80.00")), ("E02", Decimal("50.00")), ("E03", Decimal("50.00")),
        ("E04", Decimal("50.00")), ("E05", Decimal("17")), ("E06", Decimal("1.14")),
        ("E07", Decimal("66.67")), ("E08", Decimal("87.50")),
    ]


# --- a district: the current tree, closed and opened units --------------------------------

def test_district_series_counts_the_moved_unit_and_the_opened_unit(world):
    program, _, u, _ = world
    s = Engine(program, view="now").series(u["DA"])
    # As it is now: DA's subtree today: A1 A2 A3 A4 AM (AM moved in on 2023-07-01; in this view its
    # whole history counts where it is today; "as it was", AM's 2021–2022 stay with DB).
    # E01 2021: A1 A2 A3 AM: (30+10+6+6) / (40+20+10+10) = 52 / 80 = 65.00; 4 of 4 (A4 did not exist)
    assert facts(s["E01"][2021]) == row("65.00", 52, 80, 4, 4, "1.0000", False, NOT_MET, "65.00")
    # 2022: A1 A2 AM (A3 draft): (32+12+7) / (40+20+10) = 51 / 70 = 72.857 → 72.86; 3 of 4 = 0.75 low;
    # line through 65, 72.857… (unrounded): 68.929 + 7.857 × 2.5 = 88.571 → 88.57 ≥ 85 → on track
    assert facts(s["E01"][2022]) == row("72.86", 51, 70, 3, 4, "0.7500", True, ON_TRACK, "88.57")
    # 2023: A1 A3 AM (A2 submitted): (34+8+16) / (40+10+20) = 58 / 70 = 82.857 → 82.86;
    # line through 65, 72.86, 82.86: mean 220.72/3 = 73.5733, slope 17.86/2 = 8.93 → 91.43 → on track
    assert facts(s["E01"][2023]) == row("82.86", 58, 70, 3, 4, "0.7500", True, ON_TRACK, "91.43")
    # 2024: A1 A2 A3 A4 AM: (36+14+9+4+17) / (40+20+10+5+20) = 80 / 95 = 84.21; 5 of 5 (A4 opened);
    # projection: mean 304.93/4 = 76.2325, Σ(x−x̄)y = −97.5 −36.43 +41.43 +126.315 = 33.815,
    # slope 6.763 → 76.2325 + 10.1445 = 86.377 → 86.38; last year, 84.21 < 85 → not met
    assert facts(s["E01"][2024]) == row("84.21", 80, 95, 5, 5, "1.0000", False, NOT_MET, "86.38")

    # E06 referrals: 2021 1+0+1+0 = 2 / 4 units = 0.50 → projection 0.50 < 0.9 → not met
    assert facts(s["E06"][2021]) == row("0.50", 2, 4, 4, 4, "1.0000", False, NOT_MET, "0.50")
    # 2022: 2 + (1+1+0) = 4 / 4 = 1.00 → met; line through 0.5, 1.0 → 0.75 + 0.5 × 2.5 = 2.00
    assert facts(s["E06"][2022]) == row("1.00", 4, 4, 3, 4, "0.7500", True, MET, "2.00")
    # 2023: 4 + (0+1+1) = 6 / 4 = 1.50; line through 0.5, 1, 1.5 → 1.00 + 0.5 × 2 = 2.00
    assert facts(s["E06"][2023]) == row("1.50", 6, 4, 3, 4, "0.7500", True, MET, "2.00")
    # 2024: 6 + (1+0+0+0+1) = 8 / 5 units existing in 2024 (A4 opened) = 1.60; projection: mean
    # 4.6/4 = 1.15, Σ(x−x̄)y = −0.75 −0.5 +0.75 +2.4 = 1.9, slope 0.38 → 1.15 + 0.57 = 1.72
    assert facts(s["E06"][2024]) == row("1.60", 8, 5, 5, 5, "1.0000", False, MET, "1.72")

    # E07 in DA's subtree: the only upper-level union is DA itself, plan by 2022: 1 / 1 = 100.00;
    # A1 and A2's grassroots "yes" in 2022 are not counted (it would be 300%)
    assert facts(s["E07"][2023]) == row("100.00", 1, 1, 1, 1, "1.0000", False, MET)


def test_district_with_the_closed_unit(world):
    program, _, u, _ = world
    s = Engine(program).series(u["DB"])
    # DB's subtree today: B1, B2 (closed 2023-06-30: it still counts in 2023, not in 2024).
    # E05 2023: B1 2 + B2 6 = 8; expected 2, both reported
    assert facts(s["E05"][2023]) == row(8, 8, None, 2, 2, "1.0000", False, NOT_MET)
    # 2024: only B1 expected, and it only submitted → nothing counted: no data (not zero)
    assert facts(s["E05"][2024]) == row(None, None, None, 0, 1, "0.0000", True, NO_DATA)
    # E03 2021, as it was: enterprises B1 B2 and AM (under DB until it moved on 2023-07-01):
    # cba_signed N, N, Y → 1 / 3 = 33.33 → not met
    assert facts(s["E03"][2021]) == row("33.33", 1, 3, 3, 3, "1.0000", False, NOT_MET)
    # E03 2024: B1 is the only enterprise left; its submitted report is not counted → 0 reporting
    # units, no data (not 0%)
    assert facts(s["E03"][2024]) == row(None, None, None, 0, 1, "0.0000", True, NO_DATA)


# --- 6. the moved unit --------------------------------------------------------------------

def test_a_move_changes_only_the_years_after_it_as_it_was_and_every_year_as_it_is_now(unmoved):
    program, user, u, targets = unmoved
    engine = Engine(program)
    before = by_code(engine.breakdown(targets["E01"], u["T"], 2021))
    # AM still under DB. DA: A1 A2 A3 → (30+10+6) / (40+20+10) = 46 / 70 = 65.714 → 65.71;
    # DB: B1 B2 AM → (4+4+6) / (10+10+10) = 14 / 30 = 46.67
    assert before["T.A"] == row("65.71", 46, 70, 3, 3, "1.0000", False, NOT_MET, "65.71")
    assert before["T.B"] == row("46.67", 14, 30, 3, 3, "1.0000", False, NOT_MET, "46.67")

    do_move_unit(Unit.objects.get(pk=u["AM"].pk), u["DA"], MOVED_ON, by=user)
    assert parent_history(u["AM"]) == [(MOVED_ON, u["DB"].pk, u["DA"].pk)]

    after = by_code(engine.breakdown(targets["E01"], u["T"], 2021))
    # As it was: 2021 is before the move (2023-07-01): AM's 2021 report stays under DB
    assert after["T.A"] == before["T.A"] and after["T.B"] == before["T.B"]
    now = by_code(Engine(program, view="now").breakdown(targets["E01"], u["T"], 2021))
    # As it is now, AM's 2021 report counts where AM is today, under DA:
    # DA: (30+10+6+6) / (40+20+10+10) = 52 / 80 = 65.00; DB: (4+4) / (10+10) = 8 / 20 = 40.00
    assert now["T.A"] == row("65.00", 52, 80, 4, 4, "1.0000", False, NOT_MET, "65.00")
    # (B2 closed on 2023-06-30 with no successor: it drops out of the view of today: DB = B1 alone 4 / 10)
    assert now["T.B"] == row("40.00", 4, 10, 1, 1, "1.0000", False, NOT_MET, "40.00")
    # the province is the same either way: 60 / 100 = 60.00
    assert facts(engine.series(u["T"])["E01"][2021]) == row("60.00", 60, 100, 6, 7, "0.8571", False, NOT_MET,
                                                          "60.00")


# --- breakdowns per child -------------------------------------------------------------------

def test_breakdown_by_upper_union(world):
    program, _, u, targets = world
    rows = Engine(program).breakdown(targets["E01"], u["T"], 2021)
    # children ordered by name: "A district…", "B district…", "C health sector union"
    assert [unit.code for unit, _ in rows] == ["T.A", "T.B", "T.C"]
    got = by_code(rows)
    # As it was in 2021 (AM moved from DB to DA on 2023-07-01): DA: A1 A2 A3 (30+10+6) / (40+20+10)
    # = 46 / 70 = 65.71; DB: B1 B2 AM (4+4+6) / (10+10+10) = 14 / 30 = 46.67
    assert got["T.A"] == row("65.71", 46, 70, 3, 3, "1.0000", False, NOT_MET, "65.71")
    assert got["T.B"] == row("46.67", 14, 30, 3, 3, "1.0000", False, NOT_MET, "46.67")
    # SC: S1 did not report in 2021 → no data, not 0%; coverage 0 / 1 is low
    assert got["T.C"] == row(None, None, None, 0, 1, "0.0000", True, NO_DATA)


def test_one_year_asked_reads_as_that_year_of_every_year_computed(world):
    # results() and breakdowns() compute the years up to the one asked and judge it alone (a page
    # or a document shows one year): its figures, status and projection are the full series'.
    program, _, u, _ = world
    for view in VIEWS:
        for include_submitted in (False, True):
            engine = Engine(program, include_submitted, view)
            for root in (u["T"], u["DA"]):
                series, below = engine.series(root), engine.breakdown_series(root)
                for year in program.reporting_years:
                    assert [facts(r) for r in engine.results(root, year)] == [
                        facts(series[t.code][year]) for t in engine.targets]
                    assert {code: by_code(rows) for code, rows in engine.breakdowns(root, year).items()} == {
                        code: {child.code: facts(by_year[year]) for child, by_year in rows}
                        for code, rows in below.items()}


def test_breakdown_with_a_child_that_has_no_unit_of_the_filter(world):
    program, _, u, targets = world
    got = by_code(Engine(program).breakdown(targets["E02"], u["T"], 2023))
    # E02 (state enterprises) 2023: DA: A1 yes → 1 / 1 = 100.00; DB: B1 no → 0 / 1 = 0.00;
    # SC: no state enterprise at all → expected 0, coverage None (not low), no data
    assert got["T.A"] == row("100.00", 1, 1, 1, 1, "1.0000", False, MET)
    assert got["T.B"] == row("0.00", 0, 1, 1, 1, "1.0000", False, NOT_MET)
    assert got["T.C"] == row(None, None, None, 0, 0, None, False, NO_DATA)


def test_breakdown_of_a_deadline_target(world):
    program, _, u, targets = world
    got = by_code(Engine(program).breakdown(targets["E07"], u["T"], 2024))
    # asked for 2024, judged on 2022: DA yes 1/1, DB yes 1/1, SC no 0/1 (2024 alone: all yes)
    assert got["T.A"] == row("100.00", 1, 1, 1, 1, "1.0000", False, MET)
    assert got["T.B"] == row("100.00", 1, 1, 1, 1, "1.0000", False, MET)
    assert got["T.C"] == row("0.00", 0, 1, 1, 1, "1.0000", False, NOT_MET)


def test_breakdown_of_a_district_by_grassroots_union(world):
    program, _, u, targets = world
    # As it is now: AM's referrals of every year count under DA, where it is today
    rows = Engine(program, view="now").breakdown(targets["E06"], u["DA"], 2024)
    assert [unit.code for unit, _ in rows] == ["T.A.1", "T.A.2", "T.A.3", "T.A.4", "T.M"]
    got = by_code(rows)
    # E06 referrals 2021..2024 per union, each divided by 1 unit (itself, existing in 2024):
    # A1: 1+1+0+1 = 3 → 3.00; line through 1, 2, 2, 3 (cumulative): mean 2, Σ(x−x̄)y = −1.5 −1 +1 +4.5
    # = 3, slope 0.6 → 2 + 0.9 = 2.90
    assert got["T.A.1"] == row("3.00", 3, 1, 1, 1, "1.0000", False, MET, "2.90")
    # A2: 0+1+(2 only submitted)+0 = 1 → 1.00; in 2023 the term total still reads its 2021–2022
    # reports (0+1 = 1): points 0, 1, 1, 1: mean x 2022.5, mean y 0.75, Σ(x−x̄)y = −0.5 + 0.5 + 1.5
    # = 1.5, Σ(x−x̄)² = 5, slope 0.3 → 0.75 + 0.3 × 1.5 = 1.20
    assert got["T.A.2"] == row("1.00", 1, 1, 1, 1, "1.0000", False, MET, "1.20")
    # A3: 1+(draft 5)+1+0 = 2 → 2.00; in 2022 (a draft) the total reads its 2021 report: points 1, 1,
    # 2, 2: mean 1.5, Σ(x−x̄)y = −1.5 −0.5 +1 +3 = 2, Σ(x−x̄)² = 5, slope 0.4 → 1.5 + 0.6 = 2.10
    assert got["T.A.3"] == row("2.00", 2, 1, 1, 1, "1.0000", False, MET, "2.10")
    # A4 (opened 2024): 0 / 1 = 0.00 → not met; it did not exist before
    assert got["T.A.4"] == row("0.00", 0, 1, 1, 1, "1.0000", False, NOT_MET, "0.00")
    # AM: 0+0+1+1 = 2 → 2.00; points 0, 0, 1, 2: mean 0.75, Σ(x−x̄)y = 0.5 + 3 = 3.5, slope 0.7 → 1.80
    assert got["T.M"] == row("2.00", 2, 1, 1, 1, "1.0000", False, MET, "1.80")


def test_breakdown_with_the_closed_unit(world):
    program, _, u, targets = world
    engine = Engine(program)
    in_2023 = by_code(engine.breakdown(targets["E06"], u["DB"], 2023))
    # AM moved away on 2023-07-01: it is listed (it stood under DB in 2021–2022), nothing expected in 2023
    assert list(in_2023) == ["T.M", "T.B.1", "T.B.2"]
    assert (in_2023["T.M"]["expected"], in_2023["T.M"]["value"]) == (0, None)
    # B1: 0 + (returned 5) + 0 = 0 / 1 = 0.00; points 2021 0.00, 2023 0.00 → 0.00 → not met
    assert in_2023["T.B.1"] == row("0.00", 0, 1, 1, 1, "1.0000", False, NOT_MET, "0.00")
    # B2 (closes 2023-06-30, still there in 2023): 1 + 0 + 0 = 1 / 1 = 1.00 → met
    assert in_2023["T.B.2"] == row("1.00", 1, 1, 1, 1, "1.0000", False, MET, "1.00")
    in_2024 = by_code(engine.breakdown(targets["E06"], u["DB"], 2024))
    # B1 only submitted in 2024 → the term total reads its counted 2021–2023 reports: 0 / 1 = 0.00,
    # not met in the last year (coverage of 2024: 0 of 1, low); points 0, 0, 0, 0 → 0.00
    assert in_2024["T.B.1"] == row("0.00", 0, 1, 0, 1, "0.0000", True, NOT_MET, "0.00")
    # B2 no longer exists: expected 0, units 0 → a zero denominator: no data, and no figures shown
    assert in_2024["T.B.2"] == row(None, None, None, 0, 0, None, False, NO_DATA, "1.00")


# --- 5. include_submitted ---------------------------------------------------------------------

def test_include_submitted_counts_submitted_reports_but_never_drafts_or_returned(world):
    program, _, u, targets = world
    s = Engine(program, include_submitted=True).series(u["T"])
    # E01 2023 + A2 (submitted 10/20): (80 + 10) / (100 + 20) = 90 / 120 = 75.00; line through 60, 70, 75:
    # mean 205/3 = 68.3333, slope (75 − 60)/2 = 7.5 → 68.3333 + 15 = 83.33 < 85 but ≥ 76.5 → at risk
    assert facts(s["E01"][2023]) == row("75.00", 90, 120, 6, 7, "0.8571", False, AT_RISK, "83.33")
    # E01 2022 unchanged: A3's draft and B1's returned report are still ignored: 70 / 100
    assert facts(s["E01"][2022]) == row("70.00", 70, 100, 5, 7, "0.7143", True, ON_TRACK, "90.00")
    # E01 2024 + B1 (10/10): 94 / 110 = 85.4545 → 85.45 → met; 7 of 7
    # projection: points 60, 70, 75, 85.45: mean 290.45/4 = 72.6125, Σ(x−x̄)y = −90 −35 +37.5 +128.175
    # = 40.675, slope 8.135 → 72.6125 + 12.2025 = 84.815 → 84.82
    assert facts(s["E01"][2024]) == row("85.45", 94, 110, 7, 7, "1.0000", False, MET, "84.82")
    # E02 2024 + B1 yes: 2 / 2 = 100.00 → met, now with full coverage
    assert facts(s["E02"][2024]) == row("100.00", 2, 2, 2, 2, "1.0000", False, MET)
    # E02 2022 unchanged: B1's returned "yes" still ignored, 1 / 1
    assert facts(s["E02"][2022]) == row("100.00", 1, 1, 1, 2, "0.5000", True, MET)
    # E03 2023 + A2 yes: 3 / 5 = 60.00 → at risk
    assert facts(s["E03"][2023]) == row("60.00", 3, 5, 5, 5, "1.0000", False, AT_RISK)
    # E05 2023: 17 + 3 = 20 → met; 2022 unchanged 25
    assert facts(s["E05"][2023]) == row(20, 20, None, 6, 7, "0.8571", False, MET)
    assert facts(s["E05"][2022]) == row(25, 25, None, 5, 7, "0.7143", True, MET)
    # E06 2024: 3 + 3 + (2 + 2) + (3 + 1) = 14 / 7 = 2.00
    # projection: points 0.43, 0.86, 1.43 (10/7), 2.00: mean 4.72/4 = 1.18,
    # Σ(x−x̄)y = −0.645 −0.43 +0.715 +3 = 2.64, slope 0.528 → 1.18 + 0.792 = 1.97
    assert facts(s["E06"][2024]) == row("2.00", 14, 7, 7, 7, "1.0000", False, MET, "1.97")
    # E08 2023 + DB (1 of 3): (7 + 1) / (8 + 3) = 8 / 11 = 72.73; line through 75, 83.33, 72.73:
    # mean 231.06/3 = 77.02, slope (72.73 − 75)/2 = −1.135 → 77.02 − 2.27 = 74.75 → not met
    assert facts(s["E08"][2023]) == row("72.73", 8, 11, 3, 3, "1.0000", False, NOT_MET, "74.75")

    got = by_code(Engine(program, include_submitted=True).breakdown(targets["E06"], u["DB"], 2024))
    # B1 with its submitted 2024 report: 0 + 0 + 0 + 1 = 1 / 1 = 1.00 → met; points 0.00 (2021),
    # 0.00 (2022: its 2021 report, the 2022 one was returned), 0.00 (2023), 1.00 (2024): mean x
    # 2022.5, mean y 0.25, Σ(x−x̄)y = 1.5, Σ(x−x̄)² = 5, slope 0.3 → 0.25 + 0.3 × 1.5 = 0.70
    assert got["T.B.1"] == row("1.00", 1, 1, 1, 1, "1.0000", False, MET, "0.70")


def test_breakdown_include_submitted_on_a_term_sum_target(world):
    program, _, u, targets = world
    default = by_code(Engine(program).breakdown(targets["E08"], u["T"], 2023))
    # E08 up to 2023 per upper-level union: DA 2/2 + 1/1 + 2/2 = 5 / 5 = 100.00 → met
    assert default["T.A"] == row("100.00", 5, 5, 1, 1, "1.0000", False, MET, "100.00")
    # DB: 1/2 + 0/0 (2023 only submitted): the term total reads the counted reports of 2021–2023,
    # 1 / 2 = 50.00 (not "no data" beside 1 / 2); coverage of 2023 0 of 1, low; line through 50,
    # 50, 50 → 50.00 < 90 → not met
    assert default["T.B"] == row("50.00", 1, 2, 0, 1, "0.0000", True, NOT_MET, "50.00")
    # SC: no 2021 report; 1/1 (2022) + 0/0 (2023) = 1 / 1 = 100.00
    assert default["T.C"] == row("100.00", 1, 1, 1, 1, "1.0000", False, MET, "100.00")
    submitted = by_code(Engine(program, include_submitted=True).breakdown(targets["E08"], u["T"], 2023))
    # DB with its submitted 1 of 3: (1 + 0 + 1) / (2 + 0 + 3) = 2 / 5 = 40.00; line through 50, 50, 40:
    # mean 46.6667, slope −5 → 46.6667 − 10 = 36.67 → not met
    assert submitted["T.B"] == row("40.00", 2, 5, 1, 1, "1.0000", False, NOT_MET, "36.67")


# --- a unit's report for a year it did not exist in ------------------------------------------

def test_a_report_for_a_year_the_unit_did_not_exist_in_is_not_counted(world):
    program, _, u, _ = world
    periods = {p.year: p for p in Period.objects.all()}
    # B2 closed on 2023-06-30, but it has an approved 2024 report (its closure was recorded, e.g.
    # by load_units, after the report was sent; nothing in reporting/ refuses such a report).
    _add_reports(program, periods, u, {2024: {"B2": (A, 10, 10, 5, 2, Y, Y, "A", None)}}, GRASSROOTS_ELEMENTS)
    s = Engine(program).series(u["DB"])
    # DB in 2024: B1 is the only unit that existed, and it only submitted → no data, 0 of 1 reported.
    assert facts(s["E05"][2024]) == row(None, None, None, 0, 1, "0.0000", True, NO_DATA)


def test_a_series_after_a_breakdown_equals_the_series_alone(world):
    """A target's page asks for the breakdown first and then the unit's own series, which adds up
    the units the breakdown counted below it (the root's own among them): the same figures as a
    series asked alone, for the province, each upper-level union and the moved union (two
    places); and a breakdown of one unit leaves the series of every other as it was."""
    program, user, u, targets = world
    codes = ("T", "DA", "DB", "SC", "AM")

    def figures(series) -> dict:
        return {target: {year: facts(r) for year, r in by_year.items()} for target, by_year in series.items()}

    for view in VIEWS:
        for submitted in (False, True):
            alone = {code: figures(Engine(program, submitted, view).series(u[code])) for code in codes}
            engine = Engine(program, submitted, view)
            for code in codes:
                engine.breakdown_series(u[code])
                for other in codes:
                    assert figures(engine.series(u[other])) == alone[other], (view, submitted, code, other)


def test_each_target_alone_equals_it_among_every_target(world):
    """A plan of one target reads only what its expressions add up (Engine._own): each target's
    series and breakdown alone are the figures it has among all the others."""
    program, user, u, targets = world

    def figures(by_year) -> dict:
        return {year: facts(r) for year, r in by_year.items()}

    for view in VIEWS:
        every = Engine(program, False, view)
        whole = {code: every.series(u[code]) for code in ("T", "DA")}
        rows = {code: every.breakdown_series(u[code]) for code in ("T", "DA")}
        for target in targets.values():
            for code in ("T", "DA"):
                alone = Engine(program, False, view)
                assert figures(alone.series(u[code], [target])[target.code]) == figures(whole[code][target.code])
                assert [(child.code, figures(by_year)) for child, by_year
                        in alone.breakdown_series(u[code], [target])[target.code]] == [
                    (child.code, figures(by_year)) for child, by_year in rows[code][target.code]], (view, target.code)


def test_a_breakdown_of_the_children_concerned_leaves_out_the_others_alone(world):
    """concerned_in (a target's page): the children some target expects a unit of in that year,
    with the figures the whole breakdown gives them, for every target of this program (none
    counts plans: test_deadline_plans has that branch). A grassroots union attached to the
    province is a child that the upper-level unions' targets do not concern."""
    program, user, u, targets = world
    _grassroots(u["T"], "T.D.1", "D1 company attached to the province", Ownership.NON_STATE)

    def figures(rows) -> list:
        return [(child.code, {year: facts(r) for year, r in by_year.items()}) for child, by_year in rows]

    for view in VIEWS:
        for target in targets.values():
            for code in ("T", "DA", "DB"):
                for year in YEARS:
                    every = Engine(program, False, view).breakdown_series(u[code], [target], up_to=year)[target.code]
                    concerned = Engine(program, False, view).breakdown_series(
                        u[code], [target], up_to=year, concerned_in=year)[target.code]
                    assert figures(concerned) == figures([(child, by_year) for child, by_year in every
                                                          if by_year[year].expected]), (view, target.code, code, year)


# --- 7. the number of queries does not grow with the tree --------------------------------------

def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_queries_are_constant_whatever_the_number_of_units(world):
    program, user, u, targets = world
    engine = Engine(program)
    small = (_queries(lambda: engine.series(u["T"])),
             _queries(lambda: engine.breakdown(targets["E01"], u["T"], 2023)),
             _queries(lambda: engine.breakdown(targets["E06"], u["DA"], 2024)))
    # the root's dated links (where it stood in each period's tree; read once per engine and
    # root), the root's (or its children's) own reports with their values, rolled-up values,
    # units, rolled-up reporters (+ the children's names for a breakdown)
    assert small == (5, 5, 6)
    now = Engine(program, view="now")
    # as it is now the root stands where it is today: no dated links to read
    small_now = (_queries(lambda: now.series(u["T"])),
                 _queries(lambda: now.breakdown(targets["E01"], u["T"], 2023)),
                 _queries(lambda: now.breakdown(targets["E06"], u["DA"], 2024)))
    assert small_now == (4, 5, 5)

    # 32 more grassroots unions (8 → 40), spread over the three upper-level unions, each
    # reporting every year; one of them moves, one closes.
    periods = {p.year: p for p in Period.objects.all()}
    parents = [u["DA"], u["DB"], u["SC"]]
    table = {year: {} for year in YEARS}
    extra = {}
    for i in range(32):
        code = f"X{i:02d}"
        extra[code] = _grassroots(parents[i % 3], f"T.X.{i:02d}", f"X{i:02d} company",
                                  (Ownership.STATE, Ownership.NON_STATE, Ownership.PUBLIC_SECTOR)[i % 3],
                                  large=i % 4 == 0)
        for year in YEARS:
            if code != "X01" or year <= 2022:  # X01 closes at the end of 2022
                table[year][code] = (A, 30, 20, 1, 1, Y, Y, "B", Y)
    _add_reports(program, periods, extra, table, GRASSROOTS_ELEMENTS)
    do_move_unit(Unit.objects.get(code="T.X.00"), u["DB"], MOVED_ON, by=user)
    Unit.objects.filter(code="T.X.01").update(valid_to=datetime.date(2022, 12, 31))
    assert Unit.objects.filter(kind=UnitKind.GRASSROOTS).count() == 40

    engine, now = Engine(program), Engine(program, view="now")  # an engine reads one state of the tree
    large = (_queries(lambda: engine.series(u["T"])),
             _queries(lambda: engine.breakdown(targets["E01"], u["T"], 2023)),
             _queries(lambda: engine.breakdown(targets["E06"], u["DA"], 2024)))
    assert large == small
    assert (_queries(lambda: now.series(u["T"])),
            _queries(lambda: now.breakdown(targets["E01"], u["T"], 2023)),
            _queries(lambda: now.breakdown(targets["E06"], u["DA"], 2024))) == small_now
    # and the answers did grow: E01 2023 = (80 + 31 × 20) / (100 + 31 × 30) = 700 / 1030 = 67.96,
    # 5 + 31 of 7 + 31 reported
    result = engine.series(u["T"])["E01"][2023]
    assert (_hundredths(result.value), result.reported, result.expected) == (Decimal("67.96"), 36, 38)
