"""The engine where nothing can be known: a reporting year with no period opened has no
value, no reporters and no expected units — "no data", never a zero or a coverage."""

import pytest

from indicators.engine import Engine
from indicators.rollups import refresh as refresh_rollups
from indicators.status import MET, NO_DATA, NOT_MET
from reporting.models import Report
from reporting.testing import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(world, program, period):
    """Only 2024 is open; the school's report is approved."""
    make_report(period, world.school, Report.Status.APPROVED, workers=40, members=40, initiatives=5)
    refresh_rollups()
    return Engine(program).series(world.province)


def test_a_year_without_a_period_has_no_data_for_every_target(series):
    for code, by_year in series.items():
        result = by_year[2023]
        assert (result.value, result.reported, result.expected, result.coverage) == (None, 0, 0, None), code
        assert result.status == NO_DATA and not result.low_coverage, code


def test_the_open_year_counts_its_report(series):
    initiatives = series["T16"][2024]  # yearly: 5 initiatives, far below 1,000
    assert (initiatives.value, initiatives.reported, initiatives.expected) == (5, 1, 4)  # 4 grassroots unions
    assert initiatives.status == NOT_MET and initiatives.low_coverage
    members = series["T19"][2024]  # members / workers of the units that reported: 40 / 40
    assert (members.value, members.status) == (100, MET)
