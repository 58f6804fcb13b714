"""Completeness at its edges: the due day itself is on time, the day after is late — days
counted in the province's time (Asia/Ho_Chi_Minh, UTC+7), not in UTC."""

import datetime
import zoneinfo

import pytest

from reporting.completeness import Completeness, completeness, missing_units
from reporting.models import Report

pytestmark = pytest.mark.django_db
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), HANOI)


def sent_at(period, unit, moment: datetime.datetime, status=Report.Status.SUBMITTED) -> Report:
    return Report.objects.create(period=period, unit=unit, status=status, submitted_at=moment)


def counts(period, root) -> tuple:
    total = completeness(period, root).total
    return total.expected, total.submitted, total.on_time, total.late, total.missing


def test_a_report_sent_on_the_due_day_is_on_time_and_the_day_after_is_late(world, period):
    due = period.due_on  # 15/01/2025
    sent_at(period, world.school, local(due, 10))
    sent_at(period, world.factory, local(due + datetime.timedelta(days=1), 10))
    # Long Xuyên: the district itself, the school, the factory
    assert counts(period, world.long_xuyen) == (3, 2, 1, 1, 1)


def test_the_due_day_ends_at_midnight_in_viet_nam(world, period):
    """23:30 on the due day (16:30 UTC) is on time; 00:30 the next morning — still the due
    day in UTC — is late."""
    due = period.due_on
    next_morning = local(due + datetime.timedelta(days=1), 0, 30)
    assert next_morning.astimezone(datetime.UTC).date() == due
    sent_at(period, world.school, local(due, 23, 30))
    sent_at(period, world.factory, next_morning)
    assert counts(period, world.long_xuyen) == (3, 2, 1, 1, 1)


def test_a_report_approved_on_time_counts_as_sent_on_time_and_approved(world, period):
    sent_at(period, world.school, local(period.due_on, 9),
            Report.Status.APPROVED)
    total = completeness(period, world.long_xuyen).total
    assert (total.submitted, total.on_time, total.approved) == (1, 1, 1)


def test_a_draft_or_returned_report_is_not_sent(world, period):
    sent_at(period, world.school, local(period.due_on, 9),
            Report.Status.RETURNED)
    Report.objects.create(period=period, unit=world.factory)
    assert counts(period, world.long_xuyen) == (3, 0, 0, 0, 3)
    assert set(missing_units(period, world.long_xuyen).values_list("code", flat=True)) == {
        "AG.883", "AG.883.00001", "AG.883.00002"}


def test_percentages_are_over_the_expected_units():
    assert Completeness(expected=8, submitted=2, on_time=1).percent == 25.0
    assert Completeness(expected=8, submitted=2, on_time=1).on_time_percent == 12.5
    assert Completeness(expected=4, submitted=3, on_time=1).late == 2
    assert Completeness(expected=4, submitted=3).missing == 1
    assert Completeness().percent is None and Completeness().on_time_percent is None


def test_only_the_periods_own_reports_count(world, period, last_period):
    """Reports of 2023 say nothing about 2024 — and a unit that reported in both years is
    still one expected unit."""
    sent_at(last_period, world.school, local(last_period.due_on, 9), Report.Status.LOCKED)
    sent_at(last_period, world.factory, local(last_period.due_on, 9), Report.Status.APPROVED)
    sent_at(period, world.school, local(period.due_on, 9), Report.Status.APPROVED)
    result = completeness(period, world.long_xuyen)
    assert (result.total.expected, result.total.submitted, result.total.on_time, result.total.approved) == (3, 1, 1, 1)
    assert {child.code: (c.expected, c.submitted, c.approved) for child, c in result.by_child} == {
        "AG.883.00001": (1, 1, 1), "AG.883.00002": (1, 0, 0)}
    assert list(missing_units(period, world.long_xuyen).values_list("code", flat=True)) == ["AG.883", "AG.883.00002"]


def test_a_unit_with_reports_in_several_periods_is_counted_once_per_child(world, period, last_period):
    for report_period in (period, last_period):
        for unit in (world.school, world.factory, world.market):
            sent_at(report_period, unit, local(report_period.due_on, 9), Report.Status.APPROVED)
    rows = {child.code: (c.expected, c.submitted, c.on_time, c.approved)
            for child, c in completeness(period, world.province).by_child}
    assert rows == {"AG.883": (3, 2, 2, 2), "AG.884": (2, 1, 1, 1), "AG.YT": (2, 0, 0, 0)}
    total = completeness(period, world.province).total
    assert (total.expected, total.submitted, total.on_time, total.approved) == (8, 3, 3, 3)


def test_approved_and_locked_reports_count_as_approved_per_child(world, period):
    sent_at(period, world.school, local(period.due_on, 9), Report.Status.LOCKED)
    sent_at(period, world.factory, local(period.due_on, 9))
    sent_at(period, world.market, local(period.due_on, 9), Report.Status.APPROVED)
    rows = {child.code: c.approved for child, c in completeness(period, world.province).by_child}
    assert rows == {"AG.883": 1, "AG.884": 1, "AG.YT": 0}


def test_children_are_listed_by_kind_then_name(world, period):
    children = [child.code for child, _ in completeness(period, world.province).by_child]
    # districts before the sector union; among districts, Châu Đốc before Long Xuyên
    assert children == ["AG.884", "AG.883", "AG.YT"]
