"""What a batch reaches above the units, counted by reorganising.consequences."""

from __future__ import annotations

import datetime

import pytest

from reorganising.consequences import count_around
from tests.factories import PeriodFactory, ReportFactory
from units.reorganisation import Consequences

pytestmark = pytest.mark.django_db

JULY = datetime.date(2025, 7, 1)


def test_the_reports_of_1_500_moved_units_are_counted(world, program):
    """Commit 8025e24: one condition per unit overflowed SQLite's expression tree (its depth limit
    is 1,000) at 1,500 units; one per effective date does not, whatever the number of units."""
    y2024, y2025 = PeriodFactory(year=2024), PeriodFactory(year=2025)
    ReportFactory(period=y2024, unit=world.school)  # ends before the move: not concerned
    ReportFactory(period=y2025, unit=world.school)
    ReportFactory(period=y2025, unit=world.market)
    ReportFactory(period=y2025, unit=world.hospital)  # not moved
    moved = [(f"X.{n:05d}", "AG.883", "AG.CX.1", JULY) for n in range(1500)]
    moved += [(world.school.code, "AG.883", "AG.CX.1", JULY)]

    def apply():
        return Consequences("big", moved=moved, closed=[(world.market.code, JULY - datetime.timedelta(days=1), "")])

    result = count_around(apply)
    assert result.reports_affected == 2
    assert result.read_only_accounts == [world.sibling_reporter.username]


def test_the_expected_reporters_are_counted_before_and_after(world, program):
    PeriodFactory(year=2025)

    def apply():
        world.market.valid_to = datetime.date(2024, 12, 31)  # gone before 2025 began
        world.market.save(update_fields=["valid_to"])
        return Consequences("close")

    result = count_around(apply)
    ((label, (before, after)),) = result.expected.items()
    assert before - after == 1
