"""Who issued their implementation plan on time, late or not at all, per program deadline.

For each deadline of the program, the units expected to have a plan are the units of the
subtree whose kind the deadline applies to (`upper_union` spelled out: Deadline.kinds) and that
existed on the due date. A unit's current plan is its newest upload (as
`ImplementationPlan.Meta.ordering` says); the unit is on time when that plan was issued on or
before the due date, late when issued after it, missing when it has no plan. Everything is
counted in the database: one grouped query per deadline (plus one for the children's names),
whatever the size of the tree; each unit's current plan is one index lookup on (program, unit).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from plans.models import ImplementationPlan
from programs.models import Deadline, Program
from units import compiled
from units.models import Unit, UnitQuerySet

PLANS_PER_PAGE = 50  # rows a page of the status list (plans/lists.py)

# Statuses of a unit for a deadline, and the lists the status page shows.
ON_TIME = "on_time"
LATE = "late"
MISSING = "missing"
NOT_ON_TIME = "not_on_time"  # late or missing: whom to call
LISTS = (NOT_ON_TIME, LATE, MISSING, ON_TIME)


def deadline_for(program: Program, unit: Unit) -> Deadline | None:
    """The program deadline that applies to the unit's kind (None for, e.g., the province)."""
    return next((d for d in program.deadlines.all() if unit.kind in d.kinds), None)


def unit_plans(program: Program, unit: Unit) -> QuerySet[ImplementationPlan]:
    """The unit's plans for the program, newest (= current) first."""
    return ImplementationPlan.objects.filter(program=program, unit=unit).select_related("uploaded_by", "deadline")


def current_plan(program: Program) -> QuerySet[ImplementationPlan]:
    """The current (newest) plan of the unit OuterRef("pk"), for a Subquery over units:
    an index lookup on (program, unit) per unit, which no planner can turn into a rescan."""
    return ImplementationPlan.objects.filter(program=program, unit=OuterRef("pk")).order_by("-uploaded_at", "-id")


def units_owing_plan(deadline: Deadline, root: Unit) -> UnitQuerySet:
    """Units of the subtree the deadline applies to that existed on its due date."""
    return Unit.objects.subtree(root).valid_during(deadline.due, deadline.due).filter(kind__in=deadline.kinds)


# The state of a unit for a deadline, as the database computes it.
_MISSING, _ON_TIME, _LATE = 0, 1, 2
_STATE_NAMES = {_MISSING: MISSING, _ON_TIME: ON_TIME, _LATE: LATE}


def state_name(plan_state: int) -> str:
    """ON_TIME, LATE or MISSING for the `plan_state` that units_with_status annotates."""
    return _STATE_NAMES[plan_state]


def _plan_state(deadline: Deadline):
    """_ON_TIME, _LATE or _MISSING for the unit OuterRef("pk"): one subquery, referenced once."""
    state = Case(When(issued_on__lte=deadline.due, then=Value(_ON_TIME)), default=Value(_LATE))
    newest = current_plan(deadline.program).annotate(state=state).values("state")[:1]
    return Coalesce(Subquery(newest, output_field=IntegerField()), Value(_MISSING))


@dataclass
class PlanCounts:
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def missing(self) -> int:
        return self.expected - self.submitted

    def _percent(self, n: int) -> float | None:
        return 100 * n / self.expected if self.expected else None

    @property
    def on_time_percent(self) -> float | None:
        return self._percent(self.on_time)

    @property
    def late_percent(self) -> float | None:
        return self._percent(self.late)

    @property
    def missing_percent(self) -> float | None:
        return self._percent(self.missing)

    @property
    def submitted_percent(self) -> float | None:
        return self._percent(self.submitted)

    def __add__(self, other: PlanCounts) -> PlanCounts:
        return PlanCounts(self.expected + other.expected, self.on_time + other.on_time, self.late + other.late)


@dataclass
class DeadlineStatus:
    deadline: Deadline
    total: PlanCounts
    # Per child of the root (each child's own subtree), children with no expected unit left out.
    by_child: list[tuple[Unit, PlanCounts]] = field(default_factory=list)
    # The root's own status (ON_TIME, LATE, MISSING) when the deadline applies to it, else None.
    own: str | None = None


def grouped_counts(deadline: Deadline, root: Unit) -> dict[str, PlanCounts]:
    """Counts in one grouped query, keyed by path prefix: each child of `root` (its whole
    subtree) under the child's path, and `root` itself under its own (shorter) path. The
    plan pages and the deadline targets (indicators.engine, `plans_on_time`) both read it.
    Compiled once per deadline and depth, and run for every later root (units.compiled)."""

    def counts(paths: list[str]):
        at = Unit(path=paths[0], depth=root.depth)
        return (
            units_owing_plan(deadline, at)
            .order_by()  # the manager's default path order would split the groups
            .annotate(group=at.child_path_expression(), state=_plan_state(deadline))
            .values("group", "state")
            .annotate(n=Count("id"))
        )

    # What the SQL reads besides the root's path: the deadline's program, date and kinds, the depth.
    key = ("plans", deadline.program_id, deadline.due, tuple(deadline.kinds), root.depth, len(root.path))
    rows = compiled.rows(key, [root.path], counts)
    groups: dict[str, PlanCounts] = {}
    for row in rows:  # at most 3 rows per child
        counts = groups.setdefault(row["group"], PlanCounts())
        counts.expected += row["n"]
        if row["state"] == _ON_TIME:
            counts.on_time += row["n"]
        elif row["state"] == _LATE:
            counts.late += row["n"]
    return groups


def unit_status(deadline: Deadline, unit: Unit) -> str | None:
    """ON_TIME, LATE or MISSING for one unit, or None if the deadline does not apply to it."""
    if unit.kind not in deadline.kinds or not unit.is_valid_on(deadline.due):
        return None
    plan = ImplementationPlan.objects.filter(program_id=deadline.program_id, unit=unit).first()
    if plan is None:
        return MISSING
    return ON_TIME if plan.issued_on <= deadline.due else LATE


def deadline_status(deadline: Deadline, root: Unit) -> DeadlineStatus:
    """Totals for the subtree, the same per child of `root`, and the root's own status:
    one grouped query, and one more to fetch the children that have expected units."""
    groups = grouped_counts(deadline, root)
    own = groups.pop(root.path, None)
    total = sum(groups.values(), own or PlanCounts())
    children = Unit.objects.filter(path__in=list(groups)).order_by("kind", "name") if groups else []
    own_status = None if own is None else ON_TIME if own.on_time else LATE if own.late else MISSING
    return DeadlineStatus(deadline, total, [(child, groups[child.path]) for child in children], own_status)


def plan_status(program: Program, root: Unit) -> list[DeadlineStatus]:
    """One DeadlineStatus per deadline of the program, in due-date order."""
    return [deadline_status(deadline, root) for deadline in program.deadlines.all()]


def units_with_status(deadline: Deadline, root: Unit, which: str) -> UnitQuerySet:
    """Expected units of the subtree in one list (ON_TIME, LATE, MISSING or NOT_ON_TIME),
    in tree order, each with its current plan's issue date and number (None when missing)."""
    states = {ON_TIME: [_ON_TIME], LATE: [_LATE], MISSING: [_MISSING], NOT_ON_TIME: [_MISSING, _LATE]}
    if which not in states:
        raise ValueError(f"unknown list {which!r}")
    newest = current_plan(deadline.program)
    units = (
        units_owing_plan(deadline, root)
        .annotate(plan_state=_plan_state(deadline))  # one subquery per unit, in WHERE
        .filter(plan_state__in=states[which])
        .annotate(  # only for the rows shown (a count leaves them out)
            plan_issued_on=Subquery(newest.values("issued_on")[:1]),
            plan_number=Subquery(newest.values("document_number")[:1]),
        )
    )
    return units.order_by("path")
