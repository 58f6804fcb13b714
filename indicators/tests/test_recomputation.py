"""Every target of the program file recomputed from the base tables, independently of the engine.

The program is read straight from its YAML file (not through programs.definition or the loaded
Target rows); the tree, the reports, their values and the uploaded plans are read as plain rows
(units, reports, data values, plans); every rule is written again here, from the file's header
and the README's "Indicators" section, in plain Python with exact fractions: no rollups, no
expression code, no engine helper. Then every value, numerator, denominator, coverage, share
and status is compared with the engine's, for the province, each upper-level union and each
child in the province's breakdown, every reporting year, counted reports with and without the
submitted ones.

The generated tree covers every kind of definition of the file: sum, count, count_class, units
and plan counts; yearly, term last, term sum and deadline periods; ownership, enterprise and
large-enterprise filters; province-wide counts; upper-level unions' and the province's own
elements; missing, draft, returned, submitted, approved and locked reports; a unit that
closed, one that opened later, one that moved, grassroots unions attached to the province; and
plans on time, late, replaced and missing.
"""

from __future__ import annotations

import datetime
import random
from fractions import Fraction

import pytest
import yaml
from django.db import connection
from django.utils import timezone

from accounts.models import User
from indicators.engine import Engine
from indicators.rollups import refresh
from plans.models import ImplementationPlan
from programs.management.commands.load_program import DEFAULT_FILE
from reporting.models import DataValue, Period, Report
from units.actions import do_move_unit
from units.models import Unit

SEED = 20211
UPPER = ("district", "sector", "industrial_zone")
ENTERPRISE = ("state", "non_state")
COUNTED = ("approved", "locked")
AT_RISK_GAP = Fraction(1, 10)
LARGE_WORKERS = 800  # the setting, changed from its default: the rule must read it


# --- the program, read from its file --------------------------------------------------------

def read_program() -> dict:
    with open(DEFAULT_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def file_targets(data: dict) -> list[dict]:
    found = []

    def walk(sections):
        for section in sections:
            found.extend(section.get("targets") or [])
            walk(section.get("children") or [])

    walk(data["sections"])
    return found


def kinds_of(words) -> set[str]:
    """`upper_union` stands for the three kinds directly above grassroots unions."""
    result = set()
    for word in words or []:
        result |= set(UPPER) if word == "upper_union" else {word}
    return result


# --- the generated tree ---------------------------------------------------------------------

class Tree:
    def __init__(self, data: dict, program):
        self.data = data
        self.program = program
        self.rng = random.Random(SEED)
        self.elements = {e.code: e for e in program.data_elements.all()}
        self.admin = User.objects.create(username="recompute-admin", role="province_admin")
        self.periods = {}
        for year in data["program"]["reporting_years"]:
            self.periods[year] = Period.objects.create(
                kind="year", year=year, half=0, starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31), due_on=datetime.date(year + 1, 1, 15))

    def unit(self, parent, code, kind, **attributes) -> Unit:
        unit = Unit(code=code, name=code, kind=kind, **attributes)
        return Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)

    def build(self) -> None:
        rng = self.rng
        self.province = self.unit(None, "P", "province")
        self.uppers = [self.unit(self.province, f"P.{kind[0].upper()}{i}", kind)
                       for i, kind in enumerate(("district", "district", "sector", "industrial_zone"))]
        self.uppers.append(self.unit(self.province, "P.LATE", "district", valid_from=datetime.date(2022, 3, 1)))
        grassroots = []
        parents = [*self.uppers, self.province]
        for i in range(46):
            parent = parents[i % len(parents)]
            ownership = ("state", "non_state", "non_state", "public_sector")[i % 4]
            workers = rng.choice((15, 60, 300, 790, 800, 1200, 2500))
            grassroots.append(self.unit(parent, f"{parent.code}.{i:03d}", "grassroots", ownership=ownership,
                                        workers=workers, members=workers // 2))
        # a unit that closed mid-2023, one that opened in 2023, one that moved in 2024
        Unit.objects.filter(pk=grassroots[0].pk).update(valid_to=datetime.date(2023, 6, 30))
        Unit.objects.filter(pk=grassroots[1].pk).update(valid_from=datetime.date(2023, 4, 1))
        # where the moved unit stood before: the recomputation places it there "as it was"
        self.moves = {grassroots[2].pk: (datetime.date(2024, 1, 1), grassroots[2].path)}
        do_move_unit(grassroots[2], self.uppers[3], effective_on=datetime.date(2024, 1, 1))
        self.reports()
        self.plans()
        refresh()

    def reporters_of(self, element: dict) -> set[str]:
        by = element["reported_by"]
        return kinds_of(by if isinstance(by, list) else [by])

    def value_for(self, element: dict, unit: Unit, row: dict):
        kind = element["type"]
        if kind == "count":
            if element["code"] == "disputes_with_union":
                return self.rng.randint(0, row.get("labour_disputes", 0) or 0)
            if element["code"] in ("workers", "members", "officers", "officers_trained", "workers_informed",
                                   "workers_upskilled"):
                return self.rng.randint(0, 3000)
            return self.rng.randint(0, 12)
        if kind == "boolean":
            return self.rng.random() < 0.7
        if kind == "quality_class":
            return self.rng.choice(("A", "B", "C", "D", None))
        return None  # dates and texts add up to nothing

    def reports(self) -> None:
        units = list(Unit.objects.all())
        statuses = ("approved", "approved", "locked", "submitted", "draft", "returned", None)
        rows = []
        for period in self.periods.values():
            for unit in units:
                status = self.rng.choice(statuses)
                if status is None:
                    continue  # no report
                report = Report.objects.create(period=period, unit=unit, status=status)
                values: dict = {}
                for element in self.data["data_elements"]:
                    if unit.kind not in self.reporters_of(element) or self.rng.random() < 0.08:
                        continue  # not asked of this kind, or left blank
                    asked_of = element.get("asked_of") or {}
                    if asked_of.get("enterprise") and unit.ownership not in ENTERPRISE:
                        continue
                    value = self.value_for(element, unit, values)
                    if value is None:
                        continue
                    values[element["code"]] = value
                    stored = self.elements[element["code"]]
                    if element["type"] == "quality_class":
                        rows.append(DataValue(report=report, element=stored, text=value))
                    else:
                        rows.append(DataValue(report=report, element=stored, number=int(value)))
        DataValue.objects.bulk_create(rows)

    def plans(self) -> None:
        for unit in Unit.objects.exclude(kind="province"):
            for _ in range(self.rng.choice((0, 1, 1, 2))):  # none, one, or a replaced one
                issued = datetime.date(2021, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 400))
                ImplementationPlan.objects.create(
                    program=self.program, unit=unit, file="plans/x.pdf", original_name="kh.pdf", size=1,
                    content_type="application/pdf", document_number="1/KH", issued_on=issued,
                    uploaded_by=self.admin)


# --- the recomputation: plain rows, plain rules -------------------------------------------------

def existed(unit: dict, start: datetime.date, end: datetime.date) -> bool:
    return unit["valid_from"] <= end and (unit["valid_to"] is None or unit["valid_to"] >= start)


def in_year(unit: dict, year: int) -> bool:
    return existed(unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def matches(unit: dict, where: dict, large_workers: int) -> bool:
    """The file's FILTER, from its header: kind, ownership, enterprise, large_enterprise."""
    if where.get("kind") and unit["kind"] not in kinds_of(where["kind"]):
        return False
    if where.get("ownership") and unit["ownership"] not in where["ownership"]:
        return False
    if "enterprise" in where and (unit["ownership"] in ENTERPRISE) != where["enterprise"]:
        return False
    if "large_enterprise" in where:
        # README: an enterprise with at least LARGE_ENTERPRISE_WORKERS workers (not the stored flag)
        large = unit["ownership"] in ENTERPRISE and unit["workers"] >= large_workers
        if large != where["large_enterprise"]:
            return False
    return True


class Recomputation:
    def __init__(self, data: dict, statuses: tuple[str, ...], large_workers: int, moves: dict, view: str):
        """`moves`: {unit id: (first day under the new parent, its path before)}; `view`: "then"
        places each year's units where they stood on the year's last day, "now" where they are
        today (a unit closed today, with no successor, drops out)."""
        self.data = data
        self.moves, self.view = moves, view
        self.years = data["program"]["reporting_years"]
        self.term_end = data["program"]["term_end"]
        self.deadlines = {d["code"]: d for d in data["deadlines"]}
        self.large_workers = large_workers
        self.units = {u["id"]: u for u in Unit.objects.values("id", "path", "code", "kind", "ownership", "workers",
                                                               "valid_from", "valid_to")}
        year_of = dict(Period.objects.values_list("id", "year"))
        self.reports = {}  # (unit id, year) -> report id, counted reports of a unit that existed
        for row in Report.objects.values("id", "unit_id", "period_id", "status"):
            year = year_of[row["period_id"]]
            if row["status"] in statuses and in_year(self.units[row["unit_id"]], year):
                self.reports[(row["unit_id"], year)] = row["id"]
        codes = dict(DataValue.objects.values_list("element_id", "element__code").distinct())
        self.values = {}  # (report id, element code) -> number or text
        for row in DataValue.objects.values("report_id", "element_id", "number", "text"):
            self.values[(row["report_id"], codes[row["element_id"]])] = (
                row["text"] if row["number"] is None else row["number"])
        newest = {}
        for plan in ImplementationPlan.objects.values("unit_id", "issued_on", "uploaded_at", "id"):
            key = (plan["uploaded_at"], plan["id"])
            if plan["unit_id"] not in newest or key > newest[plan["unit_id"]][0]:
                newest[plan["unit_id"]] = (key, plan["issued_on"])
        self.plan_issued = {unit_id: issued for unit_id, (_key, issued) in newest.items()}

    def place(self, unit: dict, year: int | None) -> str | None:
        if self.view == "now" or year is None:
            open_today = unit["valid_to"] is None or unit["valid_to"] >= timezone.localdate()
            return unit["path"] if open_today or year is None else None
        moved = self.moves.get(unit["id"])
        if moved and datetime.date(year, 12, 31) < moved[0]:
            return moved[1]
        return unit["path"]

    def subtree(self, root: Unit):
        """The units under the root in a year's tree of the view (None: today's tree)."""
        def units_in(year):
            top = self.place(self.units[root.pk], None if self.view == "now" else year)
            return [u for u in self.units.values() if (self.place(u, year) or "\0").startswith(top)]
        return units_in

    # one expression, one year
    def aggregate(self, expression: dict, units: list[dict], year: int, cumulative: bool) -> int:
        if "units" in expression:
            where = expression["units"]
            if cumulative:  # a term total: the units existing in its last year
                return sum(1 for u in units if matches(u, where, self.large_workers) and in_year(u, year))
            return sum(1 for u in units if matches(u, where, self.large_workers) and (u["id"], year) in self.reports)
        where = expression.get("where") or {}
        total = 0
        for unit in units:
            report = self.reports.get((unit["id"], year))
            if report is None or not matches(unit, where, self.large_workers):
                continue
            if "sum" in expression:
                total += int(self.values.get((report, expression["sum"])) or 0)
            elif "count" in expression:
                total += self.values.get((report, expression["count"])) == 1
            else:
                total += self.values.get((report, expression["count_class"])) in expression["classes"]
        return total

    def plan_counts(self, code: str, units: list[dict]) -> tuple[int, int, int]:
        """(expected, on time, with a plan) for a deadline: units of its kinds existing on the
        due date; on time when the newest plan was issued on or before it."""
        deadline = self.deadlines[code]
        due = deadline["due"]
        expected = [u for u in units if u["kind"] in kinds_of(deadline["applies_to"]) and existed(u, due, due)]
        on_time = sum(1 for u in expected if u["id"] in self.plan_issued and self.plan_issued[u["id"]] <= due)
        with_plan = sum(1 for u in expected if u["id"] in self.plan_issued)
        return len(expected), on_time, with_plan

    def result(self, target: dict, units: list[dict], year: int) -> dict:
        period = target["period"]
        anchor = target["deadline"].year if period == "deadline" else year
        cumulative = period == "term" and target.get("accumulate") == "sum"
        years = [y for y in self.years if y <= anchor] if cumulative else [anchor]
        numerator_expression, denominator_expression = target["numerator"], target.get("denominator")
        if "plans_on_time" in numerator_expression:
            today = units(None)  # plans are counted over today's tree in both views
            expected, on_time, with_plan = self.plan_counts(numerator_expression["plans_on_time"], today)
            numerator, denominator = on_time, self.plan_counts(denominator_expression["plans_expected"], today)[0]
            reported, has_data = with_plan, expected > 0
        else:
            where = dict(numerator_expression.get("where") or numerator_expression.get("units") or {})
            where.setdefault("kind", target["applies_to"])
            def covered(y):
                return [u for u in units(y) if matches(u, where, self.large_workers)]
            expected = sum(1 for u in covered(anchor) if in_year(u, anchor))
            reported = sum(1 for u in covered(anchor) if (u["id"], anchor) in self.reports)
            has_data = any((u["id"], y) in self.reports for y in years for u in covered(y))
            numerator = sum(self.aggregate(numerator_expression, units(y), y, cumulative) for y in years)
            denominator = None
            if denominator_expression:
                if "units" in denominator_expression:  # never added up over years
                    denominator = self.aggregate(denominator_expression, units(years[-1]), years[-1], cumulative)
                else:
                    denominator = sum(self.aggregate(denominator_expression, units(y), y, cumulative)
                                      for y in years)
        value = None
        if has_data:
            if target["unit"] == "count":
                value = Fraction(numerator)
            elif denominator:
                value = Fraction(numerator, denominator) * (100 if target["unit"] == "percent" else 1)
        if value is None:
            numerator = denominator = None
        return {"value": value, "numerator": numerator, "denominator": denominator,
                "reported": reported, "expected": expected}

    def series(self, target: dict, root: Unit) -> dict[int, dict]:
        units = self.subtree(root)
        by_year = {year: self.result(target, units, year) for year in self.years}
        for year, result in by_year.items():
            points = [(y, r["value"]) for y, r in by_year.items() if y <= year and r["value"] is not None]
            result["projected"] = projection(points, self.term_end) if target["period"] == "term" else None
            result["status"] = status(result["value"], target, year, self.term_end, result["projected"])
            result["share"] = None
        return by_year

    def judged(self, target: dict, root: Unit, province: Unit) -> dict[int, dict]:
        """The README's rule for a province-wide count: below the province, a contribution."""
        by_year = self.series(target, root)
        if target.get("scope") == "program" and root.pk != province.pk:
            whole = self.series(target, province)
            for year, result in by_year.items():
                if result["value"] is not None:
                    result["status"], result["projected"] = "contribution", None
                    total = whole[year]["value"]
                    result["share"] = result["value"] / total * 100 if total else None
        return by_year


def projection(points, year):
    """README: the least-squares line through the years so far, read at the term's end."""
    if not points:
        return None
    if len(points) == 1:
        return points[0][1]
    n = len(points)
    mean_x = Fraction(sum(x for x, _ in points), n)
    mean_y = sum(y for _, y in points) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return mean_y + slope * (year - mean_x)


def satisfies(value, comparison, goal) -> bool:
    return value >= goal if comparison == ">=" else value > goal if comparison == ">" else value == goal


def close(value, comparison, goal) -> bool:
    if comparison == "=":
        return abs(value - goal) <= abs(goal) * AT_RISK_GAP
    return value >= goal * (1 - AT_RISK_GAP)


def status(value, target, year, term_end, projected) -> str:
    """README's status rule, on full precision."""
    goal, comparison = Fraction(str(target["value"])), target["comparison"]
    if value is None:
        return "no_data"
    if satisfies(value, comparison, goal):
        return "met"
    if target["period"] == "term" and year < term_end and projected is not None:
        if satisfies(projected, comparison, goal):
            return "on_track"
        return "at_risk" if close(projected, comparison, goal) else "not_met"
    if target["period"] == "yearly" and close(value, comparison, goal):
        return "at_risk"
    return "not_met"


# --- the comparison ---------------------------------------------------------------------------

def close_to(engine_number, exact) -> bool:
    if engine_number is None or exact is None:
        return engine_number is None and exact is None
    return abs(Fraction(engine_number) - Fraction(exact)) < Fraction(1, 10**12)


def differences(code: str, where: str, engine_result, expected: dict) -> list[str]:
    found = []
    for name in ("value", "numerator", "denominator", "share", "projected"):
        if not close_to(getattr(engine_result, name), expected[name]):
            found.append(f"{code} {where} {name}: engine {getattr(engine_result, name)} != {expected[name]}")
    for name in ("status", "reported", "expected"):
        if getattr(engine_result, name) != expected[name]:
            found.append(f"{code} {where} {name}: engine {getattr(engine_result, name)!r} != {expected[name]!r}")
    return found


@pytest.fixture
def tree(program, settings):
    settings.LARGE_ENTERPRISE_WORKERS = LARGE_WORKERS
    built = Tree(read_program(), program)
    built.build()
    if connection.vendor == "postgresql":
        # Planner statistics for the tree just written, as autovacuum would give a real database:
        # with the statistics of tables that earlier tests left nearly empty, PostgreSQL may join
        # these thousands of rows by nested loops (a full suite once spent half an hour here).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return built


@pytest.mark.parametrize("view", ["then", "now"])
@pytest.mark.parametrize("include_submitted", [False, True], ids=["approved", "with-submitted"])
def test_every_target_equals_an_independent_recomputation(tree, include_submitted, view):
    data = tree.data
    statuses = (*COUNTED, "submitted") if include_submitted else COUNTED
    again = Recomputation(data, statuses, LARGE_WORKERS, tree.moves, view)
    engine = Engine(tree.program, include_submitted=include_submitted, view=view)
    targets = {t.code: t for t in engine.targets}
    assert set(targets) == {t["code"] for t in file_targets(data)}
    roots = [tree.province, *Unit.objects.filter(kind__in=UPPER)]
    problems = []
    covered = set()
    for root in roots:
        series = engine.series(root)
        for target in file_targets(data):
            expected = again.judged(target, root, tree.province)
            for year in again.years:
                problems += differences(target["code"], f"{root.code} {year}", series[target["code"]][year],
                                        expected[year])
                covered.add(expected[year]["status"])
    province_children = Unit.objects.filter(path__startswith=tree.province.path, depth=2)
    for target in file_targets(data):
        for year in again.years:
            breakdown = engine.breakdown(targets[target["code"]], tree.province, year)
            rows = {unit.code: result for unit, result in breakdown}
            for child in province_children:
                expected = again.judged(target, child, tree.province)[year]
                if child.code in rows:
                    problems += differences(target["code"], f"breakdown {child.code} {year}", rows[child.code],
                                            expected)
                else:  # left out: the child has nothing the target concerns
                    assert expected["expected"] == 0 and expected["value"] is None, (target["code"], child.code)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])
    # the data reach every kind of verdict, so the comparison means something
    assert {"met", "on_track", "at_risk", "not_met", "no_data", "contribution"} <= covered, covered
