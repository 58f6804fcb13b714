"""The read model: what pages and documents show about targets, from the engine's Results.

The engine (indicators.engine) computes; this module decides how a result reads — its status
look, the counts per status, the ranking of the units below, a target's verdict over the
term, whether a projection is shown, a province-wide target's contribution — so that the
dashboard (dashboards/) and the official documents (exports/) say the same thing, and their
templates only branch on the flags prepared here.

Colours come from the Okabe–Ito palette, which colour-blind readers can tell apart, and
every status also carries a symbol and a word, so colour is never the only signal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import status as rules
from indicators.engine import Result
from programs.models import Program, Target
from tiendo.formatting import amount, number, rounded

STATUS_LOOK = {
    rules.MET: {"label": gettext_lazy("met"), "symbol": "✓", "colour": "#0072B2"},
    rules.ON_TRACK: {"label": gettext_lazy("on track"), "symbol": "↗", "colour": "#009E73"},
    rules.AT_RISK: {"label": gettext_lazy("at risk"), "symbol": "!", "colour": "#E69F00"},
    rules.NOT_MET: {"label": gettext_lazy("not met"), "symbol": "✗", "colour": "#D55E00"},
    rules.NO_DATA: {"label": gettext_lazy("no data"), "symbol": "–", "colour": "#999999"},
    # No verdict: a subtree's part of a province-wide figure.
    rules.CONTRIBUTION: {"label": gettext_lazy("contribution"), "symbol": "∑", "colour": "#56B4E9"},
}
# The order statuses are counted and listed in, best first.
STATUS_ORDER = (rules.MET, rules.ON_TRACK, rules.AT_RISK, rules.NOT_MET, rules.NO_DATA, rules.CONTRIBUTION)


def status_look(status: str) -> dict:
    return STATUS_LOOK[status]


def status_word(status: str) -> str:
    """The Vietnamese word of a status ("đạt", "có nguy cơ", …)."""
    return str(STATUS_LOOK[status]["label"])


def status_counts(statuses: Iterable[str]) -> list[tuple[str, int]]:
    """How many targets have each status, in STATUS_ORDER, statuses with none left out."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return [(status, counts[status]) for status in STATUS_ORDER if status in counts]


def is_contribution(result: Result) -> bool:
    """A province-wide target seen from a subtree: its share of the province's figure, no verdict."""
    return result.status == rules.CONTRIBUTION


def is_province_wide(target: Target) -> bool:
    return target.scope == Target.Scope.PROGRAM


def contribution_share(result: Result) -> str:
    """The share of the province's figure a contribution is, as shown ("" when there is none)."""
    return number(result.share, "percent") if result.share is not None else ""


def shows_projection(result: Result, program: Program) -> bool:
    """A target due by the end of the term, looked at before its last year, with a figure: its
    trend to the term's end is shown beside the figure."""
    return (result.target.period == Target.Horizon.TERM and result.year < program.term_end
            and result.projected is not None and result.value is not None)


def shows_trend_line(target: Target) -> bool:
    """A deadline target is judged on one year: no yearly line."""
    return target.period != Target.Horizon.DEADLINE


def progress(result: Result) -> Decimal:
    """How long the bar is, in percent (0 without a figure)."""
    return result.progress if result.progress is not None else Decimal(0)


def goal(target: Target) -> str:
    return number(target.value, target.unit)


def reading(result: Result, program: Program) -> dict:
    """Everything a page shows about one result, prepared (numbers formatted, flags decided)."""
    target = result.target
    return {
        "target": target,
        "result": result,
        "look": status_look(result.status),
        "shown": number(result.value, target.unit),
        "goal": goal(target),
        "projected": number(result.projected, target.unit) if shows_projection(result, program) else "",
        "show_projection": shows_projection(result, program),
        "trend_line": shows_trend_line(target),
        "province_wide": is_province_wide(target),
        "contribution": is_contribution(result),
        "share": contribution_share(result),
        "progress": progress(result),
        "operands": operands(result),
        "applies": applies(result),
        "one_unit": result.expected == 1,
        "reported_here": result.reported > 0,
    }


def change(result: Result, previous: Result | None) -> dict | None:
    """How the figure moved since the year before, as pages show it beside the figure: the
    difference (a rate's in percentage points), an arrow up or down, and whether the move is
    towards the target (`better`: up for ≥ and >, nearer for =). None without both figures, or
    for a deadline target, which reads the same one year whatever year is looked at."""
    target = result.target
    if (previous is None or result.value is None or previous.value is None
            or target.period == Target.Horizon.DEADLINE):
        return None
    delta = result.value - previous.value
    shown = rounded(delta)
    size = number(abs(delta), Target.Measure.AVERAGE if target.unit == Target.Measure.PERCENT else target.unit)
    if target.unit == Target.Measure.PERCENT:
        size = _("%(points)s points") % {"points": size}
    if target.comparison == "=":
        better = abs(result.value - target.value) < abs(previous.value - target.value)
    else:
        better = delta > 0
    return {
        "delta": delta,
        "arrow": "▲" if shown > 0 else "▼" if shown < 0 else "=",
        "direction": "up" if shown > 0 else "down" if shown < 0 else "same",
        "shown": ("+" if shown > 0 else "−" if shown < 0 else "") + size,
        "better": better if shown else None,
        "year": previous.year,
        "previous": number(previous.value, target.unit),
    }


def applies(result: Result) -> bool:
    """Whether the target concerns the unit at all: some unit of the kinds it counts lies in the
    unit's subtree (or a value was found anyway). A grassroots union is not shown the targets of
    the upper-level unions as "no data yet"."""
    return result.expected > 0 or result.value is not None


def operands(result: Result) -> str:
    """The numerator and denominator the value was computed from ("12 / 40"; "" without a value)."""
    if result.numerator is None:
        return ""
    if result.denominator is None:
        return amount(result.numerator)
    return f"{amount(result.numerator)} / {amount(result.denominator)}"


def ranks(results: Iterable[tuple[object, Result]]) -> dict[object, int]:
    """The rank of each unit below by its value, highest first (1, 2, …); units without a value
    are not ranked. Only units the target concerns are given (the caller leaves out the others)."""
    with_value = [(key, result) for key, result in results if result.value is not None]
    with_value.sort(key=lambda pair: pair[1].value, reverse=True)
    return {key: rank for rank, (key, _result) in enumerate(with_value, start=1)}


@dataclass(frozen=True)
class Verdict:
    """How a target stands in a document: its status, and for a yearly target over the term the
    years it was met in (`met` of `judged`)."""

    status: str
    met: int | None = None
    judged: int | None = None

    @property
    def words(self) -> str:
        if self.judged is None:
            return status_word(self.status)
        return _("%(status)s, met in %(met)s of %(years)s years") % {
            "status": status_word(self.status), "met": self.met, "years": self.judged}


def verdict(by_year: dict[int, Result], year: int, years: list[int] | None = None) -> Verdict:
    """A target's verdict in `year`, or over the term's `years`: a yearly target is met over the
    term if met in every year that has figures; other targets take their status in `year`."""
    result = by_year[year]
    if years is None or result.target.period != Target.Horizon.YEARLY:
        return Verdict(result.status)
    judged = [by_year[y] for y in years if by_year[y].value is not None]
    if not judged:
        return Verdict(rules.NO_DATA)
    if all(r.status == rules.CONTRIBUTION for r in judged):
        return Verdict(rules.CONTRIBUTION)
    met = sum(1 for r in judged if r.status == rules.MET)
    return Verdict(rules.MET if met == len(judged) else rules.NOT_MET, met, len(judged))
