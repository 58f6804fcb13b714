"""The registries in a unit's report: the figures a registry counts are prefilled on the entry
form, and a figure typed differently from the registry needs a comment (a warning finding, so
that submitting waits for the explanation, as for any warning).

Only where the registry is kept: a unit whose registry of a kind holds no record at all (any
year) gets no prefill and no finding for that kind's figures — it has not started keeping it,
and its typed figures stand as before. The hooks into reporting are these functions only:
reporting.actions.findings_for adds `registry_findings` and gives the validation rules
`registry_values` (the counts a rule compares with as `registry.CODE`), the entry view adds
`prefilled` to the form's initial values and `registry_context` to the page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from registries.counts import ELEMENT_KINDS, Figure, unit_figures, units_figures
from reporting.elements import rules_for
from reporting.models import Report, shown_value
from reporting.validation import Finding

RULE = "registry"


def _kept_figures(report: Report, codes) -> dict[str, Figure]:
    """The kept registries' figures for the codes, kept on the report object (the entry page asks
    for the form, the findings and the hints in one request): read again only when a code was
    not asked before (a rule's registry count the form does not ask), all of them together."""
    asked, kept = getattr(report, "_registry_figures", (None, None))
    if asked is None or not set(codes) <= asked:
        asked = set(codes) | (asked or set())
        found = unit_figures(report.unit, report.period, sorted(asked))
        kept = {code: figure for code, figure in found.items() if figure.kept}
        report._registry_figures = (asked, kept)
    return kept


def figures(report: Report, elements) -> dict[str, Figure]:
    """The kept registries' figures for the report's elements."""
    codes = [element.code for element in elements]
    return {code: figure for code, figure in _kept_figures(report, codes).items() if code in codes}


def registry_values(report: Report, elements) -> dict[str, object]:
    """{code: the registry's count} of the kept registries for the counts the period's rules
    compare with as `registry.CODE` (reporting.validation.check_values): read with the form's
    figures, so no further query where the form asks them."""
    codes = [element.code for element in elements]
    wanted = {code for rule in rules_for(report.period) for code in rule.parsed.registry_counts}
    kept = _kept_figures(report, codes + sorted(wanted - set(codes)))
    return {code: kept[code].value for code in wanted if code in kept}


def prefilled(report: Report, elements, values: dict) -> dict[str, object]:
    """{element code: the registry's value} for the elements the report holds no value for yet,
    while the report can be edited (a sent report shows what was sent)."""
    if report.pk is not None and not report.is_editable:
        return {}
    return {code: figure.value for code, figure in figures(report, elements).items() if values.get(code) is None}


def rule_counts(period, units, rules) -> dict[int, dict[str, object]]:
    """{unit id: its kept registries' counts that the rules compare with} for the rows of a
    spreadsheet: nothing (no query) when no rule names a registry count; else the counts of each
    unit as its form reads them, the grassroots unions' read together (units_figures)."""
    codes = sorted({code for rule in rules for code in rule.parsed.registry_counts})
    if not codes:
        return {}
    return {unit_id: {code: figure.value for code, figure in found.items() if figure.kept}
            for unit_id, found in units_figures(units, period, codes).items()}


def registry_findings(report: Report, elements, values: dict) -> list[Finding]:
    """A warning on each figure that differs from its kept registry's."""
    return _differences(figures(report, elements), values)


def sheet_checks(period, units) -> dict[int, object]:
    """{unit id: (elements, values) -> the registry_findings of that row} for a spreadsheet's
    rows, the registries read for all of them at once (registries.counts.units_figures)."""
    found = units_figures(units, period, sorted(ELEMENT_KINDS))

    def check(kept: dict[str, Figure]):
        return lambda elements, values: _differences(
            {e.code: kept[e.code] for e in elements if e.code in kept}, values)

    return {unit_id: check({code: f for code, f in figs.items() if f.kept}) for unit_id, figs in found.items()}


def _differences(kept: dict[str, Figure], values: dict) -> list[Finding]:
    found = []
    for code, figure in kept.items():
        value = values.get(code)
        if value is None or value == figure.value:
            continue
        found.append(Finding("warning", code, _(
            "The registry says %(value)s for this period (%(records)s records): explain why the report differs, "
            "or correct the registry.") % {"value": shown_value(figure.value), "records": figure.records}, RULE))
    return found


def registry_context(report: Report, elements) -> dict[str, dict]:
    """{element code: what the form shows beside the field: the registry's value and the list of
    the records behind it}."""
    return {
        code: {"value": shown_value(figure.value), "records": figure.records,
               "url": reverse("registries:list", args=[ELEMENT_KINDS[code], report.unit.code])
               + f"?element={code}&period={report.period_id}"}
        for code, figure in figures(report, elements).items()
    }
