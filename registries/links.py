"""From a figure to the records behind it: the target page links each of its expressions that a
registry counts (registries.counts.ELEMENT_KINDS) to the list of those records for the year.
No query: the list resolves the year's period and the target itself."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from registries.counts import ELEMENT_KINDS
from registries.kinds import KINDS


def figure_links(target, unit, year: int, labels: dict[str, str] | None = None,
                 program_code: str = "") -> list[dict]:
    """[{label, kind, url}] for each registry-counted expression of the target; the list applies
    the expression's unit filter (`target`, `program`: e.g. enterprises only)."""
    links, seen = [], set()
    for expression in (target.numerator_expr, target.denominator_expr):
        code = getattr(expression, "element", None) if expression is not None else None
        if code not in ELEMENT_KINDS or code in seen:
            continue
        seen.add(code)
        query = {"element": code, "year": year, **({"program": program_code, "target": target.code}
                                                    if program_code else {})}
        if getattr(expression, "classes", None):
            query["classes"] = "".join(expression.classes)
        url = reverse("registries:list", args=[ELEMENT_KINDS[code], unit.code])
        links.append({"label": (labels or {}).get(code, code), "kind": KINDS[ELEMENT_KINDS[code]].title,
                      "url": f"{url}?{urlencode(query)}"})
    return links
