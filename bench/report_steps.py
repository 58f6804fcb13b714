"""Time two writes of the reporting workflow on the database DATABASE_URL names (filled as
scripts/bench.sh fills it): submitting one report, and closing a period whose approved reports
are all locked at once.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/report_steps.py

Each run happens inside a transaction that is rolled back, so the database is left as it was
and every run starts from the same state. Prints the median time of the runs and the SQL
statements of one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measuring import QueryCounter, RolledBack, record  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")




def measured(prepare, step, repeat: int) -> tuple[float, int, object]:
    """Median seconds of `step(prepare())` over `repeat` rolled-back runs, the statements of the
    last run (as a server process runs it, its caches warm: Django's content types), and what the
    first returned."""
    from django.db import connection, transaction

    times, queries, result = [], None, None
    for _ in range(repeat):
        try:
            with transaction.atomic():
                subject = prepare()
                counter = QueryCounter()
                started = time.perf_counter()
                with connection.execute_wrapper(counter):
                    outcome = step(subject)
                times.append(time.perf_counter() - started)
                queries = counter.count
                if result is None:
                    result = outcome
                raise RolledBack
        except RolledBack:
            pass
    return statistics.median(times), queries, result


def submittable_report():
    """A returned report with no error, and the elements whose warnings need a note (a bench
    database's registries do not agree with its reports: the cross-check warns)."""
    from reporting import actions
    from reporting.models import Report

    for report in Report.objects.filter(status=Report.Status.RETURNED).order_by("-period__year", "id")[:200]:
        findings = actions.findings_for(report, for_submission=True)
        if not any(finding.is_error for finding in findings):
            return report, {finding.element for finding in findings}
    raise SystemExit("no returned report passes the submission checks")


def explained(report, elements: set[str]) -> None:
    """A note on every value a warning is about, as an officer explains them before sending, and
    the report's period open (a bench database's periods are all closed by today)."""
    from reporting.models import DataValue, Period

    Period.objects.filter(pk=report.period_id).update(status=Period.Status.OPEN)
    DataValue.objects.filter(report=report, element__code__in=elements, comment="").update(comment="Đã kiểm tra")


def main() -> int:
    parser = argparse.ArgumentParser(description="Time a submission and the closing of a period.")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from accounts.models import User
    from reporting import actions
    from reporting.models import Period, Report

    admin = User.objects.filter(is_superuser=True).first() or User.objects.filter(role="province_admin").first()
    report, warned = submittable_report()

    def fresh_report():
        explained(report, warned)
        return Report.objects.get(pk=report.pk)

    seconds, queries, _ = measured(fresh_report, lambda r: actions.do_submit(r, admin, r.version), args.repeat)
    print(f"submit one report:      {seconds * 1000:8.1f} ms  {queries:4d} queries")
    record("report submit", Report.objects.filter(unit__kind="grassroots").values("unit").distinct().count(),
           seconds, queries=queries)

    period = Period.objects.filter(status=Period.Status.CLOSED).order_by("-year").first()

    def reopened_period():
        # The period as it stood before closing: open, its locked reports approved again.
        actions.do_open_period(period.kind, period.year, period.half, period.due_on, admin)
        period.reports.filter(status=Report.Status.LOCKED).update(status=Report.Status.APPROVED)
        return Period.objects.get(pk=period.pk)

    seconds, queries, locked = measured(reopened_period, lambda p: actions.do_close_period(p, admin), args.repeat)
    print(f"close a period ({locked} reports locked): {seconds * 1000:8.1f} ms  {queries:4d} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
