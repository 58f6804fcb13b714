"""The status rule and the projection, number by number."""

from decimal import Decimal as D

import pytest

from indicators.status import AT_RISK, MET, NO_DATA, NOT_MET, ON_TRACK, projection, status_of


@pytest.mark.parametrize(
    ("value", "comparison", "target", "period", "year", "projected", "expected"),
    [
        (D(90), ">=", D(90), "yearly", 2023, None, MET),
        (D(90), ">", D(90), "yearly", 2023, None, AT_RISK),        # "trên 90%" is not met by 90
        (D(81), ">=", D(90), "yearly", 2023, None, AT_RISK),       # 81 ≥ 90 × 0.9
        (D("80.99"), ">=", D(90), "yearly", 2023, None, NOT_MET),
        (D(110), "=", D(100), "yearly", 2023, None, AT_RISK),      # = : 10% either side
        (D(111), "=", D(100), "yearly", 2023, None, NOT_MET),
        (D(80), ">=", D(95), "term", 2023, D(95), ON_TRACK),
        (D(80), ">=", D(95), "term", 2023, D(86), AT_RISK),        # 86 ≥ 95 × 0.9 = 85.5
        (D(80), ">=", D(95), "term", 2023, D(85), NOT_MET),
        (D(94), ">=", D(95), "term", 2025, D(99), NOT_MET),        # the last year is final
        (D(99), ">=", D(100), "deadline", 2021, None, NOT_MET),
        (None, ">=", D(100), "yearly", 2023, None, NO_DATA),
    ],
)
def test_status_of(value, comparison, target, period, year, projected, expected):
    assert status_of(value, comparison, target, period, year, 2025, projected) == expected


def test_projection_is_the_least_squares_line_read_at_the_term_end():
    # points (2021, 80), (2022, 84), (2023, 85): mean x 2022, mean y 83, slope (−1·−3 + 1·2)/2 = 2.5
    # → 83 + 2.5 × 3 = 90.50
    assert projection([(2021, D(80)), (2022, D(84)), (2023, D(85))], 2025) == D("90.50")
    assert projection([(2021, D(80))], 2025) == D(80)
    assert projection([], 2025) is None
    # not rounded to what is shown (0.125 stays 0.125): statuses are judged on full precision
    assert projection([(2024, D("0.12")), (2025, D("0.125"))], 2025) == D("0.125")
