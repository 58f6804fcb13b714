"""What a submission costs the database (issue #17: 51–66 queries, the district recounted inside
the submission): a fixed handful of statements, and the recount left to the job worker."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django_tasks_db.models import DBTaskResult

from indicators.models import PendingRefresh, Rollup
from jobs.testing import run_jobs
from reporting import actions
from reporting.models import Report
from reporting.testing import GOOD_GRASSROOTS, make_report

pytestmark = pytest.mark.django_db

# The submission's own 11 statements (the report, its values, what it is asked and its rules,
# last year's values, the UPDATE, the trail, the unit's links, the marks, the one recount job),
# the SAVEPOINT and RELEASE of its transaction, and the 2 of the registries' cross-check
# (registries.prefill: the unit's agreements, and its counted records in one query). Issue #17's
# goal: at most 15.
SUBMIT_QUERIES = 15


def refresh_jobs() -> int:
    return DBTaskResult.objects.filter(task_path="indicators.rollups.refresh_marked").count()


def test_a_submission_takes_a_fixed_handful_of_queries_and_leaves_the_recount_to_the_worker(
        world, period, django_assert_max_num_queries):
    last_year = actions.do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    make_report(last_year, world.school, Report.Status.APPROVED, **GOOD_GRASSROOTS)  # read by the year-over-year rule
    school = make_report(period, world.school, Report.Status.DRAFT, **GOOD_GRASSROOTS)
    factory = make_report(period, world.factory, Report.Status.DRAFT,
                          **{**GOOD_GRASSROOTS, "employee_conference_held": True, "workplace_dialogue_held": True})
    rows_before = Rollup.objects.count()

    school, factory = Report.objects.get(pk=school.pk), Report.objects.get(pk=factory.pk)  # as a request reads them
    # The trail names the report's model by its content type, which a server process reads once
    # and keeps (Django's ContentType cache); whether this test's process has read it already
    # depends on the tests before it.
    ContentType.objects.get_for_model(Report)
    with django_assert_max_num_queries(SUBMIT_QUERIES):
        actions.do_submit(school, world.reporter, school.version)
    assert Rollup.objects.count() == rows_before, "no recount inside the submission"
    assert refresh_jobs() == 1  # its district, in each view, in one job
    # A second submission of the district while its recount waits queues nothing more.
    with django_assert_max_num_queries(SUBMIT_QUERIES - 1):  # no job to queue
        actions.do_submit(factory, world.approver, factory.version)
    assert refresh_jobs() == 1
    assert sorted(PendingRefresh.objects.values_list("requests", flat=True)) == [2, 2]

    run_jobs()
    assert not PendingRefresh.objects.exists()
    workers = Rollup.objects.filter(view="then", element__code="workers", counted_as="submitted")
    assert sum(row.values for row in workers) == 2 and sum(row.total for row in workers) == 80
