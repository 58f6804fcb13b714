"""Run the deadline rush (loadtest/locustfile.py) with Locust as a library, headless and
bounded, then print and save the figures: throughput, p50/p95/p99 per kind of request and
overall, the errors, and what happened to each officer.

    .venv/bin/python loadtest/run.py --host http://127.0.0.1:8123 --label sqlite --run-time 300

Percentiles are computed from every response time (Locust's own tables round them).
Writes var/load/result-LABEL.json, which loadtest/verify.py compares with the database.
Exits 1 when the run hit its time limit before every officer was done.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["login page", "login", "officer dashboard", "reports home", "report form", "submit",
         "report after submit", "province dashboard"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True, help="e.g. http://127.0.0.1:8123")
    parser.add_argument("--label", default="run", help="names the result file (sqlite, postgres…)")
    parser.add_argument("--accounts", default=str(ROOT / "var" / "load" / "accounts.json"))
    parser.add_argument("--run-time", type=float, default=300, help="hard limit, seconds")
    args = parser.parse_args()
    os.environ["LOAD_ACCOUNTS"] = args.accounts

    from locust import events
    from locust.env import Environment

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import locustfile

    samples: dict[str, list[float]] = defaultdict(list)
    failures: Counter = Counter()
    windows: dict[str, list[float]] = {}  # kind (and "ALL") -> [first start, last end]

    def on_request(request_type, name, response_time, exception, start_time=None, **kwargs):
        samples[name].append(response_time)
        if exception is not None:
            failures[(name, str(exception)[:200])] += 1
        now = time.time()
        for key in (name, "ALL"):
            first, last = windows.get(key, (now, now))
            windows[key] = [min(first, start_time or now), max(last, now)]

    events.request.add_listener(on_request)
    env = Environment(user_classes=[locustfile.Officer, locustfile.ProvinceViewer], host=args.host, events=events)
    events.init.fire(environment=env, runner=None, web_ui=None)
    runner = env.create_local_runner()
    users = len(locustfile.OFFICERS) + len(locustfile.VIEWERS)
    load_before = os.getloadavg()
    started = time.monotonic()
    runner.start(users, spawn_rate=min(users, 100))  # each officer then waits for its turn (LOAD_RAMP)
    timed_out = not locustfile.ALL_DONE.wait(timeout=args.run_time)
    runner.quit()
    wall = time.monotonic() - started
    load_after = os.getloadavg()

    result = summarize(args.label, locustfile, samples, failures, windows, locustfile.OUTCOMES,
                       len(locustfile.OFFICERS), len(locustfile.VIEWERS), wall, timed_out, args.run_time)
    result["load_average"] = {"before": load_before[0], "after_1min": load_after[0], "after_5min": load_after[1]}
    out = ROOT / "var" / "load" / f"result-{args.label}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print_summary(result)
    print(f"(saved to {out.relative_to(ROOT)})")
    return 1 if timed_out else 0


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def _figures(times: list[float], errors: int) -> dict:
    return {"requests": len(times), "errors": errors,
            "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99),
            "max": max(times) if times else None}


def summarize(label, settings, samples, failures, windows, outcomes, officers, viewers, wall, timed_out,
              limit) -> dict:
    errors_by_kind = Counter()
    for (name, _), count in failures.items():
        errors_by_kind[name] += count
    every = [t for times in samples.values() for t in times]
    first, last = windows.get("ALL", (0, 0))
    span = last - first
    submit_first, submit_last = windows.get("submit", (0, 0))
    kinds = [k for k in KINDS if k in samples] + sorted(k for k in samples if k not in KINDS)
    submitted = sorted(u for u, outcome in outcomes.items() if outcome == "submitted")
    failed = {u: outcome for u, outcome in outcomes.items() if outcome != "submitted"}
    return {
        "label": label, "officers": officers, "viewers": viewers,
        "settings": {"ramp": settings.RAMP, "fill": "-".join(f"{x:g}" for x in settings.FILL),
                     "submit_window": settings.SUBMIT_WINDOW, "run_time_limit": limit},
        "wall_seconds": round(wall, 1), "active_seconds": round(span, 1), "timed_out": timed_out,
        "throughput_rps": round(len(every) / span, 2) if span else None,
        "submits_per_second": round(len(samples.get("submit", [])) / span, 2) if span else None,
        # From the first submit sent to the last one answered: the rate the server kept up with.
        "submit_seconds": round(submit_last - submit_first, 1),
        "submits_per_second_while_submitting": round(len(samples["submit"]) / (submit_last - submit_first), 2)
        if submit_last > submit_first else None,
        "overall": _figures(every, sum(errors_by_kind.values())),
        "by_kind": {k: _figures(samples[k], errors_by_kind.get(k, 0)) for k in kinds},
        "errors": [{"kind": name, "error": error, "count": count} for (name, error), count in failures.most_common()],
        "submitted_seen": len(submitted), "submitted_usernames": submitted,
        "officers_failed": failed,
        "officers_not_done": officers - len(outcomes),
    }


def _ms(value) -> str:
    return "—" if value is None else f"{value:,.0f}"


def print_summary(result: dict) -> None:
    s = result["settings"]
    print(f"\n== load test [{result['label']}]: {result['officers']} officers, {result['viewers']} province viewers; "
          f"ramp {s['ramp']:g} s, filling {s['fill']} s"
          + (f", then all submit within {s['submit_window']:g} s" if s["submit_window"] else ", submit when filled")
          + f"; {result['active_seconds']} s of traffic"
          + (f" — TIME LIMIT ({s['run_time_limit']:.0f} s) HIT" if result["timed_out"] else ""))
    print(f"{'request':<22}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    rows = [*result["by_kind"].items(), ("ALL", result["overall"])]
    for name, f in rows:
        print(f"{name:<22}{f['requests']:>7}{f['errors']:>8}{_ms(f['p50']):>9}{_ms(f['p95']):>9}"
              f"{_ms(f['p99']):>9}{_ms(f['max']):>9}")
    load = result.get("load_average")
    if load:
        print(f"machine load average: {load['before']:.1f} before, {load['after_1min']:.1f} (1 min) and "
              f"{load['after_5min']:.1f} (5 min) after — 2 cores; above ~2.5 other work shared the CPU")
    print(f"throughput: {result['throughput_rps']} requests/s overall; {result['submits_per_second']} submits/s "
          f"overall, {result['submits_per_second_while_submitting']} submits/s from the first submit to the last "
          f"({result['submit_seconds']} s)")
    print(f"officers: {result['submitted_seen']} submitted successfully, {len(result['officers_failed'])} failed, "
          f"{result['officers_not_done']} not done")
    for username, outcome in list(result["officers_failed"].items())[:10]:
        print(f"  {username}: {outcome}")
    for error in result["errors"][:10]:
        print(f"  error ×{error['count']} on {error['kind']}: {error['error']}")


if __name__ == "__main__":
    sys.exit(main())
