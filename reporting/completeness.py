"""Who was expected to report, who did, on time or late, and who did not — for a period
and a subtree, counted in the database (a few grouped queries, whatever the tree's size).

A unit is expected for a period only if it existed during it (validity dates) and its kind
has something to report for the program, so a unit opened or closed mid-term never pushes
completeness above 100% nor counts as missing for a year it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from reporting.elements import kinds_reporting
from reporting.models import Period, Report
from units.models import Unit, UnitQuerySet


def expected_reporters(period: Period, root: Unit) -> UnitQuerySet:
    """Units of the subtree that existed during the period and have something to report in it
    (plans.status.units_owing_plan is the other "expected": the units a plan deadline binds)."""
    return (
        Unit.objects.subtree(root)
        .valid_during(period.starts_on, period.ends_on)
        .filter(kind__in=kinds_reporting(period.program))
    )


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
    """Expected / submitted / on time / approved, grouped by an expression over Unit."""
    sent = Q(reports__period=period, reports__status__in=Report.SENT)
    on_time = sent & Q(reports__submitted_at__date__lte=period.due_on)
    approved = Q(reports__period=period, reports__status__in=(Report.Status.APPROVED, Report.Status.LOCKED))
    rows = units.order_by()
    if group_by is not None:
        rows = rows.annotate(group=group_by).values("group")
    rows = rows.annotate(
        n_expected=Count("id", distinct=True),
        n_submitted=Count("id", filter=sent, distinct=True),
        n_on_time=Count("id", filter=on_time, distinct=True),
        n_approved=Count("id", filter=approved, distinct=True),
    ) if group_by is not None else [rows.aggregate(
        n_expected=Count("id", distinct=True),
        n_submitted=Count("id", filter=sent, distinct=True),
        n_on_time=Count("id", filter=on_time, distinct=True),
        n_approved=Count("id", filter=approved, distinct=True),
    )]
    return {
        row.get("group"): Completeness(row["n_expected"], row["n_submitted"], row["n_on_time"], row["n_approved"])
        for row in rows
    }


def completeness(period: Period, root: Unit) -> CompletenessReport:
    """Totals for the subtree, and the same per child of `root` (each child's own subtree)."""
    units = expected_reporters(period, root)
    total = _counts(period, units).get(None, Completeness())
    by_prefix = _counts(period, units.filter(depth__gt=root.depth), root.child_path_expression())
    children = Unit.objects.filter(path__in=list(by_prefix)).order_by("kind", "name")
    return CompletenessReport(total, [(child, by_prefix[child.path]) for child in children])


def missing_units(period: Period, root: Unit) -> UnitQuerySet:
    """Expected units of the subtree with no submitted report, with their contacts."""
    # NOT EXISTS rather than NOT IN (subquery): planners handle it well at 100,000s of rows.
    sent = Report.objects.filter(period=period, unit=OuterRef("pk"), status__in=Report.SENT)
    return expected_reporters(period, root).exclude(Exists(sent)).order_by("path")
