"""One engine for every target of a program, DHIS2-style.

A target is numerator / denominator, each an expression over reported data values or over
units: the parsed objects of programs.definition (Sum, Count, CountClass, Units, PlansOnTime,
PlansExpected, each with its UnitFilter) that the rows hand out as `target.numerator_expr` and
`target.denominator_expr`. For a unit's subtree the engine computes every target, for
every reporting year at once, in a few grouped queries whatever the number of units, each
grouped by period (and by child unit for a breakdown) and by the unit attributes the filters
read (kind, ownership, large enterprise), whose rows Python adds up per expression and unit
filter (UnitFilter.matches, the in-memory twin of UnitFilter.q):

1. the data values of counted reports, per data element — read from the rolled-up values
   (indicators.models.Rollup) for the units below the root's children, and straight from
   the data values for the root itself or its children (one more query, a row per value);
2. the units of the subtree, grouped also by their dates (and "as it was" their links'), each
   row counted for the periods it counts in (units.placement's rule, in memory): the
   coverage's expected units;
3. the counted reports (the coverage's reporters, and the `units` of a yearly ratio: it is
   taken over the units that reported) — read, like the values, from their rollups
   (indicators.models.ReportRollup) below the root's children and straight from the reports
   for the root or its children (a row per report);
4. for a deadline target defined on the uploaded plans (`plans_on_time`, `plans_expected`),
   one grouped query per deadline — the very counts the plan pages show
   (plans.status.grouped_counts), so the two cannot disagree.

The queries of 1–3 (and 4's) are compiled once per process and shape of the root's paths, then
run as SQL for every root of that shape (Engine._grouped_rows, units.compiled).

Only then does Python combine a handful of numbers per target: the years a target adds up,
the ratio, the status. Missing reports are coverage, not zeros.

Two views of a changing hierarchy (units.placement): THEN, "as it was" (the default), adds
each period up over the tree valid on its last day, so a move or a merger never changes a
closed year; NOW, "as it is now", carries every period onto today's tree through the
succession records, so a series stays comparable. The number of queries is the same in both,
whatever the number of units and of changes (the root's dated links are one more query).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Length, Substr
from django.utils import timezone

from indicators import status as rules
from indicators.models import ReportRollup, Rollup
from indicators.rollups import counted_reports
from plans.status import PlanCounts, grouped_counts
from programs.definition import QUALITY_CLASSES, PlansOnTime, UnitFilter, Units
from programs.definition import Count as CountOf
from programs.definition import Sum as SumOf
from programs.models import Program, Target
from reporting.models import Period, Report
from units import compiled, placement
from units.models import Unit, UnitLink

LOW_COVERAGE = Decimal("0.8")
HUNDRED = Decimal(100)
TOTAL = "total"  # the group key of a whole subtree (as opposed to one child's)


@dataclass
class Result:
    target: Target
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    reported: int
    expected: int
    status: str = rules.NO_DATA
    projected: Decimal | None = None
    # For a province-wide target (scope: program) seen from a subtree: the subtree's share of
    # the province's figure, in percent; its status is then CONTRIBUTION, not a verdict.
    share: Decimal | None = None
    # Counted on the uploaded plans (T01/T02): `reported` is the units that uploaded a plan at
    # all; a missing plan is a "not done", not missing data, so the coverage is never "low".
    counts_plans: bool = False

    @property
    def coverage(self) -> Decimal | None:
        return Decimal(self.reported) / self.expected if self.expected else None

    @property
    def low_coverage(self) -> bool:
        return not self.counts_plans and self.coverage is not None and self.coverage < LOW_COVERAGE

    @property
    def progress(self) -> Decimal | None:
        """How far the value has come towards the target, as a percentage (capped at 100)."""
        if self.status == rules.CONTRIBUTION:  # no target of its own: how much of the province's figure
            return None if self.share is None else min(HUNDRED, self.share.quantize(Decimal("0.1")))
        if self.value is None or not self.target.value:
            return None
        return min(HUNDRED, (self.value / self.target.value * HUNDRED).quantize(Decimal("0.1")))

    def as_dict(self) -> dict:
        def plain(number):
            return None if number is None else float(number)

        return {
            "code": self.target.code, "year": self.year, "value": plain(self.value),
            "numerator": plain(self.numerator), "denominator": plain(self.denominator),
            "target": plain(self.target.value), "comparison": self.target.comparison, "unit": self.target.unit,
            "status": self.status, "projected": plain(self.projected), "share": plain(self.share),
            "coverage": plain(self.coverage), "reported": self.reported, "expected": self.expected,
            "low_coverage": self.low_coverage,
        }


def _key(parsed) -> str:
    """A stable key of a parsed expression or unit filter: its JSON, every field spelled out
    (the objects are frozen but hold lists, so they are not hashable themselves)."""
    return parsed.model_dump_json()


@dataclass(frozen=True)
class _Side:
    """A target's numerator or denominator, parsed once per plan, with its key."""

    expression: object  # programs.definition: Sum, Count, CountClass, Units, PlansOnTime, PlansExpected
    key: str


@dataclass(frozen=True)
class _Terms:
    """What the results of one target read from the queries."""

    numerator: _Side
    denominator: _Side | None
    coverage_key: str

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Every key its results read of the values, units and reporters."""
        sides = (self.numerator, self.denominator) if self.denominator else (self.numerator,)
        return tuple(dict.fromkeys([*(side.key for side in sides), self.coverage_key]))

    @cached_property
    def deadlines(self) -> tuple:
        """The deadlines whose plans its results read."""
        return tuple({side.expression.deadline for side in (self.numerator, self.denominator) if side} - {None})


@dataclass
class _QueryPlan:
    """What the three queries must aggregate for a set of targets, and how their grouped rows
    are matched to the expressions (made once per engine and set of targets)."""

    value_expressions: dict = field(default_factory=dict)  # key -> Sum / Count / CountClass
    unit_filters: dict[str, UnitFilter] = field(default_factory=dict)  # key -> filter
    deadlines: set[str] = field(default_factory=set)  # codes of the deadlines whose plans are counted
    terms: dict[str, _Terms] = field(default_factory=dict)  # target code -> its parsed sides
    # element id -> [(expression key, its filter's key, what it adds up: "total", "yes" or the classes)]
    by_element: dict[int, list] = field(default_factory=lambda: defaultdict(list))
    filters: dict[str, UnitFilter] = field(default_factory=dict)  # key -> every filter, values' and units'
    _matches: dict = field(default_factory=dict)
    _expressions: dict = field(default_factory=dict)
    _unit_keys: dict = field(default_factory=dict)

    def expressions_of(self, element_id: int, attributes: tuple) -> list[tuple]:
        """(expression key, what it adds up) of the element's expressions whose filter units of
        these attributes pass, remembered (a few per element, asked for every row)."""
        known = self._expressions.get((element_id, attributes))
        if known is None:
            known = self._expressions[(element_id, attributes)] = [
                (key, measure) for key, where_key, measure in self.by_element.get(element_id, ())
                if self.matches(where_key, attributes)]
        return known

    def measures(self) -> tuple[str, ...]:
        """The columns its expressions add up, of "total_", "yes_" and "class_x_" (a target
        counting agreements reads no sum, nor any class)."""
        needed = set()
        for expressions in self.by_element.values():
            for _key, _where, measure in expressions:
                needed |= {f"{measure}_"} if isinstance(measure, str) else {f"class_{c.lower()}_" for c in measure}
        return tuple(sorted(needed))

    def unit_keys_of(self, attributes: tuple) -> tuple[str, ...]:
        """The keys of the unit filters that units of these attributes pass, remembered (a
        handful of attributes, asked for every grouped row of units and reporters)."""
        known = self._unit_keys.get(attributes)
        if known is None:
            known = self._unit_keys[attributes] = tuple(
                key for key in self.unit_filters if self.matches(key, attributes))
        return known

    def matches(self, filter_key: str, attributes: tuple) -> bool:
        """Whether units of these attributes (kind, ownership, large enterprise) pass the filter
        (UnitFilter.matches: the same rule as UnitFilter.q, in memory), remembered."""
        known = self._matches.get((filter_key, attributes))
        if known is None:
            kind, ownership, large = attributes
            known = self.filters[filter_key].matches(
                _UnitAttributes(kind, ownership or "", bool(large)))
            self._matches[(filter_key, attributes)] = known
        return known


@dataclass(frozen=True)
class _Reading:
    """The periods one target reads when looking at one year (Engine._reading)."""

    periods: tuple  # ids of the periods whose values it adds up
    last_period: int | None  # the last of its years' period (a units side counts there)
    anchor_period: int | None  # the period its coverage is judged on
    cumulative: bool  # a term total (its units side counts the units that exist, not the reporters)


@dataclass(frozen=True)
class _UnitAttributes:
    kind: str
    ownership: str
    large_enterprise: bool


def _one_if(condition: Q) -> Case:
    """1 for a row that meets the condition, else 0: a row's share of a conditional count."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _counts_in(valid_from, valid_to, closed_in_reorganisation, starts, ends) -> bool:
    """units.placement.counts_in, for one unit's dates in memory."""
    return (valid_from <= ends and (valid_to is None or valid_to >= starts)
            and (not closed_in_reorganisation or valid_to is None or valid_to >= ends))


def _valid_on(valid_from, valid_to, day) -> bool:
    """units.placement.link_valid_on, for one link's dates in memory."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or valid_to >= day)


class Engine:
    def __init__(self, program: Program, include_submitted: bool = False, view: str = placement.THEN):
        if view not in placement.VIEWS:
            raise ValueError(f"view must be one of {placement.VIEWS}")
        self.program = program
        self.view = view
        self.include_submitted = include_submitted
        self.statuses = (Report.Status.APPROVED, Report.Status.LOCKED) + (
            (Report.Status.SUBMITTED,) if include_submitted else ())
        self.counted_as = (Rollup.CountedAs.APPROVED,) + ((Rollup.CountedAs.SUBMITTED,) if include_submitted else ())
        self.targets = list(program.targets.select_related("section"))
        # Periods are the calendar's: the program reads the yearly ones of its reporting years.
        self.periods = {p.year: p for p in Period.objects.filter(
            kind=Period.Kind.YEAR, half=0, year__in=list(program.reporting_years))}
        self.element_ids = dict(program.data_elements.values_list("code", "id"))
        self.deadlines = {d.code: d for d in program.deadlines.all()}
        self._plans_made: dict[tuple, _QueryPlan] = {}
        self._readings: dict[tuple, _Reading] = {}
        self._wholes: dict[tuple, dict[str, dict[int, Result]]] = {}
        self._root_paths: dict[int, dict[int, str]] = {}
        self._units_below: dict[tuple, tuple] = {}  # the last breakdown's _units rows, by its root's paths

    # --- which years a target reads ------------------------------------------------------

    def anchor_year(self, target: Target, year: int) -> int:
        """The year whose situation the target is judged on when looking at `year`."""
        return target.deadline.year if target.period == Target.Horizon.DEADLINE else year

    def value_years(self, target: Target, year: int) -> list[int]:
        anchor = self.anchor_year(target, year)
        if target.period == Target.Horizon.TERM and target.accumulate == "sum":
            return [y for y in self.program.reporting_years if y <= anchor]
        return [anchor]

    def coverage_filter(self, target: Target) -> UnitFilter:
        """The units whose reports the target reads: the numerator's filter, of the target's
        unit kinds unless the filter names kinds itself."""
        where = target.numerator_expr.where
        if "kind" in where.model_fields_set:
            return where
        return UnitFilter.parse({**where.as_data(), "kind": target.applies_to})

    # --- the three queries ---------------------------------------------------------------

    def _plan(self, targets) -> _QueryPlan:
        """The plan of these targets, made once per engine (an engine reads its program's
        targets when it is made: a changed program is read by the next engine)."""
        codes = tuple(target.code for target in targets)
        plan = self._plans_made.get(codes)
        if plan is None:
            plan = self._plans_made[codes] = self._make_plan(targets)
        return plan

    def _make_plan(self, targets) -> _QueryPlan:
        plan = _QueryPlan()
        for target in targets:
            sides = []
            for expression in (target.numerator_expr, target.denominator_expr):
                if expression is None:
                    sides.append(None)
                    continue
                if expression.deadline is not None:
                    plan.deadlines.add(expression.deadline)
                    side = _Side(expression, "")
                elif isinstance(expression, Units):
                    side = _Side(expression, _key(expression.where))
                    plan.unit_filters[side.key] = expression.where
                else:
                    side = _Side(expression, _key(expression))
                    if side.key not in plan.value_expressions:
                        plan.value_expressions[side.key] = expression
                        where_key = _key(expression.where)
                        plan.filters[where_key] = expression.where
                        measure = ("total" if isinstance(expression, SumOf) else "yes" if isinstance(
                            expression, CountOf) else tuple(expression.classes))
                        plan.by_element[self.element_ids[expression.element]].append(
                            (side.key, where_key, measure))
                sides.append(side)
            coverage = self.coverage_filter(target)
            coverage_key = _key(coverage)
            plan.unit_filters[coverage_key] = coverage
            plan.terms[target.code] = _Terms(sides[0], sides[1], coverage_key)
        plan.filters.update(plan.unit_filters)
        return plan

    def _grouped_rows(self, plan: _QueryPlan, name: str, roots: _Roots, by_child: bool, build):
        """One query (grouped, or a row per value or report: _grouped_queryset): its columns
        ({name: position}) and its (group, row) pairs, the group being TOTAL or the child of the
        root the row lies under. `build(roots)` gives (queryset, fields, aggregates, child),
        `child` an SQL expression naming that child (a path prefix) when by_child.

        The query is compiled once per process and run as SQL for every later root of the same
        shape (units.compiled: ORM query building, not SQL, was most of the engine's time). Its
        key is what the SQL reads besides the root's paths: the view, the reports counted, the
        plan's data elements, the shape of the roots (which periods, the length of the root's
        path in each, which periods share a path) and today's date (the view's rules read it)."""
        key = ("engine", name, by_child, self.view, self.statuses, self.counted_as, tuple(plan.by_element),
               roots.shape(), timezone.localdate())
        names, rows = compiled.table(key, roots.all_paths(),
                                     lambda paths: self._grouped_queryset(build, roots.with_paths(paths), by_child))
        columns = {column: i for i, column in enumerate(names)}
        if not by_child:
            return columns, [(TOTAL, row) for row in rows]
        child, view, child_id = columns["child"], self.view, placement.child_id
        return columns, [(child_id(view, row[child]), row) for row in rows]

    @staticmethod
    def _grouped_queryset(build, roots: _Roots, by_child: bool):
        """`build`'s rows grouped by its fields (and the child), its aggregates added up per
        group; or, when it gives per-row expressions instead of aggregates (the root's or its
        children's own values and reports: one data value or report per group, as each child is
        one unit), its rows as they are, the expressions beside the fields: no GROUP BY to sort."""
        queryset, fields, aggregates, child = build(roots)
        fields = list(fields)
        if by_child:
            queryset = queryset.annotate(child=child)
            fields.append("child")
        queryset = queryset.order_by()
        if any(getattr(expression, "contains_aggregate", False) for expression in aggregates.values()):
            return queryset.values(*fields).annotate(**aggregates)
        return queryset.values(*fields, **aggregates)

    def _add_values(self, result, plan: _QueryPlan, grouped, period_field: str, element_field: str, unit: str):
        """Add grouped rows (one per period, element and unit attributes: kind, ownership, large
        enterprise) into {group: {period_id: {expression key: number}}}, each row to every
        expression of its element whose filter its attributes match."""
        columns, rows = grouped
        period, element = columns[period_field], columns[element_field]
        # A query may leave out the columns no expression of the plan adds up (_own).
        total, yes = columns.get("total_"), columns.get("yes_")
        kind, ownership, large = (columns[f"{unit}{name}"] for name in ("kind", "ownership", "large_enterprise"))
        classes = {c: columns.get(f"class_{c.lower()}_") for c in QUALITY_CLASSES}
        for group, row in rows:
            if row[element] is None:  # a report with none of the plan's values (_own)
                continue
            slot = result[group][row[period]]
            for key, measure in plan.expressions_of(row[element], (row[kind], row[ownership], row[large])):
                if measure == "total":
                    value = row[total]
                elif measure == "yes":
                    value = row[yes]
                else:  # the classes counted
                    value = sum(row[classes[c]] for c in measure)
                if value is not None:
                    slot[key] = (slot.get(key) or 0) + value

    # Where the root stands in each period's tree of the view (units.placement): the queries
    # below take each period's rows under the root's path of that period, in one query.

    def _roots(self, root: Unit) -> _Roots:
        """Remembered per engine and root, like its periods and targets: an engine reads one
        state of the tree (a page asks for a root's series and then its breakdown)."""
        paths = self._root_paths.get(root.pk)
        if paths is None:
            paths = self._root_paths[root.pk] = placement.root_paths(self.view, root, list(self.periods.values()))
        return _Roots(self.view, paths)

    def _values(self, plan: _QueryPlan, roots: _Roots, by_child: bool, own):
        """Values of the units strictly below the root's children come from the rollups
        (grouped by parent, period, element and the unit attributes the filters read); the root's
        own values, or its children's, are `own`'s (_own: a row per report and value, with those
        attributes: a district's 1,600 grassroots children are 1,600 units, so a GROUP BY would
        only sort them). Each expression adds up its rows in Python (a few thousand rows, not one
        conditional aggregate per expression to compile each call)."""
        result: dict = defaultdict(lambda: defaultdict(dict))
        if not plan.value_expressions:
            return result
        element_ids = list(plan.by_element)

        def from_rollups(r: _Roots):
            rollups = Rollup.objects.filter(r.under("parent_path"), view=self.view, period__in=r.periods(self.periods),
                                            counted_as__in=self.counted_as, element_id__in=element_ids)
            if by_child:
                rollups = rollups.exclude(r.at("parent_path"))
            return (rollups, ["period", "element", "kind", "ownership", "large_enterprise"],
                    {"total_": Sum("total"), "yes_": Sum("yes"), "class_a_": Sum("class_a"),
                     "class_b_": Sum("class_b"), "class_c_": Sum("class_c"), "class_d_": Sum("class_d")},
                    r.child_of("parent_path"))

        self._add_values(result, plan, self._grouped_rows(plan, "rollups", roots, by_child, from_rollups),
                         "period", "element", "")
        self._add_values(result, plan, own, "period", "value__element", "unit__")
        return result

    def _own(self, plan: _QueryPlan, roots: _Roots, by_child: bool):
        """The root's own counted reports, or its children's (those the rollups leave out), in one
        query for the values and the reporters: a row per report and value of the plan's elements
        (a LEFT JOIN: a report with none of them is one row, its value NULL), with the report's
        id (a reporter counted once) and the unit attributes the filters read."""
        element_ids = list(plan.by_element)
        if self.view == placement.THEN:
            place, depth = "unit__links__path", "unit__links__depth"
        else:
            place, depth = "now", "now_depth"

        def own(r: _Roots):
            where = r.children(place, depth, "period") if by_child else r.at(place)
            if self.view == placement.THEN:
                rows = counted_reports(self.view, where)  # the placing link's conditions in one filter()
            else:
                rows = counted_reports(self.view).annotate(now_depth=Length("now") / Unit.steplen).filter(
                    where, r.placed_now("unit", by_child))
            rows = rows.filter(status__in=self.statuses, period__in=r.periods(self.periods))
            fields = ["id", "period", "unit__kind", "unit__ownership", "unit__large_enterprise"]
            if not element_ids:
                return rows, fields, {}, r.child_of(place)
            rows = rows.annotate(value=FilteredRelation("values", condition=Q(values__element_id__in=element_ids)))
            measures = {
                # The number as an expression, not the column: SQLite's converter gives it as
                # it gives a SUM (a column's is padded to its decimal places).
                "total_": ExpressionWrapper(F("value__number"), output_field=DecimalField()),
                "yes_": _one_if(Q(value__number=1)),
                **{f"class_{c.lower()}_": _one_if(Q(value__text=c)) for c in QUALITY_CLASSES}}
            return (rows, [*fields, "value__element"], {name: measures[name] for name in read},
                    r.child_of(place))

        # Only what the plan's expressions add up: the compiled query's key names it.
        read = plan.measures()
        return self._grouped_rows(plan, f"own reports {' '.join(read)}", roots, by_child, own)

    def _units(self, plan: _QueryPlan, roots: _Roots, by_child: bool):
        """The units counted in each period (the coverage's expected units) per unit filter:
        one query grouped by what the rule of counting reads (the unit's kind, ownership,
        large enterprise, validity and closing; in THEN, the dates of its link), a handful of
        rows whatever the tree, each counted in Python for the periods and filters it matches
        (units.placement's rules, in memory). THEN counts dated links (each unit's one link that
        places it in the period), NOW counts units at their place today."""
        if self.view == placement.THEN:
            prefix, place = "unit__", "path"
        else:
            prefix, place = "", "now"
        fields = [f"{prefix}{name}" for name in
                  ("kind", "ownership", "large_enterprise", "valid_from", "valid_to", "closed_in_reorganisation")]
        if self.view == placement.THEN:
            fields += ["valid_from", "valid_to"]  # the link's
        # The root stood at different places: which of them a row lies under.
        paths = roots.all_paths()
        flags = {path: f"under_{i}" for i, path in enumerate(paths)} if len(paths) > 1 else {}

        def units(r: _Roots):
            if self.view == placement.THEN:
                queryset = UnitLink.objects.all()
            else:
                queryset = Unit.objects.annotate(now=placement.now_path())
            queryset = queryset.filter(r.anywhere_under(place))
            extra = list(flags.values())
            if by_child:
                # A row at a root path of any period is the root itself, never a child's: flagged,
                # not left out, so that the rows also give the root's own total (below).
                queryset = queryset.annotate(root_=Case(
                    When(**{f"{place}__in": r.all_paths()}, then=Value(True)), default=Value(False),
                    output_field=BooleanField()))
                extra.append("root_")
            if flags:
                for i, path in enumerate(r.all_paths()):
                    queryset = queryset.annotate(**{f"under_{i}": Case(
                        When(**{f"{place}__under": path}, then=Value(True)), default=Value(False),
                        output_field=BooleanField())})
            return queryset, fields + extra, {"n_": Count("id")}, r.child_of(place)

        periods = roots.periods(self.periods)
        result: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        # A breakdown's rows are remembered: the root's total adds them all up (a target's page
        # asks for the breakdown, then the unit's own series: one scan of the subtree's units).
        below = tuple(sorted(roots.paths.items()))
        if by_child or below in self._units_below:
            if below not in self._units_below:  # the last breakdown's alone: a district's are 1,600 rows
                self._units_below = {below: self._grouped_rows(plan, "units", roots, True, units)}
            columns, rows = self._units_below[below]
            root_row = columns["root_"]
            rows = [(TOTAL, row) for _group, row in rows] if not by_child else [
                (group, row) for group, row in rows if not row[root_row]]
        else:
            columns, rows = self._grouped_rows(plan, "units", roots, False, units)
        unit_from, unit_to, closed_at, kind, ownership, large = (columns[f"{prefix}{name}"] for name in (
            "valid_from", "valid_to", "closed_in_reorganisation", "kind", "ownership", "large_enterprise"))
        n = columns["n_"]
        # THEN: the dates of the link that places the unit (the unit's own dates are unit__…).
        link_from, link_to = ((columns["valid_from"], columns["valid_to"]) if self.view == placement.THEN
                              else (None, None))
        under = {period.id: columns[flags[roots.paths[period.id]]] for period in periods} if flags else {}

        def counted_in(row) -> list[int]:
            """The periods a row's units count in: placement's rules on its dates (and, with
            several root paths, on which of them it lies under)."""
            valid_from, valid_to, closed = row[unit_from], row[unit_to], row[closed_at]
            counted = []
            for period in periods:
                if not _counts_in(valid_from, valid_to, closed, period.starts_on, period.ends_on):
                    continue
                if link_from is not None:  # THEN: the link placing the unit on the period's day
                    day = min(period.ends_on, valid_to or period.ends_on)
                    if not _valid_on(row[link_from], row[link_to], day):
                        continue
                if under and not row[under[period.id]]:
                    continue
                counted.append(period.id)
            return counted

        # A district's 1,600 children are 1,600 rows of a handful of dates: each set of dates's
        # periods worked out once.
        dated = [unit_from, unit_to, closed_at, *([link_from, link_to] if link_from is not None else []),
                 *under.values()]
        periods_of: dict[tuple, list[int]] = {}
        for group, row in rows:
            by_period = result[group]  # a child counted in no period is still a child (breakdown_series)
            dates = tuple(row[i] for i in dated)
            counted = periods_of.get(dates)
            if counted is None:
                counted = periods_of[dates] = counted_in(row)
            keys, n_units = plan.unit_keys_of((row[kind], row[ownership], row[large])), row[n]
            for period_id in counted:
                slot = by_period[period_id]
                for key in keys:
                    slot[key] += n_units
        return result

    def _reporters(self, plan: _QueryPlan, roots: _Roots, by_child: bool, own):
        """The counted reports per period and unit filter: those of the units strictly below the
        root's children from their rollups (ReportRollup, grouped by parent), the root's own, or
        its children's, from `own` (_own: each report once, whatever the number of its values);
        counted per period and filter in Python from the unit attributes the filters read."""
        def from_rollups(r: _Roots):
            rows = ReportRollup.objects.filter(r.under("parent_path"), view=self.view,
                                               period__in=r.periods(self.periods), counted_as__in=self.counted_as)
            if by_child:
                rows = rows.exclude(r.at("parent_path"))
            return (rows, ["period", "kind", "ownership", "large_enterprise"], {"n_": Sum("reports")},
                    r.child_of("parent_path"))

        result: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
        columns, rows = self._grouped_rows(plan, "report rollups", roots, by_child, from_rollups)
        period, kind, ownership, large, n = (columns[column] for column in (
            "period", "kind", "ownership", "large_enterprise", "n_"))
        for group, row in rows:
            slot = result[group][row[period]]
            for key in plan.unit_keys_of((row[kind], row[ownership], row[large])):
                slot[key] += row[n]
        columns, rows = own
        report, period, kind, ownership, large = (columns[column] for column in (
            "id", "period", "unit__kind", "unit__ownership", "unit__large_enterprise"))
        counted = set()
        for group, row in rows:
            if row[report] in counted:  # a further value of a report already counted
                continue
            counted.add(row[report])
            slot = result[group][row[period]]
            for key in plan.unit_keys_of((row[kind], row[ownership], row[large])):
                slot[key] += 1
        return result

    def _plans(self, plan: _QueryPlan, root: Unit, by_child: bool) -> dict[str, dict[str, PlanCounts]]:
        """{group: {deadline code: PlanCounts}}: the subtree's total, or each child's (keyed by
        the child's path in today's tree: plans are counted over today's tree in both views)."""
        result: dict = defaultdict(dict)
        for code in sorted(plan.deadlines):
            deadline = self.deadlines[code]
            groups = grouped_counts(deadline, root)
            if by_child:
                for path, counts in groups.items():
                    if path != root.path:
                        result[path][deadline.code] = counts
            else:
                result[TOTAL][deadline.code] = sum(groups.values(), PlanCounts())
        return result

    # --- results -------------------------------------------------------------------------

    def _side(self, target, side: _Side | None, reading: _Reading, values, units, reporters,
              plans) -> Decimal | None:
        if side is None:
            return None
        expression = side.expression
        if expression.deadline is not None:
            counts = plans.get(expression.deadline, PlanCounts())
            return Decimal(counts.on_time if isinstance(expression, PlansOnTime) else counts.expected)
        if isinstance(expression, Units):
            if reading.last_period is None:
                return None
            # A ratio for a year is taken over the units that reported: a missing report
            # lowers the coverage, it does not count as a "no". A total added up over the
            # term is divided by the units that exist in its last year instead, since
            # its numerator gathers reports from every year.
            counts = units if reading.cumulative else reporters
            return Decimal(counts.get(reading.last_period, {}).get(side.key, 0))
        total = Decimal(0)
        for period_id in reading.periods:
            number = values.get(period_id, {}).get(side.key)
            if number:
                total += number if isinstance(number, Decimal) else Decimal(number)
        return total

    def _reading(self, target: Target, year: int) -> _Reading:
        """Which periods the target reads when looking at `year` (remembered per engine)."""
        key = (target.code, year)
        reading = self._readings.get(key)
        if reading is None:
            years = self.value_years(target, year)
            anchor = self.periods.get(self.anchor_year(target, year))
            last = self.periods.get(years[-1])
            reading = self._readings[key] = _Reading(
                tuple(self.periods[y].id for y in years if y in self.periods),
                last.id if last else None, anchor.id if anchor else None,
                target.period == Target.Horizon.TERM and target.accumulate == "sum")
        return reading

    def _result(self, target: Target, terms: _Terms, year: int, values, units, reporters, plans) -> Result:
        reading = self._reading(target, year)
        numerator = self._side(target, terms.numerator, reading, values, units, reporters, plans)
        denominator = self._side(target, terms.denominator, reading, values, units, reporters, plans)
        plan_deadline = terms.numerator.expression.deadline
        if plan_deadline is not None:
            # Counted on the uploaded plans: every unit the deadline applies to is accounted
            # for (no plan by the due date is a "not done"); the coverage is the units that
            # uploaded a plan at all.
            counts = plans.get(plan_deadline, PlanCounts())
            expected, reported, has_data = counts.expected, counts.submitted, counts.expected > 0
        else:
            anchor = reading.anchor_period
            coverage_key = terms.coverage_key
            expected = units.get(anchor, {}).get(coverage_key, 0) if anchor else 0
            reported = reporters.get(anchor, {}).get(coverage_key, 0) if anchor else 0
            # A term total adds up every counted report of the years it reads: a unit whose
            # latest report is missing or not yet approved still counts with its earlier years
            # (the coverage shows the latest year). Any other target reads one year's reports.
            has_data = any(reporters.get(period_id, {}).get(coverage_key, 0) for period_id in reading.periods)
        value = None
        if has_data and numerator is not None:
            if target.unit == Target.Measure.COUNT:
                value = numerator
            elif denominator:
                # Full precision: the status and the projection read this value, and only
                # the pages and documents round it (tiendo.formatting.number).
                ratio = numerator / denominator
                value = ratio * HUNDRED if target.unit == Target.Measure.PERCENT else ratio
        if value is None:
            # "No data" is never printed beside figures: the figures would be a value.
            numerator = denominator = None
        return Result(target, year, value, numerator, denominator, reported, expected,
                      counts_plans=plan_deadline is not None)

    def _judge(self, results_by_year: dict[int, Result], only: int | None = None) -> None:
        """Each year's status (and projection) from the years up to it; `only`: that year's alone."""
        for year, result in results_by_year.items():
            if only is not None and year != only:
                continue
            target = result.target
            points = [(y, r.value) for y, r in sorted(results_by_year.items()) if y <= year and r.value is not None]
            if target.period == Target.Horizon.TERM:
                result.projected = rules.projection(points, self.program.term_end)
            result.status = rules.status_of(result.value, target.comparison, target.value, target.period, year,
                                            self.program.term_end, result.projected)

    def series(self, root: Unit, targets=None, up_to: int | None = None,
               just_the_year: bool = False) -> dict[str, dict[int, Result]]:
        """Every target (or those given) for every reporting year, for the root's subtree
        (`up_to`: only the years up to that one, and only it judged; `just_the_year`: of those,
        only the years its judgement reads, see _years_read)."""
        targets = targets or self.targets
        plan = self._plan(targets)
        roots = self._roots(root)
        own = self._own(plan, roots, False)
        values = self._values(plan, roots, False, own).get(TOTAL, {})
        units = self._units(plan, roots, False).get(TOTAL, {})
        reporters = self._reporters(plan, roots, False, own).get(TOTAL, {})
        plans = self._plans(plan, root, False).get(TOTAL, {})
        series = self._series_from(targets, plan, values, units, reporters, plans, up_to, just_the_year)
        scoped = [t for t in targets if t.scope == Target.Scope.PROGRAM]
        if scoped and not _is_whole_province(root):
            whole = self._whole(root, scoped)
            for target in scoped:
                for year, result in series[target.code].items():
                    _as_contribution(result, whole[target.code][year])
        return series

    def _whole(self, root: Unit, targets) -> dict[str, dict[int, Result]]:
        """The province's series of these province-wide targets, which a subtree's figure is a
        share of: computed once per engine (a document, a page or the API reads a dozen
        subtrees of one province; every one of them read it again)."""
        key = (root.path[:Unit.steplen], tuple(target.code for target in targets))
        if key not in self._wholes:
            self._wholes[key] = self.series(_province_of(root), targets)
        return self._wholes[key]

    def _series_from(self, targets, plan: _QueryPlan, values, units, reporters, plans,
                     up_to: int | None = None, just_the_year: bool = False,
                     judged: dict | None = None) -> dict[str, dict[int, Result]]:
        """Every year of every target; `up_to`: only the years up to that one, and only it judged
        (a breakdown shows one year per child); `just_the_year`: only the years its judgement reads.
        `judged`: the series already computed in this call's sibling calls, by the figures they
        read (_figures_read): a target's series of equal figures is computed once, its results
        shared (a Result names no unit), every caller its own dict."""
        years = [y for y in self.program.reporting_years if up_to is None or y <= up_to]
        series = {}
        for target in targets:
            terms = plan.terms[target.code]
            figures = None if judged is None else self._figures_read(target, terms, values, units, reporters, plans)
            by_year = None if judged is None else judged.get(figures)
            if by_year is None:
                by_year = {year: self._result(target, terms, year, values, units, reporters, plans)
                           for year in (_years_read(target, years, up_to) if just_the_year else years)}
                self._judge(by_year, up_to)
                if judged is not None:
                    judged[figures] = by_year
            series[target.code] = by_year if judged is None else dict(by_year)
        return series

    @staticmethod
    def _figures_read(target: Target, terms: _Terms, values, units, reporters, plans) -> tuple:
        """Everything _result reads for the target (its keys in every period, and its deadlines'
        plans): its key in `judged`. Built for every child and target: kept to C-level calls."""
        keys = terms.keys
        figures = [target.code]
        for counted in (values, units, reporters):
            for period_id, in_period in counted.items():
                figures.append(period_id)
                figures.extend(map(in_period.get, keys))
            figures.append(None)
        for deadline in terms.deadlines:
            counts = plans.get(deadline)
            figures += [deadline, None] if counts is None else [deadline, counts.expected, counts.on_time, counts.late]
        return tuple(figures)

    def results(self, root: Unit, year: int) -> list[Result]:
        """Every target for one year (judged with the years before it), in program order."""
        series = self.series(root, up_to=year, just_the_year=True)
        return [series[target.code][year] for target in self.targets]

    def breakdown(self, target: Target, root: Unit, year: int) -> list[tuple[Unit, Result]]:
        """The target for each child of the root (each child's own subtree), same queries
        grouped by the child's path prefix."""
        return self.breakdowns(root, year, [target])[target.code]

    def breakdowns(self, root: Unit, year: int, targets=None) -> dict[str, list[tuple[Unit, Result]]]:
        """Every target (or those given) for each child of the root, in one plan: the same
        queries as one target's breakdown, whatever the number of targets (a document's tables
        by unit read them all at once)."""
        return {code: [(child, by_year[year]) for child, by_year in rows]
                for code, rows in self.breakdown_series(root, targets, up_to=year, just_the_year=True).items()}

    def breakdown_series(self, root: Unit, targets=None, up_to: int | None = None, just_the_year: bool = False,
                         concerned_in: int | None = None) -> dict[str, list[tuple[Unit, dict[int, Result]]]]:
        """breakdowns() for every reporting year at once, in the same queries: each child's
        series, so a page can set a year beside the one before it (`up_to`: only the years up to
        that one, and only it judged, for a caller that shows one year; `just_the_year`: only
        the years its judgement reads, for a caller that shows it alone; `concerned_in`: only the
        children some target expects a unit of in that year, a target's page listing no other)."""
        targets = targets or self.targets
        plan = self._plan(targets)
        roots = self._roots(root)
        own = self._own(plan, roots, True)
        values = self._values(plan, roots, True, own)
        units = self._units(plan, roots, True)
        reporters = self._reporters(plan, roots, True, own)
        plans = self._plans(plan, root, True)
        # A grassroots child's figures of a target are one of a few dozen patterns (1,600
        # children): each pattern is computed and judged once (_series_from's `judged`).
        judged: dict = {}

        def series_of(key, path: str | None):
            return self._series_from(targets, plan, values.get(key, {}), units.get(key, {}), reporters.get(key, {}),
                                     plans.get(path, {}), up_to, just_the_year, judged)

        def concerned(series) -> bool:
            return concerned_in is None or any(
                result.expected for target in targets if (result := series[target.code].get(concerned_in)))

        keys = {g for g in units if g != TOTAL}
        by_key = None
        if concerned_in is not None and not plans:
            # No plan counted (they are keyed by the child's path): the series come from the keys
            # alone, and only the children concerned are loaded (a district's T06 concerns the
            # 677 enterprises of its 1,613 grassroots unions).
            by_key = {key: series_of(key, None) for key in keys}
            keys = {key for key, series in by_key.items() if concerned(series)}
        ids = {k for k in keys if isinstance(k, int)}
        paths = {k for k in keys if isinstance(k, str)} | set(plans)
        children = Unit.objects.filter(Q(pk__in=list(ids)) | Q(path__in=list(paths))).order_by("name")
        rows: dict[str, list[tuple[Unit, dict[int, Result]]]] = {target.code: [] for target in targets}
        for child in children:
            key = child.pk if self.view == placement.THEN else child.path
            series = by_key[key] if by_key is not None else series_of(key, child.path)
            if by_key is None and not concerned(series):
                continue
            for target in targets:
                rows[target.code].append((child, series[target.code]))
        scoped = [t for t in targets if t.scope == Target.Scope.PROGRAM and rows[t.code]]
        if scoped:
            whole = self._whole(root, scoped)
            for target in scoped:
                for _child, by_year in rows[target.code]:
                    for year, result in by_year.items():
                        _as_contribution(result, whole[target.code][year])
        return rows


# --- a target carried on from one term to the next (Target.continues) ----------------------

@dataclass
class Term:
    """One program's stretch of a series carried across terms: its target and its years."""

    program: Program
    target: Target
    results: dict[int, Result]


def _sibling(engine: Engine, program: Program) -> Engine:
    """An engine of another program that reads as `engine` does (same reports counted, same view)."""
    return Engine(program, engine.include_submitted, engine.view)


def _term(engine: Engine, target: Target, root: Unit) -> Term:
    other = _sibling(engine, target.program)
    own = next(t for t in other.targets if t.pk == target.pk)
    return Term(target.program, own, other.series(root, [own])[own.code])


def continued_series(engine: Engine, target: Target, root: Unit,
                     own: dict[int, Result] | None = None) -> list[Term]:
    """The target's series across every term it carries on or is carried on in, oldest first:
    each program's years computed by an engine of that program (one series call per program,
    whatever the number of units), each year judged against its own program's target. `own`:
    the target's series already computed by `engine`. A year two terms share is the later's."""
    own = dict(own) if own is not None else engine.series(root, [target])[target.code]
    terms = [Term(engine.program, target, own)]
    seen = {target.pk}
    earlier = target
    while earlier.continues_id and earlier.continues_id not in seen:
        earlier = Target.objects.select_related("program").get(pk=earlier.continues_id)
        seen.add(earlier.pk)
        terms.insert(0, _term(engine, earlier, root))
    later = target
    while (later := Target.objects.select_related("program").filter(continues=later)
           .exclude(pk__in=seen).order_by("program__term_end", "pk").first()):
        seen.add(later.pk)
        terms.append(_term(engine, later, root))
    for before, after in itertools.pairwise(terms):
        for year in list(before.results):
            if year in after.results:
                del before.results[year]
    return terms


def final_figure(results: dict[int, Result]) -> Result | None:
    """A term's final figure: its last year with a value (its last year when none has one)."""
    ordered = [results[year] for year in sorted(results)]
    return next((r for r in reversed(ordered) if r.value is not None), ordered[-1] if ordered else None)


def baseline(terms: list[Term], target: Target) -> Result | None:
    """The baseline of `target` in a continued series: the final figure of the term before its own."""
    at = next(i for i, term in enumerate(terms) if term.target.pk == target.pk)
    return final_figure(terms[at - 1].results) if at > 0 else None


def baselines(engine: Engine, root: Unit) -> dict[str, Result]:
    """Each continuing target of the engine's program → its baseline (the continued target's final
    figure), one series call per predecessor program."""
    continuing = [t for t in engine.targets if t.continues_id]
    by_program: dict[int, list[Target]] = {}
    for old in Target.objects.select_related("program").filter(pk__in=[t.continues_id for t in continuing]):
        by_program.setdefault(old.program_id, []).append(old)
    found: dict[int, Result] = {}
    for olds in by_program.values():
        other = _sibling(engine, olds[0].program)
        wanted = [t for t in other.targets if t.pk in {o.pk for o in olds}]
        for results in other.series(root, wanted).values():
            figure = final_figure(results)
            if figure is not None:
                found[figure.target.pk] = figure
    return {t.code: found[t.continues_id] for t in continuing if t.continues_id in found}


@dataclass
class _Roots:
    """The root's path in each period's tree of the view, as conditions on a path column."""

    view: str
    paths: dict[int, str]  # period id -> path

    def periods(self, periods: dict) -> list:
        return [p for p in periods.values() if p.id in self.paths]

    def _each(self, make, period_id=None, period_field: str = "period") -> Q:
        """`make(path)` for the period given, or for every period (rows of one period under
        that period's path: an OR over the periods, unless the path is the same in all)."""
        if period_id is not None:
            return make(self.paths[period_id])
        if len(set(self.paths.values())) <= 1:
            return make(next(iter(self.paths.values()), ""))
        combined = Q()
        for pid, path in self.paths.items():
            combined |= Q(**{period_field: pid}) & make(path)
        return combined

    def all_paths(self) -> list[str]:
        return sorted(set(self.paths.values()))

    def shape(self) -> tuple:
        """What the SQL of a query over these paths depends on besides the paths themselves:
        the periods, the length of the path in each and which periods share a path."""
        index = {path: i for i, path in enumerate(self.all_paths())}
        return tuple((pid, len(path), index[path]) for pid, path in sorted(self.paths.items()))

    def with_paths(self, paths: list[str]) -> _Roots:
        """The same roots with their paths (in order) replaced by these (units.compiled's template)."""
        swap = dict(zip(self.all_paths(), paths, strict=True))
        return _Roots(self.view, {pid: swap[path] for pid, path in self.paths.items()})

    def anywhere_under(self, field: str) -> Q:
        """Rows under the root's path of any period (the per-period conditions come on top)."""
        combined = Q(pk__in=[]) if not self.paths else Q()
        for path in self.all_paths():
            combined |= Q(**{f"{field}__under": path})
        return combined

    def under(self, field: str, period_id=None, period_field: str = "period") -> Q:
        return self._each(lambda path: Q(**{f"{field}__under": path}), period_id, period_field)

    def at(self, field: str, period_id=None, period_field: str = "period") -> Q:
        return self._each(lambda path: Q(**{field: path}), period_id, period_field)

    def children(self, field: str, depth_field: str, period_field: str) -> Q:
        """Rows placed directly below the root (its children), by the depth of their place."""
        step = placement.step(self.view)
        return self._each(lambda path: Q(**{f"{field}__under": path, depth_field: len(path) // step + 1}),
                          None, period_field)

    def placed_now(self, unit: str, by_child: bool) -> Q:
        """NOW: `unit` (the path to a row's unit) among those that may stand at the root's path
        today, or directly below it (by_child): placement.now_candidates, beside the exact
        condition on now_path, so that the database finds them by path (SQLite: 0.7 s → a few ms
        for the province's own values at 15,000 unions)."""
        combined = Q()
        for path in self.all_paths():
            depth = len(path) // Unit.steplen + 1 if by_child else None
            combined |= Q(**{f"{unit}__in": placement.now_candidates(path, depth)})
        return combined

    def child_of(self, field: str):
        """SQL: the prefix of `field` naming the root's child a row lies under. (A root that
        stood at different depths in different periods is grouped at its shallowest place.)"""
        length = min((len(path) for path in self.paths.values()), default=0) + placement.step(self.view)
        return Substr(field, 1, length)


def _years_read(target: Target, years: list[int], year: int | None) -> list[int]:
    """Of `years`, those the judgement of `year` reads: all of them for a term target (its
    projection runs through the years before), the year alone for any other (a yearly or
    deadline target is judged on its figure; which years that figure adds up is _reading's)."""
    if year is None or target.period == Target.Horizon.TERM:
        return years
    return [y for y in years if y == year]


def _is_whole_province(root: Unit) -> bool:
    """The issuer's own total: the root of the tree (the provincial federation)."""
    return root.depth == 1


def _province_of(unit: Unit) -> Unit:
    return Unit.objects.get_root(unit)


def _as_contribution(result: Result, whole: Result) -> None:
    """A subtree's figure of a province-wide target: no verdict against the province's
    target, no projection towards it; its share of the province's figure instead."""
    if result.value is None:
        return
    result.status = rules.CONTRIBUTION
    result.projected = None
    result.share = result.value / whole.value * HUNDRED if whole.value else None


@dataclass
class Bridge:
    """How a target's value changed from one year to a later one, split in two (numbers only):
    the reorganisation's part (the earlier year as it is now minus as it was: units that joined,
    left or were dissolved) and performance's part (the later year as it was minus the earlier
    year as it is now: the same units doing better or worse). The two add up to the change."""

    target: Target
    earlier: int
    later: int
    earlier_then: Decimal | None
    earlier_now: Decimal | None
    later_then: Decimal | None

    @staticmethod
    def _minus(a, b):
        return None if a is None or b is None else a - b

    @property
    def change(self) -> Decimal | None:
        return self._minus(self.later_then, self.earlier_then)

    @property
    def structural(self) -> Decimal | None:
        return self._minus(self.earlier_now, self.earlier_then)

    @property
    def performance(self) -> Decimal | None:
        return self._minus(self.later_then, self.earlier_now)


def structural_bridge(program: Program, target: Target, root: Unit, earlier: int, later: int,
                      include_submitted: bool = False) -> Bridge:
    """The bridge of one target for the root's subtree between two reporting years."""
    then = Engine(program, include_submitted, placement.THEN).series(root, [target])[target.code]
    now = Engine(program, include_submitted, placement.NOW).series(root, [target])[target.code]
    return Bridge(target, earlier, later, then[earlier].value, now[earlier].value, then[later].value)
