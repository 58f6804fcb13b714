"""Two reports of one district sent at the same moment (found by `make load` on PostgreSQL):
each refresh of the district's rolled-up values must see the other's, so that no value is
counted twice; and two submissions marking the district at once leave one mark and one job
per view, which the worker runs. Real threads, real transactions."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from accounts.testing import build_world
from indicators import rollups
from indicators.models import PendingRefresh, ReportRollup, Rollup
from jobs.testing import run_jobs
from reporting import signals
from reporting.actions import do_open_period
from reporting.models import Report
from reporting.testing import make_report
from units.models import Ownership, Unit, UnitKind

pytestmark = pytest.mark.django_db(transaction=True)
KEY = ("period_id", "element_id", "parent_path", "kind", "ownership", "large_enterprise", "counted_as")
COUNTS = (*KEY, "values", "total", "yes")
REPORT_COUNTS = ("view", "period_id", "parent_path", "kind", "ownership", "large_enterprise", "counted_as", "reports")


def test_two_submissions_of_one_district_at_once_count_each_value_once(program_loaded, monkeypatch):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    library = Unit.objects.add_child(world.long_xuyen, instance=Unit(
        code="AG.883.00003", name="Công đoàn Thư viện tỉnh", kind=UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=20, members=20))
    # The district already has rolled-up rows: each refresh deletes them, then inserts a recount.
    make_report(period, world.factory, Report.Status.APPROVED, workers=1200, members=1000)
    reports = {name: make_report(period, unit, Report.Status.DRAFT, workers=workers, members=workers)
               for name, unit, workers in (("first", world.school, 40), ("second", library, 20))}
    rollups.refresh()
    first_refreshed = threading.Event()
    real_refresh = rollups.refresh

    def refresh_and_linger(*args, **kwargs):
        created = real_refresh(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_refreshed.set()
            time.sleep(0.8)  # still inside the transaction when the second one refreshes
        return created

    monkeypatch.setattr(rollups, "refresh", refresh_and_linger)

    def submit():
        name = threading.current_thread().name
        if name == "second":
            first_refreshed.wait(5)
        try:
            with transaction.atomic():
                report = Report.objects.select_related("unit").get(pk=reports[name].pk)
                Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
                # what the job worker runs for a submission (indicators.rollups.refresh_marked)
                rollups.refresh([period.pk], rollups.parents_of([report]))
        finally:
            first_refreshed.set()
            connection.close()

    threads = [threading.Thread(target=submit, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    keys = list(Rollup.objects.values_list(*KEY))
    assert len(keys) == len(set(keys)), "a rolled-up row stored twice"
    workers = Rollup.objects.get(element__code="workers", parent_path=world.long_xuyen.path, kind="grassroots",
                                 ownership="public_sector", counted_as="submitted")
    assert workers.values == 2 and workers.total == 60  # both submissions, each once
    stored = sorted(Rollup.objects.values_list(*COUNTS))
    reporters = ReportRollup.objects.get(parent_path=world.long_xuyen.path, view="now", kind="grassroots",
                                         ownership="public_sector", counted_as="submitted")
    assert reporters.reports == 2  # both reports, each once
    stored_reports = sorted(ReportRollup.objects.values_list(*REPORT_COUNTS))
    real_refresh()
    assert sorted(Rollup.objects.values_list(*COUNTS)) == stored, "the rolled-up values differ from a recount"
    assert sorted(ReportRollup.objects.values_list(*REPORT_COUNTS)) == stored_reports, \
        "the counted reports differ from a recount"


def test_two_submissions_at_once_mark_their_district_once_and_the_worker_counts_both(program_loaded):
    world = build_world()
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    library = Unit.objects.add_child(world.long_xuyen, instance=Unit(
        code="AG.883.00003", name="Công đoàn Thư viện tỉnh", kind=UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=20, members=20))
    make_report(period, world.factory, Report.Status.APPROVED, workers=1200, members=1000)
    reports = {name: make_report(period, unit, Report.Status.DRAFT, workers=workers, members=workers)
               for name, unit, workers in (("first", world.school, 40), ("second", library, 20))}
    rollups.refresh()
    first_marked = threading.Event()

    def submit():
        name = threading.current_thread().name
        if name == "second":
            first_marked.wait(5)
        try:
            with transaction.atomic():
                report = Report.objects.select_related("unit", "period").get(pk=reports[name].pk)
                Report.objects.filter(pk=report.pk).update(status=Report.Status.SUBMITTED)
                signals.notify(report)  # what reporting.actions sends on every submission
                if name == "first":
                    first_marked.set()
                    time.sleep(0.5)  # the second one marks while the first has not committed
        finally:
            first_marked.set()
            connection.close()

    threads = [threading.Thread(target=submit, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(PendingRefresh.objects.values_list("view", "requests")) == [("now", 2), ("then", 2)]
    assert DBTaskResult.objects.filter(task_path="indicators.rollups.refresh_marked").count() == 1
    run_jobs()
    assert not PendingRefresh.objects.exists()
    keys = list(Rollup.objects.values_list(*KEY))
    assert len(keys) == len(set(keys)), "a rolled-up row stored twice"
    workers = Rollup.objects.get(element__code="workers", parent_path=world.long_xuyen.path, kind="grassroots",
                                 ownership="public_sector", counted_as="submitted")
    assert workers.values == 2 and workers.total == 60  # both submissions, each once
    stored = sorted(Rollup.objects.values_list(*COUNTS))
    rollups.refresh()
    assert sorted(Rollup.objects.values_list(*COUNTS)) == stored, "the rolled-up values differ from a recount"
