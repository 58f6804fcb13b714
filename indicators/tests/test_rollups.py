"""The rolled-up values follow every change of the reports and of the tree."""

import datetime

import pytest

from indicators.engine import Engine
from indicators.models import Rollup
from indicators.rollups import refresh
from reporting import actions
from reporting.signals import batched_changes, reports_changed
from units.actions import do_move_unit

pytestmark = pytest.mark.django_db

SCHOOL = {"workers": 40, "members": 30, "officers": 3, "officers_trained": 2, "resolution_disseminated": True,
          "implementation_plan_built": True, "workers_informed": 30, "workers_upskilled": 20,
          "authority_dialogue_proposed": False, "cba_signed": False, "cba_more_favourable": False,
          "union_homes": 0, "initiatives": 4, "creative_model_applied": True, "effective_model": True,
          "party_referrals": 0}


def rows() -> list[tuple]:
    return sorted(Rollup.objects.values_list("period_id", "element_id", "parent_path", "kind", "ownership",
                                             "large_enterprise", "counted_as", "values", "total", "yes"))


def t19(program, unit, year=2024, include_submitted=False, view="then"):
    """members / workers, %."""
    return Engine(program, include_submitted, view=view).series(unit)["T19"][year].value


def send_school(world, period, values=SCHOOL):
    report = actions.get_or_create_report(period, world.school)
    actions.do_save_values(report, values, {}, world.reporter, report.version)
    actions.do_submit(report, world.reporter, report.version)
    return report


def test_submitting_approving_and_reopening_move_the_numbers(world, program, period):
    report = send_school(world, period)
    assert t19(program, world.province) is None
    assert t19(program, world.province, include_submitted=True) == 75  # 30 / 40

    actions.do_approve(report, world.approver, report.version)
    assert t19(program, world.province) == 75
    assert t19(program, world.long_xuyen) == 75

    actions.do_reopen(report, world.admin, report.version, "sửa số đoàn viên")
    assert t19(program, world.province) is None, "a reopened report is a draft again"
    before = rows()
    refresh()
    assert rows() == before, "the incremental rows equal a full recount"


def test_a_moved_unit_leaves_its_past_where_it_was_and_takes_it_along_as_it_is_now(world, program, period):
    report = send_school(world, period)
    actions.do_approve(report, world.approver, report.version)
    do_move_unit(world.school, world.chau_doc, datetime.date(2025, 7, 1))
    # 2024 was before the move: as it was, the school's 2024 report stays with Long Xuyên
    assert t19(program, world.long_xuyen) == 75
    assert t19(program, world.chau_doc) is None
    # as it is now, it counts where the school is today
    assert t19(program, world.long_xuyen, view="now") is None
    assert t19(program, world.chau_doc, view="now") == 75
    before = rows()
    refresh()
    assert rows() == before


def test_a_batch_is_announced_once(world, program, period):
    heard = []

    def listener(sender, reports, **kwargs):
        heard.append(len(reports))

    reports_changed.connect(listener)
    try:
        with batched_changes():
            for unit in (world.school, world.factory):
                report = actions.get_or_create_report(period, unit)
                actions.do_save_values(report, {"workers": 10, "members": 5}, {}, world.approver, report.version)
    finally:
        reports_changed.disconnect(listener)
    assert heard == [2]
