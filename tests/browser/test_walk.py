"""The main tasks of each role walked at 390 px and at 1280 px (demo/walk.py, the walk that
`manage.py walk_tasks` runs against the demo data): every task succeeds, and what each cost
(clicks, fields typed, pages, height scrolled) is printed (pytest -s shows it)."""

import datetime

import pytest

from accounts.testing import PASSWORD, build_world
from demo.walk import TASK_ORDER, VIEWPORTS, Logins, reopen_for_walk, table, walk
from jobs.testing import run_jobs
from reporting.actions import do_close_period, do_open_period
from reporting.models import Report
from reporting.testing import make_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_role_walks_its_main_tasks_on_a_phone_and_at_a_desk(live_server, browser, program_loaded):
    world = build_world()
    last = do_open_period("year", 2023, 0, datetime.date(2024, 1, 15), by=world.admin)
    make_report(last, world.school, Report.Status.LOCKED, datetime.date(2024, 1, 10), workers=40, members=36,
                initiatives=6)
    do_close_period(last, by=world.admin)
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    logins = Logins(reporter="reporter", approver="approver", province="admin", password=PASSWORD,
                    unit_code=world.school.code, unit_name=world.school.name,
                    district_search="long xuyen", district_name=world.long_xuyen.name)
    measures = []
    for viewport in VIEWPORTS:
        reopened = reopen_for_walk(logins)
        assert bool(reopened) == bool(measures), "the second walk finds the first one's report approved"
        measures += walk(browser, live_server.url, logins, viewport, run_jobs=run_jobs)
        report = Report.objects.get(period=period, unit=world.school)
        assert report.status == Report.Status.APPROVED, table(measures)
    print("\n" + table(measures))

    assert [(m.task, m.viewport) for m in measures] == [(t, v) for v in VIEWPORTS for t in TASK_ORDER]
    failed = [f"{m.viewport} {m.task}: {m.error}" for m in measures if not m.ok]
    assert not failed, failed
    first = {m.task: m for m in measures if m.viewport == "390 px"}
    assert first["Nhập và nộp báo cáo"].typed >= 9, "the empty form's figures were typed"
    assert all(m.clicks >= 2 for m in measures), "each task is a few taps, counted"
    assert first["Trả lại báo cáo kèm ý kiến"].scrolled > 844, "on a phone the decision is below the report"
    values = report.values.get(element__code="initiatives").number
    assert values == 8, "fixed once per walk (6, then 7, then 8)"
