"""Target expressions and unit filters as the stored dicts have them: thin wrappers over the
typed objects of programs.definition (UnitFilter, Sum / Count / CountClass / Units), kept for
the modules that still pass dicts. New code asks the objects (`target.numerator_expr`,
`UnitFilter.parse(where)`) directly.
"""

from __future__ import annotations

from programs.definition import (  # noqa: F401 - re-exported vocabularies
    AGGREGATES,
    ENTERPRISE_OWNERSHIPS,
    OWNERSHIPS,
    QUALITY_CLASSES,
    UNIT_KINDS,
    UPPER_UNION_KINDS,
    UnitFilter,
    expand_kinds,
    parse_expression,
)

normalized_kinds = expand_kinds


def aggregate_of(expression: dict) -> str:
    return parse_expression(expression).aggregation


def filter_of(expression: dict) -> dict:
    return parse_expression(expression).where.as_data()


def element_of(expression: dict) -> str | None:
    return parse_expression(expression).element


def describe(expression: dict, labels: dict[str, str]) -> str:
    """The expression in plain words of the current language, element labels quoted."""
    return parse_expression(expression).describe(labels)


def filter_q(where: dict, prefix: str = ""):
    """The filter as a Q over Unit fields; `prefix` reaches the unit through a relation."""
    return UnitFilter.parse(where).q(prefix)


def unit_matches(unit, where: dict) -> bool:
    return UnitFilter.parse(where).matches(unit)
