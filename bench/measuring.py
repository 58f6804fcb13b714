"""What every bench script measures with: the statements a piece of work runs, and a way out of
a transaction so that a measured write leaves the bench database as it was."""

import statistics
import time


class RolledBack(Exception):
    """Raised at the end of a measured write inside transaction.atomic() to undo it."""


class QueryCounter:
    """Counts the SQL statements run (connection.execute_wrapper; the test client's requests
    reset Django's own log)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(function, repeat: int, statistic=statistics.median) -> tuple[float, int]:
    """Median seconds of `repeat` runs (after one warm-up), or another `statistic` of them (min:
    the fastest, which a shared machine's noise only slows), and the queries of one run."""
    from django.db import connection  # after the script has set Django up

    function()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistic(times), counter.count


def record(operation: str, grassroots: int, seconds: float | None = None, *, queries: int | None = None,
           baseline: float | None = None) -> None:
    """Keep one figure for the table `make bench` prints at its end (bench/table.py): appended as
    a JSON line to the file BENCH_RESULTS names, when it names one."""
    import json
    import os

    from django.db import connection

    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"operation": operation, "database": connection.vendor, "grassroots": grassroots,
                             "seconds": seconds, "queries": queries, "baseline": baseline}) + "\n")
