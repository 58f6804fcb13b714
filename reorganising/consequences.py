"""What a reorganisation batch reaches above the units: the reports of the moved and closed
units in the periods concerned, the open periods' expected reporters before and after, the
accounts that become read-only, the implementation plans of the units concerned.

units.reorganisation applies a batch and knows only units; `load_batch` here is the one every
caller uses (the command, the demo, the pages): it hands `count_around` to the units' loader,
which calls it inside the batch's transaction, so a dry run's figures are exactly those of
applying it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Q

from accounts.models import User
from plans.models import ImplementationPlan
from reporting.completeness import expected_count
from reporting.models import Period, Report
from units import reorganisation
from units.reorganisation import Consequences

ONE_DAY = datetime.timedelta(days=1)


def _expected_by_open_period() -> dict[str, int]:
    return {str(period.label): expected_count(period)
            for period in Period.objects.filter(status=Period.Status.OPEN).order_by("starts_on", "pk")}


def _effective_days(result: Consequences) -> dict[datetime.date, set[str]]:
    """The codes of the moved and closed units, by the first day of their new state. One
    condition per day, not per unit: one per unit overflowed SQLite's expression tree at 1,500
    units (commit 8025e24)."""
    by_day: dict[datetime.date, set[str]] = {}
    for code, _, _, on in result.moved:
        by_day.setdefault(on, set()).add(code)
    for code, last, _ in result.closed:
        by_day.setdefault(last + ONE_DAY, set()).add(code)
    return by_day


def reports_concerned(by_day: dict[datetime.date, set[str]]) -> int:
    """Reports of those units in periods that end on or after their change."""
    if not by_day:
        return 0
    concerned = Q()
    for on, codes in by_day.items():
        concerned |= Q(unit__code__in=sorted(codes), period__ends_on__gte=on)
    return Report.objects.filter(concerned).count()


def count_around(apply: Callable[[], Consequences]) -> Consequences:
    """Expected reporters before and after `apply()`, and who and what the batch reaches."""
    before = _expected_by_open_period()
    result = apply()
    after = _expected_by_open_period()
    result.expected = {name: (before.get(name, 0), after.get(name, 0)) for name in {**before, **after}}
    result.open_periods = list(after)
    closed = [code for code, _, _ in result.closed]
    result.read_only_accounts = sorted(User.objects.filter(unit__code__in=closed).values_list("username", flat=True))
    by_day = _effective_days(result)
    result.reports_affected = reports_concerned(by_day)
    concerned = {code for codes in by_day.values() for code in codes}
    result.plans_affected = ImplementationPlan.objects.filter(unit__code__in=sorted(concerned)).count()
    return result


def load_batch(data, by=None, dry_run: bool = False, file: str = "<data>") -> Consequences:
    """units.reorganisation.load_batch with every consequence counted."""
    return reorganisation.load_batch(data, by=by, dry_run=dry_run, file=file, count_around=count_around)
