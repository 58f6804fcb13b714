"""The approver's queue: the submitted reports waiting for this user's decision, oldest
submission first, and what the approver wants to see of each before opening it — how the main
figures moved against last year and what the validation flagged.

Who decides on which unit is accounts.permissions' (units_decided_by, the query form of
can_approve_for: today's parent); the second-person rule is reporting.history's
(entering_steps, the query behind was_entered_by). The details of a page of rows are read in a
fixed number of queries, whatever the number of reports (the values of the reports and of
last year's, the programs' elements and rules once).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.permissions import units_decided_by
from reporting.elements import elements_for, rules_for
from reporting.history import entering_steps
from reporting.models import DataValue, Period, Report, stored_to_value
from reporting.validation import Finding, check_values

# How many of a unit's count elements (in the program's order: workers, members, officers …)
# a queue row compares with last year.
MAIN_FIGURES = 3


def waiting_reports(user) -> QuerySet[Report]:
    """The submitted reports the user decides on and that may still be decided (open period, or
    reopened), oldest submission first; `entered_by_user` marks those the user typed into or
    submitted, which someone else must approve."""
    if not user.is_authenticated:
        return Report.objects.none()
    return (
        Report.objects.filter(status=Report.Status.SUBMITTED, unit__in=units_decided_by(user))
        .filter(Q(period__status=Period.Status.OPEN) | Q(late_allowed=True))
        .annotate(entered_by_user=Exists(entering_steps(user).filter(object_id=OuterRef("pk"))))
        .select_related("unit", "period")
        .order_by("submitted_at", "pk")
    )


def approvable_count(user) -> int:
    """How many waiting reports the user may approve (the landing page's count): the queue less
    the reports the user entered themselves."""
    return waiting_reports(user).filter(entered_by_user=False).count()


@dataclass(frozen=True)
class FigureChange:
    label: str
    before: int | None
    after: int | None

    @property
    def arrow(self) -> str:
        if self.before is None or self.after is None:
            return "·"
        return "↑" if self.after > self.before else "↓" if self.after < self.before else "="

    @property
    def difference(self) -> int | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Flag:
    """A validation finding as the queue shows it, with the unit's explanation if it gave one."""

    finding: Finding
    label: str
    comment: str = ""


@dataclass
class Details:
    changes: list[FigureChange] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _values_by_report(report_ids) -> tuple[dict[int, dict], dict[int, dict]]:
    values: dict[int, dict] = defaultdict(dict)
    comments: dict[int, dict] = defaultdict(dict)
    rows = DataValue.objects.filter(report_id__in=list(report_ids)).values_list(
        "report_id", "element__code", "element__type", "number", "text", "comment")
    for report_id, code, kind, number, text, comment in rows:
        values[report_id][code] = stored_to_value(kind, number, text)
        if comment:
            comments[report_id][code] = comment
    return values, comments


def _last_year(reports: list[Report]) -> dict[int, dict]:
    """Each report's previous period's values of the same unit, keyed by report id: one query
    per distinct period for its predecessor, one for every value."""
    previous_of = {period.pk: period.previous() for period in {r.period for r in reports}}
    earlier = Report.objects.filter(
        period__in=[p for p in previous_of.values() if p], unit__in={r.unit_id for r in reports},
    ).values_list("pk", "period_id", "unit_id")
    earlier_id = {(period_id, unit_id): pk for pk, period_id, unit_id in earlier}
    values, _comments = _values_by_report(earlier_id.values())
    found = {}
    for report in reports:
        previous = previous_of[report.period_id]
        key = (previous.pk, report.unit_id) if previous else None
        found[report.pk] = values.get(earlier_id.get(key), {}) if key in earlier_id else {}
    return found


def details_of(reports: list[Report]) -> dict[int, Details]:
    """What each report's queue row shows, keyed by report id."""
    if not reports:
        return {}
    # One period object per period, so that its asking programs, their elements and rules are
    # read once for every report of it (reporting.elements keeps them on the object).
    periods = {r.period_id: r.period for r in reports}
    values, comments = _values_by_report(r.pk for r in reports)
    previous = _last_year(reports)
    result = {}
    for report in reports:
        period = periods[report.period_id]
        elements = elements_for(period, report.unit)  # the period's programs read once: no query per row
        labels = {e.code: e.label for e in elements}
        mine, last = values.get(report.pk, {}), previous[report.pk]
        counted = [e for e in elements if e.type == "count"][:MAIN_FIGURES]
        changes = [FigureChange(e.label, last.get(e.code), mine.get(e.code)) for e in counted]
        findings = check_values(elements, mine, rules_for(period), last)
        flags = [Flag(f, labels.get(f.element, f.element), comments.get(report.pk, {}).get(f.element, ""))
                 for f in findings]
        result[report.pk] = Details(changes, flags)
    return result
