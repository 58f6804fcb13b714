"""The rolled-up values follow every change of the reports and of the tree."""

import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from indicators.engine import Engine
from indicators.models import PendingRefresh, Rollup
from indicators.rollups import refresh
from jobs.testing import run_jobs
from reporting import actions
from reporting.signals import batched_changes, reports_changed
from units.actions import do_move_unit
from units.models import LINK_STEP

pytestmark = pytest.mark.django_db

SCHOOL = {"workers": 40, "members": 30, "officers": 3, "officers_trained": 2, "resolution_disseminated": True,
          "implementation_plan_built": True, "workers_informed": 30, "workers_upskilled": 20,
          "authority_dialogue_proposed": False, "cba_signed": False, "cba_more_favourable": False,
          "union_homes": 0, "initiatives": 4, "creative_model_applied": True, "effective_model": True,
          "party_referrals": 0}
FACTORY = {**SCHOOL, "employee_conference_held": True, "workplace_dialogue_held": True}


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
    run_jobs()  # the worker recounts the district the submission marked
    return report


def test_submitting_approving_and_reopening_move_the_numbers(world, program, period):
    report = send_school(world, period)
    assert t19(program, world.province) is None
    assert t19(program, world.province, include_submitted=True) == 75  # 30 / 40

    actions.do_approve(report, world.approver, report.version)
    assert t19(program, world.province, include_submitted=True) == 75
    assert t19(program, world.province) is None, "counted as approved once the worker has recounted"
    run_jobs()
    assert t19(program, world.province) == 75
    assert t19(program, world.long_xuyen) == 75

    actions.do_reopen(report, world.admin, report.version, "sửa số đoàn viên")
    run_jobs()
    assert t19(program, world.province) is None, "a reopened report is a draft again"
    before = rows()
    refresh()
    assert rows() == before, "the incremental rows equal a full recount"


def test_a_moved_unit_leaves_its_past_where_it_was_and_takes_it_along_as_it_is_now(world, program, period):
    report = send_school(world, period)
    actions.do_approve(report, world.approver, report.version)
    run_jobs()
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
                actions.do_save_values(report, FACTORY, {}, world.approver, report.version)
                actions.do_submit(report, world.approver, report.version)
    finally:
        reports_changed.disconnect(listener)
    assert heard == [2]


def marks() -> list[tuple]:
    return sorted(PendingRefresh.objects.values_list("view", "period_id", "parent_path", "requests"))


def refresh_jobs() -> int:
    return DBTaskResult.objects.filter(task_path="indicators.rollups.refresh_marked").count()


def test_a_submission_marks_its_district_and_the_worker_recounts_it_once(world, program, period):
    """Two submissions of one district: the district is marked once in each view (its count of
    requests raised), one job for both marks, and the worker's recount equals a full recount."""
    reports = [actions.get_or_create_report(period, unit) for unit in (world.school, world.factory)]
    for report in reports:
        actions.do_save_values(report, FACTORY, {}, world.approver, report.version)
    assert marks() == [], "a saved draft counts nowhere: nothing to recount"
    for report in reports:
        actions.do_submit(report, world.approver, report.version)
    then_path = world.school.links.get().path[:-LINK_STEP]
    assert marks() == [("now", period.pk, world.long_xuyen.path, 2), ("then", period.pk, then_path, 2)]
    assert refresh_jobs() == 1, "one job for the parents the first submission marked, none for the second"
    assert Rollup.objects.count() == 0, "nothing recounted inside the submissions"

    run_jobs()
    assert marks() == []
    assert t19(program, world.long_xuyen, include_submitted=True) == 75
    assert t19(program, world.long_xuyen, include_submitted=True, view="now") == 75
    recounted = rows()
    refresh()
    assert rows() == recounted, "the worker's rows equal a full recount"
    run_jobs()
    assert refresh_jobs() == 1, "nothing queued again"


def test_a_change_asked_while_the_worker_recounts_makes_it_run_again(world, program, period):
    """The mark's count went up after the job read it (a submission committed meanwhile): the
    mark stays and the job is queued again, so the later submission is counted too."""
    from indicators import rollups

    report = actions.get_or_create_report(period, world.school)
    actions.do_save_values(report, SCHOOL, {}, world.reporter, report.version)
    actions.do_submit(report, world.reporter, report.version)
    recount = rollups.refresh
    submitted = []

    def recount_while_the_factory_submits(*args, **kwargs):
        if not submitted:  # during the job's first recount (of its two marks) only
            late = actions.get_or_create_report(period, world.factory)
            actions.do_save_values(late, {**FACTORY, "members": 10}, {}, world.approver, late.version)
            actions.do_submit(late, world.approver, late.version)  # raises the marks' counts
            submitted.append(late)
        return recount(*args, **kwargs)

    rollups.refresh = recount_while_the_factory_submits
    try:
        run_jobs(max_tasks=1)
    finally:
        rollups.refresh = recount
    # The mark recounted while the factory submitted waits again; the other one, read after the
    # factory's submission, counted it and is done.
    assert len(marks()) == 1, marks()
    run_jobs()
    assert marks() == []
    assert t19(program, world.long_xuyen, include_submitted=True) == 50  # (30 + 10) / 80
    recounted = rows()
    refresh()
    assert rows() == recounted
