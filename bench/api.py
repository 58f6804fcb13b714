"""Time the API's results for the province (the dashboard's numbers as JSON) and a page of
units, on the database DATABASE_URL names.

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/api.py --header

Prints one line of figures (median milliseconds and SQL statements of one request); `make
bench` (scripts/bench.sh) runs it after bench/indicators.py at each size. The query counts
should not grow with the size (the test api/tests/test_results_units.py asserts it)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description="Time the API's province results and a page of units.")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--header", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.measuring import timed
    from units.models import Unit

    settings.API_REQUESTS_PER_MINUTE = 1_000_000
    admin = User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(admin)
    grassroots = Unit.objects.grassroots().count()
    province = Unit.objects.get(depth=1)

    def results():
        answer = client.get("/api/v1/results/", {"unit": province.code, "year": args.year}, HTTP_HOST="127.0.0.1")
        assert answer.status_code == 200, answer.status_code

    def units():
        answer = client.get("/api/v1/units/", {"kind": "grassroots", "page_size": 500}, HTTP_HOST="127.0.0.1")
        assert answer.status_code == 200, answer.status_code

    results_time, results_queries = timed(results, args.repeat)
    units_time, units_queries = timed(units, args.repeat)
    line = (f"{connection.vendor:<10} {grassroots:>10,} {results_time * 1000:>12.0f}ms {results_queries:>3} "
            f"{units_time * 1000:>12.0f}ms {units_queries:>3}")
    if args.header:
        line = (f"{'database':<10} {'grassroots':>10} {'API results':>14} {'q':>3} {'API 500 units':>14} {'q':>3}\n"
                + line)
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
