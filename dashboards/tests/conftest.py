"""What the dashboards' test modules share."""

import datetime

import pytest

from indicators.rollups import refresh as refresh_rollups
from programs.loading import load_program
from programs.testing import two_terms
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


@pytest.fixture
def terms(tmp_path, world, no_program):
    """Two little programs, the new one's N01 carrying on the old one's T01 (test_continuity.py)."""
    old_text, new_text = two_terms()
    (tmp_path / "old.yaml").write_text(old_text)
    (tmp_path / "new.yaml").write_text(new_text)
    old = load_program(tmp_path / "old.yaml")[0]
    new = load_program(tmp_path / "new.yaml")[0]
    for year, school, factory in ((2023, 40, 860), (2024, 45, 905)):
        period = do_open_period("year", year, 0, datetime.date(year + 1, 1, 15), by=world.admin)
        make_report(period, world.school, Report.Status.APPROVED, workers=50, members=school)
        make_report(period, world.factory, Report.Status.APPROVED, workers=950, members=factory)
    refresh_rollups()
    return old, new
