"""Rolled-up data values: what the engine reads instead of scanning every value.

One row per (view, period, data element, parent unit, unit attributes, counted-as) adds up the
values of every unit directly below that parent with those attributes. The engine's filters
(kind, ownership, enterprise, large enterprise) are columns here, so a province's targets
sum a few thousand rows instead of millions of values (Zulip's analytics keeps counts the
same way). Rows are refreshed by indicators.rollups when reports or units change.
"""

from django.db import models

from programs.models import DataElement
from reporting.models import Period


class Rollup(models.Model):
    class CountedAs(models.TextChoices):
        APPROVED = "approved"  # approved or locked reports
        SUBMITTED = "submitted"  # submitted, not yet approved

    # Which view of a changing hierarchy the row adds up for (units.placement): "then" rows are
    # keyed by the parent's path in the period's own tree (UnitLink.path), "now" rows by the
    # parent's path in today's tree (Unit.path).
    view = models.CharField(max_length=4, default="then")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    # The path of the reporting units' parent ("" for the root unit itself).
    parent_path = models.CharField(max_length=255)
    kind = models.CharField(max_length=20)
    ownership = models.CharField(max_length=20, blank=True)
    large_enterprise = models.BooleanField(default=False)
    counted_as = models.CharField(max_length=10, choices=CountedAs.choices)
    values = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    yes = models.PositiveIntegerField(default=0)
    class_a = models.PositiveIntegerField(default=0)
    class_b = models.PositiveIntegerField(default=0)
    class_c = models.PositiveIntegerField(default=0)
    class_d = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["period", "parent_path"]), models.Index(fields=["view", "period"])]
        # A recount that ever ran twice side by side would fail here instead of counting twice.
        constraints = [models.UniqueConstraint(
            fields=["view", "period", "element", "parent_path", "kind", "ownership", "large_enterprise", "counted_as"],
            name="rollup_unique_key",
        )]

    def __str__(self) -> str:
        return f"{self.view}/{self.period_id}/{self.element_id}/{self.parent_path}/{self.kind}"


class ReportRollup(models.Model):
    """The counted reports, rolled up as Rollup rolls up their values: one row per (view, period,
    parent unit, unit attributes, counted-as) with the number of counted reports of the units
    directly below that parent. A ratio's coverage is taken over them (indicators.engine), so a
    province's count reads a few hundred rows instead of every report of every year. Refreshed
    with the Rollup rows of the same periods and parents (indicators.rollups)."""

    view = models.CharField(max_length=4, default="then")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    parent_path = models.CharField(max_length=255)
    kind = models.CharField(max_length=20)
    ownership = models.CharField(max_length=20, blank=True)
    large_enterprise = models.BooleanField(default=False)
    counted_as = models.CharField(max_length=10, choices=Rollup.CountedAs.choices)
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["period", "parent_path"]), models.Index(fields=["view", "period"])]
        constraints = [models.UniqueConstraint(
            fields=["view", "period", "parent_path", "kind", "ownership", "large_enterprise", "counted_as"],
            name="report_rollup_unique_key",
        )]

    def __str__(self) -> str:
        return f"{self.view}/{self.period_id}/{self.parent_path}/{self.kind}: {self.reports}"


class PendingRefresh(models.Model):
    """A parent's rolled-up values wait for a recount by the job worker (indicators.rollups.refresh_marked).

    A submission (or an approval, a return …) marks the parents its report's values stand
    under, in each view, instead of recounting them in its own transaction: one row per
    (view, period, parent) however many reports of that parent changed, and one job queued when
    the row is new. `requests` counts the changes asked since the row was written: the job
    removes the row only if no change came while it recounted, and otherwise runs again."""

    view = models.CharField(max_length=4)
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    parent_path = models.CharField(max_length=255)
    requests = models.PositiveIntegerField(default=1)
    asked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["view", "period", "parent_path"],
                                               name="pending_refresh_unique_key")]

    def __str__(self) -> str:
        return f"{self.view}/{self.period_id}/{self.parent_path} ×{self.requests}"
