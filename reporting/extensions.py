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
