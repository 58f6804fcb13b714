"""Statuses and projections are judged on full precision; only what is shown is rounded."""

from decimal import Decimal as D

from django.utils import translation

from indicators.status import AT_RISK, MET, NOT_MET, ON_TRACK, projection, status_of
from tiendo.formatting import number


def test_a_value_just_above_a_strict_floor_is_met_though_shown_as_the_floor():
    # 80,001% for "> 80%": met, shown 80%
    assert status_of(D("80.001"), ">", D(80), "yearly", 2023, 2025, None) == MET
    with translation.override("vi"):
        assert number(D("80.001"), "percent") == "80%"


def test_a_value_just_below_a_floor_is_not_met_though_shown_as_the_floor():
    # 94,996% for "≥ 95%": not met (at risk, within 10%), shown 95%
    assert status_of(D("94.996"), ">=", D(95), "yearly", 2023, 2025, None) == AT_RISK
    assert status_of(D("94.996"), ">=", D(95), "term", 2025, 2025, None) == NOT_MET
    with translation.override("vi"):
        assert number(D("94.996"), "percent") == "95%"
        assert number(D("75.625"), "percent") == "75,63%"  # shown half up


def test_projection_is_computed_from_unrounded_values():
    # 75 and 500/6 = 83,333…: the line reads exactly 100 at 2024 (on track for ≥ 100);
    # from 83,33 it would read 99,99 (at risk)
    points = [(2021, D(75)), (2022, D(500) / D(6))]
    assert projection(points, 2024) == D(100)
    assert status_of(points[-1][1], ">=", D(100), "term", 2022, 2024, projection(points, 2024)) == ON_TRACK
    rounded_points = [(2021, D(75)), (2022, D("83.33"))]
    assert status_of(D("83.33"), ">=", D(100), "term", 2022, 2024, projection(rounded_points, 2024)) == AT_RISK


def test_the_engine_judges_unrounded_ratios(world, program):
    import datetime

    from indicators.engine import Engine
    from indicators.rollups import refresh
    from reporting.actions import do_open_period
    from reporting.testing import make_report

    period = do_open_period("year", 2025, 0, datetime.date(2026, 1, 15), by=world.admin)
    # T03 "trên 80%": 80,001 people of 100,000 informed; T19 "từ 95% trở lên": 94,996 members
    make_report(period, world.factory, "approved", workers=100000, workers_informed=80001, members=94996)
    refresh()
    series = Engine(program).series(world.province)
    t03, t19 = series["T03"][2025], series["T19"][2025]
    assert (t03.value, t03.status) == (D("80.001"), MET)
    assert (t19.value, t19.status) == (D("94.996"), NOT_MET)
    with translation.override("vi"):
        assert (number(t03.value, "percent"), number(t19.value, "percent")) == ("80%", "95%")
