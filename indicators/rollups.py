"""Keeping the rolled-up values (indicators.models.Rollup) equal to the reports.

`refresh` recomputes the rows of some periods and parents from the data values in one
grouped query; it runs in the transaction of whatever changed the reports (through the
signals of reporting and units), so the engine never reads stale sums.
"""

from __future__ import annotations

import zlib

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When

from indicators.models import Rollup
from reporting.models import DataValue, Period, Report
from units.models import Unit

COUNTED = (Report.Status.APPROVED, Report.Status.LOCKED, Report.Status.SUBMITTED)


def _parent_path():
    return Unit.parent_path_expression("report__unit__path", "report__unit__depth")


def existed_during_period(prefix: str = "report__") -> Q:
    """The report's unit existed during the report's period (a report made for a year the
    unit did not exist in is left out, as it is from the expected units)."""
    return Q(**{f"{prefix}unit__valid_from__lte": F(f"{prefix}period__ends_on")}) & (
        Q(**{f"{prefix}unit__valid_to__isnull": True})
        | Q(**{f"{prefix}unit__valid_to__gte": F(f"{prefix}period__starts_on")})
    )


def _take_refresh_locks(period_ids, parent_paths) -> None:
    """One refresh of a (period, parent) at a time, on PostgreSQL.

    A refresh deletes the rows, then inserts a recount. Under READ COMMITTED, a second
    refresh of the same parent waits at its DELETE for the first, then cannot see the rows the
    first inserted, and both recounts stay: every value counted twice. Transaction-scoped
    advisory locks serialise refreshes of one parent while districts still refresh side by
    side: a refresh of whole periods takes the period's lock exclusively, a refresh of some
    parents shares it and takes each parent's own. (SQLite has one writer at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    periods = sorted(period_ids) if period_ids is not None else list(
        Period.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        period_lock = "pg_advisory_xact_lock" if parent_paths is None else "pg_advisory_xact_lock_shared"
        for period_id in periods:
            cursor.execute(f"SELECT {period_lock}(%s)", [period_id])
        if parent_paths is not None:
            for period_id in periods:
                for path in sorted(parent_paths):
                    # The two-key form: a lock space of its own, apart from the periods' one-key locks.
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [period_id, _int4(path)])


def _int4(text: str) -> int:
    return zlib.crc32(text.encode()) - 2**31


@transaction.atomic
def refresh(period_ids=None, parent_paths=None) -> int:
    """Recompute the rollup rows of these periods and parents (None: all of them)."""
    _take_refresh_locks(period_ids, parent_paths)
    stale = Rollup.objects.all()
    values = DataValue.objects.filter(existed_during_period(), report__status__in=COUNTED)
    if period_ids is not None:
        stale = stale.filter(period_id__in=list(period_ids))
        values = values.filter(report__period_id__in=list(period_ids))
    values = values.annotate(
        parent=_parent_path(),
        group=Case(When(report__status=Report.Status.SUBMITTED, then=Value(Rollup.CountedAs.SUBMITTED)),
                   default=Value(Rollup.CountedAs.APPROVED)),
    )
    if parent_paths is not None:
        stale = stale.filter(parent_path__in=list(parent_paths))
        values = values.filter(parent__in=list(parent_paths))
    stale.delete()
    rows = values.order_by().values(
        "report__period_id", "element_id", "parent", "report__unit__kind", "report__unit__ownership",
        "report__unit__large_enterprise", "group",
    ).annotate(
        n=Count("id"), total_=Sum("number"), yes_=Count("id", filter=Q(number=1)),
        a=Count("id", filter=Q(text="A")), b=Count("id", filter=Q(text="B")),
        c=Count("id", filter=Q(text="C")), d=Count("id", filter=Q(text="D")),
    )
    created = Rollup.objects.bulk_create(
        (Rollup(period_id=row["report__period_id"], element_id=row["element_id"], parent_path=row["parent"],
                kind=row["report__unit__kind"], ownership=row["report__unit__ownership"],
                large_enterprise=row["report__unit__large_enterprise"], counted_as=row["group"],
                values=row["n"], total=row["total_"], yes=row["yes_"], class_a=row["a"], class_b=row["b"],
                class_c=row["c"], class_d=row["d"]) for row in rows),
        batch_size=5000,
    )
    return len(created)


def on_reports_changed(sender, reports, **kwargs) -> None:
    refresh({r.period_id for r in reports}, {r.unit.parent_path for r in reports})


def on_period_changed(sender, period, **kwargs) -> None:
    refresh([period.id])


def on_units_changed(sender, parent_paths=None, **kwargs) -> None:
    """Attributes of units changed (their parents given), or the tree changed (None: all)."""
    refresh(None, parent_paths)
