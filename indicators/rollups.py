"""Keeping the rolled-up values and counted reports (indicators.models.Rollup, ReportRollup)
equal to the reports.

`refresh` recomputes the rows of some periods and parents from the data values in one
grouped query. A change of the tree or a bulk load (units' and reporting's `period_changed`
signals) refreshes in its own transaction. A report's step (a submission, an approval, a
return, a reopening, a spreadsheet import: reporting's `reports_changed`) does not recount its
district while it holds the write lock: it marks the parents its values stand under
(`mark_stale`, one statement, PendingRefresh) and the job worker recounts each marked parent
once (refresh_marked, a job), however many reports of that parent changed meanwhile.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Length, Substr
from django.utils import timezone

from indicators.models import PendingRefresh, ReportRollup, Rollup
from jobs.queue import job
from reporting.models import DataValue, Period, Report
from units import placement
from units.models import LINK_STEP, Unit, UnitLink

COUNTED = (Report.Status.APPROVED, Report.Status.LOCKED, Report.Status.SUBMITTED)


def counted_values(view: str, where: Q | None = None):
    """Data values of counted reports, each with `parent`: the path, in the view's tree of its
    period (units.placement), of the place its unit's figures go under. A value whose unit does
    not count in the period (it did not exist, a reorganisation handed its year to a successor,
    or the "now" view drops it) is left out, as it is from the expected units. In THEN, any
    further condition on the placing link ("report__unit__links__…") must come in `where`: one
    filter() call, one join to the links (a second call would join every link of the unit)."""
    return _placed(DataValue.objects.filter(report__status__in=COUNTED), view, "report__", where)


def counted_reports(view: str, where: Q | None = None):
    """Counted reports, each with `parent`, placed as counted_values places their values (in THEN,
    conditions on the placing link, "unit__links__…", in `where`)."""
    return _placed(Report.objects.filter(status__in=COUNTED), view, "", where)


def _placed(rows, view: str, report: str, where: Q | None):
    """`rows` (reports, or rows of a report: `report` the path to it) whose unit counts in the
    report's period, annotated with `parent`, where in the view's tree the unit's figures go."""
    starts, ends = F(f"{report}period__starts_on"), F(f"{report}period__ends_on")
    unit = f"{report}unit__"
    if view == placement.THEN:
        return rows.filter(placement.then_link(unit, starts, ends) & (where or Q())).annotate(
            parent=Substr(f"{unit}links__path", 1, (F(f"{unit}links__depth") - 1) * LINK_STEP))
    rows = rows.filter(placement.counts_in(unit, starts, ends)).annotate(
        now=placement.now_path(unit)).filter(now__isnull=False).annotate(
        parent=Substr("now", 1, Length("now") - Unit.steplen))
    return rows.filter(where) if where is not None else rows


def existed_during_period(prefix: str = "report__") -> Q:
    """The report's unit counts in the report's period (units.placement.counts_in)."""
    return placement.counts_in(f"{prefix}unit__", F(f"{prefix}period__starts_on"), F(f"{prefix}period__ends_on"))


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
    """Recompute the rollup rows of these periods and parents (None: all of them), in both
    views; parent_paths is {view: paths} (or None: every parent)."""
    _take_refresh_locks(period_ids, None if parent_paths is None else set().union(*parent_paths.values()))
    created = 0
    for view in placement.VIEWS:
        paths = None if parent_paths is None else parent_paths.get(view, set())
        if paths is not None and not paths:
            continue
        created += _refresh_view(view, period_ids, paths)
    return created


def _refresh_view(view: str, period_ids, parent_paths) -> int:
    values = _recounted(Rollup, counted_values(view), view, period_ids, parent_paths, "report__").values(
        "report__period_id", "element_id", "parent", "report__unit__kind", "report__unit__ownership",
        "report__unit__large_enterprise", "group",
    ).annotate(
        n=Count("id"), total_=Sum("number"), yes_=Count("id", filter=Q(number=1)),
        a=Count("id", filter=Q(text="A")), b=Count("id", filter=Q(text="B")),
        c=Count("id", filter=Q(text="C")), d=Count("id", filter=Q(text="D")),
    )
    created = Rollup.objects.bulk_create(
        (Rollup(view=view, period_id=row["report__period_id"], element_id=row["element_id"],
                parent_path=row["parent"], kind=row["report__unit__kind"], ownership=row["report__unit__ownership"],
                large_enterprise=row["report__unit__large_enterprise"], counted_as=row["group"],
                values=row["n"], total=row["total_"], yes=row["yes_"], class_a=row["a"], class_b=row["b"],
                class_c=row["c"], class_d=row["d"]) for row in values),
        batch_size=5000,
    )
    reports = _recounted(ReportRollup, counted_reports(view), view, period_ids, parent_paths, "").values(
        "period_id", "parent", "unit__kind", "unit__ownership", "unit__large_enterprise", "group",
    ).annotate(n=Count("id"))
    ReportRollup.objects.bulk_create(
        (ReportRollup(view=view, period_id=row["period_id"], parent_path=row["parent"], kind=row["unit__kind"],
                      ownership=row["unit__ownership"], large_enterprise=row["unit__large_enterprise"],
                      counted_as=row["group"], reports=row["n"]) for row in reports),
        batch_size=5000,
    )
    return len(created)


def _recounted(model, counted, view: str, period_ids, parent_paths, report: str):
    """Delete `model`'s rows of these periods and parents (None: all) in the view, and return the
    counted rows that replace them, narrowed the same way, each with its `group` (counted as
    approved, or as submitted), unordered for grouping."""
    stale = model.objects.filter(view=view)
    if period_ids is not None:
        stale = stale.filter(period_id__in=list(period_ids))
        counted = counted.filter(**{f"{report}period_id__in": list(period_ids)})
    if parent_paths is not None:
        stale = stale.filter(parent_path__in=list(parent_paths))
        counted = counted.filter(parent__in=list(parent_paths))
    stale.delete()
    return counted.annotate(
        group=Case(When(**{f"{report}status": Report.Status.SUBMITTED}, then=Value(Rollup.CountedAs.SUBMITTED)),
                   default=Value(Rollup.CountedAs.APPROVED)),
    ).order_by()


def parents_of(reports) -> dict[str, set[str]]:
    """{view: the parent paths the reports' values stand under} (two small queries)."""
    units = {r.unit_id for r in reports}
    periods = {r.period_id: r.period for r in reports}
    links = defaultdict(list)
    for unit_id, valid_from, valid_to, path in UnitLink.objects.filter(unit_id__in=units).values_list(
            "unit_id", "valid_from", "valid_to", "path"):
        links[unit_id].append((valid_from, valid_to, path))
    # An open unit stands where it is today (placement.now_path): only closed units are looked up.
    today = timezone.localdate()
    now_paths = {r.unit_id: r.unit.path for r in reports if r.unit.valid_to is None or r.unit.valid_to >= today}
    closed = units - set(now_paths)
    if closed:
        now_paths.update(Unit.objects.filter(pk__in=closed).annotate(now=placement.now_path()).values_list("pk", "now"))
    then = set()
    for report in reports:
        period = periods[report.period_id]
        day = min(period.ends_on, report.unit.valid_to or period.ends_on)
        then |= {path[:-LINK_STEP] for start, end, path in links[report.unit_id]
                 if (start is None or start <= day) and (end is None or end >= day)}
    return {placement.THEN: then,
            placement.NOW: {path[: -Unit.steplen] for path in now_paths.values() if path}}


def mark_stale(period_ids, parent_paths: dict[str, set[str]]) -> list[tuple[str, int, str]]:
    """Mark these parents' rolled-up values of these periods for a recount by the job worker, and
    queue one job for the parents that were not marked yet (a parent already marked has its job
    waiting, or running: that job sees the raised count and runs again). One INSERT … ON
    CONFLICT for all the marks, whatever their number, plus one INSERT for the job. Returns
    the (view, period, parent) the job was queued for."""
    keys = sorted({(view, period_id, path) for view, paths in parent_paths.items() for path in paths
                   for period_id in period_ids})
    if not keys:
        return []
    table, quote = PendingRefresh._meta.db_table, connection.ops.quote_name
    now = timezone.now()
    columns = ", ".join(quote(name) for name in ("view", "period_id", "parent_path"))
    rows = ", ".join(["(%s, %s, %s, 1, %s)"] * len(keys))
    params = [value for key in keys for value in (*key, now)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table)} ({columns}, {quote('requests')}, {quote('asked_at')}) VALUES {rows} "
            f"ON CONFLICT ({columns}) DO UPDATE SET {quote('requests')} = {quote(table)}.{quote('requests')} + 1 "
            f"RETURNING {columns}, {quote('requests')}", params)
        new = sorted((view, period_id, path) for view, period_id, path, requests in cursor.fetchall()
                     if requests == 1)
    if new:
        refresh_marked.enqueue([list(key) for key in new])
    return new


def on_reports_changed(sender, reports, **kwargs) -> None:
    mark_stale({r.period_id for r in reports}, parents_of(reports))


def on_period_changed(sender, period, **kwargs) -> None:
    refresh([period.id])


def on_units_changed(sender, parent_paths=None, **kwargs) -> None:
    """Attributes of units changed (their parents in today's tree given), or the tree changed
    (None: all). The "then" rows of those units are under their parents of each period."""
    if parent_paths is None:
        refresh(None, None)
        return
    below = Q()
    for path in parent_paths:
        below |= Q(unit__path__under=path, unit__depth=len(path) // Unit.steplen + 1)
    then = {path[:-LINK_STEP] for path in UnitLink.objects.filter(below).values_list("path", flat=True)}
    refresh(None, {placement.NOW: set(parent_paths), placement.THEN: then})


@job()
def refresh_marked(marks: list) -> str:
    """The job worker's recount of marked parents ([view, period id, parent path] each, queued by
    mark_stale), each in a transaction of its own, then the removal of its mark — unless more
    changes were asked while it recounted (a submission that committed meanwhile may not be in
    this count): then the mark stays and one job is queued again for those. Safe to run twice: a
    parent no longer marked is left as it is."""
    rows, again = 0, []
    for view, period_id, parent_path in marks:
        marked = PendingRefresh.objects.filter(view=view, period_id=period_id, parent_path=parent_path)
        requests = marked.values_list("requests", flat=True).first()
        if requests is None:
            continue
        with transaction.atomic():
            rows += refresh([period_id], {view: {parent_path}})
            # On PostgreSQL this waits for a submission still holding the mark's row, then sees its count.
            done, _ = marked.filter(requests=requests).delete()
        if not done:
            again.append([view, period_id, parent_path])
    if again:
        refresh_marked.enqueue(again)
        return f"{rows} rows; {len(again)} changed meanwhile, queued again"
    return f"{rows} rows"
