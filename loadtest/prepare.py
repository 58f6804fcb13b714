"""Prepare a demo database for the deadline-rush load test (`make load`, scripts/load.sh).

On top of what `manage.py setup_demo` loads, for the open yearly period:
- picks N grassroots unions spread over the whole province (every k-th one by path) and
  deletes their report for that period, so that each one has a report to file;
- creates one reporter account per union (load-officer-0001 …) and a few province viewers
  (load-viewer-1 …), all with the same password;
- computes, per union, the values its officer will type: the demo generator's values for
  this year (demo.reports), checked by the application's own rules against last year's
  report — an error stops the preparation, a warning gets the explanation it needs;
- writes everything the locustfile and verify.py need to a JSON file.

This is a standalone script, not a management command, on purpose: it deletes reports and
creates accounts with a known password, and must never be one `manage.py` away on a
production server. It refuses to run unless DATABASE_URL names the database explicitly.

    DATABASE_URL=sqlite:///$PWD/var/load-sqlite.sqlite3 .venv/bin/python loadtest/prepare.py --users 200
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiendo.settings")

PASSWORD = "load-test-2025"  # the throwaway database's accounts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="grassroots officers (one union each)")
    parser.add_argument("--viewers", type=int, default=4, help="province users loading the dashboard")
    parser.add_argument("--out", default=str(ROOT / "var" / "load" / "accounts.json"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        print("prepare.py: set DATABASE_URL to the throwaway database to prepare (it deletes reports)",
              file=sys.stderr)
        return 2

    import django

    django.setup()
    started = time.monotonic()
    plan = prepare(args.users, args.viewers, args.seed)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    warned = sum(1 for officer in plan["officers"] if officer["comments"])
    print(f"prepared {len(plan['officers'])} officers ({warned} with a warning to explain) and "
          f"{len(plan['viewers'])} province viewers for period {plan['period']['label']} "
          f"in {time.monotonic() - started:.1f} s -> {out}")
    return 0


def prepare(users: int, viewers: int, seed: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import Role, User
    from demo.reports import grassroots_values
    from reporting.actions import findings_for
    from reporting.completeness import expected_reporters
    from reporting.elements import elements_for, programs_asking
    from reporting.forms import COMMENT_SUFFIX
    from reporting.models import Period, Report, value_to_stored
    from reporting.signals import period_changed
    from units.models import Unit, UnitKind

    period = (Period.objects.filter(status=Period.Status.OPEN, kind=Period.Kind.YEAR)
              .order_by("-year").first())
    if period is None:
        raise SystemExit("prepare.py: no open yearly period; run `manage.py setup_demo` first")
    program = programs_asking(period)[-1]  # the newest program asking: its years set the demo's trend
    root = Unit.objects.filter(depth=1).active().get()  # old Kiên Giang, a second root, closed in 2025
    demo_officer_units = set(User.objects.exclude(username__startswith="load-").values_list("unit_id", flat=True))
    candidates = [u for u in expected_reporters(period, root).filter(kind=UnitKind.GRASSROOTS).order_by("path")
                  if u.id not in demo_officer_units]
    if len(candidates) < users:
        raise SystemExit(f"prepare.py: only {len(candidates)} grassroots unions, {users} wanted: "
                         f"run setup_demo with --grassroots {users + 100}")
    step = len(candidates) / users
    units = [candidates[int(i * step)] for i in range(users)]
    years = program.reporting_years
    t = years.index(period.year) / max(1, len(years) - 1) if period.year in years else 1.0
    rng = random.Random(seed)
    password = make_password(PASSWORD)  # hashed once: 1,000 PBKDF2 hashes would take minutes

    officers = []
    with transaction.atomic():
        deleted = Report.objects.filter(period=period, unit__in=units).delete()[1].get("reporting.Report", 0)
        accounts = []
        for number, unit in enumerate(units, start=1):
            elements = elements_for(period, unit)
            values = grassroots_values(unit, period.year, t, random.Random(rng.random()))
            values = {e.code: values.get(e.code) for e in elements}
            # The app's own findings, the registries' cross-check included (a figure that differs
            # from a kept registry's is a warning to explain, as on the form).
            findings = findings_for(Report(period=period, unit=unit), True, values)
            errors = [f for f in findings if f.is_error]
            if errors:
                raise SystemExit(f"prepare.py: generated values of {unit.code} do not pass: {errors}")
            comments = {f.element: f"Giải trình ({f.rule}): số liệu đã kiểm tra lại với sổ sách của đơn vị."
                        for f in findings}
            form = {e.code: _form_value(e.type, values[e.code]) for e in elements}
            form.update({code + COMMENT_SUFFIX: text for code, text in comments.items()})
            stored = sum(1 for e in elements
                         if value_to_stored(e.type, values[e.code]) != (None, "") or e.code in comments)
            username = f"load-officer-{number:04d}"
            accounts.append(User(username=username, password=password, unit=unit, role=Role.REPORTER,
                                 first_name=f"Cán bộ {unit.code}"))
            officers.append({
                "username": username, "unit": unit.code,
                "entry_url": f"/reporting/periods/{period.id}/reports/{unit.code}/",
                "form": form, "comments": sorted(comments), "values_expected": stored,
            })
        for number in range(1, viewers + 1):
            accounts.append(User(username=f"load-viewer-{number}", password=password, unit=root, role=Role.VIEWER,
                                 first_name=f"Lãnh đạo tỉnh {number}"))
        _save_accounts(User, accounts)
        if deleted:  # the rolled-up values must forget the deleted reports
            period_changed.send(sender=None, period=period)
    return {
        "password": PASSWORD,
        "period": {"id": period.id, "year": period.year, "label": str(period)},
        "reports_deleted": deleted,
        "officers": officers,
        "viewers": [{"username": f"load-viewer-{n}"} for n in range(1, viewers + 1)],
    }


def _save_accounts(User, accounts: list) -> None:
    """Create the accounts, or update those left by an earlier preparation of this database."""
    existing = {u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])}
    User.objects.bulk_create([a for a in accounts if a.username not in existing])
    again = [a for a in accounts if a.username in existing]
    for account in again:
        account.pk = existing[account.username].pk
    User.objects.bulk_update(again, ["password", "unit", "role", "first_name"])


def _form_value(element_type: str, value) -> str:
    """A value as the officer types it into the form."""
    if value is None:
        return ""
    if element_type == "boolean":
        return "yes" if value else "no"
    if element_type == "date":
        return value.isoformat()
    return str(value)


if __name__ == "__main__":
    sys.exit(main())
