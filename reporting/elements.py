"""Which data elements a unit reports for a period. A period is the calendar's; the programs
asking for it are those (issued, in force or closed) whose reporting years hold its year. Each
program file says who reports each element (grassroots, upper-level unions, the province) and,
optionally, of which units it is asked; a program asks only units of its issuer's subtree. A
unit's form is the union of what every asking program asks of it, each element once."""

from __future__ import annotations

import copy

from programs.models import DataElement, Program, ValidationRule
from units.models import UPPER_UNION_KINDS, Unit, UnitKind


def reporter_level(unit: Unit) -> str:
    if unit.kind == UnitKind.GRASSROOTS:
        return "grassroots"
    if unit.kind == UnitKind.PROVINCE:
        return "province"
    return "upper_union"


def programs_asking(period) -> list[Program]:
    """The programs asking for reports in the period, oldest term first (remembered on the
    period object: a form, its checks and its completeness ask several times)."""
    cached = getattr(period, "_programs_asking", None)
    if cached is None:
        # reporting_years is a JSON list: filtered here, not in SQL (SQLite has no JSON contains),
        # over a handful of programs.
        programs = Program.objects.asking().select_related("issuer_unit").order_by("term_start", "code")
        cached = period._programs_asking = [p for p in programs if period.year in p.reporting_years]
    return cached


def elements_of(program: Program) -> list[DataElement]:
    """The program's elements, read once per program object (a sheet of 500 rows asks 500 times)."""
    cached = getattr(program, "_asked_elements", None)
    if cached is None:
        cached = program._asked_elements = program.elements()
    return cached


def rules_for(period) -> list[ValidationRule]:
    """The validation rules of every program asking in the period (each program's own, so a
    rule holds wherever its program's elements are asked)."""
    cached = getattr(period, "_rules", None)
    if cached is None:
        programs = [p.pk for p in programs_asking(period)]
        rules = ValidationRule.objects.filter(program_id__in=programs).order_by(
            "program__term_start", "program__code", "position")
        # Two programs stating the same check would report each finding twice: kept once.
        cached = period._rules = list({(r.rule, r.severity): r for r in reversed(rules)}.values())[::-1]
    return cached


def levels_reporting(program: Program) -> set[str]:
    return {level for element in elements_of(program) for level in element.reported_by}


def program_elements_for(program: Program, unit: Unit) -> list[DataElement]:
    """The elements this one program asks of the unit, in the program file's order (none when
    the unit is outside the issuer's subtree)."""
    if not program.applies_to(unit):
        return []
    level = reporter_level(unit)
    return [
        element
        for element in elements_of(program)
        if level in element.reported_by and element.asked_of_filter.matches(unit)
    ]


def elements_for(period, unit: Unit) -> list[DataElement]:
    """The elements the unit is asked in the period: every asking program's, each element once
    (in the order of the oldest program asking it), each carrying `asking` (the codes of the
    programs asking it of this unit) and `group` (the one program's title when only one of
    several asking programs needs it, else "").

    What a unit is asked depends only on its kind, ownership, large-enterprise flag and which
    asking programs' issuers it is under: the answer is remembered on the period object for
    each such shape of unit (a sheet of 2,000 rows asks for a handful of shapes, each once).
    The elements are shared between the units of one shape: read them, do not change them."""
    programs = programs_asking(period)
    shape = (unit.kind, unit.ownership, unit.large_enterprise, tuple(p.applies_to(unit) for p in programs))
    remembered = period.__dict__.setdefault("_elements_by_shape", {})
    if shape not in remembered:
        remembered[shape] = _elements_for(programs, unit)
    return list(remembered[shape])


def _elements_for(programs: list[Program], unit: Unit) -> list[DataElement]:
    chosen: dict[str, DataElement] = {}
    asking: dict[str, list[Program]] = {}
    for program in programs:
        for element in program_elements_for(program, unit):
            if element.code not in chosen:
                chosen[element.code] = copy.copy(element)  # annotated for this unit only
            asking.setdefault(element.code, []).append(program)
    several = len({p.pk for programs in asking.values() for p in programs}) > 1
    for code, element in chosen.items():
        element.asking = [p.code for p in asking[code]]
        element.group = asking[code][0].title if several and len(asking[code]) == 1 else ""
    return list(chosen.values())


def kinds_reporting(program: Program) -> list[str]:
    """Unit kinds that have something to report for this program."""
    levels = levels_reporting(program)
    kinds = []
    if "grassroots" in levels:
        kinds.append(UnitKind.GRASSROOTS)
    if "upper_union" in levels:
        kinds.extend(UPPER_UNION_KINDS)
    if "province" in levels:
        kinds.append(UnitKind.PROVINCE)
    return kinds
