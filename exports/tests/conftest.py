"""A reported year (and the one before) in the shared little An Giang of accounts.testing."""

import datetime

import pytest

from indicators.rollups import refresh as refresh_rollups
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.testing import make_report

DUE = datetime.date(2025, 1, 15)


@pytest.fixture
def reported(world, program):
    """2023 and 2024 reported. In 2024: Long Xuyên's school (on time) and factory (late) and
    the Châu Đốc market are approved, Long Xuyên itself is approved, Châu Đốc's district report
    is only submitted, the hospital and the health sector union have not reported."""
    approved, submitted = Report.Status.APPROVED, Report.Status.SUBMITTED
    earlier = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    make_report(earlier, world.school, approved, datetime.date(2024, 1, 10), workers=40, members=38, officers=3,
            officers_trained=2, initiatives=4, party_referrals=1)
    make_report(earlier, world.factory, approved, datetime.date(2024, 1, 10), workers=1100, members=900,
            officers=9, officers_trained=5, initiatives=20, cba_signed=True, cba_quality_class="C",
            cba_more_favourable=False, union_homes=1)
    period = do_open_period("year", 2024, 0, DUE, by=world.admin)
    make_report(period, world.school, approved, datetime.date(2025, 1, 10), workers=40, members=40, officers=3,
            officers_trained=3, workers_informed=36, initiatives=5, cba_signed=False, party_referrals=1,
            effective_model=True, creative_model_applied=True)
    make_report(period, world.factory, approved, datetime.date(2025, 1, 20), workers=1200, members=1000, officers=9,
            officers_trained=7, workers_informed=1000, initiatives=30, cba_signed=True, cba_quality_class="B",
            cba_more_favourable=True, employee_conference_held=True, workplace_dialogue_held=False,
            authority_dialogue_proposed=True, union_homes=2, party_referrals=2, creative_model_applied=False)
    make_report(period, world.market, approved, datetime.date(2025, 1, 12), workers=25, members=22, officers=2,
            officers_trained=1, initiatives=3, party_referrals=0)
    make_report(period, world.long_xuyen, approved, datetime.date(2025, 1, 14), labour_disputes=2,
            disputes_with_union=2, authority_dialogue_proposed=True, effective_model=True,
            enterprises_20plus=5, enterprises_20plus_with_union=4)
    make_report(period, world.chau_doc, submitted, datetime.date(2025, 1, 14), labour_disputes=1,
            disputes_with_union=0)
    refresh_rollups()  # the engine reads rolled-up values: reporting's actions refresh them, a bulk load must
    return period
