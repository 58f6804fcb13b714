"""Checking reported values against the program's rules.

One function serves the data-entry form and the spreadsheet import alike: it takes parsed
values (None for blank) and returns findings, each tied to the element whose field should
show it. Errors block submission; a warning blocks it only until the unit explains the
value in a comment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programs.definition import REGISTRY_PREFIX, Compare, Implies, YearOverYear
from programs.models import DataElement, ValidationRule
from tiendo.formatting import amount, short_date

REQUIRED_TYPES = ("count", "boolean", "percent")
# Jumps between small numbers (2 initiatives last year, 7 this year) are normal; only
# values of at least this size are compared with last year's.
JUMP_MIN_SIZE = 10
# What a value may be, whichever way it arrives (form or spreadsheet): DataValue.number holds
# 12 digits before the point, DataValue.text 500 characters; an explanation (DataValue.comment)
# is a few sentences; a date outside these years is a typing mistake.
MAX_NUMBER = 10**12
MAX_TEXT = 500
MAX_COMMENT = 2000
FIRST_DATE, LAST_DATE = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def date_range_message() -> str:
    return _("Enter a date from %(first)s to %(last)s.") % {
        "first": short_date(FIRST_DATE), "last": short_date(LAST_DATE)}


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    element: str
    message: str
    rule: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ValidationRule.Severity.ERROR


def _filled(value) -> bool:
    return value is not None and value != "" and value is not False


def check_values(
    elements: list[DataElement],
    values: dict,
    rules: list[ValidationRule],
    previous: dict | None = None,
    for_submission: bool = False,
    registry: dict | None = None,
) -> list[Finding]:
    """Every finding for one unit's values (elements it is not asked are ignored). `registry`:
    {code: the unit's registry count} for the rules comparing with `registry.CODE`
    (registries.prefill.registry_values); a rule whose count is not given (a registry the unit
    does not keep, or a caller that reads no registry) is not checked, as one with a blank value."""
    asked = {e.code: e for e in elements}
    findings = [*_range_findings(asked, values)]
    if for_submission:
        findings += [
            Finding("error", code, _("This field is needed to submit the report."), "required")
            for code, element in asked.items()
            if element.type in REQUIRED_TYPES and values.get(code) is None
        ]
    for rule in rules:
        findings += _rule_findings(rule, asked, values, previous or {}, registry or {})
    return findings


def _range_findings(asked: dict[str, DataElement], values: dict) -> list[Finding]:
    findings = []
    for code, element in asked.items():
        value = values.get(code)
        if value is None or element.type not in ("count", "percent"):
            continue
        bounds = element.bounds
        low, high = bounds.low, bounds.high
        if not bounds.contains(value):
            message = _("Enter a number from %(low)s to %(high)s.") % {"low": _n(low), "high": _n(high)} \
                if high is not None else _("Enter a number of at least %(low)s.") % {"low": _n(low)}
            findings.append(Finding("error", code, message, "range"))
    return findings


def _n(number) -> str:
    return amount(number)


def _side(name: str, asked: dict, values: dict, registry: dict):
    """A compared side's value: the element's (None when the unit is not asked it) or the registry count's."""
    if name.startswith(REGISTRY_PREFIX):
        return registry.get(name.removeprefix(REGISTRY_PREFIX))
    return values.get(name) if name in asked else None


def _rule_findings(rule: ValidationRule, asked: dict, values: dict, previous: dict, registry: dict) -> list[Finding]:
    check = rule.parsed
    if isinstance(check, Compare):
        a, b = _side(check.left, asked, values, registry), _side(check.right, asked, values, registry)
        if a is not None and b is not None and not check.holds(a, b):
            return [Finding(rule.severity, check.shown_on, rule.message, rule.code)]
        return []
    if isinstance(check, Implies):
        if check.condition in asked and check.consequence in asked and _filled(values.get(check.condition)) \
                and not _filled(values.get(check.consequence)):
            return [Finding(rule.severity, check.consequence, rule.message, rule.code)]
        return []
    if isinstance(check, YearOverYear):
        # Not YearOverYear.jumps: data entry lets small numbers jump (JUMP_MIN_SIZE) and
        # flags a value that went to or came from zero.
        factor = float(check.factor)
        return [
            Finding(rule.severity, code, rule.message, rule.code)
            for code, element in asked.items()
            if element.type == "count" and _jumped(values.get(code), previous.get(code), factor)
        ]
    return []


def _jumped(value, last, factor: float) -> bool:
    if value is None or last is None or max(value, last) < JUMP_MIN_SIZE:
        return False
    if last == 0 or value == 0:
        return True
    return value > last * factor or value < last / factor


def blocking(findings: list[Finding], comments: dict[str, str]) -> list[Finding]:
    """The findings that stop a submission: errors, and warnings not yet explained."""
    return [f for f in findings if f.is_error or not (comments.get(f.element) or "").strip()]
