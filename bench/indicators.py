"""Time the indicator engine and the dashboard on the database DATABASE_URL names.

Beside the engine's time (all targets, every reporting year, for the province and for each
district), its SQL baseline: the same statements run bare through a cursor, and the ratio of
the two (issue #17's goal: at most 1.5).

    DATABASE_URL=sqlite:///$PWD/var/bench-1500.sqlite3 .venv/bin/python bench/indicators.py --header

Prints one line of figures; `make bench` (scripts/bench.sh) runs it on databases filled at
several sizes. Figures, not pass/fail: a slow machine is slow, not broken. Bench tooling, like
loadtest/, sits outside the apps: a plain script that sets Django up itself, which no app imports.
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
from bench.measuring import RolledBack, record, timed  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")



class StatementRecorder:
    """Keeps the SQL statements run, with their parameters, to run them again bare."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def sql_baseline(function, repeat: int) -> float:
    """The plain SQL of `function`: the statements it sends, run again through a bare cursor
    (every row fetched), median seconds of `repeat` runs. The engine's time over this is what
    Python and the ORM add to the database's own work over the same rollup rows."""
    from django.db import connection

    recorder = StatementRecorder()
    with connection.execute_wrapper(recorder):
        function()

    def replay():
        with connection.cursor() as cursor:
            for sql, params in recorder.statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    replay()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        replay()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Time all targets for the province, for every district, and the province dashboard page.")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--header", action="store_true")
    parser.add_argument("--reorganise", action="store_true",
                        help="also: dissolve every district into a new commune union on 1 July of --year (in a "
                             "transaction rolled back afterwards) and time the province in both views")
    args = parser.parse_args()

    import django

    django.setup()
    print(bench(args.year, args.repeat, args.header))
    if args.reorganise:
        print(bench_reorganised(args.year, args.repeat))
    return 0


def bench_reorganised(year: int, repeat: int) -> str:
    """Every district dissolved on 1 July of `year`, its grassroots unions passed to a new commune
    union (the 2025 reorganisation's shape, at the bench tree's size); the province's targets
    as it was and as it is now, and the dashboard. Nothing stays written."""
    import datetime

    from django.db import connection, transaction
    from django.test import Client

    from accounts.models import User
    from indicators.engine import Engine
    from programs.choice import in_force_for
    from units.models import Unit, UnitKind
    from units.reorganisation import do_apply_reorganisation

    program = in_force_for()
    province = Unit.objects.get(depth=1)
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code"))
    on = datetime.date(year, 7, 1)
    batch = {
        "batch": {"code": "bench-every-district", "title": "bench: every district dissolved"},
        "units": [{"code": f"{d.code}.CX", "name": f"Công đoàn xã {d.name}", "kind": "commune", "parent": province.code,
                   "valid_from": on.isoformat()} for d in districts],
        "changes": [{"change": "dissolve", "unit": d.code, "on": on.isoformat(), "successor": f"{d.code}.CX"}
                    for d in districts],
    }
    admin = User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(admin)
    line = ""
    try:
        with transaction.atomic():
            started = time.perf_counter()
            do_apply_reorganisation(batch, by=admin)
            applied = time.perf_counter() - started
            province.refresh_from_db()
            then, now = Engine(program, view="then"), Engine(program, view="now")
            then_time, then_queries = timed(lambda: then.results(province, year), repeat)
            now_time, now_queries = timed(lambda: now.results(province, year), repeat)
            pages = {view: timed(lambda v=view: client.get("/dashboards/", {"year": year, "view": v},
                                                           HTTP_HOST="127.0.0.1"), repeat)
                     for view in ("then", "now")}
            grassroots = Unit.objects.grassroots().count()
            for view, (seconds, queries) in pages.items():
                record(f"province dashboard, every district reorganised, {view}", grassroots, seconds,
                       queries=queries)
            line = (f"{connection.vendor:<10} reorganised {len(districts)} districts in {applied:.1f} s; "
                    f"province as it was {then_time * 1000:.0f}ms {then_queries}q, as it is now "
                    f"{now_time * 1000:.0f}ms {now_queries}q; dashboard as it was {pages['then'][0] * 1000:.0f}ms "
                    f"{pages['then'][1]}q, as it is now {pages['now'][0] * 1000:.0f}ms {pages['now'][1]}q")
            raise RolledBack
    except RolledBack:
        pass
    return line


def bench(year: int, repeat: int, header: bool) -> str:
    """The figures' line (after the header line when asked)."""
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from indicators.engine import Engine
    from programs.choice import in_force_for
    from units.models import Unit, UnitKind

    program = in_force_for()
    province = Unit.objects.get(depth=1)
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT))
    grassroots = Unit.objects.grassroots().count()
    engine = Engine(program)
    admin = User.objects.filter(is_superuser=True).first()
    client = Client()
    client.force_login(admin)

    def province_run():
        return engine.results(province, year)

    def districts_run():
        return [engine.results(d, year) for d in districts]

    province_time, province_queries = timed(province_run, repeat)
    province_sql = sql_baseline(province_run, repeat)
    districts_time, districts_queries = timed(districts_run, repeat)
    districts_sql = sql_baseline(districts_run, repeat)
    page_time, page_queries = timed(
        lambda: client.get("/dashboards/", {"year": year}, HTTP_HOST="127.0.0.1"), repeat)
    record("engine, the province's targets, every year", grassroots, province_time, queries=province_queries,
           baseline=province_sql)
    record(f"engine, each of the {len(districts)} districts", grassroots, districts_time, queries=districts_queries,
           baseline=districts_sql)
    record("province dashboard", grassroots, page_time, queries=page_queries)
    line = (
        f"{connection.vendor:<10} {grassroots:>10,} {province_time * 1000:>8.0f}ms {province_queries:>3} "
        f"{province_sql * 1000:>6.0f}ms {province_time / province_sql:>5.2f}x "
        f"{districts_time * 1000:>10.0f}ms {districts_queries:>4} "
        f"{districts_sql * 1000:>6.0f}ms {districts_time / districts_sql:>5.2f}x "
        f"{page_time * 1000:>8.0f}ms {page_queries:>3}"
    )
    if header:
        line = (f"{'database':<10} {'grassroots':>10} {'province':>10} {'q':>3} {'SQL':>8} {'ratio':>6} "
                f"{f'{len(districts)} districts':>12} {'q':>4} {'SQL':>8} {'ratio':>6} {'dashboard':>10} {'q':>3}\n"
                + line)
    return line


if __name__ == "__main__":
    sys.exit(main())
