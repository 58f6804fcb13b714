"""Server-side times from gunicorn's access log (format '%(m)s %(U)s %(s)s %(M)s': method,
path, status, milliseconds in the worker). Beside Locust's times, which add the wait for a
free worker, they tell queueing from work (or from waiting for a database lock).

    .venv/bin/python loadtest/server_times.py var/load/access-sqlite.log
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

from run import percentile

ENTRY = re.compile(r"^/reporting/periods/\d+/reports/[^/]+/$")


def kind(method: str, path: str) -> str:
    if path == "/accounts/login/":
        return "login page" if method == "GET" else "login"
    if path == "/dashboards/":
        return "dashboards"
    if path == "/reporting/":
        return "reports home"
    if ENTRY.match(path):
        return "report form / after" if method == "GET" else "submit"
    return f"{method} {path}"


def main(log: str) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    with open(log, encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 4 or not parts[3].isdigit():
                continue
            method, path, status, ms = parts
            times[kind(method, path)].append(float(ms))
            statuses[status] += 1
    print(f"server-side time in the worker ({sum(statuses.values())} requests; statuses "
          f"{', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))})")
    print(f"{'request':<22}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, values in sorted(times.items(), key=lambda item: -len(item[1])):
        print(f"{name:<22}{len(values):>7}{percentile(values, 50):>9,.0f}{percentile(values, 95):>9,.0f}"
              f"{percentile(values, 99):>9,.0f}{max(values):>9,.0f}")


if __name__ == "__main__":
    main(sys.argv[1])
