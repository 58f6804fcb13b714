"""The status rule at its boundaries (README, Indicators): each comparison exactly at the
target, the 10% at-risk band exactly at its edge, on either side for "=", the projection
only before the term's last year and only for targets due by the term's end."""

from decimal import Decimal as D

import pytest

from indicators.status import (
    AT_RISK,
    AT_RISK_GAP,
    MET,
    NO_DATA,
    NOT_MET,
    ON_TRACK,
    close_enough,
    projection,
    satisfies,
    status_of,
)

TERM_END = 2025


def test_the_at_risk_band_is_ten_percent():
    assert D("0.10") == AT_RISK_GAP


@pytest.mark.parametrize(
    ("value", "comparison", "target", "expected"),
    [
        (D(90), ">=", D(90), True), (D("89.99"), ">=", D(90), False), (D("90.01"), ">=", D(90), True),
        (D(90), ">", D(90), False), (D("90.01"), ">", D(90), True), (D("89.99"), ">", D(90), False),
        (D(90), "=", D(90), True), (D("90.01"), "=", D(90), False), (D("89.99"), "=", D(90), False),
    ],
)
def test_satisfies(value, comparison, target, expected):
    assert satisfies(value, comparison, target) is expected


@pytest.mark.parametrize(
    ("value", "comparison", "target", "expected"),
    [
        (D(90), ">=", D(100), True),       # exactly 10% short
        (D("89.99"), ">=", D(100), False),
        (D(90), ">", D(100), True),
        (D("89.99"), ">", D(100), False),
        (D(110), "=", D(100), True),       # "=": 10% either side
        (D(90), "=", D(100), True),
        (D("110.01"), "=", D(100), False),
        (D("89.99"), "=", D(100), False),
        (D(0), "=", D(0), True),
        (D("0.01"), "=", D(0), False),     # no band around zero
    ],
)
def test_close_enough(value, comparison, target, expected):
    assert close_enough(value, target, comparison) is expected


def test_close_enough_is_for_at_least_by_default():
    assert close_enough(D(95), D(100)) is True
    assert close_enough(D(111), D(100)) is True   # above is not "short" for ≥
    assert close_enough(D(89), D(100)) is False


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(2021, D(10)), (2023, D(20))], D("30.00")),                     # slope 5 a year → 2025: 30
        ([(2023, D(20)), (2021, D(10))], D("30.00")),                     # order does not matter
        ([(2021, D(50)), (2022, D(50)), (2023, D(50))], D("50.00")),      # flat
        ([(2021, D(90)), (2022, D(80))], D("50.00")),                     # falling: 80 − 10 × 3
        ([(2021, D(1)), (2022, D(2)), (2024, D(4))], D("5.00")),          # uneven years, on one line
        # mean (2023, 12); x − mean −1, 0, 1; y − mean −2, −1, 3; slope (2 + 0 + 3) / 2 = 2.5 → 12 + 2.5 × 2
        ([(2022, D(10)), (2023, D(11)), (2024, D(15))], D("17.00")),
    ],
)
def test_projection(points, expected):
    assert projection(points, TERM_END) == expected


def test_projection_rounds_to_cents_half_up():
    # (2024, 0), (2025, 0.005): the line reads 0.005 at 2025 → 0.01
    assert projection([(2024, D(0)), (2025, D("0.005"))], TERM_END) == D("0.01")
    assert projection([(2024, D(0)), (2025, D("0.004"))], TERM_END) == D("0.00")


def test_projection_of_one_point_is_that_point_unrounded():
    assert projection([(2022, D("12.345"))], TERM_END) == D("12.345")


def status(value, comparison=">=", target=D(100), period="yearly", year=2023, projected=None):
    return status_of(value, comparison, target, period, year, TERM_END, projected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(100), MET), (D(120), MET), (D("99.99"), AT_RISK), (D(90), AT_RISK), (D("89.99"), NOT_MET), (D(0), NOT_MET)],
)
def test_a_yearly_target(value, expected):
    assert status(value) == expected


def test_a_yearly_target_ignores_any_projection():
    assert status(D(50), projected=D(200)) == NOT_MET
    assert status(D(95), projected=D(0)) == AT_RISK


@pytest.mark.parametrize(
    ("year", "projected", "expected"),
    [
        (2023, D(100), ON_TRACK),    # the projection meets it
        (2023, D(150), ON_TRACK),
        (2023, D("99.99"), AT_RISK),
        (2023, D(90), AT_RISK),      # 10% short at the end of the term
        (2023, D("89.99"), NOT_MET),
        (2024, D(100), ON_TRACK),    # the year before the last still projects
        (2025, D(100), NOT_MET),     # the last year is final: met or not met
        (2025, D(95), NOT_MET),
        (2026, D(100), NOT_MET),
        (2023, None, NOT_MET),       # nothing to project
    ],
)
def test_a_term_target_not_yet_met(year, projected, expected):
    assert status(D(50), period="term", year=year, projected=projected) == expected


def test_a_term_target_already_met_is_met_whatever_the_projection():
    assert status(D(100), period="term", year=2022, projected=D(10)) == MET
    assert status(D(100), period="term", year=2025, projected=None) == MET


def test_a_term_target_in_its_last_year_is_not_at_risk_even_when_close():
    assert status(D(99), period="term", year=2025, projected=D(99)) == NOT_MET


def test_a_term_target_above_a_value():
    # "trên 90%": a projection of exactly 90 does not meet it, but is close
    assert status(D(80), ">", D(90), "term", 2023, D(90)) == AT_RISK
    assert status(D(80), ">", D(90), "term", 2023, D("90.01")) == ON_TRACK


def test_a_term_target_equal_to_a_value():
    assert status(D(80), "=", D(100), "term", 2023, D(100)) == ON_TRACK
    assert status(D(80), "=", D(100), "term", 2023, D(109)) == AT_RISK
    assert status(D(80), "=", D(100), "term", 2023, D(111)) == NOT_MET


@pytest.mark.parametrize(("value", "expected"), [(D(100), MET), (D(99), NOT_MET), (D(0), NOT_MET)])
def test_a_deadline_target_is_met_or_not(value, expected):
    assert status(value, period="deadline", year=2021, projected=D(100)) == expected


def test_no_value_is_no_data_whatever_else():
    assert status(None) == NO_DATA
    assert status(None, period="term", projected=D(100)) == NO_DATA
    assert status(None, target=D(0)) == NO_DATA
