"""After the deadline rush: check in the database that every officer's report arrived once,
whole, and that Locust's count of successful submissions matches the database.

    DATABASE_URL=... .venv/bin/python loadtest/verify.py --result var/load/result-sqlite.json

For each of the prepared unions: exactly one report in the period, status submitted, one
"submitted" event; its data values stored exactly once (no two rows for one element), as
many as the form carried, equal to what the officer typed (read back through the app's own
form). Then: as many submitted reports as successful submissions Locust saw, for the same
officers; and the rolled-up values the dashboard reads equal a recount from the data values
(no rollup row twice). Prints each check; exits 1 when one fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")


class Checks:
    def __init__(self):
        self.failed = 0

    def check(self, ok: bool, text: str, details: list[str] = ()) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {text}")
        if not ok:
            self.failed += 1
            for line in list(details)[:10]:
                print(f"         {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", default=str(ROOT / "var" / "load" / "accounts.json"))
    parser.add_argument("--result", required=True, help="the JSON file loadtest/run.py wrote")
    args = parser.parse_args()
    accounts = json.loads(Path(args.accounts).read_text())
    result = json.loads(Path(args.result).read_text())

    import django

    django.setup()
    checks = Checks()
    print(f"== verification [{result['label']}]")
    verify(accounts, result, checks)
    print(f"verification: {'PASSED' if not checks.failed else f'FAILED ({checks.failed} checks)'}")
    return 1 if checks.failed else 0


def verify(accounts: dict, result: dict, checks: Checks) -> None:
    from django.db.models import Count

    from reporting import actions
    from reporting.elements import elements_for
    from reporting.forms import ReportForm
    from reporting.history import steps_of_reports
    from reporting.models import DataValue, Period, Report
    from units.models import Unit

    period = Period.objects.get(pk=accounts["period"]["id"])
    officers = {o["unit"]: o for o in accounts["officers"]}
    units = {u.code: u for u in Unit.objects.filter(code__in=officers)}
    reports = Report.objects.filter(period=period, unit__code__in=officers).select_related("unit")
    per_unit = Counter(r.unit.code for r in reports)

    missing = sorted(code for code in officers if per_unit[code] == 0)
    doubled = sorted(code for code, n in per_unit.items() if n > 1)
    checks.check(not missing and not doubled, f"one report per union in {period}: {len(per_unit)} of {len(officers)}",
                 [f"no report: {', '.join(missing[:20])}"] * bool(missing) + [f"several: {doubled}"] * bool(doubled))
    not_submitted = [f"{r.unit.code}: {r.status}" for r in reports if r.status != Report.Status.SUBMITTED]
    checks.check(not not_submitted, f"reports with status submitted: {len(reports) - len(not_submitted)}",
                 not_submitted)

    duplicated = list(DataValue.objects.filter(report__period=period).values("report_id", "element_id")
                      .annotate(n=Count("id")).filter(n__gt=1)[:10])
    checks.check(not duplicated, "no data value stored twice for one report and element (whole period)",
                 [str(d) for d in duplicated])

    counts = dict(DataValue.objects.filter(report__in=reports).values_list("report_id")
                  .annotate(n=Count("id")).values_list("report_id", "n"))
    wrong_count, wrong_value = [], []
    for report in reports:
        officer = officers[report.unit.code]
        if counts.get(report.id, 0) != officer["values_expected"]:
            wrong_count.append(f"{report.unit.code}: {counts.get(report.id, 0)} values, "
                               f"{officer['values_expected']} expected")
        form = ReportForm(elements_for(period, units[report.unit.code]),
                          data={**officer["form"], "version": "0"})
        if not form.is_valid():
            wrong_value.append(f"{report.unit.code}: the prepared form does not validate: {form.errors}")
            continue
        typed = {code: value for code, value in form.values().items() if value not in (None, "")}
        stored = {code: value for code, value in actions.values_of(report).items() if value not in (None, "")}
        if typed != stored or {c: t for c, t in form.comments().items() if t} != actions.comments_of(report):
            wrong_value.append(f"{report.unit.code}: stored {stored} != typed {typed}")
    expected_total = sum(officers[r.unit.code]["values_expected"] for r in reports)
    checks.check(not wrong_count, f"data values per report as expected: {sum(counts.values())} stored, "
                                  f"{expected_total} expected", wrong_count)
    checks.check(not wrong_value, "stored values and comments equal what the officers typed", wrong_value)

    submitted = Counter(steps_of_reports(r.id for r in reports).filter(additional_data__event=Report.Step.SUBMITTED)
                        .values_list("object_id", flat=True))
    odd = [f"{r.unit.code}: {submitted.get(r.id, 0)} 'submitted' steps in its history" for r in reports
           if r.status == Report.Status.SUBMITTED and submitted.get(r.id, 0) != 1]
    checks.check(not odd, "one 'submitted' step per submitted report", odd)

    submitted_units = {r.unit.code for r in reports if r.status == Report.Status.SUBMITTED}
    seen_units = {o["unit"] for o in accounts["officers"] if o["username"] in set(result["submitted_usernames"])}
    checks.check(
        result["submitted_seen"] == len(submitted_units) and seen_units == submitted_units,
        f"successful submissions seen by Locust ({result['submitted_seen']}) = submitted reports in the database "
        f"({len(submitted_units)})",
        [f"submitted, Locust saw no success: {sorted(submitted_units - seen_units)[:20]}",
         f"Locust saw a success, not submitted: {sorted(seen_units - submitted_units)[:20]}"],
    )
    _verify_rollups(period, checks)


def _verify_rollups(period, checks: Checks) -> None:
    """The dashboard reads indicators.models.Rollup: it must equal a recount from the values."""
    from django.db import transaction

    from indicators.models import Rollup
    from indicators.rollups import refresh

    fields = ["element_id", "parent_path", "kind", "ownership", "large_enterprise", "counted_as",
              "values", "total", "yes", "class_a", "class_b", "class_c", "class_d"]

    def rows() -> Counter:
        return Counter(Rollup.objects.filter(period=period).values_list(*fields))

    stored = rows()
    keys = Counter(row[:6] for row in stored.elements())
    twice = [f"{key}: {n} rows" for key, n in keys.items() if n > 1]
    with transaction.atomic():
        refresh([period.id])
        recounted = rows()
        transaction.set_rollback(True)
    parents = {key[1] for key, n in keys.items() if n > 1}
    checks.check(not twice, f"no rolled-up row twice for one key ({sum(stored.values())} rows"
                            + (f"; {len(twice)} keys twice, under {len(parents)} parent unions)" if twice else ")"),
                 twice)
    differ = [f"stored {row}" for row in (stored - recounted)] + [f"recount {row}" for row in (recounted - stored)]
    checks.check(stored == recounted, "rolled-up values (what the dashboard reads) equal a recount from the values",
                 differ)


if __name__ == "__main__":
    sys.exit(main())
