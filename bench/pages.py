"""Time the pages that list the units below: a target's page (T06, its breakdown over the units
below and their ranking) and the completeness page of the yearly period, for the province and for
a district, on the database DATABASE_URL names (filled as scripts/bench.sh fills it).

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/pages.py --header

Prints one line: median milliseconds and the SQL statements of one request each. Issue #17's
goal: the time grows at most 2× per 10× the units (compare the lines of two sizes). On a shared
machine, `--repeat 9 --fastest` gives the fastest of nine instead (noise only slows a request).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.measuring import record, timed  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

TARGET = "T06"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--header", action="store_true")
    parser.add_argument("--fastest", action="store_true", help="the fastest of the runs, not their median")
    args = parser.parse_args()
    statistic = min if args.fastest else statistics.median

    from django.db import connection
    from django.test import Client

    import tiendo.wsgi  # noqa: F401  (set up as a gunicorn worker is: its loaded modules frozen)
    from accounts.models import User
    from reporting.models import Period
    from units.models import Unit, UnitKind

    province = Unit.objects.get(depth=1)
    district = Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code").first()
    period = Period.objects.get(kind="year", year=args.year)
    client = Client()
    client.force_login(User.objects.filter(is_superuser=True).first())
    grassroots = Unit.objects.grassroots().count()

    def get(url: str, **params):
        response = client.get(url, params, HTTP_HOST="127.0.0.1")
        assert response.status_code == 200, (url, response.status_code)

    figures = []
    for unit in (province, district):
        target_ms, target_q = timed(lambda u=unit: get(f"/dashboards/targets/{TARGET}/", unit=u.code,
                                                      year=args.year), args.repeat, statistic)
        done_ms, done_q = timed(lambda u=unit: get(f"/reporting/periods/{period.pk}/units/{u.code}/"),
                                args.repeat, statistic)
        figures += [(target_ms, target_q), (done_ms, done_q)]
        which = "province" if unit is province else "district"
        record(f"target page {TARGET}, {which}", grassroots, target_ms, queries=target_q)
        record(f"completeness, {which}", grassroots, done_ms, queries=done_q)
    line = f"{connection.vendor:<10} {grassroots:>10,} " + " ".join(
        f"{seconds * 1000:>9.0f}ms {queries:>3}" for seconds, queries in figures)
    if args.header:
        line = (f"{'database':<10} {'grassroots':>10} " + " ".join(
            f"{name:>15}" for name in (f"{TARGET} province", "done province", f"{TARGET} district",
                                       "done district")) + "\n" + line)
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
