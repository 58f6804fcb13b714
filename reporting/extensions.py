"""What other apps add to a report, registered by them when they are ready (their AppConfig),
so that reporting imports none of them and the data flow stays one way: the registries read
reports' periods and units, and reporting asks them only through these hooks."""

from __future__ import annotations

from collections.abc import Callable

# (report, elements, values) -> [Finding]: more findings of the validation (a figure that differs
# from a kept registry's).
FINDINGS: list[Callable] = []
# (report, elements, values) -> {element code: value}: values offered on the form for elements
# the report holds none of yet.
PREFILL: list[Callable] = []
# (report, elements) -> {count code: value}: the counts a validation rule may compare with
# (registry.CODE, reporting.validation).
COUNTS: list[Callable] = []
# (period, units, rules) -> {unit id: {count code: value}}: the same for a spreadsheet's rows.
SHEET_COUNTS: list[Callable] = []
# (period, units) -> {unit id: (elements, values) -> [Finding]}: FINDINGS for a spreadsheet's
# rows, read for all of them at once.
SHEET_FINDINGS: list[Callable] = []
# name -> (report, elements) -> what the entry page shows under that name.
PAGE_CONTEXT: dict[str, Callable] = {}


def more_findings(report, elements, values: dict) -> list:
    return [finding for hook in FINDINGS for finding in hook(report, elements, values)]


def prefilled(report, elements, values: dict) -> dict:
    offered: dict = {}
    for hook in PREFILL:
        offered |= hook(report, elements, values)
    return offered


def page_context(report, elements) -> dict:
    return {name: hook(report, elements) for name, hook in PAGE_CONTEXT.items()}


def counts_for(report, elements) -> dict:
    counts: dict = {}
    for hook in COUNTS:
        counts |= hook(report, elements)
    return counts


def sheet_counts(period, units, rules) -> dict:
    counts: dict = {}
    for hook in SHEET_COUNTS:
        for unit_id, found in hook(period, units, rules).items():
            counts.setdefault(unit_id, {}).update(found)
    return counts


def sheet_checks(period, units) -> dict:
    """{unit id: (elements, values) -> [Finding]} of every SHEET_FINDINGS hook together."""
    checks = [hook(period, units) for hook in SHEET_FINDINGS]

    def all_of(unit_id):
        return lambda elements, values: [f for found in checks if unit_id in found
                                         for f in found[unit_id](elements, values)]

    return {unit.pk: all_of(unit.pk) for unit in units}
