"""What the audit app's test modules share."""

import pytest

from reporting.actions import do_save_values, get_or_create_report


@pytest.fixture
def history(world, period):
    """Two reports changed by two people, in two districts."""
    school = get_or_create_report(period, world.school)
    do_save_values(school, {"workers": 40}, {}, by=world.reporter, expected_version=0)
    market = get_or_create_report(period, world.market)
    do_save_values(market, {"workers": 25}, {"workers": "<script>alert(1)</script>"}, by=world.sibling_reporter,
                   expected_version=0)
    return school, market
