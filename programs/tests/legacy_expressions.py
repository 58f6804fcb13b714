"""The unit filters and expressions as programs/expressions.py computed them before the typed
program language (commit 201b7ba), kept verbatim as the oracle test_definition compares the
typed objects with. Not used by the application."""

# ruff: noqa
from django.utils.translation import gettext as _

AGGREGATES = ("sum", "count", "count_class", "units")
# Which element types each aggregate can work on.
AGGREGATE_ELEMENT_TYPES = {"sum": {"count"}, "count": {"boolean"}, "count_class": {"quality_class"}}
UNIT_KINDS = ("province", "district", "sector", "industrial_zone", "commune", "grassroots")
UPPER_UNION_KINDS = ("district", "sector", "industrial_zone", "commune")
OWNERSHIPS = ("state", "non_state", "public_sector")
QUALITY_CLASSES = ("A", "B", "C", "D")
FILTER_KEYS = ("kind", "ownership", "large_enterprise", "enterprise")


def aggregate_of(expression: dict) -> str:
    return next(key for key in AGGREGATES if key in expression)


def filter_of(expression: dict) -> dict:
    return expression["units"] if "units" in expression else expression.get("where") or {}


def element_of(expression: dict) -> str | None:
    aggregate = aggregate_of(expression)
    return None if aggregate == "units" else expression[aggregate]


def normalized_kinds(kinds) -> list[str]:
    """A filter's kinds with the shorthand `upper_union` spelled out."""
    result = []
    for kind in kinds:
        result.extend(UPPER_UNION_KINDS if kind == "upper_union" else [kind])
    return list(dict.fromkeys(result))


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

