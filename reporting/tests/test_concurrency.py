"""Two people saving the same report at the same moment: the second is refused, nothing is
silently overwritten. Real threads, real transactions (PostgreSQL row locks in CI)."""

import threading
import time

import pytest
from django.db import connection, transaction

from accounts.testing import build_world
from reporting.actions import StaleReport, do_open_period, do_save_values, get_or_create_report, values_of
from reporting.testing import report_steps

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_second_concurrent_save_is_refused(program_loaded):
    world = build_world()
    import datetime

    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    report = get_or_create_report(period, world.school)
    first_holds_the_row = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                do_save_values(report.__class__.objects.get(pk=report.pk), {"workers": 41}, {}, world.reporter, 0)
                first_holds_the_row.set()
                time.sleep(0.5)  # still inside the transaction: the row stays locked
            outcome["first"] = "saved"
        finally:
            first_holds_the_row.set()
            connection.close()

    def second():
        first_holds_the_row.wait(5)
        try:
            do_save_values(report.__class__.objects.get(pk=report.pk), {"workers": 42}, {}, world.approver, 0)
            outcome["second"] = "saved"
        except StaleReport as refused:
            outcome["second"] = ("refused", report_steps(refused.report).last().actor_name)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)

    assert outcome == {"first": "saved", "second": ("refused", "reporter")}
    report.refresh_from_db()
    assert values_of(report)["workers"] == 41
    assert report.version == 1
    assert report_steps(report).count() == 1
