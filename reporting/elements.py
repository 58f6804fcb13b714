"""Which data elements a unit reports: the program file says who reports each element
(grassroots, upper-level unions, the province) and, optionally, of which units it is asked."""

from __future__ import annotations

from programs.models import DataElement, Program
from units.models import UPPER_UNION_KINDS, Unit, UnitKind


def reporter_level(unit: Unit) -> str:
    if unit.kind == UnitKind.GRASSROOTS:
        return "grassroots"
    if unit.kind == UnitKind.PROVINCE:
        return "province"
    return "upper_union"


def levels_reporting(program: Program) -> set[str]:
    return {level for levels in program.data_elements.values_list("reported_by", flat=True) for level in levels}


def elements_for(program: Program, unit: Unit) -> list[DataElement]:
    """The elements this unit is asked, in the program file's order."""
    level = reporter_level(unit)
    return [
        element
        for element in program.data_elements.all()
        if level in element.reported_by and element.asked_of_filter.matches(unit)
    ]


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
