"""Who was expected to report, who did, on time or late, and who did not — for a period
and a subtree, counted in the database (a few grouped queries, whatever the tree's size).

A unit is expected for a period only if it counts in it (units.placement: it existed during
it, and no reorganisation closed it before the period's last day — a merged, split or dissolved
unit's successor reports for what it took over) and its kind has something to report for the
program, so a unit opened or closed mid-term never pushes completeness above 100% nor counts as
missing for a year it did not exist, and no report is counted twice. The subtree is the tree of
the period's last day ("as it was", the default) or today's tree ("as it is now").
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass, field

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.db.models.functions import Substr

from reporting.elements import kinds_reporting, programs_asking
from reporting.models import Period, Report
from tiendo.days import day_start
from units import placement
from units.models import Unit, UnitQuerySet


def _root_path(period: Period, root: Unit, view: str) -> str | None:
    return placement.root_paths(view, root, [period]).get(period.id)


def expected_reporters(period: Period, root: Unit | None = None, view: str = placement.THEN,
                       root_path: str | None = None) -> UnitQuerySet:
    """Units of the subtree (None: the whole tree) that count in the period and have something
    to report in it (plans.status.units_owing_plan is the other "expected": the units a plan
    deadline binds). THEN annotates nothing; NOW annotates `now` (the place today)."""
    asked = _asked(period, view)
    if asked is None:
        return Unit.objects.none()
    if view == placement.NOW:
        units = Unit.objects.filter(placement.counts_in("", period.starts_on, period.ends_on))
        units = units.annotate(now=placement.now_path()).filter(now__isnull=False).filter(asked)
        return units.filter(now__under=root.path) if root is not None else units
    where = placement.then_link("", period.starts_on, period.ends_on)
    if root is not None:
        path = root_path or _root_path(period, root, view)  # its dated links: one query
        if path is None:
            return Unit.objects.none()
        where &= Q(links__path__under=path)
    return Unit.objects.filter(where & asked)  # one filter(): one join to the links


def _asked(period: Period, view: str) -> Q | None:
    """Units some program asking in the period asks: of a kind it asks, in its issuer's subtree
    (in the view's tree). None: no program asks anybody."""
    scopes = []
    for program in programs_asking(period):
        kinds = kinds_reporting(program)
        if not kinds:
            continue
        scope = Q(kind__in=kinds)
        if program.issuer_unit_id is not None:
            if view == placement.NOW:
                scope &= Q(now__under=program.issuer_unit.path)
            else:
                issuer_path = _root_path(period, program.issuer_unit, view)
                if issuer_path is None:
                    continue
                scope &= Q(links__path__under=issuer_path)
        scopes.append(scope)
    return functools.reduce(operator.or_, scopes) if scopes else None


def expected_count(period: Period, view: str = placement.THEN) -> int:
    """How many units the whole tree expects for the period."""
    return expected_reporters(period, None, view).count()


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    approved: int = 0

    @property
    def late(self) -> int:
        return self.submitted - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    @property
    def percent(self) -> float | None:
        return 100 * self.submitted / self.expected if self.expected else None

    @property
    def on_time_percent(self) -> float | None:
        return 100 * self.on_time / self.expected if self.expected else None


@dataclass
class CompletenessReport:
    total: Completeness
    by_child: list[tuple[Unit, Completeness]] = field(default_factory=list)


def _counts(period: Period, units: UnitQuerySet, group_by=None) -> dict:
    """Expected / submitted / on time / approved, grouped by an expression over Unit. Each unit
    is joined to its report of the period alone (one at most: report_unique_per_unit) and,
    in THEN, to its one link of the period: one row per unit, plain COUNTs."""
    rows = units.order_by().annotate(period_report=FilteredRelation("reports", condition=Q(reports__period=period)))
    sent = Q(period_report__status__in=Report.SENT)
    # Sent on or before the due day (submitted_at__date__lte, without a date cast of every report).
    on_time = sent & Q(period_report__submitted_at__lt=day_start(period.due_on + datetime.timedelta(days=1)))
    approved = Q(period_report__status__in=(Report.Status.APPROVED, Report.Status.LOCKED))
    counts = {
        "n_expected": Count("id"),
        "n_submitted": Count("id", filter=sent),
        "n_on_time": Count("id", filter=on_time),
        "n_approved": Count("id", filter=approved),
    }
    if group_by is not None:
        rows = rows.annotate(group=group_by).values("group").annotate(**counts)
    else:
        rows = [rows.aggregate(**counts)]
    return {
        row.get("group"): Completeness(row["n_expected"], row["n_submitted"], row["n_on_time"], row["n_approved"])
        for row in rows
    }


def completeness(period: Period, root: Unit, view: str = placement.THEN) -> CompletenessReport:
    """Totals for the subtree, and the same per child of `root` (each child's own subtree, in
    the view's tree: the children of the period's last day, or of today)."""
    path = _root_path(period, root, view) if view == placement.THEN else root.path
    units = expected_reporters(period, root, view, path)
    # One query grouped by the child a unit lies under: the root's own row groups under its
    # own path (a prefix of that length is the whole path), every other unit under its child's.
    if view == placement.NOW:
        child = Substr("now", 1, len(root.path) + Unit.steplen)
    else:
        path = path or ""
        child = Substr("links__path", 1, len(path) + placement.step(view))
    groups = _counts(period, units, child)
    total = Completeness()
    for counts in groups.values():
        total = Completeness(total.expected + counts.expected, total.submitted + counts.submitted,
                             total.on_time + counts.on_time, total.approved + counts.approved)
    by_prefix = {prefix: counts for prefix, counts in groups.items() if prefix != path}
    keys = {placement.child_id(view, prefix): prefix for prefix in by_prefix}
    field = "pk" if view == placement.THEN else "path"
    children = Unit.objects.filter(**{f"{field}__in": list(keys)}).order_by("kind", "name")
    return CompletenessReport(total, [(child, by_prefix[keys[getattr(child, field)]]) for child in children])


def missing_units(period: Period, root: Unit, view: str = placement.THEN) -> UnitQuerySet:
    """Expected units of the subtree with no submitted report, with their contacts."""
    # NOT EXISTS rather than NOT IN (subquery): planners handle it well at 100,000s of rows.
    sent = Report.objects.filter(period=period, unit=OuterRef("pk"), status__in=Report.SENT)
    return expected_reporters(period, root, view).exclude(Exists(sent)).order_by("path")
