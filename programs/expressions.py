"""Target expressions and unit filters as the stored dicts have them: thin wrappers over the
typed objects of programs.definition (UnitFilter; Sum / Count / CountClass / Units and the
plan aggregates PlansOnTime / PlansExpected), kept for the modules that still pass dicts. New
code asks the objects (`target.numerator_expr`, `UnitFilter.parse(where)`) directly.
"""

from __future__ import annotations

from programs.definition import (  # noqa: F401 - re-exported vocabularies
    AGGREGATES,
    ENTERPRISE_OWNERSHIPS,
    OWNERSHIPS,
    PLAN_AGGREGATES,
    QUALITY_CLASSES,
    UNIT_KINDS,
    UPPER_UNION_KINDS,
    UnitFilter,
    expand_kinds,
    expression_errors,
    parse_expression,
)

normalized_kinds = expand_kinds


def aggregate_of(expression: dict) -> str:
    return parse_expression(expression).aggregation


def filter_of(expression: dict) -> dict:
    """The expression's unit filter ({} for a plan aggregate: its units are the deadline's)."""
    return parse_expression(expression).where.as_data()


def deadline_of(expression: dict) -> str | None:
    """The deadline code of a plan aggregate, else None."""
    return parse_expression(expression).deadline


def element_of(expression: dict) -> str | None:
    return parse_expression(expression).element


def describe(expression: dict, labels: dict[str, str]) -> str:
    """The expression in plain words of the current language, element labels quoted and
    deadlines named by `labels` (Program.expression_labels)."""
    return parse_expression(expression).describe(labels)


def filter_q(where: dict, prefix: str = ""):
    """The filter as a Q over Unit fields; `prefix` reaches the unit through a relation."""
    return UnitFilter.parse(where).q(prefix)


def unit_matches(unit, where: dict) -> bool:
    return UnitFilter.parse(where).matches(unit)
