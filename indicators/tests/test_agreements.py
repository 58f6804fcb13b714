"""T07/T08 are about the agreements of T06's enterprises (grassroots unions of state or
non-state enterprises): a public-sector unit's agreement is not in their base."""

import datetime
from decimal import Decimal

from indicators.engine import Engine
from indicators.rollups import refresh
from reporting.actions import do_open_period
from reporting.testing import make_report


def test_public_sector_agreements_are_left_out(world, program):
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    # the factory (non-state): agreement, not more favourable, class C
    make_report(period, world.factory, "approved", cba_signed=True, cba_more_favourable=False, cba_quality_class="C")
    # the hospital and the school (public sector): agreements, more favourable, class A
    for unit in (world.hospital, world.school):
        make_report(period, unit, "approved", cba_signed=True, cba_more_favourable=True, cba_quality_class="A")
    refresh()
    series = Engine(program).series(world.province)
    t07, t08 = series["T07"][2024], series["T08"][2024]
    # only the factory's agreement: 0 of 1 (with the public sector it would be 2 of 3)
    assert (t07.numerator, t07.denominator, t07.value) == (0, 1, Decimal(0))
    assert (t08.numerator, t08.denominator, t08.value) == (0, 1, Decimal(0))
    # the coverage counts the enterprises that were asked: the factory
    assert (t07.reported, t07.expected) == (1, 1)
