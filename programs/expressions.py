"""Target definitions as data: the numerator and denominator expressions of a program file.

An expression is a mapping with exactly one aggregate key:

    {sum: ELEMENT, where: FILTER}                    sum of a count element
    {count: ELEMENT, where: FILTER}                  units whose yes/no element is yes
    {count_class: ELEMENT, classes: [A, B], where: FILTER}
                                                     units whose quality class is in `classes`
    {units: FILTER}                                  units that reported in the period
    {plans_on_time: DEADLINE}                        units the deadline applies to whose
                                                     uploaded plan was issued by its due date
    {plans_expected: DEADLINE}                       units the deadline applies to (existing
                                                     on its due date)

The two plan aggregates read the units' uploaded implementation plans (plans.status), the
same counts the plan pages show, so a deadline target and those pages cannot disagree.

FILTER narrows the units by kind and by their employer's attributes. This module knows the
grammar (checking it, describing it in words); the indicators engine turns it into SQL.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

AGGREGATES = ("sum", "count", "count_class", "units", "plans_on_time", "plans_expected")
PLAN_AGGREGATES = ("plans_on_time", "plans_expected")
# Which element types each aggregate can work on.
AGGREGATE_ELEMENT_TYPES = {"sum": {"count"}, "count": {"boolean"}, "count_class": {"quality_class"}}
UNIT_KINDS = ("province", "district", "sector", "industrial_zone", "grassroots")
UPPER_UNION_KINDS = ("district", "sector", "industrial_zone")
OWNERSHIPS = ("state", "non_state", "public_sector")
QUALITY_CLASSES = ("A", "B", "C", "D")
FILTER_KEYS = ("kind", "ownership", "large_enterprise", "enterprise")


def aggregate_of(expression: dict) -> str:
    return next(key for key in AGGREGATES if key in expression)


def filter_of(expression: dict) -> dict:
    return expression["units"] if "units" in expression else expression.get("where") or {}


def deadline_of(expression: dict) -> str | None:
    """The deadline code of a plan aggregate, else None."""
    aggregate = aggregate_of(expression)
    return expression[aggregate] if aggregate in PLAN_AGGREGATES else None


def element_of(expression: dict) -> str | None:
    aggregate = aggregate_of(expression)
    return None if aggregate == "units" or aggregate in PLAN_AGGREGATES else expression[aggregate]


def normalized_kinds(kinds) -> list[str]:
    """A filter's kinds with the shorthand `upper_union` spelled out."""
    result = []
    for kind in kinds:
        result.extend(UPPER_UNION_KINDS if kind == "upper_union" else [kind])
    return list(dict.fromkeys(result))


def expression_errors(expression, element_types: dict[str, str],
                      deadline_codes: set[str] | None = None) -> list[tuple[str, str]]:
    """Problems with one expression, as (field, message) pairs; empty when it is sound."""
    if not isinstance(expression, dict):
        return [("", "must be a mapping such as {sum: ELEMENT, where: {...}}")]
    present = [key for key in AGGREGATES if key in expression]
    if len(present) != 1:
        return [("", f"needs exactly one of {', '.join(AGGREGATES)}; found {present or 'none'}")]
    aggregate = present[0]
    if aggregate in PLAN_AGGREGATES:
        errors = [(key, "unknown key") for key in expression if key != aggregate]
        if deadline_codes is not None and expression[aggregate] not in deadline_codes:
            errors.append((aggregate, f"unknown deadline '{expression[aggregate]}'"))
        return errors
    allowed = {aggregate, "where", "classes"} if aggregate == "count_class" else {aggregate, "where"}
    if aggregate == "units":
        allowed = {"units"}
    errors = [(key, "unknown key") for key in expression if key not in allowed]
    if aggregate != "units":
        element = expression[aggregate]
        if element not in element_types:
            errors.append((aggregate, f"unknown data element '{element}'"))
        elif element_types[element] not in AGGREGATE_ELEMENT_TYPES[aggregate]:
            wanted = " or ".join(sorted(AGGREGATE_ELEMENT_TYPES[aggregate]))
            actual = element_types[element]
            errors.append((aggregate, f"'{aggregate}' needs a {wanted} element; '{element}' is {actual}"))
    if aggregate == "count_class":
        classes = expression.get("classes")
        if not classes or not isinstance(classes, list) or set(classes) - set(QUALITY_CLASSES):
            errors.append(("classes", f"must be a non-empty list of {', '.join(QUALITY_CLASSES)}"))
    errors.extend(filter_errors(filter_of(expression), "units" if aggregate == "units" else "where"))
    return errors


def filter_errors(where, field: str) -> list[tuple[str, str]]:
    if not isinstance(where, dict):
        return [(field, "must be a mapping of kind / ownership / large_enterprise / enterprise")]
    errors = [(f"{field}.{key}", "unknown filter") for key in where if key not in FILTER_KEYS]
    kinds = where.get("kind", [])
    if not isinstance(kinds, list) or set(normalized_kinds(kinds)) - set(UNIT_KINDS):
        errors.append((f"{field}.kind", f"must be a list of {', '.join(UNIT_KINDS)} (or upper_union)"))
    ownership = where.get("ownership", [])
    if not isinstance(ownership, list) or set(ownership) - set(OWNERSHIPS):
        errors.append((f"{field}.ownership", f"must be a list of {', '.join(OWNERSHIPS)}"))
    for flag in ("large_enterprise", "enterprise"):
        if flag in where and not isinstance(where[flag], bool):
            errors.append((f"{field}.{flag}", "must be true or false"))
    return errors


# --- in words ---------------------------------------------------------------------------

def _units_phrase(where: dict) -> str:
    kinds = normalized_kinds(where.get("kind", []))
    if set(kinds) == set(UPPER_UNION_KINDS):
        noun = _("upper-level unions")
    elif kinds == ["grassroots"]:
        noun = _("grassroots unions")
    elif set(kinds) == set(UPPER_UNION_KINDS) | {"grassroots"}:
        noun = _("upper-level and grassroots unions")
    elif kinds:
        noun = _("units of kind %(kinds)s") % {"kinds": ", ".join(kinds)}
    else:
        noun = _("units")
    employer = []
    ownership = where.get("ownership", [])
    if ownership == ["state"]:
        employer.append(_("in state-owned enterprises"))
    elif ownership == ["non_state"]:
        employer.append(_("in non-state enterprises"))
    elif ownership == ["public_sector"]:
        employer.append(_("in public agencies"))
    elif where.get("enterprise") or set(ownership) == {"state", "non_state"}:
        employer.append(_("in enterprises"))
    if where.get("large_enterprise"):
        employer.append(_("in enterprises with many workers"))
    return " ".join([noun, *employer])


def describe(expression: dict, labels: dict[str, str]) -> str:
    """The expression in plain words of the current language, element labels quoted."""
    aggregate = aggregate_of(expression)
    if aggregate == "plans_on_time":
        return _("number of units that issued their plan by the deadline “%(deadline)s”") % {
            "deadline": labels.get(expression[aggregate], expression[aggregate])}
    if aggregate == "plans_expected":
        return _("number of units the deadline “%(deadline)s” applies to") % {
            "deadline": labels.get(expression[aggregate], expression[aggregate])}
    units = _units_phrase(filter_of(expression))
    if aggregate == "units":
        return _("number of %(units)s") % {"units": units}
    label = f"“{labels.get(expression[aggregate], expression[aggregate])}”"
    if aggregate == "sum":
        return _("total %(element)s of %(units)s") % {"element": label, "units": units}
    if aggregate == "count":
        return _("number of %(units)s answering yes to %(element)s") % {"units": units, "element": label}
    classes = _(" or ").join(expression["classes"])
    return _("number of %(units)s with %(element)s in class %(classes)s") % {
        "units": units, "element": label, "classes": classes,
    }


# --- applying a filter to units ---------------------------------------------------------
# Two forms of the same rule: `filter_q` for the database (indicators aggregate whole
# subtrees in SQL), `unit_matches` for one unit already in memory (which fields a form asks).
# tests/test_expressions.py holds them to the same answers.

ENTERPRISE_OWNERSHIPS = ("state", "non_state")


def filter_q(where: dict, prefix: str = ""):
    """The filter as a Q over Unit fields; `prefix` reaches the unit through a relation
    (e.g. "report__unit__")."""
    from django.db.models import Q

    q = Q()
    if where.get("kind"):
        q &= Q(**{f"{prefix}kind__in": normalized_kinds(where["kind"])})
    if where.get("ownership"):
        q &= Q(**{f"{prefix}ownership__in": where["ownership"]})
    if "enterprise" in where:
        enterprise = Q(**{f"{prefix}ownership__in": ENTERPRISE_OWNERSHIPS})
        q &= enterprise if where["enterprise"] else ~enterprise
    if "large_enterprise" in where:
        q &= Q(**{f"{prefix}large_enterprise": where["large_enterprise"]})
    return q


def unit_matches(unit, where: dict) -> bool:
    if where.get("kind") and unit.kind not in normalized_kinds(where["kind"]):
        return False
    if where.get("ownership") and unit.ownership not in where["ownership"]:
        return False
    if "enterprise" in where and (unit.ownership in ENTERPRISE_OWNERSHIPS) != where["enterprise"]:
        return False
    return not ("large_enterprise" in where and unit.large_enterprise != where["large_enterprise"])
