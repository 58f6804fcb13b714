"""What the dashboards' test modules share."""

import datetime

import pytest

from indicators.rollups import refresh as refresh_rollups
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.testing import make_report


@pytest.fixture
def reported(world, program):
    """2024: the school (approved) and the factory (submitted only) of Long Xuyên report."""
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    make_report(period, world.school, Report.Status.APPROVED, workers=40, members=40, initiatives=5, cba_signed=False)
    make_report(period, world.factory, Report.Status.SUBMITTED, workers=1200, members=900, initiatives=30,
           cba_signed=True, cba_quality_class="B", cba_more_favourable=True)
    refresh_rollups()
    return period
